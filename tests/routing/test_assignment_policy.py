"""Assignment policy (pure): eligibility, round robin, least loaded, capacity, skills, offline hand-over."""

from datetime import datetime, timedelta, timezone

import pytest

from parley.routing.assignment import (
    LEAST_LOADED, ROUND_ROBIN, Agent, Need, choose, eligible, plan, reassignments,
)
from parley.sla.calendar import Calendar

NOW = datetime(2026, 11, 4, 10, 0, tzinfo=timezone.utc)
EARLIER = NOW - timedelta(hours=1)


def agent(uid, **kw):
    kw.setdefault("teams", frozenset({1}))
    return Agent(user_id=uid, **kw)


@pytest.mark.parametrize("who, need, ok", [
    (agent(1), Need(team_id=1), True),
    (agent(1, online=False), Need(team_id=1), False),
    (agent(1, open_count=20, capacity=20), Need(team_id=1), False),
    (agent(1, capacity=0), Need(), False),
    (agent(1), Need(team_id=2), False),
    (agent(1, teams=frozenset()), Need(team_id=None), True),  # the unrouted queue: anyone
    (agent(1, languages=frozenset({"de"})), Need(team_id=1, language="en"), False),
    (agent(1, languages=frozenset({"en"})), Need(team_id=1, language="en-GB"), True),
    (agent(1), Need(team_id=1, language="fr"), True),  # no languages listed: any
    (agent(1, platforms=frozenset({"facebook"})), Need(team_id=1, platform="x"), False),
    (agent(1, platforms=frozenset({"x"})), Need(team_id=1, platform="x"), True),
    (agent(1, on_shift=lambda now: False), Need(team_id=1), False),
])
def test_eligibility(who, need, ok):
    assert eligible(who, need, NOW) is ok


def test_round_robin_takes_who_waited_longest_never_assigned_first():
    agents = [agent(1, last_assigned_at=EARLIER), agent(2, last_assigned_at=EARLIER - timedelta(minutes=5)),
              agent(3)]
    assert choose(Need(team_id=1), agents, NOW, ROUND_ROBIN).user_id == 3
    assert choose(Need(team_id=1), agents[:2], NOW, ROUND_ROBIN).user_id == 2


def test_round_robin_cycles_through_the_team():
    agents = [agent(1), agent(2), agent(3)]
    out = plan([(c, Need(team_id=1)) for c in range(7)], agents, NOW, ROUND_ROBIN)
    assert [out[c] for c in range(7)] == [1, 2, 3, 1, 2, 3, 1]


def test_least_loaded_respects_capacity_ratios():
    agents = [agent(1, open_count=5, capacity=10), agent(2, open_count=3, capacity=4), agent(3, open_count=2)]
    assert choose(Need(team_id=1), agents, NOW, LEAST_LOADED).user_id == 3  # 2/20
    out = plan([(c, Need(team_id=1)) for c in range(40)], agents, NOW, LEAST_LOADED)
    counts = {u: list(out.values()).count(u) for u in (1, 2, 3, None)}
    assert counts[2] == 1  # from 3/4 to full
    assert counts[1] == 5  # up to capacity
    assert counts[3] == 18
    assert counts[None] == 16  # nobody is left with room


def test_nobody_eligible_gives_none_and_unknown_strategy_fails():
    assert choose(Need(team_id=9), [agent(1)], NOW) is None
    with pytest.raises(ValueError, match="unknown assignment strategy"):
        choose(Need(), [agent(1)], NOW, "random")


def test_shifts_come_from_a_calendar():
    shift = Calendar.from_config({"timezone": "Europe/Berlin", "hours": {"wed": [["08:00", "12:00"]]}})
    a = agent(1, on_shift=shift.is_open)
    assert eligible(a, Need(team_id=1), NOW)  # 11:00 Berlin
    assert not eligible(a, Need(team_id=1), NOW + timedelta(hours=2))


def test_an_offline_agents_conversations_go_to_others_or_back_to_the_queue():
    agents = [agent(1, open_count=3), agent(2, capacity=1), agent(3, teams=frozenset({2}))]
    needs = [(10, Need(team_id=1)), (11, Need(team_id=1)), (12, Need(team_id=2)), (13, Need(team_id=3))]
    out = reassignments(1, needs, agents, NOW)
    assert out == {10: 2, 11: None, 12: 3, 13: None}
