"""The exact tantivy reference the benchmark compares our engine against.

    python -m bench.tantivy_ref --corpus DIR --index DIR --runs 30 --json OUT.json

One tantivy (tantivy-py 0.27, `pip install tantivy==0.27.0`; bench only) document per
paragraph. The paragraph's match form (`index.normalize.match_form`, which has no
whitespace) is written to the field `g` as its character unigrams and bigrams, interleaved
and space-separated, under tantivy's `whitespace` tokenizer with positions:

    "法治政府"  ->  "法 法治 治 治政 政 政府 府"     (unigram i at position 2i, bigram i at 2i+1)

A query term of match form t is then
- 1 character: the term query of its unigram,
- 2 characters: the term query of its bigram,
- n >= 3: the phrase query of its n-1 consecutive bigrams at offsets 0, 2, 4, ...
so a document matches exactly when t is a substring of its match form: exact substring
semantics without any verification step. Several terms are ANDed (Occur.Must); the filter
terms (year, province) are Must clauses under a constant score of 0, so ranking is BM25 of
the text terms only.

Facets: year (u64, fast + indexed) and province, level, section, issuer_type, either as u64
ordinals into a value list kept next to the index (`--facet-kind u64`, the default) or as
fast raw-tokenized text fields (`--facet-kind str`). Counts come from one `Searcher.aggregate`
call with a `terms` aggregation per facet (size larger than any facet's cardinality, so
the counts are over every matching document, exact). The stored fields are the paragraph
text and id (bytes).

Per query class (bench.run.CLASSES): top 20 by BM25 (`Searcher.search(count=True)`), all
facet counts, and the stored text of the 20 hits, timed over --runs runs after a warm-up.
Exactness: the full set of matching paragraphs (all hits, mapped to corpus rows through the
fast field `row`) against a brute-force substring scan over the match forms (Jaccard; 1.0
when identical), plus the facet counts and the hits' texts against the scan.

The build runs in its own process (`python -m bench.tantivy_ref _build ...`) so that its wall
time and the peak RSS of it and its reader pool are its own. It reads the reports with a
multiprocessing Pool of 2 and streams the scan columns (match form + facet values) to a
pickle next to the index (not inside it), which the query step reads.
"""
from __future__ import annotations

import argparse
import json
import operator
import os
import pickle
import resource
import shutil
import subprocess
import sys
import time
from collections import Counter
from itertools import chain
from pathlib import Path

FACETS = ("year", "province", "level", "section", "issuer_type")
STR_FACETS = FACETS[1:]
TEXT_FIELD = "g"
LIMIT = 20
AGG_SIZE = 100_000       # terms-aggregation buckets: above any facet's cardinality
DEFAULT_FILTER = {"year": "2020", "province": "浙江"}
VALUES_FILE = "facet_values.json"


# ---------------------------------------------------------------------- text forms

def grams(m: str) -> str:
    """Unigrams and bigrams of `m`, interleaved, space-separated (see the module doc)."""
    if len(m) < 2:
        return m
    return " ".join(chain(chain.from_iterable(zip(m, map(operator.add, m, m[1:]))), m[-1]))


def query_terms(cls: dict) -> list[str]:
    """The match forms a query class requires, as our engine reads them.

    Exact mode: each whitespace-separated term. Fuzzy mode: each term's jieba words (the
    engine's `_fuzzy_words`: searcher.words.segment_words, then match_form), all ANDed."""
    from index.normalize import match_form
    terms = [match_form(t) for t in cls["query"].split()]
    if cls.get("mode") == "fuzzy":
        from searcher.words import segment_words
        words = []
        for raw in cls["query"].split():
            ws = [w for w in (match_form(w) for w in segment_words(raw)) if w]
            words.extend(ws or [match_form(raw)])
        terms = words
    return list(dict.fromkeys(t for t in terms if t))


# ---------------------------------------------------------------------- build

def _read_one(path: str):
    """(rows, error) of one report: rows = (id, text, grams, match, year, province, level,
    section, issuer_type), facet values as strings ("" when unknown)."""
    from index.model import IngestError
    from index.normalize import match_form
    from index.pipeline import read_report
    try:
        r = read_report(path)
    except IngestError as e:
        return [], f"{path}: {e}"
    m = r.meta
    rows = []
    for p in r.paragraphs:
        mf = match_form(p.text)
        rows.append((p.id, p.text, grams(mf), mf, str(m.year) if m.year else "",
                     m.province or "", m.level or "", p.section or "", m.issuer_type or ""))
    return rows, None


