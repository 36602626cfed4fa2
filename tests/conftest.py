"""Shared fixtures: an index built once per test session from the seeds plus composed reports.

The composed reports are written in the styles real reports use (a web page's chrome lines,
一、/（一） headings, a signature block) and add what the seeds do not have: one issuer with
reports of two years, a department's report, hostile markup in the text, full-width digits.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

SEEDS = Path(__file__).resolve().parent.parent / "seeds"

COMPOSED = {
    # Same issuer, two years: the report page links them to each other.
    "web_county_2022.txt": """温州市鹿城区人民政府关于2022年度法治政府建设情况的报告
发布时间：2023-02-20 10:30 信息来源：区司法局
2022年，鹿城区坚持以习近平法治思想为指导，全面推进法治政府建设，各项工作取得积极成效。现将有关情况报告如下。
一、2022年度推进法治政府建设的主要举措和成效
（一）规范行政应诉工作
全区行政机关负责人出庭应诉率达到98.5%，较上年提高3个百分点，行政诉讼败诉率持续下降。
区政府常务会议专题研究行政应诉工作，将出庭应诉率纳入法治建设考核，压实各单位主体责任。
（二）推进严格规范公正文明执法
全面推行行政执法公示制度、执法全过程记录制度和重大执法决定法制审核制度，全年开展执法案卷评查两次。
在执法人员培训中，讲解了网页代码<script>alert("xss")</script>与<b>加粗</b>标签的安全风险，以及&amp;符号的含义。
二、存在的不足和原因
部分单位对行政复议和行政应诉工作重视不够，基层执法人员专业能力有待提高，执法规范化水平仍需加强。
三、下一年度工作安排
2023年，我区将继续深化法治政府建设，进一步提升行政机关负责人出庭应诉水平，加强执法队伍建设。
温州市鹿城区人民政府
2023年2月15日
""",
    "web_county_2023.txt": """温州市鹿城区人民政府关于2023年度法治政府建设情况的报告
发布时间：2024-03-01 09:00 信息来源：区司法局
2023年，鹿城区在市委、市政府的坚强领导下，深入学习贯彻党的二十大精神，扎实推进法治政府建设。现将有关情况报告如下。
一、2023年度推进法治政府建设的主要举措和成效
（一）提升行政应诉质效
行政机关负责人出庭应诉率达１００％，实现出庭应诉全覆盖，全年行政诉讼案件数量同比下降。
（二）深化行政复议体制改革
全年办理行政复议案件三百余件，行政复议决定书全部网上公开，复议纠错率保持合理水平。
二、存在的不足和原因
法治宣传教育的针对性和实效性有待增强，部分乡镇街道合法性审查力量薄弱。
三、下一年度工作安排
2024年，我区将持续加强合法性审查工作，推动法治政府建设再上新台阶。
温州市鹿城区人民政府
2024年2月26日
""",
    # A department's report (部门), a different province.
    "web_department_2023.txt": """常州市司法局2023年度法治政府建设年度报告
发布日期：2024-01-30 信息来源：市司法局
2023年，市司法局以习近平法治思想为指导，认真履行统筹推进法治政府建设职责，现将有关情况报告如下。
一、主要举措和成效
（一）加强行政执法协调监督
组织开展全市行政执法案卷评查，指导各地落实行政机关负责人出庭应诉制度，全市出庭应诉率稳步提升。
（二）推进公共法律服务体系建设
建成覆盖城乡的公共法律服务网络，全年提供法律咨询服务两万余人次。
二、存在的不足
行政执法监督信息化水平不高，基层法律服务力量分布不均衡。
三、2024年工作安排
推动行政执法协调监督工作体系建设，持续优化法治化营商环境。
常州市司法局
2024年1月25日
""",
}


@pytest.fixture(scope="session")
def corpus_dir(tmp_path_factory) -> Path:
    """A folder with the five seeds and the composed reports above."""
    root = tmp_path_factory.mktemp("corpus")
    for f in sorted(SEEDS.glob("*.txt")):
        shutil.copy(f, root / f.name)
    for name, text in COMPOSED.items():
        (root / name).write_text(text, encoding="utf-8")
    return root


@pytest.fixture(scope="session")
def web_config(tmp_path_factory, corpus_dir) -> dict:
    """The default configuration pointed at the session corpus and a session index folder."""
    from index.config import load_config
    config = load_config()
    config["corpus"] = [str(corpus_dir)]
    config["index_dir"] = str(tmp_path_factory.mktemp("index"))
    return config


@pytest.fixture(scope="session")
def index_dir(web_config) -> str:
    """The session index, built once from corpus_dir with the real write path."""
    from index.writer import update_index
    summary = update_index(web_config["corpus"], web_config["index_dir"], web_config)
    assert not summary.failed, summary.failed
    return web_config["index_dir"]


@pytest.fixture(scope="session")
def searcher(index_dir, web_config):
    from searcher import open_searcher
    return open_searcher(index_dir, web_config)


@pytest.fixture(scope="session")
def app(searcher, web_config):
    from web.app import create_app
    return create_app(web_config, searcher)


@pytest.fixture()
def client(app):
    return app.test_client()


# ---- in Chromium: the `app` of the requesting module (or the one above), served by waitress

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="module")
def base_url(app):
    import threading

    import waitress
    server = waitress.create_server(app, host="127.0.0.1", port=0, threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.effective_port}"
    server.close()


@pytest.fixture(scope="module")
def browser():
    import os
    if not Path(CHROMIUM).exists() and not os.environ.get("CI"):
        pytest.skip("chromium is not installed")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        yield b
        b.close()


@pytest.fixture()
def pg(browser, base_url):
    """A page that fails the test on any JavaScript error."""
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    yield page
    context.close()
    assert not errors, errors
