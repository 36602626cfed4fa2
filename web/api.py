"""The JSON API: every page's data, for scripts and for the pages' own JavaScript."""
from __future__ import annotations

import datetime as dt
from urllib.parse import quote

from flask import Blueprint, Response, jsonify, request

from index.read import shown_file_name
from searcher import QueryError

from .app import (MAX_EXPORT_IDS, error_response, get_config, get_searcher, paragraph_or_404,
                  report_or_404)
from .export import excerpts_docx, excerpts_markdown, excerpts_text
from .params import BadRequest, paragraph_ids_from, search_args_from

bp = Blueprint("api", __name__, url_prefix="/api")
# How a Word export gives each excerpt's citation: a footnote, or a numbered list at the end.
NOTE_STYLES = ("footnote", "list")


def run_search(args) -> dict:
    """s.search() over validated arguments, each hit of the page with `similar_reports`
    (相似段落见于 N 份报告) and `earliest` (its 最早出处), both null until the index's
    near-duplicates are known; QueryError propagates with its sentence."""
    from searcher.similar import hit_similar_counts

    searcher = get_searcher()
    result = searcher.search(args.full_query, filters=args.filters or None, mode=args.mode,
                             sort=args.sort, limit=args.limit, offset=args.offset,
                             group=args.view, collapse=args.collapse)
    # not waiting for the near-duplicate index of a freshly opened index: until it is built
    # (in the background) the hits say nothing of copies (null)
    hit_similar_counts(searcher, result["hits"], wait=False)
    return result


def public(record: dict) -> dict:
    """A report or paragraph record as the API answers it: the file by its display name,
    never a path on the server."""
    out = dict(record)
    if "file" in out:
        out["file"] = shown_file_name(out["file"])
    out.pop("path", None)
    return out


@bp.get("/search")
def search():
    args = search_args_from(request.args, get_config())
    try:
        return jsonify(run_search(args))
    except QueryError as exc:
        return error_response(str(exc), 400)


def _result_rows(args) -> tuple[list[list], int]:
    """Every hit of a search (up to EXPORT_HITS_CAP) as table rows, and the total."""
    from searcher.tables import EXPORT_HITS_CAP, result_rows

    result = get_searcher().search(args.full_query, filters=args.filters or None, mode=args.mode,
                                   sort=args.sort, limit=EXPORT_HITS_CAP, offset=0)
    return result_rows(result["hits"], request.host_url), result["total"]


@bp.get("/search.csv")
def search_csv():
    from searcher.tables import RESULT_COLUMNS, csv_text

    args = search_args_from(request.args, get_config())
    try:
        rows, total = _result_rows(args)
    except QueryError as exc:
        return error_response(str(exc), 400)
    # BOM: Excel opens UTF-8 CSV as Chinese text only with it
    return _results_download("\ufeff" + csv_text(list(RESULT_COLUMNS), rows),
                             "text/csv; charset=utf-8", "csv", total, len(rows))


@bp.get("/search.xlsx")
def search_xlsx():
    from searcher.tables import RESULT_COLUMNS, xlsx_bytes

    args = search_args_from(request.args, get_config())
    try:
        rows, total = _result_rows(args)
    except QueryError as exc:
        return error_response(str(exc), 400)
    return _results_download(xlsx_bytes(list(RESULT_COLUMNS), rows, "检索结果"),
                             "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                             "xlsx", total, len(rows))


@bp.get("/paragraphs/<pid>")
def paragraph(pid: str):
    return jsonify(public(paragraph_or_404(pid)))


@bp.get("/reports")
def reports():
    """The reports list with the page's filters and sorts, each report with its
    `originality` (computed once per index; the first call waits for it)."""
    from searcher.reports import report_rows
    from .views import report_list_args
    filters, sort = report_list_args(request.args)
    fmt = request.args.get("format") or "json"
    if fmt not in ("json", "csv", "xlsx"):
        raise BadRequest("格式 format 只能是 json、csv 或 xlsx。")
    searcher = get_searcher()
    rows = report_rows(searcher, filters, sort, originality=True)
    if fmt != "json":
        from searcher.reports import TABLE_COLUMNS, table_rows
        from searcher.tables import csv_text, xlsx_bytes
        header = [name for name, _ in TABLE_COLUMNS]
        body = csv_text(header, table_rows(rows)) if fmt == "csv" \
            else xlsx_bytes(header, table_rows(rows), "报告列表")
        mimetype = "text/csv; charset=utf-8" if fmt == "csv" else \
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        return attachment(body, mimetype, "报告列表", "reports", fmt)
    return jsonify({"total": len(searcher.reports()), "matching": len(rows),
                    "filters": filters, "sort": sort, "reports": [public(r) for r in rows]})


@bp.get("/reports/<report_id>")
def report(report_id: str):
    return jsonify(public(report_or_404(report_id)))


def _excerpts_from_request() -> list[dict]:
    ids = paragraph_ids_from(request.args.get("ids"), MAX_EXPORT_IDS)
    excerpts, missing = [], []
    for pid in ids:
        p = get_searcher().paragraph(pid)
        if p is None:
            missing.append(pid)
        else:
            excerpts.append(public(p))
    if missing:
        raise BadRequest(f"索引中没有这些段落：{'、'.join(missing[:5])}"
                         f"{' 等' if len(missing) > 5 else ''}（可能已重建索引，请从摘录中移除）。",
                         404)
    return excerpts


def attachment(body: bytes | str, mimetype: str, name: str, ascii_name: str, ext: str,
               headers: dict | None = None) -> Response:
    """A download named `name`-<today>.`ext` (`ascii_name` for clients without RFC 5987)."""
    today = dt.date.today().isoformat()
    resp = Response(body, mimetype=mimetype)
    resp.headers["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_name}-{today}.{ext}\"; "
        f"filename*=UTF-8''{quote(f'{name}-{today}.{ext}')}")
    for key, value in (headers or {}).items():
        resp.headers[key] = str(value)
    return resp


def _attachment(body: bytes | str, mimetype: str, ext: str) -> Response:
    return attachment(body, mimetype, "法治政府报告摘录", "excerpts", ext)


def _results_download(body, mimetype: str, ext: str, total: int, written: int) -> Response:
    return attachment(body, mimetype, "检索结果", "results", ext,
                      {"X-Total-Hits": total, "X-Exported-Hits": written})


@bp.get("/export.docx")
def export_docx():
    notes = request.args.get("notes") or "footnote"
    if notes not in NOTE_STYLES:
        raise BadRequest("notes 只能是 footnote（脚注）或 list（文末参考文献）。")
    return _attachment(excerpts_docx(_excerpts_from_request(), notes=notes),
                       "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                       "docx")


@bp.get("/export.txt")
def export_txt():
    return _attachment(excerpts_text(_excerpts_from_request()), "text/plain; charset=utf-8", "txt")


@bp.get("/export.md")
def export_md():
    return _attachment(excerpts_markdown(_excerpts_from_request()),
                       "text/markdown; charset=utf-8", "md")
