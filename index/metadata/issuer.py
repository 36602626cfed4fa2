from __future__ import annotations

import re

from ..model import Metadata
from ..places import find_mentions, places_named
from .common import _CJK_NAME, _DATE_CN_RE, _SIGN_DATE_AR_RE, _UNDER_CLAUSE, _metadata_config
from .dates import _date_from_match, _in_book_title, _signature_date
from .departments import written_out

def _ends_with(text: str, suffixes: list[str]) -> str | None:
    return next((s for s in sorted(suffixes, key=len, reverse=True) if text.endswith(s)), None)


def _place_suffixes(levels_cfg: dict) -> list[str]:
    return [s for group in (levels_cfg.get("suffixes") or {}).values() for s in group]


def _is_org_line(line: str, cfg: dict, levels_cfg: dict) -> bool:
    """A line that is only the name of a government, a department or a place."""
    name = line.replace(" ", "")
    if not _CJK_NAME.fullmatch(name) or len(name) < 3 or "关于" in name or "报告" in name:
        return False
    suffixes = cfg["government_suffixes"] + cfg["department_suffixes"]
    if _ends_with(name, suffixes):
        return True
    mentions = find_mentions(name)
    return bool(mentions) and mentions[-1].end == len(name)




def find_signature(lines: list[str], cfg: dict, levels_cfg: dict,
                   below: int = -1) -> tuple[str | None, str | None]:
    """(issuer, date) of the signature near the end: an issuer line with a date-only line
    after it (or both on one line), looked for above any page footer; failing that a
    date-only line or an issuer line among the very last lines. An issuer line alone is read
    only after line `below` (the title's): on a short page the last lines reach up to the
    site's name above the title, which signs nothing (a cover letter's issuer and date above
    the title do sign it)."""
    def tail(n: int, stop: int = -1) -> range:
        return range(len(lines) - 1, max(stop, len(lines) - 1 - n), -1)

    for i in tail(cfg["signature_search_lines"] + cfg["footer_max_lines"]):
        line = lines[i]
        date = _signature_date(line)
        prev = lines[i - 1] if i > 0 else ""
        if date and _is_org_line(prev, cfg, levels_cfg):
            return prev.replace(" ", ""), date
        m = _SIGN_DATE_AR_RE.search(line) or _DATE_CN_RE.search(line)
        if m and m.end() == len(line) and _is_org_line(line[: m.start()], cfg, levels_cfg):
            return line[: m.start()].replace(" ", ""), _date_from_match(m, m.re is _DATE_CN_RE)
    for i in tail(cfg["signature_search_lines"]):
        date = _signature_date(lines[i])
        if date:
            return None, date
    for i in tail(cfg["signature_search_lines"], below):
        if _is_org_line(lines[i], cfg, levels_cfg):
            return lines[i].replace(" ", ""), None
    return None, None


def street_places(name: str | None) -> tuple:
    """The streets a name ending in 街 stands for, when it is a 街道's name without 道 (鹤龙街
    for 鹤龙街道, as Guangzhou's streets write themselves); () otherwise."""
    if not name or not name.endswith("街") or len(name) < 3:
        return ()
    return tuple(p for p in places_named(name + "道") if p.level == "town")


def issuer_type_of(issuer: str | None, cfg: dict, levels_cfg: dict) -> str | None:
    """政府 or 部门 from the name's ending; a bare place name (滨海镇, 瑞安市, 鹤龙街) is a 政府."""
    if not issuer:
        return None
    # A second name in brackets after the first (某自治区藏语委办(编译局), 某州政务服务中心(州大数据局)):
    # the first name's ending tells.
    issuer = re.sub(r"[((][^()()]{2,12}[))]$", "", issuer) or issuer
    if street_places(issuer):
        return "政府"
    if _ends_with(issuer, cfg["government_suffixes"]):
        return "政府"
    if _ends_with(issuer, cfg["department_suffixes"]):
        return "部门"
    if _ends_with(issuer, _place_suffixes(levels_cfg)):
        return "政府"
    mentions = find_mentions(issuer)     # a place's short form alone (伊犁州, 巴州)
    if mentions and mentions[0].start == 0 and mentions[0].end == len(issuer):
        return "政府"
    return None


