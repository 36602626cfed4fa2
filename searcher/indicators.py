"""Indicator statements across reports (issue 13): the figures the index extracted
(index/indicators.py), joined through the report with its issuer, level, place and year.

The statements are read from the per-segment arrays in bulk (numpy) and kept per segment
(index dir, segment id): segments never change, so a segment's statements stay valid for
every later commit that still holds it. Per opened Searcher they are concatenated once, the
deleted documents of that commit left out (a deleted paragraph stays in its segment), and
every request then filters, counts and sorts those arrays. Only the rows shown (a page of
the table, an export) read their paragraph's display text from Whoosh, to cut out the
sentence in the report's own characters with the statement marked.

Filters are the search's (year, province, level, section, issuer_type, issuer, city,
published, cites), normalized by searcher.query.normalize_filter and tested with the
searcher's own lookup tables, plus the statement's own: qualifier, measure (水平 a level /
变化 a change), target (plan targets), and a value range.
"""
from __future__ import annotations

import difflib
import threading
import weakref
from dataclasses import dataclass

import numpy as np

from index.fields import SEARCH_FACETS
from index.indicators import (COUNT, FLAG_CATALOGUED, FLAG_CHANGE, FLAG_COUNT, FLAG_TARGET,
                              RATE, catalogue, rules_of)
from index.normalize import match_form

from .highlight import _match_form_with_map
from .query import QueryError, normalize_filter

MEASURES = ("level", "change", "all")
MEASURE_LABELS = {"level": "水平", "change": "变化", "all": "水平和变化"}
TARGETS = ("include", "exclude", "only")
SORTS = ("value_desc", "value_asc", "year_desc", "year_asc")
NO_QUALIFIER = "无"            # the qualifier filter value for statements without one
SENTENCE_MAX = 240            # characters of a sentence shown around the statement
_SENTENCE_END = "。；！？;!?\n"


@dataclass
class Statements:
    """Every live statement of one opened index, as aligned arrays (one row a statement)."""
    doc: np.ndarray             # global document number
    name: np.ndarray            # codes into names
    wording: np.ndarray         # codes into wordings (match form)
    qualifier: np.ndarray       # codes into qualifiers (match form, "" none)
    unit: np.ndarray            # codes into units
    value: np.ndarray
    flags: np.ndarray
    start: np.ndarray           # span in the paragraph's match form
    end: np.ndarray
    names: list
    wordings: list
    qualifiers: list
    units: list
    unread: int = 0             # segments written before statements were stored (none read)

    def __len__(self) -> int:
        return len(self.doc)


# ---------------------------------------------------------------------- reading

_segment_cache: dict[tuple[str, str], tuple[dict, dict]] = {}
_segment_lock = threading.Lock()
_searcher_cache: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()
_searcher_lock = threading.Lock()
_ARRAYS = ("ind_doc", "ind_name", "ind_wording", "ind_qualifier", "ind_unit", "ind_value",
           "ind_flags", "ind_start", "ind_end")
_VOCAB = ("name", "wording", "qualifier", "unit")


def segment_statements(cols, key: tuple[str, str]) -> tuple[dict, dict]:
    """(arrays, vocab) of one segment's statements, read once per (index dir, segment id);
    a segment written before statements were stored has none."""
    with _segment_lock:
        got = _segment_cache.get(key)
    if got is None:
        vocab = dict((cols.meta.get("indicators") or {}))
        if all(name in cols.arrays for name in _ARRAYS):
            arrays = {name: np.array(cols[name]) for name in _ARRAYS}
        else:
            arrays = {name: np.zeros(0, np.int64) for name in _ARRAYS}
        got = (arrays, {k: list(vocab.get(k) or []) for k in _VOCAB})
        with _segment_lock:
            _segment_cache[key] = got
    return got


