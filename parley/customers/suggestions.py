"""Who is probably the same person: a pure score over two customers' profiles.

A profile is what Parley knows that can tie accounts together: email addresses
and phone numbers seen in private messages, emails or the identities
themselves, the display names and the handles. `score` weighs the evidence;
`rank` orders candidates. No database here: `profiles.py` builds the inputs.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from difflib import SequenceMatcher

# Evidence weights (a score of 1.0 or more is shown as "very likely").
EMAIL = 1.0
PHONE = 0.9
NAME = 0.45  # a full name (two words or more) written the same way
HANDLE_SAME = 0.6  # the same handle on two platforms
HANDLE_SIMILAR = 0.35  # handles that differ by a digit, a dot or an underscore
# Below this a candidate is not suggested at all.
THRESHOLD = 0.4
# Handles shorter than this say too little to compare.
MIN_HANDLE = 4


@dataclass(frozen=True)
class Profile:
    customer_id: int
    names: frozenset[str] = frozenset()
    handles: frozenset[str] = frozenset()
    emails: frozenset[str] = frozenset()
    phones: frozenset[str] = frozenset()
    platforms: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Match:
    customer_id: int
    score: float
    reasons: tuple[str, ...] = field(default_factory=tuple)

    @property
    def likely(self) -> str:
        return "very likely" if self.score >= 1.0 else "likely" if self.score >= 0.6 else "possible"


def normalise_name(name: str) -> str:
    """Lower case, accents and punctuation dropped, spaces collapsed: "José  O'Neil" -> "jose oneil"."""
    text = unicodedata.normalize("NFKD", str(name or "")).casefold()
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = re.sub(r"['’`.]", "", text)
    return " ".join(re.sub(r"[^\w]+", " ", text).split())


def normalise_handle(handle: str) -> str:
    """Handle without "@", case folded; an email address keeps only its local part's letters and digits."""
    text = str(handle or "").strip().lstrip("@").casefold()
    if "@" in text:
        text = text.split("@", 1)[0]
    return text


def handle_core(handle: str) -> str:
    """The letters of a handle: "jane_doe_82" and "JaneDoe" share the core "janedoe"."""
    return re.sub(r"[^a-z]", "", unicodedata.normalize("NFKD", normalise_handle(handle)))


def normalise_email(email: str) -> str:
    return str(email or "").strip().casefold()


def _full_names(profile: Profile) -> set[str]:
    return {n for n in profile.names if len(n.split()) >= 2}


def _handles_alike(a: str, b: str) -> bool:
    core_a, core_b = handle_core(a), handle_core(b)
    if len(core_a) < MIN_HANDLE or len(core_b) < MIN_HANDLE:
        return False
    if core_a == core_b:
        return True
    return min(len(core_a), len(core_b)) >= 6 and SequenceMatcher(None, core_a, core_b).ratio() >= 0.9


def score(a: Profile, b: Profile) -> Match:
    """How strongly the evidence says `b` is the same person as `a` (0 when nothing matches)."""
    total = 0.0
    reasons: list[str] = []
    emails = sorted(a.emails & b.emails)
    if emails:
        total += EMAIL
        reasons.append("same email address")
    phones = sorted(a.phones & b.phones)
    if phones:
        total += PHONE
        reasons.append("same phone number")
    names = sorted(_full_names(a) & _full_names(b))
    if names:
        total += NAME
        reasons.append("same name")
    same = {h for h in a.handles if len(normalise_handle(h)) >= MIN_HANDLE} & b.handles
    if same:
        total += HANDLE_SAME
        reasons.append("same handle on another account")
    elif any(_handles_alike(x, y) for x in a.handles for y in b.handles):
        total += HANDLE_SIMILAR
        reasons.append("similar handles")
    return Match(b.customer_id, round(total, 3), tuple(reasons))


def rank(target: Profile, candidates, limit: int = 10) -> list[Match]:
    """The candidates worth suggesting for `target`, best first (ties: lower id first)."""
    found = [score(target, c) for c in candidates if c.customer_id != target.customer_id]
    found = [m for m in found if m.score >= THRESHOLD]
    found.sort(key=lambda m: (-m.score, m.customer_id))
    return found[:limit]
