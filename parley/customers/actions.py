"""Every write about customers goes through a named action here; each records its audit event.

Merging and unmerging identities are parley.inbox.actions' (re-exported with the
checks this app adds: an erased customer takes part in neither).
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from parley.accounts.models import Role
from parley.inbox import actions as inbox_actions
from parley.inbox.access import role_in
from parley.inbox.actions import ActionError
from parley.inbox.audit import record
from parley.inbox.models import Customer, Identity

from . import erasure
from .models import CustomerNote, Erasure

MAX_NOTE_CHARS = 10_000
# What an admin types to confirm an erasure (with the customer's id): "erase 42".
CONFIRM_WORD = "erase"


def _refuse_erased(*customers: Customer) -> None:
    if Erasure.objects.filter(customer__in=[c.pk for c in customers]).exists():
        raise ActionError("This customer's data was erased; nothing can be changed on it")


def add_customer_note(customer: Customer, text: str, actor) -> CustomerNote:
    text = (text or "").replace("\x00", "").strip()
    if not text:
        raise ActionError("A note cannot be empty")
    if len(text) > MAX_NOTE_CHARS:
        raise ActionError(f"A note is at most {MAX_NOTE_CHARS:,} characters")
    _refuse_erased(customer)
    with transaction.atomic():
        note = CustomerNote.objects.create(
            brand=customer.brand, customer=customer, author=actor if getattr(actor, "pk", None) else None,
            text=text, created_at=timezone.now(),
        )
        record(customer.brand, actor, "customer.note_added", customer)
    return note


def set_vip(customer: Customer, is_vip: bool, actor) -> Customer:
    _refuse_erased(customer)
    return inbox_actions.set_customer_vip(customer, is_vip, actor)


def merge(source: Customer, target: Customer, actor) -> Customer:
    _refuse_erased(source, target)
    return inbox_actions.merge_customers(source, target, actor)


def unmerge(identity: Identity, actor) -> Customer:
    _refuse_erased(identity.customer)
    return inbox_actions.unmerge_identity(identity, actor)


def may_erase(actor, brand) -> bool:
    """Admins of the brand; a label such as "cli" stands for an operator at the server's console."""
    if getattr(actor, "is_authenticated", False):
        return role_in(actor, brand) == Role.ADMIN
    return isinstance(actor, str) and actor == "cli"


def record_export(customer: Customer, actor) -> None:
    """Exports are audited: who took a copy of which customer's data (and nothing of the data)."""
    record(customer.brand, actor, "customer.exported", customer)


def confirmation_phrase(customer: Customer) -> str:
    return f"{CONFIRM_WORD} {customer.pk}"


def erase_customer(customer: Customer, actor, *, confirm: str) -> Erasure:
    """Erase the customer's personal data for good (see erasure.py). Admins only.

    One transaction; a second call finds the Erasure and changes nothing. The
    audit event says who erased which customer id and how many rows changed,
    never what they held.
    """
    if not may_erase(actor, customer.brand):
        raise ActionError("Only an admin of the brand can erase a customer's data")
    if " ".join(str(confirm or "").split()).casefold() != confirmation_phrase(customer):
        raise ActionError(f'Type "{confirmation_phrase(customer)}" to confirm; erasure cannot be undone')
    if customer.merged_into_id:
        raise ActionError("This customer was merged into another; erase that customer instead")
    with transaction.atomic():
        customer = Customer.objects.select_for_update().get(pk=customer.pk)
        done = Erasure.objects.filter(customer=customer).first()
        if done is not None:
            return done
        scope = erasure.scope_of(customer)
        counts = erasure.erase(scope)
        done = Erasure.objects.create(
            brand=customer.brand, customer=customer, pseudonym=scope.alias,
            erased_by=actor if getattr(actor, "pk", None) else None, erased_at=timezone.now(), counts=counts,
        )
        record(customer.brand, actor, "customer.erased", customer, None, counts=counts)
    erasure.optimise_search_index()
    return done
