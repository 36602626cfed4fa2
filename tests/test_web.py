"""The web app through Flask's test client: every route, every error case, escaping, export."""
from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from lxml import etree

from index.normalize import match_form

TERM = "出庭应诉率"


# ---- helpers ------------------------------------------------------------------------------

def page(client, path, **params):
    resp = client.get(path + ("?" + urlencode(params, doseq=True) if params else ""))
    return resp, resp.get_data(as_text=True)


def all_paragraphs(client) -> list[dict]:
    out = []
    for r in client.get("/api/reports").get_json()["reports"]:
        out += client.get(f"/api/reports/{r['report_id']}").get_json()["paragraphs"]
    return out


class Tags(HTMLParser):
    """Every start tag with its attributes, and the text inside elements with given classes."""

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def tags_of(html: str) -> list[tuple[str, dict]]:
    parser = Tags()
    parser.feed(html)
    return parser.tags


def inner_html(html: str, css_class: str) -> list[str]:
    """The inner HTML of <p class="css_class"> elements (no nested <p> in our markup)."""
    return re.findall(rf'<p class="{css_class}">(.*?)</p>', html, flags=re.S)


def hit_ids(html: str) -> list[str]:
    return re.findall(r'<li class="hit" id="hit-([^"]+)"', html)


# ---- search page ----------------------------------------------------------------------------

def test_search_page_lists_every_paragraph_containing_the_phrase_with_marks(client):
    resp, html = page(client, "/", q=TERM)
    assert resp.status_code == 200
    expected = {p["id"] for p in all_paragraphs(client) if match_form(TERM) in match_form(p["text"])}
    assert expected and set(hit_ids(html)) == expected
    assert f"共 <strong>{len(expected)}</strong> 段" in html
    snippets = inner_html(html, "hit-snippet")
    assert len(snippets) == len(expected)
    assert all(f"<mark>{TERM}</mark>" in s for s in snippets)
    for action in ("查看原文", "复制引用", "加入摘录"):
        assert html.count(action) >= len(expected)


def test_full_width_and_half_width_forms_find_each_other(client):
    half = {h["id"] for h in client.get("/api/search?" + urlencode({"q": "100%"})).get_json()["hits"]}
    full = {h["id"] for h in client.get("/api/search?" + urlencode({"q": "１００％"})).get_json()["hits"]}
    # one composed report writes １００％ in full-width, the other reports 100% in half-width
    assert half and half == full
    texts = {p["id"]: p["text"] for p in all_paragraphs(client)}
    assert half == {pid for pid, t in texts.items() if "100%" in match_form(t)}


def test_year_facet_narrows_results_and_shows_a_removable_chip(client):
    _, all_html = page(client, "/", q=TERM)
    resp, html = page(client, "/", q=TERM, year="2022")
    assert resp.status_code == 200
    ids = hit_ids(html)
    years = {client.get(f"/api/paragraphs/{pid}").get_json()["year"] for pid in ids}
    assert ids and years == {2022}
    assert len(ids) < len(hit_ids(all_html))
    chip = re.search(r'<a class="chip" href="([^"]+)"[^>]*>年度：2022', html)
    assert chip, "active filter shown as a chip"
    assert "year" not in parse_qs(urlsplit(chip.group(1).replace("&amp;", "&")).query)
    # the facet link of a selected value removes it; an unselected one adds it
    links = dict(re.findall(r'href="([^"]+)"\s+data-facet-value="(\d{4})"', html))
    by_value = {v: h.replace("&amp;", "&") for h, v in links.items()}
    assert parse_qs(urlsplit(by_value["2022"]).query).get("year") is None
    assert sorted(parse_qs(urlsplit(by_value["2023"]).query)["year"]) == ["2022", "2023"]


