"""Report checks and coverage (issue 15): on the seeds, on composed reports, and through the
pages, the API, the exports and the CLI."""
from __future__ import annotations

import csv
import io
import json

import pytest

from index.model import SECTIONS
from searcher import checks as ck
from searcher.coverage import gazetteer_version, places_of

PARTS = [s for s in SECTIONS if s not in ("前言", "落款")]
SEED_IDS = ("000_", "001_", "002_", "003_", "004_")


def _seed_rows(searcher, config):
    rows = ck.all_checks(searcher, config)
    return {r["report_id"]: r for r in rows if r["report_id"].startswith(SEED_IDS)}


# ---- seeds -------------------------------------------------------------------------------

def test_seed_parts_follow_their_sections(searcher, web_config):
    rows = _seed_rows(searcher, web_config)
    assert len(rows) == 5
    for rid, row in rows.items():
        paragraphs = searcher.report(rid)["paragraphs"]
        sections = {p["section"] for p in paragraphs}
        headed = {p["section"] for p in paragraphs if p["kind"] == "heading"}
        assert row["sections_present"] == [s for s in PARTS if s in sections], rid
        assert row["sections_missing"] == [s for s in PARTS if s not in sections], rid
        assert headed & set(PARTS) <= set(row["sections_present"])
        assert row["first_responsible_present"] == ("第一责任人职责" in sections)
        assert (ck.FLAG_MISSING_FIRST in row["flags"]) == ("第一责任人职责" not in sections)
        # lengths per part add up to the part's characters
        for s in PARTS:
            text = "".join(p["text"] for p in paragraphs if p["section"] == s)
            assert row["parts"][s]["chars"] == len("".join(text.split()))
        assert "/" not in row["file"] and "\\" not in row["file"]


def test_seed_dates(searcher, web_config):
    rows = _seed_rows(searcher, web_config)
    by_prefix = {rid[:3]: r for rid, r in rows.items()}
    assert by_prefix["003"]["published"] is None
    assert by_prefix["003"]["on_time"] is None
    assert ck.FLAG_UNKNOWN_DATE in by_prefix["003"]["flags"]
    assert by_prefix["000"]["published"] == "2024-03-29"
    assert by_prefix["000"]["deadline"] == "2024-04-01"
    assert by_prefix["000"]["on_time"] is True


def test_figures_counted():
    settings = ck.check_settings({})
    assert ck.count_figures("办理案件３００件，出庭应诉率１００％，培训2000人次，投入50万元", settings) == 4
    assert ck.count_figures("2023年，我区进一步加强法治建设", settings) == 0
    assert ck.count_figures("全年办理行政复议案件三百余件", settings) == 1


# ---- composed reports ----------------------------------------------------------------------

BODY = """一、主要举措和成效
（一）推进严格规范公正文明执法
全年办理行政复议案件120件，行政机关负责人出庭应诉率100%，开展执法培训15次。
二、存在的不足和原因
{shortcomings}
{first}四、下一年度工作安排
{year_next}年，我{unit}将继续深化法治政府建设，推动各项工作再上新台阶。
"""
FIRST = """三、党政主要负责人履行推进法治建设第一责任人职责情况
{unit}政府主要负责人认真履行推进法治建设第一责任人职责，召开专题会议4次研究法治政府建设工作。
"""
CONCRETE = "全区仍有3个乡镇未配备专职法制审核人员，2件行政诉讼案件败诉，原因是证据收集不规范。"
STOCK = "法治宣传教育的针对性和实效性有待增强。基层执法人员专业能力有待提高，执法规范化水平仍需加强。"


def _report(title, published, signer, signed, shortcomings=CONCRETE, first=True, unit="区",
            year=2023):
    return (f"{title}\n发布时间：{published} 09:00 信息来源：区司法局\n"
            f"{year}年，{signer}坚持以习近平法治思想为指导，全面推进法治政府建设。现将有关情况报告如下。\n"
            + BODY.format(shortcomings=shortcomings, first=FIRST.format(unit=unit) if first else "",
                          year_next=year + 1, unit=unit)
            + f"{signer}\n{signed}\n")


