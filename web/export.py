"""The excerpt basket as a document: .docx (python-docx) in 公文 layout, plain text or Markdown.

Each excerpt is a paragraph dict as the searcher returns it (text, title, section_path, …)
with its `citation` added; the excerpts keep the order the user gave them. The text is the
report's own: full-width punctuation and digits, Traditional characters and all are written as
they are; only characters XML cannot hold are dropped (see `_clean`).

The .docx follows GB/T 9704-2012 (党政机关公文格式), so that a paragraph pasted into an
official document already has its layout:

- A4, margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm: a 156 × 225 mm text block;
- body 仿宋_GB2312 三号 (16 pt), exactly 28.95 pt a line: 22 lines fill the 225 mm block
  (w:docGrid type="lines" with the same pitch, so Word's page setup says 22 lines);
  first line indented two characters (w:firstLineChars="200", and w:firstLine="640" twips for
  programs that do not read character units). No character grid: the standard's 28
  characters a line need 15.8 pt cells for 16 pt characters (docGrid linesAndChars,
  charSpace -842, as Word templates do it), and LibreOffice 7.4 then spreads every
  character over two cells, 14 a line. Without it a line holds 27 characters, justified;
- title 方正小标宋简体 二号 (22 pt), centred; 一、 headings 黑体 三号, （一） headings
  楷体_GB2312 三号; none of them bold, none coloured, no rule under the title;
- page numbers "— 1 —" in 宋体 四号 (14 pt) at the foot, outside: right on odd pages and
  left on even ones, one character in from the edge of the text block (GB/T 9704 7.5);
- every run and every style names its face in all four w:rFonts slots (ascii, hAnsi,
  eastAsia, cs), and no theme font (asciiTheme, hAnsiTheme, eastAsiaTheme, cstheme) is left
  anywhere: Word lets a theme attribute win over a named face. Language zh-CN.
- the citation of each excerpt as a real footnote (脚注, footnotes.xml) or, with
  notes="list", as a numbered 参考文献 list at the end, [1] … in the order of the excerpts.

Fallback faces. 仿宋_GB2312, 楷体_GB2312 and 方正小标宋简体 are on the machines of
government offices but not in a stock Windows (which has 仿宋, 楷体, 宋体, 黑体). A run can
name one face only; the fallback goes into the font table (word/fontTable.xml): its w:font
entry for 仿宋_GB2312 carries w:altName "FangSong_GB2312,仿宋,FangSong,STFangsong" and the
charset (86, GB2312), family and PANOSE of 仿宋. ECMA-376 17.8.3.1 says an application that
cannot find the primary name should try each alternate name in turn, then substitute by those
metrics. Either way the runs keep the name 仿宋_GB2312 (Word lists it as a substituted
font and draws another), so the document is right again on a machine that has the face. LibreOffice (7.4, writerfilter's FontTable.cxx) ignores w:altName and substitutes
through its own replacement table and fontconfig; a fontconfig alias (docs/render_docx.py
writes one) chooses the face there. Word itself was not available to try this on. Nothing in OOXML makes bold conditional on a fallback, so
the title is not bold: 方正小标宋简体 is a bold design already, and 宋体 in its place is
lighter but not wrong.
"""
from __future__ import annotations

import datetime as dt
import io
import re

DOC_TITLE = "法治政府建设年度报告摘录"
REFERENCES_HEADING = "参考文献"

BODY_FONT = "仿宋_GB2312"      # GB/T 9704: 3号仿宋体字
TITLE_FONT = "方正小标宋简体"    # 2号小标宋体字
HEADING_FONT = "黑体"           # first-level headings (一、)
HEADING2_FONT = "楷体_GB2312"   # second-level headings (（一）)
PAGE_NUMBER_FONT = "宋体"       # 4号半角宋体阿拉伯数字

BODY_PT, TITLE_PT, PAGE_NUMBER_PT, NOTE_PT = 16, 22, 14, 12   # 三号, 二号, 四号, 小四

