"""The .docx export in 公文 layout (GB/T 9704-2012), read back two ways: python-docx and the raw
XML parts (zipfile + lxml). Expected values are worked out here from the standard's figures
(millimetres, 号 sizes), not copied from the module; the Markdown and text exports too.

An optional last test converts the files with LibreOffice, when `soffice` is installed, to show
they open; nothing else needs it.
"""
from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess
import zipfile

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.shared import Pt
from lxml import etree

from web.export import excerpts_docx, excerpts_markdown, excerpts_text

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
TODAY = dt.date(2026, 3, 1)


def w(name: str) -> str:
    return f"{{{W}}}{name}"


def twips(mm: float) -> int:
    return round(mm * 1440 / 25.4)


# GB/T 9704-2012: A4; 天头 37 mm, 订口 28 mm, text block 156 × 225 mm; 22 lines of 28
# characters; body 3号仿宋, title 2号小标宋, page numbers 4号宋体. 号 sizes in points:
# 二号 22, 三号 16, 四号 14. w:sz counts half points.
A4 = (twips(210), twips(297))
MARGINS = {"top": twips(37), "bottom": twips(297 - 37 - 225), "left": twips(28),
           "right": twips(210 - 28 - 156)}
SZ = {"二号": 44, "三号": 32, "四号": 28}

# Report text as reports write it: full-width digits and punctuation, Traditional characters,
# an ideographic space, a CJK Extension B character, ASCII markup that is data.
TRADITIONAL = "行政機關負責人出庭應訴率達到１００％，較上年提高３個百分點；「依法行政」——全面推進。　𠀀<b>&amp;"
EXCERPTS = [
    {"text": "全区行政机关负责人出庭应诉率达到98.5%，较上年提高3个百分点，行政诉讼败诉率持续下降。",
     "title": "温州市鹿城区人民政府关于2022年度法治政府建设情况的报告", "issuer": "温州市鹿城区人民政府",
     "year": 2022, "section_path": ["一、2022年度推进法治政府建设的主要举措和成效", "（一）规范行政应诉工作"],
     "citation": "温州市鹿城区人民政府. 温州市鹿城区人民政府关于2022年度法治政府建设情况的报告[R]. "
                 "[出版地不详]: 温州市鹿城区人民政府, 2023: 一、(一)."},
    {"text": TRADITIONAL, "title": "", "issuer": "臺北某局", "year": 2023, "section_path": [],
     "citation": "臺北某局. 法治政府建設年度報告[EB/OL]. (2024-01-30)[2026-03-01]. "
                 "https://example.gov.cn/a?b=1&c=2, 二、."},
    {"text": "部分单位对行政复议和行政应诉工作重视不够。", "title": "常州市司法局2023年度法治政府建设年度报告",
     "issuer": "常州市司法局", "year": 2023, "section_path": ["二、存在的不足"],
     "citation": "常州市司法局. 常州市司法局2023年度法治政府建设年度报告[R]. [出版地不详]: 常州市司法局, 2024: 二."},
]


class Built:
    """One export, as bytes, as a python-docx Document and as parsed XML parts."""

    def __init__(self, excerpts=EXCERPTS, notes="footnote"):
        self.excerpts = excerpts
        self.data = excerpts_docx(excerpts, notes, today=TODAY)
        self.zip = zipfile.ZipFile(io.BytesIO(self.data))
        self.names = self.zip.namelist()
        self.document = docx.Document(io.BytesIO(self.data))

    def xml(self, name: str):
        return etree.fromstring(self.zip.read(name))

    def xml_parts(self):
        return {n: self.xml(n) for n in self.names if n.endswith((".xml", ".rels"))}

    def body_paragraphs(self):
        return self.xml("word/document.xml").findall(".//w:body/w:p", NS)

    def footers(self):
        rels = self.xml("word/_rels/document.xml.rels")
        targets = {r.get("Id"): r.get("Target") for r in rels}
        sect = self.xml("word/document.xml").find(".//w:body/w:sectPr", NS)
        return {ref.get(w("type")): self.xml("word/" + targets[ref.get(
            "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id")])
            for ref in sect.findall("w:footerReference", NS)}

    def style(self, name: str):
        for s in self.xml("word/styles.xml").findall("w:style", NS):
            if s.find("w:name", NS).get(w("val")).lower() == name.lower():   # heading 1
                return s
        raise KeyError(name)


