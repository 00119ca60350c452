"""Parley's JSON-lines post format (docs/import-format.md)."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from parley.inbox.importers import ImportFileError, Reject, import_file, open_file
from parley.inbox.models import Conversation, Identity, Post

from .helpers import fixture, partition


def test_every_field_is_stored(brand):
    summary = import_file(fixture("posts.jsonl"), brand)
    assert (summary.read, summary.imported, summary.duplicates, summary.rejected) == (6, 6, 0, 0)
    post = Post.objects.get(platform_id="9001")
    assert (post.kind, post.direction, post.visibility, post.language, post.url) == (
        "mention", "in", "public", "en", "https://x.com/dana/status/9001",
    )
    assert (post.likes, post.reposts, post.replies, post.raw) == (3, 1, 1, {"source": "fixture"})
    assert post.created_at == datetime(2026, 11, 20, 10, 0, tzinfo=timezone.utc)
    dana = Identity.objects.get(platform_user_id="42")
    assert (dana.handle, dana.display_name, dana.first_name, dana.followers, dana.verified) == (
        "dana", "Dana Smith", "Dana", 120, False,
    )
    assert dana.customer.display_name == "Dana Smith"
    reply = Post.objects.get(platform_id="9002")
    assert reply.parent == post and reply.author is None and reply.delivery_status == "sent"
    assert Post.objects.get(platform_id="dm-1").visibility == "private"  # a DM is private by default


def test_public_thread_and_its_dms_are_one_conversation(brand):
    import_file(fixture("posts.jsonl"), brand)
    assert partition(brand) == {
        frozenset({"9001", "9002", "dm-1", "dm-2"}),
        frozenset({"fb_100_200"}),
        frozenset({"Ugx-comment-1"}),
    }
    conv = Post.objects.get(platform_id="9001").conversation
    assert conv.channel.handle == "AcmeHelp" and conv.waiting_since is None
    assert conv.first_response_at == datetime(2026, 11, 20, 10, 4, tzinfo=timezone.utc)
    facebook = Post.objects.get(platform_id="fb_100_200")
    assert facebook.channel.platform == "facebook" and facebook.channel.handle == "acme.page"
    assert facebook.created_at == datetime(2026, 11, 20, 10, 0, tzinfo=timezone.utc)  # +01:00 kept as UTC
    assert Post.objects.get(platform_id="Ugx-comment-1").channel is None  # the brand has no YouTube account


def test_malformed_lines_are_refused_with_their_number_and_reason(brand):
    items = list(open_file(fixture("posts_malformed.jsonl"), "jsonl", brand).records())
    rejects = {r.line: r.reason for r in items if isinstance(r, Reject)}
    assert rejects == {
        2: "not valid JSON: Expecting value (column 1)",
        3: "each record must be a JSON object",
        4: "missing field 'id'",
        5: "created_at 'last tuesday' is not an ISO 8601 time",
        6: "created_at '2026-11-22T09:00:00' has no time zone (add Z or +00:00)",
        7: "text must be a string",
        8: "metrics.likes must be a whole number",
        9: "unknown platform 'myspace' (expected one of x, facebook, instagram, youtube, email, other)",
        10: "an inbound post needs an author",
        11: "not valid JSON: Unterminated string starting at (column 40)",
        14: "unknown kind 'poke' (expected one of post, comment, reply, mention, quote, dm, review, email)",
        15: "author followers must be a whole number ≥ 0",
    }


def test_malformed_file_imports_the_rest(brand):
    summary = import_file(fixture("posts_malformed.jsonl"), brand)
    assert (summary.read, summary.imported, summary.duplicates, summary.rejected) == (16, 3, 1, 12)
    assert Post.objects.get(platform_id="m1").text == "@AcmeHelp message 1"  # the first of two copies
    hostile = Post.objects.get(platform_id="m12").text
    assert hostile.startswith("<script>alert(1)</script>") and "\u202e" in hostile
    assert len(Post.objects.get(platform_id="m13").text) == 2500


def test_importing_twice_changes_nothing(brand):
    import_file(fixture("posts.jsonl"), brand)
    before = (Post.objects.count(), Conversation.objects.count(), Identity.objects.count())
    again = import_file(fixture("posts.jsonl"), brand)
    assert (again.imported, again.duplicates) == (0, 6)
    assert (Post.objects.count(), Conversation.objects.count(), Identity.objects.count()) == before


def test_profile_fields_fill_in_on_a_later_import(brand, tmp_path):
    path = tmp_path / "more.jsonl"
    path.write_text(
        '{"platform": "x", "id": "n1", "text": "hi", "created_at": "2026-11-21T10:00:00Z",'
        ' "author": {"id": "42", "name": "", "followers": 150, "verified": true}}\n'
    )
    import_file(fixture("posts.jsonl"), brand)
    import_file(path, brand)
    dana = Identity.objects.get(platform_user_id="42")
    assert (dana.display_name, dana.followers, dana.verified) == ("Dana Smith", 150, True)  # blank never erases


@pytest.mark.parametrize(
    "content, message",
    [
        ("", "is empty"),
        ("\n\n  \n", "is empty"),
        ("tweet_id,author_id\n1,2\n", "not a JSON-lines file"),
        ("{\n  \"platform\": \"x\"\n}\n", "not a JSON-lines file"),
    ],
)
def test_a_file_that_is_not_json_lines_is_refused_whole(brand, tmp_path, content, message):
    path = tmp_path / "x.jsonl"
    path.write_text(content)
    with pytest.raises(ImportFileError, match=message):
        import_file(path, brand, fmt="jsonl")
