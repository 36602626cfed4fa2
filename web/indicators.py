"""Indicators across reports (issue 13): /indicators (the catalogue and how many reports
state each), /indicators/<name> (the table of statements, charts of values by year and per
issuer, a region × year cross-tab), their CSV/XLSX downloads and the JSON API beside them."""
from __future__ import annotations

import io
import math
from urllib.parse import quote, urlencode

from flask import Blueprint, Response, g, jsonify, render_template, request, url_for

from index.fields import LABELS, SEARCH_FACETS
from searcher import QueryError
from searcher import indicators as ind
from searcher.tables import csv_text, safe_cell

from . import charts
from .app import get_config, get_searcher
from .params import FACETS, BadRequest, filters_from_args

bp = Blueprint("indicators", __name__)

PAGE_ROWS = 50           # statements per page of the table
API_DEFAULT_LIMIT = 100
EXPORT_CAP = 20_000      # rows a CSV/XLSX download writes at most (X-Total-Statements says all)
SORT_LABELS = {"value_desc": "数值（高→低）", "value_asc": "数值（低→高）",
               "year_desc": "年度（新→旧）", "year_asc": "年度（旧→新）"}
COLUMNS = ind.TABLE_COLUMNS + ("链接",)
SERIES_MAX = 8           # issuers drawn in the per-issuer chart


# ---------------------------------------------------------------------- arguments

def _number(args, key: str, label: str) -> float | None:
    raw = (args.get(key) or "").strip()
    if not raw:
        return None
    try:
        value = float(raw.replace("％", "").replace("%", ""))
    except ValueError:
        raise BadRequest(f"{label} {key} 应为数字，收到的是“{raw[:20]}”。") from None
    if not math.isfinite(value):
        raise BadRequest(f"{label} {key} 应为有限的数字。")
    return value


def indicator_args(args) -> dict:
    """Validated arguments of an indicator request (page, API, export)."""
    filters = filters_from_args(args)
    measure = args.get("measure") or "level"
    if measure not in ind.MEASURES:
        raise BadRequest("measure 只能是 level（水平）、change（变化）或 all（全部）。")
    target = args.get("target") or "include"
    if target not in ind.TARGETS:
        raise BadRequest("target 只能是 include（包括目标值）、exclude（不含目标值）或 only（只看目标值）。")
    sort = args.get("sort") or "value_desc"
    if sort not in ind.SORTS:
        raise BadRequest("排序 sort 只能是 " + "、".join(ind.SORTS) + " 之一。")
    qualifier = [q.strip() for q in args.getlist("qualifier") if q.strip()][:20]
    if any(len(q) > 40 for q in qualifier):
        raise BadRequest("限定语 qualifier 过长（最多 40 个字）。")
    lo, hi = _number(args, "min", "最小值"), _number(args, "max", "最大值")
    if lo is not None and hi is not None and lo > hi:
        raise BadRequest("最小值 min 不能大于最大值 max。")
    return {"filters": filters, "measure": measure, "target": target, "sort": sort,
            "qualifier": qualifier, "value_min": lo, "value_max": hi}


def _params(a: dict, **changes) -> list[tuple[str, str]]:
    """URL parameters of `a` with some changed (defaults left out)."""
    a = {**a, **changes}
    out = [(n, v) for n in FACETS for v in a["filters"].get(n, [])]
    out += [("qualifier", q) for q in a["qualifier"]]
    for key, default in (("measure", "level"), ("target", "include"), ("sort", "value_desc")):
        if a[key] != default:
            out.append((key, a[key]))
    for key, name in (("value_min", "min"), ("value_max", "max")):
        if a[key] is not None:
            out.append((name, charts._fmt(a[key])))
    if a.get("page", 1) > 1:
        out.append(("page", str(a["page"])))
    return out


def _selection(name: str, a: dict):
    searcher = get_searcher()
    canonical = ind.resolve_name(searcher, name)
    if canonical is None:
        return None, ind.suggestions(searcher, name)
    try:
        sel = ind.query(searcher, canonical, a["filters"], qualifier=a["qualifier"],
                        measure=a["measure"], target=a["target"], value_min=a["value_min"],
                        value_max=a["value_max"], sort=a["sort"])
    except QueryError as exc:
        raise BadRequest(str(exc)) from None
    return sel, []


def _missing_message(name: str) -> str:
    return f"没有名为“{name}”的指标：索引中没有报告写明这个指标，目录中也没有它。"


def _catalogue(a_filters: dict) -> dict:
    try:
        return ind.catalogue_counts(get_searcher(), a_filters)
    except QueryError as exc:
        raise BadRequest(str(exc)) from None