def statements(searcher) -> Statements:
    """The live statements of an opened Searcher (computed once per Searcher)."""
    with _searcher_lock:
        got = _searcher_cache.get(searcher)
    if got is not None:
        return got
    globals_: dict[str, dict[str, int]] = {k: {} for k in _VOCAB}
    parts: dict[str, list] = {k: [] for k in _ARRAYS}
    unread = 0
    for cols, base in searcher._segs:
        unread += int("ind_doc" not in cols.arrays and len(cols["kind"]) > 0)
        arrays, vocab = segment_statements(cols, (str(searcher.index_dir), cols.segment_id))
        if not len(arrays["ind_doc"]):
            continue
        parts["ind_doc"].append(arrays["ind_doc"].astype(np.int64) + base)
        for field in _VOCAB:
            table = globals_[field]
            remap = np.array([table.setdefault(v, len(table)) for v in vocab[field]] or [0],
                             np.int32)
            parts["ind_" + field].append(remap[arrays["ind_" + field]])
        for name in ("ind_value", "ind_flags", "ind_start", "ind_end"):
            parts[name].append(arrays[name])
    empty = {"ind_doc": np.int64, "ind_name": np.int32, "ind_wording": np.int32,
             "ind_qualifier": np.int32, "ind_unit": np.int32, "ind_value": np.float64,
             "ind_flags": np.uint8, "ind_start": np.int64, "ind_end": np.int64}
    cat = {k: (np.concatenate(v) if v else np.zeros(0, empty[k])) for k, v in parts.items()}
    keep = searcher.searchable[cat["ind_doc"]] if len(cat["ind_doc"]) else np.zeros(0, bool)
    got = Statements(doc=cat["ind_doc"][keep], name=cat["ind_name"][keep],
                     wording=cat["ind_wording"][keep], qualifier=cat["ind_qualifier"][keep],
                     unit=cat["ind_unit"][keep], value=cat["ind_value"][keep].astype(np.float64),
                     flags=cat["ind_flags"][keep], start=cat["ind_start"][keep].astype(np.int64),
                     end=cat["ind_end"][keep].astype(np.int64),
                     names=list(globals_["name"]), wordings=list(globals_["wording"]),
                     qualifiers=list(globals_["qualifier"]), units=list(globals_["unit"]),
                     unread=unread)
    with _searcher_lock:
        _searcher_cache[searcher] = got
    live = {(str(searcher.index_dir), cols.segment_id) for cols, _ in searcher._segs}
    with _segment_lock:         # segments merged away since: a searcher still on them rereads
        for key in [k for k in _segment_cache
                    if k[0] == str(searcher.index_dir) and k not in live]:
            del _segment_cache[key]
    return got


# ---------------------------------------------------------------------- the catalogue

def catalogue_counts(searcher, filters: dict | None = None) -> dict:
    """The catalogue (from the searcher's configuration and the index) with how many
    reports and statements state each indicator, and the uncatalogued rates found, most
    reported first. Targets are not counted; `filters` as in `query`."""
    st = statements(searcher)
    rows = _filtered_rows(searcher, st, filters or {}, target="exclude")
    report = searcher.doc_report[st.doc[rows]].astype(np.int64)
    names = st.name[rows].astype(np.int64)
    n_names = len(st.names)
    counts = np.bincount(names, minlength=n_names)
    pairs = np.unique(names << 32 | report) if len(rows) else np.zeros(0, np.int64)
    reports = np.bincount((pairs >> 32).astype(np.int64), minlength=n_names)
    catalogued = np.zeros(n_names, bool)
    if len(st):
        catalogued[st.name[(st.flags & FLAG_CATALOGUED) > 0]] = True
    entries, seen = [], set()
    pos = {n: i for i, n in enumerate(st.names)}
    for entry in catalogue(searcher.config):
        i = pos.get(entry["name"])
        seen.add(entry["name"])
        entries.append(_entry(entry["name"], entry.get("kind", RATE), entry.get("unit"),
                              entry.get("wordings") or [entry["name"]],
                              int(reports[i]) if i is not None else 0,
                              int(counts[i]) if i is not None else 0, True))
    for i, name in enumerate(st.names):     # catalogued when the index was built, since removed
        if catalogued[i] and name not in seen and counts[i]:
            entries.append(_entry(name, _kind_of(st, i), None, [], int(reports[i]),
                                  int(counts[i]), True))
    others = [_entry(name, RATE, "%", [], int(reports[i]), int(counts[i]), False,
                     label=written_name(searcher, name))
              for i, name in enumerate(st.names) if not catalogued[i] and counts[i]]
    others.sort(key=lambda e: (-e["reports"], -e["statements"], e["name"]))
    return {"catalogue": entries, "uncatalogued": others,
            "reports": int(len(np.unique(report))) if len(rows) else 0,
            "statements": int(len(rows)), "unread_segments": st.unread}


