"""Portal metadata blocks: the key/value fields government sites print above a document
(issue 11, class 1), as list items, table rows or plain runs of label and value:

    - 索 引 号:4311230009/2025-00578 分 类:
    发文机关:
    双牌县教育局 发文日期:2025-02-25 15:58 - 名称:
    索引号 /2025-00251 生成日期 2025-01-16
    标 题 | 某县人民政府关于… |
    • 中文名: …
    [ 发布机构 ] 某区卫生健康委 [ 发布日期 ] 2026-01-13

Labels come from the `portal_labels` block of the configuration (each label mapped to the
field it fills). A label is read with blanks between its characters (标 题), with or without
a colon, when it starts the line or follows a separator (blank, |, -, •); its value runs to
the next label on the line or the end of its table cell, or, when the line ends right after the label, is the next line
up to its first label. A label is never part of a value.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

_SEPARATORS = " \t|丨-–—•·●○◆▪*[]［］【】"


@dataclass
class PortalField:
    field: str     # what it fills: issuer, title, published, dated, number, source
    label: str     # the label as configured (标题)
    value: str     # the value as the page prints it (rule form)
    line: int      # index of the line holding the value


@lru_cache(maxsize=8)
def _label_pattern(labels: tuple[str, ...]) -> re.Pattern:
    spaced = sorted(labels, key=len, reverse=True)
    alts = "|".join(r"\s*".join(map(re.escape, label)) for label in spaced)
    return re.compile(rf"(?:^|(?<=[{re.escape(_SEPARATORS)}]))({alts})\s*[::]?")


def _label_of(found: str, labels: tuple[str, ...]) -> str:
    bare = re.sub(r"\s", "", found)
    return next(label for label in labels if label == bare)


_CLOSING = {"[": "]", "［": "］", "【": "】"}


def _clean(value: str) -> str:
    """The value without the separators around it; a bracket the value closes itself stays
    ("[天政发〔2026〕7号]某市人民政府关于…": the document number the title begins with)."""
    out = value.strip(_SEPARATORS + "::")
    # a table cell ends the value: "黎侯镇人民政府 | 主题词:" (a label not configured after it)
    out = re.split(r"\s*[|丨]", out, maxsplit=1)[0]
    bare = value.strip(" \t|丨-–—•·●○◆▪*::")
    if bare[:1] in _CLOSING and _CLOSING[bare[0]] in bare and bare[1:] == out:
        return bare
    return out


def portal_fields(lines: list[str], cfg: dict, upto: int | None = None) -> list[PortalField]:
    """The labelled fields of the page head (the first `upto` lines, default all short
    lines before the body text), in page order."""
    mapping: dict[str, str] = cfg["portal_labels"]
    labels = tuple(mapping)
    pattern = _label_pattern(labels)
    out: list[PortalField] = []
    limit = len(lines) if upto is None else min(upto, len(lines))
    for i in range(limit):
        line = lines[i]
        if len(line) > cfg["chrome_max_chars"] or ("。" in line and len(line) > 60):
            continue
        hits = list(pattern.finditer(line))
        for n, m in enumerate(hits):
            stop = hits[n + 1].start() if n + 1 < len(hits) else len(line)
            value, where = _clean(line[m.end():stop]), i
            if not value and n + 1 == len(hits) and i + 1 < limit:
                # "发文机关:" at the end of a line: the value opens the next line.
                nxt = lines[i + 1]
                first = pattern.search(nxt)
                value, where = _clean(nxt[: first.start()] if first else nxt), i + 1
                if len(value) > cfg["chrome_max_chars"]:
                    value = ""
            if value:
                label = _label_of(m.group(1), labels)
                out.append(PortalField(mapping[label], label, value, where))
    return out
