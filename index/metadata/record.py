from __future__ import annotations

import re

from ..model import Metadata
from .common import _ADDRESSEE_RE, _LEVEL_RANK, _metadata_config
from .dates import _label_re, find_published, find_source, find_year
from .titles import find_title, title_issuer
from .issuer import _ends_with, _first_sentence, _fuller_issuer, _opening_issuer, _without_book_titles, find_signature, issuer_type_of
from .place import PlaceGuess, _self_named, _self_reference, _suffix_level, guess_place

# ---------------------------------------------------------------- the whole record

def _addressee(lines: list[str], upto: int, cfg: dict) -> str:
    """An addressee line before the body ("常州市人民政府:"): the issuer's superior."""
    suffixes = cfg["government_suffixes"] + cfg["department_suffixes"]
    for line in lines[:upto]:
        m = _ADDRESSEE_RE.fullmatch(line.strip())
        if m and (_ends_with(m.group(1), suffixes) or "委" in m.group(1)):
            return m.group(1)
    return ""


def _is_label_line(line: str, cfg: dict) -> bool:
    """A short chrome line with a publishing or source label."""
    labels = _label_re(cfg["published_labels"] + cfg["source_labels"])
    return len(line) <= cfg["chrome_max_chars"] and re.search(labels + r"\s*[::]", line) is not None


def _opening_lines(lines: list[str], start: int, cfg: dict) -> list[str]:
    """The first sentence-like lines of the body (chrome and very short lines skipped)."""
    out = []
    for line in lines[start:]:
        if len(line) < 15 or _is_label_line(line, cfg):
            continue
        if "。" not in line and any(mark in line for mark in cfg["breadcrumb_marks"]):
            continue  # 首页 > 政务公开 > …: a navigation line, not the opening
        out.append(line)
        if len(out) >= cfg["year_opening_lines"]:
            break
    return out


def extract_metadata(lines: list[str], body_start: int | None = None,
                     config: dict | None = None) -> Metadata:
    """Metadata of a report from its cleaned lines (chrome lines included)."""
    cfg, levels_cfg = _metadata_config(config)
    text = "\n".join(lines)
    title, title_end = find_title(lines, body_start, cfg, levels_cfg)
    published = find_published(lines, cfg)
    source = find_source(lines, cfg)
    signed_by, dated = find_signature(lines, cfg, levels_cfg)
    start = body_start if body_start is not None else title_end + 1
    opening = _opening_lines(lines, max(start, title_end + 1), cfg)
    superiors = _addressee(lines, max(start, title_end + 1) + 3, cfg)

    named = (title_issuer(title) if title else None) or signed_by
    issuer = named or _opening_issuer(opening, cfg)
    if issuer:
        issuer = _fuller_issuer(issuer, [signed_by, source], text, cfg, levels_cfg)
    sentence = _without_book_titles(_first_sentence(opening))
    guess = guess_place([issuer, title, sentence, source], text, superiors)
    self_ref = _self_reference(text, levels_cfg)
    if self_ref is None and superiors in cfg["addressee_levels"]:
        self_ref = (cfg["addressee_levels"][superiors], superiors)
    if issuer is None and guess.named_by < 0 and self_ref:
        place, issuer = _self_named(text, *self_ref, cfg, levels_cfg)
        if place:
            guess = PlaceGuess(place, place.province, place.city, self_ref[0])

    levels = [lv for lv in (guess.level, _suffix_level(issuer, cfg, levels_cfg)) if lv]
    # The deeper level wins: a town missing from the gazetteer still says 街道/镇 in its
    # name, while a 市 ending cannot tell a prefecture from a county-level city.
    level = max(levels, key=_LEVEL_RANK.get) if levels else None
    # "我镇" beats a place read from the first sentence (its county or city named first);
    # an issuer named in the title or signature is not overruled.
    if self_ref and (level is None or (not named and _LEVEL_RANK[self_ref[0]] > _LEVEL_RANK[level])):
        level = self_ref[0]

    year = find_year(title, opening, published, dated, cfg)
    meta = Metadata(
        title=title, issuer=issuer, issuer_type=issuer_type_of(issuer, cfg, levels_cfg),
        level=level, province=guess.province, city=guess.city, year=year,
        published=published, dated=dated, source=source,
    )
    if title is None and issuer and year:
        meta.title = cfg["derived_title"].format(issuer=issuer, year=year)
        meta.title_derived = True
    return meta

