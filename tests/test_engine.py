"""Searcher behaviour a user sees: ranking, sorting, paging, fuzzy mode, lookups, errors."""
from __future__ import annotations

import pytest

from engine_corpus import fake_pipeline, make_corpus, write_report_file

LONG = ("全面推进严格规范公正文明执法，深化行政执法体制改革，完善行政执法程序，"
        "加强行政复议和行政应诉工作，推动行政机关负责人出庭应诉工作常态化，"
        "持续开展执法监督检查和案卷评查，规范行政裁量权基准制度，" * 3)


@pytest.fixture(scope="module")
def s(tmp_path_factory):
    root = tmp_path_factory.mktemp("engine")
    make_corpus(root / "c", 20, seed=8)
    write_report_file(root / "c" / "a.rpt", {
        "title": "甲县人民政府关于2021年法治政府建设情况的报告", "year": 2021,
        "province": "安徽", "level": "县级", "issuer": "甲县人民政府"}, [
        ("heading", "一、主要成效"),
        ("text", LONG),
        ("text", "全县行政机关负责人出庭应诉率达100%，行政诉讼败诉率为8.73%。"),
        ("text", "推行应诉出庭率考核，出庭工作与应诉能力同步提升。"),
        ("text", "页面里的<script>alert(1)</script>脚本文字也要被安全显示。"),
    ])
    write_report_file(root / "c" / "b.rpt", {
        "title": "乙市人民政府关于2024年法治政府建设情况的报告", "year": 2024,
        "province": "浙江", "level": "市级", "issuer": "乙市人民政府"}, [
        ("text", "乙市坚持首违不罚，推进一网通办。"),
        ("text", "乙市深化首违不罚清单管理。")])
    with fake_pipeline():
        from index.writer import update_index
        update_index([root / "c"], root / "ix")
    from searcher import open_searcher
    return open_searcher(root / "ix")


def test_paragraph_stating_the_rate_ranks_above_a_passing_mention(s):
    ids = [h["id"] for h in s.search("出庭应诉", limit=None)["hits"]]
    assert ids.index("a-p3") < ids.index("a-p2")


def test_year_sorts_and_tie_breaks(s):
    hits = s.search("(首违不罚 OR 全县行政机关负责人) (title:甲县 OR title:乙市)", sort="year_desc", limit=None)["hits"]
    assert [h["id"] for h in hits] == ["b-p1", "b-p2", "a-p3"]
    hits = s.search("(首违不罚 OR 全县行政机关负责人) (title:甲县 OR title:乙市)", sort="year_asc", limit=None)["hits"]
    assert [h["id"] for h in hits] == ["a-p3", "b-p1", "b-p2"]
    years = [h["year"] for h in s.search("法治", sort="year_desc", limit=None)["hits"]]
    assert years == sorted(years, reverse=True)


def test_pages_are_disjoint_slices_of_one_order(s):
    full = [h["id"] for h in s.search("法治", limit=None)["hits"]]
    assert len(full) > 30
    pages = [h["id"] for off in range(0, 30, 10)
             for h in s.search("法治", limit=10, offset=off)["hits"]]
    assert pages == full[:30]
    assert s.search("法治", limit=10, offset=len(full))["hits"] == []
    assert s.search("法治", limit=0)["total"] == len(full)


def test_fuzzy_finds_reordered_words_after_exact_matches(s):
    exact = {h["id"] for h in s.search("出庭应诉率", limit=None)["hits"]}
    fuzzy = [h["id"] for h in s.search("出庭应诉率", mode="fuzzy", limit=None)["hits"]]
    assert "a-p4" not in exact and "a-p4" in fuzzy
    assert exact <= set(fuzzy)
    assert set(fuzzy[:len(exact)]) == exact


def test_hits_are_escaped_and_highlighted(s):
    hit = s.search("<script>")["hits"][0]
    assert "<script>" not in hit["highlight"] and "<script>" not in hit["snippet"]
    assert "&lt;script&gt;" in hit["highlight"]
    assert "<script>" in hit["text"]   # raw text for JSON consumers; templates escape it
    hit = s.search("败诉率")["hits"][0]
    assert "<mark>败诉率</mark>" in hit["highlight"]


def test_paragraph_and_report_lookups(s):
    p = s.paragraph("a-p3")
    assert p["report_id"] == "a" and p["year"] == 2021 and p["province"] == "安徽"
    assert (p["prev_id"], p["next_id"], p["ordinal"], p["kind"]) == ("a-p2", "a-p4", 3, "text")
    assert s.paragraph("a-p1")["prev_id"] is None
    assert s.paragraph("nope-p1") is None
    r = s.report("a")
    assert r["title"].startswith("甲县") and [p["ordinal"] for p in r["paragraphs"]] == [1, 2, 3, 4, 5]
    assert s.report("nope") is None
    counts = {r["report_id"]: r["paragraph_count"] for r in s.reports()}
    assert counts["a"] == 5 and counts["b"] == 2 and len(counts) == 22


@pytest.mark.parametrize("kwargs", [
    {"query": ""}, {"query": "法治", "mode": "magic"}, {"query": "法治", "sort": "random"},
    {"query": "法治", "limit": -1}, {"query": "法治", "offset": -5}, {"query": "foo:bar"},
    {"query": "法治", "filters": {"year": ["20x3"]}}, {"query": '"法治'},
])
def test_bad_requests_raise_query_error(s, kwargs):
    from searcher import QueryError
    with pytest.raises(QueryError):
        s.search(**kwargs)


def test_missing_index_is_a_clear_error(tmp_path):
    from searcher import IndexNotFound, open_searcher
    with pytest.raises(IndexNotFound, match="索引尚未建立.*reportsearch index"):
        open_searcher(tmp_path / "nothing")


def test_figure_signal_equals_a_per_paragraph_check(s):
    """The ranking's "a figure follows the term" signal, computed for many paragraphs in one
    scan, equals a plain check of each paragraph's match form."""
    import re

    import numpy as np

    from searcher.engine import _NUMBER_AFTER

    docs = np.flatnonzero(s.searchable).astype(np.int64)[::-1]     # any order
    for words in (["出庭应诉"], ["败诉率", "出庭应诉率"], ["法治"], ["首违不罚"], ["率"]):
        pattern = re.compile("(?:%s).{0,%d}[0-9]" % ("|".join(map(re.escape, words)),
                                                    _NUMBER_AFTER - 1), re.DOTALL)
        want = []
        for d in docs.tolist():
            cols, local = s._locate(d)
            want.append(bool(pattern.search(cols.doc_bytes(local).decode("utf-8"))))
        assert s._states_figure(docs, words).tolist() == want, words
    assert any(s._states_figure(docs, ["出庭应诉"]))
