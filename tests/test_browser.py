"""End to end in a real headless Chromium: the app served by waitress on a free local port.

Debian's /usr/bin/chromium is driven by Playwright (never `playwright install`). Skipped only
when that browser is absent and CI is not set; in CI these tests must run.
"""
from __future__ import annotations

import io
import os
import re
import tempfile
import threading
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
# The README's pictures are taken by these tests; they are written into docs/ only when asked
# (REPORTSEARCH_SCREENSHOTS=1), so a test run leaves the working tree as it was.
DOCS = (Path(__file__).resolve().parent.parent / "docs" if os.environ.get("REPORTSEARCH_SCREENSHOTS")
        else Path(tempfile.mkdtemp(prefix="screenshots-")))
SCREENSHOT = DOCS / "screenshot.png"
SCREENSHOT_MOBILE = DOCS / "screenshot-mobile.png"
TERM = "出庭应诉率"
DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}

if not Path(CHROMIUM).exists() and not os.environ.get("CI"):
    pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium); "
                "browser tests run whenever it is, and always in CI", allow_module_level=True)

from playwright.sync_api import expect, sync_playwright  # noqa: E402  (after the skip on purpose)


@pytest.fixture(scope="module")
def base_url(app):
    """The real app under waitress on 127.0.0.1 and a free port, in a background thread."""
    import waitress
    server = waitress.create_server(app, host="127.0.0.1", port=0, threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.effective_port}"
    server.close()
    thread.join(timeout=5)


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def _open(browser, base_url, **options):
    context = browser.new_context(locale="zh-CN", accept_downloads=True, **options)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base_url)
    pg = context.new_page()
    pg.set_default_timeout(10_000)
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    pg.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    return context, pg, errors


@pytest.fixture()
def page(browser, base_url):
    """A desktop window, 1366×768."""
    context, pg, errors = _open(browser, base_url, viewport=DESKTOP)
    yield pg
    context.close()
    assert not errors, f"JavaScript errors or CSP violations: {errors}"


@pytest.fixture()
def phone(browser, base_url):
    """A phone, 390×844: a touch screen without hover, as the pages meet it on a phone."""
    context, pg, errors = _open(browser, base_url, viewport=PHONE, is_mobile=True,
                                has_touch=True, device_scale_factor=1)
    yield pg
    context.close()
    assert not errors, f"JavaScript errors or CSP violations: {errors}"


def api(pg, base_url, path):
    return pg.request.get(base_url + path).json()


def in_viewport(pg, locator) -> bool:
    box = locator.bounding_box()
    height = pg.viewport_size["height"]
    return box is not None and 0 <= box["y"] and box["y"] + min(box["height"], 20) <= height


def docx_paragraph_texts(data: bytes) -> dict[str, list[str]]:
    """The text of every paragraph of each XML part of a .docx (document, footnotes,
    endnotes…), so a citation is found wherever the export puts it."""
    import zipfile
    from xml.etree import ElementTree as ET
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    out = {}
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for name in z.namelist():
            if not (name.startswith("word/") and name.endswith(".xml")):
                continue
            root = ET.fromstring(z.read(name))
            out[name] = ["".join(t.text or "" for t in para.iter(w + "t"))
                         for para in root.iter(w + "p")]
    return out


def result_count(pg) -> int:
    return int(pg.locator("#result-count strong").first.inner_text())


def test_search_marks_facets_and_screenshot(page, base_url):
    page.goto(base_url + "/")
    assert page.evaluate("document.activeElement.id") == "q", "search box focused on load"
    page.locator("body").click(position={"x": 5, "y": 300})
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "q", "/ focuses the search box"
    page.keyboard.type(TERM)
    page.keyboard.press("Enter")
    page.wait_for_selector(".hit")
    total = result_count(page)
    hits = page.locator(".hit")
    assert total == hits.count() >= 3
    marks = page.locator(".hit-snippet mark")
    assert marks.count() >= total
    assert set(marks.all_inner_texts()) == {TERM}

    SCREENSHOT.parent.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOT))

    year = page.locator('.facet[data-facet="year"] a.facet-item').first
    value = year.get_attribute("data-facet-value")
    expected = int(year.locator(".facet-count").inner_text())
    year.click()
    page.wait_for_url(re.compile(rf"year={value}"))
    assert result_count(page) == expected < total
    assert page.locator(".hit").count() == expected
    assert all(f"{value} 年度" in t for t in page.locator(".hit-sub").all_inner_texts())
    assert page.locator(".chip").inner_text().startswith(f"年度：{value}")
    page.locator(".chip").click()
    page.wait_for_url(lambda url: "year=" not in url)
    assert result_count(page) == total


