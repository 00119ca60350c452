"""Automatic assignment policy (pure): who should take a conversation.

Only agents who are online, on shift now, on the conversation's team (when it has one),
below their capacity and skilled for the conversation's language and platform are
eligible. Among them:

- round robin: the agent who was assigned longest ago (never assigned first), ties by id;
- least loaded: the fewest open conversations relative to capacity, then round robin.

`reassignments` says where an offline agent's open conversations should go.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Callable, Iterable

ROUND_ROBIN = "round_robin"
LEAST_LOADED = "least_loaded"
STRATEGIES = (ROUND_ROBIN, LEAST_LOADED)


@dataclass(frozen=True)
class Agent:
    user_id: int
    online: bool = True
    capacity: int = 20
    open_count: int = 0
    teams: frozenset[int] = frozenset()
    languages: frozenset[str] = frozenset()  # empty: any language
    platforms: frozenset[str] = frozenset()  # empty: any platform
    last_assigned_at: datetime | None = None
    # Whether the agent's shift covers an instant; None: no shift set, always on.
    on_shift: Callable[[datetime], bool] | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Need:
    """What the conversation asks of its agent."""

    team_id: int | None = None
    language: str = ""
    platform: str = ""


def eligible(agent: Agent, need: Need, now: datetime) -> bool:
    if not agent.online or agent.open_count >= agent.capacity:
        return False
    if need.team_id is not None and need.team_id not in agent.teams:
        return False
    if need.language and agent.languages and need.language.split("-")[0].lower() not in agent.languages:
        return False
    if need.platform and agent.platforms and need.platform not in agent.platforms:
        return False
    return agent.on_shift is None or agent.on_shift(now)


def _rr_key(agent: Agent):
    # datetimes may be aware; compare by timestamp, never-assigned first
    return (agent.last_assigned_at.timestamp() if agent.last_assigned_at else float("-inf"), agent.user_id)


def choose(need: Need, agents: Iterable[Agent], now: datetime, strategy: str = ROUND_ROBIN) -> Agent | None:
    """The agent to assign, or None when nobody eligible is free."""
    if strategy not in STRATEGIES:
        raise ValueError(f"unknown assignment strategy {strategy!r}; use {' or '.join(STRATEGIES)}")
    pool = [a for a in agents if eligible(a, need, now)]
    if not pool:
        return None
    if strategy == ROUND_ROBIN:
        return min(pool, key=_rr_key)
    return min(pool, key=lambda a: (a.open_count / max(a.capacity, 1), a.open_count, *_rr_key(a)))


def plan(needs: Iterable[tuple[int, Need]], agents: Iterable[Agent], now: datetime,
         strategy: str = ROUND_ROBIN) -> dict[int, int | None]:
    """Assign many conversations at once: {conversation id: user id or None}, updating loads as it goes."""
    pool = {a.user_id: a for a in agents}
    out: dict[int, int | None] = {}
    for step, (conversation_id, need) in enumerate(needs):
        agent = choose(need, pool.values(), now, strategy)
        out[conversation_id] = agent.user_id if agent else None
        if agent is not None:
            # each assignment in the batch counts as a little later than the one before
            stamp = now + timedelta(microseconds=step)
            pool[agent.user_id] = replace(agent, open_count=agent.open_count + 1, last_assigned_at=stamp)
    return out


def reassignments(leaving_user_id: int, open_conversations: Iterable[tuple[int, Need]], agents: Iterable[Agent],
                  now: datetime, strategy: str = LEAST_LOADED) -> dict[int, int | None]:
    """Where the open conversations of an agent who went offline go (None: back to the team queue)."""
    others = [a for a in agents if a.user_id != leaving_user_id]
    return plan(open_conversations, others, now, strategy)
