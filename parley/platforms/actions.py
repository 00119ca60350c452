"""Every write the connectors make goes through a named action here (each writes its audit event,
except the receipt of a webhook body, whose stored row is its own record)."""

from __future__ import annotations

import hashlib
import logging
from datetime import datetime
from typing import Sequence

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from parley.inbox.actions import ActionError
from parley.inbox.audit import record
from parley.inbox.ingest import MAX_ID_CHARS
from parley.inbox.models import Post

from .base import Sent, TlsFailed, TokenInvalid
from .models import ChannelAccount, OutboxItem, Platform, PrivateReply, Tombstone, WebhookDelivery

log = logging.getLogger(__name__)


# --- webhooks --------------------------------------------------------------------------------


def accept_deliveries(items: Sequence[tuple[str, bytes]], now: datetime | None = None) -> list[tuple[int, bool]]:
    """Store verified bodies with their processing job in one transaction (a group commit).

    `items` are (platform family, body); the answer is (delivery id, created) for each, in order. A
    body already stored, or twice in `items`, is a redelivery: stored once, queued once. The new
    deliveries of the batch share one `process_deliveries` job, written in the same transaction.
    """
    from . import tasks

    now = now or timezone.now()
    keyed = [(family, hashlib.sha256(body).hexdigest(), body) for family, body in items]
    try:
        with transaction.atomic():
            known = _stored_keys(keyed)
            fresh: dict[tuple[str, str], WebhookDelivery] = {}
            for family, key, body in keyed:
                if (family, key) not in known and (family, key) not in fresh:
                    fresh[(family, key)] = WebhookDelivery(platform=family, key=key, body=body, received_at=now)
            created = WebhookDelivery.objects.bulk_create(list(fresh.values()))
            if created:
                tasks.process_deliveries.enqueue([delivery.pk for delivery in created])
    except IntegrityError:
        # Another process stored one of these bodies since we looked (PostgreSQL, several servers):
        # store them one by one; each recognises its own redelivery.
        if len(items) > 1:
            return [accept_deliveries([item], now)[0] for item in items]
        family, key, _ = keyed[0]
        existing = WebhookDelivery.objects.filter(platform=family, key=key).values_list("pk", flat=True).first()
        if existing is None:
            raise
        return [(existing, False)]
    results = []
    for family, key, _ in keyed:
        delivery = fresh.pop((family, key), None)
        if delivery is not None:
            known[(family, key)] = delivery.pk
            results.append((delivery.pk, True))
        else:
            results.append((known[(family, key)], False))
    return results


def _stored_keys(keyed) -> dict[tuple[str, str], int]:
    """The stored (platform, key) pairs among `keyed`. Looked up per platform, so that the unique index on
    (platform, key) answers: by key alone it was a scan of every stored body, slower as they pile up."""
    by_family: dict[str, set[str]] = {}
    for family, key, _ in keyed:
        by_family.setdefault(family, set()).add(key)
    wanted = Q()
    for family, keys in by_family.items():
        wanted |= Q(platform=family, key__in=keys)
    found = WebhookDelivery.objects.filter(wanted).order_by().values_list("platform", "key", "pk") if by_family else []
    return {(platform, key): pk for platform, key, pk in found}


def accept_polled_mail(channel: ChannelAccount, body: bytes, now: datetime, error: str = "") -> tuple[WebhookDelivery, bool]:
    """Store a message read from `channel`'s mailbox (IMAP) as a delivery scoped to that channel; the
    poller processes it at once. With `error` it is stored as a dead letter (an oversized message's header)."""
    family = f"email:{channel.pk}"
    key = hashlib.sha256(body).hexdigest()
    try:
        with transaction.atomic():
            delivery = WebhookDelivery.objects.create(
                platform=family, key=key, body=body, received_at=now,
                state=WebhookDelivery.State.DEAD if error else WebhookDelivery.State.QUEUED, error=error,
                processed_at=now if error else None,
            )
            return delivery, True
    except IntegrityError:
        return WebhookDelivery.objects.get(platform=family, key=key), False


_FINISHED = ["state", "summary", "error", "processed_at", "carried_indexed"]


def _set_finished(delivery: WebhookDelivery, state: str, summary: dict, error: str, now: datetime) -> None:
    delivery.state = state
    delivery.summary = summary
    delivery.error = error[:5000]
    delivery.processed_at = now


def finish_delivery(delivery: WebhookDelivery, state: str, summary: dict, error: str = "") -> None:
    _set_finished(delivery, state, summary, error, timezone.now())
    delivery.save(update_fields=_FINISHED)


