"""Hashed TF-IDF features over character and word n-grams (pure numpy; no Django).

Character n-grams are hashed for a whole batch at once with vectorised
polynomial hashes, so featurising costs a few microseconds per post; word
n-grams are hashed with CRC-32. Hashing needs no vocabulary file: a model file
holds only the hash buckets seen in training (`keep`), their IDF weights and
the classifier coefficients. The same function runs in training and at run
time, so the two cannot drift apart.

The features of one post can be turned back into the n-grams that produced
them (`ngrams_of`), which is how explanations name words and phrases.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass

import numpy as np
from scipy import sparse

BITS = 22
SPACE = 1 << BITS
_P = np.uint64(1_000_003)
_MIX = np.uint64(0x9E3779B97F4A7C15)
_SHIFT = np.uint64(64 - BITS)
_WORD_SALT = 0x5A17
WORD = re.compile(r"[@#]?\w[\w']*|[^\w\s]")


@dataclass(frozen=True)
class FeatureSpec:
    """Which n-grams a model reads. Stored in each model's manifest."""

    char_min: int = 2
    char_max: int = 5
    word_max: int = 2
    word_weight: float = 1.0

    def as_dict(self) -> dict:
        return {"char_min": self.char_min, "char_max": self.char_max, "word_max": self.word_max,
                "word_weight": self.word_weight}


def _char_salt(n: int) -> np.uint64:
    return np.uint64((0x51ED27 * n) & 0xFFFFFFFF)


def _bucket(h: np.ndarray, n: int) -> np.ndarray:
    return (((h ^ _char_salt(n)) * _MIX) >> _SHIFT).astype(np.int64)


def char_hashes(docs: list[str], spec: FeatureSpec, with_positions: bool = False):
    """(document index, bucket) for every character n-gram of every document.

    With `with_positions`, also each n-gram's start in the batch's padded text
    (" " + doc + " " + separator per document) and its length.
    """
    padded = [" " + d + " " for d in docs]
    joined = "\x00".join(padded) + "\x00"
    codes = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    lengths = np.fromiter((len(p) + 1 for p in padded), dtype=np.int64, count=len(padded))
    doc_of = np.repeat(np.arange(len(docs), dtype=np.int64), lengths)
    seps = np.concatenate([[0], np.cumsum(codes == 0)])
    rows, cols, starts, lengths = [], [], [], []
    h = codes.copy()
    with np.errstate(over="ignore"):
        for n in range(1, spec.char_max + 1):
            if n > 1:
                h = h[:-1] * _P + codes[n - 1 :]
            if n < spec.char_min:
                continue
            count = len(h)
            valid = (seps[n : n + count] - seps[:count]) == 0
            rows.append(doc_of[:count][valid])
            cols.append(_bucket(h[valid], n))
            if with_positions:
                starts.append(np.flatnonzero(valid))
                lengths.append(np.full(int(valid.sum()), n, dtype=np.int64))
    if not rows:
        empty = np.zeros(0, np.int64)
        return (empty, empty, empty, empty) if with_positions else (empty, empty)
    if with_positions:
        return np.concatenate(rows), np.concatenate(cols), np.concatenate(starts), np.concatenate(lengths)
    return np.concatenate(rows), np.concatenate(cols)


def word_tokens(doc: str, spec: FeatureSpec) -> list[str]:
    tokens = WORD.findall(doc)
    grams = list(tokens)
    for n in range(2, spec.word_max + 1):
        grams += [" ".join(tokens[i : i + n]) for i in range(len(tokens) - n + 1)]
    return grams


def word_bucket(gram: str) -> int:
    return zlib.crc32(gram.encode("utf-8"), _WORD_SALT) & (SPACE - 1) | 1


def word_hashes(docs: list[str], spec: FeatureSpec) -> tuple[np.ndarray, np.ndarray]:
    rows: list[int] = []
    cols: list[int] = []
    for i, doc in enumerate(docs):
        grams = word_tokens(doc, spec)
        rows.extend([i] * len(grams))
        cols.extend(word_bucket(g) for g in grams)
    return np.asarray(rows, dtype=np.int64), np.asarray(cols, dtype=np.int64)


def _counts(rows, cols, keep, n_docs: int, width: int) -> sparse.csr_matrix:
    index = keep[cols]
    mask = index >= 0
    data = np.ones(int(mask.sum()), dtype=np.float32)
    m = sparse.csr_matrix((data, (rows[mask], index[mask])), shape=(n_docs, width), dtype=np.float32)
    m.sum_duplicates()
    return m