COMPOSED = {
    "full_2023.txt": _report("温州市龙湾区人民政府关于2023年度法治政府建设情况的报告", "2024-03-20",
                             "温州市龙湾区人民政府", "2024年3月18日"),
    "no_first_2023.txt": _report("温州市瓯海区人民政府关于2023年度法治政府建设情况的报告",
                                 "2024-03-10", "温州市瓯海区人民政府", "2024年3月8日", first=False),
    "late_2023.txt": _report("温州市洞头区人民政府关于2023年度法治政府建设情况的报告", "2024-05-06",
                             "温州市洞头区人民政府", "2024年4月28日"),
    "stock_2023.txt": _report("平阳县人民政府关于2023年度法治政府建设情况的报告", "2024-03-25",
                              "平阳县人民政府", "2024年3月20日", shortcomings=STOCK, unit="县"),
    "department_2023.txt": _report("苍南县司法局2023年度法治政府建设年度报告", "2024-03-15",
                                   "苍南县司法局", "2024年3月12日", unit="局"),
    "other_year_2022.txt": _report("温州市鹿城区人民政府关于2022年度法治政府建设情况的报告",
                                   "2023-03-01", "温州市鹿城区人民政府", "2023年2月20日", year=2022),
}


@pytest.fixture(scope="module")
def composed(tmp_path_factory):
    """An index of the composed reports above, built with the real write path."""
    from index.config import load_config
    from index.writer import update_index
    from searcher import open_searcher

    root = tmp_path_factory.mktemp("checks_corpus")
    for name, text in COMPOSED.items():
        (root / name).write_text(text, encoding="utf-8")
    config = load_config()
    config["corpus"] = [str(root)]
    config["index_dir"] = str(tmp_path_factory.mktemp("checks_index"))
    summary = update_index(config["corpus"], config["index_dir"], config)
    assert not summary.failed, summary.failed
    searcher = open_searcher(config["index_dir"], config)
    by_file = {r["file"]: r for r in ck.all_checks(searcher, config)}
    return config, searcher, by_file


def test_composed_metadata_as_written(composed):
    _, _, rows = composed
    assert set(rows) == set(COMPOSED)
    assert rows["department_2023.txt"]["issuer_type"] == "部门"
    assert {rows[n]["issuer_type"] for n in rows if n != "department_2023.txt"} == {"政府"}
    assert {r["province"] for r in rows.values()} == {"浙江"}
    assert {r["city"] for r in rows.values()} == {"温州"}
    assert {r["level"] for r in rows.values()} == {"县级"}


def test_full_report_has_every_part_but_other(composed):
    row = composed[2]["full_2023.txt"]
    assert row["sections_missing"] == ["其他"]
    assert row["first_responsible_present"] is True
    assert row["on_time"] is True and row["deadline"] == "2024-04-01"
    assert row["parts"]["存在的不足和原因"]["figures"] == 2
    assert row["flags"] == []


def test_missing_first_responsible_part(composed):
    row = composed[2]["no_first_2023.txt"]
    assert "第一责任人职责" in row["sections_missing"]
    assert "第一责任人职责" not in row["sections_present"]
    assert row["first_responsible_present"] is False
    assert ck.FLAG_MISSING_FIRST in row["flags"]


def test_late_report(composed):
    row = composed[2]["late_2023.txt"]
    assert row["published"] == "2024-05-06"
    assert row["on_time"] is False
    assert ck.FLAG_LATE in row["flags"]


def test_stock_phrase_shortcomings_flagged(composed):
    rows = composed[2]
    assert rows["stock_2023.txt"]["shortcomings_generic"] is True
    assert ck.FLAG_GENERIC in rows["stock_2023.txt"]["flags"]
    assert rows["stock_2023.txt"]["parts"]["存在的不足和原因"]["figures"] == 0
    assert rows["full_2023.txt"]["shortcomings_generic"] is False


def test_department_deadline(composed):
    config, searcher, rows = composed
    row = rows["department_2023.txt"]
    # published 2024-03-15: after the departments' 03-01, before the governments' 04-01
    assert row["deadline"] == "2024-03-01" and row["on_time"] is False
    relaxed = dict(config, checks=dict(config["checks"], department_deadline="04-01"))
    again = {r["file"]: r for r in ck.all_checks(searcher, relaxed)}
    assert again["department_2023.txt"]["deadline"] == "2024-04-01"
    assert again["department_2023.txt"]["on_time"] is True


