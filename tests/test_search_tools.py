"""Issue 12: 结果中检索, per-report view, page sizes, zero-hit suggestions, 全选本页, history;
through the JSON API, the page, and a real Chromium."""
from __future__ import annotations

import re
from urllib.parse import urlencode

import pytest

from index.normalize import match_form

TERM = "出庭应诉率"


def all_paragraphs(client) -> list[dict]:
    out = []
    for r in client.get("/api/reports").get_json()["reports"]:
        out += client.get(f"/api/reports/{r['report_id']}").get_json()["paragraphs"]
    return out


def api(client, **params) -> dict:
    resp = client.get("/api/search?" + urlencode(params, doseq=True))
    assert resp.status_code == 200, resp.get_data(as_text=True)
    return resp.get_json()


def _containing(paras, *words):
    return {p["id"] for p in paras if p.get("kind") != "report"
            and all(match_form(w) in match_form(p["text"]) for w in words)}


def test_within_steps_narrow_the_search_and_equal_the_and_of_all_steps(client):
    paras = all_paragraphs(client)
    first = api(client, q=TERM, limit=1000)
    narrowed = api(client, q=TERM, within=["100%"], limit=1000)
    twice = api(client, q=TERM, within=["100%", "行政"], limit=1000)
    assert {h["id"] for h in first["hits"]} == _containing(paras, TERM)
    assert {h["id"] for h in narrowed["hits"]} == _containing(paras, TERM, "100%")
    assert {h["id"] for h in twice["hits"]} == _containing(paras, TERM, "100%", "行政")
    assert first["total"] >= narrowed["total"] >= twice["total"] > 0


def test_a_within_step_keeps_its_own_or(client):
    paras = all_paragraphs(client)
    got = api(client, q="复议", within=["败诉率 OR 纠错率"], limit=1000)
    want = _containing(paras, "复议", "败诉率") | _containing(paras, "复议", "纠错率")
    assert {h["id"] for h in got["hits"]} == want


def test_per_report_view_lists_each_report_once_with_its_count(client):
    paras = all_paragraphs(client)
    want = _containing(paras, TERM)
    per_report: dict[str, int] = {}
    for pid in want:
        rid = pid.rsplit("-p", 1)[0]
        per_report[rid] = per_report.get(rid, 0) + 1
    got = api(client, q=TERM, view="reports", limit=1000)
    assert got["total"] == len(want) and got["reports"] == len(per_report)
    assert {g["report_id"]: g["count"] for g in got["groups"]} == per_report
    for g in got["groups"]:
        ids = [g["hit"]["id"]] + [m["id"] for m in g["more"]]
        assert len(ids) == len(set(ids)) == min(g["count"], 1 + 10)
        assert all(i.rsplit("-p", 1)[0] == g["report_id"] for i in ids)
        assert all(i in want for i in ids)
    # pages of reports: limit/offset count reports
    page1 = api(client, q=TERM, view="reports", limit=2)
    page2 = api(client, q=TERM, view="reports", limit=2, offset=2)
    ids1 = [g["report_id"] for g in page1["groups"]]
    ids2 = [g["report_id"] for g in page2["groups"]]
    assert len(ids1) == 2 and not set(ids1) & set(ids2)


def test_page_sizes_are_offered_and_others_refused(client):
    html = client.get("/?" + urlencode({"q": "法治"})).get_data(as_text=True)
    total = int(re.search(r'id="result-count">共 <strong>(\d+)</strong>', html).group(1))
    assert total > 50
    for size in (20, 50, 100):
        html = client.get("/?" + urlencode({"q": "法治", "size": size})).get_data(as_text=True)
        assert len(re.findall(r'<li class="hit" id="hit-', html)) == min(size, total)
    resp = client.get("/?" + urlencode({"q": "法治", "size": 37}))
    assert resp.status_code == 400 and "每页条数" in resp.get_data(as_text=True)


