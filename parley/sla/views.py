"""Follow-ups page: what was promised, overdue first; done and snooze. Views validate, call an action, render."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from parley.inbox.access import access_brand
from parley.inbox.actions import ActionError
from parley.inbox.views import _chrome

from . import actions
from .access import access_follow_up, visible_follow_ups
from .models import FollowUp

SNOOZES = {"1h": timedelta(hours=1), "4h": timedelta(hours=4), "1d": timedelta(days=1), "3d": timedelta(days=3)}


@login_required
def follow_ups(request, brand):
    brand, role = access_brand(request.user, brand)
    now = timezone.now()
    qs = visible_follow_ups(request.user, brand).select_related("conversation", "assignee")
    mine = request.GET.get("mine") == "1"
    if mine:
        qs = qs.filter(assignee=request.user)
    pending = qs.filter(state__in=[FollowUp.State.OPEN, FollowUp.State.SNOOZED])
    overdue_q = Q(state=FollowUp.State.OPEN, due_at__lte=now) | Q(
        state=FollowUp.State.SNOOZED, due_at__lte=now, snoozed_until__lte=now)
    return render(request, "sla/follow_ups.html", {
        **_chrome(request, brand, role), "mine": mine, "snoozes": list(SNOOZES),
        "overdue": list(pending.filter(overdue_q).order_by("due_at", "id")[:200]),
        "upcoming": list(pending.exclude(overdue_q).order_by("due_at", "id")[:200]),
    })


def _back(request, brand):
    return redirect(f"/b/{brand.slug}/follow-ups/" + ("?mine=1" if request.POST.get("mine") == "1" else ""))


@login_required
@require_POST
def done(request, brand, follow_up_id):
    brand, _ = access_brand(request.user, brand)
    follow_up = access_follow_up(request.user, brand, follow_up_id)
    actions.complete(follow_up, request.user)
    messages.success(request, "Follow-up done.")
    return _back(request, brand)


@login_required
@require_POST
def snooze(request, brand, follow_up_id):
    brand, _ = access_brand(request.user, brand)
    follow_up = access_follow_up(request.user, brand, follow_up_id)
    delay = SNOOZES.get(request.POST.get("for", ""))
    if delay is None:
        messages.error(request, "Choose how long to snooze.")
        return _back(request, brand)
    now = timezone.now()
    try:
        actions.snooze(follow_up, now + delay, request.user, now=now)
    except ActionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Follow-up snoozed.")
    return _back(request, brand)
