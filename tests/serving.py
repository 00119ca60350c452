"""Parley served by a real uvicorn (ASGI) for end-to-end tests: started on a free loopback port, ready once
/healthz answers, stopped afterwards. Used by tests/browser/conftest.py and tests/platforms/served.py."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_uvicorn(env: dict, log, *extra_args: str, timeout: float = 30.0) -> tuple[subprocess.Popen, str]:
    """Start `uvicorn parley.asgi:application` with `env`, its output to the open file `log`; return the
    process and its base URL once /healthz answers. Raises RuntimeError with the log when it exits or
    does not answer within `timeout` seconds (the process is stopped then)."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "parley.asgi:application", "--host", "127.0.0.1", "--port", str(port),
         "--lifespan", "off", "--log-level", "warning", *extra_args],
        env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
    )
    base_url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    while True:
        try:
            urllib.request.urlopen(base_url + "/healthz", timeout=1).read()
            return server, base_url
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                stop(server)
                log.flush()
                raise RuntimeError("uvicorn did not start:\n" + Path(log.name).read_text()) from None
            time.sleep(0.1)


def stop(process: subprocess.Popen, timeout: float = 10.0) -> None:
    """Terminate a process started here, killing it when it does not exit within `timeout` seconds."""
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
