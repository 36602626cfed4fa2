"""Near-duplicate paragraphs across the whole index: where else a paragraph appears, who
wrote it first, groups of copies, and how original a report is.

The signatures are written per segment (index/similar.py). Once per searcher, on first use
(and under a lock: the server shares one searcher between its threads), the signatures of
every live paragraph of every segment are gathered and grouped:
- LSH: for each band, paragraphs are sorted by band key; paragraphs with equal keys are
  candidates, and within each band's bucket every member is checked against the bucket's
  first member and against its neighbour in document order: a pair is kept when its
  estimated Jaccard similarity reaches `similar.threshold`;
- groups are the connected components of the kept pairs (numpy label propagation).
A paragraph's near-duplicates are the members of its group whose estimated similarity with
it reaches the threshold, so the list, the counts and the collapsing of search results
agree. Nothing is stored about pairs or groups: an update or a prune, which gives a new
searcher, gives the new answers.
"""
from __future__ import annotations

import logging
import threading
import weakref
from dataclasses import asdict, dataclass

import numpy as np

from searcher.reports import issuer_key, previous_report_ids
from index.similar import (SignatureParams, band_keys, estimated_jaccard, similar_config,
                           write_params)

log = logging.getLogger(__name__)
_BAND_MUL = np.uint64(0x9E3779B97F4A7C15)


@dataclass
class SimilarIndex:
    """What one searcher's near-duplicate lookups read; immutable once built."""
    threshold: float
    params: SignatureParams | None      # of the segments read (None: no signatures at all)
    docs: np.ndarray                    # global doc numbers with a signature, ascending (m)
    sig: np.ndarray                     # (m, num_perm) uint8
    group: np.ndarray                   # per global doc: group number, -1 without copies
    members: np.ndarray                 # positions (into docs) ordered by group
    bounds: np.ndarray                  # group g's members: members[bounds[g]:bounds[g+1]]
    member_report: np.ndarray           # per position: its report code
    published_rank: np.ndarray          # per report code: rank by (published, report id)
    published: list[str]                # per report code: published date ("" unknown)
    issuer: list[str]                   # per report code: the issuer as the report writes it
    report_year: np.ndarray             # per report code: its year (0 unknown)
    issuer_group: np.ndarray            # per report code: its issuer (searcher.reports.
                                        # issuer_key) as a number; unknown: a number of its own
    previous: np.ndarray                # per report code: the issuer's previous-year report, -1
    published_num: np.ndarray           # per report code: published as YYYYMMDD (0 unknown)


_cache: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()
_lock = threading.Lock()


def similar_index(searcher) -> SimilarIndex:
    """The searcher's near-duplicate index, built on first use (once, whichever thread)."""
    got = _cache.get(searcher)
    if got is None:
        with _lock:
            got = _cache.get(searcher)
            if got is None:
                got = _cache[searcher] = _build(searcher)
    return got


_warming: "weakref.WeakSet" = weakref.WeakSet()


def similar_index_ready(searcher) -> SimilarIndex | None:
    """The searcher's near-duplicate index if it is built; else None, and it is being built
    in a background thread (started once), so that a caller that can do without it (the
    counts on search hits) never waits for the build (~1 s at 100k paragraphs, ~10 s at
    1M, once per opened index)."""
    got = _cache.get(searcher)
    if got is not None:
        return got
    with _lock:
        if searcher in _warming or searcher in _cache:
            return _cache.get(searcher)
        _warming.add(searcher)
    threading.Thread(target=_warm, args=(searcher,), daemon=True, name="similar-index").start()
    return None


def _warm(searcher) -> None:
    try:
        similar_index(searcher)
    except Exception:       # the request that needs it will build it again and say why
        log.exception("could not build the near-duplicate index")


