"""Structure: body lines -> paragraphs with their outline path and canonical section.

Chinese official documents number their outline 一、 / (一) / 1. / (1) (GB/T 9704); inline
一是…二是… enumerates inside a paragraph and is never a heading. Every body line becomes one
Paragraph:

- `kind` is "heading" for a marker plus a short phrase on a line of its own, and for the title
  lines at the top (section 前言); everything else is "text". A marker followed by a short
  phrase ending in 。 and then more text ("(四)继续强化行政执法规范。推进结果公开…") is a
  run-in heading: the paragraph is text, and its phrase joins the section path of it and of
  the paragraphs below it, exactly as a heading line would.
- `section_path` lists the headings above a paragraph, outermost first (a heading's includes
  itself). Marker kinds nest in the fixed order of `sections.markers`, so a report that skips
  a level (一、 then 1.) still nests correctly.
- `section` is one of index.model.SECTIONS, decided by top-level headings' words, and where a
  report leaves parts unheaded, by the opening sentence of a paragraph (rules and word lists
  in the `sections:` block of index/defaults.yaml, where each rule is explained).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from .config import default_config
from .model import SECTIONS, Paragraph
from .normalize import display_slice

PREFACE, MEASURES, SHORTCOMINGS, DUTY, PLAN, OTHER, SIGNATURE = SECTIONS
# Where each section may come in a report, for the rule that an unheaded cue only moves
# forward. 不足 and 第一责任人 share a rank: reports put them in either order.
_ORDER = {PREFACE: 0, MEASURES: 1, SHORTCOMINGS: 2, DUTY: 2, PLAN: 3, OTHER: 4, SIGNATURE: 5}
_BLANKS = re.compile(r"\s+")
_CN_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "十": 10}


@dataclass
class _Rules:
    markers: list[tuple[str, re.Pattern]]
    inline: re.Pattern
    heading_max: int
    run_in_max: int
    title_max: int
    title_lines: int
    sentence_end: re.Pattern
    heading_rules: list[dict]
    cues: list[dict]
    preface_end: re.Pattern
    closing_max: int
    date_line: re.Pattern
    year: re.Pattern
    year_lines: int


@lru_cache(maxsize=1)
def _default_rules() -> _Rules:
    return _compiled(_freeze(default_config()["sections"]))


def _rules(config: dict | None) -> _Rules:
    s = (config or {}).get("sections") or {}
    if not s.get("markers"):
        return _default_rules()
    return _compiled(_freeze(s))


def _freeze(value):
    """A hashable copy of a config value, so compiled rules are cached per configuration."""
    if isinstance(value, dict):
        return tuple(sorted((k, _freeze(v)) for k, v in value.items()))
    if isinstance(value, list):
        return tuple(_freeze(v) for v in value)
    return value


def _thaw(value):
    if isinstance(value, tuple) and value and all(
            isinstance(v, tuple) and len(v) == 2 and isinstance(v[0], str) for v in value):
        return {k: _thaw(v) for k, v in value}
    if isinstance(value, tuple):
        return [_thaw(v) for v in value]
    return value


@lru_cache(maxsize=8)
def _compiled(frozen) -> _Rules:
    s = _thaw(frozen)
    cues = []
    for cue in s.get("opening_cues") or []:
        cues.append({**cue, "search": [re.compile(p) for p in cue.get("search") or []]})
    return _Rules(
        markers=[(m["kind"], re.compile(m["pattern"])) for m in s["markers"]],
        inline=re.compile(s.get("inline_marker") or r"(?!)"),
        heading_max=int(s.get("heading_max_chars", 60)),
        run_in_max=int(s.get("run_in_max_chars", 40)),
        title_max=int(s.get("title_max_chars", 80)),
        title_lines=int(s.get("title_max_lines", 4)),
        sentence_end=re.compile(s.get("sentence_end") or "[。!?]"),
        heading_rules=list(s.get("heading_rules") or []),
        cues=cues,
        preface_end=re.compile(s.get("preface_end") or r"(?!)"),
        closing_max=int(s.get("closing_max_chars", 60)),
        date_line=re.compile(s.get("date_line") or r"(?!)"),
        year=re.compile(s.get("year_pattern") or r"(?!)"),
        year_lines=int(s.get("year_search_lines", 5)),
    )


def _number(digits: str) -> int:
    """1-99 from Arabic or Chinese numerals (一, 十, 十二, 二十三)."""
    if digits.isdigit():
        return int(digits)
    if "十" in digits:
        tens, _, ones = digits.partition("十")
        return (_CN_DIGITS.get(tens, 1) if tens else 1) * 10 + (_CN_DIGITS.get(ones, 0) if ones else 0)
    return _CN_DIGITS.get(digits, 0)


@dataclass
class _Item:
    """One outline marker at the start of a line."""
    rank: int          # position of the marker kind in sections.markers (0 = outermost)
    number: int
    marker: str        # the marker in rule form: "(一)", "1.", "一、"
    rest: str          # the line after the marker
    rest_at: int = 0   # where `rest` starts in the line
    kind: str = "numbered"   # "heading" | "run_in" | "numbered"
    lead: str = ""           # heading phrase: the whole rest, or a run-in's first sentence
    label: str = ""          # what the section path shows: the heading line, or marker + lead


def parse_item(line: str, config: dict | None = None) -> _Item | None:
    """The outline marker at the start of a rule-form line, classified; None if none."""
    return _parse_item(line, _rules(config))


def _parse_item(line: str, rules: _Rules) -> _Item | None:
    for rank, (_kind, pattern) in enumerate(rules.markers):
        m = pattern.match(line)
        if not m:
            continue
        after = line[m.end():]
        rest = after.strip()
        item = _Item(rank, _number(m.group(1)), line[:m.end()], rest,
                     m.end() + len(after) - len(after.lstrip()))
        ends = [e.start() for e in rules.sentence_end.finditer(rest)]
        if len(rest) <= rules.heading_max and (not ends or ends == [len(rest) - 1]):
            item.kind, item.lead, item.label = "heading", rest, line
        elif ends and ends[0] <= rules.run_in_max and rest[ends[0] + 1:].strip():
            item.kind, item.lead = "run_in", rest[:ends[0]]
            item.label = item.marker + item.lead
        else:
            # A numbered paragraph: its first clause still tells a top-level part's subject.
            item.lead = re.split(r"[,,;;::。!?]", rest, maxsplit=1)[0]
        return item
    return None


def infer_report_year(lines: list[str], config: dict | None = None) -> int | None:
    """The year the report is about, as its leading lines name it first ("关于2023年度…")."""
    rules = _rules(config)
    for line in lines[:rules.year_lines]:
        m = rules.year.search(_BLANKS.sub("", line))
        if m:
            return int(m.group(1))
    return None


def _years(text: str, rules: _Rules) -> list[int]:
    return [int(y) for y in rules.year.findall(text)]


def heading_section(text: str, report_year: int | None, config: dict | None = None) -> str | None:
    """The section a top-level heading's words name, or None when they name none."""
    return _heading_section(_BLANKS.sub("", text), report_year, _rules(config))


