"""Explanations for a batch: which words of each post pushed each head to its label (numpy).

A linear head's score is a sum over n-gram features, so each feature's share
can be credited to the word it sits in: a character n-gram to the word under
its middle character, a word n-gram to each of its words. Per post and head,
the words with the largest positive credit towards the chosen label are the
explanation. Ranking within one post needs no normalisation, so the credit of
an occurrence is its IDF weight times the head's coefficient (the sublinear
term-frequency factor is left out: repeats count once each).
"""

from __future__ import annotations

import numpy as np

from .features import WORD, char_hashes, word_bucket, word_tokens
from .linear import LinearModels

# Words too common or too generic to name as a reason.
NOT_EXPLAINING = frozenset(
    "@user http the a an and or of to in on for at by is it i my me you your we our they this that be are "
    "was so just".split()
)


def _directions(models: LinearModels, head: str) -> np.ndarray:
    """(features x labels) coefficients towards each label versus the others; cached on the models."""
    cache = models.__dict__.setdefault("_explain_directions", {})
    if head not in cache:
        h = models.heads[head]
        block = models.weights[:, h.start : h.stop]
        if h.kind == "sigmoid":
            cache[head] = np.hstack([-block, block])
        else:
            cache[head] = block - block.mean(axis=1, keepdims=True)
    return cache[head]


def explain_batch(models: LinearModels, docs: list[str], targets: dict[str, list[int]], top: int = 4) -> list[dict]:
    """targets: head -> the label index chosen for each doc. Returns one {head: [words]} per doc."""
    vocab, spec = models.vocabulary, models.spec
    # Tokens of every document, numbered across the batch, and who owns each character.
    token_text: list[str] = []
    token_doc: list[int] = []
    padded_lengths = [len(d) + 3 for d in docs]  # " " + doc + " " + separator
    starts = np.concatenate([[0], np.cumsum(padded_lengths)[:-1]]).astype(np.int64)
    owner = np.full(int(sum(padded_lengths)), -1, dtype=np.int64)
    word_rows, word_cols, word_tok = [], [], []
    for i, doc in enumerate(docs):
        base = int(starts[i]) + 1
        first = len(token_text)
        for m in WORD.finditer(doc):
            owner[base + m.start() : base + m.end()] = len(token_text)
            token_text.append(m.group().lower())
            token_doc.append(i)
        toks = list(range(first, len(token_text)))
        grams = word_tokens(doc, spec)
        # word_tokens lists unigrams then n-grams in order; map each back to its first token.
        n_tok = len(toks)
        index = 0
        for n in range(1, spec.word_max + 1):
            for j in range(max(n_tok - n + 1, 0)):
                if index < len(grams):
                    column = vocab.word_keep[word_bucket(grams[index])]
                    if column >= 0:
                        for t in toks[j : j + n]:
                            word_rows.append(i)
                            word_cols.append(int(column) + len(vocab.char_idf))
                            word_tok.append(t)
                index += 1
    if not token_text:
        return [{head: [] for head in targets} for _ in docs]
    rows, buckets, positions, lengths = char_hashes(docs, spec, with_positions=True)
    columns = vocab.char_keep[buckets].astype(np.int64)
    middle = owner[positions + lengths // 2]
    keep = (columns >= 0) & (middle >= 0)
    occ_rows = np.concatenate([rows[keep], np.asarray(word_rows, dtype=np.int64)])
    occ_cols = np.concatenate([columns[keep], np.asarray(word_cols, dtype=np.int64)])
    occ_tok = np.concatenate([middle[keep], np.asarray(word_tok, dtype=np.int64)])
    idf = np.concatenate([vocab.char_idf, vocab.word_idf * np.float32(spec.word_weight)])
    token_doc_arr = np.asarray(token_doc)
    out = [dict() for _ in docs]
    for head, labels in targets.items():
        direction = _directions(models, head)
        label_of_occ = np.asarray(labels, dtype=np.int64)[occ_rows]
        credit = idf[occ_cols] * direction[occ_cols, label_of_occ]
        score = np.zeros(len(token_text))
        np.add.at(score, occ_tok, credit)
        order = np.lexsort((-score, token_doc_arr))
        bounds = np.searchsorted(token_doc_arr[order], np.arange(len(docs) + 1))
        for i in range(len(docs)):
            chosen: list[str] = []
            for t in order[bounds[i] : bounds[i + 1]].tolist():
                if score[t] <= 0 or len(chosen) == top:
                    break
                word = token_text[t]
                if word not in chosen and word not in NOT_EXPLAINING and len(word) > 1 and not word.isdigit():
                    chosen.append(word)
            out[i][head] = chosen
    return out
