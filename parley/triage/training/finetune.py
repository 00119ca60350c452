"""Multi-task fine-tuning of the MiniLM encoder on CPU (training only: torch, transformers).

Experimental: `parley train --tune`. The shipped accurate profile uses the
encoder frozen; a full run did not fit the shared 2-core machine (fewer than
15 posts a second while other jobs ran), so no tuned figures exist yet.

One shared encoder (mean-pooled), one linear head per task: sentiment,
emotion, offensive and hate (TweetEval training splits; sentiment subsampled),
complaint and severity (X-CI). Each batch holds one task; batches of all tasks
are shuffled together. The task heads are thrown away afterwards: the shipped
heads are the logistic heads fitted on the tuned encoder's embeddings
(training/encoded.py), blended with the n-gram heads.

Held out from tuning, so that the figures stay honest: every validation
split, and one fifth of X-CI (fold 0 of a stratified 5-fold split of the
complaint labels, the same folds the cross-validated heads use). Figures of
heads measured by cross-validation are reported on the posts the encoder
never saw (see encoded_fit.py).
"""

from __future__ import annotations

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
    learning_rate: float = 6e-5
    sentiment_rows: int = 12_000
    seed: int = 0
    threads: int = 2


def holdout(splits: dict) -> set[str]:
    """The X-CI posts kept from tuning: fold 0 of the complaint head's 5 folds."""
    from sklearn.model_selection import StratifiedKFold

    tr, _ = splits["complaint"]
    y = np.array(tr.labels)
    _, held = next(StratifiedKFold(5, shuffle=True, random_state=0).split(np.zeros(len(y)), y))
    return {tr.texts[i] for i in held}


def tuning_sets(splits: dict, plans: dict, held: set[str], settings: TuneSettings) -> dict:
    """task -> (texts, label indices) for tuning; held-out and validation texts excluded."""
    val = {d for _, va in splits.values() if va for d in va.texts}
    out = {}
    for task in TASKS:
        tr, _ = splits[task]
        index = {label: i for i, label in enumerate(plans[task].labels)}
        rows = [(t, index[y]) for t, y in zip(tr.texts, tr.labels) if t not in held and t not in val]
        if task == "sentiment" and len(rows) > settings.sentiment_rows:
            rows = random.Random(settings.seed).sample(rows, settings.sentiment_rows)
        out[task] = ([t for t, _ in rows], [y for _, y in rows])
    return out


def tune(splits: dict, plans: dict, out: Path, settings: TuneSettings = TuneSettings(), log=print) -> set[str]:
    """Fine-tune and save the encoder (transformers format) into `out`; returns every text it trained on."""
    import torch
    from tokenizers import Tokenizer
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
    encoder = BertModel.from_pretrained(str(src), add_pooling_layer=False)
    heads = torch.nn.ModuleDict({t: torch.nn.Linear(encoder.config.hidden_size, len(plans[t].labels)) for t in TASKS})
    dropout = torch.nn.Dropout(0.1)
    weights = {}
    for task, (_, labels) in sets.items():  # balanced class weights, as the linear heads use
        counts = np.bincount(labels, minlength=len(plans[task].labels)).astype(float)
        w = np.where(counts > 0, len(labels) / (len(counts) * np.maximum(counts, 1)), 0.0)
        weights[task] = torch.tensor(w, dtype=torch.float32)
    batches = []
    for task, (texts, labels) in sets.items():
        order = list(range(len(texts)))
        for _ in range(int(np.ceil(settings.epochs))):
            rng.shuffle(order)
            batches += [(task, order[i : i + settings.batch_size]) for i in range(0, len(order), settings.batch_size)]
    rng.shuffle(batches)
    total = sum(int(np.ceil(len(t) / settings.batch_size)) for t, _ in sets.values())
    batches = batches[: int(total * settings.epochs)]
    params = list(encoder.parameters()) + list(heads.parameters())
    optimiser = torch.optim.AdamW(params, lr=settings.learning_rate, weight_decay=0.01)
    warmup = max(1, len(batches) // 10)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda step: min((step + 1) / warmup, max(0.0, (len(batches) - step) / (len(batches) - warmup))))
    log(f"[accurate] tuning the encoder: {len(batches):,} batches of {settings.batch_size} over "
        + ", ".join(f"{t} {len(sets[t][0]):,}" for t in TASKS) + f"; {len(held):,} X-CI posts held out")
    encoder.train()
    started, seen_loss = time.perf_counter(), []
    for step, (task, idx) in enumerate(batches):
        texts, labels = sets[task]
        encodings = tokenizer.encode_batch([texts[i] or " " for i in idx])
        width = max(len(e.ids) for e in encodings)
        ids = torch.zeros((len(idx), width), dtype=torch.long)
        mask = torch.zeros((len(idx), width), dtype=torch.long)
        for row, e in enumerate(encodings):
            ids[row, : len(e.ids)] = torch.tensor(e.ids)
            mask[row, : len(e.ids)] = 1
        states = encoder(input_ids=ids, attention_mask=mask).last_hidden_state
        m = mask.unsqueeze(-1).float()
        pooled = (states * m).sum(1) / m.sum(1).clamp(min=1e-9)
        logits = heads[task](dropout(pooled))
        target = torch.tensor([labels[i] for i in idx])
        loss = torch.nn.functional.cross_entropy(logits, target, weight=weights[task])
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        optimiser.step()
        schedule.step()
        optimiser.zero_grad()
        seen_loss.append(loss.item())
        if (step + 1) % 100 == 0 or step + 1 == len(batches):
            log(f"[accurate] tuning step {step + 1:,}/{len(batches):,} loss {np.mean(seen_loss[-100:]):.3f} "
                f"({time.perf_counter() - started:.0f} s)")
    encoder.eval()
    out.mkdir(parents=True, exist_ok=True)
    encoder.save_pretrained(str(out))
    return {t for texts, _ in sets.values() for t in texts}