def _heading_section(text: str, report_year: int | None, rules: _Rules) -> str | None:
    for rule in rules.heading_rules:
        if rule.get("later_year"):
            if report_year and any(y > report_year for y in _years(text, rules)):
                return rule["section"]
        elif any(w in text for w in rule.get("words") or ()):
            return rule["section"]
    return None


def _cue_section(text: str, report_year: int | None, unheaded: bool,
                 rules: _Rules) -> str | None:
    """The section an unheaded paragraph's opening sentence starts, or None."""
    opening = re.split(r"[。;;::!?]", text, maxsplit=1)[0]
    for cue in rules.cues:
        if cue.get("unheaded_only") and not unheaded:
            continue
        if cue.get("later_year") and report_year:
            m = rules.year.match(text)
            if m and int(m.group(1)) > report_year:
                return cue["section"]
        if any(p.search(opening) for p in cue["search"]):
            return cue["section"]
    return None


def _title_count(lines: list[str], rules: _Rules) -> int:
    n = 0
    for line in lines[:rules.title_lines]:
        if (len(line) > rules.title_max or _parse_item(line, rules)
                or re.search(r"[。!?;;::,,]$", line) or rules.sentence_end.search(line)):
            break
        n += 1
    return n


def _closing_start(lines: list[str], rules: _Rules) -> int:
    """Index where the closing block (signature, date, notes) starts; len(lines) if none."""
    start, dated = len(lines), False
    for i in range(len(lines) - 1, -1, -1):
        line = lines[i]
        if len(line) > rules.closing_max or _parse_item(line, rules):
            return start if dated else len(lines)
        start = i
        dated = dated or bool(rules.date_line.fullmatch(_BLANKS.sub("", line)))
    return len(lines)   # nothing but short lines: no body to close


@dataclass
class _State:
    section: str = PREFACE
    stack: list[_Item] = field(default_factory=list)   # open headings, outermost first
    last_top: int | None = None      # number of the last top-level item of the report's parts
    nested: bool = False             # top-level numbering now counts items inside a part


