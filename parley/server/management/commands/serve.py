"""`parley serve`: the web server (ASGI, uvicorn) and a background worker in one process tree."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve Parley over HTTP (uvicorn, ASGI) with a background worker beside it."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--no-worker", action="store_true", help="Do not start the background worker.")
        parser.add_argument("--workers", type=int, default=1, help="Web server processes.")
        parser.add_argument("--no-access-log", action="store_true", help="Do not log each request (high webhook rates).")

    def handle(self, *args, **opts):
        import uvicorn

        # uvicorn re-raises SIGTERM after its graceful shutdown; turn it into SystemExit
        # so the `finally` below still stops the worker instead of orphaning it.
        signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))
        worker = None
        if not opts["no_worker"]:
            worker = subprocess.Popen([sys.executable, "-m", "parley.cli", "worker"])
        try:
            uvicorn.run(
                "parley.asgi:application",
                host=opts["host"],
                port=opts["port"],
                workers=opts["workers"],
                log_level="info",
                access_log=not opts["no_access_log"],
                lifespan="off",
            )
        finally:
            if worker is not None and worker.poll() is None:
                worker.send_signal(signal.SIGTERM)
                try:
                    worker.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    worker.kill()
