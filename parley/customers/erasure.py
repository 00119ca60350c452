"""What erasing a customer rewrites. Called only by actions.erase_customer, inside its transaction.

Personal data goes: the text of the posts they wrote and of the replies in
their conversations, mentions of their handles and names in other posts, the
profile and identities (handles and names become a stable pseudonym), notes,
callback numbers, CSAT comments, drafts, raw payloads (the post's and the
stored webhook bodies), triage explanations (they quote words), and audit
details that quoted any of it. Statistics stay: rows, counts, timestamps,
statuses, triage labels, priorities, CSAT scores, platform ids (so that a
redelivered webhook is recognised and not stored again).

The search index follows the post text by itself (SQLite triggers,
PostgreSQL's generated column); on SQLite the FTS index is optimised
afterwards so the old terms leave its pages too (PARLEY_ERASURE_OPTIMIZE_SEARCH).
"""

from __future__ import annotations

import hashlib
import hmac
import html
import json
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection, models
from django.db.models import Q

from parley.composer.models import Approval, OutcomeShare, ReplyCheck
from parley.inbox import search
from parley.inbox.models import AuditEvent, Conversation, Customer, Identity, Note, Post
from parley.platforms.models import WebhookDelivery
from parley.sla.models import Callback, FollowUp, Survey
from parley.triage.models import PostTriage

from .models import CustomerNote

ERASED = "[erased]"
# Names shorter than this are too common to replace in other people's posts.
MIN_TERM = 4
# Audit details under these keys quote a person's or an agent's words.
QUOTING_KEYS = ("promise", "comment", "message", "text", "subject")


def pseudonym(customer: Customer) -> str:
    """Stable for one customer, meaningless to anyone without the server's secret."""
    digest = hmac.new(settings.SECRET_KEY.encode(), f"erase:{customer.brand_id}:{customer.pk}".encode(), hashlib.sha256)
    return "erased-" + digest.hexdigest()[:10]


@dataclass
class Scope:
    """Everything that belongs to (or quotes) the customer being erased."""

    customer: Customer
    alias: str
    customer_ids: list[int]
    identity_ids: list[int]
    conversation_ids: list[int]
    user_ids: set[str] = field(default_factory=set)
    terms: list[str] = field(default_factory=list)  # handles, names, emails: replaced by the pseudonym
    texts: list[str] = field(default_factory=list)  # the erased posts' texts
    platform_post_ids: set[str] = field(default_factory=set)


def related_customers(customer: Customer) -> list[int]:
    """The customer, those merged into it (at any depth) and the customers its identities began with."""
    ids = {customer.pk}
    frontier = [customer.pk]
    while frontier:
        frontier = [pk for pk in Customer.objects.filter(merged_into_id__in=frontier).values_list("pk", flat=True)
                    if pk not in ids]
        ids.update(frontier)
    ids |= set(
        Identity.objects.filter(customer_id__in=ids, original_customer__isnull=False)
        .values_list("original_customer_id", flat=True)
    )
    return sorted(ids)


def scope_of(customer: Customer) -> Scope:
    customer_ids = related_customers(customer)
    identities = list(Identity.objects.filter(customer_id__in=customer_ids))
    conversations = set(Conversation.objects.filter(customer_id__in=customer_ids).values_list("pk", flat=True))
    conversations |= set(Conversation.objects.filter(merged_into_id__in=conversations).values_list("pk", flat=True))
    scope = Scope(customer, pseudonym(customer), customer_ids, [i.pk for i in identities], sorted(conversations))
    names = set(Customer.objects.filter(pk__in=customer_ids).values_list("display_name", flat=True))
    for identity in identities:
        scope.user_ids.add(identity.platform_user_id)
        names |= {identity.display_name, identity.handle, identity.handle.lstrip("@")}
    scope.terms = sorted({n.strip() for n in names if len(n.strip()) >= MIN_TERM and not n.startswith("erased-")},
                         key=len, reverse=True)
    erased = _erased_posts(scope)
    scope.texts = [t for t in erased.values_list("text", flat=True) if t and t != ERASED]
    scope.platform_post_ids = {p for p in erased.values_list("platform_id", flat=True) if p}
    return scope


