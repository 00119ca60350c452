"""Process a stored webhook delivery: parse it and apply each event to the brand's inbox."""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import replace

from django.db import transaction
from django.utils import timezone

from parley.inbox import actions as inbox
from parley.inbox.ingest import MAX_ID_CHARS, AuthorData, IncomingPost, id_forms
from parley.inbox.models import Post

from . import actions, adapters, scrub
from .base import Deleted, Edited, Event, Ignored, Liked, MentionRef, NewPost, ParseError, clean_raw
from .models import ChannelAccount, Tombstone, WebhookDelivery

log = logging.getLogger(__name__)


def process_many(delivery_ids: list[int]) -> dict:
    """Process the named deliveries still queued, together; counts per final state.

    New posts are threaded and written in bulk (`batching.Batch`); the new posts' triage is queued
    as one job for the batch (triage.listeners.batched).
    """
    from parley.server.jobmemo import job
    from parley.triage.listeners import batched as triage_batched

    from .batching import Batch

    with job(), triage_batched():
        queued = list(WebhookDelivery.objects.filter(pk__in=delivery_ids, state=WebhookDelivery.State.QUEUED)
                      .order_by("pk"))
        return Batch().process(queued)


class Run:
    """One delivery being processed: its events, and what became of each (its summary)."""

    def __init__(self, delivery: WebhookDelivery, events: list[Event], family: str, scope: str):
        self.delivery = delivery
        self.family, self.scope = family, scope
        if scope and family == "email":
            events = events[:1]  # one event per recipient address, all the same message
        self.events = events
        self.first = delivery.attempts == 1
        self.counts: Counter = Counter()
        self.errors: list[str] = []
        self.unrouted: set[str] = set()
        self.brands: set[int] = set()  # of the channels its events were applied for

    def targets(self, channels: dict):
        """(channel, event) for each event and each channel it is for, in order; counts the unrouted."""
        for event in self.events:
            account = (event.platform, event.account_id, self.scope)
            if account not in channels:
                channels[account] = _channels(event, self.family, self.scope)
            if not channels[account]:
                self.unrouted.add(f"{event.platform}:{event.account_id}")
                self.counts["unrouted"] += 1
                continue
            for channel in channels[account]:
                self.brands.add(channel.brand_id)
                yield channel, event

    def apply(self, channel: ChannelAccount, event: Event) -> None:
        """Apply one event alone, in its own savepoint; a failure is counted, never raised."""
        try:
            with transaction.atomic():
                self.counts[apply(channel, event, self.first)] += 1
        except inbox.InvalidPost as error:
            self.invalid(event, error)
        except Exception as error:  # noqa: BLE001 - kept as a dead letter, never lost
            log.exception("webhook delivery %s: %s failed", self.delivery.pk, type(event).__name__)
            self.counts["error"] += 1
            self.errors.append(f"{type(event).__name__}: {type(error).__name__}: {error}")

    def invalid(self, event: Event, error: inbox.InvalidPost) -> None:
        self.counts["invalid"] += 1
        self.errors.append(f"{type(event).__name__}: invalid post: {error}")

    def carried(self) -> set[str]:
        """The post ids its body names: listed (scrub.index_carried) so that a deletion finds it."""
        return scrub.carried_ids(bytes(self.delivery.body), scrub.event_ids(self.events))

    def outcome(self, tombstones: set | None = None) -> tuple[str, dict, str]:
        """(state, summary, error) to finish the delivery with; a body carrying a deleted post's words is
        redacted first. `tombstones`: the (brand id, platform, platform id) already read for a batch
        (every post its deliveries carry), else they are read here."""
        if self.brands:
            _redact_deleted(self.delivery, self.events, self.brands, tombstones)
        if self.unrouted:
            log.warning("webhook delivery %s names accounts no channel has: %s", self.delivery.pk,
                        ", ".join(sorted(self.unrouted)))
        summary = {"events": len(self.events), **self.counts}
        if (self.delivery.summary or {}).get("redacted_posts"):
            summary["redacted_posts"] = self.delivery.summary["redacted_posts"]
        if self.unrouted:
            summary["unrouted_accounts"] = sorted(self.unrouted)
        # An event we could not store (it failed, or its content is unusable) keeps the body as a dead letter.
        state = WebhookDelivery.State.DEAD if self.counts["error"] or self.counts["invalid"] else WebhookDelivery.State.DONE
        return state, summary, "\n".join(self.errors)


