"""Channel pages for brand admins: accounts, credentials, webhook set-up, test connection, outbox, dead letters.

Thin: look up through access_*, parse with forms, call actions, render.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from parley.accounts.models import Role
from parley.inbox.access import WRITE, access_brand, access_post, brands_for
from parley.inbox.actions import ActionError

from . import actions, adapters
from .base import SendError
from .forms import ChannelForm, credentials_form
from .meta.webhooks import verify_token
from .models import ChannelAccount, OutboxItem, WebhookDelivery

WEBHOOK_FAMILY = {"x": "x", "facebook": "meta", "instagram": "meta", "email": "email"}


def _admin_brand(request, slug):
    brand, role = access_brand(request.user, slug)
    if role != Role.ADMIN:
        raise PermissionDenied("Only the brand's admins manage channels")
    return brand, role


def access_channel(user, brand, channel_id) -> ChannelAccount:
    """A channel of `brand` by id (the caller checked the user is the brand's admin)."""
    try:
        channel_id = int(channel_id)
    except (TypeError, ValueError):
        raise Http404("No such channel") from None
    channel = ChannelAccount.objects.filter(brand=brand, pk=channel_id).first()
    if channel is None:
        raise Http404("No such channel")
    return channel


def _context(request, brand, role, **extra):
    return {"brand": brand, "brands": list(brands_for(request.user)), "role_label": Role(role).label, **extra}


@login_required
def channel_list(request, brand):
    brand, role = _admin_brand(request, brand)
    form = ChannelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            channel = actions.add_channel(brand, form.cleaned_data["platform"], form.cleaned_data["external_id"],
                                          form.cleaned_data["handle"], request.user)
        except ActionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"{channel} added. Enter its credentials below.")
            return redirect("channels:detail", brand=brand.slug, channel_id=channel.pk)
    channels = ChannelAccount.objects.filter(brand=brand).order_by("platform", "handle")
    failed = OutboxItem.objects.filter(brand=brand, state=OutboxItem.State.FAILED).count()
    return render(request, "platforms/list.html", _context(request, brand, role, channels=channels, form=form,
                                                          failed_count=failed))


@login_required
def channel_detail(request, brand, channel_id):
    brand, role = _admin_brand(request, brand)
    channel = access_channel(request.user, brand, channel_id)
    form = credentials_form(channel.platform, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.set_channel_credentials(channel, form.cleaned_data, request.user)
        except ActionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Credentials saved (encrypted). They will not be shown again.")
            return redirect("channels:detail", brand=brand.slug, channel_id=channel.pk)
    family = WEBHOOK_FAMILY.get(channel.platform)
    webhook_url = request.build_absolute_uri(reverse(f"hooks-{family}")) if family else ""
    return render(request, "platforms/detail.html", _context(
        request, brand, role, channel=channel, form=form, webhook_url=webhook_url, family=family,
        verify_token=verify_token() if family == "meta" else "",
        human_agent_everywhere=settings.PARLEY_META_HUMAN_AGENT,
        instagram_url=request.build_absolute_uri(reverse("hooks-instagram", kwargs={"channel_id": channel.pk}))
        if channel.platform == "instagram" else "",
        outbox=channel.outbox.select_related("post")[:20],
    ))


@login_required
@require_POST
def test_connection(request, brand, channel_id):
    brand, _ = _admin_brand(request, brand)
    channel = access_channel(request.user, brand, channel_id)
    try:
        line = adapters.client_for(channel).test_connection()
    except SendError as error:
        messages.error(request, f"Test failed: {error.reason}")
    else:
        if actions.mark_channel_ok(channel, request.user):
            line += " — the channel is active again"
        messages.success(request, line)
    return redirect("channels:detail", brand=brand.slug, channel_id=channel.pk)


@login_required
@require_POST
def human_agent(request, brand, channel_id):
    """Turn the HUMAN_AGENT tag on or off for a Messenger / Instagram channel."""
    brand, _ = _admin_brand(request, brand)
    channel = access_channel(request.user, brand, channel_id)
    try:
        actions.set_human_agent(channel, request.POST.get("enabled") == "on", request.user)
    except ActionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Replies up to 7 days after the customer's last message are "
                                  + ("allowed (tagged HUMAN_AGENT)." if channel.human_agent else "no longer allowed."))
    return redirect("channels:detail", brand=brand.slug, channel_id=channel.pk)


@login_required
def outbox(request, brand):
    brand, role = _admin_brand(request, brand)
    items = OutboxItem.objects.filter(brand=brand).select_related("post", "channel")
    state = request.GET.get("state", "")
    if state in OutboxItem.State.values:
        items = items.filter(state=state)
    return render(request, "platforms/outbox.html", _context(request, brand, role, items=items[:200], state=state,
                                                            states=OutboxItem.State.choices))


@login_required
@require_POST
def retry(request, brand, post_id):
    """Send a failed reply again. Agents may retry replies in conversations they can write to."""
    brand, _ = access_brand(request.user, brand)
    post = access_post(request.user, brand, post_id, WRITE)
    try:
        actions.retry_outbox(post, request.user)
    except ActionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "The reply is queued to be sent again.")
    return redirect(reverse("inbox:conversation", kwargs={"brand": brand.slug, "conversation_id": post.conversation_id}))


def _installation_admin(request, slug):
    """Dead letters are installation-wide (an unreadable body names no brand): superusers only."""
    brand, role = access_brand(request.user, slug)
    if not request.user.is_superuser:
        raise PermissionDenied("Only the installation's administrators see webhook dead letters")
    return brand, role


@login_required
def deliveries(request, brand):
    """Webhook deliveries that could not be processed."""
    brand, role = _installation_admin(request, brand)
    dead = WebhookDelivery.objects.filter(state=WebhookDelivery.State.DEAD)[:100]
    return render(request, "platforms/deliveries.html", _context(request, brand, role, dead=dead))


@login_required
@require_POST
def replay(request, brand, delivery_id):
    brand, _ = _installation_admin(request, brand)
    delivery = WebhookDelivery.objects.filter(pk=delivery_id, state=WebhookDelivery.State.DEAD).first()
    if delivery is None:
        raise Http404("No such dead letter")
    actions.replay_delivery(delivery, request.user)
    messages.success(request, f"Delivery {delivery.pk} queued again.")
    return redirect("channels:deliveries", brand=brand.slug)


@login_required
@require_POST
def post_action(request, brand, post_id, action):
    """Like, repost, hide or delete a post on its platform (queued in the outbox). Agents who can write."""
    brand, _ = access_brand(request.user, brand)
    post = access_post(request.user, brand, post_id, WRITE)
    if action not in (OutboxItem.Action.LIKE, OutboxItem.Action.REPOST, OutboxItem.Action.HIDE, OutboxItem.Action.DELETE):
        raise Http404("No such action")
    try:
        if post.channel is None or not post.platform_id or post.direction != "in":
            raise ActionError("Only a customer's post that came from a connected channel can be acted on")
        if not adapters.can_send(post.channel):
            raise ActionError(f"{post.channel} has no credentials")
        actions.queue_outbox(post, post.channel, action, actor=request.user)
    except ActionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"{OutboxItem.Action(action).label} queued.")
    return redirect(reverse("inbox:conversation", kwargs={"brand": brand.slug, "conversation_id": post.conversation_id}))
