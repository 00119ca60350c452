"""Cross-validated figures of the emotion head on the posts we wrote (fear, disgust, surprise).

TweetEval's validation split has none of these three emotions, so they are
measured here: 5-fold cross-validation over written-emotions.jsonl, grouped by
the sentence each post was made from (a post and its variants are never on
both sides). Each fold fits the emotion head on all of its other training data
(TweetEval train, X-CI) plus the other folds' written posts, with the shipped
head's settings (temperature; for accurate also the embedding head and the
blend weight chosen on TweetEval validation), and predicts as `parley classify`
does: neutral when its probability is at least NEUTRAL_MIN, otherwise the
strongest emotion. Hard negatives (words of fear, disgust or surprise without
the feeling) are reported as how often they were read as one of the three.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from ..normalize import clean
from ..pipeline import NEUTRAL_MIN
from . import written
from .encoded import Standardiser, _fit, _full, as_log_probs, blend, log_softmax

NEW = ("fear", "disgust", "surprise")


def _predict(probs: np.ndarray, labels: tuple) -> np.ndarray:
    neutral = labels.index("neutral")
    feeling = probs.copy()
    feeling[:, neutral] = -1.0
    return np.where(probs[:, neutral] >= NEUTRAL_MIN, neutral, feeling.argmax(axis=1))


def emotion_cv(result, splits: dict, plan, profile, vectors: dict | None = None, log=print) -> dict:
    from sklearn.metrics import classification_report, f1_score
    from sklearn.model_selection import GroupKFold

    from .fit import _encode, _estimator, _logits

    rows = written.emotion_rows()
    docs = [clean(r["text"]).model for r in rows]
    groups = np.array([r["group"] for r in rows])
    y_w = _encode([r["label"] for r in rows], plan)
    mine = set(docs)
    tr, _ = splits[plan.name]
    base = [(d, y) for d, y in zip(tr.texts, tr.labels) if d not in mine]
    y_b = _encode([y for _, y in base], plan)
    X_b = result.vocabulary.transform([d for d, _ in base])
    X_w = result.vocabulary.transform(docs)
    _, _, temperature, shift = result.heads[plan.name]
    encoded = result.encoded.get(plan.name)
    if encoded is not None and vectors is not None:
        E_b = np.stack([vectors[d] for d, _ in base])
        E_w = np.stack([vectors[d] for d in docs])
        standardise = Standardiser(np.vstack([E_b, E_w]))
    pred = np.zeros(len(rows), dtype=int)
    for fit_idx, held_idx in GroupKFold(5).split(X_w, y_w, groups):
        y_fit = np.concatenate([y_b, y_w[fit_idx]])
        model = _estimator(len(y_fit), profile, plan.c).fit(sp.vstack([X_b, X_w[fit_idx]]).tocsr(), y_fit)
        z = _logits(model, X_w[held_idx])
        full = np.full((len(held_idx), len(plan.labels)), -30.0)
        full[:, model.classes_] = z
        lp = as_log_probs(full, plan.kind, temperature, shift)
        if encoded is not None and vectors is not None:
            emb = _fit(standardise(np.vstack([E_b, E_w[fit_idx]])), y_fit, plan, 1.0)
            z_emb = _full(emb, plan, emb.decision_function(standardise(E_w[held_idx])))
            probs = blend(lp, log_softmax(z_emb / encoded.temperature), encoded.weight, encoded.blend_temperature)
        else:
            probs = np.exp(lp)
        pred[held_idx] = _predict(probs, plan.labels)
    names = list(plan.labels)
    present = sorted(set(y_w.tolist()) | set(pred.tolist()))
    report = classification_report(y_w, pred, labels=present, target_names=[names[i] for i in present],
                                   output_dict=True, zero_division=0)
    new = [names.index(k) for k in NEW]
    hard = np.array([r["group"].startswith("hard-") for r in rows])
    out = {
        "evaluated_by": "5-fold cross-validation grouped by written sentence, on our written posts",
        "rows": len(rows),
        "groups": int(len(set(groups.tolist()))),
        "macro_f1_new_labels": round(float(f1_score(y_w, pred, labels=new, average="macro")), 4),
        "hard_negatives": int(hard.sum()),
        "hard_negatives_read_as_new": round(float(np.isin(pred[hard], new).mean()), 4) if hard.any() else None,
        "hard_negatives_accuracy": round(float((pred[hard] == y_w[hard]).mean()), 4) if hard.any() else None,
        "per_label": {k: {m: round(float(v[m]), 4) for m in ("precision", "recall", "f1-score", "support")}
                      for k, v in report.items() if k in names},
    }
    log(f"[{profile.name}] emotion on our written posts: fear/disgust/surprise macro-f1 "
        f"{out['macro_f1_new_labels']:.3f} (grouped 5-fold CV, {len(rows)} posts); hard negatives read as one "
        f"of them {out['hard_negatives_read_as_new']:.1%}")
    return out
