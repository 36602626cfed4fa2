"""Deterministic benchmark corpus: raw report files recombined from the seeds' paragraphs.

    python -m bench.generate --reports 2000 --seed 1 --out var/bench/corpus

Each generated report takes a real place from jionlp's gazetteer (province / prefecture /
county / town), an issuer at one of the four levels, a year 2016-2024, and paragraphs of the
seed reports recombined part by part (what a seed says under 主要举措和成效 stays under that
part, 不足 under 不足 ...). Place names of a seed are replaced consistently with the new
report's places, years are shifted to the new year, percentages and counts perturbed.
Heading styles, page chrome, split titles and signatures vary per report.

Same --reports/--seed/--paragraphs-per-report -> byte-identical files: every report draws
from its own random.Random seeded with "<seed>:<number>", so report k is the same whether
you generate 5 reports or 20,000.

`manifest.jsonl` (one JSON object a line, in file order) holds the metadata each file was
generated with, in the conventions of index.model.Metadata (short province/city names, city
null for the four municipalities), so metadata extraction can be scored against it.

It also holds the ground truth of reused text: `sources`, one entry per body line (the
report's lines from `body_start` on, blank lines not counted), naming the source unit the
line was filled from: `<seed file>#<digest of the seed text>` for a seed paragraph, heading
or item (the same unit in two reports = the same text with other places and figures), or
`template:<what>` for text the generator writes itself (template part headings, 无。).
Recording it draws no random numbers, so the files are the same bytes as without it.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import sys
import time
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from index.places import city_short, gazetteer_file, read_lines

SEEDS_DIR = Path(__file__).resolve().parent.parent / "seeds"

LEVEL_DEPTH = {"省级": 0, "市级": 1, "县级": 2, "乡镇级": 3}
# How often each level issues a report in the generated corpus (counties dominate in reality).
LEVEL_WEIGHTS = {"省级": 1, "市级": 3, "县级": 4, "乡镇级": 2}
MUNICIPALITIES = ("北京市", "天津市", "上海市", "重庆市")

CN_DIGITS = "〇一二三四五六七八九"


# ---------------------------------------------------------------------------- gazetteer

@dataclass(eq=False)
class Place:
    name: str                      # full name as the gazetteer writes it: 瑞安市
    short: str                     # short name: 瑞安 (towns: the name without 镇/乡/街道)
    depth: int                     # 0 province, 1 city, 2 county, 3 town
    parent: "Place | None" = None
    children: list["Place"] = field(default_factory=list)

    def chain(self) -> list["Place"]:
        out, node = [], self
        while node is not None:
            out.append(node)
            node = node.parent
        return out[::-1]

    def ancestor(self, depth: int) -> "Place":
        node = self
        while node.depth > depth:
            node = node.parent
        return node


def _town_short(name: str) -> str:
    for suffix in ("街道办事处", "街道", "镇", "乡"):
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


@dataclass
class Gazetteer:
    provinces: list[Place]
    by_name: dict[str, list[Place]]


@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    """Provinces, cities, counties and towns (villages skipped) of jionlp's china_location."""
    path = gazetteer_file()
    if path is None:
        raise SystemExit("jionlp is not installed; its gazetteer data file is needed")
    provinces: list[Place] = []
    by_name: dict[str, list[Place]] = {}
    stack: list[Place | None] = [None, None, None, None]
    for line in read_lines(path):
        depth = len(line) - len(line.lstrip("\t"))
        if depth > 3:
            continue
        cols = line.strip().split("\t")
        name = cols[0]
        # jionlp lists some short names as alternatives (巴州/巴音郭楞): take the longest.
        short = max(cols[2].split("/"), key=len) if len(cols) > 2 and cols[2] else _town_short(name)
        if depth == 1:
            short = city_short(name, cols[2] if len(cols) > 2 else "")
        parent = stack[depth - 1] if depth else None
        if depth and parent is None:
            continue  # under a unit we skip (see below)
        # Keep only real administrative units: 市直辖行政区划/省直辖行政区划, 农场, 开发区,
        # 管委会 ... are bookkeeping entries, not places that issue reports.
        ok = (
            depth == 0 and name not in ("香港特别行政区", "澳门特别行政区", "台湾省")
            or depth == 1 and not name.endswith("行政区划")
            or depth == 2 and name[-1] in "区县市旗" and not name.endswith("行政区划")
            or depth == 3 and name.endswith(("镇", "乡", "街道"))
        )
        if not ok:
            for d in range(depth, 4):
                stack[d] = None
            continue
        place = Place(name, short, depth, parent)
        if parent is not None:
            parent.children.append(place)
        else:
            provinces.append(place)
        by_name.setdefault(name, []).append(place)
        stack[depth] = place
        for d in range(depth + 1, 4):
            stack[d] = None
    return Gazetteer(provinces, by_name)


