"""jieba 0.42.1 against its ports: token equality, user dictionary, speed (issue 10).

    python -m bench.jieba_ports [--out bench/out/100k] [--reports 2000] [--max-paragraphs N]
                                [--results bench/RESULTS.md]

Texts: the distinct paragraphs of the benchmark corpus (`bench.generate`, the same corpus as
`bench.run`'s size of 2,000 reports, read by `index.pipeline.read_report`), the paragraphs of
the seeds (seeds/) and of the real report pages of the metadata evaluation set
(tests/data/metadata_eval/texts/, git-ignored: used when present).

Each segmenter runs in a fresh process (`python -m bench.jieba_ports _worker NAME ...`):
dictionary load time, then `cut(text, HMM=True)` (how the project calls jieba:
searcher/words.py, and the index-time word field before e910cfc) and `cut(text, HMM=False)`
over every text, timed in CPU seconds of that one thread (MB/s per core = UTF-8 MB / CPU s).
The parent compares each port's token list with jieba's, text by text (the raw tokens, before
the project drops punctuation and lower-cases), and classifies each differing span by what it
contains (digits → number/date, Latin letters, other symbols, Han only).

User dictionary: the same file (domain words jieba splits, with and without a frequency) is
loaded into jieba and into each port (`load_userdict`; rjieba has none, so its `add_word`
per line), then sentences containing the words and a sample of the corpus are compared.

Word-level 模糊 (what option (a) of issue 10 would find): from jieba's tokens of every corpus
paragraph, for a few query terms, the paragraphs whose jieba words include all of the term's
words, against the exact hits (term as substring) and today's 模糊 (each word as substring).

Segmenters: jieba 0.42.1 (reference), jieba_fast_dat (its own bundled dictionary, and again
with jieba's dict.txt via set_dictionary), jieba_next, rjieba (jieba-rs).
"""
from __future__ import annotations

import argparse
import difflib
import json
import os
import pickle
import random
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS_MD = ROOT / "bench" / "RESULTS.md"
REAL_TEXTS = ROOT / "tests" / "data" / "metadata_eval" / "texts"
SEP = "\x1f"
MARK = "bench.jieba_ports"

# name -> (distribution, description)
SEGMENTERS = {
    "jieba": ("jieba", "jieba 0.42.1 (reference)"),
    "jieba_fast_dat": ("jieba_fast_dat", "jieba-fast-dat, its bundled dictionary"),
    "jieba_fast_dat+jieba_dict": ("jieba_fast_dat", "jieba-fast-dat with jieba's dict.txt"),
    "jieba_next": ("jieba-next", "jieba-next"),
    "rjieba": ("rjieba", "rjieba (jieba-rs)"),
}

# Words jieba 0.42.1 splits in this domain; the last ones without a frequency (add_word's
# suggest_freq path). Tags as jieba's user dictionaries write them.
USER_WORDS = [("首违不罚", 20, "n"), ("出庭应诉率", 20, "n"), ("府院联动", 10, "n"),
              ("一网通办", None, None), ("放管服", None, None), ("证明事项告知承诺制", 5, "n")]
USER_SENTENCES = [
    "全面推行首违不罚清单制度，行政机关负责人出庭应诉率达100%。",
    "建立府院联动机制，深化一网通办和放管服改革。",
    "全面推行证明事项告知承诺制，首违不罚事项共计45项。",
]

# Query terms for the word-level 模糊 comparison (bench.run's classes and domain terms).
FUZZY_TERMS = ["出庭应诉率", "法治政府建设", "行政复议", "合法性审查", "首违不罚", "败诉率",
               "一网通办", "行政执法"]


# ---------------------------------------------------------------------- texts

def _paragraphs_of(path: Path) -> list[str]:
    from index.model import IngestError
    from index.pipeline import read_report
    try:
        return [p.text for p in read_report(str(path)).paragraphs]
    except (IngestError, OSError, ValueError):
        return [ln.strip() for ln in path.read_text(encoding="utf-8", errors="replace")
                .splitlines() if ln.strip()]


