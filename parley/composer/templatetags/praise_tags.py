"""`{{ p|is_praise }}`: a customer's post the thread offers Like, Repost and Thank on (no queries:
the thread loads each post's triage with it)."""

from django import template
from django.core.exceptions import ObjectDoesNotExist

from parley.composer import praise

register = template.Library()


@register.filter
def is_praise(post) -> bool:
    try:
        triage = post.triage
    except (ObjectDoesNotExist, AttributeError):
        return False
    if triage is None or triage.status != "triaged":
        return False
    return praise.is_praise(praise.PraiseFacts(
        direction=post.direction, visibility=post.visibility, is_deleted=post.is_deleted,
        intent=triage.intent or "", sentiment=triage.sentiment or "", emotion=triage.emotion or "",
    ))