def test_search_state_is_in_the_url_and_pagination_pages_through(client):
    total = client.get("/api/search?q=法治").get_json()["total"]
    assert total > 20, "the session corpus has more than one page of 法治"
    _, first = page(client, "/", q="法治")
    _, second = page(client, "/", q="法治", page="2")
    assert len(hit_ids(first)) == 20
    assert not set(hit_ids(first)) & set(hit_ids(second))
    assert 'rel="next"' in first and "page=2" in first
    _, sorted_html = page(client, "/", q="法治", sort="year_asc", mode="fuzzy")
    assert 'value="year_asc" selected' in sorted_html
    assert 'value="fuzzy" checked' in sorted_html


def test_search_box_keeps_filters_and_is_focused(client):
    _, html = page(client, "/", q=TERM, province="浙江")
    form = html.split('id="search-form"', 1)[1].split("</form>", 1)[0]
    assert '<input type="hidden" name="province" value="浙江">' in form
    assert re.search(r'<input class="q"[^>]*autofocus', html)


def test_landing_page_without_query(client):
    resp, html = page(client, "/")
    assert resp.status_code == 200
    assert "已收录" in html and 'class="hit"' not in html


def test_empty_state_suggests_removing_filters_and_fuzzy_mode(client):
    resp, html = page(client, "/", q="这是一段不会出现的文字", year="2022")
    assert resp.status_code == 200
    assert 'id="empty-state"' in html
    assert "去掉全部筛选" in html and "改用模糊检索" in html


@pytest.mark.parametrize("params, status", [
    ({"q": '"出庭应诉'}, 400),                 # unbalanced quote
    ({"q": "-出庭"}, 400),                      # only an exclusion
    ({"q": TERM, "mode": "regex"}, 400),
    ({"q": TERM, "sort": "random"}, 400),
    ({"q": TERM, "page": "0"}, 400),
    ({"q": TERM, "page": "abc"}, 400),
    ({"q": TERM, "province": "火星"}, 400),
    ({"q": "法" * 501}, 413),
])
def test_bad_search_shows_a_clear_error(client, params, status):
    resp, html = page(client, "/", **params)
    assert resp.status_code == status
    assert "notice-error" in html
    assert "Traceback" not in html


def test_query_and_report_text_are_escaped_only_our_marks_are_markup(client):
    hostile = '<script>alert("q")</script>'
    _, html = page(client, "/", q=hostile)
    assert hostile not in html and "&lt;script&gt;" in html
    _, html = page(client, "/", q="加粗")
    snippets = inner_html(html, "hit-snippet")
    assert snippets
    for s in snippets:
        assert {t for t, _ in tags_of(s)} <= {"mark"}
        assert "&lt;script&gt;" in s or "&lt;b&gt;" in s


def test_every_page_has_csp_and_no_inline_script_or_handler(client):
    paths = ["/", f"/?{urlencode({'q': TERM})}", "/reports", "/excerpts",
             "/reports/web_county_2022?" + urlencode({"q": TERM}), "/nope"]
    for path in paths:
        resp = client.get(path)
        csp = resp.headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        for tag, attrs in tags_of(resp.get_data(as_text=True)):
            assert not any(a.startswith("on") for a in attrs), (path, tag, attrs)
            assert "style" not in attrs, (path, tag)
            if tag == "script":
                assert attrs.get("src", "").startswith("/static/"), path
            if tag in ("link", "script", "img") and (attrs.get("href") or attrs.get("src")):
                url = attrs.get("href") or attrs.get("src")
                assert not url.startswith(("http:", "https:", "//")), "no outside assets"


def test_static_assets_are_served_from_the_package(client):
    for name in ("style.css", "app.js"):
        resp = client.get(f"/static/{name}")
        assert resp.status_code == 200 and resp.data


# ---- report page ----------------------------------------------------------------------------

