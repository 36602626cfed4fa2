"""The batch check of /s and NEAR/n (all candidate texts at once, by positions) gives, text
by text, what the reference definitions give: short random texts over a tiny alphabet, so
that words overlap each other and themselves, sit at the ends of neighbouring texts and
straddle sentence ends."""
import random

import pytest

from searcher.proximity import in_one_sentence, texts_holding, within_chars

ALPHABET = "法治政府。!;a1"


def _texts(rng, count):
    return ["".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 14)))
            for _ in range(count)]


def _words(rng):
    return ["".join(rng.choice("法治政府a") for _ in range(rng.randint(1, 3)))
            for _ in range(rng.randint(1, 2))]


@pytest.mark.parametrize("n", [0, 1, 3, 8])
def test_near_over_many_texts_equals_within_chars_text_by_text(n):
    rng = random.Random(n)
    for _ in range(150):
        texts, a, b = _texts(rng, rng.randint(1, 12)), _words(rng), _words(rng)
        got = texts_holding([t.encode() for t in texts], [a, b], str(n)).tolist()
        assert got == [within_chars(t, a, b, n) for t in texts], (texts, a, b)


@pytest.mark.parametrize("groups", [2, 3])
def test_same_sentence_over_many_texts_equals_in_one_sentence_text_by_text(groups):
    rng = random.Random(groups)
    for _ in range(200):
        texts = _texts(rng, rng.randint(1, 12))
        words = [_words(rng) for _ in range(groups)]
        if rng.random() < 0.2:
            words[0].append("治。政")         # a word holding a sentence end never matches
        got = texts_holding([t.encode() for t in texts], words, "s").tolist()
        assert got == [in_one_sentence(t, words) for t in texts], (texts, words)


def test_a_word_longer_than_all_the_texts_is_simply_absent():
    # an OR group's long alternative beside a short candidate that begins like it
    texts = ["法治".encode()]
    assert texts_holding(texts, [["法治", "法治政府"], ["治"]], "0").tolist() == [True]
    for within in ("3", "s"):
        assert texts_holding(texts, [["法治政府"], ["治"]], within).tolist() == [False]