@pytest.fixture(scope="module")
def footnoted():
    return Built(notes="footnote")


@pytest.fixture(scope="module")
def listed():
    return Built(notes="list")


def text_of(p) -> str:
    return "".join(t.text or "" for t in p.iter(w("t")))


def fonts_of(rpr) -> dict:
    rfonts = rpr.find("w:rFonts", NS)
    return {} if rfonts is None else {k.split("}")[1]: v for k, v in rfonts.attrib.items()}


def four_slots(face: str) -> dict:
    return {"ascii": face, "hAnsi": face, "eastAsia": face, "cs": face}


# ---------------------------------------------------------------------------- page

def test_page_is_a4_with_gongwen_margins(footnoted):
    section = footnoted.document.sections[0]
    assert (section.page_width.twips, section.page_height.twips) == A4 == (11906, 16838)
    assert section.top_margin.twips == MARGINS["top"]
    assert section.bottom_margin.twips == MARGINS["bottom"]
    assert section.left_margin.twips == MARGINS["left"]
    assert section.right_margin.twips == MARGINS["right"]
    sect = footnoted.xml("word/document.xml").find(".//w:body/w:sectPr", NS)
    size, mar = sect.find("w:pgSz", NS), sect.find("w:pgMar", NS)
    assert (int(size.get(w("w"))), int(size.get(w("h")))) == A4
    assert size.get(w("orient")) in (None, "portrait")
    for side, value in MARGINS.items():
        assert int(mar.get(w(side))) == value, side
    # The text block is 156 × 225 mm, give or take the rounding of each margin to a twip.
    assert abs(A4[0] - MARGINS["left"] - MARGINS["right"] - twips(156)) <= 1
    assert abs(A4[1] - MARGINS["top"] - MARGINS["bottom"] - twips(225)) <= 1


def test_twenty_two_lines_a_page_at_exact_spacing(footnoted):
    normal = footnoted.document.styles["Normal"].paragraph_format
    assert normal.line_spacing_rule == WD_LINE_SPACING.EXACTLY
    line = normal.line_spacing.twips
    assert 28 * 20 <= line <= 29 * 20                        # 28–29 pt
    block = A4[1] - MARGINS["top"] - MARGINS["bottom"]
    assert 22 * line <= block < 22 * (line + 1), "the largest pitch at which 22 lines fit"
    spacing = footnoted.style("Normal").find("w:pPr/w:spacing", NS)
    assert spacing.get(w("lineRule")) == "exact" and int(spacing.get(w("line"))) == line
    grid = footnoted.xml("word/document.xml").find(".//w:body/w:sectPr/w:docGrid", NS)
    assert int(grid.get(w("linePitch"))) == line
    # Headings and body paragraphs keep the pitch: none overrides the spacing.
    for name in ("Heading 1", "Heading 2"):
        assert footnoted.document.styles[name].paragraph_format.line_spacing.twips == line


# ---------------------------------------------------------------------------- fonts

def test_no_theme_font_or_theme_colour_anywhere(footnoted, listed):
    theme_attrs = {"asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme", "themeColor"}
    for built in (footnoted, listed):
        assert "word/stylesWithEffects.xml" not in built.names
        for name, root in built.xml_parts().items():
            if name.startswith("word/theme/"):
                continue            # the theme itself may define fonts; nothing refers to them
            found = {(el.tag, a) for el in root.iter() for a in el.attrib
                     if etree.QName(a).localname in theme_attrs}
            assert not found, (name, sorted(found)[:3])