def collect_texts(out: Path, reports: int, seed: int, max_paragraphs: int | None) -> dict:
    """{source: [distinct texts]}: generated corpus, seeds, real pages."""
    from bench.run import ensure_corpus, ensure_paragraphs, load_paragraphs
    info = ensure_corpus(out, reports, seed)
    paras = load_paragraphs(ensure_paragraphs(out, info))
    corpus = list(dict.fromkeys(paras["text"]))
    if max_paragraphs and len(corpus) > max_paragraphs:
        corpus = random.Random(seed).sample(corpus, max_paragraphs)
    seeds = list(dict.fromkeys(t for f in sorted((ROOT / "seeds").glob("*.txt"))
                               for t in _paragraphs_of(f)))
    real = list(dict.fromkeys(t for f in sorted(REAL_TEXTS.glob("*.txt"))
                              for t in _paragraphs_of(f))) if REAL_TEXTS.is_dir() else []
    return {"corpus": corpus, "seeds": seeds, "real": real,
            "_corpus_all": paras["text"], "_corpus_info": info}


# ---------------------------------------------------------------------- segmenters

def load_segmenter(name: str, userdict: str | None = None):
    """(cut(text, hmm) -> list[str], seconds to load the dictionary)."""
    t = time.perf_counter()
    if name == "jieba":
        import jieba as mod
        mod.setLogLevel(60)
        mod.initialize()
    elif name.startswith("jieba_fast_dat"):
        import jieba_fast_dat as mod
        mod.setLogLevel(60)
        if name.endswith("+jieba_dict"):
            import jieba
            mod.set_dictionary(str(Path(jieba.__file__).parent / "dict.txt"))
        mod.initialize()
    elif name == "jieba_next":
        import logging
        import jieba_next as mod
        logging.getLogger("jieba_next").setLevel(60)
        mod.initialize()
    elif name == "rjieba":
        import rjieba
        tok = rjieba.Jieba()
        if userdict:
            for word, freq, tag in _read_userdict(userdict):
                tok.add_word(word, freq, tag)
        return (lambda text, hmm: tok.cut(text, hmm)), time.perf_counter() - t
    else:
        raise ValueError(name)
    if userdict:
        mod.load_userdict(userdict)
    return (lambda text, hmm: list(mod.cut(text, HMM=hmm))), time.perf_counter() - t


def _read_userdict(path: str):
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if parts:
            freq = int(parts[1]) if len(parts) > 1 else None
            yield parts[0], freq, (parts[2] if len(parts) > 2 else None)


def write_userdict(path: Path) -> None:
    path.write_text("".join(" ".join(str(x) for x in w if x is not None) + "\n"
                            for w in USER_WORDS), encoding="utf-8")


def w_segment(a: dict) -> dict:
    """Worker: cut every text in both modes; tokens to a pickle, timings returned."""
    with open(a["texts"], "rb") as f:
        texts = pickle.load(f)
    cut, load_s = load_segmenter(a["name"], a.get("userdict"))
    out, timing = {}, {"load_s": round(load_s, 2)}
    for hmm in (True, False):
        for src, items in texts.items():
            cut(items[0] if items else "", hmm)          # warm
            t = time.process_time()
            toks = [SEP.join(cut(x, hmm)) for x in items]
            cpu = time.process_time() - t
            out[(src, hmm)] = toks
            timing[f"{src}:{hmm}"] = cpu
    with open(a["tokens"], "wb") as f:
        pickle.dump(out, f, protocol=pickle.HIGHEST_PROTOCOL)
    return timing


