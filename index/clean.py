"""Cleaning: decoded file text -> display-form lines, each marked as page chrome or report body.

Reports are saved from government web portals, so the text carries the page around the
report: breadcrumbs, the publishing line (发布时间…信息来源…文字大小…), print/close and share
widgets, feedback forms, site clocks, 上一篇/下一篇 links, footers. Chrome lines are marked,
never removed: metadata extraction reads the publishing line. Everything else is body, and
nothing of the body is lost or reordered; the only lines dropped are empty ones.

A line is chrome only when a configured pattern (`cleaning:` in index/defaults.yaml) matches
the WHOLE line, so a body paragraph that merely mentions 浏览 or 打印 stays body.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .config import default_config
from .formats.lines import join_broken
from .normalize import display_form, rule_form

_BLANKS = re.compile(r"\s+")

# How control and line-separator characters become lines, for text from every format:
# - a hard break ends the line: \r\n, \r, \n and U+2029 PARAGRAPH SEPARATOR;
# - a soft break (\x0b, Word's manual line break; \x0c, a page break; the separators
#   \x1c-\x1e; NEL \x85; U+2028 LINE SEPARATOR) ends the line only where the sentence rule
#   (formats.lines.join_broken) says a paragraph ended, and otherwise joins the two pieces as
#   a space would; str.splitlines() would cut a sentence at every one of them;
# - tab stays (it separates table cells; display form turns it into a space);
# - every other C0/C1 control character, DEL and U+FFFE/U+FFFF are removed: they are
#   invisible, and XML (python-docx, the .docx export) refuses most of them.
_HARD_BREAK = re.compile(r"\r\n|[\r\n\u2029]")
_SOFT_BREAK = re.compile(r"[\x0b\x0c\x1c-\x1e\x85\u2028]")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f\ufffe\uffff]")


def text_lines(text: str) -> list[str]:
    """`text` split into lines by the rule above, control characters removed."""
    lines: list[str] = []
    for line in _HARD_BREAK.split(_CONTROL.sub("", text)):
        pieces = _SOFT_BREAK.split(line)
        lines += pieces if len(pieces) == 1 else join_broken(pieces)
    return lines


def plain_text(text: str) -> str:
    """A one-line value (a title from a page's <title>) cleaned by the same rule, in display
    form: the page's own characters."""
    return display_form(" ".join(line for line in text_lines(text)))


@dataclass
class Line:
    text: str      # display form (index.normalize.display_form): the report's characters
    form: str      # rule form (index.normalize.rule_form): what the rules read
    chrome: bool   # True for web-page chrome, False for report body


@lru_cache(maxsize=8)
def _compile(fields: tuple[str, ...], lines: tuple[str, ...], separators: str):
    # Patterns use verbose syntax so the YAML can lay them out readably; the text they are
    # matched against has no whitespace at all, so verbose mode loses nothing.
    flags = re.VERBOSE | re.IGNORECASE
    field = "|".join(f"(?:{f})" for f in fields)
    # Separators are possessive and sit only before a field: were they allowed on both sides,
    # "打印|打印|…" could split its bars 2^n ways and a failing match would backtrack forever.
    sep = f"[{re.escape(separators)}]*+"
    # A row of page-furniture fields in any order, each optionally wrapped in 【】 or [].
    row = re.compile(rf"(?:{sep}[【\[]?(?:{field})[】\]]?)+{sep}", flags) if fields else None
    whole = [re.compile(p, flags) for p in lines]
    return row, whole


@lru_cache(maxsize=1)
def _defaults() -> dict:
    return default_config()


def _patterns(config: dict | None):
    cleaning = (config or _defaults()).get("cleaning") or {}
    fields = tuple(cleaning.get("chrome_fields") or ())
    lines = tuple(cleaning.get("chrome_lines") or ())
    separators = cleaning.get("field_separators") or "|"
    limit = int(cleaning.get("max_chrome_chars") or 200)
    row, whole = _compile(fields, lines, separators)
    return row, whole, limit


def is_chrome(text: str, config: dict | None = None) -> bool:
    """True when the rule-form line `text` is web-page chrome by a configured pattern."""
    row, whole, limit = _patterns(config)
    compact = _BLANKS.sub("", text)
    if not compact or len(compact) > limit:
        return False
    if row is not None and row.fullmatch(compact):
        return True
    return any(p.fullmatch(compact) for p in whole)


def clean_lines(text: str, config: dict | None = None) -> list[Line]:
    """Every non-empty line of `text` in display and rule form, in order, with its chrome flag."""
    if config is None:
        config = _defaults()
    out: list[Line] = []
    for raw in text_lines(text):
        line = display_form(raw)
        if line:
            form = rule_form(line)
            out.append(Line(line, form, is_chrome(form, config)))
    return out
