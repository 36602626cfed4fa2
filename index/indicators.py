"""Indicator statements: the figures a paragraph states (出庭应诉率达100%, 办理行政复议案件18件).

`extract_statements(text)` reads one text (a paragraph in any form: display, rule or match)
and returns one Statement per stated figure, with the character span of the statement in
that text. The rules read the rule form (NFKC: full-width digits and ％ are ASCII) in
Simplified characters (character by character, so offsets hold) and the spans are mapped
back to the given text with index.normalize.rule_form_with_map.

What the rules take from the `indicators:` block of the configuration (index/defaults.yaml):
the catalogue (name, kind, unit, wordings), the qualifier, change, decrease and target
words, the count units and the gap limits. A rate is a name ending in 率 followed, after at
most `max_gap_chars` of verbs and adverbs (达, 为, 均达, 连续三年保持, 同比下降), by a number
and % or 个百分点; names joined by 、/和/及/与 share the value after the last one (报备率、
报备及时率、规范率均达100%), or take one value each with 分别 (分别为98%、60%). A count is a
catalogued noun phrase followed by a number and a count unit (办理行政复议案件18件), and
continues through a list of kinds named by the indicator's qualifiers (审查规范性文件19件、
重大合同39份).

`segment_arrays(texts)` is what a segment stores (index/columns.py calls it): the statements
of every document as flat numpy arrays, spans in the characters of the match form it is
given. Readers map them to the display text (searcher/indicators.py).
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from .normalize import rule_form, rule_form_with_map, to_simplified_characters

RATE, COUNT = "rate", "count"


@dataclass
class Statement:
    indicator: str          # canonical name, or the rate's own name when uncatalogued
    wording: str            # the name as written (characters of the given text)
    qualifier: str          # 主要负责人, 一审, 平均 … ("" when none)
    value: float            # a decrease (下降7.01个百分点) is negative
    unit: str               # % | 个百分点 | the count's unit as written (件, 件次, 份 …)
    change: bool            # a change (同比下降…, 提高5%) rather than a level (达100%)
    target: bool            # a plan target (力争达到95%), not a result
    start: int              # span of the statement in the given text
    end: int
    catalogued: bool = True
    kind: str = RATE


@dataclass(frozen=True)
class Rules:
    rate_names: dict        # wording (Simplified rule form) -> canonical name
    rate_wordings: tuple    # longest first
    count_pattern: re.Pattern | None
    count_names: dict       # wording -> canonical name
    count_qualifiers: dict  # canonical name -> qualifier words
    units: dict             # canonical name -> unit
    kinds: dict             # canonical name -> kind
    qualifiers: tuple       # longest first
    change_words: tuple
    decrease_words: tuple
    target_words: tuple
    not_rates: tuple
    stop_chars: str
    name_words: tuple
    max_name: int
    rate_value: re.Pattern
    list_value: re.Pattern
    follow_change: re.Pattern
    count_list: re.Pattern | None
    change_nouns: tuple
    from_to: re.Pattern
    prefilter: re.Pattern
    previous_level: re.Pattern = None
    paren_value: re.Pattern = None
    bound_words: tuple = ()
    bound_after: tuple = ()
    noun_units: tuple = ()


def indicator_settings(config: dict | None) -> dict:
    """The `indicators:` block of the configuration (the packaged defaults when absent)."""
    block = (config or {}).get("indicators")
    if not block:
        from .config import default_config
        block = default_config()["indicators"]
    return block


def rules_of(config: dict | None = None) -> Rules:
    """The compiled rules of a configuration (cached per distinct `indicators:` block)."""
    return _compiled(json.dumps(indicator_settings(config), ensure_ascii=False, sort_keys=True))


def catalogue(config: dict | None = None) -> list[dict]:
    """The catalogue entries: name, kind, unit, wordings (and qualifiers for counts)."""
    return list(indicator_settings(config)["catalogue"])


def _longest_first(words) -> tuple:
    return tuple(sorted(set(words), key=lambda w: (-len(w), w)))


@lru_cache(maxsize=8)
def _compiled(settings_json: str) -> Rules:
    s = json.loads(settings_json)
    rate_names, count_names, count_qualifiers, units, kinds = {}, {}, {}, {}, {}
    for entry in s["catalogue"]:
        name, kind = entry["name"], entry.get("kind", RATE)
        units[name], kinds[name] = entry.get("unit", "%" if kind == RATE else "件"), kind
        for w in entry.get("wordings") or [name]:
            w = _rule(w)
            (rate_names if kind == RATE else count_names)[w] = name
        count_qualifiers[name] = _longest_first(_rule(q) for q in entry.get("qualifiers") or [])
    gap = int(s.get("max_gap_chars", 12))
    count_gap = int(s.get("max_count_gap_chars", 6))
    count_units = "|".join(map(re.escape, _longest_first(s.get("count_units") or ["件"])))
    number = r"(\d+(?:\.\d+)?)"
    count_pattern = None
    count_list = None
    if count_names:
        words = "|".join(map(re.escape, _longest_first(count_names)))
        # the gap: no digit, no clause mark, no 率 (a rate of the same noun is not a count)
        count_pattern = re.compile(
            rf"(?P<w>{words})(?P<gap>[^\d.,，。;；:：、!！?？()（）%率]{{0,{count_gap}}}?)"
            rf"{number.replace('(', '(?P<num>', 1)}\s?(?P<wan>万)?\s?(?:余|多)?\s?"
            rf"(?P<unit>{count_units})")
    # the further values of 分别为3595件、3125件
    count_list = re.compile(rf"\s?(?:、|和|及|与)\s?(?P<num>\d+(?:\.\d+)?)\s?(?P<wan>万)?"
                            rf"\s?(?:余|多)?\s?(?P<unit>{count_units})") if count_names else None
    # a gap: words without a digit or a clause mark, or a year (比2014年全年增长)
    gap_char = r"(?:[^\d.,，。;；:：、!！?？()（）%率]|(?<!\d)(?:19|20)\d{2}年度?)"
    rate_value = re.compile(
        rf"(?P<gap>{gap_char}{{0,{gap}}}?)"
        rf"(?P<num>\d+(?:\.\d+)?)\s?(?P<unit>%|个百分点|百分点)")
    list_value = re.compile(r"\s?(?:、|和|及|与|,|，)\s?(?P<num>\d+(?:\.\d+)?)\s?(?P<unit>%|个百分点)")
    # a change stated in the next clause without the name again: 败诉率为6.88%,同比下降
    # 3.95个百分点 / 受理…35件,同比上升3% / …5422件,比2019年增加842件,增幅为18.38%
    follow_change = re.compile(
        rf"[,，]\s?(?:(?:较|比|与)[^,，。;；!！?？%率]{{0,16}}[,，]\s?)?"
        rf"(?P<gap>{gap_char}{{0,{gap}}}?)"
        rf"(?P<num>\d+(?:\.\d+)?)\s?(?P<unit>%|个百分点|百分点)")
    from_to = re.compile(r"(?P<gap>[^\d.,，。;；:：!！?？()（）%]{0,8}?(?:到|至|为))\s?"
                         r"(?P<num>\d+(?:\.\d+)?)\s?(?P<unit>%)")
    prefilter = _prefilter(s.get("count_units") if count_names else [])
    # the level a comparison names: 败诉率为27.8%,较之2014年的10.2%,提高了17.6个百分点
    previous_level = re.compile(
        r"[,，]\s?(?:较之?|比|与)\s?(?:(?:19|20)\d{2}年度?|上年度?|去年)(?:同期)?的\s?"
        r"(?P<num>\d+(?:\.\d+)?)\s?(?P<unit>%)")
    # values in brackets listed before the name: 城建拆迁(17.1%)、…(7.76%)领域的败诉率
    paren_value = re.compile(r"[(（]\s?(?P<num>\d+(?:\.\d+)?)\s?%\s?[)）]")
    return Rules(rate_names=rate_names, rate_wordings=_longest_first(rate_names),
                 count_pattern=count_pattern, count_names=count_names,
                 count_qualifiers=count_qualifiers, units=units, kinds=kinds,
                 qualifiers=_longest_first(_rule(q) for q in s.get("qualifiers") or []),
                 change_words=_longest_first(s.get("change_words") or []),
                 decrease_words=tuple(s.get("decrease_words") or []),
                 target_words=tuple(s.get("target_words") or []),
                 not_rates=tuple(s.get("not_rates") or []),
                 stop_chars=s.get("name_stop_chars") or "",
                 name_words=tuple(s.get("name_words") or []),
                 max_name=int(s.get("max_name_chars", 12)),
                 rate_value=rate_value, list_value=list_value, follow_change=follow_change,
                 count_list=count_list, change_nouns=tuple(s.get("change_nouns") or []),
                 from_to=from_to,
                 prefilter=prefilter, previous_level=previous_level,
                 paren_value=paren_value,
                 bound_words=tuple(s.get("bound_words") or []),
                 bound_after=tuple(s.get("bound_after") or []),
                 noun_units=tuple(s.get("noun_units") or []))


def _prefilter(count_units) -> re.Pattern:
    """What a text must contain to state anything: a digit with % or 百分点 or a count unit
    after it (spaces, 万 and 余/多 between), in Simplified or Traditional characters (the test
    runs before the text is converted). Most paragraphs fail it, so most cost nothing more."""
    from .normalize import _t2s_characters
    variants = {}
    for trad, simp in _t2s_characters().items():
        variants.setdefault(simp, set()).add(chr(trad))

    def spelled(word: str) -> str:
        return "".join("[" + re.escape("".join(sorted({c} | variants.get(c, set())))) + "]"
                       for c in word)
    words = ["%", "个百分点", "百分点"] + list(count_units or [])
    alts = "|".join(spelled(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))
    return re.compile(rf"\d\s?(?:{spelled('万')})?\s?(?:{spelled('余')}|多)?\s?(?:{alts})")


def _rule(word: str) -> str:
    return to_simplified_characters(rule_form(word))


_CJK = re.compile(r"[\u3400-\u9fff]")
_SENTENCE_END = "。；;!！?？"


def extract_statements(text: str, config: dict | None = None,
                       rules: Rules | None = None) -> list[Statement]:
    """Every indicator statement of `text`, in text order, spans in `text`'s characters."""
    rules = rules or rules_of(config)
    if not text:
        return []
    form = rule_form(text)
    if not rules.prefilter.search(form):
        return []
    owners = None
    if form != text:
        form, owners = rule_form_with_map(text)
        if form != rule_form(text):
            return []       # NFKC composed across characters (Hangul jamo): no exact map
    form = to_simplified_characters(form)
    found = _form_statements(form, rules)
    if owners is None:
        return [_with_text(st, text, form, None) for st in found]
    return [_with_text(st, text, form, owners) for st in found]


