"""A private reply to a comment (Meta's private replies): which comment it answers, whether it may go
out now, and the claim that makes it the only one (read and written inside the reply's transaction).

The rule itself is pure (`parley.platforms.policy.private_reply`); this module gathers its facts.
"""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError, transaction

from parley.inbox.actions import ActionError
from parley.inbox.models import Conversation, Post
from parley.platforms import policy
from parley.platforms.models import PrivateReply

# The reply mode's value (the form's `visibility`; an Approval keeps it, at most 10 characters).
MODE = "comment_dm"


def as_visibility(mode: str) -> str:
    """The visibility a reply mode is stored and checked with: a private reply is private."""
    return "private" if mode == MODE else mode


def latest_customer_post(conversation: Conversation) -> Post | None:
    return (Post.objects.filter(conversation=conversation, direction=Post.Direction.INBOUND)
            .order_by("-created_at", "-pk").first())


def state(conversation: Conversation, now: datetime) -> tuple[Post | None, str]:
    """The comment a private reply would answer (the customer's latest post) and why it may not ("")."""
    post = latest_customer_post(conversation)
    if post is None:
        return None, "The customer has not written yet"
    used = PrivateReply.objects.filter(comment=post).exists()
    return post, policy.private_reply(conversation.platform, post.kind, post.direction, post.created_at, used, now)


def check(conversation: Conversation, now: datetime) -> Post:
    """The comment to answer privately, or ActionError with the reason it cannot be."""
    comment, refusal = state(conversation, now)
    if refusal:
        raise ActionError(refusal)
    return comment


def claim(post: Post, comment: Post, now: datetime) -> PrivateReply:
    """Make `post` the private reply to `comment` (inside the caller's transaction).

    The comment's row is unique: when another agent's private reply to it committed first, the
    insert fails here and the reply is refused (the caller's transaction rolls the post back)."""
    existing = PrivateReply.objects.filter(post=post).first()
    if existing is not None:  # the same submit again (idempotency key): already claimed by this post
        return existing
    post.parent = comment
    post.in_reply_to_id = comment.platform_id or ""
    post.save(update_fields=["parent", "in_reply_to_id"])
    try:
        with transaction.atomic():
            return PrivateReply.objects.create(brand_id=post.brand_id, comment=comment, post=post, created_at=now)
    except IntegrityError:
        raise ActionError(
            "A private reply to this comment was already sent by someone else: the platform allows one per comment"
        ) from None
