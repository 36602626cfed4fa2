"""Indicator statements in the phrasings real reports use and the rules once missed
(index/indicators.py), one group per class of failure read from the `tune` split of the
evaluation set. The sentences are composed in each class's style, not copied from the set.
Each sentence gives exactly the expected records; sentences whose figures are no indicator
value (dates, document numbers, shares, thresholds) give none, and plan targets stay
targets."""
from __future__ import annotations

import pytest

from indicator_cases import BA, FY, HF, SS, expected, phrasing_tests, records


# text -> [(indicator, value, unit, change, target, span text)]
CASES = {
    # --- a joiner's character that joins no kinds: 参与 is a verb, and an item with its own
    # figure before 、/和 makes a list of counts, each with its value
    "全年司法所参与合同审查42件次,同比增长12%。":
        [(HF, 42, "件次", False, False, "合同审查42件次"),
         (HF, 12, "%", True, False, "合同审查42件次,同比增长12%")],
    "镇司法所列席党委会议11次、审核合同27份,防范法律风险。":
        [(HF, 27, "份", False, False, "审核合同27份")],
    "因征地拆迁引发行政复议案件9件和行政诉讼案件4件。":
        [(FY, 9, "件", False, False, "行政复议案件9件"),
         (SS, 4, "件", False, False, "行政诉讼案件4件")],
    # --- a count's change after an aside: the earlier count in brackets, what the count
    # includes, the earlier count it is compared with, a further change on top of the last
    # year's, one change each of the counts before (分别), and the verbs 上涨/下滑
    "全年受理行政复议案件412件(上年286件),同比增长44.06%。":
        [(FY, 412, "件", False, False, "行政复议案件412件"),
         (FY, 44.06, "%", True, False, "行政复议案件412件(上年286件),同比增长44.06%")],
    "全区法院受理一审行政案件538件(含旧存61件),同比下降9%。":
        [(SS, 538, "件", False, False, "一审行政案件538件"),
         (SS, -9, "%", True, False, "一审行政案件538件(含旧存61件),同比下降9%")],
    "各部门报送备案规范性文件52件,较2022年的40件增加30%。":
        [(BA, 52, "件", False, False, "报送备案规范性文件52件"),
         (BA, 30, "%", True, False, "报送备案规范性文件52件,较2022年的40件增加30%")],
    "全县共收到行政复议申请860件,在上年已增长15.2%的基础上再增长21.6%。":
        [(FY, 860, "件", False, False, "行政复议申请860件"),
         (FY, 15.2, "%", True, False, "行政复议申请860件,在上年已增长15.2%"),
         (FY, 21.6, "%", True, False, "行政复议申请860件,在上年已增长15.2%的基础上再增长21.6%")],
    "全市法院共受理行政诉讼案件1320件,审结1188件,同比分别增长12.4%和9.8%。":
        [(SS, 1320, "件", False, False, "行政诉讼案件1320件"),
         (SS, 12.4, "%", True, False, "行政诉讼案件1320件,审结1188件,同比分别增长12.4%")],
    "全年受理行政复议案件215件,行政诉讼案件98件,同比分别增长15%和8%。":
        [(FY, 215, "件", False, False, "行政复议案件215件"),
         (FY, 15, "%", True, False, "行政复议案件215件,行政诉讼案件98件,同比分别增长15%"),
         (SS, 98, "件", False, False, "行政诉讼案件98件"),
         (SS, 8, "%", True, False, "行政诉讼案件98件,同比分别增长15%和8%")],
    "新收行政复议申请188件,办结176件,同比分别下降6.5%、上升3.1%。":
        [(FY, 188, "件", False, False, "行政复议申请188件"),
         (FY, -6.5, "%", True, False, "行政复议申请188件,办结176件,同比分别下降6.5%")],
    # one count and several changes: whose is which is not said
    "全年受理行政复议案件69件,同比分别增长5%和6%。":
        [(FY, 69, "件", False, False, "行政复议案件69件")],
    # a breakdown whose items name no kind of the count (受理, 修改完善) adds nothing
    "全年办理行政复议案件45件,其中受理38件,不予受理7件。":
        [(FY, 45, "件", False, False, "行政复议案件45件")],
    "全年合法性审查126件,其中修改完善98件。":
        [(HF, 126, "件", False, False, "合法性审查126件")],
    "受理行政复议案件56件,其他案件12件。":
        [(FY, 56, "件", False, False, "行政复议案件56件")],
    # the change or the earlier level in brackets after the figure
    "全年受理行政复议案件73件(同比增长14%)。":
        [(FY, 73, "件", False, False, "行政复议案件73件"),
         (FY, 14, "%", True, False, "行政复议案件73件(同比增长14%")],
    "行政机关负责人出庭应诉率为97.3%(同比提高4.1个百分点)。":
        [("行政机关负责人出庭应诉率", 97.3, "%", False, False, "行政机关负责人出庭应诉率为97.3%"),
         ("行政机关负责人出庭应诉率", 4.1, "个百分点", True, False,
          "行政机关负责人出庭应诉率为97.3%(同比提高4.1个百分点")],
    "行政复议纠错率为13.8%(上年为11.2%)。":
        [("行政复议纠错率", 13.8, "%", False, False, "行政复议纠错率为13.8%"),
         ("行政复议纠错率", 11.2, "%", False, False, "行政复议纠错率为13.8%(上年为11.2%")],
    "上半年新收行政复议申请206件,同比上涨35.53%。":
        [(FY, 206, "件", False, False, "行政复议申请206件"),
         (FY, 35.53, "%", True, False, "行政复议申请206件,同比上涨35.53%")],
    "受理行政诉讼案件97件,同比下滑12.6%。":
        [(SS, 97, "件", False, False, "行政诉讼案件97件"),
         (SS, -12.6, "%", True, False, "行政诉讼案件97件,同比下滑12.6%")],
    # --- a kind's bare name with its number right after it (a breakdown of cases by kind,
    # a count of the cases some matter led to), an aside in brackets before the number,
    # 参加应诉案件, 报送备案 and the documents 备案的 names
    "全年镇村两级调处纠纷96起,其中行政诉讼7起,行政复议5起。":
        [(SS, 7, "起", False, False, "行政诉讼7起"),
         (FY, 5, "起", False, False, "行政复议5起")],
    "全年因土地征收引发的行政复议3件(已审结),行政诉讼2件。":
        [(FY, 3, "件", False, False, "行政复议3件"),
         (SS, 2, "件", False, False, "行政诉讼2件")],
    "全年共审结行政复议案件(含上年结转)318件。":
        [(FY, 318, "件", False, False, "行政复议案件(含上年结转)318件")],
    "受县政府委托共参加应诉案件26起,胜诉21起。":
        [(SS, 26, "起", False, False, "参加应诉案件26起")],
    "各乡镇共制定规范性文件30件,向县司法局报送备案29件。":
        [(BA, 29, "件", False, False, "报送备案29件")],
    "全年备案审查规范性文件34件,纠正3件。":
        [(BA, 34, "件", False, False, "备案审查规范性文件34件")],
    "按规定报送市政府备案的规范性文件共17件。":
        [(BA, 17, "件", False, False, "备案的规范性文件共17件")],
    # --- a requirement written with 要达到 / 应当达到 is a plan target
    "各县区报送市政府的规范性文件报备率要达到100%。":
        [("规范性文件备案审查率", 100, "%", False, True, "规范性文件报备率要达到100%")],
    "行政机关负责人出庭应诉率应当达到90%。":
        [("行政机关负责人出庭应诉率", 90, "%", False, True, "行政机关负责人出庭应诉率应当达到90%")],
    "力争全年行政复议纠错率达到15%。":
        [("行政复议纠错率", 15, "%", False, True, "力争全年行政复议纠错率达到15%")],
    # --- the changes of a count listed domain by domain, the count named once (and read
    # once: 行政复议案件数量 is not read again as 案件数量)
    "从领域看,自然资源领域行政复议案件数量增长21.4%,人社领域下降8.2%,公安领域增长3%。":
        [(FY, 21.4, "%", True, False, "行政复议案件数量增长21.4%"),
         (FY, -8.2, "%", True, False, "人社领域下降8.2%"),
         (FY, 3, "%", True, False, "公安领域增长3%")],
    "全市行政复议案件数量同比下降6.5%。":
        [(FY, -6.5, "%", True, False, "行政复议案件数量同比下降6.5%")],
    # --- a legality review written object first (规范性文件审查, 执法决定审查), the objects
    # listed before the verb with the number after it (对…开展审查N件), and the 其他… item
    # that ends a breakdown
    "全年对重大行政决策、规范性文件及村级合同开展全覆盖审查460件。其中,规范性文件审查8件,"
    "重大执法决定审查25件,其他事项审查3件,村级合同审查424件。":
        [(HF, 460, "件", False, False, "对重大行政决策、规范性文件及村级合同开展全覆盖审查460件"),
         (HF, 8, "件", False, False, "规范性文件审查8件"),
         (HF, 25, "件", False, False, "执法决定审查25件"),
         (HF, 3, "件", False, False, "其他事项审查3件"),
         (HF, 424, "件", False, False, "合同审查424件")],
    # …and the kinds listed after such a count, or in its breakdown after 其中
    "累计审查行政规范性文件14件、重大行政决策3件、合同57份。":
        [(HF, 14, "件", False, False, "审查行政规范性文件14件"),
         (HF, 3, "件", False, False, "重大行政决策3件"),
         (HF, 57, "份", False, False, "合同57份")],
    "全年合法性审查各类文件143件,其中合同102件、规范性文件11件。":
        [(HF, 143, "件", False, False, "合法性审查各类文件143件"),
         (HF, 102, "件", False, False, "合同102件"),
         (HF, 11, "件", False, False, "规范性文件11件")],
    "今年共完成重大决策审查6件、合同审核31份。":
        [(HF, 6, "件", False, False, "重大决策审查6件"),
         (HF, 31, "份", False, False, "合同审核31份")],
    # --- the court levels of administrative cases listed before the shared 案件, one total
    # (a number with a space from PDF text), and its change; the levels' cases alone
    "全年全市法院新收行政一审、二审、再审案件2 816件,同比增长4.2%。":
        [(SS, 2816, "件", False, False, "行政一审、二审、再审案件2 816件"),
         (SS, 4.2, "%", True, False, "行政一审、二审、再审案件2 816件,同比增长4.2%")],
    "中院审结一审、二审行政案件共745件。":
        [(SS, 745, "件", False, False, "一审、二审行政案件共745件")],
    "中院受理行政再审案件37件。":
        [(SS, 37, "件", False, False, "行政再审案件37件")],
    # --- where a level went from and to, each level with its year (由2019年的…提升至2023年的…,
    # 从上年的…下降到…): both levels; a count's change after its change in 件 (同比增加30件,
    # 增长33.3%) and a change of its 受理量
    "全县行政机关负责人出庭应诉率由2021年的62%提升至2023年的97%。":
        [("行政机关负责人出庭应诉率", 62, "%", False, False,
          "全县行政机关负责人出庭应诉率由2021年的62%"),
         ("行政机关负责人出庭应诉率", 97, "%", False, False,
          "全县行政机关负责人出庭应诉率由2021年的62%提升至2023年的97%")],
    "行政诉讼败诉率从上年的11.2%下降到6.4%。":
        [("行政诉讼败诉率", 11.2, "%", False, False, "行政诉讼败诉率从上年的11.2%"),
         ("行政诉讼败诉率", 6.4, "%", False, False, "行政诉讼败诉率从上年的11.2%下降到6.4%")],
    "全年办理行政复议案件146件,同比增加28件,增长23.7%。":
        [(FY, 146, "件", False, False, "行政复议案件146件"),
         (FY, 23.7, "%", True, False, "行政复议案件146件,同比增加28件,增长23.7%")],
    "全市行政复议案件受理量同比增长18%。":
        [(FY, 18, "%", True, False, "行政复议案件受理量同比增长18%")],
    "全市行政复议受案量较上年增长27.5%。":
        [(FY, 27.5, "%", True, False, "行政复议受案量较上年增长27.5%")],
    # --- a review's verb and its object with a few words between (审核各类合同, 审查镇政府
    # 合同协议, 重大决策意见审查)
    "司法所全年审核各类合同58份。":
        [(HF, 58, "份", False, False, "审核各类合同58份")],
    "法律顾问审查村级合同协议112份,提出修改意见36条。":
        [(HF, 112, "份", False, False, "审查村级合同协议112份")],
    "参与重大决策意见审查9件次。":
        [(HF, 9, "件次", False, False, "重大决策意见审查9件次")],
    # --- names joined with 、 share the value after the last, the last cut at 且
    "全县行政机关负责人出庭应诉率、出庭应诉且出声率均达100%。":
        [("行政机关负责人出庭应诉率", 100, "%", False, False,
          "全县行政机关负责人出庭应诉率、出庭应诉且出声率均达100%"),
         ("出声率", 100, "%", False, False, "出声率均达100%")],
    # the level of an average stays a level
    "全市行政机关负责人出庭应诉率平均为96%。":
        [("行政机关负责人出庭应诉率", 96, "%", False, False, "全市行政机关负责人出庭应诉率平均为96%")],
    # --- a rate's series going on into the next sentence (。此后…,到2020年降至…)
    "2016年全市行政机关败诉率为15.2%。此后逐年下降,到2020年降至7.4%。":
        [("行政诉讼败诉率", 15.2, "%", False, False, "全市行政机关败诉率为15.2%"),
         ("行政诉讼败诉率", 7.4, "%", False, False,
          "全市行政机关败诉率为15.2%。此后逐年下降,到2020年降至7.4%")],
    # --- the change first, the level it reached in the next clause
    "全区行政机关负责人出庭应诉率同比提高4个百分点,达到99%。":
        [("行政机关负责人出庭应诉率", 4, "个百分点", True, False,
          "全区行政机关负责人出庭应诉率同比提高4个百分点"),
         ("行政机关负责人出庭应诉率", 99, "%", False, False,
          "全区行政机关负责人出庭应诉率同比提高4个百分点,达到99%")],
    "全年行政复议案件同比增长18%,达到231件。":
        [(FY, 18, "%", True, False, "行政复议案件同比增长18%"),
         (FY, 231, "件", False, False, "行政复议案件同比增长18%,达到231件")],
    "全年行政复议案件同比增长9%,共涉及6个乡镇。":
        [(FY, 9, "%", True, False, "行政复议案件同比增长9%")],
    "行政诉讼败诉率同比下降2个百分点,降至5%以下。":
        [("行政诉讼败诉率", -2, "个百分点", True, False, "行政诉讼败诉率同比下降2个百分点")],
}

