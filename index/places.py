"""China's administrative places, read from the gazetteer that ships with jionlp.

jionlp's `dictionary/china_location.zip` holds `china_location.txt`, a tab-indented tree:
province / prefecture / county / town / village, each line "full name<TAB>adcode<TAB>short
name" (towns and villages carry the name only). We load the first four levels once per
process, without importing jionlp itself (its import is slow and loads its NLP runtime).

How the file represents the special cases, and what we make of them:
- 直辖市 (北京/天津/上海/重庆): the province line is repeated as a prefecture line with the same
  adcode; we drop that repeat, so their districts hang directly under the province (city None).
- 省直辖县级行政单位 (仙桃, 济源, 石河子, 海南's counties): a placeholder prefecture
  "省直辖行政区划"; we drop it, so those counties have city None.
- 不设区的地级市 (东莞, 中山, 儋州, 嘉峪关): a placeholder county "市直辖行政区划"; dropped, so
  their towns have county None.
- 自治州 / 地区 / 盟 are prefecture-level like any 市. Short form rule (see `city_short`):
  jionlp's short name (its longest alternative, 巴音郭楞 not 巴州) without a trailing
  市/盟/地区/州, so 延边朝鲜族自治州 -> 延边, 兴安盟 -> 兴安, 阿里地区 -> 阿里, 吉林市 -> 吉林.
  That short form is what filters, the generator and the `city` field use. Reports also name
  an autonomous prefecture in running text by its short form + 州 (延边州, 黔西南州, 昌吉州) and
  by jionlp's other short names ending in 州 (巴州 for 巴音郭楞): those are matched in text like
  full names (see `prefecture_aliases`).
- 自治县 / 自治旗 are named in running text by their short form + 县/旗 too (金平县 for
  金平苗族瑶族傣族自治县; see `county_aliases`), matched like full names.
- 香港/澳门/台湾 are kept as provinces only: their districts (东区, 中山区, 大社区...) never
  issue these reports and collide with common words and mainland districts.

Text matching uses whole names with their suffix (区/县/市/旗/镇/乡/街道...), longest match
first; two-character town names (新镇, 街道) and two-character 区 names (城区, 郊区, 矿区) are
not matched in running text because they are ordinary words.
"""
from __future__ import annotations

import hashlib
import importlib.util
import os
import pickle
import zipfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

LEVEL_ORDER = ("province", "city", "county", "town")
_TOWN_SUFFIXES = ("街道", "镇", "乡", "苏木")
_PLACEHOLDERS = ("省直辖行政区划", "市直辖行政区划")
_NO_SUBDIVISIONS = ("81", "82", "71")  # adcode prefixes of 香港, 澳门, 台湾


@dataclass(frozen=True)
class Place:
    name: str                 # full name as the gazetteer writes it: 瑞安市, 两路街道
    level: str                # province | city | county | town
    province: str             # short form: 浙江, 广西, 内蒙古
    city: str | None          # prefecture short form; None for municipalities' districts
    county: str | None        # county-level full name above (or equal to) this place
    adcode: str | None        # towns have none in the data file
    short: str | None = None  # short form of this place itself (provinces, cities, counties)
    aliases: tuple[str, ...] = ()  # other names matched in running text (延边州 for 延边朝鲜族自治州)

    @property
    def depth(self) -> int:
        return LEVEL_ORDER.index(self.level)


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    name: str
    places: tuple[Place, ...]  # every place of that name (more than one when ambiguous)


@dataclass
class Gazetteer:
    by_name: dict[str, tuple[Place, ...]]        # full names matched in running text
    by_short: dict[str, tuple[Place, ...]]       # short forms of provinces, cities, counties
    lengths: dict[str, tuple[int, ...]]          # first character -> name lengths, longest first
    provinces: tuple[Place, ...]


def gazetteer_file() -> Path | None:
    """jionlp's location data (the unpacked .txt when present, else the .zip), or None."""
    spec = importlib.util.find_spec("jionlp")
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(spec.submodule_search_locations[0]) / "dictionary"
    for name in ("china_location.txt", "china_location.zip"):
        if (folder / name).is_file():
            return folder / name
    return None