def _weigh(counts: sparse.csr_matrix, idf: np.ndarray) -> sparse.csr_matrix:
    """Sublinear TF x IDF, each row L2-normalised."""
    counts.data = (1.0 + np.log(counts.data)) * idf[counts.indices]
    sq = np.add.reduceat(counts.data**2, counts.indptr[:-1]) if counts.nnz else np.zeros(counts.shape[0])
    empty = np.diff(counts.indptr) == 0
    sq = np.where(empty, 1.0, sq)
    counts.data /= np.repeat(np.sqrt(sq), np.diff(counts.indptr)).astype(np.float32)
    return counts


@dataclass
class Vocabulary:
    """The buckets a model was trained on: position in the feature vector and IDF weight."""

    spec: FeatureSpec
    char_keep: np.ndarray  # SPACE int32: column index or -1
    word_keep: np.ndarray
    char_idf: np.ndarray
    word_idf: np.ndarray

    @property
    def size(self) -> int:
        return len(self.char_idf) + len(self.word_idf)

    def transform(self, docs: list[str]) -> sparse.csr_matrix:
        n = len(docs)
        c = _weigh(_counts(*char_hashes(docs, self.spec), self.char_keep, n, len(self.char_idf)), self.char_idf)
        w = _weigh(_counts(*word_hashes(docs, self.spec), self.word_keep, n, len(self.word_idf)), self.word_idf)
        if self.spec.word_weight != 1.0:
            w.data *= np.float32(self.spec.word_weight)
        return sparse.hstack([c, w], format="csr", dtype=np.float32)

    @classmethod
    def fit(cls, docs: list[str], spec: FeatureSpec, min_df: int = 2) -> "Vocabulary":
        parts = []
        identity = np.arange(SPACE, dtype=np.int64)
        for rows, cols in (char_hashes(docs, spec), word_hashes(docs, spec)):
            m = _counts(rows, cols, identity, len(docs), SPACE)
            df = np.bincount(m.indices, minlength=SPACE)
            kept = np.flatnonzero(df >= min_df)
            keep = np.full(SPACE, -1, dtype=np.int32)
            keep[kept] = np.arange(len(kept), dtype=np.int32)
            idf = (np.log((1 + len(docs)) / (1 + df[kept])) + 1.0).astype(np.float32)
            parts.append((keep, idf))
        return cls(spec, parts[0][0], parts[1][0], parts[0][1], parts[1][1])

    # --- storage: only the kept buckets, not the SPACE-sized lookup tables ----
    def arrays(self) -> dict[str, np.ndarray]:
        return {
            "char_buckets": np.flatnonzero(self.char_keep >= 0).astype(np.int32),
            "word_buckets": np.flatnonzero(self.word_keep >= 0).astype(np.int32),
            "char_idf": self.char_idf.astype(np.float16),
            "word_idf": self.word_idf.astype(np.float16),
        }

    @classmethod
    def from_arrays(cls, spec: FeatureSpec, arrays) -> "Vocabulary":
        keeps = []
        for name in ("char_buckets", "word_buckets"):
            buckets = np.asarray(arrays[name], dtype=np.int64)
            keep = np.full(SPACE, -1, dtype=np.int32)
            keep[buckets] = np.arange(len(buckets), dtype=np.int32)
            keeps.append(keep)
        return cls(spec, keeps[0], keeps[1], np.asarray(arrays["char_idf"], np.float32),
                   np.asarray(arrays["word_idf"], np.float32))


def ngrams_of(doc: str, spec: FeatureSpec) -> list[tuple[str, str, int]]:
    """Every n-gram of one document as (kind, text, bucket), kind "char" or "word"."""
    padded = " " + doc + " "
    found = []
    codes = np.frombuffer(padded.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    with np.errstate(over="ignore"):
        h = codes.copy()
        for n in range(1, spec.char_max + 1):
            if n > 1:
                h = h[:-1] * _P + codes[n - 1 :]
            if n >= spec.char_min:
                for i, b in enumerate(_bucket(h, n).tolist()):
                    found.append(("char", padded[i : i + n], b))
    for gram in word_tokens(doc, spec):
        found.append(("word", gram, word_bucket(gram)))
    return found
