"""The guardrails' context for a draft in a conversation: what Parley knows, read from the database.

Known private data is what the customer has written to the brand (in this conversation and
their others, newest first, public and private) and what agents noted on the customer's profile,
as found by triage's private-data patterns.
Brand settings (docs/configuration.md, "Brand settings") give the apology policy, signature rule,
published contacts and private patterns.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings

from parley.accounts.models import Brand
from parley.inbox.models import Conversation, Customer, Identity, Post
from parley.triage import private_data

from .guardrails import Context
from .guardrails.base import RecentReply, compile_brand_pattern, ContextError

KNOWN_POSTS = 200
KNOWN_CONVERSATIONS = 50
RECENT_REPLIES = 300


def brand_settings(brand: Brand) -> dict:
    """The guardrail settings in force for `brand`, in the `brand` shape of `parley check`."""
    out = {
        "apology_policy": brand.setting("apology_policy", settings.PARLEY_COMPOSER_APOLOGY_POLICY),
        "signature_required": bool(brand.setting("signature_required", False)),
        "public_contacts": brand.setting("public_contacts", []) or [],
        "private_patterns": brand.setting("private_patterns", []) or [],
        "blanket_min_repeats": brand.setting("blanket_min_repeats", settings.PARLEY_COMPOSER_BLANKET_MIN_REPEATS),
        "region": brand.setting("phone_region", settings.PARLEY_TRIAGE_PHONE_REGION),
    }
    return out


def first_name(conversation: Conversation) -> str:
    if not conversation.customer_id:
        return ""
    names = (
        Identity.objects.filter(customer_id=conversation.customer_id)
        .exclude(first_name="")
        .order_by("-platform", "-updated_at")
        .values_list("platform", "first_name")
    )
    for platform, name in names:
        if platform == conversation.platform:
            return name
    return names[0][1] if names else ""


def known_private(conversation: Conversation, region: str) -> list[tuple[str, str]]:
    """(kind, value) of private data the customer has sent the brand."""
    conversation_ids = [conversation.pk]
    if conversation.customer_id:
        # The customer's conversations first (index on customer), then their posts (index on
        # conversation, created_at): no scan of the brand's posts.
        conversation_ids = list(
            Conversation.objects.filter(customer_id=conversation.customer_id)
            .order_by("-last_post_at").values_list("pk", flat=True)[:KNOWN_CONVERSATIONS]
        ) or [conversation.pk]
    posts = Post.objects.filter(conversation_id__in=conversation_ids)
    texts = list(posts.filter(direction=Post.Direction.INBOUND).order_by("-created_at")
                 .values_list("text", flat=True)[:KNOWN_POSTS])
    if conversation.customer_id:  # the profile: what agents noted about the customer
        texts += [n for n in Customer.objects.filter(pk=conversation.customer_id).values_list("notes", flat=True) if n]
    found: dict[str, str] = {}
    for text in texts:
        for item in private_data.find(text or "", region):
            value = text[item.start:item.end]
            found.setdefault(value, item.kind)
    return [(kind, value) for value, kind in found.items()]


def recent_replies(brand: Brand, now: datetime, exclude_conversation: int | None = None) -> list[RecentReply]:
    since = now - timedelta(hours=settings.PARLEY_COMPOSER_BLANKET_WINDOW_HOURS)
    # By received_at, which the (brand, received_at) index serves; for our own replies it is
    # the time they were written.
    rows = (
        Post.objects.filter(brand=brand, received_at__gte=since, direction=Post.Direction.OUTBOUND,
                            visibility=Post.Visibility.PUBLIC)
        .exclude(conversation_id=exclude_conversation)
        .order_by("-received_at")
        .values_list("text", "conversation__customer_id")[:RECENT_REPLIES]
    )
    return [RecentReply(text[:2000], str(customer or "")) for text, customer in rows]


def latest_triage(conversation: Conversation):
    post = (
        Post.objects.filter(conversation=conversation, direction=Post.Direction.INBOUND)
        .select_related("triage")
        .order_by("-created_at")
        .first()
    )
    return getattr(post, "triage", None) if post is not None else None


_UNSET = object()


def context_for(conversation: Conversation, agent, visibility: str, now: datetime, triage=_UNSET) -> Context:
    """The guardrail Context for a reply by `agent` in `conversation` (`triage`: the latest
    inbound post's, when the caller has it already)."""
    brand = conversation.brand
    record = {"channel": conversation.platform if conversation.platform in ("x", "facebook", "instagram", "youtube",
                                                                            "email") else "x",
              "visibility": visibility or "public"}
    base = Context.from_dict({**record, "brand": brand_settings(brand)})
    if triage is _UNSET:
        triage = latest_triage(conversation)
    tags = set(conversation.tags.values_list("name", flat=True))
    known_tags = set(brand.setting("known_issue_tags", ["known-issue", "incident"]))
    pile_tags = set(brand.setting("pile_on_tags", ["pile-on"]))
    profile = getattr(agent, "agent_profile", None)
    intent = getattr(triage, "intent", "") or ""
    troll = getattr(triage, "troll", None)
    return Context(
        channel=base.channel,
        visibility=base.visibility,
        customer_first_name=first_name(conversation),
        customer_private=tuple(known_private(conversation, base.region)),
        agent_first_name=profile.shown_name if profile else "",
        agent_signature=profile.signature if profile else "",
        intent=intent,
        troll=bool(troll is not None and troll >= 0.5) or intent == "abuse",
        spam=intent == "spam",
        pile_on=bool(tags & pile_tags),
        known_issue=bool(tags & known_tags),
        recent_replies=tuple(recent_replies(brand, now, conversation.pk)),
        apology_policy=base.apology_policy,
        signature_required=base.signature_required,
        public_contacts=base.public_contacts,
        private_patterns=base.private_patterns,
        blanket_min_repeats=base.blanket_min_repeats,
        region=base.region,
    )


__all__ = ["ContextError", "brand_settings", "compile_brand_pattern", "context_for"]
