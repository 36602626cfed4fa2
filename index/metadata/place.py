from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from ..places import Mention, Place, find_mentions, is_within, load_gazetteer, places_with_short
from .common import _LEVEL_OF_DEPTH, _LEVEL_RANK
from .dates import _in_book_title
from .issuer import _ends_with, _org_name_at, issuer_type_of, street_places

# ---------------------------------------------------------------- places

@dataclass
class PlaceGuess:
    place: Place | None       # the issuer's place when the text settles it
    province: str | None
    city: str | None
    level: str | None
    named_by: int = -1        # index of the name in `names` that gave it (-1: none did)


def _regional_short(name: str) -> tuple[Place, ...]:
    return tuple(p for p in places_with_short(name) if p.level in ("province", "city"))


def _listed_short_mentions(text: str) -> list[Mention]:
    """Short names of provinces and cities listed together ("对广东、深圳系列重要讲话",
    "学习借鉴银川、固原经验"): a bare short name is a common word too often to be read
    alone, but two of them on both sides of 、 are a list of places."""
    out = []
    for sep in re.finditer("、", text):
        p = sep.start()
        before = next(((p - n, text[p - n:p]) for n in (4, 3, 2)
                       if p - n >= 0 and _regional_short(text[p - n:p])), None)
        after = next(((p + 1, text[p + 1:p + 1 + n]) for n in (4, 3, 2)
                      if _regional_short(text[p + 1:p + 1 + n])), None)
        if before and after:
            for start, name in (before, after):
                out.append(Mention(start, start + len(name), name, _regional_short(name)))
    return out


def slogan_mentions(text: str, words: tuple[str, ...] = ("法治", "平安")) -> list[Mention]:
    """Short place names right after a slogan word: 法治浙江, 平安温州, 法治大通, 视察宁夏
    (the words are the `place_slogan_words` of the configuration)."""
    out = []
    for m in re.finditer("|".join(map(re.escape, words)), text):
        for length in (4, 3, 2):
            name = text[m.end(): m.end() + length]
            places = places_with_short(name) if len(name) == length else ()
            if places:
                out.append(Mention(m.end(), m.end() + length, name, places))
                break
    return out


def _short_mentions(text: str, words: tuple[str, ...] = ("法治", "平安")) -> list[Mention]:
    """Short place names in slogans and in lists."""
    return _listed_short_mentions(text) + slogan_mentions(text, words)


def _relation_weight(cand: Place, other: Place) -> float:
    """How strongly naming `other` in the text supports `cand` as the issuer's place."""
    if other == cand:
        return 0.0
    if is_within(cand, other):
        # The text names a place above the candidate: its county, city or province.
        return {"province": 2.0, "city": 3.0, "county": 3.0}[other.level]
    if other.province != cand.province:
        return 0.0
    if cand.county and other.county == cand.county and other.city == cand.city:
        return 1.0    # a neighbouring town of the same county
    if cand.city is None and other.level != "province":
        return 1.0    # a neighbour inside a municipality or a 省直辖 area
    if cand.city and other.city == cand.city:
        return 1.0    # a neighbour inside the same prefecture
    return 0.5        # same province only


def _context_score(cand: Place, mentions: list[Mention], superiors: list[Mention]) -> float:
    """Evidence for one reading of an ambiguous name, from every other place named in the
    text. Each mention counts its best relation (see `_relation_weight`) divided by the number
    of places its name can be, so an ambiguous word such as 城关镇 (99 places) adds little;
    places in the addressee line ("常州市人民政府:") are the issuer's superiors and count
    three times."""
    score = 0.0
    for group, factor in ((mentions, 1.0), (superiors, 3.0)):
        for m in group:
            if m.name == cand.name:
                continue
            score += factor * max(_relation_weight(cand, p) for p in m.places) / len(m.places)
    return score


def _issuer_mentions(name: str) -> list[Mention]:
    mentions = find_mentions(name)
    if mentions:
        return mentions
    streets = street_places(name)
    if streets:
        return [Mention(0, len(name), name, streets)]  # 鹤龙街 = 鹤龙街道
    # Short forms at the start of a name: 新疆自治区司法厅, 延边州人民政府.
    for length in (4, 3, 2):
        places = places_with_short(name[:length])
        if places:
            return [Mention(0, length, name[:length], places)]
    return []


