"""What jieba word fields would cost the build (issue 10): today's build vs the same build
with the word fields the store had before e910cfc put back, bench-only.

    python -m bench.word_fields [--out bench/out/100k] [--reports 2000] [--runs 2]
                                [--results bench/RESULTS.md]

The "words" variant changes nothing in index/: in its own build process it wraps
`index.store.make_schema` (adds the three word fields of e910cfc^: `words`, jieba words of each
paragraph, positions kept for phrases; `title`, the report title's words on the report
document, boost 3; `heading`, a heading paragraph's words, boost 1.5),
`index.writer._prepare` (the pool workers segment every paragraph and the title with
`jieba.cut(text, HMM=True)`, lower-cased, punctuation dropped: searcher.words.segment_words,
as the writer did) and `index.writer._report_documents` (the words go into the documents).
Both variants are timed by bench.run's build worker (`w_build`: wall, CPU of self + workers,
peak RSS, size on disk) from an empty folder, alternated run by run.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from whoosh.analysis import Token, Tokenizer

ROOT = Path(__file__).resolve().parent.parent
MARK = "bench.word_fields"
WORD_SEP = "\x1f"


class WordTokenizer(Tokenizer):
    """e910cfc^'s index/analysis.py tokenizer: presegmented words, positions 0, 1, 2, …
    (kept here so the index's pickled schema can load it)."""

    def __eq__(self, other):
        return other.__class__ is self.__class__

    def __call__(self, value, positions=False, chars=False, keeporiginal=False,
                 removestops=True, start_pos=0, start_char=0, tokenize=True, mode="",
                 **kwargs):
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            words = [value]
        elif WORD_SEP in value:
            words = [w for w in value.split(WORD_SEP) if w]
        else:
            from searcher.words import segment_words
            words = segment_words(value)
        for pos, word in enumerate(words):
            t.text = word
            t.boost = 1.0
            t.stopped = False
            if keeporiginal:
                t.original = word
            if positions:
                t.pos = start_pos + pos
            if chars:
                t.startchar = t.endchar = start_char
            yield t


def presegmented(text: str) -> str:
    from searcher.words import segment_words
    return WORD_SEP + WORD_SEP.join(segment_words(text))


_ORIGINAL = {}


def _make_schema_with_words():
    from whoosh import fields
    schema = _ORIGINAL["make_schema"]()
    schema.add("words", fields.TEXT(analyzer=WordTokenizer(), phrase=True))
    schema.add("title", fields.TEXT(analyzer=WordTokenizer(), field_boost=3.0))
    schema.add("heading", fields.TEXT(analyzer=WordTokenizer(), field_boost=1.5))
    return schema


def _words_of(report) -> list[str]:
    return ([presegmented(report.meta.title or "")]
            + [presegmented(p.text) for p in report.paragraphs])


def _prepare_with_words(item):
    path, report, error = _ORIGINAL["_prepare"](item)
    if report is not None:      # segmented in the pool worker, as e910cfc^ did
        report.__dict__["_words"] = _words_of(report)
    return path, report, error


def _report_documents_with_words(report, sig):
    wdocs, cdocs = _ORIGINAL["_report_documents"](report, sig)
    words = report.__dict__.get("_words") or _words_of(report)
    wdocs[0]["title"] = words[0]
    for d, p, seg in zip(wdocs[1:], report.paragraphs, words[1:]):
        d["words"] = seg
        if p.kind == "heading":
            d["heading"] = seg
    return wdocs, cdocs


def install_word_fields() -> None:
    """Patch the write path of this process (and of the pool it forks) to write word fields."""
    from index import store, writer
    _ORIGINAL.update(make_schema=store.make_schema, _prepare=writer._prepare,
                     _report_documents=writer._report_documents)
    store.make_schema = _make_schema_with_words
    writer._prepare = _prepare_with_words
    writer._report_documents = _report_documents_with_words


def w_build(a: dict) -> dict:
    if a["words"]:
        install_word_fields()
    from bench.run import w_build as build
    out = build({"corpus": a["corpus"], "index": a["index"]})
    if a["words"]:         # the fields are there and hold jieba's words
        from whoosh import index as windex
        from index.store import INDEX_NAME
        ix = windex.open_dir(a["index"], indexname=INDEX_NAME)
        with ix.reader() as r:
            out["word_terms"] = sum(1 for _ in r.lexicon("words"))
            out["check_出庭"] = r.doc_frequency("words", "出庭")
    return out


def run(out: Path, reports: int, seed: int, runs: int) -> dict:
    from bench.run import ensure_corpus
    info = ensure_corpus(out, reports, seed)
    res = {"date": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime()), "corpus": info,
           "runs": {"today": [], "words": []}}
    try:
        res["code"] = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                                     capture_output=True, text=True).stdout.strip()
    except OSError:
        res["code"] = None
    for i in range(runs):
        for variant in ("today", "words") if i % 2 == 0 else ("words", "today"):
            args = {"corpus": str(out / "corpus"), "index": str(out / f"index_{variant}"),
                    "words": variant == "words"}
            load = round(os.getloadavg()[0], 2)
            print(f"[word_fields] run {i + 1} {variant} …", file=sys.stderr, flush=True)
            p = subprocess.run([sys.executable, "-m", "bench.word_fields", "_build",
                                json.dumps(args)], cwd=ROOT, capture_output=True, text=True)
            if p.returncode:
                raise SystemExit(p.stderr)
            r = json.loads(p.stdout.strip().splitlines()[-1])
            r.pop("profile_top", None)
            r["load_before"], r["load_after"] = load, round(os.getloadavg()[0], 2)
            res["runs"][variant].append(r)
    return res