def run_worker(name: str, texts_pkl: Path, tokens_pkl: Path, userdict: Path | None) -> dict:
    args = {"name": name, "texts": str(texts_pkl), "tokens": str(tokens_pkl),
            "userdict": str(userdict) if userdict else None}
    res = subprocess.run([sys.executable, "-m", "bench.jieba_ports", "_worker", json.dumps(args)],
                         cwd=ROOT, capture_output=True, text=True)
    if res.returncode != 0:
        return {"error": (res.stderr.strip().splitlines() or ["?"])[-1]}
    return json.loads(res.stdout.strip().splitlines()[-1])


# ---------------------------------------------------------------------- comparison

def span_class(s: str) -> str:
    s = s.replace("/", "")        # the token separator of diff_spans
    if re.search(r"\d", s):
        return "number/date"
    if re.search(r"[A-Za-z]", s):
        return "Latin"
    if re.search(r"[^\u4e00-\u9fff]", s):
        return "symbol"
    return "Han only"


def diff_spans(ref: list[str], got: list[str]) -> list[tuple[str, str]]:
    """Differing stretches: (jieba's tokens, the port's tokens), each '/'-joined."""
    sm = difflib.SequenceMatcher(None, ref, got, autojunk=False)
    return [("/".join(ref[i1:i2]), "/".join(got[j1:j2]))
            for op, i1, i2, j1, j2 in sm.get_opcodes() if op != "equal"]


def compare(ref: list[str], got: list[str], n_examples: int = 4) -> dict:
    equal = sum(a == b for a, b in zip(ref, got))
    classes, examples = Counter(), {}
    for a, b in zip(ref, got):
        if a == b:
            continue
        for r, g in diff_spans(a.split(SEP), b.split(SEP)):
            c = span_class(r + g)
            classes[c] += 1
            ex = examples.setdefault(c, [])
            if len(ex) < n_examples and (r, g) not in ex:
                ex.append((r, g))
    return {"texts": len(ref), "equal": equal, "share": round(equal / len(ref), 4) if ref else None,
            "diff_spans": dict(classes), "examples": examples}


# ---------------------------------------------------------------------- word-level 模糊

def fuzzy_word_level(texts: list[str], tokens: list[str]) -> list[dict]:
    """Per query term: exact hits, today's 模糊 hits, word-level hits (jieba words of the
    paragraph include every word of the term) and how these overlap. `texts` are all the
    corpus paragraphs (with repeats, as the index holds them); `tokens` jieba's cut of each."""
    from index.normalize import match_form
    from searcher.words import segment_words
    _junk = re.compile(r"^[\s\W_]+$")
    matches = [match_form(t) for t in texts]
    rows = []
    for term in FUZZY_TERMS:
        words = list(dict.fromkeys(w for w in (match_form(x) for x in segment_words(term)) if w))
        q = match_form(term)
        exact = {i for i, m in enumerate(matches) if q in m}
        today = {i for i, m in enumerate(matches) if all(w in m for w in words)}
        word_level = set()
        for i in today:          # a word-level hit contains every word as a substring
            ws = {match_form(w.lower()) for w in tokens[i].split(SEP) if not _junk.match(w)}
            if all(w in ws for w in words):
                word_level.add(i)
        example = next((texts[i] for i in sorted(word_level - exact)), None)
        missed = next((texts[i] for i in sorted(exact - word_level)), None)
        rows.append({"term": term, "words": words, "exact": len(exact), "today": len(today),
                     "word_level": len(word_level),
                     "word_level_not_exact": len(word_level - exact),
                     "today_not_exact": len(today - exact),
                     "exact_missed_by_word_level": len(exact - word_level),
                     "example_new": _context(example, words), "example_missed": _context(missed, [q])})
    return rows


def _context(text: str | None, words: list[str], width: int = 14) -> str | None:
    if not text:
        return None
    from index.normalize import match_form
    m = match_form(text)
    i = min((m.find(w) for w in words if w in m), default=0)
    return text[max(0, i - width):i + width + max(len(w) for w in words)]