def test_zero_hits_suggest_what_finds_something_with_counts(client):
    res = api(client, q="应诉出庭率 year:1999")
    assert res["total"] == 0
    # every suggestion, run as offered, finds the count it shows
    for s in res["suggestions"]:
        params = {"q": s["query"], "mode": s["mode"], **s["filters"]}
        assert api(client, **params)["total"] == s["total"] > 0, s
    res = api(client, q="应诉出庭率", year="1999")
    assert "drop_filter" in {s["kind"] for s in res["suggestions"]}
    html = client.get("/?" + urlencode({"q": "应诉出庭率", "year": "1999"})).get_data(as_text=True)
    assert 'id="suggestions"' in html and "去掉筛选" in html


def test_chain_on_the_page_removes_one_step_at_a_time(client):
    html = client.get("/?" + urlencode({"q": TERM, "within": ["100%", "行政"]}, doseq=True)) \
        .get_data(as_text=True)
    steps = re.findall(r'<span class="step-text">([^<]*)</span> <a class="step-remove" href="([^"]+)"',
                       html)
    assert [s for s, _ in steps] == [TERM, "100%", "行政"]
    from html import unescape
    from urllib.parse import parse_qs, urlsplit
    first_removed = parse_qs(urlsplit(unescape(steps[0][1])).query)
    assert first_removed["q"] == ["100%"] and first_removed["within"] == ["行政"]
    middle_removed = parse_qs(urlsplit(unescape(steps[1][1])).query)
    assert middle_removed["q"] == [TERM] and middle_removed["within"] == ["行政"]


def test_hostile_within_and_view_values_get_clear_errors_and_are_escaped(client):
    resp = client.get("/?" + urlencode({"q": TERM, "view": "<x>"}))
    assert resp.status_code == 400 and "<x>" not in resp.get_data(as_text=True)
    resp = client.get("/?" + urlencode({"q": TERM, "within": '<script>alert(1)</script>"'}))
    body = resp.get_data(as_text=True)
    assert "<script>alert(1)" not in body


# ---- in Chromium ------------------------------------------------------------------------------

# base_url, browser and pg: tests/conftest.py (the app of this module, in Chromium)


def _total(pg) -> int:
    return int(pg.locator("#result-count strong").first.inner_text())


def test_browser_search_within_twice_then_remove_the_first_step(pg, base_url):
    from playwright.sync_api import expect
    pg.goto(base_url + "/?" + urlencode({"q": TERM}))
    start = _total(pg)
    pg.fill("#refine-q", "100%")
    pg.click("#refine-form button[type=submit]")
    expect(pg.locator("#search-chain .step")).to_have_count(2)
    once = _total(pg)
    pg.fill("#refine-q", "行政")
    pg.click("#refine-form button[type=submit]")
    expect(pg.locator("#search-chain .step")).to_have_count(3)
    twice = _total(pg)
    assert start >= once >= twice > 0
    pg.locator("#search-chain .step-remove").first.click()
    expect(pg.locator("#search-chain .step")).to_have_count(2)
    texts = pg.locator("#search-chain .step-text").all_inner_texts()
    assert texts == ["100%", "行政"]
    assert pg.input_value("#q") == "100%"
    j = pg.request.get(base_url + "/api/search?" + urlencode(
        {"q": "100%", "within": "行政"})).json()
    assert _total(pg) == j["total"]


def test_browser_narrowed_search_exports_its_hits_as_xlsx(pg, base_url, tmp_path):
    from openpyxl import load_workbook
    pg.goto(base_url + "/?" + urlencode({"q": TERM}))
    pg.fill("#refine-q", "100%")
    pg.click("#refine-form button[type=submit]")
    pg.wait_for_selector("#search-chain .step >> nth=1")
    want = pg.request.get(base_url + "/api/search?" + urlencode(
        {"q": TERM, "within": "100%", "limit": 1000})).json()
    with pg.expect_download() as info:
        pg.click("#results-xlsx")
    path = tmp_path / "results.xlsx"
    info.value.save_as(path)
    rows = list(load_workbook(path).active.values)
    assert [r[0] for r in rows[1:]] == [h["id"] for h in want["hits"]]
    text_col = list(rows[0]).index("段落原文")
    assert [r[text_col] for r in rows[1:]] == [h["text"] for h in want["hits"]]
    assert all(match_form("100%") in match_form(r[text_col]) for r in rows[1:])


