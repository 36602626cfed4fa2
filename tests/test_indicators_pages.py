"""Indicators across reports (issue 13), the read path and the pages: on composed reports
indexed for real, the statements of an indicator through the JSON API, the page, the CSV
and XLSX downloads and the CLI, with the search's filters; updates and prunes keep them
right; and in Chromium a user filters by year, follows a chart point to its paragraph and
downloads the table."""
from __future__ import annotations

import csv
import io
import json
import re
from html import unescape
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest

NAME = "行政机关负责人出庭应诉率"


def _report(issuer: str, year: int, published: str, body: list[str]) -> str:
    lines = [f"{issuer}关于{year}年度法治政府建设情况的报告",
             f"发布时间：{published} 信息来源：司法局",
             f"{year}年，我们全面推进法治政府建设，现将有关情况报告如下。",
             f"一、{year}年度推进法治政府建设的主要举措和成效"]
    lines += body
    lines += ["二、存在的不足和原因", "基层执法人员专业能力有待提高，执法规范化水平仍需加强。",
              "三、下一年度工作安排", "继续深化法治政府建设，全面提升依法行政水平。",
              issuer, f"{published[:4]}年2月15日"]
    return "\n".join(lines) + "\n"


# (issuer, year, value, unit, change, target, qualifier) of every 出庭应诉率 statement below
COMPOSED = {
    "a_jiangshan_2022.txt": _report("江山市人民政府", 2022, "2023-03-10", [
        "行政机关负责人出庭应诉率达95.5%，行政诉讼败诉率为4.2%。",
        "全年办理行政复议案件126件，依法纠错11件。"]),
    "b_jiangshan_2023.txt": _report("江山市人民政府", 2023, "2024-03-01", [
        "行政机关负责人出庭应诉率达１００％，较上年提高4.5个百分点。",
        "2024年，力争出庭应诉率保持100%。"]),
    "c_longquan_2023.txt": _report("龙泉市人民政府", 2023, "2024-02-20", [
        "负责人出庭应诉率为98.6%，一审败诉率同比下降2个百分点。"]),
    "d_tianning_2023.txt": _report("常州市天宁区人民政府", 2023, "2024-02-28", [
        "规范行政应诉工作，应诉出庭率达90%，其中主要负责人出庭应诉率20%。"]),
    "e_traditional_2022.txt": _report("龙泉市人民政府", 2022, "2023-02-10", [
        "行政機關負責人出庭應訴率達９６．５％，全年未發生敗訴案件。"]),
}
LEVELS = {("江山市人民政府", 2022, 95.5, "", False), ("江山市人民政府", 2023, 100, "", False),
          ("龙泉市人民政府", 2023, 98.6, "", False), ("常州市天宁区人民政府", 2023, 90, "", False),
          ("常州市天宁区人民政府", 2023, 20, "主要负责人", False),
          ("龙泉市人民政府", 2022, 96.5, "", False)}
CHANGES = {("江山市人民政府", 2023, 4.5, "", False)}
TARGETS = {("江山市人民政府", 2023, 100, "", True)}


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


def _write(root: Path, files: dict) -> None:
    root.mkdir(exist_ok=True)
    for name, text in files.items():
        (root / name).write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("indicators")
    _write(tmp / "reports", COMPOSED)
    config, searcher = _build(tmp / "reports", tmp / "index")
    return config, searcher


@pytest.fixture(scope="module")
def app(built):
    from web.app import create_app
    config, searcher = built
    return create_app(config, searcher)


@pytest.fixture()
def client(app):
    return app.test_client()


def api(client, path: str = NAME, **params) -> dict:
    resp = client.get(f"/api/indicators/{quote(path)}?" + urlencode(params, doseq=True))
    assert resp.status_code == 200, resp.get_data(as_text=True)
    return resp.get_json()


def keyset(statements) -> set:
    return {(s["issuer"], s["year"], s["value"], s["qualifier"], s["target"])
            for s in statements}


# ---------------------------------------------------------------------- API rows