def schema(facet_kind: str):
    import tantivy
    sb = tantivy.SchemaBuilder()
    sb.add_text_field(TEXT_FIELD, tokenizer_name="whitespace", index_option="position")
    sb.add_bytes_field("text", stored=True)
    sb.add_bytes_field("id", stored=True)
    sb.add_unsigned_field("row", fast=True)
    sb.add_unsigned_field("year", indexed=True, fast=True)
    for f in STR_FACETS:
        if facet_kind == "u64":
            sb.add_unsigned_field(f, indexed=True, fast=True)
        else:
            sb.add_text_field(f, fast=True, tokenizer_name="raw", index_option="basic")
    return sb.build()


def _clear(index: Path) -> None:
    if index.exists():
        if any(index.iterdir()) and not (index / "meta.json").exists():
            sys.exit(f"{index} exists and is not a tantivy index; not removing it")
        shutil.rmtree(index)
    index.mkdir(parents=True)


def build(corpus: str, index: Path, cols_path: Path, facet_kind: str, heap_mb: int,
          threads: int, procs: int) -> dict:
    """Write the tantivy index of `corpus` into `index`; the scan columns to `cols_path`."""
    import multiprocessing as mp

    import tantivy
    from index.pipeline import collect_files

    t0 = time.perf_counter()
    _clear(index)
    files = [str(f) for f in collect_files([corpus])]
    s = schema(facet_kind)
    ix = tantivy.Index(s, path=str(index), reuse=False)
    writer = ix.writer(heap_size=heap_mb * 1_000_000, num_threads=threads)
    ords = {f: {} for f in STR_FACETS}
    n = 0
    failures = []
    with open(cols_path, "wb") as cols, mp.get_context("fork").Pool(procs) as pool:
        for rows, err in pool.imap(_read_one, files, chunksize=4):
            if err:
                failures.append(err)
                continue
            for pid, text, g, _mf, year, *vals in rows:
                doc = tantivy.Document()
                doc.add_text(TEXT_FIELD, g)
                doc.add_bytes("text", text.encode())
                doc.add_bytes("id", pid.encode())
                doc.add_unsigned("row", n)
                if year:
                    doc.add_unsigned("year", int(year))
                for f, v in zip(STR_FACETS, vals):
                    if not v:
                        continue
                    if facet_kind == "u64":
                        d = ords[f]
                        doc.add_unsigned(f, d.setdefault(v, len(d)))
                    else:
                        doc.add_text(f, v)
                writer.add_document(doc)
                n += 1
            # the scan columns, streamed: nothing of the corpus is kept in this process
            pickle.dump([r[3:] for r in rows], cols, protocol=pickle.HIGHEST_PROTOCOL)
    t_added = time.perf_counter()
    writer.commit()
    writer.wait_merging_threads()
    (index / VALUES_FILE).write_text(json.dumps(
        {"facet_kind": facet_kind, "values": {f: list(d) for f, d in ords.items()}},
        ensure_ascii=False))
    wall = time.perf_counter() - t0
    ix.reload()
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime
    return {"paragraphs": n, "files": len(files), "failed": len(failures),
            "failures": failures[:5], "build_seconds": round(wall, 2),
            "add_seconds": round(t_added - t0, 2),
            "commit_merge_seconds": round(wall - (t_added - t0), 2),
            "cpu_seconds": round(cpu, 1),
            "cpu_main_seconds": round(me.ru_utime + me.ru_stime, 1),
            "cpu_readers_seconds": round(kids.ru_utime + kids.ru_stime, 1),
            "segments": ix.searcher().num_segments,
            "rss_main_peak_mb": round(me.ru_maxrss / 1024, 1),
            "rss_worker_peak_mb": round(kids.ru_maxrss / 1024, 1)}


