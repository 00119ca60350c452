"""The inbox's periodic job: words of posts deleted on the platform leave SQLite's search index pages
(registered with parley.server.periodic)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings

from parley.server.periodic import register

JOB = "inbox.search_purge"


def purge_search_index(now):
    """Merge SQLite's full-text index when posts were deleted since the last run (search.optimise).

    A deleted post stops matching at once (its text is erased, the trigger drops it from the index);
    its terms stay in the index's pages until segments merge, which is what this forces. Merging
    rewrites the whole index, so it runs at most once a period and only after deletions."""
    from django.db import connection

    from parley.server.models import PeriodicRun

    from . import search
    from .models import AuditEvent

    if connection.vendor != "sqlite":
        return "not needed (PostgreSQL: autovacuum reclaims old row versions)"
    since = PeriodicRun.objects.filter(name=JOB).values_list("last_finished_at", flat=True).first()
    deleted = AuditEvent.objects.filter(verb="post.deleted")
    if since is not None:
        # The margin covers deletions recorded while the last run was merging.
        deleted = deleted.filter(created_at__gte=since - timedelta(minutes=10))
    if not deleted.exists():
        return "no post deleted since the last run"
    return "search index merged" if search.optimise(connection) else "no search index"


register(JOB, settings.PARLEY_SEARCH_PURGE_SECONDS, purge_search_index)
