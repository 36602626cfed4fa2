"""The index store: merging keeps segments bounded and answers exact; format and build state
are checked on open; leftovers of killed runs go; a full disk ends in one line."""
from __future__ import annotations

import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import textwrap
import time
import urllib.request
from pathlib import Path

import pytest

from engine_corpus import fake_pipeline, make_corpus, seed_paragraphs, write_report_file

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent


def _meta(rid: str, year: int):
    return {"title": f"{rid}县人民政府关于{year}年法治政府建设情况的报告", "issuer": f"{rid}县人民政府",
            "issuer_type": "政府", "level": "县级", "province": "安徽", "city": "淮南", "year": year}


def _oracle(root: Path, term: str) -> set[str]:
    """Paragraph ids whose text contains `term`, read straight from the corpus files."""
    from engine_corpus import read_fake_report
    from index.normalize import match_form
    out = set()
    for f in sorted(root.rglob("*.rpt")):
        for p in read_fake_report(f).paragraphs:
            if match_form(term) in match_form(p.text):
                out.add(p.id)
    return out


def _check_consistent(s) -> None:
    """Every document's stored fields agree with the side arrays it was found by."""
    from index.columns import KINDS
    from index.normalize import match_form
    for doc in range(s.n):
        if not s.alive[doc]:
            continue
        f = s._stored(doc)
        cols, local = s._locate(doc)
        report_id = s.report_ids[int(s.doc_report[doc])]
        if KINDS[int(s.kind[doc])] == "report":
            assert f["id"] == report_id and cols.display_text(local) == ""
        else:
            # the display text (compressed in the side arrays) is the one the match form
            # that found it was made from
            text = cols.display_text(local)
            assert match_form(text) == cols.doc_bytes(local).decode("utf-8")
            # looked up by its id, the paragraph is this document
            pid = f"{report_id}-p{int(s.ordinal[doc])}"
            assert s.paragraph(pid)["text"] == text


def test_sixty_incremental_runs_keep_segments_bounded_and_answers_exact(tmp_path):
    from index.store import MergePolicy, segment_count
    from searcher import open_searcher
    rng = random.Random(7)
    paras = seed_paragraphs()
    make_corpus(tmp_path / "c", 30, seed=11)
    config = None
    counts = []
    with fake_pipeline():
        from index.config import load_config
        from index.writer import update_index
        config = load_config()
        # Small segments, so that 60 runs exercise several tiers of merging.
        config["writer"] = {**config["writer"], "batch_paragraphs": 200,
                            "merge": {"factor": 3, "floor_paragraphs": 50,
                                      "max_paragraphs": 100_000, "deleted_share": 0.3}}
        update_index([tmp_path / "c"], tmp_path / "ix", config)
        for run in range(60):
            rid = f"r{rng.randrange(40):04d}"
            body = [("heading", "一、主要举措和成效")] + \
                [("text", rng.choice(paras)[1]) for _ in range(rng.randrange(3, 12))]
            body.append(("text", f"第{run}次更新：行政机关负责人出庭应诉率达{run}%。"))
            write_report_file(tmp_path / "c" / f"{rid}.rpt", _meta(rid, 2016 + run % 9), body)
            update_index([tmp_path / "c"], tmp_path / "ix", config)
            counts.append(segment_count(tmp_path / "ix"))
        s = open_searcher(tmp_path / "ix")
        policy = MergePolicy.from_config(config)
        bound = (policy.factor - 1) * (1 + policy.tier(s.n)) + 1
        assert max(counts) <= bound, counts
        assert max(counts) < 10 + s.n.bit_length()
        # Side-array folders exist for exactly the live segments.
        assert {p.name for p in (tmp_path / "ix" / "cols").iterdir()} == \
            {c.segment_id for c, _ in s._segs}
        _check_consistent(s)
        for term in ("出庭应诉率", "法治", "第5次更新", "行政复议", "%。", "县"):
            got = {h["id"] for h in s.search(term, limit=None)["hits"]}
            assert got == _oracle(tmp_path / "c", term), term


def test_policy_merges_a_full_tier_into_the_new_segment_and_respects_the_cap():
    from index.store import MergePolicy, plan_merge
    p = MergePolicy(factor=3, floor=10, max_paragraphs=1000, deleted_share=0.3)
    assert plan_merge({"a": (5, 5)}, 5, p) == []
    assert sorted(plan_merge({"a": (5, 5), "b": (6, 6)}, 5, p)) == ["a", "b"]
    # A larger segment of a higher tier is left alone.
    assert plan_merge({"a": (5, 5), "big": (500, 500)}, 5, p) == []
    # Cascade: merging tier 0 reaches tier 1, where two segments wait.
    got = plan_merge({"a": (10, 10), "b": (10, 10), "t1a": (30, 30), "t1b": (30, 30)}, 10, p)
    assert sorted(got) == ["a", "b", "t1a", "t1b"]
    # Never past the cap.
    assert plan_merge({"a": (600, 600), "b": (600, 600)}, 10, p) == []
    # Empty segments are dropped; a segment with many deletions is rewritten.
    assert plan_merge({"gone": (0, 40), "holey": (60, 100), "ok": (100, 100)}, 1, p) == \
        ["gone", "holey"]


