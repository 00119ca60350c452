"""Push signed webhook deliveries to a Parley server, one by one or as a stream from the demo corpus."""

from __future__ import annotations

import itertools
import random
import re
import threading
import time
import zlib
import urllib.error
import urllib.request
from datetime import datetime, timezone

from ..meta import webhooks as meta_hooks
from ..x import webhooks as x_hooks
from . import payloads


def push(parley_url: str, family: str, body: bytes, secret: str, timeout: float = 10.0) -> int:
    """POST one signed delivery to Parley's /hooks/<family>/; the HTTP status it answered."""
    if family == "x":
        header, signature = x_hooks.SIGNATURE_HEADER, x_hooks.sign(secret, body)
    else:
        header, signature = meta_hooks.SIGNATURE_HEADER, meta_hooks.sign(secret, body)
    request = urllib.request.Request(
        f"{parley_url.rstrip('/')}/hooks/{family}/", data=body, method="POST",
        headers={"Content-Type": "application/json", header: signature},
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as reply:  # noqa: S310 - loopback
            return reply.status
    except urllib.error.HTTPError as error:
        return error.code


def _corpus(seed: int, platforms=("x", "facebook")):
    """(brand spec, platform, text, author) of the demo corpus's inbound public posts."""
    from parley.inbox.demo.generator import generate

    demo = generate(seed=seed, scale=0.2)
    return [
        (brand.spec, e.platform, e.text, e.author)
        for brand in demo.brands for c in brand.conversations for e in c.posts
        if e.direction == "in" and e.visibility == "public" and e.platform in platforms and e.author
    ]


def _delivery(platform: str, text: str, author, x_account: str, page_id: str, new_id: str) -> tuple[str, bytes]:
    """A fresh signed-to-be delivery carrying `text`: a mention on X or a comment on the Facebook Page."""
    now = datetime.now(timezone.utc)
    if platform == "x":
        user = payloads.x_user(f"7{zlib.crc32(author.platform_user_id.encode())}", author.handle.lstrip("@") or "someone",
                               author.display_name, author.followers)
        return "x", payloads.x_delivery(x_account, tweet_create_events=[payloads.x_tweet(new_id, text, user, now)])
    sender = {"id": f"8{zlib.crc32(author.platform_user_id.encode())}", "name": author.display_name or "Someone"}
    post_id = f"{page_id}_{new_id[:-3]}"
    value = payloads.fb_comment(f"{new_id[:-3]}_{new_id}", post_id, text, sender, now)
    return "meta", payloads.meta_delivery("page", [payloads.fb_feed_entry(page_id, now, value)])


def demo_stream(x_account: str, page_id: str, seed: int = 2611):
    """(family, body) deliveries from the demo corpus's inbound public posts, with fresh ids and times."""
    ids = itertools.count(int(time.time() * 1000) * 1000)
    for _, platform, text, author in itertools.cycle(_corpus(seed)):
        yield _delivery(platform, text, author, x_account, page_id, str(next(ids)))


def brand_stream(seed: int = 2611):
    """Like demo_stream, each post addressed to its own demo brand's X account or Facebook Page (the live demo)."""
    rows = _corpus(seed)
    random.Random(seed).shuffle(rows)  # brands and platforms interleaved, not one brand's week after another's
    ids = itertools.count(int(time.time() * 1000) * 1000)
    for spec, platform, text, author in itertools.cycle(rows):
        yield _delivery(platform, text, author, spec.channel("x").external_id, spec.channel("facebook").external_id,
                        str(next(ids)))


def demo_mail(mailbox: str, count: int, seed: int = 2611) -> list[bytes]:
    """`count` customer emails to `mailbox` built from the demo corpus (for the simulator's IMAP mailbox)."""
    rows = _corpus(seed, platforms=("x", "facebook", "instagram"))
    now = datetime.now(timezone.utc)
    mails = []
    for n, (_, _, text, author) in enumerate(itertools.islice(itertools.cycle(rows), count)):
        local = re.sub(r"[^a-z0-9.]", "", (author.display_name or "customer").lower().replace(" ", ".")) or "customer"
        mails.append(payloads.email(f"<sim{n}.{zlib.crc32(text.encode())}@customers.example>", f"{local}@customers.example",
                                    author.display_name, mailbox, text.split(".")[0][:60] or "Hello", text, now))
    return mails


def trickle(parley_url: str, secrets: dict[str, str], seconds: float, stop: threading.Event, deliveries=None,
            log=None) -> int:
    """Push one delivery every `seconds` (give or take a third, so it feels like people) until `stop` is set;
    a Parley that is not up yet or answers an error is tried again with the next one. The number accepted."""
    deliveries = deliveries if deliveries is not None else brand_stream()
    jitter = random.Random()
    accepted = 0
    while not stop.wait(seconds * jitter.uniform(2 / 3, 4 / 3)):
        family, body = next(deliveries)
        try:
            status = push(parley_url, family, body, secrets[family])
        except OSError as error:  # not listening yet, or restarting
            status = error
        accepted += status == 200
        if log is not None:
            log(family, status)
    return accepted


def stream(parley_url: str, secrets: dict[str, str], rate: float, count: int, x_account: str, page_id: str,
           progress=None) -> dict[int, int]:
    """Push `count` deliveries at `rate` per second; counts of each HTTP status answered."""
    statuses: dict[int, int] = {}
    interval = 1.0 / rate if rate > 0 else 0.0
    start = time.monotonic()
    for n, (family, body) in enumerate(itertools.islice(demo_stream(x_account, page_id), count)):
        wait = start + n * interval - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        status = push(parley_url, family, body, secrets[family])
        statuses[status] = statuses.get(status, 0) + 1
        if progress:
            progress(1)
    return statuses
