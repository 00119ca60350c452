"""YouTube has no webhooks for comments (its PubSubHubbub feed announces videos only): comments are
polled, see poll.py. This module exists so every adapter has the same shape."""

SIGNATURE_HEADER = ""


def signature_ok(secret: str, body: bytes, header: str) -> bool:  # pragma: no cover - never called
    return False
