"""The read path: query -> hits, facet counts, highlights, from one warm, open index.

Whoosh holds the documents (stored fields are read only for the hits shown). Matching,
facets and ranking run on the per-segment side arrays (index/columns.py) as numpy set and
mask operations over global document numbers (segment base + local number, in Whoosh's
reader order):
- a Term's candidates are the intersection of the postings of its bigrams (its unigram when it
  is one character), verified with `str.count` against the in-memory match-form text, which
  also gives the occurrence counts for BM25; a one- or two-character term is its own gram and
  needs no verification;
- facet counts are np.bincount over code arrays, each facet ignoring its own filter;
- relevance is BM25 computed in bulk, only the top offset+limit are sorted (argpartition).
"""
from __future__ import annotations

import datetime

import json
import logging
import math
import re
import threading
from pathlib import Path

import numpy as np

from index import store
from index.columns import CODE_FIELDS, KIND_CODE, KINDS, term_gram_keys
from index.config import load_config
from index.fields import LABELS, SEARCH_FACETS
from index.normalize import match_form
from index.store import IndexFormatError, IndexNotBuilt, IndexNotFound, StoreError  # noqa: F401

from .citation import citation
from .highlight import display_spans, highlight_and_snippet, match_spans, merge_spans
from .proximity import SENTENCE_END, texts_holding
from .query import (And, Figure, Filter, Near, Not, Or, QueryError, Term, figure_holds,
                    in_date_range, indicator_table, normalize_filter, parse_query,
                    positive_figures, positive_term_nodes, synonym_table)

log = logging.getLogger(__name__)

FACETS = SEARCH_FACETS
MODES = ("exact", "fuzzy")
SORTS = ("relevance", "year_desc", "year_asc", "published_desc", "published_asc")
GROUPS = ("paragraphs", "reports")
MORE_PER_REPORT = 10     # per-report view: matching paragraphs listed under the best one
CITES_SHOWN = 30         # the 引用文件 facet lists the most cited documents of the hits
_REPORT_FIELDS = ("title_derived", "issuer_full", "issuer_type", "published", "dated", "source",
                  "url", "file")

# BM25 parameters and the boosts of exact-mode ranking.
K1, B = 1.2, 0.75
HEADING_BOOST = 1.5      # a term in a heading says what the whole part is about
TITLE_BOOST = 0.5        # share of a term's idf added when the report title contains it
NUMBER_BOOST = 1.3       # the term followed closely by a figure: the paragraph states a result
HIT_CACHE_SIZE = 1024    # rendered hits kept per index generation (a few MB)
FIGURE_CACHE_SIZE = 32   # term sets whose figure-after-term checks are kept…
FIGURE_CACHE_DOCS = 10_000   # …each for at most this many documents
FUZZY_EXACT_BONUS = 1e6  # fuzzy mode: exact-substring matches rank above word-only matches
TERM_CACHE_BYTES = 64 << 20  # postings of recent query terms kept decoded
_NUMBER_AFTER = 6        # characters after a match in which a digit counts as "a figure"


def open_searcher(index_dir, config=None) -> "Searcher":
    return Searcher(index_dir, config)


