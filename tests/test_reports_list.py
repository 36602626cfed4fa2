"""The reports list with each report's originality (issue 14): the whole-index table equals
the per-report computation on composed and generated corpora; "the same issuer" keeps
same-named towns of two counties apart; the page, /api/reports (JSON, CSV, XLSX read back) and
`reportsearch reports` (text, --json, --csv) show the same figures."""
from __future__ import annotations

import csv
import io
import json
import time

import pytest

from tests.test_similar import COMPOSED, _build, _report, SOURCE, STOCK_A, STOCK_B


def _town_report(county: str, year: int, published: str, body: str) -> str:
    return "\n".join([
        f"{county}城关镇人民政府关于{year}年度法治政府建设情况的报告",
        f"发布时间：{published} 信息来源：{county}城关镇人民政府",
        f"{year}年，城关镇在{county}委、{county}政府的领导下推进法治政府建设，现将有关情况报告如下。",
        f"一、{year}年度推进法治政府建设的主要举措和成效", body,
        "二、存在的不足和原因", STOCK_B, "三、下一年度工作安排",
        "继续深化法治政府建设，全面提升依法行政水平，推动各项工作再上新台阶。",
        "城关镇人民政府", f"{published[:4]}年2月15日"]) + "\n"


TOWN_BODY = ("全年开展法治宣传进村入户活动二十三场，调解矛盾纠纷一百零六件，建成村级法律服务点十四个，"
             "村法律顾问实现全覆盖，群众法治意识明显增强。")


@pytest.fixture()
def corpus(tmp_path):
    root = tmp_path / "reports"
    root.mkdir()
    files = dict(COMPOSED)
    # Two towns named 城关镇 in two counties of two provinces: the 2023 one of 岷县 must not
    # take the 2022 one of 蓝田县 for its previous year, though they share their body.
    files["t_lantian_2022.txt"] = _town_report("蓝田县", 2022, "2023-02-01", TOWN_BODY)
    files["u_minxian_2023.txt"] = _town_report("岷县", 2023, "2024-02-01", TOWN_BODY)
    for name, text in files.items():
        (root / name).write_text(text, encoding="utf-8")
    config, searcher = _build(root, tmp_path / "index")
    return root, tmp_path / "index", config, searcher


def test_the_table_equals_each_reports_originality(corpus):
    from searcher.similar import originality, originality_table

    *_, searcher = corpus
    table = originality_table(searcher)
    for rid in searcher.report_ids:
        assert table.of(searcher, rid) == originality(searcher, rid), rid
    c = table.of(searcher, "c_jiangshan_2023")
    assert c["previous_report_id"] == "a_jiangshan_2022" and c["from_previous_year"] == 4
    assert table.of(searcher, "nosuchreport") is None


def test_same_named_towns_of_two_counties_are_two_issuers(corpus):
    from searcher.checks import previous_report_id
    from searcher.similar import originality_table

    *_, searcher = corpus
    towns = {r["report_id"]: r for r in searcher.reports() if r["report_id"][0] in "tu"}
    assert {r["province"] for r in towns.values()} == {"陕西", "甘肃"}, towns
    assert previous_report_id(searcher, "u_minxian_2023") is None
    o = originality_table(searcher).of(searcher, "u_minxian_2023")
    assert o["previous_report_id"] is None and o["from_previous_year"] is None
    # the other county's town wrote the same body a year earlier: that is copied elsewhere
    assert o["earlier_elsewhere"] >= 1


def test_the_table_equals_each_reports_originality_on_a_generated_corpus(tmp_path):
    from bench.generate import generate
    from searcher.similar import originality, originality_table

    root = tmp_path / "gen"
    generate(root, reports=40, seed=7, paragraphs=20)
    _, searcher = _build(root, tmp_path / "index")
    table = originality_table(searcher)
    got = [table.of(searcher, rid) for rid in searcher.report_ids]
    assert got == [originality(searcher, rid) for rid in searcher.report_ids]
    assert sum(bool(o["earlier_elsewhere"]) for o in got) >= 10   # template text


def test_cli_reports_text_json_and_csv(corpus, capsys):
    from web.cli import cli

    root, index_dir, config, searcher = corpus
    args = ["reports", "--index-dir", str(index_dir)]
    assert cli.main(args + ["--json", "--sort", "from_previous_year"],
                    standalone_mode=False) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows[0]["report_id"] == "c_jiangshan_2023"     # the most repeated first
    assert rows[0]["originality"]["from_previous_year_share"] == 0.8
    assert {r["report_id"] for r in rows} == set(searcher.report_ids)
    assert cli.main(args + ["--csv", "--province", "浙江省"], standalone_mode=False) == 0
    table = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert {r["报告编号"] for r in table} == {"a_jiangshan_2022", "b_longquan_2022",
                                           "c_jiangshan_2023"}
    c = next(r for r in table if r["报告编号"] == "c_jiangshan_2023")
    assert (c["上一年报告编号"], c["沿用上年段落数"], c["比对段落数"]) == ("a_jiangshan_2022", "4", "5")
    assert cli.main(args, standalone_mode=False) == 0
    out = capsys.readouterr().out
    assert "沿用上年 80%（4 段，上一年 a_jiangshan_2022）" in out
    assert cli.main(args + ["--province", "火星"], standalone_mode=False) == 2


@pytest.fixture()
def client(corpus):
    from web.app import create_app

    root, index_dir, config, _ = corpus
    app = create_app(config)
    app.config["TESTING"] = True
    return app.test_client()


def test_reports_page_shows_originality_and_links_the_comparison(client):
    from searcher.similar import originality_table_ready
    from web.app import get_searcher

    with client.application.app_context():
        deadline = time.monotonic() + 30
        while originality_table_ready(get_searcher()) is None and time.monotonic() < deadline:
            time.sleep(0.05)
    html = client.get("/reports?sort=from_previous_year").get_data(as_text=True)
    assert "先见于他处" in html and "计算中" not in html
    first_row = html.split('class="report-row"')[1]
    assert "c_jiangshan_2023" in first_row and ">80%<" in first_row
    assert "/compare?a=a_jiangshan_2022&amp;b=c_jiangshan_2023" in first_row
    assert client.get("/reports?sort=nonsense").status_code == 400


def test_api_reports_filters_and_downloads(client):
    from openpyxl import load_workbook

    data = client.get("/api/reports?province=浙江&sort=earlier_elsewhere").get_json()
    assert data["matching"] == 3 and data["total"] == 5
    assert data["reports"][0]["originality"]["earlier_elsewhere"] >= 1
    assert all("path" not in r for r in data["reports"])
    resp = client.get("/api/reports?province=浙江&format=xlsx")
    assert resp.status_code == 200 and "attachment" in resp.headers["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(resp.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    head = list(rows[0])
    assert len(rows) == 4 and "沿用上年比例" in head
    by_id = {r[0]: dict(zip(head, r)) for r in rows[1:]}
    assert by_id["c_jiangshan_2023"]["沿用上年比例"] == 0.8
    text = client.get("/api/reports?format=csv").get_data(as_text=True)
    assert len(list(csv.reader(io.StringIO(text)))) == 6
    assert client.get("/api/reports?format=pdf").status_code == 400
