"""Multi-task fine-tuning of the MiniLM encoder's top layers on CPU (training only: torch, transformers).

`parley train --tune`. The lower layers stay as published (frozen) and their
output is computed **once** per training text and cached (float16, at most
64 word pieces, unpadded); only the top `tuned_layers` transformer layers,
the mean pooling and one small linear head per task are trained on that
cache. A step then costs the top layers' forward and backward passes alone,
which is what makes tuning fit a 2-core CPU (the whole encoder, tuned end to
end, ran at under 15 posts a second there).

Tasks: sentiment (subsampled), emotion, offensive and hate (TweetEval
training splits), complaint and severity (X-CI). Each batch holds one task;
batches of all tasks are shuffled together; the loss uses balanced class
weights, as the linear heads do. The task heads are thrown away afterwards:
the shipped heads are the logistic heads fitted on the tuned encoder's
embeddings (training/encoded.py), blended with the n-gram heads.

Held out from tuning, so that the figures stay honest: every validation
split, and one fifth of X-CI (fold 0 of a stratified 5-fold split of the
complaint labels, the same folds the cross-validated heads use). Figures of
heads measured by cross-validation are reported on the posts the encoder
never saw (see encoded_fit.py). Seeds are fixed; results are repeatable on
one machine and library version (float sums may differ across CPUs).
"""

from __future__ import annotations

import json
import random
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .encoder_export import source_folder

TASKS = ("sentiment", "emotion", "offensive", "hate", "complaint", "severity")


@dataclass(frozen=True)
class TuneSettings:
    epochs: float = 1.0
    batch_size: int = 32
    max_tokens: int = 64
    tuned_layers: int = 3  # of MiniLM's 6; the others are frozen and their output cached
    learning_rate: float = 1e-4  # the tuned layers
    head_learning_rate: float = 2e-3  # the task heads
    task_rows: int = 4_500  # at most this many rows of a task (sentiment, offensive, hate), sampled
    seed: int = 0
    threads: int = 2


LAYERS = 6  # MiniLM-L6


def settings_from(**chosen) -> TuneSettings:
    """TuneSettings with the chosen fields changed, checked: a clear ValueError for a value that cannot work."""
    settings = TuneSettings(**chosen)
    if not 1 <= settings.tuned_layers <= LAYERS:
        raise ValueError(f"tuned layers must be 1 to {LAYERS}, not {settings.tuned_layers}")
    if settings.task_rows < 1:
        raise ValueError(f"tuning rows a task must be at least 1, not {settings.task_rows}")
    if not settings.epochs > 0:
        raise ValueError(f"tuning epochs must be above 0, not {settings.epochs}")
    return settings


def holdout(splits: dict) -> set[str]:
    """The X-CI posts kept from tuning: fold 0 of the complaint head's 5 folds."""
    from sklearn.model_selection import StratifiedKFold

    tr, _ = splits["complaint"]
    y = np.array(tr.labels)
    _, held = next(StratifiedKFold(5, shuffle=True, random_state=0).split(np.zeros(len(y)), y))
    return {tr.texts[i] for i in held}


def tuning_sets(splits: dict, plans: dict, held: set[str], settings: TuneSettings) -> dict:
    """task -> (texts, label indices) for tuning; held-out and validation texts excluded.

    Our written emotion posts are left out too: their grouped cross-validation (written_cv.py) is the
    only measure of fear, disgust and surprise, and an encoder tuned on them would flatter it.
    """
    from ..normalize import clean
    from . import written

    val = {d for _, va in splits.values() if va for d in va.texts}
    val |= {clean(r["text"]).model for r in written.emotion_rows()}
    out = {}
    for task in TASKS:
        tr, _ = splits[task]
        index = {label: i for i, label in enumerate(plans[task].labels)}
        rows = [(t, index[y]) for t, y in zip(tr.texts, tr.labels) if t not in held and t not in val]
        if len(rows) > settings.task_rows:
            rows = random.Random(settings.seed).sample(rows, settings.task_rows)
        out[task] = ([t for t, _ in rows], [y for _, y in rows])
    return out


def _additive_mask(mask, dtype):
    """(batch, tokens) 0/1 -> the (batch, 1, 1, tokens) additive mask BERT layers take."""
    import torch

    return (1.0 - mask[:, None, None, :].to(dtype)) * torch.finfo(dtype).min


