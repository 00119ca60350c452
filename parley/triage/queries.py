"""Read-only access to triage for other apps (inbox badges, filters, API)."""

from __future__ import annotations

from .models import PostTriage
from .pipeline import FIELDS

PUBLIC_FIELDS = FIELDS + ("status", "reason", "model_version", "profile", "priority", "priority_breakdown",
                          "triaged_at")


def as_dict(triage: PostTriage) -> dict:
    out = {name: getattr(triage, name) for name in PUBLIC_FIELDS}
    out["triaged_at"] = triage.triaged_at.isoformat() if triage.triaged_at else None
    return out


def triage_for_posts(post_ids) -> dict[int, dict]:
    """{post id: triage dict} for the posts that have a stored triage."""
    rows = PostTriage.objects.filter(post_id__in=list(post_ids))
    return {t.post_id: as_dict(t) for t in rows}


def pending_post_ids(limit: int | None = None, include_failed: bool = True, now=None, brand=None):
    """Inbound posts that have no triage yet, are pending, or failed and are due for a retry."""
    from django.db.models import Q
    from django.utils import timezone

    from parley.inbox.models import Post

    now = now or timezone.now()
    due = Q(triage__isnull=True) | Q(triage__status=PostTriage.Status.PENDING)
    if include_failed:
        due |= Q(triage__status=PostTriage.Status.FAILED) & (
            Q(triage__next_attempt_at__isnull=True) | Q(triage__next_attempt_at__lte=now)
        )
    posts = Post.objects.filter(direction=Post.Direction.INBOUND).filter(due)
    if brand is not None:
        posts = posts.filter(brand=brand)
    ids = posts.order_by("id").values_list("id", flat=True)
    return ids[:limit] if limit else ids