def test_api_gives_one_row_per_statement_with_report_fields_and_display_sentence(client):
    got = api(client, limit=1000, target="exclude")
    assert keyset(got["statements"]) == LEVELS and got["total"] == len(LEVELS)
    assert got["indicator"] == NAME and got["unit"] == "%" and got["kind"] == "rate"
    for s in got["statements"]:
        assert s["unit"] == "%" and s["change"] is False and s["indicator"] == NAME
        assert isinstance(s["value"], (int, float)) and s["province"] in ("浙江", "江苏")
        assert s["paragraph_id"].startswith(s["report_id"] + "-p")
        para = client.get(f"/api/paragraphs/{s['paragraph_id']}").get_json()
        # the sentence is the report's own characters, and the marked span states the figure
        assert s["sentence"] in para["text"] or s["sentence"].strip("…") in para["text"]
        marked = s["sentence"][s["mark"][0]:s["mark"][1]]
        assert s["wording"] in marked
    trad = next(s for s in got["statements"] if s["year"] == 2022 and s["value"] == 96.5)
    assert trad["sentence"][trad["mark"][0]:trad["mark"][1]] == "行政機關負責人出庭應訴率達９６．５％"
    assert trad["wording"] == "出庭應訴率"
    levels_with_targets = api(client, limit=1000)
    assert keyset(levels_with_targets["statements"]) == LEVELS | TARGETS
    changes = api(client, measure="change", limit=1000)
    assert keyset(changes["statements"]) == CHANGES
    assert changes["statements"][0]["unit"] == "个百分点" and changes["statements"][0]["change"]
    assert api(client, measure="all", limit=1000)["total"] == len(LEVELS | CHANGES | TARGETS)


def test_catalogue_counts_reports_and_lists_uncatalogued_rates(client):
    data = client.get("/api/indicators").get_json()
    by_name = {e["name"]: e for e in data["catalogue"]}
    # 5 reports state it (the target alone would not count, but b states a level too)
    assert by_name[NAME]["reports"] == 5 and by_name[NAME]["catalogued"]
    assert by_name["行政诉讼败诉率"]["reports"] == 2
    assert by_name["行政复议案件数"]["reports"] == 1 and by_name["行政复议案件数"]["kind"] == "count"
    assert all(not e["catalogued"] for e in data["uncatalogued"])
    zhejiang = client.get("/api/indicators?province=浙江省").get_json()
    assert {e["name"]: e for e in zhejiang["catalogue"]}[NAME]["reports"] == 4
    page = client.get("/indicators").get_data(as_text=True)
    assert f'href="/indicators/{NAME}"' in page or f"/indicators/{quote(NAME)}" in page
    row = re.search(rf'data-indicator="{NAME}">.*?class="num c-reports">(\d+)<', page, re.S)
    assert row and row.group(1) == "5"


def test_filters_are_the_search_filters_and_facets_count_statements(client):
    y2023 = api(client, year="2023", limit=1000, target="exclude")
    assert keyset(y2023["statements"]) == {k for k in LEVELS if k[1] == 2023}
    assert y2023["facets"]["year"] == {"2022": 2, "2023": 4}      # ignores its own filter
    zj = api(client, province="浙江省", limit=1000, target="exclude")
    assert {s["province"] for s in zj["statements"]} == {"浙江"} and zj["total"] == 4
    both = api(client, province="浙江", year=["2022"], limit=1000)
    assert keyset(both["statements"]) == {k for k in LEVELS if k[1] == 2022}
    issuer = api(client, issuer="江山", limit=1000)
    assert keyset(issuer["statements"]) == {k for k in LEVELS | TARGETS if k[0] == "江山市人民政府"}
    only = api(client, target="only", limit=1000)
    assert keyset(only["statements"]) == TARGETS
    qual = api(client, qualifier="主要负责人", limit=1000)
    assert [s["value"] for s in qual["statements"]] == [20]
    plain = api(client, qualifier="无", limit=1000, target="exclude")
    assert keyset(plain["statements"]) == {k for k in LEVELS if not k[3]}
    ranged = api(client, min="95", max="99", limit=1000)
    assert sorted(s["value"] for s in ranged["statements"]) == [95.5, 96.5, 98.6]
    by_level = api(client, level="县", limit=1000)["total"]
    assert by_level == len(LEVELS | TARGETS)
    # the same paged: limit/offset, total unchanged
    first = api(client, limit=2, target="exclude")
    second = api(client, limit=2, offset=2, target="exclude")
    assert first["total"] == second["total"] == len(LEVELS)
    assert not {s["paragraph_id"] + str(s["value"]) for s in first["statements"]} & \
        {s["paragraph_id"] + str(s["value"]) for s in second["statements"]}