def test_kept_reader_answers_after_a_merge_removed_its_segment_files(tmp_path):
    from searcher import open_searcher
    make_corpus(tmp_path / "c", 12, seed=3)
    with fake_pipeline():
        from index.config import load_config
        from index.writer import update_index
        config = load_config()
        config["writer"] = {**config["writer"], "batch_paragraphs": 30,
                            "merge": {"factor": 2, "floor_paragraphs": 10}}
        update_index([tmp_path / "c"], tmp_path / "ix", config)
        old = open_searcher(tmp_path / "ix")
        old_ids = [h["id"] for h in old.search("法", limit=None)["hits"]]
        old_segments = {c.segment_id for c, _ in old._segs}
        make_corpus(tmp_path / "c2", 6, seed=4)
        for f in (tmp_path / "c2").glob("*.rpt"):
            f.rename(tmp_path / "c" / ("n_" + f.name))
        update_index([tmp_path / "c"], tmp_path / "ix", config)
    new = open_searcher(tmp_path / "ix")
    assert not old_segments & {c.segment_id for c, _ in new._segs}   # all merged away
    hits = old.search("法", limit=None)["hits"]
    assert [h["id"] for h in hits] == old_ids
    assert all(old.paragraph(h["id"])["text"] == h["text"] for h in hits[:50])
    _check_consistent(new)


def test_old_format_index_is_refused_with_the_command_to_run(tmp_path):
    from index.store import IndexFormatError, STORE_FILE
    from searcher import open_searcher
    make_corpus(tmp_path / "c", 3, seed=1)
    with fake_pipeline():
        from index.writer import update_index
        update_index([tmp_path / "c"], tmp_path / "ix")
        info = json.loads((tmp_path / "ix" / STORE_FILE).read_text())
        (tmp_path / "ix" / STORE_FILE).write_text(json.dumps({**info, "format": 1}))
        with pytest.raises(IndexFormatError, match="reportsearch index --rebuild"):
            open_searcher(tmp_path / "ix")
        with pytest.raises(IndexFormatError, match="格式版本为 1"):
            update_index([tmp_path / "c"], tmp_path / "ix")
        # The layout before STORE.json existed: a Whoosh index and nothing else.
        (tmp_path / "ix" / STORE_FILE).unlink()
        with pytest.raises(IndexFormatError, match="旧版本格式"):
            open_searcher(tmp_path / "ix")
        update_index([tmp_path / "c"], tmp_path / "ix", rebuild=True)
    assert open_searcher(tmp_path / "ix").search("法治")["total"] > 0
    assert not (tmp_path / "ix.rebuild").exists() and not (tmp_path / "ix.old").exists()


def test_index_of_a_folder_whose_only_file_is_empty_is_searchable_and_empty(tmp_path):
    from searcher import open_searcher
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "empty.txt").write_bytes(b"")
    from index.writer import update_index
    summary = update_index([tmp_path / "c"], tmp_path / "ix")
    assert summary.failed and summary.added == 0
    s = open_searcher(tmp_path / "ix")
    answer = s.search("法治")
    assert (answer["total"], answer["reports"], answer["hits"]) == (0, 0, [])
    assert answer["facets"] and all(counts == {} for counts in answer["facets"].values())
    assert s.reports() == [] and s.report("empty") is None


# ---------------------------------------------------------------------- killed runs

# A child that indexes with tiny batches and pauses at `point`, announcing it on stdout.
KILL_CHILD = textwrap.dedent("""
    import sys, time
    sys.path[:0] = [{root!r}, {tests!r}]
    from engine_corpus import fake_pipeline
    point = {point!r}
    with fake_pipeline():
        import index.store as st
        import index.writer as w
        def pause(name):
            if name == point:
                print(name, flush=True)
                time.sleep(60)
        def wrap(obj, attr, before, after):
            real = getattr(obj, attr)
            def f(*a, **k):
                pause(before)
                out = real(*a, **k)
                pause(after)
                return out
            setattr(obj, attr, f)
        wrap(st, "write_columns", "before_columns", "after_columns")
        wrap(st, "after_commit", "after_commit", "-")
        wrap(st, "mark_complete", "before_complete", "-")
        from whoosh.writing import SegmentWriter
        wrap(SegmentWriter, "add_document", "-", "in_batch")
        cfg = w.load_config()
        cfg["writer"] = dict(cfg["writer"], batch_paragraphs=40,
                             merge=dict(factor=2, floor_paragraphs=10))
        w.update_index([{corpus!r}], {ix!r}, config=cfg)
""")
POINTS = ["in_batch", "before_columns", "after_columns", "after_commit", "before_complete"]