def _form_statements(form: str, rules: Rules) -> list[Statement]:
    """The statements of a text already in the rules' form (NFKC, Simplified), spans in it."""
    found = _rate_statements(form, rules) + _count_statements(form, rules)
    found.sort(key=lambda st: (st.start, st.end))
    return found


def _with_text(st: Statement, text: str, form: str, owners) -> Statement:
    """The statement with its span, wording and qualifier in the given text's characters."""
    def back(s: int, e: int) -> tuple[int, int]:
        if owners is None:
            return s, e
        return owners[s][0], owners[e - 1][1]
    st.start, st.end = back(st.start, st.end)
    for attr in ("wording", "qualifier"):
        span = getattr(st, attr)
        if isinstance(span, tuple):
            s, e = back(*span) if span[1] > span[0] else (0, 0)
            setattr(st, attr, text[s:e])
    return st


# ---------------------------------------------------------------------- rates

def _rate_names(form: str, rules: Rules) -> list[dict]:
    """Every rate name in `form`: its span, canonical name, wording span, qualifier span."""
    names = []
    prev_end = 0
    for m in re.finditer("率", form):
        i = m.start()
        if any(form.startswith(w, i - w.index("率")) for w in rules.not_rates
               if 0 <= i - w.index("率")):
            continue
        end = i + 1
        wording = next((w for w in rules.rate_wordings if form.startswith(w, end - len(w))),
                       None)
        # a name's phrase never reaches back into the name before it (败诉率仍高于平均败诉率)
        phrase = max(_phrase_start(form, end - len(wording) if wording else i, rules), prev_end)
        if wording:
            word_start = end - len(wording)
            qual = _qualifiers_in(form, phrase, word_start, rules)
        else:
            word_start = phrase
            while True:         # peel the qualifiers the name begins with (全市, 一审)
                q = next((q for q in rules.qualifiers if form.startswith(q, word_start)), None)
                if q is None or word_start + len(q) >= i:
                    break
                word_start += len(q)
            qual = (phrase, word_start) if word_start > phrase else (0, 0)
            word_start = max(word_start, i - rules.max_name)
            if word_start >= i:
                continue        # a bare 率
        start = phrase if wording else (min(qual[0], word_start) if qual[1] else word_start)
        prev_end = end
        names.append({"start": start, "end": end, "word": (word_start, end),
                      "indicator": rules.rate_names[wording] if wording else form[word_start:end],
                      "catalogued": bool(wording), "qualifier": qual})
    return names


