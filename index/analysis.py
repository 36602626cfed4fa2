"""Word segmentation for the Whoosh word field.

Whoosh pickles a field's analyzer into the index's TOC, so the tokenizer is a module-level
class that can be imported again when the index is opened.

jieba's own `jieba.analyse.ChineseAnalyzer` reports character offsets as token positions, so
phrase queries on it return nothing; `WordTokenizer` numbers words 0, 1, 2, … instead.
"""
from __future__ import annotations

import re
import unicodedata

from whoosh.analysis import Token, Tokenizer

# Separates words in text that was already segmented (by the writer's worker pool); text
# containing it is split on it instead of being run through jieba again.
WORD_SEP = "\x1f"

# A token made only of whitespace, punctuation or symbols carries no meaning for ranking.
_JUNK = re.compile(r"^[\s\W_]+$")


def _jieba():
    import jieba  # imported lazily: loading its dictionary takes about a second
    jieba.setLogLevel(60)
    return jieba


def segment_words(text: str) -> list[str]:
    """jieba words of `text` (accurate mode), lower-cased, without whitespace/punctuation."""
    return [w.lower() for w in _jieba().cut(text, HMM=True) if not _JUNK.match(w)]


def presegmented(text: str) -> str:
    """`text` as the writer feeds it to the word field: its words joined by WORD_SEP."""
    return WORD_SEP + WORD_SEP.join(segment_words(text))


class WordTokenizer(Tokenizer):
    """Words of a text with sequential positions (for phrase and proximity queries)."""

    def __eq__(self, other):
        return other.__class__ is self.__class__

    def __call__(self, value, positions=False, chars=False, keeporiginal=False,
                 removestops=True, start_pos=0, start_char=0, tokenize=True, mode="",
                 **kwargs):
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            words = [value]
        elif WORD_SEP in value:
            words = [w for w in value.split(WORD_SEP) if w]
        else:
            words = segment_words(unicodedata.normalize("NFKC", value))
        # Character offsets are not kept: highlighting works on the stored display text.
        for pos, word in enumerate(words):
            t.text = word
            t.boost = 1.0
            t.stopped = False
            if keeporiginal:
                t.original = word
            if positions:
                t.pos = start_pos + pos
            if chars:
                t.startchar = t.endchar = start_char
            yield t
