"""The JSON API: every page's data, for scripts and for the pages' own JavaScript."""
from __future__ import annotations

import datetime as dt
from urllib.parse import quote

from flask import Blueprint, Response, jsonify, request

from searcher import QueryError
from searcher.citation import citation

from .app import MAX_EXPORT_IDS, error_response, get_config, get_searcher
from .export import excerpts_docx, excerpts_markdown, excerpts_text
from .params import (BadRequest, check_paragraph_id, check_report_id, paragraph_ids_from,
                     search_args_from)

bp = Blueprint("api", __name__, url_prefix="/api")


def run_search(args) -> dict:
    """s.search() over validated arguments; QueryError propagates with its sentence."""
    return get_searcher().search(args.query, filters=args.filters or None, mode=args.mode,
                                 sort=args.sort, limit=args.limit, offset=args.offset)


def paragraph_with_citation(pid: str, today: dt.date | None = None) -> dict | None:
    p = get_searcher().paragraph(pid)
    if p is None:
        return None
    p = dict(p)
    p["citation"] = citation(p, today or dt.date.today(), get_config())
    return p


@bp.get("/search")
def search():
    args = search_args_from(request.args, get_config())
    try:
        return jsonify(run_search(args))
    except QueryError as exc:
        return error_response(str(exc), 400)


@bp.get("/paragraphs/<pid>")
def paragraph(pid: str):
    if not check_paragraph_id(pid):
        return error_response("段落编号格式不正确。", 404)
    p = paragraph_with_citation(pid)
    if p is None:
        return error_response(f"索引中没有编号为 {pid} 的段落。", 404)
    return jsonify(p)


@bp.get("/reports")
def reports():
    items = get_searcher().reports()
    return jsonify({"total": len(items), "reports": items})


@bp.get("/reports/<report_id>")
def report(report_id: str):
    if not check_report_id(report_id):
        return error_response("报告编号格式不正确。", 404)
    r = get_searcher().report(report_id)
    if r is None:
        return error_response(f"索引中没有编号为 {report_id} 的报告。", 404)
    return jsonify(r)


def _excerpts_from_request() -> list[dict]:
    ids = paragraph_ids_from(request.args.get("ids"), MAX_EXPORT_IDS)
    today = dt.date.today()
    excerpts, missing = [], []
    for pid in ids:
        p = paragraph_with_citation(pid, today)
        if p is None:
            missing.append(pid)
        else:
            excerpts.append(p)
    if missing:
        raise BadRequest(f"索引中没有这些段落：{'、'.join(missing[:5])}"
                         f"{' 等' if len(missing) > 5 else ''}（可能已重建索引，请从摘录中移除）。",
                         404)
    return excerpts


def _attachment(body: bytes | str, mimetype: str, ext: str) -> Response:
    name = f"法治政府报告摘录-{dt.date.today().isoformat()}.{ext}"
    ascii_name = f"excerpts-{dt.date.today().isoformat()}.{ext}"
    resp = Response(body, mimetype=mimetype)
    resp.headers["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}")
    return resp


@bp.get("/export.docx")
def export_docx():
    return _attachment(excerpts_docx(_excerpts_from_request()),
                       "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                       "docx")


@bp.get("/export.txt")
def export_txt():
    return _attachment(excerpts_text(_excerpts_from_request()), "text/plain; charset=utf-8", "txt")


@bp.get("/export.md")
def export_md():
    return _attachment(excerpts_markdown(_excerpts_from_request()),
                       "text/markdown; charset=utf-8", "md")
