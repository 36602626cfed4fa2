"""The index on disk: its layout, format version, opening, commits, merging and cleanup.

Everything that touches the files of an index folder is here; the writer (index/writer.py)
decides *what* goes in, the searcher (searcher/engine.py) reads what `open_read_state`
hands it, and neither knows the layout.

Layout of an index folder:
  STORE.json         format version, build id, and whether a first build has completed
  MAIN_<gen>.toc     Whoosh's table of contents: one commit and the segments it holds
  MAIN_<seg>.*       a Whoosh segment: the documents' stored fields, report_id and kind
  cols/<seg>/        the segment's side arrays (index/columns.py), written before the
                     commit that makes the segment visible, never changed afterwards
  UPDATE.lock        held by the one writer run (an OS lock: released when it dies)
Temporary, removed at the start of every writer run and when a run fails:
  MAIN.tmp/ (Whoosh's posting pool), *.ctmp, cols/*.tmp, STORE.json.tmp, segment files
  no commit refers to.

Segments are immutable: a commit adds at most one segment, into which the merge policy
(`plan_merge`, tiered like Lucene's) folds older ones, so their count stays bounded. A
reader keeps the segment files it opened (POSIX keeps unlinked open files readable), so a
commit or merge never disturbs a request in flight.
"""
from __future__ import annotations

import errno
import json
import math
import os
import shutil
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from whoosh import fields, index as windex
from whoosh.filedb.filestore import FileStorage

from .columns import ColumnDoc, build_columns, column_docs, load_columns, write_columns

INDEX_NAME = "MAIN"
COLS_DIR = "cols"
STORE_FILE = "STORE.json"
RUN_LOCK = "UPDATE.lock"
# Bump whenever the schema, the side arrays or their meaning change: an index of another
# format is refused with the command that rebuilds it, never read as if current.
# 3: paragraphs keep the report's own characters (no NFKC); signature paragraphs.
# 4: no word fields; report metadata stored once, on the report document.
# 5: display text and section paths in the side arrays (compressed), not in Whoosh.
FORMAT_VERSION = 5

# What a failed run can leave behind; all of it is safe to delete while the run lock is held.
_TEMP_SUFFIXES = (".tmp", ".ctmp")
# Errors that mean "the disk (or quota) is full", not a bug.
DISK_FULL_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}


class StoreError(Exception):
    """A problem with the index folder; str(e) is one Chinese sentence saying what to run."""


class IndexNotFound(StoreError):
    pass


class IndexNotBuilt(StoreError):
    pass


class IndexFormatError(StoreError):
    pass


class IndexLocked(StoreError):
    """Another process is writing the index."""


class DiskFull(StoreError):
    pass


def make_schema() -> fields.Schema:
    """One document per paragraph and one per report. Nothing is indexed for matching:
    exact search, ranking, filters and facets run on the side arrays (index/columns.py),
    which also find a document by its id; Whoosh keeps the documents' stored fields."""
    return fields.Schema(
        # Ids, kinds, ordinals, sections and reports of paragraphs are in the side arrays;
        # report_id and kind are indexed (not stored) to delete a report's documents and to
        # list the report documents.
        report_id=fields.ID(),
        kind=fields.ID(),
        # (a paragraph's display text and section path are in the side arrays, compressed:
        # index/columns.py)
        # report documents: the report id, its metadata once (Report.to_json() without
        # paragraphs, + "traditional"), and what incremental indexing compares
        id=fields.STORED(),
        report=fields.STORED(),
        file=fields.STORED(),
        content_hash=fields.STORED(),
        file_sig=fields.STORED(),
    )


# ---------------------------------------------------------------------- STORE.json

