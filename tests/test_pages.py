"""The HTML pages' markup through Flask's test client: title shown once, signature block,
outline, citations, folded file details and filters, the excerpt page's note choice.

The browser tests (test_browser.py) check how these look and behave; these check what the
server sends, for every report of the session corpus and for reports made up to reach the
cases the corpus lacks.
"""
from __future__ import annotations

import html as htmllib
import re
from html.parser import HTMLParser
from urllib.parse import urlencode

import pytest

from index.normalize import match_form
from web.views import display_file, report_layout, title_line_ids

TERM = "出庭应诉率"


def get(client, path, **params):
    resp = client.get(path + ("?" + urlencode(params, doseq=True) if params else ""))
    return resp, resp.get_data(as_text=True)


class Outline(HTMLParser):
    """Start tags with attributes, and the text inside elements with a given id or class."""

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.ids: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if attrs.get("id"):
            self.ids.append(attrs["id"])


def parse(html: str) -> Outline:
    p = Outline()
    p.feed(html)
    return p


def between(html: str, start: str, end: str) -> str:
    """The markup from the first `start` to the next `end` after it."""
    i = html.index(start)
    return html[i:html.index(end, i)]


def reports(client) -> list[dict]:
    return client.get("/api/reports").get_json()["reports"]


def report(client, rid: str) -> dict:
    return client.get(f"/api/reports/{rid}").get_json()


# ---- the title lines ------------------------------------------------------------------------

def _p(i, text, kind="heading", section="前言"):
    return {"id": f"r-p{i}", "kind": kind, "section": section, "text": text}


TITLE = "某某区人民政府关于2023年度法治政府建设情况的报告"


@pytest.mark.parametrize("paragraphs, expected", [
    ([_p(1, TITLE), _p(2, "正文。", "text")], ["r-p1"]),
    # the document's own two-line title
    ([_p(1, "某某区人民政府"), _p(2, "关于2023年度法治政府建设情况的报告"), _p(3, "正文", "text")],
     ["r-p1", "r-p2"]),
    # a portal headline that is not quite the title stays; the two lines after it go
    ([_p(1, "某某区关于2023年度法治政府建设情况的报告"), _p(2, "某某区人民政府"),
      _p(3, "关于2023年度法治政府建设情况的报告")], ["r-p2", "r-p3"]),
    # the title twice (headline and document), each spelled in full
    ([_p(1, TITLE), _p(2, "某某区人民政府"), _p(3, "关于2023年度法治政府建设情况的报告")],
     ["r-p1", "r-p2", "r-p3"]),
    # match form: spaces, full-width and Traditional forms do not matter
    ([_p(1, "某某區人民政府 關於２０２３年度法治政府建設情況的報告")], ["r-p1"]),
    # part of the title only: nothing is hidden
    ([_p(1, "某某区人民政府"), _p(2, "正文", "text")], []),
    ([_p(1, "某某区人民政府"), _p(2, "关于2023年度法治政府建设情况")], []),
    # not at the top: a heading after the body started, a text line, another section
    ([_p(1, "正文。", "text"), _p(2, TITLE)], []),
    ([_p(1, TITLE, "text")], []),
    ([_p(1, TITLE, section="主要举措和成效")], []),
    ([_p(1, TITLE + "（节选）")], []),
    ([], []),
])
def test_title_line_ids(paragraphs, expected):
    assert title_line_ids(paragraphs, TITLE) == expected


def test_no_title_hides_nothing():
    assert title_line_ids([_p(1, TITLE)], None) == []
    assert title_line_ids([_p(1, "")], "") == []


def test_every_report_page_shows_its_title_once_and_every_paragraph(client):
    for r in reports(client):
        full = report(client, r["report_id"])
        resp, html = get(client, f"/reports/{r['report_id']}")
        assert resp.status_code == 200
        h1 = re.sub(r'<span class="title-repeat.*?</span>', "",
                    between(html, '<h1 class="report-title"', "</h1>"), flags=re.S)
        article = between(html, '<article class="report"', "</article>")
        # the body without the references (they name the title, as references do)
        body = re.sub(r'<details class="cite">.*?</details>', "", article.split("</h1>", 1)[1],
                      flags=re.S)
        text = lambda s: match_form(htmllib.unescape(re.sub(r"<[^>]+>", "", s)).replace("¶", ""))
        assert text(h1) == match_form(full["title"]), r["report_id"]
        assert text(body).count(match_form(full["title"])) == 0, r["report_id"]
        ids = parse(article).ids
        for p in full["paragraphs"]:
            assert ids.count(p["id"]) == 1, p["id"]
        # a line is hidden from the body only when it is part of the title
        hidden = set(title_line_ids(full["paragraphs"], full["title"]))
        for p in full["paragraphs"]:
            assert (f'id="{p["id"]}"' in h1) == (p["id"] in hidden)