def is_municipality(place: Place) -> bool:
    return place.ancestor(0).name in MUNICIPALITIES


# ---------------------------------------------------------------------------- seed parsing

H1 = re.compile(r"^\s*([一二三四五六七八九十]+)[、,,]\s*")
H2 = re.compile(r"^\s*[((]([一二三四五六七八九十]+)[))]\s*")
H3 = re.compile(r"^\s*(\d{1,2})(?:[.、．]|\s)\s*(?!\d)")
ENUM = re.compile(r"^\s*[一二三四五六七八九十]+是")
INLINE_ENUM = re.compile(r"(?<=[。;;])\s*(?=[一二三四五六七八九十]+是)")
# Lines of the seed pages that are not report text (feedback forms, print buttons).
SEED_NOISE = re.compile(r"请您|扫一扫|打印本页|关闭窗口|联系电话|此件公开发布|^\s*[•·]")
YEAR = re.compile(r"(?<![\d—\-–~〜至])(\d{4})(?=年)(?!年?[—\-–~〜至]\d)")

# Words of the top-level headings that name the part (checked in this order: the 第一责任人
# heading of the template also says 加强法治政府建设, the plan heading says 举措).
PART_WORDS = (
    ("责任人", re.compile(r"第一责任人")),
    ("不足", re.compile(r"不足|问题|短板|差距")),
    ("安排", re.compile(r"下一步|打算|安排|思路|计划|\d{4}年(?:度)?(?:工作)?(?:要点|目标)")),
    ("其他", re.compile(r"其他|其它")),
    ("成效", re.compile(r"举措|成效|主要情况|工作情况|基本情况|主要工作|做法")),
)


@dataclass
class Para:
    text: str                 # marker stripped when enumerated
    enumerated: bool = False  # numbered item (一是/1./(1)): renumbered when rendered
    items: list[str] | None = None  # an inline 一是…二是… paragraph cut into its items


@dataclass
class Block:
    heading: str | None       # a sub-heading (marker stripped) or None for a loose item
    paras: list[Para]


@dataclass
class SeedPart:
    headings: list[str] = field(default_factory=list)   # top-level heading texts
    intro: list[Para] = field(default_factory=list)     # paragraphs before its first block
    blocks: list[Block] = field(default_factory=list)


@dataclass
class Seed:
    name: str
    year: int
    home: Place
    places: list[Place]          # the seed's places that get replaced, home first
    opening: list[Para]
    parts: dict[str, SeedPart]
    slots: dict = field(default_factory=dict)  # template cache: text -> segments


def _strip_marker(line: str) -> tuple[str, str | None]:
    for kind, rx in (("h1", H1), ("h2", H2), ("h3", H3)):
        m = rx.match(line)
        if m:
            return line[m.end():].strip(), kind
    m = ENUM.match(line)
    if m:
        return line[m.end():].strip(), "enum"
    return line.strip(), None


def _is_bare_heading(text: str) -> bool:
    """A heading line without a body sentence after it (no 。 before its end)."""
    body = text.rstrip("。.;; ")
    return "。" not in body and len(text) <= 60


def _para(line: str, text: str, enumerated: bool) -> Para:
    """A paragraph from its line; `text` is the line without its leading marker.

    A line that runs 一是…。二是…。 keeps its own numbering when rendered whole and can be
    cut into one enumerated paragraph per item."""
    pieces = [p.strip() for p in INLINE_ENUM.split(line.strip()) if p.strip()]
    if len(pieces) >= 2 and all(ENUM.match(p) for p in pieces):
        return Para(line.strip(), False, [_strip_marker(p)[0] for p in pieces])
    return Para(text, enumerated)


def _classify_heading(text: str) -> str | None:
    for part, rx in PART_WORDS:
        if rx.search(text):
            return part
    return None


def _body_range(lines: list[str]) -> tuple[int, int]:
    start = next(
        (i for i, ln in enumerate(lines) if H1.match(ln) or len(ln) >= 60), 0)
    end = start
    for i in range(start, len(lines)):
        ln = lines[i]
        if SEED_NOISE.search(ln):
            continue
        if H1.match(ln) or H2.match(ln) or (len(ln) >= 20 and re.search(r"[。;;::]", ln)):
            end = i + 1
    return start, end


def _seed_year(head: list[str], body: list[str]) -> int:
    for ln in head + body[:1]:
        m = YEAR.search(ln)
        if m:
            return int(m.group(1))
    raise ValueError("no year in the seed's title or opening")