def _entry(name, kind, unit, wordings, reports, count, catalogued, label=None) -> dict:
    """A catalogue entry; `name` is the key (URLs, grouping: an uncatalogued rate's name in
    the match form), `label` what a page shows (the report's own characters)."""
    return {"name": name, "label": label or name, "kind": kind,
            "unit": unit or ("%" if kind == RATE else "件"),
            "wordings": list(wordings), "reports": reports, "statements": count,
            "catalogued": catalogued}


# How many statements of an uncatalogued rate are read for the way reports write its name.
WRITTEN_SAMPLE = 24
_written_cache: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def written_name(searcher, name: str) -> str:
    """An uncatalogued rate's name as the reports write it: statements keep the name in the
    match form (Simplified, NFKC: 结案率), which groups the reports of either script under one
    key; a page shows the wording most of its statements write (結案率 when the reports
    stating it are in Traditional characters), read from the display text of at most
    WRITTEN_SAMPLE statements (spread over the index), once per opened Searcher. A catalogued
    name, or one no statement has, is returned as it is."""
    st = statements(searcher)
    with _searcher_lock:
        cache = _written_cache.get(searcher)
    if cache is None:
        # the uncatalogued rows grouped by name, in index order within each name (once)
        rows = np.flatnonzero((st.flags & FLAG_CATALOGUED) == 0)
        rows = rows[np.argsort(st.name[rows], kind="stable")]
        codes = st.name[rows]
        cache = {"rows": rows, "codes": codes,
                 "pos": {n: i for i, n in enumerate(st.names)}, "shown": {}}
        with _searcher_lock:
            cache = _written_cache.setdefault(searcher, cache)
    got = cache["shown"].get(name)
    if got is not None:
        return got
    code = cache["pos"].get(name, -1)
    lo, hi = np.searchsorted(cache["codes"], [code, code + 1]) if code >= 0 else (0, 0)
    rows = cache["rows"][lo:hi]
    if len(rows) > WRITTEN_SAMPLE:        # spread over the index, not its first reports
        rows = rows[np.linspace(0, len(rows) - 1, WRITTEN_SAMPLE).astype(np.int64)]
    seen: dict[str, int] = {}
    texts: dict[int, tuple] = {}
    for r in rows.tolist():
        word = st.wordings[int(st.wording[r])]
        shown = _written(searcher, st, r, word, texts)
        if shown and match_form(shown) == match_form(word):
            seen[shown] = seen.get(shown, 0) + 1
    # most written first; a tie goes to the one first seen
    best = max(seen, key=lambda w: seen[w]) if seen else name
    if match_form(best) != match_form(name):
        best = name             # the wording is the name, but for the script: never another
    with _searcher_lock:
        cache["shown"][name] = best
    return best


def _written(searcher, st: Statements, r: int, word: str, texts: dict) -> str | None:
    """`word` (match form) of statement row `r` as its paragraph's display text writes it."""
    doc = int(st.doc[r])
    if doc not in texts:
        texts[doc] = _display_map(searcher, doc)
    text, owners, form = texts[doc]
    span = _display_span(form, owners, int(st.start[r]), int(st.end[r]),
                         _match_text(searcher, doc))
    if span is None:
        return None
    return _shown(text, form, owners, word, span[2], span[3])


def _kind_of(st: Statements, code: int) -> str:
    rows = np.flatnonzero(st.name == code)
    return COUNT if len(rows) and st.flags[rows[0]] & FLAG_COUNT else RATE


