"""What indicator extraction costs the build: python -m bench.indicators_build --reports 2000
[--out DIR] [--results FILE]

Generates (or reuses) a `bench.generate --seed 1` corpus, builds the index from it as
bench/run.py does (index.writer.update_index, the configured worker processes), and then,
in this process, runs `segment_arrays` (index/indicators.py, what every segment write calls)
over the match-form text of every paragraph of the same corpus, in segment-sized chunks.

The share reported is extraction CPU seconds / whole-build CPU seconds (main process and
workers). The build's wall time on a shared machine moves with the load; CPU seconds of the
same work move much less, and the build keeps both cores busy, so the CPU share is the share
of wall time that extraction adds. Extraction is per paragraph, so its cost at 1M is the
100k figure times the paragraph ratio; the script prints that estimate against the 1M build
CPU recorded in bench/RESULTS.md when --build-cpu-1m is given.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

CHUNK = 5000        # paragraphs per timed call (a segment's order of size)


def ensure_corpus(out: Path, reports: int) -> Path:
    corpus = out / "corpus"
    if not (corpus / "manifest.jsonl").exists():
        subprocess.run([sys.executable, "-m", "bench.generate", "--reports", str(reports),
                        "--seed", "1", "--out", str(corpus)], check=True)
    return corpus


def _cpu() -> float:
    s = resource.getrusage(resource.RUSAGE_SELF)
    k = resource.getrusage(resource.RUSAGE_CHILDREN)
    return s.ru_utime + s.ru_stime + k.ru_utime + k.ru_stime


def build_cost(corpus: Path, index: Path) -> dict:
    from index.config import load_config
    from index.writer import update_index
    if index.exists():
        shutil.rmtree(index)
    cpu0, t0 = _cpu(), time.perf_counter()
    summary = update_index([str(corpus)], index, config=load_config())
    return {"wall_s": time.perf_counter() - t0, "cpu_s": _cpu() - cpu0,
            "reports": summary.added}


def match_texts(corpus: Path) -> list[str]:
    import multiprocessing as mp

    from bench.run import _read_one
    files = sorted(str(f) for f in corpus.glob("*.txt"))
    texts = []
    with mp.get_context("fork").Pool(os.cpu_count() or 2) as pool:
        for rows in pool.imap(_read_one, files, chunksize=8):
            texts.extend(r[2] for r in rows)
    return texts


def extraction_cost(texts: list[str], rounds: int = 3) -> dict:
    from index.indicators import segment_arrays
    best = None
    statements = 0
    for _ in range(rounds):
        t0 = time.process_time()
        n = 0
        for i in range(0, len(texts), CHUNK):
            arrays, _vocab = segment_arrays(texts[i:i + CHUNK])
            n += len(arrays["ind_doc"])
        took = time.process_time() - t0
        best = took if best is None else min(best, took)
        statements = n
    return {"cpu_s": best, "statements": statements, "paragraphs": len(texts)}


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--reports", type=int, default=2000)
    ap.add_argument("--out", default="/tmp/indicators_build")
    ap.add_argument("--no-build", action="store_true", help="time extraction only")
    ap.add_argument("--build-cpu-1m", type=float, default=None,
                    help="CPU seconds of the 1M build (bench/RESULTS.md) for the estimate")
    ap.add_argument("--paragraphs-1m", type=int, default=1_064_670)
    args = ap.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    corpus = ensure_corpus(out, args.reports)
    result = {"reports": args.reports, "load_before": os.getloadavg()[0]}
    if not args.no_build:
        result["build"] = build_cost(corpus, out / "index")
    texts = match_texts(corpus)
    result["extraction"] = ext = extraction_cost(texts)
    result["load_after"] = os.getloadavg()[0]
    ext["us_per_paragraph"] = ext["cpu_s"] / max(1, ext["paragraphs"]) * 1e6
    if "build" in result:
        result["share_of_build_cpu"] = ext["cpu_s"] / result["build"]["cpu_s"]
    if args.build_cpu_1m:
        est = ext["us_per_paragraph"] * args.paragraphs_1m / 1e6
        result["estimate_1m"] = {"extraction_cpu_s": est,
                                 "share_of_build_cpu": est / args.build_cpu_1m}
    print(json.dumps(result, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