def test_open_report_at_paragraph_and_copy_citation(page, base_url):
    page.goto(f"{base_url}/?q={TERM}")
    first = page.locator(".hit").first
    pid = first.get_attribute("data-id")
    first.get_by_text("查看原文").click()
    page.wait_for_url(re.compile(rf"/reports/.+#{re.escape(pid)}$"))
    target = page.locator(f'[id="{pid}"]')
    assert "target" in target.get_attribute("class")
    assert target.is_visible()
    box = target.bounding_box()
    assert 0 <= box["y"] < DESKTOP["height"], "scrolled to the paragraph"
    assert target.locator("mark").first.inner_text() == TERM
    assert page.locator(".report-body mark").count() >= 1

    target.locator("[data-copy]").click()
    page.wait_for_selector("#toast:not([hidden])")
    copied = page.evaluate("navigator.clipboard.readText()")
    api = page.request.get(f"{base_url}/api/paragraphs/{pid}").json()
    assert copied == api["text"] + "\n" + api["citation"]


def test_excerpt_basket_reorders_and_downloads_docx(page, base_url):
    import docx
    page.goto(f"{base_url}/?q={TERM}")
    hits = page.locator(".hit")
    ids = [hits.nth(i).get_attribute("data-id") for i in range(2)]
    for pid in ids:
        page.locator(f'[data-excerpt="{pid}"]').click()
        page.wait_for_selector(f'[data-excerpt="{pid}"].on')
    assert page.locator("#basket-count").inner_text() == "2"

    page.get_by_role("link", name=re.compile("摘录")).click()
    page.wait_for_selector(".basket-item")
    items = page.locator(".basket-item")
    assert [items.nth(i).get_attribute("data-id") for i in range(2)] == ids
    items.nth(1).locator("[data-move='-1']").click()
    items = page.locator(".basket-item")
    assert [items.nth(i).get_attribute("data-id") for i in range(2)] == ids[::-1]

    # Word's notes: footnotes unless the reader picks a reference list; the choice is kept.
    docx_link = page.locator("#export-docx")
    assert "notes=footnote" in docx_link.get_attribute("href")
    page.locator("#notes-choice label", has_text="文末参考文献").click()
    assert "notes=list" in docx_link.get_attribute("href")
    assert "notes=" not in page.locator("#export-txt").get_attribute("href")
    page.reload()
    page.wait_for_selector(".basket-item")
    assert "notes=list" in docx_link.get_attribute("href")
    assert page.locator("input[name=notes][value=list]").is_checked()
    page.locator("#notes-choice label", has_text="脚注").click()
    assert "notes=footnote" in docx_link.get_attribute("href")

    with page.expect_download() as info:
        docx_link.click()
    data = Path(info.value.path()).read_bytes()
    text = [p.text for p in docx.Document(io.BytesIO(data)).paragraphs]
    expected = [page.request.get(f"{base_url}/api/paragraphs/{pid}").json() for pid in ids[::-1]]
    positions = [text.index(e["text"]) for e in expected]
    assert positions == sorted(positions)
    everywhere = [t for texts in docx_paragraph_texts(data).values() for t in texts]
    for e in expected:
        assert any(e["citation"] in t for t in everywhere), "each excerpt's reference is there"

    items.nth(0).locator("[data-remove]").click()
    assert page.locator(".basket-item").count() == 1
    assert page.locator("#basket-count").inner_text() == "1"


def test_narrow_window_shows_results(browser, base_url):
    context = browser.new_context(viewport={"width": 400, "height": 800})
    pg = context.new_page()
    pg.goto(f"{base_url}/?q={TERM}")
    hit = pg.locator(".hit").first
    box = hit.bounding_box()
    assert box["width"] <= 400 and box["x"] >= 0
    assert pg.evaluate("document.documentElement.scrollWidth") <= 400, "no sideways scrolling"
    context.close()


# ---- phone ----------------------------------------------------------------------------------

def test_phone_search_puts_the_first_hit_on_the_first_screen(phone, base_url):
    phone.goto(f"{base_url}/?q={TERM}")
    first = phone.locator(".hit").first
    box = first.bounding_box()
    assert 0 <= box["y"] < PHONE["height"], "the first hit starts on the first screen"
    snippet = first.locator(".hit-snippet").bounding_box()
    assert snippet["y"] + snippet["height"] <= PHONE["height"], "and its text can be read there"
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    DOCS.mkdir(exist_ok=True)
    phone.screenshot(path=str(SCREENSHOT_MOBILE))

    # the filters are folded under the search box and open from one button
    facets = phone.locator("#facets")
    assert not facets.is_visible()
    phone.locator("#filters-button").click()
    assert facets.is_visible()
    year = phone.locator('.facet[data-facet="year"] a.facet-item').first
    value = year.get_attribute("data-facet-value")
    expected = int(year.locator(".facet-count").inner_text())
    year.click()
    phone.wait_for_url(re.compile(rf"year={value}"))
    assert result_count(phone) == expected
    assert not phone.locator("#facets").is_visible(), "folded again on the new page"
    assert "已选 1" in phone.locator("#filters-button").inner_text()


