"""Report checks (issue 15): is each report complete, on time, and concrete about its shortcomings.

Computed at query time from what the index already holds (the report record and its
paragraphs with their canonical sections), never stored in the index; the list for all
reports is computed once per opened `Searcher` and cached beside it.

The rules, all configurable under `checks:` in the YAML configuration:

- **parts**: a canonical part is present when at least one paragraph of the report has that
  section (the structure extraction's heading rules decide it); 前言 and 落款 are not parts.
- **deadline**: a government's report on year Y must be published before `government_deadline`
  (month-day) of Y+1, a department's before `department_deadline`; `deadline` is that date
  and `on_time` is published < deadline, or None when the published date (or year) is unknown.
- **figures**: occurrences of `figure_pattern` (a number followed by a unit: 件, 次, 人, %, 个,
  万元 ...) in the rule form (NFKC) of each part's text.
- **generic shortcomings**: the 存在的不足和原因 part is flagged when it holds no figure and every
  sentence of it contains one of the `stock_phrases` (有待提高, 仍需加强 ...).
"""
from __future__ import annotations

import datetime as dt
import re
import threading
import weakref
from functools import lru_cache

from index.model import SECTIONS
from index.normalize import rule_form
from index.read import shown_file_name

SHORTCOMINGS = "存在的不足和原因"
# 存在的不足和原因 paragraphs shorter than this are not compared with last year's (a heading
# phrase or 无 repeats without meaning anything).
REPEAT_MIN_CHARS = 10
FIRST_RESPONSIBLE = "第一责任人职责"
PARTS = tuple(s for s in SECTIONS if s not in ("前言", "落款"))

FLAG_MISSING_FIRST = "缺少第一责任人职责部分"
FLAG_MISSING_SHORTCOMINGS = "缺少存在的不足和原因部分"
FLAG_LATE = "逾期发布"
FLAG_UNKNOWN_DATE = "发布日期未知"
FLAG_GENERIC = "不足部分没有具体问题"

# Used when the configuration has no `checks:` block (an older user file is merged over the
# packaged defaults, so this is only a fallback for hand-made configs in tests).
DEFAULTS = {
    "government_deadline": "04-01",
    "department_deadline": "03-01",
    "figure_pattern": (
        r"(?:\d+(?:\.\d+)?|[两二三四五六七八九十百千万亿][零〇一二两三四五六七八九十百千万亿]*)"
        r"\s*(?:余|多)?\s*(?:%|‰|个百分点|万人次|人次|万元|亿元|元|件|次|人|个|项|家|场|名|份|条|"
        r"篇|期|天|小时|户|起|所|支|宗|批|部|座|公里|平方米|亩|倍|类|轮|处|本|册|套|门)"),
    "stock_phrases": [
        "有待提高", "有待加强", "有待增强", "有待提升", "有待进一步", "有待完善", "有待健全",
        "仍需加强", "仍需提高", "仍需提升", "仍需进一步", "还需加强", "还需提高", "还需进一步",
        "需要进一步", "亟待加强", "亟需加强", "还不够", "不够到位", "不够完善", "不够健全",
        "不够高", "不够强", "不够深入", "重视不够", "不平衡", "不充分", "不均衡", "存在短板",
        "存在差距", "存在不足", "仍有差距", "仍有不足", "差距", "薄弱", "滞后", "不适应",
        "不到位", "不完善", "不健全", "不规范", "不高", "不强", "不足",
    ],
}

_SENTENCE_END = re.compile(r"[。；;！!？?\n]+")


def check_settings(config: dict | None) -> dict:
    """The `checks:` block of the configuration over DEFAULTS."""
    out = dict(DEFAULTS)
    out.update((config or {}).get("checks") or {})
    return out


@lru_cache(maxsize=8)
def _pattern(text: str) -> re.Pattern:
    return re.compile(text)


def count_figures(text: str, settings: dict) -> int:
    """How many concrete figures (numbers with units) `text` states."""
    return len(_pattern(settings["figure_pattern"]).findall(rule_form(text)))


def is_generic(texts: list[str], settings: dict) -> bool:
    """True when the text holds no figure and each of its sentences has a stock phrase."""
    text = "。".join(texts)
    if not text.strip() or count_figures(text, settings):
        return False
    phrases = [rule_form(p) for p in settings["stock_phrases"]]
    sentences = [s for s in _SENTENCE_END.split(rule_form(text)) if s.strip()]
    return bool(sentences) and all(any(p in s for p in phrases) for s in sentences)


GENERIC_RULE = ("“存在的不足和原因”部分没有一个具体数字（如多少件、多少次、多少人、百分之几），"
                "而且每一句都含有“有待提高”“仍需加强”“不够到位”一类的套话，"
                "就标为“不足部分没有具体问题”：只说了哪里不够，没有说出具体是什么问题。")