_PHRASE_MAX = 16


def _phrase_start(form: str, j: int, rules: Rules) -> int:
    """Where the noun phrase ending at `j` begins: CJK characters back to a stop character
    (one inside a name word such as 及时, or a qualifier such as 上半年 that does not follow a
    digit, does not stop it)."""
    start = j
    while start > 0 and j - start < _PHRASE_MAX and _CJK.match(form[start - 1]):
        ch = form[start - 1]
        if ch in rules.stop_chars and not _inside_word(form, start - 1, j, ch, rules):
            break
        start -= 1
    return start


def _inside_word(form: str, k: int, j: int, ch: str, rules: Rules) -> bool:
    for w in rules.name_words + rules.qualifiers:
        if ch not in w:
            continue
        s = k - w.index(ch)
        if s >= 0 and s + len(w) <= j and form.startswith(w, s) and (
                w in rules.name_words or s == 0 or not form[s - 1].isdigit()):
            return True
    return False


def _qualifiers_in(form: str, start: int, end: int, rules: Rules) -> tuple[int, int]:
    """The span from the first to the last qualifier word in form[start:end], or (0, 0)."""
    spans = []
    k = start
    while k < end:
        q = next((q for q in rules.qualifiers if form.startswith(q, k) and k + len(q) <= end),
                 None)
        if q:
            spans.append((k, k + len(q)))
            k += len(q)
        else:
            k += 1
    return (spans[0][0], spans[-1][1]) if spans else (0, 0)


