"""What the periodic-job registry runs for this area: `run(now)` (or sweep alone)."""

from __future__ import annotations

from datetime import datetime

from parley.accounts.models import Brand

from .actions import remind_overdue
from .sweep import SweepResult, sweep


def run(now: datetime) -> SweepResult:
    """SLA sweep for every brand, then one reminder per overdue follow-up."""
    result = sweep(now)
    for brand in Brand.objects.all():
        remind_overdue(brand, now)
    return result
