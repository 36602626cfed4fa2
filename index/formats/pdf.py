"""Text PDFs: lines with their positions (pdfminer.six), page furniture dropped, broken lines
joined back into paragraphs.

A PDF has no paragraphs, only positioned lines. We rebuild them the way a reader does:
- a line that reaches the right margin was wrapped, so the next line continues it, unless the
  next line starts with a heading marker, is indented (a new paragraph in documents that indent
  first lines), or starts far to the right (a signature, a centred line);
- a short line ends its paragraph (headings, last lines, the signature, the date), and so
  does a centred one (a title);
- lines side by side on one baseline are a table row, kept as one line of tab-separated cells;
- page numbers (-1-, — 2 —, 第1页, 1/10) and running headers/footers (the same line at the top
  or bottom of most pages) are dropped.
"""
from __future__ import annotations

import io
import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

from ..model import IngestError
from . import Extracted
from .lines import ends_sentence, join_two, starts_with_heading_marker

NO_TEXT_LAYER = "PDF 没有文字层（可能是扫描件），请先做文字识别"

PAGE_NUMBER = re.compile(
    r"^(?:[-—–－─~·•_\s]*\d{1,4}[-—–－─~·•_\s]*"
    r"|第\s*\d{1,4}\s*页(?:\s*[,，/／]?\s*共\s*\d{1,4}\s*页)?"
    r"|共\s*\d{1,4}\s*页\s*第\s*\d{1,4}\s*页"
    r"|\d{1,4}\s*[/／]\s*\d{1,4}"
    r"|(?:page\s*)?\d{1,4}\s*(?:of\s*\d{1,4})?)$", re.IGNORECASE)
# Page furniture sits among this many lines at the top and at the bottom of a page.
EDGE_ROWS = 2
# A line repeating at the edge of at least this share of pages is a running header/footer.
RUNNING_SHARE = 0.6

_CJK = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f"
_SPACE_IN_CJK = re.compile(rf"(?<=[{_CJK}]) (?=[{_CJK}])")
_CID = re.compile(r"\(cid:\d+\)")


@dataclass
class Row:
    text: str       # cells joined by a tab
    x0: float       # left edge of the first visible character
    x1: float       # right edge of the last visible character
    top: float      # PDF coordinates: larger is higher on the page
    height: float   # line height, about the font size: the unit for "one character"
    cells: int


def extract_pdf(data: bytes) -> Extracted:
    if b"%PDF-" not in data[:1024]:
        raise IngestError("不是有效的 PDF 文件（缺少 PDF 文件头），可能已损坏或扩展名有误")
    pages, info = _read_pages(data)
    if not any(r.text.strip() for page in pages for r in page):
        raise IngestError(NO_TEXT_LAYER)
    text_chars = "".join(r.text for page in pages for r in page)
    if len(_CID.findall(text_chars)) * 5 > len(text_chars):
        raise IngestError("PDF 的字体缺少文字编码表，提取不出可用的文字，请先做文字识别")
    pages = drop_page_furniture(pages)
    lines = join_rows([r for page in pages for r in page])
    hints = {}
    title = info.get("title")
    if title and any(_squeeze(title) == _squeeze(line) for line in lines[:5]):
        hints["title"] = title
    return Extracted(text="\n".join(lines), hints=hints)


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def _read_pages(data: bytes) -> tuple[list[list[Row]], dict]:
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams
    from pdfminer.pdfdocument import PDFDocument, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFParser
    from pdfminer.utils import decode_text

    try:
        # all_texts: some producers wrap the whole page in a form XObject (a "figure")
        layouts = list(extract_pages(io.BytesIO(data), laparams=LAParams(all_texts=True)))
        info = {}
        doc = PDFDocument(PDFParser(io.BytesIO(data)))
        for entry in doc.info:
            title = entry.get("Title")
            if isinstance(title, bytes):
                info["title"] = decode_text(title).strip()
            elif isinstance(title, str):
                info["title"] = title.strip()
    except PDFPasswordIncorrect:
        raise IngestError("PDF 设有打开密码，无法读取；请先去掉密码再索引") from None
    except Exception as exc:  # pdfminer raises many kinds on a malformed file
        raise IngestError(f"PDF 文件已损坏或不完整，无法读取（{type(exc).__name__}）") from exc
    return [page_rows(layout) for layout in layouts], info


