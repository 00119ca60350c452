"""`parley simulate`: run the fake X / Graph APIs on loopback, optionally pushing signed webhooks to Parley."""

from __future__ import annotations

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from parley.platforms.simulator import Simulator
from parley.platforms.simulator.push import stream


class Command(BaseCommand):
    help = "Run a simulated X API v2 and Graph API on loopback; with --push-to, stream signed webhooks to Parley."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8210, help="port of the simulated APIs (default 8210)")
        parser.add_argument("--push-to", default="", help="Parley's base URL, e.g. http://127.0.0.1:8000")
        parser.add_argument("--rate", type=float, default=2.0, help="deliveries per second (default 2)")
        parser.add_argument("--count", type=int, default=100, help="deliveries to push (default 100)")
        parser.add_argument("--x-account", default="1001", help="for_user_id of the pushed X deliveries")
        parser.add_argument("--page-id", default="448242228374517", help="Page id of the pushed Facebook deliveries")
        parser.add_argument("--seconds", type=float, default=0, help="stop after this long (default: until Ctrl-C)")
        parser.add_argument("--imap-port", type=int, default=0, help="also serve a mailbox over IMAP on this port")
        parser.add_argument("--smtp-port", type=int, default=0, help="also accept mail over SMTP on this port")
        parser.add_argument("--mailbox", default="support@example.test", help="the mailbox's address (its login)")
        parser.add_argument("--mail-password", default="simulator", help="the mailbox's password (IMAP and SMTP)")
        parser.add_argument("--mail-count", type=int, default=20,
                            help="customer emails from the demo corpus put in the mailbox (default 20)")
        parser.add_argument("--mail-tls", choices=["none", "ssl", "starttls"], default="none",
                            help="serve IMAP and SMTP over TLS: ssl (implicit TLS, the handshake first, as on ports "
                                 "993/465) or starttls (plain text until STARTTLS; LOGIN/AUTH only after it), with a "
                                 "certificate from a throw-away CA whose file is printed for PARLEY_MAIL_CA_FILE")
        parser.add_argument("--mail-cert-dir", default="",
                            help="where the throw-away CA and certificate are written (default: a folder in the "
                                 "system's temporary directory, replaced on each run)")

    def handle(self, *args, **opts):
        if not 0 < opts["port"] < 65536:
            raise CommandError("--port must be 1-65535")
        sim = Simulator(port=opts["port"]).start()
        self.stdout.write(
            f"Simulated APIs at {sim.base_url}\n"
            f"  PARLEY_X_API_BASE={sim.base_url}\n  PARLEY_GRAPH_API_BASE={sim.base_url}\n"
            f"  faults: POST {sim.base_url}/_sim/faults {{\"kind\": \"rate_limit\", \"match\": \"/2/tweets\"}}\n"
            f"  record: GET {sim.base_url}/_sim/requests"
        )
        mail_servers = self._mail(opts)
        try:
            if opts["push_to"]:
                secrets = {"x": settings.PARLEY_X_CONSUMER_SECRET, "meta": settings.PARLEY_META_APP_SECRET}
                if not all(secrets.values()):
                    raise CommandError("set PARLEY_X_CONSUMER_SECRET and PARLEY_META_APP_SECRET to sign deliveries")
                with tqdm(total=opts["count"], desc="deliveries", unit="req") as bar:
                    statuses = stream(opts["push_to"], secrets, opts["rate"], opts["count"], opts["x_account"],
                                      opts["page_id"], progress=bar.update)
                self.stdout.write(f"Pushed {opts['count']}: " + ", ".join(f"{k}: {v}" for k, v in sorted(statuses.items())))
            deadline = time.monotonic() + opts["seconds"] if opts["seconds"] else None
            while deadline is None or time.monotonic() < deadline:
                time.sleep(0.2)
        except KeyboardInterrupt:
            pass
        finally:
            sim.stop()
            for server in mail_servers:
                server.stop()

    def _mail(self, opts) -> list:
        """The IMAP mailbox (seeded from the demo corpus) and the SMTP server, when asked for."""
        from parley.platforms.simulator.imap import ImapServer
        from parley.platforms.simulator.push import demo_mail
        from parley.platforms.simulator.smtp import SmtpServer

        servers = []
        tls = opts.get("mail_tls") or "none"
        mode = {"none": None, "ssl": "implicit", "starttls": "starttls"}[tls]
        context = None
        if mode and (opts["imap_port"] or opts["smtp_port"]):
            pki = self._pki(opts.get("mail_cert_dir") or "")
            context = pki.server_context()
            self.stdout.write(f"  Mail TLS ({tls}) with a certificate for localhost and 127.0.0.1 from a throw-away CA:\n"
                              f"  PARLEY_MAIL_CA_FILE={pki.ca_file}")
        if opts["imap_port"]:
            imap = ImapServer(port=opts["imap_port"], tls=mode, ssl_context=context)
            imap.users[opts["mailbox"]] = opts["mail_password"]
            for raw in demo_mail(opts["mailbox"], opts["mail_count"]):
                imap.deliver(raw)
            servers.append(imap.start())
            self.stdout.write(f"  IMAP mailbox {opts['mailbox']} (password {opts['mail_password']!r}, security {tls}) "
                              f"at 127.0.0.1:{imap.port} with {opts['mail_count']} messages")
        if opts["smtp_port"]:
            smtp = SmtpServer(port=opts["smtp_port"], tls=mode, ssl_context=context).start()
            smtp.users[opts["mailbox"]] = opts["mail_password"]
            servers.append(smtp)
            self.stdout.write(f"  SMTP at 127.0.0.1:{smtp.port} (login {opts['mailbox']}, security {tls})")
        return servers

    @staticmethod
    def _pki(folder: str):
        """A new CA and server certificate (valid a day) under `folder`, or a fresh temporary one."""
        import tempfile
        from pathlib import Path

        from parley.platforms.simulator.tls import issue

        path = Path(folder) if folder else Path(tempfile.gettempdir()) / "parley-simulator-pki"
        return issue(path, ("localhost", "127.0.0.1"), prefix="simulator-mail")