def finish_deliveries(outcomes: Sequence[tuple[WebhookDelivery, str, dict, str]]) -> None:
    """finish_delivery for many (delivery, state, summary, error) at once: one UPDATE statement."""
    now = timezone.now()
    for delivery, state, summary, error in outcomes:
        _set_finished(delivery, state, summary, error, now)
    WebhookDelivery.objects.bulk_update([outcome[0] for outcome in outcomes], _FINISHED, batch_size=500)


def replay_delivery(delivery: WebhookDelivery, actor) -> WebhookDelivery:
    """Queue a stored delivery again (after fixing what made it a dead letter). Processing is idempotent."""
    from . import tasks

    with transaction.atomic():
        delivery.state = WebhookDelivery.State.QUEUED
        delivery.save(update_fields=["state"])
        tasks.process_deliveries.enqueue([delivery.pk])
        record(None, actor, "webhook.replayed", delivery, None, platform=delivery.platform)
    return delivery


def remember_deletion(channel: ChannelAccount, platform: str, platform_id: str, at: datetime) -> None:
    Tombstone.objects.get_or_create(
        brand=channel.brand, platform=platform, platform_id=platform_id[:MAX_ID_CHARS], defaults={"deleted_at": at}
    )


def record_like(post: Post, user_id: str) -> None:
    with transaction.atomic():
        Post.objects.filter(pk=post.pk).update(likes=F("likes") + 1)
        record(post.brand, "platform", "post.liked", post, post.conversation, by=user_id)


def link_echo(post: Post, platform_id: str, url: str = "") -> Post:
    """Our own message came back from the platform before the send finished: it is this post."""
    with transaction.atomic():
        post.platform_id = platform_id
        post.url = post.url or url
        post.delivery_status = Post.Delivery.SENT
        post.delivery_error = ""
        post.save(update_fields=["platform_id", "url", "delivery_status", "delivery_error"])
        record(post.brand, "platform", "reply.echo_linked", post, post.conversation, platform_id=platform_id)
    return post


# --- outbox ----------------------------------------------------------------------------------


def queue_outbox(post: Post, channel: ChannelAccount, action: str = OutboxItem.Action.SEND, actor="system",
                 key: str = "") -> OutboxItem:
    """Queue one platform call about `post`; idempotent on `key` (the post's idempotency key for sends)."""
    from . import tasks

    key = key or (post.idempotency_key if action == OutboxItem.Action.SEND else f"{action}:{post.pk}")
    existing = OutboxItem.objects.filter(key=key).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            item = OutboxItem.objects.create(brand=post.brand, channel=channel, action=action, post=post, key=key)
            record(post.brand, actor, f"outbox.{action}_queued", post, post.conversation, item=item.pk)
    except IntegrityError:
        return OutboxItem.objects.get(key=key)
    transaction.on_commit(lambda: tasks.enqueue_outbox(item.pk))
    return item


def record_sent(item: OutboxItem, sent: Sent, now: datetime) -> None:
    post = item.post
    with transaction.atomic():
        item.state = OutboxItem.State.SENT
        item.last_error = ""
        item.done_at = now
        item.save(update_fields=["state", "last_error", "done_at", "updated_at"])
        if item.action == OutboxItem.Action.SEND:
            post.platform_id = sent.platform_id
            post.url = sent.url or post.url
            post.delivery_status = Post.Delivery.SENT
            post.delivery_error = ""
            post.save(update_fields=["platform_id", "url", "delivery_status", "delivery_error"])
        record(post.brand, "outbox", f"outbox.{item.action}_done", post, post.conversation,
               platform_id=sent.platform_id, attempts=item.attempts)


def link_private_reply_recipient(claim: PrivateReply, recipient_id: str) -> None:
    """The Send API named the commenter's Messenger / Instagram id when the private reply went out:
    make it an identity of the comment author's customer, so their answer joins this conversation.

    On Instagram it is the id the comment came from (nothing to do); on Facebook a comment's author id
    and the person's Messenger id differ, and without this link the answer would start a new case."""
    from parley.inbox.models import Identity

    comment = claim.comment
    if not recipient_id or comment.author is None or len(recipient_id) > 128:
        return
    if Identity.objects.filter(brand_id=comment.brand_id, platform=comment.platform,
                               platform_user_id=recipient_id).exists():
        return
    author = comment.author
    try:
        with transaction.atomic():
            Identity.objects.create(
                brand_id=comment.brand_id, customer_id=author.customer_id, original_customer_id=author.customer_id,
                platform=comment.platform, platform_user_id=recipient_id, handle=author.handle,
                display_name=author.display_name, first_name=author.first_name,
            )
            record(comment.brand, "outbox", "identity.linked_private_reply", claim.post, claim.post.conversation,
                   recipient_id=recipient_id, comment=comment.pk)
    except IntegrityError:  # the person wrote privately meanwhile: their identity exists already
        return


