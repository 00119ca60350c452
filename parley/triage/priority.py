"""The priority of a post: a 0-100 score and the reasons for it (pure; `now` passed in).

Points are added per factor and the total is clamped to 0-100, so the
breakdown reads as a sum an agent can check ("complaint +30, angry +7,
42k followers +7, waiting 40 min +5"). The inbox reorders as waiting grows
because the waiting and SLA factors depend on `now`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

INTENT_POINTS = {"complaint": 30, "request": 22, "question": 20, "feedback": 10, "praise": 6,
                 "chatter": 2, "abuse": 4, "spam": 0}
SEVERITY_POINTS = (0, 4, 8, 12, 18)
MAX = {"anger": 10, "reach": 12, "verified": 4, "vip": 8, "velocity": 10, "pile_on": 10,
       "public": 6, "waiting": 15, "sla": 10, "troll": 15}
SPAM_CAP = 5


@dataclass(frozen=True)
class PostFacts:
    intent: str | None
    severity: int | None = 0
    anger: float | None = 0.0
    troll: float | None = 0.0
    public: bool = True
    created_at: datetime | None = None
    likes: int = 0
    reposts: int = 0
    replies: int = 0
    followers: int = 0
    verified: bool = False
    vip: bool = False


@dataclass(frozen=True)
class ConversationFacts:
    waiting_since: datetime | None = None
    # Distinct people other than the customer (and the brand) replying in the thread.
    other_authors: int = 0
    sla_due_at: datetime | None = None


@dataclass(frozen=True)
class Factor:
    name: str
    points: int
    why: str

    def as_dict(self) -> dict:
        return {"factor": self.name, "points": self.points, "why": self.why}


def _reach_points(followers: int) -> int:
    if followers < 1000:
        return 0
    return min(MAX["reach"], int(round(3 * (math.log10(followers) - 2))))


def _minutes(later: datetime, earlier: datetime) -> float:
    return max(0.0, (later - earlier).total_seconds() / 60.0)


def _followers(n: int) -> str:
    if n >= 1_000_000:
        return f"{n / 1_000_000:.1f}M followers"
    if n >= 1000:
        return f"{n / 1000:.0f}k followers"
    return f"{n} followers"


def priority(post: PostFacts, conversation: ConversationFacts, now: datetime) -> tuple[int, list[Factor]]:
    """The 0-100 priority and the factors that make it up (zero-point factors omitted)."""
    factors: list[Factor] = []

    def add(name: str, points: float, why: str) -> None:
        points = int(round(points))
        if points:
            factors.append(Factor(name, points, why))

    intent = post.intent or ""
    add("intent", INTENT_POINTS.get(intent, 10), intent or "not triaged")
    severity = max(0, min(4, int(post.severity or 0)))
    add("severity", SEVERITY_POINTS[severity], f"severity {severity} of 4")
    anger = max(0.0, min(1.0, float(post.anger or 0.0)))
    add("anger", anger * MAX["anger"], f"anger {anger:.0%}")
    add("reach", _reach_points(max(0, post.followers)), _followers(max(0, post.followers)))
    if post.verified:
        add("verified", MAX["verified"], "verified account")
    if post.vip:
        add("vip", MAX["vip"], "VIP customer")
    if post.created_at is not None and post.public:
        age = max(1.0, _minutes(now, post.created_at))
        per_minute = (post.likes + 2 * post.reposts + 1.5 * post.replies) / age
        add("velocity", min(MAX["velocity"], 4 * math.log2(1 + per_minute)),
            f"{per_minute:.1f} interactions a minute")
    if conversation.other_authors > 0:
        n = conversation.other_authors
        add("pile_on", min(MAX["pile_on"], 2 * n), f"{n} other {'person' if n == 1 else 'people'} replying")
    if post.public:
        add("public", MAX["public"], "public post")
    if conversation.waiting_since is not None:
        waited = _minutes(now, conversation.waiting_since)
        add("waiting", min(MAX["waiting"], waited / 8), f"waiting {_duration(waited)}")
    if conversation.sla_due_at is not None:
        left = (conversation.sla_due_at - now).total_seconds() / 60.0
        if left <= 0:
            add("sla", MAX["sla"], f"SLA overdue by {_duration(-left)}")
        elif left <= 15:
            add("sla", 6, f"SLA due in {_duration(left)}")
        elif left <= 60:
            add("sla", 3, f"SLA due in {_duration(left)}")
    troll = max(0.0, min(1.0, float(post.troll or 0.0)))
    if troll >= 0.2:
        add("troll", -troll * MAX["troll"], f"likely troll ({troll:.0%})")
    total = sum(f.points for f in factors)
    if intent == "spam":
        total = min(total, SPAM_CAP)
    return max(0, min(100, total)), factors


def _duration(minutes: float) -> str:
    if minutes < 1:
        return "under a minute"
    if minutes < 90:
        return f"{int(minutes)} min"
    if minutes < 48 * 60:
        return f"{minutes / 60:.1f} h"
    return f"{minutes / 1440:.1f} days"


def describe(score: int, factors: list[Factor]) -> str:
    parts = [f"{f.why} {'+' if f.points > 0 else '−'}{abs(f.points)}" for f in factors]
    return f"{score}: " + ", ".join(parts) if parts else f"{score}"
