"""Train the accurate profile's embedding heads and blends on top of the fitted n-gram heads."""

from __future__ import annotations

import json
import shutil
import tempfile
import time
from pathlib import Path

import numpy as np

from ..encoder import Encoder
from .encoded import Standardiser, fit_head
from .encoder_export import ENCODER_FILE, TOKENIZER_FILE, export

TUNED_ON = "tuned-on.json"  # experiments: texts a reused tuned encoder was trained on

MAX_TOKENS = 64


def embed_all(encoder: Encoder, docs: list[str], log=print, chunk: int = 4096) -> np.ndarray:
    started = time.perf_counter()
    parts = []
    for i in range(0, len(docs), chunk):
        parts.append(encoder.embed(docs[i : i + chunk]))
        done = min(i + chunk, len(docs))
        log(f"[accurate] embedded {done:,} of {len(docs):,} texts ({time.perf_counter() - started:.0f} s)")
    return np.concatenate(parts) if parts else np.zeros((0, 384), dtype=np.float32)


def add_encoder(result, splits: dict, heads: tuple, *, log=print, encoder_dir: Path | None = None,
                embeddings: dict | None = None, tune: bool = False, cache: Path | None = None,
                tune_settings=None, threads: int | None = None) -> None:
    """Fit an embedding head per head and its blend weight; updates result.metrics and result.encoded.

    `encoder_dir` holding an encoder.onnx is used as it is (no export, no tuning). With `tune`, the
    encoder is first fine-tuned (finetune.py; `tune_settings`, a TuneSettings, or its defaults) and figures
    leave out the posts it was tuned on.
    `embeddings` (doc -> vector) skips the encoder for texts already embedded (experiments); so does
    `cache`, an .npz of earlier embeddings by this same encoder (read, then rewritten with the new ones).
    """
    from .fit import _encode, _metrics

    tuned_on: set[str] = set()
    if encoder_dir is None or not (Path(encoder_dir) / ENCODER_FILE).is_file():
        result.encoder_is_temporary = encoder_dir is None
        encoder_dir = Path(encoder_dir or tempfile.mkdtemp(prefix="parley-encoder-"))
        weights = None
        if tune:
            from .finetune import TuneSettings, tune as fine_tune
            weights = Path(tempfile.mkdtemp(prefix="parley-tuned-"))
            tuned_on = fine_tune(splits, {p.name: p for p in heads}, weights, tune_settings or TuneSettings(), log=log)
            result.tuned = True
        export(encoder_dir, log=log, weights=weights)
        if weights is not None:
            shutil.rmtree(weights, ignore_errors=True)
            if not result.encoder_is_temporary:  # reusable later with --tune --encoder DIR
                (encoder_dir / TUNED_ON).write_text(json.dumps(sorted(tuned_on)))
    elif tune:
        listed = Path(encoder_dir) / TUNED_ON
        tuned_on = set(json.loads(listed.read_text())) if listed.is_file() else set()
        result.tuned = bool(tuned_on)
    result.encoder_dir = Path(encoder_dir)
    encoder = Encoder(result.encoder_dir, max_tokens=MAX_TOKENS, threads=threads)
    docs = list(dict.fromkeys(d for tr, va in splits.values() for s in (tr, va) if s for d in s.texts))
    known = dict(embeddings or {})
    if cache is not None and Path(cache).is_file() and not result.tuned:
        with np.load(cache, allow_pickle=False) as stored:
            known.update(zip(stored["docs"].tolist(), stored["vectors"]))
        log(f"[accurate] {len(known):,} embeddings read from {cache}")
    missing = [d for d in docs if d not in known]
    vectors = dict(known)
    if missing:
        vectors.update(zip(missing, embed_all(encoder, missing, log=log)))
        if cache is not None and not result.tuned:
            np.savez(cache, docs=np.array(list(vectors)), vectors=np.stack(list(vectors.values())))
    standardise = Standardiser(np.stack([vectors[d] for d in docs]))
    result.vectors = vectors
    for plan in heads:
        started = time.perf_counter()
        tr, va = splits[plan.name]
        lp_ngram, y_held = result.held[plan.name]
        E_tr = np.stack([vectors[d] for d in tr.texts])
        E_va = np.stack([vectors[d] for d in va.texts]) if va is not None else None
        y_va = _encode(va.labels, plan) if va is not None else None
        held_texts = va.texts if va is not None else tr.texts
        evaluable = np.array([d not in tuned_on for d in held_texts]) if tuned_on else None
        head, p_blend, y = fit_head(plan, E_tr, _encode(tr.labels, plan), E_va, y_va, lp_ngram, standardise,
                                    evaluable=evaluable)
        lp = np.log(np.clip(p_blend, 1e-12, 1.0))
        z = (lp[:, 1:2] - lp[:, 0:1]) if plan.kind == "sigmoid" else lp
        before = result.metrics[plan.name]
        if evaluable is not None:  # the n-gram figures on the same posts
            ng = lp_ngram[evaluable]
            before = dict(_metrics(y, (ng[:, 1:2] - ng[:, 0:1]) if plan.kind == "sigmoid" else ng, plan, 1.0, 0.0),
                          evaluated_by=before["evaluated_by"])
        metrics = _metrics(y, z, plan, 1.0, 0.0)
        metrics["evaluated_by"] = before["evaluated_by"] + (
            f", posts the encoder was not tuned on ({len(y):,} of {len(held_texts):,})" if evaluable is not None else "")
        key = "macro_recall" if plan.metric == "macro_recall" else "macro_f1"
        metrics["ngram_only"] = {k: before[k] for k in (key, "macro_f1", "accuracy") if k in before}
        if "macro_f1_four_labels" in before:
            metrics["ngram_only"]["macro_f1_four_labels"] = before["macro_f1_four_labels"]
        metrics["embedding_weight"] = head.weight
        result.metrics[plan.name] = metrics
        result.encoded[plan.name] = head
        log(f"[accurate] {plan.name:<10} {plan.metric} {before[key]:.3f} -> {metrics[key]:.3f} with the encoder "
            f"(weight {head.weight:.1f}; {time.perf_counter() - started:.0f} s)")


