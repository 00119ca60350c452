"""X API v2 calls Parley makes: reply, DM, like, repost, hide a reply, who am I."""

from __future__ import annotations

from datetime import datetime, timezone

from django.conf import settings

from .. import http
from ..base import Client, Permanent, RateLimited, Refused, Sent, SendContext, Temporary, TokenInvalid
from .parse import tweet_url


def _reason(response: http.Response) -> str:
    data = response.data if isinstance(response.data, dict) else {}
    if data.get("detail") or data.get("title"):
        return str(data.get("detail") or data.get("title"))
    errors = data.get("errors")
    if isinstance(errors, list) and errors and isinstance(errors[0], dict):
        return str(errors[0].get("message") or errors[0].get("detail") or errors[0])
    return response.text[:200] or f"HTTP {response.status}"


def check(response: http.Response) -> dict:
    """The response's data, or the SendError its status means."""
    status = response.status
    if 200 <= status < 300:
        return response.data if isinstance(response.data, dict) else {}
    reason = f"X answered {status}: {_reason(response)}"
    if status == 401:
        raise TokenInvalid(reason, status=status)
    if status == 429:
        reset = response.header("x-rate-limit-reset")
        retry_at = None
        if reset.isdigit():
            retry_at = datetime.fromtimestamp(int(reset), tz=timezone.utc)
        raise RateLimited(reason, retry_at, status=status)
    if status >= 500:
        raise Temporary(reason, status=status)
    raise Permanent(reason, status=status)


class XClient(Client):
    platform = "x"

    def __init__(self, channel):
        self.channel = channel
        self.token = channel.get_credentials().get("access_token", "")
        if not self.token:
            raise Refused("the X channel has no access token; enter it on the Channels page")
        self.base = settings.PARLEY_X_API_BASE

    def _call(self, method: str, path: str, body: dict | None = None) -> dict:
        return check(http.call(method, self.base + path, token=self.token, json_body=body))

    def send(self, post, context: SendContext) -> Sent:
        if post.visibility == "private":
            if not context.recipient_id:
                raise Refused("no customer to send this direct message to")
            data = self._call("POST", f"/2/dm_conversations/with/{context.recipient_id}/messages", {"text": post.text})
            event_id = str((data.get("data") or {}).get("dm_event_id") or "")
            if not event_id:
                raise Permanent("X accepted the message but returned no dm_event_id")
            return Sent(event_id, "", data)
        body: dict = {"text": post.text}
        if post.in_reply_to_id:
            body["reply"] = {"in_reply_to_tweet_id": post.in_reply_to_id}
        data = self._call("POST", "/2/tweets", body)
        tweet_id = str((data.get("data") or {}).get("id") or "")
        if not tweet_id:
            raise Permanent("X accepted the tweet but returned no id")
        return Sent(tweet_id, tweet_url(self.channel.handle, tweet_id), data)

    def act(self, action: str, post) -> Sent:
        me = self.channel.external_id
        if action == "like":
            data = self._call("POST", f"/2/users/{me}/likes", {"tweet_id": post.platform_id})
        elif action == "repost":
            data = self._call("POST", f"/2/users/{me}/retweets", {"tweet_id": post.platform_id})
        elif action == "hide":
            data = self._call("PUT", f"/2/tweets/{post.platform_id}/hidden", {"hidden": True})
        else:
            raise Refused(f"{action} is not supported on X")
        return Sent(post.platform_id, post.url, data)

    def test_connection(self) -> str:
        user = self._call("GET", "/2/users/me").get("data") or {}
        return f"Connected as @{user.get('username', '?')} (id {user.get('id', '?')})"
