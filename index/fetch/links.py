"""What a fetched page links to: a column's report articles and its next list page, a report
page's attachments. Pages are decoded the way the indexer decodes them (index.formats.html)."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

import lxml.html
from lxml import etree

from ..formats.html import decode_html
from ..model import IngestError
from .client import SCHEMES

# Link texts of a list page's "next page" control.
NEXT_TEXTS = {"下一页", "下页", "后一页", "下一頁", "下頁", ">", "›", "»", ">>", "next", "下一页>",
              "下一页>>", "[下一页]", "【下一页】"}
# TRS-style portals (most government sites) number list pages index.html, index_1.html, … and
# often write the pager with a script (createPageHTML(…)), so the links are not in the HTML.
_INDEX_PAGE = re.compile(r"^(?P<stem>index|default|list)(?:_(?P<n>\d+))?\.(?P<ext>s?html?|jsp)$",
                         re.I)
_PAGER_SCRIPT = re.compile(r"createPageHTML|index_\d+\.s?html?|countPage|pageCount", re.I)


@dataclass(frozen=True)
class Link:
    url: str
    text: str       # the title attribute when it is longer, else the link's text (NFKC, no blanks)


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))


def page_links(data: bytes, base_url: str) -> list[Link]:
    """Every http(s) link of the page, absolute, without #fragment, first occurrence kept."""
    try:
        text = re.sub(r"^\s*<\?xml[^>]*\?>", "", decode_html(data), count=1)
        tree = lxml.html.document_fromstring(text)
    except (IngestError, etree.ParserError, ValueError):
        return []
    base = tree.xpath("//base/@href")
    base_url = urljoin(base_url, base[0].strip()) if base else base_url
    seen, links = set(), []
    for a in tree.iter("a"):
        href = (a.get("href") or "").strip()
        if not href or href.startswith(("#", "javascript:", "mailto:")):
            continue
        url = urldefrag(urljoin(base_url, href))[0]
        if urlsplit(url).scheme.lower() not in SCHEMES or url in seen:
            continue
        seen.add(url)
        shown, title = _squeeze(a.text_content()), _squeeze(a.get("title"))
        links.append(Link(url, title if len(title) > len(shown) else shown))
    return links


def article_links(links: list[Link], pattern: str) -> list[Link]:
    """The links whose title matches `pattern` (a regular expression, searched)."""
    rx = re.compile(pattern)
    return [link for link in links if rx.search(link.text)]


def next_list_page(data: bytes, links: list[Link], url: str) -> str | None:
    """The next page of a column's list: a 下一页 link, else, on an index.html / index_N.html
    page whose pager is written by script, index_{N+1}.html."""
    for link in links:
        if link.text.lower() in NEXT_TEXTS and urldefrag(link.url)[0] != urldefrag(url)[0]:
            return link.url
    parts = urlsplit(url)
    name = parts.path.rsplit("/", 1)[-1] or "index.html"
    m = _INDEX_PAGE.match(name)
    if not m or not _PAGER_SCRIPT.search(data.decode("latin-1")):
        return None
    n = int(m.group("n") or 0) + 1
    folder = parts.path.rsplit("/", 1)[0] if "/" in parts.path else ""
    return f"{parts.scheme}://{parts.netloc}{folder}/{m.group('stem')}_{n}.{m.group('ext')}"


def attachment_links(links: list[Link], extensions) -> list[tuple[Link, str]]:
    """(link, extension) for each link to a file with one of `extensions` (".pdf"), judged
    by the link's path or, for download scripts (download.jsp?id=3), by its text."""
    exts = tuple(e.lower() for e in extensions)
    out = []
    for link in links:
        path = unquote(urlsplit(link.url).path).lower()
        ext = next((e for e in exts if path.endswith(e)), None) \
            or next((e for e in exts if link.text.lower().endswith(e)), None)
        if ext:
            out.append((link, ext))
    return out
