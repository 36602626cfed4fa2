"""Text normalization shared by the write path and the read path.

Three forms of every text:
- display form (`display_form`): the report's own characters (full-width punctuation and
  digits, Traditional characters, as written); only whitespace is tidied (every run of
  spaces, U+3000, U+00A0 and zero-width spaces becomes one space; ends stripped). This is what
  paragraphs store and what users see, copy, cite and export.
- rule form (`rule_form`): NFKC of the display form (full-width -> half-width, ㈠ -> (一)).
  The extraction rules (chrome patterns, metadata, outline markers, citation locations) are
  written against it, so one rule covers （一） and (一), ２０２３ and 2023.
  `rule_form_with_map` gives the display range behind each of its characters.
- match form (`match_form`): rule form, Traditional -> Simplified, case-folded, with all
  whitespace removed (PDF/DOCX extraction scatters spaces inside Chinese words). Queries and
  paragraphs are compared in this form, so matching is a plain substring test.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_WS = re.compile(r"[\s\u3000\xa0\u2002\u2003\u2009\u200b\ufeff]+")


def display_form(text: str) -> str:
    """The report's own characters with whitespace runs as single spaces, ends stripped."""
    return _WS.sub(" ", text).strip()


def text_units(text: str) -> list[tuple[int, int]]:
    """Ranges of `text` that normalize on their own: a character with the combining marks
    after it (NFKC composes e + U+0301 into é, so they must stay together)."""
    units: list[tuple[int, int]] = []
    for i, ch in enumerate(text):
        if units and unicodedata.combining(ch):
            units[-1] = (units[-1][0], i + 1)
        else:
            units.append((i, i + 1))
    return units


def rule_form_with_map(text: str) -> tuple[str, list[tuple[int, int]]]:
    """rule_form(text), built unit by unit, and for each of its characters the range of
    `text` it came from. (Equal to rule_form(text) unless NFKC composes across units, as
    it does Hangul jamo; callers that need the map check.)"""
    chars: list[str] = []
    owners: list[tuple[int, int]] = []
    for start, end in text_units(text):
        for out in unicodedata.normalize("NFKC", text[start:end]):
            if _WS.match(out):
                if not chars or chars[-1] == " ":
                    continue
                out = " "
            chars.append(out)
            owners.append((start, end))
    while chars and chars[-1] == " ":
        chars.pop()
        owners.pop()
    return "".join(chars), owners


def rule_form(text: str) -> str:
    """NFKC with whitespace runs as single spaces: the form the extraction rules read."""
    return _WS.sub(" ", unicodedata.normalize("NFKC", text)).strip()


def display_slice(text: str, start: int, end: int) -> str:
    """The characters of display text `text` behind rule_form(text)[start:end]."""
    if start >= end:
        return ""
    form, owners = rule_form_with_map(text)
    if form == text:
        return text[start:end]
    if form != rule_form(text):
        return text     # NFKC composed across characters (Hangul jamo): no exact map
    return text[owners[start][0]:owners[end - 1][1]]


def original_wording(found: str, display_lines: list[str], form_lines: list[str]) -> str:
    """The display characters behind `found`, a value a rule read from `form_lines` (the
    rule form, or a Simplified copy, of `display_lines`, line for line): a substring of one
    line, or of two consecutive lines joined; `found` itself when it cannot be traced."""
    if not found:
        return found
    for i, form in enumerate(form_lines):
        at = form.find(found)
        if at >= 0:
            return _traced(display_lines[i], form, at, at + len(found)) or found
    for i in range(len(form_lines) - 1):
        head, tail = form_lines[i], form_lines[i + 1]
        at = (head + tail).find(found)
        if 0 <= at < len(head) < at + len(found):
            first = _traced(display_lines[i], head, at, len(head))
            second = _traced(display_lines[i + 1], tail, 0, at + len(found) - len(head))
            if first is not None and second is not None:
                return first + second
    return found


def _traced(display: str, form: str, start: int, end: int) -> str | None:
    """display's characters behind form[start:end], where form is display's rule form or a
    same-length conversion of it (Traditional -> Simplified character by character)."""
    own, owners = rule_form_with_map(display)
    if len(own) != len(form):
        return None
    if start >= end:
        return ""
    return display[owners[start][0]:owners[end - 1][1]]


@lru_cache(maxsize=1)
def _t2s():
    import opencc  # imported lazily: only Traditional text or queries need it
    return opencc.OpenCC("t2s")


def to_simplified_characters(text: str) -> str:
    """Traditional -> Simplified character by character (the match form's table): the same
    length as `text`, so offsets found in the result hold in `text`."""
    return text.translate(_t2s_characters())


def to_simplified(text: str) -> str:
    """OpenCC's phrase-aware conversion: for reading metadata from a Traditional report."""
    return _t2s().convert(text)


@lru_cache(maxsize=1)
def _t2s_characters() -> dict[int, str]:
    # Matching must be character-for-character and context-free, exactly like grep: OpenCC's
    # phrase tables convert 乾 alone to 干 but keep 乾隆, so a query 乾 would miss a text 乾隆.
    # One table from each CJK character's own conversion gives the same answer on both sides.
    # Converted in one call, one character a line (no phrase spans a line end; checked
    # equal to one call a character, which takes 4x as long).
    cps = (*range(0x3400, 0xA000), *range(0xF900, 0xFB00))
    converted = _t2s().convert("\n".join(map(chr, cps))).split("\n")
    if len(converted) != len(cps):                  # never seen; the slow way then
        converted = [_t2s().convert(chr(cp)) for cp in cps]
    return {cp: s for cp, s in zip(cps, converted) if len(s) == 1 and s != chr(cp)}


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