def read_store_info(index_dir) -> dict | None:
    try:
        return json.loads((Path(index_dir) / STORE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _write_store_info(index_dir: Path, info: dict) -> None:
    tmp = index_dir / (STORE_FILE + ".tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(info, f)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, index_dir / STORE_FILE)


def _has_commit(index_dir: Path) -> bool:
    try:
        return windex.exists_in(str(index_dir), indexname=INDEX_NAME)
    except OSError:
        return False


def check_index(index_dir) -> dict:
    """STORE.json of a complete index of the current format, or the StoreError that says why
    it cannot be read and what to run."""
    index_dir = Path(index_dir)
    info = read_store_info(index_dir)
    if info is None:
        if _has_commit(index_dir):
            raise IndexFormatError(
                f"索引 {index_dir} 是旧版本格式，当前版本无法读取：请运行 "
                f"reportsearch index --rebuild 重建（需给出全部报告所在的文件夹）。")
        raise IndexNotFound(f"索引尚未建立（{index_dir}）：请先运行 reportsearch index <报告文件夹>。")
    if info.get("format") != FORMAT_VERSION:
        raise IndexFormatError(
            f"索引 {index_dir} 的格式版本为 {info.get('format')}，当前版本需要 {FORMAT_VERSION}："
            f"请运行 reportsearch index --rebuild 重建（需给出全部报告所在的文件夹）。")
    if not info.get("complete"):
        raise IndexNotBuilt(f"索引 {index_dir} 尚未建成（上次建立索引没有完成）："
                            f"请运行 reportsearch index，已完成的部分会保留。")
    return info


def commit_id(index_dir) -> tuple | None:
    """What identifies the newest commit (build id, generation); None if unreadable. Cheap:
    the web app asks it every few seconds to decide whether to reopen."""
    info = read_store_info(index_dir)
    if info is None:
        return None
    try:
        generation = windex.open_dir(str(index_dir), indexname=INDEX_NAME).latest_generation()
    except Exception:       # no commit yet, or one half-written: keep what we have
        return None
    return info.get("build_id"), info.get("complete"), generation


# ---------------------------------------------------------------------- reading

@dataclass
class ReadState:
    """One commit, opened: the Whoosh reader and every segment's side arrays and deletions.

    Immutable once made; a searcher made from it may be shared by any number of threads as
    long as they call the (not thread-safe) Whoosh reader under one lock."""
    ix: object
    reader: object
    generation: int
    segments: list          # (columns.SegmentColumns, base doc number, deleted mask)


def open_read_state(index_dir, retries: int = 5) -> ReadState:
    """The newest commit of a complete index of the current format. Never writes."""
    index_dir = Path(index_dir)
    check_index(index_dir)
    for attempt in range(retries):
        try:
            return _open_read_state(index_dir)
        except (OSError, _MissingColumns):
            # A writer committed and removed the files of the commit we started to open.
            if attempt == retries - 1:
                raise
            time.sleep(0.05 * (attempt + 1))
    raise AssertionError("unreachable")


class _MissingColumns(Exception):
    pass


def _open_read_state(index_dir: Path) -> ReadState:
    ix = windex.open_dir(str(index_dir), indexname=INDEX_NAME)
    generation = ix.latest_generation()
    reader = ix.reader()
    segments = []
    leaves = reader.leaf_readers() if reader.doc_count_all() else []
    for r, base in leaves:
        seg = r.segment()
        cols = load_columns(index_dir / COLS_DIR, seg.segment_id())
        if cols is None or cols.meta.get("format") != FORMAT_VERSION:
            if windex.open_dir(str(index_dir), indexname=INDEX_NAME).latest_generation() \
                    != generation:
                raise _MissingColumns(seg.segment_id())
            raise IndexFormatError(
                f"索引 {index_dir} 不完整（第 {seg.segment_id()} 段缺少附属数据）："
                f"请运行 reportsearch index --rebuild 重建。")
        deleted = np.zeros(r.doc_count_all(), dtype=bool)
        if seg.has_deletions():
            deleted[np.fromiter(seg.deleted_docs(), dtype=np.int64)] = True
        segments.append((cols, base, deleted))
    return ReadState(ix, reader, generation, segments)


# ---------------------------------------------------------------------- writing

def open_for_writing(index_dir: Path):
    """The Whoosh index to write (created, with STORE.json, when there is none yet), after
    removing what earlier failed runs left. The caller holds the run lock."""
    index_dir.mkdir(parents=True, exist_ok=True)
    info = read_store_info(index_dir)
    if info is None and _has_commit(index_dir):
        check_index(index_dir)          # raises the old-format error
    if info is not None and info.get("format") != FORMAT_VERSION:
        check_index(index_dir)
    if info is None:
        _write_store_info(index_dir, {"format": FORMAT_VERSION, "complete": False,
                                      "build_id": uuid.uuid4().hex})
    if _has_commit(index_dir):
        ix = windex.open_dir(str(index_dir), indexname=INDEX_NAME)
    else:
        ix = windex.create_in(str(index_dir), make_schema(), indexname=INDEX_NAME)
    remove_leftovers(index_dir)
    return ix


def mark_complete(index_dir: Path) -> None:
    info = read_store_info(index_dir) or {}
    if not info.get("complete"):
        _write_store_info(index_dir, {**info, "format": FORMAT_VERSION, "complete": True})


def remove_leftovers(index_dir: Path) -> None:
    """Delete what killed or failed runs left behind. Run lock held, no Whoosh writer open."""
    if not _has_commit(index_dir):
        return
    ix = windex.open_dir(str(index_dir), indexname=INDEX_NAME)
    # Whoosh's own cleaner: segment files and tables of contents no commit refers to.
    windex.clean_files(FileStorage(str(index_dir)), INDEX_NAME, ix.latest_generation(),
                       ix._segments())
    for entry in list(index_dir.iterdir()):
        if entry.name.endswith(_TEMP_SUFFIXES):
            _remove(entry)
    _remove_orphan_columns(index_dir, {s.segment_id() for s in ix._segments()})


def _remove_orphan_columns(index_dir: Path, keep: set[str]) -> None:
    """Side-array folders of segments no commit refers to (merged away, or never committed)."""
    cols_root = index_dir / COLS_DIR
    if cols_root.is_dir():
        for folder in list(cols_root.iterdir()):
            if folder.name not in keep:
                _remove(folder)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        try:
            path.unlink()
        except OSError:
            pass


def _folder_bytes(folder: Path) -> int:
    total = 0
    for entry in folder.iterdir():
        try:
            total += _folder_bytes(entry) if entry.is_dir() and not entry.is_symlink() \
                else entry.stat().st_size
        except OSError:
            pass
    return total


def index_bytes(index_dir) -> int:
    index_dir = Path(index_dir)
    return _folder_bytes(index_dir) if index_dir.is_dir() else 0


def disk_full_error(index_dir: Path, needed: int) -> DiskFull:
    try:
        free = shutil.disk_usage(index_dir).free
    except OSError:
        free = 0
    return DiskFull(f"磁盘空间不足：索引 {index_dir} 所在磁盘只剩 {free / 1048576:.0f} MB，"
                    f"本次索引约需 {max(needed, 1048576) / 1048576:.0f} MB。未完成的文件已删除，"
                    f"原索引照常可用；腾出空间后重新运行 reportsearch index 即可。")


# ---------------------------------------------------------------------- merging

@dataclass(frozen=True)
class MergePolicy:
    """Tiered merging: a segment's tier is log_factor(paragraphs / floor); when a tier (with
    the segment being written) reaches `factor` segments they merge into the new one, so at
    most factor-1 segments of each tier stay and their count is bounded by
    (factor-1) * log_factor(corpus / floor) + corpus / max_paragraphs."""
    factor: int = 4
    floor: int = 2000                # segments below this size are all of tier 0
    max_paragraphs: int = 300_000    # a merge never makes a segment larger than this
    deleted_share: float = 0.3       # a segment with more deleted documents is rewritten

    @classmethod
    def from_config(cls, config: dict) -> "MergePolicy":
        m = (config.get("writer") or {}).get("merge") or {}
        return cls(factor=max(2, int(m.get("factor", cls.factor))),
                   floor=max(1, int(m.get("floor_paragraphs", cls.floor))),
                   max_paragraphs=int(m.get("max_paragraphs", cls.max_paragraphs)),
                   deleted_share=float(m.get("deleted_share", cls.deleted_share)))

    def tier(self, docs: int) -> int:
        return int(math.log(max(docs, self.floor) / self.floor, self.factor) + 1e-9)


def plan_merge(segments: dict[str, tuple[int, int]], new_docs: int,
               policy: MergePolicy) -> list[str]:
    """Segment ids to fold into the segment being written (`new_docs` documents).

    `segments`: segment id -> (live documents, all documents). Segments with no live
    document are always dropped; ones with many deletions are rewritten."""
    chosen = [sid for sid, (live, total) in segments.items()
              if live == 0 or (live < policy.max_paragraphs
                               and (total - live) > policy.deleted_share * total)]
    size = new_docs + sum(segments[s][0] for s in chosen)
    rest = {sid: live for sid, (live, _) in segments.items() if sid not in chosen}
    while True:
        tier = policy.tier(size)
        same = sorted((sid for sid, live in rest.items() if policy.tier(live) <= tier),
                      key=rest.get)
        if len(same) + 1 < policy.factor:
            return chosen
        # Never grow past the cap: take the smallest segments that fit.
        take = []
        for sid in same:
            if size + rest[sid] > policy.max_paragraphs:
                break
            take.append(sid)
            size += rest[sid]
        if len(take) + 1 < policy.factor:
            return chosen
        chosen += take
        for sid in take:
            del rest[sid]


def commit(writer, index_dir: Path, new_docs: list[ColumnDoc], reports: dict,
           policy: MergePolicy) -> None:
    """Commit `writer`: fold in the segments `plan_merge` picks, write the new segment's side
    arrays, then write the table of contents that makes it visible.

    `new_docs` are the side-array records of the documents added to `writer`, in order;
    `reports` maps their report ids to {"title", "issuer"} (match forms)."""
    from whoosh.reading import SegmentReader
    cols_root = index_dir / COLS_DIR

    def merge(w, segments):
        sizes = {s.segment_id(): (s.doc_count(), s.doc_count_all()) for s in segments}
        chosen = set(plan_merge(sizes, len(new_docs), policy))
        docs, merged_reports = list(new_docs), {}
        for seg in segments:
            if seg.segment_id() not in chosen or seg.doc_count() == 0:
                continue
            cols = load_columns(cols_root, seg.segment_id())
            if cols is None:
                raise IndexFormatError(f"索引 {index_dir} 不完整（第 {seg.segment_id()} 段缺少"
                                       f"附属数据）：请运行 reportsearch index --rebuild 重建。")
            # add_reader appends the segment's live documents in document order; the side
            # arrays take them in the same order.
            reader = SegmentReader(w.storage, w.schema, seg)
            try:
                w.add_reader(reader)
            finally:
                reader.close()
            live = [d for d in range(seg.doc_count_all()) if not seg.is_deleted(d)]
            part, part_reports = column_docs(cols, live)
            docs += part
            merged_reports.update(part_reports)
        if docs:
            arrays, extra = build_columns(docs, {**merged_reports, **reports})
            extra["meta"]["format"] = FORMAT_VERSION
            write_columns(cols_root, w.newsegment.segment_id(), arrays, extra)
        return [s for s in segments if s.segment_id() not in chosen]

    writer.commit(mergetype=merge)


def after_commit(index_dir: Path) -> None:
    """Remove the side arrays of segments the last commit merged away (run lock held)."""
    ix = windex.open_dir(str(index_dir), indexname=INDEX_NAME)
    _remove_orphan_columns(index_dir, {s.segment_id() for s in ix._segments()})


def segment_count(index_dir) -> int:
    return len(windex.open_dir(str(index_dir), indexname=INDEX_NAME)._segments())
