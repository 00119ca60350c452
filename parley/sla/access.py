"""Who may see and change follow-ups: those who see their conversation. Lookups by id go through here."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from parley.inbox.access import WRITE, can_write, visible_conversations

from .models import FollowUp


def visible_follow_ups(user, brand):
    return FollowUp.objects.filter(brand=brand, conversation__in=visible_conversations(user, brand))


def access_follow_up(user, brand, follow_up_id, mode: str = WRITE) -> FollowUp:
    try:
        follow_up_id = int(follow_up_id)
    except (TypeError, ValueError):
        raise Http404("No such follow-up") from None
    follow_up = visible_follow_ups(user, brand).filter(pk=follow_up_id).select_related("conversation").first()
    if follow_up is None:
        raise Http404("No such follow-up")
    if mode == WRITE and not can_write(user, brand):
        raise PermissionDenied("Your role in this brand is read-only")
    return follow_up


def access_resolution(user, brand, resolution_id, mode: str = WRITE):
    """A resolution (closing proposal) of a conversation the user sees; others are a 404."""
    from .models import Resolution

    try:
        resolution_id = int(resolution_id)
    except (TypeError, ValueError):
        raise Http404("No such closing proposal") from None
    item = (Resolution.objects.filter(brand=brand, pk=resolution_id,
                                      conversation__in=visible_conversations(user, brand))
            .select_related("conversation", "survey", "brand").first())
    if item is None:
        raise Http404("No such closing proposal")
    if mode == WRITE and not can_write(user, brand):
        raise PermissionDenied("Your role in this brand is read-only")
    return item
