"""Who may use the API's brand-wide endpoints.

Conversation and customer lookups go through parley.inbox.access; this module
only adds the rule for the ingestion endpoint.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from parley.accounts.models import Role

# Roles that may push posts into a brand through the ingestion endpoint.
INGEST_ROLES = frozenset({Role.ADMIN, Role.SUPERVISOR, Role.AGENT})


def require_ingest(role: str | None) -> None:
    if role not in INGEST_ROLES:
        raise PermissionDenied("Your role in this brand cannot add posts")