def test_styles_name_their_faces_in_all_four_slots(footnoted):
    expected = {"Normal": ("仿宋_GB2312", SZ["三号"]), "Title": ("方正小标宋简体", SZ["二号"]),
                "Heading 1": ("黑体", SZ["三号"]), "Heading 2": ("楷体_GB2312", SZ["三号"]),
                "Footer": ("宋体", SZ["四号"]), "footnote text": ("仿宋_GB2312", None),
                "footnote reference": ("仿宋_GB2312", None)}
    for name, (face, sz) in expected.items():
        rpr = footnoted.style(name).find("w:rPr", NS)
        assert {k: v for k, v in fonts_of(rpr).items() if k != "hint"} == four_slots(face), name
        if sz:
            assert int(rpr.find("w:sz", NS).get(w("val"))) == sz, name
            assert int(rpr.find("w:szCs", NS).get(w("val"))) == sz, name
    defaults = footnoted.xml("word/styles.xml").find("w:docDefaults/w:rPrDefault/w:rPr", NS)
    assert {k: v for k, v in fonts_of(defaults).items() if k != "hint"} == four_slots("仿宋_GB2312")
    # python-docx reads the same: Latin slot and size.
    styles = footnoted.document.styles
    assert styles["Normal"].font.name == "仿宋_GB2312" and styles["Normal"].font.size == Pt(16)
    assert styles["Title"].font.name == "方正小标宋简体" and styles["Title"].font.size == Pt(22)
    assert styles["Heading 1"].font.name == "黑体" and styles["Heading 2"].font.name == "楷体_GB2312"


def test_headings_and_title_black_and_not_bold_title_has_no_rule(footnoted):
    for name in ("Title", "Heading 1", "Heading 2"):
        style = footnoted.document.styles[name]
        assert style.font.bold is False, name
        assert str(style.font.color.rgb) == "000000", name
    title = footnoted.style("Title")
    assert title.find("w:pPr/w:pBdr", NS) is None, "python-docx's blue rule under the title"
    title_format = footnoted.document.styles["Title"].paragraph_format
    assert title_format.alignment == WD_ALIGN_PARAGRAPH.CENTER


def test_every_run_names_its_face_size_and_zh_cn(footnoted):
    doc_paras = footnoted.body_paragraphs()
    title, meta, rest = doc_paras[0], doc_paras[1], doc_paras[2:]
    checked = 0

    def check(p, face, sz):
        nonlocal checked
        for r in p.findall("w:r", NS):
            rpr = r.find("w:rPr", NS)
            assert rpr is not None, etree.tostring(r)[:200]
            assert {k: v for k, v in fonts_of(rpr).items() if k != "hint"} == four_slots(face)
            assert int(rpr.find("w:sz", NS).get(w("val"))) == sz
            lang = rpr.find("w:lang", NS)
            assert lang.get(w("val")) == "zh-CN" and lang.get(w("eastAsia")) == "zh-CN"
            checked += 1

    check(title, "方正小标宋简体", SZ["二号"])
    check(meta, "仿宋_GB2312", SZ["三号"])
    for p in rest:
        style = p.find("w:pPr/w:pStyle", NS)
        check(p, "黑体" if style is not None and style.get(w("val")) == "Heading1" else "仿宋_GB2312",
              SZ["三号"])
    for footer in footnoted.footers().values():
        for p in footer.findall("w:p", NS):
            check(p, "宋体", SZ["四号"])
    for note in footnoted.xml("word/footnotes.xml").findall("w:footnote", NS):
        for p in note.findall("w:p", NS):
            for r in p.findall("w:r", NS):
                if r.find("w:rPr", NS) is not None:
                    assert fonts_of(r.find("w:rPr", NS))["eastAsia"] == "仿宋_GB2312"
    assert checked >= 2 + 2 * len(EXCERPTS) + 2 * 7


def test_language_is_zh_cn(footnoted):
    lang = footnoted.xml("word/styles.xml").find("w:docDefaults/w:rPrDefault/w:rPr/w:lang", NS)
    assert lang.get(w("val")) == "zh-CN" and lang.get(w("eastAsia")) == "zh-CN"
    theme_lang = footnoted.xml("word/settings.xml").find("w:themeFontLang", NS)
    assert theme_lang.get(w("val")) == "zh-CN" and theme_lang.get(w("eastAsia")) == "zh-CN"
    assert footnoted.document.core_properties.language == "zh-CN"
    assert not [el for el in footnoted.xml("word/document.xml").iter(w("lang"))
                if "en-US" in el.attrib.values()]