def _office_words(place: str, cfg: dict | None) -> list[str]:
    """How the government of a 盟 or 地区 is named (行政公署, 行署: `role_governments`), [] for
    other places, whose governments are 人民政府 (a street's: 办事处)."""
    governments = (cfg or {}).get("role_governments") or {}
    for word in ("盟", "地区"):
        if place.endswith(word) and len(place) > len(word) and word in governments:
            return list(governments[word])
    return []


def _full_government_name(place: str, levels_cfg: dict, cfg: dict | None = None) -> str:
    """The formal name of a place's government: 某乡 -> 某乡人民政府, 某街道 -> 某街道办事处,
    某盟 -> 某盟行政公署."""
    offices = _office_words(place, cfg)
    if offices:
        return place + offices[0]
    return place + ("办事处" if place.endswith("街道") else "人民政府")


def _own_government_in_text(place: str, text: str, levels_cfg: dict, cfg: dict | None = None) -> bool:
    """Whether the text calls the government of `place` by name (某县人民政府, 某县政府,
    某街道办事处) or by its level word alone as the report's own (区政府, 县人民政府,
    街道办事处 standing free: "区委、区政府高度重视"), the level word being the ending of
    `place` (a district report's 市政府 is its city's, not its own)."""
    text = _UNDER_CLAUSE.sub("", text)  # "在市委、市政府领导下" names the superiors
    offices = _office_words(place, cfg)
    if offices:
        # Only leagues and prefectures have a 行政公署: 某盟行政公署, or 行署 standing free
        # (盟委、行署; 行署盟长) is the report's own.
        words = "|".join(map(re.escape, offices))
        return re.search(rf"{re.escape(place)}(?:{words})|(?:^|(?<=[^\u4e00-\u9fff])|(?<=[、和及与]))(?:{words})",
                         text, flags=re.M) is not None
    word = _ends_with(place, _place_suffixes(levels_cfg))
    names = [place]
    if word and word != place:
        names.append(word)
    for name in names:
        for gov in ("人民政府", "政府", "办事处", "办"):
            if gov in ("办事处", "办") and not name.endswith("街道"):
                continue
            for m in re.finditer(re.escape(name + gov), text):
                if name == place:
                    return True
                before = text[m.start() - 1] if m.start() else ""
                # A free-standing 区政府, not the tail of 某某区政府 or 自治区政府.
                if not re.match(r"[\u4e00-\u9fff]", before) or before in "、和及与我本全在由经":
                    return True
    return False


def _fuller_issuer(base: str, others: list[str | None], text: str, cfg: dict,
                   levels_cfg: dict) -> str:
    """The fullest name of the same issuer the text gives: a signature or the source field
    that contains it, else the place's government when the text names it (see
    `_own_government_in_text`), written in its formal form; a bare place name stays bare."""
    kind = issuer_type_of(base, cfg, levels_cfg)
    best = base
    for other in others:
        if other and base in other and len(other) > len(best) \
                and issuer_type_of(other, cfg, levels_cfg) == kind:
            best = other
    org_suffixes = cfg["government_suffixes"] + cfg["department_suffixes"]
    if best == base and not _ends_with(base, org_suffixes):
        mentions = find_mentions(base)
        own = mentions[-1].name if mentions and mentions[-1].end == len(base) else base
        if _own_government_in_text(base, text, levels_cfg, cfg) or \
                _own_government_in_text(own, text, levels_cfg, cfg):
            return _full_government_name(base, levels_cfg, cfg)
    return _formal_government(best, levels_cfg)


def _formal_government(issuer: str, levels_cfg: dict) -> str:
    """某乡政府 -> 某乡人民政府: the informal 政府 ending after a place written out."""
    if issuer.endswith("政府") and not issuer.endswith("人民政府"):
        place = issuer[: -len("政府")]
        if _ends_with(place, _place_suffixes(levels_cfg)) and not place.endswith("街道"):
            return place + "人民政府"
    return issuer