def _rate_statements(form: str, rules: Rules) -> list[Statement]:
    out: list[Statement] = []
    names = _rate_names(form, rules)
    pending: list[dict] = []
    for k, name in enumerate(names):
        nxt = names[k + 1] if k + 1 < len(names) else None
        between = form[name["end"]:nxt["start"]] if nxt else None
        if nxt is not None and re.fullmatch(r"\s?(?:、|和|及|与|以及|,|，)\s?", between):
            pending.append(name)
            continue
        group, pending = pending + [name], []
        m = rules.rate_value.match(form, name["end"])
        if not m:
            out.extend(_bracketed_before(form, group, rules))
            continue
        gap = m.group("gap")
        if gap.rstrip().endswith("在") and form.startswith(rules.bound_after, m.end()):
            continue            # 得分率在60%以上: a bound said of a group

        values = [(m.group("num"), m.group("unit"), m.end())]
        if gap.rstrip().endswith(("由", "从")):
            to = rules.from_to.match(form, m.end())
            if to:      # 由10%下降到5%: the level is where it went
                values = [(to.group("num"), to.group("unit"), to.end())]
                gap = to.group("gap")
        elif "分别" in gap:
            pos = m.end()
            # several names take one value each; one name takes every value (a series)
            while len(group) == 1 or len(values) < len(group):
                more = rules.list_value.match(form, pos)
                if not more:
                    break
                values.append((more.group("num"), more.group("unit"), more.end()))
                pos = more.end()
        change_word = _change_word(gap, rules)
        target = _is_target(form, group[0]["start"], values[-1][2], rules)
        if len(group) == 1:
            pairs = [(group[0], v) for v in values]
        else:
            pairs = [(nm, values[i] if len(values) == len(group) else values[0])
                     for i, nm in enumerate(group)]
        for nm, (num, unit, end) in pairs:
            out.append(_rate(nm, num, unit, change_word, target, nm["start"], end, rules))
        pos = values[-1][2]
        before = rules.previous_level.match(form, pos)
        if before:              # ,较之2014年的10.2%: the earlier level of the same rate
            for nm in group:
                out.append(_rate(nm, before.group("num"), "%", None, target, nm["start"],
                                 before.end(), rules))
            pos = before.end()
        follow = rules.follow_change.match(form, pos)
        word = _change_word(follow.group("gap"), rules) if follow else None
        if word is not None:
            for nm in group:
                out.append(_rate(nm, follow.group("num"), follow.group("unit"), word, target,
                                 nm["start"], follow.end(), rules))
    return out


