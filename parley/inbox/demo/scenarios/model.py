"""The shape of the scenario library.

A `Scenario` is one kind of customer matter written as pools of alternative
lines for each turn; `{slot}` placeholders are filled per conversation from
the brand's slot values, so the same scenario reads differently each time.
A `Voice` holds a brand's stock replies, used where a scenario has none of
its own. Lines are plain text; the generator adds @-prefixes, signatures and
each customer's writing habits.
"""

from __future__ import annotations

from dataclasses import dataclass, field

Lines = tuple[str, ...]

PUBLIC_PLATFORMS = ("x", "facebook", "instagram", "youtube")
DM_PLATFORMS = ("x", "facebook", "instagram")

# Flows: how the conversation moves between public and private.
PUBLIC = "public"  # answered in the public thread
HANDOFF = "handoff"  # acknowledged in public, handled in private messages
PRIVATE = "private"  # starts in private messages
SIMPLE = "simple"  # one post, at most one brand reply (praise, trolls, spam)


@dataclass(frozen=True)
class Scenario:
    key: str
    kind: str  # complaint, request, question, praise, feedback, troll, spam
    team: str
    opening: Lines
    flow: str = HANDOFF
    severity: int = 1  # 0 happy ... 4 threats to leave, legal, safety
    weight: float = 1.0
    platforms: tuple[str, ...] = ("x", "facebook", "instagram")
    tags: tuple[str, ...] = ()
    more: Lines = ()  # the customer adds to the opening straight away
    ack: Lines = ()  # the brand's first reply (public for HANDOFF/PUBLIC)
    details: Lines = ()  # the customer's details, in private for HANDOFF
    ask: Lines = ()  # the brand asks for something: pending customer
    reply_to_ask: Lines = ()  # the customer answers the question
    internal: Lines = ()  # the brand checks with another team: pending internal
    answer: Lines = ()  # the brand's resolution
    thanks: Lines = ()  # the customer's reaction to the resolution
    comeback: Lines = ()  # the customer returns after resolution
    crowd: Lines = ()  # other people replying on the public post (pile-on)
    notes: Lines = ()  # internal notes
    language: str = "en"
    # The answer at index i answers the opening at index i (questions).
    paired: bool = False
    traits: tuple[str, ...] = ()  # pii, hostile, long, vip, ...
    # Relative odds of each outcome; the generator's defaults when empty.
    outcomes: tuple[tuple[str, float], ...] = ()


@dataclass(frozen=True)
class Voice:
    signature: str  # "dash", "initials" or "emoji"
    ack_dm: Lines
    ack_pii: Lines
    ack_public: Lines
    ask: Lines
    internal: Lines
    chase_sorry: Lines
    welcome: Lines
    close_loop: Lines
    troll: Lines
    praise: Lines
    feedback: Lines
    youtube_redirect: Lines
    sign_emoji: str = ""


@dataclass(frozen=True)
class Content:
    """Everything a brand's conversations are written from."""

    voice: Voice
    scenarios: tuple[Scenario, ...]
    slots: dict[str, Lines] = field(default_factory=dict)
    # The brand's own posts people comment under: (platform, title).
    media: tuple[tuple[str, str], ...] = ()
    # A burst of similar complaints in a short window: (scenario key, count, hours ago, span hours).
    incidents: tuple[tuple[str, int, float, float], ...] = ()