def formal_issuer(meta: Metadata, config: dict | None = None) -> str | None:
    """The issuer's full formal name, for citations (主要责任者): a government named only by
    its place takes its government's name (滨海镇 -> 滨海镇人民政府), and a town or street
    that does not name its county takes the county the gazetteer places it in, when that is
    one county within the report's province and city (温岭市滨海镇人民政府). Departments and
    names the gazetteer cannot settle stay as the report writes them, a department's short
    ending written out (某市卫健委 -> 某市卫生健康委员会, see `departments`)."""
    cfg, levels_cfg = _metadata_config(config)
    issuer = meta.issuer
    if issuer and meta.issuer_type == "部门":
        return written_out(issuer, meta.level, cfg)
    if not issuer or meta.issuer_type != "政府":
        return issuer
    name = issuer
    if not _ends_with(name, cfg["government_suffixes"]) and _ends_with(name, _place_suffixes(levels_cfg)):
        name = _full_government_name(name, levels_cfg, cfg)
    mentions = find_mentions(issuer)
    if not mentions or mentions[0].start != 0:
        return name
    towns = [p for p in mentions[0].places if p.level == "town" and p.county
             and (meta.province is None or p.province == meta.province)
             and (meta.city is None or p.city == meta.city)]
    if meta.province and len(towns) == 1 and towns[0].county not in name:
        name = towns[0].county + name
    return name


def _first_sentence(opening: list[str]) -> str:
    for line in opening:
        sentence = re.split(r"[。;;]", line, maxsplit=1)[0]
        if len(sentence) >= 10:
            return _UNDER_CLAUSE.sub("", sentence)
    return ""


def _without_book_titles(text: str) -> str:
    """The text with 《…》 titles removed: a place inside a cited document's title (《某省法治
    政府建设实施方案》) is the document's, not the issuer's."""
    return re.sub(r"《[^《》]*》", "", text)


def _org_name_at(sentence: str, start: int, end: int, cfg: dict) -> str:
    """The organisation whose name begins with the place at sentence[start:end]: nested places
    (重庆市荣昌区) and a government or department ending (司法局, 公安局, 人民政府) right after;
    the place alone when none follows."""
    for m in find_mentions(sentence[end:]):
        if m.start != 0:
            break
        end += m.end
    name = sentence[start:end]
    government = _ends_with_any_at_start(sentence[end:], cfg["government_suffixes"])
    if government:
        # 某县人民政府办公室 is the government's general office, a department of its own.
        office = re.match(r"办公室|办公厅", sentence[end + len(government):])
        return name + government + (office.group() if office else "")
    # A department's own words sit between the place and its ending (市场监督管理局); a
    # government ending after other words is the sentence's object (…推进法治政府).
    stops = re.escape(cfg["issuer_tail_stop_chars"])
    endings = sorted(cfg["department_suffixes"], key=len, reverse=True)
    tail = re.match(rf"[^\W\d_{stops}]{{0,{cfg['issuer_tail_max_chars']}}}?(?:%s)"
                    % "|".join(map(re.escape, endings)), sentence[end:])
    # One character alone (区委, 市办) is a party or generic body, not a named organisation.
    if tail and len(tail.group()) >= 2 and not any(tail.group().endswith(w) for w in cfg["issuer_tail_not"]):
        return name + tail.group()
    return name


def _ends_with_any_at_start(text: str, words: list[str]) -> str | None:
    return next((w for w in sorted(words, key=len, reverse=True) if text.startswith(w)), None)


def _opening_issuer(opening: list[str], cfg: dict) -> str | None:
    """The organisation named as the subject of the first sentence ("2023年,大通区在…",
    "2021年,绍兴市司法局坚持…", "2024年,某省委、省政府坚持…" -> 某省人民政府)."""
    sentence = _first_sentence(opening)
    for m in find_mentions(sentence):
        if _in_book_title(sentence, m.start):
            continue
        if "我" in sentence[: m.start]:
            return None  # "我镇认真落实某县委…": the report's subject is 我镇, not the county
        after = sentence[m.end:]
        if after.startswith(("委", "党委", "党工委")):
            # The party committee and the government together as the subject of the first
            # sentence (某县委、县政府, 某自治区党委和政府): the government reports.
            opening_words = re.sub(r"[\d\s年度以来,,、::]", "", sentence[: m.start])
            if not opening_words and re.match(r"(?:党委|党工委|委)[、和及与]\s*[省市县区州旗盟]?(人民)?政府", after):
                return m.name + "人民政府"
            continue
        lead = _YEAR_LEAD.sub("", sentence[: m.start])
        if re.fullmatch(r"[\u4e00-\u9fff]{2,4}", lead) and all(p.level == "town" for p in m.places) \
                and not lead.startswith(("中共", "关于")) \
                and not any(c in lead for c in cfg["issuer_tail_stop_chars"] + "我本该各省市县区州旗盟"):
            # "2025年,银杏大街街道在…": a town the gazetteer lacks, whose name ends with one it
            # knows (大街街道); the subject starts where the sentence does.
            return lead + _org_name_at(sentence, m.start, m.end, cfg)
        return _org_name_at(sentence, m.start, m.end, cfg)
    # "2024年,鹤龙街坚持…": a street written without 道, as the sentence's subject.
    street = re.match(r"\s*([\u4e00-\u9fff]{2,4}?街)(?!道)", _YEAR_LEAD.sub("", sentence))
    if street and street_places(street.group(1)):
        return street.group(1)
    return None




