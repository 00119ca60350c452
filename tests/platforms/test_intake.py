"""Webhook intake through the real views: verify first, store raw with its job, acknowledge; refuse the rest."""

from __future__ import annotations

import hashlib
import json

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from parley.inbox.models import Post
from parley.platforms.models import WebhookDelivery
from parley.platforms.x import webhooks as x_hooks
from tests.conftest import shared_path

from .conftest import X_SECRET, deliver, process_queued, signed_post

pytestmark = pytest.mark.django_db


def shared(name):
    return shared_path("fixtures", "platform", name).read_bytes()


def test_signed_delivery_is_stored_raw_with_its_job(client, x_channel):
    body = shared("x_aaa_tweet_create_events_mention.json")
    response = signed_post(client, "x", body)
    assert response.status_code == 200 and response.json() == {"received": True, "duplicate": False}
    delivery = WebhookDelivery.objects.get()
    assert bytes(delivery.body) == body and delivery.state == "queued"
    assert delivery.key == hashlib.sha256(body).hexdigest()
    job = DBTaskResult.objects.filter(task_path="parley.platforms.tasks.process_deliveries").latest("enqueued_at")
    assert job.args_kwargs["args"] == [[delivery.pk]]
    assert not Post.objects.exists()  # parsing happens in the task, not in the request
    process_queued()
    post = Post.objects.get()
    assert post.platform_id == "1746893221001234567" and post.channel == x_channel


def test_the_shared_signature_known_answer_is_accepted(client, x_channel):
    k = json.loads(shared("x_crc_and_signature_kat.json"))
    body = shared("x_aaa_direct_message_events.json")
    response = client.post("/hooks/x/", data=body, content_type="application/json",
                           HTTP_X_TWITTER_WEBHOOKS_SIGNATURE=k["expected_signature_header"])
    assert response.status_code == 200


@pytest.mark.parametrize("family", ["x", "meta"])
def test_missing_signature_401_bad_signature_403_nothing_stored(client, family):
    body = b'{"for_user_id": "1", "object": "page", "entry": []}'
    jobs_before = DBTaskResult.objects.count()
    assert client.post(f"/hooks/{family}/", data=body, content_type="application/json").status_code == 401
    header = "HTTP_X_TWITTER_WEBHOOKS_SIGNATURE" if family == "x" else "HTTP_X_HUB_SIGNATURE_256"
    forged = x_hooks.sign("not-the-secret", body) if family == "x" else "sha256=" + "0" * 64
    response = client.post(f"/hooks/{family}/", data=body, content_type="application/json", **{header: forged})
    assert response.status_code == 403
    assert not WebhookDelivery.objects.exists() and DBTaskResult.objects.count() == jobs_before


def test_body_changed_after_signing_is_refused(client):
    body = shared("x_aaa_tweet_create_events_mention.json")
    signature = x_hooks.sign(X_SECRET, body)
    tampered = body.replace(b"never arrived", b"arrived fine!")
    response = client.post("/hooks/x/", data=tampered, content_type="application/json",
                           HTTP_X_TWITTER_WEBHOOKS_SIGNATURE=signature)
    assert response.status_code == 403 and not WebhookDelivery.objects.exists()


def test_unconfigured_secret_refuses_everything(client, settings):
    settings.PARLEY_META_APP_SECRET = ""
    body = b'{"object": "page", "entry": []}'
    response = client.post("/hooks/meta/", data=body, content_type="application/json",
                           HTTP_X_HUB_SIGNATURE_256="sha256=" + "0" * 64)
    assert response.status_code == 503 and not WebhookDelivery.objects.exists()


def test_oversized_body_413(client, settings):
    settings.PARLEY_WEBHOOK_MAX_BYTES = 2048
    body = json.dumps({"for_user_id": "1", "pad": "x" * 5000}).encode()
    response = signed_post(client, "x", body)
    assert response.status_code == 413 and not WebhookDelivery.objects.exists()


def test_redelivery_makes_no_second_delivery_nor_post(client, x_channel):
    body = shared("x_aaa_tweet_create_events_mention.json")
    deliver(client, "x", body)
    jobs_after_first = DBTaskResult.objects.count()
    again = signed_post(client, "x", body)
    assert again.status_code == 200 and again.json()["duplicate"] is True
    assert WebhookDelivery.objects.count() == 1
    assert DBTaskResult.objects.count() == jobs_after_first  # the redelivery queued nothing
    # The same event in a different body (the platform batching differently) is still one post.
    event = json.loads(body)
    event["user_has_blocked"] = None
    deliver(client, "x", json.dumps(event).encode())
    assert Post.objects.count() == 1


def test_unparseable_body_is_a_dead_letter_with_its_reason(client):
    delivery = deliver(client, "x", b'{"tweet_create_events": []}')
    assert delivery.state == "dead" and "for_user_id" in delivery.error
    assert bytes(delivery.body) == b'{"tweet_create_events": []}'


