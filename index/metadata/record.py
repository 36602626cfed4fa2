from __future__ import annotations

import re
from collections import Counter

from ..model import Metadata
from ..places import Place, find_mentions, find_places, is_within, load_gazetteer, places_with_short
from .departments import department_by_work
from .evidence import Ballot
from .hosts import department_codes, host_labels, host_places, place_codes
from .portal import portal_fields
from .common import (_ADDRESSEE_RE, _LEVEL_OF_DEPTH, _LEVEL_RANK, _is_body_text, _metadata_config,
                     without_pinyin_glosses, without_superiors)
from .dates import _in_book_title, _label_re, find_published, find_source, find_year, parse_date, report_years
from .titles import _is_title_line, find_title, title_issuer
from .issuer import (_ends_with, _first_sentence, _formal_government, _full_government_name,
                     _fuller_issuer, _opening_issuer, _place_suffixes, _YEAR_LEAD,
                     _without_book_titles, find_signature, issuer_type_of, role_issuer, text_role,
                     without_party_group)
from .place import (PlaceGuess, _self_named, _self_reference, _suffix_level, department_named_by_text, guess_place,
                    places_of_level, town_named_by_text, town_of_county_by_short)

# ---------------------------------------------------------------- the whole record

_SITE_ENDINGS = ("网站", "门户", "网")
# a bulleted link of the page's furniture: "• [山东省政府发布2018年度…报告] 对…的思考"
_LINK_ITEM = re.compile(r"^\s*[•·●▪■◆]\s*[\[【]")
_OFFICE_IN_BRACKETS = re.compile(r"[(（](?:办公室|办公厅)[)）]$")


def _department_codes(cfg: dict) -> frozenset[str]:
    """The host spellings of the configured departments, computed once per configuration."""
    key = id(cfg)
    got = _DEPARTMENT_CODES.get(key)
    if got is None or got[0] is not cfg:
        got = _DEPARTMENT_CODES[key] = (cfg, department_codes(cfg.get("departments")))
    return got[1]


_DEPARTMENT_CODES: dict[int, tuple] = {}

def _addressee_of(line: str, cfg: dict) -> str:
    """The addressee a line is ("常州市人民政府:" -> 常州市人民政府), or ""."""
    suffixes = cfg["government_suffixes"] + cfg["department_suffixes"]
    m = _ADDRESSEE_RE.fullmatch(line.strip())
    if m and (_ends_with(m.group(1), suffixes) or "委" in m.group(1)):
        return m.group(1)
    return ""


def _addressee(lines: list[str], upto: int, cfg: dict) -> str:
    """An addressee line before the body ("常州市人民政府:"): the issuer's superior."""
    return next((a for a in (_addressee_of(line, cfg) for line in lines[:upto]) if a), "")


def _is_label_line(line: str, cfg: dict) -> bool:
    """A short chrome line with a publishing or source label."""
    labels = _label_re(cfg["published_labels"] + cfg["source_labels"])
    return len(line) <= cfg["chrome_max_chars"] and re.search(labels + r"\s*[::]", line) is not None


def _opening_lines(lines: list[str], start: int, cfg: dict) -> list[str]:
    """The first sentence-like lines of the body (chrome and very short lines skipped)."""
    out = []
    for line in lines[start:]:
        if len(line) < 15 or _is_label_line(line, cfg) or _addressee_of(line, cfg) \
                or _LINK_ITEM.match(line):
            continue
        if "。" not in line and any(mark in line for mark in cfg["breadcrumb_marks"]):
            continue  # 首页 > 政务公开 > …: a navigation line, not the opening
        out.append(line)
        if len(out) >= cfg["year_opening_lines"]:
            break
    return out


_POSTING_OFFICE = re.compile(r"(.+?)(?:人民)?政府办(?:公室|公厅)?")
_OFFICE_SELF_WORDS = ("我办", "本办")


def _speaker_of_posting_office(name: str | None, text: str, levels_cfg: dict,
                               titled: str | None = None) -> str | None:
    """The government whose report its general office posted: a portal naming
    某市政府办公室 as 发布机构 of a report whose title names the government itself
    (`titled`: 某市人民政府关于…), or that speaks as the government (我市, 我县…, more
    often than the office speaks of itself: 我办, 本办), is the government's report."""
    m = _POSTING_OFFICE.fullmatch(name or "")
    if not m or not find_mentions(m.group(1)):
        return None
    if titled and titled.endswith("政府") and _formal_government(titled, levels_cfg) in (
            m.group(1) + "人民政府", _formal_government(m.group(1) + "政府", levels_cfg)):
        return titled
    gov_words = [w for w in (levels_cfg.get("self_reference") or {}) if w.startswith(("我", "本"))
                 and w[-1] not in "局厅委办"]
    gov = sum(text.count(w) for w in gov_words)
    office = sum(text.count(w) for w in _OFFICE_SELF_WORDS)
    return m.group(1) + "人民政府" if gov > office else None