# The font table: for each face the alternates tried in turn when it is missing (w:altName,
# its English name first), and the metrics Word substitutes by after that. PANOSE values are
# those found in files Word and WPS wrote; 方正小标宋简体 has none we could confirm.
FONTS = {
    BODY_FONT: ("FangSong_GB2312,仿宋,FangSong,STFangsong", "02010609030101010101", "modern",
                "fixed"),
    TITLE_FONT: ("FZXiaoBiaoSong-B05S,宋体,SimSun", None, "auto", "variable"),
    HEADING_FONT: ("SimHei,STHeiti", "02010609060101010101", "modern", "fixed"),
    HEADING2_FONT: ("KaiTi_GB2312,楷体,KaiTi,STKaiti", "02010609030101010101", "modern", "fixed"),
    PAGE_NUMBER_FONT: ("SimSun,STSong", "02010600030101010101", "auto", "variable"),
}

NOTES = ("footnote", "list")


def _mm(value: float) -> int:
    """Millimetres in twips (1/1440 inch)."""
    return round(value / 25.4 * 1440)


PAGE_WIDTH, PAGE_HEIGHT = _mm(210), _mm(297)                       # A4: 11906 × 16838
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = _mm(37), _mm(35), _mm(28), _mm(26)
LINES_PER_PAGE = 22
# The largest whole-twip pitch at which 22 lines fit the text block: 579 twips = 28.95 pt.
LINE_PITCH = (PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM) // LINES_PER_PAGE
INDENT_CHARS = 200                       # w:firstLineChars: hundredths of a character
INDENT_TWIPS = 2 * BODY_PT * 20          # two 16 pt characters: 640
PAGE_NUMBER_LINE = PAGE_NUMBER_PT * 20   # the footer line, exactly one 四号 character high
# The dashes of the page number 7 mm below the text block (GB/T 9704 7.5): the footer's
# bottom edge is half a footer line below them.
FOOTER_DISTANCE = MARGIN_BOTTOM - _mm(7) - PAGE_NUMBER_LINE // 2
PAGE_NUMBER_INDENT = PAGE_NUMBER_PT * 20  # 单页码居右空一字，双页码居左空一字


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


def _check_notes(notes, allowed=NOTES) -> None:
    if notes not in allowed:
        names = "、".join(str(a) if a is not None else "不指定" for a in allowed)
        raise ValueError(f"不支持的注释方式：{notes!r}。可选：{names}"
                         f"（footnote 为脚注，list 为文末参考文献列表）。")


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


def excerpts_markdown(excerpts: list[dict], today: dt.date | None = None,
                      notes: str | None = None) -> str:
    """Markdown: a heading per excerpt, the text as a block quote.

    notes=None (the default) puts the citation under each quote; "footnote" makes it a
    Markdown footnote (`[^1]` after the quote, `[^1]: …` at the end); "list" marks the quote
    with [1] and lists the citations under a 参考文献 heading at the end.
    """
    _check_notes(notes, (None,) + NOTES)
    today = today or dt.date.today()
    parts = [f"# {DOC_TITLE}", "", _generated_line(today), ""]
    for n, p in enumerate(excerpts, 1):
        mark = {"footnote": f"[^{n}]", "list": f" \\[{n}\\]"}.get(notes, "")
        parts += [f"## {n}. {_md_escape(_heading_for(p))}", "",
                  f"> {_md_escape(_text_of(p))}{mark}", ""]
        if notes is None:
            parts += [f"—— {_md_escape(_citation_of(p))}", ""]
    if notes == "footnote":
        parts += [f"[^{n}]: {_md_escape(_citation_of(p))}" for n, p in enumerate(excerpts, 1)]
    elif notes == "list" and excerpts:
        parts += [f"## {REFERENCES_HEADING}", ""]
        for n, p in enumerate(excerpts, 1):
            parts += [f"\\[{n}\\] {_md_escape(_citation_of(p))}", ""]
    return "\n".join(parts).rstrip() + "\n"


# ---------------------------------------------------------------------------- .docx

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_THEME_FONT_ATTRS = ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme")
_THEME_COLOR_ATTRS = ("themeColor", "themeShade", "themeTint", "themeFill", "themeFillShade",
                      "themeFillTint")


