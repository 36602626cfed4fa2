"""The last stage of the write path: reports -> Whoosh index (+ side arrays per segment).

One Whoosh document per paragraph (its display text and heading path; the rest is in the
side arrays),
plus one document of kind "report" per report that stores the report-level data once (file,
content hash, metadata, traditional flag); searches exclude it. No word field: matching,
ranking and facets run on the side arrays, and jieba runs at query time only (the 模糊
mode's words), so the build does not pay for a segmentation nothing reads.

Every batch is one commit (index/store.py owns the folder, the commit and the merging): it
adds one segment, into which the merge policy may fold older segments, and that segment's
side arrays are written before the commit makes it visible.
"""
from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from whoosh.util.filelock import FileLock
from whoosh.writing import LockError

from . import indicators, store
from .columns import KIND_CODE, ColumnDoc, load_columns
from .config import load_config
from .fields import CODE_FIELDS
from .model import IngestError, Report
from .normalize import match_form
from .store import RUN_LOCK, IndexLocked  # noqa: F401  (part of this module's interface)

log = logging.getLogger(__name__)


@dataclass
class IndexSummary:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)


def file_signature(path: str | Path) -> str:
    """Size and mtime of a report file and its sidecar: unchanged signature -> not re-read."""
    from .sidecar import sidecar_name
    # os.stat on strings: pathlib's parsing was most of an unchanged run over 10^4 files
    path = os.fspath(path)
    parts = []
    for p in (path, sidecar_name(path)):
        try:
            st = os.stat(p)
            parts.append(f"{st.st_size}:{st.st_mtime_ns}")
        except OSError:
            parts.append("-")
    return "|".join(parts)


def _facet_values(report: Report) -> dict:
    """The report's value of every coded field (index/fields.py) but the per-paragraph
    section, as text ("" when unknown)."""
    m = report.meta
    return {name: str(getattr(m, name) or "") for name in CODE_FIELDS if name != "section"}


def _prepare(item):
    """Worker: read one file -> (path, Report, None) or (path, None, error)."""
    path, config = item
    from .pipeline import read_report
    try:
        report = read_report(path, config)
    except IngestError as exc:
        return path, None, str(exc)
    except OSError as exc:
        return path, None, f"无法读取文件：{exc.strerror or exc}"
    return path, report, None


def _report_documents(report: Report, sig: str):
    """(whoosh field dicts, ColumnDocs) for one report, report document first."""
    meta = report.to_json()
    meta.pop("paragraphs")
    meta["traditional"] = report.traditional
    values = _facet_values(report)
    wdocs = [dict(id=report.report_id, report_id=report.report_id, kind="report",
                  file=report.file, content_hash=report.content_hash, file_sig=sig,
                  report=json.dumps(meta, ensure_ascii=False))]
    cdocs = [ColumnDoc("report", 0, report.report_id, "", dict(values, section=""))]
    for p in report.paragraphs:
        wdocs.append(dict(report_id=report.report_id, kind=p.kind))
        cdocs.append(ColumnDoc(p.kind, p.ordinal, report.report_id,
                               match_form(p.text),
                               dict(values, section=p.section), p.text,
                               tuple(p.section_path)))
    return wdocs, cdocs


# What incremental indexing compares, kept per report in each segment's side-array report
# list as well as on the Whoosh report document.
_TRACKED = ("file", "content_hash", "file_sig")


def _indexed_reports(ix, index_dir: Path) -> dict[str, dict]:
    """report_id -> {id, file, content_hash, file_sig} of its live report document.

    Read from the side arrays' report lists (one JSON file a segment): reading every report
    document's stored fields took 1.4 s at 20,000 reports. Segments written before the
    lists carried these fields are read from Whoosh."""
    out = {}
    reader = ix.reader()
    try:
        leaves = reader.leaf_readers() if reader.doc_count_all() else []
        for r, _base in leaves:
            seg = r.segment()
            cols = load_columns(index_dir / store.COLS_DIR, seg.segment_id())
            reports = cols.meta["reports"] if cols is not None else []
            if cols is None or not all(all(k in rec for k in _TRACKED) for rec in reports):
                return _indexed_reports_from_documents(ix)
            kind, report = np.asarray(cols["kind"]), np.asarray(cols["report"])
            docs = np.flatnonzero(kind == KIND_CODE["report"])
            if seg.has_deletions():
                gone = np.fromiter(seg.deleted_docs(), dtype=np.int64)
                docs = np.setdiff1d(docs, gone)
            for d in docs.tolist():
                rec = reports[int(report[d])]
                out[rec["id"]] = {"id": rec["id"], **{k: rec[k] for k in _TRACKED}}
    finally:
        reader.close()
    return out


def _indexed_reports_from_documents(ix) -> dict[str, dict]:
    out = {}
    with ix.searcher() as s:
        for docnum in s.document_numbers(kind="report"):
            f = s.stored_fields(docnum)
            out[f["id"]] = f
    return out


def _under(path: Path, roots: list[Path]) -> bool:
    return any(path == r or r in path.parents for r in roots)