def resolve_name(searcher, name: str) -> str | None:
    """The indicator a name stands for: a canonical name, one of its wordings (出庭率 ->
    行政机关负责人出庭应诉率), or an uncatalogued rate's own name; None when unknown."""
    st = statements(searcher)
    wanted = match_form(name or "")
    if not wanted:
        return None
    entries = catalogue(searcher.config)
    for entry in entries:
        if match_form(entry["name"]) == wanted:
            return entry["name"]
    rules = rules_of(searcher.config)
    for wording, canonical in {**rules.rate_names, **rules.count_names}.items():
        if match_form(wording) == wanted:
            return canonical
    for n in st.names:
        if match_form(n) == wanted:
            return n
    return None


def suggestions(searcher, name: str, limit: int = 8) -> list[str]:
    """Known indicator names close to `name` (sharing its characters), most reported first."""
    counts = catalogue_counts(searcher)
    known = [e["name"] for e in counts["catalogue"]] + [e["name"] for e in counts["uncatalogued"]]
    wanted = match_form(name or "")
    close = difflib.get_close_matches(wanted, known, n=limit, cutoff=0.4)
    pieces = {wanted[i:i + 2] for i in range(max(1, len(wanted) - 1))} if wanted else set()
    sharing = [k for k in known if any(p and p in k for p in pieces) and k not in close]
    return (close + sharing)[:limit]


# ---------------------------------------------------------------------- one indicator

@dataclass
class Selection:
    """The statements of one indicator passing a request's filters."""
    name: str
    kind: str
    unit: str                   # the catalogue's unit ("%" for an uncatalogued rate)
    rows: np.ndarray            # row numbers into statements(), sorted as asked
    facets: dict                # facet -> {value: statements}
    qualifiers: dict            # qualifier ("" none) -> statements, ignoring its own filter
    measures: dict              # level/change -> statements, ignoring the measure filter
    targets: int                # targets among the rows passing the other filters
    label: str = ""             # the name shown: an uncatalogued rate's as reports write it


def query(searcher, name: str | None, filters: dict | None = None, qualifier=(),
          measure: str = "level", target: str = "include", value_min: float | None = None,
          value_max: float | None = None, sort: str = "value_desc") -> Selection:
    """The statements of indicator `name` (canonical or uncatalogued, see resolve_name; None:
    every indicator) passing the filters. `filters`: field -> values as the search takes them (normalized
    here); `qualifier`: qualifiers to keep (NO_QUALIFIER for none); `measure`: level (水平),
    change (变化) or all; `target`: include, exclude or only plan targets."""
    if measure not in MEASURES:
        raise QueryError("measure 只能是 level（水平）、change（变化）或 all（全部）。")
    if target not in TARGETS:
        raise QueryError("target 只能是 include（包括目标值）、exclude（不含目标值）或 only（只看目标值）。")
    if sort not in SORTS:
        raise QueryError("排序 sort 只能是 " + "、".join(SORTS) + " 之一。")
    st = statements(searcher)
    entry = next((e for e in catalogue(searcher.config) if e["name"] == name), None)
    code = st.names.index(name) if name in st.names else -1
    if name is None:
        base = np.arange(len(st))
    else:
        base = np.flatnonzero(st.name == code) if code >= 0 else np.zeros(0, np.int64)
    kind = entry.get("kind", RATE) if entry else (_kind_of(st, code) if code >= 0 else RATE)
    unit = (entry or {}).get("unit") or ("%" if kind == RATE else "件")

    masks: dict[str, np.ndarray] = {}
    for field, values in (filters or {}).items():
        masks[field] = _filter_mask(searcher, st, base, field, values)
    quals = [("" if q in ("", NO_QUALIFIER) else match_form(q)) for q in qualifier]
    if quals:
        table = np.array([q in quals for q in st.qualifiers] or [False], bool)
        masks["qualifier"] = table[st.qualifier[base]] if len(base) else np.zeros(0, bool)
    change = (st.flags[base] & FLAG_CHANGE) > 0
    if measure != "all":
        masks["measure"] = change if measure == "change" else ~change
    is_target = (st.flags[base] & FLAG_TARGET) > 0
    if target != "include":
        masks["target"] = is_target if target == "only" else ~is_target
    values = st.value[base]
    if value_min is not None or value_max is not None:
        lo = -np.inf if value_min is None else value_min
        hi = np.inf if value_max is None else value_max
        masks["value"] = (values >= lo) & (values <= hi)

    def passing(skip: str | None = None) -> np.ndarray:
        keep = np.ones(len(base), bool)
        for f, m in masks.items():
            if f != skip:
                keep &= m
        return keep

    keep = passing()
    rows = base[keep]
    facets = {}
    for field in SEARCH_FACETS:
        docs = st.doc[base[passing(field)]]
        counts = np.bincount(searcher.codes[field][docs], minlength=len(searcher.vocab[field]))
        facets[field] = {v: int(c) for v, c in zip(searcher.vocab[field], counts.tolist())
                         if c and v}
    qcounts = np.bincount(st.qualifier[base[passing("qualifier")]],
                          minlength=len(st.qualifiers))
    qualifiers = {st.qualifiers[i]: int(c) for i, c in enumerate(qcounts.tolist()) if c}
    mrows = passing("measure")
    measures = {"level": int((mrows & ~change).sum()), "change": int((mrows & change).sum())}
    targets = int((passing("target") & is_target).sum())
    label = written_name(searcher, name) if name and entry is None else (name or "")
    return Selection(name=name or "", kind=kind, unit=unit, rows=_sorted(searcher, st, rows, sort),
                     facets=facets, qualifiers=qualifiers, measures=measures, targets=targets,
                     label=label)