def _candidates(mentions: list[Mention]) -> list[Place]:
    deepest = max(mentions, key=lambda m: max(p.depth for p in m.places))
    others = [m for m in mentions if m is not deepest]
    cands = [p for p in deepest.places
             if all(any(is_within(p, q) for q in m.places) for m in others)]
    return cands or list(deepest.places)


def _agreed(values: list[str | None]) -> str | None:
    return values[0] if values and all(v == values[0] for v in values) else None


def _vote_region(mentions: list[Mention]) -> tuple[str | None, str | None]:
    """Province (and city) that most place names in the text belong to, when clear."""
    provinces: Counter = Counter()
    for m in mentions:
        for p in m.places:
            provinces[p.province] += 1 / len(m.places)
    if not provinces:
        return None, None
    province, top = provinces.most_common(1)[0]
    if top < 2 or top / sum(provinces.values()) < 0.6:
        return None, None
    cities: Counter = Counter()
    for m in mentions:
        for p in m.places:
            if p.province == province and p.city:
                cities[p.city] += 1 / len(m.places)
    city = None
    if cities:
        city, ctop = cities.most_common(1)[0]
        if ctop < 2 or ctop / sum(cities.values()) < 0.6:
            city = None
    return province, city


def guess_place(names: list[str], text: str, superiors_text: str,
                slogan_words: tuple[str, ...] = ("法治", "平安")) -> PlaceGuess:
    """The issuer's place from the first of `names` (issuer, title, first sentence) that
    names one, disambiguated by the rest of the text."""
    mentions_in_text = find_mentions(text) + _short_mentions(text, slogan_words)
    for name in names:
        if not name:
            continue
        own = _issuer_mentions(name)
        if not own:
            continue
        cands = _candidates(own)
        if len(cands) > 1:
            superiors = find_mentions(superiors_text)
            scored = sorted(((_context_score(c, mentions_in_text, superiors), c) for c in cands),
                            key=lambda sc: sc[0], reverse=True)
            best = scored[0][0]
            if best > 0 and best > scored[1][0]:
                cands = [scored[0][1]]
            else:
                cands = [c for s, c in scored if s == best]
        level = _agreed([_LEVEL_OF_DEPTH[c.level] for c in cands])
        named_by = names.index(name)
        if len(cands) == 1:
            return PlaceGuess(cands[0], cands[0].province, cands[0].city, level, named_by)
        return PlaceGuess(None, _agreed([c.province for c in cands]),
                          _agreed([c.city for c in cands]), level, named_by)
    # No name of the issuer's place: its superior in the addressee line still tells the
    # province (and city), though not the level.
    superior = _issuer_mentions(superiors_text) if superiors_text else []
    if superior:
        cands = _candidates(superior)
        province = _agreed([c.province for c in cands])
        if province:
            return PlaceGuess(None, province, _agreed([c.city for c in cands]), None)
    province, city = _vote_region(mentions_in_text)
    return PlaceGuess(None, province, city, None)


def _suffix_level(issuer: str | None, cfg: dict, levels_cfg: dict) -> str | None:
    """Level from the ending of the issuer's place part (两路街道办事处 -> 街道 -> 乡镇级)."""
    if not issuer:
        return None
    # Shortest government ending first: 街道办事处 must leave "…街道", not "…".
    endings = sorted((s for s in cfg["government_suffixes"] if issuer.endswith(s)), key=len)
    for name in [issuer[: -len(s)] for s in endings] + [issuer]:
        mentions = find_mentions(name)
        if mentions and mentions[-1].end == len(name):
            return None  # the gazetteer knows this place and its level (北京市 is 省级)
        if name in (levels_cfg.get("role_words") or {}):
            # A role with no place (自治区人民政府): its level word's level, not that of the
            # word's last character (区).
            return levels_cfg["role_words"][name]
        best, best_len = None, 0
        for level, words in (levels_cfg.get("suffixes") or {}).items():
            for word in words:
                if name.endswith(word) and len(word) > best_len and len(name) > len(word):
                    best, best_len = level, len(word)
        if best:
            return best
    return None