def _run_layers(layers, states, mask):
    extended = _additive_mask(mask, states.dtype)
    for layer in layers:
        out = layer(states, attention_mask=extended)
        states = out[0] if isinstance(out, (tuple, list)) else out
    return states


def cache_lower(encoder, tokenizer, texts: list[str], frozen: int, batch: int = 128, log=print) -> list:
    """Hidden states after the first `frozen` layers for every text: float16 (tokens x 384), unpadded."""
    import torch
    from tqdm import tqdm

    encodings = tokenizer.encode_batch([t or " " for t in texts])
    order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))  # little padding per batch
    cached = [None] * len(texts)
    started = time.perf_counter()
    with torch.inference_mode():
        for start in tqdm(range(0, len(order), batch), desc="caching lower layers", unit="batch", mininterval=10):
            idx = order[start : start + batch]
            width = max(len(encodings[i].ids) for i in idx)
            ids = torch.zeros((len(idx), width), dtype=torch.long)
            mask = torch.zeros((len(idx), width), dtype=torch.long)
            for row, i in enumerate(idx):
                n = len(encodings[i].ids)
                ids[row, :n] = torch.tensor(encodings[i].ids)
                mask[row, :n] = 1
            states = encoder.embeddings(input_ids=ids, token_type_ids=torch.zeros_like(ids))
            states = _run_layers(encoder.encoder.layer[:frozen], states, mask)
            for row, i in enumerate(idx):
                cached[i] = states[row, : int(mask[row].sum())].to(torch.float16).clone()
    seconds = time.perf_counter() - started
    log(f"[accurate] cached layer {frozen}'s output for {len(texts):,} texts in {seconds:.0f} s "
        f"({len(texts) / max(seconds, 1e-9):.0f} texts/s, "
        f"{sum(c.numel() for c in cached) * 2 / 1e6:.0f} MB)")
    return cached


