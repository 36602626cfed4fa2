"""Comparing two reports (issue 14): pairing, character diffs, the page, the API, the CLI and
the report page's 与上一年对比, on composed reports of one issuer's two years."""
from __future__ import annotations

import json

import pytest

from searcher.compare import ADDED, CHANGED, REMOVED, SAME, char_diff, compare_reports

KEPT = "全面推行行政执法公示制度、执法全过程记录制度和重大执法决定法制审核制度，规范执法行为。"
EDITED_BEFORE = "全年办理行政复议案件126件，依法纠错11件，行政复议决定书全部网上公开，复议纠错率保持合理水平。"
EDITED_AFTER = "全年办理行政复议案件148件，依法纠错9件，行政复议决定书全部网上公开，复议纠错率保持合理水平。"
DROPPED = "组织全县领导干部旁听庭审活动，参加人数达到三百余人，进一步增强了领导干部的法治意识和依法行政能力。"
NEW = "新建成县级公共法律服务中心一个，乡镇公共法律服务工作站实现全覆盖，群众办事更加便捷<b>高效</b>。"
SHORT = "基层执法人员专业能力有待提高，执法规范化水平仍需加强。"


def _report(year: int, body: list[str], shortcoming: str) -> str:
    lines = [f"江山县人民政府关于{year}年度法治政府建设情况的报告",
             f"发布时间：{year + 1}-02-20 信息来源：县司法局",
             f"{year}年，江山县全面推进法治政府建设，现将有关情况报告如下。",
             f"一、{year}年度推进法治政府建设的主要举措和成效"]
    lines += body
    lines += ["二、存在的不足和原因", shortcoming,
              "三、下一年度工作安排", "继续深化法治政府建设，加强执法队伍建设和合法性审查工作。",
              "江山县人民政府", f"{year + 1}年2月15日"]
    return "\n".join(lines) + "\n"


COMPOSED = {
    "jiangshan_2022.txt": _report(2022, [KEPT, EDITED_BEFORE, DROPPED], SHORT),
    "jiangshan_2023.txt": _report(2023, [KEPT, EDITED_AFTER, NEW], SHORT),
}


@pytest.fixture(scope="module")
def pair(tmp_path_factory):
    from index.config import load_config
    from index.writer import update_index
    from searcher import open_searcher

    root = tmp_path_factory.mktemp("compare_corpus")
    for name, text in COMPOSED.items():
        (root / name).write_text(text, encoding="utf-8")
    config = load_config()
    config["corpus"] = [str(root)]
    config["index_dir"] = str(tmp_path_factory.mktemp("compare_index"))
    summary = update_index(config["corpus"], config["index_dir"], config)
    assert not summary.failed, summary.failed
    searcher = open_searcher(config["index_dir"], config)
    by_year = {r["year"]: r["report_id"] for r in searcher.reports()}
    return config, searcher, by_year[2022], by_year[2023]


def _pairs(result):
    return [p for s in result.sections for p in s.pairs]


def test_pairs_same_changed_added_removed(pair):
    _, searcher, old, new = pair
    result = compare_reports(searcher.report(old), searcher.report(new))
    by_text = {}
    for p in _pairs(result):
        for side in (p.a, p.b):
            if side:
                by_text[side["text"]] = p
    assert by_text[KEPT].status == SAME
    assert by_text[SHORT].status == SAME
    edited = by_text[EDITED_AFTER]
    assert edited.status == CHANGED and edited.a["text"] == EDITED_BEFORE
    assert 0.5 <= edited.similarity < 1
    # the diff rebuilds both texts and marks exactly the changed figures
    assert "".join(t for op, t in edited.diff if op != "+") == EDITED_BEFORE
    assert "".join(t for op, t in edited.diff if op != "-") == EDITED_AFTER
    changed = {t for op, t in edited.diff if op != "="}
    assert changed <= {"126", "148", "12", "14", "26", "48", "2", "4", "6", "8", "11", "9", "1"}
    assert by_text[NEW].status == ADDED and by_text[NEW].a is None
    assert by_text[DROPPED].status == REMOVED and by_text[DROPPED].b is None
    summary = result.summary()
    assert summary[CHANGED] >= 1 and summary[ADDED] >= 1 and summary[REMOVED] >= 1
    # sections come in the canonical order
    names = [s.section for s in result.sections]
    assert names.index("主要举措和成效") < names.index("存在的不足和原因")


