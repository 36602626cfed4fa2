"""The last stage of the write path: reports -> Whoosh index (+ side arrays per segment).

One Whoosh document per paragraph, carrying the report's metadata, plus one document of
kind "report" per report that stores the report-level data (file, content hash, metadata,
traditional flag); searches exclude it.

Every batch is one Whoosh commit that creates one new segment and never merges old ones:
the side arrays of the new segment (index/columns.py) are written, under the segment's id,
before the commit makes it visible, so a reader never sees a segment without them.
"""
from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from pathlib import Path

from whoosh import fields, index as windex
from whoosh.util.filelock import FileLock
from whoosh.writing import LockError

from .analysis import WordTokenizer, presegmented
from .columns import ColumnDoc, build_columns, remove_orphans, write_columns
from .config import load_config
from .model import IngestError, Report
from .normalize import match_form

log = logging.getLogger(__name__)

INDEX_NAME = "MAIN"
COLS_DIR = "cols"
# Held for a whole update run (Whoosh's own WRITELOCK is held per commit); an OS file lock,
# so the kernel releases it when the process dies, even on SIGKILL.
RUN_LOCK = "UPDATE.lock"


class IndexLocked(Exception):
    """Another process is writing the index."""


@dataclass
class IndexSummary:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)


def make_schema() -> fields.Schema:
    words = fields.TEXT(analyzer=WordTokenizer(), phrase=True, stored=True)
    return fields.Schema(
        id=fields.ID(stored=True, unique=True),
        report_id=fields.ID(stored=True),
        kind=fields.ID(stored=True),
        ordinal=fields.NUMERIC(int, stored=True),
        text=words,
        title=fields.TEXT(analyzer=WordTokenizer(), stored=True, field_boost=3.0),
        heading=fields.TEXT(analyzer=WordTokenizer(), field_boost=1.5),
        issuer=fields.ID(stored=True),
        issuer_type=fields.ID(stored=True),
        level=fields.ID(stored=True),
        province=fields.ID(stored=True),
        city=fields.ID(stored=True),
        year=fields.ID(stored=True),
        published=fields.ID(stored=True),
        section=fields.ID(stored=True),
        section_path=fields.STORED(),
        # report documents only
        file=fields.ID(stored=True),
        content_hash=fields.ID(stored=True),
        file_sig=fields.STORED(),
        report=fields.STORED(),      # Report.to_json() without paragraphs + "traditional"
    )


def open_or_create(index_dir: str | Path):
    index_dir = Path(index_dir)
    index_dir.mkdir(parents=True, exist_ok=True)
    if windex.exists_in(str(index_dir), indexname=INDEX_NAME):
        return windex.open_dir(str(index_dir), indexname=INDEX_NAME)
    return windex.create_in(str(index_dir), make_schema(), indexname=INDEX_NAME)


def file_signature(path: str | Path) -> str:
    """Size and mtime of a report file and its sidecar: unchanged signature -> not re-read."""
    from .sidecar import sidecar_path
    parts = []
    for p in (Path(path), sidecar_path(path)):
        try:
            st = p.stat()
            parts.append(f"{st.st_size}:{st.st_mtime_ns}")
        except OSError:
            parts.append("-")
    return "|".join(parts)


def _facet_values(report: Report) -> dict:
    m = report.meta
    return {"year": str(m.year) if m.year else "", "province": m.province or "",
            "city": m.city or "", "level": m.level or "", "issuer_type": m.issuer_type or "",
            "issuer": m.issuer or ""}


def _prepare(item):
    """Worker: read one file -> (path, Report, segmented words per paragraph) or an error."""
    path, config = item
    from .pipeline import read_report
    try:
        report = read_report(path, config)
    except IngestError as exc:
        return path, None, str(exc)
    except OSError as exc:
        return path, None, f"无法读取文件：{exc.strerror or exc}"
    words = [presegmented(report.meta.title or "")]
    words += [presegmented(p.text) for p in report.paragraphs]
    return path, report, words


def _report_documents(report: Report, words: list[str], sig: str):
    """(whoosh field dicts, ColumnDocs) for one report, report document first.

    `words`: the presegmented title, then the presegmented text of every paragraph.
    """
    seg_title, words = words[0], words[1:]
    meta = report.to_json()
    meta.pop("paragraphs")
    meta["traditional"] = report.traditional
    values = _facet_values(report)
    common = {k: v for k, v in values.items() if v}
    title = report.meta.title or ""
    published = report.meta.published or ""
    wdocs = [dict(id=report.report_id, report_id=report.report_id, kind="report", ordinal=0,
                  title=seg_title, _stored_title=title, file=report.file,
                  content_hash=report.content_hash, file_sig=sig,
                  report=json.dumps(meta, ensure_ascii=False),
                  published=published, **common)]
    cdocs = [ColumnDoc("report", 0, report.report_id, "", dict(values, section=""))]
    for p, seg in zip(report.paragraphs, words):
        d = dict(id=p.id, report_id=report.report_id, kind=p.kind, ordinal=p.ordinal,
                 text=seg, _stored_text=p.text, title=seg_title, _stored_title=title, section=p.section,
                 section_path=list(p.section_path), published=published, **common)
        if p.kind == "heading":
            d["heading"] = seg
        wdocs.append(d)
        cdocs.append(ColumnDoc(p.kind, p.ordinal, report.report_id,
                               match_form(p.text),
                               dict(values, section=p.section)))
    return wdocs, cdocs


def _indexed_reports(ix) -> dict[str, dict]:
    """report_id -> stored fields of its (live) report document."""
    out = {}
    with ix.searcher() as s:
        for docnum in s.document_numbers(kind="report"):
            f = s.stored_fields(docnum)
            out[f["report_id"]] = f
    return out