def test_unknown_account_is_stored_and_logged_not_an_error(client, caplog):
    delivery = deliver(client, "x", shared("x_aaa_tweet_create_events_mention.json"))
    assert delivery.state == "done"
    assert delivery.summary["unrouted"] == 1 and delivery.summary["unrouted_accounts"] == ["x:2244994945"]
    assert "no channel has" in caplog.text
    assert not Post.objects.exists()


def test_mention_fetch_failure_is_replayed_from_the_command(client, ig_channel, sim):
    sim.revoke("ig-token-1")
    delivery = deliver(client, "meta", shared("meta_instagram_mention.json"))
    assert delivery.state == "dead" and "190" in delivery.error
    # The admin fixes the token; the simulator now knows the comment; the dead letter is replayed.
    ig_channel.set_credentials({"access_token": "ig-token-2"})
    ig_channel.save()
    sim.state.mentions["17894227972186120"] = {
        "id": "17894227972186120", "text": "@acme your shop is closed?", "timestamp": "2025-08-21T12:30:00+0000",
        "username": "jane_c", "from": {"id": "2105722729836161"},
    }
    call_command("webhooks", "replay")
    delivery.refresh_from_db()
    assert delivery.state == "done" and delivery.attempts == 2
    post = Post.objects.get()
    assert (post.kind, post.text, post.platform) == ("mention", "@acme your shop is closed?", "instagram")


def test_replay_from_the_dead_letter_page(client, users, sim, ig_channel, django_user_model):
    sim.revoke("ig-token-1")
    delivery = deliver(client, "meta", shared("meta_instagram_mention.json"))
    # Dead letters are installation-wide (a body may name any brand's customers): superusers only.
    client.force_login(users["admin"])
    assert client.get("/b/acme/channels/deliveries/").status_code == 403
    root = django_user_model.objects.create_superuser("root", password="pw-root-123")
    client.force_login(root)
    page = client.get("/b/acme/channels/deliveries/")
    assert page.status_code == 200 and b"17894227972186120" in page.content
    response = client.post(f"/b/acme/channels/deliveries/{delivery.pk}/replay/")
    assert response.status_code == 302
    delivery.refresh_from_db()
    assert delivery.state == "queued"
    admin_page = client.get(f"/admin/platforms/webhookdelivery/{delivery.pk}/change/")
    assert admin_page.status_code == 200 and b"17894227972186120" in admin_page.content


def test_prune_keeps_dead_letters_and_recent_deliveries(client, x_channel):
    from datetime import timedelta

    from django.utils import timezone

    old = deliver(client, "x", shared("x_aaa_tweet_create_events_mention.json"))
    dead = deliver(client, "x", b'{"no": "for_user_id"}')
    recent = deliver(client, "x", shared("x_aaa_direct_message_events.json"))
    WebhookDelivery.objects.filter(pk__in=[old.pk, dead.pk]).update(received_at=timezone.now() - timedelta(days=40))
    call_command("webhooks", "prune", "--days", "30")
    assert set(WebhookDelivery.objects.values_list("pk", flat=True)) == {dead.pk, recent.pk}
    assert Post.objects.count() == 2  # posts are never pruned with their deliveries


def test_an_unusable_event_makes_a_dead_letter_but_the_others_are_stored(client, x_channel):
    body = json.loads(shared("x_aaa_tweet_create_events_mention.json"))
    bad = json.loads(json.dumps(body["tweet_create_events"][0]))
    bad["id_str"] = "9" * 600  # longer than any platform id
    body["tweet_create_events"].append(bad)
    delivery = deliver(client, "x", json.dumps(body).encode())
    assert delivery.state == "dead" and "platform id longer than" in delivery.error
    assert delivery.summary["created"] == 1 and delivery.summary["invalid"] == 1
    assert Post.objects.count() == 1


def test_the_redelivery_lookup_uses_the_unique_index_not_a_scan_of_every_body(db):
    """accept_deliveries looks up stored bodies by (platform, key); by key alone SQLite scanned the table,
    and the intake slowed down as deliveries piled up (bench_webhooks --sustained)."""
    from django.db import connection

    from parley.platforms.actions import _stored_keys
    from parley.platforms.models import WebhookDelivery

    if connection.vendor != "sqlite":
        pytest.skip("the plan text checked is SQLite's")
    keyed = [("x", "a" * 64, b""), ("meta", "b" * 64, b"")]
    captured = []
    with connection.execute_wrapper(lambda execute, s, p, many, ctx: captured.append((s, p)) or execute(s, p, many, ctx)):
        assert _stored_keys(keyed) == {}
    (sql, params), = captured
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        plan = " ".join(str(row[-1]) for row in cursor.fetchall())
    assert "(platform=? AND key=?)" in plan and "SCAN platforms_webhookdelivery" not in plan, plan
