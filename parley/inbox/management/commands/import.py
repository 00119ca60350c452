"""`parley import FILE`: load posts from a file into a brand's inbox."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils.text import slugify

from parley.accounts.models import Brand
from parley.inbox.importers import DEFAULT_BATCH_SIZE, ImportFileError, Reject, import_file

SHOWN_REJECTS = 50


class Command(BaseCommand):
    help = (
        "Import posts from FILE: a 'Customer Support on Twitter' CSV, an IBM customer-care JSON, "
        "or Parley's JSON-lines post format (docs/import-format.md). Importing twice changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the file to import")
        parser.add_argument(
            "--format", default="auto", choices=["auto", "twcs", "ibm", "jsonl"],
            help="the file's format (default: told from its content and name)",
        )
        parser.add_argument("--brand", help="slug of the brand to import into (default: the only brand)")
        parser.add_argument(
            "--create-brand", action="store_true", help="create the brand named by --brand when it does not exist"
        )
        parser.add_argument(
            "--batch-size", type=int, default=DEFAULT_BATCH_SIZE,
            help=f"posts written per transaction (default {DEFAULT_BATCH_SIZE})",
        )
        parser.add_argument(
            "--progress", action="store_true", help="show the progress bar even when stderr is not a terminal"
        )
        parser.add_argument(
            "--show-rejects", type=int, default=SHOWN_REJECTS, metavar="N",
            help=f"how many refused records to list (default {SHOWN_REJECTS}; the summary counts them all)",
        )

    def handle(self, *args, **options):
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1")
        brand = self._brand(options["brand"], options["create_brand"])
        shown = 0
        limit = max(options["show_rejects"], 0)

        def report(reject: Reject) -> None:
            nonlocal shown
            if shown < limit:
                self.stderr.write(f"{options['file']}: {reject}")
            shown += 1

        progress = options["progress"] or _is_terminal(self.stderr._out)
        try:
            summary = import_file(
                options["file"], brand, fmt=options["format"], batch_size=options["batch_size"],
                progress=progress, progress_file=self.stderr._out, on_reject=report,
            )
        except ImportFileError as exc:
            raise CommandError(str(exc)) from None
        if shown > limit:
            self.stderr.write(f"... and {shown - limit:,} more refused records")
        self.stdout.write(f"Imported {summary.path} ({summary.format}) into {brand.slug}")
        for line in summary.lines():
            self.stdout.write("  " + line)

    def _brand(self, slug: str | None, create: bool) -> Brand:
        if slug:
            brand = Brand.objects.filter(slug=slug).first()
            if brand is not None:
                return brand
            if create:
                if slugify(slug) != slug:
                    raise CommandError(f"{slug!r} is not a valid brand slug (lowercase letters, digits, hyphens)")
                return Brand.objects.create(slug=slug, name=slug)
            raise CommandError(f"No brand {slug!r}. {self._existing()} Use --create-brand to create it.")
        if create:
            raise CommandError("--create-brand needs --brand SLUG")
        brands = list(Brand.objects.order_by("slug")[:2])
        if len(brands) == 1:
            return brands[0]
        raise CommandError(f"Name the brand to import into with --brand SLUG. {self._existing()}")

    @staticmethod
    def _existing() -> str:
        slugs = list(Brand.objects.order_by("slug").values_list("slug", flat=True)[:50])
        return f"Existing brands: {', '.join(slugs)}." if slugs else "There are no brands yet."


def _is_terminal(stream) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
