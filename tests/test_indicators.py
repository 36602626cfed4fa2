"""Indicator statements (index/indicators.py): composed sentences in the phrasings reports use,
each giving exactly the expected records, sentences whose figures are no indicator value
giving none (or a target), and the measured quality on the hand-labelled held-out set."""
from __future__ import annotations

import pytest

from bench.indicators_eval import load_eval_set, split_scores
from index.indicators import (FLAG_CHANGE, FLAG_COUNT, FLAG_TARGET, STATEMENT_ARRAYS,
                              extract_statements, segment_arrays)
from index.normalize import match_form

FZ = "行政机关负责人出庭应诉率"
BS = "行政诉讼败诉率"
JC = "行政复议纠错率"

# text -> [(indicator, wording, qualifier, value, unit, change, target, span text)]
CASES = {
    # synonyms and verbs (达, 为, 达到, 保持, 实现)
    "2023年,行政机关负责人出庭应诉率达100%。":
        [(FZ, "出庭应诉率", "", 100, "%", False, False, "行政机关负责人出庭应诉率达100%")],
    "全年应诉出庭率达100%,出庭率100%。":
        [(FZ, "应诉出庭率", "全年", 100, "%", False, False, "全年应诉出庭率达100%"),
         (FZ, "出庭率", "", 100, "%", False, False, "出庭率100%")],
    "出庭应诉率连续三年保持100%。":
        [(FZ, "出庭应诉率", "", 100, "%", False, False, "出庭应诉率连续三年保持100%")],
    "出庭应诉率实现100%全覆盖。":
        [(FZ, "出庭应诉率", "", 100, "%", False, False, "出庭应诉率实现100%")],
    # qualifiers (正职, 主要负责人, 平均, 一审, 上半年)
    "其中正职负责人出庭应诉率为11.43%。":
        [(FZ, "出庭应诉率", "正职负责人", 11.43, "%", False, False, "正职负责人出庭应诉率为11.43%")],
    "其中区政府主要负责人出庭应诉率20%。":
        [(FZ, "出庭应诉率", "区政府主要负责人", 20, "%", False, False,
          "区政府主要负责人出庭应诉率20%")],
    "全国平均出庭应诉率为41.8%。":
        [(FZ, "出庭应诉率", "平均", 41.8, "%", False, False, "全国平均出庭应诉率为41.8%")],
    "上半年出庭应诉率达到95.5%。":
        [(FZ, "出庭应诉率", "上半年", 95.5, "%", False, False, "上半年出庭应诉率达到95.5%")],
    # full-width digits and ％: values read, the span and wording are the text's own characters
    "上半年出庭應訴率達到９５．５％。":
        [(FZ, "出庭應訴率", "上半年", 95.5, "%", False, False, "上半年出庭應訴率達到９５．５％")],
    # level versus change
    "行政机关败诉率同比下降7.01个百分点。":
        [(BS, "败诉率", "", -7.01, "个百分点", True, False, "行政机关败诉率同比下降7.01个百分点")],
    "一审败诉率同比下降17.65%。":
        [(BS, "败诉率", "一审", -17.65, "%", True, False, "一审败诉率同比下降17.65%")],
    "行政复议机关纠错率同比上升5.42个百分点。":
        [(JC, "纠错率", "", 5.42, "个百分点", True, False, "行政复议机关纠错率同比上升5.42个百分点")],
    "纠错率为12.5%,同比提高5%。":
        [(JC, "纠错率", "", 12.5, "%", False, False, "纠错率为12.5%"),
         (JC, "纠错率", "", 5, "%", True, False, "纠错率为12.5%,同比提高5%")],
    "败诉率由10%下降到5%。":
        [(BS, "败诉率", "", 10, "%", False, False, "败诉率由10%"),
         (BS, "败诉率", "", 5, "%", False, False, "败诉率由10%下降到5%")],
    "败诉率提高到8%。":
        [(BS, "败诉率", "", 8, "%", False, False, "败诉率提高到8%")],
    # a comparison with the earlier level, then the change
    "败诉率为27.8%,较之2014年的10.2%,提高了17.6个百分点。":
        [(BS, "败诉率", "", 27.8, "%", False, False, "败诉率为27.8%"),
         (BS, "败诉率", "", 10.2, "%", False, False, "败诉率为27.8%,较之2014年的10.2%"),
         (BS, "败诉率", "", 17.6, "个百分点", True, False,
          "败诉率为27.8%,较之2014年的10.2%,提高了17.6个百分点")],
    "胜诉率100%。":
        [("行政诉讼胜诉率", "胜诉率", "", 100, "%", False, False, "胜诉率100%")],
    # one value shared by several names; uncatalogued rates keep their own name
    "报备率、报备及时率、规范率均达100%。":
        [("规范性文件备案审查率", "报备率", "", 100, "%", False, False,
          "报备率、报备及时率、规范率均达100%"),
         ("报备及时率", "报备及时率", "", 100, "%", False, False, "报备及时率、规范率均达100%"),
         ("规范率", "规范率", "", 100, "%", False, False, "规范率均达100%")],
    # one value each with 分别
    "败诉率分别为16.4%、11.36%。":
        [(BS, "败诉率", "", 16.4, "%", False, False, "败诉率分别为16.4%"),
         (BS, "败诉率", "", 11.36, "%", False, False, "败诉率分别为16.4%、11.36%")],
    # values in brackets listed before the name
    "城建拆迁(17.1%)和劳动保障(7.76%)领域的败诉率仍高于全省平均败诉率。":
        [(BS, "败诉率", "", 17.1, "%", False, False, "(17.1%)和劳动保障(7.76%)领域的败诉率"),
         (BS, "败诉率", "", 7.76, "%", False, False, "(7.76%)领域的败诉率")],
    # counts with units (件, 件次, 宗, 份, 万), 余
    "办理行政复议案件18件。":
        [("行政复议案件数", "行政复议案件", "", 18, "件", False, False, "行政复议案件18件")],
    "全年共办理区政府行政诉讼案件23件,开庭审理10件。":
        [("行政诉讼案件数", "行政诉讼案件", "", 23, "件", False, False, "行政诉讼案件23件")],
    "审查重大合同39份,出具法律意见335件次,备案行政规范性文件19件。":
        [("合法性审查件数", "审查重大合同", "合同", 39, "份", False, False, "审查重大合同39份"),
         ("法律意见件数", "出具法律意见", "", 335, "件次", False, False, "出具法律意见335件次"),
         ("规范性文件备案件数", "备案行政规范性文件", "", 19, "件", False, False,
          "备案行政规范性文件19件")],
    "代理行政诉讼案件40宗。":
        [("行政诉讼案件数", "行政诉讼案件", "", 40, "宗", False, False, "行政诉讼案件40宗")],
    "办理行政处罚案件1.2万件。":
        [("行政执法案件数", "行政处罚案件", "", 12000, "件", False, False, "行政处罚案件1.2万件")],
    "受理行政复议申请300余件。":
        [("行政复议案件数", "行政复议申请", "", 300, "件", False, False, "行政复议申请300余件")],
    # figures in a list of kinds, and a list of values
    "审查规范性文件19件、重大合同39份、重大行政决策5件。":
        [("合法性审查件数", "审查规范性文件", "规范性文件", 19, "件", False, False, "审查规范性文件19件"),
         ("合法性审查件数", "重大合同", "合同", 39, "份", False, False, "重大合同39份"),
         ("合法性审查件数", "重大行政决策", "重大行政决策", 5, "件", False, False, "重大行政决策5件")],
    "行政复议案件数分别为35件、28件和19件。":
        [("行政复议案件数", "行政复议案件", "", 35, "件", False, False, "行政复议案件数分别为35件"),
         ("行政复议案件数", "行政复议案件", "", 28, "件", False, False, "行政复议案件数分别为35件、28件"),
         ("行政复议案件数", "行政复议案件", "", 19, "件", False, False,
          "行政复议案件数分别为35件、28件和19件")],
    # a count and its change in the next clause
    "新收行政复议案件151件,同比增长128.78%。":
        [("行政复议案件数", "行政复议案件", "", 151, "件", False, False, "行政复议案件151件"),
         ("行政复议案件数", "行政复议案件", "", 128.78, "%", True, False,
          "行政复议案件151件,同比增长128.78%")],
    # plan targets are kept, marked as targets
    "力争行政机关负责人出庭应诉率达到95%。":
        [(FZ, "出庭应诉率", "", 95, "%", False, True, "力争行政机关负责人出庭应诉率达到95%")],
    "确保规范性文件备案审查率达100%。":
        [("规范性文件备案审查率", "备案审查率", "", 100, "%", False, True,
          "确保规范性文件备案审查率达100%")],
    # a year between the name and the value; a series by year without the name again
    "出庭应诉率2023年达100%。":
        [(FZ, "出庭应诉率", "", 100, "%", False, False, "出庭应诉率2023年达100%")],
    "行政机关败诉率2021年为9.5%、2022年为8.2%,2023年下降到6%。":
        [(BS, "败诉率", "", 9.5, "%", False, False, "行政机关败诉率2021年为9.5%"),
         (BS, "败诉率", "", 8.2, "%", False, False, "行政机关败诉率2021年为9.5%、2022年为8.2%"),
         (BS, "败诉率", "", 6, "%", False, False,
          "行政机关败诉率2021年为9.5%、2022年为8.2%,2023年下降到6%")],
    # the value before the name; a catalogued rate named without 率
    "全县行政机关100%的出庭率。":
        [(FZ, "出庭率", "", 100, "%", False, False, "100%的出庭率")],
    "行政机关负责人实现100%出庭应诉。":
        [(FZ, "出庭应诉", "", 100, "%", False, False, "100%出庭应诉")],
    "复议纠错为6.5%。":
        [(JC, "纠错", "", 6.5, "%", False, False, "纠错为6.5%")],
    # numbers with a thousands separator (also full-width) or a space between digit groups
    "全年新收行政复议案件1,234件。":
        [("行政复议案件数", "行政复议案件", "", 1234, "件", False, False, "行政复议案件1,234件")],
    "办理行政处罚案件２，０５６件。":
        [("行政执法案件数", "行政处罚案件", "", 2056, "件", False, False, "行政处罚案件２，０５６件")],
    "受理行政一审案件4 364件,同比下降6.8%。":
        [("行政诉讼案件数", "行政一审案件", "", 4364, "件", False, False, "行政一审案件4 364件"),
         ("行政诉讼案件数", "行政一审案件", "", -6.8, "%", True, False,
          "行政一审案件4 364件,同比下降6.8%")],
    # the courts' 行政案件; number-first counts; a count's change without its number
    "全市法院受理行政案件812件。":
        [("行政诉讼案件数", "行政案件", "", 812, "件", False, False, "行政案件812件")],
    "全年办理18件行政复议案件,同比增长20%。":
        [("行政复议案件数", "行政复议案件", "", 18, "件", False, False, "18件行政复议案件"),
         ("行政复议案件数", "行政复议案件", "", 20, "%", True, False,
          "18件行政复议案件,同比增长20%")],
    "审结的75件行政复议案件中,直接纠错9件。":
        [("行政复议案件数", "行政复议案件", "", 75, "件", False, False, "75件行政复议案件")],
    "对全县27份规范性文件、9份重大合同进行了合法性审查。":
        [("合法性审查件数", "合法性审查", "规范性文件", 27, "份", False, False,
          "27份规范性文件、9份重大合同进行了合法性审查"),
         ("合法性审查件数", "合法性审查", "合同", 9, "份", False, False,
          "9份重大合同进行了合法性审查")],
    "收到行政复议申请较上年增长12%。":
        [("行政复议案件数", "行政复议申请", "", 12, "%", True, False, "行政复议申请较上年增长12%")],
    # a growth rate after counts is the change of the count it pairs with (审结 is no
    # indicator, so its 9.2% is no statement); with no count before it, a rate of its own
    "受理行政案件3000件,审结2800件,年均增长率分别为10.5%、9.2%。":
        [("行政诉讼案件数", "行政案件", "", 3000, "件", False, False, "行政案件3000件"),
         ("行政诉讼案件数", "行政案件", "", 10.5, "%", True, False,
          "行政案件3000件,审结2800件,年均增长率分别为10.5%")],
    "全市生产总值年均增长率为6.5%。":
        [("生产总值年均增长率", "生产总值年均增长率", "全市", 6.5, "%", False, False,
          "全市生产总值年均增长率为6.5%")],
    # a rate after a count: the count's unit is not part of the name
    "组织培训4批次参训率100%。":
        [("参训率", "参训率", "", 100, "%", False, False, "参训率100%")],
    # the target flag is the figure's clause's: 计划 as a noun elsewhere, 确保 of another clause
    # make no target; a lead clause setting the time, or a lead before a colon, do
    "制定年度学法计划,组织培训4批次,参训率达100%。":
        [("参训率", "参训率", "", 100, "%", False, False, "参训率达100%")],
    "确保执法规范,全年行政复议纠错率为12%。":
        [(JC, "纠错率", "全年", 12, "%", False, False, "全年行政复议纠错率为12%")],
    "力争到2025年,出庭应诉率达到100%,败诉率下降到5%以下。":
        [(FZ, "出庭应诉率", "", 100, "%", False, True, "出庭应诉率达到100%"),
         (BS, "败诉率", "", 5, "%", False, True, "败诉率下降到5%")],
    "总体目标:到2025年底,政务服务事项网上办理率达90%。":
        [("政务服务事项网上办理率", "政务服务事项网上办理率", "", 90, "%", False, True,
          "政务服务事项网上办理率达90%")],
    # a long uncatalogued name is kept whole, not cut mid-word; shown in the text's characters
    "內蒙古政務服務事項網辦實現率為98%。":
        [("内蒙古政务服务事项网办实现率", "內蒙古政務服務事項網辦實現率", "", 98, "%", False, False,
          "內蒙古政務服務事項網辦實現率為98%")],
}

