"""`parley reindex_search`: rebuild the full-text search index from the posts."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand
from django.db import DEFAULT_DB_ALIAS, connections, transaction

from parley.inbox import search


class Command(BaseCommand):
    help = "Rebuild the full-text search index over post text (SQLite FTS5 or PostgreSQL GIN)."

    def add_arguments(self, parser):
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="Database alias (default: %(default)s).")

    def handle(self, *args, database, **options):
        connection = connections[database]
        started = time.monotonic()
        with transaction.atomic(using=database):
            indexed = search.rebuild(connection)
        self.stdout.write(
            f"Search index rebuilt on {connection.vendor}: {indexed} posts indexed"
            f" in {time.monotonic() - started:.1f}s."
        )
