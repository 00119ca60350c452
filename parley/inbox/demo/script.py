"""The demo data set as plain data: what the generator produces and the loader replays.

Nothing here touches the database. A `DemoSet` is a list of brands and, per
brand, a list of scripted conversations; each script is a time-ordered list of
events (posts arriving, agents acting). The loader replays every brand's
events in arrival order through the real ingestion and inbox actions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class AgentSpec:
    username: str
    first_name: str
    last_name: str
    role: str  # admin, supervisor, agent, viewer
    teams: tuple[str, ...] = ()
    capacity: int = 20

    @property
    def initials(self) -> str:
        return (self.first_name[:1] + self.last_name[:1]).upper()


@dataclass(frozen=True)
class ChannelSpec:
    platform: str
    external_id: str
    handle: str
    display_name: str


@dataclass(frozen=True)
class TeamSpec:
    slug: str
    name: str


@dataclass(frozen=True)
class BrandSpec:
    slug: str
    name: str
    key: str  # short key used in agent usernames ("maya.wren")
    industry: str
    channels: tuple[ChannelSpec, ...]
    teams: tuple[TeamSpec, ...]
    agents: tuple[AgentSpec, ...]
    settings: dict = field(default_factory=dict, hash=False, compare=True)

    def channel(self, platform: str) -> ChannelSpec:
        return next(c for c in self.channels if c.platform == platform)

    def agents_in(self, team: str) -> tuple[AgentSpec, ...]:
        return tuple(a for a in self.agents if a.role == "agent" and team in a.teams)

    @property
    def supervisors(self) -> tuple[AgentSpec, ...]:
        return tuple(a for a in self.agents if a.role in ("supervisor", "admin"))


@dataclass(frozen=True)
class Author:
    platform_user_id: str
    handle: str
    display_name: str
    first_name: str = ""
    followers: int = 0
    verified: bool = False


@dataclass(frozen=True)
class PostEvent:
    """A post as the platform delivers it. `at` is when it reaches Parley."""

    at: datetime
    created_at: datetime
    platform: str
    platform_id: str
    kind: str
    direction: str
    visibility: str
    text: str
    author: Author | None = None
    in_reply_to: str = ""
    thread: str = ""
    language: str = "en"
    url: str = ""
    likes: int = 0
    reposts: int = 0
    replies: int = 0
    agent: str = ""  # the agent who wrote an outbound post (username)
    raw: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class ActionEvent:
    """An agent (or the platform) acting on the conversation holding post `anchor`.

    verbs: team, assign, status, tag, note, priority, reply (a reply written in
    Parley, pending delivery), edit and delete (the platform reports the
    customer edited or deleted post `anchor`), merge_customer (the customer of
    `anchor` is merged into the customer of `value`).
    """

    at: datetime
    verb: str
    anchor: str
    platform: str
    actor: str  # a username, or a label such as "platform:x"
    value: str | int = ""


Event = PostEvent | ActionEvent


@dataclass
class ConversationScript:
    key: str
    scenario: str
    kind: str  # complaint, request, question, praise, feedback, troll, spam
    platform: str
    outcome: str
    events: list[Event] = field(default_factory=list)
    # Traits the data set promises (pileon, handoff, pii, vip, hostile, non_english, ...).
    traits: frozenset[str] = frozenset()

    @property
    def posts(self) -> list[PostEvent]:
        return [e for e in self.events if isinstance(e, PostEvent)]

    @property
    def actions(self) -> list[ActionEvent]:
        return [e for e in self.events if isinstance(e, ActionEvent)]


@dataclass
class BrandData:
    spec: BrandSpec
    conversations: list[ConversationScript]

    def events(self) -> list[Event]:
        """Every event of the brand in the order Parley receives them (stable)."""
        items = [(e.at, i, j, e) for i, c in enumerate(self.conversations) for j, e in enumerate(c.events)]
        items.sort(key=lambda t: (t[0], t[1], t[2]))
        return [e for *_, e in items]


@dataclass
class DemoSet:
    seed: int
    now: datetime
    scale: float
    brands: list[BrandData]

    @property
    def conversation_count(self) -> int:
        return sum(len(b.conversations) for b in self.brands)

    @property
    def post_count(self) -> int:
        return sum(len(c.posts) for b in self.brands for c in b.conversations)
