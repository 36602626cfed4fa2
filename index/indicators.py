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
重大合同39份). Kinds written before a shared noun take one value each (行政复议、行政诉讼案件
分别为18件、23件); a series goes on into the next clauses (58件,2021年为43件 / 出庭应诉率逐年
提升,分别为90%、95%); a count written with the intake verb alone (共收案14898件), or a change
of cases named without a kind (受理案件同比下降38.5%), is of the indicator the sentence's or
paragraph's subject names (行政复议机关 …). A kind's bare name counts with its number right
after it (行政诉讼7起); court levels of one kind share its total (行政一审、二审、再审案件
2816件); a legality review may be written object first or with its objects before the verb
(合同审核31份, 对重大决策、规范性文件开展审查460件) and a breakdown ends with 其他…. A change
may follow an aside in brackets or an earlier count (N件(上年M件),同比增长 / 较上年的M件增加),
stand in brackets (73件(同比增长14%)), go one to each of several counts (同比分别增长a%和b%),
be listed domain by domain (…领域下降33.4%), or come first with the level it reached after
it (同比提高4个百分点,达到99%); one count's changes go year by year with 分别 when its
sentence names a run of years (连续两年…分别递增5.2%和5.9%). Places may be listed each with
its value after a ranking or 分别/依次为 (居前五位的地区依次为昆明1370件、昭通770件,共计…;
败诉率分别为甲县25%,乙县22%) or in brackets after a rate (…的地区有天津(68.22%)、…), and a
rate may be judged before its level (公开率较低,仅为34%). A value after a bound word (超过90%,
超300件, 同比增长超40%) or before a ceiling (下降到5%以下) is a threshold.