def test_sorted_by_value_both_ways(client):
    desc = [s["value"] for s in api(client, limit=1000, target="exclude")["statements"]]
    asc = [s["value"] for s in api(client, sort="value_asc", limit=1000,
                                   target="exclude")["statements"]]
    assert desc == sorted(desc, reverse=True) and asc == sorted(asc) and desc[0] == 100
    years = [s["year"] for s in api(client, sort="year_asc", limit=1000)["statements"]]
    assert years == sorted(years)


def test_bad_input_gets_clear_chinese_errors_and_everything_is_escaped(client):
    for params, word in (({"measure": "x"}, "measure"), ({"sort": "x"}, "排序"),
                         ({"min": "abc"}, "最小值"), ({"province": "火星"}, "火星"),
                         ({"limit": "-1"}, "limit"), ({"min": "5", "max": "1"}, "最小值")):
        resp = client.get(f"/api/indicators/{quote(NAME)}?" + urlencode(params))
        assert resp.status_code == 400, params
        assert word in resp.get_json()["error"]
    missing = client.get("/api/indicators/" + quote("出庭应诉"))
    assert missing.status_code == 404 and NAME in missing.get_json()["suggestions"]
    page = client.get("/indicators/" + quote("<script>alert(1)<\\script>应诉率"))
    body = page.get_data(as_text=True)
    assert page.status_code == 404 and "<script>alert(1)" not in body
    assert "&lt;script&gt;" in body and NAME in body          # suggested
    resp = client.get(f"/indicators/{quote(NAME)}?" + urlencode({"issuer": '"><b>x</b>'}))
    assert resp.status_code == 200 and "<b>x</b>" not in resp.get_data(as_text=True)
    # a wording goes to the canonical page, filters kept
    resp = client.get("/indicators/" + quote("出庭率") + "?year=2023")
    assert resp.status_code == 302 and quote(NAME) in resp.headers["Location"]
    assert "year=2023" in resp.headers["Location"]


# ---------------------------------------------------------------------- page and charts

def test_page_table_chart_points_and_crosstab(client):
    resp = client.get(f"/indicators/{quote(NAME)}?target=include")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200
    assert "水平" in html and "变化" in html and "目标" in html         # the plain explanations
    rows = re.findall(r'<tr class="statement-row( is-target)?">', html)
    assert len(rows) == len(LEVELS | TARGETS) and sum(1 for r in rows if r) == 1
    assert "<mark>行政機關負責人出庭應訴率達９６．５％</mark>" in html
    # every chart point links to a paragraph that states the value; targets are not drawn
    points = re.findall(r'<a class="point" href="(/p/[^"]+)"><circle[^>]*><title>([^<]*)</title>',
                        html)
    assert len(points) == len(LEVELS)
    for href, title in points:
        pid = href[len("/p/"):]
        para = client.get(f"/api/paragraphs/{pid}").get_json()
        value = re.search(r"：([\d.]+)%", unescape(title)).group(1)
        assert para["id"] == pid and unescape(title).split(" ")[0] in (para["issuer"] or "")
        assert value.rstrip("0").rstrip(".") in para["text"].translate(
            str.maketrans("０１２３４５６７８９．", "0123456789."))
    # region × year: provinces (cities once a province is chosen), medians
    tab = re.search(r'id="crosstab-table">(.*?)</table>', html, re.S).group(1)
    assert "浙江" in tab and "江苏" in tab
    data = api(client, target="exclude")
    zj = next(r for r in data["crosstab"]["rows"] if r["region"] == "浙江")
    assert {c["year"]: c["median"] for c in zj["cells"]} == {2022: 96, 2023: 99.3}
    city = api(client, province="浙江")["crosstab"]
    assert city["region"] == "city" and {r["region"] for r in city["rows"]} == {"衢州", "丽水"}
    # one issuer over the years
    html = client.get(f"/indicators/{quote(NAME)}?issuer=江山").get_data(as_text=True)
    series = re.search(r'id="chart-issuer">(.*?)</section>', html, re.S).group(1)
    assert "江山市人民政府" in series and "<polyline" in series
    assert len(re.findall(r'<a class="point"', series)) == 2


