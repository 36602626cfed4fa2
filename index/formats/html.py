"""Saved web pages: decode, find the article with trafilatura, render it as lines.

trafilatura decides *what* the article is, but its text output loses some line breaks (text
and <br> mixed with <p> inside one <div>, table rows flattened); so we locate the smallest page
element that holds everything trafilatura kept and render that element ourselves, one line per
block element, <br> or table row. Page metadata comes from the <meta> tags Chinese government
portals publish by convention (ArticleTitle, PubDate, ContentSource, Url) and the on-page
发布时间/来源 line.
"""
from __future__ import annotations

import codecs
import re
import unicodedata

import charset_normalizer
import lxml.html
from lxml import etree

from ..model import IngestError
from ..read import looks_binary, utf16_without_bom
from . import Extracted

# Encodings a Chinese portal page realistically comes in; GB2312 and GBK declarations are read
# as GB18030, their superset (pages labelled gb2312 routinely contain GBK-only characters).
CANDIDATE_ENCODINGS = ["utf_8", "gb18030", "big5", "utf_16"]
_SUPERSET = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb_2312-80": "gb18030",
             "cp936": "gb18030", "big5": "big5hkscs", "iso-8859-1": "cp1252",
             "us-ascii": "utf-8", "ascii": "utf-8"}
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)

# Elements that start a new line; everything else is inline.
BLOCK_TAGS = {
    "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd",
    "section", "article", "main", "header", "footer", "nav", "aside", "blockquote", "pre",
    "form", "fieldset", "address", "center", "figure", "figcaption", "hr", "caption",
    "details", "summary", "tr", "table", "tbody", "thead", "tfoot", "body", "html",
}
SKIP_TAGS = {"script", "style", "noscript", "template", "head", "iframe", "object", "svg",
             "select", "option", "button", "input", "textarea", "map"}
# Where the article can live: the candidates for "smallest element holding the body".
CONTAINER_TAGS = {"div", "article", "section", "main", "td", "body", "table", "tbody", "center",
                  "form", "font", "span"}
# A table whose cells are longer than this is page layout, not a data table: its cells are
# rendered as blocks rather than squeezed into one row.
LAYOUT_CELL_CHARS = 200
# The article element is widened to its parent when the parent adds at most this many
# characters that trafilatura did not keep (a signature block, the title, a share bar).
WIDEN_CHARS = 120

_CJK = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f"
# Source-code line breaks inside Chinese text are not spaces (browsers render them as one).
_CJK_NEWLINE = re.compile(rf"(?<=[{_CJK}])[ \t\r\f]*\n[ \t\r\n\f]*(?=[{_CJK}])")
_SPACES = re.compile(r"[ \t\r\n\f]+")