def _paragraph_url(pid: str) -> str:
    """The paragraph's page (/p/<id>); built from one url_for, a chart has thousands."""
    prefix = g.get("paragraph_url_prefix")
    if prefix is None:
        prefix = g.paragraph_url_prefix = url_for("views.permalink", pid="_")[:-1]
    return prefix + quote(pid, safe="")


# ---------------------------------------------------------------------- pages

@bp.get("/indicators")
def catalogue_page():
    filters = filters_from_args(request.args)
    data = _catalogue(filters)
    qs = urlencode([(n, v) for n in FACETS for v in filters.get(n, [])])
    return render_template("indicators.html", data=data, filters=filters, qs=qs,
                           labels=LABELS, facets=FACETS)


def _tip(p: dict) -> str:
    qual = f"（{p['qualifier']}）" if p["qualifier"] else ""
    return f"{p['issuer']} {p['year']}年{qual}：{charts._fmt(p['value'])}{p['unit']}"


def _chart_data(searcher, sel, a: dict) -> dict:
    rows, unit = ind.chart_rows(searcher, sel, a["measure"])
    summary = ind.by_year(searcher, rows)
    # thinned before reading who stated each value: a chart never needs more points
    pts = ind.points(searcher, charts.thinned(rows))
    for p in pts:
        p["href"], p["tip"] = _paragraph_url(p["paragraph_id"]), _tip(p)
    measure = "变化" if a["measure"] == "change" else "水平"
    title = f"{sel.label or sel.name}（{measure}，{unit}）按年度分布"
    out = {"unit": unit, "summary": summary, "points": len(rows), "shown": len(pts),
           "distribution": charts.distribution_svg(pts, unit, title, summary),
           "series": None, "issuers": []}
    region = "city" if a["filters"].get("province") else "province"
    out["crosstab"] = ind.crosstab(searcher, rows, region)
    if a["filters"].get("issuer"):
        groups: dict[str, list] = {}
        for p in pts:
            groups.setdefault(p["issuer"], []).append(p)
        series = [{"label": k, "points": v} for k, v in
                  sorted(groups.items(), key=lambda kv: -len(kv[1]))[:SERIES_MAX]]
        out["issuers"] = [s["label"] for s in series]
        out["more_issuers"] = max(0, len(groups) - SERIES_MAX)
        out["series"] = charts.series_svg(series, unit, f"{sel.label or sel.name}（{measure}）历年数值")
    return out


@bp.get("/indicators/<name>")
def indicator_page(name: str):
    from .views import chips, facet_groups, normalized_filters, pages_around
    a = indicator_args(request.args)
    a["filters"] = normalized_filters(a["filters"])
    sel, suggested = _selection(name, a)
    if sel is None:
        return render_template("indicator.html", missing=name, suggestions=suggested,
                               message=_missing_message(name)), 404
    searcher = get_searcher()
    if sel.name != name:        # a wording (出庭率): the canonical page, same filters
        from flask import redirect
        return redirect(url_for("indicators.indicator_page", name=sel.name) +
                        (("?" + urlencode(_params(a))) if _params(a) else ""))
    total = len(sel.rows)
    last = max(1, math.ceil(total / PAGE_ROWS))
    raw = (request.args.get("page") or "1").strip()
    if not raw.isascii() or not raw.isdigit() or not 1 <= int(raw) <= last:
        raise BadRequest(f"页码 page 应在 1 到 {last} 之间。")
    page = int(raw)
    rows = ind.records(searcher, sel.rows[(page - 1) * PAGE_ROWS:page * PAGE_ROWS])
    for r in rows:
        r["url"] = _paragraph_url(r["paragraph_id"])
    base = url_for("indicators.indicator_page", name=sel.name)

    def url(**changes):
        changes.setdefault("page", 1)
        p = _params(a, **changes)
        return base + ("?" + urlencode(p) if p else "")

    def toggle(field, value):
        if field == "qualifier":
            qs = [q for q in a["qualifier"] if q != value] if value in a["qualifier"] \
                else a["qualifier"] + [value]
            return url(qualifier=qs)
        from .views import toggled
        return url(filters=toggled(a["filters"], field, value))

    groups = facet_groups(sel.facets, a["filters"], SEARCH_FACETS)
    quals = {(q or ind.NO_QUALIFIER): c for q, c in sel.qualifiers.items()}
    groups.append({"name": "qualifier", "label": "限定语", "visible": 10, "values": [
        {"value": q, "count": quals.get(q, 0), "selected": q in a["qualifier"]}
        for q in sorted(set(quals) | set(a["qualifier"]), key=lambda q: -quals.get(q, 0))]})
    exports = "?" + urlencode(_params(a)) if _params(a) else ""
    return render_template(
        "indicator.html", missing=None, sel=sel, a=a, rows=rows, total=total, page=page,
        last_page=last, pages=pages_around(page, last), url=url, toggle=toggle, groups=groups,
        chips=chips(a["filters"]) + [{"name": "qualifier", "label": "限定语", "value": q}
                                     for q in a["qualifier"]],
        clear_url=url(filters={}, qualifier=[], value_min=None, value_max=None),
        chart=_chart_data(searcher, sel, a), exports=exports, sort_labels=SORT_LABELS,
        measure_labels=ind.MEASURE_LABELS, labels=LABELS)


