"""Side arrays kept next to each Whoosh segment: what exact search and facets read in bulk.

Whoosh is the source of truth; for every segment the writer also writes, before the commit
that makes the segment visible, a folder `<index_dir>/cols/<segment_id>/` with
- `text.txt`: the match form (index.normalize.match_form) of every document, joined by NUL,
  UTF-8; `byte_starts.npy`: where each document's text begins in it (in bytes; n+1
  entries), and `starts.npy` the same in characters (document lengths for BM25). Searchers
  memory-map this file instead of holding the text as a Python string (a string with one
  character beyond U+FFFF takes 4 bytes for every character);
- `display.bin`: every document's display text (the report's own characters, what users see,
  copy and cite), each compressed on its own with zlib under one preset dictionary of the
  segment's text (`display.dict`: paragraphs of one corpus share much wording, so a
  paragraph alone compresses about as well as a block, and reading one hit decompresses
  only it); `display_starts.npy`: where each begins (n+1 entries); likewise each distinct
  section path (the headings above a paragraph, joined by U+001F) in `paths.bin` /
  `path_starts.npy`, and `path_code.npy` the path of every document;
- per-document columns: `kind`, `ordinal`, `report` (index into the segment's report list)
  and one code array per facet field (index into that field's value list in `meta.json`);
- a character n-gram inverted index: `gram_keys.npy` (sorted uint64 keys of every unigram
  and bigram), `gram_starts.npy` (where each key's postings begin, in postings), and the
  postings themselves, compressed: a key's document numbers (ascending) are its first one
  (`gram_first.npy`) and the gaps to the rest, each gap in the fewest bytes that hold the
  key's largest gap (1, 2 or 4: `gram_width.npy`), concatenated in `gram_gaps.npy` from
  byte `gram_offsets.npy[i]`. Occurrences per document: four in five are 1, so
  `gram_tf_more.npy` is one bit a posting (set where the count is above 1) and
  `gram_tf_extra.npy` the counts of those postings (uint8, capped at 255), in posting order;
  `gram_tf_rank.npy[i]` says how many such postings come before key i. Dense keys (的, 法治)
  take about 1.3 bytes a posting, and a key's list is decoded with one numpy cumsum.

Everything is computed with numpy over the whole segment at once, never per gram in Python.
Arrays are saved as plain .npy files so a searcher can memory-map them.
"""
from __future__ import annotations

import errno
import json
import mmap
import os
import shutil
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

# Per-document categorical columns (index/fields.py says which); "" means unknown.
from .fields import CODE_FIELDS
from .similar import signature_arrays
from .indicators import STATEMENT_ARRAYS as _STATEMENT_ARRAYS, segment_arrays

KINDS = ("text", "heading", "report", "signature")   # codes are stored: append only
KIND_CODE = {k: i for i, k in enumerate(KINDS)}

# Gram key = first codepoint << 21 | second codepoint (0 for a unigram): codepoints are below
# 2**21, and NUL never occurs in match-form text, so unigram and bigram keys never collide.
# A posting packs key << 22 | document number while sorting, so a segment holds < 2**22 docs.
_CP_BITS = 21
_DOC_BITS = 22
MAX_SEGMENT_DOCS = (1 << _DOC_BITS) - 1
SEP = "\x00"
PATH_SEP = "\x1f"       # between the headings of a section path (never in a heading)


def clean_match_text(text: str) -> str:
    """Match-form text safe to join with SEP."""
    return text.replace(SEP, " ") if SEP in text else text


def gram_key(gram: str) -> int:
    """The key of a 1- or 2-character gram."""
    if len(gram) == 1:
        return ord(gram) << _CP_BITS
    return (ord(gram[0]) << _CP_BITS) | ord(gram[1])


def term_gram_keys(term: str) -> list[int]:
    """Distinct keys whose postings a document containing `term` must all be in."""
    if len(term) == 1:
        return [gram_key(term)]
    return sorted({gram_key(term[i:i + 2]) for i in range(len(term) - 1)})


