"""A customer's data as one JSON document, produced in pieces so any size streams in bounded memory.

Shape (format "parley.customer-export", version 1): profile, identities,
conversations (with status and the latest triage labels), posts, notes
(on the customer and on their conversations), callbacks (the number in
clear: it is the customer's own), CSAT answers. Posts stream in batches.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from django.utils import timezone

from parley.inbox.models import Conversation, Identity, Note, Post
from parley.sla.callbacks import phone_of
from parley.sla.models import Callback, Survey
from parley.triage.models import PostTriage

from .erasure import related_customers
from .models import CustomerNote

FORMAT = "parley.customer-export"
VERSION = 1
BATCH = 500


def _iso(value):
    return value.isoformat() if value else None


def _identity(i: Identity) -> dict:
    return {"id": i.pk, "platform": i.platform, "platform_user_id": i.platform_user_id, "handle": i.handle,
            "display_name": i.display_name, "first_name": i.first_name, "followers": i.followers,
            "verified": i.verified, "created_at": _iso(i.created_at)}


def _conversation(c: Conversation, triage: dict) -> dict:
    return {"id": c.pk, "ref": c.ref, "platform": c.platform, "status": c.status, "subject": c.subject,
            "started_public": c.started_public, "created_at": _iso(c.created_at),
            "last_post_at": _iso(c.last_post_at), "first_response_at": _iso(c.first_response_at),
            "resolved_at": _iso(c.resolved_at), "priority": c.priority, "triage": triage.get(c.pk)}


def _post(p: Post) -> dict:
    return {"id": p.pk, "conversation": p.conversation_id, "platform": p.platform, "platform_id": p.platform_id,
            "kind": p.kind, "direction": p.direction, "visibility": p.visibility, "text": p.text,
            "author": p.author_id, "url": p.url, "created_at": _iso(p.created_at), "is_edited": p.is_edited,
            "is_deleted": p.is_deleted}


def _latest_triage(conversation_ids: list[int]) -> dict[int, dict]:
    found: dict[int, dict] = {}
    rows = (
        PostTriage.objects.filter(post__conversation_id__in=conversation_ids, status="triaged")
        .order_by("post__created_at")
        .values_list("post__conversation_id", "intent", "sentiment", "emotion", "severity", "desired_outcome")
    )
    for conv, intent, sentiment, emotion, severity, outcome in rows.iterator(chunk_size=BATCH):
        found[conv] = {"intent": intent, "sentiment": sentiment, "emotion": emotion, "severity": severity,
                       "desired_outcome": outcome}
    return found


def _array(items) -> Iterator[str]:
    yield "["
    first = True
    for item in items:
        yield ("" if first else ",") + "\n  " + json.dumps(item, ensure_ascii=False)
        first = False
    yield "\n]"


def chunks(customer, *, now=None) -> Iterator[str]:
    """The export, piece by piece; joined, it is one JSON object."""
    customer_ids = related_customers(customer)
    conversation_ids = list(
        Conversation.objects.filter(customer_id__in=customer_ids).order_by("-last_post_at", "-id").values_list("pk", flat=True)
    )
    identities = Identity.objects.filter(customer_id__in=customer_ids).order_by("platform", "pk")
    head = {
        "format": FORMAT, "version": VERSION, "exported_at": _iso(now or timezone.now()),
        "profile": {"id": customer.pk, "display_name": customer.display_name, "is_vip": customer.is_vip,
                    "notes": customer.notes, "created_at": _iso(customer.created_at),
                    "merged_customers": [i for i in customer_ids if i != customer.pk]},
    }
    yield json.dumps(head, ensure_ascii=False)[:-1]
    yield ',\n"identities": '
    yield from _array(_identity(i) for i in identities)
    triage = _latest_triage(conversation_ids)
    yield ',\n"conversations": '
    conversations = Conversation.objects.filter(pk__in=conversation_ids).order_by("-last_post_at", "-id")
    yield from _array(_conversation(c, triage) for c in conversations.iterator(chunk_size=BATCH))
    yield ',\n"posts": '
    posts = Post.objects.filter(conversation_id__in=conversation_ids).order_by("created_at", "id")
    yield from _array(_post(p) for p in posts.iterator(chunk_size=BATCH))
    yield ',\n"notes": '
    notes = [
        *({"about": "customer", "text": n.text, "created_at": _iso(n.created_at)}
          for n in CustomerNote.objects.filter(customer_id__in=customer_ids).order_by("created_at", "id")),
        *({"about": "conversation", "conversation": n.conversation_id, "text": n.text, "created_at": _iso(n.created_at)}
          for n in Note.objects.filter(conversation_id__in=conversation_ids).order_by("created_at", "id")),
    ]
    yield from _array(notes)
    yield ',\n"callbacks": '
    callbacks = Callback.objects.filter(conversation_id__in=conversation_ids).order_by("created_at", "id")
    yield from _array(
        {"conversation": c.conversation_id, "phone": phone_of(c) if c.phone_encrypted else "",
         "preferred_at": _iso(c.preferred_at), "state": c.state, "outcome": c.outcome,
         "created_at": _iso(c.created_at)} for c in callbacks
    )
    yield ',\n"csat": '
    surveys = Survey.objects.filter(conversation_id__in=conversation_ids, answered_at__isnull=False).order_by("answered_at")
    yield from _array(
        {"conversation": s.conversation_id, "score": s.score, "comment": s.comment, "answered_at": _iso(s.answered_at)}
        for s in surveys
    )
    yield "\n}\n"
