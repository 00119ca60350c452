"""Triage on ingest: the listener, the background task, failures and retries, the catch-up command."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from parley.inbox import actions, signals
from parley.inbox.models import AuditEvent, Conversation, Post
from parley.triage import service
from parley.triage.models import PostTriage, TriageCorrection
from parley.triage.queries import pending_post_ids, triage_for_posts
from parley.triage.tasks import triage_post
from tests.conftest import T0, incoming

COMPLAINT = "@AcmeHelp worst service ever, my package never arrived and nobody answers. I want a refund!!"


def ingest(brand, channel, captured, pid="p1", text=COMPLAINT, **kw):
    with captured(execute=True):
        return actions.ingest_post(brand, channel, incoming(pid, text, **kw)).post


def jobs(post=None):
    """Triage jobs (of one post); other tests' committed data may hold jobs of their own."""
    found = DBTaskResult.objects.filter(task_path="parley.triage.tasks.triage_post")
    if post is not None:
        found = found.filter(pk__in=[j.pk for j in found if j.args_kwargs["args"] == [post.pk]])
    return found


def test_ingest_queues_triage_and_the_task_stores_it(brand, channel, django_capture_on_commit_callbacks):
    post = ingest(brand, channel, django_capture_on_commit_callbacks)
    assert PostTriage.objects.get(post=post).status == PostTriage.Status.PENDING
    assert jobs(post).count() == 1

    assert triage_post.call(post.pk) == "triaged"
    triage = PostTriage.objects.get(post=post)
    assert triage.intent == "complaint" and triage.complaint > 0.5 and triage.sentiment == "negative"
    assert triage.model_version and triage.profile and triage.attempts == 1 and triage.triaged_at
    assert triage.priority > 0 and triage.priority_breakdown[0]["factor"] == "intent"
    conversation = Conversation.objects.get(pk=post.conversation_id)
    assert conversation.priority == triage.priority
    event = AuditEvent.objects.get(verb="conversation.priority", conversation=conversation)
    assert event.actor_label == "triage" and event.data["new"] == triage.priority


def test_redelivered_post_is_not_queued_twice(brand, channel, django_capture_on_commit_callbacks):
    post = ingest(brand, channel, django_capture_on_commit_callbacks)
    ingest(brand, channel, django_capture_on_commit_callbacks)
    assert jobs(post).count() == 1


def test_outbound_posts_are_not_triaged(brand, channel, django_capture_on_commit_callbacks):
    before = jobs().count()
    ingest(brand, channel, django_capture_on_commit_callbacks, pid="b1", text="Sorry to hear that!",
           direction="out", author=None)
    assert not PostTriage.objects.filter(post__brand=brand).exists() and jobs().count() == before


def test_triage_off_leaves_the_inbox_working(brand, channel, settings, django_capture_on_commit_callbacks):
    settings.PARLEY_TRIAGE_ENABLED = False
    post = ingest(brand, channel, django_capture_on_commit_callbacks)
    assert Post.objects.filter(pk=post.pk).exists()
    assert not PostTriage.objects.filter(post__brand=brand).exists() and not jobs(post).exists()


def test_a_failing_listener_never_blocks_ingestion(brand, channel, django_capture_on_commit_callbacks):
    def broken(post_id):
        raise RuntimeError("boom")

    signals.add_post_ingested_listener(broken)
    try:
        post = ingest(brand, channel, django_capture_on_commit_callbacks)
    finally:
        signals.remove_post_ingested_listener(broken)
    assert Post.objects.filter(pk=post.pk).exists() and jobs(post).count() == 1


def test_failure_marks_the_post_failed_and_retries_with_backoff(brand, channel, settings, monkeypatch,
                                                              django_capture_on_commit_callbacks):
    post = ingest(brand, channel, django_capture_on_commit_callbacks)

    def explode(*args, **kwargs):
        raise ValueError("model file unreadable")

    monkeypatch.setattr(service, "triage_post_now", explode)
    before = timezone.now()
    assert triage_post.call(post.pk) == "failed"
    triage = PostTriage.objects.get(post=post)
    assert triage.status == "failed" and "model file unreadable" in triage.reason and triage.attempts == 1
    assert before + timedelta(seconds=29) < triage.next_attempt_at < timezone.now() + timedelta(seconds=31)
    retry = jobs(post).order_by("-enqueued_at").first()
    assert jobs(post).count() == 2 and retry.run_after >= triage.next_attempt_at - timedelta(seconds=1)
    assert Post.objects.filter(pk=post.pk).exists()  # never lost

    settings.PARLEY_TRIAGE_MAX_ATTEMPTS = 2
    assert triage_post.call(post.pk) == "failed"
    triage.refresh_from_db()
    assert triage.attempts == 2 and triage.next_attempt_at is None
    assert jobs(post).count() == 2  # no more retries

    monkeypatch.undo()
    assert triage_post.call(post.pk) == "triaged"


