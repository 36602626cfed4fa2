"""The 添加报告 page: upload report files or paste report URLs; they are saved into the fetch
folder (index.fetch.fetch_folder: the configured corpus) and indexed in the background.

    GET  /upload                 the page
    POST /api/upload             files (field `files`, several) and/or `urls` (one a line)
    GET  /api/upload/jobs/<id>   the job's progress and what was added or failed, and why

Who may write. Uploading writes files on the server, so it is on only while the server
listens on a loopback address (127.0.0.1, ::1: only this computer can connect) unless
`fetch.upload_enabled: true` says otherwise; with `false` it is always off. On loopback the
request's Host must be a loopback name too, so a web page that rebinds its own domain name
to 127.0.0.1 (DNS rebinding) cannot use it.

CSRF. A POST is accepted only when the browser says it comes from this site: its Origin
header (sent by every current browser on a POST) must be this server's scheme://host:port,
or, without Origin, its Referer must start with it; Sec-Fetch-Site, when sent, must be
same-origin. A form on another site cannot pass, and there are no cookies to steal.

Jobs run one at a time in one background thread per serving process (the index allows one
writer anyway); each job's status is a JSON file in the folder's hidden `.fetch/jobs/`, so
any serving process (serve --workers N) answers the status of any job.
"""
from __future__ import annotations

import ipaddress
import json
import logging
import os
import queue
import re
import secrets
import threading
import time
import unicodedata
from pathlib import Path

from flask import Blueprint, current_app, jsonify, render_template, request
from werkzeug.exceptions import RequestEntityTooLarge

from index.fetch.save import STATE_DIR, write_atomically

from .app import get_config

log = logging.getLogger("reportsearch.upload")
bp = Blueprint("upload", __name__)

UPLOAD_EXTENSIONS = (".txt", ".html", ".htm", ".docx", ".pdf")
MAX_URLS = 200
_JOB_ID = re.compile(r"^[0-9a-f]{16}$")
_LOOPBACK_NAMES = {"localhost", "127.0.0.1", "::1", "[::1]"}


# ---------------------------------------------------------------- who may upload

def _is_loopback(host: str) -> bool:
    host = (host or "").strip().strip("[]")
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def upload_refusal(config: dict) -> str | None:
    """Why this server does not accept uploads, or None when it does (module docstring)."""
    enabled = (config.get("fetch") or {}).get("upload_enabled")
    if enabled is False:
        return "本服务已关闭添加报告（配置 fetch.upload_enabled: false）。"
    if enabled is True:
        return None
    host = (config.get("web") or {}).get("host") or "127.0.0.1"
    if not _is_loopback(host):
        return (f"本服务监听在 {host} 上，能访问它的人都能往服务器写文件，所以添加报告已关闭。"
                "只在本机使用时请用 --host 127.0.0.1 启动；确需开放时在配置中设置 "
                "fetch.upload_enabled: true。")
    return None


def _request_refusal(config: dict) -> str | None:
    """Why this request may not upload: the server's setting, DNS rebinding, another site."""
    why = upload_refusal(config)
    if why:
        return why
    if (config.get("fetch") or {}).get("upload_enabled") is None:
        if request.host.rsplit(":", 1)[0].lower() not in _LOOPBACK_NAMES \
                and not _is_loopback(request.host.rsplit(":", 1)[0]):
            return "只接受以 127.0.0.1 或 localhost 访问本机服务时添加报告。"
    own = request.host_url.rstrip("/")
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site and fetch_site != "same-origin":
        return "只接受从本站页面提交的添加请求。"
    origin = request.headers.get("Origin")
    if origin:
        if origin.rstrip("/") != own:
            return "只接受从本站页面提交的添加请求（来源不符）。"
    else:
        referer = request.headers.get("Referer") or ""
        if not (referer == own or referer.startswith(own + "/")):
            return "只接受从本站页面提交的添加请求（请求没有说明来源）。"
    return None


# ---------------------------------------------------------------- saving uploads

def safe_file_name(name: str) -> str:
    """The last part of an uploaded file's name, without characters a file name cannot or
    should not have (folders, control characters, a leading dot), in NFC."""
    name = unicodedata.normalize("NFC", (name or "").replace("\\", "/").rsplit("/", 1)[-1])
    name = re.sub(r"[\x00-\x1f\x7f<>:\"|?*]", "_", name).strip().lstrip(".")
    return name[:120] if len(name) <= 120 else name[:100] + Path(name).suffix[:20]


