"""Evidence and votes: every rule that reads a field proposes a candidate value with the text
that shows it and a weight; the value with the largest total weight wins (ties: the value
proposed first). `reportsearch inspect --explain` prints the winner, its evidence and the
runners-up, so a reader can see why a field got its value."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Candidate:
    value: object
    rule: str            # which rule proposed it (标题行, 落款, 门户字段 发布机构, 网址 …)
    evidence: str = ""   # the words of the text (or the address) it was read from
    weight: float = 1.0


@dataclass
class Ballot:
    """The candidates of every field of one report, in the order the rules proposed them."""
    fields: dict[str, list[Candidate]] = field(default_factory=dict)

    def add(self, name: str, value, rule: str, evidence: str = "", weight: float = 1.0) -> None:
        if value is not None and value != "":
            self.fields.setdefault(name, []).append(Candidate(value, rule, evidence, weight))

    def totals(self, name: str) -> list[tuple[object, float]]:
        """Each proposed value with its total weight, best first (stable for ties)."""
        totals: dict[object, float] = {}
        for c in self.fields.get(name, []):
            totals[c.value] = totals.get(c.value, 0.0) + c.weight
        return sorted(totals.items(), key=lambda kv: -kv[1])

    def decide(self, name: str):
        ranked = self.totals(name)
        return ranked[0][0] if ranked else None

    def explain(self, decided: dict[str, object], supports=None) -> dict[str, dict]:
        """Per field: the value the record has, the candidates that proposed or supported it
        (`supports[field](value, candidate_value)`, e.g. 县教育局 supports 岱山县教育局), and
        the other values with their total weight."""
        out = {}
        for name, value in decided.items():
            backs = (supports or {}).get(name) or (lambda v, c: v == c)
            cands = self.fields.get(name, [])
            out[name] = {
                "value": value,
                "evidence": [vars(c) for c in cands if backs(value, c.value)],
                "runners_up": [{"value": v, "weight": round(w, 2)}
                               for v, w in self.totals(name) if not backs(value, v)],
            }
        return out