`segment_arrays(texts)` is what a segment stores (index/columns.py calls it): the statements
of every document as flat numpy arrays, spans in the characters of the match form it is
given. Readers map them to the display text (searcher/indicators.py).
"""
from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from .normalize import rule_form, rule_form_with_map, to_simplified_characters

RATE, COUNT = "rate", "count"

# A number as written: digits, with a space between digit groups (4 364件 in text from a PDF;
# the match form has no spaces at all) or, in a count, a thousands separator (1,234件), and a
# decimal part.
# a level a count moved to (2022年激增到208件, 降至35件): a verb of a trend with 到/至
# a part of a year a figure is stated for: 1-10月, 1至6月, 上半年, 前三季度
_PART_OF_YEAR = (r"(?:(?:1[0-2]|[1-9])\s?(?:-|—|–|~|至|到)\s?(?:1[0-2]|[1-9])\s?月份?|"
                 r"[上下]半年|前?[一二三四1-4]季度)")
_MOVED_TO = r"(?:[激猛骤陡]?(?:增|增加|增长|上升|升|下降|降|减少|减|回落)(?:到|至))"
_NUM = r"\d+(?:(?: (?=\d)|,(?=\d{3}(?!\d)))\d+)*(?:\.\d+)?"
_RNUM = r"\d+(?: (?=\d)\d+)*(?:\.\d+)?"


def _num(text: str) -> float:
    return float(text.replace(" ", "").replace(",", ""))


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
    shared_unit: re.Pattern
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
    outcome_words: tuple = ()   # 驳回, 撤回, 败诉 …: a count of outcomes, not of the cases
    gap_nouns: tuple = ()       # 培训, 会议 …: the number counts that noun
    count_words: re.Pattern = None      # the count wordings alone
    count_first: re.Pattern = None      # 18件行政复议案件 (number first, read backwards)
    count_after_list: re.Pattern = None  # 对53份文件、15份合同进行了合法性审查
    count_figure: re.Pattern = None     # any number with a count unit
    count_change: re.Pattern = None     # 行政复议申请较上一年增长63% (no count stated)
    series_value: re.Pattern = None     # ,2008年达到81.3% (the same rate, another year)
    value_before: re.Pattern = None     # 100%的出庭率
    stem_before: re.Pattern = None      # 实现100%出庭
    stem_after: re.Pattern = None       # 纠错为4.1%
    stem_names: dict = None             # stem -> canonical name
    stems: tuple = ()                   # longest first
    change_rates: tuple = ()            # 增长率, 增速: a change of the count before it
    units_pattern: str = ""
    unit_lead: re.Pattern = None        # count units (and 余/多) that start a phrase
    outcome_re: re.Pattern = None       # outcome_words
    gap_words: re.Pattern = None        # outcome_words and gap_nouns
    unit_ends: frozenset = frozenset()  # the last characters of the count units
    stem_firsts: frozenset = frozenset()
    count_item: re.Pattern = None       # 、重大合同39份 (a list of kinds after a count)
    count_item_any: re.Pattern = None   # ,其中合同98件、文件20件 (a breakdown's items)
    count_series: re.Pattern = None     # ,2021年为43件 (the same count, another year)
    count_next: re.Pattern = None       # 案件数量持续增长,分别为120件、135件 (values next clause)
    count_bare: re.Pattern = None       # 行政复议案件数量为56, (no unit written)
    count_intake: re.Pattern = None     # 复议机关共收案14898件 (the verb alone)
    subjects: tuple = ()                # (word, canonical name) longest first: 行政复议
    people_units: tuple = ()            # 人次: counts people, not the cases
    part_words: tuple = ()              # 领域: a domain's part of a total (with its share)
    rate_next: re.Pattern = None        # 出庭应诉率逐年提升,分别为90%、95%
    change_list: re.Pattern = None      # 、下降1个百分点 (a listed value with its own verb)
    count_generic: re.Pattern = None    # 受理案件同比下降38.5% (no kind in the noun)
    count_reached: re.Pattern = None    # ,达到156件 (after a count's change)
    part_change: re.Pattern = None      # ,物价领域下降33.4% (another domain's change, listed)
    other_kinds: tuple = ()             # 民事, 刑事: 民事一审案件 is no 一审行政案件
    bare_words: frozenset = frozenset()  # 行政复议, 行政诉讼: a count only with the number next
    object_review: tuple = ()           # (pattern, name, qualifiers): 对重大决策、合同开展审查90件
    review_lists: tuple = ()            # (pattern, name, qualifiers): 审核文件107件、合同52件
    count_follow: re.Pattern = None     # 599件(2019年320件),同比增长87.19% / 38件,较上年的27件增加40.7%
    change_more: re.Pattern = None      # …已上升20.1%的基础上又上升44.7%
    shared_change: re.Pattern = None    # 69件,结案61件,同比分别上升76.9%和60.5%
    count_ranked: re.Pattern = None     # 案件数量居前五位的地区依次为昆明1370件、昭通770件
    count_place: re.Pattern = None      # 、昭通770件 (a listed place and its value)
    count_total: re.Pattern = None      # ,共计3316件 (the listed places' total)
    count_place_comma: re.Pattern = None  # ,乙县95件 (after 分别为甲县120件)
    rate_ranked: re.Pattern = None      # 败诉率居前三位的依次为甲市25%、乙市22%
    rate_place: re.Pattern = None       # 、乙市22%
    rate_place_comma: re.Pattern = None  # ,乙市22%
    rate_bracketed: re.Pattern = None   # 不予受案率较高的地区有天津(68.22%)
    rate_bracket_item: re.Pattern = None  # 、黑龙江(62.16%)
    rate_judged: re.Pattern = None      # 公开率较低,仅为34% (a judgement, then the level)


def indicator_settings(config: dict | None) -> dict:
    """The `indicators:` block of the configuration (the packaged defaults when absent)."""
    block = (config or {}).get("indicators")
    if not block:
        from .config import default_config
        block = default_config()["indicators"]
    return block


_default_rules: Rules | None = None
# id of a given `indicators:` block -> (the block, a copy of it as it was, its rules): the
# block is kept so its id is not reused; the copy tells a block changed in place
_rules_by_block: dict[int, tuple] = {}


def rules_of(config: dict | None = None) -> Rules:
    """The compiled rules of a configuration, compiled once per process for the packaged
    defaults and once per distinct `indicators:` block otherwise. Extraction calls this for
    every paragraph, so a call that finds its rules costs next to nothing: no copy of the
    defaults, no serialising of the block (a block changed in place is compiled again)."""
    global _default_rules
    block = (config or {}).get("indicators")
    if not block:
        if _default_rules is None:
            _default_rules = _compiled(_settings_key(indicator_settings(None)))
        return _default_rules
    got = _rules_by_block.get(id(block))
    if got is not None and got[0] is block and got[1] == block:
        return got[2]
    rules = _compiled(_settings_key(block))
    if len(_rules_by_block) >= 8:
        _rules_by_block.clear()
    _rules_by_block[id(block)] = (block, copy.deepcopy(block), rules)
    return rules


def _settings_key(block: dict) -> str:
    return json.dumps(block, ensure_ascii=False, sort_keys=True)


def catalogue(config: dict | None = None) -> list[dict]:
    """The catalogue entries: name, kind, unit, wordings (and qualifiers for counts)."""
    return list(indicator_settings(config)["catalogue"])


def _longest_first(words) -> tuple:
    return tuple(sorted(set(words), key=lambda w: (-len(w), w)))


@lru_cache(maxsize=8)
def _compiled(settings_json: str) -> Rules:
    s = json.loads(settings_json)
    rate_names, count_names, count_qualifiers, units, kinds = {}, {}, {}, {}, {}
    bare_words = set()
    for entry in s["catalogue"]:
        name, kind = entry["name"], entry.get("kind", RATE)
        units[name], kinds[name] = entry.get("unit", "%" if kind == RATE else "件"), kind
        for w in entry.get("wordings") or [name]:
            w = _rule(w)
            (rate_names if kind == RATE else count_names)[w] = name
        for w in entry.get("bare_wordings") or []:
            w = _rule(w)
            count_names.setdefault(w, name)
            bare_words.add(w)
        count_qualifiers[name] = _longest_first(_rule(q) for q in entry.get("qualifiers") or [])
    gap = int(s.get("max_gap_chars", 12))
    count_gap = int(s.get("max_count_gap_chars", 6))
    count_units = "|".join(map(re.escape, _longest_first(s.get("count_units") or ["件"])))
    # a number as written: digits with spaces between them (4 364件, from PDF text) or a
    # thousands separator (1,234件), a decimal part
    number = rf"({_NUM})"
    count_pattern = None
    count_list = None
    if count_names:
        words = "|".join(map(re.escape, _longest_first(count_names)))
        # the gap: no digit, no clause mark, no 率 (a rate of the same noun is not a count)
        # an aside in brackets may stand before the number: 行政复议案(含结转)2755件
        count_pattern = re.compile(
            rf"(?P<w>{words})(?P<gap>[^\d.,，。;；:：、!！?？()（）%率]{{0,{count_gap}}}?)"
            r"(?:[(（][^()（）\d,，。;；]{1,8}[)）])?"
            rf"{number.replace('(', '(?P<num>', 1)}\s?(?P<wan>万)?\s?(?:余|多)?\s?"
            rf"(?P<unit>{count_units})")
    # the further values of 分别为3595件、3125件
    count_list = re.compile(rf"\s?(?:、|和|及|与)\s?(?P<num>{_NUM})\s?(?P<wan>万)?"
                            rf"\s?(?:余|多)?\s?(?P<unit>{count_units})") if count_names else None
    # a gap: words without a digit or a clause mark, or a year (比2014年全年增长)
    # (a year of the Minguo calendar in Taiwan's reports too: 较107年减少14.89%)
    gap_char = r"(?:[^\d.,，。;；:：、!！?？()（）%率]|(?<!\d)(?:(?:19|20)\d{2}|1[0-2]\d)年度?)"
    rate_value = re.compile(
        rf"(?P<gap>{gap_char}{{0,{gap}}}?)"
        rf"(?P<num>{_RNUM})\s?(?P<unit>%|个百分点|百分点)")
    # values of several names written with one unit at the end: 上诉率、申诉率分别下降4.01、
    # 3.35个百分点 / 同比分别下降3.6个、2.6个百分点
    shared_unit = re.compile(
        rf"(?P<gap>{gap_char}{{0,{gap}}}?)"
        rf"(?P<nums>(?:{_RNUM}个?\s?(?:、|和|及|与)\s?)+{_RNUM})\s?(?P<unit>%|个百分点|百分点)")
    list_value = re.compile(rf"\s?(?:、|和|及|与|,|，)\s?(?P<num>{_RNUM})\s?(?P<unit>%|个百分点)")
    # the values of 同比分别提高2个百分点、下降1个百分点: each may say its own direction
    change_list = re.compile(
        rf"\s?(?:、|和|及|与|,|，)\s?(?P<word>"
        rf"{'|'.join(map(re.escape, _longest_first(s.get('change_words') or ['增长'])))})?了?"
        rf"\s?(?P<num>{_RNUM})\s?(?P<unit>%|个百分点)")
    # a change stated in the next clause without the name again: 败诉率为6.88%,同比下降
    # 3.95个百分点 / 受理…35件,同比上升3% / …5422件,比2019年增加842件,增幅为18.38%
    # …or in brackets: 出庭应诉率为96.5%(同比提高3.2个百分点)
    # (the comparison clause skipped states no figure of its own: 较上年同期上升4.28个百分点,
    # 高于全国平均水平14.99个百分点 is the change, then a gap)
    compared = rf"(?:(?!{_RNUM}\s?(?:%|个?百分点))[^,，。;；!！?？%率])"
    # (a blank may stand for the comma in text copied from a PDF: 23.7% 同比下降1个百分点)
    follow_change = re.compile(
        rf"[)）]?(?:[,，]\s?(?:(?:较|比|与){compared}{{0,16}}[,，]\s?)?"
        r"|\s?[(（]\s?(?=[^()（）]{1,24}[)）])|\s(?=同比|较上年|比上年))"
        rf"(?P<gap>{gap_char}{{0,{gap}}}?)"
        rf"(?P<num>{_RNUM})\s?(?P<unit>%|个百分点|百分点)")
    # 由10%下降到5% / 由2019年的45%提升至2023年的98% (the year of each level may be named)
    from_to = re.compile(r"(?P<gap>[^\d.,，。;；:：!！?？()（）%]{0,8}?(?:到|至|为))\s?"
                         r"(?:(?:19|20)\d{2}\s?年(?:度|底|末)?|今年|本年|当年)?"
                         r"(?:全年|上半年|下半年)?的?\s?"
                         rf"(?P<num>{_RNUM})\s?(?P<unit>%)")
    prefilter = _prefilter(s.get("count_units") if count_names else [])
    # the level a comparison names: 败诉率为27.8%,较之2014年的10.2%,提高了17.6个百分点
    previous_level = re.compile(
        r"[,，]\s?(?:较之?|比|与)\s?(?:(?:19|20)\d{2}年度?|上年度?|去年)(?:同期)?的\s?"
        rf"(?P<num>{_RNUM})\s?(?P<unit>%)")
    # values in brackets listed before the name: 城建拆迁(17.1%)、…(7.76%)领域的败诉率
    paren_value = re.compile(rf"[(（]\s?(?P<num>{_RNUM})\s?%\s?[)）]")
    count_first = count_after_list = count_figure = count_change = count_words = None
    count_amount = (rf"(?P<num>{_NUM})\s?(?P<wan>万)?\s?(?:余|多)?\s?"
                    rf"(?P<unit>{count_units})")
    if count_names:
        # the noun phrases alone (one scan finds where the patterns read from them start)
        count_words = re.compile(words)
        # 审结的262件行政复议案件中 / 办理18件行政复议案件,: the number before the noun phrase,
        # which ends the clause (searched backwards from each noun phrase)
        count_first = re.compile(rf"(?<![\d.,]){count_amount}的?$")
        # 对全区53份重要文件、15份重要合同进行了合法性审查: the verb after the list
        count_after_list = re.compile(rf"进行了?(?P<w>{words})")
        count_figure = re.compile(rf"(?<![\d.,]){count_amount}")
        # 收到行政复议申请较上一年增长63%: the count's change, the count itself not stated
        count_change = re.compile(
            rf"(?P<w>{words})(?P<gap>[^\d.,，。;；:：、!！?？()（）%率]{{1,10}}?)"
            rf"(?P<num>{_RNUM})\s?(?P<unit>%|个百分点|百分点)")
    # the same rate in another year, its name not repeated: 出庭应诉率2007年是7.1%,2008年达到
    # 81.3% / 败诉率为13.5%、2021年为20.2% / 出庭应诉率为95%,上年为90%
    # (or a part of that year: 2024年1-10月为8.85% / ,2024年1-10月482件)
    other_year = (r"(?:(?<!\d)(?:19|20)\d{2}\s?年(?:度|底|末)?|上一?年度?|去年)"
                  rf"(?:同期|{_PART_OF_YEAR})?")
    series_value = re.compile(
        rf"\s?[,，、;；(（]\s?(?:到|至|而|在)?\s?{other_year}"
        rf"(?P<gap>[^\d.,，。;；:：、!！?？()（）%率占]{{0,8}}?)"
        rf"(?P<num>{_RNUM})\s?(?P<unit>%|个百分点|百分点)")
    # a name whose values follow in the next clause, listed: 出庭应诉率逐年提升,分别为90%、95%
    listed = r"(?:分别|依次)(?:为|是|达到|达)"
    # places listed each with its value, after a ranking or 分别/依次 (居前五位的地区依次为昆明
    # 1370件、昭通770件 / 的地区有天津(68.22%)、黑龙江(62.16%)): a place is a few characters,
    # no 率, 占 or digit
    place = r"(?:(?![率占])[\u3400-\u9fff]){1,8}?"
    rate_ranked = re.compile(
        rf"(?P<gap>[^\d.,，。;；:：、!！?？()（）%率]{{0,16}}?)[,，]?\s?(?P<lead>{listed})[:：]?\s?"
        rf"(?P<q>{place})\s?(?P<num>{_RNUM})\s?(?P<unit>%|个百分点)")
    rate_place = re.compile(rf"\s?(?:、|和|及|与)\s?(?P<q>{place})\s?(?P<num>{_RNUM})\s?"
                            rf"(?P<unit>%|个百分点)")
    rate_place_comma = re.compile(rf"\s?[,，]\s?(?P<q>{place})\s?(?P<num>{_RNUM})\s?"
                                  rf"(?P<unit>%|个百分点)")
    rate_bracketed = re.compile(
        rf"(?P<gap>[^\d.,，。;；:：、!！?？()（）%率]{{1,24}}?)[(（]\s?(?P<num>{_RNUM})\s?%\s?[)）]")
    # a name judged or its trend told before its level, in the next clause: 公开率较低,仅为34%
    # / 出庭应诉率明显提升,达到98%
    rate_judged = re.compile(
        r"(?P<gap>[^\d.,，。;；:：、!！?？()（）%率]{1,8}?)[,，]\s?"
        rf"(?P<gap2>(?:仅为|仅有|只有|仅|已达到|已达|达到|达|为))\s?(?P<num>{_RNUM})\s?%")
    rate_bracket_item = re.compile(
        rf"\s?(?:、|和|及|与)\s?(?P<q>{place})[(（]\s?(?P<num>{_RNUM})\s?%\s?[)）]")
    rate_next = re.compile(
        rf"(?P<gap>[^\d.,，。;；:：、!！?？()（）%率]{{0,10}}?)[,，]\s?(?P<gap2>{listed})\s?"
        rf"(?P<num>{_RNUM})\s?(?P<unit>%|个百分点)")
    count_series = count_next = count_bare = count_intake = None
    count_follow = change_more = shared_change = None
    count_ranked = count_place = count_total = count_place_comma = None
    if count_names:
        count_ranked = re.compile(
            rf"(?P<w>{words})(?P<gap>[^\d.,，。;；:：、!！?？()（）%率]{{0,16}}?[,，]?\s?"
            rf"(?:{listed}|的是|的有)[:：]?\s?)(?P<q>{place})\s?{count_amount}")
        count_place = re.compile(rf"\s?(?:、|和|及|与)\s?(?P<q>{place})\s?{count_amount}")
        count_place_comma = re.compile(rf"\s?[,，]\s?(?P<q>{place})\s?{count_amount}")
        count_total = re.compile(rf"\s?[,，]\s?(?:共计|合计|总计|共)\s?{count_amount}")
        # a count's change after an aside in brackets (599件(2019年320件),同比增长87.19% /
        # 2203件(含旧存245件),同比增长33%) or the earlier count it is compared with (38件,
        # 较2019年的27件增加40.7%)
        plain_amount = rf"{_NUM}\s?万?\s?(?:余|多)?\s?(?:{count_units})"
        count_follow = re.compile(
            r"(?:(?:\s?[(（][^()（）。;；]{0,20}[)）])?"
            rf"[,，]\s?(?:(?:同比|较|比|与){compared}{{0,16}}[,，]\s?)?"
            rf"(?:(?:较|比)\s?(?:{other_year})?的?\s?{plain_amount}\s?)?"
            r"|\s?[(（]\s?(?=[^()（）]{1,24}[)）]))"     # 56件(同比增长12%)
            rf"(?P<gap>{gap_char}{{0,{gap}}}?)"
            rf"(?P<num>{_RNUM})\s?(?P<unit>%|个百分点|百分点)")
        # a further change on top of the one stated: 在上一年度已上升20.1%的基础上又上升44.7%
        change_more = re.compile(rf"的基础上[,，]?\s?(?P<gap>[^\d.,，。;；:：%]{{0,8}}?)"
                                 rf"(?P<num>{_RNUM})\s?(?P<unit>%)")
        # one change each of the counts of the clauses before: 受理…69件,结案61件,同比分别
        # 上升76.9%和60.5% (the first is the count's)
        shared_change = re.compile(
            rf"(?P<others>(?:[,，]\s?[\u3400-\u9fff]{{1,6}}?{plain_amount}){{1,3}})"
            rf"[,，]\s?(?P<gap>[^\d.,，。;；:：%率]{{0,8}}?分别[^\d.,，。;；:：%率]{{1,6}}?)"
            rf"(?P<num>{_RNUM})\s?(?P<pct>%)"
            rf"(?P<rest>(?:\s?(?:、|和|及|与)\s?[^\d.,，。;；:：%率]{{0,4}}?{_RNUM}\s?%)+)")
        # the same count in another year or the year before, in the next clauses, with a
        # verb of a level or none (审结80件 there is another figure): ,2021年为43件 / ,上年为87件
        # / ,2022年488件
        count_series = re.compile(
            rf"\s?[,，;；]\s?(?:而|到|至)?\s?{other_year}(?:全年)?(?:共|合计|累计)?"
            rf"(?:为|是|达到|达|有|{_MOVED_TO})?\s?{count_amount}")
        count_next = re.compile(
            rf"(?P<w>{words})(?P<gap>[^\d.,，。;；:：、!！?？()（）%率]{{0,10}}?)[,，]\s?"
            rf"{listed}\s?{count_amount}")
        # no unit written: the gap names the number a count (数量为56), a clause mark or the
        # end after it
        count_bare = re.compile(
            rf"(?P<w>{words})(?P<gap>(?:数量|总数|总量|数)(?:为|是|达到|达|共)?[:：]?)\s?"
            rf"(?P<num>{_NUM})(?=[,，。;；]|$)")
        intake = _longest_first(s.get("count_intake_verbs") or [])
        if intake:
            count_intake = re.compile(
                rf"(?P<v>{'|'.join(map(re.escape, intake))})"
                rf"(?P<gap>(?:各类)?(?:案件)?(?:数量?|总数)?(?:为|达到|达|共|是)?)\s?"
                rf"{count_amount}")
    generic = _longest_first(s.get("count_generic_nouns") or [])
    count_generic = re.compile(
        rf"(?P<w>{'|'.join(map(re.escape, generic))})"
        rf"(?P<gap>[^\d.,，。;；:：、!！?？()（）%率]{{1,10}}?)"
        rf"(?P<num>{_RNUM})\s?(?P<unit>%|个百分点|百分点)") if generic else None
    # 对重大行政决策、规范性文件及镇村合同开展全流程审查1090件: the objects (one of the
    # entry's qualifiers among them) before the verb, the number after it
    object_review, review_lists = [], []
    if count_names:
        for entry in s["catalogue"]:
            verbs = entry.get("object_verbs") or []
            quals = count_qualifiers.get(entry["name"], ())
            if verbs and quals:
                v = "|".join(map(re.escape, _longest_first(_rule(x) for x in verbs)))
                q = "|".join(map(re.escape, quals))
                object_review.append((re.compile(
                    r"对(?P<obj>[^,，。;；:：%\d]{2,40}?)(?:开展|进行|实施|组织)了?"
                    rf"(?P<adj>[\u3400-\u9fff]{{0,5}}?)(?P<v>{v})"
                    rf"(?P<gap>(?:共|合计|共计)?){count_amount}"), entry["name"], quals,
                    tuple(_rule(x) for x in verbs)))
                # 审查监督合同文书43份 / 审核各类合同45份 / 重大决策意见审查6件次: the verb and
                # its object (a qualifier) with a few words between, the number right after
                object_review.append((re.compile(
                    rf"(?:(?P<v>{v})(?P<mid>[\u3400-\u9fff]{{0,4}}?)(?P<q>{q})"
                    rf"(?P<tail>[\u3400-\u9fff]{{0,2}}?)"
                    rf"|(?P<q2>{q})(?P<mid2>[\u3400-\u9fff]{{0,3}}?)(?P<v2>{v}))"
                    rf"(?P<gap>(?:共|合计|共计)?){count_amount}"), entry["name"], quals,
                    tuple(_rule(x) for x in verbs)))
                # 共审核政府文件107件、常务会议题92件、各类合同5352件: the verb, then its objects
                # listed each with its number (one of them a qualifier: see _review_list)
                review_lists.append((re.compile(
                    rf"(?P<v>{v})(?P<items>"
                    rf"(?:[\u3400-\u9fff]{{1,8}}?{_NUM}\s?(?:{count_units})、)+"
                    rf"[\u3400-\u9fff]{{1,8}}?{_NUM}\s?(?:{count_units}))"),
                    entry["name"], quals))
    subjects = []
    for entry in s["catalogue"]:
        for w in entry.get("subjects") or []:
            subjects.append((_rule(w), entry["name"]))
    subjects.sort(key=lambda x: (-len(x[0]), x[0]))
    # a value before the name: 100%的出庭率
    value_before = re.compile(rf"(?<![\d.])(?P<num>{_RNUM})\s?%\s?的?\s?$")
    # a catalogued rate named without 率: 实现100%出庭 / 负责人出庭应诉达到100% / 纠错为4.1%
    stem_names = {}
    for w, name in rate_names.items():
        stem = w[:-1] if w.endswith("率") else ""
        if len(stem) >= 2 and not stem.endswith("比"):
            stem_names.setdefault(stem, name)
    stem_before = stem_after = None
    if stem_names:
        stems = "|".join(map(re.escape, _longest_first(stem_names)))
        stem_before = re.compile(rf"(?<![\d.])(?P<num>{_RNUM})\s?$")     # before a %
        stem_after = re.compile(rf"(?P<w>{stems})(?:均|均已|已|已经)?"
                                rf"(?:为|达到|达|实现|保持)\s?(?P<num>{_RNUM})\s?%$")
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
                 rate_value=rate_value, shared_unit=shared_unit, list_value=list_value,
                 follow_change=follow_change,
                 count_list=count_list, change_nouns=tuple(s.get("change_nouns") or []),
                 from_to=from_to,
                 prefilter=prefilter, previous_level=previous_level,
                 paren_value=paren_value,
                 bound_words=tuple(s.get("bound_words") or []),
                 bound_after=tuple(s.get("bound_after") or []),
                 noun_units=tuple(s.get("noun_units") or []),
                 outcome_words=tuple(s.get("count_outcome_words") or []),
                 gap_nouns=tuple(s.get("count_gap_nouns") or []),
                 count_words=count_words, count_first=count_first, count_after_list=count_after_list,
                 count_figure=count_figure, count_change=count_change,
                 series_value=series_value, value_before=value_before,
                 stem_before=stem_before, stem_after=stem_after, stem_names=stem_names,
                 stems=_longest_first(stem_names),
                 change_rates=tuple(s.get("change_rate_names") or []),
                 units_pattern=count_units,
                 unit_lead=re.compile(rf"万?(?:余|多)?(?:{count_units})+"),
                 outcome_re=_words_re(s.get("count_outcome_words")),
                 gap_words=_words_re((s.get("count_outcome_words") or [])
                                     + (s.get("count_gap_nouns") or [])) or re.compile(r"(?!)"),
                 unit_ends=frozenset(u[-1] for u in s.get("count_units") or ["件"]),
                 stem_firsts=frozenset(w[0] for w in stem_names),
                 count_series=count_series, count_next=count_next, count_bare=count_bare,
                 count_intake=count_intake, subjects=tuple(subjects),
                 people_units=tuple(s.get("count_people_units") or []),
                 part_words=tuple(s.get("count_part_words") or []),
                 rate_next=rate_next, change_list=change_list, count_generic=count_generic,
                 count_follow=count_follow, change_more=change_more,
                 bare_words=frozenset(bare_words), object_review=tuple(object_review),
                 review_lists=tuple(review_lists),
                 count_reached=re.compile(
                     rf"\s?[,，]\s?(?:并|已)?(?:{_REACHED[3:-1]}|共计|共|合计|总数为|总量为)\s?"
                     rf"{count_amount}") if count_names else None,
                 other_kinds=tuple(s.get("count_other_kinds") or ()),
                 part_change=re.compile(
                     rf"\s?[,，、;；]\s?(?P<q>[\u3400-\u9fff]{{1,8}}?"
                     rf"(?:{'|'.join(map(re.escape, s.get('count_part_words') or ['领域']))}))"
                     rf"(?P<gap>[^\d.,，。;；:：、%率]"
                     rf"{{1,8}}?)(?P<num>{_RNUM})\s?%"),
                 shared_change=shared_change,
                 count_ranked=count_ranked, count_place=count_place, count_total=count_total,
                 count_place_comma=count_place_comma,
                 rate_ranked=rate_ranked, rate_place=rate_place, rate_bracketed=rate_bracketed,
                 rate_place_comma=rate_place_comma,
                 rate_bracket_item=rate_bracket_item, rate_judged=rate_judged,
                 count_item=re.compile(rf"、(?P<q>[\u3400-\u9fff]{{1,8}}?)(?P<num>{_NUM})\s?"
                                       rf"(?P<wan>万)?\s?(?:余|多)?\s?(?P<unit>{count_units})"),
                 count_item_any=re.compile(
                     rf"[、,，:：]?(?P<q>[\u3400-\u9fff]{{1,8}}?)(?P<num>{_NUM})\s?"
                     rf"(?P<wan>万)?\s?(?:余|多)?\s?(?P<unit>{count_units})"))


def _words_re(words) -> re.Pattern | None:
    words = _longest_first(words or [])
    return re.compile("|".join(map(re.escape, words))) if words else None


def _prefilter(count_units) -> re.Pattern:
    """What a text must contain to state anything: a digit with % or 百分点 or a count unit
    after it (spaces, 万 and 余/多 between, each perhaps with its pinyin gloss), in Simplified
    or Traditional characters (the test runs before the text is converted). Most paragraphs fail it, so most cost nothing more."""
    from .normalize import _t2s_characters
    variants = {}
    for trad, simp in _t2s_characters().items():
        variants.setdefault(simp, set()).add(chr(trad))

    def spelled(word: str) -> str:
        return "".join("[" + re.escape("".join(sorted({c} | variants.get(c, set())))) + "]"
                       for c in word)
    words = ["%", "个百分点", "百分点"] + list(count_units or [])
    alts = "|".join(spelled(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))
    gloss = r"(?:\([a-z\u00e0-\u00fc\u0101-\u01dc]{1,6}\))?"    # 萬(wàn)件: see _GLOSS
    return re.compile(rf"\d\s?(?:{spelled('万')}{gloss})?\s?(?:{spelled('余')}{gloss}|多)?\s?"
                      rf"(?:{alts})")


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
    return _statements_in(form, text, owners, rules)


def _statements_in(form: str, text: str, owners, rules: Rules) -> list[Statement]:
    """The statements of `form` (rule or match form, Simplified) with spans in `text`, whose
    characters behind form[i] are text[owners[i][0]:owners[i][1]] (owners None: form is text)."""
    reading, kept = _reading_form(form)
    if kept is not None:        # positions moved: compose the map through what was kept
        owners = [owners[k] if owners is not None else (k, k + 1) for k in kept]
    return [_with_text(st, text, reading, owners) for st in _form_statements(reading, rules)]


# A pinyin gloss a page prints after a character (推進(jìn), 環(huán)節(jié)): letters in brackets with
# at least one tone mark (a bracketed English word or abbreviation has none).
_GLOSS = re.compile(r"(?<=[\u3400-\u9fff])\([a-z\u00e0-\u00fc\u0101-\u01dc]{0,5}"
                    r"[\u00e0-\u00fc\u0101-\u01dc][a-z\u00e0-\u00fc\u0101-\u01dc]{0,5}\)")
# an ideographic full stop written for the decimal point (綜合糾錯率達11。3%)
_STOP_AS_POINT = re.compile(r"(?<=\d)。(?=\d{1,3}\s?%)")


def _reading_form(form: str) -> tuple[str, list[int] | None]:
    """`form` as the rules read it: pinyin glosses dropped, 11。3% read as 11.3%; with the
    position in `form` of each character kept (None when none was dropped)."""
    form = _STOP_AS_POINT.sub(".", form)
    if "(" not in form or not _GLOSS.search(form):
        return form, None
    kept, parts, last = [], [], 0
    for m in _GLOSS.finditer(form):
        parts.append(form[last:m.start()])
        kept.extend(range(last, m.start()))
        last = m.end()
    parts.append(form[last:])
    kept.extend(range(last, len(form)))
    return "".join(parts), kept


def _form_statements(form: str, rules: Rules) -> list[Statement]:
    """The statements of a text already in the rules' form (NFKC, Simplified), spans in it."""
    counts = _count_statements(form, rules)
    found = _rate_statements(form, rules, counts) + counts
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
        quoted = None if wording else _QUOTED_NAME.search(form, max(prev_end, i - 14), i)
        if quoted:              # “委托受理”率: the name is the quoted words with 率
            names.append({"start": quoted.start(), "end": end, "word": (quoted.start(), end),
                          "indicator": quoted.group(1) + "率", "catalogued": False,
                          "qualifier": (0, 0)})
            prev_end = end
            continue
        phrase = max(_phrase_start(form, end - len(wording) if wording else i, rules), prev_end)
        if not wording and phrase == i and i and _CJK.match(form[i - 1]):
            # a stop character right before 率 leaves no name (案结事了率): the name is the
            # whole noun phrase
            phrase = max(_phrase_start(form, i, rules, stops=False), prev_end)
        if phrase and form[phrase - 1].isdigit():   # 培训4批次参训率: the count's unit is no name
            unit = rules.unit_lead.match(form, phrase)
            if unit and unit.end() < (end - len(wording) if wording else i):
                phrase = unit.end()
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
            if word_start >= i or (form[word_start] in rules.stop_chars
                                   and not _inside_word(form, word_start, i, form[word_start],
                                                        rules)):
                continue        # a bare 率, or a name that would begin with a particle (的率)
        start = phrase if wording else (min(qual[0], word_start) if qual[1] else word_start)
        prev_end = end
        names.append({"start": start, "end": end, "word": (word_start, end),
                      "indicator": rules.rate_names[wording] if wording else form[word_start:end],
                      "catalogued": bool(wording), "qualifier": qual})
    return names


