"""The HTML pages: search, report, reports list, excerpt basket.

All page state lives in the URL, so every view is bookmarkable; the pages' JavaScript only
adds conveniences (copy, excerpt basket, keyboard focus).
"""
from __future__ import annotations

import math
import re
from pathlib import Path
from urllib.parse import urlencode

from flask import Blueprint, redirect, render_template, request, send_file, url_for
from markupsafe import Markup, escape

from index.model import ISSUER_TYPES, LEVELS, SECTIONS, SIDECAR_FIELDS
from index.normalize import match_form
from searcher import QueryError
from searcher.checks import (check_settings, checks_of, previous_report_id, repeated_share,
                             report_checks)
from searcher.highlight import display_spans, highlight, match_spans, merge_spans
from searcher.cited import cited_name, cited_names
from searcher.engine import query_marks
from searcher.similar import originality_table_ready
from searcher.reports import (ORIGINALITY_SORTS, REPORT_SORTS, issuer_key, report_matches,
                              report_rows)

from index.fields import LABELS, REPORT_FACETS, SEARCH_FACETS
from index.read import shown_file_name

from .app import (error_response, get_config, get_reports, get_searcher, paragraph_or_404,
                  report_or_404)
from .params import (FACETS, PAGE_SIZES, BadRequest, SearchArgs, filters_from_args,
                     query_from_args, search_args_from)

bp = Blueprint("views", __name__)

FACET_LABELS = LABELS
REPORT_FILTERS = REPORT_FACETS + ("city",)   # city: from the table's links, shown as a chip
MODE_LABELS = {"exact": "精确", "fuzzy": "模糊"}
SORT_LABELS = {"relevance": "相关度", "year_desc": "年度（新→旧）", "year_asc": "年度（旧→新）",
               "published_desc": "发布日期（新→旧）", "published_asc": "发布日期（旧→新）"}
# Facet values beyond this many are folded under “更多”.
FACET_VISIBLE = 10


# ---- URLs ---------------------------------------------------------------------------------

def search_url(args: SearchArgs, *, query: str | None = None, filters=None,
               mode: str | None = None, sort: str | None = None, page: int = 1,
               within: list[str] | None = None, size: int | None = None,
               view: str | None = None, collapse: bool | None = None) -> str:
    """The search page URL for `args` with some parts changed; defaults are left out."""
    filters = args.filters if filters is None else filters
    params = [("q", args.query if query is None else query)]
    params += [("within", w) for w in (args.within if within is None else within)]
    params += [(name, v) for name in FACETS for v in filters.get(name, [])]
    mode = mode or args.mode
    sort = sort or args.sort
    size = size or args.limit
    view = view or args.view
    if mode != "exact":
        params.append(("mode", mode))
    if sort != "relevance":
        params.append(("sort", sort))
    if size != PAGE_SIZES[0]:
        params.append(("size", size))
    if view != "paragraphs":
        params.append(("view", view))
    if args.collapse if collapse is None else collapse:
        params.append(("collapse", 1))
    if page > 1:
        params.append(("page", page))
    return "/?" + urlencode(params)


def _suggestion_url(args: SearchArgs, suggestion: dict) -> str:
    """The search page URL that runs a zero-hit suggestion (the searcher's query is the
    query with its 结果中检索 steps; a changed query replaces them all)."""
    filters = {k: list(v) if isinstance(v, (list, tuple)) else [v]
               for k, v in suggestion["filters"].items()}
    if suggestion["query"] != args.full_query:
        return search_url(args, query=suggestion["query"], within=[], filters=filters,
                          mode=suggestion["mode"])
    return search_url(args, filters=filters, mode=suggestion["mode"])


def search_chain(args: SearchArgs) -> list[dict]:
    """The steps of a narrowed search (the query, then each 结果中检索 step), each with the
    URL of the search without it."""
    steps = [args.query] + list(args.within)
    out = []
    for i, step in enumerate(steps):
        rest = steps[:i] + steps[i + 1:]
        out.append({"text": step, "first": i == 0,
                    "without": search_url(args, query=rest[0], within=rest[1:]) if rest
                    else search_url(args, query="", within=[])})
    return out