class Searcher:
    """One commit of the index, opened for reading; safe to share between threads.

    Everything it holds is immutable after opening (numpy arrays, memory-mapped side arrays)
    except Whoosh's reader, which is not thread-safe and is only used under `_whoosh_lock`,
    and two small caches, each under its own lock. A newer commit is read by opening a new
    Searcher (the web app swaps the reference); this one keeps answering from its commit."""

    def __init__(self, index_dir, config=None):
        self.index_dir = Path(index_dir)
        self.config = config or load_config()
        state = store.open_read_state(self.index_dir)
        self._whoosh_lock = threading.Lock()
        self._cache_lock = threading.Lock()
        self._reader = state.reader
        from whoosh.searching import Searcher as WhooshSearcher
        self._wsearcher = WhooshSearcher(state.reader, fromindex=state.ix)
        self.generation = state.generation
        self._segs = [(c, b) for c, b, _ in state.segments]
        self._build_global(state.segments)
        self._term_cache: dict = {}
        self._term_cache_bytes = 0
        self._report_meta: dict = {}
        self._citation_cache: dict = {}
        self._hit_cache: dict = {}
        self._figure_cache: dict = {}
        self._reports: list | None = None
        self.synonyms = synonym_table(self.config.get("search", {}).get("synonyms"))
        from index.indicators import catalogue
        self.indicators = indicator_table(catalogue(self.config))
        self._published: list | None = None
        self._cites: tuple | None = None
        self._open_whoosh_files()

    def _open_whoosh_files(self) -> None:
        """Whoosh opens a segment's stored-fields file on first use; open it now, while the
        commit's files certainly exist (a later merge unlinks them, and an open file stays
        readable)."""
        with self._whoosh_lock:
            for cols, base in self._segs:
                if len(cols["kind"]):
                    self._reader.stored_fields(base)

    def _build_global(self, segs) -> None:
        n = sum(len(c["kind"]) for c, _, _ in segs)
        self.n = n
        kind = np.concatenate([np.asarray(c["kind"]) for c, _, _ in segs]) if segs \
            else np.zeros(0, np.uint8)
        deleted = np.concatenate([d for _, _, d in segs]) if segs else np.zeros(0, bool)
        self.alive = ~deleted
        self.searchable = self.alive & (kind != KIND_CODE["report"])
        self.kind = kind
        self.ordinal = np.concatenate([np.asarray(c["ordinal"], np.int64) for c, _, _ in segs]) \
            if segs else np.zeros(0, np.int64)
        starts = [np.asarray(c["starts"], np.int64) for c, _, _ in segs]
        self.length = (np.concatenate([np.diff(s) - 1 for s in starts]) if segs
                       else np.zeros(0, np.int64)).astype(np.float32)
        # Facet/filter codes: union of the segments' value lists, remapped per segment.
        self.vocab, self.codes = {}, {}
        for field in CODE_FIELDS:
            values = sorted({v for c, _, _ in segs for v in c.meta["vocab"][field]})
            pos = {v: i for i, v in enumerate(values)}
            parts = [np.array([pos[v] for v in c.meta["vocab"][field]], dtype=np.int32)
                     [np.asarray(c["f_" + field])] for c, _, _ in segs]
            self.vocab[field] = values
            self.codes[field] = np.concatenate(parts) if parts else np.zeros(0, np.int32)
        # Reports: global codes in report_id order; later segments hold the newer data.
        rids = sorted({r["id"] for c, _, _ in segs for r in c.meta["reports"]})
        rpos = {r: i for i, r in enumerate(rids)}
        self.report_ids = rids
        self.report_code = rpos
        self.report_title = [""] * len(rids)
        self.report_issuer = [""] * len(rids)
        parts = []
        for c, base, d in segs:
            local = np.array([rpos[r["id"]] for r in c.meta["reports"]], dtype=np.int32)
            parts.append(local[np.asarray(c["report"])] if len(local) else
                         np.zeros(len(c["kind"]), np.int32))
            live_reports = set(local[np.asarray(c["report"])[~d]].tolist()) if len(local) \
                else set()
            for r, g in zip(c.meta["reports"], local.tolist()):
                if g in live_reports:
                    self.report_title[g] = r.get("title", "")
                    self.report_issuer[g] = r.get("issuer", "")
        self.doc_report = np.concatenate(parts) if parts else np.zeros(0, np.int32)
        years = np.array([int(v) if v.isdigit() else 0 for v in self.vocab["year"]], np.int32)
        self.year = years[self.codes["year"]] if n else np.zeros(0, np.int32)
        # Sort orders for the year sorts: rank of every document (ties: report, ordinal).
        self.rank_year_desc = _ranks(np.lexsort((self.ordinal, self.doc_report, -self.year)))
        self.rank_year_asc = _ranks(np.lexsort((self.ordinal, self.doc_report, self.year)))
        self._searchable_docs = np.flatnonzero(self.searchable).astype(np.int64)
        # Documents by (report, ordinal), for lookups by id without Whoosh's term index.
        live = np.flatnonzero(self.alive)
        keys = (self.doc_report[live].astype(np.int64) << 32) | self.ordinal[live]
        order = np.argsort(keys, kind="stable")
        self._doc_keys, self._doc_key_docs = keys[order], live[order]
        self._by_report = _groups(self.doc_report, self._searchable_docs, len(rids))
        self._report_ranges = _report_ranges(self._by_report, len(rids))
        self._report_codes: dict = {}       # field -> per-report codes or None; on first use
        self._groups: dict = {}
        self._title_cache: dict = {}
        live_len = self.length[self.searchable]
        self.avg_len = float(live_len.mean()) if len(live_len) else 1.0
        self._bm25_norm = K1 * (1 - B + B * self.length.astype(np.float64) / self.avg_len)
        self._boost = np.where(kind == KIND_CODE["heading"], HEADING_BOOST, 1.0)
        self.n_searchable = int(self.searchable.sum())

    # ------------------------------------------------------------------ matching

    def _term_postings(self, term: str) -> tuple[np.ndarray, np.ndarray]:
        """(global doc numbers ascending, occurrence counts) of documents containing `term`."""
        with self._cache_lock:
            hit = self._term_cache.get(term)
        if hit is not None:
            return hit
        docs, tfs = [], []
        for cols, base in self._segs:
            d, t = _segment_term(cols, term)
            if len(d):
                docs.append(d.astype(np.int64) + base)
                tfs.append(t.astype(np.int32))
        out = (np.concatenate(docs), np.concatenate(tfs)) if docs else \
            (np.zeros(0, np.int64), np.zeros(0, np.int32))
        if len(out[0]):
            live = self.searchable[out[0]]          # a deleted paragraph stays in its segment
            if not live.all():
                out = (out[0][live], out[1][live])
        # Bounded by bytes, not entries: one common term's postings at 1M paragraphs is ~6 MB.
        size = out[0].nbytes + out[1].nbytes
        with self._cache_lock:
            if self._term_cache_bytes + size > TERM_CACHE_BYTES:
                self._term_cache.clear()
                self._term_cache_bytes = 0
            if size <= TERM_CACHE_BYTES // 4 and term not in self._term_cache:
                self._term_cache[term] = out
                self._term_cache_bytes += size
        return out

    # Sets of documents are sorted int64 arrays of global doc numbers, with a flag for a
    # complement ("every searchable document but these", from NOT), so every step costs in
    # proportion to the documents it touches, never to the corpus.

    def _filter_lut(self, field: str, values) -> tuple[np.ndarray, np.ndarray]:
        """(lookup table, codes) such that lut[codes[d]] says whether document d passes."""
        if field in ("issuer", "title"):
            strings = self.report_issuer if field == "issuer" else self.report_title
            lut = np.array([any(v in s for v in values) for s in strings] or [False], bool)
            return lut, self.doc_report
        if field == "published":
            dates = self._report_published()
            lut = np.array([any(in_date_range(d, v) for v in values) for d in dates] or [False],
                           bool)
            return lut, self.doc_report
        wanted = set(values)
        lut = np.array([v in wanted for v in self.vocab[field]] or [False], dtype=bool)
        return lut, self.codes[field]

    def _filter_docs(self, field: str, values) -> np.ndarray:
        """The searchable documents passing a filter, ascending."""
        return self._lut_docs(field, self._filter_lut(field, values)[0])

    def _restrict(self, docs: np.ndarray, field: str, lut: tuple) -> np.ndarray:
        """`docs` passing a filter: by looking up their codes, or, when the filter passes
        far fewer documents than `docs` holds, by intersecting with its documents."""
        reports = self._passing_reports(field, lut, len(docs))
        if reports is not None:
            # a report's documents are one run of document numbers: cut the runs of the
            # passing reports out of `docs`, two binary searches a report
            lo, hi = self._report_ranges[0][reports], self._report_ranges[1][reports]
            return _ranges_of(docs, lo, hi)
        order, bounds = self._groups_of(field)
        picked = np.flatnonzero(lut[0][:len(bounds) - 1])
        size = int((bounds[picked + 1] - bounds[picked]).sum()) if len(picked) else 0
        if size * 8 < len(docs):
            return _intersect(docs, self._lut_docs(field, lut[0]))
        return _passing(docs, lut)

    def _passing_reports(self, field: str, lut: tuple, n_docs: int) -> np.ndarray | None:
        """The report codes (ascending by their first document) passing a per-report filter,
        when few enough of them pass for cutting their runs out of `n_docs` documents to beat
        looking up each document's code (two binary searches a report against one lookup a
        document); else None."""
        if self._report_ranges is None:
            return None
        table, codes = lut
        if codes is self.doc_report:
            passing = table[:len(self.report_ids)]
        else:
            per_report = self._per_report_codes(field)
            if per_report is None:
                return None
            passing = np.zeros(len(per_report), bool)
            has = per_report >= 0
            passing[has] = table[per_report[has]]
        reports = np.flatnonzero(passing)
        if len(reports) * 16 > n_docs:
            return None
        return reports[np.argsort(self._report_ranges[0][reports], kind="stable")]

    def _per_report_codes(self, field: str) -> np.ndarray | None:
        """Per report, its code of `field` (-1: no searchable document), when every document
        of every report has its report's code (year, province …; not section); else None."""
        with self._cache_lock:
            if field in self._report_codes:
                return self._report_codes[field]
        got = None
        if field in self.codes and self._report_ranges is not None:
            first = self._report_ranges[0]
            sd = self._searchable_docs
            per_report = np.where(first >= 0, self.codes[field][np.maximum(first, 0)], -1)
            if np.array_equal(per_report[self.doc_report[sd]], self.codes[field][sd]):
                got = per_report
        with self._cache_lock:
            self._report_codes[field] = got
        return got

    def _groups_of(self, field: str) -> tuple[np.ndarray, np.ndarray]:
        return self._by_report if field in ("issuer", "title", "published") \
            else self._by_code(field)

    def _citations(self) -> tuple[np.ndarray, np.ndarray, list[str]]:
        """(docs, name codes, names) of every (searchable paragraph, cited document) pair,
        docs ascending; found per segment on first use (searcher/cited.py)."""
        from .cited import segment_citations
        with self._cache_lock:
            got = self._cites
        if got is None:
            names: dict[str, int] = {}
            docs, codes = [], []
            for cols, base in self._segs:
                d, c, seg_names = segment_citations(cols, (str(self.index_dir), cols.segment_id))
                remap = np.array([names.setdefault(n, len(names)) for n in seg_names] or [0],
                                 np.int32)
                docs.append(d + base)
                codes.append(remap[c] if len(c) else c)
            docs_a = np.concatenate(docs) if docs else _NO_DOCS
            codes_a = np.concatenate(codes) if codes else np.zeros(0, np.int32)
            keep = self.searchable[docs_a] if len(docs_a) else np.zeros(0, bool)
            got = (docs_a[keep], codes_a[keep], list(names))
            with self._cache_lock:
                self._cites = got
        return got

    def _citing_docs(self, values) -> np.ndarray:
        docs, codes, names = self._citations()
        wanted = [i for i, n in enumerate(names) if n in set(values)]
        return _distinct(docs[np.isin(codes, wanted)]) if wanted else _NO_DOCS

    def cited_counts(self, matched: np.ndarray, top: int = CITES_SHOWN) -> dict[str, int]:
        """Paragraphs of `matched` citing each document, the `top` most cited."""
        docs, codes, names = self._citations()
        if not len(matched) or not len(docs):
            return {}
        mask = np.zeros(self.n, dtype=bool)
        mask[matched] = True
        counts = np.bincount(codes[mask[docs]], minlength=len(names))
        order = np.argsort(-counts, kind="stable")[:top]
        return {names[i]: int(counts[i]) for i in order.tolist() if counts[i]}

    def _report_published(self) -> list[str]:
        """Each report's publishing date (YYYY-MM-DD or ""), by report code; read from the
        report records on first use (only published filters and sorts need it)."""
        with self._cache_lock:
            got = self._published
        if got is None:
            by_id = {r.get("report_id"): str(r.get("published") or "") for r in self.reports()}
            got = [by_id.get(rid, "") for rid in self.report_ids]
            with self._cache_lock:
                self._published = got
        return got

    def _published_ranks(self, newest_first: bool) -> np.ndarray:
        """Rank of every document in a publishing-date order (undated reports last; ties:
        year as the year sorts, then report and paragraph order)."""
        key = "published_desc" if newest_first else "published_asc"
        with self._cache_lock:
            got = self._groups.get(key)
        if got is None:
            dates = self._report_published()
            num = np.array([int(d.replace("-", "")) if d else 0 for d in dates] or [0], np.int64)
            per_doc = num[self.doc_report] if self.n else np.zeros(0, np.int64)
            undated = per_doc == 0
            primary = -per_doc if newest_first else per_doc
            got = _ranks(np.lexsort((self.ordinal, self.doc_report, -self.year, primary,
                                     undated)))
            with self._cache_lock:
                self._groups[key] = got
        return got

    def _lut_docs(self, field: str, lut: np.ndarray) -> np.ndarray:
        order, bounds = self._groups_of(field)
        picked = np.flatnonzero(lut[:len(bounds) - 1])
        if not len(picked):
            return _NO_DOCS
        parts = [order[bounds[c]:bounds[c + 1]] for c in picked.tolist()]
        return np.sort(np.concatenate(parts)) if len(parts) > 1 else parts[0]

    def _by_code(self, field: str) -> tuple[np.ndarray, np.ndarray]:
        """Searchable documents grouped by their code of `field` (ascending within a code),
        and where each code's group starts; built on first use."""
        with self._cache_lock:
            got = self._groups.get(field)
        if got is None:
            got = _groups(self.codes[field], self._searchable_docs, len(self.vocab[field]))
            with self._cache_lock:
                self._groups[field] = got
        return got

    def _eval(self, node, words_of) -> tuple[np.ndarray, bool]:
        """(docs, complemented) of a query node. `words_of(term)` gives the term's
        alternatives, each a list of words that must all occur (exact mode: [[term]])."""
        if isinstance(node, Term):
            out = None
            for words in words_of(node):
                docs = self._term_postings(words[0])[0]
                for w in words[1:]:
                    docs = _intersect(docs, self._term_postings(w)[0], self.n)
                out = docs if out is None else _union(out, docs)
            return out, False
        if isinstance(node, Near):
            # operands match exactly in every mode: closeness is about the words as typed
            docs = None
            for item in node.items:
                d, _ = self._eval(item, _exact_words)
                docs = d if docs is None else _intersect(docs, d, self.n)
            return self._near_docs(docs, node), False
        if isinstance(node, Figure):
            return _distinct(self._figure_rows(node)[0]), False
        if isinstance(node, Filter):
            if node.field == "cites":
                return self._citing_docs(node.values), False
            return self._filter_docs(node.field, node.values), False
        if isinstance(node, Not):
            docs, neg = self._eval(node.item, words_of)
            return docs, not neg
        if isinstance(node, (And, Or)):
            acc, acc_neg = self._eval(node.items[0], words_of)
            for item in node.items[1:]:
                docs, neg = self._eval(item, words_of)
                acc, acc_neg = _combine(acc, acc_neg, docs, neg, isinstance(node, And))
            return acc, acc_neg
        raise QueryError("无法理解的查询。")

    def _figure_rows(self, node: Figure) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(docs, starts, ends) of the statements giving node.indicator a level in range:
        searchable documents, spans in their match form (searcher/indicators.py reads them)."""
        from index.indicators import FLAG_CHANGE, FLAG_TARGET

        from .indicators import statements
        st = statements(self)
        codes = [i for i, name in enumerate(st.names) if match_form(name) == node.indicator]
        rows = np.flatnonzero(np.isin(st.name, codes)
                              & ((st.flags & (FLAG_CHANGE | FLAG_TARGET)) == 0)) \
            if codes else np.zeros(0, np.int64)
        rows = rows[figure_holds(st.value[rows], node.op, node.value)]
        return st.doc[rows], st.start[rows], st.end[rows]

    def figure_marks(self, query: str, report_id: str) -> dict[str, list[tuple[int, int]]]:
        """{paragraph id: match-form spans} of a report's statements meeting the query's
        indicator conditions (the report page marks them as a hit does)."""
        max_chars = int(self.config.get("search", {}).get("max_query_chars", 500))
        figures = positive_figures(parse_query(query, max_chars, self.synonyms,
                                               self.indicators))
        code = self.report_code.get(report_id)
        out: dict[str, list[tuple[int, int]]] = {}
        if code is None:
            return out
        for figure in figures:
            d, st, en = self._figure_rows(figure)
            for k in np.flatnonzero(self.doc_report[d] == code).tolist():
                out.setdefault(self._paragraph_id(int(d[k])), []).append((int(st[k]),
                                                                          int(en[k])))
        return out

    def _near_docs(self, docs: np.ndarray, node: Near) -> np.ndarray:
        """The candidates whose match-form text holds the proximity condition."""
        groups = [[t.text for t in (i.items if isinstance(i, Or) else (i,))] for i in node.items]
        sure = self._adjacent_docs(groups, node.within == "s")
        if len(sure):
            # a paragraph holding one operand right after the other holds the condition
            # (0 characters apart, one sentence): only the rest is read
            at, found = _positions(sure, docs, self.n)
            settled, docs = docs[found], docs[~found]
        else:
            settled = _NO_DOCS
        return _union(settled, docs[texts_holding(self._match_bytes(docs), groups, node.within)])

    def _match_bytes(self, docs: np.ndarray) -> list[bytes]:
        """The match-form UTF-8 text of each of the ascending `docs`."""
        out: list[bytes] = []
        bases = np.array([b for _, b in self._segs] + [self.n], dtype=np.int64)
        cuts = np.searchsorted(docs, bases)
        for k, (cols, base) in enumerate(self._segs):
            lo, hi = int(cuts[k]), int(cuts[k + 1])
            if lo == hi:
                continue
            local = docs[lo:hi] - base
            starts = np.asarray(cols["byte_starts"])
            blob = cols.blob
            out.extend(blob[a:e] for a, e in zip(starts[local].tolist(),
                                                 (starts[local + 1] - 1).tolist()))
        return out

    def _adjacent_docs(self, groups: list[list[str]], sentence: bool) -> np.ndarray:
        """Documents holding a word of one of two groups immediately followed by a word of
        the other (the index's exact postings of the joined words); none when there are
        more groups, too many pairs, or a word that holds a sentence end (for /s)."""
        if len(groups) != 2 or len(groups[0]) * len(groups[1]) > 8:
            return _NO_DOCS
        words = [[match_form(w) for w in g] for g in groups]
        if sentence and any(SENTENCE_END.search(w) for g in words for w in g):
            return _NO_DOCS
        out = _NO_DOCS
        for a in words[0]:
            for b in words[1]:
                for joined in (a + b, b + a):
                    if joined:
                        out = _union(out, self._term_postings(joined)[0])
        return out

    # ------------------------------------------------------------------ search

    def search(self, query: str, filters: dict | None = None, mode: str = "exact",
               sort: str = "relevance", limit: int | None = 20, offset: int = 0,
               suggest: bool = True, group: str = "paragraphs", collapse: bool = False) -> dict:
        """Paragraphs matching `query` (in the query language) and `filters`: the total, the
        number of reports they come from, a page of hits and the facet counts. With
        group="reports" the page lists reports instead (`groups`: each report once, with its
        number of matching paragraphs, its best hit and the next few), `limit`/`offset`
        counting reports; `hits` are then the groups' best hits. With collapse=True (the
        paragraph list only) near-duplicate hits are folded into the first shown of them
        (searcher/similar.py): `distinct` counts the hits so left, `limit`/`offset` count
        them, and each hit has `folded` (what was folded under it, or None)."""
        if group not in GROUPS:
            raise QueryError(f"未知的分组方式 {group}：可用 paragraphs（逐段）或 reports（每份报告一条）。")
        if mode not in MODES:
            raise QueryError(f"未知的检索方式 {mode}：可用 exact（精确）或 fuzzy（模糊）。")
        if sort not in SORTS:
            raise QueryError(f"未知的排序方式 {sort}：可用 {'、'.join(SORTS)}。")
        if limit is not None and (not isinstance(limit, int) or limit < 0):
            raise QueryError("每页条数 limit 必须是不小于 0 的整数。")
        if not isinstance(offset, int) or offset < 0:
            raise QueryError("起始位置 offset 必须是不小于 0 的整数。")
        max_chars = int(self.config.get("search", {}).get("max_query_chars", 500))
        node = parse_query(query, max_chars=max_chars, synonyms=self.synonyms,
                           indicators=self.indicators)

        # Filters (from `filters` and the query's top-level filters) are applied by looking up
        # the candidates' codes; facet filters are kept apart so that each facet's counts can
        # ignore its own filter (disjunctive facets).
        facet_luts: dict[str, tuple] = {}
        other_luts: list[tuple] = []
        cited_filters: list[Filter] = []
        for field, values in (filters or {}).items():
            field = field.strip().lower()
            norm = tuple(v for value in (values if isinstance(values, (list, tuple))
                                         else [values]) for v in normalize_filter(field, value))
            if field == "cites":        # per paragraph, several values: a set of documents
                cited_filters.append(Filter(field, norm))
                continue
            _put(facet_luts, other_luts, field, self._filter_lut(field, norm))
        items = node.items if isinstance(node, And) else (node,)
        core_items = list(cited_filters)
        for item in items:
            if isinstance(item, Filter) and item.field != "cites":
                _put(facet_luts, other_luts, item.field,
                     self._filter_lut(item.field, item.values))
            else:
                core_items.append(item)

        fuzzy = mode == "fuzzy"
        words_of = (lambda t: _fuzzy_alternatives(t, self.synonyms)) if fuzzy else _exact_words
        core, neg = _NO_DOCS, True          # "everything but nothing"
        for item in core_items:
            docs, dneg = self._eval(item, words_of)
            core, neg = _combine(core, neg, docs, dneg, True)
        if neg:     # only negations, or only filters: everything but the negated
            core = np.setdiff1d(self._searchable_docs, core, assume_unique=True)
        for lut in other_luts:
            core = _passing(core, lut)

        # Each facet filter restricts the core once; "all filters but f" then starts from the
        # smallest of those and looks up the rest on it.
        single = {ff: self._restrict(core, ff, lut) for ff, lut in facet_luts.items()}

        def without(skip: str | None) -> np.ndarray:
            rest = [ff for ff in facet_luts if ff != skip]
            if not rest:
                return core
            base = min(rest, key=lambda ff: len(single[ff]))
            docs = single[base]
            for ff in rest:
                if ff != base:
                    docs = _passing(docs, facet_luts[ff])
            return docs

        matched_docs = without(None)
        facets = {}
        for f in FACETS:
            docs = without(f) if f in facet_luts else matched_docs
            counts = np.bincount(self.codes[f][docs], minlength=len(self.vocab[f]))
            facets[f] = {v: int(c) for v, c in zip(self.vocab[f], counts.tolist()) if c and v}
        facets["cites"] = self.cited_counts(matched_docs)

        matched = matched_docs
        total = len(matched)
        # the number of reports the hits come from (共 N 段，涉及 M 份报告)
        report_count = int(np.count_nonzero(np.bincount(self.doc_report[matched]))) \
            if total else 0
        terms = positive_term_nodes(node)
        marks = marked_terms(terms, fuzzy, self.synonyms)
        fig_rows = [self._figure_rows(f) for f in positive_figures(node)]
        today = datetime.date.today()
        out = {"query": query, "mode": mode, "total": total, "reports": report_count,
               "hits": [], "facets": facets, "suggestions": []}
        collapsed, scored = None, None
        if collapse and group != "reports":
            from .similar import collapse_hits
            key, scored = self._display_key(matched, terms, fuzzy, sort)
            collapsed = collapse_hits(self, matched, key)
            if scored is not None:          # the scores of the hits left, not computed again
                at = np.searchsorted(matched, collapsed.representatives)
                scored = (scored[0][at], scored[1])
            matched = collapsed.representatives
            out["distinct"] = len(matched)
        if group == "reports":
            out["groups"] = self._report_groups(matched, terms, fuzzy, sort, limit, offset,
                                                marks, today, fig_rows)
            out["hits"] = [g["hit"] for g in out["groups"]]
        else:
            top, scores = self._rank(matched, terms, fuzzy, sort, limit, offset, scored)
            out["hits"] = [self._hit(int(d), float(s), marks, fig_rows)
                           for d, s in zip(top, scores)]
            for hit in out["hits"]:
                hit["citation"] = self._citation(hit, self._report_record(hit["report_id"]),
                                                 today)
            if collapsed is not None:
                from .similar import folded_info
                for hit, d in zip(out["hits"], top.tolist()):
                    hit["folded"] = folded_info(self, collapsed, int(d))
        if total == 0 and suggest:
            out["suggestions"] = self._suggestions(query, node, filters, mode)
        return out

    def _suggestions(self, query: str, node, filters: dict | None, mode: str) -> list[dict]:
        """For a search with no hits: what would find something, each with its count: a
        term's synonyms (~term), the 模糊 mode, the query without one of the filters."""
        tried: list[dict] = []

        def attempt(kind, label, q, f, m):
            try:
                total = self.search(q, filters=f, mode=m, limit=0, suggest=False)["total"]
            except QueryError:
                return
            if total:
                tried.append({"kind": kind, "label": label, "query": q, "filters": f or {},
                              "mode": m, "total": total})

        for term in positive_term_nodes(node):
            if self.synonyms.get(term.text) and ("~" + term.raw) not in query:
                q = query.replace(term.raw, "~" + (f'"{term.raw}"' if " " in term.raw
                                                   else term.raw), 1)
                if q != query:
                    attempt("synonyms", f"同义词 ~{term.raw}", q, filters, mode)
        if mode == "exact":
            attempt("fuzzy", "模糊检索", query, filters, "fuzzy")
        for field, values in (filters or {}).items():
            rest = {k: v for k, v in filters.items() if k != field}
            shown = "、".join(values) if isinstance(values, (list, tuple)) else str(values)
            attempt("drop_filter", f"去掉筛选 {LABELS.get(field, field)} {shown}", query,
                    rest or None, mode)
        return tried

    def _citation(self, paragraph: dict, report: dict | None, today: datetime.date) -> str:
        """The paragraph's GB/T 7714 reference, accessed `today`, from its report's record
        (the same for every paragraph of one section of a report: cached)."""
        path = paragraph.get("section_path")
        key = (paragraph.get("report_id"), tuple(path or ()), today)
        with self._cache_lock:
            got = self._citation_cache.get(key) if key[0] is not None else None
        if got is None:
            got = citation({**(report or {}), "section_path": path}, today, self.config)
            with self._cache_lock:
                if len(self._citation_cache) > 8192:
                    self._citation_cache.clear()
                self._citation_cache[key] = got
        return got

    def _rank(self, matched, terms, fuzzy, sort, limit, offset, scored=None):
        end = len(matched) if limit is None else min(len(matched), offset + limit)
        if end <= offset:
            return np.zeros(0, np.int64), np.zeros(0)
        if sort != "relevance" or not terms:
            r = self._sort_rank(sort)[matched]
            if end < len(matched):
                part = np.argpartition(r, end - 1)[:end]
                order = part[np.argsort(r[part], kind="stable")]
            else:
                order = np.argsort(r, kind="stable")
            sel = matched[order[offset:end]]
            return sel, np.zeros(len(sel))

        s, words = scored if scored is not None else self._scores(matched, terms, fuzzy)
        # Re-rank a pool around the page with the figure-after-term signal.
        pool_n = min(len(matched), max(200, 2 * end))
        pool = np.argpartition(-s, pool_n - 1)[:pool_n] if pool_n < len(matched) \
            else np.arange(len(matched))
        pool_docs = matched[pool]
        pool_scores = s[pool] * np.where(self._states_figure_cached(pool_docs, words),
                                         NUMBER_BOOST, 1.0)
        order = np.lexsort((self.ordinal[pool_docs], self.doc_report[pool_docs],
                            -self.year[pool_docs], -pool_scores))
        order = order[offset:end]
        return pool_docs[order], pool_scores[order]

    def _sort_rank(self, sort: str) -> np.ndarray:
        """Per document: its rank in a sort other than relevance."""
        return self._published_ranks(sort == "published_desc") \
            if sort.startswith("published") else \
            self.rank_year_asc if sort == "year_asc" else self.rank_year_desc

    def _display_key(self, matched, terms, fuzzy, sort) -> tuple[np.ndarray, tuple | None]:
        """(per matched document: the smaller, the earlier it is shown before the page's
        figure re-ranking: the negative score, or the sort's rank; the (scores, words) of
        _scores when ranking by relevance, else None)."""
        if sort != "relevance" or not terms:
            return self._sort_rank(sort)[matched], None
        scored = self._scores(matched, terms, fuzzy)
        return -scored[0], scored

    def _report_groups(self, matched, terms, fuzzy, sort, limit, offset, marks, today,
                       fig_rows=()):
        """The per-report view: reports ordered by their best paragraph's score (or by year),
        each with its count of matching paragraphs, best hit and next MORE_PER_REPORT."""
        if not len(matched):
            return []
        scores = self._scores(matched, terms, fuzzy)[0] if terms else \
            np.zeros(len(matched))
        rep = self.doc_report[matched]
        if self._report_ranges is not None:
            # A report's paragraphs are consecutive documents (a segment writes a report
            # whole), so its hits are one run of `matched`: no sort of all the hits.
            firsts = np.flatnonzero(np.r_[True, rep[1:] != rep[:-1]])
            order = None
            bounds = np.r_[firsts, len(matched)]
            best_scores = np.maximum.reduceat(scores, firsts)
            heads = firsts                         # any member: year is the report's
        else:
            # within a report: best score first, then document order
            order = np.lexsort((self.ordinal[matched], -scores, rep))
            rep_sorted = rep[order]
            firsts = np.flatnonzero(np.r_[True, rep_sorted[1:] != rep_sorted[:-1]])
            bounds = np.r_[firsts, len(order)]
            heads = order[firsts]                  # index into matched of each report's best
            best_scores = scores[heads]
        reports = rep[heads]
        if sort == "relevance" and terms:
            key = np.lexsort((reports, -self.year[matched[heads]], -best_scores))
        elif sort.startswith("published"):
            rank = self._published_ranks(sort == "published_desc")
            key = np.lexsort((reports, rank[matched[heads]]))
        else:
            year = self.year[matched[heads]]
            key = np.lexsort((reports, year if sort == "year_asc" else -year))
        end = len(key) if limit is None else offset + limit
        out = []
        for g in key[offset:end].tolist():
            if order is None:
                run = np.arange(bounds[g], bounds[g + 1])
                members = run[np.lexsort((self.ordinal[matched[run]], -scores[run]))]
            else:
                members = order[bounds[g]:bounds[g + 1]]
            hit = self._hit(int(matched[members[0]]), float(scores[members[0]]), marks,
                            fig_rows)
            hit["citation"] = self._citation(hit, self._report_record(hit["report_id"]), today)
            more = [self._hit(int(matched[m]), float(scores[m]), marks, fig_rows)
                    for m in members[1:1 + MORE_PER_REPORT].tolist()]
            out.append({"report_id": hit["report_id"], "title": hit["title"],
                        "issuer": hit["issuer"], "year": hit["year"],
                        "province": hit["province"], "city": hit["city"],
                        "level": hit["level"], "count": int(len(members)), "hit": hit,
                        "more": more})
        return out

    def _scores(self, matched, terms, fuzzy) -> tuple[np.ndarray, list[str]]:
        """BM25 (with the heading and title boosts) of every matched document, and the
        words scored."""
        s = np.zeros(len(matched), dtype=np.float64)
        words = []
        for t in terms:
            alternatives = _fuzzy_alternatives(t, self.synonyms) if fuzzy else [[t.text]]
            for w in dict.fromkeys(w for words in alternatives for w in words):
                words.append(w)
                docs, tf = self._term_postings(w)
                if not len(docs):
                    continue
                df = len(docs)
                idf = math.log(1 + (self.n_searchable - df + 0.5) / (df + 0.5))
                at, found = _positions(docs, matched, self.n)
                d, tf = matched[found], tf[at[found]].astype(np.float64)
                # BM25 with the per-document length norm and heading boost precomputed
                contrib = tf * (idf * (K1 + 1)) / (tf + self._bm25_norm[d]) * self._boost[d]
                contrib += idf * TITLE_BOOST * self._in_titles(w)[self.doc_report[d]]
                s[found] += contrib
            if fuzzy:
                s[_positions(self._term_postings(t.text)[0], matched, self.n)[1]] += \
                    FUZZY_EXACT_BONUS
        return s, words

    def _in_titles(self, word: str) -> np.ndarray:
        """Per report: whether its title contains `word` (cached per word)."""
        with self._cache_lock:
            got = self._title_cache.get(word)
        if got is None:
            got = np.array([word in t for t in self.report_title] or [False], bool)
            with self._cache_lock:
                if len(self._title_cache) > 2048:
                    self._title_cache.clear()
                self._title_cache[word] = got
        return got

    def _states_figure_cached(self, docs: np.ndarray, words: list[str]) -> np.ndarray:
        """_states_figure, each document checked once per set of words."""
        key = tuple(sorted(words))
        with self._cache_lock:
            known = self._figure_cache.get(key)
            if known is None:
                if len(self._figure_cache) >= FIGURE_CACHE_SIZE:
                    self._figure_cache.pop(next(iter(self._figure_cache)))
                known = self._figure_cache[key] = {}
            got = [known.get(d) for d in docs.tolist()]
        todo = [i for i, g in enumerate(got) if g is None]
        if todo:
            fresh = self._states_figure(docs[todo], words)
            with self._cache_lock:
                if len(known) + len(todo) > FIGURE_CACHE_DOCS:
                    known.clear()
                for i, f in zip(todo, fresh.tolist()):
                    got[i] = known[int(docs[i])] = f
        return np.array(got, dtype=bool)

    def _states_figure(self, docs: np.ndarray, words: list[str]) -> np.ndarray:
        """Per document of `docs`: whether one of `words` is followed, within _NUMBER_AFTER
        characters, by a digit (the paragraph states a result). One scan of the documents'
        match-form bytes joined by NUL: each text matches at most once (the
        expression takes the rest of it), so only matching texts cost a Python step."""
        out = np.zeros(len(docs), dtype=bool)
        if not len(docs) or not words:
            return out
        figure = re.compile(b"(?:%s)(?:[\\x01-\\x7f]|[\\xc0-\\xff][\\x80-\\xbf]*){0,%d}"
                            b"[0-9][^\\x00]*" % (b"|".join(re.escape(w.encode("utf-8"))
                                                        for w in words), _NUMBER_AFTER - 1))
        order = np.argsort(docs, kind="stable")
        texts = self._match_bytes(docs[order])
        offsets = np.cumsum([0] + [len(t) + 1 for t in texts[:-1]])
        found = np.fromiter((m.start() for m in figure.finditer(b"\x00".join(texts))), np.int64)
        out[order[np.searchsorted(offsets, found, side="right") - 1]] = True
        return out

    def _locate(self, doc: int):
        for cols, base in reversed(self._segs):
            if doc >= base:
                return cols, doc - base
        raise IndexError(doc)

    # ------------------------------------------------------------------ documents

    def _stored(self, doc: int) -> dict:
        with self._whoosh_lock:
            return self._reader.stored_fields(doc)

    def display_text(self, doc: int) -> str:
        """A document's own text (what users see, copy and cite)."""
        cols, local = self._locate(doc)
        return cols.display_text(local)

    def _paragraph_id(self, doc: int) -> str:
        return f"{self.report_ids[int(self.doc_report[doc])]}-p{int(self.ordinal[doc])}"

    def _section(self, doc: int) -> str:
        return self.vocab["section"][int(self.codes["section"][doc])] or None

    def _hit(self, doc: int, score: float, marks: list[str], fig_rows=()) -> dict:
        """A hit: the paragraph, its report's fields, the marks of its matches (the terms,
        and the statements of `fig_rows`, each a _figure_rows answer, that it holds). A
        paragraph marked for the same terms is rendered once (the index generation is
        immutable), so paging back and narrowing a search do not render it again."""
        figure_spans = [(int(st[k]), int(en[k])) for d, st, en in fig_rows
                        for k in np.flatnonzero(d == doc).tolist()]
        key = (doc, tuple(marks), tuple(figure_spans))
        with self._cache_lock:
            rendered = self._hit_cache.get(key)
        if rendered is None:
            rendered = self._rendered_hit(doc, marks, figure_spans)
            with self._cache_lock:
                if len(self._hit_cache) >= HIT_CACHE_SIZE:
                    self._hit_cache.pop(next(iter(self._hit_cache)))     # the oldest
                self._hit_cache[key] = rendered
        return {**rendered, "section_path": list(rendered["section_path"]),
                "score": round(score, 4)}

    def _rendered_hit(self, doc: int, marks: list[str], figure_spans: list) -> dict:
        cols, local = self._locate(doc)
        text = cols.display_text(local)
        form = cols.doc_bytes(local).decode("utf-8")    # match_form(text), written with it
        report_id = self.report_ids[int(self.doc_report[doc])]
        rec = self._report_record(report_id) or {}
        spans = match_spans(text, marks, form)
        if figure_spans:
            spans = merge_spans(spans + display_spans(text, figure_spans, form))
        marked, short = highlight_and_snippet(text, marks, spans)
        return {"id": self._paragraph_id(doc), "report_id": report_id, "title": rec.get("title"),
                "issuer": rec.get("issuer"), "year": _int(rec.get("year")),
                "province": rec.get("province"), "city": rec.get("city"),
                "level": rec.get("level"),
                "section": self._section(doc),
                "section_path": cols.section_path(local),
                "text": text, "highlight": marked, "snippet": short}

    def _doc_of(self, report_id: str, ordinal: int) -> int | None:
        """The live document of a report (ordinal 0) or of its paragraph `ordinal`."""
        code = self.report_code.get(report_id)
        if code is None:
            return None
        key = (code << 32) | ordinal
        i = int(np.searchsorted(self._doc_keys, key))
        if i < len(self._doc_keys) and int(self._doc_keys[i]) == key:
            return int(self._doc_key_docs[i])
        return None

    def _report_record(self, report_id: str) -> dict | None:
        with self._cache_lock:
            if report_id in self._report_meta:
                return self._report_meta[report_id]
        d = self._doc_of(report_id, 0)
        rec = None
        if d is not None and self.kind[d] == KIND_CODE["report"]:
            rec = json.loads(self._stored(d).get("report") or "{}")
        with self._cache_lock:
            self._report_meta[report_id] = rec
        return rec

    def paragraph(self, paragraph_id: str) -> dict | None:
        report_id, _, ordinal = paragraph_id.rpartition("-p")
        d = self._doc_of(report_id, int(ordinal)) \
            if ordinal.isdigit() and len(ordinal) < 10 else None
        if d is None or not self.searchable[d]:
            return None
        hit = self._hit(d, 0.0, [])
        hit.pop("score")
        rec = self._report_record(hit["report_id"]) or {}
        for k in _REPORT_FIELDS:
            hit[k] = rec.get(k)
        hit["kind"] = KINDS[int(self.kind[d])]
        hit["ordinal"] = int(self.ordinal[d])
        hit["citation"] = self._citation(hit, rec, datetime.date.today())
        docs = self._report_docs(int(self.doc_report[d]))
        i = int(np.searchsorted(self.ordinal[docs], self.ordinal[d]))
        hit["prev_id"] = self._paragraph_id(int(docs[i - 1])) if i > 0 else None
        hit["next_id"] = self._paragraph_id(int(docs[i + 1])) if i + 1 < len(docs) else None
        return hit

    def _report_docs(self, code: int) -> np.ndarray:
        order, bounds = self._by_report
        docs = order[bounds[code]:bounds[code + 1]]
        return docs[np.argsort(self.ordinal[docs], kind="stable")]

    def report(self, report_id: str) -> dict | None:
        rec = self._report_record(report_id)
        if rec is None:
            return None
        out = dict(rec)
        code = self.report_code.get(report_id)
        paras = []
        today = datetime.date.today()
        for d in (self._report_docs(code) if code is not None else []):
            cols, local = self._locate(int(d))
            para = {"id": self._paragraph_id(int(d)), "ordinal": int(self.ordinal[d]),
                    "kind": KINDS[int(self.kind[d])], "section": self._section(int(d)),
                    "section_path": cols.section_path(local),
                    "text": cols.display_text(local)}
            para["citation"] = self._citation(para, rec, today)
            paras.append(para)
        out["paragraphs"] = paras
        return out

    def reports(self) -> list[dict]:
        """Every report's record with its paragraph count, newest year first. Computed once
        (it reads every report document); callers must not modify the dicts."""
        with self._cache_lock:
            if self._reports is not None:
                return self._reports
        out = self._all_reports()
        with self._cache_lock:
            self._reports = out
        return out

    def _all_reports(self) -> list[dict]:
        counts = np.bincount(self.doc_report[self.searchable], minlength=len(self.report_ids))
        out = []
        for d in np.flatnonzero(self.alive & (self.kind == KIND_CODE["report"])):
            rec = json.loads(self._stored(int(d)).get("report") or "{}")
            rec["paragraph_count"] = int(counts[self.doc_report[d]])
            out.append(rec)
        out.sort(key=lambda r: (-(r.get("year") or 0), r.get("report_id") or ""))
        return out