def test_font_table_names_the_fallbacks(footnoted):
    table = {f.get(w("name")): f for f in footnoted.xml("word/fontTable.xml").findall("w:font", NS)}
    roots = [footnoted.xml(n) for n in ("word/document.xml", "word/footnotes.xml",
                                         "word/footer1.xml", "word/footer2.xml")]
    roots += [footnoted.style(n) for n in ("Normal", "Title", "Heading 1", "Heading 2", "Footer",
                                           "footnote text", "footnote reference")]
    roots.append(footnoted.xml("word/styles.xml").find("w:docDefaults", NS))
    used = {v for root in roots for el in root.iter(w("rFonts"))
            for k, v in el.attrib.items() if k != w("hint")}
    assert used == {"仿宋_GB2312", "方正小标宋简体", "黑体", "楷体_GB2312", "宋体"} <= set(table)
    fallbacks = {"仿宋_GB2312": "仿宋", "楷体_GB2312": "楷体", "方正小标宋简体": "宋体"}
    for face, fallback in fallbacks.items():
        alt = table[face].find("w:altName", NS).get(w("val"))
        assert fallback in re.split(r"\s*,\s*", alt), (face, alt)
        assert table[face].find("w:charset", NS).get(w("val")) == "86"     # GB2312


# ---------------------------------------------------------------------------- paragraphs

def test_body_first_line_indent_is_two_characters(footnoted):
    ind = footnoted.style("Normal").find("w:pPr/w:ind", NS)
    assert ind.get(w("firstLineChars")) == "200"
    assert int(ind.get(w("firstLine"))) == 2 * 16 * 20        # two 16 pt characters in twips
    assert footnoted.document.styles["Normal"].paragraph_format.first_line_indent == Pt(32)
    body = [p for p in footnoted.document.paragraphs if p.text in {e["text"] for e in EXCERPTS}]
    assert len(body) == len(EXCERPTS)
    for p in body:
        assert p.style.name == "Normal" and p.paragraph_format.first_line_indent is None
        assert p._p.pPr is None or p._p.pPr.find(w("ind")) is None, "inherits the indent"


def test_title_and_headings_in_order(footnoted):
    paras = footnoted.document.paragraphs
    assert paras[0].style.name == "Title" and paras[0].text == "法治政府建设年度报告摘录"
    assert paras[1].text == f"生成日期：{TODAY.isoformat()}"
    headings = [(i, p) for i, p in enumerate(paras) if p.style.name == "Heading 1"]
    assert len(headings) == len(EXCERPTS)
    for n, ((i, p), e) in enumerate(zip(headings, EXCERPTS), 1):
        assert p.text.startswith(f"{n}. {e['title'] or e['issuer']}")
        for section in e["section_path"]:
            assert section in p.text
        assert paras[i + 1].text == e["text"], "the text right after its heading"


def test_text_comes_back_character_for_character(footnoted, listed):
    xml_texts = [text_of(p) for p in footnoted.body_paragraphs()]
    assert TRADITIONAL in xml_texts, "not normalised: full-width, Traditional, U+3000, Ext B"
    assert [p.text for p in footnoted.document.paragraphs].count(TRADITIONAL) == 1
    # In one w:t, so a search in the XML (and Word's Find) sees it whole.
    assert TRADITIONAL in [t.text for t in footnoted.xml("word/document.xml").iter(w("t"))]
    listed_texts = [p.text for p in listed.document.paragraphs]
    assert TRADITIONAL + "[2]" in listed_texts


# ---------------------------------------------------------------------------- page numbers

