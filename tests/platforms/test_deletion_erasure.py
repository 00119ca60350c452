"""A post deleted on the platform leaves no copy of its words anywhere in the database: not in the
post, not in the webhook bodies that carried it (its own, a like's, an edit's, a dead letter), not in
other posts' raw JSON, not in triage; in either order of arrival. Ids, times and the record stay."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from parley.inbox.models import AuditEvent, Post
from parley.platforms import actions, processing
from parley.platforms.models import Tombstone, WebhookDelivery
from parley.platforms.simulator import payloads as p
from parley.triage import service
from parley.triage.models import PostTriage
from tests.customers.dbscan import find_everywhere

from .conftest import IG_ACCOUNT, X_ACCOUNT, deliver, signed_post

pytestmark = pytest.mark.django_db

T = datetime(2024, 1, 15, 10, 0, tzinfo=timezone.utc)
JANE = p.x_user("99887766", "jane_c", "Jane Customer", followers=12)
BOB = p.x_user("5551", "bob", "Bob")
MARKER = "zorblaxquint"  # a word no fixture holds
WORDS = f"@TwitterDev my card 4111 was charged twice, {MARKER} #{MARKER}tag please refund"
TWEET_ID = "1800000000000000777"


def _tweet(text=WORDS, tweet_id=TWEET_ID, user=JANE, at=T):
    tweet = p.x_tweet(tweet_id, text, user, at)
    tweet["entities"] = {"hashtags": [{"text": f"{MARKER}tag", "indices": [60, 78]}], "urls": []}
    return tweet


def _x(**events) -> bytes:
    return p.x_delivery(X_ACCOUNT, **events)


def _everywhere(needle: str) -> list[str]:
    """Where the words still are, once the periodic job has merged SQLite's search index pages."""
    from parley.inbox.periodic import purge_search_index

    purge_search_index(datetime.now(timezone.utc))
    return find_everywhere(needle)


def _deletion(tweet_id=TWEET_ID, at=T + timedelta(minutes=5)) -> bytes:
    return _x(tweet_delete_events=[p.x_delete(tweet_id, JANE["id_str"], at)])


def test_a_deleted_tweet_leaves_no_trace_of_its_words(client, x_channel):
    deliver(client, "x", _x(tweet_create_events=[_tweet()]))
    # Copies elsewhere: a like of it (the whole tweet), a quote of it by someone else (in that post's raw).
    deliver(client, "x", _x(favorite_events=[p.x_favorite(_tweet(), p.x_user(X_ACCOUNT, "TwitterDev"), T)]))
    quote = p.x_tweet("1800000000000000778", "@TwitterDev look at this", BOB, T + timedelta(minutes=1), quote=True)
    quote["quoted_status_id_str"] = TWEET_ID
    quote["quoted_status"] = _tweet()
    deliver(client, "x", _x(tweet_create_events=[quote]))
    post = Post.objects.get(platform_id=TWEET_ID)
    service.triage_post_now(post)
    assert find_everywhere(MARKER)  # the scan sees it where it is

    deliver(client, "x", _deletion())

    assert _everywhere(MARKER) == []
    assert _everywhere("4111 was charged") == []
    post.refresh_from_db()
    assert post.is_deleted and post.text == "" and post.raw is None
    assert post.deleted_at == T + timedelta(minutes=5) and post.platform_id == TWEET_ID and post.author is not None
    assert post.conversation.subject == ""
    assert post.triage.explanation == {} and post.triage.intent  # the labels stay, the quoted phrases go
    assert AuditEvent.objects.filter(verb="post.deleted", object_id=str(post.pk)).count() == 1
    # The bodies stay, parseable, their ids kept; the quote keeps its own words.
    first = WebhookDelivery.objects.order_by("pk").first()
    assert TWEET_ID in first.text() and first.summary["redacted_posts"] == [TWEET_ID]
    quoting = Post.objects.get(platform_id="1800000000000000778")
    assert quoting.text == "@TwitterDev look at this" and quoting.raw["quoted_status"]["id_str"] == TWEET_ID


