"""`parley sla_due`: recompute the stored next SLA due times of conversations (parley.sla.stored)."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from tqdm import tqdm

from parley.accounts.options import add_brand_batch_options, checked_brand_ids
from parley.sla.stored import active_count, rebuild


class Command(BaseCommand):
    help = ("Recompute every active conversation's stored next SLA due time from its brand's policies and "
            "calendars (after writing conversations in bulk outside Parley, or to repair them).")

    def add_arguments(self, parser):
        add_brand_batch_options(parser, 2_000, "conversations per transaction")

    def handle(self, *args, **opts):
        brands = checked_brand_ids(opts)
        with tqdm(total=active_count(brands), unit="conversation", disable=opts["no_progress"]) as bar:
            read, written = rebuild(brands, opts["batch_size"], progress=bar.update)
        self.stdout.write(f"{read:,} active conversations recomputed, {written:,} rows changed")