def test_phone_reports_list_is_cards_with_readable_titles(phone, base_url):
    phone.goto(f"{base_url}/reports")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert not phone.locator("#report-table thead").is_visible()
    titles = phone.locator("#report-table tbody td:first-child a")
    assert titles.count() == api(phone, base_url, "/api/reports")["total"]
    for i in range(titles.count()):
        link = titles.nth(i)
        lines = link.evaluate("a => a.getClientRects().length")
        chars = len(link.inner_text())
        assert chars / lines > 8, (link.inner_text(), lines)
    row = phone.locator("#report-table tbody tr").first
    card = row.inner_text()
    r = next(r for r in api(phone, base_url, "/api/reports")["reports"]
             if f'/reports/{r["report_id"]}' == titles.first.get_attribute("href"))
    for value in (r["issuer"], str(r["year"]), r["province"], r["level"]):
        assert value in card, value
    # file details are folded away: shown only on request
    details = row.locator("details.file-info")
    file_name = details.locator(".mono")
    assert not file_name.is_visible()
    details.locator("summary").click()
    assert file_name.is_visible() and file_name.inner_text() in (r["file"], r["report_id"]) \
        or r["file"].endswith(file_name.inner_text())
    # so are the notes on repairing a report's fields, unless a link points at them
    assert not phone.locator("#sidecar pre").is_visible()
    phone.goto(f"{base_url}/reports#sidecar")
    phone.wait_for_selector("#sidecar[open]")
    assert phone.locator("#sidecar pre").is_visible()


def test_phone_report_outline_folds_and_jumps(phone, base_url):
    phone.goto(f"{base_url}/reports/web_county_2022")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    toc = phone.locator("#toc-list")
    assert not toc.is_visible()
    phone.locator("label[for=toc-toggle]").click()
    assert toc.is_visible()
    link = toc.locator("a").last
    target_id = link.get_attribute("href")[1:]
    link.click()
    phone.wait_for_url(re.compile(re.escape("#" + target_id) + "$"))
    assert not toc.is_visible(), "the outline folds again after a jump"
    target = phone.locator(f'[id="{target_id}"]')
    assert in_viewport(phone, target)
    tools = phone.locator("#report-tools").bounding_box()
    assert target.bounding_box()["y"] >= tools["y"] + tools["height"], "not under the find bar"


# ---- report page --------------------------------------------------------------------------

def test_report_pages_show_their_title_once(page, base_url):
    from index.normalize import match_form
    for r in api(page, base_url, "/api/reports")["reports"]:
        page.goto(f"{base_url}/reports/{r['report_id']}")
        heading = page.locator("h1.report-title")
        assert match_form(heading.inner_text()) == match_form(r["title"])
        text = match_form(page.locator("#report").inner_text())
        assert text.count(match_form(r["title"])) == 1, r["report_id"]


def test_two_line_title_is_the_heading_and_other_lines_stay(page, base_url):
    report = api(page, base_url, "/api/reports/001_7e2a0cb5f5948dbb")
    from index.normalize import match_form
    lines = [p for p in report["paragraphs"][:3] if p["kind"] == "heading"]
    title_ids = [p["id"] for p in lines
                 if match_form(p["text"]) in match_form(report["title"])
                 and match_form(p["text"]) != match_form(report["title"])]
    page.goto(f"{base_url}/reports/001_7e2a0cb5f5948dbb")
    for pid in title_ids:
        assert page.locator(f'h1.report-title [id="{pid}"]').count() == 1
    # every paragraph is on the page, in the title or in the body, once
    for p in report["paragraphs"]:
        assert page.locator(f'[id="{p["id"]}"]').count() == 1
        assert page.locator(f'[id="{p["id"]}"]').is_visible()
    signature = [p for p in report["paragraphs"] if p.get("kind") == "signature"]
    for p in signature:
        line = page.locator(f'.signature [id="{p["id"]}"]')
        assert line.evaluate("e => getComputedStyle(e).textAlign") in ("right", "end")
    if signature:
        body = page.locator(".report-body").bounding_box()
        block = page.locator(".signature").bounding_box()
        assert block["y"] >= body["y"] + body["height"], "after the sections"


