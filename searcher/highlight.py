"""Mark where query terms occur in the text users see.

Terms are compared in match form (index.normalize.match_form) but marked in the display
text, so the match form is built here piece by piece with a map back to display offsets:
"法 治政府" contains 法治政府 (one mark over all five characters), 出庭應訴 contains 出庭应诉,
100％ contains 100%, and "㈠" (NFKC "(一)") or "ß" (casefold "ss") change length safely.
"""
from __future__ import annotations

import html
import threading
import unicodedata
from functools import lru_cache

from index.normalize import _WS, _t2s_characters, match_form, text_units

_SENTENCE_END = "。；！？;!?"
_CLAUSE_END = "，、：,:"


class _CharClasses:
    """What each character seen so far becomes in match form: `table` (a str.translate table:
    its one character, or None for whitespace, which match form drops), `deleted`
    (whitespace), `other` (characters that expand, or combine with a neighbour); `known` is
    all of them. Immutable: learning new characters builds a new one (threads share it)."""

    def __init__(self, known=frozenset(), deleted=frozenset(), other=frozenset(), table=None):
        self.known, self.deleted, self.other = known, deleted, other
        self.table = table or {}

    def learned(self, chars: set[str]) -> "_CharClasses":
        t2s = _t2s_characters()
        table, deleted, other = dict(self.table), set(self.deleted), set(self.other)
        for ch in chars:
            out = unicodedata.normalize("NFKC", ch).translate(t2s).casefold()
            if unicodedata.combining(ch) or len(out) != 1:
                other.add(ch)
            elif _WS.match(out):
                deleted.add(ch)
                table[ord(ch)] = None
            elif out != ch:
                table[ord(ch)] = out
        return _CharClasses(self.known | chars, frozenset(deleted), frozenset(other), table)


_classes = _CharClasses()
_classes_lock = threading.Lock()


class _Owners:
    """owners[k] = the display range (i, i + 1) of match-form character k, when every kept
    character of the text maps to exactly one character."""

    __slots__ = ("keep",)

    def __init__(self, keep):
        self.keep = keep

    def __len__(self):
        return len(self.keep)

    def __getitem__(self, k):
        i = self.keep[k]
        return (i, i + 1)


def _match_form_with_map(text: str, form: str | None = None):
    """match_form(text) (given as `form` when known) and, for each of its characters, the
    display range it came from."""
    global _classes
    chars = set(text)
    classes = _classes
    if not chars <= classes.known:
        with _classes_lock:
            _classes = classes = _classes.learned(chars - _classes.known)
    if not chars & classes.other:
        # Character for character (the common case: full-width punctuation, Traditional
        # characters, spaces): one translate, checked against match_form itself.
        translated = text.translate(classes.table)
        if translated == (match_form(text) if form is None else form):
            keep = ([i for i, ch in enumerate(text) if ch not in classes.deleted]
                    if chars & classes.deleted else range(len(text)))
            return translated, _Owners(keep)
    table = _t2s_characters()
    chars_out: list[str] = []
    owners: list[tuple[int, int]] = []
    for start, end in text_units(text):
        piece = unicodedata.normalize("NFKC", text[start:end]).translate(table)
        for out in piece.casefold():
            if not _WS.match(out):
                chars_out.append(out)
                owners.append((start, end))
    return "".join(chars_out), owners


