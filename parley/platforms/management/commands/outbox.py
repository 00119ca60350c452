"""`parley outbox run|queue-pending|list`: work the outbox by hand (a worker does it normally)."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.utils import timezone

from parley.inbox.models import Post
from parley.platforms import actions, adapters, outbox
from parley.platforms.models import OutboxItem


class Command(BaseCommand):
    help = "Run due outbox items now, or queue replies left pending while their channel had no credentials."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="what", required=True)
        sub.add_parser("run", help="attempt every due item once, here")
        sub.add_parser("queue-pending", help="queue pending replies of connected channels that have no outbox item")
        listing = sub.add_parser("list", help="list items")
        listing.add_argument("--state", default="failed", choices=[*OutboxItem.State.values, "all"])

    def handle(self, *args, what, **opts):
        if what == "run":
            results: dict[str, int] = {}
            stale = outbox.recover_stale(timezone.now())
            if stale:
                results["interrupted"] = stale
            for item_id in list(outbox.due_items(timezone.now()).values_list("pk", flat=True)):
                result = outbox.run(item_id)
                results[result] = results.get(result, 0) + 1
            self.stdout.write(", ".join(f"{k}: {v}" for k, v in sorted(results.items())) or "nothing due")
        elif what == "queue-pending":
            queued = 0
            pending = Post.objects.filter(direction="out", delivery_status="pending", outbox_items__isnull=True,
                                          channel__isnull=False).select_related("channel")
            for post in pending:
                if adapters.can_send(post.channel):
                    actions.queue_outbox(post, post.channel, actor="cli")
                    queued += 1
            self.stdout.write(f"{queued} queued")
        else:
            qs = OutboxItem.objects.select_related("channel")
            if opts["state"] != "all":
                qs = qs.filter(state=opts["state"])
            for item in qs[:200]:
                self.stdout.write(f"{item.pk}\t{item.channel}\t{item.action}\t{item.state}\t{item.attempts}\t{item.last_error[:120]}")
