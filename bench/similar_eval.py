"""Near-duplicate paragraphs against the generator's ground truth, and what they cost.

    python -m bench.generate --reports 2000 --seed 1 --out /tmp/c2000
    python -m bench.similar_eval --corpus /tmp/c2000 --index /tmp/c2000.index [--results bench/RESULTS.md]

1. Builds the index of the corpus (unless --index already holds one), timing the signature
   step (index.similar.signature_arrays, called by the side-array builder for every
   segment written, merges included) inside the whole build.
2. Maps every indexed paragraph to the source unit it was generated from (manifest.jsonl
   `sources`, bench/generate.py), by the match form of its text.
3. For a random sample of the compared paragraphs (body text of at least min_chars), takes
   its near-duplicates (searcher.similar.near_duplicates) and the paragraphs of other
   reports from the same unit: precision and recall of the pairs, summed over the sample
   (each pair of the corpus counted from a sampled end, so both are estimates of the pair
   counts of the whole corpus).
4. Times the lazy per-searcher build, the similar list (searcher.similar.similar, as the API
   returns it) and group_ids / similar_report_counts over pages of hits.
"""
from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import random
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path


def _percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))] if values else 0.0


def build(corpus: Path, index_dir: Path) -> dict:
    """Build the index, timing the signature step within it."""
    import index.columns as columns
    from index.writer import update_index

    spent = {"seconds": 0.0, "calls": 0, "docs": 0}
    original = columns.signature_arrays

    def timed(kinds, matches, params=None):
        started = time.perf_counter()
        try:
            return original(kinds, matches, params)
        finally:
            spent["seconds"] += time.perf_counter() - started
            spent["calls"] += 1
            spent["docs"] += len(kinds)

    columns.signature_arrays = timed
    try:
        started = time.perf_counter()
        summary = update_index([corpus], index_dir)
        total = time.perf_counter() - started
    finally:
        columns.signature_arrays = original
    return {"build_seconds": round(total, 1), "signature_seconds": round(spent["seconds"], 1),
            "signature_share_of_build": round(spent["seconds"] / total, 3),
            "segments_written": spent["calls"], "documents_signed": spent["docs"],
            "reports_added": summary.added, "failed": len(summary.failed)}


def ground_truth(corpus: Path, searcher) -> dict[int, str]:
    """Global document number -> source unit, for the paragraphs whose text is one
    generated body line."""
    from index.normalize import match_form

    out: dict[int, str] = {}
    for line in (corpus / "manifest.jsonl").read_text(encoding="utf-8").splitlines():
        entry = json.loads(line)
        lines = [ln for ln in (corpus / entry["file"]).read_text(encoding="utf-8").split("\n")
                 if ln.strip()]
        body = lines[entry["body_start"]:entry["body_start"] + len(entry["sources"])]
        unit_of = {match_form(ln): unit for ln, unit in zip(body, entry["sources"])}
        rid = Path(entry["file"]).stem
        code = searcher.report_code.get(rid)
        if code is None:
            continue
        for d in searcher._report_docs(code).tolist():
            text = searcher._locate(d)
            cols, local = text
            unit = unit_of.get(cols.doc_bytes(local).decode("utf-8"))
            if unit is not None:
                out[d] = unit
    return out


