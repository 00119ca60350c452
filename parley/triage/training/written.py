"""Examples written for Parley (no outside source), expanded from small templates.

They cover labels the public sets lack: spam, chatter, feedback and praise
aimed at a brand for the intent model; repair, replacement, return, apology
and to-be-heard for the desired-outcome model. Deterministic (fixed seed).
"""

from __future__ import annotations

import itertools
import json
import random
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"

PRODUCTS = ["phone", "laptop", "headphones", "blender", "jacket", "order", "package", "tv", "router",
            "washing machine", "sofa", "shoes", "watch", "tablet", "printer", "coffee maker"]
BRANDS = ["@acme", "@shopco", "@telconet", "@flyhigh", "@bankly", "@streamr"]

SPAM = [
    "Earn $500 a day from home!!! click here {link}",
    "FREE followers 1000 in 1 hour dm me now {link}",
    "check out my new mixtape {link} #music #newmusic",
    "Crypto giveaway! send 0.1 btc and get 1 back {link}",
    "follow me and i follow back #followback #f4f",
    "Hot singles in your area {link}",
    "Win a free iPhone 15 just retweet and click {link}",
    "best cheap watches replica sale 90% off {link}",
    "Buy instagram likes cheap fast delivery {link}",
    "Limited offer!!! weight loss pills no diet {link}",
    "{brand} {brand} {brand} check my profile for promo codes",
    "invest now and double your money guaranteed {link}",
    "subscribe to my channel pls {link} {link}",
    "get rich quick with this one trick {link}",
    "Visit our store for amazing deals {link} #sale #deal #discount",
    "DM for collab, promo, shoutouts cheap rates",
    "click the link in bio to claim your prize",
    "we are hiring work from home no experience $$$ {link}",
    "lottery winner announced claim within 24h {link}",
    "{brand} this account sells gift cards cheaper {link}",
]
CHATTER = [
    "good morning everyone", "what a day lol", "anyone watching the game tonight?",
    "can't believe it's already friday", "this weather though", "just had the best coffee",
    "lol same", "haha that's so true", "ok", "thanks", "cool", "nice one", "happy monday!",
    "watching netflix all weekend", "who else is tired today", "so ready for the holidays",
    "my cat is sleeping on my keyboard again", "new profile pic", "listening to music on the train",
    "that episode was wild", "brb", "gm", "lmao", "same here", "{brand} hi", "hello {brand}",
    "{brand} 👋", "lunch time", "miss summer already", "on my way home", "what's everyone up to",
    "the match was amazing last night", "long week", "good night twitter", "rainy sunday vibes",
]
FEEDBACK = [
    "{brand} you should add a dark mode to the app", "{brand} it would be great if the {p} came in more colours",
    "{brand} suggestion: let us save our cart between devices", "{brand} please bring back the old menu layout",
    "{brand} would love an option to schedule deliveries", "{brand} the new checkout is confusing, maybe show the total earlier",
    "{brand} idea: a loyalty programme for regular customers", "{brand} your website could be faster on mobile",
    "{brand} feature request: export my history as csv", "{brand} consider adding vegan options to the menu",
    "{brand} the {p} is good but the manual is hard to follow", "{brand} i think the font in the app is too small",
    "{brand} just a thought, longer opening hours on weekends would help", "{brand} feedback on the new update: mostly good, search got worse",
    "{brand} you could make the return form shorter", "{brand} i'd like to suggest adding apple pay",
]
PRAISE = [
    "{brand} thank you so much for the quick help today!", "{brand} best customer service ever, sorted in minutes",
    "{brand} love my new {p}, works perfectly", "{brand} shoutout to your support team, amazing job",
    "{brand} you guys are awesome, thanks for fixing it", "{brand} great experience, will order again",
    "{brand} the {p} arrived early and looks great!", "{brand} really impressed with how you handled my issue",
    "{brand} thanks for the refund, super fast", "{brand} 10/10 service as always ❤️",
    "big thanks to {brand} for replacing my {p} so quickly", "{brand} your staff at the store were so kind today",
]

