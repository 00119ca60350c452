"""YouTube Data API v3 calls: list comment threads (1 quota unit a page), reply (comments.insert, 50 units)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from django.conf import settings

from .. import http
from ..base import Client, Permanent, RateLimited, Refused, Sent, SendContext, Temporary, TokenInvalid
from .parse import comment_url

LIST_COST = 1
INSERT_COST = 50
PACIFIC = ZoneInfo("America/Los_Angeles")


def quota_day(now: datetime):
    """YouTube quotas reset at midnight Pacific time."""
    return now.astimezone(PACIFIC).date()


def next_reset(now: datetime) -> datetime:
    local = now.astimezone(PACIFIC)
    midnight = datetime.combine(local.date() + timedelta(days=1), datetime.min.time(), tzinfo=PACIFIC)
    return midnight.astimezone(timezone.utc)


def check(response: http.Response) -> dict:
    data = response.data if isinstance(response.data, dict) else {}
    if 200 <= response.status < 300:
        return data
    error = data.get("error") if isinstance(data.get("error"), dict) else {}
    reasons = [e.get("reason") for e in error.get("errors", []) if isinstance(e, dict)]
    reason = f"YouTube answered {response.status}: {error.get('message') or response.text[:200]}"
    if reasons:
        reason += f" ({', '.join(map(str, reasons))})"
    if response.status == 401:
        raise TokenInvalid(reason, status=401)
    if response.status == 403 and any(r in ("quotaExceeded", "dailyLimitExceeded", "rateLimitExceeded") for r in reasons):
        raise RateLimited(reason, next_reset(datetime.now(timezone.utc)), status=403)
    if response.status >= 500:
        raise Temporary(reason, status=response.status)
    raise Permanent(reason, status=response.status)


class YouTubeClient(Client):
    platform = "youtube"

    def __init__(self, channel):
        self.channel = channel
        self.token = channel.get_credentials().get("access_token", "")
        if not self.token:
            raise Refused("the YouTube channel has no access token; enter it on the Channels page")
        self.base = f"{settings.PARLEY_YOUTUBE_API_BASE}/youtube/v3"

    def list_threads(self, page_token: str = "") -> dict:
        query = {"part": "snippet,replies", "allThreadsRelatedToChannelId": self.channel.external_id,
                 "order": "time", "maxResults": "100", "textFormat": "plainText"}
        if page_token:
            query["pageToken"] = page_token
        return check(http.call("GET", f"{self.base}/commentThreads", token=self.token, query=query))

    def send(self, post, context: SendContext) -> Sent:
        if post.visibility == "private":
            raise Refused("YouTube has no private messages; answer publicly or move to email")
        parent = post.in_reply_to_id
        if post.parent is not None and post.parent.kind == "reply":
            parent = (post.parent.raw or {}).get("snippet", {}).get("parentId") or parent  # replies nest one level
        if not parent:
            raise Refused("a YouTube reply needs the comment it answers")
        from . import poll

        poll.spend(self.channel, INSERT_COST)
        data = check(http.call("POST", f"{self.base}/comments", token=self.token, query={"part": "snippet"},
                               json_body={"snippet": {"parentId": parent, "textOriginal": post.text}}))
        comment_id = str(data.get("id") or "")
        if not comment_id:
            raise Permanent("YouTube accepted the reply but returned no id")
        video = (data.get("snippet") or {}).get("videoId") or (post.parent.platform_conversation_id if post.parent else "")
        return Sent(comment_id, comment_url(video, comment_id) if video else "", data)

    def test_connection(self) -> str:
        data = check(http.call("GET", f"{self.base}/channels", token=self.token, query={"part": "snippet", "mine": "true"}))
        items = data.get("items") or [{}]
        return f"Connected as {(items[0].get('snippet') or {}).get('title', '?')} (id {items[0].get('id', '?')})"
