"""Reacts to newly ingested posts: queue their triage (registered in TriageConfig.ready).

One post at a time, each inbound post gets its own `triage_post` job. Inside `batched()` (the
webhook processing of a batch of deliveries) the posts are collected instead and, when the block
ends, marked pending and queued as one `triage_batch` job: the models score them in one call and
the worker claims one job instead of one per post.
"""

from __future__ import annotations

import logging
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings

log = logging.getLogger(__name__)

_collecting: ContextVar[list[int] | None] = ContextVar("triage_collecting", default=None)


def post_ingested(post_id: int) -> None:
    if not settings.PARLEY_TRIAGE_ENABLED:
        return
    collected = _collecting.get()
    if collected is not None:
        collected.append(post_id)
        return
    from parley.inbox.models import Post

    from . import service
    from .tasks import enqueue

    if not Post.objects.filter(pk=post_id, direction=Post.Direction.INBOUND).exists():
        return
    service.mark_pending([post_id])
    enqueue(post_id)


@contextmanager
def batched():
    """Collect the posts ingested inside the block; queue their triage as one job when it ends.

    The posts are already committed when they are collected, so the job is queued even when the
    block ends with an error; a job that cannot be queued leaves them pending for
    `parley triage_pending` (as a refused single job always did).
    """
    collected: list[int] = []
    token = _collecting.set(collected)
    try:
        yield collected
    finally:
        _collecting.reset(token)
        if collected:
            queue_batch(collected)


def queue_batch(post_ids: list[int]) -> None:
    from parley.inbox.models import Post

    from . import service
    from .tasks import enqueue_batch

    try:
        inbound = list(Post.objects.filter(pk__in=post_ids, direction=Post.Direction.INBOUND)
                       .order_by("pk").values_list("pk", flat=True))
        if inbound:
            service.mark_pending(inbound)
            enqueue_batch(inbound)
    except Exception:  # noqa: BLE001 - never fail the deliveries whose posts are stored
        log.exception("could not queue triage of %s posts", len(post_ids))


def post_deleted(post, words: list[str]) -> None:
    """A post deleted on the platform: its triage keeps the labels, not the phrases it quoted."""
    from .models import PostTriage

    PostTriage.objects.filter(post_id=post.pk).update(explanation={}, private_data_spans=[])
