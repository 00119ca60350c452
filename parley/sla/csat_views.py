"""The public survey page (no login: the token in the link is the key). Shows no personal data."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from parley.inbox.actions import ActionError

from . import csat
from .models import Survey


@require_http_methods(["GET", "POST"])
def survey(request, token):
    found = Survey.objects.select_related("brand").filter(token=token).first() if len(token) <= 64 else None
    if found is None:
        raise Http404("No such survey")
    now = timezone.now()
    context = {"survey": found, "brand_name": found.brand.name, "scores": range(1, 6), "error": None}
    if found.answered_at is not None:
        return render(request, "sla/csat.html", {**context, "done": True})
    if now >= found.expires_at:
        return render(request, "sla/csat.html", {**context, "expired": True}, status=410)
    if request.method == "POST":
        try:
            csat.answer(found, request.POST.get("score"), request.POST.get("comment", ""), now)
        except ActionError as exc:
            context.update(error=str(exc), comment=request.POST.get("comment", "")[:csat.MAX_COMMENT])
            return render(request, "sla/csat.html", context, status=422)
        return render(request, "sla/csat.html", {**context, "done": True, "thanks": True})
    return render(request, "sla/csat.html", context)
