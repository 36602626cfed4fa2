"""The report metadata fields a user can filter and count by: each defined once, here.

The writer stores them, the side arrays code them, the searcher filters and counts them, the
web parameters, the pages and the CLI accept them, all from this table. What a user may type
for a value (浙江省 -> 浙江, 县 -> 县级, 2020-2023) is decided by one function,
searcher.query.normalize_filter, used wherever a filter is accepted.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Field:
    name: str            # as in Metadata, URLs (?province=) and the query language (province:)
    label: str           # Chinese label on the pages
    coded: bool          # a per-paragraph code array in the side arrays (index/columns.py)
    search_facet: bool   # counted beside search results
    report_facet: bool   # counted on the reports list
    substring: bool = False   # a filter value matches part of the field (issuer, title)

    @property
    def cli_flag(self) -> str:
        return "--" + self.name.replace("_", "-")


FIELDS = (
    Field("year", "年度", coded=True, search_facet=True, report_facet=True),
    Field("province", "省份", coded=True, search_facet=True, report_facet=True),
    Field("city", "城市", coded=True, search_facet=False, report_facet=False),
    Field("level", "层级", coded=True, search_facet=True, report_facet=True),
    Field("section", "报告部分", coded=True, search_facet=True, report_facet=False),
    Field("issuer_type", "政府/部门", coded=True, search_facet=True, report_facet=True),
    Field("issuer", "发文机关", coded=True, search_facet=False, report_facet=False,
          substring=True),
    Field("title", "标题", coded=False, search_facet=False, report_facet=False, substring=True),
    # a date range (published:2024-01-01..2024-03-31), compared with the report's
    # publishing date; a report without one never passes
    Field("published", "发布日期", coded=False, search_facet=False, report_facet=False),
    # the laws and documents a paragraph cites (titles in 《》, normalized: searcher/cited.py);
    # counted beside search results as 引用文件, filtered with cites:行政复议法
    Field("cites", "引用文件", coded=False, search_facet=False, report_facet=False),
)
BY_NAME = {f.name: f for f in FIELDS}

FILTER_FIELDS = tuple(f.name for f in FIELDS)
CODE_FIELDS = tuple(f.name for f in FIELDS if f.coded)
SEARCH_FACETS = tuple(f.name for f in FIELDS if f.search_facet)
REPORT_FACETS = tuple(f.name for f in FIELDS if f.report_facet)
SUBSTRING_FIELDS = tuple(f.name for f in FIELDS if f.substring)
LABELS = {f.name: f.label for f in FIELDS}
