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
import os
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
        text=words,
        # The title is indexed once, on the report document; paragraphs only store it.
        title=fields.TEXT(analyzer=WordTokenizer(), stored=True, field_boost=3.0),
        heading=fields.TEXT(analyzer=WordTokenizer(), field_boost=1.5),
        # Metadata is stored, not indexed: filters and facets run on the side arrays
        # (index/columns.py), so inverted postings for them would only slow every write.
        ordinal=fields.STORED(),
        issuer=fields.STORED(),
        issuer_type=fields.STORED(),
        level=fields.STORED(),
        province=fields.STORED(),
        city=fields.STORED(),
        year=fields.STORED(),
        published=fields.STORED(),
        section=fields.STORED(),
        section_path=fields.STORED(),
        # report documents only
        file=fields.STORED(),
        content_hash=fields.STORED(),
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
                 text=seg, _stored_text=p.text, title="", _stored_title=title, section=p.section,
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


class _Batch:
    """One Whoosh commit in the making: deletions and new documents, added as they come.

    Documents go into the writer as soon as a report is read, so this process indexes while
    the worker processes are still reading and segmenting the next files. The segment's side
    arrays are written just before the commit that makes the segment visible."""

    def __init__(self, ix, index_dir: Path):
        self.ix, self.index_dir = ix, index_dir
        self.writer = None
        self.cdocs: list[ColumnDoc] = []
        self.reports: dict[str, dict] = {}
        self.size = 0

    def _writer(self):
        if self.writer is None:
            try:
                self.writer = self.ix.writer(limitmb=256, compound=False)
            except LockError:
                raise IndexLocked(f"另一个索引进程正在写入 {self.index_dir}，"
                                  "请等它结束后再试。") from None
        return self.writer

    def delete(self, report_id: str) -> None:
        # Deletes reach committed segments only, never what this writer added.
        self._writer().delete_by_term("report_id", report_id)

    def add(self, report: Report, words: list[str], sig: str) -> None:
        writer = self._writer()
        wdocs, cdocs = _report_documents(report, words, sig)
        for d in wdocs:
            writer.add_document(**d)
        self.cdocs.extend(cdocs)
        self.reports[report.report_id] = {"title": match_form(report.meta.title or ""),
                                          "issuer": match_form(report.meta.issuer or "")}
        self.size += len(cdocs)

    def commit(self) -> None:
        if self.writer is None:
            return
        if self.cdocs:
            arrays, extra = build_columns(self.cdocs, self.reports)
            write_columns(self.index_dir / COLS_DIR, self.writer.newsegment.segment_id(),
                          arrays, extra)
        self.writer.commit(merge=False)
        self.writer, self.cdocs, self.reports, self.size = None, [], {}, 0

    def cancel(self) -> None:
        if self.writer is not None and not self.writer.is_closed:
            self.writer.cancel()
        self.writer = None


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
    files = [Path(os.path.abspath(f)) for f in collect_files(paths, config)]
    indexed = _indexed_reports(ix)
    by_file = {f["file"]: rid for rid, f in indexed.items()}
    hashes = {f["content_hash"]: rid for rid, f in indexed.items()}

    # Decide from file signatures which files must be read at all.
    to_read, seen_files = [], set()
    for f in files:
        key = str(f)
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

    def results():
        items = [(str(f), config) for f in to_read]
        if len(items) >= pool_min_files and procs > 1:
            import multiprocessing as mp
            with mp.get_context("fork").Pool(procs) as pool:
                yield from pool.imap(_prepare, items, chunksize=4)
        else:
            yield from map(_prepare, items)

    batch = _Batch(ix, index_dir)
    try:
        if prune:
            roots = [Path(os.path.abspath(p)) for p in paths]
            for rid, f in indexed.items():
                fp = Path(f["file"])
                if f["file"] not in seen_files and _under(fp, roots) and not fp.exists():
                    batch.delete(rid)
                    summary.removed += 1

        claimed = {}  # report_id -> file, within this run
        for path, report, words in results():
            done += 1
            if report is None:
                summary.failed.append((path, words))
            else:
                problem = _conflict(report, indexed, hashes, claimed)
                if problem:
                    summary.failed.append((path, problem))
                else:
                    _add_or_update(batch, report, words, file_signature(path), indexed,
                                   hashes, claimed, summary)
            if progress:
                progress(done, total)
            if batch.size >= batch_paragraphs:
                batch.commit()
        batch.commit()
    except BaseException:
        batch.cancel()
        raise
    return summary


def _conflict(report: Report, indexed: dict, hashes: dict, claimed: dict) -> str | None:
    """Why this report cannot go into the index, or None."""
    rid = report.report_id
    old = indexed.get(rid)
    dup = hashes.get(report.content_hash)
    if rid in claimed:
        return f"报告编号 {rid} 与 {claimed[rid]} 相同，请改名"
    if old is not None and old["file"] != report.file and Path(old["file"]).exists():
        return f"报告编号 {rid} 已被 {old['file']} 使用，请改名"
    if dup is not None and dup != rid:
        other = indexed[dup]["file"] if dup in indexed else claimed.get(dup, dup)
        return f"与 {other} 内容相同"
    return None


def _add_or_update(batch: _Batch, report: Report, words, sig: str, indexed: dict,
                   hashes: dict, claimed: dict, summary: IndexSummary) -> None:
    rid = report.report_id
    old = indexed.get(rid)
    claimed[rid] = report.file
    if old is not None and old["content_hash"] == report.content_hash:
        summary.unchanged += 1
        if old.get("file_sig") == sig:
            return
        # Same content, touched file: rewrite only so the next run skips reading it.
    elif old is not None:
        summary.updated += 1
    else:
        summary.added += 1
    hashes[report.content_hash] = rid
    if old is not None:
        batch.delete(rid)
    batch.add(report, words, sig)