def _filter_mask(searcher, st: Statements, rows: np.ndarray, field: str, values) -> np.ndarray:
    """Which of `rows` pass a search filter (values as typed; normalized as the search does)."""
    field = field.strip().lower()
    values = values if isinstance(values, (list, tuple)) else [values]
    norm = tuple(dict.fromkeys(v for value in values for v in normalize_filter(field, value)))
    docs = st.doc[rows]
    if field == "cites":
        return np.isin(docs, searcher._citing_docs(norm))
    lut, codes = searcher._filter_lut(field, norm)
    return lut[codes[docs]] if len(docs) else np.zeros(0, bool)


def _filtered_rows(searcher, st: Statements, filters: dict, target: str) -> np.ndarray:
    rows = np.arange(len(st))
    keep = np.ones(len(rows), bool)
    for field, values in filters.items():
        keep &= _filter_mask(searcher, st, rows, field, values)
    if target == "exclude":
        keep &= (st.flags & FLAG_TARGET) == 0
    return rows[keep]


def _sorted(searcher, st: Statements, rows: np.ndarray, sort: str) -> np.ndarray:
    """Rows in the asked order; ties: newer year first, then report and paragraph order."""
    docs = st.doc[rows]
    year = searcher.year[docs]
    tie = (docs, searcher.ordinal[docs], searcher.doc_report[docs])
    value = st.value[rows]
    if sort == "value_desc":
        order = np.lexsort((st.start[rows], *tie, -year, -value))
    elif sort == "value_asc":
        order = np.lexsort((st.start[rows], *tie, -year, value))
    elif sort == "year_asc":
        order = np.lexsort((st.start[rows], *tie, -value, year))
    else:
        order = np.lexsort((st.start[rows], *tie, -value, -year))
    return rows[order]


# ---------------------------------------------------------------------- rows shown

