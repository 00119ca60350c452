"""A small IMAP4rev1 server on loopback (RFC 3501 subset) holding mailboxes in memory.

Enough for Parley's poller and for tests: CAPABILITY, LOGIN (NO [AUTHENTICATIONFAILED] on a wrong
password), SELECT (EXISTS, UIDVALIDITY, UIDNEXT), UID SEARCH (ALL, UNSEEN, a UID range), UID FETCH
(UID, FLAGS, RFC822.SIZE, BODY.PEEK[] / BODY[] / BODY.PEEK[HEADER]), UID STORE (+FLAGS / -FLAGS),
UID COPY, EXPUNGE, CLOSE, NOOP, LOGOUT; with the extensions it is told to offer, UID MOVE (RFC 6851) and
UID EXPUNGE (UIDPLUS, RFC 4315). TLS as real servers offer it: implicit (IMAPS, the port-993 style, the
handshake before the greeting) or STARTTLS (RFC 3501 6.2.1, the handshake after the command; LOGIN is
refused before it). Not a general server: one user name per mailbox set, no literals from clients
(LOGIN takes quoted strings or atoms).
"""

from __future__ import annotations

import re
import shlex
import socketserver
import ssl
import threading
from dataclasses import dataclass, field


@dataclass
class Message:
    uid: int
    raw: bytes
    flags: set[str] = field(default_factory=set)


@dataclass
class Folder:
    uidvalidity: int = 1
    next_uid: int = 1
    messages: list[Message] = field(default_factory=list)