_PHRASE_MAX = 16
# a name in quotation marks right before 率 (“委托受理”率): words, no digit or clause mark
_QUOTED_NAME = re.compile(r"[“「『\"]([\u3400-\u9fff]{2,12})[”」』\"]$")


def _phrase_start(form: str, j: int, rules: Rules, stops: bool = True) -> int:
    """Where the noun phrase ending at `j` begins: CJK characters back to a stop character
    (one inside a name word such as 及时, or a qualifier such as 上半年 that does not follow a
    digit, does not stop it; none does with stops=False)."""
    start = j
    while start > 0 and j - start < _PHRASE_MAX and _CJK.match(form[start - 1]):
        ch = form[start - 1]
        if stops and ch in rules.stop_chars and not _inside_word(form, start - 1, j, ch, rules):
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


def _rate_statements(form: str, rules: Rules, counts: list) -> list[Statement]:
    out: list[Statement] = []
    names = _rate_names(form, rules)
    pending: list[dict] = []
    used: set[int] = set()      # where the values read so far end
    last_end = 0
    for k, name in enumerate(names):
        nxt = names[k + 1] if k + 1 < len(names) else None
        between = form[name["end"]:nxt["start"]] if nxt else None
        # (出庭应诉率、出庭应诉且出声率均达100%: the next name is cut at 且, joined all the same)
        if nxt is not None and re.fullmatch(
                r"\s?(?:、|和|及|与|以及|,|，)\s?(?:[\u3400-\u9fff]{1,6}(?:且|并))?", between):
            pending.append(name)
            continue
        group, pending = pending + [name], []
        m = rules.rate_value.match(form, name["end"])
        shared = None
        if m is None and len(group) > 1:
            shared = rules.shared_unit.match(form, name["end"])
            if shared and ("分别" in shared.group("gap") or "依次" in shared.group("gap")
                           or len(re.findall(_RNUM, shared.group("nums"))) == len(group)):
                m = shared
            else:
                shared = None
        if not m:
            got = (_next_clause(form, group, rules) or _value_before(form, group, rules, used)
                   or _bracketed_before(form, group, rules) or _places_after(form, group, rules))
            out.extend(got)
            used.update(st.end for st in got)
            continue
        gap = m.group("gap")
        if gap.rstrip().endswith("在") and form.startswith(rules.bound_after, m.end()):
            continue            # 得分率在60%以上: a bound said of a group
        if gap.rstrip().endswith(rules.bound_words):
            continue            # 出庭应诉率超过90% / 低于80%: a threshold, no value
        if form.startswith(_CEILINGS, m.end()) and not _is_target(
                form, group[0]["start"], m.end(), rules):
            continue            # 错案率下降到5%以下: a ceiling reached, no value (a plan's
            #                     ceiling stays its target)

        if "平均" in gap and _GAP_TO_AVERAGE.search(gap) and _change_word(gap, rules) is None:
            continue            # 比全国平均水平高12个百分点: a gap to an average, no value
        values = [(m.group("num"), m.group("unit"), m.end())] if not shared else []
        if shared:              # 分别下降4.01、3.35个百分点: every value before the one unit
            values = [(num, m.group("unit"), m.end())
                      for num in re.findall(_RNUM, m.group("nums"))]
        elif _FROM_GAP.search(gap):
            to = rules.from_to.match(form, m.end())
            if to:      # 由10%下降到5%: two levels, where it was and where it went
                values.append((to.group("num"), to.group("unit"), to.end()))
                gap = to.group("gap")
        elif "分别" in gap or "依次" in gap:
            pos = m.end()
            # several names take one value each; one name takes every value (a series), or
            # one each of the places listed (分别为城建17.1%、土地15.6%)
            lead = _LISTED.search(gap)
            if lead and _CJK.search(gap[lead.end():]):
                listing = rules.rate_place
            else:
                listing = rules.change_list if _change_word(gap, rules) else rules.list_value
            while len(group) == 1 or len(values) < len(group):
                more = listing.match(form, pos)
                if more is None and listing is rules.rate_place:
                    more = _place_after_comma(form, pos, rules)    # 分别为甲县25%,乙县22%
                if not more:
                    break
                values.append((more.group("num"), more.group("unit"), more.end(),
                               more.groupdict().get("word")))
                pos = more.end()
        elif len(group) > 1:
            # 上诉率和申诉率同比减少1.74%和1.01%: as many values listed as names, one each
            listing = rules.change_list if _change_word(gap, rules) else rules.list_value
            more_values, pos = [], m.end()
            while (len(more_values) < len(group) - 1
                   and form[pos:pos + 2].lstrip()[:1] in _JOINERS_ONE):
                more = listing.match(form, pos)
                if not more:
                    break
                more_values.append((more.group("num"), more.group("unit"), more.end(),
                                    more.groupdict().get("word")))
                pos = more.end()
            if len(more_values) == len(group) - 1 and not (
                    form[pos:pos + 2].lstrip()[:1] in _JOINERS_ONE and listing.match(form, pos)):
                values += more_values
        change_word = _change_word(gap, rules)
        target = _is_target(form, group[0]["start"], values[-1][2], rules)
        used.update(v[2] for v in values)
        if (len(group) == 1 and not group[0]["catalogued"]
                and group[0]["indicator"].endswith(rules.change_rates)):
            got = _count_changes(form, group[0], values, change_word, target, counts,
                                 last_end, rules)
            last_end = values[-1][2]
            if got is not None:     # 受理…案件21641件,年均增长率为15.09%: the count's change
                out.extend(got)
                continue
        last_end = values[-1][2]
        if len(group) == 1:
            pairs = [(group[0], v) for v in values]
        else:
            pairs = [(nm, values[i] if len(values) == len(group) else values[0])
                     for i, nm in enumerate(group)]
        for nm, (num, unit, end, *own) in pairs:
            out.append(_rate(nm, num, unit, (own and own[0]) or change_word, target,
                             nm["start"], end, rules))
        pos = values[-1][2]
        level = (_LEVEL_AFTER_RATE.match(form, pos)
                 if change_word is not None or unit_is_points(values) else None)
        if level:               # 同比提高3个百分点,达到98%: the level it reached
            for nm in group:
                out.append(_rate(nm, level.group("num"), "%", None, target, nm["start"],
                                 level.end(), rules))
            pos = level.end()
            used.add(pos)
        before = rules.previous_level.match(form, pos)
        if before:              # ,较之2014年的10.2%: the earlier level of the same rate
            for nm in group:
                out.append(_rate(nm, before.group("num"), "%", None, target, nm["start"],
                                 before.end(), rules))
            pos = before.end()
        lead = _SERIES_NEXT.match(form, pos)    # 。此后一路上扬,到1997年达到57.3%
        if lead and rules.series_value.match(form, lead.end()):
            pos = lead.end()
        while form[pos:pos + 1] in _SERIES_MARKS and (
                more := rules.series_value.match(form, pos)):   # ,2008年达到81.3%
            word = _change_word(more.group("gap"), rules)
            for nm in group:
                out.append(_rate(nm, more.group("num"), more.group("unit"), word, target,
                                 nm["start"], more.end(), rules))
            pos = more.end()
        follow = rules.follow_change.match(form, pos)
        word = _change_word(follow.group("gap"), rules) if follow else None
        if word is not None and follow.group("gap").rstrip().endswith(rules.bound_words):
            word = None         # 同比提高超5个百分点: a threshold of the change, no value
        if word is not None:
            changes = [(follow.group("num"), follow.group("unit"), follow.end(), word)]
            end = follow.end()
            if len(group) > 1 and "分别" in follow.group("gap"):   # 同比分别提高2个、下降1个百分点
                while len(changes) < len(group) and (more := rules.change_list.match(form, end)):
                    changes.append((more.group("num"), more.group("unit"), more.end(),
                                    more.group("word") or word))
                    end = more.end()
            if len(changes) == len(group):
                pairs = list(zip(group, changes))
            elif len(changes) == 1:
                pairs = [(nm, changes[0]) for nm in group]
            else:
                pairs = []      # not one each: whose is which is not said
            for nm, (num, unit, e, w) in pairs:
                out.append(_rate(nm, num, unit, w, target, nm["start"], e, rules))
            pos = end
        used.add(pos)
        last_end = pos
    if rules.stem_names:
        out.extend(_stem_statements(form, rules, used))
    return out