def _w(name: str) -> str:
    return f"{{{_W}}}{name}"


# Schema order (ECMA-376) of the children of w:rPr, w:pPr and, from w:footnotePr on, of
# w:settings: a child added out of order makes Word call the file corrupt.
_RPR_ORDER = ("rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike",
              "dstrike", "outline", "shadow", "emboss", "imprint", "noProof", "snapToGrid",
              "vanish", "webHidden", "color", "spacing", "w", "kern", "position", "sz", "szCs",
              "highlight", "u", "effect", "bdr", "shd", "fitText", "vertAlign", "rtl", "cs",
              "em", "lang", "eastAsianLayout", "specVanish", "oMath")
_PPR_ORDER = ("pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl",
              "numPr", "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens",
              "kinsoku", "wordWrap", "overflowPunct", "topLinePunct", "autoSpaceDE",
              "autoSpaceDN", "bidi", "adjustRightInd", "snapToGrid", "spacing", "ind",
              "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc", "textDirection",
              "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr",
              "sectPr", "pPrChange")
_SETTINGS_ORDER = ("updateFields", "hdrShapeDefaults", "footnotePr", "endnotePr", "compat",
                   "docVars", "rsids", "{http://schemas.openxmlformats.org/officeDocument/2006/"
                   "math}mathPr", "attachedSchema", "themeFontLang", "clrSchemeMapping",
                   "doNotIncludeSubdocsInStats", "doNotAutoCompressPictures", "forceUpgrade",
                   "captions", "readModeInkLockDown", "smartTagType",
                   "{http://schemas.openxmlformats.org/schemaLibrary/2006/main}schemaLibrary",
                   "shapeDefaults", "doNotEmbedSmartTags", "decimalSymbol", "listSeparator")


def _child(parent, tag: str, order: tuple[str, ...]):
    """The `w:tag` child of `parent`, added before its successors in `order` if missing."""
    from docx.oxml import OxmlElement

    found = parent.find(_w(tag))
    if found is None:
        found = OxmlElement(f"w:{tag}")
        later = {t if t.startswith("{") else _w(t) for t in order[order.index(tag) + 1:]}
        for i, existing in enumerate(parent):
            if existing.tag in later:
                parent.insert(i, found)
                break
        else:
            parent.append(found)
    return found


def _set_run_props(rpr, font: str, size_pt: float | None = None, *, bold: bool | None = False,
                   superscript: bool = False) -> None:
    """Face in all four slots, no theme, size, weight, black, zh-CN: on a style's or a run's rPr."""
    seq = _RPR_ORDER
    rfonts = _child(rpr, "rFonts", seq)
    for attr in _THEME_FONT_ATTRS:
        rfonts.attrib.pop(_w(attr), None)
    for slot in ("ascii", "hAnsi", "eastAsia", "cs"):
        rfonts.set(_w(slot), font)
    rfonts.set(_w("hint"), "eastAsia")
    if bold is not None:
        for tag in ("b", "bCs"):
            _child(rpr, tag, seq).set(_w("val"), "1" if bold else "0")
    color = _child(rpr, "color", seq)
    for attr in _THEME_COLOR_ATTRS:
        color.attrib.pop(_w(attr), None)
    color.set(_w("val"), "000000")
    if size_pt is not None:
        for tag in ("sz", "szCs"):
            _child(rpr, tag, seq).set(_w("val"), str(round(size_pt * 2)))
    if superscript:
        _child(rpr, "vertAlign", seq).set(_w("val"), "superscript")
    lang = _child(rpr, "lang", seq)
    lang.set(_w("val"), "zh-CN")
    lang.set(_w("eastAsia"), "zh-CN")


