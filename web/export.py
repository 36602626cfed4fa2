"""The excerpt basket as a document: .docx (python-docx), plain text or Markdown.

Each excerpt is a paragraph dict as the searcher returns it (text, title, section_path, …)
with its `citation` added; the excerpts keep the order the user gave them.
"""
from __future__ import annotations

import datetime as dt
import io
import re

DOC_TITLE = "法治政府建设年度报告摘录"
BODY_FONT = "仿宋"       # the body face of Chinese official documents (GB/T 9704)
HEADING_FONT = "黑体"


# Characters XML 1.0 forbids (C0 controls other than tab, newline and carriage return; lone
# surrogates; U+FFFE, U+FFFF) make python-docx refuse the document ("All strings must be XML
# compatible"), and a lone surrogate cannot even be encoded as UTF-8. DEL and the C1 controls
# are allowed by XML but are never text anyone meant to cite. All are dropped from every
# export, whatever the index holds; tab, newline and carriage return become a space (a
# paragraph is one line: a line break inside it would end a Markdown block quote).
_NOT_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_LINE_BREAKS = re.compile("[\t\n\r]+")


def _clean(value) -> str:
    """`value` as one line of text that every export format can hold."""
    text = "" if value is None else str(value)
    return _LINE_BREAKS.sub(" ", _NOT_TEXT.sub("", text))


def _heading_for(p: dict) -> str:
    title = p.get("title") or p.get("issuer") or p.get("report_id") or ""
    path = [s for s in (p.get("section_path") or []) if s]
    return _clean(f"{title} · {' › '.join(map(str, path))}" if path else title)


def _text_of(p: dict) -> str:
    return _clean(p.get("text") or "")


def _citation_of(p: dict) -> str:
    return _clean(p.get("citation") or "")


def _generated_line(today: dt.date) -> str:
    return f"生成日期：{today.isoformat()}"


def excerpts_text(excerpts: list[dict], today: dt.date | None = None) -> str:
    """Plain text: each excerpt, then its citation on its own line, separated by blank lines."""
    today = today or dt.date.today()
    parts = [DOC_TITLE, _generated_line(today), ""]
    for n, p in enumerate(excerpts, 1):
        parts += [f"{n}. {_heading_for(p)}", _text_of(p), f"——{_citation_of(p)}", ""]
    return "\n".join(parts).rstrip() + "\n"


# Only what changes meaning mid-line; report text has no line breaks inside a paragraph.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~#])")


def _md_escape(text: str) -> str:
    """Report text is data, not Markdown: escape what a renderer would interpret."""
    return _MD_SPECIAL.sub(r"\\\1", text)


def excerpts_markdown(excerpts: list[dict], today: dt.date | None = None) -> str:
    """Markdown: a heading per excerpt, the text as a block quote, the citation below it."""
    today = today or dt.date.today()
    parts = [f"# {DOC_TITLE}", "", _generated_line(today), ""]
    for n, p in enumerate(excerpts, 1):
        parts += [f"## {n}. {_md_escape(_heading_for(p))}", "",
                  f"> {_md_escape(_text_of(p))}", "",
                  f"—— {_md_escape(_citation_of(p))}", ""]
    return "\n".join(parts).rstrip() + "\n"


def _set_font(style_or_run, name: str, size_pt: float | None = None) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    font = style_or_run.font
    font.name = name
    if size_pt:
        font.size = Pt(size_pt)
    # Word takes CJK glyphs from the eastAsia slot of rFonts; font.name only sets the Latin one.
    rpr = style_or_run.element.get_or_add_rPr()
    rfonts = rpr.get_or_add_rFonts()
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(slot), name)


def excerpts_docx(excerpts: list[dict], today: dt.date | None = None) -> bytes:
    """A Word document: 仿宋 body, 黑体 headings, each excerpt followed by its citation."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt, RGBColor

    today = today or dt.date.today()
    doc = Document()
    styles = doc.styles
    _set_font(styles["Normal"], BODY_FONT, 14)      # 四号
    for name, size in (("Title", 20), ("Heading 1", 16), ("Heading 2", 14)):
        _set_font(styles[name], HEADING_FONT, size)
        styles[name].font.color.rgb = RGBColor(0, 0, 0)
        styles[name].font.bold = name != "Title"

    title = doc.add_heading(DOC_TITLE, level=0)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    meta = doc.add_paragraph(_generated_line(today))
    meta.alignment = WD_ALIGN_PARAGRAPH.CENTER

    for n, p in enumerate(excerpts, 1):
        doc.add_heading(f"{n}. {_heading_for(p)}", level=2)
        body = doc.add_paragraph(_text_of(p))
        body.paragraph_format.first_line_indent = Pt(28)   # two characters, as in the reports
        body.paragraph_format.line_spacing = 1.5
        cite = doc.add_paragraph()
        run = cite.add_run(f"——{_citation_of(p)}")
        _set_font(run, BODY_FONT, 10.5)                     # 五号
        run.font.color.rgb = RGBColor(0x55, 0x55, 0x55)
        cite.alignment = WD_ALIGN_PARAGRAPH.RIGHT

    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