def test_footer_page_number_between_dashes_outside(footnoted):
    assert footnoted.xml("word/settings.xml").find("w:evenAndOddHeaders", NS) is not None
    footers = footnoted.footers()
    assert set(footers) == {"default", "even"}
    for kind, footer in footers.items():
        (p,) = footer.findall("w:p", NS)
        runs = p.findall("w:r", NS)
        chars = [c.get(w("fldCharType")) for r in runs for c in r.findall("w:fldChar", NS)]
        assert chars == ["begin", "separate", "end"]
        assert "".join(t.text for t in p.iter(w("instrText"))).split() == ["PAGE"]
        before = "".join(text_of(r) for r in runs[:[i for i, r in enumerate(runs)
                                                     if r.find("w:fldChar", NS) is not None][0]])
        after = "".join(text_of(r) for r in runs[[i for i, r in enumerate(runs)
                                                  if r.find("w:fldChar", NS) is not None][-1]:])
        assert before == "— " and after == " —", (before, after)       # U+2014 一字线
        jc = p.find("w:pPr/w:jc", NS).get(w("val"))
        ind = p.find("w:pPr/w:ind", NS)
        one_char = 14 * 20                                             # one 四号 character
        if kind == "default":            # odd pages: right, one character in
            assert jc == "right" and int(ind.get(w("right"))) == one_char
        else:
            assert jc == "left" and int(ind.get(w("left"))) == one_char
    section = footnoted.document.sections[0]
    assert section.footer.paragraphs[0].text == "— 1 —"
    assert section.even_page_footer.paragraphs[0].text == "— 1 —"
    # The footer sits below the text block, within the bottom margin.
    assert 0 < section.footer_distance.twips < MARGINS["bottom"] - twips(7)


# ---------------------------------------------------------------------------- citations

def test_footnote_per_excerpt_with_its_citation(footnoted):
    assert "word/footnotes.xml" in footnoted.names
    types = footnoted.xml("[Content_Types].xml")
    overrides = {o.get("PartName"): o.get("ContentType") for o in types}
    assert overrides["/word/footnotes.xml"] == \
        "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
    rels = footnoted.xml("word/_rels/document.xml.rels")
    targets = [r.get("Target") for r in rels if r.get("Type").endswith("/footnotes")]
    assert targets == ["footnotes.xml"]

    notes = footnoted.xml("word/footnotes.xml").findall("w:footnote", NS)
    special = [n for n in notes if n.get(w("type")) in ("separator", "continuationSeparator")]
    assert len(special) == 2
    real = [n for n in notes if n.get(w("type")) is None]
    assert len(real) == len(EXCERPTS)
    by_id = {n.get(w("id")): text_of(n).strip() for n in real}
    assert list(by_id.values()) == [e["citation"] for e in EXCERPTS]
    for n in real:
        assert n.find(".//w:footnoteRef", NS) is not None, "the number in the footnote area"

    # Each text paragraph ends with the reference to its own footnote; nothing else does.
    refs = []
    for p in footnoted.body_paragraphs():
        for ref in p.iter(w("footnoteReference")):
            refs.append((text_of(p), by_id[ref.get(w("id"))]))
    assert refs == [(e["text"], e["citation"]) for e in EXCERPTS]
    settings = footnoted.xml("word/settings.xml").find("w:footnotePr", NS)
    assert sorted(f.get(w("id")) for f in settings) == ["-1", "0"]
    # No citation repeated in the body: the footnote is the citation.
    body = "".join(text_of(p) for p in footnoted.body_paragraphs())
    for e in EXCERPTS:
        assert e["citation"] not in body


def test_list_mode_numbers_the_citations_at_the_end(listed):
    assert "word/footnotes.xml" not in listed.names
    assert not list(listed.xml("word/document.xml").iter(w("footnoteReference")))
    rels = listed.xml("word/_rels/document.xml.rels")
    assert not [r for r in rels if r.get("Type").endswith("/footnotes")]
    paras = [p.text for p in listed.document.paragraphs]
    start = paras.index("参考文献")
    assert listed.document.paragraphs[start].style.name == "Heading 1"
    assert paras[start + 1:] == [f"[{n}] {e['citation']}" for n, e in enumerate(EXCERPTS, 1)]
    for n, e in enumerate(EXCERPTS, 1):
        assert f"{e['text']}[{n}]" in paras[:start]
    marks = [r for p in listed.body_paragraphs() for r in p.findall("w:r", NS)
             if re.fullmatch(r"\[\d+\]", text_of(r))]
    assert [text_of(r) for r in marks] == [f"[{n}]" for n in range(1, len(EXCERPTS) + 1)]
    for r in marks:
        assert r.find("w:rPr/w:vertAlign", NS).get(w("val")) == "superscript"