def record_failure(item: OutboxItem, reason: str, retry_at: datetime | None, now: datetime) -> None:
    """A failed attempt: wait for `retry_at`, or (None) fail for good with the reason shown on the post."""
    post = item.post
    with transaction.atomic():
        item.last_error = reason[:2000]
        item.next_attempt_at = retry_at
        item.state = OutboxItem.State.RETRY if retry_at else OutboxItem.State.FAILED
        item.save(update_fields=["state", "last_error", "next_attempt_at", "attempts", "updated_at"])
        if item.action == OutboxItem.Action.SEND and retry_at is None:
            post.delivery_status = Post.Delivery.FAILED
            post.delivery_error = reason[:2000]
            post.save(update_fields=["delivery_status", "delivery_error"])
        elif item.action == OutboxItem.Action.SEND:
            # Still pending; say why and when the next attempt is (the API and the outbox page show it).
            post.delivery_error = f"Will retry at {retry_at:%Y-%m-%d %H:%M:%S} UTC: {reason}"[:2000]
            post.save(update_fields=["delivery_error"])
        if retry_at is None:
            record(post.brand, "outbox", f"outbox.{item.action}_failed", post, post.conversation, reason=reason[:500])


def retry_outbox(post: Post, actor) -> OutboxItem:
    """An agent asks to send a failed reply again (after the channel was fixed, say)."""
    from . import tasks

    item = post.outbox_items.filter(action=OutboxItem.Action.SEND).first()
    if item is None:
        if post.direction != Post.Direction.OUTBOUND or post.channel is None:
            raise ActionError("Only a reply of Parley's can be sent again")
        return queue_outbox(post, post.channel, actor=actor)
    if item.state not in (OutboxItem.State.FAILED, OutboxItem.State.RETRY):
        raise ActionError("This reply is not waiting for a retry")
    with transaction.atomic():
        item.state = OutboxItem.State.QUEUED
        item.attempts = 0
        item.next_attempt_at = None
        item.save(update_fields=["state", "attempts", "next_attempt_at", "updated_at"])
        post.delivery_status = Post.Delivery.PENDING
        post.delivery_error = ""
        post.save(update_fields=["delivery_status", "delivery_error"])
        record(post.brand, actor, "outbox.retried", post, post.conversation)
    transaction.on_commit(lambda: tasks.enqueue_outbox(item.pk))
    return item


def pause_channel(channel: ChannelAccount, until: datetime) -> None:
    """The platform throttled this channel: hold its sends until then (other channels go on)."""
    ChannelAccount.objects.filter(pk=channel.pk).update(paused_until=until)
    channel.paused_until = until


def mark_channel_problem(channel: ChannelAccount, error: Exception) -> bool:
    """A refusal that an admin must fix marks the channel (True); other failures leave it as it is."""
    if isinstance(error, TokenInvalid):
        mark_needs_reauth(channel, error.reason)
    elif isinstance(error, TlsFailed):
        mark_tls_failed(channel, error.reason)
    else:
        return False
    return True


def mark_needs_reauth(channel: ChannelAccount, reason: str) -> None:
    """The token or password was refused: show a banner to admins and stop using this channel."""
    _mark_channel(channel, ChannelAccount.Status.NEEDS_REAUTH, reason)


def mark_tls_failed(channel: ChannelAccount, reason: str) -> None:
    """The server's certificate or TLS failed (no password was sent): the admins must check the server,
    its certificate or the channel's security setting, not re-enter the password."""
    _mark_channel(channel, ChannelAccount.Status.TLS_FAILED, reason)


def _mark_channel(channel: ChannelAccount, status: str, reason: str) -> None:
    with transaction.atomic():
        fresh = ChannelAccount.objects.select_for_update().get(pk=channel.pk)
        if fresh.status == status:
            return
        fresh.status = status
        fresh.status_detail = reason[:300]
        fresh.save(update_fields=["status", "status_detail"])
        record(channel.brand, "outbox", f"channel.{status}", fresh, None, reason=reason[:300])
        transaction.on_commit(lambda: email_channel_alert(fresh))
    log.warning("channel %s: %s: %s", channel.pk, fresh.get_status_display(), reason)
    channel.status, channel.status_detail = fresh.status, fresh.status_detail


