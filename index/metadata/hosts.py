"""The page's address as a place signal (issue 11, class 6).

Government sites are named after their place in pinyin or its initials: wugang.gov.cn (武冈市),
chencang.gov.cn (陈仓区), often with the initials of the place above first: tjjh.gov.cn
(天津 静海区), qzlc.gov.cn (泉州 鲤城区), cqwx.gov.cn (重庆 巫溪县), yyx.gov.cn (岳阳县, the 县
written too), lczf.gov.cn (陵川 政府). `host_places` reads the host of a gov.cn address and
returns the gazetteer places whose pinyin codes spell one of its labels. Only gov.cn hosts
count: mirrors and portals (.com, .net) carry no place.

Pinyin comes from the data that ships with jionlp (the package the gazetteer comes from;
pypinyin is not a dependency): its character dictionary, completed from its phrase list for
the characters the dictionary leaves out (巫). Every reading of a character is kept, so a
polyphonic name (长宁 chang/zhang-ning) gives each spelling; where two places spell one code, a
place that spells it only by a reading the phrase list does not give its name (厦门 as sha-men)
gives way to one spelling it as its name is read (三明: sm).
"""
from __future__ import annotations

import re
import unicodedata
import zipfile
from functools import lru_cache
from itertools import product
from urllib.parse import urlsplit

from ..places import Place, gazetteer_file, load_gazetteer

# Labels that name the site's section or kind, not its place (sft.jiangsu.gov.cn is the
# 司法厅 of 江苏; xxgk. is 信息公开), and endings that stand for 政府/县/市 (lczf, yyx).
_GENERIC_LABELS = {"www", "gov", "cn", "com", "net", "org", "xxgk", "zwgk", "admin", "m", "wap",
                   "sft", "sfj", "sfw", "jtt", "jyj", "gaj", "sthj", "fzb", "zfxxgk", "zw"}
_PLACE_WORD_CODES = ("zf", "city", "gov", "rmzf")
_LEVEL_WORD_CODES = {"省": "s", "市": "s", "县": "x", "区": "q", "旗": "q", "盟": "m", "州": "z"}
_PINYIN = re.compile(r"\[([a-zàáāǎòóōǒèéēěìíīǐùúūǔǜǘǖǚǹńňüḿ]{1,8})\]")


def _toneless(syllable: str) -> str:
    text = unicodedata.normalize("NFD", syllable.replace("ü", "v"))
    return "".join(c for c in text if not unicodedata.combining(c)).replace("v", "u")


def _jionlp_text(name: str) -> str:
    gaz = gazetteer_file()
    path = gaz.parent / name if gaz else None
    if path is None or not path.is_file():
        return ""
    with zipfile.ZipFile(path) as zf:
        return zf.read(zf.namelist()[0]).decode("utf-8")


@lru_cache(maxsize=1)
def _char_readings() -> dict[str, tuple[str, ...]]:
    """Character -> its pinyin readings without tones."""
    readings: dict[str, dict[str, None]] = {}
    for line in _jionlp_text("chinese_char_dictionary.zip").splitlines():
        cols = line.split("\t")
        if len(cols) >= 8 and cols[0]:
            for p in _PINYIN.findall(cols[7]):
                readings.setdefault(cols[0], {})[_toneless(p)] = None
    for line in _jionlp_text("pinyin_phrase.zip").splitlines():
        phrase, _, spelled = line.partition("\t")
        syllables = spelled.split("/")
        if len(syllables) == len(phrase):
            for char, syllable in zip(phrase, syllables):
                if char not in readings and syllable.isalpha():
                    readings.setdefault(char, {})[_toneless(syllable)] = None
    return {c: tuple(r) for c, r in readings.items()}


def _spellings(name: str, limit: int = 8) -> list[list[str]]:
    """Each way to read `name`, as a list of syllables (at most `limit` ways)."""
    readings = _char_readings()
    options = [readings.get(c, ()) for c in name]
    if not name or not all(options):
        return []
    return [list(s) for _, s in zip(range(limit), product(*options))]


@lru_cache(maxsize=1)
def _phrase_readings() -> dict[str, tuple[str, ...]]:
    """Phrase -> its syllables without tones, from jionlp's phrase list (厦门 xia/men)."""
    out: dict[str, tuple[str, ...]] = {}
    for line in _jionlp_text("pinyin_phrase.zip").splitlines():
        phrase, _, spelled = line.partition("\t")
        syllables = spelled.split("/")
        if len(phrase) >= 2 and len(syllables) == len(phrase) and all(x.isalpha() for x in syllables):
            out[phrase] = tuple(_toneless(x) for x in syllables)
    return out


def _phrase_spellings(name: str, full: str | None = None) -> list[list[str]]:
    """How the phrase list reads `name`, or the start of `full` (朝阳区 cháo/yáng/qū for 朝阳,
    which the list alone reads zhāo/yáng as a word): [] when it lists neither."""
    phrases = _phrase_readings()
    out = []
    for phrase, take in ((name, len(name)), (full, len(name))):
        spelled = phrases.get(phrase) if phrase and phrase.startswith(name) else None
        if spelled and list(spelled[:take]) not in out:
            out.append(list(spelled[:take]))
    return out