def _build(searcher) -> SimilarIndex:
    cfg = similar_config(searcher.config)
    params = _segment_params(searcher)
    docs, sigs = [], []
    for cols, base in searcher._segs:
        if params is None or cols.meta.get("similar") != _as_meta(params) \
                or "sim_docs" not in cols.arrays:
            continue
        local = np.asarray(cols["sim_docs"], np.int64)
        sig = np.asarray(cols["sim_sig"])
        if sig.ndim != 2 or len(sig) != len(local) or sig.shape[1] != params.num_perm:
            continue                     # damaged: this segment finds no near-duplicates
        keep = searcher.searchable[local + base]
        docs.append(local[keep] + base)
        sigs.append(sig[keep])
    width = params.num_perm if params else 0
    docs = np.concatenate(docs) if docs else np.zeros(0, np.int64)
    sig = np.concatenate(sigs) if sigs else np.zeros((0, width), np.uint8)
    bands, rows = (cfg.bands, cfg.rows) if params and cfg.bands * cfg.rows <= width else (0, 0)
    keys = _hashed_band_keys(sig, bands, rows)                       # (m, bands)
    order = np.argsort(keys, axis=0, kind="stable").T.astype(np.int32)  # (bands, m)
    sorted_keys = np.take_along_axis(keys.T, order.astype(np.int64), axis=1) \
        if len(docs) else keys.T
    by_position = _components(sig, order, sorted_keys, cfg.threshold)
    del keys, order, sorted_keys
    group = np.full(searcher.n, -1, np.int32)
    group[docs] = by_position
    in_group = np.flatnonzero(by_position >= 0)
    members = in_group[np.argsort(by_position[in_group], kind="stable")]
    counts = np.bincount(by_position[in_group], minlength=int(by_position.max(initial=-1)) + 1)
    bounds = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
    records = {r.get("report_id"): r for r in searcher.reports()}
    published = [str((records.get(r) or {}).get("published") or "") for r in searcher.report_ids]
    issuer = [str((records.get(r) or {}).get("issuer") or "") for r in searcher.report_ids]
    report_year = np.array([_int((records.get(r) or {}).get("year")) for r in searcher.report_ids],
                           np.int64)
    keys = [issuer_key(records[r]) if r in records else None for r in searcher.report_ids]
    numbers: dict = {}
    issuer_group = np.array([numbers.setdefault(k, len(numbers)) if k else -1 - c
                             for c, k in enumerate(keys)], np.int64)
    previous_ids = previous_report_ids(searcher)
    previous = np.array([searcher.report_code.get(previous_ids.get(r, ""), -1)
                         for r in searcher.report_ids], np.int64)
    rank = sorted(range(len(published)),
                  key=lambda c: (published[c] or "9999", searcher.report_ids[c]))
    published_rank = np.empty(len(published), np.int64)
    published_rank[rank] = np.arange(len(rank))
    return SimilarIndex(cfg.threshold, params, docs, sig, group, members, bounds,
                        searcher.doc_report[docs].astype(np.int64), published_rank,
                        published, issuer, report_year, issuer_group, previous,
                        np.array([_int(d.replace("-", "")) for d in published], np.int64))


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def _as_meta(params: SignatureParams) -> dict:
    return asdict(params)


def _segment_params(searcher) -> SignatureParams | None:
    """The signature parameters of the searcher's segments: the writer's, else those of
    the newest segment that has signatures (segments made otherwise are left out)."""
    metas = [c.meta.get("similar") for c, _ in searcher._segs if c.meta.get("similar")]
    if not metas:
        return None
    current = _as_meta(write_params())
    meta = current if current in metas else metas[-1]
    try:
        return SignatureParams(**meta)
    except TypeError:
        return None


