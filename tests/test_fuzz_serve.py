"""Hostile and malformed requests against the real `reportsearch serve`: never a 500."""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import fuzz  # noqa: E402


def test_two_thousand_random_requests_get_no_server_error(tmp_path):
    fuzz.build_index(tmp_path / "ix")
    proc, base = fuzz.start_server(tmp_path / "ix", log_path=tmp_path / "serve.log")
    try:
        summary = fuzz.run_fuzz(base, requests=2000, seconds=90, threads=4, seed=7,
                                server_alive=lambda: proc.poll() is None)
    finally:
        fuzz.stop_server(proc)
    assert summary.requests >= 1000
    assert summary.server_errors == 0, summary.failures
    assert not summary.errors, summary.errors
    # The mix really reached the app, not only its error pages.
    assert summary.statuses[200] > 100 and summary.statuses[400] > 100