# ---------------------------------------------------------------------- main run

def machine() -> dict:
    vers = {}
    for dist in ("jieba", "jieba_fast_dat", "jieba-next", "rjieba"):
        try:
            vers[dist] = version(dist)
        except PackageNotFoundError:
            vers[dist] = None
    try:
        code = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                              capture_output=True, text=True).stdout.strip()
    except OSError:
        code = None
    return {"cores": os.cpu_count(), "python": sys.version.split()[0], "versions": vers,
            "code": code, "load": round(os.getloadavg()[0], 2)}


def run(out: Path, reports: int, seed: int, max_paragraphs: int | None,
        names: list[str]) -> dict:
    texts = collect_texts(out, reports, seed, max_paragraphs)
    corpus_all, corpus_info = texts.pop("_corpus_all"), texts.pop("_corpus_info")
    mb = {src: sum(len(t.encode()) for t in items) / 1e6 for src, items in texts.items()}
    work = Path(tempfile.mkdtemp(prefix="jieba_ports_"))
    texts_pkl = work / "texts.pkl"
    with open(texts_pkl, "wb") as f:
        pickle.dump(texts, f, protocol=pickle.HIGHEST_PROTOCOL)
    userdict = work / "userdict.txt"
    write_userdict(userdict)
    sample = random.Random(seed).sample(texts["corpus"], min(2000, len(texts["corpus"])))
    ud_texts = {"sentences": USER_SENTENCES, "sample": sample,
                "seeds": texts["seeds"]}
    ud_pkl = work / "ud_texts.pkl"
    with open(ud_pkl, "wb") as f:
        pickle.dump(ud_texts, f, protocol=pickle.HIGHEST_PROTOCOL)

    result = {"date": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime()),
              "machine": machine(), "corpus": str(out / "corpus"), "corpus_info": corpus_info,
              "texts": {src: len(items) for src, items in texts.items()},
              "corpus_paragraphs": len(corpus_all),
              "mb": {k: round(v, 2) for k, v in mb.items()}, "segmenters": {}}
    tokens, ud_tokens = {}, {}
    for name in ["jieba"] + [n for n in names if n != "jieba"]:
        print(f"[jieba_ports] {name} …", file=sys.stderr, flush=True)
        load_before = round(os.getloadavg()[0], 2)
        timing = run_worker(name, texts_pkl, work / f"tok_{name}.pkl", None)
        entry = {"load_avg_before": load_before, "timing": timing}
        if "error" not in timing:
            with open(work / f"tok_{name}.pkl", "rb") as f:
                tokens[name] = pickle.load(f)
            speed = {}
            for hmm in (True, False):
                cpu = sum(timing[f"{src}:{hmm}"] for src in texts)
                speed[str(hmm)] = round(sum(mb.values()) / cpu, 3) if cpu else None
            entry["mb_per_core_s"] = speed
            ud_timing = run_worker(name, ud_pkl, work / f"ud_{name}.pkl", userdict)
            if "error" in ud_timing:
                entry["userdict_error"] = ud_timing["error"]
            else:
                with open(work / f"ud_{name}.pkl", "rb") as f:
                    ud_tokens[name] = pickle.load(f)
        result["segmenters"][name] = entry

    ref, ud_ref = tokens["jieba"], ud_tokens.get("jieba")
    for name, entry in result["segmenters"].items():
        if name == "jieba" or name not in tokens:
            continue
        entry["equality"] = {f"{src}:{hmm}": compare(ref[(src, hmm)], tokens[name][(src, hmm)])
                             for src in texts for hmm in (True, False)}
        if ud_ref and name in ud_tokens:
            got = ud_tokens[name]
            entry["userdict"] = {
                f"{src}:{hmm}": compare(ud_ref[(src, hmm)], got[(src, hmm)], 2)
                for src in ud_texts for hmm in (True, False)}
            entry["userdict_words_whole"] = all(
                any(w in s.split(SEP) for s in got[("sentences", True)])
                for w, _f, _t in USER_WORDS)
    if ud_ref:
        result["userdict_sentences_jieba"] = [s.replace(SEP, "/")
                                              for s in ud_ref[("sentences", True)]]

    # word-level 模糊 over all corpus paragraphs (with repeats), from jieba's HMM tokens
    by_text = dict(zip(texts["corpus"], ref[("corpus", True)]))
    if len(by_text) == len(set(corpus_all)):
        result["fuzzy"] = fuzzy_word_level(corpus_all, [by_text[t] for t in corpus_all])
    result["machine"]["load_after"] = round(os.getloadavg()[0], 2)
    return result