def tune(splits: dict, plans: dict, out: Path, settings: TuneSettings = TuneSettings(), log=print) -> set[str]:
    """Fine-tune and save the encoder (transformers format) into `out`; returns every text it trained on."""
    import torch
    from tokenizers import Tokenizer
    from tqdm import tqdm
    from transformers import BertModel

    torch.manual_seed(settings.seed)
    torch.set_num_threads(settings.threads)
    rng = random.Random(settings.seed)
    src = source_folder()
    held = holdout(splits)
    sets = tuning_sets(splits, plans, held, settings)
    tokenizer = Tokenizer.from_file(str(src / "tokenizer.json"))
    tokenizer.enable_truncation(settings.max_tokens)
    tokenizer.no_padding()
    encoder = BertModel.from_pretrained(str(src), add_pooling_layer=False, attn_implementation="eager")
    layers = len(encoder.encoder.layer)
    frozen = layers - settings.tuned_layers
    if not 0 <= frozen < layers:
        raise ValueError(f"tuned_layers must be 1 to {layers}")
    for p in encoder.parameters():
        p.requires_grad_(False)
    top = encoder.encoder.layer[frozen:]
    for p in top.parameters():
        p.requires_grad_(True)

    texts = list(dict.fromkeys(t for ts, _ in sets.values() for t in ts))
    position = {t: i for i, t in enumerate(texts)}
    encoder.eval()
    cached = cache_lower(encoder, tokenizer, texts, frozen, log=log)

    heads = torch.nn.ModuleDict({t: torch.nn.Linear(encoder.config.hidden_size, len(plans[t].labels)) for t in TASKS})
    dropout = torch.nn.Dropout(0.1)
    weights = {}
    for task, (_, labels) in sets.items():  # balanced class weights, as the linear heads use
        counts = np.bincount(labels, minlength=len(plans[task].labels)).astype(float)
        w = np.where(counts > 0, len(labels) / (len(counts) * np.maximum(counts, 1)), 0.0)
        weights[task] = torch.tensor(w, dtype=torch.float32)
    batches = []
    for task, (task_texts, _) in sets.items():
        order = list(range(len(task_texts)))
        for _ in range(int(np.ceil(settings.epochs))):
            rng.shuffle(order)
            batches += [(task, order[i : i + settings.batch_size]) for i in range(0, len(order), settings.batch_size)]
    rng.shuffle(batches)
    total = sum(int(np.ceil(len(t) / settings.batch_size)) for t, _ in sets.values())
    batches = batches[: max(1, int(total * settings.epochs))]
    tuned = list(top.parameters())
    optimiser = torch.optim.AdamW([{"params": tuned, "lr": settings.learning_rate},
                                   {"params": list(heads.parameters()), "lr": settings.head_learning_rate}],
                                  weight_decay=0.01)
    warmup = max(1, len(batches) // 10)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda step: min((step + 1) / warmup, max(0.0, (len(batches) - step) / max(1, len(batches) - warmup))))
    log(f"[accurate] tuning layers {frozen + 1}-{layers} of {layers}: {len(batches):,} batches of "
        f"{settings.batch_size} over " + ", ".join(f"{t} {len(sets[t][0]):,}" for t in TASKS)
        + f"; {len(held):,} X-CI posts and every validation split held out")
    top.train()
    started, seen_loss, examples = time.perf_counter(), [], 0
    bar = tqdm(batches, desc="tuning", unit="batch", mininterval=10)
    for step, (task, idx) in enumerate(bar):
        task_texts, labels = sets[task]
        rows = [cached[position[task_texts[i]]] for i in idx]
        width = max(len(r) for r in rows)
        states = torch.zeros((len(rows), width, encoder.config.hidden_size))
        mask = torch.zeros((len(rows), width), dtype=torch.long)
        for row, r in enumerate(rows):
            states[row, : len(r)] = r.float()
            mask[row, : len(r)] = 1
        states = _run_layers(top, states, mask)
        m = mask.unsqueeze(-1).float()
        pooled = (states * m).sum(1) / m.sum(1).clamp(min=1e-9)
        logits = heads[task](dropout(pooled))
        target = torch.tensor([labels[i] for i in idx])
        loss = torch.nn.functional.cross_entropy(logits, target, weight=weights[task])
        loss.backward()
        torch.nn.utils.clip_grad_norm_(tuned + list(heads.parameters()), 1.0)
        optimiser.step()
        schedule.step()
        optimiser.zero_grad()
        seen_loss.append(loss.item())
        examples += len(idx)
        if (step + 1) % 200 == 0 or step + 1 == len(batches):
            seconds = time.perf_counter() - started
            bar.set_postfix(loss=f"{np.mean(seen_loss[-200:]):.3f}", ex_s=f"{examples / seconds:.0f}")
            log(f"[accurate] tuning step {step + 1:,}/{len(batches):,} loss {np.mean(seen_loss[-200:]):.3f} "
                f"({seconds:.0f} s, {examples / seconds:.0f} examples/s)")
    encoder.eval()
    out.mkdir(parents=True, exist_ok=True)
    encoder.save_pretrained(str(out))
    return {t for ts, _ in sets.values() for t in ts}


def tune_and_export(data_dir: Path, out: Path, settings: TuneSettings = TuneSettings(), log=print) -> None:
    """Tune on the shared data and write encoder.onnx, tokenizer.json and tuned-on.json into `out`.

    `parley train --profile accurate --tune --encoder OUT` then fits the heads on it and leaves the
    posts it was tuned on out of every figure.
    """
    import shutil
    import tempfile

    from . import datasets as ds
    from .encoded_fit import TUNED_ON
    from .encoder_export import export
    from .fit import build_splits
    from .heads import HEADS

    plans = {p.name: p for p in HEADS}
    splits = build_splits(ds.Data(data_dir), tuple(plans[t] for t in TASKS))
    weights = Path(tempfile.mkdtemp(prefix="parley-tuned-"))
    try:
        seen = tune(splits, plans, weights, settings, log=log)
        export(out, log=log, weights=weights)
    finally:
        shutil.rmtree(weights, ignore_errors=True)
    (out / TUNED_ON).write_text(json.dumps(sorted(seen)))
    log(f"[accurate] wrote {out} ({len(seen):,} texts tuned on, listed in {TUNED_ON})")


if __name__ == "__main__":  # python -m parley.triage.training.finetune DATA OUT [setting=value ...] (no Django)
    import dataclasses
    import sys

    types = {f.name: type(getattr(TuneSettings(), f.name)) for f in dataclasses.fields(TuneSettings)}
    chosen = dict(arg.split("=", 1) for arg in sys.argv[3:])
    begun = time.perf_counter()
    tune_and_export(Path(sys.argv[1]), Path(sys.argv[2]), settings_from(**{k: types[k](v) for k, v in chosen.items()}))
    print(f"[accurate] tuning and export took {time.perf_counter() - begun:.0f} s")