def toggled(filters: dict[str, list[str]], name: str, value: str) -> dict[str, list[str]]:
    """`filters` with `value` added to facet `name`, or removed when it is already there."""
    out = {k: list(v) for k, v in filters.items()}
    values = out.setdefault(name, [])
    if value in values:
        values.remove(value)
    else:
        values.append(value)
    if not values:
        del out[name]
    return out


# ---- facets -------------------------------------------------------------------------------

def _facet_order(name: str, counts: dict[str, int]) -> list[str]:
    fixed = {"level": LEVELS, "section": SECTIONS, "issuer_type": ISSUER_TYPES}.get(name)
    if name == "year":
        return sorted(counts, reverse=True)
    if fixed:
        return sorted(counts, key=lambda v: (fixed.index(v) if v in fixed else len(fixed), v))
    return sorted(counts, key=lambda v: (-counts[v], v))


def facet_groups(facets: dict, filters: dict[str, list[str]], names) -> list[dict]:
    """Sidebar groups: each value with its count and whether it is selected.

    A selected value stays listed even when no hit carries it, so it can be removed.
    """
    groups = []
    for name in names:
        counts = {str(k): v for k, v in (facets.get(name) or {}).items() if k not in (None, "")}
        selected = filters.get(name, [])
        for value in selected:
            counts.setdefault(value, 0)
        values = [{"value": v, "count": counts[v], "selected": v in selected}
                  for v in _facet_order(name, counts)]
        groups.append({"name": name, "label": FACET_LABELS[name], "values": values,
                       "visible": FACET_VISIBLE})
    return groups


def chips(filters: dict[str, list[str]]) -> list[dict]:
    return [{"name": name, "label": FACET_LABELS[name], "value": v}
            for name in FACETS for v in filters.get(name, [])]


def pages_around(page: int, last: int, width: int = 2) -> list[int | None]:
    """Page numbers to show: first, last and a window around `page`; None is a gap."""
    shown = sorted({1, last, *range(max(1, page - width), min(last, page + width) + 1)})
    out: list[int | None] = []
    for n in shown:
        if out and n - out[-1] > 1:
            out.append(None)
        out.append(n)
    return out


@bp.app_context_processor
def _template_helpers():
    return {"search_url": search_url, "toggled": toggled, "facet_labels": FACET_LABELS,
            "page_sizes": PAGE_SIZES, "adv_sections": SECTIONS, "adv_levels": LEVELS,
            "adv_issuer_types": ISSUER_TYPES,
            "mode_labels": MODE_LABELS, "sort_labels": SORT_LABELS}


# ---- pages --------------------------------------------------------------------------------

@bp.get("/")
def search_page():
    config = get_config()
    try:
        args = search_args_from(request.args, config, paged=True)
    except BadRequest as exc:
        return render_template("search.html", args=SearchArgs(), error=str(exc),
                               result=None, groups=[], chips=[]), exc.status
    context = {"args": args, "chips": chips(args.filters), "result": None, "error": None,
               "groups": [], "max_query_chars": config["search"]["max_query_chars"],
               "toggle_link": lambda name, value: search_url(
                   args, filters=toggled(args.filters, name, value))}
    if not args.query:
        reports = get_reports()
        context["corpus"] = {"reports": len(reports),
                             "paragraphs": sum(r.get("paragraph_count") or 0 for r in reports),
                             "years": sorted({r["year"] for r in reports if r.get("year")})}
        return render_template("search.html", **context)
    from .api import run_search   # here, not at the top: web.api imports from this module
    try:
        result = run_search(args)
    except QueryError as exc:
        context["error"] = str(exc)
        return render_template("search.html", **context), 400
    shown = result["reports"] if args.view == "reports" else \
        result.get("distinct", result["total"])
    last = max(1, math.ceil(shown / args.limit))
    context.update(result=result,
                   groups=facet_groups(result.get("facets") or {}, args.filters,
                                       SEARCH_FACETS + ("cites",)),
                   last_page=last, pages=pages_around(args.page, last),
                   chain=search_chain(args) if args.within else [],
                   suggestions=[dict(s, url=_suggestion_url(args, s))
                                for s in result.get("suggestions") or []])
    return render_template("search.html", **context)


