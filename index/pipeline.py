"""The ingest stage: raw report file -> clean text -> metadata -> sections -> paragraphs.

`read_report` is the one entry point; `reportsearch inspect` prints what it returns and the
index writer stores it.
"""
from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

from .clean import clean_lines, plain_text
from .config import default_config
from .formats import FORMATS, UNSUPPORTED, extract, manifest_urls
from .metadata import extract_metadata, formal_issuer
from .model import IngestError, Metadata, Report
from .normalize import (looks_traditional, original_wording, to_simplified,
                        to_simplified_characters)
from .read import check_name, check_regular_file, decode_text, read_bytes
from .sidecar import apply_sidecar, read_sidecar
from .structure import split_paragraphs

_SAFE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,79}$")
_HAN = re.compile(r"[\u4e00-\u9fff]")
# A report body has at least this many Chinese characters; less is a page stub, not a report.
MIN_HAN_CHARS = 50


def report_id_for(path: str | Path) -> str:
    """A stable id from the file name, so permalinks survive re-indexing and edits.

    ASCII file names are used as they are; other names (most Chinese file names) become a
    short hash of the name, which stays the same as long as the file keeps its name.
    """
    stem = Path(path).stem
    if _SAFE_ID.match(stem):
        return stem
    return "r" + hashlib.sha1(stem.encode("utf-8", "surrogateescape")).hexdigest()[:16]


def collect_files(paths, config: dict | None = None) -> list[Path]:
    """Report files under `paths` (files as given, folders searched recursively, hidden
    files skipped), each once, in order.

    A path that does not exist is kept, so that reading it reports the problem.
    """
    config = config or default_config()
    extensions = tuple(e.lower() for e in config["ingest"]["extensions"])
    found: list[str] = []
    for p in map(str, paths):
        if os.path.isdir(p):
            # os.walk, not Path.rglob: a national corpus is 10^5 files
            for folder, dirs, names in os.walk(p):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                found.extend(os.path.join(folder, n) for n in sorted(names)
                             if not n.startswith(".") and n.lower().endswith(extensions))
        else:
            found.append(p)
    seen: set[str] = set()
    unique: list[Path] = []
    for f in found:
        key = os.path.abspath(f)
        if key not in seen:
            seen.add(key)
            unique.append(Path(f))
    return unique


def read_report(path: str | Path, config: dict | None = None, explain: dict | None = None) -> Report:
    """Everything the pipeline extracts from one file; IngestError when it is not a report.
    With `explain` (a dict), the metadata stage fills it with the evidence of each field."""
    config = config or default_config()
    path = Path(path)
    check_name(path)
    check_regular_file(path)
    extensions = tuple(e.lower() for e in config["ingest"]["extensions"])
    if path.suffix.lower() not in extensions:
        raise IngestError(f"不支持的文件类型 {path.suffix or '(无扩展名)'}；"
                          f"目前可读取：{' '.join(extensions)}")
    data = read_bytes(path, config["ingest"]["max_file_bytes"])
    suffix = path.suffix.lower()
    if suffix in FORMATS or suffix in UNSUPPORTED:
        extracted = extract(path, data, config)
        text = extracted.text
        hints = {k: plain_text(v) if isinstance(v, str) else v for k, v in extracted.hints.items()}
    else:
        text, hints = decode_text(data)[0], {}
    url = manifest_urls(path.parent).get(path.name)
    if url:
        hints["url"] = url

    lines = clean_lines(text, config)
    body_start = next((i for i, line in enumerate(lines) if not line.chrome), None)
    body = [line for line in lines if not line.chrome]
    if len(_HAN.findall("".join(line.text for line in body))) < MIN_HAN_CHARS:
        raise IngestError("没有可识别的报告正文（中文正文过少）")

    # Rules read the rule form (Simplified for a Traditional report); users see the report's
    # own characters, so values a rule reads out of the text are traced back to them.
    traditional = looks_traditional("".join(line.text for line in body))
    if traditional:
        meta_lines = [to_simplified(line.form) for line in lines]
        rule_body = [to_simplified_characters(line.form) for line in body]
    else:
        meta_lines = [line.form for line in lines]
        rule_body = [line.form for line in body]

    sidecar, sidecar_raw = read_sidecar(path)
    meta: Metadata = extract_metadata(meta_lines, body_start, config, url=hints.get("url"),
                                      explain=explain)
    if meta.title and not meta.title_derived:
        meta.title = original_wording(meta.title, [line.text for line in lines], meta_lines)
    # What the container states (HTML meta tags, manifest.csv) beats what the text suggests;
    # a sidecar beats both.
    meta = apply_sidecar(meta, {k: v for k, v in hints.items() if v})
    meta = apply_sidecar(meta, sidecar)
    meta.issuer_full = formal_issuer(meta, config)

    report_id = report_id_for(path)
    paragraphs = split_paragraphs([line.text for line in body], report_id, rule_body, config,
                                  year=meta.year)
    return Report(
        file=str(path),
        report_id=report_id,
        meta=meta,
        paragraphs=paragraphs,
        content_hash=hashlib.sha256(
            b"\0".join((data, sidecar_raw, (url or "").encode()))).hexdigest(),
        traditional=traditional,
    )