def _set_par_props(ppr, *, line: int | None = LINE_PITCH, before: int = 0, after: int = 0,
                   indent_chars: int = 0, indent_twips: int = 0, left: int = 0, right: int = 0,
                   jc: str | None = None, snap_to_grid: bool = True) -> None:
    """Spacing (exact `line` twips, or single when None), indents, alignment on a pPr."""
    seq = _PPR_ORDER
    ppr_border = ppr.find(_w("pBdr"))
    if ppr_border is not None:              # the Title style's blue rule
        ppr.remove(ppr_border)
    contextual = ppr.find(_w("contextualSpacing"))
    if contextual is not None:
        ppr.remove(contextual)
    snap = _child(ppr, "snapToGrid", seq)
    snap.set(_w("val"), "1" if snap_to_grid else "0")
    spacing = _child(ppr, "spacing", seq)
    spacing.attrib.clear()
    spacing.set(_w("before"), str(before))
    spacing.set(_w("after"), str(after))
    if line is None:
        spacing.set(_w("line"), "240")
        spacing.set(_w("lineRule"), "auto")
    else:
        spacing.set(_w("line"), str(line))
        spacing.set(_w("lineRule"), "exact")
    ind = _child(ppr, "ind", seq)
    ind.attrib.clear()
    ind.set(_w("left"), str(left))
    ind.set(_w("right"), str(right))
    ind.set(_w("firstLineChars"), str(indent_chars))
    ind.set(_w("firstLine"), str(indent_twips))
    if jc is not None:
        _child(ppr, "jc", seq).set(_w("val"), jc)


def _scrub_theme_fonts(root) -> None:
    """Remove every theme font and theme colour attribute under `root`: rFonts left empty go,
    text colours become black, borders and shading keep the RGB value written beside the
    theme colour."""
    for rfonts in root.iter(_w("rFonts")):
        for attr in _THEME_FONT_ATTRS:
            rfonts.attrib.pop(_w(attr), None)
        if not rfonts.attrib:
            rfonts.getparent().remove(rfonts)
    theme_colour = {_w(a) for a in _THEME_COLOR_ATTRS}
    for el in root.iter():
        if theme_colour.intersection(el.attrib):
            for attr in theme_colour:
                el.attrib.pop(attr, None)
    for color in root.iter(_w("color")):
        color.set(_w("val"), "000000")


def _style(doc, name: str, kind, style_id: str | None = None):
    """The style called `name`, added as a built-in one (no w:customStyle) if missing."""
    try:
        return doc.styles[name]
    except KeyError:
        style = doc.styles.add_style(name, kind, builtin=True)
        if style_id:
            style.style_id = style_id
        return style


