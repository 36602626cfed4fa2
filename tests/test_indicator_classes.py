"""Indicator statements of phrasings the rules once missed or misread (index/indicators.py),
composed in the style reports use: kinds written before a shared 案件 with one value each, a
series that goes on into the next clauses, counts written with the intake verb alone, counts
with no unit, and figures that count something else. Each sentence gives exactly the
expected records; sentences whose figures are no indicator value give none (or a target)."""
from __future__ import annotations

import copy

import pytest

from index.indicators import extract_statements, rules_of
from indicator_cases import BS, FY, FZ, HF, SS, expected, records


# text -> [(indicator, value, unit, change, target, span text)]
CASES = {
    # kinds written before the shared 案件, one value each, in order
    "全年办理行政复议、行政诉讼案件分别为18件、23件。":
        [(FY, 18, "件", False, False, "行政复议、行政诉讼案件分别为18件"),
         (SS, 23, "件", False, False, "行政诉讼案件分别为18件、23件")],
    "全年共办理行政复议和行政应诉案件45件、31件。":
        [(FY, 45, "件", False, False, "行政复议和行政应诉案件45件"),
         (SS, 31, "件", False, False, "行政应诉案件45件、31件")],
    # …and their changes, one each (下降 makes them negative)
    "2023年,全市行政复议、行政诉讼案件分别为120件、85件,同比分别下降10%、5%。":
        [(FY, 120, "件", False, False, "行政复议、行政诉讼案件分别为120件"),
         (FY, -10, "%", True, False, "行政复议、行政诉讼案件分别为120件、85件,同比分别下降10%"),
         (SS, 85, "件", False, False, "行政诉讼案件分别为120件、85件"),
         (SS, -5, "%", True, False, "行政诉讼案件分别为120件、85件,同比分别下降10%、5%")],
    # each listed change may say its own direction
    "行政复议、行政诉讼案件分别为120件、85件,同比分别增长10%、下降5%。":
        [(FY, 120, "件", False, False, "行政复议、行政诉讼案件分别为120件"),
         (FY, 10, "%", True, False, "行政复议、行政诉讼案件分别为120件、85件,同比分别增长10%"),
         (SS, 85, "件", False, False, "行政诉讼案件分别为120件、85件"),
         (SS, -5, "%", True, False, "行政诉讼案件分别为120件、85件,同比分别增长10%、下降5%")],
    "出庭应诉率、败诉率同比分别提高2个百分点、下降1个百分点。":
        [(FZ, 2, "个百分点", True, False, "出庭应诉率、败诉率同比分别提高2个百分点"),
         (BS, -1, "个百分点", True, False, "败诉率同比分别提高2个百分点、下降1个百分点")],
    "出庭应诉率和败诉率分别为98%、5%,同比分别提高2个百分点、下降1个百分点。":
        [(FZ, 98, "%", False, False, "出庭应诉率和败诉率分别为98%"),
         (FZ, 2, "个百分点", True, False, "出庭应诉率和败诉率分别为98%、5%,同比分别提高2个百分点"),
         (BS, 5, "%", False, False, "败诉率分别为98%、5%"),
         (BS, -1, "个百分点", True, False,
          "败诉率分别为98%、5%,同比分别提高2个百分点、下降1个百分点")],
    # a kind of no indicator holds its place: the 行政 value is the second
    "全市法院审理民事、行政案件分别为1200件、150件。":
        [(SS, 150, "件", False, False, "行政案件分别为1200件、150件")],
    # kinds of one indicator (its qualifiers) listed before it, one value each
    "全年对规范性文件、重大合同合法性审查分别为19件、39件。":
        [(HF, 19, "件", False, False, "合法性审查分别为19件"),
         (HF, 39, "件", False, False, "合法性审查分别为19件、39件")],
    # a series that goes on into the next clauses: other years, the year before
    "全年办理行政复议案件58件,2021年为43件,2020年为37件。":
        [(FY, 58, "件", False, False, "行政复议案件58件"),
         (FY, 43, "件", False, False, "行政复议案件58件,2021年为43件"),
         (FY, 37, "件", False, False, "行政复议案件58件,2021年为43件,2020年为37件")],
    "全年共审查规范性文件25件,上年为19件。":
        [(HF, 25, "件", False, False, "审查规范性文件25件"),
         (HF, 19, "件", False, False, "审查规范性文件25件,上年为19件")],
    "行政机关负责人出庭应诉率为95.2%,上年为90%。":
        [(FZ, 95.2, "%", False, False, "行政机关负责人出庭应诉率为95.2%"),
         (FZ, 90, "%", False, False, "行政机关负责人出庭应诉率为95.2%,上年为90%")],
    # the name in one clause, its values listed in the next
    "2021年至2023年,行政机关负责人出庭应诉率逐年提升,分别为90%、95.5%、100%。":
        [(FZ, 90, "%", False, False, "行政机关负责人出庭应诉率逐年提升,分别为90%"),
         (FZ, 95.5, "%", False, False, "行政机关负责人出庭应诉率逐年提升,分别为90%、95.5%"),
         (FZ, 100, "%", False, False,
          "行政机关负责人出庭应诉率逐年提升,分别为90%、95.5%、100%")],
    "近三年,全市行政复议案件数量持续增长,依次为120件、135件、150件。":
        [(FY, 120, "件", False, False, "行政复议案件数量持续增长,依次为120件"),
         (FY, 135, "件", False, False, "行政复议案件数量持续增长,依次为120件、135件"),
         (FY, 150, "件", False, False, "行政复议案件数量持续增长,依次为120件、135件、150件")],
    # the intake verb alone: the sentence's subject names the kind
    "2022年,全市各级行政复议机关共收案14898件,案件量连续四年突破一万件。":
        [(FY, 14898, "件", False, False, "收案14898件")],
    "2022年,全市各級行政復議機關共收案14898件。":
        [(FY, 14898, "件", False, False, "收案14898件")],
    "行政诉讼方面,全市法院新收案件305件,同比增长12.5%,审结290件。":
        [(SS, 305, "件", False, False, "新收案件305件"),
         (SS, 12.5, "%", True, False, "新收案件305件,同比增长12.5%")],
    # a noun of cases without a kind: the paragraph's subject names it
    "2020年,全区新收行政复议案件88件。受理案件同比去年下降38.5%,纠错率同比下降19%。":
        [(FY, 88, "件", False, False, "行政复议案件88件"),
         (FY, -38.5, "%", True, False, "受理案件同比去年下降38.5%"),
         ("行政复议纠错率", -19, "%", True, False, "纠错率同比下降19%")],
    # no unit written after the number: the gap says it is a count
    "全年行政复议案件数量为56,同比增长12%。":
        [(FY, 56, "件", False, False, "行政复议案件数量为56"),
         (FY, 12, "%", True, False, "行政复议案件数量为56,同比增长12%")],
    # the count beside figures of other things keeps its own value only
    "市政府法律顾问出具法律意见书共计90余人次,出具法律意见书5份。":
        [("法律意见件数", 5, "份", False, False, "出具法律意见书5份")],
    # a target stays a target
    "力争2025年行政复议、行政诉讼案件分别控制在100件、80件。":
        [(FY, 100, "件", False, True, "行政复议、行政诉讼案件分别控制在100件"),
         (SS, 80, "件", False, True, "行政诉讼案件分别控制在100件、80件")],
    "力争行政机关负责人出庭应诉率逐年提升,分别达到95%、98%。":
        [(FZ, 95, "%", False, True, "力争行政机关负责人出庭应诉率逐年提升,分别达到95%"),
         (FZ, 98, "%", False, True, "力争行政机关负责人出庭应诉率逐年提升,分别达到95%、98%")],
}
NEGATIVES = [
    "全年收案236件,结案220件。",                                   # whose cases: not said
    "全年办理行政复议和行政诉讼案件68件。",                         # the kinds' total
    "全年共受理信访和行政复议申请58件。",                           # a total with another kind
    "2023年3月15日,行政复议机构收到(2023)苏01行复123号决定书。",  # a date and a case number
    "印发《行政复议工作规范》(府办发〔2023〕12号),自2023年5月1日起施行。",  # a document number
    "行政复议案件中以市场监管类居多,占比30%。",                    # a share, not a rate
    "行政复议案件数量为2023年以来最高。",                           # a year, not a count
    "行政复议机关新收案件数占全省的40.94%。",                       # a share of a total
    "其中市场监管领域行政处罚案件13件,占总量的38%。",              # a domain's part of a total
    "全年办理行政复议案件58件,2022年审结50件。",                  # another figure, not a series
    "全年案件量同比增长12%。",                                     # whose cases: not said
    "全市法院受理案件同比增长15%。",                                # whose cases: not said
    "淄博、临沂两市行政复议收案数同比分别增长77.76%、65.78%。",    # two cities' counts
]
NEGATIVES_BUT_FIRST = {
    # the series stops at a figure of something else
    "全年办理行政复议案件58件,2023年1月起实行新制度。": (FY, 58),
    "全年办理行政复议案件58件,2022年审结50件。": (FY, 58),
}



