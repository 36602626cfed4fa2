"""Issue 13: the query term NAME<op>NUMBER (出庭应诉率<95) finds the paragraphs that state the
indicator at a level in range, inside the normal query language, with facets and marks."""
from __future__ import annotations

import pytest

from index.indicators import extract_statements
from index.normalize import match_form
from searcher.query import Figure, QueryError, Term, indicator_table, parse_query

# Real phrasings (issue 13), one paragraph each, in reports of two years.
PARAGRAPHS_2023 = [
    "全年行政机关负责人出庭应诉率达100%，行政诉讼败诉率同比下降7.01个百分点。",
    "负责人出庭应诉率为98.6%，较上年有所提高。",
    "应诉出庭率达９２．５％，其中区政府主要负责人出庭应诉率20%。",
    "力争行政机关负责人出庭应诉率达到95%以上。",
    "行政复议机关纠错率同比上升5.42个百分点，全年办理行政复议案件18件。",
    "出庭应诉率连续三年保持100%，胜诉率100%。",
]
PARAGRAPHS_2022 = [
    "出庭率100%，审查重大合同39份，出具法律意见335件次。",
    "行政机关负责人出庭应诉率为88%，与2021年持平。",
    "全年共办理区政府行政诉讼案件23件，开庭审理10件。",
]


def _report(title: str, year: int, paragraphs: list[str]) -> str:
    body = "\n".join(paragraphs)
    return (f"{title}\n发布时间：{year + 1}-03-20 09:00\n"
            f"{year}年，我区坚持以习近平法治思想为指导，全面推进法治政府建设。现将有关情况报告如下。\n"
            f"一、主要举措和成效\n{body}\n二、存在的不足和原因\n基层执法力量仍显不足。\n"
            f"三、下一年度工作安排\n{year + 1}年，我区将继续深化法治政府建设。\n")


@pytest.fixture(scope="module")
def composed(tmp_path_factory):
    from index.config import load_config
    from index.writer import update_index
    from searcher import open_searcher

    root = tmp_path_factory.mktemp("indicator_corpus")
    (root / "a_2023.txt").write_text(_report(
        "温州市龙湾区人民政府关于2023年度法治政府建设情况的报告", 2023, PARAGRAPHS_2023), "utf-8")
    (root / "b_2022.txt").write_text(_report(
        "温州市瓯海区人民政府关于2022年度法治政府建设情况的报告", 2022, PARAGRAPHS_2022), "utf-8")
    config = load_config()
    config["corpus"] = [str(root)]
    config["index_dir"] = str(tmp_path_factory.mktemp("indicator_index"))
    summary = update_index(config["corpus"], config["index_dir"], config)
    assert not summary.failed, summary.failed
    s = open_searcher(config["index_dir"], config)
    paragraphs = [p for r in s.reports() for p in s.report(r["report_id"])["paragraphs"]
                  if p.get("kind") != "report"]
    return s, paragraphs


def _expected(paragraphs, names: set[str], holds) -> set[str]:
    """Brute force: paragraphs with a statement of one of `names` that is a level (no change,
    no target) whose value holds."""
    out = set()
    for p in paragraphs:
        for st in extract_statements(p["text"]):
            if (match_form(st.indicator) in names and not st.change and not st.target
                    and holds(st.value)):
                out.add(p["id"])
    return out


def _ids(s, q, **kw) -> set[str]:
    return {h["id"] for h in s.search(q, limit=None, **kw)["hits"]}


def test_parse_names_an_indicator_by_any_of_its_wordings():
    table = indicator_table([{"name": "行政机关负责人出庭应诉率", "kind": "rate",
                              "wordings": ["出庭应诉率", "应诉出庭率", "出庭率"]}])
    for q in ("出庭应诉率<95", "应诉出庭率＜９５", "出庭率<95%", "出庭率<95％"):
        node = parse_query(q, indicators=table)
        assert node == Figure("行政机关负责人出庭应诉率", "<", 95.0, q)
    assert parse_query("正职出庭应诉率>=50", indicators=table).indicator == "行政机关负责人出庭应诉率"
    assert parse_query("出庭率≥90", indicators=table).op == ">="
    # an uncatalogued rate keeps its own name; other words with a comparison stay text
    assert parse_query("胜诉率=100", indicators=table) == Figure("胜诉率", "=", 100.0, "胜诉率=100")
    assert parse_query("编号=5", indicators=table) == Term("编号=5", "编号=5")
    assert parse_query('"出庭率<95"', indicators=table) == Term("出庭率<95", "出庭率<95")
    with pytest.raises(QueryError, match="%"):
        parse_query("出庭率<95件", indicators=table)