# ---------------------------------------------------------------------- helpers

def _segment_term(cols, term: str) -> tuple[np.ndarray, np.ndarray]:
    """(local docs, counts) of `term` in one segment."""
    keys = term_gram_keys(term)
    if len(term) <= 2:
        d, t = cols.postings(keys[0])
        return np.asarray(d), np.asarray(t)
    lists = sorted((np.asarray(cols.postings(k)[0]) for k in keys), key=len)
    cand = lists[0]
    for other in lists[1:]:
        if not len(cand):
            break
        cand = np.intersect1d(cand, other, assume_unique=True)
    if not len(cand):
        return cand, np.zeros(0, np.int32)
    starts = np.asarray(cols["byte_starts"])
    blob, needle = cols.blob, term.encode("utf-8")
    counts = [blob[s:e].count(needle) for s, e in
              zip(starts[cand].tolist(), (starts[cand + 1] - 1).tolist())]
    counts = np.array(counts, dtype=np.int32)
    keep = counts > 0
    return cand[keep], counts[keep]


def marked_terms(terms: list[Term], fuzzy: bool, synonyms: dict | None = None) -> list[str]:
    """What a hit marks: each term, and in fuzzy mode also its synonyms and each of their
    words (as matched)."""
    marks = {t.text for t in terms}
    if fuzzy:
        for t in terms:
            marks.update(match_form(s) for s in (synonyms or {}).get(t.text, ()))
            marks.update(w for words in _fuzzy_alternatives(t, synonyms) for w in words)
    return sorted(marks, key=len, reverse=True)