def markdown(r: dict) -> str:
    info = r["corpus"]
    today, words = r["runs"]["today"], r["runs"]["words"]

    def span(rows, key, fmt="{:.1f}"):
        vals = sorted(x[key] for x in rows)
        return fmt.format(vals[0]) if len(vals) == 1 or vals[0] == vals[-1] else \
            f"{fmt.format(vals[0])}–{fmt.format(vals[-1])}"

    mb = lambda rows: [dict(x, index_mb=x["index_bytes"] / 1e6) for x in rows]  # noqa: E731
    t_min = min(x["wall_s"] for x in today)
    w_min = min(x["wall_s"] for x in words)
    size_t, size_w = today[0]["index_bytes"] / 1e6, words[0]["index_bytes"] / 1e6
    lines = [f"<!-- {MARK} -->", "## What jieba word fields cost the build (issue 10)", "",
             f"Command: `python -m bench.word_fields --runs {len(today)}` (git {r['code']}, "
             f"{r['date']}); corpus {info['reports']:,} reports, {info['paragraphs']:,} body "
             f"lines, {info['bytes'] / 1e6:.1f} MB (seed {info['seed']}). Builds from an empty "
             "folder with bench.run's build worker, the two variants alternated run by run; "
             "\"with word fields\" = today's code plus e910cfc^'s three jieba word fields "
             "(words, title, heading), segmented in the pool workers, put back by this "
             "bench-only script.", "",
             "| | today (no word field) | with word fields | ratio |", "|---|---|---|---|",
             f"| build wall, s (runs) | {span(today, 'wall_s')} ({len(today)}) | "
             f"{span(words, 'wall_s')} ({len(words)}) | {w_min / t_min:.2f}× (fastest runs) |",
             f"| CPU s (cores busy) | {span(today, 'cpu_s')} ({span(today, 'cores_busy', '{:.2f}')}) | "
             f"{span(words, 'cpu_s')} ({span(words, 'cores_busy', '{:.2f}')}) | "
             f"{min(x['cpu_s'] for x in words) / min(x['cpu_s'] for x in today):.2f}× |",
             f"| index on disk, MB | {span(mb(today), 'index_mb')} | {span(mb(words), 'index_mb')} | "
             f"{size_w / size_t:.2f}× (+{size_w - size_t:.0f} MB) |",
             f"| peak RSS main / worker, MB | {span(today, 'rss_main_peak_mb', '{:.0f}')} / "
             f"{span(today, 'rss_worker_peak_mb', '{:.0f}')} | "
             f"{span(words, 'rss_main_peak_mb', '{:.0f}')} / "
             f"{span(words, 'rss_worker_peak_mb', '{:.0f}')} | |",
             f"| 1-minute load before each build | "
             f"{', '.join(str(x['load_before']) for x in today)} | "
             f"{', '.join(str(x['load_before']) for x in words)} | |"]
    if words and "word_terms" in words[0]:
        lines += ["", f"Check: the word field holds {words[0]['word_terms']:,} distinct jieba "
                  f"words; 出庭 is in {words[0]['check_出庭']:,} paragraph documents."]
    lines += ["", f"<!-- /{MARK} -->", ""]
    return "\n".join(lines)


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["_build"]:
        print(json.dumps(w_build(json.loads(argv[1]))))
        return 0
    ap = argparse.ArgumentParser(prog="python -m bench.word_fields",
                                 description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "100k")
    ap.add_argument("--reports", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--runs", type=int, default=2)
    ap.add_argument("--json", type=Path, default=None)
    ap.add_argument("--results", type=Path, default=None)
    args = ap.parse_args(argv)
    r = run(args.out, args.reports, args.seed, args.runs)
    if args.json:
        args.json.write_text(json.dumps(r, ensure_ascii=False, indent=1), encoding="utf-8")
    md = markdown(r)
    print(md)
    if args.results:
        from bench.jieba_ports import write_section
        write_section(args.results, MARK, md)
    return 0


if __name__ == "__main__":
    sys.exit(main())