def records(searcher, rows: np.ndarray, with_sentence: bool = True) -> list[dict]:
    """The statements `rows` as dicts (the keys scripts read: indicator, wording, qualifier,
    value, unit, change, target, paragraph_id, report_id, year, issuer, province, level,
    sentence, and more). With `with_sentence`, the paragraph's display text is read (once per
    paragraph) for the sentence, the wording and the qualifier in the report's own
    characters; `mark` is the statement's [start, end] in `sentence`."""
    st = statements(searcher)
    texts: dict[int, tuple] = {}
    out = []
    for r in rows.tolist():
        doc = int(st.doc[r])
        report_id = searcher.report_ids[int(searcher.doc_report[doc])]
        rec = searcher._report_record(report_id) or {}
        flags = int(st.flags[r])
        value = float(st.value[r])
        item = {"indicator": st.names[int(st.name[r])],
                "wording": st.wordings[int(st.wording[r])],
                "qualifier": st.qualifiers[int(st.qualifier[r])],
                "value": int(value) if value.is_integer() else value,
                "unit": st.units[int(st.unit[r])],
                "change": bool(flags & FLAG_CHANGE), "target": bool(flags & FLAG_TARGET),
                "catalogued": bool(flags & FLAG_CATALOGUED),
                "kind": COUNT if flags & FLAG_COUNT else RATE,
                "paragraph_id": searcher._paragraph_id(doc), "report_id": report_id,
                "year": _int(rec.get("year")), "issuer": rec.get("issuer"),
                "province": rec.get("province"), "city": rec.get("city"),
                "level": rec.get("level"), "issuer_type": rec.get("issuer_type"),
                "published": rec.get("published"), "section": searcher._section(doc),
                "title": rec.get("title"), "sentence": "", "mark": [0, 0]}
        if with_sentence:
            if doc not in texts:
                texts[doc] = _display_map(searcher, doc)
            text, owners, form = texts[doc]
            span = _display_span(form, owners, int(st.start[r]), int(st.end[r]),
                                 _match_text(searcher, doc))
            if span is not None:
                s, e, fs, fe = span
                item["sentence"], item["mark"] = sentence_around(text, s, e)
                for key in ("wording", "qualifier"):
                    if item[key]:
                        item[key] = _shown(text, form, owners, item[key], fs, fe) or item[key]
        out.append(item)
    return out


TABLE_COLUMNS = ("指标", "写法", "限定语", "数值", "单位", "水平/变化", "目标值", "发文机关", "层级",
                 "省份", "城市", "年度", "发布日期", "报告部分", "原句", "段落编号", "报告编号")


def table_rows(items: list[dict]) -> list[list]:
    """records() as rows under TABLE_COLUMNS (the CSV and XLSX downloads)."""
    return [[r["indicator"], r["wording"], r["qualifier"], r["value"], r["unit"],
             "变化" if r["change"] else "水平", "是" if r["target"] else "",
             r["issuer"] or "", r["level"] or "", r["province"] or "", r["city"] or "",
             r["year"] or "", r["published"] or "", r["section"] or "", r["sentence"],
             r["paragraph_id"], r["report_id"]] for r in items]


def _display_map(searcher, doc: int) -> tuple[str, list | None, str]:
    """(display text, owners, match form) of a paragraph: the map from match-form
    characters to display ranges that highlighting uses (None when they are the same)."""
    text = searcher.display_text(doc)
    form = match_form(text)
    if form == text:
        return text, None, form
    form, owners = _match_form_with_map(text, form)
    return text, owners, form


def _match_text(searcher, doc: int) -> str:
    cols, local = searcher._locate(doc)
    return cols.doc_bytes(local).decode("utf-8")


def _display_span(form: str, owners, start: int, end: int, stored: str):
    """The display range of the match-form span [start, end) of the stored match text; the
    paragraph's own match form is the stored one (index/writer.py stores match_form of the
    display text), else the span's characters are looked for nearby."""
    if not 0 <= start < end <= len(stored):
        return None
    if form != stored:
        piece = stored[start:end]
        hits = [i for i in _find_all(form, piece)]
        if not hits:
            return None
        start = min(hits, key=lambda i: abs(i - start))
        end = start + len(piece)
    if owners is None:
        return start, end, start, end
    return owners[start][0], owners[end - 1][1], start, end


def _find_all(text: str, piece: str):
    i = text.find(piece)
    while i >= 0:
        yield i
        i = text.find(piece, i + 1)


def _shown(text: str, form: str, owners, word: str, start: int, end: int) -> str | None:
    """`word` (match form) as the report writes it, looked for inside the statement's
    match-form range [start, end)."""
    i = form.find(word, start, end)
    if i < 0:
        return None
    if owners is None:
        return text[i:i + len(word)]
    return text[owners[i][0]:owners[i + len(word) - 1][1]]