def _find_names(text: str, by_name: dict) -> dict[str, int]:
    """Gazetteer full names in text, longest match first, non-overlapping."""
    found: dict[str, int] = {}
    i, n = 0, len(text)
    while i < n:
        for length in range(12, 2, -1):
            s = text[i:i + length]
            if len(s) == length and s in by_name:
                found[s] = found.get(s, 0) + 1
                i += length
                break
        else:
            i += 1
    return found


def _resolve(name: str, text: str, gaz: Gazetteer) -> Place:
    """The gazetteer entry a name means here: the one whose ancestors the text names most."""
    def score(p: Place) -> int:
        return sum(text.count(a.name) + text.count(a.short) for a in p.chain()[:-1])
    return max(gaz.by_name[name], key=score)  # max keeps the first on ties: deterministic


def seed_places(lines: list[str], body: tuple[int, int], gaz: Gazetteer) -> tuple[Place, list[Place]]:
    """The seed's own place (its issuer) and the places of its province it names.

    The home is the deepest place named outside the body (title, chrome, addressee,
    signature); other places count only in the home's province, and a town only under a
    county the text also names (short town names hide inside words: 部分乡镇, 位于城镇)."""
    text = "\n".join(lines)
    outside = "\n".join(lines[:body[0]] + lines[body[1]:])
    named = {n: _resolve(n, text, gaz) for n in sorted(_find_names(text, gaz.by_name))}
    in_title = [named[n] for n in sorted(_find_names(outside, gaz.by_name)) if n in named]
    if not in_title:
        raise ValueError("cannot tell the seed's own place from its title or signature")
    home = max(in_title, key=lambda p: (p.depth, text.count(p.name)))
    province = home.ancestor(0)
    places = [home] + [a for a in home.chain()[:-1]]
    counties = {p for p in named.values() if p.depth == 2} | {a for a in places if a.depth == 2}
    for p in named.values():
        if p in places or p.ancestor(0) is not province:
            continue
        if p.depth == 3 and p.parent not in counties:
            continue
        places.append(p)
    return home, places


def parse_seed(path: Path, gaz: Gazetteer) -> Seed:
    raw = path.read_text(encoding="utf-8")
    lines = [ln.strip() for ln in raw.splitlines() if ln.strip()]
    start, end = _body_range(lines)
    home, places = seed_places(lines, (start, end), gaz)
    body = [ln for ln in lines[start:end] if not SEED_NOISE.search(ln)]
    year = _seed_year(lines[:start], body)

    parts: dict[str, SeedPart] = {}
    opening: list[Para] = []
    part: str | None = None
    block: Block | None = None
    for ln in body:
        text, kind = _strip_marker(ln)
        if kind == "h1":
            named = _classify_heading(text)
            if named and _is_bare_heading(text):
                part = named
                parts.setdefault(part, SeedPart()).headings.append(text)
                block = None
                continue
            # A free top-level heading: a sub-area of the achievements (seed-003 style), or
            # an item of the plan/shortcomings when we are already in that part.
            part = part if part in ("不足", "安排") else "成效"
            sp = parts.setdefault(part, SeedPart())
            if _is_bare_heading(text):
                block = Block(text, [])
                sp.blocks.append(block)
            else:
                sp.blocks.append(Block(None, [_para(ln, text, True)]))
                block = None
            continue
        if part is None and kind is None:
            opening.append(_para(ln, text, False))
            continue
        if kind is None and re.match(r"\d{4}年", text):
            # Unheaded transitions between parts (一段话 reports): "…仍然存在一些短板:…",
            # "2025年是…收官之年, …将继续…".
            m = YEAR.match(text)
            if re.search(r"存在|仍有", text) and re.search(r"不足|短板|问题|差距", text):
                part, block = "不足", None
            elif m and int(m.group(1)) > year and part in ("成效", "不足", "责任人"):
                part, block = "安排", None
        part = part or "成效"
        sp = parts.setdefault(part, SeedPart())
        if kind == "h2" or (kind == "h3" and block is None):
            if _is_bare_heading(text):
                block = Block(text, [])
                sp.blocks.append(block)
            else:
                sp.blocks.append(Block(None, [_para(ln, text, True)]))
                block = None if kind == "h2" else block
        elif kind in ("h3", "enum"):
            target = block.paras if block is not None else None
            if target is None:
                sp.blocks.append(Block(None, [_para(ln, text, True)]))
            else:
                target.append(_para(ln, text, True))
        else:
            if block is not None:
                block.paras.append(_para(ln, text, False))
            elif sp.blocks:
                sp.blocks.append(Block(None, [_para(ln, text, False)]))
            else:
                sp.intro.append(_para(ln, text, False))
    return Seed(path.name, year, home, places, opening, parts)


