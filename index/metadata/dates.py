from __future__ import annotations

import datetime
import re

from .common import _is_body_text, _CN_DIGIT, _CN_YEAR_RE, _DATE_AR_RE, _DATE_CN_RE, _RANGE_AFTER, _RANGE_BEFORE, _SIGN_DATE_AR_RE, _YEAR_RE

# ---------------------------------------------------------------- dates

def _cn_small_number(text: str) -> int:
    """一..三十一 as written in Chinese dates (十 = 10, 二十一 = 21)."""
    if "十" in text:
        tens, _, ones = text.partition("十")
        return _CN_DIGIT.get(tens, 1) * 10 + _CN_DIGIT.get(ones, 0)
    return _CN_DIGIT.get(text, 0)


def _iso(year: int, month: int, day: int) -> str | None:
    try:
        return datetime.date(year, month, day).isoformat()
    except ValueError:
        return None


def _date_from_match(m: re.Match, chinese: bool) -> str | None:
    if chinese:
        year = int("".join(str(_CN_DIGIT[c]) for c in m.group(1)))
        return _iso(year, _cn_small_number(m.group(2)), _cn_small_number(m.group(3)))
    return _iso(int(m.group(1)), int(m.group(2)), int(m.group(3)))


def parse_date(text: str) -> str | None:
    """The first date in `text` (2024-03-29, 2024/3/29, 2024.3.29, 2024年3月29日,
    二〇二四年一月十九日) as YYYY-MM-DD, or None."""
    found = [(m.start(), m, False) for m in [_DATE_AR_RE.search(text)] if m]
    found += [(m.start(), m, True) for m in [_DATE_CN_RE.search(text)] if m]
    for _, m, chinese in sorted(found, key=lambda f: f[0]):
        date = _date_from_match(m, chinese)
        if date:
            return date
    return None


def _signature_date(line: str) -> str | None:
    """The date when the whole line is a written-out date (年月日), as under a signature."""
    line = line.strip()
    m = _SIGN_DATE_AR_RE.fullmatch(line)
    if m:
        return _date_from_match(m, False)
    m = _DATE_CN_RE.fullmatch(line)
    return _date_from_match(m, True) if m else None


def _label_re(labels: list[str]) -> str:
    # Longest first, and not glued to a preceding Chinese character (成文日期 is not 日期).
    alts = "|".join(re.escape(x) for x in sorted(labels, key=len, reverse=True))
    return rf"(?<![\u4e00-\u9fff])(?:{alts})"


def find_published(lines: list[str], cfg: dict) -> str | None:
    """The page's publishing date from a labelled chrome line, most specific label first."""
    chrome = [ln for ln in lines if len(ln) <= cfg["chrome_max_chars"]]
    for label in cfg["published_labels"]:
        pattern = re.compile(_label_re([label]) + r"\s*[::]?\s*(.{0,30})")
        for line in chrome:
            for m in pattern.finditer(line):
                value = m.group(1).lstrip()
                found = _DATE_AR_RE.match(value) or _DATE_CN_RE.match(value)
                date = found and _date_from_match(found, found.re is _DATE_CN_RE)
                if date:
                    return date
    return _unlabeled_published(lines, cfg)


_CLOCK_AFTER = re.compile(r"\s*\d{1,2}\s*[:时]\s*\d{2}")


def _unlabeled_published(lines: list[str], cfg: dict) -> str | None:
    """A date without a label in the page head: followed by a clock time
    ("2025-04-27 10:14 某某网", "2023年03月30日 09时24分") or on the source line
    ("来源:某某日报 2026-03-16"). Clock widgets ("今天是2019年10月31日 星期三") are skipped."""
    source = re.compile(_label_re(cfg["source_labels"]) + r"\s*[::]")
    dated = [label for label, field in cfg["portal_labels"].items() if field == "dated"]
    # a document-date label right before the date, only separators between them
    document_date = re.compile(rf"(?:{'|'.join(map(re.escape, dated))})[\s|丨::]*$")
    head = lines[: cfg["title_search_lines"]]
    for k, line in enumerate(head):
        if _is_body_text(line):
            break
        split = _split_date(head[k:k + 3])
        if split:
            return split
        if len(line) > cfg["unlabeled_date_max_chars"] or any(w in line for w in cfg["clock_widget_words"]):
            continue
        on_source_line = source.search(line) is not None
        for m in _DATE_AR_RE.finditer(line):
            if document_date.search(line, 0, m.start()):
                continue        # | 生成日期 | 2026-01-30 09:03:18 |: the document's date
            if on_source_line or _CLOCK_AFTER.match(line, m.end()):
                date = _date_from_match(m, False)
                if date:
                    return date
    return None


