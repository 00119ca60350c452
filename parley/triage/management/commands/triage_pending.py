"""`parley triage_pending`: triage stored posts that have no triage yet (after a bulk import)."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from tqdm import tqdm

from parley.accounts.models import Brand
from parley.inbox.models import Post
from parley.server.jobmemo import job
from parley.triage import service
from parley.triage.linear import ModelMissing
from parley.triage.queries import pending_post_ids


class Command(BaseCommand):
    help = "Triage inbound posts that are untriaged, pending, or failed and due for a retry, in batches."

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=None, help="At most this many posts.")
        parser.add_argument("--batch-size", type=int, default=500)
        parser.add_argument("--no-failed", action="store_true", help="Leave failed posts alone.")
        parser.add_argument("--profile", choices=("fast", "accurate"), default=None)
        parser.add_argument("--brand", default=None, help="Only this brand's posts (its slug).")
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, **opts):
        brand = None
        if opts["brand"]:
            brand = Brand.objects.filter(slug=opts["brand"]).first()
            if brand is None:
                raise CommandError(f"no brand with slug {opts['brand']!r}")
        ids = list(pending_post_ids(limit=opts["limit"], include_failed=not opts["no_failed"], brand=brand))
        if not ids:
            self.stdout.write("nothing to triage")
            return
        profile = opts["profile"] or settings.PARLEY_TRIAGE_PROFILE
        counts: dict[str, int] = {}
        with tqdm(total=len(ids), unit="post", disable=opts["no_progress"]) as bar:
            for start in range(0, len(ids), opts["batch_size"]):
                chunk = ids[start : start + opts["batch_size"]]
                posts = list(Post.objects.filter(pk__in=chunk)
                             .select_related("conversation", "author__customer", "brand", "triage", "channel")
                             .order_by("pk"))
                try:
                    with job():  # routing reads the brand's rules and calendar once a chunk, as the worker's jobs do
                        done = service.triage_posts(posts, timezone.now(), profile)
                except ModelMissing as exc:
                    raise CommandError(str(exc)) from exc
                for status in done:
                    counts[status] = counts.get(status, 0) + 1
                bar.update(len(chunk))
        self.stdout.write("triaged: " + ", ".join(f"{v:,} {k}" for k, v in sorted(counts.items())))
