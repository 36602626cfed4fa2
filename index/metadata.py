"""Metadata of one report: title, issuer, level, province/city, year, dates and source.

Works on the cleaned lines of a report (display form, Simplified, web-page chrome included)
with rules only: labels and name endings come from the `metadata:` and `levels:` blocks of
the configuration, places from the gazetteer in `index.places`. A field the text does not
tell stays None; only the title may be composed (and is then marked `title_derived`).

The issuer is written as the text gives it, in its fullest form:
- a signature or source field that contains the name found in the title or opening wins;
- a government named only by its place (title "某县2023年…", opening "2023年,某县坚持…")
  takes its formal name (某县人民政府, 某街道办事处) when the text names that government:
  某县人民政府 / 某县政府 anywhere, or the level word free-standing as its own (县委、县政府,
  区人民政府; a district's 市政府 is its city's, and "在市委、市政府领导下" names superiors);
  the informal 政府 ending is written out (某乡政府 -> 某乡人民政府);
- otherwise the bare place name stays: a government's name is never invented.
"""
from __future__ import annotations

import datetime
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from .config import load_config
from .model import Metadata
from .places import Mention, Place, find_mentions, is_within, places_with_short

_LEVEL_OF_DEPTH = {"province": "省级", "city": "市级", "county": "县级", "town": "乡镇级"}
_LEVEL_RANK = {"省级": 0, "市级": 1, "县级": 2, "乡镇级": 3}

