"""Customer pages: the searchable list, the profile, notes, VIP, merge and unmerge, export, erase.

Thin: look up through access_*, call one action, render. Merging, unmerging and
erasing ask for confirmation on a page of their own first.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from parley.accounts.models import Role
from parley.inbox.access import READ, WRITE, access_brand, access_customer, can_manage, role_in, visible_conversations
from parley.inbox.actions import ActionError
from parley.inbox.models import Identity, Status
from parley.inbox.views import _SeeOther, _chrome
from parley.sla.models import Callback
from parley.triage import display as triage_display
from parley.triage.queries import latest_inbound_triage

from . import actions, export
from .models import CustomerNote, Erasure
from .profiles import search_customers, suggestions_for

LIST_PAGE = 50
HISTORY_LIMIT = 200


def _profile_url(brand, customer_id) -> str:
    return reverse("customers:profile", kwargs={"brand": brand.slug, "customer_id": customer_id})


def require_admin(user, brand) -> None:
    if role_in(user, brand) != Role.ADMIN:
        raise PermissionDenied("Only the brand's admins can do this")


def require_manager(user, brand) -> None:
    if not can_manage(user, brand):
        raise PermissionDenied("Only admins and supervisors can merge customers")


@login_required
def customer_list(request, brand):
    brand, role = access_brand(request.user, brand)
    query = request.GET.get("q", "")
    qs = search_customers(brand, query).prefetch_related("identities")
    if not can_manage(request.user, brand) and role != Role.VIEWER:
        qs = qs.filter(conversations__in=visible_conversations(request.user, brand)).distinct()
    raw_offset = request.GET.get("offset", "")
    offset = min(int(raw_offset), 10**6) if raw_offset.isdigit() and len(raw_offset) < 8 else 0
    rows = list(qs[offset:offset + LIST_PAGE + 1])
    base = reverse("customers:list", kwargs={"brand": brand.slug})
    q = urlencode({"q": query}) + "&" if query else ""
    return render(request, "customers/list.html", {
        **_chrome(request, brand, role), "query": query, "rows": rows[:LIST_PAGE],
        "next_url": f"{base}?{q}offset={offset + LIST_PAGE}" if len(rows) > LIST_PAGE else "",
        "prev_url": f"{base}?{q}offset={max(0, offset - LIST_PAGE)}" if offset else "",
    })


def _history(user, brand, customer) -> list:
    conversations = list(
        visible_conversations(user, brand).filter(customer=customer).exclude(status=Status.MERGED)
        .select_related("channel", "team", "assignee").order_by("-last_post_at", "-id")[:HISTORY_LIMIT]
    )
    triages = latest_inbound_triage(c.pk for c in conversations)
    for c in conversations:
        triage = triages.get(c.pk)
        c.triage_view = triage_display.view(triage, full=False) if triage is not None else None
    return conversations


@login_required
def profile(request, brand, customer_id):
    brand, role = access_brand(request.user, brand)
    customer = access_customer(request.user, brand, customer_id, READ)
    if customer.merged_into_id:
        messages.info(request, "That customer was merged into this one.")
        return redirect(_profile_url(brand, customer.merged_into_id))
    history = _history(request.user, brand, customer)
    erased = Erasure.objects.filter(customer=customer).first()
    manage = can_manage(request.user, brand) and erased is None
    return render(request, "customers/profile.html", {
        **_chrome(request, brand, role),
        "customer": customer,
        "erased": erased,
        "identities": list(customer.identities.order_by("platform", "handle")),
        "history": history,
        "notes": list(CustomerNote.objects.filter(customer=customer).select_related("author__agent_profile")[:100]),
        "callbacks": list(Callback.objects.filter(conversation__in=[c.pk for c in history]).order_by("-preferred_at")[:50]),
        "suggestions": _suggested(brand, customer) if manage else [],
        "can_manage": manage,
        "is_admin": role_in(request.user, brand) == Role.ADMIN,
    })


def _suggested(brand, customer) -> list[dict]:
    matches = suggestions_for(customer)
    found = {c.pk: c for c in type(customer).objects.filter(pk__in=[m.customer_id for m in matches])
             .prefetch_related("identities")}
    return [{"match": m, "customer": found[m.customer_id]} for m in matches if m.customer_id in found]


def _act(request, brand, customer, do, done: str):
    try:
        do()
    except ActionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, done)
    return _SeeOther(_profile_url(brand, customer.pk))


@login_required
@require_POST
def add_note(request, brand, customer_id):
    brand, _ = access_brand(request.user, brand)
    customer = access_customer(request.user, brand, customer_id, WRITE)
    return _act(request, brand, customer, lambda: actions.add_customer_note(customer, request.POST.get("text", ""),
                                                                            request.user), "Note added.")


@login_required
@require_POST
def vip(request, brand, customer_id):
    brand, _ = access_brand(request.user, brand)
    customer = access_customer(request.user, brand, customer_id, WRITE)
    on = request.POST.get("vip") == "1"
    return _act(request, brand, customer, lambda: actions.set_vip(customer, on, request.user),
                "Marked as VIP." if on else "No longer marked as VIP.")


@login_required
def merge(request, brand, customer_id, other_id):
    """Merge customer `other_id` into `customer_id` (confirm on GET, merge on POST)."""
    brand, role = access_brand(request.user, brand)
    require_manager(request.user, brand)
    target = access_customer(request.user, brand, customer_id, WRITE)
    source = access_customer(request.user, brand, other_id, WRITE)
    if request.method == "POST":
        return _act(request, brand, target, lambda: actions.merge(source, target, request.user),
                    f"{source} was merged into this customer.")
    return render(request, "customers/confirm.html", {
        **_chrome(request, brand, role), "customer": target, "kind": "merge", "source": source,
        "source_identities": list(source.identities.all()), "target_identities": list(target.identities.all()),
    })


@login_required
def unmerge(request, brand, customer_id, identity_id):
    brand, role = access_brand(request.user, brand)
    require_manager(request.user, brand)
    customer = access_customer(request.user, brand, customer_id, WRITE)
    identity = Identity.objects.filter(brand=brand, customer=customer, pk=identity_id).first()
    if identity is None:
        raise Http404("No such identity on this customer")
    if request.method == "POST":
        return _act(request, brand, customer, lambda: actions.unmerge(identity, request.user),
                    f"{identity.label} is a customer of its own again.")
    return render(request, "customers/confirm.html", {
        **_chrome(request, brand, role), "customer": customer, "kind": "unmerge", "identity": identity,
    })


@login_required
def export_data(request, brand, customer_id):
    brand, _ = access_brand(request.user, brand)
    require_admin(request.user, brand)
    customer = access_customer(request.user, brand, customer_id, READ)
    actions.record_export(customer, request.user)
    response = StreamingHttpResponse(export.chunks(customer), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="customer-{customer.pk}.json"'
    return response


@login_required
def erase(request, brand, customer_id):
    brand, role = access_brand(request.user, brand)
    require_admin(request.user, brand)
    customer = access_customer(request.user, brand, customer_id, WRITE)
    if request.method == "POST":
        return _act(request, brand, customer,
                    lambda: actions.erase_customer(customer, request.user, confirm=request.POST.get("confirm", "")),
                    "The customer's personal data was erased.")
    return render(request, "customers/confirm.html", {
        **_chrome(request, brand, role), "customer": customer, "kind": "erase",
        "phrase": actions.confirmation_phrase(customer), "erased": Erasure.objects.filter(customer=customer).first(),
        "conversation_count": customer.conversations.count(),
    })
