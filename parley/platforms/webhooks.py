"""Webhook endpoints: answer the platforms' challenges, verify every delivery before reading it,
store it with its processing job, acknowledge at once."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from . import actions, intake
from .meta import webhooks as meta
from .x import webhooks as x

def _plain(status: int, text: str) -> HttpResponse:
    return HttpResponse(text, status=status, content_type="text/plain; charset=utf-8")


def _receive(request, family: "str | intake.Family") -> HttpResponse:
    hook = intake.FAMILIES[family] if isinstance(family, str) else family
    refusal = intake.refusal_before_body(hook, request.META.get("CONTENT_LENGTH"))
    if refusal is None:
        try:
            body = request.body
        except RequestDataTooBig:
            return _plain(413, f"body larger than {settings.PARLEY_WEBHOOK_MAX_BYTES} bytes")
        refusal = intake.refusal_for_body(hook, body, request.headers.get(hook.header, ""),
                                          request.META.get("REMOTE_ADDR", ""))
    if refusal is not None:
        return _plain(*refusal)
    [(_, created)] = actions.accept_deliveries([(hook.name, body)])
    return HttpResponse(intake.acknowledgement(created), content_type="application/json")


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
        return _receive(request, "x")
    return _plain(405, "GET or POST")


@csrf_exempt
def meta_webhook(request):
    if request.method == "GET":
        answer = meta.challenge_answer(request.GET)
        if answer is None:
            return _plain(403, "verify token mismatch")
        return _plain(200, answer)
    if request.method == "POST":
        return _receive(request, "meta")
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
    hook = intake.Family(f"meta:{channel_id}", lambda: secret, meta.SIGNATURE_HEADER, meta.signature_ok)
    return _receive(request, hook)


@csrf_exempt
def email_webhook(request):
    """Raw RFC 5322 messages from the mail relay."""
    if request.method != "POST":
        return _plain(405, "POST")
    return _receive(request, "email")
