"""Compare two reports (issue 14): the /compare page and /api/compare. A is the earlier
report (or the one given first), B the later; without both, the page offers a choice."""
from __future__ import annotations

from flask import Blueprint, jsonify, render_template, request

from searcher.compare import compare_reports

from .api import public
from .app import get_searcher, report_or_404
from .params import BadRequest

bp = Blueprint("compare", __name__)


def comparison_from_args(args):
    a_id, b_id = (args.get("a") or "").strip(), (args.get("b") or "").strip()
    if not a_id or not b_id:
        return None
    if a_id == b_id:
        raise BadRequest("请选择两份不同的报告进行对比。")
    a, b = report_or_404(a_id), report_or_404(b_id)
    result = compare_reports(a, b)
    result.a, result.b = public(result.a), public(result.b)
    return result


@bp.get("/compare")
def compare_page():
    result = comparison_from_args(request.args)
    reports = get_searcher().reports()
    return render_template("compare.html", result=result, reports=reports,
                           a=request.args.get("a") or "", b=request.args.get("b") or "")


@bp.get("/api/compare")
def compare_api():
    result = comparison_from_args(request.args)
    if result is None:
        raise BadRequest("请用参数 a 和 b 给出两份报告的编号，例如 /api/compare?a=…&b=…。")
    return jsonify(result.to_json())