def place_codes(name: str, full: str | None = None, read_only: bool = False) -> set[str]:
    """Host spellings of a place name: full pinyin (jinhua) and initials (jh), by every reading
    of its characters; with `read_only`, a name the phrase list reads (厦门 xià/mén) only as it
    reads it; `full`: the name it is short for (朝阳区 for 朝阳)."""
    codes = set()
    for syllables in (read_only and _phrase_spellings(name, full)) or _spellings(name):
        codes.add("".join(syllables))
        codes.add("".join(s[0] for s in syllables))
    return codes


def _short(place: Place) -> str:
    return place.short or place.name


@lru_cache(maxsize=1)
def _code_index() -> dict[str, tuple[Place, ...]]:
    """Host code -> the places it spells: the place's short form alone (jinhua, dxh), with
    its level word's initial (yyx, psx), or after the initials of the place above it
    (tjjh, cqwx, qzlc, fzmq, sxgp). A place spelling a code only by a reading the phrase list
    does not give its name (厦门 as sha-men: sm) is left out of a code other places spell by
    their own reading (三明: sm); it keeps the codes no other place takes (the phrase list
    reads a few names wrongly: 漯河 is luohe, not ta-he)."""
    gaz = load_gazetteer()
    by_province = {p.province: p for p in gaz.provinces}
    cities = {(p.province, p.city): p for ps in gaz.by_short.values() for p in ps if p.level == "city"}
    index: dict[str, set[Place]] = {}
    read: dict[str, set[Place]] = {}
    seen: set[Place] = set()

    def spelled(place: Place, read_only: bool) -> set[str]:
        # (and the name without its level word, when the short form is another word:
        # 伊金霍洛旗 is yjhl.gov.cn, its short form 伊旗)
        bare = place.name[:-1] if len(place.name) > 3 and place.name[-1] in _LEVEL_WORD_CODES \
            else None
        names = (_short(place), *place.aliases, *([bare] if bare and bare != _short(place) else []))
        own = set().union(*(place_codes(n, place.name if n == _short(place) else None, read_only)
                            for n in names))
        codes = set(own)
        word = _LEVEL_WORD_CODES.get(place.name[-1])
        if word and place.level in ("county", "city"):       # yyx (岳阳县), xam (兴安盟)
            codes |= {c + word for c in own if len(c) <= 3}
        parents = []
        if place.level in ("city", "county"):
            parents.append(by_province.get(place.province))
        if place.level == "county" and place.city:
            parents.append(cities.get((place.province, place.city)))
        for parent in filter(None, parents):
            prefixes = {c for c in place_codes(_short(parent), parent.name, read_only) if len(c) <= 3}
            # …and with the parent's level word: cqs (重庆市) + tl (铜梁) = cqstl.
            word = _LEVEL_WORD_CODES.get(parent.name[-1])
            prefixes |= {c + word for c in prefixes if word}
            for pre in prefixes:
                codes |= {pre + c for c in own}
        return {c for c in codes if len(c) >= 2}

    for places in gaz.by_short.values():
        for place in places:
            if place in seen or place.level == "town":
                continue
            seen.add(place)
            for code in spelled(place, False):
                index.setdefault(code, set()).add(place)
            for code in spelled(place, True):
                read.setdefault(code, set()).add(place)
    return {k: tuple(sorted(read.get(k) or v, key=lambda p: (p.depth, p.adcode or ""))) for k, v in index.items()}


_DEPARTMENT_ENDINGS = ("委员会", "局", "厅", "委", "办", "处")


def department_codes(departments: list[dict]) -> frozenset[str]:
    """Host spellings of departments (configuration `departments`): sthjj and sthj for
    生态环境局, sf and sfj for 司法局, wjw for 卫健委 — the name, its provincial and short
    forms, each with and without its ending, spelled as place names are."""
    codes: set[str] = set()
    for entry in departments or []:
        for name in filter(None, (entry.get("name"), entry.get("province"), *entry.get("short", []))):
            stem = next((name[: -len(e)] for e in _DEPARTMENT_ENDINGS if name.endswith(e)), name)
            for word in {name, stem}:
                codes |= {c for c in place_codes(word) if len(c) >= 2}
    return frozenset(codes)


def host_labels(url: str | None, not_places: frozenset[str] = frozenset()) -> list[str]:
    """The place-bearing labels of a gov.cn address, most specific first; [] otherwise.
    A label before another that spells a department (`not_places`: sthjj.xam.gov.cn, the
    生态环境局 of 兴安盟) names the site's owner within the place, not a place."""
    if not url:
        return []
    host = (urlsplit(url).hostname or "").lower()
    if not host.endswith(".gov.cn"):
        return []
    parts = [x for x in host[: -len(".gov.cn")].split(".") if x]
    labels = [x for k, x in enumerate(parts) if x not in _GENERIC_LABELS
              and not (x in not_places and k + 1 < len(parts))]
    out = []
    for label in labels:
        out.append(label)
        for word in _PLACE_WORD_CODES:
            if label.endswith(word) and len(label) > len(word) + 1:
                out.append(label[: -len(word)])
    return out


def host_places(url: str | None, not_places: frozenset[str] = frozenset()
                ) -> tuple[str, tuple[Place, ...]]:
    """(label, places) for the first label of the address the gazetteer spells; ("", ())
    when none does. Initials are ambiguous (xp: 溆浦, 新浦…): callers weigh each place by
    1/len(places). `not_places`: see host_labels."""
    labels = host_labels(url, not_places)
    if not labels:
        return "", ()       # no gov.cn address: the code index (seconds to build) is not needed
    index = _code_index()
    for label in labels:
        places = index.get(label)
        if places:
            return label, places
    return "", ()
