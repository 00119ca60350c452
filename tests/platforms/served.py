"""Parley served as in production for end-to-end browser tests: its own SQLite file, migrated and seeded,
uvicorn (ASGI) on a free loopback port plus a `db_worker`; stopped and removed afterwards."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from pathlib import Path

from tests.serving import ROOT, start_uvicorn, stop


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
    log = open(tmp / "server.log", "w")
    procs = [subprocess.Popen([*cli, "db_worker", "--interval", "0.2", "--no-startup-delay"], env=env, cwd=ROOT,
                              stdout=log, stderr=subprocess.STDOUT)]
    try:
        server, base_url = start_uvicorn(env, log)
        procs.insert(0, server)
        yield base_url
    finally:
        for proc in procs:
            stop(proc)
        log.close()