def _bracketed_before(form: str, group: list, rules: Rules) -> list[Statement]:
    """A name without a value after it takes the bracketed values listed before it in its
    sentence (城建拆迁(17.1%)、农村集体土地征收与补偿(15.63%)…领域的败诉率), when no other
    rate or clause mark lies between the last of them and the name."""
    first = group[0]["start"]
    s = max(form.rfind(c, 0, first) for c in _SENTENCE_END) + 1
    found = list(rules.paren_value.finditer(form, s, first))
    if not found:
        return []
    between = form[found[-1].end():first]
    if len(between) > 8 or re.search(r"[率,，:：%\d]", between):
        return []
    target = _is_target(form, s, group[-1]["end"], rules)
    return [_rate(nm, v.group("num"), "%", None, target, v.start(), nm["end"], rules)
            for nm in group for v in found]


def _rate(nm: dict, num: str, unit: str, change_word: str | None, target: bool,
          start: int, end: int, rules: Rules) -> Statement:
    change = unit != "%" or change_word is not None
    value = float(num)
    if change and change_word and any(d in change_word for d in rules.decrease_words):
        value = -value
    return Statement(indicator=nm["indicator"], wording=nm["word"], qualifier=nm["qualifier"],
                     value=value, unit="个百分点" if unit != "%" else "%", change=change,
                     target=target, start=start, end=end, catalogued=nm["catalogued"],
                     kind=RATE)


def _change_word(gap: str, rules: Rules) -> str | None:
    """The change verb of a gap, unless 到/至/为 right after it makes the figure a level
    (a change noun such as 增幅 stays a change: 增幅为18.38%)."""
    for w in rules.change_nouns:
        if w in gap:
            return w
    for w in rules.change_words:
        at = gap.find(w)
        if at >= 0:
            after = gap[at + len(w):].lstrip()
            if after[:1] in ("到", "至", "为") or after.startswith("了到"):
                return None
            return w
    return None


def _is_target(form: str, start: int, end: int, rules: Rules) -> bool:
    """Whether the sentence up to the figure says it is a plan target (力争, 确保 …)."""
    s = max(form.rfind(c, 0, start) for c in _SENTENCE_END) + 1
    clause = form[s:end]
    return any(w in clause for w in rules.target_words)


# ---------------------------------------------------------------------- counts

def _count_statements(form: str, rules: Rules) -> list[Statement]:
    out: list[Statement] = []
    if rules.count_pattern is None:
        return out
    for m in rules.count_pattern.finditer(form):
        if _is_bound(form, m, rules):
            continue
        name = rules.count_names[m.group("w")]
        quals = rules.count_qualifiers.get(name, ())
        clause_start = max(form.rfind(c, 0, m.start()) for c in _SENTENCE_END + "，,") + 1
        qual = _word_span(form, clause_start, m.start("num"), quals)
        target = _is_target(form, m.start(), m.end(), rules)
        out.append(_count(name, m.span("w"), qual, m.group("num"), m.group("wan"),
                          m.group("unit"), m.start(), m.end(), target))
        pos = m.end()
        if "分别" in m.group("gap"):        # 案件数分别为3595件、3125件…
            while (more := rules.count_list.match(form, pos)):
                out.append(_count(name, m.span("w"), qual, more.group("num"), more.group("wan"),
                                  more.group("unit"), m.start(), more.end(), target))
                pos = more.end()
        follow = rules.follow_change.match(form, pos)
        word = _change_word(follow.group("gap"), rules) if follow else None
        if word is not None and follow.group("unit") == "%":   # 35件,同比上升3%
            st = _count(name, m.span("w"), qual, follow.group("num"), None, "%", m.start(),
                        follow.end(), target)
            st.change = True
            if any(d in word for d in rules.decrease_words):
                st.value = -st.value
            out.append(st)
        # a list of kinds: 、重大合同39份、行政决策5件
        item = re.compile(r"、(?P<q>[\u3400-\u9fff]{1,8}?)(?P<num>\d+(?:\.\d+)?)\s?(?P<wan>万)?"
                          r"\s?(?:余|多)?\s?(?P<unit>" + rules.count_pattern.pattern.rsplit(
                              "(?P<unit>", 1)[1])
        while quals:
            more = item.match(form, pos)
            if not more:
                break
            q = _word_span(form, more.start("q"), more.end("q"), quals)
            if q == (0, 0):
                break
            out.append(_count(name, more.span("q"), q, more.group("num"), more.group("wan"),
                              more.group("unit"), more.start("q"), more.end(), target))
            pos = more.end()
    return out


