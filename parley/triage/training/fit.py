"""`parley train`: fit every head, measure it, write the model files (needs scikit-learn).

For heads with a validation split the model is fitted on the training split,
measured and calibrated on validation, then refitted on both for shipping.
Heads without one are measured and calibrated with 5-fold cross-validation
and refitted on everything. Calibration: Platt scaling (scale and shift) for
binary heads, a temperature for the others, fitted on held-out logits.
"""

from __future__ import annotations

import json
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from scipy.optimize import minimize

from ..features import Vocabulary
from ..normalize import clean
from . import datasets as ds
from .encoded import as_log_probs
from .heads import HEADS, PROFILES, HeadPlan, Profile

try:
    from sklearn.linear_model import SGDClassifier
    from sklearn.metrics import classification_report, f1_score, recall_score
    from sklearn.model_selection import StratifiedKFold
except ImportError:  # pragma: no cover - exercised only without the train extra
    SGDClassifier = None

LARGE = 20_000


def _estimator(n_rows: int, profile: Profile, c: float | None = None):
    """Logistic regression fitted by SGD: as good as L-BFGS on these sets and several times faster.

    Regularisation follows C (alpha = 1 / (C * rows)) on small sets; large sets use the profile's alpha.
    """
    alpha = profile.alpha if n_rows > LARGE else 1.0 / ((c or profile.c) * max(n_rows, 1))
    return SGDClassifier(loss="log_loss", alpha=alpha, max_iter=30 if n_rows <= LARGE else 15, tol=None,
                         class_weight="balanced", random_state=0)


def _logits(model, X) -> np.ndarray:
    z = model.decision_function(X)
    return z[:, None] if z.ndim == 1 else z


def _encode(labels: list, plan: HeadPlan) -> np.ndarray:
    index = {label: i for i, label in enumerate(plan.labels)}
    return np.array([index[y] for y in labels])


def _calibrate(z: np.ndarray, y: np.ndarray, kind: str) -> tuple[float, float]:
    """(temperature, shift) minimising held-out log loss."""
    if kind == "sigmoid":
        def loss(p):
            s = z[:, 0] / p[0] + p[1]
            return float(np.mean(np.logaddexp(0, s) - y * s))
        res = minimize(loss, x0=[1.0, 0.0], bounds=[(0.05, 20.0), (-10.0, 10.0)], method="L-BFGS-B")
        return float(res.x[0]), float(res.x[1])

    def loss(p):
        s = z / p[0]
        s = s - s.max(axis=1, keepdims=True)
        return float(np.mean(np.log(np.exp(s).sum(axis=1)) - s[np.arange(len(y)), y]))
    res = minimize(loss, x0=[1.0], bounds=[(0.05, 20.0)], method="L-BFGS-B")
    return float(res.x[0]), 0.0


def _full_coef(model, plan: HeadPlan) -> tuple[np.ndarray, np.ndarray]:
    """Coefficients (features x outputs) in the order of plan.labels; absent labels get -inf-ish bias."""
    coef, intercept = model.coef_, model.intercept_
    if plan.kind == "sigmoid":
        return coef.T.astype(np.float32), intercept.astype(np.float32)
    seen = list(model.classes_)
    full = np.zeros((coef.shape[1], len(plan.labels)), dtype=np.float32)
    bias = np.full(len(plan.labels), -30.0, dtype=np.float32)
    for i, label in enumerate(seen):
        full[:, label] = coef[i]
        bias[label] = intercept[i]
    return full, bias


def _calibration_error(confidence: np.ndarray, correct: np.ndarray, bins: int = 10) -> float:
    """Expected calibration error of the top label's probability (10 equal-width bins)."""
    edges = np.minimum((confidence * bins).astype(int), bins - 1)
    total = 0.0
    for b in range(bins):
        mask = edges == b
        if mask.any():
            total += mask.mean() * abs(confidence[mask].mean() - correct[mask].mean())
    return total