def test_report_page_shows_structure_metadata_and_anchors(client):
    report = client.get("/api/reports/web_county_2022").get_json()
    resp, html = page(client, "/reports/web_county_2022")
    assert resp.status_code == 200
    for p in report["paragraphs"]:
        assert f'id="{p["id"]}"' in html
    for p in report["paragraphs"][1:]:
        assert f'href="/p/{p["id"]}"' in html
    headings = [p for p in report["paragraphs"] if p["kind"] == "heading"]
    assert re.search(r"<h[234] class=\"para para-heading", html)
    assert len(re.findall(r"<h[234] class=\"para para-heading", html)) >= len(headings) - 1
    assert '<table class="meta-table">' in html and report["issuer"] in html
    assert "<mark>" not in html


def test_report_page_links_the_original_file(client):
    path = client.application.extensions["reportsearch.searcher"].report("web_county_2022")["file"]
    _, html = page(client, "/reports/web_county_2022")
    assert 'href="/reports/web_county_2022/original"' in html
    resp = client.get("/reports/web_county_2022/original")
    assert resp.status_code == 200
    with open(path, "rb") as f:
        assert resp.get_data() == f.read()
    assert client.get("/reports/..%2Fsecret/original").status_code == 404
    assert client.get("/reports/no_such_report/original").status_code == 404


def test_report_page_marks_the_query_throughout(client):
    report = client.get("/api/reports/web_county_2022").get_json()
    containing = [p for p in report["paragraphs"] if TERM in p["text"]]
    _, html = page(client, "/reports/web_county_2022", q=TERM)
    assert html.count(f"<mark>{TERM}</mark>") == sum(p["text"].count(TERM) for p in containing)
    assert f"本报告中有 <strong>{len(containing)}</strong> 段" in html


def test_report_page_escapes_hostile_text(client):
    _, html = page(client, "/reports/web_county_2022")
    assert "<script>alert" not in html and "&lt;script&gt;alert" in html
    _, html = page(client, "/reports/web_county_2022", q="<script>")
    assert "<script>alert" not in html
    assert "<mark>&lt;script&gt;</mark>alert" in html


def test_report_page_links_the_same_issuers_other_years(client):
    _, html = page(client, "/reports/web_county_2022")
    assert 'href="/reports/web_county_2023"' in html
    _, html = page(client, "/reports/web_department_2023")
    assert "同一机关的其他报告" not in html


@pytest.mark.parametrize("path", ["/reports/no_such_report", "/reports/..%2F..%2Fetc%2Fpasswd",
                                  "/reports/-bad", "/p/no_such_report-p1", "/p/web_county_2022-p9999",
                                  "/p/not-a-paragraph-id", "/p/..%2Fx-p1"])
def test_unknown_or_malformed_ids_are_404_pages(client, path):
    resp = client.get(path)
    assert resp.status_code == 404
    assert "notice-error" in resp.get_data(as_text=True)


def test_permalink_redirects_to_the_paragraph_in_its_report(client):
    resp = client.get("/p/web_county_2022-p5")
    assert resp.status_code == 302
    assert resp.headers["Location"].endswith("/reports/web_county_2022#web_county_2022-p5")
    resp = client.get("/p/web_county_2022-p5?" + urlencode({"q": TERM}))
    loc = urlsplit(resp.headers["Location"])
    assert loc.fragment == "web_county_2022-p5" and parse_qs(loc.query)["q"] == [TERM]


# ---- reports list -----------------------------------------------------------------------------

def test_reports_list_shows_every_report_and_explains_sidecars(client):
    reports = client.get("/api/reports").get_json()["reports"]
    resp, html = page(client, "/reports")
    assert resp.status_code == 200
    for r in reports:
        assert f'href="/reports/{r["report_id"]}"' in html
    assert "NAME.yaml" in html and "published" in html


