"""The audit-log browser for admins: filters, keyset pages, links to the objects, CSV of the filtered view."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse

from parley.inbox.access import access_brand
from parley.inbox.views import _chrome

from . import auditlog
from .views import require_admin

FILTER_KEYS = ("actor", "verb", "object_type", "since", "until", "conversation", "customer")


def _link(brand, event) -> str:
    """Where the event's object can be looked at, when Parley has a page for it."""
    if event.object_type == "customer" and event.object_id.isdigit():
        return reverse("customers:profile", kwargs={"brand": brand.slug, "customer_id": int(event.object_id)})
    if event.conversation_id:
        return reverse("inbox:conversation", kwargs={"brand": brand.slug, "conversation_id": event.conversation_id})
    return ""


def _filtered(request, brand):
    f = auditlog.AuditFilter.from_params(request.GET)
    return f, f.apply(auditlog.events(brand))


@login_required
def audit_log(request, brand):
    brand, role = access_brand(request.user, brand)
    require_admin(request.user, brand)
    f, qs = _filtered(request, brand)
    before = request.GET.get("before", "")
    before = int(before) if before.isdigit() and len(before) <= 18 else None
    rows, next_before = auditlog.page(qs, before, settings.PARLEY_AUDIT_PAGE_SIZE)
    for event in rows:
        # Worded here once: a template filter per cell costs more than the query at 100 rows.
        event.link = _link(brand, event)
        event.when = event.created_at.strftime("%Y-%m-%d %H:%M:%S")
        event.details = "; ".join(f"{k}={v}" for k, v in event.data.items()) if isinstance(event.data, dict) else ""
        event.in_conversation = (
            f"C-{event.conversation_id:06d}" if event.conversation_id and event.object_type != "conversation" else ""
        )
    kept = {k: request.GET[k] for k in FILTER_KEYS if request.GET.get(k)}
    base = reverse("customers:audit", kwargs={"brand": brand.slug})
    return render(request, "customers/audit.html", {
        **_chrome(request, brand, role), "filter": f, "params": kept, "rows": rows,
        "next_url": f"{base}?{urlencode({**kept, 'before': next_before})}" if next_before else "",
        "first_url": f"{base}?{urlencode(kept)}" if before else "",
        "csv_url": reverse("customers:audit_csv", kwargs={"brand": brand.slug}) + "?" + urlencode(kept),
        "verbs": auditlog.recent_verbs(brand),
    })


@login_required
def audit_csv(request, brand):
    brand, _ = access_brand(request.user, brand)
    require_admin(request.user, brand)
    _, qs = _filtered(request, brand)
    response = StreamingHttpResponse(auditlog.csv_lines(qs), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="audit-{brand.slug}.csv"'
    return response