def test_outline_links_jump_to_their_headings(page, base_url):
    report = api(page, base_url, "/api/reports/000_9f61d69b6e42277e")
    page.goto(f"{base_url}/reports/000_9f61d69b6e42277e")
    links = page.locator("#toc-list a")
    headings = [p for p in report["paragraphs"] if p["kind"] == "heading"]
    assert links.count() >= len(headings) - 1
    for i in (links.count() - 1, 2):
        link = links.nth(i)
        target_id = link.get_attribute("href")[1:]
        heading = next(p for p in headings if p["id"] == target_id)
        assert link.inner_text() == heading["text"]
        link.click()
        page.wait_for_url(re.compile(re.escape("#" + target_id) + "$"))
        target = page.locator(f'[id="{target_id}"]')
        assert in_viewport(page, target)
        assert "target" in target.get_attribute("class")
    assert page.locator("#toc").is_visible(), "the outline stays in view (sticky)"


def test_find_in_report_counts_steps_and_keeps_the_text(page, base_url):
    report = api(page, base_url, "/api/reports/web_county_2022")
    texts = [p["text"] for p in report["paragraphs"]]
    page.goto(f"{base_url}/reports/web_county_2022?q={TERM}")
    before = page.locator("#report").inner_text()
    box = page.locator("#find-q")
    count = page.locator("#find-count")

    # a match across the server's <mark>s of the query
    needle = "负责人出庭应诉"
    want = sum(t.count(needle) for t in texts)
    assert want >= 2
    box.fill(needle)
    expect(count).to_have_text(f"1 / {want}")
    current = page.locator("mark.find-hit.current").first
    assert in_viewport(page, current)
    box.press("Enter")
    assert count.inner_text() == f"2 / {want}"
    box.press("Shift+Enter")
    assert count.inner_text() == f"1 / {want}"
    page.locator("#find-prev").click()
    assert count.inner_text() == f"{want} / {want}"
    found = page.evaluate("""() => {
        const seen = new Map();
        for (const m of document.querySelectorAll('mark.find-hit')) {
            const k = m.dataset.find; seen.set(k, (seen.get(k) || '') + m.textContent);
        }
        return [...seen.values()];
    }""")
    assert found == [needle] * want

    # report text that looks like markup is found as text and stays text
    box.fill('<script>alert("xss")</script>')
    expect(count).to_have_text("1 / 1")
    assert page.locator("#report script, #report b").count() == 0

    box.fill("法治")
    want = sum(t.count("法治") for t in texts)
    expect(count).to_have_text(f"1 / {want}")
    box.press("Escape")
    assert page.locator("mark.find-hit").count() == 0 and count.inner_text() == ""
    assert page.locator("#report").inner_text() == before, "the text is as it was"
    box.fill("这几个字不在报告里")
    expect(count).to_have_text("无匹配")


def test_citation_toggle_copies_the_exact_reference(page, base_url):
    page.goto(f"{base_url}/?q={TERM}")
    hit = page.locator(".hit").first
    pid = hit.get_attribute("data-id")
    cite = hit.locator("details.cite")
    assert not cite.locator(".cite-text").is_visible(), "collapsed"
    cite.locator("summary").click()
    expected = api(page, base_url, f"/api/paragraphs/{pid}")["citation"]
    assert cite.locator(".cite-text").inner_text() == expected
    cite.locator("[data-copy-cite]").click()
    page.wait_for_selector("#toast:not([hidden])")
    assert page.evaluate("navigator.clipboard.readText()") == expected

    # and on a report page, for a paragraph
    page.goto(f"{base_url}/reports/web_county_2022")
    para = page.locator(".report-body div.para").nth(2)
    pid = para.get_attribute("id")
    para.hover()
    para.locator("details.cite summary").click()
    page.mouse.move(5, 5)
    text = para.locator(".cite-text")
    assert text.is_visible(), "an opened reference stays open when the pointer leaves"
    para.locator("[data-copy-cite]").click()
    expected = next(p for p in api(page, base_url, "/api/reports/web_county_2022")["paragraphs"]
                    if p["id"] == pid).get("citation") \
        or api(page, base_url, f"/api/paragraphs/{pid}")["citation"]
    assert page.evaluate("navigator.clipboard.readText()") == expected == text.inner_text()


def test_expanding_a_hit_shows_the_whole_paragraph_instead_of_the_snippet(page, base_url):
    page.goto(f"{base_url}/?q=法治")
    hit = page.locator(".hit:has(.hit-full)").first
    pid = hit.get_attribute("data-id")
    snippet = hit.locator(".hit-snippet")
    full = hit.locator(".hit-text")
    assert snippet.is_visible() and not full.is_visible()
    hit.locator(".hit-full summary").click()
    expect(full).to_be_visible()
    expect(snippet).to_be_hidden()
    assert full.inner_text() == api(page, base_url, f"/api/paragraphs/{pid}")["text"]
    size = "e => getComputedStyle(e).fontSize"
    full_size = full.evaluate(size)
    hit.locator(".hit-full summary").click()
    expect(snippet).to_be_visible()
    expect(full).to_be_hidden()
    assert snippet.evaluate(size) == full_size, "the same type"
