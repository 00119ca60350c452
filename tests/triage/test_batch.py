"""Triage of a batch (`service.triage_posts`, the `triage_batch` job) ends exactly as the same posts
triaged one at a time (`triage_post` jobs, each post's routing, implicit feedback and auto-like run on
commit before the next): the same PostTriage rows, priorities, conversations (team, assignee, tags),
routing results, audit events per conversation in order, triage summary flags and implicit feedback.

The model's results are fixed per text (computed once), so both runs store the same labels."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from parley.inbox import actions as inbox
from parley.inbox.models import AuditEvent, Conversation, Post
from parley.routing import actions as routing
from parley.routing.models import RoutingResult, RoutingRule
from parley.sla.models import ImplicitFeedback
from parley.triage import service
from parley.triage.models import ConversationTriageFlag, PostTriage
from parley.triage.pipeline import Triager
from tests.conftest import T0, incoming

pytestmark = pytest.mark.django_db

NOW = T0 + timedelta(hours=1)
SKIP = {"created_at", "updated_at"}  # clock times of the writes themselves
SELECT = ("conversation", "author__customer", "brand", "triage", "channel")  # as the triage_batch job reads


def _post(brand, channel, pid, text, minutes, **kw):
    return inbox.ingest_post(brand, channel, incoming(pid, text, at=T0 + timedelta(minutes=minutes), **kw)).post


@pytest.fixture
def scene(brand, channel, users, monkeypatch):
    """Posts that exercise every path: auto-assignment among two free agents, a rule that raises the
    priority (its post's later sibling must see it), two quiet posts of one conversation, a thank-you
    after the brand's reply (implicit feedback), a post deleted while the model read it, and a post
    whose triage cannot be stored."""
    for name in ("care_agent", "billing_agent"):
        routing.set_availability(users[name], brand, "online", now=T0)
    RoutingRule.objects.create(brand=brand, name="refunds", position=10,
                               conditions={"all": [{"field": "text", "op": "keywords", "value": ["refund"]}]},
                               actions=[{"type": "add_tag", "tag": "refund"}, {"type": "assign", "to": "auto"}])
    RoutingRule.objects.create(brand=brand, name="broken", position=20,
                               conditions={"all": [{"field": "text", "op": "keywords", "value": ["broken"]}]},
                               actions=[{"type": "raise_priority", "to": 95}])
    thanked = _post(brand, channel, "t1", "my order never arrived", 0, author="c5")
    PostTriage.objects.create(post=thanked, status="triaged", intent="complaint", severity=2)
    inbox.create_reply(thanked.conversation, "Sorry! It ships today.", "test", now=T0 + timedelta(minutes=1))
    posts = [
        _post(brand, channel, "a1", "quick question, is the broken link on your site known?", 2, author="c1"),
        _post(brand, channel, "b1", "refund please for order 2", 3, author="c2"),
        _post(brand, channel, "a2", "@AcmeHelp this is a disgrace, I want my money back NOW!!", 4, author="c1",
              reply_to="a1"),
        _post(brand, channel, "d1", "where is my parcel?", 5, author="c4"),
        _post(brand, channel, "d2", "this is the worst service ever, I am furious", 6, author="c4", reply_to="d1"),
        _post(brand, channel, "c1", "refund for order 3, it is broken", 7, author="c3"),
        _post(brand, channel, "t2", "thanks so much, all sorted!", 8, author="c5", reply_to="t1"),
        _post(brand, channel, "x1", "EXPLODE my card 4111 1111 1111 1111 was charged twice", 9, author="c6"),
        _post(brand, channel, "g1", "call me on +44 7700 900123 about my refund", 10, author="c7"),
    ]
    texts = {p.text for p in posts}
    real = Triager.triage_many
    fixed = dict(zip(sorted(texts), real(service.triager_for(brand), sorted(texts))))
    monkeypatch.setattr(Triager, "triage_many", lambda self, batch: [dict(fixed[t]) for t in batch])
    monkeypatch.setattr(Triager, "triage", lambda self, text: dict(fixed[text]))
    real_facts = service.post_facts

    def facts(post, triage):
        if post.text.startswith("EXPLODE"):
            raise ValueError("cannot read this post")
        return real_facts(post, triage)

    monkeypatch.setattr(service, "post_facts", facts)
    service.mark_pending([p.pk for p in posts])
    return posts


def _delete_while_read(posts):
    """The posts as the job read them, then one deleted on the platform (its text still in memory)."""
    loaded = list(Post.objects.select_related(*SELECT).filter(pk__in=[p.pk for p in posts]).order_by("pk"))
    gone = next(p for p in loaded if p.platform_id == "g1")
    inbox.mark_post_deleted(Post.objects.get(pk=gone.pk), now=NOW)
    return loaded


def state() -> dict:
    """Everything the triage of the posts decided, by platform ids (new rows' ids differ between runs)."""
    pid = dict(Post.objects.values_list("pk", "platform_id"))
    triage_fields = [f.attname for f in PostTriage._meta.concrete_fields if f.attname not in SKIP]
    return {
        "triage": sorted((pid[t.post_id], [getattr(t, f) for f in triage_fields if f != "triaged_at"])
                         for t in PostTriage.objects.all()),
        "conversations": sorted((c.pk, c.priority, c.status, c.team_id, c.assignee_id, c.waiting_since,
                                 c.sla_due_at, c.sla_warn_at, sorted(c.tags.values_list("name", flat=True)))
                                for c in Conversation.objects.all()),
        "routing": sorted((pid[r.post_id], r.conversation_id, r.decision, r.applied)
                          for r in RoutingResult.objects.all()),
        "audit": [(e.conversation_id, e.verb, e.actor_label, e.object_type, e.data)
                  for e in AuditEvent.objects.order_by("conversation_id", "id")],
        "flags": sorted(ConversationTriageFlag.objects.values_list("conversation_id", "flag")),
        "feedback": sorted((pid[f.post_id], f.kind, f.after, f.agent_id, f.signals)
                           for f in ImplicitFeedback.objects.all()),
        "replies": sorted(Post.objects.filter(direction="out").values_list("conversation_id", "text")),
    }


class _Undo(Exception):
    pass


def one_at_a_time(posts, capture) -> tuple[dict, list]:
    """The state after triage_post jobs, one a post in order (each reads its post afresh; the deleted
    one's model read its text before the deletion); undone afterwards. Also each post's status."""
    statuses = []
    try:
        with transaction.atomic():
            loaded = _delete_while_read(posts)
            for before in loaded:
                post = Post.objects.select_related("conversation", "author__customer", "brand").get(pk=before.pk)
                post.text = before.text
                with capture(execute=True):
                    try:
                        statuses.append(service.triage_post_now(post, NOW).status)
                    except Exception as exc:  # the triage_post task's own handling
                        statuses.append(service.mark_failed(post.pk, f"{type(exc).__name__}: {exc}", NOW).status)
            seen = state()
            raise _Undo
    except _Undo:
        pass
    return seen, statuses


def batch(posts, capture, monkeypatch) -> tuple[dict, list]:
    """The state after one triage_posts call. The worker runs in autocommit, so each segment's
    on-commit work (routing, feedback) runs as its write commits: here the test's transaction holds
    them, so each segment's are run at its end."""
    real = service._store_segment

    def committed(*args):
        with capture(execute=True):
            return real(*args)

    monkeypatch.setattr(service, "_store_segment", committed)
    loaded = _delete_while_read(posts)
    statuses = service.triage_posts(loaded, NOW)
    monkeypatch.setattr(service, "_store_segment", real)
    return state(), statuses


def test_a_batch_ends_like_one_post_at_a_time(scene, django_capture_on_commit_callbacks, monkeypatch):
    expected, expected_statuses = one_at_a_time(scene, django_capture_on_commit_callbacks)
    got, statuses = batch(scene, django_capture_on_commit_callbacks, monkeypatch)
    for part in expected:
        assert got[part] == expected[part], part
    assert statuses == expected_statuses
    # What the scene was built to show actually happened (so the comparison is not of two empty runs).
    by_pid = {p.platform_id: p for p in Post.objects.filter(direction="in").select_related("triage", "conversation")}
    assert statuses.count("failed") == 1 and by_pid["x1"].triage.status == "failed"
    assert by_pid["x1"].triage.next_attempt_at is not None  # retried alone later
    assert {p.triage.status for pid, p in by_pid.items() if pid not in ("x1", "t1")} <= {"triaged", "not_triaged"}
    deleted = by_pid["g1"].triage
    assert deleted.explanation == {} and deleted.private_data_spans == []
    assignees = [by_pid[pid].conversation.assignee_id for pid in ("b1", "c1")]
    assert None not in assignees and len(set(assignees)) == 2  # the second refund went to the other agent
    a = by_pid["a1"].conversation
    assert a.pk == by_pid["a2"].conversation_id and a.priority >= 95  # the rule's raise, seen by a2's triage
    raised = [d["new"] for c, v, label, _, d in got["audit"] if c == a.pk and label == "triage"]
    scores = [by_pid[pid].triage.priority for pid in ("a1", "a2")]
    assert scores[0] < scores[1] < 95 and raised == [scores[0]]  # a2 saw the rule's raise after a1: no event
    d = by_pid["d1"].conversation
    assert [d_["new"] for c, v, label, _, d_ in got["audit"] if c == d.pk and label == "triage"] == sorted(
        d_["new"] for c, v, label, _, d_ in got["audit"] if c == d.pk and label == "triage")
    assert [row[1] for row in got["feedback"]] == ["thanks"]
    assert RoutingResult.objects.count() == len(scene) - 1  # every post but the failed one routed once


def test_when_the_bulk_write_fails_each_post_is_stored_alone(scene, django_capture_on_commit_callbacks, monkeypatch):
    expected, expected_statuses = one_at_a_time(scene, django_capture_on_commit_callbacks)
    real = service.update_rows
    calls = []

    def broken(model, objects, names):
        calls.append(model)
        if model is PostTriage and len(calls) == 1:
            raise RuntimeError("disk full")
        return real(model, objects, names)

    monkeypatch.setattr(service, "update_rows", broken)
    got, statuses = batch(scene, django_capture_on_commit_callbacks, monkeypatch)
    assert calls and statuses == expected_statuses
    for part in expected:
        assert got[part] == expected[part], part


def test_a_batch_writes_in_a_few_statements(brand, channel, monkeypatch, django_capture_on_commit_callbacks):
    """Quiet posts (no rule decides anything), many per conversation: the statements do not grow per post."""
    from parley.server.jobmemo import job

    def statements(n, start):
        posts = [_post(brand, channel, f"q{start + k}", f"where is my parcel {k}?", k, author=f"q{(start + k) % 4}")
                 for k in range(n)]
        service.mark_pending([p.pk for p in posts])
        loaded = list(Post.objects.select_related(*SELECT).filter(pk__in=[p.pk for p in posts]).order_by("pk"))
        with job(), django_capture_on_commit_callbacks(execute=True), CaptureQueriesContext(connection) as queries:
            service.triage_posts(loaded, NOW)  # inside a job's memo, as the triage_batch job runs it
        assert PostTriage.objects.filter(post__in=posts, status="triaged").count() == n
        return len(queries)

    small, large = statements(4, 0), statements(40, 100)
    assert large <= small + 6, (small, large)
