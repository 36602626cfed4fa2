"""Structure: every body line becomes a paragraph with its outline path and canonical section."""
from __future__ import annotations

from pathlib import Path

import pytest

from index.clean import clean_lines
from index.model import SECTIONS
from index.normalize import to_simplified
from index.structure import infer_report_year, split_paragraphs

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
PREFACE, MEASURES, SHORTCOMINGS, DUTY, PLAN, OTHER, SIGNATURE = SECTIONS


def paragraphs_of(text: str, report_id: str = "r", **kw):
    body = [l.text for l in clean_lines(text) if not l.chrome]
    return split_paragraphs(body, report_id, **kw)


def seed(prefix: str):
    path = next(SEEDS.glob(prefix + "_*.txt"))
    return paragraphs_of(path.read_text(encoding="utf-8"), path.stem)


def find(paragraphs, start: str):
    hits = [p for p in paragraphs if p.text.startswith(start)]
    assert len(hits) == 1, (start, [p.text[:20] for p in hits])
    return hits[0]


def section(paragraphs, start: str) -> str:
    return find(paragraphs, start).section


# ---- seeds: one or more paragraphs from every part of every seed -------------------------

SEED_SECTIONS = {
    "000": [
        ("大通区人民政府关于2023年法治政府建设情况的报告", PREFACE),
        ("2023年,大通区在市委、市政府的坚强领导下", PREFACE),
        ("一、2023年法治建设工作主要情况", MEASURES),
        ("一是落实法治政府建设第一责任人职责", MEASURES),
        ("制定《大通区人民政府重大行政决策公众参与程序规定》", MEASURES),
        ("成立大通区行政复议体制改革工作领导小组", MEASURES),
        ("二、存在问题", SHORTCOMINGS),
        ("(三)行政执法人员素质能力有待提升", SHORTCOMINGS),
        ("三、下一步打算", PLAN),
        ("(四)强化法治宣传,认真落实普法责任制", PLAN),
    ],
    "001": [
        ("重庆市渝北区人民政府两路街道关于2023年度", PREFACE),
        ("关于2023年度法治政府建设情况的报告", PREFACE),
        ("2023年,在区委、区政府的坚强领导下", MEASURES),
        ("一是高度重视", MEASURES),
        ("(七)依法高效化解社会矛盾纠纷", MEASURES),
        ("二、2023年主要负责人履行推进法治建设第一责任人职责", DUTY),
        ("一是夯实思想政治基础", DUTY),
        ("一是推动政府职能依法全面履行", DUTY),
        ("三、2023年推进法治政府建设存在的不足和原因", SHORTCOMINGS),
        ("(四)依法行政效能亟待提升", SHORTCOMINGS),
        ("四、2024年推进法治政府建设的工作思路目标举措", PLAN),
        ("(四)强化统筹协调。一是街道各部门党政主要负责人", PLAN),
        ("五、其他需要报告的情况", OTHER),
        ("2024年1月19日", SIGNATURE),
        ("(联系领导:", SIGNATURE),
    ],
    "002": [
        ("关于瑞安市2019年度法治政府建设工作情况的报告", PREFACE),
        ("2019年是基本建成法治政府的关键一年", PREFACE),
        ("一是坚持党的领导", MEASURES),
        ("三是主抓败诉控制", MEASURES),
        ("二、2019年法治政府建设存在不足和原因", SHORTCOMINGS),
        ("三是法治力量有待加强", SHORTCOMINGS),
        ("(一)市委书记高度重视", DUTY),
        ("(二)市长高度重视", DUTY),
        ("四、2020年度法治政府建设工作思路", PLAN),
        ("(四)继续强化行政执法规范", PLAN),
        ("(五)继续强化矛盾纠纷化解", PLAN),
    ],
    "003": [
        ("常州市人民政府:", PREFACE),
        ("2024年,在市委、市政府和区委的坚强领导下", PREFACE),
        ("一、深化改革加快政府职能转变", MEASURES),
        ("1.压茬推进重点改革任务", MEASURES),
        ("五、学思践悟习近平法治思想", MEASURES),
        ("1.领导干部带头厉行法治", MEASURES),
        ("3.大力加强数字政府建设", MEASURES),
        ("2024年我区法治政府建设工作稳中有进,但仍然存在一些短板", SHORTCOMINGS),
        ("2025年是《法治政府建设实施纲要", PLAN),
        ("一、强化统筹,加力建设法治政府", PLAN),
        ("三、活化路径,提升满意度获得感", PLAN),
        ("常州市天宁区人民政府", SIGNATURE),
        ("(此件公开发布)", SIGNATURE),
    ],
    "004": [
        ("滨海镇2022年法治政府建设年度报告", PREFACE),
        ("2022年,在市委、市政府的正确领导下", PREFACE),
        ("一是压实法治主体责任", MEASURES),
        ("一是推进法治化综合改革", MEASURES),
        ("2022年,我镇法治政府建设取得了一定成绩", SHORTCOMINGS),
        ("三、2023年推进法治政府建设的主要安排", PLAN),
        ("2023年,滨海镇将进一步", PLAN),
        ("3、强化行政执法监督", PLAN),
    ],
}


