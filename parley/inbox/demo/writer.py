"""Writing a conversation's posts the way each platform shapes them (pure, seeded).

`PostWriter` is the half of the conversation builder that knows platforms:
where an @-mention goes, how comment replies hang off a top-level comment,
what ids and URLs look like, how the brand signs its replies. The builder
decides what is said and when; the writer says it.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from .ids import dm_thread_id, post_url
from .people import Persona
from .script import Author, PostEvent
from .style import roughen
from .text import mention, signed


class PostWriter:
    """Needs: rng, ids, s (the Setup), sc, platform, channel, persona, agent, voice, slots, english,
    media, page_post, shortcode, t, events, root, last_customer_public, last_brand_public."""

    def _post(self, created: datetime, **fields) -> PostEvent:
        latency = timedelta(seconds=self.rng.uniform(0.5, 20))
        raw = [("source", "parley-demo")]
        if self.media and fields.get("visibility") == "public":
            raw.append(("on", self.media))
        post = PostEvent(at=created + latency, created_at=created, platform=self.platform,
                         language=self.sc.language, raw=tuple(raw), **fields)
        self.events.append(post)
        return post

    def _customer_text(self, line: str, persona: Persona, severity: int) -> str:
        text = self.slots.fill(line)
        if self.english:
            text = roughen(text, persona.style, severity, self.rng)
        return text

    def _engagement(self, persona: Persona, boost: float = 1.0) -> dict:
        reach = math.log10(persona.followers + 10)
        likes = int(self.rng.expovariate(1.0) * reach * 2 * boost)
        return {"likes": likes, "reposts": int(likes * self.rng.uniform(0, 0.3)), "replies": 0}

    def customer_public(self, line: str, persona: Persona | None = None, reply_to: PostEvent | None = None,
                        at: datetime | None = None, severity: int | None = None) -> PostEvent:
        persona = persona or self.persona
        at = at or self.t
        text = self._customer_text(line, persona, self.sc.severity if severity is None else severity)
        author = persona.author(self.platform)
        p = self.platform
        boost = 6.0 if "pileon" in self.s.traits and reply_to is None else 1.0
        if reply_to is None:
            if p == "x":
                pid, kind, text = self.ids.x_id(at), "mention", mention(text, self.channel.handle, self.rng)
            elif p == "facebook":
                pid = self.ids.facebook_comment(self.page_post)
                kind = "review" if "long" in self.sc.traits and self.rng.random() < 0.5 else "comment"
            elif p == "instagram":
                pid, kind = self.ids.instagram_comment(), self.rng.choice(("comment", "comment", "mention"))
                if kind == "mention":
                    text = f"{text} @{self.channel.handle}"
            else:
                pid, kind = self.ids.youtube_comment(), "comment"
            thread, parent = pid, ""
        else:
            thread, parent, kind = self.root.platform_id, reply_to.platform_id, "reply"
            to_handle = reply_to.author.handle if reply_to.author else self.channel.handle
            someone_else = to_handle not in (self.channel.handle, author.handle)
            if p == "x":
                pid = self.ids.x_id(at)
                prefix = f"@{to_handle} " if someone_else else ""
                text = f"{prefix}@{self.channel.handle} {text}"
            else:
                pid = self._nested_id()
                parent = self.root.platform_id  # comment replies hang off the top-level comment
                if p in ("instagram", "youtube") and someone_else:
                    text = f"@{to_handle} {text}"
        post = self._post(at, platform_id=pid, kind=kind, direction="in", visibility="public", text=text,
                          author=author, in_reply_to=parent, thread=thread, url=self._url(pid, author),
                          **self._engagement(persona, boost))
        if persona is self.persona:
            self.last_customer_public = post
        return post

    def _nested_id(self) -> str:
        if self.platform == "facebook":
            return self.ids.facebook_comment(self.page_post)
        if self.platform == "instagram":
            return self.ids.instagram_comment()
        return self.ids.youtube_reply(self.root.platform_id)

    def _url(self, pid: str, author: Author | None) -> str:
        handle = author.handle if author else self.channel.handle
        return post_url(self.platform, handle=handle, post_id=pid, page_post=self.page_post,
                        shortcode=self.shortcode, video=self.shortcode)

    def _brand_text(self, line: str, private: bool) -> str:
        text = self.slots.fill(line)
        if private and self.rng.random() < 0.5:
            return text
        return signed(text, self.voice.signature, self.agent.first_name, self.agent.initials,
                      self.voice.sign_emoji, self.platform)

    def brand_public(self, line: str, reply_to: PostEvent | None = None) -> PostEvent:
        reply_to = reply_to or self.last_customer_public or self.root
        text = self._brand_text(line, private=False)
        to_handle = reply_to.author.handle if reply_to.author else ""
        if self.platform == "x":
            pid, parent = self.ids.x_id(self.t), reply_to.platform_id
            text = f"@{to_handle} {text}"
        else:
            pid, parent = self._nested_id(), self.root.platform_id
            if self.platform in ("instagram", "youtube") and to_handle:
                text = f"@{to_handle} {text}"
        post = self._post(self.t, platform_id=pid, kind="reply", direction="out", visibility="public", text=text,
                          in_reply_to=parent, thread=self.root.platform_id, url=self._url(pid, None),
                          likes=self.rng.choice((0, 0, 0, 1, 2)), agent=self.agent.username)
        self.last_brand_public = post
        return post

    def _dm_id(self) -> str:
        if self.platform == "x":
            return self.ids.x_id(self.t)
        if self.platform == "facebook":
            return self.ids.facebook_message()
        return self.ids.instagram_message()

    def _dm_thread(self) -> str:
        return dm_thread_id(self.platform, self.channel.external_id, self.persona.user_ids[self.platform])

    def customer_dm(self, line: str, severity: int | None = None) -> PostEvent:
        mood = max(0, self.sc.severity - 1) if severity is None else severity
        text = self._customer_text(line, self.persona, mood)
        return self._post(self.t, platform_id=self._dm_id(), kind="dm", direction="in", visibility="private",
                          text=text, author=self.persona.author(self.platform), thread=self._dm_thread())

    def brand_dm(self, line: str) -> PostEvent:
        return self._post(self.t, platform_id=self._dm_id(), kind="dm", direction="out", visibility="private",
                          text=self._brand_text(line, private=True), thread=self._dm_thread(),
                          agent=self.agent.username)
