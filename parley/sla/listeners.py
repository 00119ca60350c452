"""Follow-ups from promises: when an agent's reply is stored, its promises become follow-ups.

Hook: Django's post_save on inbox.Post for a new outbound post written in Parley
(author_user set: create_reply), run once the transaction commits. Replies imported
from a platform's history are not scanned (their promises are long past).
"""

from __future__ import annotations

import logging
from functools import partial

from django.db import transaction

log = logging.getLogger(__name__)


def _scan(post_id: int) -> None:
    from parley.inbox.models import Post

    from .actions import follow_ups_from_reply

    try:
        post = Post.objects.select_related("conversation", "brand").filter(pk=post_id).first()
        if post is not None:
            follow_ups_from_reply(post)
    except Exception:  # a detector failure must never lose or block a reply
        log.exception("promise detection failed for post %s", post_id)


def post_saved(sender, instance, created=False, **kwargs) -> None:
    if created and instance.direction == "out" and instance.author_user_id:
        transaction.on_commit(partial(_scan, instance.pk))


def post_ingested(post_id: int) -> None:
    """A customer's private message arrived: they came to the private channel (closes handoff waits)."""
    from parley.inbox.models import Post

    from .actions import customer_arrived

    try:
        post = Post.objects.select_related("conversation", "brand").filter(pk=post_id).first()
        if post is not None:
            customer_arrived(post)
    except Exception:  # never block ingestion
        log.exception("handoff check failed for post %s", post_id)
