"""The seeded generator: the same seed and `now` always give the same demo data set.

For each brand it draws a mix of scenarios (with every kind of matter the
demo promises present at any scale), places them over the last seven days
with evening peaks, adds the brand's incident bursts, pile-ons, high-reach
customers, customers who write on two platforms, and posts that arrive out
of order, then lets `ConversationBuilder` write each conversation.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone

from .brands import BRANDS
from .builder import ConversationBuilder, Setup
from .ids import IdMaker
from .people import People
from .scenarios import content_for
from .scenarios.model import DM_PLATFORMS, HANDOFF, PRIVATE, PUBLIC, SIMPLE, Scenario
from .script import ActionEvent, BrandData, BrandSpec, ConversationScript, DemoSet, PostEvent

DEFAULT_SEED = 2611
DAYS = 7
# Conversations per brand at scale 1, before incidents and cross-platform follow-ups.
BASE_COUNT = {"fashion": 160, "telco": 140, "food": 150}
# Where each brand's customers mostly speak.
PLATFORM_MIX = {
    "fashion": {"x": 3, "instagram": 4, "facebook": 3, "youtube": 1.5},
    "telco": {"x": 5, "facebook": 3, "instagram": 1.2, "youtube": 1.3},
    "food": {"x": 4, "instagram": 3.5, "facebook": 2.5, "youtube": 1},
}
# Relative volume per hour of day (UTC): quiet nights, a lunchtime bump, busy evenings.
HOUR_WEIGHTS = (1, 0.6, 0.4, 0.3, 0.3, 0.4, 0.8, 1.6, 2.6, 3, 3.2, 3.2, 3.8, 3.4, 3, 3,
                3.3, 4.2, 5.2, 6, 6.2, 5.6, 4, 2.2)
DAY_WEIGHTS = (1.25, 1.15, 1.05, 1, 0.95, 0.9, 0.85)

OUTCOMES = {
    "complaint": (("untouched", 7), ("open", 10), ("pending_customer", 9), ("pending_internal", 10),
                  ("resolved", 24), ("closed", 33), ("reopened", 7)),
    "request": (("untouched", 6), ("open", 8), ("pending_customer", 12), ("pending_internal", 8),
                ("resolved", 26), ("closed", 35), ("reopened", 5)),
    "question": (("untouched", 10), ("open", 5), ("pending_customer", 8), ("resolved", 35), ("closed", 42)),
    "feedback": (("untouched", 15), ("resolved", 35), ("closed", 50)),
    "praise": (("untouched", 25), ("resolved", 30), ("closed", 45)),
    "troll": (("untouched", 30), ("resolved", 20), ("closed", 50)),
    "spam": (("untouched", 30), ("closed", 70)),
}
# Every status shows up whatever the scale: the first matters of each brand take these.
FORCED = ("untouched", "open", "pending_customer", "pending_internal", "resolved", "closed", "reopened")


def _scaled(count: float, scale: float, minimum: int = 1) -> int:
    return max(minimum, round(count * scale))


class BrandPlanner:
    def __init__(self, spec: BrandSpec, seed: int, now: datetime, scale: float):
        self.spec = spec
        self.rng = random.Random(f"parley-demo:{seed}:{spec.slug}")
        self.now = now
        self.scale = scale
        self.content = content_for(spec.industry)
        self.ids = IdMaker(self.rng)
        self.people = People(self.rng, self.ids)
        self.count = 0
        self.setups: dict[str, Setup] = {}

    # --- choosing ------------------------------------------------------------------

    def _must_haves(self) -> list[Scenario]:
        """One scenario for each kind of matter the demo promises (the last one on YouTube)."""
        pool = [s for s in self.content.scenarios if s.weight > 0]
        wants = (
            lambda s: "pii" in s.traits,
            lambda s: "hostile" in s.traits and s.flow != SIMPLE,
            lambda s: "hostile" in s.traits and s.flow == SIMPLE,
            lambda s: "non_english" in s.traits,
            lambda s: s.kind == "troll" and not s.traits,
            lambda s: s.kind == "spam",
            lambda s: s.kind == "praise",
            lambda s: s.kind == "feedback",
            lambda s: s.kind == "question",
            lambda s: s.kind == "request",
            lambda s: s.flow == HANDOFF and s.kind == "complaint" and not s.traits,
            lambda s: s.flow == PRIVATE,
            lambda s: bool(s.crowd) and s.flow in (PUBLIC, HANDOFF) and not s.traits,
            lambda s: "youtube" in s.platforms and s.flow == PUBLIC and s.kind in ("question", "feedback"),
        )
        return [self.rng.choice([s for s in pool if want(s)]) for want in wants]

    def _platform(self, scenario: Scenario) -> str:
        allowed = [p for p in scenario.platforms if scenario.flow in (PUBLIC, SIMPLE) or p in DM_PLATFORMS]
        mix = PLATFORM_MIX[self.spec.industry]
        return self.rng.choices(allowed, [mix.get(p, 1) for p in allowed])[0]

    def _outcome(self, scenario: Scenario) -> str:
        table = scenario.outcomes or OUTCOMES[scenario.kind]
        return self.rng.choices([o for o, _ in table], [w for _, w in table])[0]

    def _start(self) -> datetime:
        rng, now = self.rng, self.now
        midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
        while True:
            day = rng.choices(range(DAYS), DAY_WEIGHTS)[0]
            hour = rng.choices(range(24), HOUR_WEIGHTS)[0]
            start = midnight - timedelta(days=day, hours=-hour, seconds=-rng.uniform(0, 3600))
            if now - timedelta(days=DAYS) < start < now - timedelta(minutes=3):
                return start

    # --- building ------------------------------------------------------------------

    def _build(self, scenario: Scenario, *, outcome: str, start: datetime, traits=(), platform: str = "",
               vip: bool = False, **extra) -> ConversationScript:
        self.count += 1
        persona = extra.pop("persona", None) or self.people.make(vip=vip)
        traits = set(traits) | set(scenario.traits)
        if vip:
            traits.add("vip")
        setup = Setup(
            key=f"{self.spec.key}-{self.count:04d}", brand=self.spec, content=self.content, scenario=scenario,
            persona=persona, platform=platform or self._platform(scenario), start=start, outcome=outcome,
            traits=traits, **extra,
        )
        script = ConversationBuilder(setup, self.rng, self.ids, self.people, self.now).build()
        self.setups[script.key] = setup
        return script

    def build(self) -> BrandData:
        rng, scale = self.rng, self.scale
        regular = [s for s in self.content.scenarios if s.weight > 0]
        picks = self._must_haves()
        youtube_pick = len(picks) - 1
        total = _scaled(BASE_COUNT[self.spec.industry], scale, len(picks) + len(FORCED))
        picks += rng.choices(regular, [s.weight for s in regular], k=max(0, total - len(picks)))
        order = list(range(len(picks)))
        rng.shuffle(order)
        youtube_at = order.index(youtube_pick)
        picks = [picks[i] for i in order]

        # The traits that need a particular kind of scenario get the first that fits.
        def take(count: int, fits) -> set[int]:
            chosen = [i for i, s in enumerate(picks) if fits(s)]
            return set(rng.sample(chosen, min(count, len(chosen))))

        pileons = take(_scaled(5, scale), lambda s: bool(s.crowd) and s.flow in (PUBLIC, HANDOFF) and not s.traits)
        vips = take(_scaled(3, scale), lambda s: s.kind == "complaint" and s.flow == HANDOFF and not s.traits)
        late = take(_scaled(6, scale), lambda s: s.flow in (PUBLIC, HANDOFF) and s.kind != "question"
                    and s.language == "en")
        late -= pileons
        forced = iter(FORCED)
        forced_at = {}
        for i, s in enumerate(picks):
            # Handled in private and in English, a matter can stop at any step of the lifecycle.
            if s.flow in (HANDOFF, PRIVATE) and s.kind in ("complaint", "request") and s.language == "en":
                outcome = next(forced, None)
                if outcome is None:
                    break
                forced_at[i] = outcome

        conversations = []
        for i, scenario in enumerate(picks):
            traits = {"pileon"} if i in pileons else set()
            if i in late:
                traits.add("out_of_order")
            outcome = forced_at.get(i) or self._outcome(scenario)
            start = self._start()
            if i in forced_at:
                hours = (2, 20) if outcome in ("untouched", "open") else (84, 140)
                start = self.now - timedelta(hours=rng.uniform(*hours))
            if "pileon" in traits and outcome == "untouched":
                outcome = "open"
            conversations.append(self._build(scenario, outcome=outcome, start=start, traits=traits, vip=i in vips,
                                             platform="youtube" if i == youtube_at else ""))

        conversations += self._incidents()
        conversations += self._follow_ups(conversations)
        self._pending_replies(conversations)
        return BrandData(self.spec, conversations)

    def _incidents(self) -> list[ConversationScript]:
        rng, out = self.rng, []
        by_key = {s.key: s for s in self.content.scenarios}
        for key, count, hours_ago, span in self.content.incidents:
            scenario = by_key[key]
            began = self.now - timedelta(hours=hours_ago)
            fixed = began + timedelta(hours=span + 1.5)
            slots = {"area": rng.choice(self.content.slots.get("area", ("the city centre",))), "d5": str(rng.randint(10000, 99999))}
            for n in range(_scaled(count, self.scale, 3)):
                start = began + timedelta(hours=span * rng.betavariate(1.6, 4))
                if start >= self.now - timedelta(minutes=2):
                    continue
                traits = {"incident"} | ({"pileon"} if n == 0 else set())
                out.append(self._build(scenario, outcome=self._outcome(scenario), start=start, traits=traits,
                                       fixed_slots=slots, answer_at=fixed))
        return out

    def _follow_ups(self, conversations: list[ConversationScript]) -> list[ConversationScript]:
        """A few customers also write on a second platform; the agent merges their profiles."""
        rng, out = self.rng, []
        candidates = [
            c for c in conversations
            if c.platform in DM_PLATFORMS and c.kind in ("complaint", "request") and "incident" not in c.traits
            and c.posts and c.posts[0].direction == "in" and c.posts[0].created_at < self.now - timedelta(hours=8)
            and not c.traits & {"pileon", "out_of_order", "vip"}
        ]
        for original in rng.sample(candidates, min(len(candidates), _scaled(3, self.scale))):
            first = original.posts[0]
            setup = self.setups[original.key]
            other = rng.choice([p for p in DM_PLATFORMS if p != original.platform])
            start = first.created_at + timedelta(hours=rng.uniform(1, 6))
            start = min(start, self.now - timedelta(minutes=30))
            script = self._build(setup.scenario, outcome="resolved", start=start, platform=other,
                                 persona=setup.persona, companion_of=first, slots=setup.slots,
                                 traits={"multi_platform"})
            original.traits = original.traits | {"multi_platform"}
            out.append(script)
        return out

    def _pending_replies(self, conversations: list[ConversationScript]) -> None:
        """A few agents have just written a reply that the connector has not sent yet."""
        rng = self.rng
        for script in conversations:
            if not script.events or script.kind in ("spam", "troll", "praise"):
                continue
            last = script.events[-1]
            assigned = [e for e in script.actions if e.verb == "assign"]
            if (isinstance(last, PostEvent) and last.direction == "in" and assigned
                    and self.now - last.at < timedelta(hours=2) and rng.random() < 0.25):
                at = last.at + (self.now - last.at) * rng.uniform(0.3, 0.9)
                voice = self.content.voice
                text = self.setups[script.key].slots.fill(rng.choice(voice.chase_sorry + voice.ack_public))
                script.events.append(ActionEvent(at=at, verb="reply", anchor=script.posts[0].platform_id,
                                                 platform=script.platform, actor=assigned[-1].value, value=text))
                script.traits = script.traits | {"pending_reply"}


def generate(now: datetime | None = None, seed: int = DEFAULT_SEED, scale: float = 1.0,
             brands: tuple[BrandSpec, ...] = BRANDS) -> DemoSet:
    """The demo data set for `now` (aware; defaults to the current time, to the second)."""
    if now is None:
        now = datetime.now(timezone.utc).replace(microsecond=0)
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    if scale <= 0:
        raise ValueError("scale must be positive")
    now = now.astimezone(timezone.utc)
    return DemoSet(seed=seed, now=now, scale=scale,
                   brands=[BrandPlanner(spec, seed, now, scale).build() for spec in brands])
