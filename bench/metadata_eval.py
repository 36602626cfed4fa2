"""Per-field accuracy of the metadata stage on hand-labelled real reports (issue 11).

    python -m bench.metadata_eval [--split tune|held_out|all] [--texts DIR] [--json] [--failures]

Reads tests/data/metadata_eval/labels.yaml (one entry per report: the file, the page it came
from, the split, and the fields a person read from the text), runs what `reportsearch inspect
--json` runs (index.pipeline.read_report) on each text with its page address given the way a
corpus gives it (manifest.csv beside the files), and prints, per field, how many reports got
the labelled value. The texts are third-party pages and are not in the repository; a report
whose text is missing is counted as missing, not as wrong.

How a value counts as right:
- year, published, province, city, level, issuer_type: equal to the label (a null label
  wants null: a value the text does not give is an invented one).
- title: only reports whose label has a title count; the report's own characters must come
  out, whitespace aside.
- issuer: the same organisation written the same way, ignoring whitespace, Traditional vs
  Simplified characters, a government's formal ending (某县 = 某县人民政府), which the
  citation form (issuer_full) adds anyway, and the names of the places above it that a page
  may write before it (那曲市色尼区 = 色尼区; province and city are fields of their own).
"""
from __future__ import annotations

import argparse
import csv
import json
import shutil
import sys
import tempfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
EVAL_DIR = ROOT / "tests" / "data" / "metadata_eval"
FIELDS = ("year", "published", "province", "city", "level", "issuer_type", "title", "issuer")
_GOVERNMENT_ENDINGS = ("人民政府", "行政公署", "办事处", "政府", "行署")


def load_labels(path: Path = EVAL_DIR / "labels.yaml") -> list[dict]:
    entries = yaml.safe_load(path.read_text(encoding="utf-8"))
    for entry in entries:
        if entry.get("published") is not None:
            entry["published"] = str(entry["published"])  # YAML reads 2024-03-28 as a date
    return entries


def _without_parents(key: str) -> str:
    """The organisation without the places above it that its name may be written with:
    那曲市色尼区 -> 色尼区, 鲤城区人民政府金龙街道办事处 -> 金龙街道办事处, 辰溪县小龙门乡 ->
    小龙门乡. A place is dropped only when another place or a unit of its government follows,
    so 大足区卫生健康委员会 keeps its 大足区."""
    from index.places import find_mentions
    while True:
        mentions = find_mentions(key)
        if not mentions or mentions[0].start != 0:
            return key
        rest = key[mentions[0].end:]
        under_government = rest.startswith("人民政府") and len(rest) > len("人民政府") + 2
        rest = rest[len("人民政府"):] if under_government else rest
        follows = find_mentions(rest)
        if under_government or (follows and follows[0].start == 0 and len(rest) > len(follows[0].name) - 1):
            key = rest
        else:
            return key


def _issuer_key(name: str | None) -> str | None:
    from index.normalize import match_form
    if not name:
        return None
    key = _without_parents(match_form(name))
    for ending in _GOVERNMENT_ENDINGS:
        if key.endswith(ending) and len(key) > len(ending) + 1:
            return key[: -len(ending)]
    return key


def field_right(field: str, want, got: dict) -> bool | None:
    """Whether the extraction `got` (inspect --json keys) has the labelled value; None when
    the field does not count for this report (a title the page does not have)."""
    if field == "title":
        if want is None:
            return None
        title = None if got.get("title_derived") else got.get("title")
        return title is not None and "".join(title.split()) == "".join(str(want).split())
    if field == "issuer":
        return _issuer_key(want) in (_issuer_key(got.get("issuer")), _issuer_key(got.get("issuer_full")))
    return got.get(field) == want


def extract_all(entries: list[dict], texts: Path) -> dict[str, dict | None]:
    """inspect --json of every labelled text found in `texts` (None when it is missing),
    read from a copy with a manifest.csv naming each page's address."""
    from index.config import default_config
    from index.model import IngestError
    from index.pipeline import read_report

    config = default_config()
    out: dict[str, dict | None] = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        with open(folder / "manifest.csv", "w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(["file", "url"])
            for entry in entries:
                if entry.get("url"):
                    writer.writerow([entry["file"], entry["url"]])
        for entry in entries:
            source = texts / entry["file"]
            if not source.is_file():
                out[entry["file"]] = None
                continue
            shutil.copyfile(source, folder / entry["file"])
            try:
                out[entry["file"]] = read_report(folder / entry["file"], config).to_json()
            except IngestError as exc:
                out[entry["file"]] = {"error": str(exc)}
    return out


def score(entries: list[dict], results: dict[str, dict | None]) -> dict:
    """Per field: right, counted, and the failures (file, wanted, got)."""
    table = {f: {"right": 0, "counted": 0, "failures": []} for f in FIELDS}
    missing = []
    for entry in entries:
        got = results.get(entry["file"])
        if got is None:
            missing.append(entry["file"])
            continue
        for field in FIELDS:
            right = field_right(field, entry.get(field), got)
            if right is None:
                continue
            row = table[field]
            row["counted"] += 1
            if right:
                row["right"] += 1
            else:
                row["failures"].append({"file": entry["file"], "want": entry.get(field),
                                        "got": got.get(field) if "error" not in got else got["error"]})
    return {"reports": len(entries) - len(missing), "missing": missing, "fields": table}


def run(split: str = "all", texts: Path = EVAL_DIR / "texts") -> dict:
    entries = [e for e in load_labels() if split == "all" or e["split"] == split]
    return score(entries, extract_all(entries, texts))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("tune", "held_out", "all"), default="tune")
    parser.add_argument("--texts", type=Path, default=EVAL_DIR / "texts")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--failures", action="store_true", help="list every wrong value")
    args = parser.parse_args(argv)
    result = run(args.split, args.texts)
    if args.json:
        json.dump(result, sys.stdout, ensure_ascii=False, indent=2, default=str)
        print()
        return 0
    print(f"split {args.split}: {result['reports']} reports"
          + (f" ({len(result['missing'])} texts missing)" if result["missing"] else ""))
    for field, row in result["fields"].items():
        share = row["right"] / row["counted"] if row["counted"] else 0
        print(f"  {field:12} {row['right']:3}/{row['counted']:<3} {share:6.1%}")
    if args.failures:
        for field, row in result["fields"].items():
            for f in row["failures"]:
                print(f"  ✗ {field:12} {f['file']}  want {f['want']!r}  got {f['got']!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
