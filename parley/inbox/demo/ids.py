"""Platform ids and URLs shaped like each platform's own (pure, seeded).

The shapes follow what each platform documents: X ids are time-ordered
64-bit numbers, Facebook comment ids join the page post and the comment,
Instagram ids are long numbers, YouTube comment ids are opaque strings whose
replies extend their parent's id. Every value is generated, none is real.
"""

from __future__ import annotations

import random
import string
from datetime import datetime

_X_EPOCH_MS = 1288834974657
_URLSAFE = string.ascii_letters + string.digits + "-_"


class IdMaker:
    """Unique ids per platform for one brand, drawn from `rng`."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.used: set[tuple[str, str]] = set()

    def _unique(self, platform: str, make) -> str:
        while True:
            value = make()
            if (platform, value) not in self.used:
                self.used.add((platform, value))
                return value

    def digits(self, n: int) -> str:
        return str(self.rng.randint(1, 9)) + "".join(self.rng.choice(string.digits) for _ in range(n - 1))

    def chars(self, n: int, alphabet: str = _URLSAFE) -> str:
        return "".join(self.rng.choice(alphabet) for _ in range(n))

    def x_id(self, at: datetime) -> str:
        millis = int(at.timestamp() * 1000) - _X_EPOCH_MS
        return self._unique("x", lambda: str((millis << 22) | self.rng.getrandbits(22)))

    def facebook_comment(self, page_post: str) -> str:
        return self._unique("facebook", lambda: f"{page_post}_{self.digits(16)}")

    def facebook_message(self) -> str:
        return self._unique("facebook", lambda: "m_" + self.chars(43))

    def instagram_comment(self) -> str:
        return self._unique("instagram", lambda: "179" + self.digits(14))

    def instagram_message(self) -> str:
        return self._unique("instagram", lambda: "aWdfZAG1faXRlbTox" + self.chars(40))

    def youtube_comment(self) -> str:
        return self._unique("youtube", lambda: "Ugx" + self.chars(19) + "4AaABAg")

    def youtube_reply(self, parent: str) -> str:
        return self._unique("youtube", lambda: f"{parent}.{self.chars(22)}")

    def user_id(self, platform: str) -> str:
        if platform == "x":
            return self._unique("user-x", lambda: self.digits(self.rng.choice((8, 9, 10, 18, 19))))
        if platform == "youtube":
            return self._unique("user-youtube", lambda: "UC" + self.chars(22))
        return self._unique(f"user-{platform}", lambda: self.digits(16 if platform == "facebook" else 17))


def dm_thread_id(platform: str, brand_account: str, user_id: str) -> str:
    """The platform's id for the private thread between the brand and one person."""
    if platform == "x":
        low, high = sorted((brand_account, user_id), key=lambda v: (len(v), v))
        return f"{low}-{high}"
    return f"{platform}-thread-{brand_account}-{user_id}"


def post_url(platform: str, *, handle: str = "", post_id: str = "", page_post: str = "",
             shortcode: str = "", video: str = "") -> str:
    if platform == "x":
        return f"https://x.com/{handle}/status/{post_id}"
    if platform == "facebook":
        page, _, story = page_post.partition("_")
        return f"https://www.facebook.com/{page}/posts/{story}?comment_id={post_id.rpartition('_')[2]}"
    if platform == "instagram":
        return f"https://www.instagram.com/p/{shortcode}/c/{post_id}/"
    if platform == "youtube":
        return f"https://www.youtube.com/watch?v={video}&lc={post_id}"
    return ""