# ---------------------------------------------------------------------- markdown

def _pct(c: dict) -> str:
    return f"{100 * c['share']:.2f}% ({c['equal']:,}/{c['texts']:,})"


def markdown(r: dict) -> str:
    m = r["machine"]
    lines = [f"<!-- {MARK} -->", "## jieba 0.42.1 and its ports (issue 10)", "",
             f"Command: `python -m bench.jieba_ports` (git {m['code']}, {r['date']}); "
             f"{m['cores']} cores, Python {m['python']}; versions "
             + ", ".join(f"{k} {v}" for k, v in m["versions"].items())
             + f"; 1-minute load {m['load']} before, {m['load_after']} after (2 cores shared).",
             "",
             f"Texts (distinct paragraphs): benchmark corpus {r['texts']['corpus']:,} "
             f"({r['mb']['corpus']} MB; {r['corpus_info']['reports']:,} reports, seed "
             f"{r['corpus_info']['seed']}), seeds {r['texts']['seeds']:,} ({r['mb']['seeds']} MB), "
             f"real report pages {r['texts']['real']:,} ({r['mb']['real']} MB). Equal = the "
             "port's token list is identical to jieba's `cut(text, HMM=…)` for that paragraph. "
             "Speed = UTF-8 MB of all the texts / CPU seconds of one thread.", "",
             "| segmenter | dict load s | corpus equal, HMM on | HMM off | seeds on / off | "
             "real pages on / off | user dict equal (HMM on: sentences, 2k sample, seeds) | "
             "MB/s per core HMM on / off |",
             "|---|---|---|---|---|---|---|---|"]
    for name, e in r["segmenters"].items():
        t = e["timing"]
        if "error" in t:
            lines.append(f"| {name} | does not run: {t['error']} | | | | | | |")
            continue
        sp = e["mb_per_core_s"]
        speed = f"{sp['True']} / {sp['False']}"
        if name == "jieba":
            lines.append(f"| {name} | {t['load_s']} | reference | reference | reference | "
                         f"reference | reference | {speed} |")
            continue
        q = e["equality"]
        u = e.get("userdict")
        ud = ("; ".join(f"{100 * u[f'{s}:True']['share']:.1f}%"
                        for s in ("sentences", "sample", "seeds"))
              + ("" if e.get("userdict_words_whole") else " (a user word not kept whole)")
              ) if u else e.get("userdict_error", "—")
        lines.append(
            f"| {name} | {t['load_s']} | {_pct(q['corpus:True'])} | {_pct(q['corpus:False'])} | "
            f"{100 * q['seeds:True']['share']:.1f}% / {100 * q['seeds:False']['share']:.1f}% | "
            f"{100 * q['real:True']['share']:.1f}% / {100 * q['real:False']['share']:.1f}% | "
            f"{ud} | {speed} |")
    lines += ["", "Differing spans by what they contain (corpus + seeds + real pages, HMM on; "
              "HMM off), with examples `jieba → port`:", ""]
    for name, e in r["segmenters"].items():
        if name == "jieba" or "equality" not in e:
            continue
        for hmm in ("True", "False"):
            classes, ex = Counter(), {}
            for key, c in e["equality"].items():
                if key.endswith(":" + hmm):
                    classes.update(c["diff_spans"])
                    for k, v in c["examples"].items():
                        ex.setdefault(k, [])
                        ex[k] += [x for x in v if x not in ex[k]]
            if not classes:
                lines.append(f"- **{name}**, HMM {'on' if hmm == 'True' else 'off'}: none")
                continue
            parts = [f"{k} {n:,} (" + "; ".join(f"`{a}` → `{b}`" for a, b in ex.get(k, [])[:3])
                     + ")" for k, n in classes.most_common()]
            lines.append(f"- **{name}**, HMM {'on' if hmm == 'True' else 'off'}: "
                         + ", ".join(parts))
    if r.get("userdict_sentences_jieba"):
        lines += ["", "User dictionary (" + ", ".join(
            f"{w}" + (f" {f}" if f else "") for w, f, _t in USER_WORDS)
            + "; rjieba has no `load_userdict`, so `add_word` per line): jieba cuts "
            + " ".join(f"`{s}`" for s in r["userdict_sentences_jieba"])]
    if r.get("fuzzy"):
        lines += ["", "### What word-level 模糊 would find (jieba words of every paragraph, "
                  f"{len(r['fuzzy'])} terms, all {r['corpus_paragraphs']:,} "
                  "corpus paragraphs, repeats included)", "",
                  "exact = the term as a substring; today's 模糊 = each of the term's jieba words "
                  "as a substring (searcher/words.py); word-level = each word among the "
                  "paragraph's own jieba words (what BM25 on a word field would match).", "",
                  "| term | words | exact | today's 模糊 | word-level | word-level, not exact | "
                  "exact hits word-level misses | e.g. found only by words | e.g. missed |",
                  "|---|---|---|---|---|---|---|---|---|"]
        for f in r["fuzzy"]:
            lines.append(f"| {f['term']} | {'/'.join(f['words'])} | {f['exact']:,} | "
                         f"{f['today']:,} | {f['word_level']:,} | {f['word_level_not_exact']:,} | "
                         f"{f['exact_missed_by_word_level']:,} | {f['example_new'] or '—'} | "
                         f"{f['example_missed'] or '—'} |")
    lines += ["", f"<!-- /{MARK} -->", ""]
    return "\n".join(lines)


