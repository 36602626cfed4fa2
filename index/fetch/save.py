"""Where fetched reports go: file names, atomic writes, the folder's manifest.csv (which the
indexer reads for citation URLs, index.formats.manifest_urls) and the fetch state
(`.fetch/state.json`: per URL its ETag, Last-Modified, content hash and file), which makes a
re-run download nothing unchanged and an interrupted run resume.

The hidden `.fetch/` and `.pages/` folders are skipped by the indexer (index.pipeline
collect_files skips hidden folders): `.pages/` keeps, byte for byte, the pages that are not
reports themselves (a page that only links to its attachments).
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import tempfile
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ..formats import MANIFEST_NAME

STATE_DIR = ".fetch"
STATE_NAME = "state.json"
PAGES_DIR = ".pages"
# manifest.csv columns: `file` and `url` are what the indexer reads; the rest say where the
# file came from. Columns a user added are kept.
MANIFEST_FIELDS = ["file", "url", "fetched_at", "list_page", "page"]
_UNSAFE = re.compile(r"[^\w.\-\u4e00-\u9fff]+")


def write_atomically(path: Path, data: bytes) -> None:
    """`data` at `path`, never half-written: a temporary file beside it, then one rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name[:40]}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_name_for(url: str, extension: str) -> str:
    """A stable, unique file name for the resource at `url`: its last path part (without
    its extension, unsafe characters replaced), a short hash of the whole URL, `extension`.

    Portals name many pages index.html or content.jsp, so the hash keeps them apart; the
    same URL always gets the same name, so a re-fetch replaces its own file."""
    parts = urlsplit(url)
    last = unquote(parts.path.rstrip("/").rsplit("/", 1)[-1]) or parts.hostname or "page"
    stem = _UNSAFE.sub("_", os.path.splitext(last)[0]).strip("._-")[:60] or "page"
    return f"{stem}-{hashlib.sha1(url.encode('utf-8')).hexdigest()[:8]}{extension}"


# ---------------------------------------------------------------- state

def state_path(folder: Path) -> Path:
    return Path(folder) / STATE_DIR / STATE_NAME


def read_state(folder: Path) -> dict:
    """{"urls": {url: entry}, "run": {...} or absent}; an unreadable state is started afresh
    (it only saves requests, it holds nothing that cannot be fetched again)."""
    try:
        state = json.loads(state_path(folder).read_text(encoding="utf-8"))
        if isinstance(state, dict) and isinstance(state.get("urls"), dict):
            return state
    except (OSError, ValueError):
        pass
    return {"urls": {}}


def write_state(folder: Path, state: dict) -> None:
    write_atomically(state_path(folder), json.dumps(state, ensure_ascii=False, indent=1)
                     .encode("utf-8"))


# ---------------------------------------------------------------- manifest

def read_manifest(folder: Path) -> tuple[list[str], list[dict]]:
    """(columns, rows) of folder/manifest.csv; our columns and no rows when there is none."""
    path = Path(folder) / MANIFEST_NAME
    if not path.is_file():
        return list(MANIFEST_FIELDS), []
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("gb18030", errors="replace")   # as manifest_urls reads it
    reader = csv.DictReader(io.StringIO(text))
    columns = [c for c in (reader.fieldnames or []) if c]
    columns += [c for c in MANIFEST_FIELDS if c not in columns]
    return columns, [dict(row) for row in reader]


def record_in_manifest(folder: Path, row: dict) -> None:
    """Add or replace (by `file`) one row of folder/manifest.csv, rewritten atomically in
    UTF-8 with a byte-order mark (so Excel opens it as UTF-8)."""
    columns, rows = read_manifest(folder)
    rows = [r for r in rows if (r.get("file") or "").strip() != row["file"]] + [row]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for r in rows:
        writer.writerow({c: r.get(c) or "" for c in columns})
    write_atomically(Path(folder) / MANIFEST_NAME, out.getvalue().encode("utf-8-sig"))