def query_marks(query: str, mode: str, max_chars: int, synonyms: dict | None = None,
                indicators: dict | None = None) -> list[str]:
    """marked_terms for a query string (the report page marks a search's matches)."""
    return marked_terms(positive_term_nodes(parse_query(query, max_chars, synonyms, indicators)),
                        mode == "fuzzy", synonyms)


def _exact_words(term: Term) -> list[list[str]]:
    return [[term.text]]


def _fuzzy_alternatives(term: Term, synonyms: dict | None) -> list[list[str]]:
    """Fuzzy mode: the term's jieba words, or those of any of its synonyms."""
    out = [_fuzzy_words(term)]
    for raw in (synonyms or {}).get(term.text, ()):
        words = _fuzzy_words(Term(match_form(raw), raw))
        if words not in out:
            out.append(words)
    return out


def _fuzzy_words(term: Term) -> list[str]:
    """Fuzzy mode: the jieba words of a term, each required somewhere in the paragraph."""
    from .words import segment_words
    words = [match_form(w) for w in segment_words(term.raw)]
    words = list(dict.fromkeys(w for w in words if w))
    return words or [term.text]


def _put(facet_luts, other_luts, field, lut) -> None:
    if field in FACETS:
        if field in facet_luts:      # the same facet filtered twice: both must hold
            old, codes = facet_luts[field]
            lut = (old & lut[0], codes)
        facet_luts[field] = lut
    else:
        other_luts.append(lut)