def test_downloads_csv_and_xlsx_read_back(client):
    from openpyxl import load_workbook
    want = api(client, year="2023", limit=1000)["statements"]
    resp = client.get(f"/indicators/{quote(NAME)}/export.csv?year=2023")
    assert resp.status_code == 200 and "attachment" in resp.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(resp.get_data(as_text=True).lstrip("\ufeff"))))
    head, body = rows[0], rows[1:]
    assert head[:4] == ["指标", "写法", "限定语", "数值"] and len(body) == len(want)
    col = {h: i for i, h in enumerate(head)}
    assert [float(r[col["数值"]]) for r in body] == [float(s["value"]) for s in want]
    assert [r[col["段落编号"]] for r in body] == [s["paragraph_id"] for s in want]
    assert {r[col["年度"]] for r in body} == {"2023"}
    resp = client.get(f"/indicators/{quote(NAME)}/export.xlsx?year=2023")
    assert resp.status_code == 200
    wb = load_workbook(io.BytesIO(resp.data), read_only=True)
    sheet = list(wb["数值表"].iter_rows(values_only=True))
    assert list(sheet[0][:4]) == ["指标", "写法", "限定语", "数值"]
    assert [r[3] for r in sheet[1:]] == [s["value"] for s in want]       # numbers, not text
    assert [r[col["原句"]] for r in sheet[1:]] == [s["sentence"] for s in want]
    years = list(wb["按年度"].iter_rows(values_only=True))
    assert years[1][0] == 2023 and years[1][1] == sum(1 for s in want if not s["target"])


# ---------------------------------------------------------------------- CLI

def test_cli_json_csv_and_text(built, capsys):
    from web.cli import run_indicators
    config, _ = built
    assert run_indicators(config, "出庭率", filters={"province": ["浙江省"]}, as_json=True) == 0
    out = json.loads(capsys.readouterr().out)
    keys = {"indicator", "wording", "qualifier", "value", "unit", "change", "target",
            "paragraph_id", "report_id", "year", "issuer", "province", "level", "sentence"}
    assert isinstance(out, list) and out and all(keys <= set(s) for s in out)
    assert {(s["issuer"], s["year"], s["value"], s["qualifier"], s["target"]) for s in out} == \
        {k for k in LEVELS | TARGETS if k[0] in ("江山市人民政府", "龙泉市人民政府")}
    assert all(isinstance(s["value"], (int, float)) and isinstance(s["change"], bool)
               for s in out)
    assert run_indicators(config, NAME, measure="change", as_csv=True) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert len(rows) == 2 and rows[1][3] == "4.5" and rows[1][5] == "变化"
    # without a name: every indicator's statements
    assert run_indicators(config, None, as_json=True) == 0
    names = {s["indicator"] for s in json.loads(capsys.readouterr().out)}
    assert {NAME, "行政诉讼败诉率", "行政复议案件数"} <= names
    assert run_indicators(config, None) == 0
    assert NAME in capsys.readouterr().out
    assert run_indicators(config, "出庭应诉") == 2
    assert NAME in capsys.readouterr().err          # suggested
    from web.cli import main
    assert main(["indicators", NAME, "--index-dir", config["index_dir"], "--year", "2022",
                 "--json"]) == 0
    assert {s["year"] for s in json.loads(capsys.readouterr().out)} == {2022}


