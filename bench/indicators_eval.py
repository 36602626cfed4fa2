"""Precision and recall of indicator extraction on the hand-labelled set
(tests/data/indicator_eval.yaml): python -m bench.indicators_eval [--show]

A statement is its (indicator, value, unit, change); extracted and labelled statements of a
text are paired one to one. An uncatalogued rate's name matches when one name ends with the
other (全市 or 平均 before a name is a qualifier, not part of it). A statement the rules mark
as a plan target (target=true) is left out: targets are not labelled, so a target the rules
miss costs precision and a result they wrongly call a target costs recall."""
from __future__ import annotations

import argparse
from pathlib import Path

import yaml

from index.indicators import extract_statements, rules_of

EVAL_FILE = Path(__file__).resolve().parent.parent / "tests" / "data" / "indicator_eval.yaml"


def load_eval_set(path: Path = EVAL_FILE) -> dict[str, list[dict]]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _same(got: tuple, want: tuple, catalogued: set) -> bool:
    g_name, g_value, g_unit, g_change = got
    w_name, w_value, w_unit, w_change = want
    if (abs(g_value - float(w_value)) > 1e-9 or g_unit != w_unit
            or bool(g_change) != bool(w_change)):
        return False
    if g_name in catalogued or w_name in catalogued:
        return g_name == w_name
    return g_name.endswith(w_name) or w_name.endswith(g_name)


def text_scores(text: str, labels: list, config=None) -> tuple[int, int, int, list, list]:
    """(matched, extracted, labelled, extracted-but-wrong, missed) for one text."""
    catalogued = set(rules_of(config).kinds)
    got = [(s.indicator, s.value, s.unit, s.change) for s in extract_statements(text, config)
           if not s.target]
    want = [tuple(x) for x in labels]
    unmatched = list(want)
    wrong = []
    for g in got:
        hit = next((w for w in unmatched if _same(g, w, catalogued)), None)
        if hit is None:
            wrong.append(g)
        else:
            unmatched.remove(hit)
    return len(got) - len(wrong), len(got), len(want), wrong, unmatched


def split_scores(items: list[dict], config=None, show: bool = False) -> dict:
    matched = extracted = labelled = 0
    for item in items:
        m, e, l, wrong, missed = text_scores(item["text"], item["statements"], config)
        matched, extracted, labelled = matched + m, extracted + e, labelled + l
        if show and (wrong or missed):
            print("  ", item["text"][:70])
            for w in wrong:
                print("     extra ", w)
            for w in missed:
                print("     missed", w)
    return {"texts": len(items), "labelled": labelled, "extracted": extracted,
            "matched": matched,
            "precision": matched / extracted if extracted else 1.0,
            "recall": matched / labelled if labelled else 1.0}


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--show", action="store_true", help="print each wrong or missed statement")
    args = ap.parse_args(argv)
    for split, items in load_eval_set().items():
        if args.show:
            print(split)
        s = split_scores(items, show=args.show)
        print(f"{split:9s} texts {s['texts']:3d}  labelled {s['labelled']:3d}  "
              f"extracted {s['extracted']:3d}  precision {s['precision']:.3f}  "
              f"recall {s['recall']:.3f}")


if __name__ == "__main__":
    main()
