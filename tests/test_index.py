"""Incremental indexing: unchanged re-runs, changed reports, pruning, duplicates, locking."""
from __future__ import annotations

import time

import pytest

from engine_corpus import fake_pipeline, make_corpus, write_report_file


@pytest.fixture()
def env(tmp_path):
    make_corpus(tmp_path / "c", 12, seed=5)
    with fake_pipeline():
        from index.writer import update_index
        yield tmp_path, update_index


def _meta(year=2023, title="某县人民政府关于2023年法治政府建设情况的报告"):
    return {"title": title, "issuer": "某县人民政府", "issuer_type": "政府", "level": "县级",
            "province": "安徽", "city": "淮南", "year": year}


def test_first_run_adds_everything_and_unchanged_rerun_changes_nothing(env):
    root, update_index = env
    first = update_index([root / "c"], root / "ix")
    assert (first.added, first.updated, first.unchanged, first.failed) == (12, 0, 0, [])
    files_before = sorted(p.name for p in (root / "ix").iterdir())
    t = time.perf_counter()
    again = update_index([root / "c"], root / "ix")
    assert time.perf_counter() - t < 1.0
    assert (again.added, again.updated, again.unchanged, again.removed) == (0, 0, 12, 0)
    assert sorted(p.name for p in (root / "ix").iterdir()) == files_before


def test_changed_report_is_reindexed_alone_and_ids_survive(env):
    root, update_index = env
    from searcher import open_searcher
    f = write_report_file(root / "c" / "mine.rpt", _meta(),
                          [("heading", "一、主要成效"), ("text", "行政机关负责人出庭应诉率达95%。")])
    update_index([root / "c"], root / "ix")
    s = open_searcher(root / "ix")
    assert [h["id"] for h in s.search("出庭应诉率达95%")["hits"]] == ["mine-p2"]
    before = s.search("year:2023")["total"]

    write_report_file(f, _meta(), [("heading", "一、主要成效"),
                                   ("text", "行政机关负责人出庭应诉率达98%。")])
    summary = update_index([root / "c"], root / "ix")
    assert (summary.added, summary.updated, summary.unchanged) == (0, 1, 12)
    # The open searcher keeps answering from the commit it opened until refreshed.
    assert s.search("出庭应诉率达95%")["total"] == 1
    s = open_searcher(root / "ix")
    assert s.search("出庭应诉率达95%")["total"] == 0
    assert [h["id"] for h in s.search("出庭应诉率达98%")["hits"]] == ["mine-p2"]
    assert s.search("year:2023")["total"] == before
    assert s.paragraph("mine-p2")["text"] == "行政机关负责人出庭应诉率达98%。"
    assert [p["id"] for p in s.report("mine")["paragraphs"]] == ["mine-p1", "mine-p2"]


def test_prune_removes_reports_whose_files_are_gone(env):
    root, update_index = env
    from searcher import open_searcher
    update_index([root / "c"], root / "ix")
    (root / "c" / "r0003.rpt").unlink()
    kept = update_index([root / "c"], root / "ix")
    assert kept.removed == 0
    pruned = update_index([root / "c"], root / "ix", prune=True)
    assert pruned.removed == 1
    s = open_searcher(root / "ix")
    assert s.report("r0003") is None
    assert len(s.reports()) == 11
    assert all(h["report_id"] != "r0003" for h in s.search("法", limit=None)["hits"])


def test_duplicate_content_and_bad_files_fail_without_losing_anything(env):
    root, update_index = env
    update_index([root / "c"], root / "ix")
    (root / "c" / "copy.rpt").write_bytes((root / "c" / "r0001.rpt").read_bytes())
    (root / "c" / "broken.rpt").write_text("这不是报告", encoding="utf-8")
    summary = update_index([root / "c"], root / "ix")
    failed = dict((p.rsplit("/", 1)[-1], msg) for p, msg in summary.failed)
    assert "r0001.rpt" in failed["copy.rpt"] and "内容相同" in failed["copy.rpt"]
    assert "broken.rpt" in failed
    # Breaking an indexed file keeps its last good version searchable.
    (root / "c" / "r0002.rpt").write_text("坏了", encoding="utf-8")
    summary = update_index([root / "c"], root / "ix")
    assert any(p.endswith("r0002.rpt") for p, _ in summary.failed)
    from searcher import open_searcher
    assert open_searcher(root / "ix").report("r0002") is not None