def _kill_at(point, corpus, ix):
    code = KILL_CHILD.format(root=str(ROOT), tests=str(TESTS), corpus=str(corpus), ix=str(ix),
                             point=point)
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline()
        assert line.strip() == point, proc.stderr.read()
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
        proc.stdout.close()
        proc.stderr.close()


def _temp_files(ix: Path) -> list[str]:
    return sorted(str(p.relative_to(ix)) for p in ix.rglob("*")
                  if p.name.endswith((".tmp", ".ctmp", ".run")) or
                  any(part.endswith(".tmp") for part in p.relative_to(ix).parts))


@pytest.mark.parametrize("point", POINTS)
def test_killed_first_build_says_not_built_and_the_next_run_completes(tmp_path, point):
    from index.store import IndexNotBuilt
    from searcher import open_searcher
    make_corpus(tmp_path / "c", 8, seed=5)
    _kill_at(point, tmp_path / "c", tmp_path / "ix")
    with pytest.raises(IndexNotBuilt, match="尚未建成"):
        open_searcher(tmp_path / "ix")
    out = subprocess.run([sys.executable, "-m", "web.cli", "search", "法治", "--index-dir",
                          str(tmp_path / "ix")], capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 2 and "尚未建成" in out.stderr and "Traceback" not in out.stderr
    with fake_pipeline():
        from index.writer import update_index
        summary = update_index([tmp_path / "c"], tmp_path / "ix")
    assert summary.failed == [] and summary.added + summary.unchanged == 8
    assert _temp_files(tmp_path / "ix") == []
    s = open_searcher(tmp_path / "ix")
    assert len(s.reports()) == 8
    assert {h["id"] for h in s.search("法", limit=None)["hits"]} == _oracle(tmp_path / "c", "法")


@pytest.mark.parametrize("point", POINTS[:4])
def test_killed_update_keeps_the_last_commit_and_the_next_run_cleans_up(tmp_path, point):
    from searcher import open_searcher
    make_corpus(tmp_path / "c", 6, seed=6)
    with fake_pipeline():
        from index.writer import update_index
        update_index([tmp_path / "c"], tmp_path / "ix")
    before = {h["id"] for h in open_searcher(tmp_path / "ix").search("法", limit=None)["hits"]}
    make_corpus(tmp_path / "c2", 8, seed=8)
    for f in (tmp_path / "c2").glob("*.rpt"):
        f.rename(tmp_path / "c" / ("n_" + f.name))
    _kill_at(point, tmp_path / "c", tmp_path / "ix")
    got = {h["id"] for h in open_searcher(tmp_path / "ix").search("法", limit=None)["hits"]}
    if point in ("in_batch", "before_columns", "after_columns"):
        assert got == before            # nothing of the killed run is visible
    else:
        assert before <= got            # a whole batch was committed, nothing half
    with fake_pipeline():
        summary = update_index([tmp_path / "c"], tmp_path / "ix")
    assert summary.failed == []
    assert _temp_files(tmp_path / "ix") == []
    s = open_searcher(tmp_path / "ix")
    assert {h["id"] for h in s.search("法", limit=None)["hits"]} == _oracle(tmp_path / "c", "法")
    assert {p.name for p in (tmp_path / "ix" / "cols").iterdir()} == \
        {c.segment_id for c, _ in s._segs}


# ---------------------------------------------------------------------- full disk

def _small_filesystem(path: Path, size: str) -> bool:
    path.mkdir()
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)],
                       capture_output=True)
    return r.returncode == 0


