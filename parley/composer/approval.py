"""Which replies need a supervisor's approval before they go out (pure; time passed in).

Rules (brand settings, docs/configuration.md): a public reply to a high-reach author
(`approval_min_followers`), a conversation with a crisis tag (`approval_tags`), legal words in
the draft (`approval_legal_words`), or an agent newer than `approval_new_agent_days`. Admins and
supervisors never need approval. Each rule that applies gives a plain reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta

DEFAULT_LEGAL_WORDS = (
    "lawsuit", "lawyer", "attorney", "solicitor", "legal action", "sue", "suing", "court", "liable", "liability",
    "negligence", "settlement", "regulator", "ombudsman", "trading standards", "gdpr", "data breach",
)


@dataclass(frozen=True)
class Rules:
    min_followers: int = 0  # 0: off
    tags: tuple[str, ...] = ("crisis",)
    legal_words: tuple[str, ...] = DEFAULT_LEGAL_WORDS
    new_agent_days: int = 0  # 0: off

    @classmethod
    def from_settings(cls, settings: dict) -> "Rules":
        def number(key, default):
            try:
                return max(0, int(settings.get(key, default)))
            except (TypeError, ValueError):
                return default

        words = settings.get("approval_legal_words", DEFAULT_LEGAL_WORDS)
        tags = settings.get("approval_tags", ("crisis",))
        return cls(
            min_followers=number("approval_min_followers", 0),
            tags=tuple(str(t).lower() for t in tags if str(t).strip()) if isinstance(tags, (list, tuple)) else (),
            legal_words=tuple(str(w).lower() for w in words if str(w).strip()) if isinstance(words, (list, tuple)) else (),
            new_agent_days=number("approval_new_agent_days", 0),
        )


@dataclass(frozen=True)
class Facts:
    visibility: str = "public"
    author_followers: int = 0
    tags: tuple[str, ...] = ()
    agent_is_manager: bool = False
    agent_joined: datetime | None = None
    extra: dict = field(default_factory=dict)


def reasons(draft: str, facts: Facts, rules: Rules, now: datetime) -> list[str]:
    """Why this reply needs approval; empty when it does not."""
    if facts.agent_is_manager:
        return []
    out = []
    if rules.min_followers and facts.visibility == "public" and facts.author_followers >= rules.min_followers:
        out.append(f"The customer has {facts.author_followers:,} followers (approval from {rules.min_followers:,}).")
    crisis = sorted(set(t.lower() for t in facts.tags) & set(rules.tags))
    if crisis:
        out.append(f"The conversation is tagged {', '.join(crisis)}.")
    if rules.legal_words:
        pattern = r"\b(?:" + "|".join(re.escape(w) for w in rules.legal_words) + r")\b"
        hits = sorted({m.group().lower() for m in re.finditer(pattern, draft, re.IGNORECASE)})
        if hits:
            out.append(f"The reply mentions {', '.join(hits)}: legal wording is approved by a supervisor.")
    if rules.new_agent_days and facts.agent_joined is not None:
        if now - facts.agent_joined < timedelta(days=rules.new_agent_days):
            out.append(f"Agents in their first {rules.new_agent_days} days have replies approved.")
    return out