def begin(delivery: WebhookDelivery) -> Run | None:
    """Parse a delivery (its attempt already counted); an unreadable body is finished as a dead letter (None)."""
    # "family:channel-id" names a delivery meant for one channel only (mail polled from its mailbox,
    # a delivery signed with that channel's own app secret).
    family, _, scope = delivery.platform.partition(":")
    try:
        events = adapters.parser(family)(bytes(delivery.body))
    except ParseError as error:
        log.warning("webhook delivery %s is unparseable: %s", delivery.pk, error)
        actions.finish_delivery(delivery, WebhookDelivery.State.DEAD, {}, f"unparseable: {error}")
        return None
    return Run(delivery, events, family, scope)


def process(delivery: WebhookDelivery, channels: dict | None = None) -> WebhookDelivery:
    """Parse and apply; a body we cannot read, or an event that failed, leaves a dead letter to replay.

    `channels` caches the channel look-up per (platform, account) across a batch of deliveries.
    """
    channels = {} if channels is None else channels
    delivery.attempts += 1
    delivery.save(update_fields=["attempts"])
    run = begin(delivery)
    if run is None:
        return delivery
    for channel, event in run.targets(channels):
        run.apply(channel, event)
    with transaction.atomic():
        scrub.index_carried([(delivery, run.carried())])
        actions.finish_delivery(delivery, *run.outcome())
    return delivery


def _carried(events: list[Event]) -> dict[tuple[str, str], list[str]]:
    """(platform, id) -> texts of each post a delivery carries in words (new, edited, liked)."""
    carried: dict[tuple[str, str], list[str]] = {}
    for event in events:
        if isinstance(event, NewPost):
            carried.setdefault((event.platform, event.post.platform_id), []).append(event.post.text)
        elif isinstance(event, Edited):
            texts = carried.setdefault((event.platform, event.platform_id), [])
            texts += [event.text] + ([event.fallback.text] if event.fallback is not None else [])
        elif isinstance(event, Liked):  # X's favorite event holds the liked tweet in full
            carried.setdefault((event.platform, event.platform_id), [])
    return carried


def tombstone_forms(events: list[Event]) -> set[str]:
    """Every form under which a deletion of a post the events carry is remembered."""
    return {form[:MAX_ID_CHARS] for _, platform_id in _carried(events) for form in id_forms(str(platform_id).strip())}


def _redact_deleted(delivery: WebhookDelivery, events: list[Event], brands: set[int],
                    tombstones: set | None = None) -> None:
    """A delivery that carries a post the platform deleted (it arrived after the deletion, or is a
    redelivery, an edit, a like of it) keeps no copy of that post's words (scrub.py)."""
    carried = _carried(events)
    if not carried:
        return
    if tombstones is None:
        tombstones = set(
            Tombstone.objects.filter(brand_id__in=brands, platform__in={p for p, _ in carried},
                                     platform_id__in=tombstone_forms(events))
            .values_list("brand_id", "platform", "platform_id")
        )
    gone = {(platform, platform_id) for platform, platform_id in carried
            if any((brand, platform, form[:MAX_ID_CHARS]) in tombstones for brand in brands
                   for form in id_forms(str(platform_id).strip()))}
    if gone:
        scrub.redact_delivery(delivery, [i for _, i in gone], [t for key in gone for t in carried[key]])


def _channels(event: Event, family: str, scope: str) -> list[ChannelAccount]:
    """The channels an event is for: those with the account it names; within the scoped channel only."""
    qs = ChannelAccount.objects.select_related("brand").exclude(status=ChannelAccount.Status.DISABLED)
    if scope:
        qs = qs.filter(pk=int(scope))
        if family == "email":  # read from this channel's own mailbox: its, whatever address it was sent to
            return list(qs.filter(platform="email"))
    return list(qs.filter(platform=event.platform, external_id=event.account_id))


def _stored(channel: ChannelAccount, platform: str, platform_id: str) -> Post | None:
    return (
        Post.objects.select_related("conversation", "brand")
        .filter(brand=channel.brand, platform=platform, platform_id__in=id_forms(platform_id))
        .first()
    )


