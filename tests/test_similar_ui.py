"""Near-duplicate paragraphs where users meet them (issue 14): 相似段落见于 N 份报告 on every
hit, 折叠相似段落 in the results (page, API, CLI), 最早出处 and originality on the report page;
on composed reports indexed for real, and in a real Chromium."""
from __future__ import annotations

import json
import re
from urllib.parse import urlencode

import pytest

QUERY = "行政复议"


def template(place: str, cases: int, fixed: int) -> str:
    """One county's paragraph as other counties copy it: their own place and figures."""
    return (f"{place}全面推进行政复议体制改革，全年办理行政复议案件{cases}件，依法纠错{fixed}件，"
            f"行政复议决定书网上公开率达到100%，群众对复议工作的满意度持续提升。")


# Two paragraphs on the same subject, each its own text.
OWN_A = ("开展行政复议工作规范化建设，组织复议人员专题培训两期，编印典型案例汇编，"
         "复议案件办理质量和效率明显提高，人民群众的获得感不断增强。")
OWN_B = ("针对行政复议申请量上升的情况，设立复议咨询窗口，推行简案快审、繁案精审机制，"
         "平均办案周期缩短到四十天以内，当场受理率稳步提高。")
# A paragraph without the query term, copied too.
SHARED = ("持续深化政务公开，完善政府信息公开目录，主动公开各类政府信息，"
          "依申请公开答复全部在法定期限内办结，公开工作考核位居前列。")


def _report(issuer: str, place: str, year: int, published: str, body: list[str]) -> str:
    lines = [f"{issuer}关于{year}年度法治政府建设情况的报告",
             f"发布时间：{published} 信息来源：{place}司法局",
             f"一、{year}年度推进法治政府建设的主要举措和成效"] + body + [
             issuer, f"{published[:4]}年2月15日"]
    return "\n".join(lines) + "\n"


# r1 is the first to write the template paragraph; r4 is the same issuer a year later.
REPORTS = {
    "r1_jiangshan_2021": _report("江山市人民政府", "江山市", 2021, "2022-03-01",
                                 [template("江山市", 126, 11), OWN_A, SHARED]),
    "r2_longquan_2022": _report("龙泉市人民政府", "龙泉市", 2022, "2023-02-20",
                                [template("龙泉市", 98, 7), SHARED]),
    "r3_yiwu_2022": _report("义乌市人民政府", "义乌市", 2022, "2023-03-15",
                            [template("义乌市", 301, 25), OWN_B]),
    "r4_jiangshan_2022": _report("江山市人民政府", "江山市", 2022, "2023-03-10",
                                 [template("江山市", 140, 9),
                                  "新建成市级公共法律服务中心一个，乡镇公共法律服务工作站实现全覆盖，"
                                  "群众办事更加便捷高效，全年接待来访群众三千余人次。"]),
}


def _build(root: Path, index_dir: Path, prune: bool = False):
    from index.config import load_config
    from index.writer import update_index
    from searcher import open_searcher

    config = load_config()
    config["corpus"] = [str(root)]
    config["index_dir"] = str(index_dir)
    summary = update_index(config["corpus"], config["index_dir"], config, prune=prune)
    assert not summary.failed, summary.failed
    return config, open_searcher(config["index_dir"], config)