def page_rows(layout) -> list[Row]:
    """The page's text lines top to bottom; lines on one baseline merged into a table row."""
    from pdfminer.layout import LTChar, LTTextLineHorizontal

    pieces = []
    stack = [layout]
    while stack:
        obj = stack.pop()
        if isinstance(obj, LTTextLineHorizontal):
            chars = [c for c in obj if isinstance(c, LTChar) and c.get_text().strip()]
            text = obj.get_text().strip(" \t\r\n\u3000\xa0")
            if chars and text:
                pieces.append((text, chars[0].x0, chars[-1].x1, obj.y0, obj.y1))
        elif hasattr(obj, "__iter__"):
            stack.extend(obj)
    pieces.sort(key=lambda p: -p[4])
    groups: list[list[tuple]] = []
    for piece in pieces:
        if groups:
            g_bottom = min(p[3] for p in groups[-1])
            g_top = max(p[4] for p in groups[-1])
            overlap = min(g_top, piece[4]) - max(g_bottom, piece[3])
            if overlap > 0.5 * min(g_top - g_bottom, piece[4] - piece[3]):
                groups[-1].append(piece)
                continue
        groups.append([piece])
    rows = []
    for group in groups:
        group.sort(key=lambda p: p[1])
        text = "\t".join(_SPACE_IN_CJK.sub("", p[0]) for p in group)
        rows.append(Row(text=text, x0=group[0][1], x1=max(p[2] for p in group),
                        top=max(p[4] for p in group),
                        height=max(p[4] - p[3] for p in group), cells=len(group)))
    return rows


def drop_page_furniture(pages: list[list[Row]]) -> list[list[Row]]:
    """Pages without page numbers and running headers/footers."""
    def edges(page):
        return page[:EDGE_ROWS] + page[-EDGE_ROWS:]

    def key(row):
        return re.sub(r"\d+", "#", _squeeze(row.text))

    running: set[str] = set()
    if len(pages) >= 2:
        seen = Counter(k for page in pages for k in {key(r) for r in edges(page)})
        need = max(2, math.ceil(RUNNING_SHARE * len(pages)))
        running = {k for k, n in seen.items() if n >= need}
    out = []
    for page in pages:
        edge_ids = {id(r) for r in edges(page)}
        out.append([r for r in page if id(r) not in edge_ids
                    or not (PAGE_NUMBER.match(_squeeze(r.text)) or key(r) in running)])
    return out


def join_rows(rows: list[Row]) -> list[str]:
    """Rows joined into paragraphs where the layout shows a wrapped line (see module doc)."""
    if not rows:
        return []
    flowing = [r for r in rows if r.cells == 1]
    if not flowing:
        return [r.text for r in rows]
    # The body's left margin is where most lines start; its right edge is the furthest a
    # left-aligned line reaches.
    left = Counter(round(r.x0) for r in flowing).most_common(1)[0][0]
    body = [r for r in flowing if abs(r.x0 - left) <= 0.5 * r.height]
    right = max((r.x1 for r in body), default=max(r.x1 for r in flowing))

    def indented(r):
        return left + 0.5 * r.height < r.x0 <= left + 4.5 * r.height

    uses_indents = sum(1 for r in flowing if indented(r)) >= 0.05 * len(flowing)

    def reaches_right(r):
        gap = right - r.x1
        # a line may stop a couple of characters short when the next character is
        # punctuation that may not start a line; a sentence end there is a paragraph end
        return gap <= 1.2 * r.height or (gap <= 3.5 * r.height and not ends_sentence(r.text))

    def centred(r):
        return min(r.x0 - left, right - r.x1) > 0.5 * r.height and \
            abs((r.x0 - left) - (right - r.x1)) <= r.height

    def continues(a: Row, b: Row) -> bool:
        if a.cells > 1 or b.cells > 1 or starts_with_heading_marker(b.text):
            return False
        if not reaches_right(a) or centred(a) or b.x0 > left + 4.5 * b.height:
            return False
        if uses_indents:
            return not indented(b)
        # Without indents a sentence end at the margin is ambiguous: the text rule decides.
        return not ends_sentence(a.text)

    lines = [rows[0].text]
    for a, b in zip(rows, rows[1:]):
        if continues(a, b):
            lines[-1] = join_two(lines[-1], b.text)
        else:
            lines.append(b.text)
    return lines
