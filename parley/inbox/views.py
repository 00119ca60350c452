"""Inbox pages. Thin: look up through access_*, parse with forms, call actions, render.

Every page works as plain HTML forms and links; htmx requests (the `HX-Request`
header) get fragments of the same templates instead of whole pages.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from parley.accounts.models import Role, Team
from parley.platforms.models import ChannelAccount
from parley.sla import alerts as sla_alerts
from parley.sla import listing as sla_listing
from parley.triage import display as triage_display
from parley.triage.actions import correct_triage
from parley.triage.labels import INTENTS, OUTCOMES, SENTIMENTS
from parley.triage.queries import corrections_for, latest_inbound_triage

from parley.composer import box as composer_box

from . import actions, forms
from .access import (
    READ,
    WRITE,
    access_brand,
    access_conversation,
    access_post,
    brands_for,
    can_write,
    team_ids,
    visible_conversations,
)
from .actions import ActionError
from .models import Status, Tag
from .queries import InboxFilter, assignable_users, brand_agents, conversations, view_counts
from .templatetags.inbox_format import agent_name

VIEW_TABS = [
    ("active", "Active"),
    ("waiting", "Waiting"),
    ("mine", "Mine"),
    ("unassigned", "Unassigned"),
    ("resolved", "Resolved"),
    ("closed", "Closed"),
]
SORT_CHOICES = [("waiting", "Longest waiting"), ("priority", "Highest priority"), ("recent", "Most recent"),
                ("sla", "Least SLA time left")]
SLA_CHOICES = [("", "Any SLA state"), ("breached", "Breached"), ("due_1h", "Due within 1 h")]
PRIORITY_CHOICES = [("", "Any priority"), ("25", "Normal and above"), ("50", "High and above"), ("75", "Urgent")]
STATUS_FILTERS = [s for s in Status.choices if s[0] != Status.MERGED]
SEVERITY_CHOICES = [("", "Any severity"), ("1", "1 and above"), ("2", "2 and above"), ("3", "3 and above"),
                    ("4", "4 only")]
YES_NO_CHOICES = [("", "Either"), ("yes", "Yes"), ("no", "No")]
# Languages offered in the filter; any ISO 639-1 code works in the URL.
LANGUAGE_CHOICES = [("", "Any language"), ("en", "English"), ("es", "Spanish"), ("fr", "French"),
                    ("de", "German"), ("it", "Italian"), ("pt", "Portuguese"), ("nl", "Dutch"), ("ar", "Arabic")]


def _htmx_target(request) -> str | None:
    """The element an htmx request will swap, or None for an ordinary request."""
    if request.headers.get("HX-Request") != "true" or request.headers.get("HX-History-Restore-Request"):
        return None
    return request.headers.get("HX-Target") or ""


def _vary(response: HttpResponse) -> HttpResponse:
    patch_vary_headers(response, ["HX-Request", "HX-Target"])
    return response


def _chrome(request, brand, role) -> dict:
    """What the page layout needs: the brand switcher, the user, the role."""
    return {
        "brand": brand,
        "role": role,
        "role_label": Role(role).label if role in Role.values else role,
        "brands": list(brands_for(request.user)),
        "can_write": can_write(request.user, brand),
        "now": timezone.now(),
        # the header's SLA alert badge; a callable, so pages that do not show it do not query
        "alert_count": lambda: sla_alerts.unseen_count(request.user, brand),
    }


@login_required
def home(request):
    brand = brands_for(request.user).first()
    if brand is None:
        return render(request, "inbox/no_brand.html", status=403)
    return redirect("inbox:list", brand=brand.slug)


# --- the list -------------------------------------------------------------------------


def _primary_identity(conversation):
    """The customer's identity on the conversation's platform (else any)."""
    if conversation.customer is None:
        return None
    identities = list(conversation.customer.identities.all())
    same = [i for i in identities if i.platform == conversation.platform]
    return (same or identities or [None])[0]


def _filter_options(user, brand, role) -> dict:
    teams = Team.objects.filter(brand=brand)
    if role == Role.AGENT:
        teams = teams.filter(pk__in=team_ids(user, brand))
    return {
        "status_choices": STATUS_FILTERS,
        "channels": ChannelAccount.objects.filter(brand=brand),
        "teams": teams,
        "agents": brand_agents(brand).select_related("agent_profile"),
        "tags": Tag.objects.filter(brand=brand)[:300],
        "sort_choices": SORT_CHOICES,
        "priority_choices": PRIORITY_CHOICES,
        "intent_choices": INTENTS,
        "sentiment_choices": SENTIMENTS,
        "outcome_choices": [(o, o.replace("_", " ")) for o in OUTCOMES if o != "none"] + [("unclear", "unclear")],
        "severity_choices": SEVERITY_CHOICES,
        "yes_no_choices": YES_NO_CHOICES,
        "language_choices": LANGUAGE_CHOICES,
        "topic_choices": _topic_names(brand),
    }


def _topic_names(brand) -> list[str]:
    """The brand's triage topics (its setting, else the built-in ones)."""
    from parley.triage.topics import DEFAULT_TOPICS

    config = brand.setting("triage_topics", None)
    names = config if isinstance(config, dict) else DEFAULT_TOPICS
    return sorted(str(name) for name in names)[:100]