def write_section(path: Path, mark: str, section: str) -> None:
    """Replace the marked section in `path`, or append it."""
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    pattern = re.compile(rf"<!-- {re.escape(mark)} -->.*?<!-- /{re.escape(mark)} -->\n?", re.S)
    if pattern.search(text):
        text = pattern.sub(lambda _m: section, text)
    else:
        text = text.rstrip("\n") + ("\n\n" if text.strip() else "") + section
    path.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["_worker"]:
        print(json.dumps(w_segment(json.loads(argv[1]))))
        return 0
    ap = argparse.ArgumentParser(prog="python -m bench.jieba_ports",
                                 description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "100k",
                    help="corpus folder (bench.run's layout; generated when missing)")
    ap.add_argument("--reports", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--max-paragraphs", type=int, default=None,
                    help="sample this many distinct corpus paragraphs (default: all)")
    ap.add_argument("--segmenters", default=",".join(SEGMENTERS))
    ap.add_argument("--json", type=Path, default=None, help="also write the raw results here")
    ap.add_argument("--results", type=Path, default=None,
                    help="Markdown file to put the section in (e.g. bench/RESULTS.md)")
    args = ap.parse_args(argv)
    r = run(args.out, args.reports, args.seed, args.max_paragraphs, args.segmenters.split(","))
    if args.json:
        args.json.write_text(json.dumps(r, ensure_ascii=False, indent=1), encoding="utf-8")
    md = markdown(r)
    print(md)
    if args.results:
        write_section(args.results, MARK, md)
    return 0


if __name__ == "__main__":
    sys.exit(main())
