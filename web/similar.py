"""Near-duplicate paragraphs (issue 14): /api/paragraphs/<id>/similar and the page listing
them, each with a character diff against this paragraph and the 最早出处."""
from __future__ import annotations

from flask import Blueprint, jsonify, render_template, request

from searcher.compare import char_diff
from searcher.similar import similar

from .app import get_searcher, paragraph_or_404
from .params import BadRequest

bp = Blueprint("similar", __name__)

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
