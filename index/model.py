"""The records that flow through the write path: a report and its paragraphs.

`reportsearch inspect --json` prints exactly `Report.to_json()`; evaluation scripts read
those keys, so they are part of the public interface.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field

SECTIONS = (
    "前言",
    "主要举措和成效",
    "存在的不足和原因",
    "第一责任人职责",
    "下一年度工作安排",
    "其他",
    "落款",     # the signature block: issuer, date, notes; outside the five parts
)
LEVELS = ("省级", "市级", "县级", "乡镇级")
ISSUER_TYPES = ("政府", "部门")

# Metadata fields a sidecar NAME.yaml may set; a sidecar always wins over extraction.
SIDECAR_FIELDS = (
    "title", "issuer", "issuer_type", "level", "province", "city",
    "year", "published", "dated", "source", "url",
)


@dataclass
class Paragraph:
    id: str                 # "<report_id>-p<ordinal>", stable across re-indexing
    ordinal: int            # 1-based position in the report body
    kind: str               # "heading" | "text" | "signature"
    section: str            # one of SECTIONS
    section_path: list[str]  # the headings above (and including, for a heading) this line
    text: str               # display form: the report's own characters (index.normalize)

    def to_json(self) -> dict:
        return asdict(self)


@dataclass
class Metadata:
    title: str | None = None
    title_derived: bool = False
    issuer: str | None = None
    issuer_full: str | None = None   # full formal name for citations (metadata.formal_issuer)
    issuer_type: str | None = None   # "政府" | "部门"
    level: str | None = None         # one of LEVELS
    province: str | None = None      # short form: 安徽, 内蒙古, 广西
    city: str | None = None          # prefecture-level, short form: 淮南
    year: int | None = None          # the year the report is about
    published: str | None = None     # YYYY-MM-DD, the page's publishing date
    dated: str | None = None         # YYYY-MM-DD, the date under the signature
    source: str | None = None        # 信息来源
    url: str | None = None


@dataclass
class Report:
    file: str
    report_id: str
    meta: Metadata
    paragraphs: list[Paragraph] = field(default_factory=list)
    content_hash: str = ""           # sha256 of the raw bytes (+ sidecar), for incremental indexing
    traditional: bool = False        # the report is written in Traditional characters

    def to_json(self) -> dict:
        m = self.meta
        return {
            "file": self.file,
            "report_id": self.report_id,
            "title": m.title,
            "title_derived": m.title_derived,
            "issuer": m.issuer,
            "issuer_full": m.issuer_full,
            "issuer_type": m.issuer_type,
            "level": m.level,
            "province": m.province,
            "city": m.city,
            "year": m.year,
            "published": m.published,
            "dated": m.dated,
            "source": m.source,
            "url": m.url,
            "paragraphs": [p.to_json() for p in self.paragraphs],
        }


class IngestError(Exception):
    """A report file that cannot be turned into a report; the message is one plain sentence."""