def _hashed_band_keys(sig: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """(m, bands) uint32 band keys (a 32-bit hash of the band's bytes: an accidental equal
    key only adds a candidate, which verification removes)."""
    if not bands:
        return np.zeros((len(sig), 0), np.uint32)
    with np.errstate(over="ignore"):
        keys = band_keys(sig, bands, rows) * _BAND_MUL
    return (keys >> np.uint64(32)).astype(np.uint32)


def _components(sig, order, sorted_keys, threshold) -> np.ndarray:
    """Per position: its group number (0, 1, ...) among positions with a verified
    near-duplicate, -1 for the others."""
    m = len(sig)
    if not m or not len(order):
        return np.full(m, -1, np.int32)
    edges = []
    for b in range(len(order)):
        pos, keys = order[b].astype(np.int64), sorted_keys[b]
        same = keys[1:] == keys[:-1]
        if not same.any():
            continue
        starts = np.concatenate([[True], ~same])
        leader = pos[np.flatnonzero(starts)][np.cumsum(starts) - 1]
        edges.append(pos[:-1][same] * m + pos[1:][same])            # neighbours
        follower = ~starts
        edges.append(leader[follower] * m + pos[follower])          # to the bucket's first
    if not edges:
        return np.full(m, -1, np.int32)
    pairs = np.unique(np.concatenate(edges))
    a, b = pairs // m, pairs % m
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    ok = np.zeros(len(lo), bool)
    step = 1 << 18
    for i in range(0, len(lo), step):
        ok[i:i + step] = estimated_jaccard(sig[lo[i:i + step]], sig[hi[i:i + step]]) >= threshold
    lo, hi = lo[ok], hi[ok]
    label = np.arange(m, dtype=np.int64)
    while len(lo):
        low = np.minimum(label[lo], label[hi])
        before = label.copy()
        np.minimum.at(label, lo, low)
        np.minimum.at(label, hi, low)
        while True:                                                  # pointer jumping
            nxt = label[label]
            if np.array_equal(nxt, label):
                break
            label = nxt
        if np.array_equal(label, before):
            break
    linked = np.zeros(m, bool)
    linked[lo] = linked[hi] = True
    out = np.full(m, -1, np.int32)
    roots, number = np.unique(label[linked], return_inverse=True)
    out[linked] = number.astype(np.int32)
    return out


# ---------------------------------------------------------------------- lookups

def _position(idx: SimilarIndex, doc: int) -> int | None:
    i = int(np.searchsorted(idx.docs, doc))
    return i if i < len(idx.docs) and int(idx.docs[i]) == doc else None


def near_duplicates(searcher, doc: int) -> tuple[np.ndarray, np.ndarray]:
    """(global doc numbers, estimated Jaccard) of the paragraphs of *other* reports that are
    near-duplicates of document `doc`: the members of its group whose estimated similarity
    with it reaches the threshold, ascending by document; empty when it has none or no
    signature (a heading, a short line)."""
    idx = similar_index(searcher)
    g = int(idx.group[doc]) if 0 <= doc < len(idx.group) else -1
    if g < 0:
        return np.zeros(0, np.int64), np.zeros(0)
    p = _position(idx, doc)
    cand = idx.members[idx.bounds[g]:idx.bounds[g + 1]]
    cand = cand[idx.member_report[cand] != idx.member_report[p]]
    # equal bytes against the threshold's number (integers; the same test as
    # estimated_jaccard >= threshold), the similarity estimated for those kept only
    equal = np.count_nonzero(idx.sig[cand] == idx.sig[p], axis=1)
    keep = equal >= _equal_bytes_needed(idx)
    cand, equal = cand[keep], equal[keep]
    sim = np.clip((equal / idx.sig.shape[1] - 1 / 256) / (1 - 1 / 256), 0.0, 1.0)
    return idx.docs[cand], sim        # members are in position order: ascending docs


def _earliest_first(searcher, idx: SimilarIndex, docs: np.ndarray) -> np.ndarray:
    """Order of `docs`, earliest first: year (unknown last), then published date (unknown
    last), then report id, then place in the report."""
    year = searcher.year[docs].astype(np.int64)
    year = np.where(year > 0, year, 10 ** 6)
    return np.lexsort((searcher.ordinal[docs], idx.published_rank[searcher.doc_report[docs]],
                       year))


def _earliest_of(searcher, idx: SimilarIndex, docs: np.ndarray) -> int:
    """The earliest of `docs` in the order of _earliest_first, by one argmin over a single
    int64 key (year, unknown last; published rank; place in the report)."""
    year = searcher.year[docs].astype(np.int64)
    year = np.where(year > 0, year, 9999)
    if len(idx.published_rank) >= 10 ** 6:           # the key would overflow
        return int(docs[_earliest_first(searcher, idx, docs)[0]])
    key = (year * 10 ** 13 + idx.published_rank[searcher.doc_report[docs]] * 10 ** 7
           + searcher.ordinal[docs].astype(np.int64))
    return int(docs[int(np.argmin(key))])


def similar(searcher, paragraph_id: str, limit: int | None = None) -> dict | None:
    """{id, earliest, reports, total, similar: [{id, report_id, year, issuer, published,
    similarity}]} for a paragraph, the similar ones earliest first (the first `limit`, all
    when None; `total` and `reports` count all); None when the index has no such paragraph.
    `earliest` is the id of the earliest paragraph (this one or a similar one, by year, then
    published date), null when nothing similar is found."""
    doc = _doc_of_paragraph(searcher, paragraph_id)
    if doc is None:
        return None
    idx = similar_index(searcher)
    docs, sims = near_duplicates(searcher, doc)
    order = _earliest_first(searcher, idx, docs)
    docs, sims = docs[order], sims[order]
    reports = len(np.unique(searcher.doc_report[docs]))
    shown = docs[:limit] if limit is not None else docs
    codes = searcher.doc_report[shown].tolist()
    years = searcher.year[shown].tolist()
    ordinals = searcher.ordinal[shown].tolist()
    rids = searcher.report_ids
    items = [{"id": f"{rids[c]}-p{o}", "report_id": rids[c], "year": y or None,
              "issuer": idx.issuer[c] or None, "published": idx.published[c] or None,
              "similarity": round(s, 3)}
             for c, y, o, s in zip(codes, years, ordinals, sims.tolist())]
    earliest = None
    if len(docs):
        both = np.array([doc, int(docs[0])], np.int64)
        earliest = searcher._paragraph_id(int(both[_earliest_first(searcher, idx, both)[0]]))
    return {"id": paragraph_id, "earliest": earliest, "threshold": idx.threshold,
            "compared": _position(idx, doc) is not None,
            "total": len(docs), "reports": reports, "similar": items}


def _doc_of_paragraph(searcher, paragraph_id: str) -> int | None:
    report_id, _, ordinal = paragraph_id.rpartition("-p")
    if not ordinal.isdigit() or len(ordinal) >= 10:
        return None
    d = searcher._doc_of(report_id, int(ordinal))
    return d if d is not None and searcher.searchable[d] else None


def group_ids(searcher, docs) -> np.ndarray:
    """Per document of `docs` (global numbers): its group of near-duplicates (equal numbers
    = one group), -1 when it has no near-duplicate. One array lookup: fast for any page."""
    docs = np.asarray(docs, np.int64)
    return similar_index(searcher).group[docs] if len(docs) else np.zeros(0, np.int32)


def similar_report_counts(searcher, docs) -> np.ndarray:
    """Per document of `docs`: how many other reports hold a near-duplicate of it (the N of
    相似段落见于 N 份报告, the reports of near_duplicates); per document one comparison of
    its signature with its group's, counting equal bytes against the threshold's number."""
    idx = similar_index(searcher)
    needed = _equal_bytes_needed(idx)
    out = np.zeros(len(docs), np.int64)
    for i, d in enumerate(np.asarray(docs, np.int64).tolist()):
        g = int(idx.group[d]) if 0 <= d < len(idx.group) else -1
        if g < 0:
            continue
        p = _position(idx, d)
        cand = idx.members[idx.bounds[g]:idx.bounds[g + 1]]
        equal = np.count_nonzero(idx.sig[cand] == idx.sig[p], axis=1)
        reports = idx.member_report[cand[equal >= needed]]
        out[i] = len(np.unique(reports)) - int((reports == idx.member_report[p]).any())
    return out


def _equal_bytes_needed(idx: SimilarIndex) -> int:
    """estimated_jaccard >= threshold  <=>  at least this many equal signature bytes."""
    width = idx.sig.shape[1]
    return int(np.ceil(width * (idx.threshold * (1 - 1 / 256) + 1 / 256) - 1e-9))


def hit_similar_counts(searcher, hits: list[dict], wait: bool = True) -> list[dict]:
    """`hits` (search hits, by paragraph id) each with `similar_reports`: the N of
    相似段落见于 N 份报告 (other reports holding a near-duplicate), and `earliest`: its
    最早出处 {id, report_id, year, issuer} (the hit itself when it is the earliest; None
    without near-duplicates); for these hits only. With wait=False and the near-duplicate
    index not built yet, both are None (not known yet) and the build is started in the
    background."""
    if not wait and similar_index_ready(searcher) is None:
        for hit in hits:
            hit["similar_reports"] = hit["earliest"] = None
        return hits
    idx = similar_index(searcher)
    for hit in hits:
        hit["similar_reports"], hit["earliest"] = 0, None
        d = _doc_of_paragraph(searcher, hit["id"])
        if d is None:
            continue
        found, _ = near_duplicates(searcher, d)
        if not len(found):
            continue
        hit["similar_reports"] = int(len(np.unique(searcher.doc_report[found])))
        first = _earliest_of(searcher, idx, np.concatenate([[d], found]).astype(np.int64))
        c = int(searcher.doc_report[first])
        hit["earliest"] = {"id": searcher._paragraph_id(first),
                           "report_id": searcher.report_ids[c],
                           "year": int(idx.report_year[c]) or None,
                           "issuer": idx.issuer[c] or None}
    return hits


# ---------------------------------------------------------------------- collapsed results

# A folded hit lists at most this many of the paragraphs folded under it.
FOLDED_SHOWN = 10


@dataclass
class Collapsed:
    """The hits of a search with near-duplicates folded: one representative per group of
    near-duplicates among the hits (the first in the order the hits are shown), every hit
    without a near-duplicate as itself."""
    representatives: np.ndarray     # global doc numbers, ascending
    members: np.ndarray             # the grouped hits, by group number, shown order within
    member_group: np.ndarray        # their group numbers (ascending)

    def folded(self, doc: int, group: int) -> np.ndarray:
        """The hits folded under representative `doc` of group `group` (shown order)."""
        if group < 0:
            return np.zeros(0, np.int64)
        lo, hi = np.searchsorted(self.member_group, [group, group + 1])
        got = self.members[lo:hi]
        return got[got != doc]


def collapse_hits(searcher, matched: np.ndarray, key: np.ndarray) -> Collapsed:
    """Fold the near-duplicates among `matched` (ascending doc numbers); `key` per matched
    document: the smaller is shown first (negative score, or a sort rank). Groups are the
    connected components of verified pairs (the grouping of the similar lists), found by
    one array lookup per hit: linear in the number of hits."""
    matched = np.asarray(matched, np.int64)
    g = group_ids(searcher, matched)
    grouped = np.flatnonzero(g >= 0)
    order = grouped[np.lexsort((matched[grouped], key[grouped], g[grouped]))]
    gs = g[order]
    first = np.r_[True, gs[1:] != gs[:-1]] if len(gs) else np.zeros(0, bool)
    reps = np.sort(np.concatenate([matched[g < 0], matched[order[first]]]))
    return Collapsed(reps, matched[order], gs.astype(np.int64))


def folded_info(searcher, collapsed: Collapsed, doc: int) -> dict | None:
    """What a representative hit says of the hits folded under it: {paragraphs, reports
    (other reports than the hit's own), shown: [{id, report_id, year, issuer, published}],
    earliest first, at most FOLDED_SHOWN, earliest: the id of the earliest of these and the
    hit itself}; None when nothing is folded under it."""
    idx = similar_index(searcher)
    folded = collapsed.folded(doc, int(idx.group[doc]))
    if not len(folded):
        return None
    folded = folded[_earliest_first(searcher, idx, folded)]
    codes = searcher.doc_report[folded]
    own = int(searcher.doc_report[doc])
    shown = folded[:FOLDED_SHOWN]
    rids = searcher.report_ids
    items = [{"id": searcher._paragraph_id(int(d)), "report_id": rids[int(c)],
              "year": int(searcher.year[d]) or None, "issuer": idx.issuer[int(c)] or None,
              "published": idx.published[int(c)] or None}
             for d, c in zip(shown.tolist(), codes[:FOLDED_SHOWN].tolist())]
    both = np.array([doc, int(folded[0])], np.int64)
    first = int(both[_earliest_first(searcher, idx, both)[0]])
    return {"paragraphs": int(len(folded)),
            "reports": int(len(np.unique(codes[codes != own]))), "shown": items,
            "earliest": searcher._paragraph_id(first)}


# ---------------------------------------------------------------------- a report's paragraphs

def report_near(searcher, report_id: str) -> list[tuple[int, np.ndarray]] | None:
    """(doc, its near_duplicates docs) for every compared paragraph of a report, in the
    report's order: what paragraph_origins and originality read (compute it once for
    both); None for an unknown report."""
    code = searcher.report_code.get(report_id)
    if code is None:
        return None
    idx = similar_index(searcher)
    return [(int(d), near_duplicates(searcher, int(d))[0])
            for d in searcher._report_docs(code).tolist() if _position(idx, int(d)) is not None]


def paragraph_origins(searcher, report_id: str, near=None) -> dict[str, dict]:
    """Per compared paragraph of a report that has near-duplicates, by paragraph id:
    {reports: how many other reports hold one, earliest: the id of the earliest paragraph
    of its near-duplicates and itself (the 最早出处 of similar()), earliest_report_id,
    earliest_year, earliest_issuer}. Paragraphs without near-duplicates are left out.
    `near`: report_near() of this report, when the caller has it."""
    near = report_near(searcher, report_id) if near is None else near
    idx = similar_index(searcher)
    out = {}
    for d, found in near or []:
        if not len(found):
            continue
        first = _earliest_of(searcher, idx, np.concatenate([[d], found]).astype(np.int64))
        c = int(searcher.doc_report[first])
        out[searcher._paragraph_id(d)] = {
            "reports": int(len(np.unique(searcher.doc_report[found]))),
            "earliest": searcher._paragraph_id(first),
            "earliest_report_id": searcher.report_ids[c],
            "earliest_year": int(idx.report_year[c]) or None,
            "earliest_issuer": idx.issuer[c] or None}
    return out


def originality(searcher, report_id: str, near=None) -> dict | None:
    """How much of a report was there before: of its paragraphs that are compared (body
    text of at least min_chars), how many have a near-duplicate in an earlier report of
    another issuer (earlier year, or the same year and published earlier), and how many in
    the same issuer's report of the previous year. None for an unknown report. `near`:
    report_near() of this report, when the caller has it."""
    code = searcher.report_code.get(report_id)
    if code is None or searcher._report_record(report_id) is None:
        return None
    idx = similar_index(searcher)
    near = report_near(searcher, report_id) if near is None else near
    prev = int(idx.previous[code])
    before = _earlier_reports(idx, code) & (idx.issuer_group != idx.issuer_group[code])
    earlier = repeated = 0
    for _, found in near:
        if not len(found):
            continue
        codes = searcher.doc_report[found]
        earlier += bool(before[codes].any())
        repeated += bool(prev >= 0 and (codes == prev).any())
    n = len(near)
    prev_id = searcher.report_ids[prev] if prev >= 0 else None
    return {"report_id": report_id, "compared": n,
            "earlier_elsewhere": earlier,
            "earlier_elsewhere_share": round(earlier / n, 4) if n else None,
            "previous_report_id": prev_id,
            "from_previous_year": repeated if prev_id else None,
            "from_previous_year_share": round(repeated / n, 4) if n and prev_id else None}


def _earlier_reports(idx: SimilarIndex, than: int) -> np.ndarray:
    """Per report code: whether that report came before report `than`: an earlier year, or
    the same year and published earlier (both dates known)."""
    year, mine = idx.report_year, int(idx.report_year[than])
    if not mine:
        return np.zeros(len(year), bool)
    pub, my_pub = idx.published_num[:len(year)], int(idx.published_num[than])
    same_year_first = (year == mine) & (pub > 0) & bool(my_pub) & (pub < my_pub)
    return (year > 0) & ((year < mine) | same_year_first)


# ---------------------------------------------------------------------- every report at once

@dataclass
class OriginalityTable:
    """originality() of every report at once (the reports list, `reportsearch reports`), per
    report code: compared paragraphs, those with a near-duplicate in an earlier report of
    another issuer, those with one in the same issuer's previous-year report (the first of
    that issuer and year by report id, -1 without one)."""
    compared: np.ndarray
    earlier: np.ndarray
    repeated: np.ndarray
    previous: np.ndarray

    def of(self, searcher, report_id: str) -> dict | None:
        """The same dict as originality(searcher, report_id)."""
        code = searcher.report_code.get(report_id)
        if code is None or code >= len(self.compared):
            return None
        n, earlier, prev = int(self.compared[code]), int(self.earlier[code]), \
            int(self.previous[code])
        repeated = int(self.repeated[code]) if prev >= 0 else None
        return {"report_id": report_id, "compared": n, "earlier_elsewhere": earlier,
                "earlier_elsewhere_share": round(earlier / n, 4) if n else None,
                "previous_report_id": searcher.report_ids[prev] if prev >= 0 else None,
                "from_previous_year": repeated,
                "from_previous_year_share": round(repeated / n, 4) if n and prev >= 0
                else None}


_tables: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()
_table_lock = threading.Lock()
_PAIR_BLOCK = 1 << 22        # signature bytes compared at once (memory of one block)


def originality_table(searcher) -> OriginalityTable:
    """The searcher's OriginalityTable, computed on first use (once, under a lock). Group by
    group: the members' pairwise equal-byte counts against the threshold's number (the
    test of near_duplicates), and per pair whether the other report came earlier from
    another issuer, or is this issuer's previous-year report."""
    got = _tables.get(searcher)
    if got is None:
        with _table_lock:
            got = _tables.get(searcher)
            if got is None:
                got = _tables[searcher] = _originality_table(searcher)
    return got


_table_warming: "weakref.WeakSet" = weakref.WeakSet()


def originality_table_ready(searcher) -> OriginalityTable | None:
    """The searcher's OriginalityTable if it is computed; else None, and it (with the
    near-duplicate index it reads) is being computed in a background thread, started once."""
    got = _tables.get(searcher)
    if got is not None:
        return got
    with _table_lock:
        if searcher in _table_warming or searcher in _tables:
            return _tables.get(searcher)
        _table_warming.add(searcher)
    threading.Thread(target=_warm_table, args=(searcher,), daemon=True,
                     name="originality-table").start()
    return None


def _warm_table(searcher) -> None:
    try:
        originality_table(searcher)
    except Exception:       # the request that needs it will compute it again and say why
        log.exception("could not compute the originality of the reports")


def _originality_table(searcher) -> OriginalityTable:
    idx = similar_index(searcher)
    n_reports = len(searcher.report_ids)
    year, pub = idx.report_year, idx.published_num
    issuer_code, previous = idx.issuer_group, idx.previous
    compared = np.bincount(idx.member_report, minlength=n_reports).astype(np.int64) \
        if len(idx.docs) else np.zeros(n_reports, np.int64)
    earlier_flag = np.zeros(len(idx.docs), bool)
    repeated_flag = np.zeros(len(idx.docs), bool)
    # "came earlier" as one integer order: a report's key (year, published; unknown
    # published last within its year, unknown year never earlier) against a reader's bar
    # (its year and published date, unknown published = the start of its year): key < bar
    # <=> an earlier year, or the same year and both published dates known and earlier
    key = np.where(year > 0, year * 10 ** 8 + np.where(pub > 0, pub, 10 ** 8 - 1), 10 ** 15)
    bar = np.where(year > 0, year * 10 ** 8 + np.where(pub > 0, pub, 0), -1)
    for g in range(len(idx.bounds) - 1):
        mem = idx.members[idx.bounds[g]:idx.bounds[g + 1]]
        e, r = _group_flags(idx, mem, key, bar, issuer_code, previous)
        earlier_flag[mem], repeated_flag[mem] = e, r
    return OriginalityTable(
        compared,
        np.bincount(idx.member_report[earlier_flag], minlength=n_reports).astype(np.int64),
        np.bincount(idx.member_report[repeated_flag], minlength=n_reports).astype(np.int64),
        previous)


def _group_flags(idx: SimilarIndex, mem: np.ndarray, key, bar, issuer_code, previous):
    """Per member of one group: (has a near-duplicate in an earlier report of another
    issuer, has one in its issuer's previous-year report). Members with equal signatures
    are compared once (template text is mostly exact copies): the pairwise test runs over
    the group's distinct signatures, and per distinct signature only its two earliest
    reports of different issuers matter for "earlier elsewhere"."""
    rep = idx.member_report[mem]
    uniq, inv = _distinct_rows(idx.sig[mem])
    u, width = len(uniq), max(1, uniq.shape[1])
    needed = _equal_bytes_needed(idx)
    near = np.zeros((u, u), bool)
    step = max(1, _PAIR_BLOCK // (u * width))
    for i in range(0, u, step):
        near[i:i + step] = np.count_nonzero(
            uniq[i:i + step, None, :] == uniq[None, :, :], axis=2) >= needed
    k, who = key[rep], issuer_code[rep]
    order = np.lexsort((k, inv))
    first = order[np.flatnonzero(np.r_[True, inv[order][1:] != inv[order][:-1]])]
    first_key, first_who = np.empty(u, np.int64), np.empty(u, np.int64)
    first_key[inv[first]], first_who[inv[first]] = k[first], who[first]
    other = who != first_who[inv]
    second_key = np.full(u, np.iinfo(np.int64).max)
    np.minimum.at(second_key, inv[other], k[other])
    b = bar[rep]
    earlier = np.zeros(len(mem), bool)
    step = max(1, _PAIR_BLOCK // u)
    for i in range(0, len(mem), step):
        rows = slice(i, i + step)
        cond = ((first_key[None, :] < b[rows, None]) & (first_who[None, :] != who[rows, None])) \
            | (second_key[None, :] < b[rows, None])
        earlier[rows] = (near[inv[rows]] & cond).any(axis=1)
    # previous-year report: pairs (reader, member of that report) joined on report code
    repeated = np.zeros(len(mem), bool)
    prev = previous[rep]
    by_rep = np.argsort(rep, kind="stable")
    lo = np.searchsorted(rep[by_rep], prev, "left")
    hi = np.searchsorted(rep[by_rep], prev, "right")
    count = np.where(prev >= 0, hi - lo, 0)
    if count.any():
        reader = np.repeat(np.arange(len(mem)), count)
        offset = np.arange(len(reader)) - np.repeat(np.cumsum(count) - count, count)
        other_member = by_rep[np.repeat(lo, count) + offset]
        hit = near[inv[reader], inv[other_member]]
        repeated[reader[hit]] = True
    return earlier, repeated


def _distinct_rows(sig: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(distinct rows, per row its distinct row's number) of a uint8 matrix; a lexsort over
    the rows' bytes read as wider words (np.unique(axis=0) sorts void records, ~10x slower)."""
    if not len(sig):
        return sig, np.zeros(0, np.int64)
    width = sig.shape[1]
    word = 8 if width % 8 == 0 else 4 if width % 4 == 0 else 1
    words = np.ascontiguousarray(sig).view(f"<u{word}") if word > 1 else sig
    order = np.lexsort(words.T[::-1])
    ordered = words[order]
    new = np.r_[True, (ordered[1:] != ordered[:-1]).any(axis=1)]
    inv = np.empty(len(sig), np.int64)
    inv[order] = np.cumsum(new) - 1
    return sig[order[new]], inv