NEGATIVES = [
    "2023年3月15日,收到(2023)苏01行初123号行政判决书。",       # a date and a case number
    "印发《实施方案》(府办发〔2022〕26号),自2022年5月1日起施行。",  # a document number
    "以街道乡镇为被申请人的案件共339件,占比30%。",               # a share, not a rate
    "9个县级政府收到行政复议申请超过40件,14个少于5件。",          # bounds said of groups
    "有97个城市得分率在60%以上。",                                # a bound said of a group
    "目前,行政诉讼案件已拓展到50多个行政管理领域。",             # 个 counts the fields
    "全年开展法治宣传活动32场次,覆盖群众两万余人次。",           # counts of other things
    "率先在全省建立行政复议咨询委员会,发挥表率作用。",            # 率 that is no rate
    "联系电话:0599-8830330,邮编:353000。",                         # numbers without units
    "全年驳回复议申请14件,申请人撤回行政复议申请3件。",          # outcomes, not the cases
    "行政诉讼案件败诉3件,公开开庭审理行政案件40件。",              # outcomes and a stage
    "共有38件行政案件被告行政机关负责人出庭应诉。",               # the noun phrase goes on
    "开展合法性审查业务培训2次。",                                  # 次 counts the training
    "对3个部门进行了合法性审查。",                                  # 个 counts the departments
]