def _under(path: Path, roots: list[Path]) -> bool:
    return any(path == r or r in path.parents for r in roots)


def _write_batch(ix, index_dir: Path, deletes: list[str], batch: list) -> None:
    """One commit: delete the documents of `deletes` report ids, add `batch` reports."""
    try:
        writer = ix.writer(limitmb=256)
    except LockError:
        raise IndexLocked(f"另一个索引进程正在写入 {index_dir}，请等它结束后再试。") from None
    try:
        for rid in deletes:
            writer.delete_by_term("report_id", rid)
        cdocs_all, reports = [], {}
        for report, words, sig in batch:
            wdocs, cdocs = _report_documents(report, words, sig)
            for d in wdocs:
                writer.add_document(**d)
            cdocs_all.extend(cdocs)
            reports[report.report_id] = {
                "title": match_form(report.meta.title or ""),
                "issuer": match_form(report.meta.issuer or "")}
        if cdocs_all:
            arrays, extra = build_columns(cdocs_all, reports)
            write_columns(index_dir / COLS_DIR, writer.newsegment.segment_id(), arrays, extra)
        writer.commit(merge=False)
    except BaseException:
        if not writer.is_closed:
            writer.cancel()
        raise


def update_index(paths, index_dir, config=None, prune=False, progress=None) -> IndexSummary:
    """Bring the index at `index_dir` up to date with the report files under `paths`."""
    from .pipeline import collect_files
    config = config or load_config()
    wcfg = config["writer"]
    batch_paragraphs = int(wcfg["batch_paragraphs"])
    pool_min_files = int(wcfg["pool_min_files"])
    procs = int(wcfg["procs"])

    index_dir = Path(index_dir)
    index_dir.mkdir(parents=True, exist_ok=True)
    run_lock = FileLock(str(index_dir / RUN_LOCK))
    if not run_lock.acquire(blocking=False):
        raise IndexLocked(f"另一个索引进程正在写入 {index_dir}，请等它结束后再试。")
    try:
        ix = open_or_create(index_dir)
        remove_orphans(index_dir / COLS_DIR, {s.segment_id() for s in ix._segments()})
        return _update(ix, index_dir, paths, config, prune, progress, batch_paragraphs,
                       pool_min_files, procs, collect_files)
    finally:
        run_lock.release()


def _update(ix, index_dir, paths, config, prune, progress, batch_paragraphs, pool_min_files,
            procs, collect_files) -> IndexSummary:
    summary = IndexSummary()
    files = collect_files(paths, config)
    indexed = _indexed_reports(ix)
    by_file = {f["file"]: rid for rid, f in indexed.items()}
    hashes = {f["content_hash"]: rid for rid, f in indexed.items()}

    # Decide from file signatures which files must be read at all.
    to_read, seen_files = [], set()
    for f in files:
        key = str(f.resolve()) if f.exists() else str(f)
        seen_files.add(key)
        rid = by_file.get(key)
        if rid is not None and indexed[rid].get("file_sig") == file_signature(f):
            summary.unchanged += 1
        else:
            to_read.append(f)
    total = len(files)
    done = summary.unchanged
    if progress:
        progress(done, total)

    deletes: list[str] = []
    if prune:
        roots = [Path(p).resolve() for p in paths]
        for rid, f in indexed.items():
            fp = Path(f["file"])
            if f["file"] not in seen_files and _under(fp, roots) and not fp.exists():
                deletes.append(rid)
                summary.removed += 1

    claimed = {}  # report_id -> file, within this run
    batch, batch_size = [], 0

    def results():
        items = [(str(f), config) for f in to_read]
        if len(items) >= pool_min_files and procs > 1:
            import multiprocessing as mp
            with mp.get_context("fork").Pool(procs) as pool:
                yield from pool.imap(_prepare, items, chunksize=4)
        else:
            yield from map(_prepare, items)

    for path, report, words in results():
        done += 1
        if report is None:
            summary.failed.append((path, words))
        else:
            report.file = str(Path(report.file).resolve()) if Path(report.file).exists() \
                else report.file
            rid = report.report_id
            old = indexed.get(rid)
            dup = hashes.get(report.content_hash)
            if rid in claimed:
                summary.failed.append((path, f"报告编号 {rid} 与 {claimed[rid]} 相同，请改名"))
            elif old is not None and old["file"] != report.file and Path(old["file"]).exists():
                summary.failed.append((path, f"报告编号 {rid} 已被 {old['file']} 使用，请改名"))
            elif dup is not None and dup != rid:
                other = indexed[dup]["file"] if dup in indexed else claimed.get(dup, dup)
                summary.failed.append((path, f"与 {other} 内容相同"))
            else:
                claimed[rid] = report.file
                sig = file_signature(path)
                if old is not None and old["content_hash"] == report.content_hash:
                    summary.unchanged += 1
                    if old.get("file_sig") == sig:
                        continue
                    # Same content, touched file: rewrite only so the next run skips reading.
                    deletes.append(rid)
                    batch.append((report, words, sig))
                else:
                    if old is not None:
                        deletes.append(rid)
                        summary.updated += 1
                    else:
                        summary.added += 1
                    hashes[report.content_hash] = rid
                    batch.append((report, words, sig))
                    batch_size += len(report.paragraphs) + 1
        if progress:
            progress(done, total)
        if batch_size >= batch_paragraphs:
            _write_batch(ix, index_dir, deletes, batch)
            deletes, batch, batch_size = [], [], 0
    if batch or deletes:
        _write_batch(ix, index_dir, deletes, batch)
    return summary
