"""redact.py: a deleted post's words leave a payload; everything else in it stays (pure)."""

from __future__ import annotations

import json

from parley.platforms import redact


def test_the_post_object_loses_its_words_and_keeps_its_ids_author_and_quoted_post():
    tweet = {"id": 7, "id_str": "7", "text": "my card 4111 leaked", "entities": {"hashtags": [{"text": "leak"}]},
             "extended_tweet": {"full_text": "my card 4111 leaked, long"}, "timestamp_ms": "1",
             "user": {"id_str": "42", "screen_name": "jane"},
             "quoted_status": {"id_str": "8", "text": "someone else's words"}}
    out = redact.redact_value({"for_user_id": "1", "tweet_create_events": [tweet]}, ["7"], ["my card 4111 leaked"])
    got = out["tweet_create_events"][0]
    assert got["text"] == "" and got["entities"] == {} and got["extended_tweet"] == {}
    assert got["id_str"] == "7" and got["timestamp_ms"] == "1" and got["user"] == tweet["user"]
    assert got["quoted_status"] == tweet["quoted_status"]
    assert out["for_user_id"] == "1"


def test_copies_under_other_objects_go_by_content_short_texts_only_when_equal():
    body = {"events": [{"id_str": "9", "text": "RT @jane: my card 4111 leaked"}, {"id_str": "10", "text": "ok"},
                       {"id_str": "11", "text": "token ok", "url": "https://example.com/ok"}]}
    out = redact.redact_value(body, ["7"], ["my card 4111 leaked", "ok"])
    assert [e["text"] for e in out["events"]] == ["", "", "token ok"]
    assert out["events"][2]["url"] == "https://example.com/ok"


def test_a_meta_comment_is_named_by_its_comment_id_not_its_posts():
    comment = {"item": "comment", "comment_id": "P_C", "post_id": "P", "message": "nice post", "from": {"id": "5"}}
    post = {"item": "status", "post_id": "P", "message": "the post itself"}
    out = redact.redact_value({"entry": [{"changes": [{"value": comment}, {"value": post}]}]}, ["P"])
    values = [c["value"] for c in out["entry"][0]["changes"]]
    assert values[0]["message"] == "nice post" and values[1]["message"] == ""


def test_an_edited_tweet_is_named_by_its_edit_history():
    edited = {"id_str": "20", "text": "new words", "edit_history": {"initial_tweet_id": "7", "edit_tweet_ids": ["7", "20"]}}
    assert redact.redact_value(edited, ["7"])["text"] == ""


def test_bodies_that_do_not_hold_it_are_returned_byte_for_byte():
    body = b'{"a":  "b"}'
    assert redact.redact_body(body, ["7"], ["words"]) is body
    assert json.loads(redact.redact_body(b'{"mid": "7", "text": "words"}', ["7"])) == {"mid": "7", "text": ""}
    assert redact.redact_body(b"Subject: x\r\n\r\nsecret words here", [], ["secret words"]) == b"Subject: x\r\n\r\n here"


def test_named_ids_lists_every_post_a_payload_could_hold_words_of():
    like = {"for_user_id": "1", "favorite_events": [{"id": "fav1", "favorited_status": {
        "id_str": "7", "text": "my card", "user": {"id_str": "42"}, "in_reply_to_status_id_str": "6",
        "quoted_status": {"id_str": "8", "text": "quoted"}}}]}
    assert {"7", "6", "8", "42", "1", "fav1"} <= redact.named_ids(like)
    edited = {"id_str": "20", "text": "new", "edit_history": {"initial_tweet_id": "7", "edit_tweet_ids": ["7", "20"]}}
    assert redact.named_ids(edited) == {"7", "20"}
    meta = {"entry": [{"changes": [{"value": {"comment_id": "P_C", "post_id": "P", "message": "hi", "verb": "add"}}]}]}
    assert redact.named_ids(meta) == {"P_C", "P"}
    # Whatever a deletion can blank is named: redacting by an id not listed changes nothing.
    for payload in (like, edited, meta):
        assert redact.redact_value(payload, ["nope"]) == payload
        for i in redact.named_ids(payload):
            assert isinstance(i, str) and i
    assert redact.named_ids({"text": "no ids", "count": 3, "flag": True}) == set()


def test_on_every_fixture_a_deletion_can_change_a_body_only_through_an_id_it_names():
    """The list of carried posts (CarriedPost) is built from named_ids: a deletion of any other id
    must leave the body as it is, or a deletion would miss a body that holds the words."""
    from pathlib import Path

    def leaves(node):
        if isinstance(node, dict):
            for value in node.values():
                yield from leaves(value)
        elif isinstance(node, list):
            for value in node:
                yield from leaves(value)
        elif isinstance(node, (str, int)) and not isinstance(node, bool):
            yield str(node)

    checked = 0
    for path in sorted((Path(__file__).parent / "payloads").glob("*.json")):
        payload = json.loads(path.read_text())
        named = redact.named_ids(payload)
        for candidate in set(leaves(payload)) - named:
            assert redact.redact_value(payload, [candidate]) == payload, (path.name, candidate)
            checked += 1
    assert checked > 100
