"""`reportsearch serve`: the web app under waitress, building the index on first run."""
from __future__ import annotations

import logging
import os
import signal
import sys
import time
from pathlib import Path

log = logging.getLogger("reportsearch.access")


class AccessLog:
    """WSGI middleware: one line per request (waitress itself logs none)."""

    def __init__(self, app, out=None):
        self.app = app
        self.out = out

    def __call__(self, environ, start_response):
        started = time.perf_counter()
        status_holder = {}

        def _start(status, headers, exc_info=None):
            status_holder["status"] = status.split(" ", 1)[0]
            return start_response(status, headers, exc_info)

        try:
            return self.app(environ, _start)
        finally:
            path = environ.get("PATH_INFO", "")
            if environ.get("QUERY_STRING"):
                path += "?" + environ["QUERY_STRING"]
            line = (f"{environ.get('REMOTE_ADDR', '-')} {environ.get('REQUEST_METHOD', '-')} "
                    f"{path[:300]} {status_holder.get('status', '-')} "
                    f"{(time.perf_counter() - started) * 1000:.0f}ms")
            print(line, file=self.out or sys.stderr, flush=True)


def _print_progress(done, total, *_rest) -> None:
    """Progress callback for update_index: about every 5% (a corpus can be 10^5 files)."""
    if done == total or done % max(1, total // 20) == 0:
        print(f"  已处理 {done}/{total} 个文件", file=sys.stderr, flush=True)


class NothingToServe(Exception):
    """No report could be indexed; str(e) says why and what to run."""


def _has_paragraphs(searcher) -> bool:
    return bool(searcher.searchable.any())


def open_or_build(config: dict):
    """The searcher over config["index_dir"]; when no index exists, its first build never
    finished, or it holds no report, build it (or go on building it) from the corpus.

    Nothing is written when none of the corpus paths exists, and an index left empty by a
    build (a corpus without reports) is built again at the next start: no failed first run
    leaves a state that stops the next one. NothingToServe when there is nothing to serve."""
    from index.read import display_path
    from index.writer import update_index
    from searcher import open_searcher
    from searcher.engine import IndexNotBuilt, IndexNotFound

    index_dir = config["index_dir"]
    try:
        searcher = open_searcher(index_dir, config)
        if _has_paragraphs(searcher):
            return searcher
        state = "中还没有报告，正在"
    except IndexNotFound:
        state = "尚不存在，正在"
    except IndexNotBuilt:
        state = "上次没有建成，正在继续"
    corpus = [str(p) for p in config.get("corpus") or []]
    next_step = ("请运行 reportsearch index <报告文件夹> 建立索引后再运行 reportsearch serve，"
                 "或在配置文件（--config）中设置 corpus。")
    if not corpus:
        raise NothingToServe(f"无法建立索引 {index_dir}：没有配置语料（本安装不含随附的示例"
                             f"报告）。{next_step}")
    if not any(os.path.lexists(p) for p in corpus):
        raise NothingToServe(f"无法建立索引 {index_dir}：语料 "
                             f"{'、'.join(map(display_path, corpus))} 不存在。{next_step}")
    print(f"索引 {index_dir} {state}从 {', '.join(map(display_path, corpus))} 建立……",
          file=sys.stderr, flush=True)
    started = time.perf_counter()
    summary = update_index(corpus, index_dir, config, progress=_print_progress)
    for path, reason in summary.failed:
        print(f"  未能索引 {display_path(path)}：{reason}", file=sys.stderr, flush=True)
    print(f"索引建立完成：新增 {summary.added} 份，失败 {len(summary.failed)} 份，"
          f"用时 {time.perf_counter() - started:.1f} 秒。", file=sys.stderr, flush=True)
    searcher = open_searcher(index_dir, config)
    if not _has_paragraphs(searcher):
        raise NothingToServe(f"{'、'.join(map(display_path, corpus))} 中没有可以索引的报告。"
                             f"{next_step}")
    return searcher


def serve(config: dict, host: str | None = None, port: int | None = None,
          workers: int | None = None) -> int:
    """Serve the web app with waitress until interrupted; returns the process exit code.

    workers > 1 (Linux/macOS): that many processes accept on one listening socket, each with
    its own searcher over the same memory-mapped index (the operating system shares the
    pages), so requests run on every core instead of under one GIL."""
    from searcher import StoreError

    web = config.get("web", {})
    host = host or web.get("host") or "127.0.0.1"
    port = int(port if port is not None else web.get("port", 5000))
    workers = max(1, int(workers or web.get("workers") or 1))
    threads = max(1, int(web.get("threads") or 8))
    if not hasattr(os, "fork"):
        workers = 1
    try:
        searcher = open_or_build(config)
    except (StoreError, NothingToServe) as exc:
        print(f"reportsearch: {exc}", file=sys.stderr)
        return 1
    try:
        sock = _listen(host, port)
    except OSError as exc:
        print(f"reportsearch: 无法在 {host}:{port} 上监听：{exc.strerror or exc}。"
              f"请用 --port 换一个端口。", file=sys.stderr)
        return 1
    bound = sock.getsockname()[1]
    print(f"reportsearch 已启动：http://{host}:{bound}/ "
          f"（索引 {Path(config['index_dir'])}；{workers} 个进程 × {threads} 个线程；"
          f"按 Ctrl+C 停止）", file=sys.stderr, flush=True)
    if workers == 1:
        return _run_worker(config, sock, threads, searcher)
    del searcher            # each worker opens its own: file offsets are shared across fork
    return _supervise(config, sock, threads, workers)


def _listen(host: str, port: int):
    import socket
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
        sock.listen(1024)
    except OSError:
        sock.close()
        raise
    return sock


def _run_worker(config: dict, sock, threads: int, searcher=None) -> int:
    """One serving process: waitress on the shared socket until interrupted or terminated."""
    import waitress

    from searcher import open_searcher

    from .app import create_app

    if searcher is None:
        searcher = open_searcher(config["index_dir"], config)
    server = waitress.create_server(AccessLog(create_app(config, searcher)), sockets=[sock],
                                    threads=threads)
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
    return 0


def _interrupt(*_) -> None:
    raise KeyboardInterrupt


def _supervise(config: dict, sock, threads: int, workers: int) -> int:
    """Fork the workers, restart one that dies, stop them all on Ctrl+C or SIGTERM."""
    children: set[int] = set()
    stopping = False

    def spawn() -> None:
        pid = os.fork()
        if pid == 0:                      # the worker
            code = 1
            try:
                signal.signal(signal.SIGINT, signal.SIG_IGN)   # the supervisor stops us
                # not the supervisor's handler, inherited by fork: a worker still opening its
                # searcher when SIGTERM comes must end, not stop its (copied) siblings
                signal.signal(signal.SIGTERM, signal.SIG_DFL)
                code = _run_worker(config, sock, threads)
            finally:
                os._exit(code)
        children.add(pid)

    def stop(*_) -> None:
        nonlocal stopping
        stopping = True
        for pid in list(children):
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)     # Ctrl+C, also when started with SIGINT ignored
    for _ in range(workers):
        spawn()
    try:
        while children:
            try:
                pid, status = os.wait()
            except ChildProcessError:
                break
            children.discard(pid)
            if not stopping:
                print(f"reportsearch: 服务进程 {pid} 意外退出（状态 {status}），已重新启动。",
                      file=sys.stderr, flush=True)
                spawn()
    finally:
        sock.close()
    return 0
