"""`blanket_statement`: a reply nearly identical to many recent replies to different customers.

Replies are compared after masking what always differs (handles, links, numbers, the greeting
name, the signature) with rapidfuzz's normalised Indel similarity; `blanket_min_repeats` recent
replies to different customers at >= 90 % make a warning. rapidfuzz was chosen over datasketch's
MinHash: the window of recent replies is small (hundreds), so exact similarity is affordable
(~0.2 ms for 300 replies) and has no false negatives from hashing.
"""

from __future__ import annotations

import re
from functools import lru_cache

from rapidfuzz import fuzz, process

from .base import WARN, Context, Finding, Text, finding

SIMILARITY = 90.0
MIN_CHARS = 40
_HANDLE = re.compile(r"@\w+")
_LINK = re.compile(r"https?://\S+|www\.\S+")
_NUMBER = re.compile(r"\d+")
_GREETING = re.compile(r"^\s*(?:hi|hey|hello|dear|thanks|thank you)\b[ ,]*[^\W\d_]*[,!.:]?\s*", re.IGNORECASE)
_SIGNATURE = re.compile(r"\s*(?:\^|/|-|\*|–|—)\s*[^\W\d_]{1,20}\s*$")
_SPACE = re.compile(r"\s+")


@lru_cache(maxsize=4096)  # the same recent replies come back on every keystroke's check
def normalise(text: str) -> str:
    text = _LINK.sub(" ", text)
    text = _HANDLE.sub(" ", text)
    text = _NUMBER.sub("#", text)
    text = _SPACE.sub(" ", text).strip()
    text = _GREETING.sub("", text)
    text = _SIGNATURE.sub("", text)
    return text.casefold()


def check(text: Text, ctx: Context) -> list[Finding]:
    if len(ctx.recent_replies) < ctx.blanket_min_repeats:
        return []
    draft = normalise(text.clean)
    if len(draft) < MIN_CHARS:
        return []
    choices = [normalise(r.text) for r in ctx.recent_replies]
    hits = process.extract(draft, choices, scorer=fuzz.ratio, score_cutoff=SIMILARITY, limit=None)
    customers = set()
    for _, _, index in hits:
        reply = ctx.recent_replies[index]
        customers.add(reply.customer or f"#{index}")
    if len(customers) < ctx.blanket_min_repeats:
        return []
    return [
        finding(
            text, "blanket_statement", WARN, 0, len(text.clean),
            f"This reply is nearly identical to {len(customers)} recent replies to other customers; "
            "it reads like a press release, not a person.",
            "Make it about this customer: use their name and refer to what they told you.",
        )
    ]