# ---------------------------------------------------------------------- downloads

def _table_rows(records: list[dict]) -> list[list]:
    host = request.host_url.rstrip("/")
    return [row + [host + _paragraph_url(r["paragraph_id"])]
            for row, r in zip(ind.table_rows(records), records)]


def _download(body, mimetype: str, name: str, ext: str, total: int, written: int) -> Response:
    from .api import attachment
    return attachment(body, mimetype, name, "indicator", ext,
                      {"X-Total-Statements": total, "X-Exported-Statements": written})


def _export(name: str):
    a = indicator_args(request.args)
    sel, suggested = _selection(name, a)
    if sel is None:
        raise BadRequest(_missing_message(name), 404)
    searcher = get_searcher()
    records = ind.records(searcher, sel.rows[:EXPORT_CAP])
    return searcher, sel, a, records


@bp.get("/indicators/<name>/export.csv")
def export_csv(name: str):
    _, sel, _, records = _export(name)
    body = "\ufeff" + csv_text(list(COLUMNS), _table_rows(records))
    return _download(body, "text/csv; charset=utf-8", sel.label or sel.name, "csv", len(sel.rows),
                     len(records))


@bp.get("/indicators/<name>/export.xlsx")
def export_xlsx(name: str):
    searcher, sel, a, records = _export(name)
    from openpyxl import Workbook
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("数值表")
    ws.append(list(COLUMNS))
    for row in _table_rows(records):
        ws.append([safe_cell(v) for v in row])
    rows, unit = ind.chart_rows(searcher, sel, a["measure"])
    ws = wb.create_sheet("按年度")
    ws.append(["年度", "条数", "报告数", "最小值", "下四分位", "中位数", "上四分位", "最大值",
               "单位"])
    for s in ind.by_year(searcher, rows):
        ws.append([s["year"], s["count"], s["reports"], s["min"], s["q1"], s["median"],
                   s["q3"], s["max"], unit])
    region = "city" if a["filters"].get("province") else "province"
    tab = ind.crosstab(searcher, rows, region)
    ws = wb.create_sheet("地区×年度")
    ws.append([LABELS[region]] + [f"{y} 中位数" for y in tab["years"]]
              + [f"{y} 条数" for y in tab["years"]])
    for r in tab["rows"]:
        ws.append([safe_cell(r["region"])] + [c["median"] for c in r["cells"]]
                  + [c["count"] for c in r["cells"]])
    buf = io.BytesIO()
    wb.save(buf)
    return _download(buf.getvalue(),
                     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                     sel.label or sel.name, "xlsx", len(sel.rows), len(records))


# ---------------------------------------------------------------------- JSON API

@bp.get("/api/indicators")
def catalogue_api():
    return jsonify(_catalogue(filters_from_args(request.args)))


@bp.get("/api/indicators/<name>")
def indicator_api(name: str):
    a = indicator_args(request.args)
    sel, suggested = _selection(name, a)
    if sel is None:
        return jsonify({"error": _missing_message(name), "suggestions": suggested}), 404
    cap = int(get_config()["search"]["max_limit"])
    limit = _count(request.args, "limit", API_DEFAULT_LIMIT, cap)
    offset = _count(request.args, "offset", 0, 10 ** 7)
    searcher = get_searcher()
    rows, unit = ind.chart_rows(searcher, sel, a["measure"])
    region = "city" if a["filters"].get("province") else "province"
    return jsonify({
        "indicator": sel.name, "kind": sel.kind, "unit": sel.unit, "total": len(sel.rows),
        "offset": offset, "limit": limit,
        "statements": ind.records(searcher, sel.rows[offset:offset + limit]),
        "facets": {**sel.facets, "qualifier": sel.qualifiers}, "measures": sel.measures,
        "targets": sel.targets,
        "by_year": {"unit": unit, "years": ind.by_year(searcher, rows)},
        "crosstab": ind.crosstab(searcher, rows, region)})


def _count(args, key: str, default: int, high: int) -> int:
    raw = (args.get(key) or "").strip()
    if not raw:
        return default
    if not raw.isascii() or not raw.isdigit() or len(raw) > 9 or int(raw) > high:
        raise BadRequest(f"{key} 应为 0 到 {high} 之间的整数。")
    return int(raw)
