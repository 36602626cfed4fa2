"""What the query operators and result tools of issues 12 and 13 cost, beside a plain term.

    python -m bench.generate --reports 2000 --seed 1 --out /tmp/c2000
    reportsearch index /tmp/c2000 --index-dir /tmp/c2000.ix
    python -m bench.operators --index /tmp/c2000.ix [--runs 30] [--results bench/RESULTS.md]

Each class is one `Searcher.search` call as the JSON API makes it (top 20, facets, highlights,
citations), timed `--runs` times after a warm-up in one process; the first call is reported
apart (caches filled per searcher: citations per segment, publishing dates, groups). Proximity
(/s, NEAR/n) settles the paragraphs holding one operand right after the other from the index
and checks the rest of the candidates (the AND of its operands) by the operands' positions in
their match form, all at once, so its cost grows with the candidates' text: the classes include
common pairs (法治 NEAR/5 政府, 法治 /s 政府) to show the worst case.
"""
from __future__ import annotations

import argparse
import datetime
import json
import time
from pathlib import Path

from bench.run import percentiles, time_runs

CLASSES = [
    ("plain term (reference)", "法治", {}),
    ("phrase", "出庭应诉率", {}),
    ("/s one sentence", "出庭应诉率 /s 100%", {}),
    ("NEAR/5 rare pair", "出庭 NEAR/5 应诉", {}),
    ("NEAR/5 common pair", "法治 NEAR/5 政府", {}),
    ("/s common pair", "法治 /s 政府", {}),
    ("~synonyms", "~出庭应诉率", {}),
    ("within chain (2 steps)", "法治 (行政复议) (败诉率)", {}),
    ("indicator term 出庭应诉率<95", "出庭应诉率<95", {}),
    ("indicator term + word", "出庭应诉率>=95 复议", {}),
    ("cites filter", "法治", {"cites": None}),        # the most cited document, found below
    ("published sort", "法治", {"sort": "published_desc"}),
    ("per-report view", "法治", {"group": "reports"}),
    ("fuzzy with synonyms", "出庭应诉率", {"mode": "fuzzy"}),
    ("zero hits + suggestions", "出庭应诉率 年度报告未见之词", {}),
]


def run(index: str, runs: int) -> dict:
    from searcher import open_searcher

    t = time.perf_counter()
    s = open_searcher(index)
    open_s = time.perf_counter() - t
    top_cited = next(iter(s.search("法治", limit=0)["facets"]["cites"]), None)
    rows = []
    for name, query, kw in CLASSES:
        kw = dict(kw)
        if "cites" in kw:
            if top_cited is None:
                continue
            kw = {"filters": {"cites": [top_cited]}}
            name = f"cites filter ({top_cited})"
        fn = (lambda q=query, k=kw: s.search(q, limit=20, **k))
        t = time.perf_counter()
        answer = fn()
        first_ms = (time.perf_counter() - t) * 1000
        fn()
        lat = percentiles(time_runs(fn, runs, budget_s=60, min_runs=5))
        rows.append({"class": name, "query": query, "options": kw, "total": answer["total"],
                     "first_ms": round(first_ms, 1), **lat})
        print(f"{name:34} {answer['total']:>8} hits  first {first_ms:8.1f}  "
              f"median {lat['median']:8.2f}  p95 {lat['p95']:8.2f} ms", flush=True)
    return {"index": index, "paragraphs": s.n_searchable, "open_s": round(open_s, 2),
            "runs": runs, "rows": rows}


def render(res: dict) -> str:
    head = (f"## Query operators and result tools (issues 12, 13)\n\n"
            f"`python -m bench.operators` on {res['paragraphs']:,} paragraphs "
            f"({datetime.date.today()}, 2 cores shared with other work; one process, "
            f"top 20 with facets, highlights and citations; {res['runs']} runs a class).\n\n"
            "| class | query | hits | first call ms | median ms | p95 ms |\n"
            "|---|---|---|---|---|---|\n")
    lines = [f"| {r['class']} | `{r['query']}` | {r['total']:,} | {r['first_ms']} | "
             f"{r['median']} | {r['p95']} |" for r in res["rows"]]
    return head + "\n".join(lines) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--index", required=True)
    ap.add_argument("--runs", type=int, default=30)
    ap.add_argument("--results", help="append the table to this Markdown file")
    ap.add_argument("--json", help="write the raw figures here")
    args = ap.parse_args()
    res = run(args.index, args.runs)
    if args.json:
        Path(args.json).write_text(json.dumps(res, ensure_ascii=False, indent=1), "utf-8")
    if args.results:
        with open(args.results, "a", encoding="utf-8") as f:
            f.write("\n" + render(res))


if __name__ == "__main__":
    main()