def without_repeated_level_word(name: str, cfg: dict) -> str:
    """A site name glued from the place and the unit's role: 重庆市合川区 + 区司法局 ->
    重庆市合川区司法局 (the level word written twice, the second time as the role's). Only for
    县/区/旗/镇/乡: 某市市场监管局 and 某市市政管理局 begin their own words with 市."""
    suffixes = cfg["department_suffixes"] + cfg["government_suffixes"]
    for m in find_mentions(name):
        rest = name[m.end:]
        if len(rest) > 2 and rest[0] == m.name[-1] and rest[0] in "县区旗镇乡" \
                and _ends_with(rest[1:], suffixes):
            return name[:m.end] + rest[1:]
    return name


def without_party_group(name: str | None, cfg: dict) -> str | None:
    """The organisation a party body speaks for: 中共某县教育局党组 -> 某县教育局 and
    中共某县教育局委员会某县教育局 -> 某县教育局 (a department's party group reports as the
    department); 中共某县委某县人民政府 -> 某县人民政府
    (a joint report of a party committee and a government is the government's, the committee
    written 县委 or 工作委员会)."""
    if not name:
        return name
    name = without_repeated_level_word(name, cfg)
    departments = "|".join(map(re.escape, sorted(cfg["department_suffixes"], key=len, reverse=True)))
    m = re.fullmatch(rf"(?:中共|中国共产党)?(.+?(?:{departments}))(?:党组|党委|党工委|党总支)", name)
    if m and not m.group(1).endswith("委"):
        return m.group(1)
    # 中共渠县教育局委员会渠县教育局: a department's party committee and the department
    m = re.fullmatch(r"(?:中共|中国共产党)?(.+?)(?:委员会|党组|党委)[、\s]*\1", name)
    if m and _ends_with(m.group(1), cfg["department_suffixes"]):
        return m.group(1)
    m = re.fullmatch(r"(?:中共|中国共产党)?.+?(?:委员会|委)[、\s]*(.+?(?:人民政府|政府|办事处))", name)
    if m and find_mentions(m.group(1)):
        return m.group(1)
    # "宁夏回族自治区党委和政府", "巴州党委、政府": the place's party committee and its
    # government, a government's report; the place names it.
    m = re.fullmatch(r"(?:中共|中国共产党)?(.+?)(?:党委|党工委)[和、与及\s]*(?:人民)?政府", name)
    if m and find_mentions(m.group(1)):
        return m.group(1)
    return name


_YEAR_LEAD = re.compile(r"^\s*(?:\d{4}\s*年(?:度)?(?:以来|来)?\s*[,,]?\s*)")


