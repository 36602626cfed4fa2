"""Indicator names as the reports write them: an uncatalogued rate is grouped under its name in
the match form (Simplified), but the /indicators pages and the catalogue API show the wording
its reports write (結案率 from reports in Traditional characters), while links and lookups
keep working with either script. Built for real from composed reports."""
from __future__ import annotations

import re
from html import unescape
from pathlib import Path
from urllib.parse import quote

import pytest


def _report(issuer: str, year: int, published: str, body: list[str]) -> str:
    lines = [f"{issuer}關於{year}年度法治政府建設情況的報告",
             f"發布時間：{published} 信息來源：司法局",
             f"{year}年，我們全面推進法治政府建設，現將有關情況報告如下。",
             f"一、{year}年度推進法治政府建設的主要舉措和成效"]
    lines += body
    lines += ["二、存在的不足和原因", "基層執法人員專業能力有待提高。",
              "三、下一年度工作安排", "繼續深化法治政府建設。",
              issuer, f"{published[:4]}年2月15日"]
    return "\n".join(lines) + "\n"


COMPOSED = {
    # two reports in Traditional characters and one in Simplified state the same
    # uncatalogued rate (結案率 / 结案率); the Traditional wording is the most written
    "a_trad_2022.txt": _report("新竹縣政府", 2022, "2023-03-10", [
        "全年受理行政復議案件126件，審結118件，結案率為85.9%。",
        "行政機關負責人出庭應訴率達100%。"]),
    "b_trad_2023.txt": _report("新竹縣政府", 2023, "2024-03-01", [
        "審結行政復議案件85件，結案率達到92.3%，按期辦結率為100%。"]),
    "c_simp_2023.txt": _report("龙泉市人民政府", 2023, "2024-02-20", [
        "全年审结行政复议案件50件，结案率为88%，群众满意率达到96.5%。"]),
}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    from index.config import load_config
    from index.writer import update_index
    from searcher import open_searcher
    from web.app import create_app

    tmp = tmp_path_factory.mktemp("indicator_names")
    root = tmp / "reports"
    root.mkdir()
    for name, text in COMPOSED.items():
        (root / name).write_text(text, encoding="utf-8")
    config = load_config()
    config["corpus"] = [str(root)]
    config["index_dir"] = str(tmp / "index")
    summary = update_index(config["corpus"], config["index_dir"], config)
    assert not summary.failed, summary.failed
    searcher = open_searcher(config["index_dir"], config)
    return searcher, create_app(config, searcher).test_client()


def _uncatalogued(client) -> dict:
    data = client.get("/api/indicators").get_json()
    return {e["name"]: e for e in data["uncatalogued"]}


def test_api_shows_the_rate_as_the_reports_write_it(built):
    _, client = built
    found = _uncatalogued(client)
    # one entry for both scripts, keyed by the match form; shown as most reports write it
    assert "结案率" in found and "結案率" not in found
    assert found["结案率"]["label"] == "結案率"
    assert found["结案率"]["statements"] == 3 and found["结案率"]["reports"] == 3
    # a rate only Simplified reports state stays as written
    assert found["群众满意率"]["label"] == "群众满意率"
    # a Traditional-only rate: 按期辦結率
    assert found["按期办结率"]["label"] == "按期辦結率"


def test_catalogue_page_shows_the_written_name_and_links_by_key(built):
    _, client = built
    html = client.get("/indicators").get_data(as_text=True)
    table = html[html.index('id="indicator-uncatalogued"'):]
    row = re.search(r'<tr class="indicator-row" data-indicator="结案率">(.*?)</tr>', table).group(1)
    link = re.search(r'<a href="([^"]+)">([^<]+)</a>', row)
    assert unescape(link.group(2)) == "結案率"
    assert link.group(1).startswith("/indicators/" + quote("结案率"))
    # the link works, and the page's heading is the written name too
    page = client.get(unescape(link.group(1)))
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert re.search(r'id="indicator-name">結案率</h1>', body)


def test_either_script_finds_the_rate_and_its_values(built):
    _, client = built
    for name in ("結案率", "结案率"):
        got = client.get("/api/indicators/" + quote(name))
        assert got.status_code == 200
        data = got.get_json()
        assert data["indicator"] == "结案率"
        values = sorted(s["value"] for s in data["statements"])
        assert values == [85.9, 88, 92.3]
        # each statement keeps its own report's characters
        assert {s["wording"] for s in data["statements"]} == {"結案率", "结案率"}


def test_catalogued_entries_show_their_canonical_name(built):
    _, client = built
    data = client.get("/api/indicators").get_json()
    for e in data["catalogue"]:
        assert e["label"] == e["name"]


def test_chart_titles_downloads_and_cli_show_the_written_name(built, capsys):
    searcher, client = built
    body = client.get("/indicators/" + quote("结案率")).get_data(as_text=True)
    assert "結案率（" in unescape(body) and "结案率（" not in unescape(body)
    got = client.get("/indicators/" + quote("结案率") + "/export.csv")
    assert got.status_code == 200
    assert quote("結案率") in got.headers["Content-Disposition"]
    from web.cli import main
    assert main(["indicators", "--index-dir", str(searcher.index_dir)]) == 0
    out = capsys.readouterr().out
    assert "結案率" in out and "结案率" not in out
