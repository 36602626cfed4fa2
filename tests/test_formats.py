"""Reports saved as web pages, Word files and PDFs read like the same report as plain text."""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from index.formats import UNSUPPORTED, Extracted, extract, manifest_urls
from index.formats.docx import format_number
from index.formats.pdf import NO_TEXT_LAYER
from index.model import IngestError
from index.normalize import display_form

from fixtures_formats import (PORTAL_META, RUNNING_HEADER, TITLE, cjk_font, numbered_docx,
                              portal_html, report_lines, report_pdf, textless_pdf)

FONT = cjk_font()
needs_font = pytest.mark.skipif(
    FONT is None, reason="no CJK TrueType font to write the test PDF (apt-get install fonts-wqy-microhei)")


def lines_of(extracted: Extracted) -> list[str]:
    return [display_form(line) for line in extracted.text.split("\n") if line.strip()]


def source_lines() -> list[str]:
    return [display_form(line) for line in report_lines()]


# ---------------------------------------------------------------- HTML

@pytest.mark.parametrize("layout", ["p", "div", "br"])
def test_portal_page_gives_the_report_lines_without_page_chrome(layout):
    got = lines_of(extract(Path("report.html"), portal_html(paragraphs_as=layout)))
    assert got == source_lines()


def test_portal_page_metadata_comes_from_the_portal_meta_tags():
    hints = extract(Path("report.html"), portal_html()).hints
    assert hints["title"] == PORTAL_META["ArticleTitle"]
    assert hints["published"] == PORTAL_META["PubDate"][:10]
    assert hints["source"] == PORTAL_META["ContentSource"]
    assert hints["url"] == PORTAL_META["Url"]


def test_page_without_meta_tags_takes_title_and_publishing_line_from_the_page():
    hints = extract(Path("report.htm"), portal_html(meta={})).hints
    # <title> is "ARTICLE_SITE"; the 发布时间/信息来源 line is on the page
    assert hints["title"] == TITLE
    assert hints["published"] == "2024-03-05"
    assert hints["source"] == "县司法局"
    assert "url" not in hints


@pytest.mark.parametrize("declared", [True, False], ids=["declared", "undeclared"])
@pytest.mark.parametrize("encoding", ["gb2312", "gbk", "gb18030"])
def test_gb_encoded_pages_read_the_same_with_or_without_a_charset_declaration(encoding, declared):
    data = portal_html(encoding=encoding, declare_charset=declared)
    assert lines_of(extract(Path("report.html"), data)) == source_lines()


def test_page_declaring_the_wrong_charset_is_still_read():
    page = portal_html(encoding="utf-8", declare_charset=False)
    data = page.replace(b"<head>", b'<head><meta charset="gb2312">', 1)
    assert lines_of(extract(Path("report.html"), data)) == source_lines()


def test_old_table_layout_page_keeps_the_body_and_leaves_the_link_lists():
    # older portals lay the page out in tables; trafilatura then keeps some link cells too
    import html as html_lib
    lines = report_lines(with_table=False)
    body = "".join(f"<p>{html_lib.escape(line)}</p>" for line in lines[1:-2])
    signature = "".join(f"<p align=right>{line}</p>" for line in lines[-2:])
    links = "".join(f'<div><a href="/c{i}">栏目{i}</a></div>' for i in range(60))
    page = (f"<html><head><title>无关的站点名称</title></head><body><table>"
            f"<tr><td>{links}</td></tr><tr><td><table>"
            f"<tr><td class=title>{lines[0]}</td></tr>"
            f"<tr><td>发布日期：2024-03-05　　来源：县司法局　　【打印】【关闭】</td></tr>"
            f"<tr><td id=zoom><div class=text>{body}</div><div class=sig>{signature}</div></td></tr>"
            f"</table></td></tr><tr><td>{links}</td></tr></table></body></html>")
    extracted = extract(Path("old.html"), page.encode("gb18030"))
    got = lines_of(extracted)
    assert [line for line in got if line in source_lines()] == [display_form(x) for x in lines]
    assert not any(line.startswith("栏目") for line in got)
    # a <title> that the page does not show is not taken for the report's title
    assert extracted.hints == {"published": "2024-03-05", "source": "县司法局"}