_CN_DIGIT = {"〇": 0, "零": 0, "○": 0, "O": 0, "o": 0, "0": 0, "一": 1, "二": 2, "三": 3,
             "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_NUM = "〇零○Oo0一二三四五六七八九"
_DATE_AR = r"((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
_DATE_CN = rf"([{_CN_NUM}]{{4}})\s*年\s*([一二三四五六七八九十]{{1,3}})\s*月\s*([一二三四五六七八九十]{{1,3}})\s*日"
_DATE_AR_RE = re.compile(_DATE_AR)
_DATE_CN_RE = re.compile(_DATE_CN)
_SIGN_DATE_AR_RE = re.compile(r"((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_YEAR_RE = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年")
_CN_YEAR_RE = re.compile(rf"([{_CN_NUM}]{{4}})\s*年")
# A year that is one end of a period: 2021—2025年, 2021-2025年, 2021年至2025年.
_RANGE_BEFORE = re.compile(r"\d{4}\s*年?\s*[-—–~～至到－]+\s*$")
_RANGE_AFTER = re.compile(r"^\s*(?:年度?)?\s*[-—–~～至到－]+\s*\d{4}")
_CJK_NAME = re.compile(r"[\u4e00-\u9fff()()]{2,40}")
_HEADING_START = re.compile(r"^([一二三四五六七八九十]+[、.]|\d+[、.]|[((][一二三四五六七八九十\d]+[))])")
# "在市委、市政府的坚强领导下" names the superiors, not the issuer.
_UNDER_CLAUSE = re.compile(r"在[^,,。;;]*?(领导|指导|支持|监督|关心)[^,,。;;]*?下")
_ADDRESSEE_RE = re.compile(r"(.{2,40}?)\s*[::]")


@lru_cache(maxsize=1)
def _defaults() -> dict:
    return load_config()  # parsed once: callers without a config would re-read the YAML


def _metadata_config(config: dict | None) -> tuple[dict, dict]:
    config = config if config is not None else _defaults()
    if "metadata" not in config or "levels" not in config:
        config = {**_defaults(), **config}
    return config["metadata"], config.get("levels") or {}


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
    for line in lines[: cfg["title_search_lines"]]:
        if _is_body_text(line):
            break
        if len(line) > cfg["unlabeled_date_max_chars"] or any(w in line for w in cfg["clock_widget_words"]):
            continue
        on_source_line = source.search(line) is not None
        for m in _DATE_AR_RE.finditer(line):
            if on_source_line or _CLOCK_AFTER.match(line, m.end()):
                date = _date_from_match(m, False)
                if date:
                    return date
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


# ---------------------------------------------------------------- title and issuer

def _ends_with(text: str, suffixes: list[str]) -> str | None:
    return next((s for s in sorted(suffixes, key=len, reverse=True) if text.endswith(s)), None)


def _place_suffixes(levels_cfg: dict) -> list[str]:
    return [s for group in (levels_cfg.get("suffixes") or {}).values() for s in group]


def _is_org_line(line: str, cfg: dict, levels_cfg: dict) -> bool:
    """A line that is only the name of a government, a department or a place."""
    name = line.replace(" ", "")
    if not _CJK_NAME.fullmatch(name) or len(name) < 3 or "关于" in name or "报告" in name:
        return False
    suffixes = cfg["government_suffixes"] + cfg["department_suffixes"]
    if _ends_with(name, suffixes):
        return True
    mentions = find_mentions(name)
    return bool(mentions) and mentions[-1].end == len(name)


def _is_title_line(line: str, cfg: dict) -> bool:
    if len(line) > 80 or "。" in line or _HEADING_START.match(line):
        return False
    if any(x in line for x in cfg["title_exclude"]):
        return False
    if not any(k in line for k in cfg["title_keywords"]):
        return False
    return re.search(cfg["title_ending"], line) is not None


def _is_body_text(line: str) -> bool:
    return len(line) >= 60 and ("。" in line or "," in line)


def _title_score(title: str) -> float:
    # A year and an issuer make a real title; "法治政府建设年度报告" alone is a column name.
    # Among real titles the fuller (longer) one wins: a page repeats its title.
    score = 2.0 if report_years(title) else 0.0
    score += 2.0 if title_issuer(title) else 0.0
    return score + len(title) / 1000


def _title_variants(line: str, cfg: dict) -> list[str]:
    """The line, without a leading 标题: label, and without a trailing site name after a
    separator ("…年度报告_某某区人民政府网")."""
    line = re.sub(r"^(%s)\s*[::]\s*" % "|".join(map(re.escape, cfg["title_labels"])), "", line)
    variants = [line]
    # A title sharing its line with the publishing chrome: "…年度报告 发布时间:2024-01-05".
    label = re.search(_label_re(cfg["published_labels"] + cfg["source_labels"]) + r"\s*[::]", line)
    if label and label.start() > 0:
        variants.append(line[: label.start()].strip())
    for sep in cfg["title_separators"]:
        if sep in line:
            variants += [part.strip() for part in line.split(sep)]
    return variants


def _title_joined_with_next(lines: list[str], i: int, cfg: dict) -> str | None:
    """A title wrapped anywhere over two lines ("关于某区2025年度法治政府" / "建设情况的报告"):
    neither line is a title alone, together they are one."""
    if i + 1 >= len(lines):
        return None
    line, nxt = lines[i], lines[i + 1]
    if "。" in line or len(nxt) > cfg["title_wrap_max_chars"] or _is_title_line(nxt, cfg):
        return None
    joined = line.strip() + nxt.strip()
    return joined if _is_title_line(joined, cfg) else None


def find_title(lines: list[str], body_start: int | None, cfg: dict,
               levels_cfg: dict) -> tuple[str | None, int]:
    """The report's title and the index of its (last) line; (None, -1) when there is none."""
    limit = max(cfg["title_search_lines"], body_start or 0)
    candidates: list[tuple[str, int]] = []
    for i, line in enumerate(lines[:limit]):
        if _is_body_text(line):
            break
        for variant in _title_variants(line, cfg):
            if not _is_title_line(variant, cfg):
                continue
            candidates.append((variant, i))
            # A title split after the issuer: "…街道办事处" / "关于2023年度…的报告".
            if i > 0 and not title_issuer(variant) and _is_org_line(lines[i - 1], cfg, levels_cfg):
                candidates.append((lines[i - 1].replace(" ", "") + variant, i))
            break
        else:
            joined = _title_joined_with_next(lines, i, cfg)
            if joined:
                candidates.append((joined, i + 1))
    if not candidates:
        return None, -1
    return max(candidates, key=lambda c: _title_score(c[0]))


def title_issuer(title: str) -> str | None:
    """The issuer a title names: before 关于 or the year, or between 关于 and the year."""
    t = title.replace(" ", "")
    year = next((m for m in _YEAR_RE.finditer(t)), None) or _CN_YEAR_RE.search(t)
    kw = re.search(r"法治|依法行政|年度报告", t)
    end_at = kw.start() if kw else len(t)
    if t.find("关于") > 0:
        segment = t[: t.find("关于")]
    else:
        start = 2 if t.startswith("关于") else 0
        stop = year.start() if year and year.start() >= start else end_at
        segment = t[start:stop]
        if not segment and year:
            # "2023年度大通区法治政府建设情况报告"
            segment = t[year.end():end_at].lstrip("度")
    segment = segment.strip("的 ")
    return segment if len(segment) >= 2 and re.search(r"[\u4e00-\u9fff]{2}", segment) else None


def find_signature(lines: list[str], cfg: dict, levels_cfg: dict) -> tuple[str | None, str | None]:
    """(issuer, date) of the signature near the end: an issuer line with a date-only line
    after it (or both on one line), looked for above any page footer; failing that a
    date-only line or an issuer line among the very last lines."""
    def tail(n: int) -> range:
        return range(len(lines) - 1, max(-1, len(lines) - 1 - n), -1)

    for i in tail(cfg["signature_search_lines"] + cfg["footer_max_lines"]):
        line = lines[i]
        date = _signature_date(line)
        prev = lines[i - 1] if i > 0 else ""
        if date and _is_org_line(prev, cfg, levels_cfg):
            return prev.replace(" ", ""), date
        m = _SIGN_DATE_AR_RE.search(line) or _DATE_CN_RE.search(line)
        if m and m.end() == len(line) and _is_org_line(line[: m.start()], cfg, levels_cfg):
            return line[: m.start()].replace(" ", ""), _date_from_match(m, m.re is _DATE_CN_RE)
    for i in tail(cfg["signature_search_lines"]):
        date = _signature_date(lines[i])
        if date:
            return None, date
    for i in tail(cfg["signature_search_lines"]):
        if _is_org_line(lines[i], cfg, levels_cfg):
            return lines[i].replace(" ", ""), None
    return None, None


def issuer_type_of(issuer: str | None, cfg: dict, levels_cfg: dict) -> str | None:
    """政府 or 部门 from the name's ending; a bare place name (滨海镇, 瑞安市) is a 政府."""
    if not issuer:
        return None
    if _ends_with(issuer, cfg["government_suffixes"]):
        return "政府"
    if _ends_with(issuer, cfg["department_suffixes"]):
        return "部门"
    if _ends_with(issuer, _place_suffixes(levels_cfg)):
        return "政府"
    return None


def _full_government_name(place: str, levels_cfg: dict) -> str:
    """The formal name of a place's government: 某乡 -> 某乡人民政府, 某街道 -> 某街道办事处."""
    return place + ("办事处" if place.endswith("街道") else "人民政府")


def _own_government_in_text(place: str, text: str, levels_cfg: dict) -> bool:
    """Whether the text calls the government of `place` by name (某县人民政府, 某县政府,
    某街道办事处) or by its level word alone as the report's own (区政府, 县人民政府,
    街道办事处 standing free: "区委、区政府高度重视"), the level word being the ending of
    `place` (a district report's 市政府 is its city's, not its own)."""
    text = _UNDER_CLAUSE.sub("", text)  # "在市委、市政府领导下" names the superiors
    word = _ends_with(place, _place_suffixes(levels_cfg))
    names = [place]
    if word and word != place:
        names.append(word)
    for name in names:
        for gov in ("人民政府", "政府", "办事处", "办"):
            if gov in ("办事处", "办") and not name.endswith("街道"):
                continue
            for m in re.finditer(re.escape(name + gov), text):
                if name == place:
                    return True
                before = text[m.start() - 1] if m.start() else ""
                # A free-standing 区政府, not the tail of 某某区政府 or 自治区政府.
                if not re.match(r"[\u4e00-\u9fff]", before) or before in "、和及与我本全在由经":
                    return True
    return False


def _fuller_issuer(base: str, others: list[str | None], text: str, cfg: dict,
                   levels_cfg: dict) -> str:
    """The fullest name of the same issuer the text gives: a signature or the source field
    that contains it, else the place's government when the text names it (see
    `_own_government_in_text`), written in its formal form; a bare place name stays bare."""
    kind = issuer_type_of(base, cfg, levels_cfg)
    best = base
    for other in others:
        if other and base in other and len(other) > len(best) \
                and issuer_type_of(other, cfg, levels_cfg) == kind:
            best = other
    org_suffixes = cfg["government_suffixes"] + cfg["department_suffixes"]
    if best == base and not _ends_with(base, org_suffixes):
        mentions = find_mentions(base)
        own = mentions[-1].name if mentions and mentions[-1].end == len(base) else base
        if _own_government_in_text(base, text, levels_cfg) or \
                _own_government_in_text(own, text, levels_cfg):
            return _full_government_name(base, levels_cfg)
    return _formal_government(best, levels_cfg)


def _formal_government(issuer: str, levels_cfg: dict) -> str:
    """某乡政府 -> 某乡人民政府: the informal 政府 ending after a place written out."""
    if issuer.endswith("政府") and not issuer.endswith("人民政府"):
        place = issuer[: -len("政府")]
        if _ends_with(place, _place_suffixes(levels_cfg)) and not place.endswith("街道"):
            return place + "人民政府"
    return issuer


def formal_issuer(meta: Metadata, config: dict | None = None) -> str | None:
    """The issuer's full formal name, for citations (主要责任者): a government named only by
    its place takes its government's name (滨海镇 -> 滨海镇人民政府), and a town or street
    that does not name its county takes the county the gazetteer places it in, when that is
    one county within the report's province and city (温岭市滨海镇人民政府). Departments and
    names the gazetteer cannot settle stay as the report writes them."""
    cfg, levels_cfg = _metadata_config(config)
    issuer = meta.issuer
    if not issuer or meta.issuer_type != "政府":
        return issuer
    name = issuer
    if not _ends_with(name, cfg["government_suffixes"]) and _ends_with(name, _place_suffixes(levels_cfg)):
        name = _full_government_name(name, levels_cfg)
    mentions = find_mentions(issuer)
    if not mentions or mentions[0].start != 0:
        return name
    towns = [p for p in mentions[0].places if p.level == "town" and p.county
             and (meta.province is None or p.province == meta.province)
             and (meta.city is None or p.city == meta.city)]
    if meta.province and len(towns) == 1 and towns[0].county not in name:
        name = towns[0].county + name
    return name


def _first_sentence(opening: list[str]) -> str:
    for line in opening:
        sentence = re.split(r"[。;;]", line, maxsplit=1)[0]
        if len(sentence) >= 10:
            return _UNDER_CLAUSE.sub("", sentence)
    return ""


def _without_book_titles(text: str) -> str:
    """The text with 《…》 titles removed: a place inside a cited document's title (《某省法治
    政府建设实施方案》) is the document's, not the issuer's."""
    return re.sub(r"《[^《》]*》", "", text)


def _org_name_at(sentence: str, start: int, end: int, cfg: dict) -> str:
    """The organisation whose name begins with the place at sentence[start:end]: nested places
    (重庆市荣昌区) and a government or department ending (司法局, 公安局, 人民政府) right after;
    the place alone when none follows."""
    for m in find_mentions(sentence[end:]):
        if m.start != 0:
            break
        end += m.end
    name = sentence[start:end]
    government = _ends_with_any_at_start(sentence[end:], cfg["government_suffixes"])
    if government:
        return name + government
    # A department's own words sit between the place and its ending (市场监督管理局); a
    # government ending after other words is the sentence's object (…推进法治政府).
    stops = re.escape(cfg["issuer_tail_stop_chars"])
    endings = sorted(cfg["department_suffixes"], key=len, reverse=True)
    tail = re.match(rf"[^\W\d_{stops}]{{0,{cfg['issuer_tail_max_chars']}}}?(?:%s)"
                    % "|".join(map(re.escape, endings)), sentence[end:])
    # One character alone (区委, 市办) is a party or generic body, not a named organisation.
    if tail and len(tail.group()) >= 2 and not any(tail.group().endswith(w) for w in cfg["issuer_tail_not"]):
        return name + tail.group()
    return name


def _ends_with_any_at_start(text: str, words: list[str]) -> str | None:
    return next((w for w in sorted(words, key=len, reverse=True) if text.startswith(w)), None)


def _opening_issuer(opening: list[str], cfg: dict) -> str | None:
    """The organisation named as the subject of the first sentence ("2023年,大通区在…",
    "2021年,绍兴市司法局坚持…", "2024年,某省委、省政府坚持…" -> 某省人民政府)."""
    sentence = _first_sentence(opening)
    for m in find_mentions(sentence):
        if _in_book_title(sentence, m.start):
            continue
        if "我" in sentence[: m.start]:
            return None  # "我镇认真落实某县委…": the report's subject is 我镇, not the county
        after = sentence[m.end:]
        if after.startswith("委"):
            # The party committee and the government together as the subject of the first
            # sentence: the government reports.
            opening_words = re.sub(r"[\d\s年度以来,,、::]", "", sentence[: m.start])
            if not opening_words and re.match(r"委[、和及与]\s*[省市县区州旗盟]?(人民)?政府", after):
                return m.name + "人民政府"
            continue
        return _org_name_at(sentence, m.start, m.end, cfg)
    return None


# ---------------------------------------------------------------- places

@dataclass
class PlaceGuess:
    place: Place | None       # the issuer's place when the text settles it
    province: str | None
    city: str | None
    level: str | None
    named_by: int = -1        # index of the name in `names` that gave it (-1: none did)


def _regional_short(name: str) -> tuple[Place, ...]:
    return tuple(p for p in places_with_short(name) if p.level in ("province", "city"))


def _listed_short_mentions(text: str) -> list[Mention]:
    """Short names of provinces and cities listed together ("对广东、深圳系列重要讲话",
    "学习借鉴银川、固原经验"): a bare short name is a common word too often to be read
    alone, but two of them on both sides of 、 are a list of places."""
    out = []
    for sep in re.finditer("、", text):
        p = sep.start()
        before = next(((p - n, text[p - n:p]) for n in (4, 3, 2)
                       if p - n >= 0 and _regional_short(text[p - n:p])), None)
        after = next(((p + 1, text[p + 1:p + 1 + n]) for n in (4, 3, 2)
                      if _regional_short(text[p + 1:p + 1 + n])), None)
        if before and after:
            for start, name in (before, after):
                out.append(Mention(start, start + len(name), name, _regional_short(name)))
    return out


def _short_mentions(text: str) -> list[Mention]:
    """Short place names in slogans such as 法治浙江, 平安温州, 法治大通, and in lists."""
    out = _listed_short_mentions(text)
    for m in re.finditer(r"(?:法治|平安)", text):
        for length in (4, 3, 2):
            name = text[m.end(): m.end() + length]
            places = places_with_short(name) if len(name) == length else ()
            if places:
                out.append(Mention(m.end(), m.end() + length, name, places))
                break
    return out


def _relation_weight(cand: Place, other: Place) -> float:
    """How strongly naming `other` in the text supports `cand` as the issuer's place."""
    if other == cand:
        return 0.0
    if is_within(cand, other):
        # The text names a place above the candidate: its county, city or province.
        return {"province": 2.0, "city": 3.0, "county": 3.0}[other.level]
    if other.province != cand.province:
        return 0.0
    if cand.county and other.county == cand.county and other.city == cand.city:
        return 1.0    # a neighbouring town of the same county
    if cand.city is None and other.level != "province":
        return 1.0    # a neighbour inside a municipality or a 省直辖 area
    if cand.city and other.city == cand.city:
        return 1.0    # a neighbour inside the same prefecture
    return 0.5        # same province only


def _context_score(cand: Place, mentions: list[Mention], superiors: list[Mention]) -> float:
    """Evidence for one reading of an ambiguous name, from every other place named in the
    text. Each mention counts its best relation (see `_relation_weight`) divided by the number
    of places its name can be, so an ambiguous word such as 城关镇 (99 places) adds little;
    places in the addressee line ("常州市人民政府:") are the issuer's superiors and count
    three times."""
    score = 0.0
    for group, factor in ((mentions, 1.0), (superiors, 3.0)):
        for m in group:
            if m.name == cand.name:
                continue
            score += factor * max(_relation_weight(cand, p) for p in m.places) / len(m.places)
    return score


def _issuer_mentions(name: str) -> list[Mention]:
    mentions = find_mentions(name)
    if mentions:
        return mentions
    # Short forms at the start of a name: 新疆自治区司法厅, 延边州人民政府.
    for length in (4, 3, 2):
        places = places_with_short(name[:length])
        if places:
            return [Mention(0, length, name[:length], places)]
    return []


def _candidates(mentions: list[Mention]) -> list[Place]:
    deepest = max(mentions, key=lambda m: max(p.depth for p in m.places))
    others = [m for m in mentions if m is not deepest]
    cands = [p for p in deepest.places
             if all(any(is_within(p, q) for q in m.places) for m in others)]
    return cands or list(deepest.places)


def _agreed(values: list[str | None]) -> str | None:
    return values[0] if values and all(v == values[0] for v in values) else None


def _vote_region(mentions: list[Mention]) -> tuple[str | None, str | None]:
    """Province (and city) that most place names in the text belong to, when clear."""
    provinces: Counter = Counter()
    for m in mentions:
        for p in m.places:
            provinces[p.province] += 1 / len(m.places)
    if not provinces:
        return None, None
    province, top = provinces.most_common(1)[0]
    if top < 2 or top / sum(provinces.values()) < 0.6:
        return None, None
    cities: Counter = Counter()
    for m in mentions:
        for p in m.places:
            if p.province == province and p.city:
                cities[p.city] += 1 / len(m.places)
    city = None
    if cities:
        city, ctop = cities.most_common(1)[0]
        if ctop < 2 or ctop / sum(cities.values()) < 0.6:
            city = None
    return province, city


def guess_place(names: list[str], text: str, superiors_text: str) -> PlaceGuess:
    """The issuer's place from the first of `names` (issuer, title, first sentence) that
    names one, disambiguated by the rest of the text."""
    mentions_in_text = find_mentions(text) + _short_mentions(text)
    for name in names:
        if not name:
            continue
        own = _issuer_mentions(name)
        if not own:
            continue
        cands = _candidates(own)
        if len(cands) > 1:
            superiors = find_mentions(superiors_text)
            scored = sorted(((_context_score(c, mentions_in_text, superiors), c) for c in cands),
                            key=lambda sc: sc[0], reverse=True)
            best = scored[0][0]
            if best > 0 and best > scored[1][0]:
                cands = [scored[0][1]]
            else:
                cands = [c for s, c in scored if s == best]
        level = _agreed([_LEVEL_OF_DEPTH[c.level] for c in cands])
        named_by = names.index(name)
        if len(cands) == 1:
            return PlaceGuess(cands[0], cands[0].province, cands[0].city, level, named_by)
        return PlaceGuess(None, _agreed([c.province for c in cands]),
                          _agreed([c.city for c in cands]), level, named_by)
    # No name of the issuer's place: its superior in the addressee line still tells the
    # province (and city), though not the level.
    superior = _issuer_mentions(superiors_text) if superiors_text else []
    if superior:
        cands = _candidates(superior)
        province = _agreed([c.province for c in cands])
        if province:
            return PlaceGuess(None, province, _agreed([c.city for c in cands]), None)
    province, city = _vote_region(mentions_in_text)
    return PlaceGuess(None, province, city, None)


def _suffix_level(issuer: str | None, cfg: dict, levels_cfg: dict) -> str | None:
    """Level from the ending of the issuer's place part (两路街道办事处 -> 街道 -> 乡镇级)."""
    if not issuer:
        return None
    # Shortest government ending first: 街道办事处 must leave "…街道", not "…".
    endings = sorted((s for s in cfg["government_suffixes"] if issuer.endswith(s)), key=len)
    for name in [issuer[: -len(s)] for s in endings] + [issuer]:
        mentions = find_mentions(name)
        if mentions and mentions[-1].end == len(name):
            return None  # the gazetteer knows this place and its level (北京市 is 省级)
        best, best_len = None, 0
        for level, words in (levels_cfg.get("suffixes") or {}).items():
            for word in words:
                if name.endswith(word) and len(word) > best_len and len(name) > len(word):
                    best, best_len = level, len(word)
        if best:
            return best
    return None


def _self_reference(text: str, levels_cfg: dict) -> tuple[str, str] | None:
    """(level, word) of the way the report most often refers to itself (我镇 -> 乡镇级)."""
    words = levels_cfg.get("self_reference") or {}
    counts = {level: 0 for level in _LEVEL_RANK}
    for word, level in words.items():
        counts[level] += text.count(word)
    level, n = max(counts.items(), key=lambda kv: kv[1])
    if not n:
        return None
    word = max((w for w, lv in words.items() if lv == level), key=text.count)
    return level, word


def _self_named(text: str, level: str, word: str, cfg: dict,
                levels_cfg: dict) -> tuple[Place | None, str | None]:
    """When the report only says 我市/市局, the one place of that level it names anywhere
    (cited documents included: 《某市人民政府关于…》) is its own; the issuer is that place's
    government or department as the text writes it, matching the kind the word implies
    (市局 -> a department, 我市 -> the government)."""
    mentions = [m for m in find_mentions(text)
                if all(_LEVEL_OF_DEPTH[p.level] == level for p in m.places)]
    if len({m.name for m in mentions}) != 1 or len(mentions[0].places) != 1:
        return None, None
    kind = "部门" if _ends_with(word, cfg["department_suffixes"]) else "政府"
    for m in mentions:
        org = _org_name_at(text, m.start, m.end, cfg)
        if org != m.name and issuer_type_of(org, cfg, levels_cfg) == kind:
            return mentions[0].places[0], org
    return mentions[0].places[0], None


# ---------------------------------------------------------------- the whole record

def _addressee(lines: list[str], upto: int, cfg: dict) -> str:
    """An addressee line before the body ("常州市人民政府:"): the issuer's superior."""
    suffixes = cfg["government_suffixes"] + cfg["department_suffixes"]
    for line in lines[:upto]:
        m = _ADDRESSEE_RE.fullmatch(line.strip())
        if m and (_ends_with(m.group(1), suffixes) or "委" in m.group(1)):
            return m.group(1)
    return ""


def _is_label_line(line: str, cfg: dict) -> bool:
    """A short chrome line with a publishing or source label."""
    labels = _label_re(cfg["published_labels"] + cfg["source_labels"])
    return len(line) <= cfg["chrome_max_chars"] and re.search(labels + r"\s*[::]", line) is not None


def _opening_lines(lines: list[str], start: int, cfg: dict) -> list[str]:
    """The first sentence-like lines of the body (chrome and very short lines skipped)."""
    out = []
    for line in lines[start:]:
        if len(line) < 15 or _is_label_line(line, cfg):
            continue
        if "。" not in line and any(mark in line for mark in cfg["breadcrumb_marks"]):
            continue  # 首页 > 政务公开 > …: a navigation line, not the opening
        out.append(line)
        if len(out) >= cfg["year_opening_lines"]:
            break
    return out


def extract_metadata(lines: list[str], body_start: int | None = None,
                     config: dict | None = None) -> Metadata:
    """Metadata of a report from its cleaned lines (chrome lines included)."""
    cfg, levels_cfg = _metadata_config(config)
    text = "\n".join(lines)
    title, title_end = find_title(lines, body_start, cfg, levels_cfg)
    published = find_published(lines, cfg)
    source = find_source(lines, cfg)
    signed_by, dated = find_signature(lines, cfg, levels_cfg)
    start = body_start if body_start is not None else title_end + 1
    opening = _opening_lines(lines, max(start, title_end + 1), cfg)
    superiors = _addressee(lines, max(start, title_end + 1) + 3, cfg)

    named = (title_issuer(title) if title else None) or signed_by
    issuer = named or _opening_issuer(opening, cfg)
    if issuer:
        issuer = _fuller_issuer(issuer, [signed_by, source], text, cfg, levels_cfg)
    sentence = _without_book_titles(_first_sentence(opening))
    guess = guess_place([issuer, title, sentence, source], text, superiors)
    self_ref = _self_reference(text, levels_cfg)
    if self_ref is None and superiors in cfg["addressee_levels"]:
        self_ref = (cfg["addressee_levels"][superiors], superiors)
    if issuer is None and guess.named_by < 0 and self_ref:
        place, issuer = _self_named(text, *self_ref, cfg, levels_cfg)
        if place:
            guess = PlaceGuess(place, place.province, place.city, self_ref[0])

    levels = [lv for lv in (guess.level, _suffix_level(issuer, cfg, levels_cfg)) if lv]
    # The deeper level wins: a town missing from the gazetteer still says 街道/镇 in its
    # name, while a 市 ending cannot tell a prefecture from a county-level city.
    level = max(levels, key=_LEVEL_RANK.get) if levels else None
    # "我镇" beats a place read from the first sentence (its county or city named first);
    # an issuer named in the title or signature is not overruled.
    if self_ref and (level is None or (not named and _LEVEL_RANK[self_ref[0]] > _LEVEL_RANK[level])):
        level = self_ref[0]

    year = find_year(title, opening, published, dated, cfg)
    meta = Metadata(
        title=title, issuer=issuer, issuer_type=issuer_type_of(issuer, cfg, levels_cfg),
        level=level, province=guess.province, city=guess.city, year=year,
        published=published, dated=dated, source=source,
    )
    if title is None and issuer and year:
        meta.title = cfg["derived_title"].format(issuer=issuer, year=year)
        meta.title_derived = True
    return meta
