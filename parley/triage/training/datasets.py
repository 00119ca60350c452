"""Training sets for every head, read from the shared data folder (training only).

Each loader returns (texts, labels). The mappings from the source labels to
Parley's labels are written out here and in docs/model-card.md. Never reads an
official test split: only X-CI's released 70%, TweetEval's *_train/*_val,
SemEval (deduplicated against TweetEval's validation split), Bitext and the
labelled TWCS sample.
"""

from __future__ import annotations

import csv
import json
import random
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..normalize import clean
from . import written


@dataclass
class Split:
    texts: list[str] = field(default_factory=list)
    labels: list = field(default_factory=list)

    def add(self, text: str, label) -> None:
        self.texts.append(text)
        self.labels.append(label)

    def extend(self, other: "Split") -> "Split":
        self.texts += other.texts
        self.labels += other.labels
        return self

    def __len__(self) -> int:
        return len(self.texts)

    def sample(self, n: int, seed: int = 7) -> "Split":
        if len(self) <= n:
            return self
        idx = sorted(random.Random(seed).sample(range(len(self)), n))
        return Split([self.texts[i] for i in idx], [self.labels[i] for i in idx])


def _jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _csv(path: Path) -> list[dict]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


class Data:
    """The shared data folder, read lazily; `limit` caps every source (tiny test runs)."""

    def __init__(self, root: Path, limit: int | None = None):
        self.root = Path(root)
        self.limit = limit
        self._cache: dict = {}

    def _rows(self, *parts: str) -> list[dict]:
        key = parts
        if key not in self._cache:
            path = self.root.joinpath(*parts)
            rows = _jsonl(path) if path.suffix == ".jsonl" else _csv(path)
            if self.limit:
                rows = random.Random(3).sample(rows, min(self.limit, len(rows)))
            self._cache[key] = rows
        return self._cache[key]

    def xci(self) -> list[dict]:
        return self._rows("complaints-xci", "train.jsonl")

    def tweeteval(self, task: str, split: str) -> Split:
        rows = self._rows("tweeteval", f"{task}_{split}.jsonl")
        return Split([r["text"] for r in rows], [r["label"] for r in rows])

    def semeval(self, exclude: set[str]) -> Split:
        out = Split()
        for r in self._rows("semeval-sentiment", "train.jsonl"):
            if loose_key(r["text"]) not in exclude:
                out.add(r["text"], r["label"])
        return out

    def bitext(self) -> list[dict]:
        rows = self._rows("bitext-intents", "Bitext_Sample_Customer_Service_Training_Dataset_8k.csv")
        return rows + self._rows("bitext-intents", "Bitext_Sample_20000_utterances.csv")

    def twcs_inbound(self) -> list[dict]:
        rows = []
        for company in ("AmazonHelp", "AppleSupport", "SpotifyCares"):
            rows += self._rows("twcs-labelled", f"twcs-{company}-200-inbound.csv")
        return rows


# --- heads read straight from one source ---------------------------------------------


def complaint(data: Data) -> Split:
    return Split([r["text"] for r in data.xci()], [int(r["complaint"]) for r in data.xci()])


def severity(data: Data) -> Split:
    return Split([r["text"] for r in data.xci()], [int(r["severity"]) for r in data.xci()])


def loose_key(text: str) -> str:
    """Letters only, handles and links dropped: finds the same tweet in two collections."""
    model = clean(text).model.replace("@user", "").replace("http", "")
    return re.sub(r"[^a-z]", "", model)[:60]


def sentiment(data: Data, split: str) -> Split:
    """TweetEval sentiment; for training also SemEval 2013-16 and X-CI's polarity.

    Most of TweetEval's validation tweets are also in the SemEval collection
    (92% by `loose_key`); they are removed from training so the validation
    figures mean something.
    """
    if split == "val":
        return data.tweeteval("sentiment", "val")
    val = {loose_key(t) for t in data.tweeteval("sentiment", "val").texts}
    out = Split()
    train = data.tweeteval("sentiment", "train")
    for t, y in zip(train.texts, train.labels):
        if loose_key(t) not in val:
            out.add(t, y)
    out.extend(data.semeval(exclude=val))
    for r in data.xci():
        out.add(r["text"], r["sentiment"])
    return out


XCI_EMOTION = {"anger": "anger", "sadness": "sadness", "joy": "joy", "other": "neutral",
               "fear": "fear", "disgust": "disgust", "surprise": "surprise"}


def emotion(data: Data, split: str) -> Split:
    """TweetEval emotion (4 labels); for training also X-CI (other -> neutral) and our written posts.

    The written posts (training/data/written-emotions.jsonl) are the only real source of fear,
    disgust and surprise besides X-CI's 17 posts; they also hold hard negatives.
    """
    out = Split().extend(data.tweeteval("emotion", split))
    if split == "train":
        for r in data.xci():
            if r["emotion"] in XCI_EMOTION:
                out.add(r["text"], XCI_EMOTION[r["emotion"]])
        for r in written.emotion_rows():
            out.add(r["text"], r["label"])
    return out