_SERIES_MARKS = frozenset(" ,，、;；(（")
_JOINERS_ONE = frozenset("、和及与")
_CEILINGS = ("以下", "以内")
_GAP_TO_AVERAGE = re.compile(r"比|较|高于|低于|高出|低出|超出|超过|高|低")
# the level a change reached, in the next clause: 同比提高3个百分点,达到98%
_REACHED = (r"(?:达到|达|为|升至|增至|降至|降到|提高到|提高至|提升到|提升至|上升到|上升至|"
            r"下降到|下降至|回落到|回落至|增加到|增加至|减少到|减少至)")
_LEVEL_AFTER_RATE = re.compile(rf"\s?[,，]\s?(?:并|已)?{_REACHED}\s?"
                               rf"(?P<num>{_RNUM})\s?%(?!\s?(?:以上|以下|以内|的))")


def unit_is_points(values) -> bool:
    return all(v[1] != "%" for v in values)
# a series going on into the next sentence, which opens with a word of time and a trend:
# 撤诉率为21.3%。此后一路上扬,到1997年达到57.3%
_SERIES_NEXT = re.compile(r"[。;；]\s?(?:此后|之后|随后|其后|而后)[^\d,，。;；:：%率]{0,8}(?=[,，])")
# the end of a gap that names where a level went from: 由 / 从 / 由2019年的 / 从上年的
_FROM_GAP = re.compile(r"(?:由|从)\s?(?:(?:19|20)\d{2}\s?年(?:度|底|末)?|上一?年度?|去年|年初)?"
                       r"(?:同期|全年|上半年|下半年)?的?\s?$")


