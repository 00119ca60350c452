"""`parley serve` runs the web server and a worker in one process tree, and stops both."""

import os
import signal
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


def children_of(pid: int) -> list[int]:
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True).stdout
    return [int(x) for x in out.split()]


def test_serve_answers_and_stops_its_worker(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("PARLEY_") and k != "DATABASE_URL"}
    env["PARLEY_DATA_DIR"] = str(tmp_path)
    subprocess.run([sys.executable, "-m", "parley.cli", "migrate", "--noinput"], env=env, cwd=ROOT,
                   check=True, capture_output=True, timeout=180)
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "parley.cli", "serve", "--port", str(port)], env=env, cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        body = None
        while time.monotonic() < deadline:
            try:
                body = urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2).read()
                break
            except OSError:
                time.sleep(0.3)
        assert body == b'{"status": "ok"}'
        login = urllib.request.urlopen(f"http://127.0.0.1:{port}/login/", timeout=5)
        assert login.status == 200
        workers = children_of(server.pid)
        assert len(workers) == 1, "one background worker beside the web server"
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and any(Path(f"/proc/{w}").exists() for w in workers):
            time.sleep(0.2)
        assert not any(Path(f"/proc/{w}").exists() and "zombie" not in Path(f"/proc/{w}/status").read_text().lower()
                       for w in workers), "the worker outlived `parley serve`"
    finally:
        if server.poll() is None:
            server.kill()
