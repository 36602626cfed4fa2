"""Coverage (issue 15): which governments of a province and level have a report for a year.

The denominator is the gazetteer the metadata uses (jionlp's administrative divisions,
index.places.load_gazetteer); a place is covered when the index holds a report of that year
and level whose metadata places it there: same province, same city when both are known, and
the issuer (short or full name) containing the place's name. A report is assigned to the
matching place with the longest name (鹿城区 rather than 城区); a town is told from a
same-named town of another county by the county named in the issuer. Department reports
(司法局 of 瑞安市) count under their government.
"""
from __future__ import annotations

import importlib.metadata
from functools import lru_cache

from index.places import load_gazetteer

# Report levels (index.model.LEVELS) -> the gazetteer's place levels.
PLACE_LEVEL = {"省级": "province", "市级": "city", "县级": "county", "乡镇级": "town"}


def gazetteer_version() -> dict:
    """Which gazetteer is the denominator: jionlp and its version."""
    try:
        version = importlib.metadata.version("jionlp")
    except importlib.metadata.PackageNotFoundError:
        version = None
    return {"name": "jionlp 行政区划数据（china_location）", "package": "jionlp",
            "version": version}


@lru_cache(maxsize=1)
def _all_places() -> tuple:
    gaz = load_gazetteer()
    seen = {}
    for group in (gaz.by_name, gaz.by_short):
        for places in group.values():
            for p in places:
                seen.setdefault((p.level, p.province, p.city, p.county, p.name), p)
    for p in gaz.provinces:
        seen.setdefault((p.level, p.province, p.city, p.county, p.name), p)
    return tuple(seen.values())


def places_of(province: str, level: str) -> list:
    """The gazetteer's places of `province` (short form) at report level `level`, in
    gazetteer order by city."""
    kind = PLACE_LEVEL[level]
    out = [p for p in _all_places() if p.province == province and p.level == kind]
    return sorted(out, key=lambda p: (p.city or "", p.county or "", p.adcode or "", p.name))


def _issuer_text(report: dict) -> str:
    return " ".join(str(report.get(k) or "") for k in ("issuer_full", "issuer", "title"))


def _candidates(report: dict, places: list) -> list:
    text = " ".join(str(report.get(k) or "") for k in ("issuer_full", "issuer"))
    if not text.strip():
        text = str(report.get("title") or "")
    city = report.get("city")
    found = [p for p in places if p.name in text
             and (not city or not p.city or p.city == city or p.level == "city")]
    if not found:
        return []
    longest = max(len(p.name) for p in found)
    found = [p for p in found if len(p.name) == longest]
    if len(found) > 1:
        by_county = [p for p in found if p.county and p.county != p.name and p.county in text]
        if by_county:
            found = by_county
    return found


def coverage(reports: list[dict], province: str, year: int, level: str = "县级") -> dict:
    """Every government of `province` at `level` with the reports of `year` placed there.

    `reports` are Searcher.reports() records; `province` the short form (浙江) and `level`
    one of 市级/县级/乡镇级/省级, already normalized."""
    if level not in PLACE_LEVEL:
        raise ValueError(f"层级应为 {'、'.join(PLACE_LEVEL)} 之一")
    places = places_of(province, level)
    key = {id(p): i for i, p in enumerate(places)}
    found: dict[int, list[dict]] = {}
    unplaced = []
    for r in reports:
        if r.get("province") != province or r.get("year") != year or r.get("level") != level:
            continue
        hits = _candidates(r, places)
        for p in hits:
            found.setdefault(key[id(p)], []).append(
                {"report_id": r.get("report_id"), "title": r.get("title"),
                 "issuer": r.get("issuer"), "issuer_type": r.get("issuer_type")})
        if not hits:
            unplaced.append({"report_id": r.get("report_id"), "title": r.get("title"),
                             "issuer": r.get("issuer")})
    rows, cities = [], {}
    for i, p in enumerate(places):
        reps = found.get(i, [])
        rows.append({"name": p.name, "city": p.city, "county": p.county, "adcode": p.adcode,
                     "present": bool(reps),
                     "government_report": any(x["issuer_type"] != "部门" for x in reps),
                     "reports": reps})
        c = cities.setdefault(p.city or "（直辖）", {"city": p.city or "（直辖）",
                                                   "total": 0, "present": 0})
        c["total"] += 1
        c["present"] += bool(reps)
    present = sum(r["present"] for r in rows)
    return {"province": province, "year": year, "level": level,
            "gazetteer": gazetteer_version(),
            "total": len(rows), "present": present, "missing": len(rows) - present,
            "cities": list(cities.values()), "places": rows, "unplaced": unplaced}


def coverage_csv(result: dict) -> list[list]:
    """Header and rows of a coverage table (for CSV and XLSX)."""
    rows = [["地方", "所属城市", "所属县级", "区划代码", "有无报告", "报告编号", "报告标题"]]
    for p in result["places"]:
        rows.append([p["name"], p["city"] or "", p["county"] or "", p["adcode"] or "",
                     "有" if p["present"] else "无",
                     "；".join(r["report_id"] or "" for r in p["reports"]),
                     "；".join(r["title"] or "" for r in p["reports"])])
    return rows
