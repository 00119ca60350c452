"""Training the learned tone model (`parley train_tone`; needs scikit-learn from the `train` extra).

Data: our own sentences (tone_corpus.py), and, when ../shared/data is present, every sentence of
the brands' real replies (twcs-labelled outbound, IBM dev agent turns) as "ok" examples. Never
the labelled draft sets. Features: the frozen MiniLM encoder's L2-normalised sentence embedding
beside hashed character (2-5) and word (1-2) n-gram TF-IDF (the run-time path,
guardrails/tone_model.py). Head: multinomial logistic regression (C=16), balanced class weights.

The threshold is chosen on out-of-fold scores (5 folds; a real reply's sentences stay in one
fold, and our sentences built on one frame stay in one fold, so the folds measure paraphrases
rather than the same frame with another topic): the lowest threshold at which at most `target_fa` of the real replies (reply level: any
sentence above) score above it and at most `own_target_fa` (5 %) of our own "ok" sentences do
(those are hard negatives written beside the problems: refusals, admissions, "unfortunately").
Without ../shared the threshold is chosen on our own "ok" sentences alone.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from .guardrails.base import Text
from .guardrails.tone_model import ENCODER_DIR, HEAD_FILE, OK, ToneModel, features, normalise, worth_scoring
from .tone_corpus import KINDS, examples

LABELS = (OK,) + KINDS


def real_sentences(data_dir: Path) -> list[tuple[str, str]]:
    """(sentence, reply id) for every sentence worth scoring in the brands' real replies."""
    from .quality import real_replies

    out = []
    for rec in real_replies(data_dir):
        text = Text(rec["text"])
        for s, e in text.sentences():
            sentence = text.clean[s:e].strip()
            if worth_scoring(sentence):
                out.append((sentence, f"{rec['source']}:{rec['id']}"))
    return out


def _embed(sentences_: list[str], progress, cache: Path | None = None) -> np.ndarray:
    """Embeddings as at run time; `cache` (an .npz of texts and vectors) skips sentences seen before."""
    known: dict[str, np.ndarray] = {}
    if cache and Path(cache).is_file():
        with np.load(cache, allow_pickle=False) as arrays:
            known = dict(zip((str(t) for t in arrays["texts"]), arrays["vectors"]))
    todo = [s for s in dict.fromkeys(sentences_) if s not in known]
    if todo:
        from parley.triage.encoder import Encoder

        model = ToneModel.__new__(ToneModel)
        model.encoder = Encoder(ENCODER_DIR, max_tokens=64)
        step = 256
        for i in progress(range(0, len(todo), step)):
            batch = todo[i : i + step]
            known.update(zip(batch, model.embed(batch)))
        if cache:
            np.savez(cache, texts=np.array(list(known)), vectors=np.stack(list(known.values())))
    return np.stack([known[s] for s in sentences_]) if sentences_ else np.zeros((0, 384), np.float32)


SPEC = (2, 5, 2, 1.0)  # char_min, char_max, word_max, word_weight


def train(data_dir: Path | None, out_file: Path = HEAD_FILE, target_fa: float = 0.005, c: float = 16.0,
          folds: int = 5, seed: int = 7, own_target_fa: float = 0.05, progress=lambda it: it, cache: Path | None = None) -> dict:
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedGroupKFold

    from parley.triage.features import FeatureSpec, Vocabulary

    own = examples(seed)
    real = real_sentences(data_dir) if data_dir and (Path(data_dir) / "twcs-labelled").is_dir() else []
    texts = [t for t, _, _ in own] + [t for t, _ in real]
    y = np.array([LABELS.index(label) for _, label, _ in own] + [0] * len(real))
    groups = np.array([g for _, _, g in own] + [g for _, g in real])
    is_real = np.array([False] * len(own) + [True] * len(real))
    X = _embed(texts, progress, cache)

    spec = FeatureSpec(*SPEC)

    def fit(rows):
        vocabulary = Vocabulary.fit([normalise(texts[i]) for i in rows], spec, min_df=2)
        clf = LogisticRegression(C=c, max_iter=3000, class_weight="balanced")
        clf.fit(features(X[rows], vocabulary, [texts[i] for i in rows]), y[rows])
        return vocabulary, clf

    oof = np.zeros(len(texts))
    oof_kind = np.zeros(len(texts), dtype=int)
    for tr, te in StratifiedGroupKFold(n_splits=folds, shuffle=True, random_state=seed).split(X, y, groups):
        vocabulary, clf = fit(tr)
        p = np.zeros((len(te), len(LABELS)))
        p[:, clf.classes_] = clf.predict_proba(features(X[te], vocabulary, [texts[i] for i in te]))
        oof[te] = 1.0 - p[:, 0]
        kinds = p.copy()
        kinds[:, 0] = -1
        oof_kind[te] = kinds.argmax(axis=1)

    own_ok = (~is_real) & (y == 0)
    pos = y != 0
    reply_ids = groups[is_real]

    def rates(threshold):
        above = oof > threshold
        reply_fa = len(set(reply_ids[above[is_real]])) / max(len(set(reply_ids)), 1) if real else 0.0
        own_fa = above[own_ok].mean() if own_ok.any() else 0.0
        recall = above[pos].mean()
        kind_right = (oof_kind[pos & above] == y[pos & above]).mean() if (pos & above).any() else 0.0
        return reply_fa, float(own_fa), float(recall), float(kind_right)

    threshold = 0.95
    for t in np.round(np.arange(0.30, 0.995, 0.01), 2):
        reply_fa, own_fa, _, _ = rates(t)
        if reply_fa <= target_fa and own_fa <= own_target_fa:
            threshold = float(t)
            break
    reply_fa, own_fa, recall, kind_right = rates(threshold)

    vocabulary, clf = fit(np.arange(len(texts)))
    coef = np.zeros((len(LABELS), clf.coef_.shape[1]), np.float32)
    intercept = np.zeros(len(LABELS), np.float32)
    coef[clf.classes_] = clf.coef_
    intercept[clf.classes_] = clf.intercept_
    out_file = Path(out_file)
    out_file.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(out_file, coef=coef.astype(np.float16), intercept=intercept, labels=np.array(LABELS),
                        threshold=np.array(threshold, dtype=np.float32), spec=np.array(SPEC, dtype=np.float32),
                        **vocabulary.arrays())
    n_real_replies = len(set(reply_ids))
    summary = {
        "own_sentences": len(own),
        "own_by_label": {label: int((y[: len(own)] == i).sum()) for i, label in enumerate(LABELS)},
        "own_groups": len(set(groups[: len(own)])),
        "ngram_buckets": int(vocabulary.size),
        "real_sentences": len(real),
        "real_replies": n_real_replies,
        "threshold": threshold,
        "out_of_fold": {
            "recall_own_problem_sentences": round(recall, 3),
            "kind_right_when_caught": round(kind_right, 3),
            "false_alarms_own_ok_sentences": round(own_fa, 4),
            "false_alarms_real_replies": round(reply_fa, 4),
        },
        "curve": {str(t): dict(zip(("real_reply_fa", "own_ok_fa", "recall"), (round(v, 4) for v in rates(t)[:3])))
                  for t in (0.5, 0.7, 0.8, 0.9, 0.95, 0.97, 0.98, 0.99)},
        "file": out_file.name,
    }
    out_file.with_suffix(".json").write_text(json.dumps(summary, indent=2) + "\n")
    return summary