def _metrics(y: np.ndarray, z: np.ndarray, plan: HeadPlan, temperature: float, shift: float) -> dict:
    if plan.kind == "sigmoid":
        prob = 1 / (1 + np.exp(-(z[:, 0] / temperature + shift)))
        pred = (prob >= 0.5).astype(int)
        confidence = np.where(pred == 1, prob, 1 - prob)
    else:
        pred = z.argmax(axis=1)
        s = z / temperature
        e = np.exp(s - s.max(axis=1, keepdims=True))
        confidence = (e / e.sum(axis=1, keepdims=True)).max(axis=1)
    names = [str(label) for label in plan.labels]
    present = sorted(set(y.tolist()) | set(pred.tolist()))
    report = classification_report(y, pred, labels=present, target_names=[names[i] for i in present],
                                   output_dict=True, zero_division=0)
    out = {
        "rows": int(len(y)),
        "macro_f1": round(float(f1_score(y, pred, average="macro", labels=present)), 4),
        "macro_recall": round(float(recall_score(y, pred, average="macro", labels=present)), 4),
        "accuracy": round(float(report["accuracy"]), 4),
        "calibration_error": round(float(_calibration_error(confidence, (pred == y).astype(float))), 4),
        "per_label": {k: {m: round(float(v[m]), 4) for m in ("precision", "recall", "f1-score", "support")}
                      for k, v in report.items() if k in names},
    }
    if plan.name == "emotion":  # TweetEval's four labels: argmax among them only
        four = [plan.labels.index(k) for k in ("anger", "joy", "optimism", "sadness")]
        mask = np.isin(y, four)
        pred4 = np.array(four)[z[mask][:, four].argmax(axis=1)]
        out["macro_f1_four_labels"] = round(float(f1_score(y[mask], pred4, average="macro")), 4)
    return out


@dataclass
class Trained:
    profile: str
    vocabulary: Vocabulary
    heads: dict = field(default_factory=dict)  # name -> (coef, bias, temperature, shift)
    metrics: dict = field(default_factory=dict)
    seconds: float = 0.0
    held: dict = field(default_factory=dict)  # name -> (held-out calibrated log-probs, labels)
    encoded: dict = field(default_factory=dict)  # name -> encoded.EncodedHead (accurate profile)
    encoder_dir: Path | None = None
    tuned: bool = False
    encoder_is_temporary: bool = False  # encoder_dir was made by training: removed after saving
    vectors: dict = field(default_factory=dict)  # doc -> embedding, while training (accurate profile)
    base: Path | None = None  # only some heads were fitted; the others come from this models folder


def _docs(texts: list[str]) -> list[str]:
    return [clean(t).model for t in texts]


def build_splits(data: ds.Data, heads: tuple = HEADS, extra=None) -> dict:
    """head name -> (training split, validation split or None), texts cleaned for the models."""
    extra = extra or {}
    splits = {}
    for plan in heads:
        train_split = plan.train(data)
        if plan.name in extra:
            train_split = ds.Split(list(train_split.texts), list(train_split.labels)).extend(extra[plan.name])
        val_split = plan.val(data) if plan.val else None
        splits[plan.name] = (ds.Split(_docs(train_split.texts), train_split.labels),
                             ds.Split(_docs(val_split.texts), val_split.labels) if val_split else None)
    return splits


