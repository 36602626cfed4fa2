"""Tables for download: CSV and XLSX of a header and rows, every cell safe to open in a
spreadsheet (a text starting with = + - @ is not run as a formula)."""
from __future__ import annotations

import csv
import io


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