def test_the_two_line_title_of_the_yubei_report(client):
    full = report(client, "001_7e2a0cb5f5948dbb")
    first = full["paragraphs"][:4]
    _, html = get(client, "/reports/001_7e2a0cb5f5948dbb")
    h1 = between(html, '<h1 class="report-title"', "</h1>")
    in_title = [p for p in first if f'id="{p["id"]}"' in h1]
    assert "".join(match_form(p["text"]) for p in in_title) == match_form(full["title"])
    assert len(in_title) >= 1
    # a headline above them that is not quite the title is kept, above the heading
    before = between(html, '<article class="report"', '<h1 class="report-title"')
    for p in first[:full["paragraphs"].index(in_title[0])]:
        assert f'id="{p["id"]}"' in before and "hidden" not in before
        assert htmllib.escape(p["text"], quote=False) in before


def test_page_keeps_the_reports_order(client, searcher, edited):
    """Every paragraph id once, in the report's order (what bench/concurrency.py checks)."""
    for r in reports(client):
        full = report(client, r["report_id"])
        _, html = get(client, f"/reports/{r['report_id']}")
        ids = re.findall(r'\bid="([A-Za-z0-9][A-Za-z0-9_.-]*-p[0-9]+)"', html)
        assert ids == [p["id"] for p in full["paragraphs"]], r["report_id"]
    paras = [dict(p) for p in searcher.report("001_7e2a0cb5f5948dbb")["paragraphs"]]
    paras.insert(1, {**paras[0], "id": "001_7e2a0cb5f5948dbb-p900", "text": "无关的一行"})
    paras.insert(2, {**paras[0], "id": "001_7e2a0cb5f5948dbb-p901",
                     "text": "重庆市渝北区人民政府两路街道办事处关于2023年度法治政府建设情况的报告"})
    paras.insert(8, {**paras[8], "id": "001_7e2a0cb5f5948dbb-p902", "kind": "signature",
                     "section": "落款", "text": "某某办公室"})
    c = edited({"001_7e2a0cb5f5948dbb": made_up(searcher, paragraphs=paras, **{
        k: v for k, v in searcher.report("001_7e2a0cb5f5948dbb").items() if k != "paragraphs"})})
    _, html = get(c, "/reports/001_7e2a0cb5f5948dbb")
    ids = re.findall(r'\bid="([A-Za-z0-9][A-Za-z0-9_.-]*-p[0-9]+)"', html)
    assert ids == [p["id"] for p in paras]
    h1 = between(html, '<h1 class="report-title"', "</h1>")
    assert 'id="001_7e2a0cb5f5948dbb-p901" hidden' in h1, "a second spelling is an anchor only"


# ---- signature, outline, citations: made-up reports -------------------------------------------

class Edited:
    """The session searcher with some reports replaced (no index watching)."""

    def __init__(self, inner, changes: dict):
        self.inner, self.changes = inner, changes

    def report(self, report_id):
        if report_id in self.changes:
            return self.changes[report_id]
        return self.inner.report(report_id)

    def __getattr__(self, name):
        return getattr(self.inner, name)


@pytest.fixture()
def edited(searcher, web_config):
    from web.app import create_app

    def make(changes):
        return create_app(web_config, Edited(searcher, changes)).test_client()
    return make


def made_up(searcher, **changes) -> dict:
    base = dict(searcher.report("web_county_2022"))
    base.update(changes)
    return base


def test_signature_lines_come_after_the_body_right_aligned(client, searcher, edited):
    paras = [dict(p) for p in searcher.report("web_county_2022")["paragraphs"]]
    # the last two lines are the issuer and the date: the signature, filed at the end as the
    # index does; a signature line in the middle stays where it is, set right too
    for p in paras[-2:]:
        p.update(kind="signature", section="落款")
    paras.insert(5, {**paras[4], "id": "web_county_2022-p900", "kind": "signature",
                     "section": "落款", "text": "某某办公室"})
    c = edited({"web_county_2022": made_up(searcher, paragraphs=paras)})
    _, html = get(c, "/reports/web_county_2022")
    body = between(html, '<div class="report-body">', '<div class="signature" id="signature"')
    block = between(html, '<div class="signature" id="signature"', "</article>")
    for p in paras[-2:]:
        assert f'id="{p["id"]}"' in block and f'id="{p["id"]}"' not in body
        assert f'href="/p/{p["id"]}"' in block
    for p in paras[:-2]:
        assert f'id="{p["id"]}"' not in block
    assert block.count('class="para para-signature') == 2
    assert re.search(r'<div class="signature signature-inline"><p class="para para-signature" '
                     r'id="web_county_2022-p900"', body)
    css = client.get("/static/style.css").get_data(as_text=True)
    assert re.search(r"\.signature\s*\{[^}]*text-align:\s*right", css)


