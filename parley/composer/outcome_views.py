"""Outcome drafts for comms/PR under /b/<brand>/outcomes/: the summaries made with "share this outcome"
(queued as a public post draft, or made to copy), to read, copy, mark used or discard (audited).
Parley never publishes them. Every member sees the ones of conversations they see; writers decide."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from parley.inbox.access import access_brand
from parley.inbox.actions import ActionError
from parley.inbox.views import _chrome

from . import praise_actions
from .access import access_outcome_share, visible_outcome_shares
from .models import OutcomeShare

TABS = (("queued", "Queued"), ("draft", "Copied drafts"), ("used", "Used"), ("discarded", "Discarded"))


@login_required
def outcome_list(request, brand):
    brand, role = access_brand(request.user, brand)
    status = request.GET.get("status", "queued")
    if status not in dict(TABS):
        status = "queued"
    shares = visible_outcome_shares(request.user, brand)
    counts = dict(shares.values_list("status").annotate(n=Count("id")).values_list("status", "n"))
    items = shares.filter(status=status).select_related("conversation", "created_by", "decided_by")
    return render(request, "composer/outcomes.html", {
        **_chrome(request, brand, role), "items": items[:200], "status": status,
        "tabs": [(value, label, counts.get(value, 0)) for value, label in TABS],
    })


@login_required
def outcome_detail(request, brand, share_id):
    brand, role = access_brand(request.user, brand)
    share = access_outcome_share(request.user, brand, share_id)
    return render(request, "composer/outcome_detail.html", {
        **_chrome(request, brand, role), "share": share,
        "open": share.status in (OutcomeShare.Status.QUEUED, OutcomeShare.Status.DRAFT),
    })


@login_required
@require_POST
def outcome_decide(request, brand, share_id, decision):
    brand, _ = access_brand(request.user, brand)
    share = access_outcome_share(request.user, brand, share_id)
    previous = share.status
    try:
        praise_actions.decide_outcome_share(share, request.user, decision)
    except ActionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Marked as used." if decision == "used" else "Outcome summary discarded.")
    response = redirect(reverse("composer:outcomes", kwargs={"brand": brand.slug}) + f"?status={previous}")
    response.status_code = 303
    return response