_YEAR_LINE = re.compile(r"\s*((?:19|20)\d{2})\s*")
_MONTH_DAY_LINE = re.compile(r"\s*(\d{1,2})\s*[/-]\s*(\d{1,2})\s*")
_CLOCK_LINE = re.compile(r"\s*\d{1,2}\s*:\s*\d{2}(?::\d{2})?\s*")


def _split_date(lines: list[str]) -> str | None:
    """A date widget printed over three lines ("2024" / "04/07" / "19:20"): the year, the
    month and day, and the clock time that makes it a publishing time."""
    if len(lines) < 3:
        return None
    year, day, clock = (_YEAR_LINE.fullmatch(lines[0]), _MONTH_DAY_LINE.fullmatch(lines[1]),
                        _CLOCK_LINE.fullmatch(lines[2]))
    if not (year and day and clock):
        return None
    try:
        return datetime.date(int(year.group(1)), int(day.group(1)), int(day.group(2))).isoformat()
    except ValueError:
        return None


def find_source(lines: list[str], cfg: dict) -> str | None:
    """The 信息来源 value of the page, cut at the next chrome label on its line."""
    label = re.compile(_label_re(cfg["source_labels"]) + r"\s*[::]\s*")
    stops = sorted(cfg["source_stop_labels"], key=len, reverse=True)
    for line in lines:
        if len(line) > cfg["chrome_max_chars"]:
            continue
        m = label.search(line)
        if not m:
            continue
        rest = line[m.end():]
        cut = min([i for i in (rest.find(s) for s in stops) if i >= 0], default=len(rest))
        value = rest[:cut].strip(" |丨:: ")
        if value and len(value) <= 40:
            return value
    return None


# ---------------------------------------------------------------- years

def _in_book_title(text: str, pos: int) -> bool:
    return text.count("《", 0, pos) > text.count("》", 0, pos)


def _cn_year(digits: str) -> int:
    return int("".join(str(_CN_DIGIT[c]) for c in digits))


def report_years(text: str) -> list[int]:
    """Years in `text` that can be the year of a report: not a period's end (2021—2025年),
    not inside a book title (a law's or a plan's year), not a starting point (2019年以来)."""
    hits = [(m.start(), m.end(), int(m.group(1))) for m in _YEAR_RE.finditer(text)]
    hits += [(m.start(), m.end(), _cn_year(m.group(1))) for m in _CN_YEAR_RE.finditer(text)]
    years = []
    for start, end, year in sorted(hits):
        if _RANGE_BEFORE.search(text[max(0, start - 8):start]):
            continue
        if _RANGE_AFTER.match(text[end - 1:end + 8]) or _RANGE_AFTER.match(text[end:end + 8]):
            continue
        if _in_book_title(text, start) or text[end:end + 3].lstrip("度").startswith("以来"):
            continue
        if 1990 <= year <= 2099:
            years.append(year)
    return years


def _year_of_date(date: str | None, cfg: dict) -> int | None:
    if not date:
        return None
    year, month = int(date[:4]), int(date[5:7])
    return year if month >= cfg["same_year_from_month"] else year - 1


def find_year(title: str | None, opening: list[str], published: str | None,
              dated: str | None, cfg: dict) -> int | None:
    """The year the report is about: title, then opening sentences, then the dates."""
    if title:
        years = report_years(title)
        if years:
            return years[0]
    known = published or dated
    latest = int(known[:4]) if known else None
    for line in opening:
        for year in report_years(line):
            # An opening year later than the page or two years before it is not the
            # report's own year (a plan's target year, a past milestone).
            if latest is None or latest - 2 <= year <= latest:
                return year
    return _year_of_date(published, cfg) or _year_of_date(dated, cfg) or _since_year(opening)


def _since_year(opening: list[str]) -> int | None:
    """The year of an opening that starts "2021年以来,…": the report covers the time since
    then, and with no other year or date that start is the best guess of its year."""
    for line in opening[:1]:
        m = re.match(r"\s*[自从]?\s*((?:19|20)\d{2})\s*年度?以来", line)
        if m:
            return int(m.group(1))
    return None