def run_build(args) -> dict:
    """The build in a fresh interpreter, with the summed RSS of its process tree sampled."""
    from bench.run import TreeRSSSampler, dir_size
    cmd = [sys.executable, "-m", "bench.tantivy_ref", "_build", "--corpus", args.corpus,
           "--index", args.index, "--cols", str(cols_file(args)),
           "--facet-kind", args.facet_kind, "--heap-mb", str(args.heap_mb),
           "--threads", str(args.threads), "--procs", str(args.procs)]
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True,
                            cwd=Path(__file__).resolve().parent.parent)
    with TreeRSSSampler(proc.pid) as sampler:
        out, _ = proc.communicate()
    if proc.returncode:
        sys.exit(f"build failed (exit {proc.returncode})")
    res = json.loads(out.strip().splitlines()[-1])
    res["process_wall_seconds"] = round(time.perf_counter() - t, 2)
    res["rss_tree_peak_mb"] = round(sampler.peak_mb, 1)
    res["index_bytes"] = dir_size(Path(args.index))
    du = subprocess.run(["du", "-sk", args.index], capture_output=True, text=True)
    res["index_du_bytes"] = int(du.stdout.split()[0]) * 1024 if du.returncode == 0 else None
    return res


def cols_file(args) -> Path:
    return Path(args.cols) if args.cols else Path(str(Path(args.index).resolve()) + ".scan.pkl")


def load_cols(path: Path) -> dict:
    keys = ("match",) + FACETS
    cols = {k: [] for k in keys}
    with open(path, "rb") as f:
        while True:
            try:
                chunk = pickle.load(f)
            except EOFError:
                break
            for row in chunk:
                for k, v in zip(keys, row):
                    cols[k].append(v)
    return cols


# ---------------------------------------------------------------------- search

class Reference:
    """Queries over a built index: top hits, facet counts, stored texts."""

    def __init__(self, index: Path):
        import tantivy
        self.tantivy = tantivy
        self.ix = tantivy.Index.open(str(index))
        self.schema = self.ix.schema
        meta = json.loads((index / VALUES_FILE).read_text())
        self.facet_kind = meta["facet_kind"]
        self.values = meta["values"]
        self.ordinal = {f: {v: i for i, v in enumerate(vs)} for f, vs in self.values.items()}
        self.searcher = self.ix.searcher()
        self.agg = {f: {"terms": {"field": f, "size": AGG_SIZE}} for f in FACETS}

    def term(self, t: str):
        Q = self.tantivy.Query
        if len(t) <= 2:
            return Q.term_query(self.schema, TEXT_FIELD, t)
        return Q.phrase_query(self.schema, TEXT_FIELD,
                              [(2 * i, t[i:i + 2]) for i in range(len(t) - 1)])

    def query(self, terms: list[str], filters: dict | None = None):
        tv = self.tantivy
        Q, Must = tv.Query, tv.Occur.Must
        subs = [self.term(t) for t in terms]
        for f, v in (filters or {}).items():
            if f == "year":
                value = int(v)
            elif self.facet_kind == "u64":
                value = self.ordinal[f].get(v)
                if value is None:   # a value no paragraph has
                    return Q.empty_query()
            else:
                value = v
            subs.append(Q.const_score_query(Q.term_query(self.schema, f, value), 0.0))
        if len(subs) == 1:
            return subs[0]
        return Q.boolean_query([(Must, q) for q in subs])

    def facets(self, q) -> dict[str, dict[str, int]]:
        res = self.searcher.aggregate(q, self.agg)
        out = {}
        for f in FACETS:
            buckets = res[f]["buckets"]
            if f == "year":
                out[f] = {str(int(b["key"])): b["doc_count"] for b in buckets}
            elif self.facet_kind == "u64":
                vs = self.values[f]
                out[f] = {vs[int(b["key"])]: b["doc_count"] for b in buckets}
            else:
                out[f] = {b["key"]: b["doc_count"] for b in buckets}
        return out

    def search(self, q, offset: int = 0) -> dict:
        """What one search of the benchmark does: top 20, total, facet counts, hit texts."""
        s = self.searcher
        r = s.search(q, LIMIT, count=True, offset=offset)
        facets = self.facets(q)
        hits = []
        for score, addr in r.hits:
            d = s.doc(addr)
            hits.append((score, d.get_first("id").decode(), d.get_first("text").decode()))
        return {"total": r.count, "facets": facets, "hits": hits}

    def all_rows(self, q, total: int) -> set[int]:
        """Corpus rows of every matching document (not timed)."""
        if not total:
            return set()
        r = self.searcher.search(q, total, count=False)
        addrs = [a for _, a in r.hits]
        rows = set()
        for i in range(0, len(addrs), 100_000):
            rows.update(self.searcher.fast_field_values("row", addrs[i:i + 100_000]))
        return rows


