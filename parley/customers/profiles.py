"""Reading customers: profiles for the merge suggestions, the history, the searchable list.

Bounded everywhere: a suggestion looks at most MAX_CANDIDATES customers and
reads at most MAX_PRIVATE_POSTS private posts per lookup.
"""

from __future__ import annotations

import phonenumbers
from django.conf import settings
from django.db.models import Count, Q, QuerySet

from parley.inbox.models import Customer, Identity, Post
from parley.triage import private_data

from .suggestions import Match, Profile, handle_core, normalise_email, normalise_handle, normalise_name, rank

MAX_CANDIDATES = 200
MAX_PRIVATE_POSTS = 2000
PRIVATE_KINDS = (Post.Kind.DM, Post.Kind.EMAIL)


def live_customers(brand) -> QuerySet[Customer]:
    """The brand's customers that still stand on their own (not merged away, not erased)."""
    return Customer.objects.filter(brand=brand, merged_into__isnull=True, erasure__isnull=True)


def search_customers(brand, query: str) -> QuerySet[Customer]:
    """Customers whose name, handle or email contains `query` (case-insensitive), newest first."""
    qs = live_customers(brand)
    query = " ".join(str(query or "").split())[:100]
    if query:
        bare = query.lstrip("@")
        qs = qs.filter(
            Q(display_name__icontains=query) | Q(identities__handle__icontains=bare)
            | Q(identities__display_name__icontains=query) | Q(identities__platform_user_id__iexact=bare)
        ).distinct()
    return qs.annotate(conversation_count=Count("conversations", distinct=True)).order_by("-id")


def _phone(raw: str) -> str | None:
    try:
        number = phonenumbers.parse(raw, settings.PARLEY_TRIAGE_PHONE_REGION)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def contacts_in(text: str) -> tuple[set[str], set[str]]:
    """(emails, phones in E.164) written in `text`."""
    emails, phones = set(), set()
    for found in private_data.find(text, settings.PARLEY_TRIAGE_PHONE_REGION):
        value = text[found.start:found.end]
        if found.kind == "email":
            emails.add(normalise_email(value))
        elif found.kind == "phone" and (number := _phone(value)):
            phones.add(number)
    return emails, phones


def profiles(customer_ids) -> dict[int, Profile]:
    """Profiles of the given customers: identities, names, and contacts from their private posts."""
    ids = list(customer_ids)
    parts: dict[int, dict[str, set]] = {
        i: {"names": set(), "handles": set(), "emails": set(), "phones": set(), "platforms": set()} for i in ids
    }
    for pk, name in Customer.objects.filter(pk__in=ids).values_list("pk", "display_name"):
        parts[pk]["names"].add(normalise_name(name))
    rows = Identity.objects.filter(customer_id__in=ids).values_list(
        "customer_id", "platform", "platform_user_id", "handle", "display_name"
    )
    for customer_id, platform, user_id, handle, display_name in rows:
        p = parts[customer_id]
        p["platforms"].add(platform)
        p["names"].add(normalise_name(display_name))
        if platform == "email":
            p["emails"].add(normalise_email(user_id))
        elif handle:
            p["handles"].add(normalise_handle(handle))
    posts = (
        Post.objects.filter(author__customer_id__in=ids, direction=Post.Direction.INBOUND)
        .filter(Q(visibility=Post.Visibility.PRIVATE) | Q(kind__in=PRIVATE_KINDS))
        .order_by("-id")
        .values_list("author__customer_id", "text")[:MAX_PRIVATE_POSTS]
    )
    for customer_id, text in posts:
        emails, phones = contacts_in(text)
        parts[customer_id]["emails"] |= emails
        parts[customer_id]["phones"] |= phones
    return {
        pk: Profile(pk, **{k: frozenset(v - {""}) for k, v in p.items()}) for pk, p in parts.items()
    }


def _candidate_ids(brand, target: Profile) -> list[int]:
    """Customers that share something searchable with `target` (the score decides)."""
    found = Q()
    for handle in target.handles:
        core = handle_core(handle)
        found |= Q(identities__handle__iexact=handle)
        if len(core) >= 4:
            found |= Q(identities__handle__icontains=core[:5])
    for name in target.names:
        words = sorted(name.split(), key=len, reverse=True)
        if len(name.split()) >= 2 and len(words[0]) >= 3:
            found |= Q(display_name__icontains=words[0]) | Q(identities__display_name__icontains=words[0])
    for email in target.emails:
        found |= Q(identities__platform_user_id__iexact=email)
    ids = set()
    if found:
        ids |= set(
            live_customers(brand).filter(found).exclude(pk=target.customer_id)
            .values_list("pk", flat=True).distinct()[:MAX_CANDIDATES]
        )
    contact = Q()
    for email in target.emails:
        contact |= Q(text__icontains=email)
    for phone in target.phones:
        contact |= Q(text__contains=phone[-4:])
    if contact:
        ids |= set(
            Post.objects.filter(brand=brand, direction=Post.Direction.INBOUND, author__isnull=False)
            .filter(Q(visibility=Post.Visibility.PRIVATE) | Q(kind__in=PRIVATE_KINDS))
            .filter(contact)
            .exclude(author__customer_id=target.customer_id)
            .filter(author__customer__merged_into__isnull=True, author__customer__erasure__isnull=True)
            .values_list("author__customer_id", flat=True)
            .distinct()[:MAX_CANDIDATES]
        )
    return sorted(ids)[:MAX_CANDIDATES]


def suggestions_for(customer: Customer, limit: int = 10) -> list[Match]:
    """Customers of the same brand that are probably the same person, best first."""
    target = profiles([customer.pk])[customer.pk]
    candidates = _candidate_ids(customer.brand, target)
    return rank(target, profiles(candidates).values(), limit) if candidates else []