def _role_leads(sentence: str, cfg: dict, levels_cfg: dict) -> bool:
    """Whether the first sentence begins with a role (2022年,县交通运输局…): the subject is
    then that role, and a place written later in the sentence (…郁南县…, or the 高县 that
    提高县交通运输 spells) is not the issuer."""
    found = role_issuer([sentence], cfg, levels_cfg)
    lead = _YEAR_LEAD.sub("", sentence).lstrip(",, ")
    # (a verb follows the subject: "市司法局 2022年02月15日" is a chrome line, no sentence)
    return bool(found) and lead.startswith(found[0]) and \
        re.match(r"[\u4e00-\u9fff]", lead[len(found[0]):]) is not None


def _longer_town(issuer: str | None, cfg: dict, levels_cfg: dict) -> str | None:
    """The town's name without its government ending when the issuer is a town the gazetteer
    lacks whose name ends with a town it knows (银杏大街街道 ends with 大街街道); None otherwise
    (a known town, alone or after its county: 永川区胜利路街道, 鲤城区人民政府金龙街道)."""
    if not issuer:
        return None
    name = issuer
    for ending in sorted(cfg["government_suffixes"], key=len):
        if name.endswith(ending) and len(name) > len(ending) + 1:
            name = name[: -len(ending)]
            break
    mentions = find_mentions(name)
    if not mentions or mentions[-1].end != len(name) or any(p.level != "town" for p in mentions[-1].places):
        return None
    prefix = name[: mentions[-1].start]
    for m in mentions[:-1]:
        prefix = prefix.replace(m.name, "")
    prefix = prefix.replace("人民政府", "")
    if prefix.startswith(("中共", "关于")) or prefix in (levels_cfg.get("role_words") or {}):
        return None  # a party body's or a title's words, or a level word (县城关镇), no name
    return name if re.fullmatch(r"[\u4e00-\u9fff]{2,4}", prefix) else None


_REGION_TAG = re.compile(r"(?<![\u4e00-\u9fff/])([\u4e00-\u9fff]{2,8})/([\u4e00-\u9fff]{2,8})(?![\u4e00-\u9fff/])")


def _region_tag(lines: list[str], cfg: dict) -> Place | None:
    """The prefecture a page's head tags it with ("浙江/台州 招标采购", "浙江/台州-2026-01-27":
    a mirror's region, province/city), read in the short lines above the body; None when
    there is no such tag or two disagree."""
    gaz = load_gazetteer()
    found: set[Place] = set()
    for line in lines[: cfg["title_search_lines"]]:
        if _is_body_text(line):
            break
        if len(line) > cfg["chrome_max_chars"]:
            continue
        for m in _REGION_TAG.finditer(line):
            province = next((p for p in gaz.provinces if m.group(1) in (p.name, p.short)), None)
            if province is None:
                continue
            found.update(c for c in places_with_short(m.group(2)) + tuple(gaz.by_name.get(m.group(2), ()))
                         if c.level == "city" and c.province == province.province)
    return next(iter(found)) if len(found) == 1 else None


def _region_tag_decides(guess: PlaceGuess, issuer: str | None, tag: Place | None, ballot: Ballot,
                        weights: dict) -> PlaceGuess:
    """The page's region tag as one more vote, like the address: it picks the one reading of
    the issuer's name inside the tagged prefecture (古城街道: 17 places, one in 台州), or fills a
    province the text leaves open."""
    if tag is None or guess.place is not None:
        return guess
    own = find_mentions(issuer or "")
    readings = list(own[-1].places) if own else []
    within = [p for p in readings if is_within(p, tag)]
    if len(within) == 1:
        p = within[0]
        ballot.add("province", p.province, "页面地区标签", f"{tag.province}/{tag.city}", weights["host"])
        return PlaceGuess(p, p.province, p.city, _LEVEL_OF_DEPTH[p.level], guess.named_by)
    if guess.province is None and not readings:
        ballot.add("province", tag.province, "页面地区标签", f"{tag.province}/{tag.city}", weights["host"])
        return PlaceGuess(None, tag.province, tag.city, guess.level, guess.named_by)
    return guess


