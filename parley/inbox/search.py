"""Full-text search over posts.

Placeholder implementation (substring match); replaced by SQLite FTS5 and
PostgreSQL full-text search. The interface stays: `conversation_ids_matching`.
"""

from __future__ import annotations

from django.db.models import QuerySet

from .models import Post


def conversation_ids_matching(brand, query: str) -> QuerySet:
    """A queryset of conversation ids whose posts match `query` (for `pk__in`)."""
    return Post.objects.filter(brand=brand, is_deleted=False, text__icontains=query).values("conversation_id")
