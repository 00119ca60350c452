"""Background task: recompute a brand's stored SLA due times after its rules changed (django-tasks)."""

from __future__ import annotations

from django_tasks import task


@task()
def recompute_brand(brand_id: int) -> dict:
    """parley.sla.stored.rebuild for one brand; returns the rows read and written."""
    from .stored import rebuild

    read, written = rebuild([brand_id])
    return {"read": read, "written": written}