def _free_name(folder: Path, name: str) -> Path:
    stem, suffix = Path(name).stem, Path(name).suffix
    path, n = folder / name, 1
    while path.exists():
        path, n = folder / f"{stem}-{n}{suffix}", n + 1
    return path


def save_upload(storage, folder: Path, max_bytes: int) -> tuple[str, Path | None, str]:
    """(name shown, saved path or None, why not) for one uploaded file. Never overwrites:
    a file of the same name gets -1, -2 … unless it holds exactly these bytes."""
    shown = safe_file_name(storage.filename or "")
    if not shown:
        return storage.filename or "（无名文件）", None, "文件名为空"
    if Path(shown).suffix.lower() not in UPLOAD_EXTENSIONS:
        return shown, None, f"不支持的文件类型；可上传：{' '.join(UPLOAD_EXTENSIONS)}"
    data = storage.stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        return shown, None, f"文件过大（上限 {max_bytes / 1048576:.0f} MB）"
    if not data.strip():
        return shown, None, "文件是空的"
    existing = folder / shown
    if existing.is_file() and existing.read_bytes() == data:
        return shown, existing, ""
    path = _free_name(folder, shown)
    write_atomically(path, data)
    return shown, path, ""


# ---------------------------------------------------------------- jobs

def _jobs_dir(folder: Path) -> Path:
    return folder / STATE_DIR / "jobs"


def _write_job(folder: Path, job: dict) -> None:
    job["updated"] = time.time()
    write_atomically(_jobs_dir(folder) / f"{job['id']}.json",
                     json.dumps(job, ensure_ascii=False).encode("utf-8"))


class Jobs:
    """One background thread per serving process, running queued jobs one at a time."""

    def __init__(self, app, config: dict):
        self.app, self.config = app, config
        self.queue: queue.Queue = queue.Queue()
        self.thread: threading.Thread | None = None
        self.lock = threading.Lock()

    def submit(self, folder: Path, job: dict) -> None:
        _write_job(folder, job)
        self.queue.put((folder, job))
        with self.lock:
            if self.thread is None or not self.thread.is_alive():
                self.thread = threading.Thread(target=self._work, name="reportsearch-upload",
                                               daemon=True)
                self.thread.start()

    def _work(self) -> None:
        while True:
            folder, job = self.queue.get()
            try:
                run_job(self.app, self.config, folder, job)
            except Exception as exc:                        # noqa: BLE001 (reported to the user)
                log.exception("upload job %s failed", job["id"])
                job.update(state="failed", error=f"添加失败：{exc}")
                _write_job(folder, job)
            finally:
                self.queue.task_done()


def run_job(app, config: dict, folder: Path, job: dict) -> None:
    """Fetch the job's URLs, index its files with the normal incremental path, reopen the
    searcher; the job's status file says how far it got."""
    from index.fetch import FAILED, NEW, UPDATED, UNCHANGED, fetch_reports
    from index.pipeline import report_id_for
    from index.read import shown_file_name
    from index.store import StoreError
    from index.writer import update_index

    files = [Path(f) for f in job.pop("paths", [])]
    if job["urls"]:
        job.update(state="fetching", done=0, total=len(job["urls"]))
        _write_job(folder, job)

        def fetched(done, total, url):
            job.update(done=done, total=total)
            _write_job(folder, job)
        summary = fetch_reports(job["urls"], folder, config, progress=fetched)
        for o in summary.outcomes:
            if o.status == FAILED:
                job["failed"].append({"name": o.url, "reason": o.reason})
            elif o.status in (NEW, UPDATED, UNCHANGED) and o.files:
                job["added"].append({"name": o.url, "file": o.files[0],
                                     "note": "未变" if o.status == UNCHANGED else ""})
                files += [folder / f for f in o.files]
    if not files:
        job.update(state="done", indexed={"added": 0, "updated": 0, "unchanged": 0})
        _write_job(folder, job)
        return
    job.update(state="indexing", done=0, total=len(files))
    _write_job(folder, job)

    def indexed(done, total, *_):
        job.update(done=done, total=total)
        _write_job(folder, job)
    try:
        result = update_index([str(f) for f in files], config["index_dir"], config,
                              progress=indexed)
    except StoreError as exc:
        job.update(state="failed", error=str(exc))
        _write_job(folder, job)
        return
    failed = {os.path.abspath(f): reason for f, reason in result.failed}
    for item in job["added"]:
        path = os.path.abspath(folder / item["file"])
        if path in failed:
            item["index_error"] = failed.pop(path)
        else:
            item["report_id"] = report_id_for(path)
    for path, reason in failed.items():
        job["failed"].append({"name": shown_file_name(path), "reason": reason})
    job.update(state="done", indexed={"added": result.added, "updated": result.updated,
                                      "unchanged": result.unchanged})
    _reopen(app, config)
    _write_job(folder, job)