class _Handler(socketserver.StreamRequestHandler):
    def setup(self):
        box: ImapServer = self.server.box  # type: ignore[attr-defined]
        self.secure = False
        if box.tls == "implicit":
            self.request = box.ssl_context.wrap_socket(self.request, server_side=True)
            self.secure = True
        super().setup()

    def say(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")

    def starttls(self, box: "ImapServer") -> None:
        """Upgrade this connection in place (the client starts its handshake after our OK)."""
        self.wfile.flush()
        self.connection = self.request = box.ssl_context.wrap_socket(self.connection, server_side=True)
        self.rfile = self.connection.makefile("rb", self.rbufsize)
        self.wfile = socketserver._SocketWriter(self.connection)  # type: ignore[attr-defined]
        self.secure = True

    def capabilities(self, box: "ImapServer") -> str:
        words = ["IMAP4rev1"]
        if box.tls == "starttls" and not self.secure:
            words += ["STARTTLS", "LOGINDISABLED"]
        else:
            words.append("AUTH=PLAIN")
        return " ".join(words + sorted(box.extensions))

    def handle(self):
        box: ImapServer = self.server.box  # type: ignore[attr-defined]
        self.say("* OK [CAPABILITY IMAP4rev1] parley-simulator IMAP ready")
        self.user = ""
        self.folder: Folder | None = None
        while True:
            raw = self.rfile.readline(65536)
            if not raw:
                return
            line = raw.decode(errors="replace").rstrip("\r\n")
            tag, _, rest = line.partition(" ")
            command, _, args = rest.partition(" ")
            command = command.upper()
            if command == "UID":
                command, _, args = args.partition(" ")
                command = "UID " + command.upper()
            with box.lock:
                box.commands.append(command)
                if box.down:
                    self.say("* BYE service unavailable")
                    return
                try:
                    done = self.dispatch(box, tag, command, args)
                except (ValueError, IndexError) as error:
                    self.say(f"{tag} BAD {error}")
                    continue
            if done:
                return

    def dispatch(self, box: "ImapServer", tag: str, command: str, args: str) -> bool:
        if command == "CAPABILITY":
            self.say(f"* CAPABILITY {self.capabilities(box)}")
        elif command == "STARTTLS":
            if box.tls != "starttls" or self.secure:
                self.say(f"{tag} BAD STARTTLS not offered")
                return False
            self.say(f"{tag} OK Begin TLS negotiation now")
            self.starttls(box)
            return False
        elif command == "NOOP":
            pass
        elif command == "LOGOUT":
            self.say("* BYE logging out")
            self.say(f"{tag} OK LOGOUT completed")
            return True
        elif command == "LOGIN" and box.tls == "starttls" and not self.secure:
            self.say(f"{tag} NO [PRIVACYREQUIRED] LOGIN is disabled before STARTTLS")
            return False
        elif command == "LOGIN":
            user, password = shlex.split(args)[:2]
            if box.users.get(user) != password:
                self.say(f"{tag} NO [AUTHENTICATIONFAILED] Invalid credentials (Failure)")
                return False
            self.user = user
        elif not self.user:
            self.say(f"{tag} NO not logged in")
            return False
        elif command in ("SELECT", "EXAMINE"):
            name = shlex.split(args)[0]
            self.folder = box.folders.get(name)
            if self.folder is None:
                self.say(f"{tag} NO [NONEXISTENT] no such mailbox")
                return False
            self.say(f"* {len(self.folder.messages)} EXISTS")
            self.say("* 0 RECENT")
            self.say(r"* FLAGS (\Seen \Deleted \Flagged \Answered \Draft)")
            self.say(f"* OK [UIDVALIDITY {self.folder.uidvalidity}] UIDs valid")
            self.say(f"* OK [UIDNEXT {self.folder.next_uid}] Predicted next UID")
            self.say(f"{tag} OK [READ-WRITE] {command} completed")
            return False
        elif self.folder is None:
            self.say(f"{tag} NO no mailbox selected")
            return False
        elif command == "UID SEARCH":
            highest = max((m.uid for m in self.folder.messages), default=0)
            found = [m.uid for m in self.folder.messages if _matches(m, args, highest)]
            self.say("* SEARCH" + "".join(f" {uid}" for uid in found))
        elif command == "UID FETCH":
            uids, items = args.split(" ", 1)
            for seq, message in self._selected(uids):
                self._fetch(seq, message, items.upper())
        elif command == "UID STORE":
            uids, mode, flags = args.split(" ", 2)
            names = set(flags.strip("()").split())
            for seq, message in self._selected(uids):
                if mode.upper().startswith("+"):
                    message.flags |= names
                elif mode.upper().startswith("-"):
                    message.flags -= names
                else:
                    message.flags = names
                if not mode.upper().endswith(".SILENT"):
                    self.say(f"* {seq} FETCH (UID {message.uid} FLAGS ({' '.join(sorted(message.flags))}))")
        elif command == "UID COPY":
            uids, name = args.split(" ", 1)
            target = box.folders.setdefault(shlex.split(name)[0], Folder())
            for _, message in self._selected(uids):
                target.messages.append(Message(target.next_uid, message.raw, set(message.flags)))
                target.next_uid += 1
        elif (command == "UID MOVE" and "MOVE" not in box.extensions) or (
                command == "UID EXPUNGE" and "UIDPLUS" not in box.extensions):
            self.say(f"{tag} BAD unknown command {command}")
            return False
        elif command == "UID MOVE":
            uids, name = args.split(" ", 1)
            target = box.folders.setdefault(shlex.split(name)[0], Folder())
            moving = {m.uid for _, m in self._selected(uids)}
            for _, message in self._selected(uids):
                target.messages.append(Message(target.next_uid, message.raw, set(message.flags)))
                target.next_uid += 1
            self._expunge(lambda m: m.uid in moving)
        elif command == "UID EXPUNGE":
            chosen = {m.uid for _, m in self._selected(args)}
            self._expunge(lambda m: m.uid in chosen and "\\Deleted" in m.flags)
        elif command in ("EXPUNGE", "CLOSE"):
            kept = []
            for seq, message in enumerate(self.folder.messages, 1):
                if "\\Deleted" not in message.flags:
                    kept.append(message)
                elif command == "EXPUNGE":  # numbers shift down as earlier messages go
                    self.say(f"* {seq - (seq - 1 - len(kept))} EXPUNGE")
            self.folder.messages[:] = kept
            if command == "CLOSE":
                self.folder = None
        else:
            self.say(f"{tag} BAD unknown command {command}")
            return False
        self.say(f"{tag} OK {command} completed")
        return False

    def _expunge(self, gone) -> None:
        """Remove the selected folder's messages for which gone(message), announcing each (RFC 3501 7.4.1)."""
        kept = []
        for seq, message in enumerate(self.folder.messages, 1):
            if gone(message):
                self.say(f"* {len(kept) + 1} EXPUNGE")
            else:
                kept.append(message)
        self.folder.messages[:] = kept

    def _selected(self, uid_set: str):
        wanted = _uid_set(uid_set, max((m.uid for m in self.folder.messages), default=0))
        return [(seq, m) for seq, m in enumerate(self.folder.messages, 1) if m.uid in wanted]

    def _fetch(self, seq: int, message: Message, items: str) -> None:
        parts = [f"UID {message.uid}"]
        if "FLAGS" in items:
            parts.append(f"FLAGS ({' '.join(sorted(message.flags))})")
        if "RFC822.SIZE" in items:
            parts.append(f"RFC822.SIZE {len(message.raw)}")
        literal = b""
        if "BODY.PEEK[HEADER]" in items or "BODY[HEADER]" in items:
            head = message.raw.split(b"\r\n\r\n", 1)[0] + b"\r\n\r\n"
            parts.append(f"BODY[HEADER] {{{len(head)}}}")
            literal = head
        elif "BODY.PEEK[]" in items or "BODY[]" in items or "RFC822" in items.replace("RFC822.SIZE", ""):
            parts.append(f"BODY[] {{{len(message.raw)}}}")
            literal = message.raw
            if "BODY[]" in items and "PEEK" not in items:
                message.flags.add("\\Seen")
        head = f"* {seq} FETCH (" + " ".join(parts)
        if literal:
            self.wfile.write(head.encode() + b"\r\n" + literal + b")\r\n")
        else:
            self.say(head + ")")


def _uid_set(text: str, highest: int) -> set[int]:
    wanted: set[int] = set()
    for piece in text.split(","):
        low, _, high = piece.partition(":")
        a = highest if low == "*" else int(low)
        b = a if not high else highest if high == "*" else int(high)
        wanted.update(range(min(a, b), max(a, b) + 1))
    return wanted


def _matches(message: Message, criteria: str, highest: int) -> bool:
    words = criteria.upper().split()
    ok = True
    i = 0
    while i < len(words):
        word = words[i]
        if word == "UNSEEN":
            ok &= "\\Seen" not in message.flags
        elif word == "SEEN":
            ok &= "\\Seen" in message.flags
        elif word == "UID":
            i += 1
            ok &= message.uid in _uid_set(words[i], highest)
        elif word != "ALL":
            raise ValueError(f"unsupported search key {word}")
        i += 1
    return ok


class _Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True  # a test or `parley simulate` may restart on the same port at once
    daemon_threads = True

    def handle_error(self, request, client_address):
        # A client that refuses our certificate ends the handshake: expected in tests, not a traceback.
        import sys

        if not isinstance(sys.exc_info()[1], (ssl.SSLError, ConnectionError)):
            super().handle_error(request, client_address)


class ImapServer:
    """`with ImapServer() as imap: imap.users[...] = ...; imap.deliver(raw)`.

    `tls`: None (plain text), "implicit" or "starttls", with `ssl_context` (a server context);
    `extensions`: the optional capabilities offered (MOVE, UIDPLUS; both by default, as Gmail and Dovecot do).
    """

    def __init__(self, host: str = "127.0.0.1", port: int = 0, *, tls: str | None = None,
                 ssl_context: ssl.SSLContext | None = None, extensions=("MOVE", "UIDPLUS")):
        if tls not in (None, "implicit", "starttls"):
            raise ValueError("tls must be None, 'implicit' or 'starttls'")
        if tls and ssl_context is None:
            raise ValueError("a TLS server needs an ssl_context")
        self.tls, self.ssl_context = tls, ssl_context
        self.extensions = {e.upper() for e in extensions}
        self.users: dict[str, str] = {}
        self.folders: dict[str, Folder] = {"INBOX": Folder(uidvalidity=1)}
        self.commands: list[str] = []
        self.down = False
        self.lock = threading.Lock()
        self.server = _Server((host, port), _Handler)
        self.server.box = self  # type: ignore[attr-defined]

    @property
    def port(self) -> int:
        return self.server.server_address[1]

    def start(self) -> "ImapServer":
        threading.Thread(target=self.server.serve_forever, name="parley-imap", daemon=True).start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self) -> "ImapServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def deliver(self, raw: bytes, folder: str = "INBOX", flags: set[str] | None = None) -> int:
        """Put a message in `folder` (line ends made CRLF, as on the wire); its UID."""
        raw = re.sub(rb"\r?\n", b"\r\n", raw)
        with self.lock:
            box = self.folders.setdefault(folder, Folder())
            uid = box.next_uid
            box.messages.append(Message(uid, raw, set(flags or ())))
            box.next_uid += 1
        return uid

    def renumber(self, folder: str = "INBOX") -> None:
        """The server rebuilt the mailbox: a new UIDVALIDITY and new UIDs (clients must start over)."""
        with self.lock:
            box = self.folders[folder]
            box.uidvalidity += 1
            for message in box.messages:
                message.uid = box.next_uid
                box.next_uid += 1

    def flags(self, uid: int, folder: str = "INBOX") -> set[str]:
        with self.lock:
            return next(set(m.flags) for m in self.folders[folder].messages if m.uid == uid)
