"""Graph API calls Parley makes: comment replies, Messenger / Instagram messages, like, hide, delete."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

from django.conf import settings

from .. import http
from ..base import Client, Permanent, RateLimited, Refused, Sent, SendContext, Temporary, TokenInvalid, stored_id
from .parse import fb_url

THROTTLING_CODES = {4, 17, 32, 613} | set(range(80001, 80015))
TOKEN_CODES = {190, 102}
# Private replies: the comment was answered privately already; the comment cannot be answered so
# (too old, deleted, not the Page's); in plain words for agents.
PRIVATE_REPLY_CODES = {
    10900: "the platform says this comment already has its private reply (one per comment)",
    10903: "the platform refuses a private reply to this comment (older than 7 days, deleted, or not replyable)",
}


def _regain_at(response: http.Response) -> datetime | None:
    """The latest `estimated_time_to_regain_access` (minutes) in X-Business-Use-Case-Usage."""
    raw = response.header("x-business-use-case-usage")
    try:
        usage = json.loads(raw) if raw else {}
        minutes = max(
            (int(item.get("estimated_time_to_regain_access") or 0) for items in usage.values() for item in items),
            default=0,
        )
    except (ValueError, TypeError, AttributeError):
        return None
    return datetime.now(timezone.utc) + timedelta(minutes=minutes) if minutes else None


def check(response: http.Response) -> dict:
    data = response.data if isinstance(response.data, dict) else {}
    error = data.get("error") if isinstance(data.get("error"), dict) else None
    if 200 <= response.status < 300 and error is None:
        return data
    error = error or {}
    code = error.get("code")
    reason = f"Graph API answered {response.status}: {error.get('message') or response.text[:200]}"
    if code is not None:
        reason += f" (code {code})"
    if code in PRIVATE_REPLY_CODES:
        reason = f"{PRIVATE_REPLY_CODES[code][:1].upper()}{PRIVATE_REPLY_CODES[code][1:]}. {reason}"
    if code in TOKEN_CODES:
        raise TokenInvalid(reason, status=response.status, code=code)
    if code in THROTTLING_CODES:
        raise RateLimited(reason, _regain_at(response), status=response.status, code=code)
    if response.status >= 500 or error.get("is_transient") or code in (1, 2):
        raise Temporary(reason, status=response.status, code=code)
    raise Permanent(reason, status=response.status, code=code)


LOGINS = ("facebook", "instagram")


def instagram_login(platform: str, credentials: dict) -> bool:
    """Whether a channel was connected with "Instagram API with Instagram Login" (its token is valid only on
    graph.instagram.com): said by the `login` credential, else implied by an app secret of its own."""
    if platform != "instagram":
        return False
    login = str(credentials.get("login") or "").strip().lower()
    if login:
        if login not in LOGINS:
            raise Refused(f"the channel's login is {login!r}: enter facebook or instagram on the Channels page")
        return login == "instagram"
    return bool(credentials.get("app_secret"))


def api_base(platform: str, credentials: dict) -> str:
    """The versioned API root a Meta channel's calls go to."""
    host = settings.PARLEY_INSTAGRAM_API_BASE if instagram_login(platform, credentials) else settings.PARLEY_GRAPH_API_BASE
    return f"{host}/{settings.PARLEY_GRAPH_API_VERSION}"


class MetaClient(Client):
    def __init__(self, channel):
        self.channel = channel
        self.platform = channel.platform
        credentials = channel.get_credentials()
        self.token = credentials.get("access_token", "")
        if not self.token:
            raise Refused(f"the {channel.get_platform_display()} channel has no access token; enter it on the Channels page")
        self.instagram_login = instagram_login(self.platform, credentials)
        self.base = api_base(self.platform, credentials)

    def _call(self, method: str, path: str, **kw) -> dict:
        return check(http.call(method, f"{self.base}/{path.lstrip('/')}", token=self.token, **kw))

    def send(self, post, context: SendContext) -> Sent:
        if context.comment_id:
            return self._private_reply(post, context.comment_id)
        if post.visibility == "private":
            if not context.recipient_id:
                raise Refused("no customer to send this message to")
            body = {"recipient": {"id": context.recipient_id}, "messaging_type": "RESPONSE", "message": {"text": post.text}}
            if context.message_tag:  # outside the 24-hour window: a person's answer, tagged
                body.update(messaging_type="MESSAGE_TAG", tag=context.message_tag)
            data = self._call("POST", "/me/messages", json_body=body)
            mid = str(data.get("message_id") or "")
            if not mid:
                raise Permanent("the Graph API accepted the message but returned no message_id")
            return Sent(stored_id(mid), "", data)
        target = post.in_reply_to_id
        if not target:
            raise Refused("a public reply needs the comment or post it answers")
        if self.platform == "instagram":
            parent_is_comment = post.parent is not None and post.parent.kind in ("comment", "reply", "mention")
            edge = "replies" if parent_is_comment else "comments"
            data = self._call("POST", f"/{target}/{edge}", query={"message": post.text})
        else:
            data = self._call("POST", f"/{target}/comments", form={"message": post.text})
        new_id = str(data.get("id") or "")
        if not new_id:
            raise Permanent("the Graph API accepted the reply but returned no id")
        return Sent(new_id, fb_url(new_id) if self.platform == "facebook" else "", data)

    def _private_reply(self, post, comment_id: str) -> Sent:
        """The one private message to a comment's author, addressed by the comment (Send API)."""
        body = {"recipient": {"comment_id": comment_id}, "message": {"text": post.text}}
        data = self._call("POST", "/me/messages", json_body=body)
        mid = str(data.get("message_id") or "")
        if not mid:
            raise Permanent("the Graph API accepted the private reply but returned no message_id")
        # `recipient_id` is the person's Messenger / Instagram id: their answer arrives from it.
        return Sent(stored_id(mid), "", data)

    def act(self, action: str, post) -> Sent:
        target = post.platform_id
        if action == "like" and self.platform == "facebook":
            data = self._call("POST", f"/{target}/likes")
        elif action == "hide":
            field = "hide" if self.platform == "instagram" else "is_hidden"
            data = self._call("POST", f"/{target}", form={field: "true"})
        elif action == "delete":
            data = self._call("DELETE", f"/{target}")
        else:
            raise Refused(f"{action} is not supported on {self.channel.get_platform_display()}")
        return Sent(target, post.url, data)

    def fetch_mention(self, media_id: str, comment_id: str) -> dict:
        """The text and author of a comment that mentions the Instagram account."""
        fields = f"mentioned_comment.comment_id({comment_id}){{id,text,timestamp,username,media{{id}}}}"
        data = self._call("GET", f"/{self.channel.external_id}", query={"fields": fields})
        comment = data.get("mentioned_comment")
        if not isinstance(comment, dict) or not comment.get("id"):
            raise Permanent("the Graph API returned no mentioned_comment")
        return comment

    def test_connection(self) -> str:
        if self.instagram_login:  # an Instagram professional account, not a Page
            data = self._call("GET", "/me", query={"fields": "user_id,username"})
            return f"Connected as @{data.get('username', '?')} (Instagram Login, id {data.get('user_id', '?')})"
        data = self._call("GET", "/me", query={"fields": "id,name"})
        return f"Connected as {data.get('name', '?')} (id {data.get('id', '?')})"