def scan(cols: dict, terms: list[str], filters: dict | None) -> tuple[set[int], dict]:
    """Brute force over the match forms: the rows containing every term (and the filters)."""
    match = cols["match"]
    rows = [i for i, m in enumerate(match) if all(t in m for t in terms)]
    for f, v in (filters or {}).items():
        col = cols[f]
        rows = [i for i in rows if col[i] == v]
    counts = {f: dict(Counter(v for v in (cols[f][i] for i in rows) if v)) for f in FACETS}
    return set(rows), counts


def ms_stats(samples: list[float]) -> dict:
    xs = sorted(samples)
    n = len(xs)

    def rank(p):
        return xs[min(n - 1, max(0, -(-p * n // 100) - 1))] * 1000

    return {"runs": n, "min_ms": round(xs[0] * 1000, 2), "p50_ms": round(rank(50), 2),
            "p95_ms": round(rank(95), 2), "mean_ms": round(sum(xs) / n * 1000, 2)}


def run_classes(index: Path, cols: dict, runs: int, filt: dict, warmup: int = 3) -> dict:
    from bench.run import CLASSES
    from index.normalize import match_form
    ref = Reference(index)
    out = {}
    for cls in CLASSES:
        terms = query_terms(cls)
        filters = filt if cls.get("filtered") else None
        offset = cls.get("offset", 0)
        q = ref.query(terms, filters)
        for _ in range(warmup):
            ref.search(q, offset)
        lat = []
        for _ in range(runs):
            t = time.perf_counter()
            res = ref.search(q, offset)
            lat.append(time.perf_counter() - t)
        # exactness: every matching row vs the brute-force scan
        t = time.perf_counter()
        want, want_facets = scan(cols, terms, filters)
        scan_ms = (time.perf_counter() - t) * 1000
        got = ref.all_rows(q, res["total"])
        union = got | want
        exact = len(got & want) / len(union) if union else 1.0
        problems = []
        if res["total"] != len(want):
            problems.append(f"total {res['total']} != scan {len(want)}")
        if got != want:
            problems.append(f"{len(got - want)} hits not in the scan, "
                            f"{len(want - got)} scan rows missed")
        for f in FACETS:
            if res["facets"][f] != want_facets[f]:
                diff = {v: (res["facets"][f].get(v), want_facets[f].get(v))
                        for v in set(res["facets"][f]) | set(want_facets[f])
                        if res["facets"][f].get(v) != want_facets[f].get(v)}
                problems.append(f"facet {f} differs (tantivy, scan): {dict(list(diff.items())[:5])}")
        bad_hits = [pid for _, pid, text in res["hits"]
                    if not all(tm in match_form(text) for tm in terms)]
        if bad_hits:
            problems.append(f"hits without the terms: {bad_hits[:5]}")
        expect_hits = max(0, min(LIMIT, len(want) - offset))
        if len(res["hits"]) != expect_hits:
            problems.append(f"{len(res['hits'])} hits returned, {expect_hits} expected")
        out[cls["name"]] = dict(
            ms_stats(lat), query=cls["query"], terms=terms, filters=filters, offset=offset,
            total=res["total"], scan_total=len(want), exact=round(exact, 6),
            facets_exact=not any(p.startswith("facet") for p in problems),
            hits=len(res["hits"]), scan_ms=round(scan_ms, 1), problems=problems,
            top=[{"score": round(sc, 4), "id": pid, "text": text[:80]}
                 for sc, pid, text in res["hits"][:3]])
    return out


def run_exact_queries(index: Path, cols: dict, seed: int = 1) -> dict:
    """bench.run's 30 exactness queries (domain terms, random 1-8 character substrings,
    full-width forms): every matching row vs the scan (not timed)."""
    from bench.run import exact_queries
    from index.normalize import match_form
    ref = Reference(index)
    rows, worst = [], 1.0
    for raw in exact_queries({"match": cols["match"]}, seed):
        terms = [t for t in (match_form(x) for x in raw.split()) if t]
        if not terms:
            continue
        q = ref.query(terms)
        total = ref.searcher.search(q, 1, count=True).count
        got = ref.all_rows(q, total)
        want, _ = scan(cols, terms, None)
        union = got | want
        j = len(got & want) / len(union) if union else 1.0
        worst = min(worst, j)
        rows.append({"query": raw, "total": total, "scan_total": len(want), "exact": round(j, 6)})
    return {"n": len(rows), "min_exact": round(worst, 6),
            "mismatches": [r for r in rows if r["exact"] != 1.0 or r["total"] != r["scan_total"]],
            "queries": rows}


# ---------------------------------------------------------------------- CLI

def print_table(res: dict) -> None:
    b = res["build"]
    print(f"tantivy reference: {res['paragraphs']:,} paragraphs, build {b['build_seconds']} s "
          f"(add {b['add_seconds']} s, commit+merge {b['commit_merge_seconds']} s, "
          f"cpu {b['cpu_seconds']} s), peak RSS {b['rss_tree_peak_mb']} MB (tree), "
          f"index {res['index_bytes'] / 1e6:.1f} MB, {b['segments']} segments, "
          f"facets as {res['facet_kind']}")
    hdr = f"{'class':<24}{'total':>9}{'scan':>9}{'exact':>7}{'min':>9}{'p50':>9}{'p95':>9}{'scan ms':>9}"
    print(hdr)
    print("-" * len(hdr))
    for name, c in res["classes"].items():
        print(f"{name:<24}{c['total']:>9,}{c['scan_total']:>9,}{c['exact']:>7.3f}"
              f"{c['min_ms']:>9.2f}{c['p50_ms']:>9.2f}{c['p95_ms']:>9.2f}{c['scan_ms']:>9.0f}")
        for p in c["problems"]:
            print(f"    MISMATCH: {p}")
    e = res["exact_queries"]
    print(f"exactness on bench.run's {e['n']} exactness queries: min {e['min_exact']:.3f}, "
          f"{len(e['mismatches'])} mismatches")
    for m in e["mismatches"]:
        print(f"    MISMATCH: {m}")


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(prog="python -m bench.tantivy_ref", description=__doc__.split("\n")[0])
    ap.add_argument("role", nargs="?", default="run", choices=["run", "_build"],
                    help=argparse.SUPPRESS)
    ap.add_argument("--corpus", required=True, help="folder of report files")
    ap.add_argument("--index", required=True, help="tantivy index folder (rebuilt)")
    ap.add_argument("--runs", type=int, default=30)
    ap.add_argument("--json", help="write the results here")
    ap.add_argument("--facet-kind", choices=["u64", "str"], default="u64",
                    help="facet fast fields: u64 ordinals (default) or raw text")
    ap.add_argument("--heap-mb", type=int, default=256, help="tantivy writer heap (total)")
    ap.add_argument("--threads", type=int, default=2, help="tantivy indexing threads")
    ap.add_argument("--procs", type=int, default=2, help="report-reading processes")
    ap.add_argument("--cols", help="scan columns pickle (default: INDEX.scan.pkl)")
    ap.add_argument("--no-build", action="store_true", help="reuse the index and columns")
    ap.add_argument("--filter-year", default=DEFAULT_FILTER["year"])
    ap.add_argument("--filter-province", default=DEFAULT_FILTER["province"])
    args = ap.parse_args(argv)
    index = Path(args.index)

    if args.role == "_build":
        print(json.dumps(build(args.corpus, index, cols_file(args), args.facet_kind,
                               args.heap_mb, args.threads, args.procs)))
        return

    stamp = Path(str(index.resolve()) + ".build.json")
    if args.no_build:
        b = json.loads(stamp.read_text())
    else:
        b = run_build(args)
        stamp.write_text(json.dumps(b))
    cols = load_cols(cols_file(args))
    filt = {"year": args.filter_year, "province": args.filter_province}
    classes = run_classes(index, cols, args.runs, filt)
    extra = run_exact_queries(index, cols)
    res = {"paragraphs": b["paragraphs"], "build_seconds": b["build_seconds"],
           "index_bytes": b["index_bytes"], "index_du_bytes": b.get("index_du_bytes"),
           "peak_rss_mb": b["rss_tree_peak_mb"], "facet_kind": args.facet_kind,
           "tantivy": _tantivy_version(), "runs": args.runs, "filter": filt,
           "build": b, "classes": classes, "exact_queries": extra}
    print_table(res)
    if args.json:
        Path(args.json).write_text(json.dumps(res, ensure_ascii=False, indent=1))


def _tantivy_version() -> str:
    try:
        from importlib.metadata import version
        return version("tantivy")
    except Exception:
        return "?"


if __name__ == "__main__":
    main()
