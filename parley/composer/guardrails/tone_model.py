"""The learned part of the `tone` check: a sentence classifier over MiniLM embeddings and n-grams.

Each sentence of a draft is embedded by the published MiniLM encoder, frozen (`models_data/encoder/`:
int8 ONNX, run by parley/triage/encoder.py on CPU, offline; L2-normalised). It is the encoder the
triage `accurate` profile shipped before its top layers were tuned on triage tasks; the tuned one
read tone worse (out-of-fold recall 0.689 -> 0.643 at the same false-alarm rate), so tone keeps its
own copy. Each sentence is also featurised with hashed character and word n-grams (parley/triage/features.py, TF-IDF over the buckets seen in
training); a multinomial logistic head over both, with seven classes ("ok" and six kinds of
tone problem), scores it. A sentence's score is 1 - p(ok); above the shipped threshold it is a
tone problem of its most likely kind.

The head lives in `models_data/tone.npz` (plain arrays, no pickle): `coef` (classes x (384 +
n-gram buckets)), `intercept`, `labels`, `threshold`, and the n-gram vocabulary (`char_buckets`,
`word_buckets`, `char_idf`, `word_idf`, `spec`). `parley train_tone` rebuilds it
(docs/model-card.md, "Tone guardrail").
Loaded once per process, on first use; when the encoder or the head is missing the tone check
falls back to its rules alone (`available()` says which).
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

import numpy as np

HEAD_FILE = Path(__file__).resolve().parent / "models_data" / "tone.npz"
ENCODER_DIR = Path(__file__).resolve().parent / "models_data" / "encoder"  # frozen MiniLM, not triage's tuned one
OK = "ok"
# A draft's sentences scored at most (drafts are checked on their first 10,000 characters; a reply
# rarely has more than a dozen sentences). Sentences past this are left to the rules.
MAX_SENTENCES = 40
MAX_SENTENCE_CHARS = 400
CACHE_SIZE = 4096

_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_MENTION = re.compile(r"(?<![\w@])@\w{1,50}")
_SPACE = re.compile(r"\s+")
_WORDS = re.compile(r"[^\W\d_]{2,}")


def normalise(sentence: str) -> str:
    """What the encoder reads: links and handles as placeholder words, whitespace collapsed."""
    s = _URL.sub("http", sentence)
    s = _MENTION.sub("@user", s)
    return _SPACE.sub(" ", s).strip()[:MAX_SENTENCE_CHARS]


def worth_scoring(sentence: str) -> bool:
    """At least three words: "Thanks!" or a lone handle says nothing about tone."""
    return len(_WORDS.findall(sentence)) >= 3


@dataclass(frozen=True)
class Score:
    score: float  # 1 - p(ok)
    kind: str  # the most likely problem kind


class ToneModel:
    def __init__(self, head_file: Path = HEAD_FILE, encoder_dir: Path = ENCODER_DIR, threads: int = 1):
        from parley.triage.encoder import Encoder

        with np.load(head_file, allow_pickle=False) as arrays:
            self.coef = np.asarray(arrays["coef"], dtype=np.float32)
            self.intercept = np.asarray(arrays["intercept"], dtype=np.float32)
            self.labels = tuple(str(x) for x in arrays["labels"])
            self.threshold = float(arrays["threshold"])
            self.vocabulary = vocabulary_from(arrays)
        if OK not in self.labels or self.coef.shape[0] != len(self.labels):
            raise ValueError(f"{head_file}: labels and coefficients disagree")
        self.ok = self.labels.index(OK)
        self.encoder = Encoder(encoder_dir, max_tokens=64, threads=threads)
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._cache_lock = threading.Lock()

    def sentence_probabilities(self, sentences: list[str]) -> np.ndarray:
        """Class probabilities per sentence, remembered for the last CACHE_SIZE sentences: a draft is
        re-checked as the agent types and suggestions re-check the same replies, and a sentence's
        scores never depend on its neighbours, so a remembered row is the row it would get again."""
        with self._cache_lock:
            rows = {s: self._cache[s] for s in sentences if s in self._cache}
            for s in rows:
                self._cache.move_to_end(s)
        todo = [s for s in dict.fromkeys(sentences) if s not in rows]
        if todo:
            fresh = self.probabilities(self.features(todo))
            with self._cache_lock:
                for s, row in zip(todo, fresh):
                    rows[s] = row
                    self._cache[s] = row
                while len(self._cache) > CACHE_SIZE:
                    self._cache.popitem(last=False)
        return np.stack([rows[s] for s in sentences])

    def embed(self, sentences: list[str]) -> np.ndarray:
        x = self.encoder.embed([normalise(s) for s in sentences])
        norms = np.linalg.norm(x, axis=1, keepdims=True)
        return x / np.where(norms == 0, 1.0, norms)

    def features(self, sentences: list[str]):
        return features(self.embed(sentences), self.vocabulary, sentences)

    def probabilities(self, features_) -> np.ndarray:
        z = np.asarray(features_ @ self.coef.T) + self.intercept
        z = z - z.max(axis=1, keepdims=True)
        e = np.exp(z)
        return e / e.sum(axis=1, keepdims=True)

    def score(self, sentences: list[str]) -> list[Score]:
        if not sentences:
            return []
        p = self.probabilities(self.features(sentences))
        out = []
        for row in p:
            kinds = row.copy()
            kinds[self.ok] = -1.0
            out.append(Score(float(1.0 - row[self.ok]), self.labels[int(kinds.argmax())]))
        return out


def features(embeddings: np.ndarray, vocabulary, sentences: list[str]):
    """[embedding | n-gram TF-IDF] per sentence (a sparse row each); the same in training."""
    from scipy import sparse

    grams = vocabulary.transform([normalise(s) for s in sentences])
    return sparse.hstack([sparse.csr_matrix(embeddings), grams], format="csr", dtype=np.float32)


def vocabulary_from(arrays):
    from parley.triage.features import FeatureSpec, Vocabulary

    spec = FeatureSpec(*(int(v) for v in arrays["spec"][:3]), float(arrays["spec"][3]))
    return Vocabulary.from_arrays(spec, arrays)


_model: ToneModel | None = None
_failed = False
_lock = threading.Lock()


def load() -> ToneModel | None:
    """The shipped model, loaded once; None when its files or runtime are missing."""
    global _model, _failed
    if _model is None and not _failed:
        with _lock:
            if _model is None and not _failed:
                try:
                    _model = ToneModel()
                except Exception:  # noqa: BLE001 - a missing model must never break the guardrails
                    _failed = True
    return _model


def available() -> bool:
    return load() is not None
