"""Benchmark runner: build our index and time the search API at given corpus sizes.

    python -m bench.run --sizes 10k,100k --out bench/out
    python -m bench.run --sizes 1m --out bench/out --naive-max 100k     # later, adds to RESULTS.md

For every size (paragraphs; reports = paragraphs / 50) it
1. generates the corpus with bench.generate (kept in OUT/<size>/corpus and reused when the
   same --reports/--seed made it),
2. reads every report once with the pipeline into OUT/<size>/paragraphs.pkl (the texts the
   scan baseline, the naive baseline and the exactness check use),
3. builds our index from scratch in a subprocess (wall time, MB/s, paragraphs/s, size on
   disk, peak RSS of the build process and its worker processes, CPU use),
4. opens a serving searcher in a fresh subprocess, warms it up, reads its RSS, and times
   every query class (top 20 + all facet counts + highlights) over --runs runs,
5. times the brute-force scan (bench.baselines.scan_search over the match-form texts held in
   memory) and, up to --naive-max, the naive Whoosh + jieba ChineseAnalyzer recipe, each in
   its own subprocess, on the same query classes,
6. checks exactness: our exact hits vs the scan on 30 queries (recall and precision),
7. measures the incremental cost: one new report added, then an unchanged re-run,
8. with --profile, profiles the slowest query class and (at the smallest size, one process)
   the build with cProfile.

Each size's results go to OUT/<size>/results.json; bench/RESULTS.md is rendered from every
results.json under OUT, so sizes run at different times end up in one table.
Every measured step runs in its own process (`python -m bench.run _worker ROLE ARGS_JSON`) so
that memory and warm caches of one step never leak into another.
"""
from __future__ import annotations

import argparse
import json
import os
import pickle
import platform
import random
import resource
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS_MD = ROOT / "bench" / "RESULTS.md"
PARAGRAPHS_PER_REPORT = 50
FACETS = ("year", "province", "level", "section", "issuer_type")
NAIVE_FACETS = ("level", "province", "city", "year", "section")

# The query classes of issue 6. `filters` is filled in per corpus (its biggest province
# and year); `offset` 500 is the deep page.
CLASSES = [
    {"name": "common term", "query": "法治"},
    {"name": "rare term", "query": "首违不罚"},
    {"name": "exact phrase", "query": "出庭应诉率"},
    {"name": "2-term AND", "query": "行政复议 败诉率"},
    {"name": "filtered year+province", "query": "法治", "filtered": True},
    {"name": "fuzzy mode", "query": "法治政府建设", "mode": "fuzzy"},
    {"name": "deep page offset 500", "query": "法治", "offset": 500},
]

# Exactness: domain terms (some frequent, some rare, one Traditional, one full-width).
DOMAIN_TERMS = ["法治", "首违不罚", "出庭应诉率", "行政复议", "败诉率", "合法性审查",
                "府院联动", "行政執法", "ｉｓｏ", "一网通办"]
N_EXACT_QUERIES = 30

TARGETS = {
    "100k": {"p95_ms": 50, "beat_scan": True},
    "1m": {"p95_ms": 250, "serve_rss_mb": 2048, "build_s": 900, "add_one_s": 2,
           "rerun_s": 60},
}


# ---------------------------------------------------------------------- helpers

def parse_size(s: str) -> int:
    s = s.strip().lower()
    mult = {"k": 1_000, "m": 1_000_000}.get(s[-1:], 1)
    return int(float(s[:-1] if s[-1:] in "km" else s) * mult)


def size_label(n: int) -> str:
    if n >= 1_000_000 and n % 1_000_000 == 0:
        return f"{n // 1_000_000}m"
    if n >= 1_000 and n % 1_000 == 0:
        return f"{n // 1_000}k"
    return str(n)


def dir_size(path: Path) -> int:
    return sum(f.stat().st_size for f in Path(path).rglob("*") if f.is_file())


