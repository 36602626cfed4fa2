"""Read a report file's bytes and decode them to text, refusing what is not a report.

Reports arrive as UTF-8, GB18030/GBK (most mainland portals' downloads) or Big5 (Traditional).
Every refusal is an IngestError whose message is one plain sentence naming the reason.
"""
from __future__ import annotations

import codecs
from pathlib import Path

import charset_normalizer

from .model import IngestError

# Encodings a Chinese government report realistically comes in; charset-normalizer is asked
# to choose among these only, so a short GBK file is never read as, say, cp1252.
CANDIDATE_ENCODINGS = ["utf_8", "gb18030", "big5", "utf_16"]


def read_bytes(path: str | Path, max_bytes: int) -> bytes:
    path = Path(path)
    if not path.exists():
        raise IngestError("文件不存在")
    if path.is_dir():
        raise IngestError("这是一个文件夹，不是报告文件")
    size = path.stat().st_size
    if size > max_bytes:
        raise IngestError(
            f"文件过大（{size / 1048576:.1f} MB，上限 {max_bytes / 1048576:.0f} MB），"
            "不像一份年度报告；如确需索引，请调高配置 ingest.max_file_bytes")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise IngestError(f"无法读取文件：{exc.strerror or exc}") from None
    if not data.strip():
        raise IngestError("文件是空的")
    return data


def looks_binary(data: bytes) -> bool:
    """NUL bytes or many control characters in the first 8 KB: not text in any encoding."""
    head = data[:8192]
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13, 27))
    return controls > len(head) * 0.02


def _truncated_utf8(data: bytes) -> bool:
    """True when the bytes are valid UTF-8 except for an incomplete character at the end."""
    try:
        data.decode("utf-8")
        return False
    except UnicodeDecodeError as exc:
        if exc.end < len(data) - 3 and exc.reason != "unexpected end of data":
            return False
    for cut in (1, 2, 3):
        try:
            data[:-cut].decode("utf-8")
            return True
        except UnicodeDecodeError:
            continue
    return False


def decode_text(data: bytes) -> tuple[str, str]:
    """(text, encoding name). UTF-8 first (strict), then charset-normalizer's best guess."""
    if looks_binary(data):
        raise IngestError("这是二进制文件，不是文本报告（如是 Word/PDF，请先转换为文本）")
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if _truncated_utf8(data):
        raise IngestError("文件在一个多字节字符中间被截断（UTF-8 不完整），可能下载不完整")
    best = charset_normalizer.from_bytes(data, cp_isolation=CANDIDATE_ENCODINGS).best()
    if best is None:
        raise IngestError("无法识别文件的字符编码（试过 UTF-8、GB18030、Big5）")
    encoding = best.encoding
    try:
        return data.decode(encoding), encoding
    except (UnicodeDecodeError, LookupError):
        raise IngestError(f"文件不是有效的 {encoding} 文本，可能已损坏或被截断") from None