@lru_cache(maxsize=4)
def load_seeds(seeds_dir: str = str(SEEDS_DIR)) -> tuple[Seed, ...]:
    gaz = load_gazetteer()
    files = sorted(Path(seeds_dir).glob("*.txt"))
    if not files:
        raise SystemExit(f"no seed reports (*.txt) in {seeds_dir}")
    seeds = []
    for f in files:
        try:
            seeds.append(parse_seed(f, gaz))
        except ValueError as exc:
            raise SystemExit(f"seed report {f.name} cannot be used: {exc}") from None
    return tuple(seeds)


# ---------------------------------------------------------------------------- templates

# A paragraph becomes segments: literal text and slots filled per report.
PCT = re.compile(r"(\d+(?:\.\d+)?)(?=%|％)")
COUNT = re.compile(
    r"(?<![\d.+\-—·:/])(\d+(?:\.\d+)?)(?=(?:余|多)?(?:万|亿)?[件人次家个条场项份本户名台批辆处所幢起篇期栋亩套间类元册张支座])")


def _slot_regex(names) -> re.Pattern:
    alts = sorted(names, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, alts)) + r"|(?P<pct>\d+(?:\.\d+)?)(?=%|％)"
                      + r"|(?P<year>" + YEAR.pattern + r")" + "|(?P<count>" + COUNT.pattern + ")")


def _template(seed: Seed, text: str) -> list:
    cached = seed.slots.get(text)
    if cached is not None:
        return cached
    # Place names: full names and short names of the seed's places, longest first.
    names: dict[str, tuple[int, bool]] = {}
    for i, p in enumerate(seed.places):
        names.setdefault(p.name, (i, False))
    for i, p in enumerate(seed.places):
        if len(p.short) >= 2:
            names.setdefault(p.short, (i, True))
    rx = seed.slots.get(None)
    if rx is None:
        rx = seed.slots[None] = _slot_regex(names)
    segs: list = []
    pos = 0
    for m in rx.finditer(text):
        segs.append(text[pos:m.start()])
        s = m.group(0)
        if m.group("pct") is not None:
            segs.append(("pct", s))
        elif m.group("year") is not None:
            y = int(s)
            segs.append(("year", y - seed.year) if abs(y - seed.year) <= 5 else s)
        elif m.group("count") is not None:
            segs.append(("count", s))
        else:
            idx, short = names[s]
            segs.append(("place", idx, short))
        pos = m.end()
    segs.append(text[pos:])
    segs = [s for s in segs if s != ""]
    seed.slots[text] = segs
    return segs


def _perturb_pct(s: str, rng: random.Random) -> str:
    v = float(s)
    if v >= 100 and rng.random() < 0.6:
        return s
    new = min(100.0, v * rng.uniform(0.9, 1.06))
    if "." in s or rng.random() < 0.5:
        return f"{new:.1f}" if new < 100 else "100"
    return str(round(new))


def _perturb_count(s: str, rng: random.Random) -> str:
    if "." in s:
        decimals = len(s.split(".")[1])
        return f"{float(s) * rng.uniform(0.7, 1.4):.{decimals}f}"
    v = int(s)
    if v <= 3:
        return str(rng.randint(1, 5))
    return str(max(1, round(v * rng.uniform(0.7, 1.4))))


# ---------------------------------------------------------------------------- one report

@dataclass
class Style:
    h2: str            # "(一)" | "1."
    item: str          # "一是" | "1." | "(1)"
    free: bool         # seed-003 layout: achievements as top-level headings, unheaded parts
    split_inline: bool  # 一是…二是… paragraphs cut into one paragraph per item
    blank_lines: bool
    fullwidth: bool    # （一） and ： as the page wrote them, before any NFKC
    chrome: str        # "none" | "top" | "breadcrumb" | "source"
    footer: bool
    split_title: bool
    repeat_title: bool
    addressee: bool
    signature: bool
    template_headings: bool
    order: tuple[str, ...]


def cn_number(n: int) -> str:
    units = "一二三四五六七八九"
    if n <= 10:
        return "十" if n == 10 else units[n - 1]
    if n < 20:
        return "十" + units[n - 11]
    tens, ones = divmod(n, 10)
    return units[tens - 1] + "十" + (units[ones - 1] if ones else "")


def cn_date(y: int, m: int, d: int) -> str:
    return ("".join(CN_DIGITS[int(c)] for c in str(y)) + "年" + cn_number(m) + "月"
            + cn_number(d) + "日")


def _pick_descendant(anchor: Place, depth: int, rng: random.Random, avoid) -> Place:
    """A random place `depth` below anchor (fewer when the tree ends), not in avoid."""
    best = anchor
    for _ in range(8):
        node = anchor
        for _ in range(depth):
            kids = [k for k in node.children if k.name not in avoid]
            if not kids:
                break
            node = rng.choice(kids)
        if node.name not in avoid:
            return node
        best = node
    return best


