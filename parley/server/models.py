"""When each periodic job last ran and when it is next due (one row per job name)."""

from __future__ import annotations

from django.db import models


class PeriodicRun(models.Model):
    """Claimed with a conditional update, so two processes never run the same job at once."""

    name = models.CharField(max_length=100, primary_key=True)
    next_due_at = models.DateTimeField()
    last_started_at = models.DateTimeField(null=True, blank=True)
    last_finished_at = models.DateTimeField(null=True, blank=True)
    last_ok = models.BooleanField(null=True, blank=True)
    last_result = models.TextField(blank=True)
    runs = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.name} (next {self.next_due_at:%Y-%m-%d %H:%M:%S})"