def test_browser_per_report_view_expands_and_select_page_fills_the_basket(pg, base_url):
    from playwright.sync_api import expect
    pg.goto(base_url + "/?" + urlencode({"q": TERM}))
    pg.click("#view-reports")
    groups = pg.locator("#report-groups > li.report-group")
    expect(groups.first).to_be_visible()
    j = pg.request.get(base_url + "/api/search?" + urlencode(
        {"q": TERM, "view": "reports", "limit": 20})).json()
    assert groups.count() == len(j["groups"])
    multi = [g for g in j["groups"] if g["count"] > 1]
    if multi:
        box = pg.locator(f"#group-{multi[0]['report_id']} details.group-more")
        box.locator("summary").click()
        expect(box.locator(".group-hit").first).to_be_visible()
    pg.click("#select-page")
    want = len({b for b in pg.locator("[data-excerpt]").evaluate_all(
        "els => els.map(e => e.getAttribute('data-excerpt'))")})
    import time
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        items = pg.evaluate("() => JSON.parse(localStorage.getItem('reportsearch.excerpts.v1')"
                            " || '[]')")
        if len(items) >= want:
            break
        pg.wait_for_timeout(200)
    assert len(items) == want
    assert pg.locator("#basket-count").inner_text() == str(want)


def test_browser_history_lists_recent_searches_and_reruns_one(pg, base_url):
    pg.goto(base_url + "/?" + urlencode({"q": TERM}))
    pg.goto(base_url + "/?" + urlencode({"q": "败诉率"}))
    pg.goto(base_url + "/")
    items = pg.locator("#history-list li a")
    assert items.all_inner_texts()[:2] == ["败诉率", TERM]
    items.nth(1).click()
    assert pg.input_value("#q") == TERM


# ---- published: filter and sort -----------------------------------------------------------

def _published_by_report(client) -> dict[str, str]:
    return {r["report_id"]: r.get("published") or "" for r in
            client.get("/api/reports").get_json()["reports"]}


@pytest.mark.parametrize("span,lo,hi", [
    ("2023", "2023-01-01", "2023-12-31"), ("2024-03", "2024-03-01", "2024-03-31"),
    ("2022-06-01..2024-02-29", "2022-06-01", "2024-02-29"), ("..2023-06-30", "", "2023-06-30"),
    ("2024-01..", "2024-01-01", ""),
])
def test_published_filter_keeps_exactly_the_reports_published_in_the_span(client, span, lo, hi):
    pub = _published_by_report(client)
    paras = all_paragraphs(client)
    want = {p["id"] for p in paras if p["id"].rsplit("-p", 1)[0] in pub
            and pub[p["id"].rsplit("-p", 1)[0]]
            and (not lo or pub[p["id"].rsplit("-p", 1)[0]] >= lo)
            and (not hi or pub[p["id"].rsplit("-p", 1)[0]] <= hi)
            and match_form("法治") in match_form(p["text"])}
    by_query = api(client, q=f"法治 published:{span}", limit=1000)
    by_param = api(client, q="法治", published=span, limit=1000)
    assert {h["id"] for h in by_query["hits"]} == want
    assert {h["id"] for h in by_param["hits"]} == want


def test_published_sort_orders_hits_by_date_undated_last(client):
    pub = _published_by_report(client)
    for sort, newest in (("published_desc", True), ("published_asc", False)):
        hits = api(client, q="法治", sort=sort, limit=1000)["hits"]
        dates = [pub[h["report_id"]] for h in hits]
        dated = [d for d in dates if d]
        assert dated == sorted(dated, reverse=newest)
        assert all(dates[i] for i in range(len(dated)))      # every undated hit comes after
        assert len(set(dated)) > 1


