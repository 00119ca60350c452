"""Retrieval over past replies (pure): which past inbound posts are most like this one.

Each past pair is (the customer's post, the reply an agent gave). Posts are turned into hashed
word unigrams and bigrams (2**18 buckets), weighted by sublinear tf x idf and L2-normalised; a
query is scored against every past post with one sparse product, over a column-major matrix so
only the query's own words are read. No model file, no external service; numpy and scipy only.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass

import numpy as np
from scipy import sparse

DIM = 1 << 18
_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)?", re.UNICODE)
_NOISE = re.compile(r"https?://\S+|@\w+|#")
STOP = frozenset("a an the and or but to of in on at for is it this that i me my we you your be are was were "
                 "have has had do does did so just im its".split())


def tokens(text: str) -> list[str]:
    words = [w for w in _TOKEN.findall(_NOISE.sub(" ", text.lower())) if not w.isdigit()]
    return words


def features(text: str) -> dict[int, float]:
    """Hashed unigram and bigram counts of `text`."""
    words = tokens(text[:5000])
    counts: dict[int, float] = {}
    for w in words:
        if w not in STOP:
            h = zlib.crc32(w.encode()) & (DIM - 1)
            counts[h] = counts.get(h, 0.0) + 1.0
    for a, b in zip(words, words[1:]):
        h = zlib.crc32(f"{a} {b}".encode()) & (DIM - 1)
        counts[h] = counts.get(h, 0.0) + 1.0
    return counts


@dataclass(frozen=True)
class Pair:
    """One past exchange: the customer's post and the reply it got."""

    inbound: str
    reply: str
    conversation_id: int = 0
    customer_first_name: str = ""
    resolved: bool = False


@dataclass(frozen=True)
class Hit:
    pair: Pair
    similarity: float


class ReplyIndex:
    """A searchable index over past pairs. Build once (seconds at 100,000 pairs), query in milliseconds."""

    def __init__(self, pairs: list[Pair]):
        self.pairs = list(pairs)
        rows, cols, vals = [], [], []
        for i, pair in enumerate(self.pairs):
            for col, count in features(pair.inbound).items():
                rows.append(i)
                cols.append(col)
                vals.append(1.0 + np.log(count))
        n = max(len(self.pairs), 1)
        matrix = sparse.csr_matrix((np.asarray(vals, dtype=np.float32), (rows, cols)), shape=(n, DIM))
        df = np.bincount(np.asarray(cols, dtype=np.int64), minlength=DIM) if cols else np.zeros(DIM)
        self.idf = (np.log((1.0 + n) / (1.0 + df)) + 1.0).astype(np.float32)
        matrix = matrix.multiply(self.idf).tocsr()
        norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
        norms[norms == 0] = 1.0
        self.matrix = sparse.csc_matrix(sparse.diags(1.0 / norms).dot(matrix), dtype=np.float32)

    def __len__(self) -> int:
        return len(self.pairs)

    def query(self, text: str, k: int = 20) -> list[Hit]:
        if not self.pairs:
            return []
        feats = features(text)
        if not feats:
            return []
        cols = np.fromiter(feats.keys(), dtype=np.int64)
        weights = (1.0 + np.log(np.fromiter(feats.values(), dtype=np.float32))) * self.idf[cols]
        weights /= np.linalg.norm(weights) or 1.0
        sub = self.matrix[:, cols]
        scores = np.asarray(sub.dot(weights)).ravel()
        if not scores.any():
            return []
        k = min(k, len(scores))
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top])]
        return [Hit(self.pairs[i], float(scores[i])) for i in top if scores[i] > 0]
