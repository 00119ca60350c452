"""YouTube commentThreads.list responses -> events (pure). Stores textOriginal, never the HTML textDisplay."""

from __future__ import annotations

from datetime import datetime

from parley.inbox.ingest import AuthorData, IncomingPost

from ..base import Edited, Event, NewPost, ParseError

PLATFORM = "youtube"


def _time(value) -> datetime:
    try:
        return datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        raise ParseError(f"bad time {value!r}") from None


def comment_url(video_id: str, comment_id: str) -> str:
    return f"https://www.youtube.com/watch?v={video_id}&lc={comment_id}"


def _comment(channel_id: str, comment: dict, *, video_id: str, parent_id: str = "") -> list[Event]:
    if not isinstance(comment, dict) or not comment.get("id") or not isinstance(comment.get("snippet"), dict):
        raise ParseError("comment without id or snippet")
    snippet = comment["snippet"]
    author_id = str((snippet.get("authorChannelId") or {}).get("value") or "")
    own = bool(author_id) and author_id == channel_id
    text = str(snippet.get("textOriginal") or "")
    published, updated = _time(snippet.get("publishedAt")), _time(snippet.get("updatedAt") or snippet.get("publishedAt"))
    handle = str(snippet.get("authorDisplayName") or "")
    post = IncomingPost(
        platform=PLATFORM,
        platform_id=str(comment["id"]),
        text=text,
        created_at=published,
        direction="out" if own else "in",
        kind="reply" if parent_id else "comment",
        author=None if own else AuthorData(platform_user_id=author_id or f"yt:{handle}", handle=handle.lstrip("@")),
        in_reply_to_id=parent_id or video_id,
        platform_conversation_id=video_id,
        url=comment_url(video_id, str(comment["id"])),
        likes=snippet.get("likeCount") if isinstance(snippet.get("likeCount"), int) and snippet["likeCount"] >= 0 else 0,
        raw=comment,
    )
    events: list[Event] = [NewPost(PLATFORM, channel_id, post=post, own=own)]
    if updated > published:
        events.append(Edited(PLATFORM, channel_id, platform_id=post.platform_id, text=text, at=updated))
    return events


def parse_threads(channel_id: str, page: dict) -> tuple[list[Event], datetime | None]:
    """Events of one page, and the newest time on it (publishedAt or updatedAt)."""
    if not isinstance(page, dict) or not isinstance(page.get("items", []), list):
        raise ParseError("not a commentThreadListResponse")
    events: list[Event] = []
    newest = None
    for thread in page.get("items", []):
        snippet = (thread or {}).get("snippet") if isinstance(thread, dict) else None
        if not isinstance(snippet, dict):
            raise ParseError("thread without snippet")
        video_id = str(snippet.get("videoId") or "")
        top = snippet.get("topLevelComment")
        found = _comment(channel_id, top, video_id=video_id)
        for reply in ((thread.get("replies") or {}).get("comments") or []):
            parent = str((reply.get("snippet") or {}).get("parentId") or top.get("id"))
            found += _comment(channel_id, reply, video_id=video_id, parent_id=parent)
        for event in found:
            if isinstance(event, NewPost):
                raw = event.post.raw["snippet"]
                when = _time(raw.get("updatedAt") or raw.get("publishedAt"))
                newest = when if newest is None or when > newest else newest
        events += found
    return events, newest
