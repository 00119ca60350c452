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
    # The lookahead lets the engine skip, in one step, every position that cannot start a
    # phrase (spaces, digits, punctuation), which keeps long hostile texts linear and fast.
    firsts = "".join(sorted({re.escape(p[0].lower()) + re.escape(p[0].upper()) for p in phrases if p}))
    raw_first = "|".join(raw)
    lookahead = f"(?=[{firsts}]{'|' + raw_first if raw else ''})"
    return re.compile(rf"(?<![\w'’]){lookahead}(?:{body})(?![\w'’])", re.IGNORECASE)
