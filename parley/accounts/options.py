"""Command-line options shared by management commands that work brand by brand."""

from __future__ import annotations

from django.core.management.base import CommandError


def add_brand_batch_options(parser, batch_size: int, batch_help: str) -> None:
    """--batch-size, a repeatable --brand ID and --no-progress."""
    parser.add_argument("--batch-size", type=int, default=batch_size, help=batch_help)
    parser.add_argument("--brand", type=int, action="append", dest="brands", metavar="ID",
                        help="only this brand's conversations (repeatable)")
    parser.add_argument("--no-progress", action="store_true")


def checked_brand_ids(opts) -> list[int] | None:
    """The --brand ids (None: every brand), after checking --batch-size and that each brand exists."""
    from .models import Brand

    if opts["batch_size"] < 1:
        raise CommandError("--batch-size must be at least 1")
    if not opts["brands"]:
        return None
    missing = sorted(set(opts["brands"]) - set(Brand.objects.filter(pk__in=opts["brands"])
                                             .values_list("pk", flat=True)))
    if missing:
        raise CommandError(f"no brand with id {', '.join(map(str, missing))}")
    return opts["brands"]