def _reopen(app, config: dict) -> None:
    """Serve the new commit now rather than at the next reload check."""
    from searcher import open_searcher
    try:
        app.extensions["reportsearch.searcher"] = open_searcher(config["index_dir"], config)
    except Exception:                                        # noqa: BLE001
        log.exception("could not reopen the index after an upload")


def _jobs(config: dict) -> Jobs:
    jobs = current_app.extensions.get("reportsearch.upload")
    if jobs is None:
        jobs = current_app.extensions["reportsearch.upload"] = Jobs(
            current_app._get_current_object(), config)
    return jobs


# ---------------------------------------------------------------- views

def _settings(config: dict) -> dict:
    return config.get("fetch") or {}


@bp.get("/upload")
def upload_page():
    from index.fetch import fetch_folder

    config = get_config()
    settings = _settings(config)
    return render_template(
        "upload.html", refusal=upload_refusal(config), extensions=UPLOAD_EXTENSIONS,
        folder_name=fetch_folder(config).name, max_urls=MAX_URLS,
        max_file_mb=int(settings["upload_max_file_bytes"]) // 1048576,
        max_total_mb=int(settings["upload_max_total_bytes"]) // 1048576)


@bp.before_app_request
def _allow_upload_body():
    # The app refuses request bodies over 64 KB; an upload may be as large as configured.
    if request.method == "POST" and request.path == "/api/upload":
        request.max_content_length = int(_settings(get_config())["upload_max_total_bytes"]) \
            + 1048576


@bp.post("/api/upload")
def upload_api():
    from index.fetch import FetchError, check_url, fetch_folder

    config = get_config()
    refusal = _request_refusal(config)
    if refusal:
        return jsonify({"error": refusal}), 403
    settings = _settings(config)
    try:
        uploads = request.files.getlist("files")
        pasted = request.form.get("urls", "")
    except RequestEntityTooLarge:
        return jsonify({"error": f"一次上传的文件合计不能超过 "
                                 f"{int(settings['upload_max_total_bytes']) // 1048576} MB。"}), 413
    folder = fetch_folder(config)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        return jsonify({"error": f"无法创建报告文件夹 {folder.name}：{exc.strerror or exc}"}), 500
    added, failed, paths, urls = [], [], [], []
    for storage in uploads:
        if not storage.filename and not storage.content_length:
            continue                    # the empty file input of a form
        try:
            shown, path, why = save_upload(storage, folder, int(settings["upload_max_file_bytes"]))
        except OSError as exc:
            shown, path, why = safe_file_name(storage.filename), None, \
                f"无法保存：{exc.strerror or exc}"
        if path is None:
            failed.append({"name": shown, "reason": why})
        else:
            added.append({"name": shown, "file": path.name})
            paths.append(str(path))
    lines = [line.strip() for line in pasted.splitlines() if line.strip()]
    for line in lines[MAX_URLS:]:
        failed.append({"name": line[:200], "reason": f"一次最多添加 {MAX_URLS} 个网址"})
    for line in lines[:MAX_URLS]:
        try:
            urls.append(check_url(line))
        except FetchError as exc:
            failed.append({"name": line[:200], "reason": str(exc)})
    if not added and not urls:
        message = "没有可添加的文件或网址。" if not failed else "没有一个文件或网址可以添加。"
        return jsonify({"error": message, "failed": failed}), 400
    job = {"id": secrets.token_hex(8), "state": "queued", "done": 0, "total": 0,
           "added": added, "failed": failed, "urls": urls, "paths": paths}
    public = {k: v for k, v in job.items() if k != "paths"}
    _jobs(config).submit(folder, job)
    return jsonify({**public, "status_url": f"/api/upload/jobs/{job['id']}"}), 202


@bp.get("/api/upload/jobs/<job_id>")
def job_status(job_id: str):
    from index.fetch import fetch_folder

    if not _JOB_ID.match(job_id):
        return jsonify({"error": "任务编号格式不正确。"}), 404
    path = _jobs_dir(fetch_folder(get_config())) / f"{job_id}.json"
    try:
        job = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return jsonify({"error": f"没有编号为 {job_id} 的添加任务。"}), 404
    job.pop("paths", None)
    return jsonify(job)