def test_unknown_notes_value_is_refused_in_chinese():
    for call in (lambda: excerpts_docx(EXCERPTS, "endnote"),
                 lambda: excerpts_docx(EXCERPTS, notes=""),
                 lambda: excerpts_markdown(EXCERPTS, notes="endnotes")):
        with pytest.raises(ValueError) as info:
            call()
        assert re.search("[\u4e00-\u9fff]", str(info.value)), str(info.value)
        assert "footnote" in str(info.value) and "list" in str(info.value)


def test_no_excerpts_is_still_a_document():
    for notes in ("footnote", "list"):
        built = Built(excerpts=[], notes=notes)
        assert "word/footnotes.xml" not in built.names
        assert [p.text for p in built.document.paragraphs][0] == "法治政府建设年度报告摘录"


def test_characters_xml_cannot_hold_are_dropped_in_every_part():
    p = dict(EXCERPTS[0], text="出庭\x01应诉\ud800率", citation="某局\x02. 报告[R].")
    built = Built(excerpts=[p])
    assert "出庭应诉率" in [p.text for p in built.document.paragraphs]
    assert text_of(built.xml("word/footnotes.xml")).strip().endswith("某局. 报告[R].")


# ---------------------------------------------------------------------------- text, Markdown

def test_text_export_unchanged():
    out = excerpts_text(EXCERPTS, TODAY)
    lines = out.split("\n")
    assert lines[0] == "法治政府建设年度报告摘录" and lines[1] == "生成日期：2026-03-01"
    for e in EXCERPTS:
        i = lines.index(e["text"])
        assert lines[i + 1] == "——" + e["citation"]


def test_markdown_default_keeps_citation_under_each_quote():
    md = excerpts_markdown(EXCERPTS, TODAY)
    assert "[^1]" not in md and "参考文献" not in md
    assert md.count("\n—— ") == len(EXCERPTS)


def test_markdown_footnotes_and_list():
    md = excerpts_markdown(EXCERPTS, TODAY, notes="footnote")
    lines = md.split("\n")
    quotes = [ln for ln in lines if ln.startswith("> ")]
    assert [q.rsplit("[^", 1)[1] for q in quotes] == [f"{n}]" for n in range(1, len(EXCERPTS) + 1)]
    defs = [ln for ln in lines if ln.startswith("[^")]
    assert [d.split("]: ", 1)[0] for d in defs] == [f"[^{n}" for n in range(1, len(EXCERPTS) + 1)]
    assert not [ln for ln in lines if ln.startswith("—— ")], "the citation is the footnote"
    # Citations are escaped like the text: the URL's & survives, a [ does not open a link.
    assert "https://example.gov.cn/a?b=1&c=2" in defs[1]
    assert "[EB/OL]" not in defs[1] and "\\[EB/OL\\]" in defs[1]

    md = excerpts_markdown(EXCERPTS, TODAY, notes="list")
    lines = md.split("\n")
    assert "## 参考文献" in lines
    tail = lines[lines.index("## 参考文献"):]
    entries = [ln for ln in tail if ln.startswith("\\[")]
    numbers = [e.split("\\] ", 1)[0] for e in entries]
    assert numbers == [f"\\[{n}" for n in range(1, len(EXCERPTS) + 1)]
    assert all(q.endswith(f"\\[{n}\\]") for n, q in
               enumerate([ln for ln in lines if ln.startswith("> ")], 1))


# ---------------------------------------------------------------------------- LibreOffice

@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) not installed")
@pytest.mark.parametrize("notes", ["footnote", "list"])
def test_libreoffice_opens_it(tmp_path, notes):
    """LibreOffice converts the file to PDF: it opens, and (with pdftotext) the footnote or
    list entry is on the page."""
    path = tmp_path / f"excerpts-{notes}.docx"
    path.write_bytes(excerpts_docx(EXCERPTS[:1], notes, today=TODAY))
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
                   check=True, capture_output=True, timeout=180)
    pdf = path.with_suffix(".pdf")
    assert pdf.read_bytes()[:5] == b"%PDF-"
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                              check=True).stdout
        squeezed = re.sub(r"\s+", "", text)
        assert "— 1 —".replace(" ", "") in squeezed
        assert re.sub(r"\s+", "", EXCERPTS[0]["citation"])[:30] in squeezed
