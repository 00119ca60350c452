"""Reading the facts routing and assignment decide on from stored rows (no decisions here)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from django.db.models import Count

from parley.inbox.models import ACTIVE_STATUSES, Conversation, Post

from .assignment import Agent, Need
from .rules import Context, PostFacts

TRIAGE_FIELDS = (
    "intent", "sentiment", "emotion", "desired_outcome", "complaint", "severity", "anger", "offensive", "hate",
    "troll", "needs_response", "priority", "outcome_unclear", "topics", "private_data_posted", "language",
)


def post_facts(post: Post, triage=None) -> PostFacts:
    """PostFacts of a stored post; `triage` is its PostTriage (looked up when not given)."""
    if triage is None:
        triage = getattr(post, "triage", None) if hasattr(post, "triage") else None
    author = post.author
    customer = author.customer if author is not None else None
    values = {}
    if triage is not None and triage.status in ("triaged",):
        values = {name: getattr(triage, name) for name in TRIAGE_FIELDS}
    channel = post.channel
    return PostFacts(
        text=post.text, platform=post.platform,
        channel=(channel.handle or channel.external_id) if channel is not None else "",
        kind=post.kind, visibility=post.visibility, language=post.language or values.get("language") or "",
        created_at=post.created_at, vip=bool(customer and customer.is_vip),
        followers=author.followers if author else 0, verified=bool(author and author.verified),
        likes=post.likes, reposts=post.reposts, replies=post.replies, triage=values, post_id=post.pk,
    )


def brand_calendar(brand, team_id=None):
    """The calendar of a team, else the brand's default, else None (always open); read once per job."""
    from parley.server.jobmemo import remembered

    return remembered(("routing.calendar", brand.pk, team_id), lambda: _brand_calendar(brand, team_id))


def _brand_calendar(brand, team_id=None):
    from parley.sla.models import BusinessCalendar

    calendars = BusinessCalendar.objects.filter(brand=brand)
    row = calendars.filter(team_id=team_id).first() if team_id else None
    row = row or calendars.filter(team__isnull=True).first()
    return row.calendar() if row is not None else None


def context_for(brand, now: datetime, team_id=None) -> Context:
    calendar = brand_calendar(brand, team_id)
    if calendar is None:
        return Context(now=now, tz=ZoneInfo(brand.setting("timezone", "UTC") or "UTC"))
    return Context(now=now, tz=calendar.tz, is_open=calendar.is_open)


def recent_posts(brand, limit: int = 1000):
    """The brand's latest inbound posts with what routing reads, newest first (not those their authors
    deleted on the platform: their words are shown nowhere, rule previews included)."""
    return list(
        Post.objects.filter(brand=brand, direction=Post.Direction.INBOUND, is_deleted=False)
        .select_related("author__customer", "channel", "triage")
        .order_by("-received_at", "-id")[:limit]
    )


def conversation_need(conversation: Conversation) -> Need:
    first = (
        Post.objects.filter(conversation=conversation, direction=Post.Direction.INBOUND)
        .select_related("triage").order_by("created_at").first()
    )
    language = ""
    if first is not None:
        triage = getattr(first, "triage", None) if hasattr(first, "triage") else None
        language = first.language or (triage.language if triage is not None else "")
    return Need(team_id=conversation.team_id, language=language or "", platform=conversation.platform)


def agents_for(availabilities) -> list[Agent]:
    """Agent policy records for AgentAvailability rows (with their user's teams, capacity and load)."""
    from parley.sla.calendar import Calendar

    rows = list(availabilities)
    user_ids = [a.user_id for a in rows]
    loads = dict(
        Conversation.objects.filter(assignee_id__in=user_ids, status__in=ACTIVE_STATUSES)
        .values_list("assignee_id").annotate(n=Count("id")).values_list("assignee_id", "n")
    )
    out = []
    for a in rows:
        profile = getattr(a.user, "agent_profile", None)
        shift = Calendar.from_config(a.shift) if a.shift else None
        out.append(Agent(
            user_id=a.user_id, online=a.state == "online", capacity=profile.capacity if profile else 20,
            open_count=loads.get(a.user_id, 0),
            teams=frozenset(profile.teams.values_list("id", flat=True)) if profile else frozenset(),
            languages=frozenset(x.lower() for x in a.languages), platforms=frozenset(a.platforms),
            last_assigned_at=a.last_assigned_at, on_shift=shift.is_open if shift else None,
        ))
    return out


def shifts_for(brand) -> list:
    """The brand's agents' shifts and channel skills, as sla.coverage.Shift (for coverage gaps)."""
    from parley.sla.calendar import Calendar
    from parley.sla.coverage import Shift

    from .models import AgentAvailability

    return [
        Shift(Calendar.from_config(a.shift) if a.shift else None, frozenset(a.platforms))
        for a in AgentAvailability.objects.filter(brand=brand)
    ]


def coverage_for(brand, week_of, tz: ZoneInfo | None = None):
    """(zone, platforms, {platform: uncovered (weekday, hour)}) for the brand's channels in the week of
    `week_of`, shown in `tz` (default: the brand's calendar's zone)."""
    from parley.platforms.models import ChannelAccount
    from parley.sla import coverage

    if tz is None:
        calendar = brand_calendar(brand)
        tz = calendar.tz if calendar else ZoneInfo("UTC")
    platforms = sorted(set(ChannelAccount.objects.filter(brand=brand).values_list("platform", flat=True)))
    return tz, platforms, coverage.gaps(shifts_for(brand), platforms, tz, week_of) if platforms else {}
