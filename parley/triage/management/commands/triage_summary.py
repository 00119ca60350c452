"""`parley triage_summary`: rebuild every conversation's triage summary (the flags the inbox filters read)."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from tqdm import tqdm

from parley.accounts.options import add_brand_batch_options, checked_brand_ids
from parley.triage.models import PostTriage
from parley.triage.summary import rebuild


class Command(BaseCommand):
    help = ("Recompute the triage flags of every conversation from its posts' stored triage "
            "(after writing triage rows in bulk outside Parley, or to repair them).")

    def add_arguments(self, parser):
        add_brand_batch_options(parser, 5_000, "conversations per chunk")

    def handle(self, *args, **opts):
        brands = checked_brand_ids(opts)
        triage = PostTriage.objects.all()
        if brands:
            triage = triage.filter(post__brand_id__in=brands)
        with tqdm(total=triage.count(), unit="post", disable=opts["no_progress"]) as bar:
            flags = rebuild(opts["batch_size"], progress=bar.update, brand_ids=brands)
        self.stdout.write(f"{flags:,} triage flags")
