"""Linear triage heads over shared hashed n-gram features: loading and scoring (numpy).

A profile's folder holds `manifest.json` (labels, temperatures, feature spec,
metrics), `vocabulary.npz` (the hash buckets kept in training and their IDF)
and one `head-<name>.npz` per head (coefficients as float16, intercepts).
No pickle: `np.load(..., allow_pickle=False)` reads plain arrays only.
All heads share one feature matrix, so scoring a batch is one sparse-dense
matrix product.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy import sparse

from .features import FeatureSpec, Vocabulary

MODELS_DIR = Path(__file__).resolve().parent / "models_data"


class ModelMissing(RuntimeError):
    """The profile's model files are absent or unreadable."""


@dataclass(frozen=True)
class Head:
    name: str
    labels: tuple
    kind: str  # "softmax" or "sigmoid"
    temperature: float
    start: int
    stop: int


class LinearModels:
    def __init__(self, folder: Path):
        folder = Path(folder)
        try:
            self.manifest = json.loads((folder / "manifest.json").read_text())
            spec = FeatureSpec(**self.manifest["features"])
            with np.load(folder / "vocabulary.npz", allow_pickle=False) as arrays:
                self.vocabulary = Vocabulary.from_arrays(spec, arrays)
            weights, biases, heads = [], [], {}
            offset = 0
            for name, info in self.manifest["heads"].items():
                with np.load(folder / info["file"], allow_pickle=False) as arrays:
                    coef = np.asarray(arrays["coef"], dtype=np.float32)
                    intercept = np.asarray(arrays["intercept"], dtype=np.float32)
                width = coef.shape[1]
                heads[name] = Head(name, tuple(info["labels"]), info["kind"], float(info.get("temperature", 1.0)),
                                   offset, offset + width)
                weights.append(coef)
                biases.append(intercept)
                offset += width
        except (OSError, KeyError, ValueError) as exc:
            raise ModelMissing(f"cannot load triage models from {folder}: {exc}") from exc
        self.heads = heads
        self.weights = np.ascontiguousarray(np.hstack(weights))
        self.bias = np.concatenate(biases)
        self.version = self.manifest.get("version", "unknown")
        self.spec = spec

    def features(self, docs: list[str]) -> sparse.csr_matrix:
        return self.vocabulary.transform(docs)

    def logits(self, X: sparse.csr_matrix) -> np.ndarray:
        return np.asarray(X @ self.weights) + self.bias

    def predict(self, docs: list[str]) -> dict[str, np.ndarray]:
        """Per head, calibrated probabilities (documents x labels) for cleaned texts."""
        return self.probabilities(self.logits(self.features(docs)))

    def probabilities(self, logits: np.ndarray) -> dict[str, np.ndarray]:
        """Per head, an array (documents x labels) of calibrated probabilities."""
        out = {}
        for head in self.heads.values():
            z = logits[:, head.start : head.stop] / head.temperature
            if head.kind == "sigmoid":
                p = 1.0 / (1.0 + np.exp(-z[:, 0]))
                out[head.name] = np.stack([1.0 - p, p], axis=1)
            else:
                z = z - z.max(axis=1, keepdims=True)
                e = np.exp(z)
                out[head.name] = e / e.sum(axis=1, keepdims=True)
        return out


_loaded: dict[str, LinearModels] = {}


def load(profile: str, folder: Path | None = None) -> LinearModels:
    """The models of `profile`, loaded once per process."""
    key = str(folder or profile)
    if key not in _loaded:
        folder = Path(folder or MODELS_DIR / profile)
        if (folder / "encoder-heads.npz").is_file():
            from .blended import BlendedModels
            _loaded[key] = BlendedModels(folder)
        else:
            _loaded[key] = LinearModels(folder)
    return _loaded[key]
