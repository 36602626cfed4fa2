"""jieba's words of a query term: what the 模糊 (fuzzy) mode requires and marks.

jieba runs at query time only. The index is exact over characters (index/columns.py), so a
word is found wherever its characters occur, however jieba would segment the paragraph
around it: 出庭应诉率 in 模糊 mode is 出庭 + 应诉 + 率, each required, and finds 应诉出庭率.
"""
from __future__ import annotations

import re

# A token made only of whitespace, punctuation or symbols carries no meaning for matching.
_JUNK = re.compile(r"^[\s\W_]+$")


def _jieba():
    import jieba  # imported lazily: loading its dictionary takes about a second
    jieba.setLogLevel(60)
    return jieba


def segment_words(text: str) -> list[str]:
    """jieba words of `text` (accurate mode), lower-cased, without whitespace/punctuation."""
    return [w.lower() for w in _jieba().cut(text, HMM=True) if not _JUNK.match(w)]