@lru_cache(maxsize=1024)
def _needles(terms: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(sorted({match_form(t) for t in terms if t} - {""}))


def match_spans(text: str, terms: list[str], form: str | None = None) -> list[tuple[int, int]]:
    """Sorted, merged (start, end) ranges of `text` where any term occurs in match form
    (`form`: match_form(text), when the caller has it, e.g. from the side arrays)."""
    if not text:
        return []
    needles = _needles(tuple(terms))
    if not needles:
        return []
    if form is None:
        form = match_form(text)
    raw: list[tuple[int, int]] = []
    if form == text:
        # Already in match form (NFKC Simplified, no spaces, no capitals): offsets are the
        # same on both sides, no map needed.
        for needle in needles:
            i = text.find(needle)
            while i >= 0:
                raw.append((i, i + len(needle)))
                i = text.find(needle, i + 1)
    else:
        form, owners = _match_form_with_map(text, form)
        for needle in needles:
            i = form.find(needle)
            while i >= 0:
                raw.append((owners[i][0], owners[i + len(needle) - 1][1]))
                i = form.find(needle, i + 1)     # overlapping occurrences too
    return merge_spans(raw)


def display_spans(text: str, spans: list[tuple[int, int]],
                  form: str | None = None) -> list[tuple[int, int]]:
    """Ranges of `text` holding the given ranges of its match form (the side arrays' offsets,
    e.g. an indicator statement's span), sorted and merged."""
    if not text or not spans:
        return []
    if form is None:
        form = match_form(text)
    if form == text:
        raw = [(s, e) for s, e in spans if 0 <= s < e <= len(text)]
    else:
        form, owners = _match_form_with_map(text, form)
        raw = [(owners[s][0], owners[e - 1][1]) for s, e in spans if 0 <= s < e <= len(form)]
    return merge_spans(raw)


def merge_spans(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted ranges, overlapping or touching ones joined."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _marked(text: str, spans: list[tuple[int, int]], start: int, end: int) -> str:
    """text[start:end] HTML-escaped with the spans (all inside start..end) wrapped in <mark>."""
    out: list[str] = []
    pos = start
    for s, e in spans:
        out.append(html.escape(text[pos:s], quote=True))
        out.append("<mark>" + html.escape(text[s:e], quote=True) + "</mark>")
        pos = e
    out.append(html.escape(text[pos:end], quote=True))
    return "".join(out)


def highlight(text: str, terms: list[str], spans: list[tuple[int, int]] | None = None) -> str:
    """The whole text, HTML-escaped, with every match wrapped in <mark>…</mark>
    (`spans`: match_spans(text, terms), when the caller has it already)."""
    return _marked(text, match_spans(text, terms) if spans is None else spans, 0, len(text))


def snippet(text: str, terms: list[str], width: int = 160,
            spans: list[tuple[int, int]] | None = None) -> str:
    """About `width` characters around the first matches, escaped and marked, "…" where cut.

    The window starts at the beginning of the sentence holding the first match when that
    leaves room, else at the first clause boundary (，、：) a little before the match, so a
    snippet never opens mid-phrase where the text gives a boundary; a match that would be cut
    by the window's end is left out whole. A first match longer than `width` is shown whole.
    No match: the start of the text.
    """
    all_spans = match_spans(text, terms) if spans is None else spans
    n = len(text)
    if not all_spans:
        start, end = 0, min(n, width)
    else:
        first_s, first_e = all_spans[0]
        room = max(0, width - (first_e - first_s))
        start = max(0, first_s - room // 3)
        cut = max((text.rfind(p, start, first_s) for p in _SENTENCE_END), default=-1)
        if cut >= 0:
            start = cut + 1
        end = min(n, max(first_e, start + width))
        if end == n:                            # short tail: use the room before instead
            start = min(start, max(0, n - width))
        if start > 0 and text[start - 1] not in _SENTENCE_END + _CLAUSE_END:
            clause = [i for i in (text.find(p, start, first_s) for p in _CLAUSE_END + _SENTENCE_END)
                      if i >= 0]
            if clause:
                start = min(clause) + 1
        # a later match crossing the end is left out whole, so no mark is ever split
        end = next((s for s, e in all_spans if s < end < e), end)
    while start < end and text[start].isspace():
        start += 1
    spans = [(s, e) for s, e in all_spans if start <= s and e <= end]
    body = _marked(text, spans, start, end)
    return ("…" if start > 0 else "") + body + ("…" if end < n else "")


def highlight_and_snippet(text: str, terms: list[str], spans: list[tuple[int, int]],
                          width: int = 160) -> tuple[str, str]:
    """(highlight, snippet) of a hit; a text the snippet would show whole (no longer than
    `width`, no leading space to trim) is marked once for both."""
    whole = highlight(text, terms, spans)
    if len(text) <= width and not text[:1].isspace():
        return whole, whole
    return whole, snippet(text, terms, width, spans)

