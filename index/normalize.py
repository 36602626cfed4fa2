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
    """OpenCC's phrase-aware conversion: for reading metadata from a Traditional report."""
    return _t2s().convert(text)


@lru_cache(maxsize=1)
def _t2s_characters() -> dict[int, str]:
    # Matching must be character-for-character and context-free, exactly like grep: OpenCC's
    # phrase tables convert 乾 alone to 干 but keep 乾隆, so a query 乾 would miss a text 乾隆.
    # One table from each CJK character's own conversion gives the same answer on both sides.
    convert = _t2s().convert
    table = {}
    for cp in (*range(0x3400, 0xA000), *range(0xF900, 0xFB00)):
        simplified = convert(chr(cp))
        if len(simplified) == 1 and simplified != chr(cp):
            table[cp] = simplified
    return table


def looks_traditional(text: str, sample: int = 4000) -> bool:
    """True when a noticeable share of the Chinese characters are Traditional-only forms."""
    s = text[:sample]
    table = _t2s_characters()
    han = sum(1 for ch in s if "\u4e00" <= ch <= "\u9fff")
    if not han:
        return False
    changed = sum(1 for ch in s if ord(ch) in table)
    return changed / han > 0.02


def match_form(text: str) -> str:
    """The form in which queries and paragraphs are compared: a plain substring test.

    Character-for-character except where NFKC or case folding expand a character (㈠ -> (一),
    ß -> ss), which they do the same way on both sides.
    """
    text = unicodedata.normalize("NFKC", text).translate(_t2s_characters())
    return _WS.sub("", text.casefold())