def test_a_redelivery_of_the_original_after_the_deletion_stores_nothing(client, x_channel):
    original = _x(tweet_create_events=[_tweet()])
    deliver(client, "x", original)
    deliver(client, "x", _deletion())
    # The very same bytes: recognised by their hash (kept), not stored again.
    response = signed_post(client, "x", original)
    assert response.status_code == 200
    assert WebhookDelivery.objects.count() == 2  # the original and the deletion, once each
    # Other bytes carrying it (a resend with different spacing, an edit of it): processed, then scrubbed.
    deliver(client, "x", original.replace(b", ", b",  "))
    edited = _tweet(text=f"{WORDS} (edited)", tweet_id="1800000000000000779")
    edited["edit_history"] = {"initial_tweet_id": TWEET_ID, "edit_tweet_ids": [TWEET_ID, "1800000000000000779"]}
    assert deliver(client, "x", _x(tweet_create_events=[edited])).summary.get("edit_of_deleted") == 1
    assert _everywhere(MARKER) == []
    assert Post.objects.count() == 1


def test_a_deletion_before_the_post_means_its_words_are_never_stored(client, x_channel):
    assert deliver(client, "x", _deletion()).summary["deleted_before_arrival"] == 1
    delivery = deliver(client, "x", _x(tweet_create_events=[_tweet()]))
    assert delivery.summary["created_deleted"] == 1
    post = Post.objects.get()
    assert post.is_deleted and post.text == "" and post.raw is None
    assert _everywhere(MARKER) == []
    # Its conversation and the record exist; the text was never written (no edit event with words).
    assert post.conversation.subject == ""
    assert Tombstone.objects.filter(platform_id=TWEET_ID).exists()


def test_a_waiting_body_and_a_dead_letter_are_scrubbed_and_still_replay(client, x_channel):
    """The post's body is stored but not yet processed (queued), a second copy failed (dead letter):
    the deletion scrubs both; processing and replaying them afterwards stores the empty, deleted post."""
    [(queued_id, _)] = actions.accept_deliveries([("x", _x(tweet_create_events=[_tweet()]))])
    [(dead_id, _)] = actions.accept_deliveries([("x", _x(tweet_create_events=[
        _tweet(), p.x_tweet("1800000000000000780", "@TwitterDev unrelated", BOB, T)]))])
    WebhookDelivery.objects.filter(pk=dead_id).update(state=WebhookDelivery.State.DEAD, error="boom")
    deliver(client, "x", _deletion())
    assert _everywhere(MARKER) == []
    processing.process_many([queued_id])
    actions.replay_delivery(WebhookDelivery.objects.get(pk=dead_id), "system")
    processing.process_many([dead_id])
    post = Post.objects.get(platform_id=TWEET_ID)
    assert post.is_deleted and post.text == ""
    assert Post.objects.get(platform_id="1800000000000000780").text == "@TwitterDev unrelated"  # its batch mate kept
    assert _everywhere(MARKER) == []


def test_an_unsent_instagram_message_leaves_no_trace(client, ig_channel):
    def dm(message):
        event = {"sender": {"id": "1791000000000042"}, "recipient": {"id": IG_ACCOUNT}, "timestamp": 1763888400000,
                 "message": message}
        return {"object": "instagram", "entry": [{"id": IG_ACCOUNT, "time": 1763888400000, "messaging": [event]}]}

    deliver(client, "meta", dm({"mid": "aWdfZAG1faWQ9", "text": f"my email is rosa@{MARKER}.net"}))
    deliver(client, "meta", dm({"mid": "aWdfZAG1faWQ9", "is_deleted": True}))
    assert _everywhere(MARKER) == []
    assert Post.objects.get().is_deleted


def test_a_failing_listener_undoes_the_whole_deletion(client, x_channel, monkeypatch):
    from parley.inbox import signals

    deliver(client, "x", _x(tweet_create_events=[_tweet()]))

    def boom(post, words):
        raise RuntimeError("disk full")

    signals.add_post_deleted_listener(boom)
    try:
        delivery = deliver(client, "x", _deletion())
    finally:
        signals._deleted_listeners.remove(boom)
    assert delivery.state == WebhookDelivery.State.DEAD  # kept to replay
    post = Post.objects.get()
    assert not post.is_deleted and MARKER in post.text  # nothing half-erased
    actions.replay_delivery(delivery, "system")
    processing.process_many([delivery.pk])
    assert _everywhere(MARKER) == []
    assert PostTriage.objects.filter(post=post).count() in (0, 1)


