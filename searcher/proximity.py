"""Whether a paragraph's match form holds a proximity condition (`/s`, `NEAR/n`).

The index finds the paragraphs that contain every operand; these functions then read each
candidate's match-form text and check where the operands are. Both work on the match form
(NFKC, Simplified, whitespace removed), where the sentence ends 。！？； are 。!?;.
"""
from __future__ import annotations

import re

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


def near_checker(a: list[str], b: list[str], n: int):
    """within_chars(·, a, b, n) as one function of a text's UTF-8 bytes, for checking many
    candidates: a regular expression finds the common case (a word of one group, at most n
    characters, a word of the other) in C; only texts it does not settle (overlapping
    words, or no such pair) are walked occurrence by occurrence."""
    def alternatives(words):
        return "|".join(map(re.escape, sorted(set(words), key=len, reverse=True)))
    wa, wb = alternatives(a), alternatives(b)
    quick = re.compile(f"(?:{wa}).{{0,{n}}}(?:{wb})|(?:{wb}).{{0,{n}}}(?:{wa})", re.DOTALL)

    def holds(raw: bytes) -> bool:
        text = raw.decode("utf-8")
        return quick.search(text) is not None or within_chars(text, a, b, n)
    return holds
