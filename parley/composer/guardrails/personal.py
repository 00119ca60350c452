"""Personal touch: `missing_name` (the customer's first name, when known) and `missing_signature`
(the agent's name or signature, when the brand requires one)."""

from __future__ import annotations

import re
import unicodedata

from .base import INFO, WARN, Context, Finding, Text, finding


def _fold(value: str) -> str:
    """Lower case without accents, so "Zoë" matches "Zoe"."""
    decomposed = unicodedata.normalize("NFKD", value)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def contains_name(draft: str, name: str) -> bool:
    name = name.strip()
    if not name:
        return True
    pattern = r"(?<!\w)" + re.escape(_fold(name)) + r"(?!\w)"
    return re.search(pattern, _fold(draft)) is not None


def check_name(text: Text, ctx: Context) -> list[Finding]:
    first = ctx.customer_first_name.split()[0] if ctx.customer_first_name.split() else ""
    if not first or len(first) < 2 or contains_name(text.clean, first):
        return []
    return [
        finding(
            text, "missing_name", INFO if ctx.channel == "email" else WARN, 0, 0,
            f"The customer's first name ({first}) is known and the reply does not use it.",
            f"Greet them by name: \"Hi {first}, ...\"",
        )
    ]


def check_signature(text: Text, ctx: Context) -> list[Finding]:
    if not ctx.signature_required:
        return []
    marks = [m for m in (ctx.agent_signature, ctx.agent_first_name) if m]
    if not marks:
        return []
    if any(contains_name(text.clean, m) if m[:1].isalnum() else m.casefold() in text.clean.casefold() for m in marks):
        return []
    sign = ctx.agent_signature or ctx.agent_first_name
    return [
        finding(
            text, "missing_signature", WARN, len(text.clean), len(text.clean),
            "The brand asks agents to sign public replies, and this reply has no signature.",
            f"End with your name or signature: \"... ^{sign}\"" if not sign.startswith(("^", "/", "-", "*")) else
            f"End with your signature: \"... {sign}\"",
        )
    ]