def sentence_around(text: str, start: int, end: int) -> tuple[str, list[int]]:
    """The sentence of `text` holding [start, end) (at most about SENTENCE_MAX characters,
    cut with …) and the span's [start, end] in it."""
    s = max(text.rfind(c, 0, start) for c in _SENTENCE_END) + 1
    ends = [i for i in (text.find(c, end) for c in _SENTENCE_END) if i >= 0]
    e = min(ends) + 1 if ends else len(text)
    prefix = suffix = ""
    room = max(0, SENTENCE_MAX - (end - start))
    if start - s > room // 2:
        s, prefix = start - room // 2, "…"
    if e - end > room - (start - s):
        e, suffix = end + max(0, room - (start - s)), "…"
    while s < start and text[s].isspace():
        s += 1
    body = text[s:e].rstrip("\n")
    return prefix + body + suffix, [len(prefix) + start - s, len(prefix) + end - s]


def _int(v):
    try:
        return int(v)
    except (TypeError, ValueError):
        return None


# ---------------------------------------------------------------------- summaries

def chart_rows(searcher, sel: Selection, measure: str) -> tuple[np.ndarray, str]:
    """The rows a chart draws: no targets, one measure (the asked one; levels for "all"),
    in the most common unit; and that unit."""
    st = statements(searcher)
    rows = sel.rows
    flags = st.flags[rows]
    want_change = measure == "change"
    rows = rows[((flags & FLAG_TARGET) == 0) & (((flags & FLAG_CHANGE) > 0) == want_change)]
    rows = rows[searcher.year[st.doc[rows]] > 0]
    if not len(rows):
        return rows, sel.unit
    units = np.bincount(st.unit[rows])
    top = int(np.argmax(units))
    return rows[st.unit[rows] == top], st.units[top]


def by_year(searcher, rows: np.ndarray) -> list[dict]:
    """Per year of the rows: count, reports, min, quartiles, median, max."""
    st = statements(searcher)
    years = searcher.year[st.doc[rows]]
    out = []
    for y in sorted(set(years.tolist())):
        v = st.value[rows[years == y]]
        q1, med, q3 = np.percentile(v, [25, 50, 75]).tolist()
        reps = len(np.unique(searcher.doc_report[st.doc[rows[years == y]]]))
        out.append({"year": int(y), "count": int(len(v)), "reports": int(reps),
                    "min": _num(v.min()), "q1": _num(q1), "median": _num(med), "q3": _num(q3),
                    "max": _num(v.max())})
    return out


def crosstab(searcher, rows: np.ndarray, region: str = "province") -> dict:
    """Region (province, or city) × year of the rows: per cell the count and the median."""
    st = statements(searcher)
    docs = st.doc[rows]
    years = searcher.year[docs]
    codes = searcher.codes[region][docs]
    vocab = searcher.vocab[region]
    cells: dict[tuple[str, int], list[float]] = {}
    for c, y, v in zip(codes.tolist(), years.tolist(), st.value[rows].tolist()):
        cells.setdefault((vocab[c] or "不详", y), []).append(v)
    regions = sorted({r for r, _ in cells}, key=lambda r: (r == "不详", r))
    year_list = sorted({y for _, y in cells})
    table = [{"region": r, "cells": [
        {"year": y, "count": len(cells.get((r, y), [])),
         "median": _num(float(np.median(cells[(r, y)]))) if (r, y) in cells else None}
        for y in year_list]} for r in regions]
    return {"region": region, "years": year_list, "rows": table}


def _num(x) -> float | int:
    x = round(float(x), 2)
    return int(x) if x.is_integer() else x


def points(searcher, rows: np.ndarray) -> list[dict]:
    """Chart points: year, value, paragraph id and who stated it (no Whoosh text read)."""
    st = statements(searcher)
    out = []
    for r in rows.tolist():
        doc = int(st.doc[r])
        report_id = searcher.report_ids[int(searcher.doc_report[doc])]
        rec = searcher._report_record(report_id) or {}
        out.append({"year": int(searcher.year[doc]), "value": float(st.value[r]),
                    "paragraph_id": searcher._paragraph_id(doc),
                    "issuer": rec.get("issuer") or rec.get("title") or report_id,
                    "qualifier": st.qualifiers[int(st.qualifier[r])],
                    "unit": st.units[int(st.unit[r])]})
    return out
