"""What every guardrail shares: the finding, the draft's context, and the text it reads.

Pure: no Django, no I/O, no clock. A check is a function `(Text, Context) -> list[Finding]`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

BLOCK, WARN, INFO = "block", "warn", "info"
LEVELS = (BLOCK, WARN, INFO)
CHANNELS = ("x", "facebook", "instagram", "youtube", "email")
VISIBILITIES = ("public", "private")
APOLOGY_POLICIES = ("sympathy_only", "always_apologise")
# A draft longer than this is checked on its first MAX_CHECK_CHARS characters (the length check
# still reads all of it). Replies are at most 10,000 characters (parley.inbox.actions).
MAX_CHECK_CHARS = 10_000


class ContextError(ValueError):
    """A context that cannot be checked against; the message says which field and why."""


@dataclass(frozen=True)
class Finding:
    check: str
    level: str
    start: int
    end: int
    message: str
    suggestion: str = ""

    def as_dict(self) -> dict:
        return {
            "check": self.check,
            "level": self.level,
            "start": self.start,
            "end": self.end,
            "message": self.message,
            "suggestion": self.suggestion,
        }


def _strings(value: Any, name: str) -> tuple[str, ...]:
    if value is None or value == "":
        return ()
    if isinstance(value, (str, int)):
        value = [value]
    if not isinstance(value, (list, tuple)):
        raise ContextError(f"{name} must be a string or a list of strings")
    out = []
    for item in value:
        if isinstance(item, (str, int)) and str(item).strip():
            out.append(str(item).strip())
        elif item not in (None, ""):
            raise ContextError(f"{name} must hold strings")
    return tuple(out)


def _obj(value: Any, name: str) -> dict:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ContextError(f"{name} must be an object")
    return value


@dataclass(frozen=True)
class RecentReply:
    text: str
    customer: str = ""


@dataclass(frozen=True)
class Context:
    """Everything a check may consider besides the draft itself."""

    channel: str = "x"
    visibility: str = "public"
    # The customer's known details. `private` holds every known private value (email, phone,
    # address, order and account numbers, and any other key the caller sends).
    customer_first_name: str = ""
    customer_private: tuple[tuple[str, str], ...] = ()
    agent_first_name: str = ""
    agent_signature: str = ""
    intent: str = ""
    troll: bool = False
    spam: bool = False
    pile_on: bool = False
    known_issue: bool = False
    recent_replies: tuple[RecentReply, ...] = ()
    # Brand settings in force.
    apology_policy: str = "sympathy_only"
    signature_required: bool = False
    public_contacts: tuple[str, ...] = ()
    private_patterns: tuple[tuple[str, re.Pattern], ...] = ()
    blanket_min_repeats: int = 3
    region: str = "US"
    extra: dict = field(default_factory=dict)

    @property
    def public(self) -> bool:
        return self.visibility == "public" and self.channel != "email"

    @property
    def complaint(self) -> bool:
        return self.intent == "complaint"

    @classmethod
    def from_dict(cls, data: dict) -> "Context":
        """Build from the `parley check` record shape; raises ContextError on bad input."""
        if not isinstance(data, dict):
            raise ContextError("a record must be a JSON object")
        channel = str(data.get("channel") or "x").lower()
        if channel not in CHANNELS:
            raise ContextError(f"channel must be one of {', '.join(CHANNELS)}")
        visibility = str(data.get("visibility") or "public").lower()
        if visibility not in VISIBILITIES:
            raise ContextError("visibility must be public or private")
        customer = _obj(data.get("customer"), "customer")
        agent = _obj(data.get("agent"), "agent")
        ctx = _obj(data.get("context"), "context")
        brand = _obj(data.get("brand"), "brand")
        private: list[tuple[str, str]] = []
        for key, value in customer.items():
            if key in ("first_name", "name", "display_name", "handle", "last_name"):
                continue
            for item in _flatten(value, f"customer.{key}"):
                private.append((key, item))
        policy = str(brand.get("apology_policy") or "sympathy_only")
        if policy not in APOLOGY_POLICIES:
            raise ContextError("brand.apology_policy must be sympathy_only or always_apologise")
        patterns = []
        raw_patterns = brand.get("private_patterns") or []
        if not isinstance(raw_patterns, (list, dict)):
            raise ContextError("brand.private_patterns must be a list of {name, pattern} or an object")
        items = raw_patterns.items() if isinstance(raw_patterns, dict) else (
            (p.get("name", "pattern"), p.get("pattern")) if isinstance(p, dict) else ("pattern", p)
            for p in raw_patterns
        )
        for name, pattern in items:
            patterns.append((str(name), compile_brand_pattern(pattern)))
        recent = []
        raw_recent = ctx.get("recent_replies") or []
        if not isinstance(raw_recent, list):
            raise ContextError("context.recent_replies must be a list")
        for item in raw_recent[:500]:
            if isinstance(item, str):
                recent.append(RecentReply(item[:MAX_CHECK_CHARS]))
            elif isinstance(item, dict) and isinstance(item.get("text"), str):
                recent.append(RecentReply(item["text"][:MAX_CHECK_CHARS], str(item.get("customer") or "")))
            else:
                raise ContextError("context.recent_replies holds strings or {text, customer} objects")
        try:
            repeats = int(brand.get("blanket_min_repeats", 3))
        except (TypeError, ValueError):
            raise ContextError("brand.blanket_min_repeats must be a whole number") from None
        return cls(
            channel=channel,
            visibility=visibility,
            customer_first_name=str(customer.get("first_name") or "").strip(),
            customer_private=tuple(private),
            agent_first_name=str(agent.get("first_name") or "").strip(),
            agent_signature=str(agent.get("signature") or "").strip(),
            intent=str(ctx.get("intent") or "").lower(),
            troll=_flag(ctx.get("troll")),
            spam=_flag(ctx.get("spam")) or str(ctx.get("intent") or "").lower() == "spam",
            pile_on=_flag(ctx.get("pile_on")),
            known_issue=_flag(ctx.get("known_issue")),
            recent_replies=tuple(recent),
            apology_policy=policy,
            signature_required=bool(brand.get("signature_required", False)),
            public_contacts=_strings(brand.get("public_contacts"), "brand.public_contacts"),
            private_patterns=tuple(patterns),
            blanket_min_repeats=max(1, repeats),
            region=str(brand.get("region") or "US").upper()[:2],
        )


def _flag(value: Any) -> bool:
    """True for true, a positive number (a troll score of 0.7 reads as >= 0.5), or a non-empty string."""
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return value >= 0.5
    if isinstance(value, str):
        return value.strip().lower() not in ("", "0", "false", "no", "none")
    return bool(value)


def _flatten(value: Any, name: str) -> list[str]:
    if isinstance(value, dict):
        return [s for v in value.values() for s in _flatten(v, name)]
    if isinstance(value, (list, tuple)):
        return [s for v in value for s in _flatten(v, name)]
    if isinstance(value, bool) or value is None:
        return []
    if isinstance(value, (str, int, float)):
        text = str(value).strip()
        return [text] if len(text) >= 3 else []
    raise ContextError(f"{name} must hold strings")


def compile_brand_pattern(pattern: Any) -> re.Pattern:
    if not isinstance(pattern, str) or not pattern or len(pattern) > 300:
        raise ContextError("a brand private pattern is a regular expression of 1 to 300 characters")
    try:
        return re.compile(pattern, re.IGNORECASE)
    except re.error as exc:
        raise ContextError(f"brand private pattern {pattern!r} is not a valid regular expression: {exc}") from None


# Characters that change nothing a reader sees but split words for a pattern: zero-width
# spaces and joiners, direction marks and overrides, soft hyphens, the byte-order mark.
_INVISIBLE = re.compile(
    "[" + "".join(chr(c) for c in range(0x10000) if unicodedata.category(chr(c)) == "Cf")
    + "\U000e0000-\U000e007f]"
)


class Text:
    """The draft as checks read it: invisible characters removed, with a map back to offsets.

    `clean` is the draft without format characters (Unicode category Cf); `span(s, e)` turns
    offsets in `clean` into offsets in the original draft (Python str indices).
    """

    __slots__ = ("original", "clean", "_pos", "_sentences")

    def __init__(self, original: str):
        self.original = original
        if _INVISIBLE.search(original):
            drop = {m.start() for m in _INVISIBLE.finditer(original)}
            keep = [i for i in range(len(original)) if i not in drop]
            self.clean = "".join(original[i] for i in keep)
            self._pos = keep
        else:
            self.clean = original
            self._pos = None
        self._sentences = None

    def span(self, start: int, end: int) -> tuple[int, int]:
        if self._pos is None:
            return start, end
        if not self._pos:
            return 0, 0
        n = len(self._pos)
        s = self._pos[min(start, n - 1)] if start < n else len(self.original)
        e = self._pos[end - 1] + 1 if 0 < end <= n else (s if end <= 0 else len(self.original))
        return s, max(s, e)

    def sentences(self) -> list[tuple[int, int]]:
        """(start, end) of each sentence of `clean`."""
        if self._sentences is None:
            spans, start = [], 0
            for m in _SENTENCE_END.finditer(self.clean):
                if m.end() > start:
                    spans.append((start, m.end()))
                start = m.end()
            if start < len(self.clean):
                spans.append((start, len(self.clean)))
            self._sentences = spans
        return self._sentences

    def sentence_at(self, index: int) -> tuple[int, int]:
        for start, end in self.sentences():
            if start <= index < end:
                return start, end
        return 0, len(self.clean)


_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"')\]]*\s+|\n+")


def finding(text: Text, check: str, level: str, start: int, end: int, message: str, suggestion: str = "") -> Finding:
    s, e = text.span(start, end)
    return Finding(check, level, s, e, message, suggestion)