def role_issuer(sentences: list[str], cfg: dict, levels_cfg: dict) -> tuple[str, str] | None:
    """(role, sentence) when the report names itself by role only: 区司法局 / 县人民政府 /
    教育局 / 自治区人民政府 as the subject of its first sentence (after a leading year and
    after commas) or after 现将 ("现将县人民政府2022年…情况报告如下"). A role carries no place
    name; it is resolved to the place the rest of the text names (see record)."""
    words = "|".join(map(re.escape, sorted(levels_cfg["role_words"], key=len, reverse=True)))
    governments = "|".join(map(re.escape, ("人民政府", "政府", "街道办事处", "办事处")))
    departments = "|".join(map(re.escape, sorted(cfg["department_suffixes"], key=len, reverse=True)))
    stops = re.escape(cfg["issuer_tail_stop_chars"])
    # (as many characters before the ending as a subject's department may have:
    # 人力资源和社会保障局 has nine)
    tail = rf"[^\W\d_{stops}]{{0,{cfg['issuer_tail_max_chars']}}}?(?:{departments})"
    role = rf"(?:(?:{words})(?:{governments}|{tail}))"
    patterns = [re.compile(rf"^({role}|{tail})(?:党组|党委|党工委)?"),
                re.compile(rf"(?:[,,]|现将)\s*({role})(?:党组|党委|党工委)?")]
    for sentence in sentences:
        body = _YEAR_LEAD.sub("", sentence)
        for pattern in patterns:
            m = pattern.search(body)
            # A party committee (区委, 自治区党委) is not the report's issuer.
            # 县委 (a level word and 委) is the party committee too, not a department; 我委,
            # 本局 are self-words, no role (see department_self_words).
            if m and not find_mentions(m.group(1)) and not m.group(1).endswith(("党委", "党工委")) \
                    and not re.fullmatch(rf"(?:{words})委", m.group(1)) and not m.group(1).startswith(("我", "本")) \
                    and not _ends_with(m.group(1), cfg["issuer_tail_not"]):
                return m.group(1), sentence
    return None


_FREE_BEFORE = "、和及与我本全在由经是"


def _free_at(text: str, start: int) -> bool:
    """Whether a level word at `start` stands free (区政府 after a comma, 和区政府), not as the
    tail of a name (某某区政府, 自治区政府)."""
    before = text[start - 1] if start else ""
    return not re.match(r"[\u4e00-\u9fff]", before) or before in _FREE_BEFORE


def text_role(text: str, cfg: dict, levels_cfg: dict) -> tuple[str, str] | None:
    """(role, evidence) of a government report that never names itself, from how the whole
    text speaks of its own government (superiors' "在市委、市政府领导下" left out): 省委、省政府,
    省政府 standing free, 全省各级, 本市, 我县, 盟本级, 依法治盟, 盟委、行署, 街道 or 自治区
    as a sentence's subject (twice for 自治区). The level word said most often (at least
    twice, and clearly more than any other) gives the role: 省人民政府, 市人民政府,
    盟行政公署, 街道办事处."""
    body = _UNDER_CLAUSE.sub("", text)
    governments = cfg.get("role_governments") or {}
    counts: dict[str, float] = {}
    said: dict[str, list[str]] = {}
    for word in sorted(levels_cfg["role_words"], key=len, reverse=True):
        w = re.escape(word)
        own = "|".join(map(re.escape, governments.get(word, ["人民政府", "政府"])))
        patterns = [(rf"{w}委[、和及与]?\s*(?:{w})?(?:{own})", 1.0), (rf"{w}(?:{own})", 1.0),
                    (rf"全{w}(?:各|上下)", 1.0), (rf"全{w}", 0.5), (rf"[本我]{w}", 1.0),
                    (rf"{w}本级", 1.0), (rf"依法治{w}", 1.0)]
        if word in ("街道", "自治区"):
            # The word alone as a sentence's subject ("。街道建立…", "2023年,自治区坚持…");
            # not 镇/乡/市, which begin ordinary words (乡村振兴, 市场监管).
            patterns.append((rf"(?:(?<=^)|(?<=[\n,,。;;:]))\s*{w}(?=[\u4e00-\u9fff]{{2}})",
                             2.0 if word == "自治区" else 1.0))
        seen: set[int] = set()
        for pattern, weight in patterns:
            for m in re.finditer(pattern, body, flags=re.M):
                # (全省, 本市, 依法治盟 delimit themselves; 区政府 must stand free.)
                if m.start() in seen or (m.group().lstrip().startswith(word) and not _free_at(body, m.start())):
                    continue
                # 自治区政府 is not 区政府; 全区 in a 自治区's report is the region's.
                if word in ("区", "州") and body[max(0, m.start() - 2):m.start()] in ("自治", "治区"):
                    continue
                seen.add(m.start())
                counts[word] = counts.get(word, 0.0) + weight
                if len(said.setdefault(word, [])) < 3 and m.group() not in said[word]:
                    said[word].append(m.group())
    ranked = sorted(counts.items(), key=lambda kv: -kv[1])
    if not ranked or ranked[0][1] < 2 or (len(ranked) > 1 and ranked[0][1] < 1.5 * ranked[1][1]):
        return None
    word = ranked[0][0]
    return word + governments.get(word, ["人民政府"])[0], "、".join(said[word])