def _passing(docs: np.ndarray, lut: tuple) -> np.ndarray:
    table, codes = lut
    return docs[table[codes[docs]]] if len(docs) else docs


_NO_DOCS = np.zeros(0, dtype=np.int64)


def _combine(a: np.ndarray, a_neg: bool, b: np.ndarray, b_neg: bool,
             conjunction: bool) -> tuple[np.ndarray, bool]:
    """a AND b / a OR b, where a flag means "the complement of these documents"."""
    if not conjunction:        # a OR b = NOT (NOT a AND NOT b)
        docs, neg = _combine(a, not a_neg, b, not b_neg, True)
        return docs, not neg
    if not a_neg and not b_neg:
        return _intersect(a, b), False
    if a_neg and b_neg:
        return _union(a, b), True
    pos, other = (b, a) if a_neg else (a, b)
    if not len(other):
        return pos, False       # the same array: ranking then knows it is the term's list
    return np.setdiff1d(pos, other, assume_unique=True), False


def _groups(codes: np.ndarray, docs: np.ndarray, n_codes: int) -> tuple[np.ndarray, np.ndarray]:
    """`docs` ordered by their code (stable, so ascending within a code) and where each
    code's run starts (n_codes + 1 entries)."""
    order = docs[np.argsort(codes[docs], kind="stable")]
    counts = np.bincount(codes[docs], minlength=n_codes)
    return order, np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)