def _enter_item(state: _State, item: _Item, report_year: int | None, rules: _Rules) -> None:
    """Open `item` in the outline; a top-level item may start a new part (section)."""
    while state.stack and state.stack[-1].rank >= item.rank:
        state.stack.pop()
    top = not state.stack
    if item.kind != "numbered":
        state.stack.append(item)
    if not top:
        return  # sub-headings never change the section
    if state.nested:
        # Items numbered afresh inside an unheaded part; only the number that continues the
        # report's own sequence of parts is a new part.
        if state.last_top is None or item.number != state.last_top + 1:
            return
        state.nested = False
    elif state.last_top is not None and item.number < state.last_top:
        state.nested = True   # numbering restarts: items of the current part
        return
    state.last_top = item.number
    section = _heading_section(_BLANKS.sub("", item.marker + item.lead),
                               report_year, rules)
    if section is None:
        section = MEASURES if state.section == PREFACE else state.section
    state.section = section


def _display_label(item: _Item, text: str) -> str:
    """The section-path label of `item` in the report's own characters (`text`, the display
    line it was parsed from in rule form)."""
    if item.kind != "run_in":
        return text
    return (display_slice(text, 0, len(item.marker))
            + display_slice(text, item.rest_at, item.rest_at + len(item.lead)))


def _signature_start(lines: list[str], rules: _Rules) -> int:
    """Where the signature (落款: issuer, date, "(此件公开发布)") starts: the trailing run of
    short lines that are neither sentences nor numbered items and include a date line;
    len(lines) if there is none."""
    start, dated = len(lines), False
    for i in range(len(lines) - 1, -1, -1):
        line = lines[i]
        if (len(line) > rules.closing_max or _parse_item(line, rules)
                or rules.sentence_end.fullmatch(line[-1:])):
            break
        start = i
        dated = dated or bool(rules.date_line.fullmatch(_BLANKS.sub("", line)))
    return start if dated else len(lines)


def split_paragraphs(body: list[str], report_id: str, rule_lines: list[str] | None = None,
                     config: dict | None = None, year: int | None = None) -> list[Paragraph]:
    """Every body line as a Paragraph, in order, with kind, section and section path.

    `body` is the display form (what a Paragraph keeps); `rule_lines` the same lines as the
    rules read them (index.normalize.rule_form, Simplified character by character for a
    Traditional report; computed when None). `year` is the year the report is about; when
    None it is read from the leading lines (infer_report_year). It decides whether a heading
    like "2024年工作思路" is a plan.
    """
    rules = _rules(config)
    if rule_lines is None:
        from .normalize import rule_form
        rule_lines = [rule_form(line) for line in body]
    if len(rule_lines) != len(body):
        raise ValueError("rule_lines must have one line per body line")
    report_year = year if year is not None else infer_report_year(rule_lines, config)
    titles = _title_count(rule_lines, rules)
    closing = _closing_start(rule_lines, rules)
    signature = max(titles, _signature_start(rule_lines, rules))
    state = _State()
    out: list[Paragraph] = []
    prev_ends_preface = False
    for i, (text, rule_text) in enumerate(zip(body, rule_lines)):
        compact = _BLANKS.sub("", rule_text)
        kind, path, section = "text", None, None
        if i < titles:
            kind, path = "heading", [text]
        elif i >= signature:
            kind, path, section = "signature", [], SIGNATURE
        elif i >= closing:
            path = []
        else:
            item = _parse_item(rule_text, rules)
            if item is not None:
                item.label = _display_label(item, text) if item.kind != "numbered" else ""
                _enter_item(state, item, report_year, rules)
                if item.kind == "heading":
                    kind = "heading"
            else:
                inline = bool(rules.inline.match(compact))
                cue = None if inline else _cue_section(compact, report_year,
                                                       not state.stack, rules)
                # Forward only, and never back to 前言 or 主要举措和成效.
                if cue and cue != state.section \
                        and _ORDER[cue] >= max(_ORDER[state.section], _ORDER[SHORTCOMINGS]):
                    state.section, state.stack, state.nested = cue, [], True
                elif state.section == PREFACE and (prev_ends_preface or inline):
                    state.section = MEASURES
            prev_ends_preface = state.section == PREFACE and bool(rules.preface_end.search(compact))
        if path is None:
            path = [p.label for p in state.stack]
        out.append(Paragraph(
            id=f"{report_id}-p{i + 1}", ordinal=i + 1, kind=kind,
            section=section or state.section, section_path=path, text=text,
        ))
    return out
