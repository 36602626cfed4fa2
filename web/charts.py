"""Charts as SVG drawn on the server: no script library, no outside host, works offline.

Every point is an <a> to its paragraph with a <title> tooltip; colours and lines are SVG
presentation attributes (the pages' Content-Security-Policy refuses inline styles), so a
saved SVG or PNG looks the same as on the page. All text is escaped.
"""
from __future__ import annotations

import math
from html import escape

from markupsafe import Markup

W, H = 720, 320
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 24, 40
POINT = "#1f5fa8"
MEDIAN = "#c0392b"
BOX = "#dce6f2"
GRID = "#e5e5e5"
SERIES = ("#1f5fa8", "#c0392b", "#27864a", "#8e44ad", "#d35400", "#16a085", "#7f8c8d",
          "#b7950b")
MAX_POINTS = 2000       # a year column with more points is thinned evenly (said on the page)


def _e(text) -> str:
    return escape(str(text), quote=True)


def _fmt(v: float) -> str:
    return f"{v:.2f}".rstrip("0").rstrip(".") if not float(v).is_integer() else str(int(v))


def _ticks(lo: float, hi: float, n: int = 5) -> list[float]:
    if hi <= lo:
        hi = lo + 1
    raw = (hi - lo) / n
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    first = math.floor(lo / step) * step
    out, v = [], first
    while v <= hi + step * 1e-9:
        out.append(round(v, 10))
        v += step
    return out


def _range(values: list[float], unit: str) -> tuple[float, float]:
    lo, hi = min(values), max(values)
    if unit == "%" and lo >= 0 and hi <= 100:
        return 0.0, 100.0
    if lo == hi:
        return lo - 1, hi + 1
    pad = (hi - lo) * 0.05
    return (0.0 if lo >= 0 and lo - pad < 0 else lo - pad), hi + pad


def _frame(title: str, label: str, ticks: list[float], y, unit: str) -> list[str]:
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {H}" width="{W}" '
           f'height="{H}" role="img" aria-label="{_e(label)}" font-family="sans-serif" '
           f'font-size="12">', f"<title>{_e(title)}</title>",
           f'<rect x="0" y="0" width="{W}" height="{H}" fill="#ffffff"/>']
    for t in ticks:
        yy = y(t)
        out.append(f'<line x1="{LEFT}" x2="{W - RIGHT}" y1="{yy:.1f}" y2="{yy:.1f}" '
                   f'stroke="{GRID}"/>')
        out.append(f'<text x="{LEFT - 6}" y="{yy + 4:.1f}" text-anchor="end" fill="#555">'
                   f'{_e(_fmt(t))}</text>')
    out.append(f'<text x="8" y="14" fill="#555">{_e(unit)}</text>')
    return out


def distribution_svg(points: list[dict], unit: str, title: str,
                     summary: list[dict]) -> Markup:
    """Values by year: every statement a dot (spread sideways within its year), the
    quartile box and the median line per year. `points`: year, value, href, tip."""
    if not points:
        return Markup("")
    years = sorted({p["year"] for p in points})
    lo, hi = _range([p["value"] for p in points], unit)
    ticks = [t for t in _ticks(lo, hi) if lo <= t <= hi] or [lo, hi]
    lo, hi = min(lo, ticks[0]), max(hi, ticks[-1])

    def y(v):
        return TOP + (hi - v) / (hi - lo) * (H - TOP - BOTTOM)
    band = (W - LEFT - RIGHT) / len(years)
    out = _frame(title, title, ticks, y, unit)
    stats = {s["year"]: s for s in summary}
    for i, yr in enumerate(years):
        cx = LEFT + band * (i + 0.5)
        out.append(f'<text x="{cx:.1f}" y="{H - BOTTOM + 18}" text-anchor="middle" '
                   f'fill="#333">{yr}</text>')
        s = stats.get(yr)
        if s:
            half = min(band * 0.35, 40)
            out.append(f'<rect class="box" x="{cx - half:.1f}" y="{y(s["q3"]):.1f}" '
                       f'width="{2 * half:.1f}" height="{max(1.0, y(s["q1"]) - y(s["q3"])):.1f}" '
                       f'fill="{BOX}" stroke="#9fb3cc"><title>{yr} 年：{s["count"]} 条，'
                       f'中位数 {_e(_fmt(s["median"]))}{_e(unit)}，四分位 {_e(_fmt(s["q1"]))}–'
                       f'{_e(_fmt(s["q3"]))}</title></rect>')
            out.append(f'<line class="median" x1="{cx - half:.1f}" x2="{cx + half:.1f}" '
                       f'y1="{y(s["median"]):.1f}" y2="{y(s["median"]):.1f}" stroke="{MEDIAN}" '
                       f'stroke-width="2"/>')
        column = [p for p in points if p["year"] == yr]
        for k, p in enumerate(column):
            # a fixed spread (golden-ratio steps), so the same data draws the same chart
            dx = ((k * 0.618034) % 1 - 0.5) * min(band * 0.6, 60)
            out.append(f'<a class="point" href="{_e(p["href"])}"><circle cx="{cx + dx:.1f}" '
                       f'cy="{y(p["value"]):.1f}" r="4" fill="{POINT}" fill-opacity="0.75" '
                       f'stroke="#ffffff" stroke-width="0.8"><title>{_e(p["tip"])}</title>'
                       f'</circle></a>')
    out.append("</svg>")
    return Markup("".join(out))