def mark_channel_ok(channel: ChannelAccount, actor) -> bool:
    """A connection test passed on a channel stopped for a TLS failure: it is used again (True).
    A refused token or password needs new credentials instead (set_channel_credentials)."""
    with transaction.atomic():
        done = ChannelAccount.objects.filter(pk=channel.pk, status=ChannelAccount.Status.TLS_FAILED).update(
            status=ChannelAccount.Status.ACTIVE, status_detail="")
        if done:
            record(channel.brand, actor, "channel.connection_ok", channel, None)
    if done:
        channel.status, channel.status_detail = ChannelAccount.Status.ACTIVE, ""
    return bool(done)


# What the admins are told, per status: the email's subject ending and what to do.
ALERTS = {
    ChannelAccount.Status.NEEDS_REAUTH: (
        "needs re-authorisation",
        "Enter new credentials or fix the settings on the channel's page ({page}), then retry the failed replies."),
    ChannelAccount.Status.TLS_FAILED: (
        "cannot connect securely",
        "The password is not at fault and was not sent. Check the server's host name, port and security setting "
        "on the channel's page ({page}) and the server's certificate (one from a private authority needs that "
        "authority in PARLEY_MAIL_CA_FILE). Then press Test connection: when it passes the channel is used again; "
        "retry the failed replies."),
}


def email_channel_alert(channel: ChannelAccount) -> int:
    """Tell the brand's admins (those with an email address) once, when a channel stops for a reason
    they must fix (ALERTS); the banner on the Channels page stays either way. Returns emails sent."""
    from django.conf import settings
    from django.core.mail import send_mail
    from django.urls import reverse

    from parley.accounts.models import Membership, Role

    if not settings.PARLEY_CHANNEL_ALERT_EMAIL or channel.status not in ALERTS:
        return 0
    admins = sorted(set(Membership.objects.filter(brand_id=channel.brand_id, role=Role.ADMIN)
                        .exclude(user__email="").values_list("user__email", flat=True)))
    if not admins:
        return 0
    page = reverse("channels:detail", kwargs={"brand": channel.brand.slug, "channel_id": channel.pk})
    what, todo = ALERTS[channel.status]
    body = (f"Parley stopped using the channel {channel} of {channel.brand.name}: {channel.status_detail}\n\n"
            f"Nothing is lost: replies wait in the outbox and can be retried. " + todo.format(page=page))
    try:
        return send_mail(f"Parley: {channel} {what}", body, settings.DEFAULT_FROM_EMAIL, admins, fail_silently=False)
    except Exception:  # noqa: BLE001 - the banner and audit event stand; the mail is not retried, so say so
        log.exception("could not email the admins that channel %s %s", channel.pk, what)
        return 0


# --- channel management --------------------------------------------------------------------


def add_channel(brand, platform: str, external_id: str, handle: str, actor) -> ChannelAccount:
    external_id = (external_id or "").strip()
    if platform == "email":
        external_id = external_id.lower()  # mail is routed by recipient address, compared lower-case
    if platform not in Platform.values:
        raise ActionError("Unknown platform")
    if not external_id or len(external_id) > 128:
        raise ActionError("The account id is required (at most 128 characters)")
    if ChannelAccount.objects.filter(brand=brand, platform=platform, external_id=external_id).exists():
        raise ActionError("This account is already connected")
    with transaction.atomic():
        channel = ChannelAccount.objects.create(
            brand=brand, platform=platform, external_id=external_id, handle=(handle or "").strip().lstrip("@")[:128]
        )
        record(brand, actor, "channel.added", channel, None, platform=platform)
    return channel


def set_channel_credentials(channel: ChannelAccount, values: dict, actor) -> ChannelAccount:
    """Store new credentials (encrypted); the channel becomes active again. Values are never logged."""
    values = {k: v.strip() for k, v in values.items() if isinstance(v, str) and v.strip()}
    if not values:
        raise ActionError("Enter the credentials")
    with transaction.atomic():
        channel.set_credentials(values)
        channel.status = ChannelAccount.Status.ACTIVE
        channel.status_detail = ""
        channel.paused_until = None
        channel.save(update_fields=["credentials_encrypted", "status", "status_detail", "paused_until"])
        record(channel.brand, actor, "channel.credentials_set", channel, None, fields=sorted(values))
    return channel


def set_human_agent(channel: ChannelAccount, enabled: bool, actor) -> ChannelAccount:
    """Let replies on a Messenger / Instagram channel use the HUMAN_AGENT tag (7 days instead of 24 hours)."""
    if channel.platform not in ("facebook", "instagram"):
        raise ActionError("The HUMAN_AGENT tag exists on Messenger and Instagram only")
    with transaction.atomic():
        channel.human_agent = bool(enabled)
        channel.save(update_fields=["human_agent"])
        record(channel.brand, actor, "channel.human_agent_set", channel, None, enabled=channel.human_agent)
    return channel
