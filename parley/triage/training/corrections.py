"""Agents' corrections as extra training rows (`parley train --with-corrections`)."""

from __future__ import annotations

from ..labels import INTENTS, OUTCOMES, SENTIMENTS, TRAINED_EMOTIONS
from .datasets import Split


def _label(field: str, value):
    """The training label for head `field`'s corrected value, or None when it cannot train that head."""
    if field == "intent" and value in INTENTS:
        return "intent", value
    if field == "sentiment" and value in SENTIMENTS:
        return "sentiment", value
    if field == "emotion" and value in TRAINED_EMOTIONS:
        return "emotion", value
    if field == "desired_outcome" and value in OUTCOMES:
        return "outcome", value
    if field == "severity" and value in (0, 1, 2, 3, 4):
        return "severity", int(value)
    if field in ("complaint", "offensive", "hate") and value in (True, False, 0, 1):
        return field, int(bool(value))
    return None


def as_splits(rows) -> dict[str, Split]:
    """rows: (text, field, new value), latest correction last; the latest per (text, field) wins."""
    latest: dict[tuple[str, str], object] = {}
    for text, field, value in rows:
        if text:
            latest[(text, field)] = value
    out: dict[str, Split] = {}
    for (text, field), value in latest.items():
        mapped = _label(field, value)
        if mapped is not None:
            head, label = mapped
            out.setdefault(head, Split()).add(text, label)
    return out
