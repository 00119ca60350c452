"""The live demo (`parley demo --serve`, `make demo`): Parley served with the simulator playing X and Meta.

The demo brands' X, Facebook and Instagram channels get a (simulated) token, so agents' replies go out
through the outbox to the simulator; the simulator pushes a signed delivery built from the demo corpus
every PARLEY_DEMO_LIVE_SECONDS (give or take a third) to Parley's webhooks, so the inbox keeps moving.
PARLEY_DEMO_LIVE=0 serves the demo as it was loaded, with nothing pushed.
"""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import threading

from django.conf import settings
from django.db import connections

from . import actions
from .models import ChannelAccount
from .simulator import Simulator
from .simulator.push import trickle

LIVE_PLATFORMS = ("x", "facebook", "instagram")  # YouTube is polled; the simulator has no comments for it


def prepare(sim_url: str) -> dict[str, str]:
    """Connect the demo brands' channels to the simulator; the environment `parley serve` needs for it."""
    from parley.inbox.demo import loader

    for channel in ChannelAccount.objects.filter(brand__in=loader.demo_brands(), platform__in=LIVE_PLATFORMS):
        if not channel.has_credentials:
            actions.set_channel_credentials(channel, {"access_token": f"demo-{channel.platform}-token"}, "demo")
    return {
        "PARLEY_X_API_BASE": sim_url,
        "PARLEY_GRAPH_API_BASE": sim_url,
        "PARLEY_YOUTUBE_API_BASE": sim_url,
        # The webhooks refuse unsigned deliveries: sign with the configured secrets, or with fresh ones.
        "PARLEY_X_CONSUMER_SECRET": settings.PARLEY_X_CONSUMER_SECRET or secrets.token_urlsafe(24),
        "PARLEY_META_APP_SECRET": settings.PARLEY_META_APP_SECRET or secrets.token_urlsafe(24),
    }


def serve(port: int, write=print) -> int:
    """Run `parley serve` on `port` (with the simulator pushing to it when the live demo is on) until
    it stops or Ctrl-C; its exit status."""
    env = dict(os.environ)
    sim = stop = None
    if settings.PARLEY_DEMO_LIVE:
        sim = Simulator(port=settings.PARLEY_DEMO_SIMULATOR_PORT).start()
        env.update(prepare(sim.base_url))
    for conn in connections.all(initialized_only=True):  # the server and its worker open their own
        if not conn.in_atomic_block:
            conn.close()
    server = subprocess.Popen([sys.executable, "-m", "parley.cli", "serve", "--port", str(port)], env=env)
    if sim is not None:
        stop = threading.Event()
        keys = {"x": env["PARLEY_X_CONSUMER_SECRET"], "meta": env["PARLEY_META_APP_SECRET"]}
        threading.Thread(target=trickle, args=(f"http://127.0.0.1:{port}", keys, settings.PARLEY_DEMO_LIVE_SECONDS, stop),
                         name="parley-demo-live", daemon=True).start()
        write(f"Live demo: the simulator at {sim.base_url} plays X and Meta; a new customer post about every "
              f"{settings.PARLEY_DEMO_LIVE_SECONDS:g} s, and replies go out to it (PARLEY_DEMO_LIVE=0 turns this off).")
    previous = signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))
    try:
        return server.wait()
    except KeyboardInterrupt:
        return 0
    finally:
        signal.signal(signal.SIGTERM, previous)
        if stop is not None:
            stop.set()
        if server.poll() is None:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
        if sim is not None:
            sim.stop()
