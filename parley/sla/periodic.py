"""The SLA area's periodic job: sweep timers and remind overdue follow-ups (parley.server.periodic)."""

from __future__ import annotations

from django.conf import settings

from parley.server.periodic import register


def sla_sweep(now):
    from .jobs import run

    return run(now)


register("sla.sweep", settings.PARLEY_SLA_SWEEP_SECONDS, sla_sweep)