# ---- citations, titles, signature -----------------------------------------------------------

def is_signature(p: dict) -> bool:
    return p.get("kind") == "signature" or p.get("section") == "落款"


def title_groups(paragraphs: list[dict], title: str | None) -> list[list[dict]]:
    """The stretches of lines at the top of a report that each spell its title (match form).

    Only the leading run of 前言 headings is looked at; within it, every stretch of
    consecutive lines that together spell the whole title is the title (a page headline and
    the document's own two-line title can both be there). A line that is only part of the
    title, or anything else, is never in a group.
    """
    target = match_form(title or "")
    if not target:
        return []
    run = []
    for p in paragraphs:
        if p.get("kind") != "heading" or p.get("section") != "前言":
            break
        run.append(p)
    groups: list[list[dict]] = []
    i = 0
    while i < len(run):
        spelled, j = "", i
        while j < len(run):
            spelled += match_form(run[j].get("text") or "")
            j += 1
            if spelled == target or not target.startswith(spelled):
                break
        if spelled == target:
            groups.append(run[i:j])
            i = j
        else:
            i += 1
    return groups


def title_line_ids(paragraphs: list[dict], title: str | None) -> list[str]:
    """Ids of the lines at the top of a report that spell its title (see title_groups)."""
    return [p["id"] for group in title_groups(paragraphs, title) for p in group]


def report_layout(paragraphs: list[dict], title: str | None) -> dict:
    """The report's paragraphs as the page shows them, in their own order throughout:

    - `pre`: lines at the top before the title (a portal's headline that is not quite the
      title), shown above the heading;
    - `head`: the title lines, from the first to the last, as the page's h1; `shown` is the
      one spelling of the title that is displayed (the last, the document's own lines), the
      other spellings stay in the page as anchors only; a line between two spellings is
      shown in the heading as what it is;
    - `body`: the rest, but for `signature`: the trailing run of signature lines (落款), shown
      after and outside the sections.
    """
    groups = title_groups(paragraphs, title)
    pre, head, rest = [], [], list(paragraphs)
    if groups:
        first = paragraphs.index(groups[0][0])
        last = paragraphs.index(groups[-1][-1])
        pre, head, rest = paragraphs[:first], paragraphs[first:last + 1], paragraphs[last + 1:]
    end = len(rest)
    while end and is_signature(rest[end - 1]):
        end -= 1
    return {"pre": pre, "head": head, "body": rest[:end], "signature": rest[end:],
            "title_ids": {p["id"] for g in groups for p in g},
            "shown": {p["id"] for p in (groups[-1] if groups else [])}}


def display_file(report: dict) -> str:
    """The report's file as a reader may see it (index.read.shown_file_name)."""
    return shown_file_name(report.get("file"))


def file_notes(report: dict) -> list[str]:
    """Notes the index keeps about how a report's file was read or repaired, if any."""
    out = []
    for key in ("notes", "repairs", "warnings"):
        value = report.get(key)
        if isinstance(value, str) and value.strip():
            out.append(value.strip())
        elif isinstance(value, (list, tuple)):
            out += [str(v).strip() for v in value if str(v or "").strip()]
    return out


def _marked_paragraphs(paragraphs: list[dict], terms: list[str],
                       figures: dict | None = None) -> list[dict]:
    """Each paragraph with `html`: its text escaped, the query's matches in <mark>
    (`figures`: match-form spans of the indicator statements it meets, per paragraph id)."""
    out = []
    for p in paragraphs:
        spans = None
        if (figures or {}).get(p["id"]):
            spans = merge_spans(match_spans(p["text"], terms)
                                + display_spans(p["text"], figures[p["id"]]))
        html = (Markup(highlight(p["text"], terms, spans)) if terms or spans
                else escape(p["text"]))
        out.append({**p, "html": html, "marked": bool(terms or spans) and "<mark>" in html})
    return out


def _heading_level(p: dict) -> int:
    """h2 for a part (一、), h3 for a section (（一）), h4 below."""
    return min(4, 1 + max(1, len(p.get("section_path") or [])))


