"""Zip containers (.docx) checked for what they unpack to before any library reads them.

A few hundred KB of deflated XML can unpack to gigabytes (a "zip bomb"), and python-docx
reads every part it needs into memory. So each member's declared size is checked against
ingest.max_unzipped_part_bytes and the sum against ingest.max_unzipped_total_bytes, and then
every member is unpacked in chunks and counted, so a header that understates a size is
caught too, with memory bounded by one chunk.
"""
from __future__ import annotations

import io
import zipfile

from ..model import IngestError

_CHUNK = 1 << 20
_MB = 1048576


def check_zip(data: bytes, ingest: dict, label: str) -> None:
    """IngestError when the zip archive `data` unpacks to more than the limits in `ingest`
    (the config's ingest: section). `label` names the container in messages ("Word 文件").

    An archive that is not a zip at all raises zipfile.BadZipFile, for the caller to word.
    """
    part_limit = int(ingest["max_unzipped_part_bytes"])
    total_limit = int(ingest["max_unzipped_total_bytes"])
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = archive.infolist()
        for info in members:
            if info.file_size > part_limit:
                raise _too_big(f"{label}中的 {info.filename} ", info.file_size, part_limit,
                               "max_unzipped_part_bytes")
        declared = sum(info.file_size for info in members)
        if declared > total_limit:
            raise _too_big(label, declared, total_limit, "max_unzipped_total_bytes")
        total = 0
        for info in members:
            size = 0
            try:
                with archive.open(info) as member:
                    while chunk := member.read(_CHUNK):
                        size += len(chunk)
                        total += len(chunk)
                        # zipfile itself stops at the declared size; counting here keeps the
                        # bound whatever the reader does with a header that lies
                        if size > info.file_size or total > total_limit:
                            raise _lying(label, info.filename)
            except zipfile.BadZipFile:     # the CRC of what was unpacked does not match
                raise _lying(label, info.filename) from None


def _too_big(what: str, size: int, limit: int, key: str) -> IngestError:
    return IngestError(f"{what}解压后有 {size / _MB:.0f} MB，超过上限 {limit / _MB:.0f} MB"
                       f"（可能是恶意的压缩炸弹），已拒绝；如确需索引，请调高配置 ingest.{key}")


def _lying(label: str, name: str) -> IngestError:
    return IngestError(f"{label}中的 {name} 解压后的内容与文件头记载的大小或校验和不符，"
                       "文件已损坏或被篡改，已拒绝")
