"""Who may see and change what. Every lookup of an object by id goes through here.

Rules:
- A user acts within a brand only through a Membership; superusers act as admins everywhere.
- Admins and supervisors see and act on every conversation of the brand.
- Viewers see every conversation of the brand and change nothing.
- Agents see and act on the conversations of their teams, and on conversations
  no team owns yet (the brand's unrouted queue). Another team's conversation
  does not exist for them: lookups answer 404, never 403, so ids cannot be probed.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from parley.accounts.models import Brand, Membership, Role

from .models import Conversation, Customer, Post

READ = "read"
WRITE = "write"


def brands_for(user) -> QuerySet[Brand]:
    if not user.is_authenticated:
        return Brand.objects.none()
    if user.is_superuser:
        return Brand.objects.all()
    return Brand.objects.filter(memberships__user=user)


def role_in(user, brand: Brand) -> str | None:
    if not user.is_authenticated:
        return None
    if user.is_superuser:
        return Role.ADMIN
    cache = getattr(user, "_parley_roles", None)
    if cache is None:
        cache = user._parley_roles = {}
    if brand.pk not in cache:
        cache[brand.pk] = (
            Membership.objects.filter(user=user, brand=brand).values_list("role", flat=True).first()
        )
    return cache[brand.pk]


def access_brand(user, slug: str) -> tuple[Brand, str]:
    """The brand by slug and the user's role in it; 404 when not a member."""
    brand = Brand.objects.filter(slug=slug).first()
    role = role_in(user, brand) if brand else None
    if brand is None or role is None:
        raise Http404("No such brand")
    return brand, role


def team_ids(user, brand: Brand) -> list[int]:
    return list(user.agent_profile.teams.filter(brand=brand).values_list("id", flat=True)) if hasattr(
        user, "agent_profile"
    ) else []


def visible_conversations(user, brand: Brand) -> QuerySet[Conversation]:
    role = role_in(user, brand)
    qs = Conversation.objects.filter(brand=brand)
    if role in (Role.ADMIN, Role.SUPERVISOR, Role.VIEWER):
        return qs
    if role == Role.AGENT:
        return qs.filter(Q(team__isnull=True) | Q(team_id__in=team_ids(user, brand)))
    return qs.none()


def can_write(user, brand: Brand) -> bool:
    return role_in(user, brand) in (Role.ADMIN, Role.SUPERVISOR, Role.AGENT)


def can_manage(user, brand: Brand) -> bool:
    """Brand-wide actions: merging customers, overrides, settings."""
    return role_in(user, brand) in (Role.ADMIN, Role.SUPERVISOR)


def _check_write(user, brand: Brand, mode: str) -> None:
    if mode == WRITE and not can_write(user, brand):
        raise PermissionDenied("Your role in this brand is read-only")


def access_conversation(user, brand: Brand, conversation_id, mode: str = READ) -> Conversation:
    try:
        conversation_id = int(conversation_id)
    except (TypeError, ValueError):
        raise Http404("No such conversation") from None
    conversation = visible_conversations(user, brand).filter(pk=conversation_id).first()
    if conversation is None:
        raise Http404("No such conversation")
    _check_write(user, brand, mode)
    return conversation


def access_customer(user, brand: Brand, customer_id, mode: str = READ) -> Customer:
    """A customer is visible when the user sees at least one of their conversations
    (or manages the brand)."""
    try:
        customer_id = int(customer_id)
    except (TypeError, ValueError):
        raise Http404("No such customer") from None
    qs = Customer.objects.filter(brand=brand, pk=customer_id)
    if not can_manage(user, brand) and role_in(user, brand) != Role.VIEWER:
        qs = qs.filter(conversations__in=visible_conversations(user, brand)).distinct()
    customer = qs.first()
    if customer is None:
        raise Http404("No such customer")
    _check_write(user, brand, mode)
    return customer


def access_post(user, brand: Brand, post_id, mode: str = READ) -> Post:
    try:
        post_id = int(post_id)
    except (TypeError, ValueError):
        raise Http404("No such post") from None
    post = Post.objects.filter(
        brand=brand, pk=post_id, conversation__in=visible_conversations(user, brand)
    ).first()
    if post is None:
        raise Http404("No such post")
    _check_write(user, brand, mode)
    return post