def _written_name(place: Place, text: str) -> str:
    """The place's name as the text writes it most (金平县 for 金平苗族瑶族傣族自治县, 延边州),
    its gazetteer name when the text never writes it."""
    written = Counter(m.name for m in find_mentions(text) if place in m.places)
    return written.most_common(1)[0][0] if written else place.name


def _place_at_level(guess: PlaceGuess, level: str, hosts: tuple[Place, ...] = ()) -> Place | None:
    """The issuer's place when it is settled at the issuer's level: the place decided, the
    province by its name, or the one place of the page's address at that level within the
    province and city decided."""
    if guess.place and _LEVEL_OF_DEPTH[guess.place.level] == level:
        return guess.place
    if level == "省级" and guess.province:
        return next((p for p in load_gazetteer().provinces if p.province == guess.province), None)
    fits = [h for h in hosts if _LEVEL_OF_DEPTH[h.level] == level and guess.province == h.province
            and guess.city in (None, h.city)]
    return fits[0] if len(fits) == 1 else None


def _named_place(name: str | None) -> bool:
    """Whether an organisation's name carries a place (某县司法局), not only a role (区司法局)."""
    if not name:
        return False
    return bool(find_mentions(name)) or any(places_with_short(name[:n]) for n in (4, 3, 2))


def _supported_issuer(ballot: Ballot, cfg: dict) -> str | None:
    """The issuer the candidates support most: each name counts for itself and for every
    fuller name ending with it (县教育局 supports 岱山县教育局); ties go to the fuller name."""
    cands = ballot.fields.get("issuer", [])
    best, best_score = None, 0.0
    for c in cands:
        name = str(c.value)
        score = sum(o.weight for o in cands if name.endswith(str(o.value)))
        if score > best_score or (score == best_score and best and len(name) > len(best)):
            best, best_score = name, score
    return best


def _superior_words_level(text: str, levels_cfg: dict) -> str | None:
    """The level of a role-only addressee or of 本级 words (县委、县政府: -> 县级)."""
    words = sorted(levels_cfg["role_words"], key=len, reverse=True)
    for word in words:
        if text.startswith(word):
            return levels_cfg["role_words"][word]
    return None


def _role_level(role: str, levels_cfg: dict) -> str | None:
    return _superior_words_level(role, levels_cfg)


def _strip_role_word(role: str, levels_cfg: dict) -> str:
    for word in sorted(levels_cfg["role_words"], key=len, reverse=True):
        if role.startswith(word) and len(role) > len(word):
            return role[len(word):]
    return role


def _body_year(lines: list[str], start: int) -> tuple[int | None, str]:
    """The year the body speaks of most, when nothing else dates the report."""
    counts = Counter(y for line in lines[start:] for y in report_years(line))
    if not counts:
        return None, ""
    (year, n), = counts.most_common(1)
    return year, f"正文中 {year}年 出现 {n} 次"


def _county_the_text_names(text: str, slogans: tuple, hosts: tuple) -> Place | None:
    """The one county (or county-level city) the text names clearly more than any other."""
    ranked = places_of_level("县级", text, slogans, hosts)
    if ranked and ranked[0][1] >= 1.0 and (len(ranked) == 1 or ranked[0][1] > ranked[1][1]):
        return ranked[0][0]
    return None


def _host_ending_decides(guess: PlaceGuess, issuer: str | None, labels: list[str],
                         ballot: Ballot, weights: dict) -> PlaceGuess:
    """A town the text leaves in several counties (东溪镇 of 苍溪县, 简阳市, 忠县, 綦江区) on an
    address no place spells whole (cncx.gov.cn): the one county whose initials or pinyin end
    a label of the address (…cx: 苍溪). It only picks among the text's own readings."""
    own = find_mentions(issuer or "")
    if guess.place is not None or not labels or not own or len(own[-1].places) < 2:
        return guess
    picked = []
    for p in own[-1].places:
        county = p.county or ""
        short = county[:-1] if len(county) > 2 and county[-1] in "县区市旗" else county
        codes = {c for n in (county, short) if n for c in place_codes(n) if len(c) >= 2}
        if any(label.endswith(c) and label != c for label in labels for c in codes):
            picked.append(p)
    if len(picked) != 1:
        return guess
    p = picked[0]
    ballot.add("province", p.province, "网址结尾", f"{'.'.join(labels)} → {p.county}",
               weights["host"])
    return PlaceGuess(p, p.province, p.city, _LEVEL_OF_DEPTH[p.level], guess.named_by)