@pytest.mark.parametrize("prefix", sorted(SEED_SECTIONS))
def test_seed_sections(prefix):
    paragraphs = seed(prefix)
    for start, want in SEED_SECTIONS[prefix]:
        assert section(paragraphs, start) == want, start


@pytest.mark.parametrize("prefix", sorted(SEED_SECTIONS))
def test_seed_paragraphs_are_every_body_line_with_ids(prefix):
    path = next(SEEDS.glob(prefix + "_*.txt"))
    body = [l.text for l in clean_lines(path.read_text(encoding="utf-8")) if not l.chrome]
    paragraphs = split_paragraphs(body, path.stem)
    assert [p.text for p in paragraphs] == body
    assert [p.ordinal for p in paragraphs] == list(range(1, len(body) + 1))
    assert [p.id for p in paragraphs] == [f"{path.stem}-p{i}" for i in range(1, len(body) + 1)]
    assert all(p.kind in ("heading", "text", "signature") and p.section in SECTIONS
               for p in paragraphs)
    # sections never go back to the preface once the report has started its parts
    sections = [p.section for p in paragraphs]
    first_part = next(i for i, s in enumerate(sections) if s != PREFACE)
    assert PREFACE not in sections[first_part:]


def test_seed_headings_and_paths():
    p = seed("000")
    heading = find(p, "(一)坚持党的领导")
    assert heading.kind == "heading"
    assert heading.section_path == ["一、2023年法治建设工作主要情况", "(一)坚持党的领导,强化法治政府建设工作主体责任"]
    item = find(p, "一是落实法治政府建设第一责任人职责")
    assert item.kind == "text" and item.section_path == heading.section_path
    title = find(p, "大通区人民政府关于2023年")
    assert title.kind == "heading" and title.section == PREFACE
    assert find(p, "2023年,大通区在市委").kind == "text"


def test_run_in_heading_is_text_with_its_phrase_in_the_path():
    p = seed("002")
    run_in = find(p, "(四)继续强化行政执法规范。推进结果公开")
    assert run_in.kind == "text"
    assert run_in.section_path == ["四、2020年度法治政府建设工作思路", "(四)继续强化行政执法规范"]
    p3 = seed("003")
    item = find(p3, "2.专项整治执法突出问题")
    assert item.kind == "text"
    assert item.section_path == ["二、推进严格规范公正文明执法,提升行政执法质量", "2.专项整治执法突出问题"]


def test_unheaded_part_leaves_the_outline():
    p = seed("003")
    assert find(p, "2024年我区法治政府建设工作稳中有进").section_path == []
    assert find(p, "二、深化改革,持续转变政府职能").section_path == ["二、深化改革,持续转变政府职能"]
    assert find(p, "2025年2月21日").section_path == []


def test_report_year_is_read_from_the_leading_lines():
    assert infer_report_year(["关于瑞安市2019年度法治政府建设工作情况的报告"]) == 2019
    assert infer_report_year(["常州市人民政府:", "2024年,在市委…"]) == 2024
    assert infer_report_year(["按照《法治政府建设实施纲要(2021-2025年)》要求,2023年我局…"]) == 2023
    assert infer_report_year(["今年以来,我局…"]) is None


