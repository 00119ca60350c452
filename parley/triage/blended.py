"""The accurate profile: n-gram heads blended with heads over MiniLM sentence embeddings.

Each head's probability is softmax(((1 - w) * log p_ngram + w * log p_embedding) / t),
where p_ngram is the calibrated n-gram head (linear.py), p_embedding a
logistic head over the encoder's mean-pooled embedding (encoder.py), and the
weight w and temperature t were chosen on held-out predictions by
`parley train` (training/encoded.py). The manifest's `encoder` block names
the files and holds w and the temperatures; `encoder-heads.npz` holds the
embedding heads' coefficients (plain arrays, no pickle). The encoder itself is
loaded on the first prediction, so loading the profile stays quick.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from .encoder import Encoder, EncoderMissing
from .linear import LinearModels, ModelMissing


def _log_softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    return z - np.log(np.exp(z).sum(axis=1, keepdims=True))


class BlendedModels(LinearModels):
    def __init__(self, folder: Path):
        super().__init__(folder)
        folder = Path(folder)
        try:
            spec = self.manifest["encoder"]
            self.encoder = Encoder(folder, spec["file"], spec["tokenizer"], max_tokens=int(spec["max_tokens"]))
            with np.load(folder / spec["heads_file"], allow_pickle=False) as arrays:
                self.encoded = {
                    name: (np.asarray(arrays[f"coef_{name}"], dtype=np.float32),
                           np.asarray(arrays[f"bias_{name}"], dtype=np.float32),
                           float(info["temperature"]), float(info["weight"]), float(info["blend_temperature"]))
                    for name, info in spec["heads"].items()
                }
        except (OSError, KeyError, ValueError, EncoderMissing) as exc:
            raise ModelMissing(f"cannot load the accurate profile's encoder from {folder}: {exc}") from exc
        unknown = set(self.encoded) - set(self.heads)
        if unknown:
            raise ModelMissing(f"encoder heads without an n-gram head: {sorted(unknown)}")

    def predict(self, docs: list[str]) -> dict[str, np.ndarray]:
        probs = super().predict(docs)
        if not docs:
            return probs
        embeddings = self.encoder.embed(docs)
        for name, (coef, bias, temperature, weight, blend_temperature) in self.encoded.items():
            if weight <= 0.0:
                continue
            lp_embedding = _log_softmax((embeddings @ coef + bias) / temperature)
            lp_ngram = np.log(np.clip(probs[name], 1e-12, 1.0))
            probs[name] = np.exp(_log_softmax(((1.0 - weight) * lp_ngram + weight * lp_embedding) / blend_temperature))
        return probs
