"""Which templates fit a conversation, best first, and "/" search (pure)."""

from __future__ import annotations

from dataclasses import dataclass

SCOPES = ("team_id", "channel", "visibility", "intent", "desired_outcome")


@dataclass(frozen=True)
class Situation:
    team_id: int | None = None
    channel: str = ""
    visibility: str = ""
    intent: str = ""
    desired_outcome: str = ""


def fits(template, situation: Situation) -> bool:
    """Every scope the template sets matches the situation (an unset scope matches anything)."""
    for scope in SCOPES:
        wanted = getattr(template, scope)
        if wanted and wanted != getattr(situation, scope):
            return False
    return bool(getattr(template, "is_active", True))


def specificity(template) -> int:
    return sum(1 for scope in SCOPES if getattr(template, scope))


def rank(templates, situation: Situation) -> list:
    """The templates that fit, most specific first, then most used, then by name."""
    fitting = [t for t in templates if fits(t, situation)]
    return sorted(fitting, key=lambda t: (-specificity(t), -(t.usage_count or 0), t.name.lower()))


def search(templates, query: str) -> list:
    """Templates for "/query": shortcut prefix first, then name, then body matches; most used first."""
    q = query.strip().lstrip("/").lower()
    if not q:
        return sorted(templates, key=lambda t: (-(t.usage_count or 0), t.name.lower()))
    scored = []
    for t in templates:
        if t.shortcut.lower().startswith(q):
            tier = 0
        elif q in t.name.lower():
            tier = 1
        elif q in t.body.lower():
            tier = 2
        else:
            continue
        scored.append((tier, -(t.usage_count or 0), t.name.lower(), t))
    return [t for *_, t in sorted(scored, key=lambda row: row[:3])]