# the same phrasings in Traditional characters give the same records, spans in the text's own
# characters
TRADITIONAL = {
    "全年受理行政復議案件412件(上年286件),同比增長44.06%。":
        [(FY, 412, "件", False, False, "行政復議案件412件"),
         (FY, 44.06, "%", True, False, "行政復議案件412件(上年286件),同比增長44.06%")],
    "其中行政訴訟7起,行政復議5起。":
        [(SS, 7, "起", False, False, "行政訴訟7起"),
         (FY, 5, "起", False, False, "行政復議5起")],
    "司法所參與合同審查42件次。":
        [(HF, 42, "件次", False, False, "合同審查42件次")],
}
CASES.update(TRADITIONAL)

NEGATIVES = [
    "2024年3月1日起施行《行政复议工作规程》(区府办发〔2024〕7号)。",   # a date, a document number
    "行政复议案件中涉及市场监管的占比30%。",                             # a share
    "2023年共收到行政复议申请超过40件的乡镇有3个。",                    # a threshold
    "全市行政机关负责人出庭应诉率超过90%。",                            # a threshold of a rate
    "各地行政复议纠错率超15%。",                                        # 超 alone
    "全年收到行政复议申请超300件。",                                    # 超 before a count
    "仍有5个部门出庭应诉率低于80%。",                                   # a bound said of a group
    "全县出庭应诉率比全省平均水平高6.5个百分点。",                      # a gap to an average
    "行政诉讼败诉率低于全市平均水平2.3个百分点。",                      # a gap to an average
    "甲、乙两县行政复议受案量同比分别增长12%、9%。",                   # the values of several
    "行政复议工作群众满意度较上年提升5%。",                             # a change of something else
    "全年制作行政复议决定书12份,行政诉讼答辩状9份。",                  # documents, not cases
    "召开行政复议委员会会议4次,开展行政诉讼旁听2次。",                # meetings
    "全年参加行政诉讼14人次。",                                         # people
    "市场监管领域行政处罚案件13件,占总量的38%,交通运输领域占21%。",   # shares by domain
    "对全镇各部门开展专项审查3次。",                                   # no object of a review
    "全年对规范性文件开展清理审查工作3次。",                            # the work done, no count
    "全院共受理民事一审案件3200件,刑事二审案件150件。",                # the courts' other cases
    "全年审结民事、行政案件680件。",                                    # a total with another kind
    "行政复议案件中涉及征收的有21件(占比18%)。",                       # a share in brackets
    "开展规范性文件清理审查2次。",                                      # a cleanup, no review count
    "组织合同审查业务培训4次。",                                        # a training
]



(test_each_phrasing_gives_exactly_the_expected_records,
 test_figures_that_are_no_indicator_value_give_no_statement) = phrasing_tests(
    CASES, NEGATIVES)


def test_a_growth_rate_named_after_the_counts_is_not_read_twice():
    """受理…N件,审结M件,年均增长率分别为a%、b%: the rate's values go to the counts that are
    indicators (审结 is none), once."""
    got = records("全市法院共受理行政案件8000件,审结7600件,年均增长率分别为10.5%、9.2%。")
    assert [(r[0], r[1], r[3]) for r in got] == [(SS, 8000.0, False), (SS, 10.5, True)]
