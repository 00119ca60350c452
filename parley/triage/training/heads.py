"""What each head learns from, how it is evaluated, and the two feature profiles."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from ..features import FeatureSpec
from ..labels import INTENTS, OUTCOMES, SENTIMENTS, SEVERITIES, TRAINED_EMOTIONS
from . import datasets as ds


@dataclass(frozen=True)
class HeadPlan:
    name: str
    labels: tuple
    kind: str  # "softmax" or "sigmoid"
    train: Callable  # data -> Split
    val: Callable | None = None  # data -> Split; None: 5-fold cross-validation on `train`
    metric: str = "macro_f1"
    c: float | None = None  # overrides the profile's C (chosen on the validation split)


HEADS = (
    HeadPlan("complaint", (0, 1), "sigmoid", ds.complaint),
    HeadPlan("severity", SEVERITIES, "softmax", ds.severity),
    HeadPlan("sentiment", SENTIMENTS, "softmax", lambda d: ds.sentiment(d, "train"),
             lambda d: ds.sentiment(d, "val"), metric="macro_recall"),
    HeadPlan("emotion", TRAINED_EMOTIONS, "softmax", lambda d: ds.emotion(d, "train"),
             lambda d: ds.emotion(d, "val"), c=16.0),
    HeadPlan("offensive", (0, 1), "sigmoid", lambda d: ds.binary(d, "offensive", "train"),
             lambda d: ds.binary(d, "offensive", "val"), c=1.0),
    HeadPlan("hate", (0, 1), "sigmoid", lambda d: ds.binary(d, "hate", "train"),
             lambda d: ds.binary(d, "hate", "val"), c=1.0),
    HeadPlan("intent", INTENTS, "softmax", ds.intent),
    HeadPlan("outcome", OUTCOMES, "softmax", ds.outcome),
)


@dataclass(frozen=True)
class Profile:
    name: str
    spec: FeatureSpec
    min_df: int
    # Regularisation: C of logistic regression (small sets), alpha of SGD (large sets).
    c: float
    alpha: float
    encoder: bool = False  # blend every head with a head over MiniLM sentence embeddings
    tune: bool = False  # fine-tune the encoder's top layers first (finetune.py; about 25 minutes on 2 CPU cores)


PROFILES = {
    "fast": Profile("fast", FeatureSpec(char_min=2, char_max=4, word_max=1), min_df=3, c=4.0, alpha=5e-6),
    "accurate": Profile("accurate", FeatureSpec(char_min=1, char_max=5, word_max=2), min_df=2, c=4.0, alpha=5e-6,
                        encoder=True, tune=True),  # the shipped encoder is tuned (docs/model-card.md)
}