def evaluate(searcher, truth: dict[int, str], sample: int, seed: int) -> dict:
    import numpy as np

    from searcher.similar import near_duplicates, similar_index

    idx = similar_index(searcher)
    compared = [int(d) for d in idx.docs.tolist() if int(d) in truth]
    by_unit: dict[str, list[int]] = defaultdict(list)
    for d in compared:
        by_unit[truth[d]].append(d)
    universe = set(compared)
    rng = random.Random(seed)
    picked = rng.sample(compared, min(sample, len(compared)))
    tp = fp = fn = 0
    false_pos: list[tuple[int, int]] = []
    for d in picked:
        found, _ = near_duplicates(searcher, d)
        predicted = {int(x) for x in found.tolist() if int(x) in universe}
        report = int(searcher.doc_report[d])
        actual = {x for x in by_unit[truth[d]]
                  if x != d and int(searcher.doc_report[x]) != report}
        tp += len(predicted & actual)
        fp += len(predicted - actual)
        fn += len(actual - predicted)
        false_pos += [(d, x) for x in sorted(predicted - actual)[:2]]
    examples = []
    for a, b in false_pos[:5]:
        examples.append({"a": _text(searcher, a), "b": _text(searcher, b),
                         "units": [truth[a], truth[b]]})
    return {"compared_paragraphs": len(idx.docs), "with_ground_truth": len(compared),
            "units": len(by_unit), "sampled": len(picked),
            "true_pairs_from_sample": tp + fn, "predicted_pairs_from_sample": tp + fp,
            "precision": round(tp / (tp + fp), 4) if tp + fp else None,
            "recall": round(tp / (tp + fn), 4) if tp + fn else None,
            "false_positive_examples": examples,
            "groups": int(np.unique(idx.group[idx.group >= 0]).size)}


def _text(searcher, doc: int) -> str:
    cols, local = searcher._locate(doc)
    return cols.doc_bytes(local).decode("utf-8")


def timings(searcher, runs: int, seed: int) -> dict:
    import numpy as np

    from searcher.similar import group_ids, similar, similar_index, similar_report_counts

    rng = random.Random(seed)
    idx = similar_index(searcher)
    docs = idx.docs.tolist()
    ids = [searcher._paragraph_id(int(d)) for d in rng.sample(docs, min(runs, len(docs)))]
    times, sizes, first_page = [], [], []
    for pid in ids:
        started = time.perf_counter()
        out = similar(searcher, pid)
        json.dumps(out, ensure_ascii=False)
        times.append((time.perf_counter() - started) * 1000)
        sizes.append(len(out["similar"]))
        started = time.perf_counter()
        json.dumps(similar(searcher, pid, limit=100), ensure_ascii=False)
        first_page.append((time.perf_counter() - started) * 1000)
    page = {}
    for n in (20, 100):
        t_group, t_count = [], []
        for _ in range(20):
            hits = np.array(sorted(rng.sample(docs, min(n, len(docs)))), np.int64)
            started = time.perf_counter()
            group_ids(searcher, hits)
            t_group.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            similar_report_counts(searcher, hits)
            t_count.append((time.perf_counter() - started) * 1000)
        page[f"group_ids_{n}_p95_ms"] = round(_percentile(t_group, 0.95), 2)
        page[f"similar_report_counts_{n}_p95_ms"] = round(_percentile(t_count, 0.95), 2)
    return {"similar_runs": len(times), "similar_p50_ms": round(_percentile(times, 0.5), 2),
            "similar_p95_ms": round(_percentile(times, 0.95), 2),
            "similar_max_ms": round(max(times), 2) if times else 0,
            "similar_first_100_p95_ms": round(_percentile(first_page, 0.95), 2),
            "similar_list_p50": int(_percentile(sizes, 0.5)),
            "similar_list_max": max(sizes) if sizes else 0, **page}