class _Batch:
    """One Whoosh commit in the making: deletions and new documents, added as they come.

    Documents go into the writer as soon as a report is read, so this process indexes while
    the worker processes are still reading and segmenting the next files. The segment's side
    arrays are written just before the commit that makes the segment visible."""

    def __init__(self, ix, index_dir: Path, policy: store.MergePolicy):
        self.ix, self.index_dir, self.policy = ix, index_dir, policy
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

    def add(self, report: Report, sig: str) -> None:
        writer = self._writer()
        wdocs, cdocs = _report_documents(report, sig)
        for d in wdocs:
            writer.add_document(**d)
        self.cdocs.extend(cdocs)
        self.reports[report.report_id] = {"title": match_form(report.meta.title or ""),
                                          "issuer": match_form(report.meta.issuer or ""),
                                          "file": report.file,
                                          "content_hash": report.content_hash,
                                          "file_sig": sig}
        self.size += len(cdocs)

    def commit(self) -> None:
        if self.writer is None:
            return
        store.commit(self.writer, self.index_dir, self.cdocs, self.reports, self.policy)
        self.writer, self.cdocs, self.reports, self.size = None, [], {}, 0
        store.after_commit(self.index_dir)

    def cancel(self) -> None:
        if self.writer is not None and not self.writer.is_closed:
            try:
                self.writer.cancel()
            except Exception:   # a writer that failed mid-commit; its files are leftovers
                log.debug("could not cancel the index writer cleanly", exc_info=True)
        self.writer = None


def update_index(paths, index_dir, config=None, prune=False, progress=None,
                 rebuild=False) -> IndexSummary:
    """Bring the index at `index_dir` up to date with the report files under `paths`.

    rebuild=True builds a new index from `paths` beside the old one and swaps it in when
    complete (the way out of an index of an older format)."""
    config = config or load_config()
    indicators.use_config(config)       # the catalogue the new segments' statements use
    index_dir = Path(index_dir)
    if rebuild:
        return _rebuild(paths, index_dir, config, prune, progress)
    try:
        index_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        if exc.errno in store.DISK_FULL_ERRNOS:
            raise store.disk_full_error(index_dir.parent, 0) from None
        raise
    run_lock = FileLock(str(index_dir / RUN_LOCK))
    if not run_lock.acquire(blocking=False):
        raise IndexLocked(f"另一个索引进程正在写入 {index_dir}，请等它结束后再试。")
    work = {"bytes": 0}
    try:
        try:
            ix = store.open_for_writing(index_dir)
            summary = _update(ix, index_dir, paths, config, prune, progress, work)
            store.mark_complete(index_dir)
            return summary
        except BaseException as exc:
            # Whatever stopped the run (full disk, Ctrl+C, a bug): the last commit stays as it
            # was, and what this run half-wrote goes now rather than at the next run.
            _remove_leftovers_quietly(index_dir)
            if isinstance(exc, OSError) and exc.errno in store.DISK_FULL_ERRNOS:
                needed = 8 * work["bytes"] + store.index_bytes(index_dir) // 2
                raise store.disk_full_error(index_dir, needed) from None
            raise
    finally:
        run_lock.release()


def _remove_leftovers_quietly(index_dir: Path) -> None:
    try:
        store.remove_leftovers(index_dir)
    except Exception:       # cleaning up must never hide the error that stopped the run
        log.debug("could not remove the leftovers of a failed run in %s", index_dir,
                  exc_info=True)


def _rebuild(paths, index_dir: Path, config, prune, progress) -> IndexSummary:
    fresh = index_dir.with_name(index_dir.name + ".rebuild")
    old = index_dir.with_name(index_dir.name + ".old")
    import shutil
    shutil.rmtree(fresh, ignore_errors=True)
    summary = update_index(paths, fresh, config, prune, progress)
    shutil.rmtree(old, ignore_errors=True)
    if index_dir.exists():
        os.replace(index_dir, old)
    os.replace(fresh, index_dir)
    shutil.rmtree(old, ignore_errors=True)
    return summary


def _update(ix, index_dir, paths, config, prune, progress, work) -> IndexSummary:
    from .pipeline import collect_files
    wcfg = config["writer"]
    batch_paragraphs = int(wcfg["batch_paragraphs"])
    pool_min_files = int(wcfg["pool_min_files"])
    procs = int(wcfg["procs"])
    summary = IndexSummary()
    files = [Path(os.path.abspath(f)) for f in collect_files(paths, config)]
    indexed = _indexed_reports(ix, Path(index_dir))
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
    work["bytes"] = sum(_size(f) for f in to_read)
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

    batch = _Batch(ix, index_dir, store.MergePolicy.from_config(config))
    try:
        if prune:
            roots = [Path(os.path.abspath(p)) for p in paths]
            for rid, f in indexed.items():
                fp = Path(f["file"])
                if f["file"] not in seen_files and _under(fp, roots) and not fp.exists():
                    batch.delete(rid)
                    summary.removed += 1

        claimed = {}  # report_id -> file, within this run
        for path, report, error in results():
            done += 1
            if report is None:
                summary.failed.append((path, error))
            else:
                problem = _conflict(report, indexed, hashes, claimed)
                if problem:
                    summary.failed.append((path, problem))
                else:
                    _add_or_update(batch, report, file_signature(path), indexed,
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


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


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


def _add_or_update(batch: _Batch, report: Report, sig: str, indexed: dict,
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
    batch.add(report, sig)