# ---- composed reports in other styles ---------------------------------------------------

FULL_WIDTH = """\
××市××区人民政府关于２０２２年法治政府建设情况的报告
２０２２年，区政府深入学习贯彻习近平法治思想，全面推进依法行政。
一、２０２２年推进法治政府建设的主要举措和成效
（一）健全依法决策机制
全年提交区政府常务会议审议的重大行政决策事项８件，均经合法性审查。
（二）严格规范公正文明执法
１．推进行政执法“三项制度”。全区行政执法公示率达１００％。
２．开展执法案卷评查。评查案卷３００卷，发现问题２１个并督促整改。
二、存在的不足和原因
（一）法治队伍力量薄弱。部分镇（街道）缺乏法律专业人员。
三、２０２２年党政主要负责人履行推进法治建设第一责任人职责情况
区政府主要负责人带头学法，主持召开常务会议专题学法４次。
四、２０２３年工作安排
（一）持续深化“放管服”改革
（二）提升行政执法质量
"""


def test_full_width_markers():
    p = paragraphs_of(FULL_WIDTH)
    h = find(p, "（一）健全依法决策机制")
    assert h.kind == "heading" and h.section == MEASURES
    item = find(p, "１．推进行政执法“三项制度”")
    # the path shows the headings as written, run-in label included
    assert item.section_path == ["一、２０２２年推进法治政府建设的主要举措和成效", "（二）严格规范公正文明执法",
                                 "１．推进行政执法“三项制度”"]
    assert section(p, "（一）法治队伍力量薄弱") == SHORTCOMINGS
    assert section(p, "区政府主要负责人带头学法") == DUTY
    assert find(p, "（二）提升行政执法质量").section == PLAN


PARTS = """\
××省司法厅2021年法治政府建设年度报告
2021年,省司法厅坚持以习近平法治思想为指导,现将有关情况报告如下:
第一部分 2021年法治政府建设工作情况
一、加强党对法治政府建设的领导
厅党委专题研究法治政府建设工作6次。
二、解决群众反映强烈的突出问题
开展执法领域突出问题专项整治,整改问题32个。
第二部分 存在的不足
一、统筹推进力度有待加强
部分市县法治政府建设进展不平衡。
第三部分 2022年工作计划
一、持续深化法治政府示范创建
二、全面落实第一责任人职责
××省司法厅
2022年1月20日
"""


def test_part_headings_outrank_numbered_ones():
    p = paragraphs_of(PARTS)
    assert find(p, "第一部分").section == MEASURES
    sub = find(p, "二、解决群众反映强烈的突出问题")
    # a sub-heading's word (问题) does not switch the section
    assert sub.section == MEASURES
    assert sub.section_path == ["第一部分 2021年法治政府建设工作情况", "二、解决群众反映强烈的突出问题"]
    assert section(p, "部分市县法治政府建设进展不平衡") == SHORTCOMINGS
    assert find(p, "二、全面落实第一责任人职责").section == PLAN
    assert find(p, "2022年1月20日").section == SIGNATURE


INLINE_ONLY = """\
××县市场监督管理局2023年法治政府建设年度报告
2023年,县市场监管局在县委、县政府的领导下,扎实推进法治政府建设。现将有关情况报告如下:
一是加强组织领导。调整法治政府建设工作领导小组,召开专题会议3次。
二是规范行政执法。全面落实行政执法“三项制度”,办理行政处罚案件126件。
三是深化普法宣传。开展“3·15”消费者权益日宣传活动12场次。
局主要负责人认真履行推进法治建设第一责任人职责,带头学法用法,专题研究法治工作4次。
我局法治政府建设工作虽然取得了一定成效,但仍存在一些不足:一是执法人员专业能力有待提升;二是普法形式较为单一。
2024年,我局将继续深化法治政府建设:一是加强执法队伍建设;二是创新普法宣传方式。
××县市场监督管理局
2024年1月15日
"""


