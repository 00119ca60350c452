"""Triage's periodic job: priorities follow the clock (registered with parley.server.periodic)."""

from __future__ import annotations

from django.conf import settings

from parley.server.periodic import register


def refresh_priorities(now):
    """Recompute the priority of conversations whose customer waits (actions.refresh_priorities)."""
    if not settings.PARLEY_TRIAGE_ENABLED:
        return "triage is off"
    from .actions import refresh_priorities as refresh

    s = refresh(now)
    return (f"{s.conversations} waiting, {s.raised} raised, {s.audited} changed band, "
            f"{s.triage_updated} scores updated")


register("triage.priority", settings.PARLEY_PRIORITY_REFRESH_SECONDS, refresh_priorities)
