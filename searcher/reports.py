"""The reports list: every report's record, filtered and sorted, with how original it is.

What the /reports page, /api/reports and `reportsearch reports` all read, and the one
definition of "the same issuer" and of "the same issuer's previous-year report" (the checks'
repeated 存在的不足, originality's 沿用上年, 与上一年对比).
"""
from __future__ import annotations

import threading
import weakref

from index.model import LEVELS
from index.normalize import match_form

REPORT_SORTS = {
    "year_desc": ("年度（新→旧）", lambda r: (-(r.get("year") or 0), r.get("title") or "")),
    "year_asc": ("年度（旧→新）", lambda r: (r.get("year") or 9999, r.get("title") or "")),
    "province": ("省份", lambda r: (r.get("province") or "~", r.get("city") or "~",
                                   -(r.get("year") or 0))),
    "level": ("层级", lambda r: (LEVELS.index(r["level"]) if r.get("level") in LEVELS else 9,
                                r.get("province") or "~", -(r.get("year") or 0))),
    "title": ("标题", lambda r: r.get("title") or "~"),
    "published": ("发布日期（新→旧）", lambda r: r.get("published") or ""),
    # the originality sorts read the rows of report_rows(..., originality=True)
    "earlier_elsewhere": ("先见于他处（多→少）", lambda r: (
        -_share(r, "earlier_elsewhere_share"), -(r.get("year") or 0), r.get("title") or "")),
    "from_previous_year": ("沿用上年（多→少）", lambda r: (
        -_share(r, "from_previous_year_share"), -(r.get("year") or 0), r.get("title") or "")),
}
DESCENDING_SORTS = ("published",)          # sorted by the key, then reversed
ORIGINALITY_SORTS = ("earlier_elsewhere", "from_previous_year")
ORIGINALITY_KEYS = ("compared", "earlier_elsewhere", "earlier_elsewhere_share",
                    "previous_report_id", "from_previous_year", "from_previous_year_share")


def _share(row: dict, key: str) -> float:
    value = (row.get("originality") or {}).get(key)
    return -1.0 if value is None else value


def issuer_key(record: dict) -> tuple[str, str, str] | None:
    """Who wrote a report, as one comparable value: province, city and the issuer's formal
    name in match form (so 城关镇 of two counties are two issuers, and a Traditional and a
    Simplified spelling one); None when the report names no issuer."""
    name = record.get("issuer_full") or record.get("issuer")
    if not name:
        return None
    return (record.get("province") or "", record.get("city") or "", match_form(name))


_previous: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()
_lock = threading.Lock()


def previous_report_ids(searcher) -> dict[str, str]:
    """{report id: the same issuer's report of the year before} for every report that has
    one (of several, the first by report id); computed once per searcher."""
    with _lock:
        got = _previous.get(searcher)
    if got is not None:
        return got
    by_key_year: dict = {}
    for r in searcher.reports():
        key = issuer_key(r)
        if key and r.get("year"):
            by_key_year.setdefault((key, r["year"]), []).append(r["report_id"])
    out = {}
    for r in searcher.reports():
        key = issuer_key(r)
        earlier = by_key_year.get((key, (r.get("year") or 0) - 1)) if key else None
        if earlier:
            out[r["report_id"]] = min(earlier)
    with _lock:
        _previous[searcher] = out
    return out


def report_matches(report: dict, filters: dict[str, list[str]], skip: str | None = None) -> bool:
    """Whether a report's record has one of the wanted values of every filter (normalized
    values, as normalize_filter gives them) but `skip`."""
    return all(str(report.get(name)) in values
               for name, values in filters.items() if name != skip)


def report_rows(searcher, filters: dict[str, list[str]] | None = None,
                sort: str = "year_desc", originality: bool = False) -> list[dict]:
    """The reports matching `filters`, sorted by `sort` (a key of REPORT_SORTS); with
    `originality`, each row is a copy of the record with an `originality` dict (the keys of
    searcher.similar.originality; None without compared paragraphs). Records are shared:
    without `originality` the rows must not be modified."""
    rows = [r for r in searcher.reports() if report_matches(r, filters or {})]
    if originality or sort in ORIGINALITY_SORTS:
        from .similar import originality_table
        table = originality_table(searcher)
        rows = [dict(r, originality=table.of(searcher, r["report_id"])) for r in rows]
    rows.sort(key=REPORT_SORTS[sort][1])
    if sort in DESCENDING_SORTS:
        rows.reverse()
    return rows


# ---- flat rows for CSV / XLSX (the CLI's --csv and the page's downloads) ----------------------

TABLE_COLUMNS = (
    ("报告编号", lambda r, o: r.get("report_id")),
    ("标题", lambda r, o: r.get("title")),
    ("发文机关", lambda r, o: r.get("issuer")),
    ("政府/部门", lambda r, o: r.get("issuer_type")),
    ("层级", lambda r, o: r.get("level")),
    ("省份", lambda r, o: r.get("province")),
    ("城市", lambda r, o: r.get("city")),
    ("年度", lambda r, o: r.get("year")),
    ("发布日期", lambda r, o: r.get("published")),
    ("段落数", lambda r, o: r.get("paragraph_count")),
    ("比对段落数", lambda r, o: o.get("compared")),
    ("先见于他处段落数", lambda r, o: o.get("earlier_elsewhere")),
    ("先见于他处比例", lambda r, o: o.get("earlier_elsewhere_share")),
    ("上一年报告编号", lambda r, o: o.get("previous_report_id")),
    ("沿用上年段落数", lambda r, o: o.get("from_previous_year")),
    ("沿用上年比例", lambda r, o: o.get("from_previous_year_share")),
    ("原文网址", lambda r, o: r.get("url")),
)


def table_rows(rows: list[dict]) -> list[list]:
    """One list of cells per report_rows() row, in the order of TABLE_COLUMNS."""
    return [[get(r, r.get("originality") or {}) for _, get in TABLE_COLUMNS] for r in rows]
