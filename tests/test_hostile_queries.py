"""Hostile and malformed queries: every one is a QueryError (a 400 with one Chinese sentence),
never a RecursionError, a hang or a 500. The web app is reached through Flask's test client
(the real `reportsearch serve` is fuzzed in test_fuzz_serve.py)."""
from __future__ import annotations

import re
import time
from urllib.parse import quote, urlencode

import pytest

from index.normalize import match_form
from searcher.query import (MAX_NESTING, And, Not, Or, QueryError, Term, normalize_filter,
                            parse_query, short_place_name)

CJK = re.compile(r"[\u4e00-\u9fff]")
BIG = 10 ** 7      # a max_chars far above the configured cap: the limits must not rely on it


def T(raw):
    return Term(match_form(raw), raw)


def nested(depth: int, inner: str = "a") -> str:
    return "(" * depth + inner + ")" * depth


# ---- parentheses -----------------------------------------------------------------------------

def test_nesting_up_to_the_limit_parses():
    assert parse_query(nested(MAX_NESTING)) == T("a")
    assert parse_query(nested(MAX_NESTING, "a OR b")) == Or((T("a"), T("b")))


@pytest.mark.parametrize("depth", [MAX_NESTING + 1, 245, 100_000])
def test_deeper_nesting_is_a_query_error_in_chinese(depth):
    with pytest.raises(QueryError) as exc:
        parse_query(nested(depth), max_chars=BIG)
    assert "嵌套" in str(exc.value) and str(MAX_NESTING) in str(exc.value)


def test_the_245_parentheses_of_the_issue_under_the_length_cap():
    q = nested(245)
    assert len(q) == 491
    with pytest.raises(QueryError, match="嵌套"):
        parse_query(q)


@pytest.mark.parametrize("q", ["(" * 100_000, ")" * 100_000, "(" * 5000 + "a",
                               "a" + ")" * 5000, "()" * 50_000, "(" * 10 + ")" * 10])
def test_unbalanced_or_empty_parentheses_are_query_errors(q):
    with pytest.raises(QueryError):
        parse_query(q, max_chars=BIG)


def test_siblings_do_not_add_up_to_depth():
    # many groups side by side, each at the limit: depth is what counts, not the number
    q = " ".join(nested(MAX_NESTING, f"w{i}") for i in range(200))
    node = parse_query(q, max_chars=BIG)
    assert isinstance(node, And) and len(node.items) == 200


def test_negated_groups_count_their_parentheses():
    b = T("b") if MAX_NESTING % 2 == 0 else Not(T("b"))      # negations cancel in pairs
    assert parse_query("a " + "-(" * MAX_NESTING + "b" + ")" * MAX_NESTING) == And((T("a"), b))
    with pytest.raises(QueryError, match="嵌套"):
        parse_query("a " + "-(" * (MAX_NESTING + 1) + "b" + ")" * (MAX_NESTING + 1))


# ---- everything else that could nest is read in loops ---------------------------------------

@pytest.mark.parametrize("n", [2, 10_000, 100_000])
def test_long_not_chains_cancel_out(n):
    assert parse_query("NOT " * n + "a", max_chars=BIG) == T("a")
    assert parse_query("b " + "NOT " * (n + 1) + "a", max_chars=BIG) == And((T("b"), Not(T("a"))))


def test_long_chain_of_dash_groups_and_not():
    q = "b " + "NOT -(" * MAX_NESTING + "a" + ")" * MAX_NESTING
    assert parse_query(q) == And((T("b"), T("a")))     # an even number of negations


def test_only_negations_is_still_refused():
    with pytest.raises(QueryError, match="排除"):
        parse_query("NOT " * 10_001 + "a", max_chars=BIG)
    with pytest.raises(QueryError):
        parse_query("NOT " * 10_000, max_chars=BIG)


def test_long_or_chain_and_many_phrases():
    node = parse_query(" OR ".join(f"w{i}" for i in range(50_000)), max_chars=BIG)
    assert isinstance(node, Or) and len(node.items) == 50_000
    node = parse_query(' '.join(f'"p {i}"' for i in range(20_000)), max_chars=BIG)
    assert isinstance(node, And) and len(node.items) == 20_000
    with pytest.raises(QueryError, match="引号"):
        parse_query('"a" ' * 10_000 + '"', max_chars=BIG)


