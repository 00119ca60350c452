"""Sentence embeddings from a small transformer encoder (onnxruntime + tokenizers; no torch).

The accurate profile ships an int8-quantised MiniLM encoder (`encoder.onnx`,
mean-pooled token states) and its WordPiece tokenizer (`tokenizer.json`).
`Encoder.embed(docs)` returns one 384-dimensional vector per cleaned post,
each post cut to `max_tokens` word pieces (tweets rarely reach 64).

Posts run one at a time, not in padded batches: dynamic int8 quantisation
scales activations per run, so a post's scores would depend on the posts
batched with it. Unpadded single runs are as fast as batches here
(about 600 tweets/s on 2 threads, measured) and give every post the same
result alone or in a batch.

The session is created on first use, not at import, so loading the profile
stays quick for code that never scores a post.
"""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np


class EncoderMissing(RuntimeError):
    """The encoder's files or its runtime libraries are absent."""


class Encoder:
    def __init__(self, folder: Path, model_file: str = "encoder.onnx", tokenizer_file: str = "tokenizer.json",
                 max_tokens: int = 64, threads: int | None = None):
        self.folder = Path(folder)
        self.model_path = self.folder / model_file
        self.tokenizer_path = self.folder / tokenizer_file
        self.max_tokens = max_tokens
        self.threads = threads
        self._session = None
        self._tokenizer = None
        self._lock = threading.Lock()
        if not self.model_path.is_file() or not self.tokenizer_path.is_file():
            raise EncoderMissing(f"encoder files missing in {self.folder}")

    def _ready(self):
        if self._session is None:
            with self._lock:
                if self._session is None:
                    try:
                        import onnxruntime as ort
                        from tokenizers import Tokenizer
                    except ImportError as exc:  # pragma: no cover - both are runtime dependencies
                        raise EncoderMissing(f"the accurate profile needs onnxruntime and tokenizers: {exc}") from exc
                    tokenizer = Tokenizer.from_file(str(self.tokenizer_path))
                    tokenizer.enable_truncation(self.max_tokens)
                    tokenizer.no_padding()
                    options = ort.SessionOptions()
                    if self.threads:
                        options.intra_op_num_threads = self.threads
                    options.inter_op_num_threads = 1
                    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
                    self._tokenizer = tokenizer
                    self._session = ort.InferenceSession(str(self.model_path), options,
                                                         providers=["CPUExecutionProvider"])
        return self._session, self._tokenizer

    @property
    def dimension(self) -> int:
        session, _ = self._ready()
        return int(session.get_outputs()[0].shape[-1])

    def embed(self, docs: list[str]) -> np.ndarray:
        """(len(docs) x dimension) float32 mean-pooled embeddings, one post per run (see the module doc)."""
        session, tokenizer = self._ready()
        out = np.zeros((len(docs), self.dimension), dtype=np.float32)
        if not docs:
            return out
        run = session.run
        for k, encoding in enumerate(tokenizer.encode_batch([d if d else " " for d in docs])):
            ids = np.asarray([encoding.ids], dtype=np.int64)
            out[k] = run(None, {"input_ids": ids, "attention_mask": np.ones_like(ids)})[0][0]
        return out