def _next_clause(form: str, group: list, rules: Rules) -> list[Statement]:
    """A name whose values the next clause lists (出庭应诉率逐年提升,分别为90%、95%、100%):
    a series of one name, or one value each of several; levels (the trend words before the
    comma say how they moved, not a change)."""
    m = rules.rate_next.match(form, group[-1]["end"])
    if not m:
        m = rules.rate_judged.match(form, group[-1]["end"])
        if (m is None or form.startswith(rules.bound_after + ("的",), m.end())
                or m.group("gap").rstrip().endswith(rules.bound_words)):
            return []
        target = _is_target(form, group[0]["start"], m.end(), rules)
        return [_rate(nm, m.group("num"), "%", None, target, nm["start"], m.end(), rules)
                for nm in group]
    values = [(m.group("num"), m.group("unit"), m.end())]
    pos = m.end()
    while (more := rules.list_value.match(form, pos)):
        values.append((more.group("num"), more.group("unit"), more.end()))
        pos = more.end()
    if len(group) > 1 and len(values) != len(group):
        return []
    target = _is_target(form, group[0]["start"], values[-1][2], rules)
    pairs = ([(group[0], v) for v in values] if len(group) == 1
             else list(zip(group, values)))
    return [_rate(nm, num, unit, None, target, nm["start"], end, rules)
            for nm, (num, unit, end) in pairs]


def _value_before(form: str, group: list, rules: Rules, used: set) -> list[Statement]:
    """A name without a value after it takes a level written right before it (100%的出庭率)."""
    first = group[0]["start"]
    m = rules.value_before.search(form, max(0, first - 12), first)
    if not m or any(u > m.start() and u <= m.end() for u in used):
        return []
    target = _is_target(form, m.start(), group[-1]["end"], rules)
    return [_rate(nm, m.group("num"), "%", None, target, m.start(), nm["end"], rules)
            for nm in group]


def _stem_statements(form: str, rules: Rules, used: set) -> list[Statement]:
    """A catalogued rate named without 率, its level before or after the name: 实现100%出庭,
    负责人出庭应诉达到100%, 纠错为4.1%."""
    out = []
    p = form.find("%")
    while p >= 0:
        end = p + 1
        if end not in used:
            m = rules.stem_after.search(form, max(0, p - 24), end)
            if m and not (m.start("w") > 0 and form[m.start("w") - 1] == "率"):
                out.append(_stem_rate(form, rules, m.group("w"), m.span("w"), m.group("num"),
                                      m.start(), end))
                used.add(end)
        if end not in used:
            j = end + (form[end:end + 1] == " ")
            j += form[j:j + 1] == "的"
            stem = (next((w for w in rules.stems if form.startswith(w, j)), None)
                    if form[j:j + 1] in rules.stem_firsts else None)
            m = rules.stem_before.search(form, max(0, p - 24), p) if stem else None
            if m and not form.startswith("率", j + len(stem)):
                out.append(_stem_rate(form, rules, stem, (j, j + len(stem)), m.group("num"),
                                      m.start(), j + len(stem)))
                used.add(end)
        p = form.find("%", end)
    return out


def _stem_rate(form, rules, stem, word, num, start, end) -> Statement:
    nm = {"indicator": rules.stem_names[stem], "word": word, "qualifier": (0, 0),
          "catalogued": True}
    return _rate(nm, num, "%", None, _is_target(form, start, end, rules), start, end, rules)


def _count_changes(form: str, nm: dict, values: list, change_word: str | None,
                   target: bool, counts: list, since: int, rules: Rules):
    """A growth rate (增长率, 年均增长率) after counts of its sentence is their change, value i
    for count i of the last ones (受理…21641件,审结20370件,年均增长率分别为15.09%、12.01%):
    the statements of the counts that are indicators; None when no count comes before it."""
    s = max(max(form.rfind(c, 0, nm["start"]) for c in _SENTENCE_END) + 1, since)
    figures = list(rules.count_figure.finditer(form, s, nm["start"])) if rules.count_figure \
        else []
    if not figures:
        return None
    decrease = any(d in form[nm["start"]:nm["end"]] or (change_word and d in change_word)
                   for d in rules.decrease_words)
    out = []
    for fig, (num, unit, end, *_) in zip(figures[-len(values):], values):
        st = next((c for c in counts if c.start <= fig.start() and fig.end() <= c.end
                   and not c.change), None)
        if st is None:
            continue
        value = _num(num)
        out.append(Statement(indicator=st.indicator, wording=st.wording,
                             qualifier=st.qualifier, value=-value if decrease else value,
                             unit="%" if unit == "%" else "个百分点", change=True,
                             target=target, start=st.start, end=end, kind=COUNT))
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


# words of a comparison: a value in brackets after them is the other side's (高于全省平均
# 水平(12.5%)), not the rate's
_COMPARED = re.compile(r"高于|低于|超过|超出|平均|比(?!例|重)|较(?![高低大小多少])|占")


def _place_after_comma(form: str, pos: int, rules: Rules) -> re.Match | None:
    """A further place and its value after a comma (分别为甲县25%,乙县22%), unless the words
    open another clause (,其中…, ,同比…) or name a stage."""
    m = rules.rate_place_comma.match(form, pos)
    if m is None or _not_place(m.group("q"), rules):
        return None
    return m


def _not_place(q: str, rules: Rules) -> bool:
    """Whether the words before a listed value name something else than a place: a clause's
    opening (其中, 同比), a stage (审结) or a measure (群众满意度98%, 案件数)."""
    return q.startswith(_NOT_PLACES) or q.endswith(_MEASURES) or _is_stage(q, rules)


def _places_after(form: str, group: list, rules: Rules) -> list[Statement]:
    """A name whose values follow with a place each, after a ranking (败诉率居前三位的地区
    依次为甲市25%、乙市22%) or in brackets (不予受案率较高的地区有天津(68.22%)、黑龙江
    (62.16%)): levels, one each; none when the words between compare (高于…平均水平(12%))."""
    if len(group) != 1:
        return []
    nm = group[0]
    m = rules.rate_ranked.match(form, nm["end"])
    item = rules.rate_place
    if m is None or _is_stage(m.group("q"), rules):
        m = rules.rate_bracketed.match(form, nm["end"])
        item = rules.rate_bracket_item
    if m is None or _COMPARED.search(m.group("gap")) or m.group("gap").rstrip().endswith(
            rules.bound_words):
        return []
    values = [m]
    pos = m.end()
    while (more := item.match(form, pos) or (
            item is rules.rate_place and _place_after_comma(form, pos, rules))):
        values.append(more)
        pos = more.end()
    target = _is_target(form, nm["start"], pos, rules)
    return [_rate(nm, v.group("num"), v.groupdict().get("unit") or "%", None, target,
                  nm["start"], v.end(), rules) for v in values]


def _rate(nm: dict, num: str, unit: str, change_word: str | None, target: bool,
          start: int, end: int, rules: Rules) -> Statement:
    change = unit != "%" or change_word is not None
    value = _num(num)
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


_CLAUSE_END = ",，"
_TARGET_TIME = re.compile(r"(?:19|20)\d{2}|年底|年内|年末|明年|今年|今后|以前|前$")


# the points a criterion of an assessment scheme is worth, right after its figure: (5分)
_SCORED = re.compile(r"\s?[(（]\s?(?:计|得|占|扣)?\d+(?:\.\d+)?\s?分\s?[)）]")


def _is_target(form: str, start: int, end: int, rules: Rules) -> bool:
    """Whether the figure is a plan target (力争, 确保 …): a target word in the clause holding
    the figure, in the lead of its sentence before a colon (总体目标:…), or opening a clause
    before it that sets the time (力争到2025年,…), with only clauses stating figures between
    (力争到2025年,出庭应诉率达到100%,败诉率下降到5%以下). A target word elsewhere in the
    sentence (制定年度学法计划,…,参训率达100%) does not make a result a target."""
    if _SCORED.match(form, end):
        return True             # 签订率达到100%(5分): a criterion of an assessment scheme
    words = rules.target_words
    s = max(form.rfind(c, 0, start) for c in _SENTENCE_END) + 1
    if not any(w in form[s:end] for w in words):
        return False
    c = max(max(form.rfind(ch, s, start) for ch in _CLAUSE_END) + 1, s)
    if any(w in form[c:end] for w in words):
        return True
    colon = max(form.rfind(":", s, start), form.rfind("：", s, start))
    if colon >= s and any(w in form[s:colon] for w in words):
        return True
    while c > s:                # the clauses before, nearest first
        e = c - 1
        c = max(max(form.rfind(ch, s, e) for ch in _CLAUSE_END) + 1, s)
        clause = form[c:e].strip()
        if clause.startswith(words):
            return len(clause) <= 4 or bool(_TARGET_TIME.search(clause))
        if not rules.prefilter.search(clause):
            return False        # a clause of other words: the lead does not reach further
    return False


# ---------------------------------------------------------------------- counts