@pytest.mark.parametrize("q", ["OR " * 1000, "a OR " * 1000, "a " + "OR " * 1000 + "b",
                               "- " * 1000, "-" * 1000, ":" * 1000, "year:" * 500,
                               '"' * 1001, "NOT " * 1000 + ")", "a:b:c:" * 100])
def test_operator_soup_is_an_error_or_a_query_never_a_crash(q):
    try:
        parse_query(q, max_chars=BIG)
    except QueryError as exc:
        assert CJK.search(str(exc))


def test_deepest_alternating_tree_is_searchable(searcher):
    """Nesting that alternates AND, OR and NOT at every level builds the deepest tree the
    limit allows; the searcher's evaluation walks it without trouble."""
    q = "出庭应诉率"
    for i in range(MAX_NESTING):   # one pair of parentheses per level
        q = f"x{i} OR NOT ({q}) y{i}" if i % 2 else f"-z{i} ({q} OR w{i})"
    assert len(q) <= 500
    node = parse_query(q)
    depth, stack = 0, [(node, 1)]
    while stack:
        item, d = stack.pop()
        depth = max(depth, d)
        stack += [(c, d + 1) for c in getattr(item, "items", ())]
        if isinstance(item, Not):
            stack.append((item.item, d + 1))
    assert depth > MAX_NESTING          # more than one tree level per pair of parentheses
    assert searcher.search(q)["total"] >= 0
    with pytest.raises(QueryError, match="嵌套"):
        searcher.search(f"({q})")


# ---- place names: no exponential regular expression -----------------------------------------

@pytest.mark.parametrize("value", ["族" * 100, "族" * 97 + "自治区", "维吾尔" * 33 + "x",
                                   "苗族" * 50, "族" * 499 + "x"])
def test_place_name_rule_is_fast_on_pathological_names(value):
    started = time.perf_counter()
    short_place_name(value)
    try:
        normalize_filter("province", value)
    except QueryError:
        pass
    normalize_filter("city", value)
    parse_query("city:" + value[:495], max_chars=BIG)
    assert time.perf_counter() - started < 1.0


def test_place_name_rule_unchanged():
    assert short_place_name("广西壮族自治区") == "广西"
    assert short_place_name("新疆维吾尔自治区") == "新疆"
    assert short_place_name("某某苗族侗族自治县") == "某某"
    assert short_place_name("香港特别行政区") == "香港"
    assert short_place_name("某某市地区") == "某某市"
    assert short_place_name("某省") == "某省"          # the stem has two characters at least
    assert short_place_name("自治区") == "自治区"


# ---- through the web app -------------------------------------------------------------------

HOSTILE = [nested(245), nested(MAX_NESTING + 1), "(" * 490, ")" * 490, "NOT " * 124 + "a",
           '"' * 3, "- " * 200, "year:" + "9" * 400, "province:" + "族" * 400,
           "city:" + "族" * 400, "a OR " * 99 + "OR", "\x00", "\x01(\x02)"]


@pytest.mark.parametrize("q", HOSTILE)
def test_api_search_answers_400_in_chinese_or_200(client, q):
    resp = client.get("/api/search?" + urlencode({"q": q}))
    assert resp.status_code in (200, 400), resp.status_code
    body = resp.get_json()
    if resp.status_code == 400:
        assert set(body) == {"error"} and CJK.search(body["error"])


def test_api_search_deep_nesting_is_400_json(client):
    resp = client.get("/api/search?q=" + quote(nested(245)))
    assert resp.status_code == 400
    assert resp.mimetype == "application/json"
    assert "嵌套" in resp.get_json()["error"]


@pytest.mark.parametrize("q", HOSTILE)
def test_search_page_shows_the_error(client, q):
    resp = client.get("/?" + urlencode({"q": q}))
    assert resp.status_code in (200, 400)
    if resp.status_code == 400:
        assert "notice-error" in resp.get_data(as_text=True)


def test_report_page_with_a_deep_query_notes_it_and_answers_200(client):
    report_id = client.get("/api/reports").get_json()["reports"][0]["report_id"]
    resp = client.get(f"/reports/{report_id}?" + urlencode({"q": nested(245)}))
    assert resp.status_code == 200
    assert "嵌套" in resp.get_data(as_text=True)
    pid = client.get(f"/api/reports/{report_id}").get_json()["paragraphs"][0]["id"]
    resp = client.get(f"/p/{pid}?" + urlencode({"q": nested(245)}))
    assert resp.status_code == 302


