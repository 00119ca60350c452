"""Webhook endpoints: answer the platforms' challenges, verify every delivery before reading it,
store it with its processing job, acknowledge at once."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from . import actions
from .email import webhooks as mail
from .meta import webhooks as meta
from .x import webhooks as x

log = logging.getLogger(__name__)


def _plain(status: int, text: str) -> HttpResponse:
    return HttpResponse(text, status=status, content_type="text/plain; charset=utf-8")


def _receive(request, family: str, secret: str, header: str, signature_ok) -> HttpResponse:
    if not secret:
        return _plain(503, f"{family} webhooks are not configured on this server")
    limit = settings.PARLEY_WEBHOOK_MAX_BYTES
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return _plain(400, "bad Content-Length")
    if declared > limit:
        return _plain(413, f"body larger than {limit} bytes")
    try:
        body = request.body
    except RequestDataTooBig:
        return _plain(413, f"body larger than {limit} bytes")
    if len(body) > limit:
        return _plain(413, f"body larger than {limit} bytes")
    signature = request.headers.get(header, "")
    if not signature:
        return _plain(401, f"missing {header}")
    if not signature_ok(secret, body, signature):
        log.warning("%s webhook with a bad signature from %s", family, request.META.get("REMOTE_ADDR"))
        return _plain(403, "bad signature")
    delivery, created = actions.accept_delivery(family, body)
    return JsonResponse({"received": True, "duplicate": not created})


@csrf_exempt
def x_webhook(request):
    if request.method == "GET":
        secret = x.app_secret()
        token = request.GET.get("crc_token", "")
        if not secret:
            return _plain(503, "x webhooks are not configured on this server")
        if not token or len(token) > 512:
            return _plain(400, "crc_token missing")
        return JsonResponse(x.crc_response(secret, token))
    if request.method == "POST":
        return _receive(request, "x", x.app_secret(), x.SIGNATURE_HEADER, x.signature_ok)
    return _plain(405, "GET or POST")


@csrf_exempt
def meta_webhook(request):
    if request.method == "GET":
        answer = meta.challenge_answer(request.GET)
        if answer is None:
            return _plain(403, "verify token mismatch")
        return _plain(200, answer)
    if request.method == "POST":
        return _receive(request, "meta", meta.app_secrets(), meta.SIGNATURE_HEADER, meta.signature_ok_any)
    return _plain(405, "GET or POST")


@csrf_exempt
def instagram_channel_webhook(request, channel_id: int):
    """An Instagram account's own "Instagram Login" app: deliveries signed with the app secret stored on
    the channel, applied to that channel only (a brand's secret can never speak for another's account)."""
    from .models import ChannelAccount

    channel = ChannelAccount.objects.filter(pk=channel_id, platform="instagram").first()
    if channel is None:
        return _plain(404, "no such Instagram channel")
    if request.method == "GET":
        answer = meta.challenge_answer(request.GET)
        return _plain(200, answer) if answer is not None else _plain(403, "verify token mismatch")
    if request.method != "POST":
        return _plain(405, "GET or POST")
    secret = channel.get_credentials().get("app_secret", "")
    return _receive(request, f"meta:{channel_id}", secret, meta.SIGNATURE_HEADER, meta.signature_ok)




@csrf_exempt
def email_webhook(request):
    """Raw RFC 5322 messages from the mail relay."""
    if request.method != "POST":
        return _plain(405, "POST")
    return _receive(request, "email", mail.app_secret(), mail.SIGNATURE_HEADER, mail.signature_ok)