# Dense work (a scratch array over the whole corpus) beats sorting and binary search once
# the documents involved are more than 1/DENSE of the corpus, and is then still within a
# constant factor of them.
DENSE = 16


def _distinct(docs: np.ndarray) -> np.ndarray:
    """The distinct values, ascending. (np.unique hashes integers first, which costs
    ~30x more than a stable sort here; a stable sort finds the ascending runs of a union.)"""
    if len(docs) < 2:
        return np.asarray(docs).copy()
    out = np.sort(docs, kind="stable")
    keep = np.empty(len(out), dtype=bool)
    keep[0] = True
    np.not_equal(out[1:], out[:-1], out=keep[1:])
    return out[keep]


def _union(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Documents in either ascending array, ascending."""
    return _distinct(np.concatenate((a, b)))


def _intersect(a: np.ndarray, b: np.ndarray, n: int | None = None) -> np.ndarray:
    """Documents in both ascending arrays, ascending."""
    small, large = (a, b) if len(a) <= len(b) else (b, a)
    if not len(small):
        return small
    if n is not None and len(small) * DENSE > n:
        seen = np.zeros(n, dtype=bool)
        seen[large] = True
        return small[seen[small]]
    at = np.searchsorted(large, small)
    ok = at < len(large)
    ok[ok] = large[at[ok]] == small[ok]
    return small[ok]


def _positions(docs: np.ndarray, among: np.ndarray,
               n: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """For each document of `among` (ascending): its index in `docs` (ascending) and
    whether it is there."""
    if docs is among:
        return np.arange(len(docs)), np.ones(len(docs), bool)
    if n is not None and len(among) * DENSE > n:
        where = np.full(n, -1, dtype=np.int64)
        where[docs] = np.arange(len(docs))
        at = where[among]
        found = at >= 0
        return np.where(found, at, 0), found
    at = np.searchsorted(docs, among)
    found = at < len(docs)
    found[found] = docs[at[found]] == among[found]
    return at, found


def _report_ranges(by_report, n_reports: int):
    """(first, last) searchable document of every report (-1 for none), when each report's
    documents are one run (no other report's document between its first and last: a segment
    writes a report whole); None otherwise."""
    order, bounds = by_report
    counts = np.diff(bounds)
    has = counts > 0
    first = np.full(n_reports, -1, np.int64)
    last = np.full(n_reports, -1, np.int64)
    first[has] = order[bounds[:-1][has]]
    last[has] = order[bounds[1:][has] - 1]
    # runs: sorted by first document, each report must end before the next begins
    f, l = first[has], last[has]
    o = np.argsort(f, kind="stable")
    if len(o) > 1 and not np.all(l[o][:-1] < f[o][1:]):
        return None
    return first, last


def _ranges_of(docs: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """The documents of ascending `docs` inside any range [lo[i], hi[i]] (ranges ascending
    and disjoint), ascending."""
    a = np.searchsorted(docs, lo, side="left")
    b = np.searchsorted(docs, hi, side="right")
    lengths = b - a
    total = int(lengths.sum())
    if not total:
        return docs[:0]
    keep = lengths > 0
    a, lengths = a[keep], lengths[keep]
    starts = np.cumsum(lengths) - lengths
    idx = np.repeat(a - starts, lengths) + np.arange(total)
    return docs[idx]


def _ranks(order: np.ndarray) -> np.ndarray:
    ranks = np.empty(len(order), dtype=np.int32)
    ranks[order] = np.arange(len(order), dtype=np.int32)
    return ranks


def _int(v):
    try:
        return int(v)
    except (TypeError, ValueError):
        return None
