"""Routing and assignment on the database: rules applied once, audited; preview; availability."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from parley.inbox import actions as inbox
from parley.inbox.models import AuditEvent, Post
from parley.routing import actions
from parley.routing.models import Acknowledgement, AgentAvailability, RoutingResult, RoutingRule
from parley.sla.models import BusinessCalendar
from parley.triage.models import PostTriage
from tests.conftest import T0, incoming


def ingest(brand, channel, pid, text, **kw):
    return inbox.ingest_post(brand, channel, incoming(pid, text, **kw)).post


def add_rule(brand, name, conditions, acts, position=0, stop=False):
    return RoutingRule.objects.create(brand=brand, name=name, conditions=conditions, actions=acts,
                                      position=position, stop=stop)


@pytest.fixture
def refund_rule(brand, teams):
    return add_rule(brand, "refunds", {"all": [{"field": "text", "op": "keywords", "value": ["refund"]}]},
                    [{"type": "set_team", "team": "billing"}, {"type": "add_tag", "tag": "refund"},
                     {"type": "raise_priority", "to": 70}])


def test_invalid_rules_never_reach_the_table(brand):
    with pytest.raises(ValidationError, match="unknown field"):
        add_rule(brand, "bad", {"all": [{"field": "colour", "op": "eq", "value": "red"}]}, [{"type": "hide"}])
    assert not RoutingRule.objects.exists()


def test_route_post_applies_the_decision_once_and_audits_it(brand, channel, refund_rule, teams):
    post = ingest(brand, channel, "1", "I want a refund for order 5")
    result = actions.route_post(post, T0)
    conv = post.conversation
    conv.refresh_from_db()
    assert conv.team == teams["billing"] and conv.priority == 70
    assert list(conv.tags.values_list("name", flat=True)) == ["refund"]
    assert result.decision["matched"] == [refund_rule.pk]
    assert result.applied == ["team billing", "tag refund", "priority 70"]
    verbs = list(AuditEvent.objects.filter(conversation=conv, actor_label="routing").values_list("verb", flat=True))
    assert verbs == ["conversation.team", "conversation.tagged", "conversation.priority"]
    assert actions.route_post(post, T0) is None  # never twice
    assert RoutingResult.objects.count() == 1


def test_priority_is_only_ever_raised(brand, channel, refund_rule):
    post = ingest(brand, channel, "1", "refund please")
    inbox.set_priority(post.conversation, 90, "test")
    actions.route_post(post, T0)
    post.conversation.refresh_from_db()
    assert post.conversation.priority == 90


def test_unknown_team_is_reported_not_raised(brand, channel):
    add_rule(brand, "to nowhere", {}, [{"type": "set_team", "team": "pr"}])
    post = ingest(brand, channel, "1", "hi")
    assert actions.route_post(post, T0).applied == ["team 'pr' does not exist"]


def test_spam_hide_notify_escalate_are_recorded(brand, channel):
    add_rule(brand, "spam", {"all": [{"field": "text", "op": "matches", "value": r"crypto\s+giveaway"}]},
             [{"type": "mark_spam"}, {"type": "hide"}, {"type": "notify", "to": "team:care", "message": "look"},
              {"type": "escalate", "to": "role:supervisor", "message": "now"}])
    post = ingest(brand, channel, "1", "Free CRYPTO   giveaway click here")
    actions.route_post(post, T0)
    verbs = set(AuditEvent.objects.filter(conversation=post.conversation).values_list("verb", flat=True))
    assert {"routing.spam", "routing.hide_requested", "routing.notified", "routing.escalated"} <= verbs
    assert "spam" in post.conversation.tags.values_list("name", flat=True)


def test_stop_and_order_between_stored_rules(brand, channel, teams):
    add_rule(brand, "second", {}, [{"type": "add_tag", "tag": "later"}], position=2)
    add_rule(brand, "first", {}, [{"type": "set_team", "team": "care"}], position=1, stop=True)
    post = ingest(brand, channel, "1", "hello")
    actions.route_post(post, T0)
    assert not post.conversation.tags.exists()
    RoutingRule.objects.filter(name="first").update(enabled=False)
    later = ingest(brand, channel, "2", "hello", author="c2")
    actions.route_post(later, T0)
    assert later.conversation.tags.filter(name="later").exists()


def test_acknowledgement_is_sent_once_per_conversation(brand, channel):
    add_rule(brand, "ack", {}, [{"type": "acknowledge", "text": "Thanks! A person will answer by 9:00."}])
    first = ingest(brand, channel, "1", "hello?", at=T0)
    second = ingest(brand, channel, "2", "anyone?", at=T0 + timedelta(minutes=1), reply_to="1")
    assert first.conversation_id == second.conversation_id
    actions.route_post(first, T0)
    actions.route_post(second, T0 + timedelta(minutes=1))
    outbound = Post.objects.filter(conversation=first.conversation, direction="out")
    assert outbound.count() == 1 and outbound.get().text.startswith("Thanks!")
    assert Acknowledgement.objects.get().reason == "rule"


def test_business_hours_condition_reads_the_brand_calendar(brand, channel):
    BusinessCalendar.objects.create(brand=brand, name="office", config={
        "timezone": "UTC", "hours": {"mon": [["08:00", "17:00"]]}})
    add_rule(brand, "after hours", {"all": [{"field": "business_hours", "op": "is", "value": False}]},
             [{"type": "add_tag", "tag": "after-hours"}])
    post = ingest(brand, channel, "1", "hi")
    actions.route_post(post, T0)  # Monday 09:00 UTC: open
    assert not post.conversation.tags.exists()
    late = ingest(brand, channel, "2", "hi again", author="c2")
    actions.route_post(late, T0 + timedelta(hours=10))
    assert late.conversation.tags.filter(name="after-hours").exists()


def test_routing_runs_after_triage_is_stored(brand, channel, refund_rule, teams, settings,
                                             django_capture_on_commit_callbacks):
    settings.PARLEY_TRIAGE_ENABLED = True
    post = ingest(brand, channel, "1", "refund please")
    with django_capture_on_commit_callbacks(execute=True):
        PostTriage.objects.create(post=post, status=PostTriage.Status.PENDING)
    assert not RoutingResult.objects.exists()  # pending triage: wait
    with django_capture_on_commit_callbacks(execute=True):
        triage = PostTriage.objects.get(post=post)
        triage.status = PostTriage.Status.TRIAGED
        triage.intent = "complaint"
        triage.save()
    assert RoutingResult.objects.get(post=post).applied[0] == "team billing"


def test_routing_runs_on_ingest_when_triage_is_off(brand, channel, refund_rule, teams, settings,
                                                    django_capture_on_commit_callbacks):
    settings.PARLEY_TRIAGE_ENABLED = False
    with django_capture_on_commit_callbacks(execute=True):
        post = ingest(brand, channel, "1", "refund please")
    assert RoutingResult.objects.filter(post=post).exists()


def test_triage_fields_are_usable_in_rules(brand, channel, teams):
    add_rule(brand, "angry", {"all": [{"field": "anger", "op": "gte", "value": 0.7}]},
             [{"type": "raise_priority", "to": 80}])
    post = ingest(brand, channel, "1", "this is the worst")
    PostTriage.objects.create(post=post, status="triaged", anger=0.9, intent="complaint")
    post = Post.objects.select_related("triage").get(pk=post.pk)
    actions.route_post(post, T0)
    post.conversation.refresh_from_db()
    assert post.conversation.priority == 80


def test_preview_scans_the_last_posts_without_changing_anything(brand, channel, teams):
    for i in range(30):
        ingest(brand, channel, str(i), "refund now" if i % 3 == 0 else "love it", author=f"a{i}",
               at=T0 + timedelta(minutes=i))
    out = actions.preview_rule(brand, {"conditions": {"all": [{"field": "text", "op": "keywords",
                                                               "value": ["refund"]}]},
                                       "actions": [{"type": "set_team", "team": "billing"}]}, limit=20)
    assert out["scanned"] == 20 and out["matched"] == 6  # posts 10-29: 12, 15, 18, 21, 24, 27
    assert all(e["decision"]["team"] == "billing" for e in out["examples"])
    assert not RoutingResult.objects.exists() and not AuditEvent.objects.filter(actor_label="routing").exists()


# --- assignment ---------------------------------------------------------------------


@pytest.fixture
def online(users, brand):
    for name in ("care_agent", "billing_agent"):
        actions.set_availability(users[name], brand, "online", now=T0)
    return users


def test_auto_assign_picks_an_online_agent_of_the_team(brand, channel, teams, online):
    post = ingest(brand, channel, "1", "hi")
    inbox.set_team(post.conversation, teams["billing"], "test")
    user = actions.auto_assign(post.conversation, T0)
    assert user == online["billing_agent"]
    post.conversation.refresh_from_db()
    assert post.conversation.assignee == online["billing_agent"]
    assert actions.auto_assign(post.conversation, T0) is None  # already assigned: untouched


def test_auto_assign_respects_capacity_and_presence(brand, channel, teams, online):
    profile = online["care_agent"].agent_profile
    profile.capacity = 1
    profile.save()
    convs = []
    for i in range(2):
        post = ingest(brand, channel, str(i), "hi", author=f"c{i}")
        inbox.set_team(post.conversation, teams["care"], "test")
        convs.append(post.conversation)
    assert actions.auto_assign(convs[0], T0) == online["care_agent"]
    assert actions.auto_assign(convs[1], T0) is None  # full
    actions.set_availability(online["billing_agent"], brand, "away", now=T0)
    assert AgentAvailability.objects.get(user=online["billing_agent"]).state == "away"


def test_going_offline_hands_conversations_on(brand, channel, teams, users, django_user_model):
    from tests.conftest import make_user

    other = make_user(django_user_model, "cleo", brand, "agent", [teams["care"]])
    actions.set_availability(users["care_agent"], brand, "online", now=T0)
    post = ingest(brand, channel, "1", "hi")
    inbox.set_team(post.conversation, teams["care"], "test")
    actions.auto_assign(post.conversation, T0)
    actions.set_availability(other, brand, "online", now=T0)
    actions.set_availability(users["care_agent"], brand, "offline", now=T0)
    post.conversation.refresh_from_db()
    assert post.conversation.assignee == other
    assert AuditEvent.objects.filter(verb="agent.availability").count() == 3


def test_rule_assign_auto_uses_assignment(brand, channel, teams, online):
    add_rule(brand, "billing auto", {}, [{"type": "set_team", "team": "billing"}, {"type": "assign", "to": "auto"}])
    post = ingest(brand, channel, "1", "hi")
    result = actions.route_post(post, T0)
    assert result.applied == ["team billing", "assigned bill"]


def test_route_post_id_reads_the_triage_in_the_same_query_and_rules_see_it(brand, channel, teams,
                                                                           django_assert_num_queries):
    add_rule(brand, "angry", {"all": [{"field": "anger", "op": "gte", "value": 0.7}]},
             [{"type": "raise_priority", "to": 80}])
    post = ingest(brand, channel, "1", "this is the worst")
    PostTriage.objects.create(post=post, status="triaged", anger=0.9, intent="complaint")
    actions.route_post_id(post.pk)
    post.conversation.refresh_from_db()
    assert post.conversation.priority == 80
    calm = ingest(brand, channel, "2", "thanks", author="c2")
    PostTriage.objects.create(post=calm, status="triaged", anger=0.1, intent="praise")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        actions.route_post_id(calm.pk)
    triage_reads = [q["sql"] for q in queries.captured_queries if 'FROM "triage_posttriage"' in q["sql"]]
    assert triage_reads == []  # the triage came with the post (one join), not in a query of its own
    assert RoutingResult.objects.get(post=calm).decision is not None
    actions.route_post_id(10**9)  # a post that is gone: nothing happens
