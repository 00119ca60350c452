"""Reacts to newly ingested posts: queue their triage (registered in TriageConfig.ready)."""

from __future__ import annotations

from django.conf import settings


def post_ingested(post_id: int) -> None:
    if not settings.PARLEY_TRIAGE_ENABLED:
        return
    from parley.inbox.models import Post

    from . import service
    from .tasks import enqueue

    if not Post.objects.filter(pk=post_id, direction=Post.Direction.INBOUND).exists():
        return
    service.mark_pending([post_id])
    enqueue(post_id)