@pytest.mark.parametrize("raw", ["%ED%A0%80", "%zz", "%e4%b8", "%C0%AF", "%F4%90%80%80",
                                 "%00", "%01%1b%7f", "%F0%9F%98%80" * 50, "%"])
def test_undecodable_query_strings_never_500(client, raw):
    for path in ("/api/search?q=", "/?q=", "/api/search?q=a&year=", "/api/search?q=a&province=",
                 "/api/export.txt?ids=", "/reports?province="):
        resp = client.get(path + raw)
        assert resp.status_code < 500, (path + raw, resp.status_code)


# ---- exports of text holding characters XML forbids -----------------------------------------

def test_exports_drop_characters_xml_forbids():
    import io
    import zipfile

    from web.export import excerpts_docx, excerpts_markdown, excerpts_text

    bad = "出庭\x01应诉\x00率\x0b达\x1f到\x7f百\x85分\ud800之\ufffe百\uffff。\t第二\n行"
    p = {"text": bad, "title": "标题\x02", "issuer": "某局", "section_path": ["一、\x03总体"],
         "citation": "某局. 标题[R]\x04."}
    docx = excerpts_docx([p])
    xml = zipfile.ZipFile(io.BytesIO(docx)).read("word/document.xml").decode("utf-8")
    assert "出庭应诉率达到百分之百。 第二 行" in xml
    for out in (excerpts_text([p]), excerpts_markdown([p])):
        out.encode("utf-8")                       # no lone surrogate left
        assert "出庭应诉率达到百分之百。 第二 行" in out
        assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f]", out.replace("\n", ""))
        assert "标题" in out and "\x02" not in out and "一、总体" in out


def test_export_of_an_indexed_paragraph_with_a_control_character(tmp_path):
    """End to end: a report whose text holds \\x01 (kept or dropped at ingest, either way)."""
    from index.config import load_config
    from index.writer import update_index
    from searcher import open_searcher
    from web.app import create_app

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "ctl.txt").write_text(
        "某某县人民政府关于2023年度法治政府建设情况的报告\n"
        "2023年，我县坚持依法行政。现将有关情况报告如下。\n"
        "一、主要举措和成效\n"
        "行政机关负责人出庭\x01应诉率达到100%，行政\x1b复议案件\x7f全部办结。\n"
        "某某县人民政府\n2024年3月1日\n", encoding="utf-8")
    config = load_config()
    config["corpus"] = [str(corpus)]
    config["index_dir"] = str(tmp_path / "index")
    update_index(config["corpus"], config["index_dir"], config)
    client = create_app(config, open_searcher(config["index_dir"], config)).test_client()
    paragraphs = client.get("/api/reports/ctl").get_json()["paragraphs"]
    ids = ",".join(p["id"] for p in paragraphs)
    for ext in ("docx", "txt", "md"):
        resp = client.get(f"/api/export.{ext}?ids={ids}")
        assert resp.status_code == 200, (ext, resp.status_code)
        if ext != "docx":
            body = resp.get_data(as_text=True)
            assert "出庭应诉率" in body and "\x01" not in body and "\x1b" not in body


# ---- numeric parameters ---------------------------------------------------------------------

@pytest.mark.parametrize("page", ["²", "١", "٣", "𝟗", "５", "9" * 5000, "-1", "0", "1.5", " ", "+1"],
                         ids=lambda v: v if len(v) < 10 else f"{len(v)}-digits")
def test_odd_page_numbers_are_400_not_500(client, page):
    for path in ("/reports", "/", "/api/search"):
        resp = client.get(path + "?" + urlencode({"q": "出庭应诉率", "page": page}))
        assert resp.status_code in (200, 400), (path, page, resp.status_code)
    assert client.get("/reports?" + urlencode({"page": page})).status_code in (200, 400)
    for name in ("limit", "offset"):
        resp = client.get("/api/search?" + urlencode({"q": "出庭应诉率", name: page}))
        assert resp.status_code in (200, 400), (name, page, resp.status_code)