def _erased_posts(scope: Scope):
    """Posts whose whole text goes: what they wrote, and the replies in their conversations."""
    return Post.objects.filter(
        Q(author_id__in=scope.identity_ids)
        | Q(conversation_id__in=scope.conversation_ids, direction=Post.Direction.OUTBOUND)
    )


def _mention_pattern(terms: list[str]) -> re.Pattern | None:
    if not terms:
        return None
    return re.compile("|".join(r"@?" + re.escape(t) for t in terms), re.IGNORECASE)


def replace_mentions(text: str, scope: Scope) -> str:
    pattern = _mention_pattern(scope.terms)
    return pattern.sub(scope.alias, text) if pattern else text


def erase(scope: Scope) -> dict[str, int]:
    """Rewrite everything in `scope`; returns how many rows of each kind changed (no personal data)."""
    counts: dict[str, int] = {}
    erased_posts = _erased_posts(scope)
    post_ids = list(erased_posts.values_list("pk", flat=True))
    counts["posts"] = erased_posts.exclude(text=ERASED, raw__isnull=True, url="").update(
        text=ERASED, raw=None, url=""
    )
    counts["mentions"] = _erase_mentions(scope, post_ids)
    PostTriage.objects.filter(post_id__in=post_ids).update(explanation={}, private_data_spans=[])
    ReplyCheck.objects.filter(post_id__in=post_ids).update(findings=[])
    conversations = Conversation.objects.filter(pk__in=scope.conversation_ids)
    counts["conversations"] = conversations.update(subject=ERASED)
    counts["notes"] = Note.objects.filter(conversation_id__in=scope.conversation_ids).update(text=ERASED)
    counts["notes"] += CustomerNote.objects.filter(customer_id__in=scope.customer_ids).update(text=ERASED)
    FollowUp.objects.filter(conversation_id__in=scope.conversation_ids).update(text=ERASED)
    Approval.objects.filter(conversation_id__in=scope.conversation_ids).update(text=ERASED, comment="")
    Survey.objects.filter(conversation_id__in=scope.conversation_ids).update(comment="")
    OutcomeShare.objects.filter(conversation_id__in=scope.conversation_ids).update(
        quote="", quote_post=None, shown_handle=scope.alias, outcome=ERASED, text=ERASED
    )
    counts["callbacks"] = Callback.objects.filter(conversation_id__in=scope.conversation_ids).update(
        phone_encrypted="", phone_last_digits="", outcome=""
    )
    for identity in Identity.objects.filter(pk__in=scope.identity_ids):
        identity.handle = identity.display_name = scope.alias
        identity.first_name = ""
        identity.platform_user_id = f"{scope.alias}-{identity.pk}"
        identity.save(update_fields=["handle", "display_name", "first_name", "platform_user_id", "updated_at"])
    counts["identities"] = len(scope.identity_ids)
    counts["customers"] = Customer.objects.filter(pk__in=scope.customer_ids).update(display_name=scope.alias, notes="")
    counts["webhook_payloads"] = _redact_webhooks(scope)
    counts["audit_events"] = _redact_audit(scope)
    return counts


def _erase_mentions(scope: Scope, erased_ids: list[int]) -> int:
    """Other people's words that name the customer (their posts, other conversations' subjects,
    notes, follow-ups) stay, with the names replaced by the pseudonym."""
    pattern = _mention_pattern(scope.terms)
    if pattern is None:
        return 0
    brand_id = scope.customer.brand_id
    places = [
        (Post.objects.filter(brand_id=brand_id).exclude(pk__in=erased_ids), "text"),
        (Conversation.objects.filter(brand_id=brand_id), "subject"),
        (Note.objects.filter(conversation__brand_id=brand_id), "text"),
        (FollowUp.objects.filter(brand_id=brand_id), "text"),
    ]
    changed = 0
    for qs, column in places:
        named = Q()
        for term in scope.terms:
            named |= Q(**{f"{column}__icontains": term})
        for pk, text in qs.filter(named).values_list("pk", column).iterator(chunk_size=500):
            new = pattern.sub(scope.alias, text)
            if new != text:
                qs.model.objects.filter(pk=pk).update(**{column: new})
                changed += 1
    return changed