def read_lines(path: Path) -> list[str]:
    """The lines of jionlp's location file (.txt or the .zip holding it)."""
    if path.suffix == ".zip":
        with zipfile.ZipFile(path) as zf:
            member = next(n for n in zf.namelist() if n.endswith(".txt"))
            data = zf.read(member)
    else:
        data = path.read_bytes()
    return data.decode("utf-8").splitlines()


def _longest_alternative(short: str) -> str:
    return max(short.split("/"), key=len)


def city_short(full: str, short: str) -> str:
    """A prefecture's short form: jionlp's longest short name without 市/州/盟/地区 when two
    characters remain (温州市 -> 温州, 兴安盟 -> 兴安, 延边朝鲜族自治州 -> 延边)."""
    base = _longest_alternative(short) if short else full
    for suffix in ("地区", "市", "盟", "州"):
        if base.endswith(suffix) and len(base) - len(suffix) >= 2:
            return base[: -len(suffix)]
    return base


def prefecture_aliases(full: str, short: str) -> tuple[str, ...]:
    """Names an autonomous prefecture goes by in running text besides its full name: its
    short form + 州 (延边朝鲜族自治州 -> 延边州) and jionlp's alternatives ending in 州 (巴州)."""
    if not full.endswith("自治州"):
        return ()
    names = {city_short(full, short) + "州"}
    names.update(a for a in (short or "").split("/") if a.endswith("州") and len(a) >= 2)
    return tuple(sorted(names - {full}))


def county_aliases(full: str, short: str | None) -> tuple[str, ...]:
    """Names an autonomous county or banner goes by in running text besides its full name:
    its short form + 县/旗 (金平苗族瑶族傣族自治县 -> 金平县, 石柱土家族自治县 -> 石柱县)."""
    for ending, word in (("自治县", "县"), ("自治旗", "旗")):
        if full.endswith(ending) and short and len(short) >= 2 and not short.endswith(word):
            return (short + word,)
    return ()


def _parse(lines: list[str]) -> list[Place]:
    places: list[Place] = []
    prov = prov_code = city = county = None
    for line in lines:
        depth = len(line) - len(line.lstrip("\t"))
        if depth > 3 or not line.strip():
            continue  # villages are not needed
        cols = line.strip().split("\t")
        name = cols[0]
        code = cols[1] if len(cols) > 1 else None
        short = _longest_alternative(cols[2]) if len(cols) > 2 else None
        if depth == 0:
            prov, prov_code, city, county = short or name, code, None, None
            places.append(Place(name, "province", prov, None, None, code, prov))
            continue
        if prov_code and prov_code[:2] in _NO_SUBDIVISIONS:
            continue
        if depth == 1:
            county = None
            if name in _PLACEHOLDERS or code == prov_code:
                city = None  # 省直辖 placeholder or a municipality's repeated line
                continue
            city = city_short(name, cols[2] if len(cols) > 2 else "")
            places.append(Place(name, "city", prov, city, None, code, city,
                                prefecture_aliases(name, cols[2] if len(cols) > 2 else "")))
        elif depth == 2:
            if name in _PLACEHOLDERS:
                county = None
                continue
            county = name
            places.append(Place(name, "county", prov, city, name, code, short, county_aliases(name, short)))
        elif name.endswith(_TOWN_SUFFIXES):
            places.append(Place(name, "town", prov, city, county, None, None))
    return places


def _matchable_in_text(place: Place) -> bool:
    if place.level == "town":
        return len(place.name) > 2
    if place.level == "county" and len(place.name) == 2 and place.name.endswith("区"):
        return False
    return len(place.name) >= 2


def _build(places: list[Place]) -> Gazetteer:
    by_name: dict[str, list[Place]] = {}
    by_short: dict[str, list[Place]] = {}
    for p in places:
        if _matchable_in_text(p):
            by_name.setdefault(p.name, []).append(p)
        for alias in p.aliases:
            by_name.setdefault(alias, []).append(p)
        if p.short and p.level != "town" and len(p.short) >= 2:
            by_short.setdefault(p.short, []).append(p)
    lengths: dict[str, set[int]] = {}
    for name in by_name:
        lengths.setdefault(name[0], set()).add(len(name))
    return Gazetteer(
        by_name={k: tuple(v) for k, v in by_name.items()},
        by_short={k: tuple(v) for k, v in by_short.items()},
        lengths={k: tuple(sorted(v, reverse=True)) for k, v in lengths.items()},
        provinces=tuple(p for p in places if p.level == "province"),
    )