@pytest.mark.skipif(os.geteuid() != 0, reason="mounting a small tmpfs needs root")
def test_full_disk_ends_in_one_line_removes_partial_files_and_old_index_serves(tmp_path):
    disk = tmp_path / "disk"
    if not _small_filesystem(disk, "3m"):
        pytest.skip("cannot mount tmpfs here")
    try:
        from searcher import open_searcher
        make_corpus(tmp_path / "c", 3, seed=2)
        with fake_pipeline():
            from index.writer import update_index
            update_index([tmp_path / "c"], disk / "ix")
        before = open_searcher(disk / "ix").search("法", limit=None)
        used_before = shutil.disk_usage(disk).used
        # Enough new text to fill the rest of the disk.
        paras = [("text", t) for _, t in seed_paragraphs()]
        for i in range(60):
            write_report_file(tmp_path / "c" / f"big{i:03d}.rpt", _meta(f"big{i}", 2023),
                              paras * 2)
        code = textwrap.dedent(f"""
            import sys
            sys.path[:0] = [{str(ROOT)!r}, {str(TESTS)!r}]
            from engine_corpus import fake_pipeline
            from web.cli import main
            with fake_pipeline():
                sys.exit(main(["index", {str(tmp_path / "c")!r}, "--index-dir",
                               {str(disk / "ix")!r}]))
        """)
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                             timeout=300)
        assert out.returncode == 2, out.stderr
        lines = [l for l in out.stderr.splitlines() if l.strip()]
        assert len(lines) == 1 and "磁盘空间不足" in lines[0] and str(disk / "ix") in lines[0], \
            out.stderr
        assert re.search(r"约需 \d+ MB", lines[0])
        assert _temp_files(disk / "ix") == []
        assert shutil.disk_usage(disk).used <= used_before + 64 * 1024
        after = open_searcher(disk / "ix").search("法", limit=None)
        assert [h["id"] for h in after["hits"]] == [h["id"] for h in before["hits"]]
    finally:
        subprocess.run(["umount", "-l", str(disk)], capture_output=True)


# ---------------------------------------------------------------------- serve after many runs

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_starts_after_many_runs_with_bounded_descriptors(tmp_path):
    """Real `reportsearch serve` on an index updated 60 times: it starts, answers, and holds
    a number of open files that does not grow with the number of runs."""
    shutil.copytree(ROOT / "seeds", tmp_path / "c")
    from index.config import load_config
    from index.writer import update_index
    config = load_config()
    config["writer"] = {**config["writer"], "merge": {"factor": 3, "floor_paragraphs": 20}}
    update_index([tmp_path / "c"], tmp_path / "ix", config)
    seed = sorted((tmp_path / "c").glob("*.txt"))[0]
    text = seed.read_text(encoding="utf-8")
    for run in range(60):
        seed.write_text(text + f"\n第{run}次修订：行政机关负责人出庭应诉率达百分之{run}。\n",
                        encoding="utf-8")
        update_index([tmp_path / "c"], tmp_path / "ix", config)
    from index.store import segment_count
    assert segment_count(tmp_path / "ix") <= 6
    port = _free_port()
    exe = shutil.which("reportsearch") or "reportsearch"
    proc = subprocess.Popen([exe, "serve", "--index-dir", str(tmp_path / "ix"), "--port",
                             str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            start_new_session=True)
    try:
        body = None
        for _ in range(120):
            try:
                body = urllib.request.urlopen(
                    f"http://127.0.0.1:{port}/api/search?q=%E7%AC%AC59%E6%AC%A1",
                    timeout=5).read()
                break
            except OSError:
                if proc.poll() is not None:
                    pytest.fail(proc.stderr.read().decode())
                time.sleep(0.25)
        assert body is not None and json.loads(body)["total"] == 1
        fds = len(os.listdir(f"/proc/{proc.pid}/fd"))
        assert fds < 200, fds
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=10)
        proc.stderr.close()


def test_the_writer_reads_what_it_compares_from_the_side_arrays(tmp_path):
    """The report list kept in the side arrays says the same as Whoosh's report documents
    (file, content hash, file signature) after adds, an update, a touch and a prune."""
    from index import store
    from index.writer import _indexed_reports, _indexed_reports_from_documents, update_index
    seeds = Path(__file__).resolve().parent.parent / "seeds"
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    files = sorted(seeds.glob("*.txt"))
    for f in files:
        shutil.copy(f, corpus / f.name)
    ix_dir = tmp_path / "ix"
    update_index([corpus], ix_dir)
    changed = corpus / files[0].name
    changed.write_text(changed.read_text(encoding="utf-8") + "\n补充一段新的内容，用于测试更新。\n",
                       encoding="utf-8")
    os.utime(corpus / files[1].name, None)                 # touched, same content
    (corpus / files[2].name).unlink()
    summary = update_index([corpus], ix_dir, prune=True)
    assert summary.updated == 1 and summary.removed == 1
    ix = store.open_for_writing(ix_dir)
    fast = _indexed_reports(ix, ix_dir)
    slow = {rid: {k: f[k] for k in ("id", "file", "content_hash", "file_sig")}
            for rid, f in _indexed_reports_from_documents(ix).items()}
    assert fast == slow and len(fast) == len(files) - 1
    # and an unchanged re-run reads nothing again
    assert update_index([corpus], ix_dir).unchanged == len(files) - 1
