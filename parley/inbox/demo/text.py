"""Filling a scenario line for one conversation, and dressing it for its platform (pure)."""

from __future__ import annotations

import random
import re
import string

PLATFORM_NAMES = {"x": "X", "facebook": "Facebook", "instagram": "Instagram", "youtube": "YouTube"}
STREETS = ("Orchard Lane", "Mill Road", "Beech Grove", "Station Street", "Albert Terrace", "Quarry Hill",
           "Foundry Walk", "Church View", "Marlow Close", "Tanner's Row")
MAIL_DOMAINS = ("example.com", "example.net", "example.org", "mail.example")
_DIGITS = re.compile(r"\{d(\d+)\}")
_LETTERS = re.compile(r"\{L(\d+)\}")


class TemplateError(KeyError):
    """A line names a slot nobody provides."""


class Slots(dict):
    """Slot values for one conversation, chosen lazily and kept, so the order number stays the same."""

    def __init__(self, rng: random.Random, pools: dict[str, tuple[str, ...]], fixed: dict[str, str]):
        super().__init__(fixed)
        self.rng = rng
        self.pools = pools

    def expand(self, value: str) -> str:
        value = _DIGITS.sub(lambda m: self.digits(int(m.group(1))), value)
        return _LETTERS.sub(lambda m: "".join(self.rng.choice(string.ascii_uppercase)
                                              for _ in range(int(m.group(1)))), value)

    def digits(self, n: int) -> str:
        return str(self.rng.randint(1, 9)) + "".join(self.rng.choice(string.digits) for _ in range(n - 1))

    def __missing__(self, key: str) -> str:
        match = re.fullmatch(r"d(\d+)", key)
        if match:
            value = self.digits(int(match.group(1)))
        elif key in self.pools:
            value = self.expand(self.rng.choice(self.pools[key]))
        elif key == "phone":
            value = f"07700 900{self.rng.randint(0, 999):03d}"  # Ofcom's range for drama
        elif key == "address":
            value = f"{self.rng.randint(2, 88)} {self.rng.choice(STREETS)}"
        elif key == "when_past":
            value = self.rng.choice(("yesterday", "on Saturday", "last Tuesday", "three days ago",
                                     "over a week ago", "on Monday", "last week"))
        elif key == "city":
            value = self.rng.choice(("Leeds", "Bristol", "Glasgow", "Cardiff", "Norwich", "Brighton",
                                     "Sheffield", "Belfast", "Nottingham", "York", "Aberdeen", "Exeter"))
        else:
            raise TemplateError(key)
        self[key] = value
        return value

    def fill(self, line: str) -> str:
        return line.format_map(self)


def email_for(first: str, last: str, rng: random.Random) -> str:
    local = rng.choice((f"{first}.{last}", f"{first}{last[:1]}", f"{first}{rng.randint(70, 99)}", f"{last}.{first[:1]}"))
    local = re.sub(r"[^a-z0-9.]", "", local.lower())
    return f"{local}@{rng.choice(MAIL_DOMAINS)}"


def mention(text: str, handle: str, rng: random.Random) -> str:
    """Put the brand's @handle into a customer's X post, where people usually put it."""
    tag = f"@{handle}"
    if tag.lower() in text.lower():
        return text
    roll = rng.random()
    if roll < 0.6:
        return f"{tag} {text}"
    if roll < 0.85:
        return f"{text} {tag}"
    return f"{tag} {text[:1].lower()}{text[1:]}"


def signed(text: str, style: str, agent_first: str, initials: str, emoji: str, platform: str) -> str:
    """The brand's sign-off for an agent's reply."""
    if style == "initials":
        return f"{text} ^{initials}"
    if style == "emoji":
        return f"{text} – {agent_first} {emoji}".rstrip()
    if platform == "x":
        return f"{text} ^{initials}"
    return f"{text} - {agent_first}"
