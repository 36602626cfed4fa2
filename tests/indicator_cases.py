"""What the indicator phrasing tests share: the catalogue's canonical names and one statement
record, (indicator, value, unit, change, target, the statement's text), per extracted
statement (index/indicators.py)."""
from __future__ import annotations

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