def _set_up_styles(doc) -> dict[str, str]:
    """The 公文 styles; returns the style ids the content and the footnotes part refer to."""
    from docx.enum.style import WD_STYLE_TYPE

    styles_el = doc.styles.element
    _scrub_theme_fonts(styles_el)

    defaults = styles_el.find(_w("docDefaults"))
    rpr_default = _child(defaults, "rPrDefault", ("rPrDefault", "pPrDefault"))
    _set_run_props(_child(rpr_default, "rPr", ("rPr",)), BODY_FONT, BODY_PT, bold=None)
    ppr_default = _child(defaults, "pPrDefault", ("rPrDefault", "pPrDefault"))
    _set_par_props(_child(ppr_default, "pPr", ("pPr",)), line=LINE_PITCH)

    normal = doc.styles["Normal"]
    _set_run_props(normal.element.get_or_add_rPr(), BODY_FONT, BODY_PT)
    _set_par_props(normal.element.get_or_add_pPr(), indent_chars=INDENT_CHARS,
                   indent_twips=INDENT_TWIPS, jc="both")

    title = doc.styles["Title"]
    _set_run_props(title.element.get_or_add_rPr(), TITLE_FONT, TITLE_PT)
    for tag in ("spacing", "kern"):             # the template's letter spacing and kerning
        el = title.element.rPr.find(_w(tag))
        if el is not None:
            title.element.rPr.remove(el)
    # 标题 centred, one blank line under it, its 22 pt lines not snapped to the line grid.
    _set_par_props(title.element.get_or_add_pPr(), after=LINE_PITCH, jc="center",
                   snap_to_grid=False)

    for name, font in (("Heading 1", HEADING_FONT), ("Heading 2", HEADING2_FONT)):
        style = doc.styles[name]
        _set_run_props(style.element.get_or_add_rPr(), font, BODY_PT)
        _set_par_props(style.element.get_or_add_pPr(), indent_chars=INDENT_CHARS,
                       indent_twips=INDENT_TWIPS, jc="both")
    # The character styles Word links to them (used when a heading style is applied to part
    # of a paragraph) get the same faces.
    for name, font, size in (("Title Char", TITLE_FONT, TITLE_PT),
                             ("Heading 1 Char", HEADING_FONT, BODY_PT),
                             ("Heading 2 Char", HEADING2_FONT, BODY_PT)):
        _set_run_props(doc.styles[name].element.get_or_add_rPr(), font, size)

    footer = doc.styles["Footer"]
    _set_run_props(footer.element.get_or_add_rPr(), PAGE_NUMBER_FONT, PAGE_NUMBER_PT)
    tabs = footer.element.pPr.find(_w("tabs")) if footer.element.pPr is not None else None
    if tabs is not None:
        footer.element.pPr.remove(tabs)
    _set_par_props(footer.element.get_or_add_pPr(), line=PAGE_NUMBER_LINE, snap_to_grid=False)

    note_text = _style(doc, "footnote text", WD_STYLE_TYPE.PARAGRAPH, "FootnoteText")
    note_text.base_style = normal
    _set_run_props(note_text.element.get_or_add_rPr(), BODY_FONT, NOTE_PT)
    _set_par_props(note_text.element.get_or_add_pPr(), line=None, snap_to_grid=False,
                   jc="left")
    note_ref = _style(doc, "footnote reference", WD_STYLE_TYPE.CHARACTER, "FootnoteReference")
    _set_run_props(note_ref.element.get_or_add_rPr(), BODY_FONT, None, bold=None,
                   superscript=True)
    for style in (note_text, note_ref):
        style.hidden = False
        style.unhide_when_used = True
        style.priority = 99
    return {"note_text": note_text.style_id, "note_ref": note_ref.style_id}


def _set_up_font_table(doc) -> None:
    """word/fontTable.xml with the faces used and their fallbacks (see the module docstring)."""
    from docx.opc.constants import CONTENT_TYPE as CT
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import XmlPart
    from docx.oxml import parse_xml
    from xml.sax.saxutils import quoteattr

    entries = []
    for name, (alt, panose, family, pitch) in FONTS.items():
        entries.append(
            f"<w:font w:name={quoteattr(name)}><w:altName w:val={quoteattr(alt)}/>"
            + (f'<w:panose1 w:val="{panose}"/>' if panose else "")
            + f'<w:charset w:val="86"/><w:family w:val="{family}"/>'
            f'<w:pitch w:val="{pitch}"/></w:font>')
    xml = f'<w:fonts xmlns:w="{_W}">{"".join(entries)}</w:fonts>'
    for rid, rel in list(doc.part.rels.items()):
        if rel.reltype == RT.FONT_TABLE:
            doc.part.drop_rel(rid)
    part = XmlPart(PackURI("/word/fontTable.xml"), CT.WML_FONT_TABLE,
                   parse_xml(xml.encode("utf-8")), doc.part.package)
    doc.part.relate_to(part, RT.FONT_TABLE)


def _drop_styles_with_effects(doc) -> None:
    """python-docx's template carries Word 2010's second copy of the styles, theme fonts and
    all (word/stylesWithEffects.xml); Word 2013 and later ignore it, Word 2010 may not."""
    for rid, rel in list(doc.part.rels.items()):
        if rel.reltype.endswith("/stylesWithEffects"):
            doc.part.drop_rel(rid)


def _set_up_settings(doc, footnotes: bool) -> None:
    from docx.oxml import OxmlElement

    doc.settings.odd_and_even_pages_header_footer = True     # page numbers outside
    settings = doc.settings.element
    seq = _SETTINGS_ORDER
    lang = _child(settings, "themeFontLang", seq)
    lang.attrib.clear()
    lang.set(_w("val"), "zh-CN")
    lang.set(_w("eastAsia"), "zh-CN")
    if footnotes:
        pr = _child(settings, "footnotePr", seq)
        for note_id in ("-1", "0"):         # the separator and continuation separator
            ref = OxmlElement("w:footnote")
            ref.set(_w("id"), note_id)
            pr.append(ref)