def _host_decides(guess: PlaceGuess, issuer: str | None, hosts: tuple[Place, ...], text: str,
                  ballot: Ballot, weights: dict) -> PlaceGuess:
    """The page's address as one more vote on the place: it picks among the readings the
    text leaves open (鼓楼街道 in 13 places, one in 密云区 = bjmy.gov.cn), fills a province the
    text does not name, and, when the text itself names the address's place (涪陵) while the
    gazetteer places the issuer's name elsewhere only, it places the issuer there."""
    if not hosts:
        return guess
    own = find_mentions(issuer or "")
    readings = [guess.place] if guess.place else list(own[-1].places) if own else []
    if readings and guess.place is None:
        within = [p for p in readings if any(is_within(p, h) or is_within(h, p) for h in hosts)]
        if len(within) == 1:
            p = within[0]
            ballot.add("province", p.province, "网址", "网址所指地方之内的唯一同名地方", weights["host"])
            return PlaceGuess(p, p.province, p.city, _LEVEL_OF_DEPTH[p.level], guess.named_by)
    named = [h for h in hosts if h.name in text or (h.short and len(h.short) >= 2 and h.short in text)]
    if readings and len(named) == 1 and not any(is_within(p, named[0]) or is_within(named[0], p)
                                                for p in readings):
        h = named[0]
        ballot.add("province", h.province, "网址", f"网址与正文都指 {h.name}", weights["host"] * 2)
        return PlaceGuess(None, h.province, h.city, guess.level, guess.named_by)
    if not readings and guess.place is None and len(named) == 1 and \
            guess.province in (None, named[0].province):
        # No name of the issuer at all (我委), but the text names the address's place
        # (fl.gov.cn and 中共重庆市涪陵区委…): the report is that place's.
        h = named[0]
        ballot.add("province", h.province, "网址", f"网址与正文都指 {h.name}", weights["host"] * 2)
        return PlaceGuess(h, h.province, h.city, guess.level or _LEVEL_OF_DEPTH[h.level], guess.named_by)
    if guess.province is None and len({h.province for h in hosts}) > 1:
        # Initials spell places in several provinces (sm: 厦门, 三明, 三门…): keep those in a
        # province the text names, and those whose ending is the level word the text uses of
        # itself (县委、县政府 -> 五华县, not 五华区).
        in_text = [h for h in hosts if any(p.level == "province" and p.province == h.province
                                          for p in find_places(text))]
        hosts = tuple(in_text) or hosts
        words = {c: text.count(c + "委") + text.count(c + "政府") + text.count("全" + c) for c in "县区市旗"}
        word, n = max(words.items(), key=lambda kv: kv[1])
        ending = tuple(h for h in hosts if h.name.endswith(word))
        if n and ending and len({h.name[-1] for h in hosts}) > 1:
            hosts = ending
    if guess.province is None:
        provinces = {h.province for h in hosts}
        if len(provinces) == 1:
            h = hosts[0]
            cities = {x.city for x in hosts}
            city = h.city if len(cities) == 1 else None
            ballot.add("province", h.province, "网址", "网址", weights["host"])
            level = guess.level or (_LEVEL_OF_DEPTH[h.level] if len({x.level for x in hosts}) == 1 else None)
            return PlaceGuess(guess.place, h.province, city or guess.city, level, guess.named_by)
    return guess


