"""Writes one conversation's events: the customer's posts, the brand's replies, the agents' actions.

Pure and seeded. The builder walks a scenario through the care playbook
(triage, pick-up, publicly acknowledge, privately address, follow up,
resolve, close) and stops where the chosen outcome says; whatever would
happen after `now` is dropped, so recent conversations are still in progress.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from .ids import IdMaker
from .people import People, Persona
from .scenarios import common
from .scenarios.model import HANDOFF, PRIVATE, PUBLIC, SIMPLE, Content, Scenario
from .script import ActionEvent, AgentSpec, BrandSpec, ConversationScript, PostEvent
from .text import PLATFORM_NAMES, Slots, email_for
from .writer import PostWriter

EDITABLE = ("x", "facebook", "instagram", "youtube")


@dataclass
class Setup:
    key: str
    brand: BrandSpec
    content: Content
    scenario: Scenario
    persona: Persona
    platform: str
    start: datetime
    outcome: str
    traits: set[str] = field(default_factory=set)
    fixed_slots: dict[str, str] = field(default_factory=dict)
    answer_at: datetime | None = None  # an incident's fix time
    companion_of: PostEvent | None = None  # the customer's post on another platform
    slots: Slots | None = None  # shared with the companion conversation


class ConversationBuilder(PostWriter):
    def __init__(self, setup: Setup, rng: random.Random, ids: IdMaker, people: People, now: datetime):
        self.s = setup
        self.sc = setup.scenario
        self.rng = rng
        self.ids = ids
        self.people = people
        self.now = now
        self.brand = setup.brand
        self.voice = setup.content.voice
        self.platform = setup.platform
        self.channel = setup.brand.channel(setup.platform)
        self.persona = setup.persona
        self.t = setup.start
        self.events: list = []
        self.root: PostEvent | None = None
        self.last_customer_public: PostEvent | None = None
        self.last_brand_public: PostEvent | None = None
        self.dm_started = False
        self.opening_index = 0
        self.not_before = setup.start  # nothing may resolve before the crowd has spoken
        self.team = self._team(self.sc.team)
        self.agent = self._agent()
        self.english = self.sc.language == "en"
        self.media = self._media()
        self.page_post = f"{self.channel.external_id}_{ids.digits(15)}"
        self.shortcode = ids.chars(11)
        if setup.slots is None:
            setup.slots = Slots(rng, setup.content.slots, dict(setup.fixed_slots))
            setup.slots.update(
                first=self.persona.first, brand=self.brand.name,
                email=email_for(self.persona.first, self.persona.last, rng),
                vip_role=self.persona.vip_role or "high-reach customer",
            )
        self.slots = setup.slots
        self.slots["agent"] = self.agent.first_name
        self.slots["team"] = next(t.name for t in self.brand.teams if t.slug == self.team)

    # --- who and where -------------------------------------------------------------

    def _team(self, slug: str) -> str:
        slugs = [t.slug for t in self.brand.teams]
        for candidate in (slug, "social" if slug == "trust" else slug, "care"):
            if candidate in slugs:
                return candidate
        return slugs[0]

    def _agent(self) -> AgentSpec:
        pool = self.brand.agents_in(self.team) or self.brand.supervisors
        return self.rng.choice(pool)

    def _triager(self) -> AgentSpec:
        return self.rng.choice(self.brand.supervisors + (self.agent,))

    def _media(self) -> str:
        titles = [title for platform, title in self.s.content.media if platform == self.platform]
        return self.rng.choice(titles) if titles else ""

    # --- time ----------------------------------------------------------------------

    def _lognormal_minutes(self, median: float, sigma: float) -> timedelta:
        return timedelta(minutes=max(0.5, median * math.exp(self.rng.gauss(0, sigma))))

    def _staffed(self, t: datetime) -> datetime:
        """Agents work 07:00-24:00 UTC; anything later waits for the morning shift."""
        if t.hour < 7:
            t = t.replace(hour=7, minute=0, second=0) + timedelta(minutes=self.rng.uniform(5, 75))
        return t

    def brand_delay(self) -> datetime:
        median = 22.0
        if self.sc.severity >= 4 or "vip" in self.s.traits or "pileon" in self.s.traits:
            median = 9.0
        elif self.sc.kind in ("praise", "feedback", "spam"):
            median = 90.0
        self.t = self._staffed(self.t + self._lognormal_minutes(median, 1.1))
        return self.t

    def customer_delay(self, median: float = 18.0) -> datetime:
        t = self.t + self._lognormal_minutes(median, 1.2)
        if 1 <= t.hour < 7 and self.rng.random() < 0.8:
            t = t.replace(hour=7, minute=0) + timedelta(minutes=self.rng.uniform(10, 180))
        self.t = t
        return t

    def soon(self, low: float = 0.5, high: float = 4.0) -> datetime:
        self.t = self.t + timedelta(minutes=self.rng.uniform(low, high))
        return self.t

    # --- actions -------------------------------------------------------------------

    def act(self, verb: str, value="", actor: AgentSpec | str | None = None, anchor: PostEvent | None = None,
            at: datetime | None = None) -> None:
        actor = actor or self.agent
        self.events.append(ActionEvent(
            at=at or self.t, verb=verb, anchor=(anchor or self.root).platform_id, platform=self.platform,
            actor=actor if isinstance(actor, str) else actor.username, value=value,
        ))

    def note(self, lines, actor: AgentSpec | None = None) -> None:
        if lines:
            self.soon(0.2, 2)
            self.act("note", self.slots.fill(self.rng.choice(lines)), actor)

    def paired(self, lines) -> str | None:
        """The line answering the opening the customer wrote, where the scenario pairs them."""
        if self.sc.paired and len(lines) == len(self.sc.opening):
            return lines[self.opening_index]
        return self.rng.choice(lines) if lines else None

    def pick(self, own, fallback=()) -> str | None:
        pool = own or (fallback if self.english else ())
        return self.rng.choice(pool) if pool else None

    # --- the playbook ----------------------------------------------------------------

    def build(self) -> ConversationScript:
        if self.s.companion_of is not None:
            self.companion()
        else:
            self.opening()
            if self.sc.flow == SIMPLE:
                self.simple()
            else:
                self.matter()
        kept = sorted((e for e in self.events if e.at <= self.now), key=lambda e: e.at)
        return ConversationScript(
            key=self.s.key, scenario=self.sc.key, kind=self.sc.kind, platform=self.platform,
            outcome=self.s.outcome, events=kept, traits=frozenset(self.s.traits),
        )

    def opening(self) -> None:
        sc, rng = self.sc, self.rng
        self.opening_index = rng.randrange(len(sc.opening))
        line = sc.opening[self.opening_index]
        if sc.flow == PRIVATE:
            self.root = self.customer_dm(line)
            if sc.details and rng.random() < 0.6 and "out_of_order" not in self.s.traits:
                self.soon(0.5, 5)
                self.customer_dm(rng.choice(sc.details))
        else:
            self.root = self.customer_public(line)
        line = self.pick(sc.more, common.MORE)
        if line and ("out_of_order" in self.s.traits or (sc.more and rng.random() < 0.3)):
            self.soon(1, 12)
            more = self.customer_dm(line) if sc.flow == PRIVATE else self.customer_public(line, reply_to=self.root)
            if "out_of_order" in self.s.traits:
                # The platform delivered the follow-up before the post it answers.
                late = replace(self.root, at=more.at + timedelta(seconds=rng.uniform(10, 90)))
                self.events[self.events.index(self.root)] = late
                self.root = late
                self.t = late.at
        if sc.flow != PRIVATE and sc.language == "en" and rng.random() < 0.05 and self.platform in EDITABLE:
            edited = f"{self.root.text} {rng.choice(common.EDITS)}"
            self.act("edit", edited, f"platform:{self.platform}",
                     at=max(self.t, self.root.at) + timedelta(minutes=rng.uniform(0.5, 8)))
        if "pileon" in self.s.traits:
            self.crowd()

    def crowd(self) -> None:
        rng = self.rng
        lines = list(self.sc.crowd) or list(common.CHASE)
        rng.shuffle(lines)
        at = self.root.created_at
        for line in lines[: rng.randint(3, min(7, max(3, len(lines))))]:
            at += timedelta(minutes=rng.uniform(1, 30))
            person = self.people.make()
            self.customer_public(line, persona=person, reply_to=self.root, at=at, severity=2)
        if rng.random() < 0.35:
            at += timedelta(minutes=rng.uniform(1, 20))
            scammer = self.people.make()
            scammer.display_name, scammer.style = rng.choice(common.SCAM_NAMES), "formal"
            scam = self.customer_public(rng.choice(common.SCAM_CROWD), persona=scammer, reply_to=self.root,
                                        at=at, severity=0)
            self.s.traits.add("scam_reply")
            self.act("note", "A fake support account replied under this post. Reported it; warn the customer.",
                     self._triager(), anchor=scam, at=at + timedelta(minutes=rng.uniform(5, 40)))
        self.not_before = at + timedelta(minutes=1)

    def triage(self, assign: bool = False) -> None:
        sc, rng = self.sc, self.rng
        self.t = self._staffed(self.soon(1, 20))
        who = self._triager()
        self.act("team", self.team, who)
        tags = list(sc.tags)
        for trait, tag in (("pii", "personal-data"), ("vip", "vip"), ("pileon", "pile-on"),
                           ("non_english", f"lang-{sc.language}"), ("hostile", "markup")):
            if trait in self.s.traits:
                tags.append(tag)
        for tag in tags:
            self.act("tag", tag, who)
        priority = {4: 85, 3: 60, 2: 35, 1: 15}.get(sc.severity, 0)
        priority += 10 * ("vip" in self.s.traits) + 10 * ("pileon" in self.s.traits)
        if priority and sc.kind not in ("spam", "praise"):
            self.act("priority", min(100, priority + rng.randint(0, 9)), who)
        if "vip" in self.s.traits:
            self.note(common.VIP_NOTES, who)
        if "pileon" in self.s.traits:
            self.note(common.PILEON_NOTES, who)
        if sc.notes and rng.random() < 0.35:
            self.note(sc.notes, who)

    def pickup(self) -> None:
        """The agent takes the conversation shortly before answering."""
        floor = self.t
        reply_at = self.brand_delay()
        if reply_at - floor > timedelta(hours=2.5) and self.rng.random() < 0.45 and self.english:
            self.t = floor + (reply_at - floor) / 2
            self.chase()
            floor = self.t + timedelta(seconds=30)
        self.t = max(floor, reply_at - timedelta(minutes=self.rng.uniform(0.5, 4)))
        actor = self.agent if self.rng.random() < 0.6 else self._triager()
        self.act("assign", self.agent.username, actor)
        self.act("status", "open", self.agent)
        self.t = max(self.t + timedelta(seconds=20), reply_at)

    def chase(self) -> None:
        waited = self.t - self.root.created_at
        line = self.rng.choice(common.CHASE_LONG if waited > timedelta(hours=16) else common.CHASE)
        if self.sc.flow == PRIVATE or self.dm_started:
            self.customer_dm(line)
        else:
            self.customer_public(line, reply_to=self.last_customer_public or self.root)

    def say(self, line: str | None) -> PostEvent | None:
        """The brand speaks where the matter is being handled now."""
        if not line:
            return None
        if self.sc.flow == PRIVATE or self.dm_started:
            return self.brand_dm(line)
        return self.brand_public(line)

    def customer_says(self, line: str | None, severity: int | None = None) -> PostEvent | None:
        """The customer answers where the matter is being handled now; `severity` sets the mood."""
        if not line:
            return None
        if self.sc.flow == PRIVATE or self.dm_started:
            return self.customer_dm(line, severity)
        return self.customer_public(line, reply_to=self.last_brand_public or self.last_customer_public,
                                    severity=severity)

    def matter(self) -> None:
        sc, rng, voice, outcome = self.sc, self.rng, self.voice, self.s.outcome
        if outcome == "untouched":
            if rng.random() < 0.4:
                self.triage()
            if rng.random() < 0.35 and self.english:
                self.customer_delay(240)
                self.chase()
            return
        self.triage()
        self.pickup()
        answered = False
        if sc.flow == HANDOFF:
            line = self.pick(voice.ack_pii if "pii" in self.s.traits else sc.ack or voice.ack_dm)
            ack = self.brand_public(line)
            if "pii" in self.s.traits:
                self.note(common.PII_NOTES)
                if rng.random() < 0.65:
                    self.act("delete", "", f"platform:{self.platform}", anchor=self.root,
                             at=ack.created_at + timedelta(minutes=rng.uniform(2, 30)))
            self.customer_delay(25)
            self.dm_started = True
            self.customer_dm(self.pick(sc.details, common.DETAILS) or rng.choice(sc.opening))
            self.brand_delay()
        elif sc.flow == PUBLIC:
            if sc.kind == "feedback":
                self.brand_public(self.paired(sc.ack) if sc.ack else self.pick((), voice.feedback))
                self.note(sc.notes or ("Logged for the product team.",))
                self.finish()
                return
            ack = self.pick(sc.ack, voice.ack_public)
            direct = sc.kind == "question" and not self.s.answer_at and rng.random() < 0.75 and outcome not in (
                "pending_customer", "pending_internal", "open"
            )
            if direct or ack is None:
                answered = bool(self.brand_public(self.paired(sc.answer) or self.pick((), voice.ack_public)))
            else:
                self.brand_public(ack)
                if self.s.answer_at:
                    self.soon(1, 10)
                else:
                    self.brand_delay()
        if not answered:
            if not self.work():
                return
        self.finish()

    def work(self) -> bool:
        """Ask, check internally, answer. False when the conversation stops waiting on someone."""
        sc, rng, voice, outcome = self.sc, self.rng, self.voice, self.s.outcome
        if self.s.answer_at:
            if self.dm_started or sc.flow == PRIVATE:
                self.say(self.pick(sc.internal, voice.internal))
            self.act("status", "pending_internal")
            self.note(sc.notes)
            if outcome == "open" and self.english:
                self.customer_delay(40)
                self.chase()
                return False
            if outcome in ("pending_internal", "untouched"):
                return False
            self.t = max(self.t, self.s.answer_at + timedelta(minutes=rng.uniform(5, 60)))
            self.say(self.pick(sc.answer))
            return True
        private = sc.flow == PRIVATE or self.dm_started
        matter = sc.kind in ("complaint", "request") and self.english
        # Stock questions ask for order details, so only in private; stock updates suit any matter.
        asks = sc.ask or (voice.ask if matter and private else ())
        checks = sc.internal or (voice.internal if matter else ())
        roll = rng.random()
        if outcome == "pending_customer" and asks:
            path = "ask"
        elif outcome == "pending_internal" and checks:
            path = "internal"
        elif outcome == "open":
            path = "ask" if asks else "internal" if checks else "answer"
        else:
            path = "ask" if asks and roll < 0.3 else "internal" if checks and roll < 0.6 else "answer"
        if path == "ask":
            self.say(rng.choice(asks))
            self.act("status", "pending_customer")
            if outcome == "pending_customer":
                return False
            self.customer_delay(45)
            self.customer_says(self.pick(sc.reply_to_ask, common.GIVE if private else common.PUBLIC_OK), 1)
            if outcome == "open":
                return False
            self.brand_delay()
        if path == "internal":
            self.say(rng.choice(checks))
            self.act("status", "pending_internal")
            self.note(sc.notes or common.WAITING_NOTES)
            if outcome == "pending_internal":
                return False
            if outcome == "open" and self.english:
                self.customer_delay(120)
                self.chase()
                return False
            self.t = self._staffed(self.t + timedelta(hours=rng.uniform(2, 26)))
        self.say(self.paired(sc.answer) or self.pick((), voice.ack_public))
        return True

    def finish(self) -> None:
        sc, rng, voice, outcome = self.sc, self.rng, self.voice, self.s.outcome
        if rng.random() < 0.65:
            self.customer_delay(30)
            if self.customer_says(self.pick(sc.thanks, common.THANKS), 0) and rng.random() < 0.5 and self.english:
                before = self.t
                if self.brand_delay() - before < timedelta(hours=3):  # nobody says "enjoy" the next morning
                    self.say(self.pick((), voice.welcome))
                else:
                    self.t = before
        if self.dm_started and self.english and rng.random() < 0.45:
            self.soon(1, 30)
            self.brand_public(self.pick((), voice.close_loop), reply_to=self.root)
        self.resolve()
        if outcome == "reopened" and self.english:
            self.t += timedelta(hours=rng.uniform(2, 40))
            self.customer_says(self.pick(sc.comeback, common.COMEBACK))
            if rng.random() < 0.5:
                self.brand_delay()
                self.say(self.pick((), voice.chase_sorry))
        elif outcome == "closed":
            self.close()

    def resolve(self) -> None:
        self.t = max(self.soon(1, 40), self.not_before)
        self.act("status", "resolved")

    def close(self) -> None:
        self.t = self._staffed(self.t + timedelta(hours=self.rng.uniform(20, 70)))
        self.act("status", "closed", self._triager())

    def simple(self) -> None:
        """Praise, trolls and spam: at most one reply, then closed."""
        sc, rng, voice, outcome = self.sc, self.rng, self.voice, self.s.outcome
        if outcome == "untouched":
            return
        self.triage()
        if sc.kind == "praise":
            self.brand_delay()
            self.act("assign", self.agent.username, self.agent)
            self.brand_public(self.pick((), voice.praise))
        elif sc.kind == "troll":
            if sc.ack and rng.random() < 0.5:
                self.brand_delay()
                reply = self.brand_public(self.pick(sc.ack, voice.troll))
                if sc.more and rng.random() < 0.6:
                    self.customer_delay(5)
                    self.customer_public(rng.choice(sc.more), reply_to=reply)
            if rng.random() < 0.15:
                self.act("delete", "", f"platform:{self.platform}", at=self.t + timedelta(hours=rng.uniform(1, 9)))
            self.note(sc.notes)
        else:
            self.note(sc.notes)
        if outcome == "closed" or sc.kind in ("spam", "troll"):
            self.soon(1, 60)
            self.act("status", "closed" if outcome != "resolved" else "resolved", self._triager())
        else:
            self.resolve()

    def companion(self) -> None:
        """The same customer, same matter, on another platform; the agent merges the two profiles."""
        rng, original = self.rng, self.s.companion_of
        self.slots["other"] = PLATFORM_NAMES[original.platform]
        line = f"{rng.choice(common.CROSS_POST)} {rng.choice(self.sc.opening)}"
        self.root = self.customer_public(line)
        self.triage()
        self.act("merge_customer", f"{original.platform}:{original.platform_id}", self._triager())
        self.note(common.CROSS_NOTES)
        self.brand_delay()
        self.brand_public(
            "Thanks {first}, we've got your message on {other} and we're handling it there, so we'll keep it in one place."
        )
        self.soon(1, 15)
        self.act("status", "resolved")
