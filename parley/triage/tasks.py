"""Background task: triage one stored post (django-tasks)."""

from __future__ import annotations

import logging

from django.utils import timezone
from django_tasks import task

log = logging.getLogger(__name__)


@task()
def triage_post(post_id: int) -> str:
    """Triage a stored post; on failure mark it failed and schedule a retry with backoff."""
    from parley.inbox.models import Post

    from . import service

    now = timezone.now()
    post = Post.objects.select_related("conversation", "author__customer", "brand").filter(pk=post_id).first()
    if post is None:
        return "missing"
    try:
        triage = service.triage_post_now(post, now)
    except Exception as exc:  # noqa: BLE001 - any failure is recorded and retried, never raised into the worker
        log.exception("triage of post %s failed", post_id)
        triage = service.mark_failed(post_id, f"{type(exc).__name__}: {exc}", now)
        if triage is not None and triage.next_attempt_at is not None:
            enqueue(post_id, run_after=triage.next_attempt_at)
        return "failed"
    return triage.status


@task()
def triage_batch(post_ids: list[int]) -> dict:
    """Triage stored posts together (one model call per brand, results written in bulk: see
    service.triage_posts); a post that fails is retried alone."""
    from parley.inbox.models import Post

    from . import service
    from .models import PostTriage

    now = timezone.now()
    posts = list(Post.objects.select_related("conversation", "author__customer", "brand", "triage", "channel")
                 .filter(pk__in=post_ids).order_by("pk"))
    from parley.server.jobmemo import job

    try:
        with job():  # the routing each triage triggers reads the brand's rules and calendar once
            triages = service.triage_posts(posts, now, with_rows=True)
    except Exception:  # noqa: BLE001 - e.g. the models failed on the batch: each post is tried alone
        log.exception("batched triage of %s posts failed; queued one by one", len(posts))
        for post in posts:
            enqueue(post.pk)
        return {"requeued": len(posts)}
    counts: dict[str, int] = {"missing": len(set(post_ids)) - len(posts)}
    for post, triage in zip(posts, triages):
        counts[triage.status] = counts.get(triage.status, 0) + 1
        if triage.status == PostTriage.Status.FAILED and triage.next_attempt_at is not None:
            enqueue(post.pk, run_after=triage.next_attempt_at)
    return counts


def enqueue_batch(post_ids: list[int]) -> None:
    """Queue triage of these posts as one job (raises when the backend refuses it)."""
    triage_batch.enqueue(list(post_ids))


def enqueue(post_id: int, run_after=None) -> bool:
    """Queue triage of a post; False (logged) when the task backend refuses it."""
    try:
        job = triage_post.using(run_after=run_after) if run_after is not None else triage_post
        job.enqueue(post_id)
        return True
    except Exception:  # noqa: BLE001 - e.g. a backend without deferred runs; triage_pending catches up
        log.exception("could not queue triage of post %s", post_id)
        return False
