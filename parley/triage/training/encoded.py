"""Heads over sentence embeddings, blended with the n-gram heads (training side of the accurate profile).

For every head a multinomial logistic regression reads the encoder's
embedding (standardised). It is evaluated the same way as the n-gram head
(validation split, or 5-fold cross-validation with the same folds), so both
have held-out predictions for the same posts. The two are blended in
log-probability space: (1 - w) * log p_ngram + w * log p_embedding, then
softmax with a temperature. The weight w (0 to 1 in steps of 0.1) and the
temperature are chosen by held-out log loss, not by the reported metric.
The shipped heads are refitted on all data.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .heads import HEADS, HeadPlan

try:
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold
except ImportError:  # pragma: no cover - exercised only without the train extra
    LogisticRegression = None

WEIGHTS = tuple(round(0.1 * i, 1) for i in range(11))


@dataclass
class EncodedHead:
    coef: np.ndarray  # (dimension x labels), standardisation folded in
    bias: np.ndarray
    temperature: float  # of the embedding head alone
    weight: float  # of the embedding head in the blend
    blend_temperature: float


def log_softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    return z - np.log(np.exp(z).sum(axis=1, keepdims=True))


def as_log_probs(z: np.ndarray, kind: str, temperature: float, shift: float = 0.0) -> np.ndarray:
    """Calibrated log-probabilities (rows x labels) from a head's logits; sigmoid heads give 2 columns."""
    if kind == "sigmoid" and z.shape[1] == 1:
        s = z[:, 0] / temperature + shift
        return np.stack([-np.logaddexp(0, s), -np.logaddexp(0, -s)], axis=1)
    return log_softmax(z / temperature)


def blend(lp_ngram: np.ndarray, lp_embedding: np.ndarray, weight: float, temperature: float) -> np.ndarray:
    """Blended probabilities (rows x labels)."""
    return np.exp(log_softmax(((1.0 - weight) * lp_ngram + weight * lp_embedding) / temperature))


def _log_loss(lp: np.ndarray, y: np.ndarray) -> float:
    return float(-np.mean(lp[np.arange(len(y)), y]))


def _temperature(z: np.ndarray, y: np.ndarray) -> float:
    """Temperature minimising log loss of softmax(z / t) (a coarse-to-fine search; one parameter)."""
    grid = np.exp(np.linspace(np.log(0.2), np.log(5.0), 41))
    best = min(grid, key=lambda t: _log_loss(log_softmax(z / t), y))
    fine = best * np.exp(np.linspace(-0.05, 0.05, 11))
    return float(min(fine, key=lambda t: _log_loss(log_softmax(z / t), y)))


def _fit(E: np.ndarray, y: np.ndarray, plan: HeadPlan, c: float):
    model = LogisticRegression(C=c, class_weight="balanced", max_iter=500)
    model.fit(E, y)
    return model


def _full(model, plan: HeadPlan, z: np.ndarray) -> np.ndarray:
    """Logits in plan.labels order (2 columns for binary heads; unseen labels get -30)."""
    if z.ndim == 1:
        z = np.stack([np.zeros_like(z), z], axis=1)
    full = np.full((len(z), len(plan.labels)), -30.0)
    full[:, model.classes_] = z
    return full


class Standardiser:
    def __init__(self, E: np.ndarray):
        self.mean = E.mean(axis=0)
        self.scale = E.std(axis=0) + 1e-6

    def __call__(self, E: np.ndarray) -> np.ndarray:
        return (E - self.mean) / self.scale


def fit_head(plan: HeadPlan, E_train: np.ndarray, y_train: np.ndarray, E_val: np.ndarray | None,
             y_val: np.ndarray | None, lp_ngram_held: np.ndarray, standardise: Standardiser, c: float = 1.0,
             evaluable: np.ndarray | None = None):
    """(EncodedHead, blended held-out probabilities, held-out labels), held-out rows limited to `evaluable`.

    `evaluable` (a boolean mask over the held-out rows) leaves out posts the encoder was tuned on.
    """
    if LogisticRegression is None:
        raise RuntimeError("training needs scikit-learn: pip install 'parley[train]'")
    X = standardise(E_train)
    if E_val is not None:
        model = _fit(X, y_train, plan, c)
        z_held = _full(model, plan, model.decision_function(standardise(E_val)))
        y_held = y_val
        X_all, y_all = np.vstack([X, standardise(E_val)]), np.concatenate([y_train, y_val])
    else:
        z_held = np.zeros((len(y_train), len(plan.labels)))
        for fit_idx, held_idx in StratifiedKFold(5, shuffle=True, random_state=0).split(X, y_train):
            model = _fit(X[fit_idx], y_train[fit_idx], plan, c)
            z_held[held_idx] = _full(model, plan, model.decision_function(X[held_idx]))
        y_held, X_all, y_all = y_train, X, y_train
    if evaluable is not None:
        z_held, y_held, lp_ngram_held = z_held[evaluable], y_held[evaluable], lp_ngram_held[evaluable]
    t_emb = _temperature(z_held, y_held)
    lp_emb = log_softmax(z_held / t_emb)
    best = None
    for w in WEIGHTS:
        mixed = (1.0 - w) * lp_ngram_held + w * lp_emb
        t = _temperature(mixed, y_held)
        loss = _log_loss(log_softmax(mixed / t), y_held)
        if best is None or loss < best[0] - 1e-9:
            best = (loss, w, t)
    _, weight, t_blend = best
    final = _fit(X_all, y_all, plan, c)
    coef = np.zeros((X_all.shape[1], len(plan.labels)), dtype=np.float32)
    bias = np.full(len(plan.labels), -30.0, dtype=np.float32)
    if final.coef_.shape[0] == 1:  # binary: logit of label 1 against label 0
        coef[:, 1], bias[0], bias[1] = final.coef_[0], 0.0, final.intercept_[0]
    else:
        coef[:, final.classes_] = final.coef_.T
        bias[final.classes_] = final.intercept_
    # Fold the standardisation into the coefficients: ((E - m) / s) @ W = E @ (W / s) - (m / s) @ W.
    folded = (coef / standardise.scale[:, None]).astype(np.float32)
    folded_bias = (bias - (standardise.mean / standardise.scale) @ coef).astype(np.float32)
    head = EncodedHead(folded, folded_bias, t_emb, weight, t_blend)
    return head, blend(lp_ngram_held, lp_emb, weight, t_blend), y_held


HEAD_NAMES = tuple(p.name for p in HEADS)
