"""Background tasks (django-tasks): process a webhook delivery, run an outbox item."""

from __future__ import annotations

import logging

from django_tasks import task

log = logging.getLogger(__name__)

# Customers' posts and agents' replies go before bulk work (triaging a freshly loaded demo, say):
# the worker claims higher priorities first.
PRIORITY = 10


@task(priority=PRIORITY)
def process_delivery(delivery_id: int) -> str:
    """One delivery (jobs queued before deliveries were processed in batches)."""
    from . import processing
    from .models import WebhookDelivery

    delivery = WebhookDelivery.objects.filter(pk=delivery_id).first()
    if delivery is None:
        return "missing"
    return processing.process(delivery).state


@task(priority=PRIORITY)
def process_deliveries(delivery_ids: list[int]) -> dict:
    """The deliveries one intake batch stored, processed in order; one that fails never stops the others."""
    from . import processing

    return processing.process_many(delivery_ids)


@task(priority=PRIORITY)
def run_outbox_item(item_id: int) -> str:
    from . import outbox
    from .models import OutboxItem

    result = outbox.run(item_id)
    if result in ("retry", "waiting"):
        item = OutboxItem.objects.get(pk=item_id)
        enqueue_outbox(item_id, run_after=item.next_attempt_at)
    return result


def enqueue_outbox(item_id: int, run_after=None) -> bool:
    """Queue an outbox run; False (logged) when the backend refuses. `parley outbox run` catches up."""
    try:
        job = run_outbox_item.using(run_after=run_after) if run_after is not None else run_outbox_item
        job.enqueue(item_id)
        return True
    except Exception:  # noqa: BLE001
        log.exception("could not queue outbox item %s", item_id)
        return False