def test_backoff_grows_and_caps():
    waits = [service.backoff(n).total_seconds() for n in range(1, 8)]
    assert waits[:4] == [30, 120, 480, 1920] and waits[-1] == 3600


def test_task_for_a_deleted_post_is_a_no_op(db):
    assert triage_post.call(987654) == "missing"


def test_foreign_language_post_is_stored_as_not_triaged(brand, channel, django_capture_on_commit_callbacks):
    post = ingest(brand, channel, django_capture_on_commit_callbacks, text="¿Dónde está mi pedido? Nadie me responde")
    assert triage_post.call(post.pk) == "not_triaged"
    triage = PostTriage.objects.get(post=post)
    assert triage.language == "es" and "not covered" in triage.reason and triage.intent == ""
    assert triage.priority is not None


def test_triage_pending_catches_up_after_a_bulk_import(brand, channel):
    # Posts stored without the on-commit hook running, as a bulk import leaves them.
    ids = [actions.ingest_post(brand, channel, incoming(f"q{i}", t, author=f"c{i}")).post.pk
           for i, t in enumerate([COMPLAINT, "thanks so much, love it!", "", "where do I return my jacket?"])]
    actions.ingest_post(brand, channel, incoming("b1", "We are on it", direction="out", author=None))
    assert sorted(pending_post_ids(brand=brand)) == sorted(ids)
    out = StringIO()
    call_command("triage_pending", "--no-progress", "--batch-size", "3", "--brand", "acme", stdout=out)
    assert "3 triaged" in out.getvalue() and "1 not_triaged" in out.getvalue()
    assert list(pending_post_ids(brand=brand)) == []
    found = triage_for_posts(ids)
    assert set(found) == set(ids)
    assert found[ids[0]]["intent"] == "complaint" and found[ids[2]]["status"] == "not_triaged"
    out = StringIO()
    call_command("triage_pending", "--no-progress", "--brand", "acme", stdout=out)
    assert "nothing to triage" in out.getvalue()
    with pytest.raises(CommandError, match="no brand"):
        call_command("triage_pending", "--brand", "nope")


def test_priority_is_only_raised_never_lowered(brand, channel):
    post = actions.ingest_post(brand, channel, incoming("z1", "ok thanks")).post
    conversation = post.conversation
    actions.set_priority(conversation, 99, "agent")
    service.triage_post_now(Post.objects.get(pk=post.pk), timezone.now())
    conversation.refresh_from_db()
    assert conversation.priority == 99


def test_pile_on_counts_other_authors(brand, channel):
    root = actions.ingest_post(brand, channel, incoming("r1", COMPLAINT, author="c1", at=T0)).post
    for i in range(3):
        actions.ingest_post(brand, channel, incoming(f"r{i + 2}", "same here!!", author=f"o{i}", reply_to="r1",
                                                     thread="r1", at=T0 + timedelta(minutes=i + 1)))
    root.refresh_from_db()
    facts = service.conversation_facts(root)
    assert facts.other_authors == 3


def test_corrections_are_kept(brand, channel, users):
    post = actions.ingest_post(brand, channel, incoming("k1", COMPLAINT)).post
    TriageCorrection.objects.create(post=post, field="intent", old_value="question", new_value="complaint",
                                    user=users["care_agent"])
    from parley.triage.training.corrections import as_splits

    rows = [(c.post.text, c.field, c.new_value) for c in TriageCorrection.objects.all()]
    splits = as_splits(rows + [("x", "intent", "nonsense"), ("y", "severity", 7)])
    assert splits["intent"].labels == ["complaint"] and "severity" not in splits


def test_an_agent_corrects_a_field_and_the_correction_is_kept(brand, channel, users):
    from parley.inbox.actions import ActionError
    from parley.triage.actions import correct_triage

    post = actions.ingest_post(brand, channel, incoming("m1", COMPLAINT)).post
    service.triage_post_now(Post.objects.get(pk=post.pk), timezone.now())
    agent = users["care_agent"]
    correction = correct_triage(post, "intent", "question", agent)
    assert correction.old_value == "complaint" and correction.new_value == "question" and correction.user == agent
    correct_triage(post, "complaint", False, agent)
    triage = PostTriage.objects.get(post=post)
    assert triage.intent == "question" and triage.complaint == 0.0
    assert AuditEvent.objects.filter(verb="triage.corrected", object_id=str(post.pk)).count() == 2
    for field, value in (("intent", "rant"), ("language", "fr"), ("severity", 9), ("severity", True)):
        with pytest.raises(ActionError):
            correct_triage(post, field, value, agent)
    assert TriageCorrection.objects.filter(post=post).count() == 2


def test_brand_topics_are_used(brand, channel):
    brand.settings = {**(brand.settings or {}), "triage_topics": {"loyalty": {"keywords": ["points"]}}}
    brand.save()
    post = actions.ingest_post(brand, channel, incoming("t1", "my points never showed up, where is my package")).post
    triage = service.triage_post_now(Post.objects.get(pk=post.pk), timezone.now())
    assert triage.topics == ["loyalty"]
