"""`private_data`: private data in a public reply.

Two sources: the customer's own known values (from the private thread and the profile), matched
however they are spaced or cased, and every value that looks private by its pattern (e-mail,
phone, card, street address, order and account numbers, via `parley.triage.private_data`, plus
the brand's own patterns). Blocked in public, allowed in private. The brand's published contacts
(`public_contacts`) are never flagged.
"""

from __future__ import annotations

import re

from parley.triage import private_data as patterns

from .base import BLOCK, Context, Finding, Text, finding

KIND_WORDS = {
    "email": "an e-mail address",
    "phone": "a phone number",
    "card": "a payment card number",
    "address": "a postal address",
    "order_number": "an order or reference number",
    "account_number": "an account number",
}
_SUGGEST = "Remove it from the public reply; send it in a private message if the customer needs it."
_DIGITS = re.compile(r"\d")


def _skeleton(value: str) -> str:
    return re.sub(r"[\W_]+", "", value).lower()


def _skeleton_map(text: str) -> tuple[str, list[int]]:
    """`text` with everything but letters and digits removed, lower-cased, with positions."""
    chars, pos = [], []
    for i, ch in enumerate(text):
        if ch.isalnum():
            low = ch.lower()
            if len(low) == 1:
                chars.append(low)
                pos.append(i)
    return "".join(chars), pos


def _known(text: Text, ctx: Context) -> list[tuple[int, int, str]]:
    """Spans (in `text.clean`) of the customer's own known private values."""
    if not ctx.customer_private:
        return []
    skeleton, pos = _skeleton_map(text.clean)
    hits = []
    for key, value in ctx.customer_private:
        needles = {_skeleton(value)}
        digits = "".join(_DIGITS.findall(value))
        if key in ("phone", "phones", "mobile") and len(digits) >= 7:
            needles.add(digits[-7:] if len(digits) < 10 else digits[-10:])
            needles.add(digits[-7:])
        if key in ("address", "addresses", "street", "postal_address"):
            # A line of the address is as private as the whole of it.
            for part in re.split(r"[,\n]", value):
                part = _skeleton(part)
                if len(part) >= 6 and any(c.isdigit() for c in part):
                    needles.add(part)
        for needle in needles:
            if len(needle) < 4:
                continue
            start = skeleton.find(needle)
            while start != -1:
                s, e = pos[start], pos[start + len(needle) - 1] + 1
                hits.append((s, e, key))
                start = skeleton.find(needle, start + len(needle))
    return hits


def _widen(clean: str, start: int, end: int) -> tuple[int, int]:
    """Take in the rest of a number around a known value (a trunk "0", a "+" or "(", a ")")."""
    while start > 0 and (clean[start - 1] in "+(" or (clean[start - 1].isdigit() and clean[start].isdigit())):
        start -= 1
    while end < len(clean) and clean[end].isdigit() and clean[end - 1].isdigit():
        end += 1
    if end < len(clean) and clean[end] == ")" and "(" in clean[start:end]:
        end += 1
    return start, end


# North American toll-free numbers are businesses' published lines, never a customer's own.
_TOLL_FREE = re.compile(r"^\+?1?[ .-]?\(?8(?:00|33|44|55|66|77|88)\)?[ .-]?\d{3}[ .-]?\d{4}$")


def _allowed(value: str, ctx: Context) -> bool:
    if _TOLL_FREE.match(value.strip()):
        return True
    sk = _skeleton(value)
    for contact in ctx.public_contacts:
        if contact.startswith("@"):  # a whole domain: "@acme.example"
            if value.lower().endswith(contact.lower()):
                return True
        elif sk and (sk == _skeleton(contact) or (_skeleton(contact).endswith(sk) and len(sk) >= 7)):
            return True
    return False


def check(text: Text, ctx: Context) -> list[Finding]:
    if not ctx.public:
        return []
    clean = text.clean
    taken: list[tuple[int, int]] = []
    out: list[Finding] = []

    def add(start: int, end: int, message: str) -> None:
        if any(s < end and start < e for s, e in taken):
            return
        taken.append((start, end))
        out.append(finding(text, "private_data", BLOCK, start, end, message, _SUGGEST))

    covered = -1
    for start, end, key in sorted(_known(text, ctx)):
        if start < covered:
            continue  # inside a value already found (and widened)
        start, end = _widen(clean, start, end)
        covered = end
        label = key.replace("_", " ").rstrip("s")
        add(start, end, f"This is the customer's own {label}, known from their private messages or profile; "
            "never post it in public.")
    for name, pattern in ctx.private_patterns:
        for m in pattern.finditer(clean):
            if m.end() > m.start():
                add(m.start(), m.end(), f"This matches the brand's private pattern \"{name}\"; keep it out of public replies.")
    # One detector for what looks private, shared with triage (which reads customers' posts); it
    # skips links (numbers in a link's path are not private). The customer's own values are still
    # found inside links (above).
    for found in patterns.find(clean, ctx.region):
        if _allowed(clean[found.start:found.end], ctx):
            continue
        add(found.start, found.end, f"This looks like {KIND_WORDS.get(found.kind, 'private data')}; "
            "private data never goes in a public reply.")
    return sorted(out, key=lambda f: f.start)
