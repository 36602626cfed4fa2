"""Request parameters -> validated search arguments, shared by the pages and the JSON API.

Everything a request carries is checked here before it reaches the searcher; a bad value
raises BadRequest with one user-facing sentence and the HTTP status to answer with.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from index.fields import FILTER_FIELDS
from searcher.query import narrowed_query

# URL filter parameters: the searcher's filter fields (the sidebar shows the facet ones).
FACETS = FILTER_FIELDS
MODES = ("exact", "fuzzy")
SORTS = ("relevance", "year_desc", "year_asc", "published_desc", "published_asc")

# Report ids are file-name stems (see index.pipeline.report_id_for); paragraph ids add -pN.
REPORT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$")
PARAGRAPH_ID = re.compile(r"^(?P<report_id>[A-Za-z0-9][A-Za-z0-9_.-]{0,127})-p(?P<ordinal>[0-9]{1,7})$")

# A facet value is a year, a place, a level or a section name: short by nature.
MAX_FILTER_CHARS = 100
MAX_FILTER_VALUES = 50
# Deep paging gets slow and no one reads page 5000 of results.
MAX_OFFSET = 100_000
# Page sizes the search page offers (?size=); the first is the default.
PAGE_SIZES = (20, 50, 100)
# 结果中检索: at most this many narrowing steps (?within=) after the query.
MAX_WITHIN_STEPS = 10
# The search page lists paragraphs, or each report once (每份报告一条).
VIEWS = ("paragraphs", "reports")


class BadRequest(Exception):
    """A request parameter we refuse; str(e) is one sentence for the user."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


@dataclass
class SearchArgs:
    query: str = ""
    filters: dict[str, list[str]] = field(default_factory=dict)
    mode: str = "exact"
    sort: str = "relevance"
    limit: int = 20
    offset: int = 0
    within: list[str] = field(default_factory=list)    # 结果中检索 steps, in order
    view: str = "paragraphs"
    collapse: bool = False                             # 折叠相似段落 (?collapse=1)

    @property
    def page(self) -> int:
        return self.offset // self.limit + 1

    @property
    def full_query(self) -> str:
        """The query the searcher runs: the query AND each narrowing step."""
        return narrowed_query(self.query, self.within)


def _int_arg(args, name: str, default: int, low: int, high: int, label: str) -> int:
    raw = args.get(name)
    if raw is None or raw == "":
        return default
    if not re.fullmatch(r"[0-9]{1,9}", raw.strip()):
        raise BadRequest(f"参数 {name}（{label}）应为整数，收到的是“{raw[:20]}”。")
    value = int(raw.strip())
    if not low <= value <= high:
        raise BadRequest(f"参数 {name}（{label}）应在 {low} 到 {high} 之间。")
    return value


def query_from_args(args, config: dict) -> str:
    q = (args.get("q") or "").strip()
    cap = int(config["search"]["max_query_chars"])
    if len(q) > cap:
        raise BadRequest(f"查询过长：最多 {cap} 个字，当前 {len(q)} 个字。", 413)
    return q


def within_from_args(args, config: dict) -> list[str]:
    """The 结果中检索 steps (?within=, repeatable), blanks and repeats dropped."""
    cap = int(config["search"]["max_query_chars"])
    steps: list[str] = []
    for raw in args.getlist("within"):
        step = raw.strip()
        if not step or step in steps:
            continue
        if len(step) > cap:
            raise BadRequest(f"结果中检索的条件过长：最多 {cap} 个字。", 413)
        steps.append(step)
    if len(steps) > MAX_WITHIN_STEPS:
        raise BadRequest(f"结果中检索最多 {MAX_WITHIN_STEPS} 步。")
    return steps


def filters_from_args(args) -> dict[str, list[str]]:
    filters: dict[str, list[str]] = {}
    for name in FACETS:
        values = []
        for raw in args.getlist(name):
            value = raw.strip()
            if not value or value in values:
                continue
            if len(value) > MAX_FILTER_CHARS:
                raise BadRequest(f"筛选条件 {name} 的值过长（最多 {MAX_FILTER_CHARS} 个字）。")
            values.append(value)
        if len(values) > MAX_FILTER_VALUES:
            raise BadRequest(f"筛选条件 {name} 的取值过多（最多 {MAX_FILTER_VALUES} 个）。")
        if values:
            filters[name] = values
    return filters


def search_args_from(args, config: dict, paged: bool = False) -> SearchArgs:
    """Validated search arguments from a request's query string.

    paged=True (the search page) reads `page` with the default page size; otherwise (the
    API) reads `limit` and `offset`, or `page` (of `limit` hits) when there is no offset.
    """
    search = config["search"]
    mode = args.get("mode") or "exact"
    if mode not in MODES:
        raise BadRequest(f"检索方式 mode 只能是 exact（精确）或 fuzzy（模糊），收到的是“{mode[:20]}”。")
    sort = args.get("sort") or "relevance"
    if sort not in SORTS:
        raise BadRequest("排序 sort 只能是 " + "、".join(SORTS) + " 之一。")
    default_limit = int(search["default_limit"])
    view = args.get("view") or "paragraphs"
    if view not in VIEWS:
        raise BadRequest("显示方式 view 只能是 paragraphs（逐段）或 reports（每份报告一条）。")
    collapse = (args.get("collapse") or "0").strip()
    if collapse not in ("0", "1"):
        raise BadRequest("折叠相似段落 collapse 只能是 1（折叠）或 0（不折叠）。")
    if paged:
        limit = _int_arg(args, "size", PAGE_SIZES[0], 1, PAGE_SIZES[-1], "每页条数")
        if limit not in PAGE_SIZES:
            raise BadRequest("每页条数 size 只能是 " + "、".join(map(str, PAGE_SIZES)) + "。")
        page = _int_arg(args, "page", 1, 1, MAX_OFFSET // limit + 1, "页码")
        offset = (page - 1) * limit
    else:
        limit = _int_arg(args, "limit", default_limit, 1, int(search["max_limit"]), "每页条数")
        if args.get("offset") in (None, "") and args.get("page") not in (None, ""):
            page = _int_arg(args, "page", 1, 1, MAX_OFFSET // limit + 1, "页码")
            offset = (page - 1) * limit
        else:
            offset = _int_arg(args, "offset", 0, 0, MAX_OFFSET, "起始位置")
    return SearchArgs(query=query_from_args(args, config), filters=filters_from_args(args),
                      mode=mode, sort=sort, limit=limit, offset=offset,
                      within=within_from_args(args, config), view=view,
                      collapse=collapse == "1")


def check_report_id(report_id: str) -> bool:
    return bool(REPORT_ID.fullmatch(report_id))


def check_paragraph_id(pid: str) -> bool:
    return bool(PARAGRAPH_ID.fullmatch(pid))


def paragraph_ids_from(raw: str | None, max_ids: int) -> list[str]:
    """The comma-separated paragraph ids of an export request, in order, duplicates dropped."""
    ids: list[str] = []
    for part in (raw or "").split(","):
        pid = part.strip()
        if not pid or pid in ids:
            continue
        if not check_paragraph_id(pid):
            raise BadRequest(f"段落编号格式不正确：“{pid[:40]}”。")
        ids.append(pid)
    if not ids:
        raise BadRequest("请在 ids 参数中给出要导出的段落编号（以逗号分隔）。")
    if len(ids) > max_ids:
        raise BadRequest(f"一次最多导出 {max_ids} 段，收到 {len(ids)} 段。", 413)
    return ids
