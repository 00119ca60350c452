"""Scoring the promise detector against labelled replies (used by the tests and for docs/promises.md).

A labelled row: {"text", "sent_at" (optional), "promises": [{"text": <exact substring>, "due": ISO or null}]}.
A detected promise is correct when its span overlaps a labelled one; a labelled promise is found
when a detected span overlaps it. Due times are compared on the promises found that have a
labelled due time (equal to the minute).

    .venv/bin/python -m tests.sla.scoring tests/sla/data/promises_written.jsonl ...
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path


@dataclass
class Score:
    replies: int = 0
    gold: int = 0
    predicted: int = 0
    correct_predicted: int = 0
    found_gold: int = 0
    due_labelled: int = 0
    due_right: int = 0
    false_positives: list = field(default_factory=list)
    misses: list = field(default_factory=list)
    wrong_dues: list = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.correct_predicted / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.found_gold / self.gold if self.gold else 1.0

    @property
    def due_accuracy(self) -> float:
        return self.due_right / self.due_labelled if self.due_labelled else 1.0

    def line(self, name: str) -> str:
        return (f"{name}: {self.replies} replies, {self.gold} labelled promises, {self.predicted} detected; "
                f"precision {self.precision:.3f}, recall {self.recall:.3f}, "
                f"due right {self.due_right}/{self.due_labelled}")


def load(path) -> list[dict]:
    return [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]


def _overlap(a, b) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def score(rows, detect, due_parser=None) -> Score:
    """Score `detect(text, sent_at) -> [(start, end, due)]` on rows; `due_parser(span_text, sent_at)` optional."""
    s = Score()
    for row in rows:
        text = row["text"]
        sent_at = datetime.fromisoformat(row["sent_at"]) if row.get("sent_at") else None
        gold = []
        for p in row["promises"]:
            i = text.find(p["text"])
            assert i >= 0, f"label {p['text']!r} is not in {text!r}"
            gold.append((i, i + len(p["text"]), p.get("due")))
        predicted = detect(text, sent_at)
        s.replies += 1
        s.gold += len(gold)
        s.predicted += len(predicted)
        for p in predicted:
            if any(_overlap(p, g) for g in gold):
                s.correct_predicted += 1
            else:
                s.false_positives.append(text[p[0]:p[1]])
        for g in gold:
            hits = [p for p in predicted if _overlap(p, g)]
            if not hits:
                s.misses.append(text[g[0]:g[1]])
                continue
            s.found_gold += 1
            if g[2] is not None:
                s.due_labelled += 1
                due = hits[0][2] if due_parser is None else due_parser(text[hits[0][0]:hits[0][1]], sent_at)
                if due is not None and abs((due - datetime.fromisoformat(g[2])).total_seconds()) < 60:
                    s.due_right += 1
                else:
                    s.wrong_dues.append((text[g[0]:g[1]], g[2], due.isoformat() if due else None))
    return s


def ours(text, sent_at):
    from parley.sla.promises import detect

    return [(p.start, p.end, p.due) for p in detect(text, sent_at)]


def real_rows(labels_path, shared_dir) -> list[dict]:
    """Labelled rows for real brand replies: the texts come from ../shared, the labels from our file."""
    import csv

    shared_dir = Path(shared_dir)
    out = []
    labels = load(labels_path)
    if labels and "file" in labels[0]:
        tables: dict[str, list[dict]] = {}
        for label in labels:
            if label["file"] not in tables:
                with open(shared_dir / "twcs-labelled" / label["file"], newline="", encoding="utf-8") as f:
                    tables[label["file"]] = list(csv.DictReader(f))
            row = tables[label["file"]][label["row"]]
            out.append({"text": row["text"], "sent_at": row["created_at"].replace(" ", "T"),
                        "promises": label["promises"]})
        return out
    conversations = json.loads((shared_dir / "ibm-twitter-customer-care" / "dev.json").read_text(encoding="utf-8"))
    for label in labels:
        conv = conversations[label["conversation"]]
        if label["turn"] == "agentURL":
            text, sent_at = conv["agentURL"]["url_utterance"], None
        else:
            turn = conv["dialogContent"][label["turn"]]
            text, sent_at = turn["message"], turn["datetime"].replace("Z", "+00:00")
        out.append({"text": text, "sent_at": sent_at, "promises": label["promises"]})
    return out


if __name__ == "__main__":
    import django
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parley.settings")
    django.setup()
    verbose = "-v" in sys.argv
    from tests.conftest import SHARED

    shared = SHARED / "data"
    for path in [a for a in sys.argv[1:] if a != "-v"]:
        rows = load(path) if "written" in path else real_rows(path, shared)
        result = score(rows, ours)
        print(result.line(Path(path).name))
        if verbose:
            for fp in result.false_positives:
                print("  FP:", fp)
            for miss in result.misses:
                print("  MISS:", miss)
            for wrong in result.wrong_dues:
                print("  DUE:", wrong)

