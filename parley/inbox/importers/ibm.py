"""The IBM customer-care conversation JSON (Twitter dialogs ending with an agent's link).

The file is one JSON list of dialogs:

    {"dialogHeader": {"company": "AcmeHelp", "sessionID": "...", "conversationDateTime": "...",
                      "duration": "01:26:55.0", ...},
     "dialogContent": [{"client": "dana", "datetime": "2020-04-01T17:31:32.000Z",
                        "message": "...", "tweet_ID": "1245403438755852288"}, ...],
     "agentURL": {"tweet_ID": "...", "url_utterance": "...", "url": "...", ...}}

A message's author key is "agent" (the company) or "client", "client1", ...
(customers). The messages of one dialog are a reply chain: each answers the one
before it, and the first one's id is the thread's conversation id, as on X.
The agentURL utterance is the company's final reply; the data gives it no time,
so its time is read from its tweet id (X ids carry their creation time in
milliseconds), falling back to the dialog start plus its duration.

The company is the channel handle. A dialog that is not an object, or lacks its
header or content, is refused whole; a bad message is refused alone.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

from django.conf import settings

from parley.inbox.formats import FormatError, parse_time
from parley.inbox.ingest import AuthorData, IncomingPost, validate

from .lines import open_binary
from .records import ImportFileError, Record, Reject, normalise_id

# X ("snowflake") ids hold milliseconds since this moment in their upper bits.
_SNOWFLAKE_EPOCH_MS = 1288834974657
_SNOWFLAKE_FIRST = 1 << 32  # ids below this predate snowflakes (late 2010)


def snowflake_time(tweet_id: str) -> datetime | None:
    """When an X post was created, read from its id; None for pre-2010 ids."""
    if not tweet_id.isdigit():
        return None
    value = int(tweet_id)
    if value < _SNOWFLAKE_FIRST or value >= 1 << 63:
        return None
    return datetime.fromtimestamp(((value >> 22) + _SNOWFLAKE_EPOCH_MS) / 1000, tz=timezone.utc)


def _duration(value) -> timedelta | None:
    if not isinstance(value, str):
        return None
    parts = value.split(":")
    try:
        if len(parts) == 3:
            return timedelta(hours=int(parts[0]), minutes=int(parts[1]), seconds=float(parts[2]))
    except ValueError:
        return None
    return None


def _tweet_id(value) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not normalise_id(value).isdigit():
        raise FormatError(f"tweet_ID {str(value)[:40]!r} is not a tweet id")
    return normalise_id(value)


def _text(data: dict, key: str) -> str:
    value = data.get(key)
    if not isinstance(value, str):
        raise FormatError(f"{key} must be a string")
    return value


def _author_key(message: dict) -> str:
    keys = [k for k in message if k == "agent" or k.startswith("client")]
    if len(keys) != 1:
        raise FormatError('each message needs exactly one author key ("client", "client1", ... or "agent")')
    handle = message[keys[0]]
    if not isinstance(handle, str) or not handle.strip():
        raise FormatError(f"{keys[0]} must be a handle")
    return keys[0]


class _Positions:
    """Line numbers of offsets in a text, counted incrementally."""

    def __init__(self, text: str):
        self.text = text
        self.offset = 0
        self.line = 1

    def line_of(self, offset: int) -> int:
        self.line += self.text.count("\n", self.offset, offset)
        self.offset = offset
        return self.line


class IbmFile:
    """Records of an IBM customer-care JSON file."""

    format = "ibm"

    def __init__(self, path: str | Path):
        self.path = path
        self._dialogs = self._load()

    def estimate(self) -> int:
        total = 0
        for _, dialog in self._dialogs:
            content = dialog.get("dialogContent") if isinstance(dialog, dict) else None
            total += (len(content) if isinstance(content, list) else 0) + 1
        return total

    def _load(self) -> list[tuple[int, object]]:
        with open_binary(self.path) as handle:
            data = handle.read()
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ImportFileError(f"{self.path} is not UTF-8 text (byte {exc.start})") from None
        decoder = json.JSONDecoder()
        position = len(text) - len(text.lstrip())
        if not text.strip():
            raise ImportFileError(f"{self.path} is empty")
        if text[position] != "[":
            raise ImportFileError(
                f"{self.path} is not an IBM customer-care file: it must be a JSON list of dialogs"
            )
        lines = _Positions(text)
        dialogs = []
        position += 1
        try:
            while True:
                position = self._skip_space(text, position)
                if text[position] == "]" and not dialogs:
                    break
                start = lines.line_of(position)
                dialog, position = decoder.raw_decode(text, position)
                dialogs.append((start, dialog))
                position = self._skip_space(text, position)
                if text[position] == ",":
                    position += 1
                elif text[position] == "]":
                    break
                else:
                    raise json.JSONDecodeError("expected ',' or ']'", text, position)
        except json.JSONDecodeError as exc:
            raise ImportFileError(
                f"{self.path} is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}"
            ) from None
        except IndexError:
            raise ImportFileError(f"{self.path} is not valid JSON: the list is not closed") from None
        if text[position + 1 :].strip():
            raise ImportFileError(f"{self.path} is not valid JSON: text after the closing ]")
        return dialogs

    @staticmethod
    def _skip_space(text: str, position: int) -> int:
        while text[position] in " \t\r\n":
            position += 1
        return position

    def records(self) -> Iterator[Record | Reject]:
        max_chars = settings.PARLEY_MAX_POST_CHARS
        for number, (line, dialog) in enumerate(self._dialogs, 1):
            try:
                company, session, content = self._dialog_parts(dialog)
            except FormatError as exc:
                yield Reject(line, f"dialog {number}: {exc}")
                continue
            where = f"dialog {session or number}"
            root = ""
            previous = ""
            last_time = None
            for index, message in enumerate(content, 1):
                try:
                    post = self._message(message, previous, root)
                except FormatError as exc:
                    yield Reject(line, f"{where}, message {index}: {exc}")
                    previous = self._loose_id(message) or previous
                    root = root or previous
                    continue
                root = root or post.platform_id
                post.platform_conversation_id = root
                previous = post.platform_id
                last_time = post.created_at if last_time is None else max(last_time, post.created_at)
                post.raw = {"dialog": session, **message}
                problems = validate(post, max_chars)
                if problems:
                    yield Reject(line, f"{where}, message {index}: {'; '.join(problems)}")
                else:
                    yield Record(line, post, company)
            agent = dialog.get("agentURL")
            if agent is None:
                continue
            try:
                post = self._final_reply(agent, dialog["dialogHeader"], previous, root, last_time)
            except FormatError as exc:
                yield Reject(line, f"{where}, agentURL: {exc}")
                continue
            post.raw = {"dialog": session, "agentURL": agent}
            problems = validate(post, max_chars)
            if problems:
                yield Reject(line, f"{where}, agentURL: {'; '.join(problems)}")
            else:
                yield Record(line, post, company)

    @staticmethod
    def _dialog_parts(dialog) -> tuple[str, str, list]:
        if not isinstance(dialog, dict):
            raise FormatError("each dialog must be a JSON object")
        header = dialog.get("dialogHeader")
        if not isinstance(header, dict):
            raise FormatError("dialogHeader is missing or not an object")
        company = header.get("company")
        if not isinstance(company, str) or not company.strip():
            raise FormatError("dialogHeader.company must name the company's handle")
        session = header.get("sessionID") or ""
        if not isinstance(session, str):
            session = str(session)
        content = dialog.get("dialogContent")
        if not isinstance(content, list):
            raise FormatError("dialogContent is missing or not a list")
        return company.strip().lstrip("@"), session[:128], content

    @staticmethod
    def _loose_id(message) -> str:
        try:
            return _tweet_id(message.get("tweet_ID")) if isinstance(message, dict) else ""
        except FormatError:
            return ""

    @staticmethod
    def _message(message, previous: str, root: str) -> IncomingPost:
        if not isinstance(message, dict):
            raise FormatError("each message must be a JSON object")
        key = _author_key(message)
        tweet_id = _tweet_id(message.get("tweet_ID"))
        created_at = parse_time(message.get("datetime"), "datetime")
        text = _text(message, "message")
        handle = message[key].strip().lstrip("@")
        inbound = key != "agent"
        return IncomingPost(
            platform="x",
            platform_id=tweet_id,
            text=text,
            created_at=created_at,
            direction="in" if inbound else "out",
            kind="reply" if previous else ("mention" if inbound else "post"),
            author=AuthorData(platform_user_id=handle, handle=handle) if inbound else None,
            in_reply_to_id=previous,
            url=f"https://x.com/i/web/status/{tweet_id}",
        )

    @staticmethod
    def _final_reply(agent, header: dict, previous: str, root: str, last_time) -> IncomingPost:
        if not isinstance(agent, dict):
            raise FormatError("agentURL must be an object")
        tweet_id = _tweet_id(agent.get("tweet_ID"))
        text = _text(agent, "url_utterance")
        created_at = snowflake_time(tweet_id)
        if created_at is None:
            try:
                start = parse_time(header.get("conversationDateTime"), "conversationDateTime")
            except FormatError:
                start = None
            duration = _duration(header.get("duration"))
            if start is not None and duration is not None:
                created_at = start + duration
            elif last_time is not None:
                created_at = last_time + timedelta(seconds=1)
            else:
                raise FormatError("the final reply's time cannot be told (no snowflake id, no duration)")
        return IncomingPost(
            platform="x",
            platform_id=tweet_id,
            text=text,
            created_at=created_at,
            direction="out",
            kind="reply" if previous else "post",
            in_reply_to_id=previous,
            platform_conversation_id=root or tweet_id,
            url=f"https://x.com/i/web/status/{tweet_id}",
        )
