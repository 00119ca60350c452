"""`parley triage_summary`: rebuild every conversation's triage summary (the flags the inbox filters read)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from parley.triage.models import PostTriage
from parley.triage.summary import rebuild


class Command(BaseCommand):
    help = ("Recompute the triage flags of every conversation from its posts' stored triage "
            "(after writing triage rows in bulk outside Parley, or to repair them).")

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=5_000, help="conversations per chunk")
        parser.add_argument("--brand", type=int, action="append", dest="brands", metavar="ID",
                            help="rebuild only this brand's conversations (repeatable)")
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, **opts):
        if opts["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1")
        triage = PostTriage.objects.all()
        if opts["brands"]:
            from parley.accounts.models import Brand

            missing = sorted(set(opts["brands"]) - set(Brand.objects.filter(pk__in=opts["brands"])
                                                     .values_list("pk", flat=True)))
            if missing:
                raise CommandError(f"no brand with id {', '.join(map(str, missing))}")
            triage = triage.filter(post__brand_id__in=opts["brands"])
        with tqdm(total=triage.count(), unit="post", disable=opts["no_progress"]) as bar:
            flags = rebuild(opts["batch_size"], progress=bar.update, brand_ids=opts["brands"])
        self.stdout.write(f"{flags:,} triage flags")