def test_inline_enumeration_only():
    p = paragraphs_of(INLINE_ONLY)
    assert all(x.kind == "text" for x in p[1:-2])
    assert [x.kind for x in p[-2:]] == ["signature", "signature"]
    assert all(x.section_path == [] for x in p[1:])
    assert section(p, "2023年,县市场监管局") == PREFACE
    assert section(p, "一是加强组织领导") == MEASURES
    assert section(p, "三是深化普法宣传") == MEASURES
    assert section(p, "局主要负责人认真履行") == DUTY
    assert section(p, "我局法治政府建设工作虽然取得了一定成效") == SHORTCOMINGS
    assert section(p, "2024年,我局将继续") == PLAN
    assert section(p, "2024年1月15日") == SIGNATURE


DEPARTMENT_FIVE_PARTS = """\
××市生态环境局2023年度法治政府建设工作报告
一、主要举措和成效
(一)深入学习贯彻习近平法治思想
局党组理论学习中心组集体学法4次。
(二)认真履行第一责任人职责
局主要负责人带头履行推进法治建设第一责任人职责。
二、党政主要负责人履行推进法治建设第一责任人职责情况
局党组书记、局长专题听取法治工作汇报3次。
三、存在的问题及原因
(一)执法能力有待提升。基层执法人员专业素质参差不齐。
四、下一年度工作安排
(一)加强执法队伍建设。组织执法人员专题培训2期。
五、其他需要报告的情况
本年度无其他需要报告的情况。
"""


def test_department_report_with_five_headed_parts():
    p = paragraphs_of(DEPARTMENT_FIVE_PARTS)
    assert section(p, "××市生态环境局") == PREFACE
    # a 第一责任人 sub-heading inside part 一 stays in 主要举措和成效
    assert section(p, "(二)认真履行第一责任人职责") == MEASURES
    assert section(p, "局主要负责人带头履行") == MEASURES
    assert section(p, "局党组书记、局长专题听取") == DUTY
    assert section(p, "(一)执法能力有待提升") == SHORTCOMINGS
    assert section(p, "(一)加强执法队伍建设") == PLAN
    assert section(p, "本年度无其他需要报告的情况") == OTHER


OTHER_THEN_SIGNATURE = """\
××镇人民政府关于2023年度法治政府建设情况的报告
一、2023年推进法治政府建设的主要举措和成效
镇政府全年开展法治宣传活动20余场次,调解矛盾纠纷86件,调解成功率98%。
二、2023年推进法治政府建设存在的不足和原因
村(社区)法律顾问作用发挥不充分,群众法治意识有待提高。
三、2023年度党政主要负责人履行推进法治建设第一责任人职责情况
镇党委书记、镇长带头学法,听取法治建设工作汇报2次。
四、2024年推进法治政府建设的主要安排
持续推进法治乡村建设,力争创建省级民主法治示范村1个。
五、其他需要报告的情况
××镇人民政府
二〇二四年一月十九日
(此件公开发布)
"""


def test_signature_is_outside_the_five_parts():
    p = paragraphs_of(OTHER_THEN_SIGNATURE)
    assert find(p, "五、其他需要报告的情况").kind == "heading"
    for line in ("××镇人民政府", "二〇二四年一月十九日", "(此件公开发布)"):
        par = next(x for x in p if x.text == line)
        assert par.section == SIGNATURE and par.kind == "signature" and par.section_path == []
    assert section(p, "持续推进法治乡村建设") == PLAN


def test_plan_items_numbered_afresh_stay_in_the_plan():
    text = """\
××县人民政府2023年法治政府建设年度报告
一、主要工作成效
全县行政复议案件纠错率12%。
二、存在问题
基层执法力量不足。
三、2024年工作安排
一、推进依法行政工作
全面落实重大行政决策程序。
二、加强行政执法情况监督
开展执法案卷评查。
"""
    p = paragraphs_of(text)
    assert section(p, "一、推进依法行政工作") == PLAN
    assert section(p, "二、加强行政执法情况监督") == PLAN
    assert section(p, "开展执法案卷评查") == PLAN


