"""When routing runs: once per inbound post, after triage has had its say.

- Triage on (PARLEY_TRIAGE_ENABLED): a post is routed when its PostTriage is saved with a
  final status (triaged, not triaged, or failed with no retry left), so rules can use the
  triage fields. The hook is Django's post_save signal on PostTriage, run on commit.
- Triage off: a post is routed as soon as it is ingested (the inbox's post-ingested listener).
Routing a post twice is impossible (RoutingResult is keyed by post).
"""

from __future__ import annotations

import logging
from functools import partial

from django.conf import settings
from django.db import transaction

log = logging.getLogger(__name__)


def _route(post_id: int) -> None:
    from .actions import route_post_id

    try:
        route_post_id(post_id)
    except Exception:  # routing must never lose a post or block ingestion
        log.exception("routing of post %s failed", post_id)


def route_many(post_ids: list[int]) -> None:
    """`_route` of each post, in order, for triage stored in bulk (no post_save per row: the triage
    batch calls this once its rows are committed, with the posts whose triage is final)."""
    if not settings.PARLEY_ROUTING_ENABLED:
        return
    from .actions import route_posts

    try:
        route_posts(post_ids)
    except Exception:  # routing must never lose a post or block triage
        log.exception("routing of %s posts failed", len(post_ids))


def post_ingested(post_id: int) -> None:
    if not settings.PARLEY_ROUTING_ENABLED or settings.PARLEY_TRIAGE_ENABLED:
        return
    _route(post_id)


def triage_saved(sender, instance, created=False, **kwargs) -> None:
    if not settings.PARLEY_ROUTING_ENABLED:
        return
    final = instance.status in ("triaged", "not_triaged") or (
        instance.status == "failed" and instance.next_attempt_at is None
    )
    if final:
        transaction.on_commit(partial(_route, instance.post_id))