def test_coverage_against_gazetteer_city(composed):
    from searcher.coverage import coverage

    _, searcher, rows = composed
    wenzhou = [p.name for p in places_of("浙江", "县级") if p.city == "温州"]
    assert {"龙湾区", "瓯海区", "洞头区", "平阳县", "苍南县", "鹿城区"} <= set(wenzhou)
    result = coverage(searcher.reports(), "浙江", 2023, "县级")
    places = {p["name"]: p for p in result["places"] if p["city"] == "温州"}
    assert sorted(places) == sorted(wenzhou)
    present = {n for n, p in places.items() if p["present"]}
    assert present == {"龙湾区", "瓯海区", "洞头区", "平阳县", "苍南县"}   # 鹿城区: only 2022
    assert places["苍南县"]["government_report"] is False    # counted by its department
    city = next(c for c in result["cities"] if c["city"] == "温州")
    assert city == {"city": "温州", "total": len(wenzhou), "present": 5}
    assert result["present"] == 5 and result["total"] == len(places_of("浙江", "县级"))
    assert result["gazetteer"]["version"] == gazetteer_version()["version"] is not None
    assert result["unplaced"] == []
    ids = {r["report_id"] for r in places["龙湾区"]["reports"]}
    assert ids == {rows["full_2023.txt"]["report_id"]}


# ---- pages, API, exports, CLI ------------------------------------------------------------

def test_checks_api_and_filters(client):
    data = client.get("/api/checks?province=浙江省&level=县").get_json()
    assert data["filters"] == {"province": ["浙江"], "level": ["县级"]}
    assert data["total"] == len(data["checks"]) > 0
    assert all(r["province"] == "浙江" and r["level"] == "县级" for r in data["checks"])
    for key in ("report_id", "file", "sections_present", "sections_missing", "published",
                "deadline", "on_time"):
        assert key in data["checks"][0]
    bad = client.get("/api/checks?province=火星")
    assert bad.status_code == 400 and "火星" in bad.get_json()["error"]
    assert client.get("/api/checks?sort=x").status_code == 400


def test_checks_page_escaped_and_sorted(client):
    page = client.get("/checks?sort=on_time").get_data(as_text=True)
    assert "报告检查" in page and "checks-table" in page and "<script>alert" not in page
    assert "/work/" not in page and "/tmp/" not in page
    assert client.get("/checks?year=2023").status_code == 200


def test_checks_csv_and_xlsx_read_back(client, searcher, web_config):
    openpyxl = pytest.importorskip("openpyxl")
    expected = ck.checks(searcher, web_config, {"year": ["2023"]})
    text = client.get("/checks.csv?year=2023").get_data(as_text=True).lstrip("\ufeff")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ck.table_header()
    assert [r[0] for r in rows[1:]] == [r["report_id"] for r in expected]
    on_time = rows[0].index("按时发布")
    assert [r[on_time] for r in rows[1:]] == [ck._yes_no(r["on_time"]) for r in expected]
    resp = client.get("/checks.xlsx?year=2023")
    assert resp.mimetype == ck_xlsx_type()
    ws = openpyxl.load_workbook(io.BytesIO(resp.data)).active
    values = list(ws.iter_rows(values_only=True))
    assert list(values[0]) == ck.table_header()
    assert [v[0] for v in values[1:]] == [r["report_id"] for r in expected]


def ck_xlsx_type():
    from web.checks import XLSX_TYPE
    return XLSX_TYPE


def test_coverage_pages(client, searcher):
    page = client.get("/coverage?province=浙江&year=2019&level=县级").get_data(as_text=True)
    assert "瑞安市" in page and "jionlp" in page and gazetteer_version()["version"] in page
    data = client.get("/api/coverage?province=浙江省&year=2019&level=县").get_json()
    ruian = next(p for p in data["places"] if p["name"] == "瑞安市")
    assert ruian["present"] and ruian["reports"][0]["report_id"].startswith("002_")
    assert data["present"] == sum(c["present"] for c in data["cities"])
    assert client.get("/api/coverage").status_code == 400
    assert client.get("/api/coverage?province=火星&year=2019").status_code == 400
    text = client.get("/coverage.csv?province=浙江&year=2019").get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert len(rows) == data["total"] + 1 and ["瑞安市", "温州"] == rows[
        [r[0] for r in rows].index("瑞安市")][:2]
    assert client.get("/coverage.xlsx?province=浙江&year=2019").status_code == 200
    assert client.get("/coverage").status_code == 200


def test_cli_checks_and_coverage(web_config, index_dir, capsys):
    from web.cli import run_checks, run_coverage

    assert run_checks(web_config, {"year": ["2023"]}, as_json=True) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows and all(r["year"] == 2023 for r in rows)
    assert {"report_id", "file", "sections_present", "sections_missing", "published",
            "deadline", "on_time"} <= set(rows[0])
    assert run_checks(web_config, {}, as_csv=True) == 0
    assert capsys.readouterr().out.startswith("报告编号,")
    assert run_checks(web_config, {"province": ["火星"]}) == 2
    assert run_coverage(web_config, "浙江", "2019", "县级", as_json=True) == 0
    result = json.loads(capsys.readouterr().out)
    assert any(p["name"] == "瑞安市" and p["present"] for p in result["places"])
    assert run_coverage(web_config, "浙江", "2019-2020") == 2


