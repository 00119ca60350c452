"""Processing a job's deliveries together: customers' new posts threaded and written in bulk.

`Batch.process` counts every delivery's attempt in one statement, parses every body, reads the
platforms' deletions (tombstones) of the batch's new posts once, then walks the events in delivery
order. A customer's new post (valid, not our own echo, not deleted on the platform before it
arrived) joins the pending group. Any other event (an edit, a deletion, a like, our own echo, a
mention to fetch) first writes the pending group, then is applied alone as `processing.apply`
always did, in its own savepoint: edits and deletions always see the posts that came before them.

Writing a group reuses the bulk importer (`parley.inbox.importers.bulk.thread_and_write`): one look-up
of what the database knows about the group's posts (already stored ones, the posts they name, the
authors' identities and conversations), threading in memory with the live policy exactly as
`inbox.actions.ingest_post` would post by post, then a few multi-row inserts, in one transaction
together with the deliveries finished by then. If writing a group fails for any reason, the
transaction is undone and each of its posts is applied alone, so one bad post still leaves only
its own delivery as a dead letter and loses nothing else.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from parley.inbox import actions as inbox
from parley.inbox import signals
from parley.inbox.importers.bulk import in_list_size, thread_and_write
from parley.inbox.importers.records import Record
from parley.inbox.importers.state import live
from parley.inbox.ingest import LEGACY_ID_CHARS, MAX_ID_CHARS, digested_id, id_forms, validate
from parley.inbox.models import Post

from . import actions, scrub
from .base import Deleted, Ignored, NewPost
from .models import ChannelAccount, Tombstone, WebhookDelivery
from .processing import Run, begin, tombstone_forms

log = logging.getLogger(__name__)
ACTOR = "webhook"  # as processing's ingest_post calls name it


@dataclass(slots=True)
class _Item:
    """A new post waiting in the group, for one channel, counted in its delivery's run."""

    run: Run
    channel: ChannelAccount
    event: NewPost