def _self_reference(text: str, levels_cfg: dict) -> tuple[str, str] | None:
    """(level, word) of the way the report most often refers to itself (我镇 -> 乡镇级)."""
    words = levels_cfg.get("self_reference") or {}
    counts = {level: 0 for level in _LEVEL_RANK}
    for word, level in words.items():
        counts[level] += text.count(word)
    level, n = max(counts.items(), key=lambda kv: kv[1])
    if not n:
        return None
    word = max((w for w, lv in words.items() if lv == level), key=text.count)
    return level, word


def _self_named(text: str, level: str, word: str, cfg: dict, levels_cfg: dict,
                hosts: tuple = ()) -> tuple[Place | None, str | None]:
    """When the report only says 我市/市局, the one place of that level it names anywhere
    (cited documents included: 《某市人民政府关于…》) is its own; the issuer is that place's
    government or department as the text writes it, matching the kind the word implies
    (市局 -> a department, 我市 -> the government). A name of several places (东庄镇 in
    three counties) is the one within a place the page's address spells (`hosts`)."""
    mentions = [m for m in find_mentions(text)
                if all(_LEVEL_OF_DEPTH[p.level] == level for p in m.places)]
    if len({m.name for m in mentions}) != 1:
        return None, None
    places = mentions[0].places
    if len(places) > 1:
        places = tuple(p for p in places if any(is_within(p, h) for h in hosts))
    if len(places) != 1:
        return None, None
    kind = "部门" if _ends_with(word, cfg["department_suffixes"]) else "政府"
    for m in mentions:
        org = _org_name_at(text, m.start, m.end, cfg)
        if org != m.name and issuer_type_of(org, cfg, levels_cfg) == kind:
            return places[0], org
    return places[0], None



def town_named_by_text(text: str, word: str, slogan_words: tuple[str, ...],
                       common: tuple[str, ...] = ()) -> str | None:
    """A town's name when the report only says 我镇/我乡/我街道 and the gazetteer does not know
    the town: the name the text writes with that ending at the start of a sentence or after a
    place name ("东里镇深入贯彻…"), or a slogan carrying it (法治舒桥 + 我乡 -> 舒桥乡). The
    most frequent wins; None when nothing or a tie."""
    suffix = word[1:]
    if suffix not in ("镇", "乡", "街道"):
        return None
    counts: dict[str, int] = {}
    for m in re.finditer(rf"(?:^|(?<=[\n,。;:、,;:“”]))([\u4e00-\u9fff]{{2,3}}?){suffix}(?![\u4e00-\u9fff]?[村级域])", text):
        counts[m.group(1)] = counts.get(m.group(1), 0) + 1
    for m in re.finditer(rf"(?:{'|'.join(map(re.escape, slogan_words))})([\u4e00-\u9fff]{{2}})[”’\"']?(?:建设|{suffix})", text):
        counts[m.group(1)] = counts.get(m.group(1), 0) + 2
    # A town's name is not a common word: every time the text writes it, it is the town's
    # (东里镇, 法治东里); 法治政府 leaves 政府, a word the text also uses alone.
    slogan = "|".join(map(re.escape, slogan_words))
    counts = {k: v for k, v in counts.items() if not any(c in k for c in "全本我该各乡镇街") and k not in common
              and text.count(k) == len(re.findall(rf"(?:{slogan}){k}|{k}{suffix}", text))}
    ranked = sorted(counts.items(), key=lambda kv: -kv[1])
    if not ranked or (len(ranked) > 1 and ranked[0][1] == ranked[1][1]):
        return None
    return ranked[0][0] + suffix


def department_named_by_text(text: str, word: str, cfg: dict, levels_cfg: dict) -> str | None:
    """A department's own name when it only says 我厅/我局/我委: the organisation with that
    ending that the text names with its place (《广东省司法厅规范性文件…》, 《2024年度霍邱县
    应急管理局学法计划》), the most frequent one; None when none or a tie."""
    ending = word[-1]
    if ending not in "厅局委办":
        return None
    counts: dict[str, int] = {}
    inside = -1         # the end of the last name counted: 永定区 in 龙岩市永定区卫生健康局 is in it
    for m in find_mentions(text):
        if m.start < inside:
            continue
        org = _org_name_at(text, m.start, m.end, cfg)
        if org != m.name and org.endswith(ending) and issuer_type_of(org, cfg, levels_cfg) == "部门":
            counts[org] = counts.get(org, 0) + 1
            inside = m.start + len(org)
    ranked = sorted(counts.items(), key=lambda kv: -kv[1])
    if not ranked or (len(ranked) > 1 and ranked[0][1] == ranked[1][1]):
        return None
    return ranked[0][0]