def _issuer_place(level: str, rng: random.Random, gaz: Gazetteer, avoid) -> Place:
    depth = LEVEL_DEPTH[level]
    for _ in range(50):
        prov = rng.choice(gaz.provinces)
        if depth == 1 and prov.name in MUNICIPALITIES:
            continue
        node = _pick_descendant(prov, depth, rng, avoid)
        if node.depth == depth and node.name not in avoid:
            return node
    raise RuntimeError(f"no {level} place found")


def _issuer_name(place: Place, rng: random.Random) -> tuple[str, str]:
    """(issuer, issuer_type) for a place, in the forms real reports sign with."""
    name = place.name
    if place.depth == 0:
        return name + "人民政府", "政府"
    if place.depth == 1:
        if rng.random() < 0.3:
            return name + "司法局", "部门"
        if name.endswith(("地区", "盟")):
            return name + "行政公署", "政府"
        return name + "人民政府", "政府"
    if place.depth == 2:
        city = place.parent
        if is_municipality(place) and rng.random() < 0.5 or rng.random() < 0.2:
            name = city.name + name
        return name + "人民政府", "政府"
    if rng.random() < 0.2:
        name = place.parent.name + name
    return name + ("办事处" if name.endswith("街道") else "人民政府"), "政府"


def _superior(place: Place) -> str:
    if place.depth == 0:
        return "国务院"
    parent = place.parent
    if place.depth == 2 and is_municipality(place):
        parent = parent.parent
    if parent.depth == 1 and parent.name.endswith(("地区", "盟")):
        return parent.name + "行政公署"
    return parent.name + "人民政府"


def _level_word(place: Place) -> str:
    """区/县/市/镇… : what the place calls itself in 区司法局, 我县."""
    for suffix in ("自治区", "街道", "地区", "镇", "乡", "旗", "县", "区", "市", "省", "州", "盟"):
        if place.name.endswith(suffix):
            return suffix
    return "市"


def _fmt_pub(y: int, m: int, d: int, rng: random.Random) -> str:
    style = rng.randrange(4)
    if style == 0:
        return f"{y}-{m:02d}-{d:02d} {rng.randint(8, 18):02d}:{rng.randrange(60):02d}"
    if style == 1:
        return f"{y}-{m:02d}-{d:02d}"
    if style == 2:
        return f"{y}/{m:02d}/{d:02d}"
    return f"{y}年{m:02d}月{d:02d}日"