def _records(text: str) -> list[tuple]:
    return [(s.indicator, s.wording, s.qualifier, s.value, s.unit, s.change, s.target,
             text[s.start:s.end]) for s in extract_statements(text)]


@pytest.mark.parametrize("text", list(CASES))
def test_each_phrasing_gives_exactly_the_expected_records(text):
    want = [(n, w, q, float(v), u, c, t, span) for n, w, q, v, u, c, t, span in CASES[text]]
    assert _records(text) == want


@pytest.mark.parametrize("text", NEGATIVES)
def test_figures_that_are_no_indicator_value_give_no_statement(text):
    assert _records(text) == []


def test_segment_arrays_hold_the_same_statements_in_match_form():
    texts = [match_form(t) for t in
             ("行政机关败诉率同比下降7.01个百分点。", "无数字的段落。", "力争出庭应诉率达到95%。",
              "办理行政复议案件18件。")]
    arrays, vocab = segment_arrays(texts)
    assert set(arrays) == set(STATEMENT_ARRAYS)
    rows = [(int(arrays["ind_doc"][r]), vocab["name"][arrays["ind_name"][r]],
             float(arrays["ind_value"][r]), int(arrays["ind_flags"][r]),
             texts[arrays["ind_doc"][r]][arrays["ind_start"][r]:arrays["ind_end"][r]])
            for r in range(len(arrays["ind_doc"]))]
    assert rows == [
        (0, BS, -7.01, FLAG_CHANGE | 4, "行政机关败诉率同比下降7.01个百分点"),
        (2, FZ, 95.0, FLAG_TARGET | 4, "力争出庭应诉率达到95%"),
        (3, "行政复议案件数", 18.0, FLAG_COUNT | 4, "行政复议案件18件"),
    ]


# Measured on the held-out sets (tests/data/indicator_eval.yaml), each built from new sources
# and committed before the rules were run on it: the seventh (81 texts, 108 statements;
# 0.946 / 0.806 untouched) and the eighth (97 texts, 111 statements; 0.933 / 0.631 untouched,
# 0.932 / 0.622 with the rules before the sixth set was studied), together 0.940 / 0.717 (219
# statements); their failures have not been looked at. (Earlier sets, now in `tune`,
# untouched: sixth 0.983 / 0.620; fifth 0.963 / 0.716; fourth 0.932 / 0.678 and 0.977 / 0.694;
# third 0.957 / 0.788 and 0.946 / 0.770; second 0.923 / 0.706.) The test fails when a change
# loses more than the margin.
HELD_OUT_PRECISION, HELD_OUT_RECALL, MARGIN = 0.940, 0.717, 0.03


def test_held_out_quality_stays_at_the_measured_figures():
    scores = split_scores(load_eval_set()["held_out"])
    assert scores["labelled"] >= 200
    assert scores["precision"] >= HELD_OUT_PRECISION - MARGIN
    assert scores["recall"] >= HELD_OUT_RECALL - MARGIN
