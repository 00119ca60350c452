"""Every payload kind of the shared fixtures and ours parses into the right events (pure)."""

from __future__ import annotations

import json

import pytest

from parley.platforms.base import Deleted, Edited, Ignored, Liked, MentionRef, NewPost, ParseError
from parley.platforms.meta import parse as meta
from parley.platforms.x import parse as x
from tests.conftest import shared_path

from .conftest import IG_ACCOUNT, PAGE_ID, X_ACCOUNT, payload


def shared(name):
    return shared_path("fixtures", "platform", name).read_bytes()


def test_x_mention():
    [event] = x.parse(shared("x_aaa_tweet_create_events_mention.json"))
    assert isinstance(event, NewPost) and not event.own and event.account_id == X_ACCOUNT
    post = event.post
    assert (post.platform_id, post.kind, post.direction) == ("1746893221001234567", "mention", "in")
    assert post.text == "@TwitterDev my order #4411 never arrived, help?"
    assert post.author.platform_user_id == "99887766" and post.author.handle == "jane_c"
    assert post.created_at.isoformat() == "2024-01-15T10:30:05+00:00"
    assert post.url == "https://x.com/jane_c/status/1746893221001234567"


def test_x_reply_and_quote():
    reply, quote = x.parse(payload("x_reply_and_quote.json"))
    assert reply.post.kind == "reply" and reply.post.in_reply_to_id == "1746893221001234599"
    assert quote.post.kind == "quote"


def test_x_direct_message():
    [event] = x.parse(shared("x_aaa_direct_message_events.json"))
    post = event.post
    assert (post.kind, post.platform_id, post.direction) == ("dm", "954491830116155396", "in")
    assert post.author.handle == "jane_c" and post.author.display_name == "Jane Customer"
    assert post.text == "Hi, my order #4411 never arrived"


def test_x_own_messages_are_echoes():
    [tweet] = x.parse(payload("x_own_reply_echo.json"))
    assert tweet.own and tweet.post.direction == "out"
    [dm] = x.parse(payload("x_dm_echo.json"))
    assert dm.own and dm.post.author.platform_user_id == "99887766"  # the customer it went to


def test_x_favorite_delete_edit_and_others():
    [like] = x.parse(payload("x_favorite.json"))
    assert isinstance(like, Liked) and like.platform_id == "1746893221001234700" and like.user_id == "99887766"
    [deletion] = x.parse(payload("x_delete.json"))
    assert isinstance(deletion, Deleted) and deletion.platform_id == "1746893221001234567"
    [edit] = x.parse(payload("x_edit.json"))
    assert isinstance(edit, Edited) and edit.platform_id == "1746893221001234567" and "#4412" in edit.text
    events = x.parse(payload("x_retweet_and_unknown.json"))
    assert all(isinstance(e, Ignored) for e in events) and len(events) == 2


def test_x_v2_tweets_with_expansions():
    posts = x.v2_tweets(json.loads(shared("x_v2_tweet_lookup_reply_with_expansions.json")))
    reply, parent = posts
    assert reply.kind == "reply" and reply.in_reply_to_id == parent.platform_id == "1304102743196356610"
    assert reply.platform_conversation_id == "1304102743196356610" and reply.likes == 70
    assert reply.author.handle == "TwitterDev" and reply.author.followers == 507902
    [streamed] = x.v2_tweets(json.loads(shared("x_v2_filtered_stream_line.json")))
    assert streamed.author.handle == "jane_c" and streamed.kind == "mention"


def test_meta_page_feed():
    [comment] = meta.parse(shared("meta_page_feed_comment_add.json"))
    post = comment.post
    assert comment.account_id == PAGE_ID and post.platform == "facebook" and post.kind == "comment"
    assert post.platform_id == "122131676912594941_1213590066982748"
    assert post.in_reply_to_id == "122131676912594941_542072878449250"
    assert post.platform_conversation_id == "448242228374517_122131676912594941"
    assert post.author.display_name == "Jane Customer" and post.text == "meow 2"
    [status] = meta.parse(shared("meta_page_feed_post_add.json"))
    assert status.post.kind == "post" and status.post.platform_id == "448242228374517_122131676912599999"


def test_meta_feed_edit_remove_and_page_echo():
    edit, removal = meta.parse(payload("meta_feed_edit_remove.json"))
    assert isinstance(edit, Edited) and edit.text == "meow 2 (edited)"
    assert isinstance(removal, Deleted) and removal.platform_id == "448242228374517_122131676912599999"
    [echo] = meta.parse(payload("meta_feed_page_reply_echo.json"))
    assert echo.own and echo.post.author is None


def test_messenger_message_echo_and_edit():
    [message] = meta.parse(shared("meta_messenger_message.json"))
    assert (message.post.kind, message.post.platform_id, message.own) == ("dm", "mid.1457764197618:41d102a3e1ae206a38", False)
    assert message.post.author.platform_user_id == "1254459154682919"
    [echo] = meta.parse(shared("meta_messenger_message_echo.json"))
    assert echo.own and echo.post.direction == "out" and echo.post.author.platform_user_id == "1254459154682919"
    [edit] = meta.parse(payload("meta_messenger_edit.json"))
    assert isinstance(edit, Edited) and edit.platform_id == "mid.1457764197618:41d102a3e1ae206a38"


def test_instagram_comment_mention_dm():
    [comment] = meta.parse(shared("meta_instagram_comment.json"))
    assert comment.platform == "instagram" and comment.account_id == IG_ACCOUNT
    assert comment.post.kind == "comment" and comment.post.platform_conversation_id == "18172143295349192"
    assert comment.post.author.handle == "jane_c"
    [reply] = meta.parse(payload("meta_instagram_reply_thread.json"))
    assert reply.post.in_reply_to_id == "17919697626119712"
    [mention] = meta.parse(shared("meta_instagram_mention.json"))
    assert isinstance(mention, MentionRef) and mention.comment_id == "17894227972186120"
    [dm] = meta.parse(shared("meta_instagram_dm.json"))
    assert dm.post.kind == "dm" and dm.post.platform == "instagram" and dm.post.text == "Hi, where is my order?"
    assert dm.post.created_at.year == 2025  # milliseconds read as milliseconds


@pytest.mark.parametrize(
    "body",
    [b"", b"not json", b"[]", b'{"entry": []}', b'{"for_user_id": "1", "tweet_create_events": {}}',
     b'{"for_user_id": "1", "tweet_create_events": [{"id_str": "5"}]}', b"\xff\xfe",
     b'{"for_user_id": "1", "direct_message_events": [{"type": "message_create", "id": "1",'
     b' "created_timestamp": "soon", "message_create": {"sender_id": "2"}}]}'],
)
def test_x_malformed_bodies_raise_parse_error(body):
    with pytest.raises(ParseError):
        x.parse(body)


@pytest.mark.parametrize(
    "body",
    [b"{}", b'{"object": "user", "entry": []}', b'{"object": "page", "entry": [{"time": 1}]}',
     b'{"object": "page", "entry": "x"}', b'{"object": "page", "entry": [{"id": "1", "changes": [{"field": "feed", "value": 3}]}]}',
     b'{"object": "page", "entry": [{"id": "1", "messaging": [{"sender": {"id": "2"}, "recipient": {"id": "1"}, "timestamp": 1, "message": {"text": "x"}}]}]}'],
)
def test_meta_malformed_bodies_raise_parse_error(body):
    with pytest.raises(ParseError):
        meta.parse(body)
