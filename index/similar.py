"""Near-duplicate signatures of paragraphs: what 相似段落 and 最早出处 are found with.

Two paragraphs are near-duplicates when the Jaccard similarity of their sets of character
shingles is at least `similar.threshold`, taken on their *similarity form*: the match form
(index/normalize.py) with every figure collapsed to one "0", the leading outline or item
marker ((一), 1., 一是) dropped and every place name of the gazetteer (index/places.py)
replaced by one placeholder, so a paragraph copied by a neighbouring county with its own
names and numbers is the same text. Only body paragraphs (kind "text") of at least
`min_chars` characters get a signature: headings, signatures and short lines are
formulaic everywhere.

The signature is datasketch's MinHash (scheme affine32: the shingle's 32-bit hash is mixed
with MurmurHash3's finalizer, then permutation k is a_k * h + b_k mod 2^32, minimum over the
shingles), computed here with numpy for a whole segment at once; `tests/test_similar.py`
checks it equals `datasketch.MinHash(num_perm, seed, hashfunc=shingle_hash32)`. Only the low
byte of each minimum is kept (b-bit minwise hashing, Li & König 2010): `num_perm` bytes a
paragraph. Two unequal minima agree in their low byte by chance with probability 1/256,
which `estimated_jaccard` corrects for; the bytes of `rows` consecutive minima form one LSH
band key (searcher/similar.py looks them up).

Arrays added to a segment's side arrays (index/columns.py): `sim_docs` (the local document
numbers that have a signature, ascending, uint32) and `sim_sig` (one row of `num_perm`
uint8 a document with a signature); the parameters they were made with go into the
segment's meta.json under "similar".
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from functools import lru_cache

import numpy as np

from .config import default_config
from .normalize import match_form

# 2^64 wraparound arithmetic in numpy and in the pure-Python reference alike.
_M32 = (1 << 32) - 1
_M64 = (1 << 64) - 1
_SHINGLE_MUL = 0x9E3779B97F4A7C15           # odd: a shingle's characters folded in order
_FMIX64 = (0xFF51AFD7ED558CCD, 0xC4CEB9FE1A85EC53)
_FMIX32 = (0x85EBCA6B, 0xC2B2AE35)           # datasketch's affine32 pre-mix (MurmurHash3)
_PLACE = "\u25a1"                           # □ stands for any place name
_CHUNK_SHINGLES = 8192                       # shingles per numpy block (fits in cache)


@dataclass(frozen=True)
class SignatureParams:
    """What a signature is made with (written into each segment's meta)."""
    shingle_chars: int = 3
    min_chars: int = 30
    num_perm: int = 64
    seed: int = 1
    mask_places: bool = True


@dataclass(frozen=True)
class SimilarConfig:
    signature: SignatureParams
    threshold: float = 0.8
    bands: int = 12
    rows: int = 5


def similar_config(config: dict | None = None) -> SimilarConfig:
    """The `similar:` block of the configuration, checked."""
    block = dict((config or default_config()).get("similar") or {})
    sig = SignatureParams(**{k: type(getattr(SignatureParams, k))(block[k])
                             for k in SignatureParams.__dataclass_fields__ if k in block})
    cfg = SimilarConfig(sig, float(block.get("threshold", 0.8)), int(block.get("bands", 12)),
                        int(block.get("rows", 5)))
    if not 0 < cfg.threshold <= 1:
        raise ValueError("similar.threshold 应在 0 到 1 之间")
    if not (1 <= cfg.rows <= 8 and cfg.bands >= 1 and cfg.bands * cfg.rows <= sig.num_perm):
        raise ValueError("similar.bands × similar.rows 不能超过 num_perm，且 rows 为 1 到 8")
    if sig.shingle_chars < 1 or sig.num_perm < 1:
        raise ValueError("similar.shingle_chars 与 num_perm 应为正整数")
    return cfg


def write_params() -> SignatureParams:
    """The signature parameters the writer uses: those of the packaged defaults. (The side
    arrays are built without the run's configuration in hand; each segment records what
    its signatures were made with, and the reader only compares like with like.)"""
    return similar_config(default_config()).signature


# ---------------------------------------------------------------------- similarity form

@lru_cache(maxsize=1)
def _marker_pattern() -> re.Pattern:
    """A leading outline or item marker, from the structure rules of the defaults."""
    sections = default_config()["sections"]
    alts = [m["pattern"] for m in sections["markers"]] + [sections["inline_marker"]]
    return re.compile("^(?:%s)" % "|".join("(?:%s)" % a for a in alts))


_FIGURE = re.compile(r"[0-9]+(?:\.[0-9]+)?")


@lru_cache(maxsize=1)
def _place_names() -> tuple[re.Pattern, dict[str, tuple[int, ...]], frozenset]:
    """(last characters of place names, name lengths by last two characters, the names):
    a name is looked for only where one of its last characters occurs, so masking costs in
    proportion to those positions, not to the text times the gazetteer."""
    from .places import load_gazetteer
    # one match_form over all names joined ("|" is a starter no name holds, and match_form
    # works character by character): ~50 ms where one call a name took ~0.3 s
    names = frozenset(match_form("|".join(load_gazetteer().by_name)).split("|")) - {""}
    by_tail: dict[str, set[int]] = {}
    for n in names:
        by_tail.setdefault(n[-2:], set()).add(len(n))
    ends = "".join(sorted({n[-1] for n in names}))
    return (re.compile("[%s]" % re.escape(ends)) if ends else re.compile("(?!)"),
            {t: tuple(sorted(v, reverse=True)) for t, v in by_tail.items()}, names)


def mask_places(text: str) -> str:
    """`text` (match form) with each gazetteer place name replaced by □, longest first."""
    ends, by_tail, names = _place_names()
    spans, floor = [], 0
    for m in ends.finditer(text):
        e = m.end()
        for length in by_tail.get(text[e - 2:e], ()):
            s = e - length
            if s >= floor and text[s:e] in names:
                spans.append((s, e))
                floor = e
                break
    if not spans:
        return text
    out, last = [], 0
    for s, e in spans:
        out += (text[last:s], _PLACE)
        last = e
    out.append(text[last:])
    return "".join(out)


def similarity_form(match_text: str, params: SignatureParams) -> str:
    """What signatures are computed on: figures collapsed, the leading marker dropped,
    place names masked (see the module docstring)."""
    text = _marker_pattern().sub("", _FIGURE.sub("0", match_text), count=1)
    return mask_places(text) if params.mask_places else text


# ---------------------------------------------------------------------- hashing

def shingle_hash32(shingle: str) -> int:
    """The 32-bit hash of one shingle (the `hashfunc` datasketch is given in the tests)."""
    key = _shingle_key(shingle)
    key ^= key >> 33
    key = (key * _FMIX64[0]) & _M64
    key ^= key >> 33
    key = (key * _FMIX64[1]) & _M64
    key ^= key >> 33
    return key & _M32


def shingles(text: str, k: int) -> list[str]:
    """The character k-shingles of `text` (the whole text when shorter than k)."""
    if len(text) <= k:
        return [text]
    return [text[i:i + k] for i in range(len(text) - k + 1)]


def shingle_hashes(texts: list[str], k: int) -> tuple[np.ndarray, np.ndarray]:
    """(uint32 hash of every shingle of every text, where each text's shingles start:
    len(texts) + 1 entries), equal to shingle_hash32 over shingles(text, k)."""
    lens = np.fromiter((len(t) for t in texts), dtype=np.int64, count=len(texts))
    counts = np.maximum(lens - k + 1, 1)
    starts = np.concatenate([[0], np.cumsum(counts)])
    if not len(texts):
        return np.zeros(0, np.uint32), starts
    cps = np.frombuffer("".join(texts).encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    cps = np.concatenate([cps, np.zeros(k, np.uint64)])
    # the key of the k characters from every position, then the positions that begin a
    # shingle of their own text
    span = len(cps) - k
    key = np.zeros(span, np.uint64)
    mul = np.uint64(_SHINGLE_MUL)
    with np.errstate(over="ignore"):
        for j in range(k):
            key *= mul
            key += cps[j:j + span]
        text_at = np.concatenate([[0], np.cumsum(lens)])
        first = np.repeat(text_at[:-1], counts) + (np.arange(int(starts[-1]))
                                                   - np.repeat(starts[:-1], counts))
        key = key[first]
        short = np.flatnonzero(lens < k)
        if len(short):          # texts shorter than a shingle are one shingle: themselves
            key[starts[short]] = [_shingle_key(texts[i]) for i in short.tolist()]
        for m in (_FMIX64[0], _FMIX64[1], None):
            key ^= key >> np.uint64(33)
            if m is not None:
                key *= np.uint64(m)
    return (key & np.uint64(_M32)).astype(np.uint32), starts


def _shingle_key(shingle: str) -> int:
    key = 0
    for ch in shingle:
        key = (key * _SHINGLE_MUL + ord(ch)) & _M64
    return key


@lru_cache(maxsize=8)
def permutations(num_perm: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """datasketch's affine32 permutation parameters (a, b), each (num_perm, 1) uint32: drawn
    here as datasketch 2.0 draws them (MinHash._init_permutations), since importing datasketch
    imports scipy, seconds that every `reportsearch index` run would pay (tests compare the
    signatures with datasketch's own MinHash)."""
    gen = np.random.RandomState(seed)
    a = gen.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = gen.randint(0, 1 << 32, num_perm, dtype=np.uint32)
    return a.reshape(-1, 1), b.reshape(-1, 1)


def _fmix32(h: np.ndarray) -> np.ndarray:
    h = h ^ (h >> np.uint32(16))
    h = h * np.uint32(_FMIX32[0])
    h ^= h >> np.uint32(13)
    h *= np.uint32(_FMIX32[1])
    h ^= h >> np.uint32(16)
    return h


def minhash_signatures(hashes: np.ndarray, starts: np.ndarray, num_perm: int,
                       seed: int) -> np.ndarray:
    """(texts, num_perm) uint32: datasketch's MinHash hash values of each text's shingle
    hashes hashes[starts[i]:starts[i+1]] (every text has at least one)."""
    n = len(starts) - 1
    out = np.empty((n, num_perm), np.uint32)
    if not n:
        return out
    a, b = permutations(num_perm, seed)
    mixed = _fmix32(hashes)
    ends = starts[1:]
    i = 0
    # one block reused: a fresh array of this size each time is a fresh mmap to fault in
    buf = np.empty(num_perm * _CHUNK_SHINGLES, np.uint32)
    with np.errstate(over="ignore"):
        while i < n:
            # texts i..j-1 together hold at most _CHUNK_SHINGLES shingles, or are one text
            j = max(i + 1, int(np.searchsorted(ends, starts[i] + _CHUNK_SHINGLES, "right")))
            lo, hi = int(starts[i]), int(starts[j])
            if hi - lo > _CHUNK_SHINGLES:
                block = a * mixed[lo:hi][None, :]
            else:
                block = buf[:num_perm * (hi - lo)].reshape(num_perm, hi - lo)
                np.multiply(a, mixed[lo:hi][None, :], out=block)
            block += b
            out[i:j] = np.minimum.reduceat(block, starts[i:j] - lo, axis=1).T
            i = j
    return out


def signature_arrays(kinds: list[str], matches: list[str],
                     params: SignatureParams | None = None) -> tuple[dict, dict]:
    """({"sim_docs", "sim_sig"}, meta) of a segment whose documents have these kinds and
    match forms, in document order."""
    params = params or write_params()
    docs = [i for i, (kind, text) in enumerate(zip(kinds, matches))
            if kind == "text" and len(text) >= params.min_chars]
    forms = [similarity_form(matches[i], params) for i in docs]
    hashes, starts = shingle_hashes(forms, params.shingle_chars)
    sig = minhash_signatures(hashes, starts, params.num_perm, params.seed)
    return ({"sim_docs": np.array(docs, dtype=np.uint32),
             "sim_sig": (sig & np.uint32(0xFF)).astype(np.uint8)},
            asdict(params))


def estimated_jaccard(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The Jaccard similarity of the sets behind uint8 signature rows `a` and `b` (row by
    row, broadcasting), estimated from the share of equal bytes, corrected for the chance
    agreement of b-bit minima (Li & König: J = (E - 1/256) / (1 - 1/256))."""
    equal = (a == b).mean(axis=-1)
    return np.clip((equal - 1 / 256) / (1 - 1 / 256), 0.0, 1.0)


def band_keys(sig: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """(docs, bands) uint64: the bytes of each band's `rows` minima as one key."""
    sig = np.ascontiguousarray(sig[:, :bands * rows]).reshape(len(sig), bands, rows)
    if rows < 8:
        sig = np.concatenate([sig, np.zeros((len(sig), bands, 8 - rows), np.uint8)], axis=2)
    return np.ascontiguousarray(sig).view("<u8").reshape(len(sig), bands)