@pytest.mark.parametrize("query,holds", [
    ("出庭应诉率<95", lambda v: v < 95), ("出庭应诉率<=98.6", lambda v: v <= 98.6),
    ("出庭率>95", lambda v: v > 95), ("应诉出庭率>=92.5", lambda v: v >= 92.5),
    ("出庭应诉率=100", lambda v: v == 100),
])
def test_a_figure_term_finds_exactly_the_paragraphs_stating_a_level_in_range(composed, query, holds):
    s, paragraphs = composed
    want = _expected(paragraphs, {"行政机关负责人出庭应诉率"}, holds)
    assert want, query
    assert _ids(s, query) == want


def test_changes_and_targets_are_not_levels(composed):
    s, paragraphs = composed
    hits = s.search("出庭应诉率>=95", limit=None)["hits"]
    texts = [h["text"] for h in hits]
    assert not any("力争" in t for t in texts)               # a plan target
    # 败诉率同比下降7.01个百分点 is a change: no level of 行政诉讼败诉率 anywhere
    assert s.search("败诉率<100", limit=None)["total"] == 0


def test_counts_compare_in_their_unit(composed):
    s, paragraphs = composed
    assert _ids(s, "行政复议案件数>=18") == _expected(
        paragraphs, {match_form("行政复议案件数")}, lambda v: v >= 18) != set()
    assert _ids(s, "行政复议案件数>18") == set()


def test_figure_terms_combine_with_words_filters_and_facets(composed):
    s, paragraphs = composed
    both_years = _ids(s, "出庭应诉率>=88")
    in_2022 = s.search("出庭应诉率>=88 year:2022", limit=None)
    report_2022 = {h["report_id"] for h in in_2022["hits"]}
    assert len(report_2022) == 1 and in_2022["total"] == 2      # 出庭率100% and 出庭应诉率为88%
    assert {h["id"] for h in in_2022["hits"]} == {
        p for p in both_years if p.rsplit("-p", 1)[0] in report_2022}
    assert set(s.search("出庭应诉率>=88", limit=None)["facets"]["year"]) == {"2023", "2022"}
    with_word = _ids(s, "出庭应诉率>=88 胜诉率")
    assert with_word == {h for h in both_years
                         if "胜诉率" in next(p["text"] for p in paragraphs if p["id"] == h)}
    excluded = _ids(s, "出庭应诉率 -出庭应诉率<95")
    assert excluded and not excluded & _ids(s, "出庭应诉率<95")


def test_the_stated_figure_is_marked_in_the_report_characters(composed):
    s, _ = composed
    hits = s.search("应诉出庭率>90", limit=None)["hits"]
    full_width = [h for h in hits if "９２．５％" in h["text"]]
    assert full_width, [h["text"] for h in hits]
    assert "<mark>应诉出庭率达９２．５％</mark>" in full_width[0]["highlight"]


def test_the_report_page_marks_the_statements_a_figure_query_found(composed):
    from web.app import create_app

    s, _ = composed
    hit = next(h for h in s.search("应诉出庭率>90", limit=None)["hits"]
               if "９２．５％" in h["text"])
    app = create_app({**s.config, "index_dir": str(s.index_dir)})
    page = app.test_client().get(f"/reports/{hit['report_id']}?q=应诉出庭率>90")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "<mark>应诉出庭率达９２．５％</mark>" in html
    # 主要负责人出庭应诉率20% is in the same paragraph but not in range: not marked
    assert "<mark>区政府主要负责人出庭应诉率20%</mark>" not in html
    assert "主要负责人出庭应诉率20%" in html
