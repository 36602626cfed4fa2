"""The documents a paragraph cites: the titles in 《》, normalized so that one law is one name.

《中华人民共和国行政复议法》, 《行政复议法》 and 《中华人民共和国行政复议法(2023年修订)》 are all
行政复议法: the name is the match form of the title without the 中华人民共和国 prefix and
without a bracketed note of revision or trial (修订, 修正, 试行, 草案, 暂行), with one dash in
year ranges (2021—2025 and 2021-2025 are one; 2015-2020 and 2021-2025 stay two). The facet
引用文件 counts paragraphs by these names and `cites:行政复议法` keeps the paragraphs that cite
one.

A segment's citations are found once, with one regular expression over its whole match-form
text, and kept per segment id: segments never change, so the result stays valid for every
later commit that still holds the segment.
"""
from __future__ import annotations

import re
import threading

import numpy as np

from index.normalize import match_form

_PREFIX = "中华人民共和国"
_NOTE = re.compile(r"[(\[]([^()\[\]]*(?:修订|修正|试行|草案|暂行)[^()\[\]]*)[)\]]$")
_RANGE_DASH = re.compile(r"(?<=\d)\s*[-‐‑‒–—―~～至到]+\s*(?=\d)")
# In the UTF-8 match form: 《 = e3 80 8a, 》 = e3 80 8b; never across a document's end (NUL).
_TITLE_BYTES = re.compile(rb"\xe3\x80\x8a([^\x00]{1,240}?)\xe3\x80\x8b")
MAX_NAME_CHARS = 60


def cited_name(title: str) -> str:
    """The normalized name of a cited document's title (with or without its 《》)."""
    name = _RANGE_DASH.sub("-", match_form(title).strip("《》"))
    while True:
        stripped = _NOTE.sub("", name)
        if stripped == name:
            break
        name = stripped
    if name.startswith(_PREFIX) and len(name) > len(_PREFIX):
        name = name[len(_PREFIX):]
    return name


def cited_names(text: str) -> list[str]:
    """The distinct normalized names of the documents a text cites, in order."""
    names = (cited_name(m) for m in re.findall(r"《([^《》\x00]{1,80})》", match_form(text)))
    return list(dict.fromkeys(n for n in names if n and len(n) <= MAX_NAME_CHARS))


_cache: dict[tuple[str, str], tuple[np.ndarray, list[str]]] = {}
_lock = threading.Lock()


def segment_citations(cols, key: tuple[str, str]) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """(local docs, name codes, names) of every (paragraph, cited name) pair of a segment,
    each pair once, docs ascending; `key` identifies the segment (index dir, segment id)."""
    with _lock:
        got = _cache.get(key)
    if got is None:
        blob = cols.blob
        starts = np.asarray(cols["byte_starts"], np.int64)
        names: dict[str, int] = {}
        pairs: set[tuple[int, int]] = set()
        for m in _TITLE_BYTES.finditer(blob):
            inner = m.group(1).decode("utf-8", "replace")
            if "《" in inner:                       # 《a《b》: the innermost title
                inner = inner.rsplit("《", 1)[1]
            name = cited_name(inner)
            if not name or len(name) > MAX_NAME_CHARS:
                continue
            doc = int(np.searchsorted(starts, m.start(), side="right")) - 1
            pairs.add((doc, names.setdefault(name, len(names))))
        ordered = sorted(pairs)
        docs = np.array([d for d, _ in ordered], dtype=np.int64)
        codes = np.array([c for _, c in ordered], dtype=np.int32)
        got = (docs, codes, list(names))
        with _lock:
            _cache[key] = got
    return got[0], got[1], got[2]
