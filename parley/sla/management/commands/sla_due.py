"""`parley sla_due`: recompute the stored next SLA due times of conversations (parley.sla.stored)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from parley.sla.stored import active_count, rebuild


class Command(BaseCommand):
    help = ("Recompute every active conversation's stored next SLA due time from its brand's policies and "
            "calendars (after writing conversations in bulk outside Parley, or to repair them).")

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=2_000, help="conversations per transaction")
        parser.add_argument("--brand", type=int, action="append", dest="brands", metavar="ID",
                            help="only this brand's conversations (repeatable)")
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, **opts):
        if opts["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1")
        if opts["brands"]:
            from parley.accounts.models import Brand

            missing = sorted(set(opts["brands"]) - set(Brand.objects.filter(pk__in=opts["brands"])
                                                     .values_list("pk", flat=True)))
            if missing:
                raise CommandError(f"no brand with id {', '.join(map(str, missing))}")
        with tqdm(total=active_count(opts["brands"]), unit="conversation", disable=opts["no_progress"]) as bar:
            read, written = rebuild(opts["brands"], opts["batch_size"], progress=bar.update)
        self.stdout.write(f"{read:,} active conversations recomputed, {written:,} rows changed")