def _count_statements(form: str, rules: Rules) -> list[Statement]:
    out: list[Statement] = []
    if rules.count_pattern is None:
        return out
    found = list(rules.count_words.finditer(form))  # every noun phrase, once
    done = 0
    for w in found:
        if w.start() < done:
            continue
        m = _unless_bare(rules.count_pattern.match(form, w.start()), rules)
        if m is None and w.group() in rules.bare_words:
            # a kind's bare name that begins a longer wording: 报送备案的规范性文件197件
            inner = rules.count_words.search(form, w.start() + 1, w.end() + 16)
            if inner and inner.start() < w.end():
                m = _unless_bare(rules.count_pattern.match(form, inner.start()), rules)
        listed = False
        if m is None:
            m = _unless_bare(rules.count_next.match(form, w.start()), rules)   # …分别为120件
            if m is None:       # …居前五位的地区依次为昆明1370件、昭通770件
                m = _unless_bare(rules.count_ranked.match(form, w.start()), rules)
                if m is not None and _is_stage(m.group("q"), rules):
                    m = None
            listed = m is not None
        if m is None:
            m = _unless_bare(rules.count_bare.match(form, w.start()), rules)  # 案件数量为56,
            if m is not None and not _is_outcome(form, m.start("w"), m.group("gap"), rules):
                done = m.end()
                name = rules.count_names[m.group("w")]
                qual = _word_span(form, m.start("w"), m.end("w"),
                                  rules.count_qualifiers.get(name, ()))
                first = _count(name, m.span("w"), qual, m.group("num"), None, rules.units[name],
                               m.start(), m.end(), _is_target(form, m.start(), m.end(), rules))
                out.append(first)
                out.extend(_follow_change(form, first, m.end(), rules))
            continue
        done = m.end()
        if _is_bound(form, m, rules) or _is_outcome(form, m.start("w"), m.group("gap"), rules):
            continue
        if m.group("gap").startswith("中"):
            continue            # 报送备案的文件中有3件…: a part of them, not their count
        name = rules.count_names[m.group("w")]
        if _is_other_count(form, m, name, rules) or form.endswith(
                rules.other_kinds, max(0, m.start("w") - 4), m.start("w")):
            continue                # 民事一审案件500件: the cases of another kind
        kinds = _kinds_before(form, m.start("w"), m.group("w"), rules)
        if kinds:       # 行政复议、行政诉讼案件分别为18件、23件: one value each
            done = _kind_values(form, m, kinds, rules, out)
            continue
        quals = rules.count_qualifiers.get(name, ())
        clause_start = max(form.rfind(c, 0, m.start()) for c in _SENTENCE_END + "，,") + 1
        qual = _word_span(form, clause_start, m.start("num"), quals)
        target = _is_target(form, m.start(), m.end(), rules)
        first = _count(name, m.span("w"), qual, m.group("num"), m.group("wan"),
                       m.group("unit"), m.start(), m.end(), target)
        out.append(first)
        pos = m.end()
        gap = m.group("gap")
        lead = _LISTED.search(gap)
        ranked = lead is None and (lead := _PLACES_LEAD.search(gap)) is not None and bool(
            _CJK.search(gap[lead.end():]))      # 案件较多的是昆明1370件、昭通770件
        if listed or "分别" in gap or "依次" in gap or ranked:   # 案件数分别为3595件、3125件…
            # the values listed with a place each (依次为昆明1370件、昭通770件; after 分别/依次
            # a comma may part them: 分别为甲县120件,乙县95件)
            placed = ranked or "q" in m.re.groupindex or bool(
                lead and _CJK.search(gap[lead.end():]))
            item = rules.count_place if placed else rules.count_list
            mores = []
            while (more := item.match(form, pos) or (
                    placed and not ranked and rules.count_place_comma.match(form, pos))):
                if placed and (_not_place(more.group("q"), rules)
                               or more.group("unit") != m.group("unit")):
                    break
                mores.append(more)
                pos = more.end()
            if placed and mores and (total := rules.count_total.match(form, pos)):
                mores.append(total)     # ,共计3316件: the listed places' total
                pos = total.end()
            # 对规范性文件、重大合同合法性审查分别为19件、39件: one qualifier each
            listed_quals = _qualifiers_listed(form, clause_start, m.start("w"), len(mores) + 1,
                                              quals) if quals and mores and not placed else None
            if listed_quals:
                first.qualifier = listed_quals[0]
            for k, more in enumerate(mores):
                q = listed_quals[k + 1] if listed_quals else qual
                out.append(_count(name, m.span("w"), q, more.group("num"), more.group("wan"),
                                  more.group("unit"), m.start(), more.end(), target))
        while (more := rules.count_series.match(form, pos)):     # ,2021年为43件
            if more.group("unit") != m.group("unit") or form.startswith(rules.bound_after,
                                                                        more.end()):
                break
            out.append(_count(name, m.span("w"), qual, more.group("num"), more.group("wan"),
                              more.group("unit"), m.start(), more.end(), target))
            pos = more.end()
        done = max(done, pos)
        out.extend(_follow_change(form, first, pos, rules))
        pos = _listed_items(form, pos, name, quals, m.group("unit"), target, rules, out)
        # the rest of a breakdown by kind: …执法决定审查10件,其他事项审查1件 (the same noun or
        # verb; 行政复议案件56件,其他案件12件 names no kind: other cases)
        while qual != (0, 0) and (
                more := _other_item(m.group("w")[-2:], rules.units_pattern).match(form, pos)):
            out.append(_count(name, more.span("q"), (0, 0), more.group("num"), more.group("wan"),
                              more.group("unit"), more.start("q"), more.end(), target))
            pos = more.end()
        done = max(done, pos)       # the listed items are read: 、合同审核31份 not again
    spans = [(st.start, st.end) for st in out]

    def taken(k: int) -> bool:
        return any(a <= k < b for a, b in spans)

    if rules.count_intake is not None and rules.subjects:
        for m in rules.count_intake.finditer(form):     # 行政复议机关共收案14898件
            if taken(m.start("num")) or _is_bound(form, m, rules):
                continue
            st = _intake_count(form, m, rules)
            if st is not None:
                out.append(st)
                out.extend(_follow_change(form, st, m.end(), rules))
        spans = [(st.start, st.end) for st in out]

    has_percent = "%" in form or "百分点" in form
    for w in found:
        ws, we = w.span()
        k = ws - 1 - (form[ws - 1:ws] == "的")
        m = (rules.count_first.search(form, max(0, ws - 24), ws)
             if k >= 0 and form[k] in rules.unit_ends else None)
        if (m and (we == len(form) or form[we] in _CLAUSE_MARKS) and not taken(m.start("num"))):
            _count_first(form, m, w, rules, out)    # 审结的262件行政复议案件中
        m = rules.count_change.match(form, ws) if has_percent else None
        if m and not taken(ws):
            _count_change(form, m, rules, out)       # 行政复议申请较上一年增长63%
    spans = [(st.start, st.end) for st in out]
    for pattern, name, quals, verbs in rules.object_review:    # 对重大决策、合同开展审查90件
        if not any(v in form for v in verbs):
            continue
        for m in pattern.finditer(form):
            if taken(m.start("num")) or _is_bound(form, m, rules):
                continue
            words = m.groupdict()
            if "obj" in words:
                if _word_span(form, *m.span("obj"), quals) == (0, 0):
                    continue
                qual = (0, 0)
            else:
                between = (words["mid"] or "") + (words["tail"] or "") + (words["mid2"] or "")
                if rules.gap_words.search(between) or any(w in between for w in _NOT_REVIEW):
                    continue
                qual = m.span("q") if words["q"] else m.span("q2")
                if _is_outcome(form, m.start(), "", rules):
                    continue
            verb = m.span("v") if words.get("v") else m.span("v2")
            st = _count(name, verb, qual, m.group("num"), m.group("wan"),
                        m.group("unit"), m.start(), m.end(),
                        _is_target(form, m.start(), m.end(), rules))
            out.append(st)
            out.extend(_follow_change(form, st, m.end(), rules))
            _listed_items(form, m.end(), name, quals, m.group("unit"), st.target, rules, out)
    spans = [(st.start, st.end) for st in out]
    for pattern, name, quals in rules.review_lists:
        for m in pattern.finditer(form):
            if not taken(m.start("items")):
                out.extend(_review_list(form, m, name, quals, rules))
    spans = [(st.start, st.end) for st in out]
    if has_percent and rules.count_generic is not None and rules.subjects:
        for m in rules.count_generic.finditer(form):     # 受理案件同比去年下降38.5%
            if not taken(m.start()):
                _generic_change(form, m, rules, out)
    for m in (rules.count_after_list.finditer(form) if "进行" in form else ()):  # 对53份文件、15份合同进行了合法性审查
        head = _clause_head(form, m.start(), 40)
        d = head.rfind("对")
        if d < 0:
            continue
        lo = m.start() - len(head) + d + 1
        items = list(rules.count_figure.finditer(form, lo, m.start()))
        name = rules.count_names[m.group("w")]
        quals = rules.count_qualifiers.get(name, ())
        target = _is_target(form, lo, m.end(), rules)
        for i, it in enumerate(items):
            noun_end = items[i + 1].start() if i + 1 < len(items) else m.start()
            qual = _word_span(form, it.end(), noun_end, quals)
            if (taken(it.start("num")) or form[lo:it.start()].endswith(rules.bound_words)
                    or (it.group("unit") in rules.noun_units and qual == (0, 0))):
                continue        # 对3个部门进行了…: 个 counts the departments
            out.append(_count(name, m.span("w"), qual, it.group("num"), it.group("wan"),
                              it.group("unit"), it.start(), m.end(), target))
    return out


def _review_list(form: str, m: re.Match, name: str, quals: tuple,
                 rules: Rules) -> list[Statement]:
    """The counts of a review verb's listed objects (审核政府文件107件、常务会议题92件、各类合同
    5352件): one each, when one of the objects is a qualifier of the indicator (合同) and the
    verb is no other work (备案审查); none otherwise (审查材料20份、证据5份 is not said to be a
    legality review)."""
    if form.endswith(_NOT_REVIEW, 0, m.start("v")):
        return []
    items = list(rules.count_figure.finditer(form, m.start("items"), m.end("items")))
    objects, starts, lo = [], [], m.start("items")
    for it in items:
        objects.append(_word_span(form, lo, it.start(), quals))
        starts.append(lo)
        lo = it.end() + 1       # past the 、
    if all(q == (0, 0) for q in objects):
        return []
    starts[0] = m.start()       # the first item's span holds the verb
    target = _is_target(form, m.start(), m.end(), rules)
    return [_count(name, m.span("v"), q, it.group("num"), it.group("wan"), it.group("unit"),
                   start, it.end(), target) for q, start, it in zip(objects, starts, items)]


_CLAUSE_MARKS = ",，。;；、:：)）中"
_LISTED = re.compile(r"(?:分别|依次)(?:为|是|达到|达)[:：]?\s?")
_PLACES_LEAD = re.compile(r"的(?:是|有)[:：]?\s?")
# words that open a clause after a list of places, not a place: ,其中…, ,共计…, ,同比…
_MEASURES = ("度", "量", "数", "值", "比", "额", "分", "面")
_NOT_PLACES = ("其中", "其他", "其它", "共", "合计", "总计", "同比", "较", "比", "全年", "全市")
# the words of a stage or an outcome of the cases: an item so named is no place
# (分别为受理120件、审结100件)
_STAGES = ("受理", "审结", "办结", "结案", "审理", "立案", "新收", "收案", "收到")


def _is_stage(words: str, rules: Rules) -> bool:
    return any(w in words for w in _STAGES) or bool(
        rules.outcome_re and rules.outcome_re.search(words))
_JOINERS = ("以及", "、", "和", "及", "与")
_NOT_JOINED = ("参与", "给与", "授与")     # words ending in a joiner's character