def test_the_other_apps_copies_go_too_quotes_findings_and_promises(client, x_channel, users):
    """A reply of the brand deleted on X (by hand, outside Parley) and a customer's happy words quoted
    in an outcome summary: the follow-up keeps its date, the summary its outcome, neither the words."""
    from parley.composer.models import Approval, OutcomeShare, ReplyCheck
    from parley.inbox import actions as inbox
    from parley.sla.actions import follow_ups_from_reply

    deliver(client, "x", _x(tweet_create_events=[_tweet(text=f"@TwitterDev thanks, {MARKER} sorted it!")]))
    post = Post.objects.get()
    conversation = post.conversation
    reply = inbox.create_reply(conversation, f"We will call you tomorrow about {MARKER}.", users["admin"])
    Post.objects.filter(pk=reply.pk).update(platform_id="1800000000000000900", delivery_status="sent")
    reply.refresh_from_db()
    [follow_up] = follow_ups_from_reply(reply)
    assert MARKER in follow_up.text
    ReplyCheck.objects.create(post=reply, findings=[{"rule": "tone", "quote": MARKER}])
    approval = Approval.objects.create(brand=post.brand, conversation=conversation, text=reply.text, visibility="public",
                                       findings=[{"quote": MARKER}], status="approved", post=reply, created_at=T)
    share = OutcomeShare.objects.create(brand=post.brand, conversation=conversation, quote=post.text, quote_post=post,
                                        consent=True, shown_handle="@jane_c", outcome="Refunded",
                                        text=f"“{post.text}” — @jane_c\nThe outcome: Refunded.", created_at=T)
    deliver(client, "x", _deletion())
    deliver(client, "x", _deletion("1800000000000000900"))
    follow_up.refresh_from_db()
    share.refresh_from_db()
    assert MARKER not in follow_up.text and follow_up.due_at
    assert share.quote == "" and "Refunded" in share.text and MARKER not in share.text
    assert ReplyCheck.objects.get(post=reply).findings == []
    approval.refresh_from_db()
    assert approval.text == "" and approval.findings == [] and approval.status == "approved"
    event = AuditEvent.objects.get(verb="followup.created", object_id=str(follow_up.pk))
    assert event.data["due"] and "promise" not in event.data
    # Every column of every table, the audit log included.
    assert _everywhere(MARKER) == []


def test_audit_events_that_quoted_a_promise_lose_it_with_the_reply(client, x_channel, users):
    """Events written before followup.created stopped quoting the promise: the listener (a deletion
    now) and `scrub-deleted` (a reply deleted before this version) take the quote out."""
    from io import StringIO

    from django.core.management import call_command
    from django.db import models

    from parley.inbox import actions as inbox
    from parley.sla.actions import follow_ups_from_reply

    deliver(client, "x", _x(tweet_create_events=[_tweet()]))
    conversation = Post.objects.get().conversation
    replies = []
    for n in (901, 902):
        reply = inbox.create_reply(conversation, f"We will call you tomorrow about {MARKER}{n}.", users["admin"])
        Post.objects.filter(pk=reply.pk).update(platform_id=f"1800000000000000{n}", delivery_status="sent")
        reply.refresh_from_db()
        [follow_up] = follow_ups_from_reply(reply)
        event = AuditEvent.objects.get(verb="followup.created", object_id=str(follow_up.pk))
        models.QuerySet(model=AuditEvent).filter(pk=event.pk).update(  # as older versions wrote it
            data={**event.data, "promise": f"call you tomorrow about {MARKER}{n}"})
        replies.append(reply)
    deliver(client, "x", _deletion("1800000000000000901"))
    assert _everywhere(f"{MARKER}901") == []
    # The second reply was deleted by the previous version: hidden, emptied, its follow-up reworded,
    # the event's quote left behind.
    from parley.sla.listeners import DELETED_PROMISE
    from parley.sla.models import FollowUp

    Post.objects.filter(pk=replies[1].pk).update(is_deleted=True, deleted_at=T, text="")
    FollowUp.objects.filter(source_post=replies[1]).update(text=DELETED_PROMISE)
    assert [hit.split(".")[0] for hit in _everywhere(f"{MARKER}902")] == ["inbox_auditevent"]
    out = StringIO()
    call_command("webhooks", "scrub-deleted", stdout=out)
    assert "1 audit events lost a deleted reply's promise" in out.getvalue()
    assert _everywhere(f"{MARKER}902") == []
    assert AuditEvent.objects.filter(verb="followup.created").count() == 2  # the events stay