# On-page metadata labels as portals print them (发布时间：2024-03-29 15:08 信息来源：区司法局).
_PAGE_DATE = re.compile(
    r"(?:发布时间|发布日期|发文日期|成文日期|日期|时间)\s*[:：]\s*"
    r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
_PAGE_SOURCE = re.compile(
    r"(?:信息来源|文章来源|来源)\s*[:：]\s*([^\s:：|｜【\[]{2,30}?)"
    r"(?=\s|$|浏览|点击|字号|字体|作者|发布|分享|【|\[|\||｜|责任编辑|访问)")
_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
_URL = re.compile(r"^https?://\S+$", re.I)
# <title> is usually "ARTICLE_SITE" or "ARTICLE - SITE"
_TITLE_SEPARATORS = re.compile(r"\s*(?:_|\||｜| - | — |--|——)\s*")


def extract_html(data: bytes) -> Extracted:
    text = decode_html(data)
    try:
        tree = lxml.html.document_fromstring(_strip_xml_declaration(text))
    except (etree.ParserError, ValueError) as exc:
        raise IngestError(f"网页无法解析：{exc}") from None
    for el in tree.xpath("//script|//style|//noscript|//template"):
        el.drop_tree()
    hints = page_hints(tree)
    lines = render_lines(main_content(tree, text))
    title = hints.get("title")
    if title and not any(_squeeze(title) == _squeeze(line) for line in lines[:5]):
        lines.insert(0, title)
    return Extracted(text="\n".join(lines), hints=hints)


def decode_html(data: bytes) -> str:
    """The page as text: BOM, then the declared charset, then UTF-8, then detection."""
    if looks_binary(data):
        raise IngestError("这不是网页文件（内容是二进制数据），可能已损坏或扩展名有误")
    for bom, enc in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                     (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return data.decode(enc, errors="replace")
    utf16 = utf16_without_bom(data)
    if utf16:
        return data.decode(utf16, errors="replace")
    tried = []
    declared = _META_CHARSET.search(data[:8192])
    if declared:
        name = declared.group(1).decode("ascii").lower()
        tried.append(_SUPERSET.get(name, name))
    tried.append("utf-8")
    for enc in tried:
        try:
            return data.decode(enc)
        except (UnicodeDecodeError, LookupError):
            continue
    best = charset_normalizer.from_bytes(data, cp_isolation=CANDIDATE_ENCODINGS).best()
    if best is None:
        raise IngestError("无法识别网页的字符编码（试过声明的编码、UTF-8、GB18030、Big5）")
    return data.decode(best.encoding, errors="replace")


def _strip_xml_declaration(text: str) -> str:
    # lxml refuses str input that carries an encoding declaration.
    return re.sub(r"^\s*<\?xml[^>]*\?>", "", text, count=1)


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


# ---------------------------------------------------------------- metadata

def page_hints(tree) -> dict:
    """What the page states about itself: title, published (YYYY-MM-DD), source, url."""
    meta: dict[str, str] = {}
    for el in tree.xpath("//meta[@name or @property]"):
        key = (el.get("name") or el.get("property") or "").strip().lower()
        value = (el.get("content") or "").strip()
        if key and value and key not in meta:
            meta[key] = value
    page_text = " ".join(t.strip() for t in tree.xpath("//body//text()") if t.strip())
    hints: dict[str, str] = {}

    title = meta.get("articletitle") or meta.get("og:title")
    if not title:
        title = _title_from_title_tag(tree, meta.get("sitename"))
    if title:
        hints["title"] = _SPACES.sub(" ", title).strip()

    for value in (meta.get("pubdate"), meta.get("publishdate"), meta.get("article:published_time")):
        published = _iso_date(value)
        if published:
            break
    else:
        found = _PAGE_DATE.search(page_text)
        published = _iso_date(found.group(0)) if found else None
    if published:
        hints["published"] = published

    source = meta.get("contentsource")
    if not source:
        found = _PAGE_SOURCE.search(page_text)
        source = found.group(1) if found else None
    if source:
        hints["source"] = source.strip()

    for value in [meta.get("url"), *tree.xpath("//link[@rel='canonical']/@href"),
                  meta.get("og:url")]:
        if value and _URL.match(value.strip()):
            hints["url"] = value.strip()
            break
    return hints


def _title_from_title_tag(tree, site_name: str | None) -> str | None:
    raw = " ".join(tree.xpath("//title//text()")).strip()
    if not raw:
        return None
    if site_name and raw.endswith(site_name) and len(raw) > len(site_name):
        raw = raw[: -len(site_name)]
    parts = [p for p in _TITLE_SEPARATORS.split(raw) if p.strip()]
    if not parts:
        return None
    # portals write "ARTICLE_COLUMN_SITE": the article's own title comes first; it is trusted
    # only when the page shows it as a heading or line of its own (else it may be a site name)
    candidate = parts[0].strip()
    wanted = _squeeze(candidate)
    for el in tree.xpath("//body//*[self::h1 or self::h2 or self::h3 or self::h4 or self::p "
                         "or self::div or self::td or self::span or self::strong]"):
        if _squeeze(el.text_content()) == wanted:
            return candidate
    return None


def _iso_date(value: str | None) -> str | None:
    if not value:
        return None
    m = _DATE.search(value)
    if not m:
        return None
    y, mo, d = (int(g) for g in m.groups())
    if not (1 <= mo <= 12 and 1 <= d <= 31 and 1949 <= y <= 2100):
        return None
    return f"{y:04d}-{mo:02d}-{d:02d}"


# ---------------------------------------------------------------- body

def main_content(tree, html_text: str):
    """The page element holding the article: the smallest one with (nearly) all the text
    trafilatura kept, widened over short neighbouring blocks; the body when trafilatura
    finds no article."""
    import trafilatura

    body = tree.find("body")
    if body is None:
        body = tree
    extracted = trafilatura.extract(
        html_text, include_tables=True, include_comments=False, include_images=False,
        favor_recall=True, deduplicate=False, output_format="txt", with_metadata=False)
    keys = []
    for line in (extracted or "").splitlines():
        # table rows come out as "| a | b |": each cell is a piece of page text of its own
        pieces = line.strip().strip("|").split(" | ") if line.lstrip().startswith("|") else [line]
        keys += [k for k in map(_squeeze, pieces) if len(k) >= 2]
    if not keys:
        return body
    scored = []
    for el in body.iter():
        if not isinstance(el.tag, str) or el.tag not in CONTAINER_TAGS:
            continue
        text = _squeeze(el.text_content())
        covered = sum(len(k) for k in keys if k in text)
        scored.append((el, covered, len(text)))
    best_cover = max(c for _, c, _ in scored)
    # the smallest element holding nearly all of the article ...
    el, covered, size = min(((e, c, n) for e, c, n in scored if c >= 0.9 * best_cover),
                            key=lambda t: t[2])
    # ... widened while the parent adds mostly article, or only a few lines: trafilatura drops
    # short blocks next to the body (the signature and its date, the title and publishing
    # line), and keeps link lists of layout tables, which must not widen the body to the page

    info = {id(e): (c, n) for e, c, n in scored}
    parent = el.getparent()
    while parent is not None and parent.tag != "body":
        if id(parent) not in info:
            parent = parent.getparent()
            continue
        p_covered, p_size = info[id(parent)]
        gained, added = p_covered - covered, p_size - size
        if gained < 0.5 * added and added - gained > WIDEN_CHARS:
            break
        el, covered, size = parent, p_covered, p_size
        parent = el.getparent()
    return el


def render_lines(root) -> list[str]:
    """The element as lines of text: one per block element, <br> and table row."""
    lines: list[str] = []
    buf: list[str] = []

    def flush():
        if buf:
            line = _clean_inline("".join(buf))
            buf.clear()
            if line:
                lines.append(line)

    def walk(el):
        tag = el.tag.lower() if isinstance(el.tag, str) else None
        if tag is None or tag in SKIP_TAGS:
            return
        if tag == "br":
            flush()
            return
        if tag == "table" and _is_data_table(el):
            flush()
            for row in el.xpath("./tr|./thead/tr|./tbody/tr|./tfoot/tr"):
                cells = [" ".join(render_lines(c)) for c in row.xpath("./td|./th")]
                cells = [c for c in cells if c]
                if cells:
                    lines.append("\t".join(cells))
            return
        block = tag in BLOCK_TAGS or tag in ("td", "th")
        if block:
            flush()
        if el.text:
            buf.append(el.text)
        for child in el:
            walk(child)
            if child.tail:
                buf.append(child.tail)
        if block:
            flush()

    walk(root)
    flush()
    return lines


def _is_data_table(table) -> bool:
    if table.xpath(".//table"):
        return False
    cells = table.xpath("./tr/td|./tr/th|./*/tr/td|./*/tr/th")
    return bool(cells) and all(len(_squeeze(c.text_content())) <= LAYOUT_CELL_CHARS
                               for c in cells)


def _clean_inline(text: str) -> str:
    text = _CJK_NEWLINE.sub("", text)
    return _SPACES.sub(" ", text).strip(" \xa0\u3000")