def _set_up_page(section) -> None:
    from docx.enum.section import WD_ORIENT
    from docx.oxml import OxmlElement
    from docx.shared import Twips

    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Twips(PAGE_WIDTH), Twips(PAGE_HEIGHT)
    section.top_margin, section.bottom_margin = Twips(MARGIN_TOP), Twips(MARGIN_BOTTOM)
    section.left_margin, section.right_margin = Twips(MARGIN_LEFT), Twips(MARGIN_RIGHT)
    section.gutter = Twips(0)
    section.header_distance = Twips(_mm(15))
    section.footer_distance = Twips(FOOTER_DISTANCE)
    sect_pr = section._sectPr
    grid = sect_pr.find(_w("docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        sect_pr.append(grid)
    grid.attrib.clear()
    grid.set(_w("type"), "lines")
    grid.set(_w("linePitch"), str(LINE_PITCH))


def _add_run(paragraph, text: str, font: str, size_pt: float | None = None, **kw):
    run = paragraph.add_run(text)
    _set_run_props(run._r.get_or_add_rPr(), font, size_pt, **kw)
    return run


def _fld_char(paragraph, kind: str):
    from docx.oxml import OxmlElement

    run = _add_run(paragraph, "", PAGE_NUMBER_FONT, PAGE_NUMBER_PT)
    fld = OxmlElement("w:fldChar")
    fld.set(_w("fldCharType"), kind)
    run._r.append(fld)


def _page_number(footer, align: str) -> None:
    """— PAGE — in 宋体 四号, one character in from the outside edge."""
    from docx.oxml import OxmlElement

    footer.is_linked_to_previous = False
    paragraph = footer.paragraphs[0]
    paragraph.style = "Footer"
    _set_par_props(paragraph._p.get_or_add_pPr(), line=PAGE_NUMBER_LINE, snap_to_grid=False,
                   jc=align, left=PAGE_NUMBER_INDENT if align == "left" else 0,
                   right=PAGE_NUMBER_INDENT if align == "right" else 0)
    _add_run(paragraph, "— ", PAGE_NUMBER_FONT, PAGE_NUMBER_PT)
    _fld_char(paragraph, "begin")
    run = _add_run(paragraph, "", PAGE_NUMBER_FONT, PAGE_NUMBER_PT)
    instr = OxmlElement("w:instrText")
    instr.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    instr.text = " PAGE "
    run._r.append(instr)
    _fld_char(paragraph, "separate")
    _add_run(paragraph, "1", PAGE_NUMBER_FONT, PAGE_NUMBER_PT)
    _fld_char(paragraph, "end")
    _add_run(paragraph, " —", PAGE_NUMBER_FONT, PAGE_NUMBER_PT)


def _footnotes_part(doc, citations: list[str], ids: dict[str, str]) -> None:
    """word/footnotes.xml: Word's separator (-1) and continuation separator (0), then one
    footnote per citation with ids 1…n, related to the document part."""
    from docx.opc.constants import CONTENT_TYPE as CT
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import XmlPart
    from docx.oxml import OxmlElement, parse_xml

    root = parse_xml(f'<w:footnotes xmlns:w="{_W}"/>'.encode())

    def paragraph(parent):
        p = OxmlElement("w:p")
        parent.append(p)
        ppr = OxmlElement("w:pPr")
        p.append(ppr)
        return p, ppr

    for note_id, kind in (("-1", "separator"), ("0", "continuationSeparator")):
        note = OxmlElement("w:footnote")
        note.set(_w("type"), kind)
        note.set(_w("id"), note_id)
        root.append(note)
        p, ppr = paragraph(note)
        _set_par_props(ppr, line=None, snap_to_grid=False)
        r = OxmlElement("w:r")
        r.append(OxmlElement(f"w:{kind}"))
        p.append(r)

    for n, citation in enumerate(citations, 1):
        note = OxmlElement("w:footnote")
        note.set(_w("id"), str(n))
        root.append(note)
        p, ppr = paragraph(note)
        style = OxmlElement("w:pStyle")
        style.set(_w("val"), ids["note_text"])
        ppr.append(style)
        for content in ("footnoteRef", "t"):
            r = OxmlElement("w:r")
            rpr = OxmlElement("w:rPr")
            r.append(rpr)
            if content == "footnoteRef":
                ref_style = OxmlElement("w:rStyle")
                ref_style.set(_w("val"), ids["note_ref"])
                rpr.append(ref_style)
                _set_run_props(rpr, BODY_FONT, NOTE_PT, superscript=True)
                r.append(OxmlElement("w:footnoteRef"))
            else:
                _set_run_props(rpr, BODY_FONT, NOTE_PT)
                t = OxmlElement("w:t")
                t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
                t.text = " " + citation
                r.append(t)
            p.append(r)

    part = XmlPart(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, root, doc.part.package)
    doc.part.relate_to(part, RT.FOOTNOTES)


def _footnote_reference(paragraph, n: int, ids: dict[str, str]) -> None:
    from docx.oxml import OxmlElement

    run = paragraph.add_run()
    rpr = run._r.get_or_add_rPr()
    ref_style = OxmlElement("w:rStyle")
    ref_style.set(_w("val"), ids["note_ref"])
    rpr.insert(0, ref_style)
    _set_run_props(rpr, BODY_FONT, BODY_PT, superscript=True)
    ref = OxmlElement("w:footnoteReference")
    ref.set(_w("id"), str(n))
    run._r.append(ref)


def excerpts_docx(excerpts: list[dict], notes: str = "footnote", *,
                  today: dt.date | None = None) -> bytes:
    """A Word document in 公文 layout: each excerpt under a heading, with its citation as a
    footnote (notes="footnote") or as entry [n] of a 参考文献 list at the end (notes="list")."""
    _check_notes(notes)
    from docx import Document

    today = today or dt.date.today()
    doc = Document()
    ids = _set_up_styles(doc)
    _set_up_font_table(doc)
    _drop_styles_with_effects(doc)
    _set_up_settings(doc, footnotes=notes == "footnote" and bool(excerpts))
    section = doc.sections[0]
    _set_up_page(section)
    _page_number(section.footer, "right")             # odd pages
    _page_number(section.even_page_footer, "left")
    props = doc.core_properties
    props.title, props.language = DOC_TITLE, "zh-CN"
    props.author = props.last_modified_by = ""
    props.comments = ""

    title = doc.add_paragraph(style="Title")
    _add_run(title, DOC_TITLE, TITLE_FONT, TITLE_PT)
    meta = doc.add_paragraph()
    _set_par_props(meta._p.get_or_add_pPr(), jc="center")   # no indent on a centred line
    _add_run(meta, _generated_line(today), BODY_FONT, BODY_PT)

    for n, p in enumerate(excerpts, 1):
        heading = doc.add_paragraph(style="Heading 1")
        _add_run(heading, f"{n}. {_heading_for(p)}", HEADING_FONT, BODY_PT)
        body = doc.add_paragraph()
        _add_run(body, _text_of(p), BODY_FONT, BODY_PT)
        if notes == "footnote":
            _footnote_reference(body, n, ids)
        else:
            _add_run(body, f"[{n}]", BODY_FONT, BODY_PT, superscript=True)

    if notes == "footnote" and excerpts:
        _footnotes_part(doc, [_citation_of(p) for p in excerpts], ids)
    elif notes == "list" and excerpts:
        heading = doc.add_paragraph(style="Heading 1")
        _add_run(heading, REFERENCES_HEADING, HEADING_FONT, BODY_PT)
        for n, p in enumerate(excerpts, 1):
            entry = doc.add_paragraph()
            _set_par_props(entry._p.get_or_add_pPr(), jc="left")
            _add_run(entry, f"[{n}] {_citation_of(p)}", BODY_FONT, BODY_PT)

    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
