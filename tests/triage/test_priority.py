"""The priority policy: a pure function of the post, its conversation and now."""

from datetime import datetime, timedelta, timezone

import pytest

from parley.triage.priority import INTENT_POINTS, MAX, ConversationFacts, PostFacts, describe, priority

NOW = datetime(2026, 11, 2, 12, 0, tzinfo=timezone.utc)
CALM = ConversationFacts()


def score(**kw):
    conv = kw.pop("conversation", CALM)
    post = PostFacts(**{"intent": "question", "public": False, **kw})
    return priority(post, conv, NOW)


def points(factors, name):
    return sum(f.points for f in factors if f.name == name)


@pytest.mark.parametrize("intent", list(INTENT_POINTS))
def test_intent_points(intent):
    total, factors = score(intent=intent)
    assert points(factors, "intent") == INTENT_POINTS[intent]
    assert total == INTENT_POINTS[intent]


def test_complaint_outranks_question_outranks_chatter():
    order = [score(intent=i)[0] for i in ("complaint", "question", "chatter", "spam")]
    assert order == sorted(order, reverse=True) and len(set(order)) == 4


def test_untriaged_post_gets_a_middle_intent_score():
    total, factors = score(intent=None)
    assert total == 10 and factors[0].why == "not triaged"


@pytest.mark.parametrize("severity, expected", [(0, 0), (1, 4), (2, 8), (3, 12), (4, 18), (9, 18), (-1, 0), (None, 0)])
def test_severity(severity, expected):
    assert points(score(severity=severity)[1], "severity") == expected


@pytest.mark.parametrize("anger, expected", [(0, 0), (0.5, 5), (1.0, 10), (3.0, 10), (None, 0)])
def test_anger(anger, expected):
    assert points(score(anger=anger)[1], "anger") == expected


@pytest.mark.parametrize("followers, expected", [(0, 0), (999, 0), (1000, 3), (10_000, 6), (100_000, 9),
                                                 (1_000_000, 12), (50_000_000, 12), (-5, 0)])
def test_reach(followers, expected):
    assert points(score(followers=followers)[1], "reach") == expected


def test_verified_and_vip():
    _, factors = score(verified=True, vip=True)
    assert points(factors, "verified") == MAX["verified"] and points(factors, "vip") == MAX["vip"]


def test_public_adds_points_and_private_does_not():
    assert points(score(public=True)[1], "public") == MAX["public"]
    assert points(score(public=False)[1], "public") == 0


def test_engagement_velocity_grows_with_interactions_per_minute_and_caps():
    created = NOW - timedelta(minutes=10)
    slow = points(score(public=True, created_at=created, likes=1)[1], "velocity")
    fast = points(score(public=True, created_at=created, likes=100, reposts=50)[1], "velocity")
    viral = points(score(public=True, created_at=created, likes=10**6)[1], "velocity")
    assert 0 <= slow < fast <= viral == MAX["velocity"]
    # private messages are not seen by an audience
    assert points(score(public=False, created_at=created, likes=100)[1], "velocity") == 0


def test_velocity_of_a_post_from_the_future_is_bounded():
    _, factors = score(public=True, created_at=NOW + timedelta(minutes=5), likes=3)
    assert 0 < points(factors, "velocity") <= MAX["velocity"]


@pytest.mark.parametrize("others, expected", [(0, 0), (1, 2), (3, 6), (5, 10), (40, 10)])
def test_pile_on(others, expected):
    assert points(score(conversation=ConversationFacts(other_authors=others))[1], "pile_on") == expected


@pytest.mark.parametrize("minutes, expected", [(0, 0), (8, 1), (40, 5), (120, 15), (6000, 15)])
def test_waiting_grows_with_time(minutes, expected):
    conv = ConversationFacts(waiting_since=NOW - timedelta(minutes=minutes))
    assert points(score(conversation=conv)[1], "waiting") == expected


def test_the_same_post_rises_as_it_waits():
    conv = ConversationFacts(waiting_since=NOW - timedelta(minutes=5))
    post = PostFacts(intent="question")
    early = priority(post, conv, NOW)[0]
    later = priority(post, conv, NOW + timedelta(hours=1))[0]
    assert later > early


@pytest.mark.parametrize("left, expected", [(-30, 10), (0, 10), (10, 6), (45, 3), (120, 0)])
def test_sla_time_left(left, expected):
    conv = ConversationFacts(sla_due_at=NOW + timedelta(minutes=left))
    assert points(score(conversation=conv)[1], "sla") == expected


@pytest.mark.parametrize("troll, expected", [(0.0, 0), (0.1, 0), (0.5, -8), (1.0, -15)])
def test_trolls_are_pushed_down(troll, expected):
    assert points(score(intent="abuse", troll=troll)[1], "troll") == expected


def test_score_is_clamped_to_0_100():
    huge = score(intent="complaint", severity=4, anger=1, followers=10**7, verified=True, vip=True, public=True,
                 created_at=NOW - timedelta(minutes=1), likes=10**5,
                 conversation=ConversationFacts(waiting_since=NOW - timedelta(days=2), other_authors=20,
                                                sla_due_at=NOW - timedelta(hours=1)))
    assert huge[0] == 100
    low = score(intent="abuse", troll=1.0)
    assert low[0] == 0


def test_spam_stays_low_whatever_its_reach():
    total, _ = score(intent="spam", followers=10**6, verified=True, public=True)
    assert total <= 5


def test_breakdown_sums_to_score_and_reads_well():
    total, factors = score(intent="complaint", severity=3, anger=0.7, followers=42_000, public=True,
                           conversation=ConversationFacts(waiting_since=NOW - timedelta(minutes=40)))
    assert total == sum(f.points for f in factors)
    text = describe(total, factors)
    assert text.startswith(f"{total}: complaint +30") and "42k followers" in text and "waiting 40 min" in text
    assert all(f.points != 0 for f in factors)
    assert factors[0].as_dict() == {"factor": "intent", "points": 30, "why": "complaint"}