def apply(channel: ChannelAccount, event: Event, first_time: bool = True) -> str:
    """Apply one event for one channel; the outcome's name is counted in the delivery's summary."""
    if isinstance(event, NewPost):
        return _new_post(channel, event.post, event.own)
    if isinstance(event, Edited):
        post = _stored(channel, event.platform, event.platform_id)
        if post is None:
            if event.fallback is not None:
                return _new_post(channel, event.fallback, own=event.fallback.direction == "out")
            return "edit_of_unknown"
        if post.is_deleted:
            return "edit_of_deleted"
        inbox.mark_post_edited(post, event.text, actor="platform", now=event.at)
        return "edited"
    if isinstance(event, Deleted):
        at = event.at or timezone.now()
        scrub.hold([(channel.brand_id, event.platform, event.platform_id)])
        actions.remember_deletion(channel, event.platform, event.platform_id, at)
        post = _stored(channel, event.platform, event.platform_id)
        if post is None:
            # Bodies already stored that carry it (waiting in the queue, a dead letter) lose its words now.
            scrub.scrub_bodies(event.platform, event.platform_id, (), at - scrub.SKEW)
            return "deleted_before_arrival"
        inbox.mark_post_deleted(post, actor="platform", now=event.at)
        return "deleted"
    if isinstance(event, Liked):
        post = _stored(channel, event.platform, event.platform_id)
        if post is None:
            return "like_of_unknown"
        if first_time:  # a replayed delivery must not count the like twice
            actions.record_like(post, event.user_id)
        return "liked"
    if isinstance(event, MentionRef):
        client = adapters.client_for(channel)
        comment = client.fetch_mention(event.media_id, event.comment_id)
        post = IncomingPost(
            platform="instagram",
            platform_id=str(comment.get("id")),
            text=str(comment.get("text") or ""),
            created_at=_graph_time(comment.get("timestamp")),
            kind="mention",
            author=AuthorData(platform_user_id=str((comment.get("from") or {}).get("id") or f"ig:{comment.get('username')}"),
                              handle=str(comment.get("username") or "")),
            platform_conversation_id=event.media_id,
            raw=comment,
        )
        return _new_post(channel, post, own=False)
    if isinstance(event, Ignored):
        return "ignored"
    raise TypeError(f"unknown event {event!r}")


def _graph_time(value):
    from datetime import datetime

    try:
        return datetime.strptime(str(value), "%Y-%m-%dT%H:%M:%S%z")
    except ValueError:
        return timezone.now()


def _new_post(channel: ChannelAccount, post: IncomingPost, own: bool) -> str:
    post.raw = clean_raw(post.raw)
    if own:
        outcome = _link_own(channel, post)
        if outcome:
            return outcome
        post.author = None  # the brand wrote it (on the platform, outside Parley)
    scrub.hold([(channel.brand_id, post.platform, post.platform_id)])  # a deletion racing it waits, or is seen
    tomb = Tombstone.objects.filter(
        brand=channel.brand, platform=post.platform, platform_id__in=id_forms(post.platform_id)
    ).first()
    if tomb is not None:
        # Deleted on the platform before it reached us: its words are never stored (the post is,
        # empty, so that the deletion's record and a later redelivery find it).
        result = inbox.ingest_post(channel.brand, channel, replace(post, text="", raw=None), actor="webhook")
        inbox.mark_post_deleted(result.post, actor="platform", now=tomb.deleted_at, words=[post.text])
        return "created_deleted" if result.created else "duplicate"
    result = inbox.ingest_post(channel.brand, channel, post, actor="webhook")
    return "created" if result.created else "duplicate"


def _link_own(channel: ChannelAccount, post: IncomingPost) -> str:
    """Our own message echoed back: link it to the outbound post Parley sent, never a second copy."""
    if _stored(channel, post.platform, post.platform_id) is not None:
        return "echo_known"
    pending = Post.objects.filter(
        brand=channel.brand, channel=channel, platform=post.platform, direction=Post.Direction.OUTBOUND,
        platform_id__isnull=True, text=post.text,
    ).exclude(delivery_status=Post.Delivery.SENT)
    if post.in_reply_to_id:
        pending = pending.filter(in_reply_to_id=post.in_reply_to_id)
    match = pending.order_by("created_at").first()
    if match is None:
        return ""
    actions.link_echo(match, post.platform_id, post.url)
    return "echo_linked"
