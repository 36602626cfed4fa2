from __future__ import annotations

from functools import lru_cache
import re

from ..config import load_config

_LEVEL_OF_DEPTH = {"province": "省级", "city": "市级", "county": "县级", "town": "乡镇级"}
_LEVEL_RANK = {"省级": 0, "市级": 1, "县级": 2, "乡镇级": 3}

_CN_DIGIT = {"〇": 0, "零": 0, "○": 0, "O": 0, "o": 0, "0": 0, "一": 1, "二": 2, "三": 3,
             "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_NUM = "〇零○Oo0一二三四五六七八九"
_DATE_AR = r"((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
_DATE_CN = rf"([{_CN_NUM}]{{4}})\s*年\s*([一二三四五六七八九十]{{1,3}})\s*月\s*([一二三四五六七八九十]{{1,3}})\s*日"
_DATE_AR_RE = re.compile(_DATE_AR)
_DATE_CN_RE = re.compile(_DATE_CN)
_SIGN_DATE_AR_RE = re.compile(r"((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_YEAR_RE = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年")
_CN_YEAR_RE = re.compile(rf"([{_CN_NUM}]{{4}})\s*年")
# A year that is one end of a period: 2021—2025年, 2021-2025年, 2021年至2025年.
_RANGE_BEFORE = re.compile(r"\d{4}\s*年?\s*[-—–~～至到－]+\s*$")
_RANGE_AFTER = re.compile(r"^\s*(?:年度?)?\s*[-—–~～至到－]+\s*\d{4}")
_CJK_NAME = re.compile(r"[\u4e00-\u9fff()()]{2,40}")
_HEADING_START = re.compile(r"^([一二三四五六七八九十]+[、.]|\d+[、.]|[((][一二三四五六七八九十\d]+[))])")
# "在市委、市政府的坚强领导下" names the superiors, not the issuer.
_UNDER_CLAUSE = re.compile(r"在[^,,。;;]*?(领导|指导|支持|监督|关心)[^,,。;;]*?下")
# …and so do its reports to them, their meetings and what it follows of theirs: 向自治区政府
# 报送, 自治区党委十届六次全会部署, 自治区第十次党代会, 按照党中央、自治区党委工作部署.
_SUPERIOR_CLAUSE = re.compile(
    _UNDER_CLAUSE.pattern
    + r"|向[^,,。;;]{0,16}?(?:报送|报告|汇报|提交|请示)"
    + r"|(?:按照|根据|贯彻落实|贯彻|落实)[^,,。;;]{0,40}(?:部署|要求|安排|精神|决策)"
    + r"|(?:党委|政府)[^,,。;;、]{0,10}?(?:全会|党代会|会议|部署|决策|要求|精神)"
    + r"|第[一二三四五六七八九十]+次党代会")


def without_superiors(text: str) -> str:
    """`text` without the clauses that speak of the issuer's superiors (see above)."""
    return _SUPERIOR_CLAUSE.sub("", text)
_ADDRESSEE_RE = re.compile(r"(.{2,40}?)\s*[::]")


@lru_cache(maxsize=1)
def _defaults() -> dict:
    return load_config()  # parsed once: callers without a config would re-read the YAML


def _metadata_config(config: dict | None) -> tuple[dict, dict]:
    config = config if config is not None else _defaults()
    if "metadata" not in config or "levels" not in config:
        config = {**_defaults(), **config}
    return config["metadata"], config.get("levels") or {}



# A mirror that glosses characters with their pinyin ("自治區(qū)人民政府", "領(lǐng)導"): the
# glosses break every name and word the rules read, so they are read without them.
_PINYIN_GLOSS = re.compile(r"(?<=[\u4e00-\u9fff])\((?=[a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ])"
                           r"[a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ]{1,6}\)")


def without_pinyin_glosses(lines: list[str], least: int = 3) -> list[str]:
    """The lines without the pinyin glosses a mirror writes after characters (區(qū) -> 區),
    when the page has at least `least` of them (one "(lǐ)" may be the report's own)."""
    if sum(len(_PINYIN_GLOSS.findall(line)) for line in lines) < least:
        return lines
    return [_PINYIN_GLOSS.sub("", line) for line in lines]


def _is_body_text(line: str) -> bool:
    return len(line) >= 60 and ("。" in line or "," in line)
