"""Line rules shared by the Word and PDF extractors: heading markers and when two pieces of
text that the container broke apart belong to one paragraph."""
from __future__ import annotations

import re

# Headings of Chinese official documents (GB/T 9704 numbering): 一、 （一） 1. （1） ① 第一章,
# also written with half-width brackets or a full stop after the numeral.
HEADING_MARKER = re.compile(
    r"^\s*(?:"
    r"第[一二三四五六七八九十百零〇\d]+[章节条部分篇]"
    r"|[一二三四五六七八九十]{1,3}\s*[、.．]"
    r"|[（(]\s*[一二三四五六七八九十]{1,3}\s*[)）]"
    r"|\d{1,2}\s*[、．](?!\d)|\d{1,2}\.(?!\d)"
    r"|[（(]\s*\d{1,2}\s*[)）]"
    r"|[①-⑳]"
    r")")
# A line that ends one of these has ended its sentence (closing quotes/brackets may follow).
SENTENCE_END = re.compile(r"[。；;：:！!？?…][”’」』）)]*\s*$")


def starts_with_heading_marker(text: str) -> bool:
    return bool(HEADING_MARKER.match(text))


def ends_sentence(text: str) -> bool:
    return bool(SENTENCE_END.search(text))


def join_broken(pieces: list[str]) -> list[str]:
    """Pieces joined where the text rule says the break was not a paragraph end: the piece
    does not end a sentence and the next one does not start with a heading marker.

    Chinese text joins without a space; a space is kept only between two Latin letters/digits.
    """
    out: list[str] = []
    for piece in (p.strip() for p in pieces):
        if not piece:
            continue
        if out and not ends_sentence(out[-1]) and not starts_with_heading_marker(piece):
            out[-1] = join_two(out[-1], piece)
        else:
            out.append(piece)
    return out


def join_two(left: str, right: str) -> str:
    if left[-1:].isascii() and left[-1:].isalnum() and right[:1].isascii() and right[:1].isalnum():
        return f"{left} {right}"
    return left + right
