"""A small SMTP server on loopback (RFC 5321 subset: EHLO, AUTH PLAIN/LOGIN, MAIL, RCPT, DATA) that keeps
what it receives, refuses chosen recipients (550) or logins (535), and can answer 421 on demand.

TLS as mail providers offer it: `tls="implicit"` (SMTPS, the port-465 style: the handshake first) or
`tls="starttls"` (RFC 3207: STARTTLS is offered in EHLO, AUTH only after it), with a server `ssl_context`."""

from __future__ import annotations

import base64
import socketserver
import ssl
import sys
import threading
from email import message_from_bytes, policy


class _Handler(socketserver.StreamRequestHandler):
    def setup(self):
        box: SmtpServer = self.server.box  # type: ignore[attr-defined]
        self.secure = False
        if box.tls == "implicit":
            self.request = box.ssl_context.wrap_socket(self.request, server_side=True)
            self.secure = True
        super().setup()

    def reply(self, line: str) -> None:
        self.wfile.write((line + "\r\n").encode())

    def handle(self):
        box: SmtpServer = self.server.box  # type: ignore[attr-defined]
        self.reply("220 parley-simulator ESMTP")
        sender, recipients = "", []
        while True:
            raw = self.rfile.readline(8192)
            if not raw:
                return
            line = raw.decode(errors="replace").rstrip("\r\n")
            verb = line.split(" ", 1)[0].upper()
            if box.down:
                self.reply("421 4.3.0 Service not available, try again later")
                return
            if verb in ("EHLO", "HELO"):
                offer = b"250-STARTTLS\r\n" if box.tls == "starttls" and not self.secure else b"250-AUTH PLAIN LOGIN\r\n"
                self.wfile.write(b"250-parley-simulator\r\n" + offer + b"250 8BITMIME\r\n")
            elif verb == "STARTTLS":
                if box.tls != "starttls" or self.secure:
                    self.reply("502 5.5.1 STARTTLS not offered")
                    continue
                self.reply("220 2.0.0 Ready to start TLS")
                self.connection = self.request = box.ssl_context.wrap_socket(self.connection, server_side=True)
                self.rfile = self.connection.makefile("rb", self.rbufsize)
                self.wfile = socketserver._SocketWriter(self.connection)  # type: ignore[attr-defined]
                self.secure, sender, recipients = True, "", []  # RFC 3207: forget everything said before
            elif verb == "AUTH" and box.tls == "starttls" and not self.secure:
                self.reply("530 5.7.0 Must issue a STARTTLS command first")
            elif verb == "AUTH":
                parts = line.split()
                if len(parts) >= 3 and parts[1].upper() == "PLAIN":
                    _, user, password = base64.b64decode(parts[2]).decode().split("\0")
                elif parts[1].upper() == "LOGIN":
                    self.reply("334 VXNlcm5hbWU6")
                    user = base64.b64decode(self.rfile.readline().strip()).decode()
                    self.reply("334 UGFzc3dvcmQ6")
                    password = base64.b64decode(self.rfile.readline().strip()).decode()
                else:
                    self.reply("504 5.5.4 Unrecognized authentication type")
                    continue
                if box.users.get(user) == password:
                    self.reply("235 2.7.0 Authentication successful")
                else:
                    self.reply("535 5.7.8 Authentication credentials invalid")
            elif verb == "MAIL":
                sender, recipients = line.split(":", 1)[1].strip().strip("<>"), []
                self.reply("250 2.1.0 OK")
            elif verb == "RCPT":
                address = line.split(":", 1)[1].strip().strip("<>").lower()
                if address in box.refused:
                    self.reply("550 5.1.1 No such user here")
                else:
                    recipients.append(address)
                    self.reply("250 2.1.5 OK")
            elif verb == "DATA":
                self.reply("354 End data with <CR><LF>.<CR><LF>")
                lines = []
                while True:
                    data = self.rfile.readline()
                    if data in (b".\r\n", b".\n", b""):
                        break
                    lines.append(data[1:] if data.startswith(b"..") else data)
                with box.lock:
                    box.messages.append((sender, recipients, b"".join(lines)))
                self.reply("250 2.0.0 Queued")
            elif verb in ("RSET", "NOOP"):
                self.reply("250 2.0.0 OK")
            elif verb == "QUIT":
                self.reply("221 2.0.0 Bye")
                return
            else:
                self.reply("502 5.5.2 Command not recognised")


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # A client that refuses our certificate ends the handshake: expected in tests, not a traceback.
        if not isinstance(sys.exc_info()[1], (ssl.SSLError, ConnectionError)):
            super().handle_error(request, client_address)


class SmtpServer:
    def __init__(self, host: str = "127.0.0.1", port: int = 0, *, tls: str | None = None,
                 ssl_context: ssl.SSLContext | None = None):
        if tls not in (None, "implicit", "starttls"):
            raise ValueError("tls must be None, 'implicit' or 'starttls'")
        if tls and ssl_context is None:
            raise ValueError("a TLS server needs an ssl_context")
        self.tls, self.ssl_context = tls, ssl_context
        self.messages: list[tuple[str, list[str], bytes]] = []
        self.users: dict[str, str] = {}
        self.refused: set[str] = set()
        self.down = False
        self.lock = threading.Lock()
        self.server = _Server((host, port), _Handler)
        self.server.box = self  # type: ignore[attr-defined]

    @property
    def port(self) -> int:
        return self.server.server_address[1]

    def start(self) -> "SmtpServer":
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def parsed(self, n: int = -1):
        return message_from_bytes(self.messages[n][2], policy=policy.default)