# ---- browser: the checks table filtered and exported, coverage of one province ------------

def test_browser_checks_and_coverage(app, searcher, web_config):
    import os
    import threading
    from pathlib import Path

    if not Path("/usr/bin/chromium").exists() and not os.environ.get("CI"):
        pytest.skip("/usr/bin/chromium is not installed")
    import waitress
    from playwright.sync_api import expect, sync_playwright

    server = waitress.create_server(app, host="127.0.0.1", port=0, threads=2)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.effective_port}"
    errors: list[str] = []
    try:
        with sync_playwright() as p:
            b = p.chromium.launch(executable_path="/usr/bin/chromium",
                                  args=["--no-sandbox", "--disable-gpu"])
            context = b.new_context(locale="zh-CN", accept_downloads=True)
            pg = context.new_page()
            pg.set_default_timeout(10_000)
            pg.on("pageerror", lambda exc: errors.append(str(exc)))
            pg.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            pg.goto(base + "/checks")
            pg.select_option("#filter-province", "浙江")
            pg.click("#checks-apply")
            expected = ck.checks(searcher, web_config, {"province": ["浙江"]})
            expect(pg.locator("#checks-table tbody tr")).to_have_count(len(expected))
            with pg.expect_download() as info:
                pg.click("#export-csv")
            text = Path(info.value.path()).read_text(encoding="utf-8-sig")
            rows = list(csv.reader(io.StringIO(text)))
            assert [r[0] for r in rows[1:]] == [r["report_id"] for r in expected]
            pg.goto(base + "/coverage")
            pg.fill("#coverage-province", "浙江")
            pg.fill("#coverage-year", "2019")
            pg.select_option("#coverage-level", "县级")
            pg.click("#coverage-form button[type=submit]")
            expect(pg.locator("#coverage-places tr.present")).to_have_count(1)
            expect(pg.locator("#coverage-places tr.present")).to_contain_text("瑞安市")
            expect(pg.locator("#gazetteer-note")).to_contain_text("jionlp")
            b.close()
    finally:
        server.close()
        thread.join(timeout=5)
    assert not errors, errors


def test_the_report_page_shows_its_checks(client):
    import html as htmllib
    import re
    rows = {r["report_id"]: r for r in client.get("/api/checks").get_json()["checks"]}
    for rid, row in rows.items():
        page = htmllib.unescape(client.get(f"/reports/{rid}").get_data(as_text=True))
        panel = re.search(r'<section class="meta-card" id="checks">(.*?)</section>', page, re.S)
        assert panel, rid
        text = re.sub(r"<[^>]+>", "", panel.group(1))
        want = "未知" if row["on_time"] is None else ("按时" if row["on_time"] else "逾期")
        assert want in text, (rid, text)
        for name in row["sections_missing"]:
            assert name in text


def test_shortcomings_repeated_from_the_previous_year():
    from searcher.checks import repeated_share

    def report(year, lines):
        return {"issuer": "某县人民政府", "year": year,
                "paragraphs": [{"section": "存在的不足和原因", "kind": "text", "text": t}
                               for t in lines]}
    old = report(2022, ["基层执法人员专业能力有待提高，执法规范化水平仍需加强。",
                        "法治宣传教育的针对性和实效性有待增强。"])
    same = "基层执法人员专业能力有待提高，执法规范化水平仍需加强。"
    new_text = "部分乡镇街道合法性审查力量薄弱，审查人员不足。"
    new = report(2023, [same, new_text])
    assert repeated_share(new, old) == round(len(same) / (len(same) + len(new_text)), 3)
    assert repeated_share(new, None) is None
    # full-width / half-width spellings are the same text
    assert repeated_share(report(2023, [same.replace("，", ",")]), old) == 1.0


def test_report_page_says_how_much_of_the_shortcomings_repeats_last_year(client):
    import html as htmllib
    page = htmllib.unescape(client.get("/reports/web_county_2023").get_data(as_text=True))
    assert "不足部分与上年重复" in page and "0.0%" in page


def test_reports_list_shows_each_reports_check_flags(client):
    import html as htmllib
    page = htmllib.unescape(client.get("/reports").get_data(as_text=True))
    for row in client.get("/api/checks").get_json()["checks"]:
        cell = page.split(f'/reports/{row["report_id"]}#checks', 1)
        assert len(cell) == 2, row["report_id"]
        shown = cell[1].split("</td>", 1)[0]
        for flag in row["flags"]:
            assert flag in shown
