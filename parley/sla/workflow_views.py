"""In-app SLA alerts (a list and the header's count) and the coverage page for admins.

Views validate, call an action, render; which alerts a user sees is alerts.py, the gaps are
coverage.py (pure) over routing.facts.coverage_for.
"""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from parley.inbox.access import access_brand, can_manage, can_write
from parley.inbox.views import _chrome
from parley.routing.facts import coverage_for

from . import actions, coverage
from .alerts import LIST_LIMIT, unseen_count, visible_alerts
from .status import span


@login_required
def alerts(request, brand):
    brand, role = access_brand(request.user, brand)
    everyone = request.GET.get("all") == "1"
    now = timezone.now()
    items = list(
        visible_alerts(request.user, brand, everyone)
        .select_related("conversation", "conversation__assignee", "policy")
        .order_by("seen", "-created_at", "-id")[:LIST_LIMIT]
    )
    for alert in items:
        alert.age = span(now - alert.created_at)
    return render(request, "sla/alerts.html", {**_chrome(request, brand, role), "alerts": items, "everyone": everyone})


@login_required
def alert_count(request, brand):
    """The header badge alone (htmx polls it)."""
    brand, _ = access_brand(request.user, brand)
    return render(request, "sla/_alert_badge.html", {"brand": brand, "alert_count": unseen_count(request.user, brand)})


@login_required
@require_POST
def alerts_seen(request, brand):
    brand, _ = access_brand(request.user, brand)
    if not can_write(request.user, brand):
        raise Http404("No such page")
    qs = visible_alerts(request.user, brand, request.POST.get("all") == "1")
    ids = [int(i) for i in request.POST.getlist("alert") if i.isdigit()][:1000]
    if ids and not request.POST.get("every"):
        qs = qs.filter(pk__in=ids)
    n = actions.mark_alerts_seen(qs, request.user, brand)
    messages.success(request, f"{n} alert{'s' if n != 1 else ''} marked seen.")
    return redirect(f"/b/{brand.slug}/alerts/" + ("?all=1" if request.POST.get("all") == "1" else ""))


@login_required
def coverage_page(request, brand):
    """Admins and supervisors: the week's hours nobody covers, per channel, with a warning."""
    brand, role = access_brand(request.user, brand)
    if not can_manage(request.user, brand):
        raise Http404("No such page")
    try:
        week_of = date.fromisoformat(request.GET.get("week_of", "")[:10])
    except ValueError:
        week_of = timezone.localdate()
    tz, platforms, gaps = coverage_for(brand, week_of)
    channels = [
        {"platform": p, "uncovered": len(gaps[p]), "covered": 168 - len(gaps[p]), "grid": coverage.week_grid(gaps[p]),
         "ranges": coverage.describe(gaps[p])}
        for p in platforms
    ]
    return render(request, "sla/coverage.html", {
        **_chrome(request, brand, role), "channels": channels, "warning": coverage.warning(gaps) if gaps else None,
        "tz": tz.key, "week_of": week_of, "hours": range(24),
    })
