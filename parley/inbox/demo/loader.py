"""Loads a generated demo data set through Parley's real code paths.

Every post goes through `actions.ingest_post` (so threading, idempotency and
the search index behave exactly as with live traffic) and every agent step
through the inbox actions, in the order Parley would have received them.
Only two things are written directly: the demo's brands, teams, channels and
users (there are no actions for setting those up yet), and the creation
times of notes, which are back-dated to when the script says they were
written.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction

from parley.accounts.models import AgentProfile, Brand, Membership, Role, Team
from parley.inbox import actions
from parley.inbox.ingest import AuthorData, IncomingPost
from parley.inbox.models import Conversation, Note, Post, Status
from parley.platforms.models import ChannelAccount

from .brands import BRANDS, DEMO_FLAG, DEMO_USERNAME
from .scenarios import content_for
from .script import ActionEvent, BrandData, BrandSpec, DemoSet, PostEvent
from .text import signed


class DemoConflict(RuntimeError):
    """A brand with a demo slug exists but was not created by the demo."""


@dataclass
class BrandCounts:
    name: str
    slug: str
    channels: int
    teams: int
    agents: int
    conversations: int
    posts: int


@dataclass
class LoadReport:
    seconds: float = 0.0
    events: int = 0
    skipped: list[str] = field(default_factory=list)


def demo_slugs() -> list[str]:
    return [spec.slug for spec in BRANDS]


def demo_brands():
    return Brand.objects.filter(slug__in=demo_slugs(), **{f"settings__{DEMO_FLAG}": True}).order_by("name")


def check_no_conflict() -> None:
    taken = Brand.objects.filter(slug__in=demo_slugs()).exclude(pk__in=demo_brands().values("pk"))
    names = [b.slug for b in taken]
    if names:
        raise DemoConflict(f"brands {', '.join(names)} exist and were not created by `parley demo`; not touching them")


def delete_demo() -> int:
    """Delete the demo brands and everything in them. Users stay (their roles go with the brands)."""
    check_no_conflict()
    count = 0
    with transaction.atomic():
        for brand in demo_brands():
            brand.delete()
            count += 1
    return count


def counts() -> list[BrandCounts]:
    return [
        BrandCounts(
            name=b.name, slug=b.slug, channels=b.channels.count(), teams=b.teams.count(),
            agents=b.memberships.exclude(user__username=DEMO_USERNAME).count(),
            conversations=b.conversations.exclude(status=Status.MERGED).count(), posts=b.posts.count(),
        )
        for b in demo_brands()
    ]


# --- users -------------------------------------------------------------------------------


def set_passwords(password: str) -> None:
    """Give the demo login and every demo agent `password` (hashed once: the hash is slow on purpose)."""
    hashed = make_password(password)
    usernames = [DEMO_USERNAME] + [a.username for spec in BRANDS for a in spec.agents]
    get_user_model().objects.filter(username__in=usernames).update(password=hashed)


def _user(username: str, first: str, last: str, domain: str):
    user, _ = get_user_model().objects.get_or_create(
        username=username,
        defaults={"first_name": first, "last_name": last, "email": f"{username}@{domain}"},
    )
    return user


def _signature(spec: BrandSpec, first: str, initials: str) -> str:
    voice = content_for(spec.industry).voice
    return signed("", voice.signature, first, initials, voice.sign_emoji, "facebook").strip()


def setup_brand(spec: BrandSpec) -> tuple[Brand, dict, dict, dict]:
    """The brand with its channels, teams, agents and the demo admin; returned with lookups by key."""
    brand = Brand.objects.create(slug=spec.slug, name=spec.name, settings=dict(spec.settings))
    channels = {
        c.platform: ChannelAccount.objects.create(
            brand=brand, platform=c.platform, external_id=c.external_id, handle=c.handle, display_name=c.display_name
        )
        for c in spec.channels
    }
    teams = {t.slug: Team.objects.create(brand=brand, slug=t.slug, name=t.name) for t in spec.teams}
    domain = f"{spec.slug}.example"
    users = {}
    for agent in spec.agents:
        user = _user(agent.username, agent.first_name, agent.last_name, domain)
        Membership.objects.update_or_create(user=user, brand=brand, defaults={"role": agent.role})
        profile, _ = AgentProfile.objects.update_or_create(
            user=user,
            defaults={
                "public_first_name": agent.first_name,
                "capacity": agent.capacity,
                "signature": _signature(spec, agent.first_name, agent.initials),
            },
        )
        profile.teams.set([teams[t] for t in agent.teams])
        users[agent.username] = user
    demo = _user(DEMO_USERNAME, "Demo", "Admin", "demo.example")
    Membership.objects.update_or_create(user=demo, brand=brand, defaults={"role": Role.ADMIN})
    AgentProfile.objects.get_or_create(user=demo, defaults={"public_first_name": "Demo", "capacity": 30})
    users[DEMO_USERNAME] = demo
    return brand, channels, teams, users


# --- replay ------------------------------------------------------------------------------


def _incoming(event: PostEvent) -> IncomingPost:
    author = None
    if event.author is not None:
        a = event.author
        author = AuthorData(platform_user_id=a.platform_user_id, handle=a.handle, display_name=a.display_name,
                            first_name=a.first_name, followers=a.followers, verified=a.verified)
    return IncomingPost(
        platform=event.platform, platform_id=event.platform_id, text=event.text, created_at=event.created_at,
        direction=event.direction, kind=event.kind, visibility=event.visibility, author=author,
        in_reply_to_id=event.in_reply_to, platform_conversation_id=event.thread, language=event.language,
        url=event.url, likes=event.likes, reposts=event.reposts, replies=event.replies, raw=dict(event.raw),
    )


def _live(conversation: Conversation) -> Conversation:
    seen = set()
    while conversation.status == Status.MERGED and conversation.merged_into_id and conversation.pk not in seen:
        seen.add(conversation.pk)
        conversation = conversation.merged_into
    return conversation


class Replayer:
    def __init__(self, brand: Brand, channels: dict, teams: dict, users: dict, strict: bool):
        self.brand = brand
        self.channels = channels
        self.teams = teams
        self.users = users
        self.strict = strict
        self.skipped: list[str] = []

    def post(self, platform: str, platform_id: str) -> Post:
        return Post.objects.select_related("conversation", "author__customer").get(
            brand=self.brand, platform=platform, platform_id=platform_id
        )

    def conversation(self, event: ActionEvent) -> Conversation:
        conversation = _live(self.post(event.platform, event.anchor).conversation)
        conversation.brand = self.brand  # saves a query in every action's audit record
        return conversation

    def apply(self, event: PostEvent | ActionEvent) -> None:
        if isinstance(event, PostEvent):
            actions.ingest_post(self.brand, self.channels[event.platform], _incoming(event), received_at=event.at)
            return
        try:
            self._act(event)
        except (actions.ActionError, Post.DoesNotExist) as exc:
            if self.strict:
                raise
            self.skipped.append(f"{event.verb} on {event.platform}:{event.anchor}: {exc}")

    def _act(self, e: ActionEvent) -> None:
        actor = self.users.get(e.actor, e.actor)
        verb, at = e.verb, e.at
        if verb == "edit":
            actions.mark_post_edited(self.post(e.platform, e.anchor), str(e.value), actor, now=at)
        elif verb == "delete":
            actions.mark_post_deleted(self.post(e.platform, e.anchor), actor, now=at)
        elif verb == "merge_customer":
            platform, _, platform_id = str(e.value).partition(":")
            source = self.post(e.platform, e.anchor).author.customer
            target = self.post(platform, platform_id).author.customer
            if source.pk != target.pk and not (source.merged_into_id or target.merged_into_id):
                actions.merge_customers(source, target, actor)
        else:
            self._on_conversation(self.conversation(e), e, actor)

    def _on_conversation(self, conversation: Conversation, e: ActionEvent, actor) -> None:
        verb, value, at = e.verb, e.value, e.at
        if verb == "team":
            actions.set_team(conversation, self.teams[value], actor)
        elif verb == "assign":
            actions.assign(conversation, self.users[value], actor)
        elif verb == "status":
            actions.set_status(conversation, str(value), actor, now=at)
        elif verb == "tag":
            actions.add_tag(conversation, str(value), actor)
        elif verb == "priority":
            actions.set_priority(conversation, int(value), actor)
        elif verb == "note":
            note = actions.add_note(conversation, str(value), actor)
            Note.objects.filter(pk=note.pk).update(created_at=at)  # written then, loaded now
        elif verb == "reply":
            key = f"demo-{self.brand.pk}-{e.platform}-{e.anchor}-{int(at.timestamp())}"[:64]
            actions.create_reply(conversation, str(value), actor, now=at, idempotency_key=key)
        else:
            raise ValueError(f"unknown demo action {verb!r}")


def load_brand(data: BrandData, *, strict: bool = False, progress=None) -> list[str]:
    """Create one demo brand and replay its events; returns the actions that could not be applied."""
    with transaction.atomic():
        brand, channels, teams, users = setup_brand(data.spec)
        replayer = Replayer(brand, channels, teams, users, strict)
        for event in data.events():
            replayer.apply(event)
            if progress is not None:
                progress.update(1)
    return replayer.skipped


def load(data: DemoSet, *, strict: bool = False, progress=None) -> LoadReport:
    """Load every brand of `data`. The caller makes sure no demo brand exists yet."""
    check_no_conflict()
    started = time.monotonic()
    report = LoadReport(events=sum(len(c.events) for b in data.brands for c in b.conversations))
    for brand_data in data.brands:
        report.skipped += load_brand(brand_data, strict=strict, progress=progress)
    report.seconds = time.monotonic() - started
    return report


def example_agents() -> list[str]:
    """One agent login per demo brand, for the summary."""
    return [next(a.username for a in spec.agents if a.role == "agent") for spec in BRANDS]