def test_html_that_is_binary_is_refused_with_one_sentence():
    data = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 20
    with pytest.raises(IngestError, match="二进制"):
        extract(Path("report.html"), data)


def test_script_and_style_text_never_reach_the_report():
    text = extract(Path("report.html"), portal_html()).text
    assert "console.log" not in text and "统计代码" not in text


# ---------------------------------------------------------------- Word

def test_word_report_with_automatic_numbering_keeps_its_heading_markers():
    got = lines_of(extract(Path("report.docx"), numbered_docx()))
    assert got == source_lines()


def test_word_report_with_typed_markers_reads_the_same():
    got = lines_of(extract(Path("report.docx"), numbered_docx(marker_in_text=True)))
    assert got == source_lines()


def test_word_title_hint_only_when_the_document_opens_with_it():
    assert extract(Path("report.docx"), numbered_docx()).hints == {"title": TITLE}


@pytest.mark.parametrize("n, fmt, expected", [
    (1, "chineseCounting", "一"), (10, "chineseCounting", "十"), (12, "chineseCounting", "十二"),
    (20, "chineseCountingThousand", "二十"), (3, "decimal", "3"), (4, "upperRoman", "IV"),
    (2, "decimalEnclosedCircle", "②"), (3, "ideographTraditional", "丙"),
])
def test_word_numbering_formats(n, fmt, expected):
    assert format_number(n, fmt) == expected