def test_reports_list_filters_and_sorts(client):
    reports = client.get("/api/reports").get_json()["reports"]
    departments = [r for r in reports if r["issuer_type"] == "部门"]
    _, html = page(client, "/reports", issuer_type="部门")
    listed = re.findall(r'<td><a href="/reports/([^"]+)"', html)
    assert sorted(listed) == sorted(r["report_id"] for r in departments)
    _, html = page(client, "/reports", sort="year_asc")
    listed = re.findall(r'<td><a href="/reports/([^"]+)"', html)
    years = {r["report_id"]: r["year"] or 0 for r in reports}
    assert [years[i] for i in listed] == sorted(years[i] for i in listed)
    resp, _ = page(client, "/reports", sort="bogus")
    assert resp.status_code == 400
    wenzhou = sorted(r["report_id"] for r in reports if r["city"] == "温州")
    _, html = page(client, "/reports")
    assert f'href="/reports?{urlencode({"city": "温州"})}"' in html, "a city links to its reports"
    _, html = page(client, "/reports", city="温州")
    assert sorted(re.findall(r'<td><a href="/reports/([^"]+)"', html)) == wenzhou
    assert "城市：温州" in html


def test_reports_list_pages_through_a_large_corpus(client, monkeypatch):
    from web import views
    monkeypatch.setattr(views, "REPORTS_PER_PAGE", 3)
    total = client.get("/api/reports").get_json()["total"]
    seen = []
    for n in range(1, -(-total // 3) + 1):
        resp, html = page(client, "/reports", page=str(n))
        assert resp.status_code == 200
        seen += re.findall(r'<td><a href="/reports/([^"]+)"', html)
    assert len(seen) == len(set(seen)) == total
    assert 'rel="next"' in page(client, "/reports")[1]
    assert page(client, "/reports", page="99")[0].status_code == 400


def test_excerpts_page_has_export_links_and_no_server_state(client):
    resp, html = page(client, "/excerpts")
    assert resp.status_code == 200
    for ext in ("docx", "txt", "md"):
        assert f'id="export-{ext}"' in html


# ---- JSON API -------------------------------------------------------------------------------

def test_api_search_is_the_searchers_output(client, searcher):
    from searcher.similar import hit_similar_counts, similar_index

    similar_index(searcher)         # built: the API then gives the counts (null before)
    data = client.get("/api/search?" + urlencode({"q": TERM, "year": "2023", "limit": 3})).get_json()
    want = searcher.search(TERM, filters={"year": ["2023"]}, limit=3)
    # the API adds to each hit of the page in how many other reports it appears
    assert data == dict(want, hits=hit_similar_counts(searcher, want["hits"]))
    assert data["total"] >= len(data["hits"]) and len(data["hits"]) <= 3


def test_api_search_pages_like_the_search_page(client):
    by_offset = client.get("/api/search?" + urlencode({"q": "法治", "limit": 5, "offset": 5}))
    by_page = client.get("/api/search?" + urlencode({"q": "法治", "limit": 5, "page": 2}))
    assert by_page.get_json() == by_offset.get_json()
    assert len(by_page.get_json()["hits"]) == 5


@pytest.mark.parametrize("params, status", [
    ({}, 400),
    ({"q": TERM, "limit": "0"}, 400),
    ({"q": TERM, "limit": "1001"}, 400),
    ({"q": TERM, "limit": "ten"}, 400),
    ({"q": TERM, "offset": "-1"}, 400),
    ({"q": TERM, "mode": "regex"}, 400),
    ({"q": TERM, "year": "twenty"}, 400),
    ({"q": 'year:"'}, 400),
    ({"q": "法" * 501}, 413),
])
def test_api_search_errors_are_json(client, params, status):
    resp = client.get("/api/search?" + urlencode(params))
    assert resp.status_code == status
    body = resp.get_json()
    assert set(body) == {"error"} and body["error"] and "Traceback" not in body["error"]


def test_oversized_url_is_414(client):
    resp = client.get("/api/search?q=x&pad=" + "a" * 20000)
    assert resp.status_code == 414 and "error" in resp.get_json()
    assert client.get("/?pad=" + "a" * 20000).status_code == 414


def test_api_paragraph_has_citation_and_neighbours(client):
    p = client.get("/api/paragraphs/web_county_2022-p5").get_json()
    assert p["report_id"] == "web_county_2022" and TERM in p["text"]
    assert p["prev_id"] == "web_county_2022-p4" and p["next_id"] == "web_county_2022-p6"
    assert "温州市鹿城区人民政府" in p["citation"] and p["title"] in p["citation"]
    assert client.get("/api/paragraphs/web_county_2022-p999").status_code == 404
    bad = client.get("/api/paragraphs/..%2Fetc")
    assert bad.status_code == 404 and "error" in bad.get_json()


def test_api_reports(client):
    data = client.get("/api/reports").get_json()
    assert data["total"] == len(data["reports"]) == 8
    assert all("paragraph_count" in r for r in data["reports"])
    one = client.get("/api/reports/web_department_2023").get_json()
    assert one["issuer_type"] == "部门" and one["paragraphs"]
    missing = client.get("/api/reports/nope")
    assert missing.status_code == 404 and "nope" in missing.get_json()["error"]


def test_api_unknown_route_and_method_are_json(client):
    resp = client.get("/api/nothing")
    assert resp.status_code == 404 and "error" in resp.get_json()
    resp = client.post("/api/search", data={"q": TERM})
    assert resp.status_code == 405 and "error" in resp.get_json()


def test_export_docx_has_excerpts_in_order_with_citations(client):
    import docx
    ids = ["web_county_2023-p5", "web_county_2022-p5"]
    resp = client.get("/api/export.docx?ids=" + ",".join(ids))
    assert resp.status_code == 200
    assert "attachment" in resp.headers["Content-Disposition"]
    document = docx.Document(io.BytesIO(resp.data))
    text = [p.text for p in document.paragraphs]
    expected = [client.get(f"/api/paragraphs/{pid}").get_json() for pid in ids]
    positions = [text.index(e["text"]) for e in expected]
    assert positions == sorted(positions), "excerpts keep the basket's order"
    W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    notes = {n.get(W + "id"): "".join(t.text for t in n.iter(W + "t")).strip()
             for n in etree.fromstring(zipfile.ZipFile(io.BytesIO(resp.data))
                                       .read("word/footnotes.xml")).iter(W + "footnote")}
    for e, pos in zip(expected, positions):
        (ref,) = document.paragraphs[pos]._p.xpath(".//w:footnoteReference/@w:id")
        assert notes[ref] == e["citation"], "each excerpt carries its citation as a footnote"
    normal = document.styles["Normal"].element.rPr.rFonts
    assert normal.get(W + "eastAsia") == "仿宋_GB2312"
    headings = [p for p in document.paragraphs if p.style.name.startswith(("Heading", "Title"))]
    assert len(headings) >= len(ids) + 1


def test_export_docx_can_list_the_citations_at_the_end(client):
    import docx
    ids = ["web_county_2023-p5", "web_county_2022-p5"]
    resp = client.get("/api/export.docx?notes=list&ids=" + ",".join(ids))
    assert resp.status_code == 200
    assert "word/footnotes.xml" not in zipfile.ZipFile(io.BytesIO(resp.data)).namelist()
    text = [p.text for p in docx.Document(io.BytesIO(resp.data)).paragraphs]
    for n, pid in enumerate(ids, 1):
        cite = client.get(f"/api/paragraphs/{pid}").get_json()["citation"]
        assert f"[{n}] {cite}" in text
    bad = client.get("/api/export.docx?notes=endnote&ids=" + ids[0])
    assert bad.status_code == 400 and "footnote" in bad.get_json()["error"]


def test_export_text_and_markdown(client):
    ids = "web_county_2022-p9,web_county_2022-p5"
    txt = client.get(f"/api/export.txt?ids={ids}")
    md = client.get(f"/api/export.md?ids={ids}")
    assert txt.status_code == md.status_code == 200
    hostile = client.get("/api/paragraphs/web_county_2022-p9").get_json()
    assert "<script>" in hostile["text"]
    body = txt.get_data(as_text=True)
    assert hostile["text"] in body and hostile["citation"] in body
    assert body.index(hostile["text"]) < body.index(TERM)
    mdbody = md.get_data(as_text=True)
    assert "<script>" not in mdbody, "report text is escaped in Markdown"
    assert "> " in mdbody and "——" in mdbody


@pytest.mark.parametrize("query, status", [
    ("", 400), ("ids=", 400), ("ids=../../etc/passwd", 400), ("ids=nope-p1", 404),
    ("ids=" + ",".join(f"web_county_2022-p{i}" for i in range(1, 202)), 413),
])
def test_export_errors(client, query, status):
    resp = client.get("/api/export.docx?" + query)
    assert resp.status_code == status and resp.get_json()["error"]


def test_export_error_followed_from_a_browser_is_a_page(client):
    resp = client.get("/api/export.docx?ids=nope-p1",
                      headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert resp.status_code == 404 and resp.mimetype == "text/html"
    html = resp.get_data(as_text=True)
    assert "nope-p1" in html and 'href="/excerpts"' in html
    assert client.get("/api/export.docx?ids=nope-p1",
                      headers={"Accept": "*/*"}).get_json()["error"]


def test_user_input_never_causes_a_500(client):
    nasty = ["\x00", "%", "\\", "''", '"', "()", "OR", "AND OR", "-", "year:", "year:3000",
             "province:", ":", "*", "\ud800".encode("utf-8", "surrogatepass").decode("utf-8", "replace"),
             "a" * 500, "　", "𠀀", "<>&", "title:\"", "((((", "NOT"]
    for q in nasty:
        for mode in ("exact", "fuzzy"):
            for path in ("/", "/api/search", "/reports/web_county_2022"):
                resp = client.get(path + "?" + urlencode({"q": q, "mode": mode}))
                assert resp.status_code < 500, (path, q, mode)


def test_unexpected_errors_are_one_sentence_not_a_stack_trace(web_config):
    from web.app import create_app

    class Broken:
        def search(self, *a, **k):
            raise RuntimeError("secret internal detail")

        def reports(self):
            raise RuntimeError("secret internal detail")

    client = create_app(web_config, Broken()).test_client()
    resp = client.get("/api/search?q=x")
    assert resp.status_code == 500
    assert "secret" not in resp.get_data(as_text=True) and resp.get_json()["error"]
    resp = client.get("/")
    assert resp.status_code == 500 and "secret" not in resp.get_data(as_text=True)


def test_app_picks_up_a_reindex_without_restart(tmp_path, web_config):
    from conftest import COMPOSED

    from index.writer import update_index
    from web.app import create_app
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(COMPOSED["web_county_2022.txt"], encoding="utf-8")
    config = dict(web_config, index_dir=str(tmp_path / "ix"),
                  web=dict(web_config["web"], reload_seconds=0))
    update_index([str(corpus)], config["index_dir"], config)
    client = create_app(config).test_client()
    assert client.get("/api/reports").get_json()["total"] == 1
    (corpus / "b.txt").write_text(COMPOSED["web_county_2023.txt"], encoding="utf-8")
    update_index([str(corpus)], config["index_dir"], config)
    assert client.get("/api/reports").get_json()["total"] == 2
    assert 'href="/reports/b"' in client.get("/reports/a").get_data(as_text=True)


# ---- serving -----------------------------------------------------------------------------------

def test_access_log_writes_one_line_per_request(app):
    from werkzeug.test import Client

    from web.serve import AccessLog
    out = io.StringIO()
    client = Client(AccessLog(app, out))
    client.get("/api/reports")
    client.get("/reports/nope")
    lines = out.getvalue().splitlines()
    assert len(lines) == 2
    assert "GET /api/reports 200" in lines[0] and "GET /reports/nope 404" in lines[1]


def test_serve_builds_a_missing_index_and_binds_to_localhost(tmp_path, web_config, monkeypatch,
                                                               capsys):
    import waitress

    from web import serve as serve_mod
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    from conftest import COMPOSED
    (corpus / "one.txt").write_text(COMPOSED["web_department_2023.txt"], encoding="utf-8")
    (corpus / "stub.txt").write_text("页面不存在\n返回首页\n", encoding="utf-8")
    # port 0: the system picks a free port (serve binds the socket itself, then hands it over)
    config = dict(web_config, corpus=[str(corpus)], index_dir=str(tmp_path / "ix"),
                  web={**web_config["web"], "port": 0})
    seen = {}

    class FakeServer:
        effective_port = 5999

        def run(self):
            seen["ran"] = True

        def close(self):
            pass

    def fake_create_server(app, **kw):
        seen.update(kw, app=app)
        return FakeServer()

    monkeypatch.setattr(waitress, "create_server", fake_create_server)
    assert serve_mod.serve(config) == 0
    assert seen["sockets"][0].getsockname()[0] == "127.0.0.1" and seen["ran"]
    err = capsys.readouterr().err
    assert "正在从" in err and "索引建立完成" in err and "已处理 2/2" in err
    assert re.search(r"未能索引 .*stub\.txt：\S", err), "a file that fails is named with its reason"
    assert (tmp_path / "ix").is_dir()
    client = seen["app"].app.test_client()
    assert client.get("/api/reports").get_json()["total"] == 1
    # second run: the index exists, nothing is rebuilt
    assert serve_mod.serve(config, host="0.0.0.0", port=0) == 0
    assert seen["sockets"][0].getsockname()[0] == "0.0.0.0"
    assert "正在从" not in capsys.readouterr().err


def test_every_place_that_takes_a_filter_takes_the_same_spellings(client, searcher, capsys,
                                                                   web_config):
    """浙江省 / 浙江, 县 / 县级: the reports list, the search API and the CLI agree."""
    from web.cli import main
    reports = client.get("/api/reports").get_json()
    reports = reports.get("reports", reports) if isinstance(reports, dict) else reports
    with_place = [r for r in reports if r.get("province") and r.get("level")]
    assert with_place
    r = with_place[0]
    short_level = r["level"].rstrip("级")
    spellings = {"province": (r["province"], r["province"] + ("省" if len(r["province"]) == 2
                                                               else "")),
                 "level": (r["level"], short_level)}
    for name, (canonical, typed) in spellings.items():
        want = sum(1 for x in reports if x.get(name) == canonical)
        page = client.get(f"/reports?{name}={typed}").get_data(as_text=True)
        assert f"符合条件 <strong>{want}</strong> /" in page, (name, typed)
        assert client.get(f"/api/search?q=法治&{name}={typed}").get_json()["total"] == \
            client.get(f"/api/search?q=法治&{name}={canonical}").get_json()["total"] > 0
        assert main(["search", "法治", f"--{name}", typed, "--json", "--index-dir",
                     web_config["index_dir"]]) == 0
        got = json.loads(capsys.readouterr().out)["total"]
        assert got == client.get(f"/api/search?q=法治&{name}={canonical}").get_json()["total"]
    assert client.get("/reports?level=火星").status_code == 400


def test_no_response_names_a_path_on_the_server(client):
    searcher = client.application.extensions["reportsearch.searcher"]
    folders = {str(Path(r["file"]).resolve().parent) for r in searcher.reports()}
    some = searcher.reports()[0]["report_id"]
    pid = client.get(f"/api/reports/{some}").get_json()["paragraphs"][0]["id"]
    for url in ("/api/reports", f"/api/reports/{some}", f"/api/paragraphs/{pid}",
                f"/api/search?q={TERM}", "/reports", f"/reports/{some}", f"/?q={TERM}"):
        body = client.get(url).get_data(as_text=True)
        assert not any(folder in body for folder in folders), url