def extract_metadata(lines: list[str], body_start: int | None = None,
                     config: dict | None = None, url: str | None = None,
                     explain: dict | None = None) -> Metadata:
    """Metadata of a report from its cleaned lines (chrome lines included) and, when known,
    the page's address. With `explain` (a dict), fills it per field with the evidence that
    decided the value and the runners-up (`reportsearch inspect --explain`)."""
    cfg, levels_cfg = _metadata_config(config)
    lines = without_pinyin_glosses(lines)
    weights = cfg["weights"]
    slogans = tuple(cfg["place_slogan_words"])
    ballot = Ballot()
    text = "\n".join(lines)
    head_end = max(cfg["title_search_lines"], body_start or 0)
    # A page printing its metadata block twice (a table and a list) gives each field once.
    portal = list({(f.field, f.value): f for f in reversed(portal_fields(lines, cfg, upto=head_end))}.values())[::-1]

    # ---- title: a labelled portal title, else the title line of the page
    title, title_end = find_title(lines, body_start, cfg, levels_cfg)
    for f in portal:
        if f.field == "title" and _is_title_line(f.value, cfg):
            ballot.add("title", f.value, f"门户字段 {f.label}", f.value, weights["portal"])
            title_end = max(title_end, f.line)
    ballot.add("title", title, "标题行", title or "", weights["title"] * 0.9)
    title = ballot.decide("title")

    # ---- dates
    published = find_published(lines, cfg)
    ballot.add("published", published, "发布日期字段", "", weights["portal"])
    for f in portal:
        if f.field == "published":
            ballot.add("published", parse_date(f.value), f"门户字段 {f.label}", f.value, weights["portal"])
    published = ballot.decide("published")
    source = find_source(lines, cfg)
    signed_by, dated = find_signature(lines, cfg, levels_cfg, below=title_end)
    # A short page's last lines reach up to the site's name above the title (泽州县司法局 /
    # 搜索 / title): no signature, only the site's, which may be another body's.
    site_name = find_signature(lines[:title_end], cfg, levels_cfg)[0] if signed_by is None else None
    ballot.add("dated", dated, "落款日期", "", weights["signature"])
    for f in portal:
        if f.field == "dated":
            ballot.add("dated", parse_date(f.value), f"门户字段 {f.label}", f.value, 1.0)
    dated = ballot.decide("dated")

    start = body_start if body_start is not None else title_end + 1
    opening = _opening_lines(lines, max(start, title_end + 1), cfg)
    superiors = _addressee(lines, max(start, title_end + 1) + 3, cfg)

    # ---- issuer: portal field, title, signature, first sentence
    from_title = without_party_group(title_issuer(title), cfg) if title else None
    for f in portal:
        # (发布机构: 海丰县人民政府门户网站 names the site that posted it, not an issuer)
        if f.field == "issuer" and not f.value.rstrip().endswith(_SITE_ENDINGS):
            # 阜阳市人民政府(办公室): the government, posted by its office
            posted_by = without_party_group(
                _OFFICE_IN_BRACKETS.sub("", f.value.replace(" ", "")), cfg)
            speaker = _speaker_of_posting_office(posted_by, text, levels_cfg, from_title)
            ballot.add("issuer", speaker or posted_by,
                       f"门户字段 {f.label}" + ("(发布的办公室, 报告以政府口吻)" if speaker else ""),
                       f.value, weights["portal"])
    ballot.add("issuer", from_title, "标题", title or "", weights["title"])
    ballot.add("issuer", without_party_group(signed_by, cfg), "落款", signed_by or "", weights["signature"])
    ballot.add("issuer", without_party_group(site_name, cfg), "标题之上的网站名称", site_name or "", weights["host"])
    named = ballot.decide("issuer") is not None
    role_leads = _role_leads(_first_sentence(opening), cfg, levels_cfg)
    names = {str(c.value) for c in ballot.fields.get("issuer", [])}
    if role_leads and any(not a.endswith(b) and not b.endswith(a) for a in names for b in names):
        # Names that disagree (a posting office's 县司法局 and the site's 泽州县司法局, the
        # title's 泽州县交通运输局): the role the first sentence begins with (县交通运输局)
        # supports the one ending with it.
        lead = role_issuer([_first_sentence(opening)], cfg, levels_cfg)
        ballot.add("issuer", lead[0], "首句主语(称谓)", lead[1], weights["opening"])
    if not named and not role_leads:
        ballot.add("issuer", without_party_group(_opening_issuer(opening, cfg), cfg), "首句主语", _first_sentence(opening),
                   weights["opening"])
    issuer = _supported_issuer(ballot, cfg)
    if issuer:
        # (a signature or source of a party committee with its government or department is
        # that government or department)
        issuer = _fuller_issuer(issuer, [without_party_group(signed_by, cfg),
                                         without_party_group(source, cfg)], text, cfg, levels_cfg)
    sentence = _without_book_titles(_first_sentence(opening))
    # (a sentence led by a role names its place by the role; see _role_leads)
    names = [issuer, title, "" if role_leads else sentence, source]
    longer = _longer_town(issuer, cfg, levels_cfg)
    if longer:
        # A town the gazetteer lacks, whose name ends with one it knows elsewhere (银杏大街街道,
        # 大街街道 of other provinces): that town is not the issuer's place.
        names = [n.replace(issuer, "").replace(longer, "") if n else n for n in names]
    guess = guess_place(names, text, superiors, slogans)
    host_label, hosts = host_places(url, _department_codes(cfg))
    if longer and guess.place is None:
        # It lies in the county the report names (在文峰区委、区政府的领导下).
        ranked = places_of_level("县级", text, slogans, hosts)
        if ranked and ranked[0][1] >= 1.0 and (len(ranked) == 1 or ranked[0][1] > ranked[1][1]):
            county = ranked[0][0]
            guess = PlaceGuess(None, county.province, county.city, "乡镇级", guess.named_by)
            ballot.add("province", county.province, "名称不在地名录+正文所指县", county.name, weights["role"])

    self_ref = _self_reference(text, levels_cfg)
    if self_ref is None and superiors in cfg["addressee_levels"]:
        self_ref = (cfg["addressee_levels"][superiors], superiors)
    self_placed = False
    # A first sentence whose subject is a department by role ("市市场监管局在市委市政府…")
    # outranks the report's 我市: the department speaks of its city, not as it.
    opening_role = role_issuer([_first_sentence(opening)] + opening[:1], cfg, levels_cfg)
    # (市局 alone names no department: 我市 then still says which one the text means.)
    department_subject = bool(opening_role and _ends_with(opening_role[0], cfg["department_suffixes"])
                              and len(_strip_role_word(opening_role[0], levels_cfg)) >= 2)
    if issuer is None and guess.named_by < 0 and self_ref and not department_subject:
        place, issuer = _self_named(text, *self_ref, cfg, levels_cfg, hosts)
        # (我镇 -> 增福镇; not in a report that also says 我局: a department's 我县 is its place)
        if place and issuer is None and not _ends_with(self_ref[1], cfg["department_suffixes"]) \
                and not any(w in text for w in cfg["department_self_words"]):
            issuer = next(m.name for m in find_mentions(text) if place in m.places)
        if place:
            self_placed = True
            guess = PlaceGuess(place, place.province, place.city, self_ref[0])
            ballot.add("province", place.province, "自称+正文唯一同级地方", self_ref[1], weights["role"])

    # ---- a report that only says 我镇/我乡 of a town the gazetteer does not know, or 我厅/我局
    # of a department it names elsewhere with its place (《某县应急管理局学法计划》)
    if issuer is None and not opening_role:
        word = next((w for w in sorted(cfg["department_self_words"], key=text.count, reverse=True)
                     if w.startswith(("我", "本")) and text.count(w)), None)
        named_self = department_named_by_text(text, word, cfg, levels_cfg) if word else None
        if named_self is None and self_ref:
            named_self = town_named_by_text(text, self_ref[1], slogans, tuple(cfg.get("slogan_common_words") or ()))
        if named_self:
            ballot.add("issuer", named_self, "自称+正文所写名称", word or self_ref[1], weights["role"])
            issuer = named_self
            guess = guess_place([issuer, title, sentence, source], text, superiors, slogans) \
                if find_mentions(issuer) else guess
            if guess.province is None and not word:
                # A town the gazetteer lacks lies in the county (or county-level city) its
                # report names: "在吴川市委、市政府的坚强领导下,我镇…".
                county = _county_the_text_names(text, slogans, hosts)
                if county:
                    guess = PlaceGuess(None, county.province, county.city, "乡镇级", guess.named_by)
                    ballot.add("province", county.province, "自称+正文所指县", county.name, weights["role"])

    # ---- a report naming itself by role only (区司法局, 县人民政府, 我局, 自治区人民政府)
    role = None
    if not self_placed and not _named_place(issuer) and guess.named_by < 0:
        found = role_issuer([issuer] if issuer else [], cfg, levels_cfg) or \
            role_issuer([_first_sentence(opening)] + opening[:1], cfg, levels_cfg)
        own_words = without_superiors(text)
        region = [w for w in levels_cfg.get("region_self_reference") or [] if w in own_words]
        spoken = None
        if found:
            role = found[0]
        elif region and _self_reference(text, levels_cfg) is None:
            role = "自治区人民政府" if any("政府" in w for w in region) or "党委和政府" in text else "自治区"
        elif issuer is None and not any(w in text for w in cfg["department_self_words"]):
            # No subject names the issuer: how the whole text speaks of its own government
            # (全省各级…, 省委、省政府, 盟委、行署, 本市) gives the role.
            spoken = text_role(text, cfg, levels_cfg)
            role = spoken[0] if spoken else None
        level_of_role = _role_level(role, levels_cfg) if role else None
        if role and level_of_role is None and superiors:
            level_of_role = _superior_words_level(superiors, levels_cfg)
        if level_of_role:
            ranked = places_of_level(level_of_role, text, slogans, hosts, province_shorts=bool(spoken))
            if level_of_role == "市级":
                # 本市, 市政府, 市人社局 of a municipality (天津市; 上海 named by its short form
                # when the report names no subject): 省级. A 市X局 whose text names a
                # prefecture at all is that prefecture's (its staff may study in 北京市).
                cities = [r for r in places_of_level("省级", text, slogans, hosts, province_shorts=bool(spoken))
                          if r[0].name.endswith("市")]
                if cities and cities[0][1] >= 1.0 and (not ranked or cities[0][1] > ranked[0][1]) \
                        and (spoken or not ranked or ranked[0][1] < 1.0):
                    ranked, level_of_role = cities, "省级"
            if spoken and level_of_role == "乡镇级" and not ranked:
                # A town that names itself only by role (街道按照…) and by its short name in
                # a coined phrase (鱼复法治建设): the town of that name in the county it names.
                counties = places_of_level("县级", text, slogans, hosts)
                if counties and (len(counties) == 1 or counties[0][1] > counties[1][1]):
                    town = town_of_county_by_short(text, counties[0][0])
                    if town:
                        ranked = [(town[0], float(town[1]), f"{town[0].name} 的简称 ({counties[0][0].name})")]
            if level_of_role == "市级":
                # 市政府 in a county-level city's report is that city's (乐平市, 雷州市): a
                # county-level 市 the text names more than any prefecture is the issuer's.
                county_cities = [r for r in places_of_level("县级", text, slogans, hosts)
                                 if r[0].name.endswith("市")]
                if county_cities and county_cities[0][1] >= 1.0 and \
                        (not ranked or county_cities[0][1] > ranked[0][1]):
                    ranked, level_of_role = county_cities, "县级"
            if ranked and ranked[0][1] >= 1.0 and (len(ranked) == 1 or ranked[0][1] > ranked[1][1]):
                place, score, said = ranked[0]
                tail = _strip_role_word(role, levels_cfg)
                written = _written_name(place, text)
                name = _formal_government(written + tail if tail not in ("自治区", place.name, written)
                                          else written, levels_cfg)
                ballot.add("issuer", name, "称谓+正文所指地方",
                           f"{role}{' (' + spoken[1] + ')' if spoken else ''} ← {said}", weights["role"])
                issuer = name
                guess = PlaceGuess(place, place.province, place.city, level_of_role, 0)
            elif role:
                province = next((p for p in load_gazetteer().provinces
                                 if p.province == guess.province), None) \
                    if level_of_role == "省级" and guess.province else None
                if province and not spoken:
                    # 省政府 of a report whose province the text settles otherwise (来陕考察)
                    tail = _strip_role_word(role, levels_cfg)
                    issuer = _formal_government(
                        province.name + (tail if tail not in ("自治区", province.name) else ""),
                        levels_cfg)
                    ballot.add("issuer", issuer, "称谓+正文所指省", found[1] if found else role,
                               weights["role"])
                elif not spoken:  # a role the text only implies is not written as a name
                    ballot.add("issuer", role, "称谓", found[1] if found else role, weights["role"])
                    issuer = issuer or role
                guess = PlaceGuess(guess.place, guess.province, guess.city, level_of_role, guess.named_by)
    guess = _host_decides(guess, issuer, hosts, text, ballot, weights)
    if not hosts:
        guess = _host_ending_decides(guess, issuer, host_labels(url, _department_codes(cfg)),
                                     ballot, weights)
    if guess.province is None and _suffix_level(issuer, cfg, levels_cfg) == "乡镇级":
        # a town or street the gazetteer does not know (陆渡街道), named: the county its
        # text names (在太仓市委、市政府的正确领导下), as for one saying only 我镇
        county = _county_the_text_names(text, slogans, hosts)
        if county:
            guess = PlaceGuess(None, county.province, county.city, "乡镇级", guess.named_by)
            ballot.add("province", county.province, "正文所指县", county.name, weights["role"])
    guess = _region_tag_decides(guess, issuer, _region_tag(lines, cfg), ballot, weights)


    levels = [lv for lv in (guess.level, _suffix_level(issuer, cfg, levels_cfg)) if lv]
    # The deeper level wins: a town missing from the gazetteer still says 街道/镇 in its
    # name, while a 市 ending cannot tell a prefecture from a county-level city.
    level = max(levels, key=_LEVEL_RANK.get) if levels else None
    # "我镇" beats a place read from the first sentence (its county or city named first);
    # an issuer named in the title or signature is not overruled.
    if self_ref and (level is None or (not named and role is None
                                       and _LEVEL_RANK[self_ref[0]] > _LEVEL_RANK[level])):
        level = self_ref[0]
    if level is None and hosts and len({_LEVEL_OF_DEPTH[h.level] for h in hosts}) == 1 \
            and len(hosts) == 1:
        level = _LEVEL_OF_DEPTH[hosts[0].level]
        ballot.add("level", level, "网址", host_label, weights["host"])
    ballot.add("level", level, "地名/名称词尾/自称", issuer or (self_ref or ("", ""))[1], weights["opening"])

    # A report to 国务院 that never names itself (国务院: …按照党中央、国务院的部署…) is its
    # province's government's: departments report to their own government, not to 国务院.
    if issuer is None and level == "省级" and superiors in cfg["addressee_levels"] \
            and guess.province and not any(w in text for w in cfg["department_self_words"]):
        province = next((p for p in load_gazetteer().provinces if p.province == guess.province), None)
        if province:
            issuer = _full_government_name(province.name, levels_cfg, cfg)
            ballot.add("issuer", issuer, "抬头(报国务院)+正文所指省", superiors, weights["role"])

    # ---- issuer type: the name's ending, else how the report speaks of itself
    issuer_type = issuer_type_of(issuer, cfg, levels_cfg)
    ballot.add("issuer_type", issuer_type, "名称词尾", issuer or "", weights["title"])
    if issuer_type is None or not _named_place(issuer):
        dept = sum(text.count(w) for w in cfg["department_self_words"])
        gov_words = [w for w, lv in (levels_cfg.get("self_reference") or {}).items()
                     if not _ends_with(w, cfg["department_suffixes"])]
        gov = sum(text.count(w) for w in gov_words)
        # (我县, 我市 are a department's words for its place too; 我局 is never a government's)
        if dept or gov:
            ballot.add("issuer_type", "部门" if dept else "政府", "自称",
                       f"部门自称 {dept} 次, 政府自称 {gov} 次", weights["opening"] if issuer_type is None else 1.0)
    issuer_type = ballot.decide("issuer_type")

    # A department's report goes to its own government (本级党委和政府): an addressee line
    # naming one ("中共将乐县委员会,将乐县人民政府:") places the department there.
    if issuer_type == "部门" and not _named_place(issuer) and superiors:
        own = find_mentions(superiors)
        if own and len(own[-1].places) == 1:
            p = own[-1].places[0]
            level = _LEVEL_OF_DEPTH[p.level]
            guess = PlaceGuess(p, p.province, p.city, level)
            ballot.add("level", level, "部门报告的抬头(本级政府)", superiors, weights["role"])
            if issuer:
                issuer = p.name + _strip_role_word(issuer, levels_cfg)
                ballot.add("issuer", issuer, "称谓+抬头所指地方", superiors, weights["role"])

    # ---- a department that only says 我局/我委/我厅, placed but not named: named by its work
    if issuer is None and issuer_type == "部门" and level:
        own = _place_at_level(guess, level, hosts)
        word = max(cfg["department_self_words"], key=text.count)
        work = department_by_work(text, word, level, cfg, own.name) if own and text.count(word) else None
        if work:
            issuer = own.name + work[0]
            ballot.add("issuer", issuer, "自称+职能用语+地方", f"{word}; {work[1]}; {own.name}", weights["role"])

    # ---- year
    year = find_year(title, opening, published, dated, cfg)
    if year is None:
        year, said = _body_year(lines, max(start, 0))
        ballot.add("year", year, "正文最常见年份", said, 1.0)
    else:
        ballot.add("year", year, "标题/首句/日期", title or (opening[:1] or [""])[0][:40], weights["title"])

    where = guess.place.name if guess.place else (issuer or sentence[:30])
    ballot.add("province", guess.province, "地名(地名录)", where, weights["opening"])
    # (a provincial report has no prefecture, whatever city its text names most)
    city = guess.city if level != "省级" else None
    ballot.add("city", city, "地名(地名录)", where, weights["opening"])
    ballot.add("source", source, "信息来源字段", source or "", weights["portal"])
    meta = Metadata(
        title=title, issuer=issuer, issuer_type=issuer_type,
        level=level, province=guess.province, city=city, year=year,
        published=published, dated=dated, source=source,
    )
    if title is None and issuer and year:
        meta.title = cfg["derived_title"].format(issuer=issuer, year=year)
        meta.title_derived = True
    if explain is not None:
        explain.update(ballot.explain({k: getattr(meta, k) for k in (
            "title", "issuer", "issuer_type", "level", "province", "city", "year",
            "published", "dated", "source")},
            supports={"issuer": lambda v, c: v is not None and str(v).endswith(str(c))}))
    return meta
