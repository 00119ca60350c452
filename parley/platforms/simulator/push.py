"""Push signed webhook deliveries to a Parley server, one by one or as a stream from the demo corpus."""

from __future__ import annotations

import itertools
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


def demo_stream(x_account: str, page_id: str, seed: int = 2611):
    """(family, body) deliveries from the demo corpus's inbound public posts, with fresh ids and times."""
    from parley.inbox.demo.generator import generate

    demo = generate(seed=seed, scale=0.2)
    texts = [
        (e.platform, e.text, e.author)
        for brand in demo.brands for c in brand.conversations for e in c.posts
        if e.direction == "in" and e.visibility == "public" and e.platform in ("x", "facebook") and e.author
    ]
    ids = itertools.count(int(time.time() * 1000) * 1000)
    for platform, text, author in itertools.cycle(texts):
        now = datetime.now(timezone.utc)
        new_id = str(next(ids))
        if platform == "x":
            user = payloads.x_user(f"7{zlib.crc32(author.platform_user_id.encode())}", author.handle.lstrip("@") or "someone",
                                   author.display_name, author.followers)
            yield "x", payloads.x_delivery(x_account, tweet_create_events=[payloads.x_tweet(new_id, text, user, now)])
        else:
            sender = {"id": f"8{zlib.crc32(author.platform_user_id.encode())}", "name": author.display_name or "Someone"}
            post_id = f"{page_id}_{new_id[:-3]}"
            value = payloads.fb_comment(f"{new_id[:-3]}_{new_id}", post_id, text, sender, now)
            yield "meta", payloads.meta_delivery("page", [payloads.fb_feed_entry(page_id, now, value)])


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