def test_truncated_word_file_is_refused_with_one_sentence():
    data = numbered_docx()
    with pytest.raises(IngestError, match="Word 文件"):
        extract(Path("report.docx"), data[: len(data) // 2])


def test_zip_that_is_not_a_word_document_is_refused():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("hello.txt", "不是 Word")
    with pytest.raises(IngestError):
        extract(Path("report.docx"), buf.getvalue())


@pytest.mark.parametrize("suffix", sorted(UNSUPPORTED))
def test_legacy_word_formats_name_the_file_and_suggest_docx(suffix):
    with pytest.raises(IngestError) as err:
        extract(Path(f"青溪县报告{suffix}"), b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)
    assert f"青溪县报告{suffix}" in str(err.value) and ".docx" in str(err.value)


def test_old_word_file_renamed_to_docx_is_recognised():
    with pytest.raises(IngestError, match=r"\.doc"):
        extract(Path("report.docx"), b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)


# ---------------------------------------------------------------- PDF

@pytest.fixture(scope="module")
def pdf_bytes():
    return report_pdf(FONT) if FONT else None


@needs_font
def test_two_page_pdf_gives_the_report_lines(pdf_bytes):
    got = lines_of(extract(Path("report.pdf"), pdf_bytes))
    assert got == source_lines()
    # the running header and the page numbers are gone, the lines broken at the margin and
    # across the page break are whole paragraphs again
    assert RUNNING_HEADER not in got


@needs_font
def test_the_pdf_fixture_really_breaks_a_paragraph_across_pages(pdf_bytes):
    # guards the test above: page 1 must end inside a paragraph that page 2 continues
    from index.formats.pdf import _read_pages
    pages, _ = _read_pages(pdf_bytes)
    assert len(pages) == 2
    end_of_page_1 = pages[0][-2].text       # the last row is the page number
    start_of_page_2 = pages[1][1].text      # the first row is the running header
    assert any(end_of_page_1 in line and start_of_page_2 in line
               and not line.startswith(start_of_page_2) for line in report_lines())


@needs_font
@pytest.mark.parametrize("style", ["— {n} —", "第 {n} 页 共 2 页", "{n}/2"])
def test_page_number_styles_are_dropped(style):
    got = lines_of(extract(Path("report.pdf"), report_pdf(FONT, page_number_style=style)))
    assert got == source_lines()


def test_pdf_without_text_layer_is_reported_as_scanned():
    with pytest.raises(IngestError) as err:
        extract(Path("scan.pdf"), textless_pdf())
    assert str(err.value) == NO_TEXT_LAYER


@pytest.mark.parametrize("data", [b"%PDF-1.7\n" + bytes(range(256)) * 8, b"hello, not a pdf" * 40],
                         ids=["garbage-after-header", "no-header"])
def test_garbage_pdf_is_refused_with_one_sentence(data):
    with pytest.raises(IngestError, match="PDF"):
        extract(Path("report.pdf"), data)


@needs_font
def test_truncated_pdf_is_refused(pdf_bytes):
    with pytest.raises(IngestError, match="PDF"):
        extract(Path("report.pdf"), pdf_bytes[: len(pdf_bytes) // 3])


# ---------------------------------------------------------------- dispatch, manifest

def test_unknown_suffix_and_empty_file_are_refused():
    with pytest.raises(IngestError, match=r"\.xlsx"):
        extract(Path("report.xlsx"), b"PK\x03\x04")
    with pytest.raises(IngestError, match="空"):
        extract(Path("report.html"), b"   \n")


def test_a_bad_file_does_not_spoil_the_next_one():
    with pytest.raises(IngestError):
        extract(Path("a.docx"), b"PK\x03\x04broken")
    assert lines_of(extract(Path("b.docx"), numbered_docx())) == source_lines()


def test_manifest_maps_file_names_to_urls(tmp_path):
    (tmp_path / "manifest.csv").write_text(
        "file,url\n"
        "青溪县报告.html,https://www.example.gov.cn/a.html\n"
        "sub/b.pdf,http://example.gov.cn/b.pdf\n"
        "c.docx,not a url\n", encoding="utf-8-sig")
    assert manifest_urls(tmp_path) == {"青溪县报告.html": "https://www.example.gov.cn/a.html",
                                       "b.pdf": "http://example.gov.cn/b.pdf"}


def test_manifest_saved_by_excel_in_gb18030(tmp_path):
    (tmp_path / "manifest.csv").write_bytes(
        "url,file\r\nhttps://x.gov.cn/1.html,青溪县报告.docx\r\n".encode("gb18030"))
    assert manifest_urls(tmp_path) == {"青溪县报告.docx": "https://x.gov.cn/1.html"}


def test_no_manifest_means_no_urls(tmp_path):
    assert manifest_urls(tmp_path) == {}


def test_manifest_without_the_columns_is_refused(tmp_path):
    (tmp_path / "manifest.csv").write_text("name,link\na,b\n", encoding="utf-8")
    with pytest.raises(IngestError, match="file,url"):
        manifest_urls(tmp_path)


# ---------------------------------------------------------------- through the pipeline

def test_extracted_text_reads_like_the_plain_text_report(tmp_path):
    """The pipeline's stages give the same paragraphs for the extracted text as for the .txt."""
    pipeline = pytest.importorskip("index.pipeline")
    plain = tmp_path / "plain.txt"
    plain.write_text("\n".join(report_lines()), encoding="utf-8")
    want = [p.text for p in pipeline.read_report(plain).paragraphs]
    assert len(want) > 10
    sources = {"page.txt": extract(Path("r.html"), portal_html(encoding="gb2312")),
               "word.txt": extract(Path("r.docx"), numbered_docx())}
    if FONT:
        sources["pdf.txt"] = extract(Path("r.pdf"), report_pdf(FONT))
    for name, extracted in sources.items():
        (tmp_path / name).write_text(extracted.text, encoding="utf-8")
        got = [p.text for p in pipeline.read_report(tmp_path / name).paragraphs]
        assert got == want, name