def _write(root: Path) -> Path:
    root.mkdir()
    for rid, text in REPORTS.items():
        (root / f"{rid}.txt").write_text(text, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("simui")
    return _build(_write(tmp / "reports"), tmp / "index")


@pytest.fixture(scope="module")
def app(built):
    from searcher.similar import similar_index
    from web.app import create_app
    config, searcher = built
    similar_index(searcher)
    return create_app(config, searcher)


@pytest.fixture()
def client(app):
    return app.test_client()


def _ids_with(searcher, text_part: str) -> set[str]:
    out = set()
    for rid in REPORTS:
        out |= {p["id"] for p in searcher.report(rid)["paragraphs"] if text_part in p["text"]}
    return out


def _template_ids(searcher) -> set[str]:
    return _ids_with(searcher, "全面推进行政复议体制改革")


def api(client, **params) -> dict:
    resp = client.get("/api/search?" + urlencode(params))
    assert resp.status_code == 200, resp.get_data(as_text=True)
    return resp.get_json()


# ---------------------------------------------------------------------- counts on hits

def test_every_hit_says_in_how_many_other_reports_it_appears(client, built):
    _, searcher = built
    copies = _template_ids(searcher)
    res = api(client, q=QUERY, limit=100)
    assert res["total"] == 6
    first = next(iter(_ids_with(searcher, "全年办理行政复议案件126件")))
    for hit in res["hits"]:
        # a copy is in the 3 other reports, its 最早出处 the 2021 one; a paragraph of its
        # own is in none
        assert hit["similar_reports"] == (3 if hit["id"] in copies else 0), hit["id"]
        assert (hit["earliest"] or {}).get("id") == (first if hit["id"] in copies else None)
    assert next(h for h in res["hits"] if h["id"] in copies)["earliest"] == {
        "id": first, "report_id": "r1_jiangshan_2021", "year": 2021, "issuer": "江山市人民政府"}
    html = client.get("/?" + urlencode({"q": QUERY})).get_data(as_text=True)
    links = re.findall(r'<a class="act similar-link" href="/paragraphs/([^/"]+)/similar"[^>]*>'
                       r'相似段落见于 (\d+) 份报告</a>', html)
    assert {pid for pid, _ in links} == copies and {n for _, n in links} == {"3"}
    assert html.count(f'class="act origin-earlier" href="/p/{first}"') == 3
    assert html.count('class="flag origin-first"') == 1
    # the per-report view says it on each report's best hit too
    grouped = api(client, q=QUERY, view="reports", limit=100)
    assert all("similar_reports" in g["hit"] for g in grouped["groups"])


def test_a_fresh_index_answers_at_once_and_counts_once_its_copies_are_known(tmp_path):
    """The first search of a freshly opened index does not wait for the near-duplicate
    index: its hits say null (not known yet) and the build starts in the background."""
    from searcher.similar import similar_index
    from web.app import create_app

    config, searcher = _build(_write(tmp_path / "reports"), tmp_path / "index")
    client = create_app(config, searcher).test_client()
    first = api(client, q=QUERY, limit=100)
    assert first["total"] == 6 and {h["similar_reports"] for h in first["hits"]} == {None}
    assert {h["earliest"] for h in first["hits"]} == {None}
    similar_index(searcher)                   # waits for the background build
    again = api(client, q=QUERY, limit=100)
    assert sorted(h["similar_reports"] for h in again["hits"]) == [0, 0, 3, 3, 3, 3]
    # collapsing needs the groups, so it waits for them
    assert api(client, q=QUERY, collapse=1)["distinct"] == 3


# ---------------------------------------------------------------------- collapse

def test_collapse_folds_the_copies_into_one_and_counts_distinct(client, built):
    _, searcher = built
    copies = _template_ids(searcher)
    plain = api(client, q=QUERY, limit=100)
    folded = api(client, q=QUERY, limit=100, collapse=1)
    assert folded["total"] == plain["total"] == 6 and folded["reports"] == plain["reports"]
    assert folded["distinct"] == 3 and len(folded["hits"]) == 3
    reps = [h for h in folded["hits"] if h["id"] in copies]
    assert len(reps) == 1
    rep = reps[0]
    # the representative is the first of the copies as the plain list shows them
    assert rep["id"] == next(h["id"] for h in plain["hits"] if h["id"] in copies)
    info = rep["folded"]
    assert info["paragraphs"] == 3 and info["reports"] == 3
    assert {m["id"] for m in info["shown"]} == copies - {rep["id"]}
    # earliest first: 2021 first, then the 2022 ones by published date
    assert [m["year"] for m in info["shown"]] == sorted(m["year"] for m in info["shown"])
    first_2021 = next(iter(_ids_with(searcher, "全年办理行政复议案件126件")))
    assert info["earliest"] == first_2021
    # nothing is lost: shown plus folded are exactly the plain hits
    shown = {h["id"] for h in folded["hits"]} | {m["id"] for m in info["shown"]}
    assert shown == {h["id"] for h in plain["hits"]}
    assert all(h["folded"] is None for h in folded["hits"] if h is not rep)


def test_collapse_pages_count_distinct_hits_and_sorts_choose_the_representative(client, built):
    _, searcher = built
    copies = _template_ids(searcher)
    pages = [api(client, q=QUERY, limit=1, offset=i, collapse=1)["hits"] for i in range(4)]
    assert [len(p) for p in pages] == [1, 1, 1, 0]
    assert len({p[0]["id"] for p in pages[:3]}) == 3
    # oldest first: the representative of the copies is the 2021 one
    old = api(client, q=QUERY, limit=100, collapse=1, sort="year_asc")
    rep = next(h for h in old["hits"] if h["id"] in copies)
    assert rep["year"] == 2021 and rep["folded"]["earliest"] == rep["id"]
    new = api(client, q=QUERY, limit=100, collapse=1, sort="year_desc")
    assert next(h for h in new["hits"] if h["id"] in copies)["year"] == 2022


def test_collapse_on_the_page_and_bad_values(client):
    html = client.get("/?" + urlencode({"q": QUERY, "collapse": 1})).get_data(as_text=True)
    assert re.search(r'共 <strong>6</strong> 段（不同段落 <strong id="distinct-count">3</strong> 段）',
                     html)
    assert len(re.findall(r'<li class="hit" id="hit-', html)) == 3
    assert "及另 <strong>3</strong> 份报告的相似段落" in html and "另有 3 段相似" in html
    # the toggle turns it off again, and the search form keeps it on
    assert 'aria-checked="true"' in html
    assert '<input type="hidden" name="collapse" value="1">' in html
    off = client.get("/?" + urlencode({"q": QUERY})).get_data(as_text=True)
    assert 'aria-checked="false"' in off and "collapse=1" in off and "distinct-count" not in off
    for bad in ("2", "yes", "<b>"):
        resp = client.get("/api/search?" + urlencode({"q": QUERY, "collapse": bad}))
        assert resp.status_code == 400 and "collapse" in resp.get_json()["error"]
        page = client.get("/?" + urlencode({"q": QUERY, "collapse": bad}))
        assert page.status_code == 400 and "<b>" not in page.get_data(as_text=True)


def test_cli_search_collapse(built, capsys):
    from web.cli import run_search
    config, searcher = built
    assert run_search(config, QUERY, collapse=True, as_json=True) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["distinct"] == 3 and len(out["hits"]) == 3
    assert run_search(config, QUERY, collapse=True) == 0
    text = capsys.readouterr().out
    assert "共 6 段（不同段落 3 段）" in text and "及另 3 份报告的相似段落" in text
    assert run_search(config, QUERY) == 0
    assert "不同段落" not in capsys.readouterr().out


def test_collapse_after_an_update_and_a_prune_follows_the_index(tmp_path):
    """The same index updated in place: a pruned report's copy and a rewritten copy are no
    longer folded (a new searcher, new groups)."""
    root = _write(tmp_path / "reports")
    _, searcher = _build(root, tmp_path / "index")
    assert searcher.search(QUERY, limit=0, collapse=True)["distinct"] == 3
    (root / "r2_longquan_2022.txt").unlink()
    (root / "r3_yiwu_2022.txt").write_text(REPORTS["r3_yiwu_2022"].replace(
        template("义乌市", 301, 25), "义乌市全年组织执法人员培训三期，执法证件持证率达到百分之百，"
        "执法案卷评查合格率明显提高，执法行为更加规范。"), encoding="utf-8")
    _, searcher = _build(root, tmp_path / "index", prune=True)
    res = searcher.search(QUERY, limit=100, collapse=True)
    assert res["total"] == 4 and res["distinct"] == 3
    rep = next(h for h in res["hits"] if h["folded"])
    assert rep["folded"]["paragraphs"] == 1 and rep["folded"]["reports"] == 1
    assert {m["report_id"] for m in rep["folded"]["shown"]} | {rep["report_id"]} == \
        {"r1_jiangshan_2021", "r4_jiangshan_2022"}


# ---------------------------------------------------------------------- report page

def test_report_page_marks_the_earliest_source_and_the_copies(client, built):
    _, searcher = built
    first = next(iter(_ids_with(searcher, "全年办理行政复议案件126件")))
    later = next(iter(_ids_with(searcher, "全年办理行政复议案件140件")))
    html = client.get("/reports/r1_jiangshan_2021").get_data(as_text=True)
    block = html[html.index(f'id="{first}"'):]
    block = block[:block.index("</div>")]
    assert 'class="flag origin-first"' in block and "相似段落见于 3 份报告" in block
    html = client.get("/reports/r4_jiangshan_2022").get_data(as_text=True)
    block = html[html.index(f'id="{later}"'):]
    block = block[:block.index("</div>")]
    assert f'href="/reports/r1_jiangshan_2021#{first}"' in block
    assert "最早出处：2021 · 江山市人民政府" in block
    # the new paragraph has no note
    new = next(iter(_ids_with(searcher, "新建成市级公共法律服务中心")))
    block = html[html.index(f'id="{new}"'):]
    assert "para-origin" not in block[:block.index("</div>")]


def test_report_originality_on_the_page_and_in_the_api(client):
    html = client.get("/reports/r4_jiangshan_2022").get_data(as_text=True)
    assert 'id="originality"' in html
    data = client.get("/api/reports/r4_jiangshan_2022/similar").get_json()
    o = data["originality"]
    # compared: the template copy and the new paragraph; the copy was in the previous
    # year's report (r1) and, earlier, in other issuers' reports (龙泉 published before it)
    assert o["compared"] == 2 and o["previous_report_id"] == "r1_jiangshan_2021"
    assert o["from_previous_year"] == 1 and o["earlier_elsewhere"] == 1
    assert o["with_similar"] == 1 and o["earliest_source"] == 0
    assert re.search(r'id="orig-previous"><strong>50\.0%</strong>', html)
    first = client.get("/api/reports/r1_jiangshan_2021/similar").get_json()
    assert first["originality"]["earliest_source"] == 2     # the template and SHARED
    assert client.get("/api/reports/nosuch/similar").status_code == 404


# ---------------------------------------------------------------------- browser

# base_url, browser and pg: tests/conftest.py (the app of this module, in Chromium)


def test_browser_similar_count_collapse_and_earliest_source(pg, base_url):
    from playwright.sync_api import expect
    pg.goto(base_url + "/?" + urlencode({"q": QUERY}))
    expect(pg.locator("li.hit")).to_have_count(6)
    expect(pg.locator("li.hit .similar-link")).to_have_count(4)
    expect(pg.locator("li.hit .similar-link").first).to_have_text("相似段落见于 3 份报告")
    # fold the copies: three distinct paragraphs, the count says both
    pg.click("#collapse-toggle")
    expect(pg.locator("#distinct-count")).to_have_text("3")
    expect(pg.locator("li.hit")).to_have_count(3)
    folded = pg.locator("details.hit-folded")
    expect(folded).to_have_count(1)
    expect(folded.locator(".folded-hit").first).not_to_be_visible()
    folded.locator("summary").click()
    expect(folded.locator(".folded-hit")).to_have_count(3)
    expect(folded.locator(".folded-hit").first).to_be_visible()
    # a new search keeps the toggle on
    pg.fill("#q", "复议")
    pg.click("#search-form button[type=submit]")
    expect(pg.locator("#collapse-toggle")).to_have_attribute("aria-checked", "true")
    expect(pg.locator("#distinct-count")).to_be_visible()
    # the count opens the list of similar paragraphs, each with its diff
    pg.locator("li.hit .similar-link").first.click()
    expect(pg.locator("#similar-list .similar-row")).to_have_count(3)
    expect(pg.locator("#similar-list ins.diff-ins").first).to_be_visible()
    # a later copy's report page names the earliest source and links to it
    pg.goto(base_url + "/reports/r4_jiangshan_2022")
    link = pg.locator("a.origin-earlier")
    expect(link).to_have_count(1)
    expect(link).to_contain_text("最早出处：2021")
    link.click()
    expect(pg).to_have_url(re.compile(r"/reports/r1_jiangshan_2021"))
    expect(pg.locator(".origin-first").first).to_be_visible()