@lru_cache(maxsize=64)
def _other_item(tail: str, units: str) -> re.Pattern:
    """The item 其他… of a breakdown whose items end in `tail` (审查, 案件): ,其他事项审查1件."""
    return re.compile(rf"\s?[,，、;；]\s?(?P<q>(?:其他|其它)[\u3400-\u9fff]{{0,6}}?){re.escape(tail)}"
                      rf"(?:共|合计)?(?P<num>{_NUM})\s?(?P<wan>万)?\s?(?:余|多)?\s?"
                      rf"(?P<unit>{units})(?![\u3400-\u9fff])")


def _kinds_before(form: str, w_start: int, word: str, rules: Rules) -> list:
    """The kinds named before a count's noun phrase and joined to it, the shared noun
    written once after the last (行政复议、行政诉讼案件 / 行政复议和行政应诉案件): for each, in
    text order, (canonical name, span of its words); [] when no other kind is joined. A
    kind is words that, with the end of `word` (案件), make a catalogued wording; other
    words joined (民事、行政案件) are a kind of no indicator, (None, span)."""
    kinds = []
    p = w_start
    while True:
        joiner = next((j for j in _JOINERS if form.endswith(j, 0, p)), None)
        if joiner is None:
            break
        q = p - len(joiner)
        # 参与合同审查: a verb's character, no joiner; 会议9次、审核合同5份 / 行政复议案件6件和
        # 行政诉讼案件3件: the item before has its own figure, a list of counts, not of kinds
        if form.endswith(_NOT_JOINED, 0, p) or (
                q > 0 and form[q - 1] in rules.unit_ends
                and any(f.end() == q for f in rules.count_figure.finditer(
                    form, max(0, q - 16), q))):
            break
        run = q
        while run > 0 and q - run < 10 and _CJK.match(form[run - 1]) and \
                not any(form.endswith(j, 0, run) for j in _JOINERS):
            run -= 1
        got = None
        head = form[run:q]
        for k in range(1, len(word)):           # the shared end, longest first
            tail = word[k:]
            for a in range(len(head) - 1):      # the kind's words, longest first
                name = rules.count_names.get(head[a:] + tail) or (
                    rules.count_names.get(head[a:]) if head[a:].endswith(tail) else None)
                if name:
                    got = (name, (run + a, q))
                    break
            if got:
                break
        if got is None:         # another kind (民事、行政案件): holds its place in the list
            got = (None, (run, q))
        kinds.insert(0, got)
        p = got[1][0]
    return kinds


def _kind_values(form: str, m: re.Match, kinds: list, rules: Rules, out: list) -> int:
    """The values of a list of kinds (kinds, then the kind of match `m`), one each in order
    (分别为18件、23件 / 45件、31件), and their changes (,同比分别增长10%、5%); none when the
    values are not one for each (共18件: the kinds' total). Returns where they end."""
    names = kinds + [(rules.count_names[m.group("w")], m.span("w"))]
    values = [(m.group("num"), m.group("wan"), m.group("unit"), m.end())]
    pos = m.end()
    while len(values) < len(names) and (more := rules.count_list.match(form, pos)):
        values.append((more.group("num"), more.group("wan"), more.group("unit"), more.end()))
        pos = more.end()
    if len(values) != len(names):
        own = names[-1][0]
        if (len(values) == 1 and "分别" not in m.group("gap")
                and all(name == own for name, _ in names)):
            # 行政一审、二审、再审案件4364件: kinds of the one indicator share its total
            span = (names[0][1][0], m.end("w"))
            first = _count(own, span, (0, 0), m.group("num"), m.group("wan"), m.group("unit"),
                           span[0], m.end(), _is_target(form, span[0], m.end(), rules))
            out.append(first)
            out.extend(_follow_change(form, first, m.end(), rules))
            return m.end()
        return pos
    start = names[0][1][0]
    target = _is_target(form, start, pos, rules)
    firsts = []
    for (name, span), (num, wan, unit, end) in zip(names, values):
        if name is None:
            continue
        qual = _word_span(form, span[0], span[1], rules.count_qualifiers.get(name, ()))
        firsts.append(_count(name, span, qual, num, wan, unit, span[0], end, target))
    out.extend(firsts)
    follow = rules.follow_change.match(form, pos)
    word = _change_word(follow.group("gap"), rules) if follow else None
    if word is not None and follow.group("unit") == "%" and "分别" in follow.group("gap"):
        changes = [(follow.group("num"), follow.end(), word)]
        end = follow.end()
        while len(changes) < len(names) and (more := rules.change_list.match(form, end)):
            if more.group("unit") != "%":
                break
            changes.append((more.group("num"), more.end(), more.group("word") or word))
            end = more.end()
        if len(changes) == len(names):
            for st, (num, e, w) in zip(firsts, [c for (n, _), c in zip(names, changes) if n]):
                decrease = any(d in w for d in rules.decrease_words)
                out.append(Statement(indicator=st.indicator, wording=st.wording,
                                     qualifier=st.qualifier,
                                     value=-_num(num) if decrease else _num(num), unit="%",
                                     change=True, target=target, start=st.start, end=e,
                                     kind=COUNT))
            pos = end
    return pos


def _qualifiers_listed(form: str, start: int, end: int, n: int, quals: tuple) -> list | None:
    """The spans of `n` qualifiers listed right before a count's noun phrase, one in each of
    the last `n` items joined by 、/和/及/与 in form[start:end] (规范性文件、重大合同合法性审查:
    规范性文件, 合同); None unless each of them names one."""
    cuts = [start] + [k + 1 for k in range(start, end) if form[k] in "、和及与"]
    if len(cuts) < n:
        return None
    bounds = list(zip(cuts, cuts[1:] + [end]))[-n:]
    got = []
    for a, b in bounds:
        span = _word_span(form, a, b, quals)
        if span == (0, 0):
            return None
        got.append(span)
    return got


def _is_other_count(form: str, m: re.Match, name: str, rules: Rules) -> bool:
    """Whether a count's number counts something else than the indicator's cases: people
    (出具法律意见书共计90余人次: 人次 counts the lawyers' attendances) unless the indicator
    is counted so, or a domain's part of a total with its share after it (监管领域行政处罚
    案件12件,占总量的35%)."""
    if m.group("unit") in rules.people_units and rules.units.get(name) not in rules.people_units:
        return True
    if rules.part_words and form[max(0, m.start("w") - 4):m.start("w")].endswith(
            rules.part_words):
        return bool(re.match(r"\s?[,，]\s?占[^,，。;；]{0,12}?\d", form[m.end():]))
    return False


def _intake_count(form: str, m: re.Match, rules: Rules) -> Statement | None:
    """A count written with the intake verb alone (收案14898件, 新收88件): the indicator is
    the one the sentence's subject names before the verb (全市各级行政复议机关共收案…), the
    nearest of the catalogue's `subjects`; None without one."""
    s = max(form.rfind(c, 0, m.start()) for c in _SENTENCE_END) + 1
    head = form[s:m.start()]
    best = None
    for word, name in rules.subjects:
        at = head.rfind(word)
        if at >= 0 and (best is None or at + len(word) > best[0] + len(best[1])):
            best = (at, word, name)
    if best is None:
        return None
    at, word, name = best
    if best and rules.outcome_re and rules.outcome_re.search(head[at + len(word):]):
        return None
    unit = m.group("unit")
    if unit in rules.noun_units or (unit in rules.people_units
                                    and rules.units.get(name) not in rules.people_units):
        return None
    return _count(name, m.span("v"), (0, 0), m.group("num"), m.group("wan"), unit,
                  m.start(), m.end(), _is_target(form, m.start(), m.end(), rules))


def _count_first(form: str, m: re.Match, w: re.Match, rules: Rules, out: list) -> None:
    """The count of number `m` written before the noun phrase `w` (审结的262件行政复议案件中)."""
    head = _clause_head(form, m.start(), 4)
    if head.endswith(rules.bound_words) or any(o in head for o in rules.outcome_words):
        return
    name = rules.count_names[w.group()]
    qual = _word_span(form, w.start(), w.end(), rules.count_qualifiers.get(name, ()))
    st = _count(name, w.span(), qual, m.group("num"), m.group("wan"), m.group("unit"),
                m.start(), w.end(), _is_target(form, m.start(), w.end(), rules))
    out.append(st)
    out.extend(_follow_change(form, st, w.end(), rules))


def _listed_items(form: str, pos: int, name: str, quals: tuple, unit: str, target: bool,
                  rules: Rules, out: list) -> int:
    """The kinds listed after a count, each with its value: 、重大合同39份、行政决策5件, or a
    breakdown (,其中合同98件、规范性文件20件; kinds it has no qualifier for are passed);
    returns where they end."""
    lead = _BREAKDOWN.match(form, pos)
    if not quals:
        return _kinds_broken_down(form, lead.end(), name, unit, target, rules, out) \
            if lead else pos
    item = rules.count_item
    if lead:                    # ,其中合同98件: the first item after 其中
        item = rules.count_item_any
        pos = lead.end()
    while True:
        more = item.match(form, pos)
        if not more:
            break
        q = _word_span(form, more.start("q"), more.end("q"), quals)
        if q == (0, 0):
            if lead:            # 其中常务会议议题48件、合同26件: a kind not catalogued, passed
                pos = more.end()
                continue
            break
        out.append(_count(name, more.span("q"), q, more.group("num"), more.group("wan"),
                          more.group("unit"), more.start("q"), more.end(), target))
        pos = more.end()
    return pos


# an item of a breakdown by kind: 行政许可32424件 / 涉及举报投诉处理37件 / 行政处罚案件2件,
# each perhaps followed by a note in brackets and its share (,占比94.03%)
_KIND_ITEM = re.compile(r"\s?[、,，;；:：]?\s?(?:涉及)?(?P<q>[\u3400-\u9fff]{1,12}?)(?:共|有)?"
                        rf"(?P<num>{_NUM})\s?(?P<wan>万)?\s?(?P<unit>[\u3400-\u9fff]{{1,2}}?)"
                        r"(?:[(（][^()（）]{0,24}[)）])?(?:[,，]\s?占(?:比)?\d+(?:\.\d+)?\s?%)?"
                        r"(?=[、,，;；。\s]|$)")


_SETTLED = ("调解", "和解", "调撤")     # 其中案前调解50件: how some were settled, not a kind


def _kinds_broken_down(form: str, pos: int, name: str, unit: str, target: bool,
                       rules: Rules, out: list) -> int:
    """The items of a breakdown by kind of a count with no qualifiers (行政执法案件34482件,其中,
    行政许可32424件,…;行政处罚2054件…): each a count of the same indicator, in the same unit,
    its kind the qualifier; an outcome (维持17件) or a stage (审结30件) ends the breakdown, as
    does a clause that is not `kind number unit` (8件还在审理中). Returns where it ends."""
    while (more := _KIND_ITEM.match(form, pos)) and more.group("unit") == unit:
        kind = more.group("q")
        # (a stage is a kind only with the cases' noun: 办结案件760件, not 审结30件)
        if ((_is_stage(kind, rules) and "案件" not in kind)
                or (rules.outcome_re and rules.outcome_re.search(kind))
                or any(w in kind for w in _SETTLED) or kind.startswith(_NOT_PLACES)
                or rules.gap_words.search(kind)):
            break
        st = _count(name, more.span("q"), more.span("q"), more.group("num"), more.group("wan"),
                    unit, more.start("q"), more.end("unit"), target)
        changes = _follow_change(form, st, more.end(), rules)   # 31件,同比增长10.7%
        out.append(st)
        out.extend(changes)
        pos = max([more.end()] + [c.end for c in changes])
    return pos