class Report:
    """Renders one generated report; `lines` and `meta` are the results."""

    def __init__(self, index: int, seed: int, seeds: tuple[Seed, ...], gaz: Gazetteer,
                 paragraphs: int, avoid: frozenset):
        rng = self.rng = random.Random(f"{seed}:{index}")
        self.seeds, self.gaz, self.avoid = seeds, gaz, avoid
        self.level = rng.choices(list(LEVEL_WEIGHTS), weights=list(LEVEL_WEIGHTS.values()))[0]
        self.place = _issuer_place(self.level, rng, gaz, avoid)
        # The full chain down to a town: lower places stand in for a higher issuer's
        # seed text that talks about its towns.
        self.chain = self.place.chain()
        while len(self.chain) < 4:
            nxt = _pick_descendant(self.chain[-1], 1, rng, avoid)
            if nxt is self.chain[-1]:
                break
            self.chain.append(nxt)
        self.issuer, self.issuer_type = _issuer_name(self.place, rng)
        self.year = rng.randint(2016, 2024)
        self.target = max(12, round(paragraphs * rng.uniform(0.5, 1.5)))
        self.maps: dict[str, list[Place]] = {}
        self.filled: list[tuple[str, str]] = []   # (text filled in, its source unit), in order
        self.style = Style(
            h2=rng.choice(["(一)", "(一)", "1."]),
            item=rng.choice(["一是", "一是", "1.", "(1)"]),
            free=rng.random() < 0.15,
            split_inline=rng.random() < 0.5,
            blank_lines=rng.random() < 0.5,
            fullwidth=rng.random() < 0.3,
            chrome=rng.choice(["none", "top", "breadcrumb", "source"]),
            footer=rng.random() < 0.3,
            split_title=rng.random() < 0.15,
            repeat_title=rng.random() < 0.1,
            addressee=rng.random() < 0.1,
            signature=rng.random() < 0.6,
            template_headings=rng.random() < 0.5,
            # The 2021 template's order of the five parts; some reports (seed 002) put the
            # shortcomings before the 第一责任人 part.
            order=("成效", "责任人", "不足", "安排", "其他") if rng.random() < 0.7
            else ("成效", "不足", "责任人", "安排", "其他"),
        )
        if self.style.item == "1." and self.style.h2 == "1.":
            self.style.item = "一是"

    # -- places
    def _map(self, seed: Seed) -> list[Place]:
        got = self.maps.get(seed.name)
        if got is not None:
            return got
        rng, t = self.rng, self.place
        used = {p.name for p in self.chain}
        out = []
        home = seed.home
        home_chain = home.chain()
        for p in seed.places:
            if p is home:
                out.append(t)
                continue
            if p in home_chain:                      # an ancestor k levels up
                out.append(t.ancestor(max(0, t.depth - (home.depth - p.depth))))
                continue
            pc = p.chain()
            lca = max(d for d in range(min(len(pc), len(home_chain))) if pc[d] is home_chain[d])
            if lca == home.depth:                    # below the home: below the issuer
                anchor, down = t, p.depth - home.depth
            else:                                    # a neighbour: a neighbour of the issuer
                anchor = t.ancestor(max(0, t.depth - (home.depth - lca)))
                down = p.depth - lca
            q = _pick_descendant(anchor, down, rng, self.avoid | used)
            if q.depth != anchor.depth + down:
                # Fewer places there than the seed names: repeat one rather than stop short.
                q = _pick_descendant(anchor, down, rng, self.avoid)
            used.add(q.name)
            out.append(q)
        self.maps[seed.name] = out
        return out

    # -- text
    def fill(self, seed: Seed, text: str) -> str:
        out = self._fill(seed, text)
        self.filled.append((out, source_unit(seed, text)))
        return out

    def _fill(self, seed: Seed, text: str) -> str:
        rng = self.rng
        out = []
        places = None
        for seg in _template(seed, text):
            if isinstance(seg, str):
                out.append(seg)
                continue
            kind = seg[0]
            if kind == "place":
                places = places or self._map(seed)
                p = places[seg[1]]
                out.append(p.short if seg[2] and len(p.short) >= 2 else p.name)
            elif kind == "year":
                out.append(str(self.year + seg[1]))
            elif kind == "pct":
                out.append(_perturb_pct(seg[1], rng))
            else:
                out.append(_perturb_count(seg[1], rng))
        return "".join(out)

    def item_marker(self, n: int) -> str:
        s = self.style.item
        if s == "一是":
            return cn_number(n) + "是"
        if s == "1.":
            return f"{n}."
        return f"({n})"

    def h2_marker(self, n: int) -> str:
        return f"({cn_number(n)})" if self.style.h2 == "(一)" else f"{n}."

    def render_paras(self, seed: Seed, paras: list[Para]) -> list[str]:
        out, n = [], 0
        for p in paras:
            if p.enumerated:
                n += 1
                out.append(self.item_marker(n) + self.fill(seed, p.text))
            elif p.items and self.style.split_inline:
                for it in p.items:
                    n += 1
                    out.append(self.item_marker(n) + self.fill(seed, it))
            else:
                out.append(self.fill(seed, p.text))
        return out

    # -- structure
    def pick(self, part: str) -> list[tuple[Seed, Block]]:
        pool = [(s, b) for s in self.seeds for b in s.parts.get(part, SeedPart()).blocks]
        self.rng.shuffle(pool)
        return pool

    def part_heading(self, part: str) -> str:
        y, ny = self.year, self.year + 1
        if self.style.template_headings:
            return {
                "成效": f"{y}年推进法治政府建设的主要举措和成效",
                "责任人": f"{y}年党政主要负责人履行推进法治建设第一责任人职责,加强法治政府建设的有关情况",
                "不足": f"{y}年推进法治政府建设存在的不足和原因",
                "安排": f"{ny}年推进法治政府建设的主要安排",
                "其他": "其他需要报告的情况",
            }[part]
        pool = [(s, h) for s in self.seeds for h in s.parts.get(part, SeedPart()).headings]
        if not pool:
            return {"其他": "其他需要报告的情况"}.get(part, part)
        s, h = self.rng.choice(pool)
        return self.fill(s, h)

    def body(self) -> list[str]:
        rng, st = self.rng, self.style
        lines: list[str] = []
        openings = [(s, p) for s in self.seeds for p in s.opening + s.parts.get("成效", SeedPart()).intro]
        s, p = rng.choice(openings)
        lines.append(self.fill(s, p.text))

        def blocks_text(part: str, budget: int, numbered_h1: bool) -> list[str]:
            out: list[str] = []
            n = 0
            for s, b in self.pick(part):
                if len(out) >= budget and n >= 1:
                    break
                n += 1
                marker = f"{cn_number(n)}、" if numbered_h1 else self.h2_marker(n)
                if b.heading is None and len(b.paras) == 1 and b.paras[0].enumerated:
                    out.append(marker + self.fill(s, b.paras[0].text))
                    continue
                if b.heading is not None:
                    out.append(marker + self.fill(s, b.heading))
                else:
                    n -= 1
                out.extend(self.render_paras(s, b.paras))
            return out

        small = {"责任人": rng.randint(2, 5), "不足": rng.randint(2, 5), "安排": rng.randint(3, 6)}
        main_budget = max(6, self.target - sum(small.values()) - 5)
        if st.free:
            # Seed-003 layout: the achievements' areas are the top-level headings; the
            # shortcomings and plans follow as unheaded paragraphs, the plan's items
            # numbered 一、二、 again.
            lines += blocks_text("成效", main_budget, True)
            for part in ("不足", "安排"):
                intros = [(s, p) for s in self.seeds for p in s.parts.get(part, SeedPart()).intro]
                if intros:
                    s, p = rng.choice(intros)
                    lines.append(self.fill(s, p.text))
            lines += blocks_text("安排", small["安排"], True)
            return lines
        n = 0
        for part in st.order:
            if part == "责任人" and rng.random() < 0.4:
                continue
            if part == "其他" and rng.random() < 0.6:
                continue
            n += 1
            lines.append(f"{cn_number(n)}、" + self.part_heading(part))
            if part == "其他":
                lines.append(rng.choice(["无。", "无其他需要报告的情况。"]))
                continue
            intros = [(s, p) for s in self.seeds for p in s.parts.get(part, SeedPart()).intro]
            if part != "成效" and intros and rng.random() < 0.3:
                s, p = rng.choice(intros)
                lines.append(self.fill(s, p.text))
            budget = main_budget if part == "成效" else small[part]
            lines += blocks_text(part, budget, False)
        return lines

    def title(self) -> tuple[list[str], str]:
        rng, y = self.rng, self.year
        place = self.issuer.removesuffix("人民政府").removesuffix("办事处").removesuffix("行政公署")
        if self.style.split_title:
            second = rng.choice([f"关于{y}年度法治政府建设情况的报告", f"关于{y}年法治政府建设工作情况的报告"])
            return [self.issuer, second], self.issuer + second
        t = rng.choice([
            f"{self.issuer}关于{y}年法治政府建设情况的报告",
            f"{self.issuer}关于{y}年度法治政府建设工作情况的报告",
            f"关于{place}{y}年度法治政府建设工作情况的报告",
            f"{place}{y}年法治政府建设年度报告",
            f"{self.issuer}{y}年度法治政府建设工作报告",
        ])
        return [t], t

    def render(self) -> tuple[str, dict]:
        rng, st, y = self.rng, self.style, self.year
        pub_m, pub_d = rng.randint(1, 3), rng.randint(1, 28)
        dated_m, dated_d = (pub_m, max(1, pub_d - rng.randint(0, 20)))
        title_lines, title = self.title()
        lw = _level_word(self.place)
        depth = self.place.depth
        source = rng.choice(
            [self.issuer, self.place.name + "司法厅", lw + "政府办公厅"]
            if depth == 0 else
            [self.issuer, self.place.name + "党政办公室", self.place.parent.name + "司法局"]
            if depth == 3 else
            [self.issuer, f"{lw}司法局", self.place.name + "司法局"])
        head: list[str] = []
        published = None
        shown_source = None
        if st.chrome == "breadcrumb":
            head.append(rng.choice(["您当前的位置:首页 > 政务公开 > 法治政府建设年度报告",
                                    "当前位置:首页 > 信息公开 > 法治政府建设",
                                    "您当前的位置:首页 > 内容"]))
        if st.repeat_title:
            head.append(f"{self.place.name}{y}年法治政府建设年度报告")
        if st.chrome == "breadcrumb":
            head += title_lines
            head.append("日期:" + _fmt_pub(y + 1, pub_m, pub_d, rng))
            published = f"{y + 1}-{pub_m:02d}-{pub_d:02d}"
        elif st.chrome == "top":
            head += title_lines
            head.append(f"发布时间:{_fmt_pub(y + 1, pub_m, pub_d, rng)}信息来源:{source}文字大小:[    ] 背景色:")
            published, shown_source = f"{y + 1}-{pub_m:02d}-{pub_d:02d}", source
        elif st.chrome == "source":
            head += title_lines
            head.append(f"发布日期:{_fmt_pub(y + 1, pub_m, pub_d, rng)} 信息来源: {source} 浏览次数: {rng.randint(20, 5000)} 字号:[ 大 中 小 ]")
            published, shown_source = f"{y + 1}-{pub_m:02d}-{pub_d:02d}", source
        else:
            head += title_lines
        if st.addressee:
            head.append(_superior(self.place) + ":")
        self.filled = []
        body = self.body()
        sources = line_sources(body, self.filled)
        tail: list[str] = []
        dated = None
        if st.signature or self.issuer not in title:
            # A title without the issuer ("X县2021年法治政府建设年度报告") is always signed.
            tail.append(self.issuer)
            tail.append(cn_date(y + 1, dated_m, dated_d) if rng.random() < 0.3
                        else f"{y + 1}年{dated_m}月{dated_d}日")
            dated = f"{y + 1}-{dated_m:02d}-{dated_d:02d}"
        if st.footer:
            tail.append(rng.choice(["扫一扫在手机打开当前页", "打印本页 关闭窗口", "【打印】【关闭】"]))
        lines = head + body + tail
        sep = "\n\n" if st.blank_lines else "\n"
        text = sep.join(lines) + "\n"
        if st.fullwidth:
            text = text.translate(FULLWIDTH)
        prov = self.chain[0]
        city = None if is_municipality(self.place) or self.place.depth == 0 else self.place.ancestor(1)
        meta = {
            "title": title,
            "issuer": self.issuer,
            "issuer_type": self.issuer_type,
            "level": self.level,
            "province": prov.short,
            "city": city.short if city else None,
            "places": [p.name for p in self.place.chain()],
            "year": y,
            "published": published,
            "dated": dated,
            "source": shown_source,
            "paragraphs": len(body),
            "body_start": len(head),
            "sources": sources,
        }
        return text, meta


