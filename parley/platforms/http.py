"""Small JSON-over-HTTP calls to platform APIs (stdlib only), with errors as values."""

from __future__ import annotations

import json
import socket
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from django.conf import settings

from .base import Temporary

MAX_RESPONSE_BYTES = 2_000_000


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    data: dict | list | None
    text: str

    def header(self, name: str) -> str:
        return self.headers.get(name.lower(), "")


def call(
    method: str,
    url: str,
    *,
    token: str = "",
    json_body: dict | None = None,
    form: dict | None = None,
    query: dict | None = None,
    timeout: float | None = None,
) -> Response:
    """One request; a timeout or connection failure raises `Temporary`, any HTTP status returns."""
    if query:
        url = f"{url}{'&' if '?' in url else '?'}{urllib.parse.urlencode(query)}"
    headers = {"Accept": "application/json", "User-Agent": "Parley"}
    data = None
    if json_body is not None:
        data = json.dumps(json_body).encode()
        headers["Content-Type"] = "application/json"
    elif form is not None:
        data = urllib.parse.urlencode(form).encode()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(url, data=data, headers=headers, method=method)
    timeout = timeout if timeout is not None else settings.PARLEY_PLATFORM_TIMEOUT_SECONDS
    try:
        with urllib.request.urlopen(request, timeout=timeout) as reply:  # noqa: S310 - base URLs are settings
            return _response(reply.status, reply.headers, reply.read(MAX_RESPONSE_BYTES))
    except urllib.error.HTTPError as error:
        return _response(error.code, error.headers, error.read(MAX_RESPONSE_BYTES))
    except (socket.timeout, TimeoutError):
        raise Temporary(f"no answer within {timeout:g} s") from None
    except (urllib.error.URLError, ConnectionError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise Temporary(f"could not reach the platform: {reason}") from None


def _response(status: int, headers, body: bytes) -> Response:
    text = body.decode("utf-8", errors="replace")
    try:
        data = json.loads(text) if text.strip() else None
    except ValueError:
        data = None
    return Response(status, {k.lower(): v for k, v in (headers or {}).items()}, data, text)
