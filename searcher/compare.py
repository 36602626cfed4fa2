"""Compare two reports (issue 14): paragraphs aligned by canonical section, paired by
similarity, each pair with a character-level diff of the report's own characters.

Similarity is read on the match form (so width, Traditional/Simplified and spacing do not
count as changes); the diff is shown on the display text, which is what the user reads.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from difflib import SequenceMatcher

from index.model import SECTIONS
from index.normalize import match_form

# Pairs below this similarity are not the same paragraph edited but two different ones.
PAIR_THRESHOLD = 0.5
SAME = "相同"
CHANGED = "修改"
ADDED = "新增"
REMOVED = "删除"


@dataclass
class Pair:
    status: str                      # 相同 / 修改 / 新增 / 删除
    a: dict | None                   # paragraph of report A (id, text) or None
    b: dict | None
    similarity: float
    diff: list[tuple[str, str]] = field(default_factory=list)   # (op, text): = - +


@dataclass
class SectionComparison:
    section: str
    pairs: list[Pair]

    def summary(self) -> dict[str, int]:
        out = {SAME: 0, CHANGED: 0, ADDED: 0, REMOVED: 0}
        for p in self.pairs:
            out[p.status] += 1
        return out


@dataclass
class Comparison:
    a: dict                          # report records without their paragraphs
    b: dict
    sections: list[SectionComparison]

    def summary(self) -> dict[str, int]:
        out = {SAME: 0, CHANGED: 0, ADDED: 0, REMOVED: 0}
        for s in self.sections:
            for k, v in s.summary().items():
                out[k] += v
        return out

    def to_json(self) -> dict:
        return {"a": self.a, "b": self.b, "summary": self.summary(),
                "sections": [{"section": s.section, "summary": s.summary(),
                              "pairs": [asdict(p) for p in s.pairs]} for s in self.sections]}


def char_diff(a: str, b: str) -> list[tuple[str, str]]:
    """Character-level diff of two display texts: ("=", same) ("-", only in a) ("+", only
    in b), in reading order."""
    out: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(("=", a[i1:i2]))
            continue
        if i2 > i1:
            out.append(("-", a[i1:i2]))
        if j2 > j1:
            out.append(("+", b[j1:j2]))
    return out


def similarity(a: str, b: str) -> float:
    """0–1 similarity of two match forms (difflib's ratio)."""
    if not a and not b:
        return 1.0
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def _body(report: dict) -> dict[str, list[dict]]:
    """The report's comparable paragraphs by section, in order (headings and the
    signature block are structure, not content)."""
    out: dict[str, list[dict]] = {}
    for p in report.get("paragraphs") or []:
        if p.get("kind") in ("heading", "signature"):
            continue
        out.setdefault(p.get("section") or "其他", []).append(p)
    return out


def _pair_section(a_paras: list[dict], b_paras: list[dict], threshold: float) -> list[Pair]:
    """Greedy best-first pairing by similarity (each paragraph in at most one pair), then
    the pairs and the unpaired laid out in B's order with A's removed ones where they
    stood."""
    am = [match_form(p.get("text") or "") for p in a_paras]
    bm = [match_form(p.get("text") or "") for p in b_paras]
    candidates = []
    for i, x in enumerate(am):
        for j, y in enumerate(bm):
            if x == y:
                candidates.append((1.0, i, j))
                continue
            sm = SequenceMatcher(None, x, y, autojunk=False)
            if sm.real_quick_ratio() < threshold or sm.quick_ratio() < threshold:
                continue
            r = sm.ratio()
            if r >= threshold:
                candidates.append((r, i, j))
    candidates.sort(key=lambda c: (-c[0], c[1], c[2]))
    a_of_b: dict[int, tuple[int, float]] = {}
    used_a: set[int] = set()
    for r, i, j in candidates:
        if i in used_a or j in a_of_b:
            continue
        used_a.add(i)
        a_of_b[j] = (i, r)

    def brief(p):
        return {"id": p.get("id"), "text": p.get("text") or ""}

    pairs: list[Pair] = []
    next_a = 0
    for j, bp in enumerate(b_paras):
        if j in a_of_b:
            i, r = a_of_b[j]
            # A's unpaired paragraphs that came before this pair's A paragraph
            while next_a < i:
                if next_a not in used_a:
                    pairs.append(Pair(REMOVED, brief(a_paras[next_a]), None, 0.0))
                next_a += 1
            next_a = max(next_a, i + 1)
            ap = a_paras[i]
            same = am[i] == bm[j]
            pairs.append(Pair(SAME if same else CHANGED, brief(ap), brief(bp), round(r, 3),
                              [] if same else char_diff(ap.get("text") or "",
                                                        bp.get("text") or "")))
        else:
            pairs.append(Pair(ADDED, None, brief(bp), 0.0))
    for i in range(next_a, len(a_paras)):
        if i not in used_a:
            pairs.append(Pair(REMOVED, brief(a_paras[i]), None, 0.0))
    return pairs


def compare_reports(a: dict, b: dict, threshold: float = PAIR_THRESHOLD) -> Comparison:
    """A (usually the earlier report) against B, section by section in canonical order."""
    body_a, body_b = _body(a), _body(b)
    order = [s for s in SECTIONS if s in body_a or s in body_b]
    order += sorted((set(body_a) | set(body_b)) - set(order))
    sections = [SectionComparison(s, _pair_section(body_a.get(s, []), body_b.get(s, []),
                                                   threshold)) for s in order]

    def record(r):
        return {k: v for k, v in r.items() if k not in ("paragraphs", "path")}
    return Comparison(record(a), record(b), sections)