OUTCOME = {
    "repair": [
        "{brand} my {p} stopped working after a week, can you fix it?",
        "{brand} the screen on my {p} is cracked, how do i get it repaired",
        "{brand} my {p} keeps turning off, need someone to repair it",
        "{brand} is the {p} still under warranty for a repair?",
        "{brand} book me a repair please, the {p} makes a grinding noise",
        "{brand} my {p} won't charge anymore, where can i get it fixed",
        "{brand} need a technician, the {p} is broken again",
        "{brand} the button on my {p} is stuck, please fix",
    ],
    "replacement": [
        "{brand} my {p} arrived damaged, please send a replacement",
        "{brand} i want a new {p}, this one is faulty",
        "{brand} can you replace my {p}? it came broken",
        "{brand} received the wrong {p}, need the right one sent",
        "{brand} the {p} is defective, i'd like an exchange for a new one",
        "{brand} please swap my {p}, it was missing parts",
        "{brand} replacement needed, {p} dead on arrival",
    ],
    "return": [
        "{brand} how do i return my {p}?", "{brand} i want to send the {p} back",
        "{brand} need a return label for my {p}", "{brand} can i return the {p} i bought last week",
        "{brand} returning this {p}, it doesn't fit", "{brand} where do i drop off my return",
        "{brand} started a return for the {p} but no label came",
    ],
    "refund": [
        "{brand} i want my money back for the {p}", "{brand} still waiting on my refund for the {p}",
        "{brand} refund me now, the {p} never came", "{brand} you charged me twice, refund the extra",
        "{brand} when will my refund for the cancelled {p} arrive",
    ],
    "cancellation": [
        "{brand} cancel my subscription please", "{brand} i want to cancel my order for the {p}",
        "{brand} how do i close my account", "{brand} please stop my membership from renewing",
        "{brand} cancel the {p} order before it ships",
    ],
    "delivery": [
        "{brand} where is my {p}? it was due yesterday", "{brand} my package says delivered but nothing here",
        "{brand} tracking hasn't updated in 5 days", "{brand} when will my {p} be delivered",
        "{brand} driver left my {p} at the wrong address",
    ],
    "apology": [
        "{brand} your staff were rude to me, i expect an apology", "{brand} an apology would be nice after that",
        "{brand} not even a sorry after ruining my weekend?", "{brand} someone owes me an apology for this",
        "{brand} the least you can do is apologise", "{brand} i want a formal apology from the manager",
    ],
    "to_be_heard": [
        "{brand} just want you to know how bad this was", "{brand} worst experience ever, never again",
        "{brand} so disappointed with you lately", "{brand} this is unacceptable and people should know",
        "{brand} i'm done with your service honestly", "{brand} fed up with this company",
        "{brand} nobody listens at your call centre", "{brand} every time the same problem, sick of it",
    ],
    "information": [
        "{brand} what time does the store open on sunday", "{brand} do you ship to canada?",
        "{brand} is the {p} available in black", "{brand} how much is delivery for the {p}",
        "{brand} what's the warranty on the {p}", "{brand} do you price match?",
    ],
    "none": [
        "{brand} love the new {p}!", "{brand} thanks, all sorted", "great ad {brand}",
        "{brand} happy friday!", "{brand} see you at the event", "just bought a {p} from {brand}",
    ],
}


def _expand(templates: list[str], n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    out = []
    for template in itertools.islice(itertools.cycle(templates), n):
        text = template.replace("{p}", rng.choice(PRODUCTS))
        while "{brand}" in text:
            text = text.replace("{brand}", rng.choice(BRANDS), 1)
        while "{link}" in text:
            text = text.replace("{link}", f"https://t.co/{rng.randrange(16**8):08x}", 1)
        if rng.random() < 0.3:
            text = text.capitalize()
        if rng.random() < 0.2:
            text += rng.choice([" !!", " pls", " thx", " 🙏", " 😡", " smh", " asap", ""])
        out.append(text)
    return out


def intent_examples():
    from .datasets import Split

    out = Split()
    for label, templates, n in (("spam", SPAM, 400), ("chatter", CHATTER, 250),
                                ("feedback", FEEDBACK, 250), ("praise", PRAISE, 200)):
        for text in _expand(templates, n, seed=len(label)):
            out.add(text, label)
    return out


def outcome_examples():
    from .datasets import Split

    out = Split()
    for i, (label, templates) in enumerate(OUTCOME.items()):
        for text in _expand(templates, 120, seed=100 + i):
            out.add(text, label)
    return out


def _rows(name: str) -> list[dict]:
    with open(DATA / name, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def emotion_rows() -> list[dict]:
    """Our posts labelled fear, disgust, surprise, and hard negatives (text, label, group)."""
    return _rows("written-emotions.jsonl")


def safety_rows() -> list[dict]:
    """Our product-safety and defect complaints in plain words (text, label "complaint", group)."""
    return _rows("written-safety.jsonl")
