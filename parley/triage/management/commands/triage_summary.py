"""`parley triage_summary`: rebuild every conversation's triage summary (the flags the inbox filters read)."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from tqdm import tqdm

from parley.triage.models import PostTriage
from parley.triage.summary import rebuild


class Command(BaseCommand):
    help = ("Recompute the triage flags of every conversation from its posts' stored triage "
            "(after writing triage rows in bulk outside Parley, or to repair them).")

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=20_000)
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, **opts):
        with tqdm(total=PostTriage.objects.count(), unit="post", disable=opts["no_progress"]) as bar:
            flags = rebuild(opts["batch_size"], progress=bar.update)
        self.stdout.write(f"{flags:,} triage flags")
