"""Writing the append-only audit log."""

from __future__ import annotations

from .models import AuditEvent


def record(brand, actor, verb: str, obj, conversation=None, **data) -> AuditEvent:
    """Append one event. `actor` is a user, or a label such as "system" or "import"."""
    user = actor if getattr(actor, "is_authenticated", False) else None
    label = actor.get_username() if user is not None else str(actor or "system")
    return AuditEvent.objects.create(
        brand=brand,
        actor=user,
        actor_label=label,
        verb=verb,
        object_type=type(obj).__name__.lower(),
        object_id=str(getattr(obj, "pk", "") or ""),
        conversation=conversation,
        data=data,
    )