def test_posts_deleted_before_this_version_are_scrubbed_by_the_command(client, x_channel):
    from io import StringIO

    from django.core.management import call_command

    deliver(client, "x", _x(tweet_create_events=[_tweet()]))
    # As an older version left it: hidden, words still stored.
    Post.objects.update(is_deleted=True, deleted_at=T + timedelta(minutes=5))
    assert find_everywhere(MARKER)
    out = StringIO()
    call_command("webhooks", "scrub-deleted", stdout=out)
    assert "1 deleted posts scrubbed" in out.getvalue()
    assert _everywhere(MARKER) == []
    assert Post.objects.get().deleted_at == T + timedelta(minutes=5)
    call_command("webhooks", "scrub-deleted", stdout=out)
    assert "0 deleted posts scrubbed" in out.getvalue()


# Every model that points at a post and has a column that could hold words, with what a deletion
# does to it. The scans above catch a copy in any table the tests fill; this catches a new model
# (or column) nobody thought about: add it here only once its post-deleted listener handles it.
REVIEWED = {
    "platforms.outboxitem": {"last_error": "the platform's error, not the post's words", "key": "an id"},
    "inbox.post": {"text": "emptied", "raw": "emptied", "delivery_error": "the platform's error",
                   "platform_id": "an id", "in_reply_to_id": "an id", "platform_conversation_id": "an id",
                   "idempotency_key": "an id", "url": "the post's address (ids only)", "language": "a code"},
    "triage.posttriage": {"explanation": "emptied", "private_data_spans": "emptied", "reason": "a label",
                          "*": "labels and scores"},
    "triage.triagecorrection": {"*": "a label's old and new value"},
    "routing.routingresult": {"*": "the rules that matched and what they did"},
    "routing.acknowledgement": {"reason": "rule or off_hours"},
    "sla.followup": {"text": "reworded (sla.listeners)", "*": "kind and state"},
    "sla.resolution": {"proposal": "a state"},
    "sla.implicitfeedback": {"*": "kinds and signal names"},
    "composer.replycheck": {"findings": "emptied", "override_reason": "the agent's reason"},
    "composer.approval": {"text": "emptied", "findings": "emptied", "*": "the decision"},
    "composer.outcomeshare": {"quote": "emptied", "text": "rewritten without the quote", "*": "the outcome"},
}


def test_every_model_tied_to_a_post_is_reviewed_for_deletion():
    from django.apps import apps
    from django.db import models

    wordy = (models.CharField, models.TextField, models.JSONField, models.BinaryField)
    missing = []
    for model in apps.get_models():
        if not any(f.is_relation and f.related_model is Post for f in model._meta.concrete_fields) and model is not Post:
            continue
        reviewed = REVIEWED.get(model._meta.label_lower, {})
        for field in model._meta.concrete_fields:
            if isinstance(field, wordy) and not field.choices and field.name not in reviewed and "*" not in reviewed:
                missing.append(f"{model._meta.label_lower}.{field.name}")
    assert missing == [], f"{missing}: say what a platform deletion does to these columns (and erase them if they quote a post)"


# --- a post and its deletion processed at once ----------------------------------------------------


def test_a_deletion_committed_while_a_batch_holds_its_post_is_obeyed(x_channel, monkeypatch):
    """The bad order, step by step: a batch reads the tombstones (none), another worker processes
    the deletion (no post yet: it only remembers it), then the batch writes its group. The group's
    check under the lock sees the tombstone: the post is stored deleted, its words nowhere."""
    from parley.platforms.batching import Batch

    [(post_delivery, _)] = actions.accept_deliveries([("x", _x(tweet_create_events=[
        _tweet(), p.x_tweet("1800000000000000781", "@TwitterDev another one", BOB, T)]))])
    [(deletion, _)] = actions.accept_deliveries([("x", _deletion())])
    read = Batch._read_tombstones
    meanwhile = []

    def read_then_another_worker_deletes(self, runs):
        read(self, runs)
        if not meanwhile:
            meanwhile.append(deletion)
            Batch().process(list(WebhookDelivery.objects.filter(pk=deletion)))

    monkeypatch.setattr(Batch, "_read_tombstones", read_then_another_worker_deletes)
    processing.process_many([post_delivery])
    assert meanwhile and WebhookDelivery.objects.get(pk=deletion).summary["deleted_before_arrival"] == 1
    post = Post.objects.get(platform_id=TWEET_ID)
    assert post.is_deleted and post.text == "" and post.raw is None
    assert Post.objects.get(platform_id="1800000000000000781").text == "@TwitterDev another one"
    delivery = WebhookDelivery.objects.get(pk=post_delivery)
    assert delivery.state == WebhookDelivery.State.DONE and delivery.summary["created_deleted"] == 1
    assert _everywhere(MARKER) == []


