"""Whether a paragraph's match form holds a proximity condition (`/s`, `NEAR/n`).

The index finds the paragraphs that contain every operand; `texts_holding` then checks, for
all those candidates at once, where the operands are in their match-form text (NFKC,
Simplified, whitespace removed; the sentence ends 。！？； are 。!?; there). in_one_sentence and
within_chars are the definitions it is tested against, one text at a time.
"""
from __future__ import annotations

import re

import numpy as np

SENTENCE_END = re.compile(r"[。!?;]")


def sentences(text: str) -> list[str]:
    """The sentences of a match-form text (ends at 。!?; and at the end of the text)."""
    return SENTENCE_END.split(text)


def in_one_sentence(text: str, groups: list[list[str]]) -> bool:
    """Some sentence contains, for every group, one of its words."""
    return any(all(any(w in s for w in words) for words in groups) for s in sentences(text))


def occurrences(text: str, word: str) -> list[int]:
    """Start of every occurrence of `word` in `text`, overlapping ones included."""
    out, i = [], text.find(word)
    while i >= 0:
        out.append(i)
        i = text.find(word, i + 1)
    return out


def within_chars(text: str, a: list[str], b: list[str], n: int) -> bool:
    """Some occurrence of a word of `a` and one of a word of `b` have at most `n` characters
    between them (either order; overlapping occurrences count)."""
    spans_b = [(j, j + len(w)) for w in b for j in occurrences(text, w)]
    if not spans_b:
        return False
    for w in a:
        for i in occurrences(text, w):
            end = i + len(w)
            for j, j_end in spans_b:
                if j - end <= n and i - j_end <= n:
                    return True
    return False


def _spans_of(chars: np.ndarray, words: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """(starts, ends) of every occurrence, overlapping ones included, of any of `words` in
    the code points `chars`, sorted by start: one comparison pass for each word's first
    character, then its other characters checked at those places only."""
    starts, ends = [], []
    for w in set(words):
        code = np.array([ord(c) for c in w], np.uint32)
        at = np.flatnonzero(chars[:max(0, len(chars) - len(w) + 1)] == code[0])
        for k in range(1, len(w)):
            at = at[chars[at + k] == code[k]]
        starts.append(at)
        ends.append(at + len(w))
    if not starts:
        return _NONE, _NONE
    starts, ends = np.concatenate(starts), np.concatenate(ends)
    order = np.argsort(starts, kind="stable")
    return starts[order], ends[order]


_NONE = np.zeros(0, np.int64)


def texts_holding(texts: list[bytes], groups: list[list[str]], within: str) -> np.ndarray:
    """Per UTF-8 match-form text: whether it holds `g1 /s g2 /s …` (within "s") or
    `g1 NEAR/n g2` (within "n"), exactly as in_one_sentence and within_chars define them,
    checked for all the texts at once: the texts are joined by NUL, every operand word is
    found once over the whole, and the positions are compared with array operations, so
    the cost follows the number of occurrences, not a Python step per text."""
    out = np.zeros(len(texts), dtype=bool)
    if not texts:
        return out
    chars = np.frombuffer(b"\x00".join(texts).decode("utf-8").encode("utf-32-le"), np.uint32)
    text_start = np.concatenate(([0], np.flatnonzero(chars == 0) + 1))
    if within == "s":
        is_bound = chars == 0
        for c in _SENTENCE_BOUNDS:                  # (np.isin sorts; five passes are faster)
            is_bound |= chars == c
        bounds = np.flatnonzero(is_bound)
        common = None
        for words in groups:
            # a word holding a sentence end is never inside one sentence
            starts, _ = _spans_of(chars, [w for w in words if not SENTENCE_END.search(w)])
            sid = np.searchsorted(bounds, starts)        # ascending, as the starts are
            sid = sid[np.concatenate(([True], sid[1:] != sid[:-1]))] if len(sid) else sid
            common = sid if common is None else np.intersect1d(common, sid, assume_unique=True)
        if common is not None and len(common):
            # sentence k runs from the boundary before it; its text holds that position
            first = np.where(common > 0, bounds[np.maximum(common - 1, 0)] + 1, 0)
            out[np.searchsorted(text_start, first, side="right") - 1] = True
        return out
    n = int(within)
    a_start, a_end = _spans_of(chars, groups[0])
    b_start, b_end = _spans_of(chars, groups[1])
    if not len(a_start) or not len(b_start):
        return out
    # within_chars: some b with b_start <= a_end + n and b_end >= a_start - n, in a's text.
    # Bounding b_start by the text's end and b_end by its start keeps other texts out: of
    # the b's starting by the bound, the one ending last is in a's text whenever any is.
    tid = np.searchsorted(text_start, a_start, side="right") - 1
    text_end = np.append(text_start[1:] - 1, len(chars))[tid]
    upto = np.searchsorted(b_start, np.minimum(a_end + n, text_end), side="right") - 1
    latest_end = np.maximum.accumulate(b_end)
    ok = (upto >= 0) & (latest_end[np.maximum(upto, 0)] >= np.maximum(a_start - n,
                                                                      text_start[tid]))
    out[tid[ok]] = True
    return out


# the sentence ends of the match form, as code points (NUL, between joined texts, ends too)
_SENTENCE_BOUNDS = [ord(c) for c in "。!?;"]
