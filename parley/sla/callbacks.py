"""Phone callbacks: the customer asks to be called; the number stays private (encrypted at rest,
masked everywhere but the call itself, never in the audit log)."""

from __future__ import annotations

import base64
import hashlib
from datetime import datetime

import phonenumbers
from cryptography.fernet import Fernet
from django.conf import settings
from django.db import transaction

from parley.inbox.actions import ActionError
from parley.inbox.audit import record
from parley.inbox.models import Conversation

from .models import Callback, FollowUp

MAX_OUTCOME = 2000


def _fernet() -> Fernet:
    derived = hashlib.sha256(b"parley-callbacks:" + settings.SECRET_KEY.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(derived))


def normalise_phone(raw: str, region: str | None = None) -> str:
    """The number in E.164 ("+442079460958"), or ActionError when it is not a possible number."""
    raw = str(raw or "").strip()
    if not raw or len(raw) > 40:
        raise ActionError("Enter the phone number to call")
    try:
        number = phonenumbers.parse(raw, region or settings.PARLEY_TRIAGE_PHONE_REGION)
    except phonenumbers.NumberParseException:
        raise ActionError(f"{raw!r} is not a phone number") from None
    if not phonenumbers.is_possible_number(number):
        raise ActionError(f"{raw!r} is not a possible phone number")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def phone_of(callback: Callback) -> str:
    """The number in clear, for the agent making the call."""
    return _fernet().decrypt(callback.phone_encrypted.encode()).decode()


def request_callback(conversation: Conversation, phone: str, preferred_at: datetime, actor, now: datetime,
                     region: str | None = None) -> Callback:
    if preferred_at.tzinfo is None:
        raise ActionError("The preferred time needs a time zone")
    number = normalise_phone(phone, region)
    with transaction.atomic():
        follow_up = FollowUp.objects.create(
            brand=conversation.brand, conversation=conversation, kind=FollowUp.Kind.MANUAL,
            text="Call the customer back (number in the callback)", due_at=preferred_at, due_stated=True,
            assignee_id=conversation.assignee_id, created_at=now,
        )
        callback = Callback.objects.create(
            brand=conversation.brand, conversation=conversation, phone_encrypted=_fernet().encrypt(number.encode()).decode(),
            phone_last_digits=number[-3:], preferred_at=preferred_at, follow_up=follow_up, created_at=now,
        )
        record(conversation.brand, actor, "callback.requested", callback, conversation,
               preferred_at=preferred_at.isoformat())
    return callback


def close_callback(callback: Callback, state: str, outcome: str, actor, now: datetime) -> Callback:
    """Record how the callback went: done, no answer or cancelled, with a note."""
    if state not in (Callback.State.DONE, Callback.State.NO_ANSWER, Callback.State.CANCELLED):
        raise ActionError("The outcome is done, no_answer or cancelled")
    if callback.state != Callback.State.REQUESTED:
        raise ActionError("This callback is already closed")
    outcome = (outcome or "").replace("\x00", "").strip()
    if len(outcome) > MAX_OUTCOME:
        raise ActionError(f"An outcome note is at most {MAX_OUTCOME:,} characters")
    with transaction.atomic():
        callback.state, callback.outcome, callback.closed_at = state, outcome, now
        callback.save(update_fields=["state", "outcome", "closed_at"])
        if callback.follow_up_id and state != Callback.State.NO_ANSWER:
            FollowUp.objects.filter(pk=callback.follow_up_id).update(state=FollowUp.State.DONE, done_at=now)
        record(callback.brand, actor, "callback.closed", callback, callback.conversation, state=state)
    return callback
