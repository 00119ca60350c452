"""The two actions the demo added: the platform reports a post edited or deleted."""

from datetime import timedelta

import pytest

from parley.inbox import actions
from parley.inbox.models import AuditEvent, Post
from tests.conftest import T0, incoming


@pytest.fixture
def post(brand, channel):
    return actions.ingest_post(brand, channel, incoming("1", "parcel late, order 123")).post


def test_edit_keeps_the_new_text_and_says_when(post):
    actions.mark_post_edited(post, "parcel late\x00 (edit: it came)", "platform:x", now=T0 + timedelta(minutes=3))
    post.refresh_from_db()
    assert post.text == "parcel late (edit: it came)"
    assert post.is_edited and post.edited_at == T0 + timedelta(minutes=3)
    event = AuditEvent.objects.get(verb="post.edited")
    assert event.actor_label == "platform:x" and event.conversation_id == post.conversation_id


def test_an_edit_to_the_same_text_records_nothing(post):
    actions.mark_post_edited(post, post.text)
    assert not Post.objects.get(pk=post.pk).is_edited
    assert not AuditEvent.objects.filter(verb="post.edited").exists()


def test_delete_hides_the_text_once(post):
    actions.mark_post_deleted(post, now=T0 + timedelta(hours=1))
    actions.mark_post_deleted(post)
    post.refresh_from_db()
    assert post.is_deleted and post.deleted_at == T0 + timedelta(hours=1)
    assert post.shown_text == ""
    assert AuditEvent.objects.filter(verb="post.deleted").count() == 1
    with pytest.raises(actions.ActionError):
        actions.mark_post_edited(post, "new words")