# (a note in brackets may stand before it: 34482件(作出执法决定案件数),其中,…)
_BREAKDOWN = re.compile(r"(?:[(（][^()（）]{0,24}[)）])?(?:\s?[,，;；]|\s)\s?其中[,，:：]?"
                        r"(?=\s?[\u3400-\u9fff])")


def _unless_bare(m: re.Match | None, rules: Rules) -> re.Match | None:
    """The match, unless its words are a kind's bare name (行政复议, 行政诉讼) and anything but
    共/合计 stands between them and the number: 行政复议14起 is a count, 行政复议决定书12份 not."""
    if m is None or m.group("w") not in rules.bare_words:
        return m
    return m if m.group("gap").strip() in _BARE_GAPS else None


_BARE_GAPS = ("", "共", "合计", "共计", "累计")
# words between a review's verb and its object that make it another work (规范性文件清理
# 审查, 备案审查)
_NOT_REVIEW = ("清理", "备案", "报备", "起草", "制定", "印发", "签订", "管理")


def _count_change(form: str, m: re.Match, rules: Rules, out: list) -> None:
    """The change of a count whose number is not stated (行政复议申请较上一年增长63%)."""
    gap = m.group("gap")
    word = _change_word(gap, rules)
    if word is None or _is_outcome(form, m.start("w"), gap, rules):
        return
    series = "分别" in gap
    if series:
        # 连续两年…一审行政案件分别递增5.2%和5.9%: one count's changes, year by year, when
        # its sentence names a run of years; else the values of several (两市…同比分别增长)
        s = max(form.rfind(c, 0, m.start()) for c in "。!！?？") + 1
        if not _YEAR_RUN.search(form, s, m.start("w")):
            return
        gap = gap.replace("分别", "", 1)
    head = gap.rstrip("了 ")
    if not head.endswith(word):
        return
    if not _CHANGE_HEAD.match(head[:-len(word)]):
        return              # 办理质量提高5%: the change of something else
    name = rules.count_names[m.group("w")]
    qual = _word_span(form, m.start("w"), m.end("w"), rules.count_qualifiers.get(name, ()))
    target = _is_target(form, m.start(), m.end(), rules)
    values = [(m.group("num"), m.group("unit"), m.end(), word)]
    while series and (more := rules.change_list.match(form, values[-1][2])):
        values.append((more.group("num"), more.group("unit"), more.end(),
                       more.group("word") or word))
    for num, unit, end, w in values:
        value = _num(num)
        out.append(Statement(indicator=name, wording=m.span("w"), qualifier=qual,
                             value=-value if any(d in w for d in rules.decrease_words)
                             else value, unit="%" if unit == "%" else "个百分点",
                             change=True, target=target, start=m.start(), end=end, kind=COUNT))
    if series:
        return
    level = rules.count_reached.match(form, m.end()) if rules.count_reached else None
    if level and not form.startswith(rules.bound_after + ("的",), level.end()) and not (
            level.group("unit") in rules.noun_units and _CJK.match(form[level.end():][:1])):
        # 行政复议案件同比增长12%,达到156件: the count it reached
        out.append(_count(name, m.span("w"), qual, level.group("num"), level.group("wan"),
                          level.group("unit"), m.start(), level.end(), target))
    # 工商领域行政复议案件数量下降38.3%,物价领域下降33.4%…: the other domains' changes listed
    part = next((p for p in rules.part_words
                 if form.endswith(p, max(0, m.start("w") - 4), m.start("w"))), None)
    pos = m.end()
    while part and (more := rules.part_change.match(form, pos)):
        if not more.group("q").endswith(part):
            break
        word = _change_word(more.group("gap"), rules)
        if word is None or not more.group("gap").rstrip("了 ").endswith(word):
            break
        value = _num(more.group("num"))
        out.append(Statement(indicator=name, wording=m.span("w"), qualifier=more.span("q"),
                             value=-value if any(d in word for d in rules.decrease_words)
                             else value, unit="%", change=True, target=target,
                             start=more.start("q"), end=more.end(), kind=COUNT))
        pos = more.end()


# a run of years a series of values goes through: 连续两年, 近三年, 2019年至2021年, 三年来
_YEAR_RUN = re.compile(r"(?:连续|近|过去)[两二三四五六七八九十\d]{1,2}个?年|"
                       r"(?:19|20)\d{2}\s?年?(?:至|到|-|—|~)(?:19|20)\d{2}\s?年|"
                       r"[两二三四五六七八九十]年(?:来|间|以来)|逐年|历年")
_YEAR_HEAD = re.compile(r"(?:(?:19|20)\d{2}年度?|当年|本年度?)?")


def _generic_change(form: str, m: re.Match, rules: Rules, out: list) -> None:
    """The change of the cases a noun without a kind names (受理案件同比去年下降38.5%, 案件量
    同比增长12%), opening its clause: of the indicator whose `subjects` word comes nearest
    before it in the paragraph (全区新收行政复议案件88件,…。受理案件同比去年下降38.5%), none
    without one. Words before it in the clause may only be a year, a qualifier (全年, 全市)
    or a subject word (行政复议受理案件…)."""
    head = _clause_head(form, m.start(), 12)
    rest = head[_YEAR_HEAD.match(head).end():]
    rest = next((rest[len(q):] for q in rules.qualifiers if rest.startswith(q)), rest)
    best = None
    for word, name in rules.subjects:
        at = form.rfind(word, 0, m.start())
        if at >= 0 and (best is None or at + len(word) > best[0]):
            best = (at + len(word), name, word)
    if best is None or (rest and not (best[0] == m.start() and rest.endswith(best[2]))):
        return
    gap = m.group("gap")
    word = _change_word(gap, rules)
    if (word is None or "分别" in gap or rules.gap_words.search(gap)
            or _is_outcome(form, m.start(), "", rules)):
        return          # 两市收案数同比分别增长…: the values of several, not of the report
    lead = gap.rstrip("了 ")
    if not lead.endswith(word) or not _CHANGE_HEAD.match(lead[:-len(word)]):
        return
    value = _num(m.group("num"))
    out.append(Statement(indicator=best[1], wording=m.span("w"), qualifier=(0, 0),
                         value=-value if any(d in word for d in rules.decrease_words) else value,
                         unit="%" if m.group("unit") == "%" else "个百分点", change=True,
                         target=_is_target(form, m.start(), m.end(), rules),
                         start=m.start(), end=m.end(), kind=COUNT))


# what may come before the change verb of a count without its number: 数量, 同比, 较上一年
_CHANGE_HEAD = re.compile(r"(?:(?:受理|受案|办理|收案|收件|案件)?(?:数量?|总数|总量|量))?"
                          r"(?:(?:同比|环比|较|比|与).*)?$")


def _clause_head(form: str, start: int, most: int) -> str:
    """The characters of the clause before `start`, at most `most` of them."""
    head = form[max(0, start - most):start]
    cut = max(head.rfind(c) for c in _SENTENCE_END + ",，:：")
    return head[cut + 1:]


def _follow_change(form: str, st: Statement, pos: int, rules: Rules) -> list[Statement]:
    """The change of count `st` in the next clause: 35件,同比上升3% / 599件(2019年320件),同比
    增长87.19% / 38件,较上年的27件增加40.7%, and a further one on top of it (已上升20.1%的
    基础上又上升44.7%); or its share of changes listed for the counts of the clauses before
    (69件,结案61件,同比分别上升76.9%和60.5%)."""
    follow = (rules.count_follow or rules.follow_change).match(form, pos)
    word = _change_word(follow.group("gap"), rules) if follow else None
    if word is not None and follow.group("gap").rstrip().endswith(rules.bound_words):
        return []       # 2805宗,同比增长超40%: a threshold of the change, no value
    if word is None or follow.group("unit") != "%":
        return _shared_change(form, st, pos, rules)

    def change(m, word):
        value = _num(m.group("num"))
        return Statement(indicator=st.indicator, wording=st.wording, qualifier=st.qualifier,
                         value=-value if any(d in word for d in rules.decrease_words)
                         else value, unit="%", change=True, target=st.target,
                         start=st.start, end=m.end(), kind=COUNT)
    if "分别" in follow.group("gap"):
        # 行政复议案件69件,行政诉讼案件40件,同比分别增长5%和6%: one value each of the counts
        # of the clauses before, this count's the last
        values, end = [follow], follow.end()
        while (more := rules.change_list.match(form, end)):
            if more.group("unit") != "%":
                break
            values.append(more)
            end = more.end()
        if len(values) > 1:
            clauses = re.split(r"[,，]", form[max(form.rfind(c, 0, st.start)
                                                   for c in _SENTENCE_END) + 1:st.start])
            before = [c for c in clauses[:-1] if rules.count_figure.search(c)]
            if len(before) < len(values) - 1 or not all(
                    rules.count_figure.search(c) for c in clauses[-len(values):-1]):
                return []
            last = values[-1]
            word = (last.groupdict().get("word") or word) if last is not follow else word
            return [change(last, word)]
    out = [change(follow, word)]
    more = rules.change_more.match(form, follow.end()) if rules.change_more else None
    word = _change_word(more.group("gap"), rules) if more else None
    if word is not None:
        out.append(change(more, word))
    return out


def _shared_change(form: str, st: Statement, pos: int, rules: Rules) -> list[Statement]:
    m = rules.shared_change.match(form, pos) if rules.shared_change else None
    if m is None:
        return []
    others = list(rules.count_figure.finditer(m.group("others")))
    values = 1 + len(re.findall(r"\d+(?:\.\d+)?\s?%", m.group("rest")))
    word = _change_word(m.group("gap"), rules)
    if word is None or values != 1 + len(others):
        return []
    value = _num(m.group("num"))
    return [Statement(indicator=st.indicator, wording=st.wording, qualifier=st.qualifier,
                      value=-value if any(d in word for d in rules.decrease_words) else value,
                      unit="%", change=True, target=st.target, start=st.start,
                      end=m.end("pct"), kind=COUNT)]


def _is_outcome(form: str, w_start: int, gap: str, rules: Rules) -> bool:
    """Whether a count counts outcomes of the cases, not the cases (驳回复议申请14件,
    行政诉讼案件败诉3件), or another noun of its gap (合法性审查业务培训2次)."""
    if gap and rules.gap_words.search(gap):
        return True
    head = _clause_head(form, w_start, 4)
    return bool(rules.outcome_re) and bool(rules.outcome_re.search(head))


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
    value = _num(num) * (10000 if wan else 1)
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
            for st in _statements_in(text, text, None, rules):
                rows.append((doc, st))
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
