"""Praise (pure): which customer posts are praise, whether a brand's auto-like rule fires, the
built-in thank-you text, and the shareable summary of a good outcome.

Nothing here reads the database or the clock: the callers build `PraiseFacts` from a post and its
triage (praise_actions.facts_for) and pass the brand's rule in.
"""

from __future__ import annotations

from dataclasses import dataclass

# Triage reads a post as praise when its intent is praise, or its sentiment is positive.
PRAISE_INTENTS = ("praise",)
# Never liked automatically, whatever the sentiment says.
NEVER_INTENTS = ("abuse", "spam", "complaint")
NEVER_EMOTIONS = ("anger", "disgust")
NEVER_TAGS = ("spam", "troll", "abuse", "pile-on")

DEFAULT_THANKS = ("Thank you so much, {customer.first_name|there}! That made our day, and I'll pass your kind "
                  "words on to the team. – {agent.first_name|the team}")


@dataclass(frozen=True)
class PraiseFacts:
    """What the praise policy may know about one post (all optional; unknown means "not read")."""

    direction: str = "in"
    visibility: str = "public"
    is_deleted: bool = False
    intent: str = ""
    sentiment: str = ""
    emotion: str = ""
    troll: float | None = None
    offensive: float | None = None
    hate: float | None = None
    anger: float | None = None
    tags: tuple[str, ...] = ()  # the conversation's tags
    already_liked: bool = False  # a like of this post is in the outbox already


def is_praise(f: PraiseFacts) -> bool:
    """A customer's post that reads as praise and carries no sign of abuse (the thread offers
    Like, Repost and Thank on it)."""
    if f.direction != "in" or f.is_deleted:
        return False
    if f.intent in NEVER_INTENTS or f.sentiment == "negative":
        return False
    return f.intent in PRAISE_INTENTS or f.sentiment == "positive"


@dataclass(frozen=True)
class AutoLikeRule:
    """A brand's auto-like rule (brand setting `auto_like`, docs/configuration.md)."""

    enabled: bool = False
    # Also like posts whose intent is not praise but whose sentiment is positive.
    positive_sentiment: bool = False
    # Scores at or above these never get an automatic like.
    max_troll: float = 0.3
    max_offensive: float = 0.3
    max_hate: float = 0.3
    max_anger: float = 0.5

    @classmethod
    def from_settings(cls, value) -> "AutoLikeRule":
        """From the brand setting: `true`/`false`, or an object with the fields above."""
        if isinstance(value, bool):
            return cls(enabled=value)
        if not isinstance(value, dict):
            return cls()
        out = {"enabled": bool(value.get("enabled", False)),
               "positive_sentiment": bool(value.get("positive_sentiment", False))}
        for name in ("max_troll", "max_offensive", "max_hate", "max_anger"):
            if name in value:
                try:
                    out[name] = min(1.0, max(0.0, float(value[name])))
                except (TypeError, ValueError):
                    raise ValueError(f"auto_like.{name} must be a number from 0 to 1") from None
        return cls(**out)


def auto_like(f: PraiseFacts, rule: AutoLikeRule) -> tuple[bool, str]:
    """Whether the rule likes this post, and why (or why not). Never fires for abuse, spam,
    trolls, offensive or hateful posts, anger, or negative sentiment, whatever the rule says."""
    if not rule.enabled:
        return False, "the brand's auto-like rule is off"
    if f.direction != "in" or f.is_deleted:
        return False, "only a customer's live post is liked"
    if f.visibility != "public":
        return False, "private messages are not liked"
    if f.already_liked:
        return False, "already liked"
    if f.intent in NEVER_INTENTS:
        return False, f"triage reads it as {f.intent}"
    bad_tags = sorted(set(f.tags) & set(NEVER_TAGS))
    if bad_tags:
        return False, f"the conversation is tagged {', '.join(bad_tags)}"
    for name, limit in (("troll", rule.max_troll), ("offensive", rule.max_offensive), ("hate", rule.max_hate),
                        ("anger", rule.max_anger)):
        score = getattr(f, name)
        if score is not None and score >= limit:
            return False, f"{name} score {score:.2f} is at or above {limit:.2f}"
    if f.sentiment == "negative":
        return False, "the sentiment is negative"
    if f.emotion in NEVER_EMOTIONS:
        return False, f"the emotion is {f.emotion}"
    if f.intent in PRAISE_INTENTS:
        return True, "praise"
    if rule.positive_sentiment and f.sentiment == "positive":
        return True, "positive sentiment"
    return False, "not praise"


def anonymised(handle: str) -> str:
    """A handle shown without naming the customer: "@d***k"."""
    name = (handle or "").strip().lstrip("@")
    if len(name) <= 2:
        return "a customer"
    return f"@{name[0]}{'*' * 3}{name[-1]}"


def share_text(*, quote: str, consent: bool, handle: str, outcome: str, brand_name: str,
               max_quote: int = 200) -> tuple[str, str]:
    """The shareable summary (text, shown handle): the customer's happy words quoted under their
    handle only with consent; without it, no quote and an anonymised handle."""
    quote = " ".join((quote or "").split())
    shown = handle.strip() if consent and handle.strip() else anonymised(handle)
    if shown != "a customer" and not shown.startswith("@"):
        shown = "@" + shown
    outcome = " ".join((outcome or "").split()).rstrip(".")
    lines = []
    if consent and quote:
        if len(quote) > max_quote:
            quote = quote[: max_quote - 1].rstrip() + "…"
        lines.append(f"“{quote}” — {shown}")
    lines.append(f"The outcome: {outcome}." if outcome else f"A happy ending for {shown}.")
    lines.append(f"Thank you for letting {brand_name} help.")
    return "\n".join(lines), shown