def train(data_dir: Path, profile_name: str, *, limit: int | None = None, extra=None,
          log=print, heads: tuple = HEADS, encoder_dir: Path | None = None, tune: bool | None = None,
          embeddings_cache: Path | None = None, base: Path | None = None, tune_settings=None,
          encoder_threads: int | None = None) -> Trained:
    """Fit every head of `profile_name`. `extra` maps head name -> Split appended to its training data.

    With `base` (a models folder of the same profile), only `heads` are fitted, over that folder's
    vocabulary (and encoder); `save` keeps its other heads as they are.
    """
    if SGDClassifier is None:
        raise RuntimeError("training needs scikit-learn: pip install 'parley[train]'")
    started = time.perf_counter()
    profile = PROFILES[profile_name]
    splits = build_splits(ds.Data(data_dir, limit=limit), heads, extra)
    train_docs = list(dict.fromkeys(d for tr, _ in splits.values() for d in tr.texts))
    all_docs = list(dict.fromkeys(train_docs + [d for _, va in splits.values() if va for d in va.texts]))
    if base is not None:
        from ..linear import LinearModels
        eval_vocab = final_vocab = LinearModels(base).vocabulary
        encoder_dir = encoder_dir or base
        log(f"[{profile_name}] features: the {final_vocab.size:,} n-gram buckets of {base}; "
            f"fitting {', '.join(p.name for p in heads)} only")
    else:
        eval_vocab = Vocabulary.fit(train_docs, profile.spec, profile.min_df)
        final_vocab = Vocabulary.fit(all_docs, profile.spec, profile.min_df)
        log(f"[{profile_name}] features: {final_vocab.size:,} n-gram buckets from {len(all_docs):,} texts")
    result = Trained(profile_name, final_vocab, base=base)
    for plan in heads:
        head_started = time.perf_counter()
        tr, va = splits[plan.name]
        y = _encode(tr.labels, plan)
        if va is not None:
            model = _estimator(len(y), profile, plan.c).fit(eval_vocab.transform(tr.texts), y)
            y_held = _encode(va.labels, plan)
            z_held = _logits(model, eval_vocab.transform(va.texts))
            final_docs, final_y = tr.texts + va.texts, np.concatenate([y, y_held])
            how = "validation split"
        else:
            X = final_vocab.transform(tr.texts)
            z_held = np.zeros((len(y), 1 if plan.kind == "sigmoid" else len(plan.labels)))
            folds = StratifiedKFold(5, shuffle=True, random_state=0)
            for fit_idx, held_idx in folds.split(X, y):
                model = _estimator(len(fit_idx), profile, plan.c).fit(X[fit_idx], y[fit_idx])
                z = _logits(model, X[held_idx])
                if plan.kind == "softmax" and z.shape[1] != len(plan.labels):
                    full = np.full((len(held_idx), len(plan.labels)), -30.0)
                    full[:, model.classes_] = z
                    z = full
                z_held[held_idx] = z
            y_held, final_docs, final_y = y, tr.texts, y
            how = "5-fold cross-validation"
        temperature, shift = _calibrate(z_held, y_held, plan.kind)
        metrics = _metrics(y_held, z_held, plan, temperature, shift)
        result.held[plan.name] = (as_log_probs(z_held, plan.kind, temperature, shift), y_held)
        metrics["evaluated_by"] = how
        model = _estimator(len(final_y), profile, plan.c).fit(final_vocab.transform(final_docs), final_y)
        coef, bias = _full_coef(model, plan)
        result.heads[plan.name] = (coef, bias, temperature, shift)
        result.metrics[plan.name] = metrics
        headline = metrics["macro_recall" if plan.metric == "macro_recall" else "macro_f1"]
        log(f"[{profile_name}] {plan.name:<10} {plan.metric} {headline:.3f} ({how}, {metrics['rows']:,} rows; "
            f"trained on {len(final_y):,}; {time.perf_counter() - head_started:.0f} s)")
    if profile.encoder:
        from .encoded_fit import add_encoder
        add_encoder(result, splits, heads, log=log, encoder_dir=encoder_dir,
                    tune=profile.tune if tune is None else tune, cache=embeddings_cache, tune_settings=tune_settings,
                    threads=encoder_threads)
    emotion = next((plan for plan in heads if plan.name == "emotion"), None)
    if emotion is not None:
        from .written_cv import emotion_cv
        result.metrics["emotion"]["written_cv"] = emotion_cv(result, splits, emotion, profile,
                                                             result.vectors or None, log=log)
    result.vectors = {}
    result.seconds = round(time.perf_counter() - started, 1)
    return result


def save(trained: Trained, folder: Path, version: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(folder / "vocabulary.npz", **trained.vocabulary.arrays())
    heads = {}
    kept = json.loads((Path(trained.base) / "manifest.json").read_text()) if trained.base else None
    for plan in HEADS:
        if plan.name not in trained.heads:
            if kept and plan.name in kept["heads"]:  # a head not refitted: as it was
                info = kept["heads"][plan.name]
                if (Path(trained.base) / info["file"]).resolve() != (folder / info["file"]).resolve():
                    shutil.copyfile(Path(trained.base) / info["file"], folder / info["file"])
                heads[plan.name] = info
                trained.metrics = {**trained.metrics, plan.name: kept["metrics"][plan.name]}
            continue
        coef, bias, temperature, shift = trained.heads[plan.name]
        file = f"head-{plan.name}.npz"
        np.savez_compressed(folder / file, coef=coef.astype(np.float16), intercept=bias + np.float32(shift) * temperature)
        heads[plan.name] = {"file": file, "labels": list(plan.labels), "kind": plan.kind,
                            "temperature": round(temperature, 5)}
    manifest = {
        "version": version,
        "profile": trained.profile,
        "features": trained.vocabulary.spec.as_dict(),
        "heads": heads,
        "metrics": {name: trained.metrics[name] for name in heads if name in trained.metrics},
        "training_seconds": trained.seconds,
    }
    if trained.encoded:
        from .encoded_fit import save_encoder
        manifest["encoder"] = save_encoder(trained, folder)
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=1, sort_keys=False) + "\n")