def _province_short_mentions(text: str) -> list[Mention]:
    """Provinces named by their short form anywhere (为上海加快建设, 考察青海): a province's
    short name is rarely an ordinary word; read only for a report naming itself 省/市 by
    role."""
    out = []
    for p in load_gazetteer().provinces:
        short = p.short or ""
        if len(short) >= 2 and short != p.name:
            out += [Mention(m.start(), m.end(), short, (p,)) for m in re.finditer(re.escape(short), text)
                    if not text.startswith(p.name, m.start())]
    return out


@lru_cache(maxsize=1)
def _towns_by_county() -> dict[tuple[str, str | None, str], tuple[Place, ...]]:
    towns: dict[tuple[str, str | None, str], list[Place]] = {}
    for places in load_gazetteer().by_name.values():
        for p in places:
            if p.level == "town" and p.county:
                towns.setdefault((p.province, p.city, p.county), []).append(p)
    return {k: tuple(dict.fromkeys(v)) for k, v in towns.items()}


def town_of_county_by_short(text: str, county: Place) -> tuple[Place, int] | None:
    """The town of `county` whose name without 街道/镇/乡 the text writes most (鱼复 in
    "谱写鱼复法治建设新篇章" -> 鱼复街道), for a town report naming itself by role only; None
    when no town's short name is written or two tie."""
    counts = []
    for town in _towns_by_county().get((county.province, county.city, county.name), ()):
        short = re.sub(r"(街道|镇|乡|苏木)$", "", town.name)
        if len(short) >= 2:
            n = text.count(short)
            if n:
                counts.append((n, town))
    counts.sort(key=lambda c: -c[0])
    if not counts or (len(counts) > 1 and counts[0][0] == counts[1][0]):
        return None
    return counts[0][1], counts[0][0]


def places_of_level(level: str, text: str, slogan_words: tuple[str, ...],
                    hosts: tuple[Place, ...], province_shorts: bool = False) -> list[tuple[Place, float, str]]:
    """Places of `level` the report names, scored as its own place when it calls itself only
    by a role (区司法局, 县人民政府, 我局, 自治区): each mention counts 1 divided by the number
    of places its name can be, twice inside a cited document (《某县人民政府…》) or a slogan
    (法治某某, 视察某某), and the page's address adds 1.5 divided by the places it spells;
    with `province_shorts`, a province's short form (上海, 青海) counts 1 too.
    Best first: [(place, score, evidence)]."""
    scores: dict[Place, float] = {}
    said: dict[Place, list[str]] = {}
    mentions = [(m, False) for m in find_mentions(text)]
    mentions += [(m, True) for m in slogan_mentions(text, slogan_words)]
    if province_shorts and level == "省级":
        mentions += [(m, False) for m in _province_short_mentions(text)]
    for m, slogan in mentions:
        places = [p for p in m.places if _LEVEL_OF_DEPTH[p.level] == level]
        if not places:
            continue
        strong = slogan or _in_book_title(text, m.start)
        for p in places:
            scores[p] = scores.get(p, 0.0) + (2.0 if strong else 1.0) / len(m.places)
            context = text[max(0, m.start - 2): m.end + 4].replace("\n", " ")
            if len(said.setdefault(p, [])) < 3 and context not in said[p]:
                said[p].append(context)
    level_hosts = [p for p in hosts if _LEVEL_OF_DEPTH[p.level] == level]
    for p in level_hosts:
        scores[p] = scores.get(p, 0.0) + 1.5 / len(level_hosts)
        said.setdefault(p, []).append("网址")
    ranked = sorted(scores.items(), key=lambda kv: -kv[1])
    return [(p, s, "、".join(said.get(p, []))) for p, s in ranked]
