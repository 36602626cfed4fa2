"""Report checks and coverage (issue 15): the /checks and /coverage pages, their JSON API
and CSV / XLSX exports. All state is in the query string; no script is needed."""
from __future__ import annotations

from urllib.parse import urlencode

from flask import Blueprint, Response, jsonify, render_template, request

from index.model import ISSUER_TYPES, LEVELS
from searcher import QueryError
from searcher import checks as ck
from searcher.coverage import PLACE_LEVEL, coverage, coverage_csv, gazetteer_version
from searcher.query import normalize_filter
from searcher.tables import safe_cell

from .app import get_config, get_reports, get_searcher
from .params import BadRequest

bp = Blueprint("checks", __name__)

FILTERS = ("year", "province", "city", "level", "issuer_type")
SORT_LABELS = {"year_desc": "年度（新→旧）", "year_asc": "年度（旧→新）", "province": "省份",
               "published": "发布日期", "on_time": "按时（逾期在前）", "missing": "缺少部分",
               "figures": "具体数字", "length": "字数", "flags": "提示数"}
MAX_FILTER_CHARS = 50
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _raw_filters(args) -> dict[str, list[str]]:
    out = {}
    for name in FILTERS:
        values = [v.strip() for v in args.getlist(name) if v.strip()]
        if any(len(v) > MAX_FILTER_CHARS for v in values):
            raise BadRequest(f"筛选条件 {name} 的值过长（最多 {MAX_FILTER_CHARS} 个字）。")
        if values:
            out[name] = values[:20]
    return out


def _checked_rows():
    raw = _raw_filters(request.args)
    sort = request.args.get("sort") or "year_desc"
    if sort not in ck.SORTS:
        raise BadRequest(f"排序方式 {sort} 无效，可用：{'、'.join(ck.SORTS)}。")
    try:
        filters = ck.normalized_filters(raw)
    except QueryError as exc:
        raise BadRequest(str(exc)) from exc
    all_rows = ck.all_checks(get_searcher(), get_config())
    rows = sorted(ck.filter_checks(all_rows, filters), key=ck.SORTS[sort])
    return all_rows, rows, raw, filters, sort


def _options(rows: list[dict]) -> dict[str, list[str]]:
    def values(field, order=None):
        found = {str(r[field]) for r in rows if r.get(field) not in (None, "")}
        if order:
            return [v for v in order if v in found]
        return sorted(found, reverse=(field == "year"))
    return {"year": values("year"), "province": values("province"), "city": values("city"),
            "level": values("level", LEVELS), "issuer_type": values("issuer_type", ISSUER_TYPES)}


def _query(filters: dict, **extra) -> str:
    params = [(k, v) for k, vs in filters.items() for v in vs]
    params += [(k, v) for k, v in extra.items() if v]
    return urlencode(params)


@bp.get("/checks")
def checks_page():
    all_rows, rows, raw, filters, sort = _checked_rows()
    return render_template("checks.html", rows=rows, total=len(all_rows), filters=filters,
                           options=_options(all_rows), sort=sort, sorts=SORT_LABELS,
                           parts=ck.PARTS, rule=ck.GENERIC_RULE, settings=ck.check_settings(
                               get_config()),
                           query=lambda **kw: _query(filters, **kw))


@bp.get("/api/checks")
def checks_api():
    all_rows, rows, raw, filters, sort = _checked_rows()
    settings = ck.check_settings(get_config())
    return jsonify({"total": len(rows), "filters": filters, "sort": sort,
                    "rules": {"government_deadline": settings["government_deadline"],
                              "department_deadline": settings["department_deadline"],
                              "on_time": "发布日期早于截止日期（deadline）为按时；发布日期未知为 null",
                              "generic_shortcomings": ck.GENERIC_RULE},
                    "checks": rows})


@bp.get("/checks.csv")
def checks_csv():
    _, rows, *_ = _checked_rows()
    return Response("\ufeff" + ck.to_csv(rows), mimetype="text/csv",
                    headers={"Content-Disposition": "attachment; filename=checks.csv"})


@bp.get("/checks.xlsx")
def checks_xlsx():
    _, rows, *_ = _checked_rows()
    data = ck.to_xlsx(ck.table_header(), [ck.table_row(r) for r in rows])
    return Response(data, mimetype=XLSX_TYPE,
                    headers={"Content-Disposition": "attachment; filename=checks.xlsx"})


# ---- coverage ------------------------------------------------------------------------------

def _one(field: str, value: str, label: str) -> str:
    if len(value) > MAX_FILTER_CHARS:
        raise BadRequest(f"{label}过长（最多 {MAX_FILTER_CHARS} 个字）。")
    try:
        values = normalize_filter(field, value)
    except QueryError as exc:
        raise BadRequest(str(exc)) from exc
    if len(values) != 1:
        raise BadRequest(f"{label}只能给一个，收到的是 {value}。")
    return values[0]


def coverage_args(args) -> tuple[str | None, int | None, str]:
    province = (args.get("province") or "").strip()
    year = (args.get("year") or "").strip()
    level = (args.get("level") or "县级").strip()
    province = _one("province", province, "省份") if province else None
    year = int(_one("year", year, "年度")) if year else None
    level = _one("level", level, "层级")
    return province, year, level


def _coverage_or_none():
    province, year, level = coverage_args(request.args)
    if province is None or year is None:
        return province, year, level, None
    return province, year, level, coverage(get_reports(), province, year, level)


@bp.get("/coverage")
def coverage_page():
    province, year, level, result = _coverage_or_none()
    reports = get_reports()
    provinces = sorted({r["province"] for r in reports if r.get("province")})
    years = sorted({r["year"] for r in reports if r.get("year")}, reverse=True)
    query = urlencode([(k, v) for k, v in (("province", province), ("year", year),
                                           ("level", level)) if v])
    return render_template("coverage.html", province=province, year=year, level=level,
                           result=result, provinces=provinces, years=years,
                           levels=[lv for lv in LEVELS if lv in PLACE_LEVEL],
                           gazetteer=gazetteer_version(), query=query)


def _require(result):
    if result is None:
        raise BadRequest("请给出省份和年度，如 province=浙江&year=2023&level=县级。")
    return result


@bp.get("/api/coverage")
def coverage_api():
    return jsonify(_require(_coverage_or_none()[3]))


def _coverage_name(result) -> str:
    return f"coverage-{result['year']}"


@bp.get("/coverage.csv")
def coverage_export_csv():
    import csv
    import io

    result = _require(_coverage_or_none()[3])
    buf = io.StringIO()
    w = csv.writer(buf)
    for row in coverage_csv(result):
        w.writerow([safe_cell(v) for v in row])
    return Response("\ufeff" + buf.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition":
                             f"attachment; filename={_coverage_name(result)}.csv"})


@bp.get("/coverage.xlsx")
def coverage_export_xlsx():
    result = _require(_coverage_or_none()[3])
    rows = coverage_csv(result)
    data = ck.to_xlsx(rows[0], rows[1:], title="覆盖情况")
    return Response(data, mimetype=XLSX_TYPE,
                    headers={"Content-Disposition":
                             f"attachment; filename={_coverage_name(result)}.xlsx"})
