"""Container formats: turn a saved web page, a Word file or a PDF into report text.

Each extractor returns the document as lines (one per paragraph, heading or table row) plus
the metadata the container itself states (`hints`). The pipeline runs its usual stages on the
text and lays the hints over what it extracts (a sidecar still wins over both).
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..config import default_config
from ..model import IngestError
from ..read import display_path


@dataclass
class Extracted:
    text: str                                   # lines joined by "\n"
    hints: dict = field(default_factory=dict)   # title, published, source, url, issuer


def _html(path: Path, data: bytes, config: dict) -> Extracted:
    from .html import extract_html
    return extract_html(data)


def _docx(path: Path, data: bytes, config: dict) -> Extracted:
    from .docx import extract_docx
    return extract_docx(data, config["ingest"])


def _pdf(path: Path, data: bytes, config: dict) -> Extracted:
    from .pdf import extract_pdf
    return extract_pdf(data)


# Extractors are imported lazily: plain-text users never load lxml, python-docx or pdfminer.
FORMATS = {".html": _html, ".htm": _html, ".docx": _docx, ".pdf": _pdf}

UNSUPPORTED = {
    ".doc": "是旧版 Word（.doc）文件，无法直接读取，请用 Word 或 WPS 打开后另存为 .docx 再索引",
    ".wps": "是 WPS 文字（.wps）文件，无法直接读取，请用 WPS 打开后另存为 .docx 再索引",
}


def extract(path: Path, data: bytes, config: dict | None = None) -> Extracted:
    """The text and container metadata of one report file; IngestError when it cannot be read.

    `path` decides the format by its suffix; `data` are the file's bytes; `config` gives the
    limits (ingest:), the packaged defaults when None.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in UNSUPPORTED:
        raise IngestError(f"{display_path(path.name)} {UNSUPPORTED[suffix]}")
    extractor = FORMATS.get(suffix)
    if extractor is None:
        raise IngestError(f"{display_path(path.name)} 的格式 {suffix or '(无扩展名)'} 不受支持；"
                          f"可读取：{' '.join(sorted(FORMATS))}")
    if not data.strip():
        raise IngestError("文件是空的")
    return extractor(path, data, config or default_config())


# Citation links: a manifest.csv beside the reports, with a header row naming `file` and `url`.
MANIFEST_NAME = "manifest.csv"
_URL = re.compile(r"^https?://\S+$", re.IGNORECASE)


def manifest_urls(folder: Path) -> dict[str, str]:
    """File name -> url from `folder`/manifest.csv (columns file,url); {} when there is none.

    Rows whose url is not an http(s) address are skipped, so a bad row never puts a junk link
    into a citation. Keys are file names: a path in the `file` column is reduced to its name.
    """
    path = Path(folder) / MANIFEST_NAME
    if not path.is_file():
        return {}
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel on Chinese Windows saves CSV in GB18030.
        text = raw.decode("gb18030", errors="replace")
    reader = csv.DictReader(io.StringIO(text))
    fields = {(name or "").strip().lower(): name for name in (reader.fieldnames or [])}
    if "file" not in fields or "url" not in fields:
        raise IngestError(f"{path} 需要表头 file,url")
    urls: dict[str, str] = {}
    for row in reader:
        name = (row.get(fields["file"]) or "").strip()
        url = (row.get(fields["url"]) or "").strip()
        if name and _URL.match(url):
            urls[Path(name.replace("\\", "/")).name] = url
    return urls