class Batch:
    def __init__(self):
        self.channels: dict = {}  # (platform, account, scope) -> channels, for the whole batch
        self.pending: list[_Item] = []
        self.complete: list[Run] = []  # walked to the end, not finished yet
        self.tombstones: set[tuple[int, str, str]] = set()  # (brand id, platform, platform id)
        self.states: Counter = Counter()

    def process(self, deliveries: list[WebhookDelivery]) -> dict:
        """Process queued deliveries (in order); counts per final state ("failed": left queued)."""
        if not deliveries:
            return {}
        WebhookDelivery.objects.filter(pk__in=[d.pk for d in deliveries]).update(attempts=F("attempts") + 1)
        runs = []
        for delivery in deliveries:
            delivery.attempts += 1
            try:
                run = begin(delivery)
            except Exception:  # noqa: BLE001 - e.g. the database went away; this delivery stays queued
                log.exception("webhook delivery %s could not be processed", delivery.pk)
                self.states["failed"] += 1
                continue
            if run is None:
                self.states[delivery.state] += 1
            else:
                runs.append(run)
        self._read_tombstones(runs)
        for run in runs:
            try:
                self._walk(run)
            except Exception:  # noqa: BLE001 - as above; what it applied alone stays, the rest is redone later
                log.exception("webhook delivery %s could not be processed", run.delivery.pk)
                self.pending = [item for item in self.pending if item.run is not run]
                self.states["failed"] += 1
                continue
            self.complete.append(run)
        self.flush()
        return dict(self.states)

    # --- walking the events ----------------------------------------------------------------------

    def _walk(self, run: Run) -> None:
        for channel, event in run.targets(self.channels):
            if isinstance(event, Ignored):
                run.counts["ignored"] += 1
                continue
            if self._joins_group(run, channel, event):
                continue
            self.flush()
            run.apply(channel, event)
            if isinstance(event, Deleted):
                self.tombstones.add((channel.brand_id, event.platform, event.platform_id[:MAX_ID_CHARS]))

    def _joins_group(self, run: Run, channel: ChannelAccount, event) -> bool:
        if not isinstance(event, NewPost) or event.own:
            return False
        post = event.post
        problems = validate(post, settings.PARLEY_MAX_POST_CHARS)
        if problems:  # nothing written: counted as processing.apply would
            run.invalid(event, inbox.InvalidPost(problems))
            return True
        if any((channel.brand_id, post.platform, form) in self.tombstones for form in id_forms(post.platform_id)):
            return False  # stored as deleted, alone
        self.pending.append(_Item(run, channel, event))
        return True

    def _read_tombstones(self, runs: list[Run]) -> None:
        """The deletions of every post the batch's deliveries carry (new, edited, liked), read once:
        they decide which new posts are stored deleted and which bodies are redacted when finished.
        One made by another worker meanwhile is seen under the lock when a group is written; its own
        scrub finds the bodies of this batch (queued until finished, listed once finished)."""
        forms = set()
        for run in runs:
            forms.update(tombstone_forms(run.events))
        forms = sorted(forms)
        size = in_list_size()
        for start in range(0, len(forms), size):
            self.tombstones.update(Tombstone.objects.filter(platform_id__in=forms[start:start + size])
                                   .values_list("brand_id", "platform", "platform_id"))

    # --- writing the group ----------------------------------------------------------------------

    def flush(self) -> None:
        """Write the pending posts, and finish the deliveries walked to the end, in one transaction."""
        items, self.pending = self.pending, []
        done, self.complete = self.complete, []
        if not items and not done:
            return
        before = {id(item.run): (item.run, Counter(item.run.counts)) for item in items}
        try:
            with transaction.atomic():
                self._write(items)
                self._finish(done)
        except Exception as error:  # noqa: BLE001 - undone: each post alone, as processing.process would
            if isinstance(error, _DeletedMeanwhile):
                log.info("%s: its new posts are applied alone", error)
            else:
                log.exception("writing %s new posts together failed; each is applied alone", len(items))
            for run, counts in before.values():
                run.counts = counts
            for item in items:
                item.run.apply(item.channel, item.event)
            try:
                with transaction.atomic():
                    self._finish(done, fresh=True)
            except Exception:  # noqa: BLE001 - e.g. the database went away; these stay queued
                log.exception("%s webhook deliveries could not be finished", len(done))
                self.states["failed"] += len(done)
                return
        for run in done:
            self.states[run.delivery.state] += 1

    def _finish(self, done: list[Run], fresh: bool = False) -> None:
        """List the posts each body carries and finish the deliveries (with the tombstones read for the
        batch, or, after a group was undone because of a deletion meanwhile, read again)."""
        scrub.index_carried([(run.delivery, run.carried()) for run in done])
        tombstones = None if fresh else self.tombstones
        actions.finish_deliveries([(run.delivery, *run.outcome(tombstones)) for run in done])

    def _deleted_meanwhile(self, items: list[_Item]) -> None:
        """Under the locks a deletion also takes (scrub.hold), check that none of the group's posts
        was deleted since the batch read its tombstones; if one was, the group is undone and each
        post applied alone (stored deleted)."""
        scrub.hold((item.channel.brand_id, item.event.post.platform, item.event.post.platform_id) for item in items)
        wanted = {(item.channel.brand_id, item.event.post.platform, form[:MAX_ID_CHARS]) for item in items
                  for form in id_forms(item.event.post.platform_id)}
        forms = sorted({form for _, _, form in wanted})
        size = in_list_size()
        for start in range(0, len(forms), size):
            found = set(Tombstone.objects.filter(platform_id__in=forms[start:start + size])
                        .values_list("brand_id", "platform", "platform_id"))
            if found & wanted:
                self.tombstones.update(found)
                raise _DeletedMeanwhile(f"{len(found & wanted)} posts of a group were deleted on the platform meanwhile")

    def _write(self, items: list[_Item]) -> None:
        if items:
            self._deleted_meanwhile(items)
        by_brand: dict[int, list[_Item]] = {}
        for item in items:
            by_brand.setdefault(item.channel.brand_id, []).append(item)
        now = timezone.now()
        for group in by_brand.values():
            brand = group[0].channel.brand
            taken = _stored_under_digest(brand.pk, group)
            placed, owners = [], []
            for item in group:
                post = item.event.post
                if (post.platform, post.platform_id) in taken:
                    item.run.counts["duplicate"] += 1
                else:
                    placed.append((Record(len(placed), post, ""), item.channel.pk))
                    owners.append(item)
            threader, created = thread_and_write(brand.pk, inbox.reopen_window(brand), placed, ACTOR, now,
                                                 in_list_size())
            keys = {id(state.record): state.pk for state in threader.new_posts}
            for (record, _), item, new in zip(placed, owners, created):
                if new:
                    item.run.counts["created"] += 1
                    transaction.on_commit(partial(signals.post_ingested, keys[id(record)]))
                else:
                    item.run.counts["duplicate"] += 1
            moved = {conv.pk for conv in threader.stored_merges} | {live(c).pk for c in threader.stored_merges}
            if moved:
                signals.posts_moved(sorted(moved))


class _DeletedMeanwhile(Exception):
    pass


def _stored_under_digest(brand_id: int, group: list[_Item]) -> set[tuple[str, str]]:
    """(platform, id) of the group's long ids stored under their old digest form (ingest.id_forms)."""
    digests = {}
    for item in group:
        post = item.event.post
        if len(post.platform_id) > LEGACY_ID_CHARS:
            digests[(post.platform, digested_id(post.platform_id))] = (post.platform, post.platform_id)
    if not digests:
        return set()
    found = Post.objects.filter(brand_id=brand_id, platform_id__in=[d for _, d in digests]).values_list(
        "platform", "platform_id")
    return {digests[row] for row in found if row in digests}
