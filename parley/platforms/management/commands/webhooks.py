"""`parley webhooks list|show|replay|prune|scrub-deleted`: inspect and replay stored webhook deliveries
(dead letters); erase what posts deleted on the platform left behind."""

from __future__ import annotations

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from parley.platforms import actions, processing
from parley.platforms.models import WebhookDelivery


class Command(BaseCommand):
    help = "Inspect stored webhook deliveries and replay dead letters."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="what", required=True)
        listing = sub.add_parser("list", help="list deliveries (dead letters by default)")
        listing.add_argument("--state", default="dead", choices=[*WebhookDelivery.State.values, "all"])
        listing.add_argument("--limit", type=int, default=50)
        show = sub.add_parser("show", help="print one delivery's body and error")
        show.add_argument("id", type=int)
        replay = sub.add_parser("replay", help="process dead letters again (idempotent)")
        replay.add_argument("ids", nargs="*", type=int, help="delivery ids (default: every dead letter)")
        replay.add_argument("--queue", action="store_true", help="queue tasks instead of processing here")
        prune = sub.add_parser("prune", help="delete processed deliveries older than --days (dead letters are kept)")
        prune.add_argument("--days", type=int, default=30)
        sub.add_parser("scrub-deleted", help="erase the words that posts deleted on the platform before this "
                                             "version left in storage (their text, raw JSON, webhook bodies)")

    def handle(self, *args, what, **opts):
        if what == "list":
            qs = WebhookDelivery.objects.all()
            if opts["state"] != "all":
                qs = qs.filter(state=opts["state"])
            for d in qs[: opts["limit"]]:
                first = d.error.splitlines()[0] if d.error else ""
                self.stdout.write(f"{d.pk}\t{d.platform}\t{d.state}\t{d.received_at:%Y-%m-%d %H:%M:%S}\t{first}")
            return
        if what == "show":
            d = WebhookDelivery.objects.filter(pk=opts["id"]).first()
            if d is None:
                raise CommandError(f"no delivery {opts['id']}")
            self.stdout.write(f"{d.platform} {d.state} attempts={d.attempts} summary={d.summary}\n{d.error}\n{d.text()}")
            return
        if what == "scrub-deleted":
            self._scrub_deleted()
            return
        if what == "prune":
            if opts["days"] < 1:
                raise CommandError("--days must be at least 1")
            cutoff = timezone.now() - timedelta(days=opts["days"])
            # only("pk"): the cascade to their CarriedPost rows must not load every body into memory
            _, per_model = WebhookDelivery.objects.filter(state=WebhookDelivery.State.DONE,
                                                          received_at__lt=cutoff).only("pk").delete()
            deleted = per_model.get(WebhookDelivery._meta.label, 0)  # not counting their CarriedPost rows
            self.stdout.write(f"{deleted} processed deliveries older than {opts['days']} days deleted")
            return
        qs = WebhookDelivery.objects.filter(state=WebhookDelivery.State.DEAD)
        if opts["ids"]:
            qs = qs.filter(pk__in=opts["ids"])
        done = 0
        for d in qs.order_by("received_at"):
            if opts["queue"]:
                actions.replay_delivery(d, "cli")
            else:
                actions.replay_delivery(d, "cli")
                processing.process(WebhookDelivery.objects.get(pk=d.pk))
            d.refresh_from_db()
            self.stdout.write(f"{d.pk}\t{d.state}\t{d.summary}")
            done += 1
        self.stdout.write(f"{done} deliver{'y' if done == 1 else 'ies'} replayed")

    def _scrub_deleted(self) -> None:
        """Deleted posts that still hold words (stored before deletions erased them), one transaction each."""
        from django.db.models import Q
        from tqdm import tqdm

        from parley.inbox import actions as inbox
        from parley.inbox import search
        from parley.inbox.models import Post

        from parley.platforms import scrub
        from parley.platforms.models import WebhookDelivery

        # Bodies stored before deletions looked posts up in a list: list their posts once.
        unlisted = WebhookDelivery.objects.filter(carried_indexed=False).exclude(state=WebhookDelivery.State.QUEUED)
        with tqdm(total=unlisted.count(), desc="deliveries listed", unit="delivery", disable=None) as bar:
            listed = scrub.backfill_carried(progress=bar.update)
        self.stdout.write(f"{listed} stored deliveries listed by the posts they carry")
        left = Post.objects.filter(is_deleted=True).filter(~Q(text="") | Q(raw__isnull=False))
        ids = list(left.values_list("pk", flat=True))
        for pk in tqdm(ids, desc="deleted posts", unit="post", disable=not ids):
            post = Post.objects.select_related("conversation", "brand").get(pk=pk)
            inbox.mark_post_deleted(post, actor="cli")
        if ids:
            search.optimise()  # SQLite: their words leave the search index's pages too
        self.stdout.write(f"{len(ids)} deleted posts scrubbed")
        # Audit events of follow-ups promised in replies deleted before events stopped quoting them.
        from parley.sla.actions import erase_promise_quotes
        from parley.sla.models import FollowUp

        quoted = FollowUp.objects.filter(source_post__is_deleted=True).values_list("pk", flat=True)
        self.stdout.write(f"{erase_promise_quotes(list(quoted))} audit events lost a deleted reply's promise")