def test_bad_published_values_get_a_chinese_error(client):
    for bad in ("2023-02-30", "2024-13", "明年", "2024..2023"):
        resp = client.get("/api/search?" + urlencode({"q": "法治", "published": bad}))
        assert resp.status_code == 400
        assert "published" in resp.get_json()["error"] or "日期" in resp.get_json()["error"]


def test_browser_advanced_form_writes_the_query_it_runs(pg, base_url):
    from playwright.sync_api import expect
    pg.goto(base_url + "/")
    pg.click("#advanced summary")
    pg.fill("[data-adv='all']", "出庭应诉率")
    pg.fill("[data-adv='any']", "100% 95%")
    pg.fill("[data-adv='none']", "复议")
    pg.fill("[data-adv='year_from']", "2020")
    pg.fill("[data-adv='year_to']", "2024")
    pg.select_option("[data-adv='section']", "主要举措和成效")
    pg.fill("[data-adv='published_from']", "2021-01-01")
    written = pg.input_value("#adv-query")
    assert written == ("出庭应诉率 (100% OR 95%) -复议 section:主要举措和成效 year:2020-2024 "
                       "published:2021-01-01..")
    pg.click("#adv-submit")
    expect(pg.locator("#result-count")).to_be_visible()
    assert pg.input_value("#q") == written
    j = pg.request.get(base_url + "/api/search?" + urlencode({"q": written})).json()
    assert int(pg.locator("#result-count strong").first.inner_text()) == j["total"] > 0


# ---- cited documents ------------------------------------------------------------------------

def test_cited_names_normalize_one_law_to_one_name():
    from searcher.cited import cited_name, cited_names
    same = ["《中华人民共和国行政复议法》", "《行政复议法》", "《中华人民共和国行政复议法(2023年修订)》",
            "《中華人民共和國行政復議法》", "《行政复议法（修正）》"]
    assert {cited_name(t) for t in same} == {"行政复议法"}
    assert cited_name("《法治政府建设实施纲要（2021—2025年）》") == \
        cited_name("《法治政府建设实施纲要(2021-2025年)》")
    assert cited_name("《法治政府建设实施纲要(2015-2020年)》") != \
        cited_name("《法治政府建设实施纲要(2021-2025年)》")
    assert cited_names("依据《行政复议法》和《中华人民共和国行政复议法》，落实《信访工作条例》。") == \
        ["行政复议法", "信访工作条例"]


def test_cites_filter_and_facet_equal_a_scan_of_every_paragraph(client):
    from searcher.cited import cited_names
    paras = [p for p in all_paragraphs(client) if p.get("kind") != "report"]
    by_name: dict[str, set] = {}
    for p in paras:
        for n in cited_names(p["text"]):
            by_name.setdefault(n, set()).add(p["id"])
    assert by_name, "the test corpus cites documents"
    top = sorted(by_name, key=lambda n: -len(by_name[n]))[:5]
    for name in top:
        got = api(client, q=f'cites:"{name}"', limit=1000)
        assert {h["id"] for h in got["hits"]} == by_name[name], name
        by_param = api(client, q="法治", cites=name, limit=1000)
        want = {i for i in by_name[name] if match_form("法治") in
                match_form(next(p["text"] for p in paras if p["id"] == i))}
        assert {h["id"] for h in by_param["hits"]} == want
    res = api(client, q="法治", limit=1)
    mentions = {n: len({i for i in ids if match_form("法治") in
                        match_form(next(p["text"] for p in paras if p["id"] == i))})
                for n, ids in by_name.items()}
    for name, count in res["facets"]["cites"].items():
        assert mentions[name] == count, name


def test_report_page_lists_what_the_report_cites_with_search_links(client):
    from searcher.cited import cited_names
    for r in client.get("/api/reports").get_json()["reports"]:
        paras = client.get(f"/api/reports/{r['report_id']}").get_json()["paragraphs"]
        names = {n for p in paras for n in cited_names(p["text"])}
        if names:
            html = client.get(f"/reports/{r['report_id']}").get_data(as_text=True)
            assert 'id="cited"' in html and f"引用的文件（{len(names)}）" in html
            return
    pytest.fail("no report in the test corpus cites a document")