def rss_mb(pid="self", key="VmRSS") -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _tree_pids(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        for task in Path(f"/proc/{p}/task").glob("*"):
            try:
                todo.extend(int(c) for c in (task / "children").read_text().split())
            except OSError:
                pass
    return out


class TreeRSSSampler:
    """Samples the summed RSS of a process and all its descendants; keeps the peak."""

    def __init__(self, pid: int, interval: float = 0.2):
        self.pid, self.interval, self.peak_mb = pid, interval, 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        while not self._stop.is_set():
            try:
                total = sum(rss_mb(p) for p in _tree_pids(self.pid))
                self.peak_mb = max(self.peak_mb, total)
            except OSError:
                pass
            self._stop.wait(self.interval)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def percentiles(samples: list[float]) -> dict:
    """median, p95, p99 (nearest rank) in milliseconds of samples given in seconds."""
    xs = sorted(samples)
    n = len(xs)

    def rank(p):
        return xs[min(n - 1, max(0, int(-(-p * n // 100)) - 1))] * 1000

    return {"runs": n, "median": round(rank(50), 2), "p95": round(rank(95), 2),
            "p99": round(rank(99), 2), "mean": round(sum(xs) / n * 1000, 2)}


def time_runs(fn, runs: int, budget_s: float | None = None, min_runs: int = 10) -> list[float]:
    """Latencies (s) of `runs` calls of fn; stops early after `budget_s` once min_runs done."""
    out = []
    start = time.perf_counter()
    for i in range(runs):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
        if budget_s is not None and i + 1 >= min_runs and time.perf_counter() - start > budget_s:
            break
    return out


def run_worker(role: str, args: dict, log_path: Path, sample_tree: bool = False) -> dict:
    """Run `role` in a fresh interpreter; returns its JSON result (+ wall, peak tree RSS)."""
    cmd = [sys.executable, "-m", "bench.run", "_worker", role, json.dumps(args)]
    load_before = os.getloadavg()[0]
    t0 = time.perf_counter()
    with open(log_path, "a") as log:
        log.write(f"\n=== {role} {json.dumps(args, ensure_ascii=False)}\n")
        log.flush()
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=log, text=True)
        sampler = TreeRSSSampler(proc.pid) if sample_tree else None
        if sampler:
            sampler.__enter__()
        out, _ = proc.communicate()
        if sampler:
            sampler.__exit__(None, None, None)
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        raise RuntimeError(f"worker {role} failed (exit {proc.returncode}); see {log_path}")
    result = json.loads(out.strip().splitlines()[-1])
    result["process_wall_s"] = round(wall, 2)
    # Other sessions may commit to index/ and searcher/ during a long run: say which code ran.
    result["code"] = _code_rev()
    # Other processes on the machine compete for the 2 cores: keep the load next to the times.
    result["loadavg"] = [round(load_before, 2), round(os.getloadavg()[0], 2)]
    if sampler:
        result["peak_tree_rss_mb"] = round(sampler.peak_mb, 1)
    return result


def say(msg: str) -> None:
    print(time.strftime("%H:%M:%S"), msg, flush=True)


# ---------------------------------------------------------------------- corpus

def ensure_corpus(out: Path, reports: int, seed: int) -> dict:
    corpus = out / "corpus"
    stamp = out / "corpus.json"
    if stamp.exists():
        info = json.loads(stamp.read_text())
        if info.get("reports") == reports and info.get("seed") == seed and corpus.exists():
            return info
    if corpus.exists():
        shutil.rmtree(corpus)
    res = subprocess.run([sys.executable, "-m", "bench.generate", "--reports", str(reports),
                          "--seed", str(seed), "--out", str(corpus)],
                         cwd=ROOT, check=True, capture_output=True, text=True)
    info = json.loads(res.stdout.strip().splitlines()[-1])
    info["seed"] = seed
    stamp.write_text(json.dumps(info))
    return info


def _read_one(path: str):
    from index.normalize import match_form
    from index.pipeline import read_report
    r = read_report(path)
    m = r.meta
    rows = []
    for p in r.paragraphs:
        rows.append((p.id, p.text, match_form(p.text),
                     str(m.year) if m.year else "", m.province or "", m.city or "",
                     m.level or "", p.section, m.issuer_type or ""))
    return rows


def ensure_paragraphs(out: Path, corpus_info: dict) -> Path:
    """Every paragraph of the corpus as the pipeline reads it, as columns in a pickle."""
    path = out / "paragraphs.pkl"
    stamp = out / "paragraphs.json"
    if path.exists() and stamp.exists() and json.loads(stamp.read_text()) == corpus_info:
        return path
    import multiprocessing as mp
    files = sorted(str(f) for f in (out / "corpus").glob("*.txt"))
    cols = {k: [] for k in ("id", "text", "match", "year", "province", "city", "level",
                            "section", "issuer_type")}
    keys = list(cols)
    with mp.get_context("fork").Pool(os.cpu_count() or 2) as pool:
        for rows in pool.imap(_read_one, files, chunksize=8):
            for row in rows:
                for k, v in zip(keys, row):
                    cols[k].append(v)
    with open(path, "wb") as f:
        pickle.dump(cols, f, protocol=pickle.HIGHEST_PROTOCOL)
    stamp.write_text(json.dumps(corpus_info))
    return path


def load_paragraphs(path) -> dict:
    with open(path, "rb") as f:
        return pickle.load(f)


def pick_filter(paras: dict) -> dict:
    """The year and the province with the most paragraphs: a realistic filtered search."""
    from collections import Counter
    year = Counter(y for y in paras["year"] if y).most_common(1)[0][0]
    province = Counter(p for p in paras["province"] if p).most_common(1)[0][0]
    return {"year": year, "province": province}


def exact_queries(paras: dict, seed: int) -> list[str]:
    """DOMAIN_TERMS + random 1–8 character substrings of paragraphs (+ two in full width)."""
    rng = random.Random(f"exact:{seed}")
    texts = paras["match"]
    out = list(DOMAIN_TERMS)
    tries = 0
    while len(out) < N_EXACT_QUERIES - 2 and tries < 10_000:
        tries += 1
        t = texts[rng.randrange(len(texts))]
        n = rng.randint(1, 8)
        if len(t) < n:
            continue
        i = rng.randrange(len(t) - n + 1)
        q = t[i:i + n]
        if '"' in q or q in out:
            continue
        out.append(q)
    # Full-width forms of two random ASCII-bearing substrings: they must find the same.
    while len(out) < N_EXACT_QUERIES and tries < 20_000:
        tries += 1
        t = texts[rng.randrange(len(texts))]
        hits = [i for i, c in enumerate(t) if c.isascii() and c.isalnum()]
        if not hits:
            continue
        i = rng.choice(hits)
        q = t[max(0, i - 2):i + 3]
        if '"' in q:
            continue
        out.append("".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in q))
    return out


# ---------------------------------------------------------------------- workers

def w_build(a: dict) -> dict:
    from index.config import load_config
    from index.writer import update_index
    config = load_config()
    if a.get("procs"):
        config.setdefault("writer", {})["procs"] = a["procs"]
    index = Path(a["index"])
    if index.exists():
        shutil.rmtree(index)
    prof = None
    if a.get("profile"):
        import cProfile
        prof = cProfile.Profile()
        prof.enable()
    t = time.perf_counter()
    summary = update_index([a["corpus"]], index, config=config)
    wall = time.perf_counter() - t
    top = None
    if prof:
        prof.disable()
        top = _write_profile(prof, Path(a["profile"]))
    self_ru = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = self_ru.ru_utime + self_ru.ru_stime + kids.ru_utime + kids.ru_stime
    return {"wall_s": round(wall, 2), "added": summary.added, "failed": len(summary.failed),
            "failures": summary.failed[:5], "cpu_s": round(cpu, 1),
            "cores_busy": round(cpu / wall, 2) if wall else None,
            "rss_main_peak_mb": round(self_ru.ru_maxrss / 1024, 1),
            "rss_worker_peak_mb": round(kids.ru_maxrss / 1024, 1),
            "index_bytes": dir_size(index), "profile_top": top}


def _write_profile(prof, path: Path, top: int = 30) -> list[dict]:
    import io
    import pstats
    buf = io.StringIO()
    st = pstats.Stats(prof, stream=buf)
    st.sort_stats("tottime").print_stats(top)
    st.sort_stats("cumulative").print_stats(top)
    path.write_text(buf.getvalue())
    rows = []
    for (file, line, fn), (cc, nc, tt, ct, _) in st.stats.items():
        rows.append({"function": f"{Path(file).name}:{line}({fn})", "calls": nc,
                     "tottime_s": round(tt, 3), "cumtime_s": round(ct, 3)})
    rows.sort(key=lambda r: -r["tottime_s"])
    return rows[:top]


def _our_call(s, cls: dict, filt: dict):
    kw = {"mode": cls.get("mode", "exact"), "limit": 20, "offset": cls.get("offset", 0)}
    if cls.get("filtered"):
        kw["filters"] = {"year": [filt["year"]], "province": [filt["province"]]}
    q = cls["query"]
    return lambda: s.search(q, **kw)


def w_serve(a: dict) -> dict:
    from searcher import open_searcher
    rss_start = rss_mb()
    t = time.perf_counter()
    s = open_searcher(a["index"])
    open_s = time.perf_counter() - t
    rss_open = rss_mb()
    filt = a["filter"]
    calls = [(cls, _our_call(s, cls, filt)) for cls in CLASSES]
    first = {}
    for cls, fn in calls:  # warm-up: first call separately timed, then a few more
        t = time.perf_counter()
        fn()
        first[cls["name"]] = round((time.perf_counter() - t) * 1000, 1)
        for _ in range(a.get("warmup", 5) - 1):
            fn()
    rss_warm = rss_mb()
    out = {}
    for cls, fn in calls:
        r = fn()
        lat = time_runs(fn, a["runs"])
        out[cls["name"]] = dict(percentiles(lat), total=r["total"], hits=len(r["hits"]),
                                first_call_ms=first[cls["name"]],
                                has_facets=all(r["facets"].get(f) is not None for f in FACETS),
                                has_highlight=all("highlight" in h for h in r["hits"]))
    res = {"open_s": round(open_s, 2), "rss_start_mb": round(rss_start, 1),
           "rss_open_mb": round(rss_open, 1), "rss_warm_mb": round(rss_warm, 1),
           "rss_after_mb": round(rss_mb(), 1), "rss_hwm_mb": round(rss_mb(key="VmHWM"), 1),
           # RssFile: pages of memory-mapped index files (page cache, reclaimable under
           # pressure); RssAnon: the process's own heap (texts, arrays built at open).
           "rss_anon_mb": round(rss_mb(key="RssAnon"), 1),
           "rss_file_mb": round(rss_mb(key="RssFile"), 1),
           "classes": out}
    if a.get("profile"):
        import cProfile
        slow = max(out, key=lambda k: out[k]["p95"])
        fn = dict((c["name"], f) for c, f in calls)[slow]
        prof = cProfile.Profile()
        prof.enable()
        for _ in range(20):
            fn()
        prof.disable()
        res["profile"] = {"class": slow, "runs": 20,
                          "top": _write_profile(prof, Path(a["profile"]))[:12]}
    return res


def w_scan(a: dict) -> dict:
    from collections import Counter

    from bench.baselines import scan_search
    from searcher.words import segment_words
    from index.normalize import match_form
    paras = load_paragraphs(a["paragraphs"])
    texts = paras["match"]
    facets = {f: paras[f] for f in FACETS}
    rss = rss_mb()
    filt = a["filter"]
    year, prov = paras["year"], paras["province"]
    out = {}
    for cls in CLASSES:
        if cls.get("mode") == "fuzzy":
            terms = list(dict.fromkeys(match_form(w) for w in segment_words(cls["query"])
                                       if match_form(w)))
        else:
            terms = [match_form(t) for t in cls["query"].split()]
        if cls.get("filtered"):
            y, p, q = filt["year"], filt["province"], terms

            def fn(y=y, p=p, q=q):
                ids = [i for i, t in enumerate(texts)
                       if year[i] == y and prov[i] == p and all(x in t for x in q)]
                return ids, {f: Counter(v[i] for i in ids) for f, v in facets.items()}
        else:
            def fn(q=terms):
                return scan_search(texts, q, facets)
        ids, _ = fn()
        lat = time_runs(fn, a["runs"], a["budget_s"], a.get("min_runs", 10))
        out[cls["name"]] = dict(percentiles(lat), total=len(ids))
    return {"rss_mb": round(rss, 1), "classes": out}


def _naive_docs(paras: dict):
    for i in range(len(paras["id"])):
        yield {"id": paras["id"][i], "text": paras["text"][i],
               **{f: paras[f][i] or None for f in NAIVE_FACETS}}


def w_naive_build(a: dict) -> dict:
    from bench.baselines import NaiveWhoosh
    paras = load_paragraphs(a["paragraphs"])
    index = Path(a["index"])
    if index.exists():
        shutil.rmtree(index)
    nw = NaiveWhoosh(NAIVE_FACETS)
    t = time.perf_counter()
    nw.build(index, _naive_docs(paras))
    wall = time.perf_counter() - t
    self_ru = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = self_ru.ru_utime + self_ru.ru_stime + kids.ru_utime + kids.ru_stime
    return {"wall_s": round(wall, 2), "cpu_s": round(cpu, 1),
            "cores_busy": round(cpu / wall, 2), "index_bytes": dir_size(index),
            "rss_main_peak_mb": round(self_ru.ru_maxrss / 1024, 1),
            "rss_worker_peak_mb": round(kids.ru_maxrss / 1024, 1)}


def w_naive_query(a: dict) -> dict:
    from bench.baselines import NaiveWhoosh
    nw = NaiveWhoosh(NAIVE_FACETS)
    nw.open(a["index"])
    filt = a["filter"]
    out = {}
    for cls in CLASSES:
        q = cls["query"]
        if cls["name"] == "exact phrase":
            q = f'"{q}"'
        if cls.get("filtered"):
            q = f"{q} year:{filt['year']} province:{filt['province']}"
        limit = 20 + cls.get("offset", 0)

        def fn(q=q, limit=limit):
            return nw.search(q, facets=True, limit=limit)
        for _ in range(2):
            fn()
        _, total, _ = fn()
        lat = time_runs(fn, a["runs"], a["budget_s"], a.get("min_runs", 10))
        out[cls["name"]] = dict(percentiles(lat), total=total, query=q)
    return {"rss_mb": round(rss_mb(), 1), "classes": out}


def w_exact(a: dict) -> dict:
    from index.normalize import match_form
    from searcher import open_searcher
    paras = load_paragraphs(a["paragraphs"])
    s = open_searcher(a["index"])
    ids, texts = paras["id"], paras["match"]
    rows = []
    for q in exact_queries(paras, a["seed"]):
        mq = match_form(q)
        want = {ids[i] for i, t in enumerate(texts) if mq in t}
        t = time.perf_counter()
        r = s.search(f'"{q}"', mode="exact", sort="year_desc", limit=None)
        secs = time.perf_counter() - t
        got = {h["id"] for h in r["hits"]}
        tp = len(want & got)
        row = {"query": q, "scan": len(want), "ours": len(got), "total": r["total"],
               "recall": tp / len(want) if want else 1.0,
               "precision": tp / len(got) if got else 1.0, "seconds": round(secs, 2)}
        if want != got or r["total"] != len(want):
            row["missing"] = sorted(want - got)[:5]
            row["extra"] = sorted(got - want)[:5]
        rows.append(row)
    return {"queries": rows,
            "recall": min(r["recall"] for r in rows),
            "precision": min(r["precision"] for r in rows)}


def w_incremental(a: dict) -> dict:
    from index.writer import update_index
    paths = [a["corpus"], a["extra"]]
    t = time.perf_counter()
    s1 = update_index(paths, a["index"])
    add_s = time.perf_counter() - t
    t = time.perf_counter()
    s2 = update_index(paths, a["index"])
    rerun_s = time.perf_counter() - t
    return {"add_one_s": round(add_s, 2), "add_summary": vars(s1) | {"failed": s1.failed[:3]},
            "rerun_s": round(rerun_s, 2), "rerun_summary": vars(s2) | {"failed": s2.failed[:3]}}


WORKERS = {"build": w_build, "serve": w_serve, "scan": w_scan, "naive_build": w_naive_build,
           "naive_query": w_naive_query, "exact": w_exact, "incremental": w_incremental}


# ---------------------------------------------------------------------- one size

def tantivy_reference(out: Path, res: dict, prev: dict, args, log: Path) -> dict:
    """The exact tantivy index (bench/tantivy_ref.py) built from the same corpus and timed on
    the same classes and filter, in its own process; reused from the previous run of the same
    corpus with --reuse-baselines (it does not depend on our code)."""
    label = res["size"]
    if prev.get("tantivy"):
        say(f"[{label}] tantivy reference: reused from the previous run (same corpus)")
        return dict(prev["tantivy"], reused=prev.get("started"))
    say(f"[{label}] tantivy reference: build and queries")
    path = out / "tantivy.json"
    cmd = [sys.executable, "-m", "bench.tantivy_ref", "--corpus", str(out / "corpus"),
           "--index", str(out / "tantivy_index"), "--runs", str(args.runs), "--json", str(path),
           "--filter-year", str(res["filter"]["year"]),
           "--filter-province", str(res["filter"]["province"])]
    load_before = os.getloadavg()[0]
    with open(log, "a") as fh:
        fh.write(f"\n=== tantivy {' '.join(cmd)}\n")
        fh.flush()
        subprocess.run(cmd, cwd=ROOT, stdout=fh, stderr=fh, check=True)
    t = json.loads(path.read_text())
    t["loadavg"] = [round(load_before, 2), round(os.getloadavg()[0], 2)]
    shutil.rmtree(out / "tantivy_index", ignore_errors=True)
    return t


def bench_size(n: int, args, log: Path) -> dict:
    label = size_label(n)
    out = Path(args.out) / label
    out.mkdir(parents=True, exist_ok=True)
    reports = max(1, round(n / PARAGRAPHS_PER_REPORT))
    res = {"size": label, "target_paragraphs": n, "reports": reports, "seed": args.seed,
           "command": args.command, "started": time.strftime("%Y-%m-%d %H:%M:%S"),
           "machine": machine_info()}

    prev = {}  # read before this run overwrites results.json
    if args.reuse_baselines and (out / "results.json").exists():
        prev = json.loads((out / "results.json").read_text())
    say(f"[{label}] corpus: {reports} reports")
    res["corpus"] = ensure_corpus(out, reports, args.seed)
    say(f"[{label}] corpus {res['corpus']}")
    t = time.perf_counter()
    ppath = ensure_paragraphs(out, res["corpus"])
    paras = load_paragraphs(ppath)
    res["paragraphs"] = len(paras["id"])
    res["pipeline_read_s"] = round(time.perf_counter() - t, 1)
    filt = pick_filter(paras)
    res["filter"] = filt
    del paras
    say(f"[{label}] {res['paragraphs']} paragraphs; filter {filt}")

    index = out / "index"
    say(f"[{label}] building our index")
    b = run_worker("build", {"corpus": str(out / "corpus"), "index": str(index)}, log,
                   sample_tree=True)
    mb = res["corpus"]["bytes"] / 1e6
    b["mb_per_s"] = round(mb / b["wall_s"], 3)
    b["paragraphs_per_s"] = round(res["paragraphs"] / b["wall_s"], 1)
    res["build"] = b
    say(f"[{label}] build {b}")
    save(out, res)

    say(f"[{label}] serving searcher: {args.runs} runs per class")
    sv = {"index": str(index), "filter": filt, "runs": args.runs}
    if args.profile:
        sv["profile"] = str(out / "profile_query.txt")
    res["ours"] = run_worker("serve", sv, log)
    say(f"[{label}] ours: " + ", ".join(f"{k} p95 {v['p95']}ms"
                                        for k, v in res["ours"]["classes"].items()))
    save(out, res)

    if prev.get("corpus") != res["corpus"] or prev.get("filter") != filt:
        prev = {}
    if prev.get("scan"):
        say(f"[{label}] scan baseline: reused from the previous run (same corpus)")
        res["scan"] = dict(prev["scan"], reused=prev.get("started"))
    else:
        say(f"[{label}] scan baseline")
        res["scan"] = run_worker("scan", {"paragraphs": str(ppath), "filter": filt,
                                          "runs": args.runs,
                                          "budget_s": args.baseline_seconds}, log)
    save(out, res)

    if args.tantivy:
        res["tantivy"] = tantivy_reference(out, res, prev, args, log)
        save(out, res)

    if prev.get("naive") and prev.get("naive_build"):
        say(f"[{label}] naive baseline: reused from the previous run (same corpus)")
        res["naive_build"] = dict(prev["naive_build"], reused=prev.get("started"))
        res["naive"] = dict(prev["naive"], reused=prev.get("started"))
    elif n <= parse_size(args.naive_max):
        nidx = out / "naive_index"
        say(f"[{label}] naive Whoosh build")
        res["naive_build"] = run_worker("naive_build", {"paragraphs": str(ppath),
                                                        "index": str(nidx)}, log,
                                        sample_tree=True)
        say(f"[{label}] naive build {res['naive_build']}")
        res["naive"] = run_worker("naive_query", {"index": str(nidx), "filter": filt,
                                                  "runs": args.runs,
                                                  "budget_s": args.baseline_seconds}, log)
        save(out, res)
        if not args.keep_naive:
            shutil.rmtree(nidx, ignore_errors=True)

    say(f"[{label}] exactness vs scan")
    res["exact"] = run_worker("exact", {"paragraphs": str(ppath), "index": str(index),
                                        "seed": args.seed}, log)
    for row in res["exact"]["queries"]:
        if "missing" in row or "extra" in row:
            print(f"  EXACTNESS DISCREPANCY {row}", flush=True)
    say(f"[{label}] exact recall {res['exact']['recall']} precision "
        f"{res['exact']['precision']}")
    save(out, res)

    say(f"[{label}] incremental")
    extra = out / "extra"
    if extra.exists():
        shutil.rmtree(extra)
    extra.mkdir()
    tmp = out / "gen_plus_one"
    if tmp.exists():
        shutil.rmtree(tmp)
    subprocess.run([sys.executable, "-m", "bench.generate", "--reports", str(reports + 1),
                    "--seed", str(args.seed), "--out", str(tmp)], cwd=ROOT, check=True,
                   capture_output=True)
    last = sorted(tmp.glob("gen_*.txt"))[-1]
    shutil.copy(last, extra / last.name)
    shutil.rmtree(tmp)
    res["incremental"] = run_worker("incremental", {"corpus": str(out / "corpus"),
                                                    "extra": str(extra),
                                                    "index": str(index)}, log)
    say(f"[{label}] incremental {res['incremental']}")
    res["finished"] = time.strftime("%Y-%m-%d %H:%M:%S")
    save(out, res)
    return res


def save(out: Path, res: dict) -> None:
    (out / "results.json").write_text(json.dumps(res, ensure_ascii=False, indent=1))


def machine_info() -> dict:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = 0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                ram = int(line.split()[1]) // 1024
    except OSError:
        pass
    from importlib.metadata import version
    return {"nproc": os.cpu_count(), "ram_mb": ram, "cpu": cpu,
            "python": platform.python_version(), "whoosh": version("Whoosh"),
            "jieba": version("jieba"), "numpy": version("numpy"),
            "git": _git_rev()}


def _code_rev() -> str:
    """HEAD, plus "+dirty" when index/ or searcher/ differ from it."""
    try:
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "index", "searcher"],
                               cwd=ROOT, text=True, capture_output=True).stdout.strip()
    except OSError:
        dirty = ""
    return _git_rev() + ("+dirty" if dirty else "")


def _git_rev() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, text=True,
                              capture_output=True).stdout.strip()
    except OSError:
        return ""


# ---------------------------------------------------------------------- report

def _fmt(x, nd=1):
    if x is None:
        return "—"
    if isinstance(x, float):
        return f"{x:,.{nd}f}"
    return f"{x:,}"


def _ratio(a, b):
    return f"{a / b:.1f}×" if a and b else "—"


def render(out_dir: Path) -> str:
    results = []
    for p in Path(out_dir).glob("*/results.json"):
        r = json.loads(p.read_text())
        if "ours" in r:
            results.append(r)
    results.sort(key=lambda r: r["target_paragraphs"])
    if not results:
        return "# Benchmark results\n\nNo results yet.\n"
    m = results[-1]["machine"]
    L = ["# Benchmark results", "",
         "Generated by `bench/run.py` (see bench/README.md). Latencies are milliseconds of "
         "`Searcher.search(query, limit=20, …)`, which returns the top 20 hits with "
         "highlights and snippets plus every facet's counts; warm searcher, each class "
         "timed after a warm-up. Ratios are baseline / ours (above 1× means we are faster).",
         "",
         f"Machine: {m['nproc']} cores, {m['ram_mb'] / 1024:.1f} GB RAM, {m['cpu']}; "
         f"Python {m['python']}, Whoosh {m['whoosh']}, jieba {m['jieba']}, numpy {m['numpy']}.",
         ""]
    L += render_side_by_side(results)
    for r in results:
        L += render_size(r)
    L += render_targets(results)
    return "\n".join(L) + "\n"


def render_size(r: dict) -> list[str]:
    b = r["build"]
    L = [f"## {r['size']} paragraphs", "",
         f"Command: `{r['command']}` (git {r['machine'].get('git', '?')}, "
         f"{r['started']} – {r.get('finished', 'unfinished')})", "",
         f"Corpus: {r['reports']:,} reports, {r['paragraphs']:,} paragraphs, "
         f"{r['corpus']['bytes'] / 1e6:.1f} MB (seed {r['seed']}). "
         f"Filtered class: year {r['filter']['year']}, province {r['filter']['province']}.",
         "", "### Build", "",
         "| | ours | naive Whoosh + ChineseAnalyzer |", "|---|---|---|"]
    nb = r.get("naive_build") or {}

    def row(name, a, bb):
        L.append(f"| {name} | {a} | {bb} |")
    row("wall time", f"{b['wall_s']:,.1f} s", f"{nb['wall_s']:,.1f} s" if nb else "not run")
    row("throughput", f"{b['mb_per_s']:.2f} MB/s, {b['paragraphs_per_s']:,.0f} paragraphs/s",
        f"{r['corpus']['bytes'] / 1e6 / nb['wall_s']:.2f} MB/s, "
        f"{r['paragraphs'] / nb['wall_s']:,.0f} paragraphs/s" if nb else "")
    row("CPU (cores busy on average)", f"{b['cpu_s']:,.0f} s ({b['cores_busy']})",
        f"{nb['cpu_s']:,.0f} s ({nb['cores_busy']})" if nb else "")
    row("index on disk", f"{b['index_bytes'] / 1e6:,.1f} MB",
        f"{nb['index_bytes'] / 1e6:,.1f} MB" if nb else "")
    row("peak RSS: main / largest worker / whole tree (sampled)",
        f"{b['rss_main_peak_mb']:,.0f} / {b['rss_worker_peak_mb']:,.0f} / "
        f"{b.get('peak_tree_rss_mb', 0):,.0f} MB",
        f"{nb['rss_main_peak_mb']:,.0f} / {nb['rss_worker_peak_mb']:,.0f} / "
        f"{nb.get('peak_tree_rss_mb', 0):,.0f} MB" if nb else "")
    if b.get("failed"):
        L.append(f"\n{b['failed']} files failed to index: {b['failures']}")
    o = r["ours"]
    L += ["", f"Serving process: opens in {o['open_s']} s; RSS {o['rss_open_mb']:,.0f} MB "
          f"after open, {o['rss_warm_mb']:,.0f} MB after warm-up, {o['rss_after_mb']:,.0f} MB "
          f"after all runs (high-water mark {o['rss_hwm_mb']:,.0f} MB"
          + (f"; of it {o['rss_anon_mb']:,.0f} MB heap (RssAnon) and {o['rss_file_mb']:,.0f} MB "
             "memory-mapped index files (RssFile)" if "rss_anon_mb" in o else "")
          + (f"; {o['rss_split_note']}" if o.get("rss_split_note") else "") + "). "
          + (f"Scan process holding the texts: {r['scan']['rss_mb']:,.0f} MB"
             if r.get("scan") else "Scan not run yet")
          + (f"; naive searcher: {r['naive']['rss_mb']:,.0f} MB." if r.get("naive") else "."),
          "", "### Queries", "",
          "| class | hits (ours / scan / naive) | ours median / p95 / p99 ms (runs) | "
          "scan median / p95 ms (runs) | naive median / p95 ms (runs) | "
          "scan ÷ ours (p95) | naive ÷ ours (p95) |",
          "|---|---|---|---|---|---|---|"]
    for name, c in o["classes"].items():
        s = (r.get("scan") or {}).get("classes", {}).get(name, {})
        nv = (r.get("naive") or {}).get("classes", {}).get(name)
        L.append(
            f"| {name} | {c['total']:,} / {s.get('total', 0):,} / "
            f"{_fmt(nv['total']) if nv else '—'} | "
            f"{c['median']} / {c['p95']} / {c['p99']} ({c['runs']}) | "
            f"{s.get('median')} / {s.get('p95')} ({s.get('runs')}) | "
            + (f"{nv['median']} / {nv['p95']} ({nv['runs']})" if nv else "not run") + " | "
            f"{_ratio(s.get('p95'), c['p95'])} | "
            f"{_ratio(nv['p95'], c['p95']) if nv else '—'} |")
    reused = (r.get("scan") or {}).get("reused") or (r.get("naive") or {}).get("reused")
    if reused:
        L += ["", f"Baseline numbers reused from the run started {reused} on the same corpus "
              "(`--reuse-baselines`)."]
    L += ["", "Scan = match set + facet counts only (no ranking, no highlights); naive = top "
          "hits + `groupedby` facet counts, no highlights; its fuzzy class is the same query "
          "through its word analyzer and its hit counts follow jieba's words, not substrings. "
          "The filtered scan checks the filter before the substring. Deep page: the scan "
          "does not rank, so it costs what the common term costs.", ""]
    steps = [(k, r[k].get("loadavg")) for k in ("build", "ours", "scan", "naive_build", "naive")
             if isinstance(r.get(k), dict) and r[k].get("loadavg")]
    if steps:
        code_steps = [(k, r[k]["code"]) for k in ("build", "ours", "exact", "incremental")
                      if isinstance(r.get(k), dict) and r[k].get("code")]
        if len({c for _, c in code_steps}) > 1:
            L += ["Code under test changed during this run (git revision per step: "
                  + ", ".join(f"{k} {c}" for k, c in code_steps) + ").", ""]
        L += ["Machine load (1-minute load average before → after each step; above 2 means "
              "other processes competed for the 2 cores): "
              + ", ".join(f"{k} {a} → {b}" for k, (a, b) in steps) + ".", ""]
    e = r.get("exact")
    if e:
        bad = [q for q in e["queries"] if "missing" in q or "extra" in q]
        L += ["### Exactness (ours vs scan, 30 queries)", "",
              f"Minimum recall {e['recall']}, minimum precision {e['precision']}"
              + (f"; {len(bad)} discrepancies: " + "; ".join(
                  f"`{q['query']}` scan {q['scan']} ours {q['ours']} missing {q['missing']} "
                  f"extra {q['extra']}" for q in bad) if bad else "; no discrepancy.")
              + " Queries: " + ", ".join(f"`{q['query']}` ({q['scan']:,})"
                                         for q in e["queries"]) + ".", ""]
    inc = r.get("incremental")
    if inc:
        L += ["### Incremental", "",
              f"Add one new report to the built index: {inc['add_one_s']} s "
              f"(added {inc['add_summary']['added']}); re-run on the unchanged corpus: "
              f"{inc['rerun_s']} s (unchanged {inc['rerun_summary']['unchanged']}).", ""]
    prof = o.get("profile")
    if prof:
        L += [f"### Profile of the slowest class ({prof['class']}, {prof['runs']} runs, "
              f"cProfile, by own time)", "", "| function | calls | own s | cumulative s |",
              "|---|---|---|---|"]
        for p in prof["top"][:10]:
            L.append(f"| `{p['function']}` | {p['calls']:,} | {p['tottime_s']} | "
                     f"{p['cumtime_s']} |")
        L.append("")
    bp = r.get("build_profile")
    if bp:
        L += [f"### Profile of the build ({bp['note']}, by own time)", "",
              "| function | calls | own s | cumulative s |", "|---|---|---|---|"]
        for p in bp["top"][:12]:
            L.append(f"| `{p['function']}` | {p['calls']:,} | {p['tottime_s']} | "
                     f"{p['cumtime_s']} |")
        L.append("")
    return L


def render_side_by_side(results: list[dict]) -> list[str]:
    """Ours beside the exact tantivy index, per size, and issue 10's targets."""
    rows = [r for r in results if r.get("tantivy")]
    if not rows:
        return []
    L = ["## Side by side with the exact tantivy reference (issue 10)", "",
         "Same corpus, classes and filter; ours = top 20 + every facet count + highlights, "
         "snippets and citations; tantivy (`bench/tantivy_ref.py`: tantivy-py over character "
         "unigrams + bigrams, a term = phrase of its bigrams, exact) = top 20 + facet counts + "
         "stored text. p95 ms; ratio = ours ÷ tantivy (target ≤ 2).", ""]
    for r in rows:
        t, c = r["tantivy"], r["ours"]["classes"]
        L += [f"### {r['size']} paragraphs ({r['paragraphs']:,}; git "
              f"{r['machine'].get('git', '?')}; load ours {r['ours'].get('loadavg', '?')}, "
              f"tantivy {t.get('loadavg', '?')}{', reused' if t.get('reused') else ''})", "",
              "| class | hits | ours p95 | tantivy p95 | ours ÷ tantivy |", "|---|---|---|---|---|"]
        for k, v in c.items():
            tv = t["classes"].get(k)
            if not tv:
                continue
            ratio = v["p95"] / tv["p95_ms"] if tv["p95_ms"] else float("inf")
            L.append(f"| {k} | {v['total']:,} | {v['p95']} | {tv['p95_ms']} | "
                     f"{ratio:.1f}× {'✓' if ratio <= 2 else '✗'} |")
        b, ours = r["build"], r["ours"]
        disk = b["index_bytes"] / t["index_bytes"]
        L += ["", "| | ours | tantivy | ours ÷ tantivy |", "|---|---|---|---|",
              f"| index on disk | {b['index_bytes'] / 1e6:,.1f} MB | "
              f"{t['index_bytes'] / 1e6:,.1f} MB | {disk:.2f}× |",
              f"| build wall (reading the files included in both) | {b['wall_s']:,.0f} s "
              f"({b['cores_busy']} cores busy) | {t['build_seconds']:,.0f} s | "
              f"{b['wall_s'] / t['build_seconds']:.2f}× |",
              f"| serving RSS after the queries (high-water) / open time | "
              f"{ours['rss_after_mb']:,.0f} ({ours['rss_hwm_mb']:,.0f}) MB / "
              f"{ours['open_s']} s | — | |", ""]
    return L


def render_targets(results: list[dict]) -> list[str]:
    L = ["## Targets of issue 6", "", "| target | measured | met |", "|---|---|---|"]
    by = {r["size"]: r for r in results}

    def line(t, v, ok):
        L.append(f"| {t} | {v} | {'yes' if ok else 'NO'} |")
    r = by.get("100k")
    if r:
        c = r["ours"]["classes"]
        worst = max(c, key=lambda k: c[k]["p95"])
        line("100k: every class p95 ≤ 50 ms", f"worst {worst} {c[worst]['p95']} ms",
             c[worst]["p95"] <= 50)
        sc = (r.get("scan") or {}).get("classes", {})
        slower = [k for k in c if k in sc and c[k]["p95"] >= sc[k]["p95"]]
        if sc:
            line("100k: faster than the scan in every class (p95)",
                 "slower in: " + ", ".join(slower) if slower else "faster in all", not slower)
    r = by.get("1m")
    if r:
        c = r["ours"]["classes"]
        worst = max(c, key=lambda k: c[k]["p95"])
        line("1M: every class p95 ≤ 250 ms", f"worst {worst} {c[worst]['p95']} ms",
             c[worst]["p95"] <= 250)
        line("1M: serving RSS < 2 GB", f"{r['ours']['rss_hwm_mb']:,.0f} MB",
             r["ours"]["rss_hwm_mb"] < 2048)
        b = r["build"]
        line("1M: build ≤ 15 min using both cores",
             f"{b['wall_s']:,.0f} s, {b['cores_busy']} cores busy", b["wall_s"] <= 900)
        inc = r.get("incremental")
        if inc:
            line("1M: add one report ≤ 2 s", f"{inc['add_one_s']} s", inc["add_one_s"] <= 2)
            line("1M: unchanged re-run ≤ 1 min", f"{inc['rerun_s']} s", inc["rerun_s"] <= 60)
    else:
        L.append("| 1M targets | not measured in these results | — |")
    for r in results:
        e = r.get("exact")
        if e:
            line(f"{r['size']}: exactness 1.0", f"recall {e['recall']}, precision "
                 f"{e['precision']}", e["recall"] == 1.0 and e["precision"] == 1.0)
    L.append("")
    return L


# ---------------------------------------------------------------------- main

def main(argv=None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "_worker":
        role, a = argv[1], json.loads(argv[2])
        print(json.dumps(WORKERS[role](a), ensure_ascii=False))
        return 0
    ap = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="10k,100k",
                    help="comma-separated paragraph counts: 10k,100k,1m")
    ap.add_argument("--out", default="bench/out", help="working folder (corpora, indexes)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--runs", type=int, default=100, help="timed runs per query class (ours)")
    ap.add_argument("--baseline-seconds", type=float, default=30.0,
                    help="time budget per class for the scan and naive baselines "
                         "(at least 10 runs, at most --runs)")
    ap.add_argument("--naive-max", default="100k",
                    help="largest size at which the naive Whoosh baseline is built")
    ap.add_argument("--reuse-baselines", action="store_true",
                    help="take the scan and naive results from OUT/<size>/results.json when "
                         "it was made from the same corpus (they do not depend on our code)")
    ap.add_argument("--keep-naive", action="store_true", help="keep the naive index on disk")
    ap.add_argument("--tantivy", action="store_true",
                    help="also build and time the exact tantivy reference (bench/tantivy_ref.py; "
                         "`pip install -e '.[bench]'`) on the same corpus")
    ap.add_argument("--profile", action="store_true",
                    help="cProfile the slowest query class, and the build of the smallest "
                         "size (if at most 100k) in one process")
    ap.add_argument("--render-only", action="store_true",
                    help="only rewrite bench/RESULTS.md from OUT/*/results.json")
    ap.add_argument("--results", default=str(RESULTS_MD), help="Markdown file to write")
    args = ap.parse_args(argv)
    args.command = "python -m bench.run " + " ".join(argv)
    out = Path(args.out)
    if not out.is_absolute():
        out = ROOT / out
    args.out = str(out)
    out.mkdir(parents=True, exist_ok=True)
    if not args.render_only:
        sizes = sorted(parse_size(s) for s in args.sizes.split(",") if s.strip())
        log = out / "run.log"
        for i, n in enumerate(sizes):
            res = bench_size(n, args, log)
            # A one-process build under cProfile takes ~3x the build: only at small sizes.
            if args.profile and i == 0 and n <= 100_000:
                say(f"[{res['size']}] profiling the build in one process")
                label = res["size"]
                pf = out / label / "profile_build.txt"
                pb = run_worker("build", {"corpus": str(out / label / "corpus"),
                                          "index": str(out / label / "index_profile"),
                                          "procs": 1, "profile": str(pf)}, log)
                shutil.rmtree(out / label / "index_profile", ignore_errors=True)
                top = pb["profile_top"]
                res["build_profile"] = {"note": f"{label}, writer.procs=1, "
                                                f"{pb['wall_s']} s under cProfile",
                                        "top": top}
                save(out / label, res)
            Path(args.results).write_text(render(out))
            say(f"wrote {args.results}")
    Path(args.results).write_text(render(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
