"""Cleaning: page chrome is marked, every line of the report body survives in order."""
from __future__ import annotations

import copy
from pathlib import Path

import pytest

from index.clean import Line, clean_lines, is_chrome
from index.config import load_config

SEEDS = Path(__file__).resolve().parent.parent / "seeds"

# The page chrome of each seed, read off the files by hand (line starts, in order).
SEED_CHROME = {
    "000": ["发布时间:2024-03-29", "为进一步了解掌握社会公众", "• 姓 名:", "• 联系方式:",
            "• *内 容:", "• *验 证 码:"],
    "001": ["您当前的位置:", "日期:2024-03-15", "扫一扫在手机打开当前页"],
    "002": ["发布日期:2020-03-23", "打印本页 关闭窗口"],
    "003": ["您当前的位置:首页"],
    "004": [],
}


def seed_text(prefix: str) -> str:
    return next(SEEDS.glob(prefix + "_*.txt")).read_text(encoding="utf-8")


def nonempty_lines(text: str) -> list[str]:
    """The file's lines as a reader sees them: blanks folded, empty ones skipped."""
    out = []
    for raw in text.splitlines():
        line = " ".join(raw.replace("\u3000", " ").replace("\xa0", " ")
                        .replace("\u2003", " ").split())
        if line:
            out.append(line)
    return out


@pytest.mark.parametrize("prefix", sorted(SEED_CHROME))
def test_seed_body_lines_all_survive_in_order(prefix):
    text = seed_text(prefix)
    lines = clean_lines(text)
    expected_chrome = SEED_CHROME[prefix]
    chrome = [l.text for l in lines if l.chrome]
    assert len(chrome) == len(expected_chrome)
    assert all(c.startswith(want) for c, want in zip(chrome, expected_chrome))
    expected_body = [l for l in nonempty_lines(text)
                     if not any(l.startswith(c) for c in expected_chrome)]
    assert [l.text for l in lines if not l.chrome] == expected_body
    assert all(l.text and l.text == l.text.strip() for l in lines)


def test_seed_signature_and_contact_lines_are_body():
    body = {l.text for l in clean_lines(seed_text("001")) if not l.chrome}
    assert "重庆市渝北区人民政府两路街道办事处" in body
    assert "2024年1月19日" in body
    assert any(t.startswith("(联系领导:") and "联系电话:" in t for t in body)
    body3 = [l.text for l in clean_lines(seed_text("003")) if not l.chrome]
    assert body3[-3:] == ["常州市天宁区人民政府", "2025年2月21日", "(此件公开发布)"]
    assert body3[0] == "常州市人民政府:"


def test_publishing_line_is_kept_as_chrome_for_metadata():
    lines = clean_lines(seed_text("000"))
    pub = [l for l in lines if "信息来源" in l.text]
    assert len(pub) == 1 and pub[0].chrome
    assert "2024-03-29 15:08" in pub[0].text and "区司法局" in pub[0].text


def test_full_width_forms_and_blank_variants_are_normalized():
    text = ("（一）坚持党的领导\u3000强化责任\r\n\r\n"
            "\t全区１２３名执法人员，出庭应诉率１００％。\xa0\xa0\n"
            "\u3000\u3000\n"
            "二、存在问题\u2003\n")
    lines = clean_lines(text)
    # display form: the report's own characters, whitespace tidied
    assert [l.text for l in lines] == [
        "（一）坚持党的领导 强化责任",
        "全区１２３名执法人员，出庭应诉率１００％。",
        "二、存在问题",
    ]
    # rule form: what the extraction rules read
    assert [l.form for l in lines] == [
        "(一)坚持党的领导 强化责任",
        "全区123名执法人员,出庭应诉率100%。",
        "二、存在问题",
    ]
    assert not any(l.chrome for l in lines)


# One line per kind of chrome seen on Chinese government portals.
PORTAL_CHROME = [
    "您当前的位置:首页 > 政务公开 > 法治政府建设",
    "当前位置：首页>信息公开>法治政府建设年度报告",
    "您现在的位置： 首页 > 法治政府",
    "首页 > 政府信息公开 > 年度报告",
    "发布时间：2024-03-29 15:08 信息来源：区司法局 文字大小：[ 大 中 小 ] 背景色：",
    "发布日期:2020-03-23 信息来源: 瑞安市人民政府 浏览次数: 字号:[ ]",
    "来源：市司法局　　发布时间：2023年02月01日　　浏览次数：1234",
    "时间：2023/02/01 10:21:33 作者：办公室 【字体：大 中 小】 【打印】 【关闭】",
    "日期:2024-03-15",
    "索引号：11340400003285457X/2024-00123 发布机构：区政府办",
    "【字体：大 中 小】【打印本页】【关闭窗口】",
    "字号：[大 中 小]",
    "打印本页 关闭窗口",
    "[打印] [关闭]",
    "打印 | 关闭 | 返回顶部",
    "扫一扫在手机打开当前页",
    "微信扫一扫",
    "用手机扫描二维码 分享到微信",
    "分享到：微信 微博 QQ空间",
    "为进一步了解掌握社会公众对政策执行效果的反馈与评价，请您对该政策的制定及执行提出宝贵的意见或建议。",
    "• 姓\u2003\u2003名：",
    "• 联系方式：",
    "• *内\u2003\u2003容：",
    "• *验 证 码：",
    "提交 重置",
    "今天是2024年5月1日 星期三",
    "2024年5月1日 星期三 农历三月廿三",
    "相关链接",
    "上一篇：关于印发2023年法治政府建设工作要点的通知",
    "下一篇：没有了",
    "网站地图 | 联系我们 | 无障碍浏览",
    "主办：××市人民政府办公室 网站标识码：3404000001 皖ICP备05001234号",
    "版权所有 © 2024 ××区人民政府",
]