@pytest.mark.django_db(transaction=True)
def test_two_workers_a_post_and_its_deletion_at_once(x_channel, monkeypatch):
    """Two threads, two connections: worker A has checked that the post is not deleted and is about
    to write it; worker B processes the deletion then. B waits for A's lock, then finds the post and
    erases it. (PostgreSQL: SQLite runs one writing transaction at a time.)"""
    import threading
    import time

    from django.db import connection

    from parley.inbox import actions as inbox

    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writing transactions (IMMEDIATE)")
    [(post_delivery, _)] = actions.accept_deliveries([("x", _x(tweet_create_events=[_tweet()]))])
    [(deletion, _)] = actions.accept_deliveries([("x", _deletion())])
    checked = threading.Event()
    ingest = inbox.ingest_post

    def slow_ingest(*args, **kwargs):  # worker A, between its tombstone check and its write
        checked.set()
        time.sleep(1.0)
        return ingest(*args, **kwargs)

    monkeypatch.setattr(inbox, "ingest_post", slow_ingest)
    errors = []

    def worker(pk, wait=None):
        try:
            if wait is not None:
                assert wait.wait(10)
            processing.process(WebhookDelivery.objects.get(pk=pk))
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(post_delivery,)),
               threading.Thread(target=worker, args=(deletion, checked))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    assert WebhookDelivery.objects.get(pk=deletion).summary.get("deleted") == 1  # it found the post
    post = Post.objects.get(platform_id=TWEET_ID)
    assert post.is_deleted and post.text == "" and post.raw is None
    assert find_everywhere(MARKER) == []


# --- which bodies carry which posts (CarriedPost) -------------------------------------------------


def test_a_deletion_finds_the_bodies_listed_under_its_post_whenever_received(client, x_channel):
    from parley.platforms.models import CarriedPost

    deliver(client, "x", _x(tweet_create_events=[_tweet()]))
    first = WebhookDelivery.objects.get()
    assert first.carried_indexed
    assert {TWEET_ID, JANE["id_str"]} <= set(CarriedPost.objects.filter(delivery=first, family="x")
                                             .values_list("platform_id", flat=True))
    # Received long before the post's time (outside the old scan's window): found through the list.
    WebhookDelivery.objects.filter(pk=first.pk).update(received_at=T - timedelta(days=30))
    deliver(client, "x", _deletion())
    assert _everywhere(MARKER) == []
    assert WebhookDelivery.objects.get(pk=first.pk).summary["redacted_posts"] == [TWEET_ID]


def test_bodies_stored_before_the_list_are_scanned_then_listed_by_the_command(client, x_channel):
    from io import StringIO

    from django.core.management import call_command

    from parley.platforms.models import CarriedPost

    deliver(client, "x", _x(tweet_create_events=[_tweet()]))
    deliver(client, "x", _x(tweet_create_events=[_tweet(text=f"other words {MARKER}x", tweet_id="1800000000000000782")]))
    CarriedPost.objects.all().delete()  # as an older version left them
    WebhookDelivery.objects.update(carried_indexed=False)
    deliver(client, "x", _deletion())  # found by the scan of unlisted bodies
    assert _everywhere("4111 was charged") == [] and find_everywhere(f"other words {MARKER}x")
    out = StringIO()
    call_command("webhooks", "scrub-deleted", stdout=out)
    assert "2 stored deliveries listed by the posts they carry" in out.getvalue()  # the deletion's is
    assert not WebhookDelivery.objects.filter(carried_indexed=False).exists()
    assert CarriedPost.objects.filter(platform_id="1800000000000000782").count() == 1
    deliver(client, "x", _deletion("1800000000000000782"))  # found through the list now
    assert _everywhere(MARKER) == []


def test_a_batch_reads_the_deletions_once_not_per_delivery(x_channel):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    ids = [pk for pk, _ in actions.accept_deliveries([
        ("x", _x(tweet_create_events=[p.x_tweet(f"18000000000000009{n:02}", f"@TwitterDev hello {n}", BOB, T)]))
        for n in range(6)])]
    with CaptureQueriesContext(connection) as queries:
        assert processing.process_many(ids) == {"done": 6}
    reads = [q["sql"] for q in queries.captured_queries if "platforms_tombstone" in q["sql"]]
    assert len(reads) == 2  # the batch's read, and the group's check under the lock