def _month_day(value, key: str) -> tuple[int, int]:
    m = re.fullmatch(r"\s*(\d{1,2})-(\d{1,2})\s*", str(value))
    if not m:
        raise ValueError(f"配置 checks.{key} 应写成 月-日，如 04-01，收到的是 {value!r}")
    return int(m.group(1)), int(m.group(2))


def deadline_for(report: dict, settings: dict) -> str | None:
    """The date (YYYY-MM-DD) the report had to be published before, or None without a year."""
    year = report.get("year")
    if not isinstance(year, int):
        return None
    key = "department_deadline" if report.get("issuer_type") == "部门" else "government_deadline"
    month, day = _month_day(settings[key], key)
    return dt.date(year + 1, month, day).isoformat()


def display_file(report: dict) -> str:
    """The report's file as a reader may see it (index.read.shown_file_name)."""
    return shown_file_name(report.get("file"))


def report_checks(report: dict, settings: dict) -> dict:
    """The checks of one report (`report` as Searcher.report gives it, with paragraphs)."""
    by_part: dict[str, list[dict]] = {}
    for p in report.get("paragraphs") or []:
        by_part.setdefault(p.get("section") or "其他", []).append(p)
    present = [s for s in PARTS if s in by_part]
    missing = [s for s in PARTS if s not in by_part]
    parts = {}
    for s in PARTS:
        texts = [p.get("text") or "" for p in by_part.get(s, [])]
        joined = "".join(texts)
        parts[s] = {"paragraphs": len(texts),
                    "chars": len(re.sub(r"\s+", "", joined)),
                    "figures": count_figures("\n".join(texts), settings)}
    published = report.get("published") or None
    deadline = deadline_for(report, settings)
    on_time = None if not (published and deadline) else str(published) < deadline
    body_texts = [p.get("text") or "" for p in by_part.get(SHORTCOMINGS, [])
                  if p.get("kind") != "heading"]
    generic = SHORTCOMINGS in by_part and is_generic(body_texts, settings)
    flags = []
    if FIRST_RESPONSIBLE in missing:
        flags.append(FLAG_MISSING_FIRST)
    if SHORTCOMINGS in missing:
        flags.append(FLAG_MISSING_SHORTCOMINGS)
    if on_time is False:
        flags.append(FLAG_LATE)
    elif on_time is None:
        flags.append(FLAG_UNKNOWN_DATE)
    if generic:
        flags.append(FLAG_GENERIC)
    return {
        "report_id": report.get("report_id"),
        "file": display_file(report),
        "title": report.get("title"),
        "issuer": report.get("issuer"),
        "issuer_type": report.get("issuer_type"),
        "level": report.get("level"),
        "province": report.get("province"),
        "city": report.get("city"),
        "year": report.get("year"),
        "sections_present": present,
        "sections_missing": missing,
        "first_responsible_present": FIRST_RESPONSIBLE in by_part,
        "published": published,
        "deadline": deadline,
        "on_time": on_time,
        "length": sum(v["chars"] for v in parts.values()),
        "figures": sum(v["figures"] for v in parts.values()),
        "parts": parts,
        "shortcomings_generic": generic,
        "flags": flags,
    }


def _shortcoming_lines(report: dict) -> list[str]:
    from index.normalize import match_form
    return [match_form(p.get("text") or "") for p in report.get("paragraphs") or []
            if p.get("section") == SHORTCOMINGS and p.get("kind") != "heading"
            and len(p.get("text") or "") >= REPEAT_MIN_CHARS]


def repeated_share(report: dict, previous: dict | None) -> float | None:
    """The share (by characters) of a report's 存在的不足和原因 paragraphs that its issuer's
    previous report already had word for word (in match form); None without a previous
    report or without such paragraphs. Exact repeats only: near-copies are the reused-text
    analysis's job."""
    if previous is None:
        return None
    lines = _shortcoming_lines(report)
    total = sum(map(len, lines))
    if not total:
        return None
    before = set(_shortcoming_lines(previous))
    return round(sum(len(t) for t in lines if t in before) / total, 3)


def previous_report_id(searcher, report_id: str) -> str | None:
    """The same issuer's report for the year before, if the index has it (one definition:
    searcher.reports.previous_report_ids)."""
    from .reports import previous_report_ids
    return previous_report_ids(searcher).get(report_id)


# ---- all reports, cached per searcher ------------------------------------------------------

_cache: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()
_cache_lock = threading.Lock()


def all_checks(searcher, config: dict | None = None) -> list[dict]:
    """The checks of every report in the index, in Searcher.reports() order (newest first).
    Computed once per searcher and settings; callers must not modify the dicts."""
    settings = check_settings(config)
    key = repr(sorted(settings.items()))
    with _cache_lock:
        try:
            hit = _cache.get(searcher)
        except TypeError:
            hit = None
        if hit and hit[0] == key:
            return hit[1]
    out = []
    records = searcher.reports()
    for rec in records:
        report = searcher.report(rec["report_id"])
        if report is not None:
            row = report_checks(report, settings)
            prev = previous_report_id(searcher, rec["report_id"])
            row["previous_report_id"] = prev
            row["shortcomings_repeated_share"] = repeated_share(
                report, searcher.report(prev) if prev else None)
            out.append(row)
    with _cache_lock:
        try:
            _cache[searcher] = (key, out)
        except TypeError:
            pass
    return out