def build_gram_index(texts: list[str]) -> dict[str, np.ndarray]:
    """Unigram + bigram postings (keys, starts, compressed docs, tf) of `texts`, vectorized."""
    lens = np.fromiter((len(t) for t in texts), dtype=np.int64, count=len(texts))
    if len(texts) > MAX_SEGMENT_DOCS:
        raise ValueError("too many documents for one segment")
    cps = np.frombuffer("".join(texts).encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    docs = np.repeat(np.arange(len(texts), dtype=np.uint64), lens)
    uni = (cps << np.uint64(_CP_BITS + _DOC_BITS)) | docs
    same = docs[:-1] == docs[1:]
    bi = ((cps[:-1][same] << np.uint64(_CP_BITS + _DOC_BITS))
          | (cps[1:][same] << np.uint64(_DOC_BITS)) | docs[:-1][same])
    del cps, same
    packed, tf = np.unique(np.concatenate([uni, bi]), return_counts=True)
    del uni, bi, docs
    keys_all = packed >> np.uint64(_DOC_BITS)
    post_docs = (packed & np.uint64(MAX_SEGMENT_DOCS)).astype(np.int64)
    del packed
    keys, first = np.unique(keys_all, return_index=True)
    del keys_all
    starts = np.append(first, len(post_docs)).astype(np.int64)
    return {"gram_keys": keys, "gram_starts": starts,
            **_compressed_docs(post_docs, starts), **_compressed_tf(tf, starts)}


def _compressed_tf(tf: np.ndarray, starts: np.ndarray) -> dict[str, np.ndarray]:
    more = tf > 1
    rank = np.concatenate([[0], np.cumsum(more)])[starts].astype(np.int64)
    return {"gram_tf_more": np.packbits(more), "gram_tf_rank": rank,
            "gram_tf_extra": np.minimum(tf[more], 255).astype(np.uint8)}


def decode_tf(more: np.ndarray, extra: np.ndarray, rank: int, start: int, end: int) -> np.ndarray:
    """The occurrence counts of postings start..end (of a key whose postings begin there)."""
    first = start - start % 8
    bits = np.unpackbits(more[first // 8:(end + 7) // 8])[start - first:end - first]
    tf = np.ones(end - start, dtype=np.uint8)
    where = np.flatnonzero(bits)
    tf[where] = extra[rank:rank + len(where)]
    return tf


def _compressed_docs(post_docs: np.ndarray, starts: np.ndarray) -> dict[str, np.ndarray]:
    """Each key's ascending document numbers as its first one plus gaps of a per-key width."""
    n_keys = len(starts) - 1
    if not n_keys:
        return {"gram_first": np.zeros(0, np.uint32), "gram_width": np.zeros(0, np.uint8),
                "gram_offsets": np.zeros(1, np.int64), "gram_gaps": np.zeros(0, np.uint8)}
    heads = starts[:-1]
    gaps = np.empty_like(post_docs)
    gaps[0] = 0
    gaps[1:] = post_docs[1:] - post_docs[:-1]
    gaps[heads] = 0                                  # a list's first posting is not a gap
    largest = np.maximum.reduceat(gaps, heads)
    width = np.where(largest < 1 << 8, 1, np.where(largest < 1 << 16, 2, 4)).astype(np.uint8)
    counts = np.diff(starts)
    sizes = (counts - 1) * width
    offsets = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)
    out = np.zeros(int(offsets[-1]), np.uint8)
    key_of = np.repeat(np.arange(n_keys), counts)
    index_in_list = np.arange(len(post_docs)) - np.repeat(heads, counts)
    for w, dtype in ((1, np.uint8), (2, np.uint16), (4, np.uint32)):
        sel = (width[key_of] == w) & (index_in_list > 0)
        if not sel.any():
            continue
        at = offsets[key_of[sel]] + (index_in_list[sel] - 1) * w
        raw = gaps[sel].astype("<" + np.dtype(dtype).str[1:]).view(np.uint8).reshape(-1, w)
        out[(at[:, None] + np.arange(w)).ravel()] = raw.ravel()
    return {"gram_first": post_docs[heads].astype(np.uint32), "gram_width": width,
            "gram_offsets": offsets, "gram_gaps": out}


def decode_docs(first: int, width: int, gaps: np.ndarray) -> np.ndarray:
    """A key's document numbers from its first one and its gap bytes."""
    steps = gaps.view("<u%d" % width) if width > 1 else gaps
    docs = np.empty(len(steps) + 1, dtype=np.uint32)
    docs[0] = first
    np.cumsum(steps, dtype=np.uint32, out=docs[1:])
    docs[1:] += np.uint32(first)
    return docs


@dataclass
class ColumnDoc:
    """What the side arrays need to know about one Whoosh document."""
    kind: str
    ordinal: int
    report_id: str
    match: str                  # match form of the paragraph (empty for a report doc)
    values: dict                # CODE_FIELDS -> str ("" when unknown)
    display: str = ""           # the paragraph's own text (empty for a report doc)
    section_path: tuple = ()    # the headings above it, outermost first


# The preset dictionary: zlib reads at most the last 32 KB of it, and the end is the cheapest
# to refer to. Filled from texts spread over the segment. Level 3: measured on the benchmark
# corpus, level 6 compresses 4% smaller for 2.4x the time (69 against 29 µs a paragraph on a
# loaded machine), level 1 14% larger for about the same time.
DICT_BYTES = 32 * 1024
DISPLAY_LEVEL = 3


def display_dictionary(displays: list[str]) -> bytes:
    """A preset dictionary of a segment's display texts: paragraphs taken evenly over it
    until DICT_BYTES are filled."""
    texts = [t for t in displays if t]
    if not texts:
        return b""
    step = max(1, len(texts) // 400)
    out, size = [], 0
    for t in texts[::step]:
        b = t.encode("utf-8")
        out.append(b)
        size += len(b)
        if size >= DICT_BYTES:
            break
    return b"".join(out)[-DICT_BYTES:]


# Raw deflate (no zlib header): its dictionary is set when the stream object is made, so a
# reader keeps one primed decompressor and copies it per text (~2 µs, against ~15 µs for
# setting a 32 KB dictionary each time).
def _raw_compressor(zdict: bytes):
    return zlib.compressobj(DISPLAY_LEVEL, zlib.DEFLATED, -15, **({"zdict": zdict} if zdict else {}))


def _raw_decompressor(zdict: bytes):
    return zlib.decompressobj(-15, **({"zdict": zdict} if zdict else {}))


def compress_displays(displays: list[str], zdict: bytes) -> tuple[bytes, np.ndarray]:
    """(blob, starts): each text compressed alone under `zdict`; an empty text is 0 bytes."""
    parts = []
    base = _raw_compressor(zdict)
    for t in displays:
        if not t:
            parts.append(b"")
            continue
        c = base.copy()
        parts.append(c.compress(t.encode("utf-8")) + c.flush())
    lens = np.fromiter((len(b) for b in parts), dtype=np.int64, count=len(parts))
    return b"".join(parts), _smallest(np.concatenate([[0], np.cumsum(lens)]).astype(np.int64))


def build_columns(docs: list[ColumnDoc], reports: dict[str, dict]) -> tuple[dict, dict]:
    """(arrays, meta) for a segment whose documents are `docs` in document-number order.

    `reports` maps report_id -> {"title": match-form title, "issuer": match-form issuer,
    "file", "content_hash", "file_sig": what incremental indexing compares}.
    """
    texts = [clean_match_text(d.match) for d in docs]
    arrays = build_gram_index(texts)
    lens = np.fromiter((len(t) for t in texts), dtype=np.int64, count=len(texts))
    arrays["starts"] = _smallest(np.concatenate([[0], np.cumsum(lens + 1)]))
    blens = np.fromiter((len(t.encode("utf-8")) for t in texts), dtype=np.int64,
                        count=len(texts))
    arrays["byte_starts"] = _smallest(np.concatenate([[0], np.cumsum(blens + 1)]))
    arrays["kind"] = np.array([KIND_CODE[d.kind] for d in docs], dtype=np.uint8)
    arrays["ordinal"] = _smallest(np.array([d.ordinal for d in docs], dtype=np.int64))
    report_ids = sorted({d.report_id for d in docs})
    rindex = {r: i for i, r in enumerate(report_ids)}
    arrays["report"] = np.array([rindex[d.report_id] for d in docs], dtype=np.int32)
    vocab = {}
    for field in CODE_FIELDS:
        values = sorted({d.values.get(field) or "" for d in docs})
        code = {v: i for i, v in enumerate(values)}
        arrays["f_" + field] = _smallest(np.array([code[d.values.get(field) or ""]
                                                   for d in docs], dtype=np.int64))
        vocab[field] = values
    meta = {"n": len(docs), "vocab": vocab,
            "reports": [{"id": r, **reports.get(r, {})} for r in report_ids]}
    # near-duplicate signatures (index/similar.py): sim_docs, sim_sig, and their parameters
    sim_arrays, meta["similar"] = signature_arrays([d.kind for d in docs], texts)
    arrays.update(sim_arrays)
    # --- indicators (issue 13): the figures every document states, spans in match form
    statement_arrays, meta["indicators"] = segment_arrays(texts)
    arrays.update(statement_arrays)
    # ---
    displays = [d.display for d in docs]
    zdict = display_dictionary(displays)
    blob, arrays["display_starts"] = compress_displays(displays, zdict)
    path_of = {"": 0}
    path_code = np.fromiter((path_of.setdefault(PATH_SEP.join(d.section_path), len(path_of))
                             for d in docs), dtype=np.int64, count=len(docs))
    arrays["path_code"] = _smallest(path_code)
    paths, arrays["path_starts"] = compress_displays(list(path_of), zdict)
    return arrays, {"meta": meta, "text": SEP.join(texts) + SEP, "display": blob,
                    "display_dict": zdict, "paths": paths}


def _smallest(values: np.ndarray) -> np.ndarray:
    """Non-negative integers in the narrowest unsigned type that holds them (readers widen
    what they compute with)."""
    top = int(values.max()) if len(values) else 0
    for dtype in (np.uint8, np.uint16, np.uint32):
        if top <= np.iinfo(dtype).max:
            return values.astype(dtype)
    return values.astype(np.int64)


def column_docs(cols: "SegmentColumns", locals_: list[int]) -> tuple[list[ColumnDoc], dict]:
    """The records of some of a segment's documents, as build_columns takes them (a merge
    rebuilds a segment's arrays from the arrays of the segments it folds in), and their
    reports' records (as build_columns takes them)."""
    vocab = cols.meta["vocab"]
    reports = cols.meta["reports"]
    codes = {f: np.asarray(cols["f_" + f]) for f in CODE_FIELDS}
    kind, ordinal, report = (np.asarray(cols[n]) for n in ("kind", "ordinal", "report"))
    docs = [ColumnDoc(KINDS[int(kind[i])], int(ordinal[i]), reports[int(report[i])]["id"],
                      cols.doc_bytes(i).decode("utf-8"),
                      {f: vocab[f][int(codes[f][i])] for f in CODE_FIELDS},
                      cols.display_text(i), tuple(cols.section_path(i)))
            for i in locals_]
    used = {int(report[i]) for i in locals_}
    return docs, {reports[r]["id"]: {k: v for k, v in reports[r].items() if k != "id"}
                  for r in used}


def write_columns(cols_root: str | Path, segment_id: str, arrays: dict, extra: dict) -> Path:
    """Write a segment's side arrays atomically (temp folder, then rename)."""
    cols_root = Path(cols_root)
    final = cols_root / segment_id
    tmp = cols_root / (segment_id + ".tmp")
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir(parents=True)
    for name, arr in arrays.items():
        try:
            np.save(tmp / f"{name}.npy", arr, allow_pickle=False)
        except OSError as exc:
            # numpy reports a short write ("N requested and M written") without an errno:
            # that is a full disk, and must be reported as one
            if exc.errno is None:
                raise OSError(errno.ENOSPC, f"{os.strerror(errno.ENOSPC)} ({exc})") from exc
            raise
    (tmp / "text.txt").write_text(extra["text"], encoding="utf-8")
    (tmp / "display.bin").write_bytes(extra["display"])
    (tmp / "display.dict").write_bytes(extra["display_dict"])
    (tmp / "paths.bin").write_bytes(extra["paths"])
    (tmp / "meta.json").write_text(json.dumps(extra["meta"], ensure_ascii=False),
                                   encoding="utf-8")
    for f in tmp.iterdir():
        with open(f, "rb") as fh:
            os.fsync(fh.fileno())
    if final.exists():
        shutil.rmtree(final)
    os.replace(tmp, final)
    return final


@dataclass
class SegmentColumns:
    segment_id: str
    meta: dict
    blob: bytes | mmap.mmap     # text.txt: match-form texts, UTF-8, NUL-separated
    arrays: dict
    display_blob: bytes | mmap.mmap = b""   # display.bin
    display_dict: bytes = b""               # display.dict
    path_blob: bytes = b""                  # paths.bin

    def __post_init__(self):
        self._inflate = _raw_decompressor(self.display_dict)
        self._paths: dict[int, tuple[str, ...]] = {}   # a section's paragraphs share its path

    def __getitem__(self, name):
        return self.arrays[name]

    def doc_bytes(self, local: int) -> bytes:
        """The UTF-8 match form of one document (UTF-8 is self-synchronizing, so a byte
        substring test is exactly a character substring test)."""
        starts = self.arrays["byte_starts"]
        return self.blob[int(starts[local]):int(starts[local + 1]) - 1]

    def display_text(self, local: int) -> str:
        """The display text of one document (the report's own characters)."""
        return self._decompressed(self.display_blob, self.arrays["display_starts"], local)

    def section_path(self, local: int) -> list[str]:
        """The headings above one document, outermost first."""
        code = int(self.arrays["path_code"][local])
        path = self._paths.get(code)
        if path is None:
            joined = self._decompressed(self.path_blob, self.arrays["path_starts"], code)
            path = tuple(joined.split(PATH_SEP)) if joined else ()
            if len(self._paths) > 65536:
                self._paths.clear()
            self._paths[code] = path
        return list(path)

    def _decompressed(self, blob, starts, i: int) -> str:
        a, e = int(starts[i]), int(starts[i + 1])
        if a == e:
            return ""
        d = self._inflate.copy()
        return (d.decompress(blob[a:e]) + d.flush()).decode("utf-8")

    def postings(self, key: int) -> tuple[np.ndarray, np.ndarray]:
        """(local doc numbers, tf) of a gram key; empty arrays when absent."""
        a = self.arrays
        keys = a["gram_keys"]
        i = int(np.searchsorted(keys, key))
        if i >= len(keys) or int(keys[i]) != key:
            return _EMPTY_U32, _EMPTY_U8
        s, e = int(a["gram_starts"][i]), int(a["gram_starts"][i + 1])
        off, width = int(a["gram_offsets"][i]), int(a["gram_width"][i])
        docs = decode_docs(int(a["gram_first"][i]), width,
                           a["gram_gaps"][off:off + (e - s - 1) * width])
        return docs, decode_tf(a["gram_tf_more"], a["gram_tf_extra"], int(a["gram_tf_rank"][i]),
                               s, e)

    def posting_length(self, key: int) -> int:
        keys = self.arrays["gram_keys"]
        i = int(np.searchsorted(keys, key))
        if i >= len(keys) or int(keys[i]) != key:
            return 0
        return int(self.arrays["gram_starts"][i + 1] - self.arrays["gram_starts"][i])


_EMPTY_U32 = np.zeros(0, dtype=np.uint32)
_EMPTY_U8 = np.zeros(0, dtype=np.uint8)

_ARRAY_NAMES = ("gram_keys", "gram_starts", "gram_first", "gram_width", "gram_offsets",
                "gram_gaps", "gram_tf_more", "gram_tf_extra", "gram_tf_rank", "starts",
                "byte_starts", "display_starts", "path_code", "path_starts",
                "kind",
                "ordinal", "report") + tuple("f_" + f for f in CODE_FIELDS)
# Loaded when present: segments written before near-duplicate signatures have none, and
# searcher/similar.py then finds no near-duplicates in them.
_OPTIONAL_ARRAY_NAMES = ("sim_docs", "sim_sig")


def load_columns(cols_root: str | Path, segment_id: str) -> SegmentColumns | None:
    """The side arrays of a segment (memory-mapped), or None if missing or incomplete."""
    folder = Path(cols_root) / segment_id
    try:
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        blob = _map_file(folder / "text.txt")
        display_blob = _map_file(folder / "display.bin")
        display_dict = (folder / "display.dict").read_bytes()
        path_blob = (folder / "paths.bin").read_bytes()
        # plain ndarray views of the maps: numpy's memmap subclass costs ~1 µs an index
        arrays = {name: np.asarray(np.load(folder / f"{name}.npy", mmap_mode="r"))
                  for name in _ARRAY_NAMES}
        # optional arrays: near-duplicate signatures (index/similar.py) and indicator
        # statements (index/indicators.py); absent in segments written before them
        arrays.update({name: np.asarray(np.load(folder / f"{name}.npy", mmap_mode="r"))
                       for name in (*_OPTIONAL_ARRAY_NAMES, *_STATEMENT_ARRAYS)
                       if (folder / f"{name}.npy").is_file()})
    except (OSError, ValueError):
        return None
    if not _consistent(meta, arrays, len(blob)) or \
            int(arrays["display_starts"][-1]) != len(display_blob) or \
            int(arrays["path_starts"][-1]) != len(path_blob) or \
            (len(arrays["path_code"]) and
             int(np.max(arrays["path_code"])) >= len(arrays["path_starts"]) - 1):
        return None
    return SegmentColumns(segment_id, meta, blob, arrays, display_blob, display_dict, path_blob)


def _consistent(meta, arrays: dict, blob_bytes: int) -> bool:
    """Whether a segment's files agree with each other (a damaged or foreign folder does not)."""
    try:
        n = int(meta["n"])
        vocab, reports = meta["vocab"], meta["reports"]
        ok = (all(len(arrays[name]) == n for name in ("kind", "ordinal", "report"))
              and all(len(arrays["f_" + f]) == n and isinstance(vocab[f], list)
                      for f in CODE_FIELDS)
              and len(arrays["byte_starts"]) == n + 1 and len(arrays["starts"]) == n + 1
              and len(arrays["display_starts"]) == n + 1 and len(arrays["path_code"]) == n
              and (n == 0 or int(arrays["byte_starts"][-1]) == blob_bytes)
              and len(arrays["gram_starts"]) == len(arrays["gram_keys"]) + 1
              and len(arrays["gram_first"]) == len(arrays["gram_width"]) == len(arrays["gram_keys"])
              and len(arrays["gram_offsets"]) == len(arrays["gram_keys"]) + 1
              and int(arrays["gram_offsets"][-1]) == len(arrays["gram_gaps"])
              and len(arrays["gram_tf_rank"]) == len(arrays["gram_keys"]) + 1
              and len(arrays["gram_tf_more"]) == (int(arrays["gram_starts"][-1]) + 7) // 8
              and all(isinstance(r, dict) and "id" in r for r in reports))
        if ok and n:
            ok = (int(np.max(arrays["report"])) < len(reports)
                  and all(int(np.max(arrays["f_" + f])) < len(vocab[f]) for f in CODE_FIELDS))
        return bool(ok)
    except (KeyError, TypeError, ValueError):
        return False


def _map_file(path: Path) -> bytes | mmap.mmap:
    with open(path, "rb") as f:
        if os.fstat(f.fileno()).st_size == 0:
            return b""                      # mmap cannot map an empty file
        return mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
