"""The `reportsearch` command line: one CLI over the library, each command a plain function.

    reportsearch inspect [FILE...] [--json]   what the ingest pipeline extracts
    reportsearch index [PATH...] [--prune]    add / update / remove reports in the index
    reportsearch search QUERY [filters]       search the index
    reportsearch serve                        the web app (builds the index on first run)

The commands are click commands (click ships with Flask) over the plain functions
`run_inspect`, `run_index`, `run_search` and `run_serve`, which take a loaded config and
return the exit code; `main(argv)` runs the CLI and returns the exit code too.

All text a user sees is Chinese, click's own included: the help option, "Usage:",
"Options", and usage errors ("Missing argument", "No such option", ...) come from the
table `CLICK_ZH`, put in place of click's gettext calls while `main` runs.
"""
from __future__ import annotations

import contextlib
import html
import importlib
import json
import os
import re
import string
import sys
import unicodedata
from pathlib import Path

import click

from index.config import INDEX_DIR_ENV, ConfigError, load_config
from index.fields import FIELDS
from index.model import IngestError
from index.pipeline import collect_files, read_report
from index.read import display_path
from searcher.query import normalize_filters
from searcher.reports import REPORT_SORTS
from .params import SORTS as SEARCH_SORTS

# The filter options of `search`: one per coded field of the field registry.
FILTER_FLAGS = tuple(f.cli_flag[2:] for f in FIELDS
                     if f.coded or f.name in ("published", "cites"))
# What a user may type for each, as on the web pages (searcher.query.normalize_filter).
FILTER_EXAMPLES = {"year": "2023 或 2020-2023", "province": "浙江 或 浙江省",
                   "city": "温州 或 温州市", "level": "县 或 县级（省级 市级 县级 乡镇级）",
                   "section": "不足 或 存在的不足和原因", "issuer_type": "政府 或 部门",
                   "issuer": "发文机关名称的一部分，如 司法局",
                   "published": "2024-01-01..2024-03-31、2024-03 或 2024",
                   "cites": "行政复议法（《中华人民共和国行政复议法》也算）"}
DEFAULT_HITS = 20        # hits `search` shows without --limit / --all
NEXT_STEP_INDEX = "reportsearch index <报告文件夹>"


# ---------------------------------------------------------------- inspect

def inspect_files(paths, config, explain: bool = False) -> tuple[list[dict], bool]:
    """One JSON object per file: the extraction, or {"file", "error"}; and whether all succeeded.
    With `explain`, each carries "explain": per field the evidence that decided it."""
    results, ok = [], True
    for path in collect_files(paths, config):
        try:
            evidence: dict | None = {} if explain else None
            result = read_report(path, config, explain=evidence).to_json()
            result["file"] = display_path(path)
            if explain:
                result["explain"] = evidence
        except IngestError as exc:
            ok = False
            result = {"file": display_path(path), "error": str(exc)}
        results.append(result)
    return results, ok


def _print_inspection(result: dict, out) -> None:
    if "error" in result:
        print(f"{result['file']}: 错误: {result['error']}", file=out)
        return
    print(result["file"], file=out)
    for key in ("report_id", "title", "issuer", "issuer_type", "level", "province", "city",
                "year", "published", "dated", "source"):
        value = result[key]
        if key == "title" and result["title_derived"]:
            value = f"{value}（据发文机关和年度生成）"
        print(f"  {key:12} {value if value is not None else '—'}", file=out)
    sections: dict[str, int] = {}
    for p in result["paragraphs"]:
        sections[p["section"]] = sections.get(p["section"], 0) + 1
    print(f"  {'paragraphs':12} {len(result['paragraphs'])} "
          f"({', '.join(f'{k} {v}' for k, v in sections.items())})", file=out)


def _print_explanation(result: dict, out) -> None:
    """Per field: the value, the rules and text that decided it, and the runners-up."""
    for key, row in (result.get("explain") or {}).items():
        value = row["value"] if row["value"] is not None else "—"
        print(f"  {key:12} {value}", file=out)
        for c in row["evidence"]:
            said = f"：{c['evidence']}" if c["evidence"] else ""
            print(f"    ✓ {c['rule']}（{c['weight']:g}）{said}", file=out)
        for r in row["runners_up"]:
            print(f"    ✗ {r['value']}（{r['weight']:g}）", file=out)


def _paths_or_corpus(paths, config, command: str) -> list[str] | None:
    """The paths given, or the configured corpus; None (after saying why) when neither."""
    if paths:
        return [os.fsdecode(p) if isinstance(p, bytes) else p for p in paths]
    if config.get("corpus"):
        return list(config["corpus"])
    _error(f"没有给出报告文件或文件夹，配置中也没有 corpus（本安装不含随附的示例报告）："
           f"请运行 reportsearch {command} <报告文件夹>。")
    return None


def run_inspect(config: dict, files=(), as_json: bool = False, explain: bool = False) -> int:
    """`reportsearch inspect`: what the pipeline extracts from each file (default: corpus)."""
    files = _paths_or_corpus(files, config, "inspect")
    if files is None:
        return 2
    results, ok = inspect_files(files, config, explain=explain)
    if not results:
        _error(f"{'、'.join(map(display_path, files))} 中没有可读取的报告文件"
               f"（可读取：{' '.join(config['ingest']['extensions'])}）")
        return 1
    if as_json:
        json.dump(results if len(results) != 1 else results[0], sys.stdout,
                  ensure_ascii=False, indent=2)
        print()
    else:
        for result in results:
            _print_inspection(result, sys.stdout)
            if explain and "error" not in result:
                print("  依据（✓ 决定该值的规则与原文，✗ 落选的值及其票数）：")
                _print_explanation(result, sys.stdout)
    for result in results:
        if "error" in result and as_json:
            print(f"{result['file']}: {result['error']}", file=sys.stderr)
    return 0 if ok else 1


# ---------------------------------------------------------------- index