def test_section_luokuan_alone_makes_a_signature(searcher, edited):
    paras = [dict(p) for p in searcher.report("web_county_2022")["paragraphs"]]
    paras[-1].update(kind="text", section="落款")
    c = edited({"web_county_2022": made_up(searcher, paragraphs=paras)})
    _, html = get(c, "/reports/web_county_2022")
    assert f'id="{paras[-1]["id"]}"' in between(html, '<div class="signature"', "</article>")


def test_no_signature_no_block(searcher, edited):
    paras = [dict(p, kind=("text" if p["kind"] == "signature" else p["kind"]),
                  section=("其他" if p["section"] == "落款" else p["section"]))
             for p in searcher.report("web_county_2022")["paragraphs"]]
    c = edited({"web_county_2022": made_up(searcher, paragraphs=paras)})
    _, html = get(c, "/reports/web_county_2022")
    assert 'class="signature"' not in html


def test_outline_lists_the_headings_below_the_title(client):
    for r in reports(client):
        full = report(client, r["report_id"])
        _, html = get(client, f"/reports/{r['report_id']}")
        headings = [p for p in report_layout(full["paragraphs"], full["title"])["body"]
                    if p["kind"] == "heading"]
        if not headings:
            assert 'id="toc"' not in html
            continue
        toc = between(html, '<ol class="toc-list"', "</ol>")
        links = re.findall(r'<a href="#([^"]+)">(.*?)</a>', toc)
        assert [pid for pid, _ in links] == [p["id"] for p in headings]
        assert [htmllib.unescape(t) for _, t in links] == [p["text"] for p in headings]
        ids = parse(html).ids
        assert all(pid in ids for pid, _ in links)


def test_outline_and_title_are_escaped(searcher, edited):
    hostile = '<img src=x onerror="alert(1)">一、<b>加粗</b>'
    paras = [dict(p) for p in searcher.report("web_county_2022")["paragraphs"]]
    paras[0]["text"] = "某区<script>x</script>的报告"
    paras[2]["text"] = hostile
    c = edited({"web_county_2022": made_up(searcher, paragraphs=paras,
                                           title="某区<script>x</script>的报告")})
    resp, html = get(c, "/reports/web_county_2022")
    assert resp.status_code == 200
    assert "<script>x" not in html and "<img" not in html and "<b>" not in html
    assert "某区&lt;script&gt;x&lt;/script&gt;的报告" in between(html, "<h1", "</h1>")
    toc = between(html, '<ol class="toc-list"', "</ol>")
    assert hostile in htmllib.unescape(toc) and "<img" not in toc


def test_every_hit_and_paragraph_carries_its_citation(client):
    _, html = get(client, "/", q=TERM)
    hits = re.findall(r'<li class="hit" id="hit-([^"]+)".*?</li>\s*(?=<li class="hit"|</ol>)',
                      html, flags=re.S)
    assert hits
    for pid in hits:
        item = between(html, f'<li class="hit" id="hit-{pid}"', "</li>")
        cites = re.findall(r'<span class="cite-text">(.*?)</span>', item, flags=re.S)
        want = client.get(f"/api/paragraphs/{pid}").get_json()["citation"]
        assert [htmllib.unescape(c) for c in cites] == [want]
        assert '<details class="cite">' in item, "collapsed"
    full = report(client, "web_county_2022")
    _, html = get(client, "/reports/web_county_2022")
    for p in full["paragraphs"]:
        if p["kind"] != "text":
            continue
        para = between(html, f'<div class="para" id="{p["id"]}"', '<button class="act cite-copy"')
        cite = re.search(r'<span class="cite-text">(.*?)</span>', para, flags=re.S).group(1)
        want = p.get("citation") or client.get(f"/api/paragraphs/{p['id']}").get_json()["citation"]
        assert htmllib.unescape(cite) == want


# ---- search page ------------------------------------------------------------------------------

def test_whole_paragraph_is_offered_only_when_the_snippet_is_shorter(client):
    data = client.get("/api/search?" + urlencode({"q": "法治", "limit": 20})).get_json()
    _, html = get(client, "/", q="法治")
    cut = [h for h in data["hits"] if h["snippet"] != h["highlight"]]
    assert cut, "the corpus has long paragraphs"
    for h in data["hits"]:
        item = between(html, f'<li class="hit" id="hit-{h["id"]}"', "</li>")
        assert ('class="hit-full"' in item) == (h in cut)
        if h in cut:
            assert f'<p class="hit-text">{h["highlight"]}</p>' in item
            assert item.count('class="hit-snippet"') == 1