def _query(params, **changes) -> str:
    q = params.copy()
    for key, value in changes.items():
        q.pop(key, None)
        if value not in (None, ""):
            q[key] = value
    return "?" + q.urlencode() if q else "?"


def _tabs(request, f: InboxFilter, counts: dict) -> list[dict]:
    tabs = []
    for name, label in VIEW_TABS:
        tabs.append(
            {
                "name": name,
                "label": label,
                "count": counts.get(name, 0),
                "url": request.path + _query(request.GET, view=name, page=None, status=None),
                "current": not f.statuses and f.view == name,
            }
        )
    return tabs


@login_required
def inbox(request, brand):
    brand, role = access_brand(request.user, brand)
    f = InboxFilter.from_params(request.GET)
    now = timezone.now()
    qs = (
        conversations(request.user, brand, f, now)
        .select_related("customer", "channel", "team", "assignee", "assignee__agent_profile")
        .prefetch_related("tags", "customer__identities")
    )
    page = Paginator(qs, settings.PARLEY_INBOX_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    sla_listing.annotate(rows, brand.pk, now)
    triages = latest_inbound_triage(c.pk for c in rows)
    for conversation in rows:
        conversation.identity = _primary_identity(conversation)
        triage = triages.get(conversation.pk)
        conversation.triage_view = triage_display.view(triage, full=False) if triage is not None else None
    context = {
        **_chrome(request, brand, role),
        **_filter_options(request.user, brand, role),
        "filter": f,
        "status_selected": f.statuses[0] if f.statuses else "",
        "sla_choices": SLA_CHOICES,
        "page": page,
        "rows": rows,
        "tabs": _tabs(request, f, view_counts(request.user, brand)),
        "prev_url": request.path + _query(request.GET, page=page.previous_page_number()) if page.has_previous() else "",
        "next_url": request.path + _query(request.GET, page=page.next_page_number()) if page.has_next() else "",
        "clear_url": request.path + "?" + urlencode({"view": f.view}),
        "filtered": bool(
            f.q or f.statuses or f.tag or f.team or f.assignee or f.channel_id or f.platform
            or f.priority_min is not None or f.sort != "waiting" or f.triage_filtered or f.sla
        ),
        "triage_filtered": f.triage_filtered,
    }
    template = "inbox/_results.html" if _htmx_target(request) == "inbox-results" else "inbox/list.html"
    return _vary(render(request, template, context))


# --- one conversation -------------------------------------------------------------------


@dataclass
class TimelineItem:
    kind: str  # "post" or "note"
    obj: object

    @property
    def at(self):
        return self.obj.created_at


def _timeline(conversation) -> list[TimelineItem]:
    posts = list(
        conversation.posts.select_related("author", "author_user__agent_profile", "triage").order_by("created_at", "id")
    )
    corrections = corrections_for(p.pk for p in posts if p.direction == "in")
    for p in posts:
        if p.direction == "in":
            triage = getattr(p, "triage", None) if _has_triage(p) else None
            p.triage_view = triage_display.view(triage, corrections.get(p.pk))
    notes = conversation.notes.select_related("author__agent_profile")
    items = [TimelineItem("post", p) for p in posts] + [TimelineItem("note", n) for n in notes]
    # Stable: a note written at the same instant as a post comes after it.
    return sorted(items, key=lambda item: (item.at, item.kind == "note"))


def _has_triage(post) -> bool:
    try:
        post.triage  # noqa: B018 - a reverse one-to-one raises when there is none
    except ObjectDoesNotExist:
        return False
    return True


def _sla_timers(conversation) -> list[dict]:
    """The conversation's running SLA timers, worded for the side panel (parley.sla.status)."""
    from parley.sla.status import conversation_timers

    return [
        {"label": t.label, "state": t.state, "text": t.text, "due_at": t.due_at, "policy": t.policy}
        for t in conversation_timers(conversation, timezone.now())
    ]


def close_book_context(request, conversation) -> dict:
    from parley.sla.closebook_views import page_context

    return page_context(request, conversation)


def _conversation_context(request, brand, role, conversation, **extra) -> dict:
    user = request.user
    customer = conversation.customer
    past = []
    identities = []
    if customer is not None:
        identities = list(customer.identities.order_by("platform", "handle"))
        past = list(
            visible_conversations(user, brand)
            .filter(customer=customer)
            .exclude(pk=conversation.pk)
            .exclude(status=Status.MERGED)
            .order_by("-last_post_at")[:20]
        )
    timeline = _timeline(conversation)
    last_inbound = next(
        (i.obj for i in reversed(timeline) if i.kind == "post" and i.obj.direction == "in"), None
    )
    latest_triage = getattr(last_inbound, "triage_view", None)
    context = {
        **_chrome(request, brand, role),
        "c": conversation,
        "timeline": timeline,
        "latest_triage": latest_triage,
        "triage_menu": triage_display.MENU,
        "field_labels": triage_display.FIELD_LABELS,
        "customer": customer,
        "identities": identities,
        "past": past,
        "tags": list(conversation.tags.all()),
        "brand_tags": Tag.objects.filter(brand=brand)[:300],
        "teams": Team.objects.filter(brand=brand),
        "assignable": assignable_users(conversation).select_related("agent_profile"),
        "next_statuses": [(s, Status(s).label) for s in actions.next_statuses(conversation.status)],
        "reply_visibility": last_inbound.visibility if last_inbound else "public",
        "reply_key": uuid.uuid4().hex,
        "reply_text": "",
        "reply_seen_post_id": max((i.obj.pk for i in timeline if i.kind == "post"), default=0),
        # The newest post the rendered thread shows: a live refresh advances the reply form's
        # seen_post_id to it (composer/compose.js), since the agent now has that post on screen.
        "thread_newest_post_id": max((i.obj.pk for i in timeline if i.kind == "post"), default=0),
        "note_text": "",
        "list_url": reverse("inbox:list", kwargs={"brand": brand.slug}),
        "sla_timers": _sla_timers(conversation),
    }
    context.update(close_book_context(request, conversation))
    context.update(extra)
    composer_box.add_context(context, conversation, user, brand)
    return context


def render_conversation(request, brand, role, conversation, *, status: int = 200, **kept):
    """The conversation page re-rendered for a refused form of another app (the closing reply, the
    handoff), with what the agent typed and why it was refused in `kept`."""
    context = _conversation_context(request, brand, role, conversation, **kept)
    return _vary(render(request, "inbox/conversation.html", context, status=status))


@login_required
def conversation(request, brand, conversation_id):
    brand, role = access_brand(request.user, brand)
    conv = access_conversation(request.user, brand, conversation_id, READ)
    if conv.status == Status.MERGED and conv.merged_into_id:
        target = visible_conversations(request.user, brand).filter(pk=conv.merged_into_id).first()
        if target is not None:
            messages.info(request, f"{conv.ref} was merged into {target.ref}.")
            return redirect("inbox:conversation", brand=brand.slug, conversation_id=target.pk)
    context = _conversation_context(request, brand, role, conv)
    if _htmx_target(request) == "thread" and request.GET.get("live"):
        context["with_side"] = request.GET.get("side") == "1"
        return _vary(render(request, "inbox/_live.html", context))
    return _vary(render(request, "inbox/conversation.html", context))


# --- actions ------------------------------------------------------------------------------
# Each handler takes (conversation, cleaned form data, user) and returns the
# message to show; it calls exactly one action from actions.py.


def _assign(conv, data, user):
    assignee = data["assignee"]
    actions.assign(conv, assignee, user)
    if assignee is None:
        return "Unassigned."
    if assignee.pk == user.pk:
        return "Assigned to you."
    return f"Assigned to {agent_name(assignee)}."


def _team(conv, data, user):
    actions.set_team(conv, data["team"], user)
    return f"Moved to {data['team'].name}." if data["team"] else "Removed from its team."


def _status(conv, data, user):
    actions.set_status(conv, data["status"], user)
    return f"Status: {Status(conv.status).label}."


def _priority(conv, data, user):
    actions.set_priority(conv, data["priority"], user)
    return f"Priority set to {data['priority']}."


def _tag_add(conv, data, user):
    tag = actions.add_tag(conv, data["name"], user)
    return f"Tagged “{tag.name}”."


def _tag_remove(conv, data, user):
    actions.remove_tag(conv, data["name"], user)
    return f"Removed the tag “{' '.join(data['name'].split())}”."


def _note(conv, data, user):
    actions.add_note(conv, data["text"], user)
    return "Internal note added."


def _reply(conv, data, user):
    # The guardrails apply here too (a blocking finding raises GuardrailBlocked, an ActionError,
    # shown like any refused action, its findings in the reply box); so does collision detection
    # (ReplyCollision: the box shows what arrived and offers to send anyway).
    from parley.composer.actions import Seen, send_checked_reply

    checked = send_checked_reply(
        conv, data["text"], user, visibility=data["visibility"], idempotency_key=data["key"],
        override_reason=data["override_reason"], seen=Seen(data["seen_post_id"], data["reviewed_through"]),
    )
    if checked.post is None:
        return "Your reply waits for a supervisor's approval: " + "; ".join(checked.approval.reasons) + "."
    post = checked.post
    where = ("private reply to the comment" if data["visibility"] == "comment_dm"
             else "public reply" if post.visibility == "public" else "private message")
    warned = [f for f in checked.findings if f.level == "warn"]
    note = f" Guardrails: {'; '.join(f.message for f in warned[:3])}" if warned else ""
    return f"Your {where} is saved and waits for delivery on {post.get_platform_display()}.{note}"


def _callback(conv, data, user):
    from parley.sla.callbacks import request_callback

    callback = request_callback(conv, data["phone"], data["preferred_at"], user, timezone.now())
    when = timezone.localtime(callback.preferred_at, data["preferred_at"].tzinfo)
    return f"Callback requested for {when:%-d %b, %H:%M} (number ending {callback.phone_last_digits})."


def _vip(conv, data, user):
    if conv.customer is None:
        raise ActionError("No customer is linked to this conversation yet.")
    vip = data["vip"] == "1"
    actions.set_customer_vip(conv.customer, vip, user)
    return "Marked as VIP." if vip else "No longer marked as VIP."


HANDLERS = {
    "assign": (forms.AssignForm, _assign),
    "team": (forms.TeamForm, _team),
    "status": (forms.StatusForm, _status),
    "priority": (forms.PriorityForm, _priority),
    "tag_add": (forms.TagForm, _tag_add),
    "tag_remove": (forms.TagForm, _tag_remove),
    "note": (forms.NoteForm, _note),
    "reply": (forms.ReplyForm, _reply),
    "vip": (forms.VipForm, _vip),
    "callback": (forms.CallbackForm, _callback),
}


def _safe_next(request) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return ""


@login_required
@require_POST
def act(request, brand, conversation_id, action):
    brand, role = access_brand(request.user, brand)
    # WRITE: viewers get 403; another team's conversation is a 404 for everyone.
    conv = access_conversation(request.user, brand, conversation_id, WRITE)
    form_class, handler = HANDLERS[action]
    form = form_class(request.POST, brand=brand, user=request.user)
    failed = refusal = None
    try:
        if not form.is_valid():
            raise ActionError(form.error_text())
        messages.success(request, handler(conv, form.cleaned_data, request.user))
    except ActionError as exc:
        failed = refusal = exc
        messages.error(request, str(exc))

    still_visible = visible_conversations(request.user, brand).filter(pk=conv.pk).exists()
    list_url = reverse("inbox:list", kwargs={"brand": brand.slug})
    htmx = _htmx_target(request) is not None
    if not still_visible:
        # Moved to a team this user is not on: back to the inbox.
        if htmx:
            response = HttpResponse(status=204)
            response["HX-Redirect"] = list_url
            return response
        return redirect(list_url)
    if not failed and not htmx:
        # Post/redirect/get; the message shows on the next page.
        return _SeeOther(_safe_next(request) or reverse(
            "inbox:conversation", kwargs={"brand": brand.slug, "conversation_id": conv.pk}
        ))

    conv = access_conversation(request.user, brand, conv.pk, READ)  # fresh from the database
    kept = {}
    if failed and action == "callback":
        kept.update(callback_phone=request.POST.get("phone", "")[:40], callback_at=request.POST.get("preferred_at", "")[:20])
    if failed and action in ("reply", "note"):
        kept[f"{action}_text"] = request.POST.get("text", "")[: actions.MAX_REPLY_CHARS + 1000]
        if action == "reply" and request.POST.get("visibility") in ("public", "private", "comment_dm"):
            kept["reply_visibility"] = request.POST["visibility"]
        if action == "reply":
            kept.update(composer_box.kept_after_refusal(refusal, form))
    context = _conversation_context(request, brand, role, conv, **kept)
    context["refresh_box"] = "reply" if action == "callback" else action if action in ("reply", "note") else ""
    status = 422 if failed else 200
    template = "inbox/_after_action.html" if htmx else "inbox/conversation.html"
    return _vary(render(request, template, context, status=status))


@login_required
@require_POST
def correct(request, brand, conversation_id, post_id):
    """One-click correction of one triage field of one customer post (correct_triage)."""
    brand, role = access_brand(request.user, brand)
    # WRITE: viewers get 403; another team's conversation (or a post not in it) is a 404.
    conv = access_conversation(request.user, brand, conversation_id, WRITE)
    post = access_post(request.user, brand, post_id, WRITE)
    if post.conversation_id != conv.pk or post.direction != "in":
        raise Http404("No such post in this conversation")
    form = forms.TriageCorrectionForm(request.POST, brand=brand, user=request.user)
    failed = False
    try:
        if not form.is_valid():
            raise ActionError(form.error_text())
        name, value = form.cleaned_data["field"], form.cleaned_data["value"]
        correct_triage(post, name, value, request.user)
        shown = triage_display.FIELD_LABELS.get(name, name)
        messages.success(request, f"{shown} corrected to “{form.cleaned_data['raw']}”. Thank you: it teaches triage.")
    except ActionError as exc:
        failed = True
        messages.error(request, str(exc))
    htmx = _htmx_target(request) is not None
    if not failed and not htmx:
        target = reverse("inbox:conversation", kwargs={"brand": brand.slug, "conversation_id": conv.pk})
        return _SeeOther(_safe_next(request) or f"{target}#post-{post.pk}")
    conv = access_conversation(request.user, brand, conv.pk, READ)
    context = _conversation_context(request, brand, role, conv)
    template = "inbox/_after_action.html" if htmx else "inbox/conversation.html"
    return _vary(render(request, template, context, status=422 if failed else 200))


class _SeeOther(HttpResponseRedirect):
    """303: after a POST, the browser fetches the next page with GET."""

    status_code = 303