def _progress_bar(stream):
    """A one-line progress bar on a terminal, nothing otherwise."""
    if not stream.isatty():
        return None

    def show(done: int, total: int) -> None:
        width = 30
        filled = width * done // max(total, 1)
        stream.write(f"\r索引 [{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
        if done >= total:
            stream.write("\n")
        stream.flush()
    return show


def run_index(config: dict, paths=(), prune: bool = False, rebuild: bool = False) -> int:
    """`reportsearch index`: bring the index up to date with `paths` (default: corpus)."""
    from index.store import StoreError
    from index.writer import update_index

    paths = _paths_or_corpus(paths, config, "index")
    if paths is None:
        return 2
    if not any(os.path.lexists(p) for p in paths):
        # Nothing to read: leave the index (or its absence) as it is.
        _error(f"找不到 {'、'.join(map(display_path, paths))}：请给出报告所在的文件或文件夹，"
               f"如 {NEXT_STEP_INDEX}。")
        return 2
    try:
        summary = update_index(paths, config["index_dir"], config, prune=prune,
                               progress=_progress_bar(sys.stderr), rebuild=rebuild)
    except StoreError as exc:
        _error(str(exc))
        return 2
    print(f"新增 {summary.added}，更新 {summary.updated}，未变 {summary.unchanged}，"
          f"移除 {summary.removed}，失败 {len(summary.failed)}（索引 {config['index_dir']}）")
    for file, error in summary.failed:
        print(f"{display_path(file)}: 错误: {error}", file=sys.stderr)
    return 1 if summary.failed else 0


# ---------------------------------------------------------------- search

_MARK = re.compile(r"<mark>(.*?)</mark>", re.S)


def _terminal_text(fragment: str, colour: bool) -> str:
    """A highlight/snippet fragment (escaped HTML with <mark>) as terminal text."""
    on, off = ("\x1b[1;31m", "\x1b[0m") if colour else ("【", "】")
    return html.unescape(_MARK.sub(lambda m: on + m.group(1) + off, fragment))


def search_index(config: dict, query: str, filters: dict | None = None, mode: str = "exact",
                 sort: str = "relevance", limit: int | None = DEFAULT_HITS,
                 offset: int = 0) -> dict:
    """The search result (the JSON of `search --json`) for `query` over config["index_dir"];
    raises QueryError or StoreError."""
    return _search(config, query, filters, mode, sort, limit, offset)[1]


def _search(config, query, filters, mode, sort, limit, offset, group="paragraphs",
            collapse=False):
    from searcher import open_searcher

    searcher = open_searcher(config["index_dir"], config)
    return searcher, searcher.search(query, filters=filters or {}, mode=mode, sort=sort,
                                     limit=limit, offset=offset, group=group,
                                     collapse=collapse)


def _store_message(exc, config: dict) -> str:
    from searcher.engine import IndexNotFound

    if isinstance(exc, IndexNotFound):
        return (f"索引尚未建立（{config['index_dir']} 下不存在索引）：请先运行 "
                f"{NEXT_STEP_INDEX}（不给文件夹则索引随附的示例报告），"
                f"或运行 reportsearch serve，首次启动时会建立索引。")
    return str(exc)


def _zero_hits_hint(result: dict, filters: dict) -> str | None:
    """Which filter emptied the result: the counts without it (facets ignore their own filter)."""
    from index.fields import LABELS

    for field, values in filters.items():
        counts = {v: n for v, n in result["facets"].get(field, {}).items() if n}
        if counts:
            shown = "、".join(f"{v} {n} 段" for v, n in
                             sorted(counts.items(), key=lambda kv: -kv[1])[:8])
            return (f"{LABELS.get(field, field)}为 {'、'.join(values)} 的报告中没有匹配的段落；"
                    f"不限{LABELS.get(field, field)}时有：{shown}。")
    return None


def run_search_export(config: dict, query: str, filters: dict | None = None,
                      mode: str = "exact", sort: str = "relevance", within=(),
                      xlsx_file: str | None = None) -> int:
    """`reportsearch search --csv | --xlsx FILE`: every hit (up to EXPORT_HITS_CAP) as the
    page's results export: CSV on stdout, or an .xlsx file; a capped export says so."""
    from searcher import QueryError, StoreError
    from searcher.query import narrowed_query
    from searcher.tables import EXPORT_HITS_CAP, RESULT_COLUMNS, csv_text, result_rows, xlsx_bytes

    try:
        _, result = _search(config, narrowed_query(query, within), filters, mode, sort,
                            EXPORT_HITS_CAP, 0, "paragraphs")
    except QueryError as exc:
        _error(str(exc))
        return 2
    except StoreError as exc:
        _error(_store_message(exc, config))
        return 2
    base = str((config.get("web") or {}).get("base_url") or "")
    rows = result_rows(result["hits"], base)
    if xlsx_file:
        try:
            Path(xlsx_file).write_bytes(xlsx_bytes(list(RESULT_COLUMNS), rows, "检索结果"))
        except OSError as exc:
            _error(f"无法写入 {xlsx_file}：{exc.strerror or exc}")
            return 1
        print(f"已写入 {xlsx_file}：{len(rows)} 段（共 {result['total']} 段）。", file=sys.stderr)
    else:
        sys.stdout.write(csv_text(list(RESULT_COLUMNS), rows))
    if result["total"] > len(rows):
        print(f"结果共 {result['total']} 段，只导出了前 {len(rows)} 段（上限 {EXPORT_HITS_CAP}）："
              f"请加筛选条件缩小范围。", file=sys.stderr)
    return 0


def run_search(config: dict, query: str, filters: dict | None = None, mode: str = "exact",
               sort: str = "relevance", limit: int | None = None, offset: int = 0,
               show_all: bool = False, as_json: bool = False, within=(),
               by_report: bool = False, collapse: bool = False) -> int:
    """`reportsearch search`: print the hits (DEFAULT_HITS of them unless `limit` or
    `show_all`; --json prints all unless `limit`), and how many more there are. `within`:
    结果中检索 steps; `by_report`: each report once (limit/offset then count reports);
    `collapse`: near-duplicate paragraphs folded into one (limit/offset count those)."""
    from index.fields import LABELS
    from searcher import QueryError, StoreError
    from searcher.query import narrowed_query

    query = narrowed_query(query, within)
    group = "reports" if by_report else "paragraphs"

    if limit is None and not show_all and not as_json:
        limit = DEFAULT_HITS
    try:
        canonical = normalize_filters(filters or {})
        # The typed values go to the search, which normalizes them the same way again.
        searcher, result = _search(config, query, filters, mode, sort,
                                   None if show_all else limit, offset, group,
                                   collapse and not by_report)
    except QueryError as exc:
        _error(str(exc))
        return 2
    except StoreError as exc:
        _error(_store_message(exc, config))
        return 2
    if not searcher.searchable.any():
        _error(f"索引 {config['index_dir']} 中还没有报告：请运行 {NEXT_STEP_INDEX}。")
    if as_json:
        json.dump(result, sys.stdout, ensure_ascii=False, indent=2)
        print()
        return 0
    colour = sys.stdout.isatty()
    hits, total = result["hits"], result["total"]
    head = f"共 {total} 段"
    if "distinct" in result:
        head += f"（不同段落 {result['distinct']} 段）"
    if result.get("reports"):
        head += f"，涉及 {result['reports']} 份报告"
    if canonical:
        head += "（" + "；".join(f"{LABELS.get(k, k)} {'、'.join(v)}"
                                for k, v in canonical.items()) + "）"
    unit = "份报告" if by_report else "段"
    shown_of = result["reports"] if by_report else result.get("distinct", total)
    if hits and (offset or len(hits) < shown_of):
        head += f"，显示第 {offset + 1}–{offset + len(hits)} {unit}"
    print(head)
    counts = [g["count"] for g in result.get("groups", [])]
    for n, hit in enumerate(hits, start=offset + 1):
        path = " > ".join(hit["section_path"]) or hit["section"]
        many = f"（本报告 {counts[n - offset - 1]} 段）" if by_report else ""
        print(f"\n{n}. {hit['title'] or hit['issuer'] or hit['report_id']}（{hit['year'] or '年度不详'}）{many}"
              f"\n   {path}\n   {_terminal_text(hit['snippet'], colour)}\n   [{hit['id']}]")
        folded = hit.get("folded")
        if folded:
            where = f"及另 {folded['reports']} 份报告的相似段落" if folded["reports"] \
                else "及本报告的相似段落"
            print(f"   {where}（另有 {folded['paragraphs']} 段相似，已折叠；"
                  f"reportsearch similar {hit['id']} 列出全部）")
    rest = shown_of - offset - len(hits)
    if by_report and rest > 0:
        print(f"\n还有 {rest} 份报告未显示：加 --all 显示全部，或用 --offset {offset + len(hits)} 看后面的。")
        return 0
    if rest > 0:
        print(f"\n还有 {rest} 段未显示：加 --all 显示全部，或用 --offset {offset + len(hits)} "
              f"看后面的（--limit N 改每次显示的段数）。")
    elif not hits and total:
        print(f"（--offset {offset} 之后没有了：共 {total} 段。）")
    elif not total and canonical:
        hint = _zero_hits_hint(result, canonical)
        if hint:
            print(hint)
    if not total and result.get("suggestions"):
        print("可以试试：")
        for sg in result["suggestions"]:
            flags = "".join(f" --{k.replace('_', '-')} {v}" for k, vals in sg["filters"].items()
                            for v in (vals if isinstance(vals, (list, tuple)) else [vals]))
            mode_flag = " --mode fuzzy" if sg["mode"] == "fuzzy" else ""
            print(f"  {sg['label']}：{sg['total']} 段  reportsearch search {sg['query']}"
                  f"{mode_flag}{flags}")
    return 0


# ---------------------------------------------------------------- checks, coverage

def _open(config: dict):
    """The searcher over config["index_dir"], or None after saying what to run."""
    from searcher import StoreError, open_searcher

    try:
        return open_searcher(config["index_dir"], config)
    except StoreError as exc:
        _error(_store_message(exc, config))
        return None


def run_checks(config: dict, filters: dict | None = None, as_json: bool = False,
               as_csv: bool = False) -> int:
    """`reportsearch checks`: each report's parts, timeliness and figures (searcher.checks)."""
    from searcher import QueryError
    from searcher import checks as ck

    searcher = _open(config)
    if searcher is None:
        return 2
    try:
        rows = ck.checks(searcher, config, filters or {})
    except QueryError as exc:
        _error(str(exc))
        return 2
    if as_json:
        json.dump(rows, sys.stdout, ensure_ascii=False, indent=2)
        print()
        return 0
    if as_csv:
        sys.stdout.write(ck.to_csv(rows))
        return 0
    print(f"共 {len(rows)} 份报告")
    for r in rows:
        on_time = {True: "按时", False: "逾期", None: "发布日期未知"}[r["on_time"]]
        print(f"\n{r['title'] or r['report_id']}（{r['year'] or '年度不详'}）[{r['report_id']}]"
              f"\n  发布 {r['published'] or '未知'}，截止 {r['deadline'] or '—'}：{on_time}"
              f"\n  缺少：{'、'.join(r['sections_missing']) or '无'}"
              f"\n  字数 {r['length']}，具体数字 {r['figures']}"
              + (f"\n  提示：{'；'.join(r['flags'])}" if r["flags"] else ""))
    return 0


def run_reports(config: dict, filters: dict | None = None, sort: str = "year_desc",
                as_json: bool = False, as_csv: bool = False) -> int:
    """`reportsearch reports`: the reports list of the /reports page (searcher.reports), each
    report with its originality: how many of its paragraphs appeared earlier in another
    issuer's report, and how many repeat the issuer's previous-year report."""
    from searcher import QueryError
    from searcher.reports import TABLE_COLUMNS, report_rows, table_rows
    from searcher.tables import csv_text

    searcher = _open(config)
    if searcher is None:
        return 2
    try:
        rows = report_rows(searcher, normalize_filters(filters or {}), sort, originality=True)
    except QueryError as exc:
        _error(str(exc))
        return 2
    if as_json:
        json.dump([{k: v for k, v in r.items() if k != "path"} for r in rows], sys.stdout,
                  ensure_ascii=False, indent=2)
        print()
        return 0
    if as_csv:
        sys.stdout.write(csv_text([name for name, _ in TABLE_COLUMNS], table_rows(rows)))
        return 0
    print(f"共 {len(rows)} 份报告（先见于他处：比对的段落中已先见于其他发文机关更早报告的比例；"
          "沿用上年：与本机关上一年报告相似的比例）")
    for r in rows:
        o = r.get("originality") or {}
        earlier = o.get("earlier_elsewhere_share")
        repeated = o.get("from_previous_year_share")
        print(f"\n{r.get('title') or r['report_id']}（{r.get('year') or '年度不详'}）[{r['report_id']}]"
              f"\n  {r.get('issuer') or '发文机关不详'} · {r.get('level') or '层级不详'} · "
              f"{r.get('province') or '省份不详'}{' ' + r['city'] if r.get('city') else ''}"
              f" · 发布 {r.get('published') or '未知'} · {r.get('paragraph_count')} 段"
              f"\n  先见于他处 " + (f"{earlier:.0%}（{o['earlier_elsewhere']}/{o['compared']} 段）"
                                  if earlier is not None else "—")
              + "，沿用上年 " + (f"{repeated:.0%}（{o['from_previous_year']} 段，上一年 "
                                f"{o['previous_report_id']}）" if repeated is not None else "—"))
    return 0


def run_coverage(config: dict, province: str, year: str, level: str = "县级",
                 as_json: bool = False) -> int:
    """`reportsearch coverage`: which governments of a province and level have a report."""
    from searcher import QueryError
    from searcher.coverage import coverage
    from searcher.query import normalize_filter

    try:
        provinces = normalize_filter("province", province)
        years = normalize_filter("year", str(year))
        levels = normalize_filter("level", level)
    except QueryError as exc:
        _error(str(exc))
        return 2
    if len(years) != 1:
        _error(f"--year 只能给一个年度，收到的是 {year}。")
        return 2
    if levels[0] == "省级":
        _error("--level 应为 市级、县级 或 乡镇级。")
        return 2
    searcher = _open(config)
    if searcher is None:
        return 2
    result = coverage(searcher.reports(), provinces[0], int(years[0]), levels[0])
    if as_json:
        json.dump(result, sys.stdout, ensure_ascii=False, indent=2)
        print()
        return 0
    g = result["gazetteer"]
    print(f"{result['province']} {result['year']} 年 {result['level']}：有报告 "
          f"{result['present']} / {result['total']} 个（名单来自 {g['name']}，"
          f"jionlp {g['version'] or '版本不详'}）")
    for c in result["cities"]:
        print(f"  {c['city']}：{c['present']} / {c['total']}")
    for p in result["places"]:
        mark = "、".join(r["report_id"] for r in p["reports"]) if p["present"] else "无"
        print(f"{p['city'] or '—'}\t{p['name']}\t{mark}")
    return 0


# ---------------------------------------------------------------- fetch (issue 16)

def run_fetch(config: dict, urls=(), from_file: str | None = None, column: str | None = None,
              pages: int | None = None, match: str | None = None, folder: str | None = None,
              as_json: bool = False) -> int:
    """`reportsearch fetch`: report pages, a file of URLs, or a column, saved into the fetch
    folder (index.fetch); 0 when everything was fetched, 1 when something failed."""
    from index.fetch import (Client, FetchError, fetch_column, fetch_folder, fetch_reports,
                             summary_lines, urls_from_file)

    urls = list(urls)
    if from_file:
        try:
            urls += urls_from_file(from_file)
        except OSError as exc:
            _error(f"无法读取网址列表 {from_file}：{exc.strerror or exc}")
            return 2
    if not urls and not column:
        _error("没有要抓取的网址：请给出报告网页的网址、--from-file 网址列表文件，"
               "或 --column 栏目列表页的网址。")
        return 2
    if match:
        try:
            re.compile(match)
        except re.error as exc:
            _error(f"--match 不是有效的正则表达式：{exc}")
            return 2
    target = os.path.abspath(os.path.expanduser(folder)) if folder else str(fetch_folder(config))
    bar = None

    def progress(done: int, total: int, url: str) -> None:
        nonlocal bar
        if bar is None and sys.stderr.isatty() and total > 1:
            bar = click.progressbar(length=total, label="抓取", file=sys.stderr,
                                    show_pos=True).__enter__()
        if bar is not None:
            bar.update(1)
            if done >= total:
                bar.__exit__(None, None, None)

    summaries = []
    try:
        client = Client(config["fetch"])    # one client: one interval per host for both
        try:
            if column:
                summaries.append(fetch_column(column, target, config, pages=pages,
                                              pattern=match, progress=progress, client=client))
                bar = None
            if urls:
                summaries.append(fetch_reports(urls, target, config, progress=progress,
                                               client=client))
        finally:
            client.close()
    except FetchError as exc:
        _error(str(exc))
        return 2
    except OSError as exc:
        _error(f"无法写入 {target}：{exc.strerror or exc}")
        return 2
    if as_json:
        json.dump([s.to_json() for s in summaries], sys.stdout, ensure_ascii=False, indent=2)
        print()
    else:
        for summary in summaries:
            print("\n".join(summary_lines(summary)))
        if any(s.saved_files for s in summaries):
            print(f"下一步：reportsearch index {target}")
    return 1 if any(s.failed for s in summaries) else 0


# ---------------------------------------------------------------- serve

def run_compare(config: dict, a: str, b: str, as_json: bool = False) -> int:
    """`reportsearch compare A B`: report A (earlier) against report B, section by section."""
    from index.read import shown_file_name
    from searcher.compare import ADDED, CHANGED, REMOVED, compare_reports

    searcher = _open(config)
    if searcher is None:
        return 2
    reports = []
    for rid in (a, b):
        report = searcher.report(rid)
        if report is None:
            _error(f"索引中没有编号为 {rid} 的报告。")
            return 2
        reports.append(report)
    result = compare_reports(*reports)
    for rec in (result.a, result.b):
        if "file" in rec:
            rec["file"] = shown_file_name(rec["file"])
    if as_json:
        json.dump(result.to_json(), sys.stdout, ensure_ascii=False, indent=2)
        print()
        return 0
    def name(r):
        return f"{r.get('year') or ''} {r.get('issuer_full') or r.get('issuer') or r.get('title') or r['report_id']}"
    total = result.summary()
    print(f"{name(result.a)} → {name(result.b)}：" + "，".join(f"{k} {v} 段" for k, v in total.items()))
    marks = {"=": "{}", "-": "[-{}-]", "+": "{{+{}+}}"}
    for sec in result.sections:
        print(f"\n【{sec.section}】" + "，".join(f"{k} {v}" for k, v in sec.summary().items()))
        for p in sec.pairs:
            if p.status == CHANGED:
                print(f"  修改（相似度 {p.similarity:.0%}）：" + "".join(marks[op].format(t) for op, t in p.diff))
            elif p.status == ADDED:
                print(f"  新增：{p.b['text']}")
            elif p.status == REMOVED:
                print(f"  删除：{p.a['text']}")
    return 0


def run_similar(config: dict, paragraph_id: str, as_json: bool = False) -> int:
    """`reportsearch similar ID`: the paragraphs of other reports that are near-duplicates of
    this one, earliest first, and its 最早出处."""
    from searcher.similar import similar

    searcher = _open(config)
    if searcher is None:
        return 2
    result = similar(searcher, paragraph_id)
    if result is None:
        _error(f"索引中没有编号为 {paragraph_id} 的段落。")
        return 2
    if as_json:
        json.dump(result, sys.stdout, ensure_ascii=False, indent=2)
        print()
        return 0
    if not result["compared"]:
        print(f"{paragraph_id}：标题、落款或短句，不参与相似段落比对。")
        return 0
    if not result["similar"]:
        print(f"{paragraph_id}：未发现相似段落。")
        return 0
    earliest = next((r for r in result["similar"] if r["id"] == result["earliest"]), None)
    where = (f"{earliest['year'] or ''} {earliest['issuer'] or earliest['report_id']}"
             f"（{earliest['id']}）" if earliest else "本段")
    print(f"{paragraph_id}：相似段落见于 {result['reports']} 份报告，最早出处：{where}")
    for r in result["similar"]:
        print(f"  {r['similarity']:.0%}  {r['year'] or '年度不详'}  "
              f"{r['issuer'] or r['report_id']}  {r['id']}")
    return 0


def run_indicators(config: dict, name: str | None = None, filters: dict | None = None,
                   qualifier=(), measure: str = "level", target: str = "include",
                   value_min: float | None = None, value_max: float | None = None,
                   sort: str = "value_desc", limit: int | None = None,
                   as_json: bool = False, as_csv: bool = False) -> int:
    """`reportsearch indicators [NAME]`: the statements of one indicator (all indicators
    without NAME) passing the filters; without NAME and without --json/--csv, the catalogue
    with how many reports state each. --json: one JSON array of statements; --csv: a table."""
    from searcher import QueryError
    from searcher import indicators as ind
    from searcher.tables import csv_text

    searcher = _open(config)
    if searcher is None:
        return 2
    try:
        filters = normalize_filters(filters or {})
        if name is None and not (as_json or as_csv):
            data = ind.catalogue_counts(searcher, filters)
            print(f"{data['reports']} 份报告写明了 {data['statements']} 个指标数值（不含目标值）")
            for e in data["catalogue"]:
                print(f"  {e['name']:<16}\t{e['reports']:>5} 份报告\t{e['statements']:>6} 条")
            if data["uncatalogued"]:
                print("目录以外的比率：")
                for e in data["uncatalogued"][:30]:
                    print(f"  {e['label']:<16}\t{e['reports']:>5} 份报告\t{e['statements']:>6} 条")
                if len(data["uncatalogued"]) > 30:
                    print(f"  ……共 {len(data['uncatalogued'])} 个（--json 列出全部数值）")
            return 0
        canonical = None
        if name is not None:
            canonical = ind.resolve_name(searcher, name)
            if canonical is None:
                near = ind.suggestions(searcher, name)
                _error(f"没有名为“{name}”的指标。" + (f"是不是要找：{'、'.join(near)}？" if near
                                                    else "运行 reportsearch indicators 查看目录。"))
                return 2
        sel = ind.query(searcher, canonical, filters, qualifier=qualifier, measure=measure,
                        target=target, value_min=value_min, value_max=value_max, sort=sort)
    except QueryError as exc:
        _error(str(exc))
        return 2
    rows = sel.rows if limit is None else sel.rows[:limit]
    records = ind.records(searcher, rows)
    if as_json:
        json.dump(records, sys.stdout, ensure_ascii=False, indent=2)
        print()
        return 0
    if as_csv:
        sys.stdout.write(csv_text(list(ind.TABLE_COLUMNS), ind.table_rows(records)))
        return 0
    print(f"{sel.label or canonical}：共 {len(sel.rows)} 条{ind.MEASURE_LABELS[measure]}数值"
          + (f"，显示前 {len(records)} 条" if len(records) < len(sel.rows) else ""))
    for r in records:
        flags = ("（变化）" if r["change"] else "") + ("（目标）" if r["target"] else "")
        qual = f" [{r['qualifier']}]" if r["qualifier"] else ""
        print(f"{r['year'] or '年度不详'}  {r['issuer'] or r['report_id']}{qual}  "
              f"{r['value']}{r['unit']}{flags}\n    {r['sentence']}\n    [{r['paragraph_id']}]")
    if len(records) < len(sel.rows):
        print(f"\n还有 {len(sel.rows) - len(records)} 条未显示：加 --all 显示全部，或用 --json / --csv 导出。")
    return 0


def run_serve(config: dict, host: str | None = None, port: int | None = None,
              workers: int | None = None) -> int:
    """`reportsearch serve`: the web app; builds the index from the corpus when there is none."""
    from web.serve import serve

    if host:    # the 添加报告 page is on or off by the address served on (web/upload.py)
        config = {**config, "web": {**(config.get("web") or {}), "host": host}}
    return serve(config, host=host, port=port, workers=workers)


# ---------------------------------------------------------------- click, in Chinese

def _error(message: str) -> None:
    print(f"reportsearch: {message}", file=sys.stderr)


# click's messages (its gettext msgids) -> Chinese. Placeholders keep click's names; a test
# checks that every msgid is still one click uses and that no placeholder is new.
CLICK_ZH = {
    "Usage:": "用法：",
    "Options": "选项",
    "Commands": "命令",
    "Show this message and exit.": "显示本帮助并退出。",
    "Show the version and exit.": "显示版本并退出。",
    "Error: {message}": "错误：{message}",
    "Try '{command} {option}' for help.": "运行 {command} {option} 查看帮助。",
    "Missing argument": "缺少参数",
    "Missing option": "缺少选项",
    "Missing parameter": "缺少参数",
    "Missing {param_type}": "缺少{param_type}",
    "Missing parameter: {param_name}": "缺少参数：{param_name}",
    "Missing command.": "缺少命令。",
    "No such option {name!r}.": "没有选项 {name}。",
    "No such command {name!r}.": "没有命令 {name}。",
    "Did you mean {possibility}?": "是不是要用 {possibility}？",
    "(Did you mean one of: {possibilities}?)": "（是不是要用其中之一：{possibilities}？）",
    "Got unexpected extra argument ({args})": "多出了参数：{args}。",
    "Got unexpected extra arguments ({args})": "多出了参数：{args}。",
    "Option {name!r} requires an argument.": "选项 {name} 后面要跟一个取值。",
    "Option {name!r} requires {nargs} arguments.": "选项 {name} 后面要跟 {nargs} 个取值。",
    "Option {name!r} does not take a value.": "选项 {name} 不带取值。",
    "Argument {name!r} takes {nargs} values.": "参数 {name} 要 {nargs} 个取值。",
    "Invalid value for {param_hint}: {message}": "{param_hint} 的取值无效：{message}",
    "Invalid value: {message}": "取值无效：{message}",
    "{value!r} is not one of {choices}.": "“{value}”不在可选的取值中，可选：{choices}。",
    "{value!r} is not {choice}.": "“{value}”不是可选的取值，应为 {choice}。",
    "Choose from:\n\t{choices}": "可选：\n\t{choices}",
    "{value!r} is not a valid {number_type}.": "“{value}”不是有效的数（{number_type}）。",
    "{value} is not in the range {range}.": "{value} 不在范围 {range} 内。",
    "Value must be an iterable.": "取值应为多个值。",
    "Aborted!": "已中止。",
    "default: {default}": "默认：{default}",
    "env var: {var}": "环境变量：{var}",
    "(dynamic)": "（动态）",
    "deprecated": "已弃用",
    "unknown error": "未知错误",
}
_CLICK_MODULES = ("click.core", "click.exceptions", "click.parser", "click.formatting",
                  "click.types", "click.decorators")


def _zh(message: str) -> str:
    return CLICK_ZH.get(message, message)


def _zh_n(singular: str, plural: str, n: int) -> str:
    return _zh(singular if n == 1 else plural)


@contextlib.contextmanager
def chinese_click():
    """click's gettext calls answered from CLICK_ZH while the block runs."""
    saved = []
    for name in _CLICK_MODULES:
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        for attr, repl in (("_", _zh), ("ngettext", _zh_n)):
            if callable(getattr(module, attr, None)):
                saved.append((module, attr, getattr(module, attr)))
                setattr(module, attr, repl)
    try:
        yield
    finally:
        for module, attr, original in reversed(saved):
            setattr(module, attr, original)


def click_placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def display_width(text: str) -> int:
    """Terminal columns of `text`: CJK (wide) characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


_NO_LINE_START = set("，。、；：？！）》」』】”’,.;:?!)%")


def wrap_wide(text: str, width: int) -> list[str]:
    """Lines of at most `width` columns (a longer ASCII word stays whole): breaks at spaces
    and between CJK characters, never before closing punctuation."""
    out, line = [], ""
    for token in re.findall(r"\s+|[!-~]+|.", text):
        if token.isspace():
            if line and not line.endswith(" "):
                line += " "
            continue
        if line.strip() and display_width(line.rstrip() + token) > width \
                and token[0] not in _NO_LINE_START:
            out.append(line.rstrip())
            line = token
        else:
            line += token
    if line.strip():
        out.append(line.rstrip())
    return out


class Formatter(click.HelpFormatter):
    """click's help layout with Chinese headings and wrapping by display width (click counts
    a CJK character as one column and wraps only at spaces)."""

    def write_usage(self, prog, args="", prefix=None) -> None:
        super().write_usage(prog, args, "用法：" if prefix is None else prefix)

    def write_heading(self, heading) -> None:
        self.write(f"{'':>{self.current_indent}}{heading}：\n")

    def write_text(self, text) -> None:
        indent = " " * self.current_indent
        paragraphs = [p for p in re.split(r"\n\s*\n", text) if p.strip()]
        for i, para in enumerate(paragraphs):
            if i:
                self.write("\n")
            if para.lstrip(" ").startswith("\b"):
                lines = para.lstrip(" ")[1:].strip("\n").splitlines()
            else:
                lines = wrap_wide(" ".join(para.split()), max(self.width - len(indent), 20))
            for line in lines:
                self.write(f"{indent}{line}\n")

    def write_dl(self, rows, col_max: int = 30, col_spacing: int = 2) -> None:
        rows = list(rows)
        first_col = min(max((display_width(r[0]) for r in rows), default=0), col_max) \
            + col_spacing
        hang = " " * (first_col + self.current_indent)
        for first, second in rows:
            self.write(f"{'':>{self.current_indent}}{first}")
            if not second:
                self.write("\n")
                continue
            if display_width(first) <= first_col - col_spacing:
                self.write(" " * (first_col - display_width(first)))
            else:
                self.write("\n" + hang)
            lines = wrap_wide(second, max(self.width - first_col - self.current_indent, 10))
            self.write(f"{lines[0] if lines else ''}\n")
            for line in lines[1:]:
                self.write(f"{hang}{line}\n")


class Context(click.Context):
    formatter_class = Formatter


class _WithContext:
    """Usage errors carry the command's context (click's parser raises some without it), so
    that every one is shown with the usage line and the help hint."""

    context_class = Context

    def parse_args(self, ctx, args):
        try:
            return super().parse_args(ctx, args)
        except click.UsageError as exc:
            if exc.ctx is None:
                exc.ctx, exc.cmd = ctx, ctx.command
            raise


class Command(_WithContext, click.Command):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("options_metavar", "[选项]")
        super().__init__(*args, **kwargs)


class QueryCommand(Command):
    """`search`: a word starting with a dash and then anything but an ASCII letter or a dash
    (-出庭, -2019) is a query word that excludes, never an option (our options are ASCII
    words); -foo needs `--` before it, as for any command."""

    MARK = "\x00"      # cannot occur in a real argv

    def parse_args(self, ctx, args):
        takes_value = {opt for p in self.get_params(ctx)
                       if isinstance(p, click.Option) and not p.is_flag and not p.count
                       for opt in (*p.opts, *p.secondary_opts)}
        out, value_next = [], False
        for i, arg in enumerate(args):
            if value_next:
                value_next = False
            elif arg == "--":
                out.extend(args[i:])
                break
            elif arg in takes_value:
                value_next = True
            elif len(arg) > 1 and arg[0] == "-" and \
                    not (arg[1].isascii() and (arg[1].isalpha() or arg[1] == "-")):
                arg = self.MARK + arg
            out.append(arg)
        return super().parse_args(ctx, out)

    @classmethod
    def words(cls, query) -> list[str]:
        return [w[len(cls.MARK):] if w.startswith(cls.MARK) else w for w in query]


class Group(_WithContext, click.Group):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("options_metavar", "[选项]")
        kwargs.setdefault("subcommand_metavar", "命令 [参数]...")
        super().__init__(*args, **kwargs)

    def format_epilog(self, ctx, formatter) -> None:
        """Where the sample reports and the index are, as this installation resolves them."""
        try:
            config = load_config()
        except ConfigError:
            return
        rows = [("示例报告", "、".join(config["corpus"]) or "（本安装不含）"),
                ("索引", f"{config['index_dir']}（--index-dir 或环境变量 {INDEX_DIR_ENV} 可改）")]
        with formatter.section("默认位置"):
            formatter.write_dl(rows)


class Count(click.ParamType):
    """A whole number ≥ 0 (and ≤ `high`), with the message in Chinese."""

    name = "非负整数"

    def __init__(self, high: int | None = None):
        self.high = high

    def convert(self, value, param, ctx):
        if isinstance(value, int):
            number = value
        else:
            text = str(value).strip()
            if not (text.isascii() and text.isdigit()):
                self.fail(f"应为非负整数，收到的是“{value}”", param, ctx)
            number = int(text)
        if number < 0 or (self.high is not None and number > self.high):
            self.fail(f"应在 0 到 {self.high} 之间，收到的是 {number}" if self.high is not None
                      else f"应为非负整数，收到的是 {number}", param, ctx)
        return number


CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def _common(function):
    """--config and --index-dir, taken by every command."""
    function = click.option("--index-dir", metavar="文件夹",
                            help=f"索引文件夹（默认依次取环境变量 {INDEX_DIR_ENV}、配置中的 "
                                 "index_dir、每个用户自己的数据文件夹）")(function)
    function = click.option("--config", "config_file", metavar="文件",
                            help="YAML 配置文件，只写要改的设置；其中的相对路径相对于该文件"
                                 "所在的文件夹")(function)
    return function


def _call(run, config_file, index_dir, **kwargs) -> int:
    """Load the configuration and run a plain command function; its exit code."""
    try:
        config = load_config(config_file)
    except ConfigError as exc:
        _error(str(exc))
        return 2
    if index_dir:
        config["index_dir"] = os.path.abspath(os.path.expanduser(index_dir))
    try:
        return run(config, **kwargs)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # the reader (`| head`) went away: not an error of ours (recipe from Python's docs)
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


@click.group(cls=Group, context_settings=CONTEXT, help=(
    "法治政府建设年度报告检索：找出含有检索词的每一个段落，按年度、省份、层级和报告部分筛选。"
    "\n\n不加任何配置时，reportsearch 使用随附的示例报告，索引放在每个用户自己的数据文件夹，"
    "与在哪个文件夹运行无关。各命令的用法：reportsearch 命令 --help。"))
def cli():
    pass


@cli.command("inspect", cls=Command, short_help="显示从报告文件中提取的内容", help=(
    "显示处理流程从每个报告文件中提取的内容：标题、发文机关、层级、省份、城市、年度、日期、"
    "来源，以及各部分的段落数。\n\n文件… 可以是文件或文件夹（.txt .html .htm .docx .pdf）；"
    "不给时读取配置中的语料（默认为随附的示例报告）。"))
@click.argument("files", nargs=-1, metavar="[文件]...")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON（供程序读取）")
@click.option("--explain", is_flag=True,
              help="逐项列出决定每个字段的规则、原文依据和落选的候选值")
@_common
def inspect_command(files, as_json, explain, config_file, index_dir):
    return _call(run_inspect, config_file, index_dir, files=files, as_json=as_json,
                 explain=explain)


@cli.command("index", cls=Command, short_help="把报告加入索引（新增、更新、移除）", help=(
    "把报告加入索引：新的加入，改动过的重新索引，未变的跳过。\n\n路径… 可以是文件或文件夹；"
    "不给时索引配置中的语料（默认为随附的示例报告）。"))
@click.argument("paths", nargs=-1, metavar="[路径]...")
@click.option("--prune", is_flag=True, help="移除文件已不存在的报告")
@click.option("--rebuild", is_flag=True,
              help="在旧索引旁边从 路径… 建立新索引，建成后替换旧的（索引格式过旧时用）")
@_common
def index_command(paths, prune, rebuild, config_file, index_dir):
    return _call(run_index, config_file, index_dir, paths=paths, prune=prune, rebuild=rebuild)


def _filter_options(function):
    from index.fields import BY_NAME
    for flag in reversed(FILTER_FLAGS):
        field = BY_NAME[flag.replace("-", "_")]
        function = click.option(
            f"--{flag}", field.name, multiple=True, metavar=field.label,
            help=f"{field.label}，如 {FILTER_EXAMPLES.get(field.name, '')}（写法同网页；"
                 f"可重复，满足其一即可）")(function)
    return function


@cli.command("search", cls=QueryCommand, short_help="检索索引", help=(
    f"检索索引，列出含有检索词的段落，默认显示前 {DEFAULT_HITS} 段，并说明还有多少段。"
    "\n\n\b\n查询语法：\n"
    "  出庭应诉率 败诉率      两个词都要出现\n"
    "  \"行政 复议\"            短语\n"
    "  复议 OR 诉讼           任一个\n"
    "  执法 -处罚             有前者、没有后者（也可写 执法 NOT 处罚）\n"
    "  (复议 OR 诉讼) 败诉率  分组\n"
    "  year:2023 province:浙江 level:县级 section:不足  字段筛选\n"
    "  出庭应诉率 /s 100%     同一句中（/p 同一段；出庭 NEAR/5 应诉 相距不超过 5 个字）\n"
    "  ~出庭应诉率            连同义词一起查（同义词见配置 search.synonyms）\n"
    "\n以 - 开头的检索词（如 -出庭）直接写；以 - 加英文字母开头的，写在 -- 之后："
    "reportsearch search 法治 -- -foo。"))
@click.argument("query", nargs=-1, required=True, metavar="检索词...")
@_filter_options
@click.option("--mode", type=click.Choice(("exact", "fuzzy")), default="exact",
              help="exact：精确（默认）；fuzzy：模糊，按结巴分词后要求每个词都出现")
@click.option("--sort", type=click.Choice(SEARCH_SORTS),
              default="relevance", help="relevance：相关度（默认）；year_desc、year_asc：按年度；"
              "published_desc、published_asc：按发布日期")
@click.option("--limit", type=Count(), default=None, metavar="N",
              help=f"最多显示 N 段（默认 {DEFAULT_HITS} 段；加 --json 时默认全部）")
@click.option("--all", "show_all", is_flag=True, help="显示全部段落")
@click.option("--offset", type=Count(), default=0, metavar="N", help="跳过前 N 段（翻页）")
@click.option("--within", multiple=True, metavar="检索式",
              help="结果中检索：在结果中再检索（可重复，每一步都要满足）")
@click.option("--by-report", is_flag=True,
              help="每份报告一条：列出含匹配段落的报告、各自的段数和最相关的一段")
@click.option("--collapse", is_flag=True,
              help="折叠相似段落：每组相似段落只列最相关的一段，并说明另有几段（不与 --by-report 同用）")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON（供程序读取）")
@click.option("--csv", "as_csv", is_flag=True,
              help="把全部结果（最多 1 万段）按表格输出为 CSV，列同网页的“导出 CSV”")
@click.option("--xlsx", "xlsx_file", metavar="文件",
              help="把全部结果（最多 1 万段）写入这个 Excel 文件（.xlsx），列同网页的导出")
@_common
def search_command(query, mode, sort, limit, show_all, offset, within, by_report, collapse,
                   as_json, as_csv, xlsx_file, config_file, index_dir, **filters):
    if show_all and limit is not None:
        raise click.UsageError("--limit 和 --all 只能用一个。")
    if collapse and by_report:
        raise click.UsageError("--collapse 和 --by-report 只能用一个。")
    if sum(map(bool, (as_json, as_csv, xlsx_file))) > 1:
        raise click.UsageError("--json、--csv 和 --xlsx 只能用一个。")
    if (as_csv or xlsx_file) and (by_report or limit is not None or offset or show_all):
        raise click.UsageError("--csv 和 --xlsx 导出全部结果（逐段），不能和 --by-report、"
                               "--limit、--offset、--all 一起用。")
    filters = {name: list(values) for name, values in filters.items() if values}
    query = " ".join(QueryCommand.words(query))
    if as_csv or xlsx_file:
        return _call(run_search_export, config_file, index_dir, query=query, filters=filters,
                     mode=mode, sort=sort, within=within, xlsx_file=xlsx_file)
    return _call(run_search, config_file, index_dir, query=query,
                 filters=filters, mode=mode, sort=sort, limit=limit, offset=offset,
                 show_all=show_all, as_json=as_json, within=within, by_report=by_report,
                 collapse=collapse)


@cli.command("serve", cls=Command, short_help="启动网页检索服务（首次运行时建立索引）", help=(
    "启动网页检索服务。索引还不存在、是空的或上次没有建成时，先用配置中的语料"
    "（默认为随附的示例报告）建立索引。按 Ctrl+C 停止。"))
@click.option("--host", default=None, metavar="地址",
              help="监听地址（默认 127.0.0.1；0.0.0.0 只在可信的网络上用）")
@click.option("--port", type=Count(65535), default=None, metavar="端口", help="端口（默认 5000）")
@click.option("--workers", type=Count(64), default=None, metavar="N",
              help="服务进程数（默认取配置 web.workers；多核机器上设为核数，多人同时检索更快）")
@_common
def serve_command(host, port, workers, config_file, index_dir):
    return _call(run_serve, config_file, index_dir, host=host, port=port, workers=workers)


@cli.command("checks", cls=Command, short_help="检查每份报告：部分是否齐全、是否按时发布", help=(
    "检查每份报告：五个部分是否齐全（第一责任人职责部分单独标出）、是否在截止日期前发布、"
    "各部分的字数和具体数字，以及“存在的不足和原因”部分是否只有套话。期限、单位和套话清单"
    "在配置文件的 checks 部分。"))
@click.option("--year", multiple=True, metavar="年度", help="年度，如 2023 或 2020-2023（可重复）")
@click.option("--province", multiple=True, metavar="省份", help="省份，如 浙江 或 浙江省（可重复）")
@click.option("--city", multiple=True, metavar="城市", help="城市，如 温州（可重复）")
@click.option("--level", multiple=True, metavar="层级", help="层级，如 县 或 县级（可重复）")
@click.option("--issuer-type", "issuer_type", multiple=True, metavar="政府/部门",
              help="政府 或 部门（可重复）")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON 数组，每份报告一个对象（供程序读取）")
@click.option("--csv", "as_csv", is_flag=True, help="输出 CSV 表格")
@_common
def checks_command(year, province, city, level, issuer_type, as_json, as_csv, config_file,
                   index_dir):
    if as_json and as_csv:
        raise click.UsageError("--json 和 --csv 只能用一个。")
    filters = {k: list(v) for k, v in (("year", year), ("province", province), ("city", city),
                                       ("level", level), ("issuer_type", issuer_type)) if v}
    return _call(run_checks, config_file, index_dir, filters=filters, as_json=as_json,
                 as_csv=as_csv)


REPORT_SORT_KEYS = {key: label for key, (label, _) in REPORT_SORTS.items()}


@cli.command("reports", cls=Command, short_help="报告列表（含每份报告与他处、与上年相同的比例）",
             help=("列出索引中的报告及其元数据，并给出每份报告的“原创度”：比对过的段落中，有多少段"
                   "已先出现在其他发文机关更早的报告中（先见于他处），有多少段与同一机关上一年的报告"
                   "相似（沿用上年）。与网页的“报告列表”相同。"))
@click.option("--year", multiple=True, metavar="年度", help="年度，如 2023 或 2020-2023（可重复）")
@click.option("--province", multiple=True, metavar="省份", help="省份，如 浙江 或 浙江省（可重复）")
@click.option("--city", multiple=True, metavar="城市", help="城市，如 温州（可重复）")
@click.option("--level", multiple=True, metavar="层级", help="层级，如 县 或 县级（可重复）")
@click.option("--issuer-type", "issuer_type", multiple=True, metavar="政府/部门",
              help="政府 或 部门（可重复）")
@click.option("--sort", type=click.Choice(list(REPORT_SORT_KEYS)), default="year_desc",
              metavar="排序", help="排序：" + "，".join(f"{k}={v}" for k, v in
                                                     REPORT_SORT_KEYS.items()))
@click.option("--json", "as_json", is_flag=True, help="输出 JSON 数组，每份报告一个对象（供程序读取）")
@click.option("--csv", "as_csv", is_flag=True, help="输出 CSV 表格")
@_common
def reports_command(year, province, city, level, issuer_type, sort, as_json, as_csv,
                    config_file, index_dir):
    if as_json and as_csv:
        raise click.UsageError("--json 和 --csv 只能用一个。")
    filters = {k: list(v) for k, v in (("year", year), ("province", province), ("city", city),
                                       ("level", level), ("issuer_type", issuer_type)) if v}
    return _call(run_reports, config_file, index_dir, filters=filters, sort=sort,
                 as_json=as_json, as_csv=as_csv)


@cli.command("coverage", cls=Command, short_help="某省某年哪些政府有报告、哪些没有", help=(
    "列出一个省某一层级的全部政府（名单来自元数据所用的 jionlp 行政区划数据），"
    "标出索引中有没有它某一年度的报告，并按城市计数。部门的报告计入所属政府。"))
@click.option("--province", required=True, metavar="省份", help="省份，如 浙江 或 浙江省")
@click.option("--year", required=True, metavar="年度", help="年度，如 2023")
@click.option("--level", default="县级", metavar="层级", help="市级、县级（默认）或 乡镇级")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON（供程序读取）")
@_common
def coverage_command(province, year, level, as_json, config_file, index_dir):
    return _call(run_coverage, config_file, index_dir, province=province, year=year,
                 level=level, as_json=as_json)


@cli.command("compare", cls=Command, short_help="对比两份报告（逐段、逐字）", help=(
    "对比两份报告：按章节对齐，按相似度配对段落，逐字标出修改（[-删去-]{+新增+}），"
    "并列出新增和删除的段落。A 一般是较早的报告。"))
@click.argument("a", metavar="报告A")
@click.argument("b", metavar="报告B")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON（供程序读取）")
@_common
def compare_command(a, b, as_json, config_file, index_dir):
    return _call(run_compare, config_file, index_dir, a=a, b=b, as_json=as_json)


@cli.command("fetch", cls=Command, short_help="从政府网站抓取报告（网页及其附件）", help=(
    "从政府网站抓取报告：每份报告保存为网页原样的 HTML，连同网页上的 .docx/.pdf/.wps 附件，"
    "并记入文件夹中的 manifest.csv（文件、网址、抓取时间、列表页），之后 reportsearch index "
    "即可把它们加入索引，引用中带有网址。\n\n遵守 robots.txt，同一网站每次请求至少间隔 "
    "fetch.interval_seconds 秒；再次运行时没有变化的不再下载，中断后再运行会接着做。"
    "\n\n\b\n例：\n  reportsearch fetch https://www.example.gov.cn/art/2024/3/5/art_1.html\n"
    "  reportsearch fetch --from-file 网址.txt\n"
    "  reportsearch fetch --column https://www.example.gov.cn/col/fzzfjsndbg/index.html"))
@click.argument("urls", nargs=-1, metavar="[网址]...")
@click.option("--from-file", "from_file", metavar="文件", help="网址列表文件，每行一个网址（# 开头的行跳过）")
@click.option("--column", metavar="网址",
              help="栏目列表页的网址：沿着翻页（下一页、index_1.html……）收集标题符合 --match 的文章")
@click.option("--pages", type=Count(10000), default=None, metavar="N",
              help="--column 最多读多少个列表页（默认取配置 fetch.max_pages）")
@click.option("--match", metavar="正则", help="--column 中文章标题要符合的正则表达式"
              "（默认取配置 fetch.title_pattern：法治政府建设|依法行政|法治建设……报告|情况）")
@click.option("--to", "folder", metavar="文件夹",
              help="保存到这个文件夹（默认取配置 fetch.folder，未设置时为配置的 corpus）")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON（供程序读取）")
@_common
def fetch_command(urls, from_file, column, pages, match, folder, as_json, config_file, index_dir):
    if (pages is not None or match) and not column:
        raise click.UsageError("--pages 和 --match 只能和 --column 一起用。")
    return _call(run_fetch, config_file, index_dir, urls=urls, from_file=from_file,
                 column=column, pages=pages, match=match, folder=folder, as_json=as_json)


@cli.command("similar", cls=Command, short_help="列出一个段落的相似段落和最早出处", help=(
    "列出其他报告中与该段落相似的段落（换了地名、数字仍算相似），按年度、发布日期排列，"
    "并给出最早出处。段落编号见检索结果或 search --json 的 id。"))
@click.argument("paragraph_id", metavar="段落编号")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON（供程序读取）")
@_common
def similar_command(paragraph_id, as_json, config_file, index_dir):
    return _call(run_similar, config_file, index_dir, paragraph_id=paragraph_id,
                 as_json=as_json)


class Number(click.ParamType):
    """A number (the value range of `indicators`), with the message in Chinese."""

    name = "数值"

    def convert(self, value, param, ctx):
        import math
        try:
            number = float(str(value).strip().replace("％", "").replace("%", ""))
        except ValueError:
            self.fail(f"应为数字，收到的是“{value}”", param, ctx)
        if not math.isfinite(number):
            self.fail("应为有限的数字", param, ctx)
        return number


@cli.command("indicators", cls=Command, short_help="报告写明的指标数值（出庭应诉率、败诉率……）", help=(
    "列出报告写明的指标数值：不给 指标 时列出指标目录和写明各指标的报告数；给出 指标（如 "
    "行政机关负责人出庭应诉率，也可写 出庭率）时逐条列出数值、发文机关、年度和原句。"
    "筛选条件写法同 search。--json 输出一个 JSON 数组，每条数值一个对象（键 indicator、"
    "wording、qualifier、value、unit、change、target、paragraph_id、report_id、year、"
    "issuer、province、level、sentence 等）；不给 指标 时为全部指标的数值。"))
@click.argument("name", required=False, metavar="[指标]")
@_filter_options
@click.option("--qualifier", multiple=True, metavar="限定语",
              help="只看这个限定语的数值，如 主要负责人、一审（“无”：没有限定语的；可重复）")
@click.option("--measure", type=click.Choice(("level", "change", "all")), default="level",
              help="level：水平（默认，如 达100%）；change：变化（如 同比下降7个百分点）；all：全部")
@click.option("--target", type=click.Choice(("include", "exclude", "only")), default="include",
              help="目标值（如 力争达到95%）：include 包括并标出（默认）、exclude 不含、only 只看")
@click.option("--min", "value_min", type=Number(), default=None, metavar="数值", help="数值不小于")
@click.option("--max", "value_max", type=Number(), default=None, metavar="数值", help="数值不大于")
@click.option("--sort", type=click.Choice(("value_desc", "value_asc", "year_desc", "year_asc")),
              default="value_desc", help="value_desc（默认）、value_asc：按数值；year_desc、year_asc：按年度")
@click.option("--limit", type=Count(), default=None, metavar="N",
              help="最多列出 N 条（默认 50 条；加 --json、--csv 时默认全部）")
@click.option("--all", "show_all", is_flag=True, help="列出全部")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON 数组，每条数值一个对象（供程序读取）")
@click.option("--csv", "as_csv", is_flag=True, help="输出 CSV 表格")
@_common
def indicators_command(name, qualifier, measure, target, value_min, value_max, sort, limit,
                       show_all, as_json, as_csv, config_file, index_dir, **filters):
    if as_json and as_csv:
        raise click.UsageError("--json 和 --csv 只能用一个。")
    if show_all and limit is not None:
        raise click.UsageError("--limit 和 --all 只能用一个。")
    if limit is None and not (show_all or as_json or as_csv):
        limit = 50
    filters = {k: list(v) for k, v in filters.items() if v}
    return _call(run_indicators, config_file, index_dir, name=name, filters=filters,
                 qualifier=qualifier, measure=measure, target=target, value_min=value_min,
                 value_max=value_max, sort=sort, limit=limit, as_json=as_json, as_csv=as_csv)


def _show_usage_error(exc: click.UsageError) -> None:
    no_args = getattr(click.exceptions, "NoArgsIsHelpError", None)
    if no_args is not None and isinstance(exc, no_args):
        print(exc.format_message(), file=sys.stderr)      # the help itself
        return
    ctx = exc.ctx
    if isinstance(exc, click.MissingParameter) and exc.param is not None:
        kind = "参数" if isinstance(exc.param, click.Argument) else "选项"
        name = (exc.param.metavar.strip("[].") if isinstance(exc.param, click.Argument)
                and exc.param.metavar else " / ".join(exc.param.opts))
        message = f"缺少{kind} {name}。"
    elif isinstance(exc, click.BadParameter) and exc.param is not None:
        hint = (" / ".join(exc.param.opts) if isinstance(exc.param, click.Option)
                else exc.param.human_readable_name)
        message = f"{hint} 的取值无效：{str(exc.message).rstrip('。.')}。"
    elif isinstance(exc, click.NoSuchOption):
        message = f"没有选项 {exc.option_name}。"
        if exc.possibilities:
            message += f"是不是要用 {' 或 '.join(sorted(exc.possibilities))}？"
    else:
        message = exc.format_message()
    if ctx is not None:
        print(ctx.get_usage(), file=sys.stderr)
        print(f"运行 {ctx.command_path} --help 查看帮助。\n", file=sys.stderr)
    print(f"错误：{message}", file=sys.stderr)


def main(argv=None) -> int:
    """Run the CLI on `argv` (default: sys.argv[1:]); returns the exit code."""
    with chinese_click():
        try:
            code = cli.main(args=argv, prog_name="reportsearch", standalone_mode=False)
        except click.UsageError as exc:
            _show_usage_error(exc)
            return exc.exit_code
        except click.ClickException as exc:
            _error(exc.format_message())
            return exc.exit_code
        except click.Abort:
            print("已中止。", file=sys.stderr)
            return 130
    return code if isinstance(code, int) else 0


if __name__ == "__main__":
    sys.exit(main())