@pytest.mark.parametrize("line", PORTAL_CHROME)
def test_portal_chrome_is_marked(line):
    lines = clean_lines(line)
    assert len(lines) == 1 and lines[0].chrome


# Body lines that mention what chrome is made of; they must stay body.
BODY_LOOKALIKES = [
    "全年政府网站浏览次数达120万次,点击率同比上升。",
    "打印机、复印机等办公设备采购严格执行政府采购程序。",
    "分享到朋友圈的普法短视频累计播放10万次。",
    "通过微信扫一扫参与“法律明白人”线上答题活动共3200人次,覆盖全区各村(社区)。",
    "日期",
    "2024年1月19日",
    "二〇二四年一月十九日",
    "(联系领导:白太宏;联系人:赵卫功;联系电话:13996388609)",
    "(此件公开发布)",
    "常州市人民政府:",
    "相关信息及时在政府网站公开。",
    "来源于群众的意见建议全部办结。",
    "时间紧、任务重,各部门协同推进。",
    "内容涵盖宪法、民法典等法律法规",
    "首页改版后,政务公开专栏栏目更加清晰。",
    "二、存在问题",
    "(三)推进合法性审查,规范制度化建设",
    "关于2023年度法治政府建设情况的报告",
]


@pytest.mark.parametrize("line", BODY_LOOKALIKES)
def test_body_lines_that_look_like_chrome_stay_body(line):
    lines = clean_lines(line)
    assert len(lines) == 1 and not lines[0].chrome


def test_long_line_is_never_chrome():
    line = "来源:" + "本区坚持依法行政,推进法治政府建设," * 12
    assert not is_chrome(line)


def test_composed_portal_page_keeps_report_intact():
    body = [
        "××县司法局2023年法治政府建设年度报告",
        "2023年,县司法局在县委、县政府的坚强领导下,全面推进依法行政。现将有关情况报告如下:",
        "一、主要举措和成效",
        "(一)加强组织领导。全年召开专题会议4次,浏览次数统计显示普法网站访问量稳步上升。",
        "××县司法局",
        "2024年1月10日",
    ]
    page = "\n".join([
        "当前位置：首页 > 政务公开 > 法治政府建设年度报告",
        "今天是2024年5月1日 星期三",
        "",
        body[0],
        "发布时间：2024-01-12 09:30　来源：县司法局　浏览次数：56　【字体：大 中 小】",
        *body[1:],
        "【打印本页】【关闭窗口】",
        "上一篇：关于2022年法治政府建设情况的报告",
        "下一篇：没有了",
        "扫一扫在手机打开当前页",
        "版权所有：××县人民政府 皖ICP备12345678号",
    ])
    lines = clean_lines(page)
    assert [l.text for l in lines if not l.chrome] == body
    assert sum(l.chrome for l in lines) == 8


def test_chrome_patterns_come_from_config():
    config = copy.deepcopy(load_config())
    assert not is_chrome("本页面由某某技术公司提供支持", config)
    config["cleaning"]["chrome_lines"].append("本页面由.*提供支持")
    assert is_chrome("本页面由某某技术公司提供支持", config)


def test_near_miss_furniture_rows_are_decided_quickly():
    # a row of fields that fails only at its last character must not backtrack exponentially
    import time
    lines = ["打印|" * 66 + "x", "【打印】|" * 39 + "x", "来源:" + "打印" * 90 + "x"]
    start = time.perf_counter()
    assert not any(is_chrome(line) for line in lines)
    assert time.perf_counter() - start < 0.5


def test_the_character_table_equals_each_characters_own_conversion():
    """The Traditional -> Simplified table (built in one OpenCC call) gives, for every CJK
    character, what converting that character alone gives."""
    from index.normalize import _t2s, _t2s_characters

    table = _t2s_characters()
    convert = _t2s().convert
    for cp in (*range(0x3400, 0xA000, 7), *range(0xF900, 0xFB00)):
        alone = convert(chr(cp))
        want = alone if len(alone) == 1 and alone != chr(cp) else None
        assert table.get(cp) == want, hex(cp)
    assert chr(0x4E7E).translate(table) == "干" and "乾隆".translate(table) == "干隆"