def side_bytes(index_dir: Path) -> dict:
    sim = total = 0
    for f in index_dir.rglob("*"):
        if f.is_file():
            size = f.stat().st_size
            total += size
            if f.name.startswith("sim_"):
                sim += size
    return {"signature_bytes": sim, "index_bytes": total,
            "signature_share_of_index": round(sim / total, 4) if total else None}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.similar_eval",
                                 description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, required=True, help="a bench.generate folder")
    ap.add_argument("--index", type=Path, required=True, help="index folder (built if absent)")
    ap.add_argument("--sample", type=int, default=3000, help="paragraphs evaluated")
    ap.add_argument("--runs", type=int, default=300, help="similar lists timed")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--results", type=Path, help="append a section to this RESULTS.md")
    args = ap.parse_args(argv)

    from index.similar import similar_config
    from searcher import open_searcher
    from searcher.similar import similar_index

    out: dict = {"date": datetime.datetime.now().isoformat(timespec="seconds"),
                 "corpus": str(args.corpus)}
    load_before = os.getloadavg()[0]
    if not (args.index / "STORE.json").exists():
        out["build"] = build(args.corpus, args.index)
    searcher = open_searcher(args.index)
    out["paragraphs"] = int(searcher.n_searchable)
    out["reports"] = len(searcher.report_ids)
    started = time.perf_counter()
    similar_index(searcher)
    out["lazy_build_seconds"] = round(time.perf_counter() - started, 2)
    cfg = similar_config(searcher.config)
    out["config"] = {"threshold": cfg.threshold, "bands": cfg.bands, "rows": cfg.rows,
                     **cfg.signature.__dict__}
    started = time.perf_counter()
    truth = ground_truth(args.corpus, searcher)
    out["ground_truth_seconds"] = round(time.perf_counter() - started, 1)
    out["quality"] = evaluate(searcher, truth, args.sample, args.seed)
    out["timing"] = timings(searcher, args.runs, args.seed)
    out["size"] = side_bytes(args.index)
    out["machine"] = {"cores": os.cpu_count(), "python": platform.python_version(),
                      "load_before": round(load_before, 2),
                      "load_after": round(os.getloadavg()[0], 2)}
    try:
        out["code"] = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                                     text=True, cwd=Path(__file__).parent).stdout.strip()
    except OSError:
        out["code"] = None
    print(json.dumps(out, ensure_ascii=False, indent=2))
    if args.results:
        with open(args.results, "a", encoding="utf-8") as f:
            f.write(markdown(out))
    return 0


def markdown(r: dict) -> str:
    q, t, s, b = r["quality"], r["timing"], r["size"], r.get("build") or {}
    lines = [f"\n<!-- bench.similar_eval: {r['paragraphs']} paragraphs -->",
             f"## Near-duplicate paragraphs: {r['paragraphs']:,} paragraphs",
             "",
             f"- date: {r['date']}; code: {r.get('code')}; corpus: {r['corpus']} "
             f"({r['reports']:,} reports)",
             f"- config: {json.dumps(r['config'], ensure_ascii=False)}",
             f"- machine: {r['machine']['cores']} cores, Python {r['machine']['python']}, load "
             f"{r['machine']['load_before']} before, {r['machine']['load_after']} after",
             "",
             "| measure | value |", "|---|---:|",
             f"| compared paragraphs (text ≥ min_chars) | {q['compared_paragraphs']:,} |",
             f"| with ground truth / source units | {q['with_ground_truth']:,} / {q['units']:,} |",
             f"| sampled paragraphs | {q['sampled']:,} |",
             f"| true / predicted pairs from the sample | {q['true_pairs_from_sample']:,} / "
             f"{q['predicted_pairs_from_sample']:,} |",
             f"| **precision** | **{q['precision']}** |",
             f"| **recall** | **{q['recall']}** |",
             f"| groups of near-duplicates | {q['groups']:,} |"]
    if b:
        lines += [f"| build, whole | {b['build_seconds']} s |",
                  f"| of which signatures | {b['signature_seconds']} s "
                  f"({100 * b['signature_share_of_build']:.1f}%) |"]
    lines += [f"| per-searcher build (first use) | {r['lazy_build_seconds']} s |",
              f"| similar list p50 / p95 / max | {t['similar_p50_ms']} / {t['similar_p95_ms']} / "
              f"{t['similar_max_ms']} ms ({t['similar_runs']} paragraphs; list length median "
              f"{t['similar_list_p50']}, max {t['similar_list_max']}) |",
              f"| similar list, first 100 (the page's), p95 | {t['similar_first_100_p95_ms']} ms |",
              f"| group_ids, 20 / 100 hits, p95 | {t['group_ids_20_p95_ms']} / "
              f"{t['group_ids_100_p95_ms']} ms |",
              f"| similar_report_counts, 20 / 100 hits, p95 | "
              f"{t['similar_report_counts_20_p95_ms']} / {t['similar_report_counts_100_p95_ms']} ms |",
              f"| signature arrays on disk | {s['signature_bytes'] / 1e6:.1f} MB of "
              f"{s['index_bytes'] / 1e6:.0f} MB ({100 * (s['signature_share_of_index'] or 0):.1f}%) |",
              "", f"<!-- /bench.similar_eval: {r['paragraphs']} paragraphs -->", ""]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
