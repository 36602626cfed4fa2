"""Near-duplicate paragraphs (issue 14): /api/paragraphs/<id>/similar and the page listing
them, each with a character diff against this paragraph and the 最早出处; the report page's
per-paragraph 最早出处 and originality (/api/reports/<id>/similar)."""
from __future__ import annotations

from flask import Blueprint, current_app, jsonify, render_template, request

from searcher.compare import char_diff
from searcher.similar import (originality, paragraph_origins, report_near, similar,
                              similar_index, similar_index_ready)

from .app import get_searcher, paragraph_or_404, report_or_404
from .params import BadRequest

bp = Blueprint("similar", __name__)


@bp.after_app_request
def _warm_similar_index(response):
    """After a request, the app's current searcher (a reopened index included) gets its
    near-duplicate index built in the background if it has none yet, so that it is ready
    by the time a search needs it."""
    searcher = current_app.extensions.get("reportsearch.searcher")
    if searcher is not None:
        similar_index_ready(searcher)
    return response


# The page diffs and shows at most this many similar paragraphs (the API gives them all).
PAGE_LIMIT = 100


def similar_or_404(pid: str, limit: int | None = None) -> tuple[dict, dict]:
    """(the paragraph, its similar list); a 404 for a malformed or unknown id."""
    paragraph = paragraph_or_404(pid)
    return paragraph, similar(get_searcher(), pid, limit=limit)


@bp.get("/api/paragraphs/<pid>/similar")
def similar_api(pid: str):
    """Every similar paragraph, or the first `limit` (total and reports count all)."""
    raw = request.args.get("limit")
    limit = None
    if raw is not None:
        if not raw.strip().isdigit() or len(raw.strip()) > 9:
            raise BadRequest("limit 必须是不小于 0 的整数。")
        limit = int(raw)
    return jsonify(similar_or_404(pid, limit)[1])


@bp.get("/paragraphs/<pid>/similar")
def similar_page(pid: str):
    paragraph, result = similar_or_404(pid, PAGE_LIMIT)
    searcher = get_searcher()
    rows = []
    for item in result["similar"]:
        other = searcher.paragraph(item["id"]) or {}
        rows.append({**item, "title": other.get("title"),
                     "diff": char_diff(paragraph["text"], other.get("text") or "")})
    earliest = None
    if result["earliest"] and result["earliest"] != pid:
        earliest = searcher.paragraph(result["earliest"])
    return render_template("similar.html", paragraph=paragraph, result=result, rows=rows,
                           earliest=earliest, limit=PAGE_LIMIT)


def report_similarity(report_id: str) -> tuple[dict, dict | None]:
    """(per paragraph id: its near-duplicates' report count and 最早出处, the report's
    originality with the count of its paragraphs that are the earliest source), read
    from one pass over the report's paragraphs (searcher/similar.py)."""
    searcher = get_searcher()
    near = report_near(searcher, report_id)
    if near is None:
        return {}, None
    origins = paragraph_origins(searcher, report_id, near)
    summary = originality(searcher, report_id, near)
    if summary is not None:
        summary["with_similar"] = len(origins)
        summary["earliest_source"] = sum(o["earliest"] == pid for pid, o in origins.items())
        summary["threshold"] = similar_index(searcher).threshold
    return origins, summary


@bp.get("/api/reports/<report_id>/similar")
def report_similar_api(report_id: str):
    """The report page's similar-paragraph data: {report_id, originality, paragraphs: {id:
    {reports, earliest, earliest_report_id, earliest_year, earliest_issuer}}}."""
    report_or_404(report_id)
    origins, summary = report_similarity(report_id)
    return jsonify({"report_id": report_id, "originality": summary, "paragraphs": origins})