def test_progress_is_reported(env):
    root, update_index = env
    calls = []
    update_index([root / "c"], root / "ix", progress=lambda d, t: calls.append((d, t)))
    assert calls[-1] == (12, 12)


def test_second_writer_gets_index_locked(env):
    root, update_index = env
    from index.writer import RUN_LOCK, IndexLocked
    from whoosh.util.filelock import FileLock
    (root / "ix").mkdir()
    lock = FileLock(str(root / "ix" / RUN_LOCK))
    assert lock.acquire()
    try:
        with pytest.raises(IndexLocked, match="另一个索引进程正在写入"):
            update_index([root / "c"], root / "ix")
    finally:
        lock.release()
    assert update_index([root / "c"], root / "ix").added == 12


@pytest.mark.parametrize("damage", ["folder", "vocabulary key", "array"])
def test_damaged_side_arrays_give_one_clear_error_and_the_reader_writes_nothing(env, damage):
    import json
    import shutil
    root, update_index = env
    update_index([root / "c"], root / "ix")
    from searcher import StoreError, open_searcher
    seg = next((root / "ix" / "cols").iterdir())
    if damage == "folder":
        shutil.rmtree(seg)
    elif damage == "vocabulary key":
        meta = json.loads((seg / "meta.json").read_text(encoding="utf-8"))
        del meta["vocab"]["province"]
        (seg / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    else:
        (seg / "kind.npy").write_bytes(b"not an array")
    before = sorted((p.relative_to(root / "ix"), p.stat().st_mtime_ns)
                    for p in (root / "ix").rglob("*"))
    with pytest.raises(StoreError, match="reportsearch index --rebuild"):
        open_searcher(root / "ix")
    assert sorted((p.relative_to(root / "ix"), p.stat().st_mtime_ns)
                  for p in (root / "ix").rglob("*")) == before
    # The command the message names repairs it.
    update_index([root / "c"], root / "ix", rebuild=True)
    assert open_searcher(root / "ix").search("行政执法")["total"] > 0


def test_display_texts_and_section_paths_come_back_character_for_character(tmp_path):
    """The side arrays keep each paragraph's own text compressed: every kind of character
    (Traditional, full-width, beyond U+FFFF, combining accents, NUL-free control-like marks)
    and every section path is read back exactly, including empty ones."""
    from index.columns import ColumnDoc, build_columns, load_columns, write_columns
    texts = ["", "依法行政，出庭應訴率達１００％。", "𠀋𡈽 e\u0301 ㈠ ＡＢＣ", "x" * 5000,
             "<script>&amp;</script>", "\u3000前后空格\u3000"]
    paths = [(), ("一、主要举措",), ("一、主要举措", "（一）完善制度"), ("二、存在的不足",), (), ("𠀋",)]
    docs = [ColumnDoc("text", i + 1, "r1", t, {}, t, p) for i, (t, p) in enumerate(zip(texts, paths))]
    arrays, extra = build_columns(docs, {"r1": {}})
    write_columns(tmp_path, "seg", arrays, extra)
    cols = load_columns(tmp_path, "seg")
    assert [cols.display_text(i) for i in range(len(texts))] == texts
    assert [cols.section_path(i) for i in range(len(texts))] == [list(p) for p in paths]
    (tmp_path / "seg" / "display.bin").write_bytes(b"")       # damaged: not read as if whole
    assert load_columns(tmp_path, "seg") is None
