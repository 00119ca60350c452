"""Compile phrase lists into one pattern per rule, with word boundaries and flexible spacing."""

from __future__ import annotations

import re

APOSTROPHE = "['’`]"


def phrase(words: str) -> str:
    """A phrase written plainly ("we'll look into it") as a pattern: any spacing, either apostrophe."""
    out = []
    for token in words.split():
        out.append(re.escape(token).replace("'", APOSTROPHE).replace("\\'", APOSTROPHE))
    return r"\s+".join(out)


def any_of(*phrases: str, raw: tuple[str, ...] = ()) -> re.Pattern:
    body = "|".join([phrase(p) for p in phrases] + list(raw))
    return re.compile(rf"(?<![\w'’])(?:{body})(?![\w'’])", re.IGNORECASE)
