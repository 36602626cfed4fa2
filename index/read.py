"""Read a report file's bytes and decode them to text, refusing what is not a report.

Reports arrive as UTF-8, GB18030/GBK (most mainland portals' downloads) or Big5 (Traditional).
Every refusal is an IngestError whose message is one plain sentence naming the reason.
"""
from __future__ import annotations

import codecs
import errno
import os
import re
import stat
from pathlib import Path

import charset_normalizer

from .model import IngestError

# Encodings a Chinese government report realistically comes in; charset-normalizer is asked
# to choose among these only, so a short GBK file is never read as, say, cp1252.
CANDIDATE_ENCODINGS = ["utf_8", "gb18030", "big5", "utf_16"]


def shown_file_name(file) -> str:
    """A report's file as a reader may see it (pages, API, exports): a display name as it
    is, an absolute path by its last part only, never a folder of the server."""
    name = display_path(file or "")
    if name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:[\\/]", name):
        name = name.replace("\\", "/").rsplit("/", 1)[-1]
    return name


def display_path(path) -> str:
    """`path` as printable text: bytes of a name that are not UTF-8 (a file name from a GBK
    system) are shown as backslash escapes (\\xb1\\xa8), so printing it never fails."""
    text = os.fspath(path)
    if isinstance(text, bytes):
        return text.decode("utf-8", "backslashreplace")
    try:
        # os.fsdecode keeps undecodable bytes as surrogates \udc80-\udcff: turn them back
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:  # a lone surrogate that is not an escaped byte
        return text.encode("utf-8", "backslashreplace").decode("utf-8")


def check_name(path) -> None:
    """Refuse a path whose file or folder name is not valid UTF-8: such a name cannot be
    stored, shown on a page or put in a citation as it is."""
    for part in reversed(Path(path).parts):
        try:
            part.encode("utf-8")
        except UnicodeEncodeError:
            raw = part.encode("utf-8", "surrogateescape")
            try:
                guess = f"（按 GBK 读作“{raw.decode('gb18030')}”）"
            except UnicodeDecodeError:
                guess = ""
            what = "文件名" if part == Path(path).name else f"所在文件夹名 {display_path(part)} "
            raise IngestError(f"{what}不是 UTF-8 编码{guess}，请改名后再索引")


_KINDS = ((stat.S_ISFIFO, "命名管道（FIFO）"), (stat.S_ISSOCK, "套接字（socket）"),
          (stat.S_ISCHR, "字符设备"), (stat.S_ISBLK, "块设备"))


def _not_regular(mode: int) -> IngestError:
    if stat.S_ISDIR(mode):
        return IngestError("这是一个文件夹，不是报告文件")
    kind = next((name for test, name in _KINDS if test(mode)), "特殊文件")
    return IngestError(f"这是{kind}，不是普通文件，已跳过")


def check_regular_file(path) -> os.stat_result:
    """The file's stat; IngestError when it is missing, a symlink loop, a folder, or anything
    but a regular file (a FIFO would block the reader forever). Nothing is opened."""
    try:
        st = os.stat(path)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise IngestError("这是符号链接循环（链接绕回自己），找不到真正的文件") from None
        if exc.errno in (errno.ENOENT, errno.ENOTDIR):
            if os.path.islink(path):
                raise IngestError("符号链接指向的文件不存在") from None
            raise IngestError("文件不存在") from None
        raise IngestError(f"无法读取文件：{exc.strerror or exc}") from None
    if not stat.S_ISREG(st.st_mode):
        raise _not_regular(st.st_mode)
    return st


def _too_big(size: int, max_bytes: int) -> IngestError:
    return IngestError(
        f"文件过大（{size / 1048576:.1f} MB，上限 {max_bytes / 1048576:.0f} MB），"
        "不像一份年度报告；如确需索引，请调高配置 ingest.max_file_bytes")


def read_bytes(path: str | Path, max_bytes: int) -> bytes:
    size = check_regular_file(path).st_size
    if size > max_bytes:
        raise _too_big(size, max_bytes)
    try:
        # O_NONBLOCK: should the file be swapped for a FIFO after the check, open() returns
        # at once instead of waiting for a writer; the fstat below then refuses it.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        raise IngestError(f"无法读取文件：{exc.strerror or exc}") from None
    with os.fdopen(fd, "rb") as f:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise _not_regular(mode)
        try:
            data = f.read(max_bytes + 1)     # bounded: the file may have grown since the stat
        except OSError as exc:
            raise IngestError(f"无法读取文件：{exc.strerror or exc}") from None
    if len(data) > max_bytes:
        raise _too_big(len(data), max_bytes)
    if not data.strip():
        raise IngestError("文件是空的")
    return data


def utf16_without_bom(data: bytes) -> str | None:
    """"utf-16-le" or "utf-16-be" when the bytes are UTF-16 text without a byte-order mark.

    Line breaks, digits and ASCII punctuation put a NUL byte in every other position (odd
    positions in little-endian, even in big-endian); binary data has NULs on both sides, or
    does not decode to printable text.
    """
    head = data[:8192]
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return None
    even, odd = head[0::2].count(0), head[1::2].count(0)
    if odd > 4 * even and odd:
        encoding = "utf-16-le"
    elif even > 4 * odd and even:
        encoding = "utf-16-be"
    else:
        return None
    # final=False: a character cut at the 8 KB boundary is not an error
    sample = codecs.getincrementaldecoder(encoding)("replace").decode(head, final=False)
    printable = sum(1 for c in sample
                    if c != "\ufffd" and (c.isprintable() or c in "\t\n\r\u3000\xa0"))
    return encoding if sample and printable >= 0.98 * len(sample) else None


def looks_binary(data: bytes) -> bool:
    """NUL bytes or many control characters in the first 8 KB: not text in any encoding."""
    head = data[:8192]
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or utf16_without_bom(head):
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
    utf16 = utf16_without_bom(data)
    if utf16:
        try:
            return data.decode(utf16), utf16
        except UnicodeDecodeError:
            raise IngestError("文件不是有效的 UTF-16 文本，可能已损坏或被截断") from None
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
