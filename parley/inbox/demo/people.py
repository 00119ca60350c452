"""Invented customers: names, handles, reach and writing habits (pure, seeded)."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from .ids import IdMaker
from .script import Author

FIRST_NAMES = (
    "Aaliyah", "Abdul", "Ada", "Aditi", "Aiden", "Alba", "Alejandro", "Amara", "Amir", "Ana", "Anders",
    "Anjali", "Arlo", "Asha", "Ayo", "Beatriz", "Bilal", "Bo", "Bronwen", "Caleb", "Callum", "Camille",
    "Carys", "Chen", "Chloe", "Ciaran", "Dami", "Dan", "Daria", "Declan", "Deepa", "Eamon", "Elif", "Ellis",
    "Emeka", "Emma", "Esme", "Ewan", "Fatima", "Felix", "Fern", "Finn", "Freya", "Gabriel", "Gemma", "Gus",
    "Hamza", "Hannah", "Harriet", "Idris", "Ines", "Isla", "Jade", "Jamal", "Jess", "Joao", "Jonah", "Josie",
    "Kai", "Karen", "Kasia", "Keira", "Kemi", "Kieran", "Lars", "Layla", "Leah", "Lena", "Lewis", "Lily",
    "Lorcan", "Luca", "Magda", "Mariam", "Marta", "Mateo", "Maxine", "Mia", "Mo", "Nadia", "Nathan", "Niamh",
    "Nico", "Nina", "Noor", "Olu", "Omar", "Orla", "Oscar", "Paolo", "Pat", "Pia", "Priya", "Rafael", "Rhys",
    "Rosa", "Ruth", "Sade", "Sakura", "Sam", "Sanjay", "Sean", "Shona", "Sofia", "Stella", "Tariq", "Tess",
    "Theo", "Tom", "Tomasz", "Uma", "Vik", "Wes", "Yara", "Yusuf", "Zain", "Zara", "Zoltan",
)

LAST_NAMES = (
    "Abara", "Achebe", "Adeyemi", "Ahmed", "Alvarez", "Andersen", "Baptiste", "Barker", "Bello", "Bianchi",
    "Boyle", "Brennan", "Campbell", "Carvalho", "Chandra", "Chowdhury", "Clarke", "Costa", "Cruz", "Dawson",
    "Delaney", "Desai", "Dimitrov", "Doyle", "Dubois", "Ekwueme", "Evans", "Farouk", "Fernandes", "Fitzgerald",
    "Flores", "Gallagher", "Garcia", "Ghosh", "Gill", "Grant", "Haddad", "Hale", "Hussain", "Ivanova", "Jensen",
    "Jones", "Kaur", "Kelly", "Khan", "Kowalski", "Kumar", "Lam", "Lindqvist", "Lloyd", "Lopez", "Lynch",
    "MacLeod", "Malik", "Marsh", "Mensah", "Moreau", "Morgan", "Murphy", "Nakamura", "Nguyen", "Novak",
    "Nowak", "O'Brien", "Okafor", "Okoro", "Olsen", "Osei", "Owusu", "Park", "Patel", "Pereira", "Pham",
    "Quinn", "Rahman", "Reyes", "Rossi", "Rowe", "Saleh", "Santos", "Schmidt", "Shah", "Silva", "Singh",
    "Sokolova", "Stewart", "Sullivan", "Tanaka", "Thomas", "Torres", "Turner", "Varga", "Walsh", "Ward",
    "Watts", "Webb", "Williams", "Wilson", "Wojcik", "Yilmaz", "Young", "Zhang",
)

HOBBIES = ("runs", "bakes", "reads", "travels", "codes", "lifts", "knits", "games", "draws", "cooks",
           "rides", "climbs", "paints", "hikes", "sews", "swims")
NICK_EMOJI = ("🌸", "✨", "🌿", "☕", "🏳️‍🌈", "⚽", "🎧", "🐾", "🌙", "🔥", "📚", "🎮", "🧶", "🌻")
VIP_ROLES = (
    ("journalist", "consumer affairs reporter"),
    ("creator", "style creator"),
    ("podcaster", "tech podcast host"),
    ("news", "local news desk"),
    ("creator", "lifestyle creator"),
    ("athlete", "club footballer"),
)

# How a person writes. Weighted: most people write casually.
STYLES = (("plain", 4), ("casual", 6), ("emoji", 3), ("shouty", 1), ("formal", 2), ("terse", 2))


@dataclass
class Persona:
    key: str
    first: str
    last: str
    display_name: str
    style: str
    followers: int
    verified: bool = False
    vip_role: str = ""
    handles: dict[str, str] = field(default_factory=dict)
    user_ids: dict[str, str] = field(default_factory=dict)

    @property
    def full_name(self) -> str:
        return f"{self.first} {self.last}"

    def author(self, platform: str) -> Author:
        # Facebook shows real names; elsewhere the first name is known when the
        # display name starts with it.
        known = platform == "facebook" or self.display_name.startswith(self.first)
        name = self.full_name if platform == "facebook" else self.display_name
        return Author(
            platform_user_id=self.user_ids[platform],
            handle="" if platform == "facebook" else self.handles[platform],
            display_name=name,
            first_name=self.first if known else "",
            followers=self.followers,
            verified=self.verified,
        )


class People:
    """Makes personas for one brand; every persona gets ids on every platform."""

    def __init__(self, rng: random.Random, ids: IdMaker):
        self.rng = rng
        self.ids = ids
        self.count = 0
        self.taken_handles: set[str] = set()

    def _handle(self, first: str, last: str) -> str:
        rng = self.rng
        f, l = first.lower().replace("'", ""), last.lower().replace("'", "")
        patterns = (
            lambda: f"{f}{l}",
            lambda: f"{f}_{l}",
            lambda: f"{f}.{l[:1]}",
            lambda: f"{f}{rng.randint(1, 99)}",
            lambda: f"{f}{l}{rng.randint(80, 99)}",
            lambda: f"its{f}",
            lambda: f"{f}{rng.choice(HOBBIES)}",
            lambda: f"the{l}",
            lambda: f"{f[:3]}{l[:4]}_",
            lambda: f"real{f}{l[:1]}",
            lambda: f"{l}{f[:1]}{rng.randint(1, 9)}",
        )
        while True:
            handle = rng.choice(patterns)()[:15]
            if handle not in self.taken_handles:
                self.taken_handles.add(handle)
                return handle

    def make(self, *, vip: bool = False) -> Persona:
        rng = self.rng
        self.count += 1
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        style = rng.choices([s for s, _ in STYLES], [w for _, w in STYLES])[0]
        roll = rng.random()
        if roll < 0.55:
            display = f"{first} {last}"
        elif roll < 0.7:
            display = first
        elif roll < 0.82:
            display = f"{first} {rng.choice(NICK_EMOJI)}"
        elif roll < 0.92:
            display = f"{first[:1]}. {last}"
        else:
            display = f"{first} | {rng.choice(HOBBIES)} a lot"
        followers = int(rng.lognormvariate(5.2, 1.3))
        persona = Persona(
            key=f"p{self.count:04d}", first=first, last=last, display_name=display, style=style,
            followers=min(followers, 40_000),
        )
        if vip:
            kind, role = rng.choice(VIP_ROLES)
            persona.vip_role = role
            persona.verified = True
            persona.followers = int(rng.uniform(48_000, 1_400_000))
            persona.display_name = f"{first} {last}"
            persona.style = "formal" if kind in ("journalist", "news") else rng.choice(("plain", "emoji"))
        handle = self._handle(first, last)
        for platform in ("x", "facebook", "instagram", "youtube"):
            persona.handles[platform] = handle if rng.random() < 0.8 else self._handle(first, last)
            persona.user_ids[platform] = self.ids.user_id(platform)
        return persona
