"""What near-duplicates cost where users meet them (issue 14): the search page with
相似段落见于 N 份报告 on its hits, with and without 折叠相似段落, and the report page with
its 最早出处 notes and originality card.

    python -m bench.similar_ui --index DIR [--queries 法治 执法 ...] [--reports 50] [--json FILE]

Times (p50 / p95 over repeated runs, after one warm-up run per query) through the Flask test
client, so the figures include rendering:
- the searcher's own search (limit 20) with and without collapse=True;
- hit_similar_counts over the 20 hits of the page;
- GET /?q=… and GET /?q=…&collapse=1; GET /api/search?q=…&collapse=1;
- GET /reports/<id> for a random sample of reports, and report_similarity alone.
The per-searcher near-duplicate index is built once first (its time is reported apart).
"""
from __future__ import annotations

import argparse
import json
import random
import time
from urllib.parse import urlencode

QUERIES = ("法治", "执法", "行政复议", "出庭应诉", "合法性审查", "政务公开", "存在的不足", "法治宣传")


def _pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))] if values else 0.0


def _timed(fn, runs: int) -> list[float]:
    fn()                                             # warm-up (term caches, templates)
    out = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        out.append((time.perf_counter() - started) * 1000)
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--index", required=True)
    ap.add_argument("--queries", nargs="*", default=list(QUERIES))
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--reports", type=int, default=50)
    ap.add_argument("--json", dest="json_out")
    args = ap.parse_args(argv)

    from index.config import load_config
    from searcher import open_searcher
    from searcher.similar import hit_similar_counts, similar_index
    from web.app import create_app

    config = load_config()
    config["index_dir"] = args.index
    searcher = open_searcher(args.index, config)
    started = time.perf_counter()
    similar_index(searcher)
    build_s = time.perf_counter() - started
    app = create_app(config, searcher)
    client = app.test_client()

    def get(url):
        resp = client.get(url)
        assert resp.status_code == 200, (url, resp.status_code)
        return resp

    rows = {}
    per = {k: [] for k in ("search", "search_collapse", "counts20", "page", "page_collapse",
                           "api_collapse")}
    for q in args.queries:
        plain = searcher.search(q, limit=20)
        folded = searcher.search(q, limit=20, collapse=True)
        rows[q] = {"total": plain["total"], "distinct": folded["distinct"]}
        times = {
            "search": _timed(lambda: searcher.search(q, limit=20), args.runs),
            "search_collapse": _timed(lambda: searcher.search(q, limit=20, collapse=True),
                                      args.runs),
            "counts20": _timed(lambda: hit_similar_counts(searcher, [dict(h) for h in
                                                                   plain["hits"]]), args.runs),
            "page": _timed(lambda: get("/?" + urlencode({"q": q})), args.runs),
            "page_collapse": _timed(lambda: get("/?" + urlencode({"q": q, "collapse": 1})),
                                    args.runs),
            "api_collapse": _timed(lambda: get("/api/search?" + urlencode({"q": q,
                                                                          "collapse": 1})),
                                   args.runs)}
        for k, v in times.items():
            per[k] += v
            rows[q][k + "_p50"] = round(_pct(v, 0.5), 2)
        print(q, rows[q], flush=True)

    from web.similar import report_similarity
    rng = random.Random(1)
    ids = [r["report_id"] for r in searcher.reports()]
    sample = rng.sample(ids, min(args.reports, len(ids)))
    report_page, similarity = [], []
    with app.test_request_context():
        from flask import g
        g.searcher = searcher
        for rid in sample:
            t = time.perf_counter()
            report_similarity(rid)
            similarity.append((time.perf_counter() - t) * 1000)
    for rid in sample:
        t = time.perf_counter()
        get(f"/reports/{rid}")
        report_page.append((time.perf_counter() - t) * 1000)

    summary = {"index": args.index, "paragraphs": int(searcher.n_searchable),
               "similar_index_build_s": round(build_s, 2), "queries": rows,
               "all_queries_ms": {k: {"p50": round(_pct(v, 0.5), 2), "p95": round(_pct(v, 0.95), 2)}
                                  for k, v in per.items()},
               "report_similarity_ms": {"p50": round(_pct(similarity, 0.5), 2),
                                        "p95": round(_pct(similarity, 0.95), 2)},
               "report_page_ms": {"p50": round(_pct(report_page, 0.5), 2),
                                  "p95": round(_pct(report_page, 0.95), 2)}}
    print(json.dumps(summary, ensure_ascii=False, indent=1))
    if args.json_out:
        with open(args.json_out, "w", encoding="utf-8") as fh:
            json.dump(summary, fh, ensure_ascii=False, indent=1)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