def test_width_and_script_differences_are_not_changes():
    a = {"paragraphs": [{"id": "a-p1", "section": "主要举措和成效", "kind": "paragraph",
                         "text": "出庭应诉率达100%，行政复议案件全部依法办结。"}]}
    b = {"paragraphs": [{"id": "b-p1", "section": "主要举措和成效", "kind": "paragraph",
                         "text": "出庭應訴率達１００％，行政復議案件全部依法辦結。"}]}
    (p,) = _pairs(compare_reports(a, b))
    assert p.status == SAME


def test_unrelated_paragraphs_are_not_paired():
    a = {"paragraphs": [{"id": "a-p1", "section": "主要举措和成效", "kind": "paragraph",
                         "text": "组织开展全县行政执法案卷评查，共评查案卷二百余卷。"}]}
    b = {"paragraphs": [{"id": "b-p1", "section": "主要举措和成效", "kind": "paragraph",
                         "text": "建成覆盖城乡的公共法律服务网络，提供咨询两万人次。"}]}
    statuses = sorted(p.status for p in _pairs(compare_reports(a, b)))
    assert statuses == sorted([ADDED, REMOVED])


def test_char_diff_round_trip():
    for a, b in (("", "新增"), ("删除", ""), ("甲乙丙丁", "甲丙丁戊"), (EDITED_BEFORE, EDITED_AFTER)):
        d = char_diff(a, b)
        assert "".join(t for op, t in d if op != "+") == a
        assert "".join(t for op, t in d if op != "-") == b


def test_page_and_api(pair):
    from web.app import create_app

    config, searcher, old, new = pair
    client = create_app(config, searcher).test_client()
    api = client.get(f"/api/compare?a={old}&b={new}")
    assert api.status_code == 200
    data = api.get_json()
    assert data["a"]["report_id"] == old and data["b"]["report_id"] == new
    assert "/" not in (data["a"].get("file") or "")
    statuses = [p["status"] for s in data["sections"] for p in s["pairs"]]
    assert {SAME, CHANGED, ADDED, REMOVED} <= set(statuses)
    page = client.get(f"/compare?a={old}&b={new}").get_data(as_text=True)
    assert '<del class="diff-del">' in page and '<ins class="diff-ins">' in page
    assert "&lt;b&gt;高效&lt;/b&gt;" in page and "<b>高效</b>" not in page
    assert client.get("/compare").status_code == 200
    assert client.get(f"/api/compare?a={old}").status_code == 400
    assert client.get(f"/api/compare?a={old}&b={old}").status_code == 400
    missing = client.get(f"/api/compare?a={old}&b=nosuchreport")
    assert missing.status_code == 404 and "没有" in missing.get_json()["error"]
    # the later report's page links to the comparison with its previous year
    report_page = client.get(f"/reports/{new}").get_data(as_text=True)
    assert f"/compare?a={old}&amp;b={new}" in report_page


def test_cli_compare(pair, capsys):
    from web.cli import run_compare

    config, _, old, new = pair
    assert run_compare(config, old, new, as_json=True) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["summary"][CHANGED] >= 1
    assert run_compare(config, old, new) == 0
    out = capsys.readouterr().out
    assert "[-126-]" in out or "[-12-]" in out or "[-2-]" in out
    assert "新增：" + NEW in out
    assert run_compare(config, old, "nosuchreport") == 2


def test_browser_previous_year_comparison(pair):
    import os
    import threading
    from pathlib import Path

    if not Path("/usr/bin/chromium").exists() and not os.environ.get("CI"):
        pytest.skip("/usr/bin/chromium is not installed")
    import waitress
    from playwright.sync_api import expect, sync_playwright

    from web.app import create_app

    config, searcher, old, new = pair
    server = waitress.create_server(create_app(config, searcher), host="127.0.0.1", port=0,
                                    threads=2)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    errors: list[str] = []
    try:
        with sync_playwright() as p:
            b = p.chromium.launch(executable_path="/usr/bin/chromium",
                                  args=["--no-sandbox", "--disable-gpu"])
            pg = b.new_page(locale="zh-CN")
            pg.set_default_timeout(10_000)
            pg.on("pageerror", lambda exc: errors.append(str(exc)))
            pg.goto(f"http://127.0.0.1:{server.effective_port}/reports/{new}")
            pg.click("#compare-previous")
            expected = compare_reports(searcher.report(old), searcher.report(new)).summary()
            expect(pg.locator("#compare-summary")).to_contain_text(f"修改 {expected[CHANGED]} 段")
            changed = pg.locator("tr.pair-changed").first
            expect(changed.locator("del.diff-del").first).to_be_visible()
            expect(changed.locator("ins.diff-ins").first).to_be_visible()
            expect(pg.locator("tr.pair-added")).to_contain_text("公共法律服务中心")
            b.close()
    finally:
        server.close()
        thread.join(timeout=5)
    assert not errors, errors

