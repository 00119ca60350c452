"""Instagram message ids (~160-180 characters) are stored whole; rows stored as a digest before stay found."""

from __future__ import annotations

import importlib
import json

import pytest
from django.apps import apps

from parley.inbox import actions as inbox
from parley.inbox.ingest import AuthorData, IncomingPost, digested_id
from parley.inbox.models import Post
from tests.conftest import T0, shared_path

from .conftest import deliver

pytestmark = pytest.mark.django_db


def ig_dm() -> dict:
    return json.loads(shared_path("fixtures", "platform", "meta_instagram_dm.json").read_bytes())


def mid_of(body: dict) -> str:
    return body["entry"][0]["messaging"][0]["message"]["mid"]


def edit_of(body: dict, text: str) -> dict:
    edited = json.loads(json.dumps(body))
    item = edited["entry"][0]["messaging"][0]
    item["message_edit"] = {"mid": item.pop("message")["mid"], "text": text, "num_edit": 1}
    return edited


def test_a_long_instagram_message_id_is_stored_whole_and_found_again(client, ig_channel):
    body = ig_dm()
    mid = mid_of(body)
    assert len(mid) > 128
    deliver(client, "meta", body)
    post = Post.objects.get()
    assert post.platform_id == mid
    again = json.loads(json.dumps(body))
    again["entry"][0]["time"] += 1  # a redelivery in a different body
    assert deliver(client, "meta", again).summary.get("duplicate") == 1
    deliver(client, "meta", edit_of(body, "Hi, where is my order #2?"))
    post.refresh_from_db()
    assert Post.objects.count() == 1 and post.text == "Hi, where is my order #2?" and post.is_edited


def test_a_row_stored_as_a_digest_before_ids_were_widened_is_still_found(client, brand, ig_channel):
    body = ig_dm()
    mid = mid_of(body)
    old = inbox.ingest_post(brand, ig_channel, IncomingPost(
        platform="instagram", platform_id=digested_id(mid), text="Hi, where is my order?", created_at=T0, kind="dm",
        author=AuthorData("2105722729836161"))).post
    assert deliver(client, "meta", body).summary.get("duplicate") == 1
    deliver(client, "meta", edit_of(body, "edited later"))
    old.refresh_from_db()
    assert Post.objects.count() == 1 and old.text == "edited later"


def test_the_migration_gives_digested_rows_their_id_back_where_the_raw_payload_has_it(brand, ig_channel):
    migration = importlib.import_module("parley.inbox.migrations.0006_post_ids_512_brand_direction_index")
    item = ig_dm()["entry"][0]["messaging"][0]
    mid = item["message"]["mid"]
    author = AuthorData("2105722729836161")

    def stored(platform_id, raw, **extra):
        return inbox.ingest_post(brand, ig_channel, IncomingPost(
            platform="instagram", platform_id=platform_id, text="hi", created_at=T0, kind="dm", author=author, raw=raw,
            **extra)).post

    with_raw = stored(digested_id(mid), item)
    reply = stored("short-reply-id", None, in_reply_to_id=digested_id(mid))
    unknown = stored(digested_id("x" * 200), None)  # nothing to recover it from: kept as it was
    migration.undigest_ids(apps, None)
    for post in (with_raw, reply, unknown):
        post.refresh_from_db()
    assert with_raw.platform_id == mid and reply.in_reply_to_id == mid
    assert unknown.platform_id == digested_id("x" * 200)
