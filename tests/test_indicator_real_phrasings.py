"""Indicator statements in the phrasings real reports use and the rules once missed
(index/indicators.py), one group per class of failure read from the `tune` split of the
evaluation set. The sentences are composed in each class's style, not copied from the set.
Each sentence gives exactly the expected records; sentences whose figures are no indicator
value (dates, document numbers, shares, thresholds) give none, and plan targets stay
targets."""
from __future__ import annotations

import pytest

from index.indicators import extract_statements

FY = "行政复议案件数"
SS = "行政诉讼案件数"
HF = "合法性审查件数"
BA = "规范性文件备案件数"

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
}

NEGATIVES = [
    "2024年3月1日起施行《行政复议工作规程》(区府办发〔2024〕7号)。",   # a date, a document number
    "行政复议案件中涉及市场监管的占比30%。",                             # a share
]


def _records(text: str) -> list[tuple]:
    return [(s.indicator, s.value, s.unit, s.change, s.target, text[s.start:s.end])
            for s in extract_statements(text)]


@pytest.mark.parametrize("text", list(CASES))
def test_each_real_phrasing_gives_exactly_the_expected_records(text):
    want = [(n, float(v), u, c, t, span) for n, v, u, c, t, span in CASES[text]]
    assert sorted(_records(text)) == sorted(want)


@pytest.mark.parametrize("text", NEGATIVES)
def test_figures_that_are_no_indicator_value_give_no_statement(text):
    assert _records(text) == []
