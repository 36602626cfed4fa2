"""What the indicator phrasing tests share: the catalogue's canonical names and one statement
record, (indicator, value, unit, change, target, the statement's text), per extracted
statement (index/indicators.py)."""
from __future__ import annotations

import pytest

from index.indicators import extract_statements

FZ = CT = "行政机关负责人出庭应诉率"
BS = "行政诉讼败诉率"
FY = "行政复议案件数"
SS = "行政诉讼案件数"
HF = "合法性审查件数"
BA = "规范性文件备案件数"


def records(text: str) -> list[tuple]:
    return [(s.indicator, s.value, s.unit, s.change, s.target, text[s.start:s.end])
            for s in extract_statements(text)]


def expected(cases: dict, text: str) -> list[tuple]:
    """A case's records, sorted, the values as numbers (as `records` gives them)."""
    return sorted((n, float(v), u, c, t, span) for n, v, u, c, t, span in cases[text])


def phrasing_tests(cases: dict, negatives: list, targets_in_negatives: bool = False):
    """The two checks every phrasing file makes, as test functions for its module to bind:
    each case gives exactly its records; each negative gives none (or, with
    `targets_in_negatives`, none that is not marked a target)."""
    @pytest.mark.parametrize("text", list(cases))
    def test_each_phrasing_gives_exactly_the_expected_records(text):
        assert sorted(records(text)) == expected(cases, text)

    @pytest.mark.parametrize("text", list(negatives))
    def test_figures_that_are_no_indicator_value_give_no_statement(text):
        got = records(text)
        assert [r for r in got if not r[4]] == [] if targets_in_negatives else got == []

    return (test_each_phrasing_gives_exactly_the_expected_records,
            test_figures_that_are_no_indicator_value_give_no_statement)
