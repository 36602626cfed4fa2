"""Text normalization shared by the write path and the read path.

Two forms of every text:
- display form (`display_form`): NFKC (full-width -> half-width), whitespace variants folded;
  the report's own script. This is what paragraphs store and what users see.
- match form (`match_form`): display form, Traditional -> Simplified, case-folded, with all
  whitespace removed (PDF/DOCX extraction scatters spaces inside Chinese words). Queries and
  paragraphs are compared in this form, so matching is a plain substring test.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_WS = re.compile(r"[\s\u3000\xa0\u2002\u2003\u2009\u200b\ufeff]+")


def display_form(text: str) -> str:
    """NFKC and single spaces; keeps the report's characters otherwise."""
    text = unicodedata.normalize("NFKC", text)
    return _WS.sub(" ", text).strip()


@lru_cache(maxsize=1)
def _t2s():
    import opencc  # imported lazily: only Traditional text or queries need it
    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    return _t2s().convert(text)


def looks_traditional(text: str, sample: int = 4000) -> bool:
    """True when converting to Simplified changes a noticeable share of the characters."""
    s = text[:sample]
    if not s:
        return False
    converted = to_simplified(s)
    changed = sum(1 for a, b in zip(s, converted) if a != b)
    han = sum(1 for ch in s if "\u4e00" <= ch <= "\u9fff") or 1
    return changed / han > 0.02


def match_form(text: str, traditional: bool | None = None) -> str:
    """The form in which queries and paragraphs are compared."""
    text = unicodedata.normalize("NFKC", text)
    if traditional is None or traditional:
        conv = to_simplified(text)
        # OpenCC's phrase tables can change length; we need a character-for-character
        # mapping for highlighting, so fall back to per-character conversion then.
        text = conv if len(conv) == len(text) else "".join(to_simplified(c) for c in text)
    return _WS.sub("", text.casefold())