# --- raw payloads -----------------------------------------------------------------------------


def _quotes(value: str, scope: Scope) -> bool:
    """True when a payload string is (part of) an erased post's text."""
    plain = " ".join(html.unescape(value).split())
    if not plain:
        return False
    for text in scope.texts:
        other = " ".join(text.split())
        if plain == other or (len(other) >= 12 and other in plain) or (len(plain) >= 12 and plain in other):
            return True
    return False


def redact_value(value, scope: Scope):
    """A JSON value with the customer's ids, names and words replaced."""
    if isinstance(value, dict):
        return {k: redact_value(v, scope) for k, v in value.items()}
    if isinstance(value, list):
        return [redact_value(v, scope) for v in value]
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return scope.alias if str(value) in scope.user_ids else value
    if isinstance(value, str):
        if value in scope.user_ids:
            return scope.alias
        if _quotes(value, scope):
            return ERASED
        return replace_mentions(value, scope)
    return value


def redact_body(body: bytes, scope: Scope) -> bytes:
    text = body.decode("utf-8", errors="replace")
    try:
        parsed = json.loads(text)
    except ValueError:
        for old in sorted(scope.texts, key=len, reverse=True):
            text = text.replace(old, ERASED)
        for user_id in scope.user_ids:
            text = text.replace(user_id, scope.alias)
        return replace_mentions(text, scope).encode()
    return json.dumps(redact_value(parsed, scope), ensure_ascii=False).encode()


def _mentions_scope(body: bytes, needles: list[bytes]) -> bool:
    lowered = body.lower()
    return any(n in lowered for n in needles)


def _redact_webhooks(scope: Scope) -> int:
    """Stored webhook bodies that hold the customer's ids, names or posts are rewritten."""
    needles = [s.lower().encode() for s in (*scope.user_ids, *scope.terms, *scope.platform_post_ids) if len(s) >= 3]
    if not needles:
        return 0
    changed = 0
    for delivery in WebhookDelivery.objects.only("pk", "body").iterator(chunk_size=200):
        body = bytes(delivery.body)
        if not _mentions_scope(body, needles):
            continue
        redacted = redact_body(body, scope)
        if redacted != body:
            WebhookDelivery.objects.filter(pk=delivery.pk).update(body=redacted)
            changed += 1
    return changed


def _redact_audit(scope: Scope) -> int:
    """Audit details that quote the customer's words or names. The events themselves (who, what,
    when, on which object) are kept: this is the one writer allowed to touch the append-only log."""
    events = AuditEvent.objects.filter(
        Q(conversation_id__in=scope.conversation_ids)
        | Q(object_type="customer", object_id__in=[str(i) for i in scope.customer_ids])
        | Q(object_type="identity", object_id__in=[str(i) for i in scope.identity_ids])
    )
    changed = 0
    plain = models.QuerySet(model=AuditEvent)  # bypasses AppendOnlyQuerySet on purpose
    for pk, data in events.values_list("pk", "data").iterator(chunk_size=500):
        if not isinstance(data, dict) or not data:
            continue
        redacted = {k: ERASED if k in QUOTING_KEYS and isinstance(v, str) else redact_value(v, scope)
                    for k, v in data.items()}
        if redacted != data:
            plain.filter(pk=pk).update(data=redacted)
            changed += 1
    return changed


def optimise_search_index() -> None:
    """SQLite keeps deleted FTS terms in its pages until segments merge: merge them all now."""
    if settings.PARLEY_ERASURE_OPTIMIZE_SEARCH:
        search.optimise(connection)