def series_svg(series: list[dict], unit: str, title: str) -> Markup:
    """One line per issuer over the years; `series`: label, points (year, value, href, tip)."""
    pts = [p for s in series for p in s["points"]]
    if not pts:
        return Markup("")
    years = sorted({p["year"] for p in pts})
    lo, hi = _range([p["value"] for p in pts], unit)
    ticks = [t for t in _ticks(lo, hi) if lo <= t <= hi] or [lo, hi]
    lo, hi = min(lo, ticks[0]), max(hi, ticks[-1])

    def y(v):
        return TOP + (hi - v) / (hi - lo) * (H - TOP - BOTTOM - 18 * len(series[:8]) // 3)
    span = W - LEFT - RIGHT - 40

    def x(yr):
        return LEFT + 20 + (span * (years.index(yr) / (len(years) - 1)) if len(years) > 1
                            else span / 2)
    out = _frame(title, title, ticks, y, unit)
    for yr in years:
        out.append(f'<text x="{x(yr):.1f}" y="{H - BOTTOM + 18}" text-anchor="middle" '
                   f'fill="#333">{yr}</text>')
    for n, s in enumerate(series[:len(SERIES)]):
        colour = SERIES[n]
        line = sorted(s["points"], key=lambda p: p["year"])
        # the line joins each year's first value; every value is a point
        firsts = {}
        for p in line:
            firsts.setdefault(p["year"], p)
        if len(firsts) > 1:
            d = " ".join(f"{x(p['year']):.1f},{y(p['value']):.1f}" for p in firsts.values())
            out.append(f'<polyline points="{d}" fill="none" stroke="{colour}" stroke-width="2"/>')
        for p in line:
            out.append(f'<a class="point" href="{_e(p["href"])}"><circle cx="{x(p["year"]):.1f}" '
                       f'cy="{y(p["value"]):.1f}" r="4.5" fill="{colour}"><title>{_e(p["tip"])}'
                       f'</title></circle></a>')
        ly = H - 8 - 14 * (n // 3)
        lx = LEFT + (n % 3) * 220
        out.append(f'<rect x="{lx}" y="{ly - 9}" width="10" height="10" fill="{colour}"/>'
                   f'<text x="{lx + 14}" y="{ly}" fill="#333">{_e(s["label"][:18])}</text>')
    out.append("</svg>")
    return Markup("".join(out))


def thinned(points, cap: int = MAX_POINTS):
    """At most `cap` of `points` (a list or an array), taken evenly along it (the rows come
    sorted by value, so every year keeps its spread)."""
    if len(points) <= cap:
        return points
    step = len(points) / cap
    picked = [int(i * step) for i in range(cap)]
    return points[picked] if hasattr(points, "shape") else [points[i] for i in picked]