def test_filters_fold_under_a_button_before_the_layout(client):
    for path, params in (("/", {"q": TERM}), ("/reports", {})):
        _, html = get(client, path, **params)
        toggle = html.index('<input class="toggle-input filters-toggle" type="checkbox" '
                            'id="filters-toggle"')
        assert toggle < html.index('<div class="layout">')
        assert 'for="filters-toggle"' in html and 'id="facets"' in html
    _, html = get(client, "/", q=TERM, year="2022")
    assert "（已选 1）" in html
    _, html = get(client, "/")
    assert 'id="filters-toggle"' not in html, "no filters on the landing page"


# ---- reports list -----------------------------------------------------------------------------

def test_reports_list_keeps_file_details_and_repair_notes_folded(client):
    _, html = get(client, "/reports")
    table = between(html, '<table class="report-table"', "</table>")
    for r in reports(client):
        row = between(table, f'<td><a href="/reports/{r["report_id"]}"', "</tr>")
        name = display_file(r)
        folded = between(row, '<details class="file-info">', "</details>")
        assert htmllib.escape(name) in folded
        assert htmllib.escape(name) not in row.replace(folded, ""), "only behind the toggle"
        for value in (r["issuer"], r["level"], r["province"], str(r["year"])):
            assert value in row
    sidecar = between(html, '<details class="notice sidecar" id="sidecar">', "</details>")
    assert "NAME.yaml" in sidecar and "<summary>" in sidecar
    assert "<th>文件</th>" in html
    assert 'class="card-sort"' in html, "sorting without the table head, on a phone"


def test_reports_list_shows_notes_the_index_keeps(searcher, web_config):
    from web.app import create_app
    records = [dict(r) for r in searcher.reports()]
    records[0]["notes"] = ["修复了乱码的第 3 段", "<b>原文缺少落款</b>"]

    class WithNotes(Edited):
        def reports(self):
            return records
    c = create_app(web_config, WithNotes(searcher, {})).test_client()
    _, html = get(c, "/reports")
    row = between(html, f'<td><a href="/reports/{records[0]["report_id"]}"', "</tr>")
    folded = between(row, '<details class="file-info">', "</details>")
    assert "2 条说明" in folded and "修复了乱码的第 3 段" in folded
    assert "&lt;b&gt;原文缺少落款&lt;/b&gt;" in folded and "<b>" not in html


def test_display_file():
    assert display_file({"file": "/srv/corpus/a/000_x.txt"}) == "000_x.txt"
    assert display_file({"file": "C:\\reports\\b.docx"}) == "b.docx"
    assert display_file({"file": "浙江/温州/report.html"}) == "浙江/温州/report.html"
    assert display_file({}) == ""


def test_original_file_found_from_a_display_name(searcher, edited, corpus_dir):
    relative = made_up(searcher, file="web_county_2022.txt")
    relative.pop("path", None)
    c = edited({"web_county_2022": relative,
                "web_county_2023": made_up(searcher, file="../../etc/passwd", path=None),
                "web_department_2023": made_up(searcher, file="/no/such/file.txt", path=None)})
    resp = c.get("/reports/web_county_2022/original")
    assert resp.status_code == 200
    assert resp.get_data() == (corpus_dir / "web_county_2022.txt").read_bytes()
    assert c.get("/reports/web_county_2023/original").status_code == 404
    assert c.get("/reports/web_department_2023/original").status_code == 404


# ---- excerpts page and CSP ----------------------------------------------------------------------

def test_excerpts_page_offers_footnotes_or_a_reference_list(client):
    _, html = get(client, "/excerpts")
    radios = [a for t, a in parse(html).tags if t == "input" and a.get("name") == "notes"]
    assert [a["value"] for a in radios] == ["footnote", "list"]
    assert "checked" in radios[0]
    assert "脚注" in html and "文末参考文献" in html


def test_new_pages_keep_the_csp_rules(client):
    for path in ("/reports", "/reports/001_7e2a0cb5f5948dbb", f"/reports/web_county_2022?q={TERM}",
                 f"/?q={TERM}", "/excerpts"):
        resp = client.get(path)
        assert "unsafe-inline" not in resp.headers["Content-Security-Policy"]
        for tag, attrs in parse(resp.get_data(as_text=True)).tags:
            assert "style" not in attrs and not any(a.startswith("on") for a in attrs), (path, tag)
            assert tag != "script" or attrs.get("src", "").startswith("/static/")


# ---- error sentences ----------------------------------------------------------------------------

@pytest.mark.parametrize("q", ['"出庭', "-", "year:", "(法治", "法治)", "year:abc",
                               "year:2023-2020", "city:重庆"])
def test_error_sentences_have_no_space_before_the_full_stop(client, q):
    resp, html = get(client, "/", q=q)
    assert resp.status_code == 400
    message = re.search(r'<section class="notice notice-error" id="search-error".*?<p>(.*?)</p>',
                        html, flags=re.S).group(1)
    assert not re.search(r"\s。", htmllib.unescape(message)), message