def binary(data: Data, task: str, split: str) -> Split:
    """TweetEval offensive or hate; for offensive training also our plain-worded safety complaints (0)."""
    positive = {"offensive": "offensive", "hate": "hate"}[task]
    s = data.tweeteval(task, split)
    out = Split(s.texts, [int(y == positive) for y in s.labels])
    if task == "offensive" and split == "train":
        for r in written.safety_rows():
            out.add(r["text"], 0)
    return out


# --- intent: assembled from several sources -----------------------------------------

INTERROGATIVE_STARTS = (
    "how", "what", "where", "when", "why", "which", "who", "can", "could", "is", "are", "do",
    "does", "did", "will", "would", "should", "may", "have", "has", "any",
)


def _is_question(text: str) -> bool:
    t = text.strip().lower()
    return t.endswith("?") or (t.split(" ", 1)[0] in INTERROGATIVE_STARTS)


def intent(data: Data) -> Split:
    out = Split()
    per_intent: dict[str, int] = {}
    for r in data.bitext():
        name = r["intent"]
        if per_intent.get(name, 0) >= 120:
            continue
        per_intent[name] = per_intent.get(name, 0) + 1
        text = r["utterance"]
        if name == "complaint":
            label = "complaint"
        elif name == "review":
            label = "feedback"
        else:
            label = "question" if ("I" in r["flags"] or _is_question(text)) else "request"
        out.add(text, label)
    for r in data.xci():
        if int(r["complaint"]):
            out.add(r["text"], "complaint")
        elif r["domain"] in ("random_tweet",) and r["sentiment"] != "negative":
            out.add(r["text"], "chatter")
        elif _is_question(r["text"]):
            out.add(r["text"], "question")
        elif r["sentiment"] == "positive" and r["emotion"] == "joy" and r["domain"] != "random_reply":
            out.add(r["text"], "praise")
    for r in data.twcs_inbound():
        if r.get("Service Praise"):
            out.add(r["text"], "praise")
        elif r.get("Bad Support"):
            out.add(r["text"], "complaint")
    off = data.tweeteval("offensive", "train")
    abusive = [t for t, y in zip(off.texts, off.labels) if y == "offensive"]
    hate = data.tweeteval("hate", "train")
    abusive += [t for t, y in zip(hate.texts, hate.labels) if y == "hate"][:300]
    out.extend(Split(abusive, ["abuse"] * len(abusive)).sample(900, seed=5))
    sent = data.tweeteval("sentiment", "train")
    chatter = [t for t, y in zip(sent.texts, sent.labels) if y != "negative"]
    for t in Split(chatter, [0] * len(chatter)).sample(700, seed=11).texts:
        out.add(t, "chatter")
    out.extend(written.intent_examples())
    for r in written.safety_rows():  # defects and hazards in plain words are complaints, not abuse
        out.add(r["text"], "complaint")
    return out


# --- desired outcome ---------------------------------------------------------------

BITEXT_OUTCOME = {
    "get_refund": "refund", "track_refund": "refund",
    "cancel_order": "cancellation", "delete_account": "cancellation",
    "track_order": "delivery", "delivery_period": "delivery", "change_shipping_address": "delivery",
    "set_up_shipping_address": "delivery",
    "recover_password": "account_access", "registration_problems": "account_access",
    "switch_account": "account_access", "edit_account": "account_access",
    "check_refund_policy": "information", "delivery_options": "information",
    "check_cancellation_fee": "information", "check_payment_methods": "information",
    "check_invoice": "information", "check_invoices": "information", "get_invoice": "information",
    "place_order": "information", "create_account": "information",
    "complaint": "to_be_heard",
}
TWCS_OUTCOME = {
    "Refund": "refund", "Return": "return", "Replacement": "replacement",
    "Order Cancellation": "cancellation", "Delivery": "delivery", "Account": "account_access",
    "Bad Support": "to_be_heard", "Unresponsive/Freezing Device": "repair", "Battery": "repair",
    "Service Praise": "none",
}


def outcome(data: Data) -> Split:
    out = Split()
    per: dict[str, int] = {}
    for r in data.bitext():
        label = BITEXT_OUTCOME.get(r["intent"])
        if label is None or per.get(r["intent"], 0) >= 100:
            continue
        per[r["intent"]] = per.get(r["intent"], 0) + 1
        out.add(r["utterance"], label)
    for r in data.twcs_inbound():
        labels = [v for k, v in TWCS_OUTCOME.items() if r.get(k)]
        if len(labels) == 1:
            out.add(r["text"], labels[0])
    none = Split()
    for r in data.xci():
        if not int(r["complaint"]) and not _is_question(r["text"]):
            none.add(r["text"], "none")
    out.extend(none.sample(500, seed=13))
    out.extend(written.outcome_examples())
    return out
