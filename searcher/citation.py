"""A GB/T 7714-2015 reference for a paragraph of a report, with its place in the report.

The rules applied (GB/T 7714-2015, 信息与文献 参考文献著录规则):

- A report found online is an electronic resource (4.8), type [EB/OL] (电子公告, online):
      主要责任者. 题名[EB/OL]. (更新或修改日期)[引用日期]. 获取和访问路径.
  出版地 and 出版者 are left out, as the standard allows for online resources (8.4); the
  publishing date goes in round brackets, the date we read it (引用日期, required for online
  resources) in square brackets, both as YYYY-MM-DD.
  Without a publishing date the round-bracket part is left out: `…[EB/OL]. [2026-11-22]. url.`
- A report without a URL is cited as a report (报告, type [R], a 专著 under 4.1):
      主要责任者. 题名[R]. 出版地: 出版者, 出版年.
  The issuer is its own publisher, and its place is the place of publication (the
  prefecture, else the province: 淮南, 重庆); unknown, the standard writes [出版地不详]
  (8.4.1). 出版年 is the year of the publishing date, else of the date under the signature;
  failing both, the year after the reported year in square brackets, the standard's mark for
  an estimated year (8.5): a 法治政府建设年度报告 is made public in the first quarter of the
  following year (《法治政府建设与责任落实督察工作规定》).
- 主要责任者 is the issuer's full name when the index knows it (`issuer_full`: 温岭市滨海镇人民政府
  for a report that calls itself 滨海镇), else the issuer as the report names itself. No
  issuer: the item is left out and the title moves to the front (8.1).
- A title the report does not state (the index composed it from issuer and year) is a
  title supplied by the cataloguer, written in square brackets (8.2 著录信息源外的信息).

The location inside the report is the way Chinese readers cite a part: the numbering of the
headings in the paragraph's section path, 一、 as 第一部分 and (六) as （六）, so 一、 then (六)
gives 第一部分（六）. It is not a page number, so it stands after the reference as an element
of its own:
    大通区人民政府. 大通区人民政府关于2023年法治政府建设情况的报告[EB/OL]. (2024-03-29)[2026-11-22]. https://…. 第一部分（六）.
Every reference ends with a full stop, as in the standard's examples.
"""
from __future__ import annotations

import datetime
import re
from functools import lru_cache

from index.config import load_config
from index.normalize import rule_form

# Used when the configuration has no `sections.markers`: the numbering a heading of a
# Chinese official document starts with (GB/T 9704: 一、 then (一) then 1. then (1)), plus
# 第X部分/章/篇.
_NUM = "一二三四五六七八九十百零〇两"
_FALLBACK_MARKERS = (
    rf"第[{_NUM}\d]+(?:部分|章|节|篇)",
    rf"[{_NUM}]+[、.]",
    rf"\([{_NUM}]+\)",
    r"\(\d{1,3}\)",
    r"\d{1,3}(?:、|\.(?!\d))",
)


@lru_cache(maxsize=8)
def _compiled(patterns: tuple[str, ...]) -> tuple[re.Pattern, ...]:
    return tuple(re.compile(p) for p in patterns)


def _markers(config: dict | None) -> tuple[re.Pattern, ...]:
    """The heading-number patterns of the section stage (config `sections.markers`), so a
    location names exactly the numbering that made a line a heading."""
    if config is None:
        config = _default_config()
    entries = ((config.get("sections") or {}).get("markers")) or []
    patterns = tuple(e["pattern"] for e in entries if isinstance(e, dict) and e.get("pattern"))
    return _compiled(patterns or _FALLBACK_MARKERS)


@lru_cache(maxsize=1)
def _default_config() -> dict:
    return load_config()


_CN = rf"[{_NUM}]+"


def _cited_marker(marker: str, first: bool) -> str:
    """One heading number as a citation writes it: 一、 -> 第一部分 (or 第一项 below a part),
    (六) -> （六）, 1. -> 第1点, (3) -> （3）; any other configured marker as written."""
    if m := re.fullmatch(rf"({_CN})[、.]", marker):
        return f"第{m.group(1)}{'部分' if first else '项'}"
    if m := re.fullmatch(rf"\(({_CN}|\d{{1,3}})\)", marker):
        return f"（{m.group(1)}）"
    if m := re.fullmatch(r"(\d{1,3})(?:、|\.)", marker):
        return f"第{m.group(1)}点"
    return marker.rstrip(":：、.")


def location(section_path: list[str], config: dict | None = None) -> str:
    """Where in the report a paragraph stands, from the numbered headings of its section
    path: ["一、…", "(六)…"] -> "第一部分（六）". Headings without a marker are skipped; no
    numbered heading -> "". Headings are the report's own characters; markers are read in
    rule form (index.normalize.rule_form), so （六） and (六) are the same marker."""
    return _location(tuple(section_path or ()), _markers(config))


@lru_cache(maxsize=4096)
def _location(section_path: tuple[str, ...], patterns: tuple[re.Pattern, ...]) -> str:
    out: list[str] = []
    for heading in section_path:
        text = rule_form(heading or "")
        for pattern in patterns:
            m = pattern.match(text)
            if m:
                out.append(_cited_marker(m.group(0), not out))
                break
    return "".join(out)


def _clean(value) -> str:
    return str(value).strip() if value not in (None, "") else ""


def _publication_year(p: dict) -> str:
    for key in ("published", "dated"):
        m = re.match(r"\d{4}", _clean(p.get(key)))
        if m:
            return m.group(0)
    year = _clean(p.get("year"))
    if year.isdigit():
        return f"[{int(year) + 1}]"
    return "[出版年不详]"


def _place_of_publication(p: dict) -> str:
    return _clean(p.get("city")) or _clean(p.get("province")) or "[出版地不详]"


def citation(p: dict, accessed: datetime.date | None = None, config: dict | None = None) -> str:
    """The GB/T 7714-2015 reference of paragraph `p` (keys issuer, issuer_full, title,
    title_derived, published, url, section_path; optionally year, dated, city, province);
    `accessed` defaults to today; `config` gives the heading-number patterns (the packaged
    defaults when None)."""
    issuer = _clean(p.get("issuer_full")) or _clean(p.get("issuer"))
    title = _clean(p.get("title"))
    if not title:
        title = "[题名不详]"
    elif p.get("title_derived"):
        title = f"[{title}]"
    url = _clean(p.get("url"))
    where = location(p.get("section_path") or [], config)
    head = f"{issuer}. {title}" if issuer else title
    tail = f" {where}." if where else ""
    if url:
        published = _clean(p.get("published"))
        accessed = accessed or datetime.date.today()
        dates = (f"({published})" if published else "") + f"[{accessed.isoformat()}]"
        return f"{head}[EB/OL]. {dates}. {url}.{tail}"
    publisher = issuer or "[出版者不详]"
    return f"{head}[R]. {_place_of_publication(p)}: {publisher}, {_publication_year(p)}.{tail}"
