"""Issue 9: the real `reportsearch serve` (waitress, 8 threads) under concurrent clients.

An index of the shipped seeds plus generated reports is built with `reportsearch index`,
served with `reportsearch serve` on a free port of 127.0.0.1, and every URL of a mixed
workload (report and paragraph JSON, searches with filters, sorts and pages, the report
page, the permalink, the search page, the reports list, .docx/.txt/.md exports) is asked
once, serially, as the reference. Then 8 threads ask 200 of them each at once. Every answer
must be what the serial request answered: status 200 (302 for a permalink), and content
belonging to the id asked for: a report's report_id and paragraph ids, a paragraph's id,
the search total, hit ids and facets, the page's paragraph ids and texts, the exports'
excerpt texts (the .docx read with python-docx). The checks are bench/concurrency.py's.

Only the HTTP interface is used, so the test holds whatever the store looks like inside.
"""
from __future__ import annotations

import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from bench import concurrency as cc
from bench.generate import main as generate

SEEDS = Path(__file__).resolve().parent.parent / "seeds"

GENERATED_REPORTS = 150      # + 5 seeds: ~7,700 paragraphs, indexed in ~10 s
CLIENTS = 8
REQUESTS_PER_CLIENT = 200
LOAD_DEADLINE = 60.0         # seconds; the load takes ~5 s here (2 cores)
REQUEST_TIMEOUT = 30.0


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("concurrency")
    corpus = root / "corpus"
    assert generate(["--reports", str(GENERATED_REPORTS), "--seed", "9", "--out", str(corpus)]) == 0
    for f in sorted(SEEDS.glob("*.txt")):
        shutil.copy(f, corpus / f.name)
    out = root / "index"
    run = subprocess.run(cc.reportsearch_command() + ["index", str(corpus), "--index-dir", str(out)],
                         capture_output=True, text=True, timeout=300, stdin=subprocess.DEVNULL)
    assert run.returncode == 0, run.stdout + run.stderr
    return out


def _first_traceback(log: str) -> str:
    """The first traceback of the server log, up to its exception line."""
    m = re.search(r"^Traceback \(most recent call last\):\n(?:[ \t].*\n)*.*", log, re.M)
    return m.group(0)[-4000:] if m else ""


@pytest.mark.parametrize("workers", [1, 2])
def test_concurrent_clients_each_get_the_answer_for_their_own_id(index_dir, tmp_path, workers):
    # workers=2: two serving processes accept on one socket (`serve --workers 2`)
    server = cc.Server(index_dir, tmp_path / "serve.log", ready_timeout=120,
                       extra_args=["--workers", str(workers)])
    try:
        server.start()
        # Serial reference answers; this also warms the server up (first searches, pages).
        ref, probes = cc.build_workload(server.port, sample_reports=None, seed=1)
        assert len(ref.reports) == GENERATED_REPORTS + 5
        assert set(probes) == set(cc.MIX), sorted(probes)
        # One client first: the checks themselves hold when nothing runs concurrently.
        serial = cc.run_load(server.port, probes, 1, requests_per_client=100,
                             timeout=REQUEST_TIMEOUT)
        assert not serial.failures, cc.failure_report(serial)

        result = cc.run_load(server.port, probes, CLIENTS,
                             requests_per_client=REQUESTS_PER_CLIENT,
                             deadline=time.monotonic() + LOAD_DEADLINE, seed=2,
                             timeout=REQUEST_TIMEOUT)
        alive = server.proc.poll() is None
    finally:
        log = server.log_tail(200_000)
        server.stop()

    asked = {kind: len(v) for kind, v in result.latencies.items()}
    message = cc.failure_report(result, examples=5)
    if result.failures:
        tb = _first_traceback(log)
        message += ("\nfirst traceback in the server log:\n" + tb) if tb else ""
    if not alive:
        pytest.fail("the server exited during the load\n" + message + "\n" + log[-3000:],
                    pytrace=False)
    if result.failures:
        pytest.fail(message, pytrace=False)
    assert result.requests == CLIENTS * REQUESTS_PER_CLIENT, (
        f"only {result.requests} of {CLIENTS * REQUESTS_PER_CLIENT} requests within "
        f"{LOAD_DEADLINE:.0f} s: {asked}")
    assert set(asked) == set(cc.MIX), asked


def _children(pid: int) -> set[int]:
    out = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        text = (task / "children").read_text().split()
        out |= {int(c) for c in text}
    return out


def test_workers_share_the_port_and_a_dead_worker_is_replaced(index_dir, tmp_path):
    import os
    import signal
    import time
    import urllib.request
    server = cc.Server(index_dir, tmp_path / "serve.log", ready_timeout=120,
                       extra_args=["--workers", "2"])
    try:
        server.start()
        proc = server.proc
        first = _children(proc.pid)
        assert len(first) == 2
        os.kill(sorted(first)[0], signal.SIGKILL)
        deadline = time.time() + 30
        while time.time() < deadline:
            now = _children(server.proc.pid)
            if len(now) == 2 and now != first:
                break
            time.sleep(0.2)
        assert len(now) == 2 and sorted(first)[0] not in now, server.log_tail()
        for _ in range(20):
            with urllib.request.urlopen(f"http://127.0.0.1:{server.port}/api/reports",
                                        timeout=30) as resp:
                assert resp.status == 200
        assert "已重新启动" in server.log_tail()
    finally:
        server.stop()
    assert proc.poll() is not None and not any(Path(f"/proc/{c}").exists() for c in now)


def test_stopping_while_a_worker_restarts_stops_every_process(index_dir, tmp_path):
    import os
    import signal
    import time
    server = cc.Server(index_dir, tmp_path / "serve.log", ready_timeout=120,
                       extra_args=["--workers", "2"])
    try:
        server.start()
        proc = server.proc
        first = _children(proc.pid)
        os.kill(sorted(first)[0], signal.SIGKILL)
        deadline = time.time() + 30
        while time.time() < deadline and _children(proc.pid) in (first, first - {min(first)}):
            time.sleep(0.01)
        respawned = _children(proc.pid)
        os.kill(proc.pid, signal.SIGTERM)          # while the new worker is still starting
        proc.wait(20)                               # raises if the supervisor hangs
        assert not any(Path(f"/proc/{c}").exists() for c in respawned | first)
    finally:
        server.stop()
