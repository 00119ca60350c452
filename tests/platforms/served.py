"""Parley served as in production for end-to-end browser tests: its own SQLite file, migrated and seeded,
uvicorn (ASGI) on a free loopback port plus a `db_worker`; stopped and removed afterwards."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serve(tmp: Path, settings: dict, seed: str):
    """Yield the base URL of a Parley serving `tmp`'s database, with `settings` as its environment and
    `seed` (Python run in `parley shell`) applied after migrating."""
    env = {
        **os.environ,
        "PARLEY_DATA_DIR": str(tmp), "DATABASE_URL": f"sqlite:///{tmp / 'parley.sqlite3'}",
        "PARLEY_LOG_LEVEL": "WARNING", "DJANGO_SETTINGS_MODULE": "parley.settings", **settings,
    }
    env.pop("PARLEY_TEST_DB_NAME", None)
    cli = [sys.executable, "-m", "parley.cli"]
    subprocess.run([*cli, "migrate", "--noinput"], env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    subprocess.run([*cli, "shell", "-c", seed], env=env, cwd=ROOT, check=True)
    port = free_port()
    log = open(tmp / "server.log", "w")
    procs = [
        subprocess.Popen([sys.executable, "-m", "uvicorn", "parley.asgi:application", "--host", "127.0.0.1",
                          "--port", str(port), "--lifespan", "off", "--log-level", "warning"],
                         env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT),
        subprocess.Popen([*cli, "db_worker", "--interval", "0.2", "--no-startup-delay"], env=env, cwd=ROOT,
                         stdout=log, stderr=subprocess.STDOUT),
    ]
    try:
        base_url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(base_url + "/healthz", timeout=1).read()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError("uvicorn did not start:\n" + (tmp / "server.log").read_text()) from None
                time.sleep(0.1)
        yield base_url
    finally:
        for proc in procs:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
        log.close()