@pytest.mark.parametrize("text", list(CASES))
def test_each_phrasing_gives_exactly_the_expectedrecords(text):
    assert sorted(records(text)) == expected(CASES, text)


@pytest.mark.parametrize("text", [t for t in NEGATIVES if t not in NEGATIVES_BUT_FIRST])
def test_figures_that_are_no_indicator_value_give_no_statement(text):
    assert records(text) == []


@pytest.mark.parametrize("text", list(NEGATIVES_BUT_FIRST))
def test_a_series_stops_at_a_figure_of_something_else(text):
    name, value = NEGATIVES_BUT_FIRST[text]
    assert [(r[0], r[1]) for r in records(text)] == [(name, float(value))]


def test_qualifiers_listed_before_a_count_go_one_to_each_value():
    got = extract_statements("全年对规范性文件和重大行政决策进行合法性审查分别为19件、5件。")
    assert [(s.qualifier, s.value) for s in got] == [("规范性文件", 19.0), ("重大行政决策", 5.0)]


def test_a_users_catalogue_changed_in_place_takes_effect():
    """The rules are kept per configuration, and a block edited in place is read again."""
    from index.config import default_config
    config = default_config()
    text = "全年办理信访事项案件12件。"
    assert extract_statements(text, config) == []
    first = rules_of(config)
    assert rules_of(config) is first            # kept, not compiled per paragraph
    config["indicators"]["catalogue"].append(
        {"name": "信访事项件数", "kind": "count", "unit": "件", "wordings": ["信访事项案件"]})
    got = extract_statements(text, config)
    assert [(s.indicator, s.value) for s in got] == [("信访事项件数", 12.0)]
    # the packaged defaults are untouched by a caller's copy
    assert extract_statements(text) == []
    assert extract_statements(text, copy.deepcopy(default_config())) == []
