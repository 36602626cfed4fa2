"""A writer killed with SIGKILL leaves the last committed index answering; the next run works."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from engine_corpus import fake_pipeline, make_corpus

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent

# The child indexes with tiny batches and stops at `stop_at` ("before_commit": side arrays of
# a new segment written, its Whoosh commit not yet made), announcing it on stdout.
CHILD = textwrap.dedent("""
    import sys, time
    sys.path[:0] = [{root!r}, {tests!r}]
    from engine_corpus import fake_pipeline
    with fake_pipeline():
        import index.store as st
        import index.writer as w
        real_write = st.write_columns
        def write_columns(*a, **k):
            out = real_write(*a, **k)
            print("before_commit", flush=True)
            time.sleep(60)
            return out
        st.write_columns = write_columns
        w.update_index([{corpus!r}], {ix!r},
                       config=dict(w.load_config(), writer={{**w.load_config()["writer"], "batch_paragraphs": 40}}))
""")


def _run_child(corpus, ix):
    code = CHILD.format(root=str(ROOT), tests=str(TESTS), corpus=str(corpus), ix=str(ix))
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    line = proc.stdout.readline()
    assert line.strip() == "before_commit", proc.stderr.read()
    return proc


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_sigkill_mid_write_keeps_old_index_and_next_run_recovers(tmp_path):
    make_corpus(tmp_path / "c", 10, seed=2)
    with fake_pipeline():
        from index.writer import update_index
        update_index([tmp_path / "c"], tmp_path / "ix")
    from searcher import open_searcher
    s = open_searcher(tmp_path / "ix")
    before = s.search("法", limit=None)
    before_ids = [h["id"] for h in before["hits"]]

    make_corpus(tmp_path / "c2", 30, seed=3)
    for f in (tmp_path / "c2").glob("*.rpt"):
        f.rename(tmp_path / "c" / ("new_" + f.name))
    proc = _run_child(tmp_path / "c", tmp_path / "ix")
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    proc.stdout.close()
    proc.stderr.close()

    # The killed writer made no commit: a fresh searcher sees exactly the old index.
    fresh = open_searcher(tmp_path / "ix")
    after = fresh.search("法", limit=None)
    assert [h["id"] for h in after["hits"]] == before_ids
    assert after["facets"] == before["facets"]
    assert s.search("法")["total"] == before["total"]

    # The kernel dropped the dead writer's locks: the next run completes everything.
    with fake_pipeline():
        summary = update_index([tmp_path / "c"], tmp_path / "ix")
    assert (summary.added, summary.unchanged, summary.failed) == (30, 10, [])
    s = open_searcher(tmp_path / "ix")
    assert len(s.reports()) == 40
    assert s.search("法")["total"] > before["total"]
    # Side arrays of the segment that was never committed were cleaned up.
    segs = {p.name for p in (tmp_path / "ix" / "cols").iterdir()}
    assert segs == {cols.segment_id for cols, _ in s._segs}


def test_reader_keeps_answering_while_a_writer_is_mid_commit(tmp_path):
    make_corpus(tmp_path / "c", 6, seed=4)
    with fake_pipeline():
        from index.writer import IndexLocked, update_index
        update_index([tmp_path / "c"], tmp_path / "ix")
    from searcher import open_searcher
    s = open_searcher(tmp_path / "ix")
    total = s.search("法治")["total"]
    make_corpus(tmp_path / "c2", 4, seed=9)
    for f in (tmp_path / "c2").glob("*.rpt"):
        f.rename(tmp_path / "c" / ("x_" + f.name))
    proc = _run_child(tmp_path / "c", tmp_path / "ix")
    try:
        assert s.search("法治")["total"] == total
        assert open_searcher(tmp_path / "ix").search("法治")["total"] == total
        with fake_pipeline(), pytest.raises(IndexLocked):
            update_index([tmp_path / "c"], tmp_path / "ix")
    finally:
        proc.kill()
        proc.wait(timeout=10)
        proc.stdout.close()
        proc.stderr.close()