@bp.get("/reports/<report_id>")
def report_page(report_id: str):
    report = report_or_404(report_id)
    config = get_config()
    query = query_from_args(request.args, config)
    mode = request.args.get("mode") if request.args.get("mode") in ("exact", "fuzzy") else "exact"
    terms, figures, note = [], {}, None
    if query:
        try:
            terms = query_marks(query, mode, int(config["search"]["max_query_chars"]),
                                get_searcher().synonyms, get_searcher().indicators)
            figures = get_searcher().figure_marks(query, report["report_id"])
        except QueryError as exc:
            note = f"检索式无法解析，未标记检索词：{exc}"
    paragraphs = _marked_paragraphs(report.get("paragraphs") or [], terms, figures)
    for p in paragraphs:
        p["level"] = _heading_level(p)
        p["is_signature"] = is_signature(p)
    layout = report_layout(paragraphs, report.get("title"))
    outline = [{"id": p["id"], "text": p["text"], "level": p["level"]}
               for p in layout["body"] if p.get("kind") == "heading"]
    siblings = []
    who = issuer_key(report)
    if who:
        siblings = sorted((r for r in get_reports()
                           if issuer_key(r) == who and r["report_id"] != report["report_id"]),
                          key=lambda r: r.get("year") or 0, reverse=True)
    checks = report_checks(report, check_settings(config))
    prev = previous_report_id(get_searcher(), report["report_id"])
    checks["shortcomings_repeated_share"] = repeated_share(
        report, get_searcher().report(prev) if prev else None)
    from .similar import report_similarity
    origins, origin_summary = report_similarity(report["report_id"])
    return render_template("report.html", report=report, paragraphs=paragraphs, query=query,
                           mode=mode, note=note, layout=layout, outline=outline, checks=checks,
                           file_name=display_file(report),
                           marked=sum(p["marked"] for p in paragraphs), siblings=siblings,
                           previous_id=prev, cited=report_cited(report), origins=origins,
                           originality=origin_summary)