# Bump when _parse or _build change what they make: the cached gazetteer is then rebuilt.
_CACHE_VERSION = 2


@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    """The gazetteer, loaded once per process; an empty one when jionlp's data is missing.

    Parsing jionlp's file takes ~0.7 s, a pickled copy ~0.2 s; every `reportsearch index`
    run pays it, so the parsed gazetteer is kept in the user's cache folder, keyed by the
    data file's path, size and mtime and by _CACHE_VERSION (a stale or unreadable cache is
    ignored and rewritten; a cache folder that cannot be written is not an error)."""
    path = gazetteer_file()
    if path is None:
        return _build([])
    cache = _cache_file(path)
    if cache is not None:
        try:
            with open(cache, "rb") as f:
                got = pickle.load(f)
            if isinstance(got, Gazetteer):
                return got
        except Exception:       # noqa: BLE001 (missing, partial or from another version)
            pass
    gaz = _build(_parse(read_lines(path)))
    if cache is not None:
        try:
            cache.parent.mkdir(parents=True, exist_ok=True)
            tmp = cache.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_bytes(pickle.dumps(gaz, protocol=pickle.HIGHEST_PROTOCOL))
            os.replace(tmp, cache)      # atomic: a concurrent reader sees all or nothing
        except OSError:
            pass
    return gaz


def _cache_file(path: Path) -> Path | None:
    try:
        from platformdirs import user_cache_dir
        st = path.stat()
    except (ImportError, OSError):
        return None
    key = hashlib.sha256(f"{_CACHE_VERSION}|{path.resolve()}|{st.st_size}|{st.st_mtime_ns}"
                         .encode()).hexdigest()[:16]
    return Path(user_cache_dir("reportsearch")) / f"gazetteer-{key}.pickle"


# A one-character name with its 县/区/市 (和县, 沛县) read across a function word and a role:
# "领导和县委" is 和 + 县委, not 和县. Such a match is skipped when its first character is a
# conjunction or preposition and 委/政府/人民政府 follows it.
_FUNCTION_CHARS = set("和与及同跟对向在为由把被从暨并或")
_ROLE_FOLLOWERS = ("委", "政府", "人民政府")


def _split_by_role(text: str, i: int, name: str) -> bool:
    return len(name) == 2 and text[i] in _FUNCTION_CHARS and text.startswith(_ROLE_FOLLOWERS, i + 2)


def find_mentions(text: str) -> list[Mention]:
    """Whole place names in `text`, leftmost-longest, not overlapping."""
    gaz = load_gazetteer()
    out: list[Mention] = []
    i, n = 0, len(text)
    while i < n:
        for length in gaz.lengths.get(text[i], ()):
            name = text[i:i + length]
            if len(name) == length and name in gaz.by_name and not _split_by_role(text, i, name):
                out.append(Mention(i, i + length, name, gaz.by_name[name]))
                i += length
                break
        else:
            i += 1
    return out


def find_places(text: str) -> list[Place]:
    """Every reading of every place name in `text` (ambiguous names give several places)."""
    return [p for m in find_mentions(text) for p in m.places]


def places_named(name: str) -> tuple[Place, ...]:
    """Places with this full name (瑞安市) or, failing that, this short form (瑞安, 浙江)."""
    gaz = load_gazetteer()
    return gaz.by_name.get(name) or gaz.by_short.get(name, ())


def places_with_short(short: str) -> tuple[Place, ...]:
    """Provinces, prefectures and counties whose short form is `short` (浙江, 温州, 瑞安)."""
    return load_gazetteer().by_short.get(short, ())


def is_within(place: Place, area: Place) -> bool:
    """True when `place` lies in `area` (or is it)."""
    if place == area:
        return True
    if area.depth >= place.depth or place.province != area.province:
        return False
    if area.level == "province":
        return True
    if area.level == "city":
        return place.city == area.city
    return place.county == area.name and place.city == area.city