# ---------------------------------------------------------------------- updates and prunes

def test_updates_and_prunes_keep_statements_right(tmp_path):
    from searcher import indicators as ind
    root = tmp_path / "reports"
    _write(root, COMPOSED)
    config, searcher = _build(root, tmp_path / "index")

    def rows(s):
        sel = ind.query(s, NAME, target="exclude")
        return {(r["issuer"], r["year"], r["value"]) for r in ind.records(s, sel.rows)}

    assert ("龙泉市人民政府", 2023, 98.6) in rows(searcher)
    # 龙泉 corrects its figure: the old statement is gone, the new one is there
    (root / "c_longquan_2023.txt").write_text(
        COMPOSED["c_longquan_2023.txt"].replace("98.6%", "97.2%"), encoding="utf-8")
    _, searcher = _build(root, tmp_path / "index")
    got = rows(searcher)
    assert ("龙泉市人民政府", 2023, 97.2) in got and ("龙泉市人民政府", 2023, 98.6) not in got
    # 天宁 is removed from the folder and pruned
    (root / "d_tianning_2023.txt").unlink()
    _, searcher = _build(root, tmp_path / "index", prune=True)
    got = rows(searcher)
    assert not any(k[0] == "常州市天宁区人民政府" for k in got)
    counts = {e["name"]: e for e in ind.catalogue_counts(searcher)["catalogue"]}
    assert counts[NAME]["reports"] == 4
    # a new report appears
    _write(root, {"f_new_2024.txt": _report("江山市人民政府", 2024, "2025-02-01",
                                             ["行政机关负责人出庭应诉率达99%。"])})
    _, searcher = _build(root, tmp_path / "index")
    assert ("江山市人民政府", 2024, 99) in rows(searcher)
    assert len(rows(searcher)) == len(LEVELS) - 2 + 1


# ---------------------------------------------------------------------- in Chromium

# base_url, browser and pg: tests/conftest.py (the app of this module, in Chromium)


def test_browser_filter_by_year_follow_a_point_and_download_xlsx(browser, base_url, tmp_path):
    from openpyxl import load_workbook
    from playwright.sync_api import expect
    context = browser.new_context(viewport={"width": 1366, "height": 900}, accept_downloads=True)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(base_url + "/indicators")
    page.click(f'#indicator-catalogue a:text-is("{NAME}")')
    expect(page.locator("#indicator-name")).to_have_text(NAME)
    page.click('.facet[data-facet="year"] a[data-facet-value="2023"]')
    expect(page.locator(".chip")).to_contain_text("2023")
    years = page.locator("#statement-table .c-year").all_inner_texts()
    assert years and set(years) == {"2023"}
    points = page.locator("#chart-years a.point")
    assert points.count() == sum(1 for k in LEVELS if k[1] == 2023)
    # the PNG and SVG of the chart are saved in the browser, offline
    with page.expect_download() as png:
        page.click("#chart-years .save-png")
    assert png.value.suggested_filename.endswith(".png")
    assert Path(png.value.path()).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    with page.expect_download() as svg:
        page.click("#chart-years .save-svg")
    assert b"<svg" in Path(svg.value.path()).read_bytes()
    # the table downloads as XLSX with the filter applied
    with page.expect_download() as dl:
        page.click("#download-xlsx")
    target = tmp_path / "table.xlsx"
    dl.value.save_as(target)
    sheet = list(load_workbook(target, read_only=True)["数值表"].iter_rows(values_only=True))
    assert len(sheet) - 1 == page.locator("#statement-table tr.statement-row").count()
    assert {r[11] for r in sheet[1:]} == {2023}
    # a chart point leads to its paragraph
    href = points.first.get_attribute("href")
    pid = href.rsplit("/", 1)[1]
    points.first.locator("circle").click()
    page.wait_for_url(re.compile(r"/reports/"))
    assert page.url.endswith("#" + pid)
    expect(page.locator(f'[id="{pid}"]')).to_be_visible()
    context.close()
    assert not errors, errors
