"""Carry out one outbox item against its platform: claim, check the rules, call, record."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import F
from django.utils import timezone

from parley.inbox.models import Post

from . import actions, adapters, policy
from .base import RateLimited, Refused, SendContext, SendError, TlsFailed, TokenInvalid
from .models import ChannelAccount, OutboxItem, PrivateReply

log = logging.getLogger(__name__)


def context_for(post: Post) -> tuple[SendContext, datetime | None]:
    """The recipient of a private message and when the customer last wrote privately."""
    last_private = (
        Post.objects.filter(conversation_id=post.conversation_id, direction="in", visibility="private")
        .select_related("author")
        .order_by("-created_at")
        .first()
    )
    author = last_private.author if last_private else None
    if author is None and post.visibility == "private":
        last_any = (
            Post.objects.filter(conversation_id=post.conversation_id, direction="in")
            .select_related("author").order_by("-created_at").first()
        )
        author = last_any.author if last_any else None
    context = SendContext(
        recipient_id=author.platform_user_id if author else "", recipient_handle=author.handle if author else ""
    )
    return context, (last_private.created_at if last_private else None)


def human_agent_allowed(channel: ChannelAccount) -> bool:
    """Whether replies on this channel may use Meta's HUMAN_AGENT tag (installation-wide or per channel)."""
    return settings.PARLEY_META_HUMAN_AGENT or channel.human_agent


def run(item_id: int, now: datetime | None = None) -> str:
    """One attempt at one item. Returns what happened (sent, retry, failed, waiting, skipped)."""
    now = now or timezone.now()
    claimed = OutboxItem.objects.filter(
        pk=item_id, state__in=[OutboxItem.State.QUEUED, OutboxItem.State.RETRY]
    ).update(state=OutboxItem.State.SENDING, attempts=F("attempts") + 1, updated_at=now)
    if not claimed:
        return "skipped"  # done already, or another worker has it
    item = OutboxItem.objects.select_related("post__conversation", "post__parent", "channel__brand", "brand").get(pk=item_id)
    channel, post = item.channel, item.post
    if channel.paused_until and channel.paused_until > now:
        item.attempts -= 1
        actions.record_failure(item, f"{channel} is rate limited until {channel.paused_until:%H:%M:%S} UTC",
                               channel.paused_until, now)
        return "waiting"
    try:
        if channel.status == ChannelAccount.Status.NEEDS_REAUTH:
            raise TokenInvalid(f"{channel} needs re-authorisation: {channel.status_detail or 'token refused'}")
        if channel.status == ChannelAccount.Status.TLS_FAILED:
            raise TlsFailed(f"{channel} cannot connect securely: {channel.status_detail or 'TLS failed'}")
        if channel.status == ChannelAccount.Status.DISABLED:
            raise Refused(f"{channel} is disabled")
        client = adapters.client_for(channel)
        claim = _private_reply_claim(item)
        if claim is not None:
            # A private reply to a comment: the 7-day rule of the comment, not the 24-hour window.
            comment = claim.comment
            refusal = policy.private_reply(post.platform, comment.kind, comment.direction, comment.created_at, False, now)
            if refusal:
                raise Refused(refusal)
            sent = client.send(post, SendContext(comment_id=comment.platform_id or ""))
        elif item.action == OutboxItem.Action.SEND:
            context, last_private_at = context_for(post)
            rule = policy.messaging(post.platform, post.visibility, last_private_at, now, human_agent_allowed(channel))
            if rule.refusal:
                raise Refused(rule.refusal)
            context.message_tag = rule.tag
            sent = client.send(post, context)
        else:
            sent = client.act(item.action, post)
    except SendError as error:
        return _failed(item, channel, error, now)
    actions.record_sent(item, sent, now)
    if claim is not None:
        actions.link_private_reply_recipient(claim, str(sent.raw.get("recipient_id") or ""))
    return "sent"


def _private_reply_claim(item: OutboxItem) -> PrivateReply | None:
    if item.action != OutboxItem.Action.SEND:
        return None
    return PrivateReply.objects.select_related("comment__author").filter(post_id=item.post_id).first()


def _failed(item: OutboxItem, channel: ChannelAccount, error: SendError, now: datetime) -> str:
    actions.mark_channel_problem(channel, error)
    decision = policy.after_failure(
        error, item.attempts, now,
        max_attempts=settings.PARLEY_OUTBOX_MAX_ATTEMPTS,
        base_seconds=settings.PARLEY_OUTBOX_BACKOFF_SECONDS,
        cap_seconds=settings.PARLEY_OUTBOX_BACKOFF_MAX_SECONDS,
    )
    if not decision.counts:
        item.attempts -= 1
    if isinstance(error, RateLimited) and decision.retry_at:
        actions.pause_channel(channel, decision.retry_at)
    actions.record_failure(item, error.reason, decision.retry_at, now)
    log.info("outbox item %s: %s (%s)", item.pk, error.reason, "retry" if decision.retry_at else "failed")
    return "retry" if decision.retry_at else "failed"


def due_items(now: datetime):
    """Items a worker should run now (queued, or waiting for a retry that is due)."""
    from django.db.models import Q

    return OutboxItem.objects.filter(
        Q(state=OutboxItem.State.QUEUED) | Q(state=OutboxItem.State.RETRY, next_attempt_at__lte=now)
    ).order_by("created_at")


STALE_AFTER = timedelta(minutes=15)


def recover_stale(now: datetime) -> int:
    """Items left "sending" by a worker that died mid-call. The platform may or may not have accepted
    them, and X has no idempotency key, so they are not resent blindly: they fail with a reason that
    asks an agent to check the platform before pressing Retry."""
    stale = OutboxItem.objects.filter(state=OutboxItem.State.SENDING, updated_at__lt=now - STALE_AFTER)
    count = 0
    for item in stale.select_related("post"):
        actions.record_failure(item, "interrupted while sending: check on the platform whether it was "
                                     "published before you retry", None, now)
        count += 1
    return count