_page_cache: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def checks_of(searcher, report_ids, config: dict | None = None) -> dict[str, dict]:
    """{report_id: report_checks} for the given reports (a page of the reports list), each
    computed once per searcher and settings: reading a whole report costs milliseconds, and
    the same pages are asked again and again. Unknown ids are left out."""
    settings = check_settings(config)
    key = repr(sorted(settings.items()))
    out = {}
    with _cache_lock:
        try:
            known = _page_cache.setdefault(searcher, {})
        except TypeError:
            known = {}
    for rid in report_ids:
        with _cache_lock:
            got = known.get((key, rid))
        if got is None:
            report = searcher.report(rid)
            if report is None:
                continue
            got = report_checks(report, settings)
            with _cache_lock:
                known[(key, rid)] = got
        out[rid] = got
    return out


FILTER_FIELDS = ("year", "province", "city", "level", "issuer_type")


def normalized_filters(filters: dict | None) -> dict[str, list[str]]:
    """The filters this list knows (FILTER_FIELDS), canonical by the shared normalizer."""
    from searcher.query import normalize_filters

    return normalize_filters({k: v for k, v in (filters or {}).items() if k in FILTER_FIELDS})


def filter_checks(rows: list[dict], filters: dict[str, list[str]]) -> list[dict]:
    """The rows matching every (already normalized) filter, any of its values."""
    def ok(row):
        for field, values in filters.items():
            if not values:
                continue
            if str(row.get(field)) not in {str(v) for v in values}:
                return False
        return True
    return [r for r in rows if ok(r)]


SORTS = {
    "year_desc": lambda r: (-(r.get("year") or 0), r.get("report_id") or ""),
    "year_asc": lambda r: (r.get("year") or 9999, r.get("report_id") or ""),
    "province": lambda r: (r.get("province") or "~", r.get("city") or "~", -(r.get("year") or 0)),
    "published": lambda r: (r.get("published") or "~"),
    "on_time": lambda r: ({False: 0, None: 1, True: 2}[r.get("on_time")], r.get("published") or ""),
    "missing": lambda r: (-len(r["sections_missing"]), r.get("report_id") or ""),
    "length": lambda r: (-(r.get("length") or 0)),
    "figures": lambda r: (-(r.get("figures") or 0)),
    "flags": lambda r: (-len(r["flags"]), r.get("report_id") or ""),
}


def checks(searcher, config: dict | None = None, filters: dict | None = None,
           sort: str = "year_desc") -> list[dict]:
    """Filtered and sorted checks; QueryError for a filter value that names nothing."""
    rows = filter_checks(all_checks(searcher, config), normalized_filters(filters))
    return sorted(rows, key=SORTS.get(sort, SORTS["year_desc"]))


# ---- flat rows for CSV / XLSX ------------------------------------------------------------------

def _yes_no(value) -> str:
    return {True: "是", False: "否", None: "未知"}[value]


def table_header() -> list[str]:
    head = ["报告编号", "文件", "标题", "发文机关", "政府/部门", "层级", "省份", "城市", "年度",
            "发布日期", "截止日期（须早于）", "按时发布", "具备的部分", "缺少的部分",
            "第一责任人职责部分", "总字数", "具体数字数"]
    for s in PARTS:
        head += [f"{s}·字数", f"{s}·数字"]
    head += ["不足部分没有具体问题", "提示"]
    return head


def table_row(row: dict) -> list:
    out = [row["report_id"], row["file"], row.get("title") or "", row.get("issuer") or "",
           row.get("issuer_type") or "", row.get("level") or "", row.get("province") or "",
           row.get("city") or "", row.get("year") if row.get("year") is not None else "",
           row.get("published") or "", row.get("deadline") or "", _yes_no(row["on_time"]),
           "、".join(row["sections_present"]), "、".join(row["sections_missing"]),
           "有" if row["first_responsible_present"] else "缺", row["length"], row["figures"]]
    for s in PARTS:
        out += [row["parts"][s]["chars"], row["parts"][s]["figures"]]
    out += ["是" if row["shortcomings_generic"] else "否", "；".join(row["flags"])]
    return out


def to_csv(rows: list[dict]) -> str:
    from .tables import csv_text
    return csv_text(table_header(), [table_row(r) for r in rows])


def to_xlsx(header: list[str], rows: list[list], title: str = "报告检查") -> bytes:
    """An .xlsx workbook of one sheet (openpyxl)."""
    from .tables import xlsx_bytes
    return xlsx_bytes(header, rows, title)