def _recorded(folder: Path) -> dict:
    """The encoder block of the manifest beside a reused encoder, if there is one."""
    try:
        return json.loads((Path(folder) / "manifest.json").read_text()).get("encoder", {})
    except (OSError, ValueError):
        return {}


def save_encoder(trained, folder: Path) -> dict:
    """Write the encoder files and embedding heads beside the n-gram files; returns the manifest block."""
    src = Path(trained.encoder_dir)
    for name in (ENCODER_FILE, TOKENIZER_FILE):
        if (src / name).resolve() != (folder / name).resolve():
            shutil.copyfile(src / name, folder / name)
    arrays, heads = {}, {}
    if trained.base is not None:  # heads not refitted keep their embedding heads
        kept = _recorded(trained.base).get("heads", {})
        with np.load(Path(trained.base) / "encoder-heads.npz", allow_pickle=False) as stored:
            for name, info in kept.items():
                if name not in trained.encoded:
                    arrays[f"coef_{name}"], arrays[f"bias_{name}"] = stored[f"coef_{name}"], stored[f"bias_{name}"]
                    heads[name] = info
    for name, head in trained.encoded.items():
        arrays[f"coef_{name}"] = head.coef.astype(np.float32)
        arrays[f"bias_{name}"] = head.bias.astype(np.float32)
        heads[name] = {"weight": head.weight, "temperature": round(head.temperature, 5),
                       "blend_temperature": round(head.blend_temperature, 5)}
    np.savez_compressed(folder / "encoder-heads.npz", **arrays)
    from .encoder_export import SOURCE, weights_sha256
    try:
        sha = weights_sha256()
    except (ImportError, OSError, RuntimeError):  # an encoder reused as it is (--encoder): keep its recorded provenance
        sha = _recorded(src).get("source_weights_sha256", "")
    return {"file": ENCODER_FILE, "tokenizer": TOKENIZER_FILE, "heads_file": "encoder-heads.npz",
            "max_tokens": MAX_TOKENS, "source": SOURCE, "source_weights_sha256": sha,
            "tuned": bool(trained.tuned), "heads": heads}