def source_unit(seed: Seed, text: str) -> str:
    """The ground-truth id of a seed text: the seed's file and a digest of the text."""
    return f"{seed.name}#{hashlib.sha1(text.encode('utf-8')).hexdigest()[:12]}"


def line_sources(lines: list[str], filled: list[tuple[str, str]]) -> list[str]:
    """The source unit of each body line. Every line is either one filled seed text with
    an outline marker before it, or a text of the generator's own (no fill), and lines
    come in the order of their fills."""
    out, i = [], 0
    for line in lines:
        if i < len(filled) and filled[i][0] and line.endswith(filled[i][0]):
            out.append(filled[i][1])
            i += 1
        else:
            out.append("template:" + re.sub(r"\d{4}", "Y", re.sub(r"^[一二三四五六七八九十]+、", "", line)))
    if i != len(filled):
        raise AssertionError("a filled seed text is not on a body line of its own")
    return out


FULLWIDTH = str.maketrans({"(": "（", ")": "）", ":": "："})


def generate(out: Path, reports: int, seed: int, paragraphs: int = 50,
             seeds_dir: str | Path = SEEDS_DIR) -> dict:
    """Write `reports` files and manifest.jsonl into `out`; returns a summary dict."""
    started = time.perf_counter()
    seeds = load_seeds(str(seeds_dir))
    gaz = load_gazetteer()
    # The seeds' own counties and towns are never drawn as a new report's places, so a
    # report about another place cannot repeat them by chance.
    avoid = frozenset(p.name for s in seeds for p in s.places if p.depth >= 2 or p is s.home)
    out.mkdir(parents=True, exist_ok=True)
    width = max(6, len(str(reports - 1)))
    total_paras = total_bytes = 0
    with open(out / "manifest.jsonl", "w", encoding="utf-8", newline="\n") as manifest:
        for i in range(reports):
            text, meta = Report(i, seed, seeds, gaz, paragraphs, avoid).render()
            name = f"gen_{i:0{width}d}.txt"
            data = text.encode("utf-8")
            (out / name).write_bytes(data)
            manifest.write(json.dumps({"file": name, **meta}, ensure_ascii=False) + "\n")
            total_paras += meta["paragraphs"]
            total_bytes += len(data)
    return {"reports": reports, "paragraphs": total_paras, "bytes": total_bytes,
            "seconds": round(time.perf_counter() - started, 2), "out": str(out)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.generate", description=__doc__.split("\n\n")[0])
    ap.add_argument("--reports", type=int, default=2000, help="how many report files (default 2000)")
    ap.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    ap.add_argument("--out", type=Path, required=True, help="output folder (created)")
    ap.add_argument("--paragraphs-per-report", type=int, default=50,
                    help="average body paragraphs per report (default 50)")
    ap.add_argument("--seeds-dir", type=Path, default=SEEDS_DIR, help="folder of seed reports")
    args = ap.parse_args(argv)
    if args.reports < 1 or args.paragraphs_per_report < 5:
        ap.error("--reports must be >= 1 and --paragraphs-per-report >= 5")
    summary = generate(args.out, args.reports, args.seed, args.paragraphs_per_report, args.seeds_dir)
    print(json.dumps(summary, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