def report_cited(report: dict) -> list[dict]:
    """The documents a report cites (normalized names), each with how many of its paragraphs
    cite it, most cited first, and as written the first time."""
    counts: dict[str, int] = {}
    written: dict[str, str] = {}
    for p in report.get("paragraphs") or []:
        text = p.get("text") or ""
        for name in cited_names(text):
            counts[name] = counts.get(name, 0) + 1
        for m in re.finditer(r"《[^《》]{1,80}》", text):
            written.setdefault(cited_name(m.group(0)), m.group(0))
    return [{"name": n, "count": c, "as_written": written.get(n, f"《{n}》")}
            for n, c in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


def _original_path(report: dict, config: dict) -> Path | None:
    """The report's file on disk: `path` when the index gives one, else `file` (an absolute
    path, or a name relative to one of the configured corpus folders, staying inside it)."""
    for key in ("path", "file"):
        name = report.get(key)
        if not name:
            continue
        candidate = Path(name)
        if candidate.is_absolute():
            if candidate.is_file():
                return candidate
            continue
        for root in (config.get("corpus") or []):
            root = Path(root)
            base = root if root.is_dir() else root.parent
            for folder in (base, base.parent):
                full = (folder / candidate).resolve()
                if full.is_file() and full.is_relative_to(folder.resolve()):
                    return full
    return None


@bp.get("/reports/<report_id>/original")
def original_file(report_id: str):
    """The report's original file (HTML page, Word, PDF or text) as it was indexed.

    The path comes from the index, never from the request; only the report id is read from
    the URL, and it is validated first."""
    report = report_or_404(report_id)
    path = _original_path(report, get_config())
    if path is None:
        return error_response("原文件已不在索引时的位置（可能已移动或删除），请重建索引。", 404)
    # Saved web pages are sent as downloads: rendered here they would run the portal's scripts.
    return send_file(path.resolve(), as_attachment=path.suffix.lower() in (".html", ".htm"),
                     download_name=path.name)


@bp.get("/p/<pid>")
def permalink(pid: str):
    p = paragraph_or_404(pid)
    params = {k: request.args[k] for k in ("q", "mode") if request.args.get(k)}
    return redirect(url_for("views.report_page", report_id=p["report_id"], **params)
                    + "#" + pid)


REPORTS_PER_PAGE = 100


def _page_arg(last: int) -> int:
    raw = (request.args.get("page") or "1").strip()
    # ASCII digits only: str.isdigit() accepts "²" (int() refuses it) and "١٢" (Arabic-Indic).
    if not re.fullmatch(r"[0-9]{1,9}", raw) or not 1 <= int(raw) <= max(last, 1):
        raise BadRequest(f"页码 page 应在 1 到 {last} 之间。")
    return int(raw)


def normalized_filters(filters: dict[str, list[str]]) -> dict[str, list[str]]:
    """URL filter values in the form the index stores (浙江省 -> 浙江, 县 -> 县级), by the one
    rule the search uses; a value that names nothing is a 400."""
    from searcher.query import QueryError, normalize_filters
    try:
        return normalize_filters(filters)
    except QueryError as exc:
        raise BadRequest(str(exc)) from None


def report_list_args(args) -> tuple[dict[str, list[str]], str]:
    """(filters, sort) of a reports-list request (the page and /api/reports); 400s say why."""
    filters = {k: v for k, v in normalized_filters(filters_from_args(args)).items()
               if k in REPORT_FILTERS}
    sort = args.get("sort") or "year_desc"
    if sort not in REPORT_SORTS:
        raise BadRequest("排序 sort 只能是 " + "、".join(REPORT_SORTS) + " 之一。")
    return filters, sort


@bp.get("/reports")
def reports_page():
    filters, sort = report_list_args(request.args)
    items = get_reports()
    facets = {}
    for name in REPORT_FACETS:
        counts: dict[str, int] = {}
        for r in items:
            if r.get(name) not in (None, "") and report_matches(r, filters, skip=name):
                counts[str(r[name])] = counts.get(str(r[name]), 0) + 1
        facets[name] = counts
    # originality: computed once per index (~1.5 s at 100k paragraphs); the list shows it
    # when it is ready and only waits for it when sorted by it
    searcher = get_searcher()
    ready = sort in ORIGINALITY_SORTS or originality_table_ready(searcher) is not None
    shown = report_rows(searcher, filters, sort, originality=ready)
    last = max(1, math.ceil(len(shown) / REPORTS_PER_PAGE))
    page = _page_arg(last)

    def url(new_filters=None, new_sort=None, new_page=1):
        f = filters if new_filters is None else new_filters
        params = [(n, v) for n in FACETS for v in f.get(n, [])]
        if (new_sort or sort) != "year_desc":
            params.append(("sort", new_sort or sort))
        if new_page > 1:
            params.append(("page", new_page))
        return "/reports" + ("?" + urlencode(params) if params else "")

    def download_url(fmt: str) -> str:
        params = [(n, v) for n in FACETS for v in filters.get(n, [])] + [("sort", sort)]
        return "/api/reports?" + urlencode(params + ([("format", fmt)] if fmt != "json" else []))

    start = (page - 1) * REPORTS_PER_PAGE
    page_reports = shown[start:start + REPORTS_PER_PAGE]
    # checks of the shown page only: all_checks reads every report (slow on a big corpus)
    checks = checks_of(searcher, [r["report_id"] for r in page_reports], get_config())
    return render_template("reports.html", reports=page_reports, originality_ready=ready,
                           download_url=download_url,
                           matching=len(shown), start=start, total=len(items), sort=sort,
                           page=page, last_page=last, pages=pages_around(page, last),
                           sidecar_fields=SIDECAR_FIELDS, file_name=display_file,
                           checks=checks,
                           file_notes=file_notes,
                           sorts={k: v[0] for k, v in REPORT_SORTS.items()},
                           groups=facet_groups(facets, filters, REPORT_FACETS),
                           chips=chips(filters), filters=filters, url=url,
                           toggle_link=lambda name, value: url(toggled(filters, name, value)))


@bp.get("/excerpts")
def excerpts_page():
    from .app import MAX_EXPORT_IDS
    return render_template("excerpts.html", max_ids=MAX_EXPORT_IDS)
