"""Tables for download: CSV and XLSX of a header and rows, every cell safe to open in a
spreadsheet (a text starting with = + - @ is not run as a formula)."""
from __future__ import annotations

import csv
import io

# A results export (CSV/XLSX of a search's hits, page and CLI): at most this many hits, and
# these columns, one row per paragraph.
EXPORT_HITS_CAP = 10_000
RESULT_COLUMNS = ("段落编号", "报告编号", "标题", "发布机关", "年度", "省份", "城市", "层级",
                  "部分", "小标题", "段落原文", "引用", "链接")


def result_rows(hits: list[dict], base_url: str = "") -> list[list]:
    """The RESULT_COLUMNS row of each hit; the link is base_url + /p/<id> (the permalink)."""
    base = base_url.rstrip("/")
    return [[h["id"], h["report_id"], h.get("title") or "", h.get("issuer") or "",
             h.get("year") or "", h.get("province") or "", h.get("city") or "",
             h.get("level") or "", h.get("section") or "",
             " / ".join(h.get("section_path") or []), h.get("text") or "",
             h.get("citation") or "", f"{base}/p/{h['id']}"] for h in hits]


def safe_cell(value):
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def csv_text(header: list[str], rows: list[list]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(header)
    for r in rows:
        w.writerow([safe_cell(v) for v in r])
    return buf.getvalue()


def xlsx_bytes(header: list[str], rows: list[list], title: str) -> bytes:
    """An .xlsx workbook of one sheet (openpyxl)."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = title[:31]
    ws.append(header)
    for r in rows:
        ws.append([safe_cell(v) for v in r])
    ws.freeze_panes = "A2"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