def test_later_year_heading_is_a_plan_and_year_can_be_given():
    text = """\
××区司法局工作报告
一、2023年法治政府建设工作情况
全年审查规范性文件15件。
二、2024年法治政府建设工作
推进行政复议体制改革。
"""
    p = paragraphs_of(text)
    assert section(p, "二、2024年法治政府建设工作") == PLAN
    assert section(p, "推进行政复议体制改革") == PLAN
    # told the report is about 2024, the same heading is the year's own work
    p2 = paragraphs_of(text, year=2024)
    assert section(p2, "二、2024年法治政府建设工作") == MEASURES


def test_numbers_are_not_markers():
    text = """\
××县人民政府2023年法治政府建设年度报告
一、主要举措和成效
(一)推进普法宣传
1.5万人次参加线上学法考试,参考率100%。
2023.12月底前完成全部整改任务。
"""
    p = paragraphs_of(text)
    for start in ("1.5万人次", "2023.12月底前"):
        par = find(p, start)
        assert par.kind == "text"
        assert par.section_path == ["一、主要举措和成效", "(一)推进普法宣传"]


def test_traditional_report_is_ruled_by_its_simplified_lines():
    text = """\
××市政府2023年法治政府建設年度報告
一、2023年推進法治政府建設的主要舉措和成效
全年辦理行政復議案件42件。
二、存在的問題
執法隊伍專業力量不足。
三、下一步打算
持續深化行政執法體制改革。
"""
    body = [l.text for l in clean_lines(text) if not l.chrome]
    simplified = [to_simplified(t) for t in body]
    p = split_paragraphs(body, "t", simplified)
    assert [x.text for x in p] == body           # users see the report's own characters
    assert section(p, "執法隊伍專業力量不足") == SHORTCOMINGS
    assert section(p, "持續深化行政執法體制改革") == PLAN
    assert find(p, "執法隊伍").section_path == ["二、存在的問題"]


def test_preface_ends_at_report_as_follows():
    text = """\
××县人民政府2023年法治政府建设年度报告
2023年,县政府坚持依法行政,现将有关情况报告如下:
全县推行重大行政决策目录化管理,公布决策事项5项。
"""
    p = paragraphs_of(text)
    assert section(p, "2023年,县政府坚持依法行政") == PREFACE
    assert section(p, "全县推行重大行政决策目录化管理") == MEASURES


def test_short_unpunctuated_lines_are_titles_only_at_the_top():
    lines = ["××县人民政府", "关于2023年度", "法治政府建设", "情况的", "报告", "正文第一段没有标点"]
    p = split_paragraphs(lines, "r")
    assert [x.kind for x in p] == ["heading"] * 4 + ["text"] * 2


def test_empty_body_gives_no_paragraphs():
    assert split_paragraphs([], "r") == []


def test_closing_sentence_before_the_signature_stays_in_its_part():
    p = paragraphs_of(OTHER_THEN_SIGNATURE.replace("××镇人民政府\n二〇", "特此报告。\n××镇人民政府\n二〇"))
    closing = find(p, "特此报告。")
    assert closing.kind == "text" and closing.section == OTHER
    assert next(x for x in p if x.text == "××镇人民政府").kind == "signature"


FULL_WIDTH_SIGNED = """\
××县人民政府关于２０２３年度法治政府建设情况的报告
一、２０２３年主要举措和成效
（一）加强组织领导。县政府常务会议专题研究法治工作４次，出庭应诉率达１００％。
（二）规范行政执法
全年办理案件１２件（含副职出庭）。
二、存在的不足和原因
执法力量不足！
××县人民政府
２０２４年１月１９日
"""


def test_full_width_report_keeps_its_characters_and_structure():
    p = paragraphs_of(FULL_WIDTH_SIGNED)
    lines = [line for line in FULL_WIDTH_SIGNED.splitlines() if line]
    assert [x.text for x in p] == lines
    run_in = find(p, "（一）加强组织领导")
    assert run_in.section == MEASURES and run_in.kind == "text"
    assert run_in.section_path == ["一、２０２３年主要举措和成效", "（一）加强组织领导"]
    assert find(p, "（二）规范行政执法").kind == "heading"
    assert find(p, "全年办理案件").section_path[-1] == "（二）规范行政执法"
    assert section(p, "执法力量不足") == SHORTCOMINGS
    assert find(p, "２０２４年１月１９日").kind == "signature"