def _is_bound(form: str, m: re.Match, rules: Rules) -> bool:
    """Whether a count match is no statement: a bound (超过40件, 5件以下) or a unit that
    counts the noun after it (50多个行政管理领域)."""
    if m.group("gap").rstrip().endswith(rules.bound_words):
        return True
    if form.startswith(rules.bound_after, m.end()):
        return True
    return (m.group("unit") in rules.noun_units and m.end() < len(form)
            and bool(_CJK.match(form[m.end()])))


def _word_span(form: str, start: int, end: int, words: tuple) -> tuple[int, int]:
    """The span of the first of `words` (longest first at each position) in form[start:end]."""
    for k in range(start, end):
        for w in words:
            if form.startswith(w, k) and k + len(w) <= end:
                return k, k + len(w)
    return 0, 0


def _count(name, word, qual, num, wan, unit, start, end, target) -> Statement:
    value = float(num) * (10000 if wan else 1)
    return Statement(indicator=name, wording=word, qualifier=qual, value=value, unit=unit,
                     change=False, target=target, start=start, end=end, catalogued=True,
                     kind=COUNT)


# ---------------------------------------------------------------------- stored per segment

STATEMENT_ARRAYS = ("ind_doc", "ind_name", "ind_wording", "ind_qualifier", "ind_unit",
                    "ind_value", "ind_flags", "ind_start", "ind_end")
FLAG_CHANGE, FLAG_TARGET, FLAG_CATALOGUED, FLAG_COUNT = 1, 2, 4, 8


_index_config: dict | None = None


def use_config(config: dict | None) -> None:
    """The configuration whose catalogue the segments written from now on use (the writer
    sets it: a user's `indicators:` block applies to what `reportsearch index` writes)."""
    global _index_config
    _index_config = config


def segment_arrays(texts: list[str], config: dict | None = None) -> tuple[dict, dict]:
    """(arrays, vocab) of the statements of a segment's documents (`texts`, match form, in
    document order): one row per statement; names, wordings, qualifiers and units as codes
    into `vocab` lists; spans in the characters of `texts`."""
    rules = rules_of(config or _index_config)
    rows = []
    search = rules.prefilter.search
    for doc, text in enumerate(texts):
        if text and search(text):
            # the match form is already NFKC, Simplified and without spaces: the rules read
            # it as it is, so spans are in its characters without a map
            for st in _form_statements(text, rules):
                rows.append((doc, _with_text(st, text, text, None)))
    vocab = {k: [] for k in ("name", "wording", "qualifier", "unit")}
    index = {k: {} for k in vocab}

    def code(field, value):
        got = index[field].get(value)
        if got is None:
            got = index[field][value] = len(vocab[field])
            vocab[field].append(value)
        return got

    n = len(rows)
    arrays = {"ind_doc": np.zeros(n, np.uint32), "ind_name": np.zeros(n, np.uint32),
              "ind_wording": np.zeros(n, np.uint32), "ind_qualifier": np.zeros(n, np.uint32),
              "ind_unit": np.zeros(n, np.uint8), "ind_value": np.zeros(n, np.float64),
              "ind_flags": np.zeros(n, np.uint8), "ind_start": np.zeros(n, np.uint32),
              "ind_end": np.zeros(n, np.uint32)}
    for r, (doc, st) in enumerate(rows):
        arrays["ind_doc"][r] = doc
        arrays["ind_name"][r] = code("name", st.indicator)
        arrays["ind_wording"][r] = code("wording", st.wording)
        arrays["ind_qualifier"][r] = code("qualifier", st.qualifier)
        arrays["ind_unit"][r] = code("unit", st.unit)
        arrays["ind_value"][r] = st.value
        arrays["ind_flags"][r] = ((FLAG_CHANGE if st.change else 0)
                                  | (FLAG_TARGET if st.target else 0)
                                  | (FLAG_CATALOGUED if st.catalogued else 0)
                                  | (FLAG_COUNT if st.kind == COUNT else 0))
        arrays["ind_start"][r] = st.start
        arrays["ind_end"][r] = st.end
    return arrays, vocab
