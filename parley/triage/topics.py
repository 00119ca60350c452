"""Brand-configurable topics (pure; no Django).

A topic is a name with keywords and/or example posts. Keywords match whole
words, case-insensitively; a trailing `*` matches any ending ("deliver*"
matches "delivery", "delivered"). Examples match by character-trigram
similarity, which tolerates typos and inflections. A brand replaces the
defaults with its own under the brand setting `triage_topics`:

    {"billing": {"keywords": ["invoice", "charged*"], "examples": ["you took my money twice"]}}
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from .features import FeatureSpec, char_hashes

DEFAULT_TOPICS: dict[str, dict] = {
    "billing": {"keywords": ["bill*", "invoice*", "charg*", "overcharg*", "payment*", "paid", "pay", "fee*",
                             "subscription fee", "direct debit", "receipt*"]},
    "refund": {"keywords": ["refund*", "money back", "reimburs*", "chargeback"]},
    "delivery": {"keywords": ["deliver*", "shipping", "shipped", "ship", "courier", "parcel*", "package*",
                              "tracking", "dispatch*", "arriv*", "late", "never came", "driver"]},
    "defect": {"keywords": ["broken", "broke", "faulty", "defect*", "damaged", "crack*", "doesn't work",
                            "not working", "stopped working", "won't turn on", "dead", "malfunction*"]},
    "app": {"keywords": ["app", "apps", "website", "site", "login", "log in", "crash*", "update", "bug*",
                         "error", "glitch*", "ios", "android"]},
    "account": {"keywords": ["account*", "password", "sign in", "signin", "locked out", "hacked", "verify",
                             "verification", "username", "profile"]},
    "service": {"keywords": ["customer service", "support", "staff", "agent*", "rude", "hold", "on hold",
                             "call centre", "call center", "nobody answers", "no response"]},
    "price": {"keywords": ["price*", "expensive", "cost*", "discount*", "coupon*", "promo*", "deal*", "sale"]},
    "outage": {"keywords": ["outage", "down", "no signal", "no internet", "not loading", "offline",
                            "no service", "disconnect*"]},
    "travel": {"keywords": ["flight*", "delay*", "cancelled flight", "luggage", "baggage", "boarding",
                            "gate", "seat*", "airport"]},
}

_SPEC = FeatureSpec(char_min=3, char_max=3, word_max=1)
EXAMPLE_THRESHOLD = 0.45


_TOKEN = re.compile(r"[\w']+")


def _keywords(keywords) -> list[tuple[tuple[str, ...], bool]]:
    """Each keyword as (words, is_prefix): "never came" -> (("never", "came"), False)."""
    out = []
    for kw in keywords:
        kw = str(kw).strip().lower()
        prefix = kw.endswith("*")
        words = tuple(_TOKEN.findall(kw.rstrip("*")))
        if words:
            out.append((words, prefix))
    return out


def _trigram_vector(texts: list[str]) -> list[dict[int, float]]:
    rows, cols = char_hashes([t.lower() for t in texts], _SPEC)
    vectors: list[dict[int, float]] = [dict() for _ in texts]
    for r, c in zip(rows.tolist(), cols.tolist()):
        vectors[r][c] = 1.0
    return vectors


def _cosine(a: dict[int, float], b: dict[int, float]) -> float:
    if not a or not b:
        return 0.0
    common = len(a.keys() & b.keys())
    return common / float(np.sqrt(len(a) * len(b)))


@dataclass
class Topic:
    name: str
    keywords: list[tuple[tuple[str, ...], bool]]
    examples: list[dict[int, float]] = field(default_factory=list)


class TopicSet:
    """Compiled topics; build once per brand configuration and reuse."""

    def __init__(self, config: dict[str, dict] | None = None):
        config = DEFAULT_TOPICS if config is None else config
        self.topics: list[Topic] = []
        for name, spec in config.items():
            spec = spec or {}
            keywords = spec.get("keywords", []) if isinstance(spec, dict) else list(spec)
            examples = spec.get("examples", []) if isinstance(spec, dict) else []
            self.topics.append(Topic(str(name), _keywords(keywords),
                                     _trigram_vector([str(e) for e in examples]) if examples else []))
        # Lookup tables: single words (exact and prefixes) by dict; phrases by substring, then regex.
        self._words: dict[str, set[int]] = {}
        self._prefix: dict[str, set[int]] = {}
        self._phrases: list[tuple[str, re.Pattern, int]] = []
        for i, topic in enumerate(self.topics):
            for words, is_prefix in topic.keywords:
                if len(words) > 1:
                    phrase = " ".join(words)
                    tail = r"\w*" if is_prefix else ""
                    pattern = re.compile(r"(?<!\w)" + r"\W+".join(map(re.escape, words)) + tail + r"(?!\w)")
                    self._phrases.append((words[0], pattern, i))
                elif is_prefix:
                    self._prefix.setdefault(words[0], set()).add(i)
                else:
                    self._words.setdefault(words[0], set()).add(i)
        self._prefix_lengths = sorted({len(p) for p in self._prefix})

    def _keyword_hits(self, plain: str) -> set[int]:
        lowered = plain.lower()
        tokens = set(_TOKEN.findall(lowered))
        hits: set[int] = set()
        for word in tokens & self._words.keys():
            hits |= self._words[word]
        if self._prefix:
            for token in tokens:
                for k in self._prefix_lengths:
                    if k > len(token):
                        break
                    found = self._prefix.get(token[:k])
                    if found:
                        hits |= found
        for first, pattern, i in self._phrases:
            if i not in hits and first in tokens and pattern.search(lowered):
                hits.add(i)
        return hits

    def match(self, plain: str) -> list[str]:
        hits = self._keyword_hits(plain)
        found = []
        vector = None
        for i, topic in enumerate(self.topics):
            if i in hits:
                found.append(topic.name)
                continue
            if topic.examples:
                if vector is None:
                    vector = _trigram_vector([plain])[0]
                if max(_cosine(vector, e) for e in topic.examples) >= EXAMPLE_THRESHOLD:
                    found.append(topic.name)
        return found
