"""The `reportsearch` command line: one CLI over the library, each command a plain function.

    reportsearch inspect FILE... [--json]     what the ingest pipeline extracts
    reportsearch index [PATH...] [--prune]    add / update / remove reports in the index
    reportsearch search QUERY [filters]       search the index
    reportsearch serve                        the web app (builds the index on first run)
"""
from __future__ import annotations

import argparse
import html
import json
import os
import re
import sys

from index.config import ConfigError, load_config
from index.fields import FIELDS
from index.model import IngestError
from index.pipeline import collect_files, read_report
from index.read import display_path


def inspect_files(paths, config) -> tuple[list[dict], bool]:
    """One JSON object per file: the extraction, or {"file", "error"}; and whether all succeeded."""
    results, ok = [], True
    for path in collect_files(paths, config):
        try:
            result = read_report(path, config).to_json()
            result["file"] = display_path(path)
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


def cmd_inspect(args, config) -> int:
    results, ok = inspect_files(args.files, config)
    if not results:
        print(f"reportsearch: {'、'.join(map(display_path, args.files))} 中没有可读取的报告文件"
              f"（可读取：{' '.join(config['ingest']['extensions'])}）", file=sys.stderr)
        return 1
    if args.json:
        json.dump(results if len(results) != 1 else results[0], sys.stdout,
                  ensure_ascii=False, indent=2)
        print()
    else:
        for result in results:
            _print_inspection(result, sys.stdout)
    for result in results:
        if "error" in result and args.json:
            print(f"{result['file']}: {result['error']}", file=sys.stderr)
    return 0 if ok else 1


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


def cmd_index(args, config) -> int:
    from index.store import StoreError
    from index.writer import update_index

    paths = args.paths or config["corpus"]
    try:
        summary = update_index(paths, config["index_dir"], config, prune=args.prune,
                               progress=_progress_bar(sys.stderr), rebuild=args.rebuild)
    except StoreError as exc:
        print(f"reportsearch: {exc}", file=sys.stderr)
        return 2
    print(f"新增 {summary.added}，更新 {summary.updated}，未变 {summary.unchanged}，"
          f"移除 {summary.removed}，失败 {len(summary.failed)}")
    for file, error in summary.failed:
        print(f"{display_path(file)}: 错误: {error}", file=sys.stderr)
    return 1 if summary.failed else 0


_MARK = re.compile(r"<mark>(.*?)</mark>", re.S)


def _terminal_text(fragment: str, colour: bool) -> str:
    """A highlight/snippet fragment (escaped HTML with <mark>) as terminal text."""
    on, off = ("\x1b[1;31m", "\x1b[0m") if colour else ("【", "】")
    return html.unescape(_MARK.sub(lambda m: on + m.group(1) + off, fragment))


def cmd_search(args, config) -> int:
    from searcher import QueryError, StoreError, open_searcher

    filters = {name: values for name in FILTER_FLAGS
               if (values := getattr(args, name.replace("-", "_")))}
    filters = {k.replace("-", "_"): v for k, v in filters.items()}
    try:
        searcher = open_searcher(config["index_dir"], config)
        result = searcher.search(" ".join(args.query), filters=filters, mode=args.mode, sort=args.sort,
                                 limit=args.limit, offset=args.offset)
    except (QueryError, StoreError) as exc:
        print(f"reportsearch: {exc}", file=sys.stderr)
        return 2
    if args.json:
        json.dump(result, sys.stdout, ensure_ascii=False, indent=2)
        print()
        return 0
    colour = sys.stdout.isatty()
    print(f"共 {result['total']} 段", file=sys.stdout)
    for n, hit in enumerate(result["hits"], start=args.offset + 1):
        path = " > ".join(hit["section_path"]) or hit["section"]
        print(f"\n{n}. {hit['title'] or hit['issuer'] or hit['report_id']}（{hit['year'] or '年度不详'}）"
              f"\n   {path}\n   {_terminal_text(hit['snippet'], colour)}\n   [{hit['id']}]")
    return 0


def cmd_serve(args, config) -> int:
    from web.serve import serve

    return serve(config, host=args.host, port=args.port)


FILTER_FLAGS = tuple(f.cli_flag[2:] for f in FIELDS if f.coded)


class _QueryParser(argparse.ArgumentParser):
    """argparse reads `-法治` (a query excluding 法治) as an unknown option; our options are
    all ASCII words, so a dash followed by anything else is the query."""

    def _parse_optional(self, arg_string):
        if arg_string.startswith("-") and len(arg_string) > 1 and \
                not (arg_string[1].isascii() and (arg_string[1].isalpha() or arg_string[1] == "-")):
            return None
        return super()._parse_optional(arg_string)


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--config", help="YAML file overriding the defaults")
    common.add_argument("--index-dir", help="index folder (default: index_dir in the config)")

    parser = _QueryParser(prog="reportsearch", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("inspect", parents=[common], help="show what the pipeline extracts")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(func=cmd_inspect)

    p = sub.add_parser("index", parents=[common], help="add, update and remove reports")
    p.add_argument("paths", nargs="*", metavar="PATH",
                   help="report files or folders (default: corpus in the config)")
    p.add_argument("--prune", action="store_true",
                   help="drop indexed reports whose files are gone")
    p.add_argument("--rebuild", action="store_true",
                   help="build a new index from PATH... and swap it in when complete")
    p.set_defaults(func=cmd_index)

    p = sub.add_parser("search", parents=[common], help="search the index")
    p.add_argument("query", nargs="+", help="the query; several words are joined by spaces")
    for flag in FILTER_FLAGS:
        p.add_argument(f"--{flag}", action="append", metavar=flag.split("-")[0].upper(),
                       help="filter (repeat to allow several values)")
    p.add_argument("--mode", choices=("exact", "fuzzy"), default="exact")
    p.add_argument("--sort", choices=("relevance", "year_desc", "year_asc"), default="relevance")
    p.add_argument("--limit", type=_non_negative, default=None,
                   help="hits to show (default: all)")
    p.add_argument("--offset", type=_non_negative, default=0)
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(func=cmd_search)

    p = sub.add_parser("serve", parents=[common], help="serve the web app")
    p.add_argument("--host", default=None, help="address to bind (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=None, help="port (default 5000)")
    p.set_defaults(func=cmd_serve)
    return parser


def _non_negative(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"应为非负整数：{text}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"应为非负整数：{text}")
    return value


def main(argv=None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        config = load_config(args.config)
    except ConfigError as exc:
        print(f"reportsearch: {exc}", file=sys.stderr)
        return 2
    if getattr(args, "index_dir", None):
        config["index_dir"] = args.index_dir
    try:
        return args.func(args, config)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # the reader (`| head`) went away: not an error of ours (recipe from Python's docs)
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
