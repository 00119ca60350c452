"""Guardrails: pure checks of a draft reply against its context.

    from parley.composer.guardrails import check, Context
    findings = check("Hi Jo, call 555-0100", Context.from_dict({"channel": "x", "visibility": "public"}))

Every check is a pure function of the draft and the context (no database, no clock); each
returns findings with a level (block, warn, info), a span of character offsets into the draft
(Python str indices), an explanation and a suggested fix. docs/guardrails.md describes each.
"""

from __future__ import annotations

from collections.abc import Callable

from . import apology, audience, blanket, data_request, length, personal, private_data, promise, tone
from .base import BLOCK, INFO, LEVELS, MAX_CHECK_CHARS, WARN, Context, ContextError, Finding, Text

# Every check, by the name findings carry, in the order they run.
CHECKS: dict[str, Callable[[Text, Context], list[Finding]]] = {
    "private_data": private_data.check,
    "length": length.check,
    "tone": tone.check,
    "apology_liability": apology.check_liability,
    "missing_apology": apology.check_missing,
    "missing_name": personal.check_name,
    "missing_signature": personal.check_signature,
    "blanket_statement": blanket.check,
    "vague_promise": promise.check,
    "troll_engagement": audience.check_troll,
    "pile_on": audience.check_pile_on,
    "public_data_request": data_request.check,
}
_ORDER = {level: i for i, level in enumerate(LEVELS)}

__all__ = ["BLOCK", "CHECKS", "Context", "ContextError", "Finding", "INFO", "WARN", "blocking", "check"]


def check(draft: str, context: Context | dict | None = None, *, only: tuple[str, ...] = ()) -> list[Finding]:
    """Every finding for `draft` in `context`, ordered by position, then severity.

    `context` is a Context or the record shape of `parley check` (a dict). `only` limits the run
    to the named checks. A draft longer than MAX_CHECK_CHARS is checked on its first part.
    """
    if context is None:
        context = Context()
    elif isinstance(context, dict):
        context = Context.from_dict(context)
    if not isinstance(draft, str):
        raise ContextError("the draft must be text")
    findings: list[Finding] = []
    text = Text(draft[:MAX_CHECK_CHARS])
    for name, run in CHECKS.items():
        if only and name not in only:
            continue
        if name == "length":
            findings.extend(run(Text(draft), context))
        else:
            findings.extend(run(text, context))
    findings.sort(key=lambda f: (f.start, _ORDER.get(f.level, 9), f.check))
    return findings


def blocking(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.level == BLOCK]
