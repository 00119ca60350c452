"""A customer with data everywhere Parley keeps it: two merged accounts, public and private posts,
replies with a promise, notes, a callback, a CSAT answer, triage, a stored webhook body."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import timedelta

import pytest

from parley.composer.models import OutcomeShare

from parley.customers.models import CustomerNote
from parley.inbox import actions
from parley.inbox.ingest import AuthorData
from parley.platforms.models import ChannelAccount, WebhookDelivery
from parley.sla import callbacks, csat
from parley.sla.actions import follow_ups_from_reply
from parley.triage.models import PostTriage
from tests.conftest import T0, incoming

# Words nobody else writes: after an erasure none of them may be found anywhere.
SECRETS = {
    "name": "Quillon Vexmarrow",
    "handle": "quillonvx",
    "user_id": "7700123456789",
    "email_addr": "quillon.vex@example.org",
    "public_word": "zorblatter",
    "private_word": "frumpelstow",
    "phone": "+14155550199",
    "note_word": "kravenhollow",
    "comment_word": "plumberwick",
    "outcome_word": "snazzleberry",
}


@dataclass
class World:
    brand: object
    customer: object
    email_customer: object
    bystander: object
    conversations: list
    survey: object


def _author(uid, handle, name, **extra):
    return AuthorData(platform_user_id=uid, handle=handle, display_name=name, first_name=name.split()[0], **extra)


@pytest.fixture
def world(brand, users, channel):
    s = SECRETS
    admin = users["admin"]
    public = incoming("p1", f"@AcmeHelp my {s['public_word']} order never came", author=None, at=T0)
    public.author = _author(s["user_id"], s["handle"], s["name"], followers=1234, verified=True)
    first = actions.ingest_post(brand, channel, public).conversation
    dm = incoming("p2", f"{s['private_word']} call me on {s['phone']} or mail {s['email_addr']}", author=None,
                  at=T0 + timedelta(minutes=5), kind="dm", visibility="private", thread="dm-1")
    dm.author = _author(s["user_id"], s["handle"], s["name"])
    actions.ingest_post(brand, channel, dm)
    reply = actions.create_reply(first, f"Hi Quillon, I'll get back to you tomorrow about the {s['public_word']}",
                                 admin, now=T0 + timedelta(minutes=10))
    follow_ups_from_reply(reply)
    actions.add_note(first, f"{s['note_word']} says it is the third time", admin)

    email_channel = ChannelAccount.objects.create(brand=brand, platform="email", external_id="care@acme.example")
    mail = incoming("m1", f"Hello, about my {s['private_word']} refund", author=None, platform="email",
                    kind="email", visibility="private", at=T0 + timedelta(hours=1))
    mail.author = AuthorData(platform_user_id=s["email_addr"], handle=s["email_addr"], display_name=s["name"])
    second = actions.ingest_post(brand, email_channel, mail).conversation
    email_customer = second.customer
    customer = first.customer
    actions.merge_customers(email_customer, customer, admin)

    bystander_post = incoming("p9", f"@{s['handle']} same here, {s['name']} is right", author="b1",
                              at=T0 + timedelta(hours=2))
    bystander = actions.ingest_post(brand, channel, bystander_post).conversation.customer

    CustomerNote.objects.create(brand=brand, customer=customer, author=admin, text=f"Prefers {s['note_word']}",
                                created_at=T0)
    callback = callbacks.request_callback(first, s["phone"], T0 + timedelta(days=1), admin, T0)
    callbacks.close_callback(callback, "done", f"Talked about {s['outcome_word']}", admin, T0 + timedelta(days=1))
    survey = csat.create_survey(first, admin, T0)
    csat.answer(survey, 4, f"{s['comment_word']} was helpful", T0 + timedelta(hours=3))
    OutcomeShare.objects.create(  # a PR quote of the customer's own words, made with their consent
        brand=brand, conversation=first, quote=f"my {s['public_word']} order never came",
        quote_post=first.posts.get(platform_id="p1"), consent=True, shown_handle=f"@{s['handle']}",
        outcome=f"{s['name']} got a new one", text=f"@{s['handle']}: my {s['public_word']} order", created_at=T0,
    )
    PostTriage.objects.create(
        post=first.posts.get(platform_id="p1"), status="triaged", intent="complaint", sentiment="negative",
        explanation={"intent": [s["public_word"], "never came"]}, private_data_spans=[{"kind": "phone", "start": 1, "end": 5}],
    )
    PostTriage.objects.create(post=first.posts.get(platform_id="p2"), status="triaged", intent="complaint",
                              sentiment="negative", severity=2, complaint=0.9)
    body = {"for_user_id": "1001", "tweet_create_events": [{
        "id_str": "p1", "text": f"@AcmeHelp my {s['public_word']} order never came",
        "user": {"id": int(s["user_id"]), "id_str": s["user_id"], "screen_name": s["handle"], "name": s["name"]},
    }]}
    WebhookDelivery.objects.create(platform="x", key="k1", body=json.dumps(body).encode(), received_at=T0, state="done")
    WebhookDelivery.objects.create(platform="x", key="k2", body=b'{"for_user_id": "1001", "other": "untouched"}',
                                   received_at=T0, state="done")
    customer.refresh_from_db()
    return World(brand, customer, email_customer, bystander, [first, second], survey)
