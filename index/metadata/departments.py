"""Departments by what they do: a report that speaks only as 我局/我委/我厅 and never writes
its own name is named from the catalogue in the `departments:` block of the configuration
(the department whose words its text uses most, with the ending its self-word has: 我委 ->
卫生健康委员会, 我厅 -> 交通运输厅) after the place the rest of the report settles; and a
department's short name (卫健委, 市场监管局) is written out in the citation form."""
from __future__ import annotations

from ..places import find_mentions


def _ending_fits(name: str, word: str) -> bool:
    """Whether a formal name has the ending a self-word implies (我委 -> …委员会)."""
    end = word[-1]
    if end == "委":
        return name.endswith(("委员会", "委"))
    if end == "办":
        return name.endswith(("办公室", "办"))
    return name.endswith(end)


def _formal_name(entry: dict, level: str | None, place: str = "") -> str:
    """The department's formal name at `level`: a province's (厅) at 省级, except in the four
    municipalities (天津市, written `place`), whose departments are named as a city's (局)."""
    provincial = level == "省级" and not place.endswith("市")
    return entry.get("province") if provincial and entry.get("province") else entry["name"]


def department_by_work(text: str, word: str, level: str | None, cfg: dict,
                       place: str = "") -> tuple[str, str] | None:
    """(formal name without place, evidence) of the department whose work the text speaks of
    most, among those whose name ends as `word` (我局, 我委, 我厅) says; None when no
    department's words occur, or two tie. `place`: the name of the department's place."""
    scored = []
    for entry in cfg.get("departments") or []:
        name = _formal_name(entry, level, place)
        if not _ending_fits(name, word):
            continue
        counts = {w: text.count(w) for w in entry.get("words", [])}
        n = sum(counts.values())
        if n:
            scored.append((n, name, "、".join(f"{w}×{c}" for w, c in counts.items() if c)))
    scored.sort(key=lambda s: -s[0])
    if not scored or (len(scored) > 1 and scored[0][0] == scored[1][0]):
        return None
    return scored[0][1], scored[0][2]


def written_out(name: str | None, level: str | None, cfg: dict) -> str | None:
    """A department's name with its short ending written out (张掖市卫生健康委 ->
    张掖市卫生健康委员会, 绍兴市市场监管局 -> 绍兴市市场监督管理局); other names unchanged."""
    if not name:
        return name
    mentions = find_mentions(name)
    place = mentions[0].name if mentions and mentions[0].start == 0 else ""
    for entry in cfg.get("departments") or []:
        for short in sorted(entry.get("short", []), key=len, reverse=True):
            if name.endswith(short) and len(name) > len(short):
                return name[: -len(short)] + _formal_name(entry, level, place)
    return name
