"""Webhook intake: the checks every delivery passes before it is stored, and the fast ASGI path.

Both ways in share `refusal_before_body` and `refusal_for_body`:
- `webhooks.py`'s Django views (WSGI, the test client, the platforms' GET challenges);
- `HookIntake`, which `parley.asgi` puts in front of Django: a signed POST to /hooks/x|meta|email/
  is read, verified and stored without Django's request cycle (no middleware, no thread per
  request) and handed to one `GroupCommit` writer thread per process, which stores everything
  waiting in one transaction (`actions.accept_deliveries`) and answers each request when that
  transaction has committed. Nothing is acknowledged before it is stored with its job.

The fast path applies the two checks of Django's middleware that concern it, with Django's own code
(`refusal_for_request`): the Host header against ALLOWED_HOSTS (400, as CommonMiddleware would) and
SECURE_SSL_REDIRECT with SECURE_PROXY_SSL_HEADER / SECURE_SSL_HOST / SECURE_REDIRECT_EXEMPT (301 to
https://, as SecurityMiddleware would), before the body is read.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import fcntl
import io
import json
import logging
import queue
import sqlite3
import threading
import time
from dataclasses import dataclass
from typing import Callable

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.core.handlers.asgi import ASGIRequest
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.middleware.security import SecurityMiddleware

from . import intaketrace
from .email import webhooks as mail
from .meta import webhooks as meta
from .x import webhooks as x

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Family:
    name: str
    secret: Callable[[], object]  # a secret, or a tuple of secrets any of which may sign
    header: str
    signature_ok: Callable[[object, bytes, str], bool]


FAMILIES = {
    "x": Family("x", x.app_secret, x.SIGNATURE_HEADER, x.signature_ok),
    # Meta deliveries may be signed with the Facebook app's secret or, for "Instagram API with
    # Instagram Login", the Instagram app's: either is accepted.
    "meta": Family("meta", meta.app_secrets, meta.SIGNATURE_HEADER, meta.signature_ok_any),
    "email": Family("email", mail.app_secret, mail.SIGNATURE_HEADER, mail.signature_ok),
}
PATHS = {f"/hooks/{name}/": family for name, family in FAMILIES.items()}

Refusal = tuple[int, str]


def refusal_for_request(scope) -> tuple[int, bytes, list] | None:
    """What Django's middleware would answer before the view, for a fast-path request: a 301 to https://
    (SECURE_SSL_REDIRECT, judged with SECURE_PROXY_SSL_HEADER) or 400 for a Host not in ALLOWED_HOSTS.
    Uses Django's own request and middleware code, so both paths judge a request the same way."""
    request = ASGIRequest(scope, io.BytesIO())
    try:
        redirect = _security().process_request(request)
        if redirect is not None:
            return redirect.status_code, b"", [(b"location", redirect["Location"].encode("latin-1"))]
        request.get_host()
    except DisallowedHost as error:
        # Logged where Django logs it, so an operator's filter for this logger covers both paths.
        logging.getLogger("django.security.DisallowedHost").error(str(error), extra={"status_code": 400})
        return 400, b"Bad Request (400)", []
    return None


def _unused(request):  # pragma: no cover - SecurityMiddleware wants a next handler; the fast path has none
    raise NotImplementedError


_security_middleware: SecurityMiddleware | None = None


def _security() -> SecurityMiddleware:
    """One SecurityMiddleware per process (it reads its settings when made, as Django's own does)."""
    global _security_middleware
    if _security_middleware is None:
        _security_middleware = SecurityMiddleware(_unused)
    return _security_middleware


@receiver(setting_changed)
def _settings_changed(setting, **kwargs):  # tests change settings; make a new one next time
    global _security_middleware
    if setting.startswith("SECURE_"):
        _security_middleware = None


def refusal_before_body(family: Family, content_length: str | None) -> Refusal | None:
    """What is wrong before the body is read: not configured (503), bad or too large a length."""
    if not family.secret():
        return 503, f"{family.name} webhooks are not configured on this server"
    try:
        declared = int(content_length or 0)
    except ValueError:
        return 400, "bad Content-Length"
    if declared > settings.PARLEY_WEBHOOK_MAX_BYTES:
        return 413, f"body larger than {settings.PARLEY_WEBHOOK_MAX_BYTES} bytes"
    return None


def refusal_for_body(family: Family, body: bytes, signature: str, client: str = "") -> Refusal | None:
    """What is wrong with a read body: too large (413), unsigned (401), signed wrongly (403)."""
    if len(body) > settings.PARLEY_WEBHOOK_MAX_BYTES:
        return 413, f"body larger than {settings.PARLEY_WEBHOOK_MAX_BYTES} bytes"
    if not signature:
        return 401, f"missing {family.header}"
    if not family.signature_ok(family.secret(), body, signature):
        log.warning("%s webhook with a bad signature from %s", family.name, client)
        return 403, "bad signature"
    return None


def acknowledgement(created: bool) -> bytes:
    return json.dumps({"received": True, "duplicate": not created}).encode()


# --- group commit ------------------------------------------------------------------------------


class GroupCommit:
    """One writer thread: whatever deliveries are waiting when it is free are stored in one transaction.

    Under load a batch forms by itself while the previous one commits (no waiting to fill it), so a
    quiet server answers at once and a busy one pays for one transaction per batch, not per request.
    """

    def __init__(self, max_batch: int | None = None):
        self.max_batch = max_batch or settings.PARLEY_WEBHOOK_BATCH_MAX
        self._queue: queue.SimpleQueue = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._lock_file = None
        self._tuned = None  # the SQLite connection told not to checkpoint (the checkpointer does)
        self._checkpointer: Checkpointer | None = None

    def submit(self, family: str, body: bytes) -> concurrent.futures.Future:
        """A future of (delivery id, created) resolved once the body is committed with its job."""
        future: concurrent.futures.Future = concurrent.futures.Future()
        self._queue.put((family, body, future, time.perf_counter()))
        self._start()
        return future

    def _start(self) -> None:
        if self._thread is not None and self._thread.is_alive():
            return
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="parley-webhook-intake", daemon=True)
                self._thread.start()

    def close(self, timeout: float = 10) -> None:
        """Store what is waiting, then stop the thread and close its database connection."""
        if self._thread is not None and self._thread.is_alive():
            self._queue.put(None)
            self._thread.join(timeout)
        if self._checkpointer is not None:
            self._checkpointer.stop()

    def _run(self) -> None:
        from django.db import connection

        while True:
            first = self._queue.get()
            if first is None:
                connection.close()
                return
            batch = [first]
            while len(batch) < self.max_batch:
                try:
                    item = self._queue.get_nowait()
                except queue.Empty:
                    break
                if item is None:
                    self._queue.put(None)  # stop after this batch
                    break
                batch.append(item)
            self.commit(batch)

    def commit(self, batch: list) -> None:
        from django.db import connection

        asked = time.perf_counter()
        with self.turn(connection):
            self._turn_ms = (time.perf_counter() - asked) * 1000  # the trace's `turn`
            self._checkpoint_apart(connection)
            self._commit(batch, connection)

    def _checkpoint_apart(self, connection) -> None:
        """SQLite: the writer's commits do not copy the WAL back into the database (PRAGMA
        wal_autocheckpoint=0 on its connection); a `Checkpointer` thread does, beside it, every
        PARLEY_SQLITE_CHECKPOINT_SECONDS. Run inside a commit, a checkpoint held up a whole group and
        everything queued behind it. Off (0): SQLite checkpoints in the writer's commits as before."""
        seconds = settings.PARLEY_SQLITE_CHECKPOINT_SECONDS
        path = _database_file(connection)
        if not seconds or path is None:
            return
        connection.ensure_connection()
        if connection.connection is not self._tuned:
            connection.connection.execute("PRAGMA wal_autocheckpoint=0")
            self._tuned = connection.connection
        if self._checkpointer is None or not self._checkpointer.alive():
            self._checkpointer = Checkpointer(path, seconds)
            self._checkpointer.start()

    def turn(self, connection):
        """SQLite: hold an exclusive lock on a file beside the database while storing, so that the writers
        of every server process take turns. Without it a writer that finds the database locked waits in
        SQLite's busy handler, which sleeps up to 100 ms between tries while the other process's writer
        takes the lock again and again: BEGIN IMMEDIATE waited up to 1.5 s under load (docs/benchmarks.md,
        "Intake tail"). A blocked flock wakes as soon as the lock is released. PostgreSQL: no lock."""
        path = _lock_path(connection)
        if path is None:
            return contextlib.nullcontext()
        if self._lock_file is None or self._lock_file.name != path:
            try:
                self._lock_file = open(path, "a")  # noqa: SIM115 - kept open for the writer's life
            except OSError as error:  # a read-only folder: SQLite's busy handler still serialises
                log.warning("webhook intake: cannot open the writer lock %s (%s); storing without it", path, error)
                return contextlib.nullcontext()
        return _flocked(self._lock_file)

    def _commit(self, batch: list, connection) -> None:
        from . import actions

        trace = intaketrace.tracer()
        if trace is not None:
            timings = intaketrace.timed_connection(connection)
            timings.clear()
            started, cpu = time.perf_counter(), time.thread_time()
        try:
            results = actions.accept_deliveries([(family, body) for family, body, _, _ in batch])
        except Exception as error:  # noqa: BLE001 - each waiting request answers 503 and the platform retries
            log.exception("could not store %d webhook deliveries", len(batch))
            connection.close()  # a fresh connection for the next batch
            for _, _, future, _ in batch:
                future.set_exception(error)
            return
        if trace is not None:
            done = time.perf_counter()
            trace.record("group", at=done, n=len(batch), wait=round((started - batch[0][3]) * 1000, 2),
                         turn=round(self._turn_ms, 2),
                         accept=round((done - started) * 1000, 2), begin=round(timings.pop("begin", 0.0), 2),
                         commit=round(timings.pop("commit", 0.0), 2), cpu=round((time.thread_time() - cpu) * 1000, 2))
        for (_, _, future, _), result in zip(batch, results):
            future.set_result(result)


class Checkpointer:
    """A daemon thread that copies a SQLite database's WAL back into it every `seconds`, on its own
    connection, with PRAGMA wal_checkpoint(PASSIVE): it never waits for (or holds up) a writer or a
    reader, and once everything is copied the next write starts the WAL from its beginning again. When
    writers never pause long enough for it to finish and the WAL passes `max_frames`, it checkpoints in
    the intake writers' turn (their file lock), so the WAL stays bounded. Durability is unchanged: a
    commit is in the WAL either way (synchronous=NORMAL), and the checkpoint syncs the database as before.
    Off by default (PARLEY_SQLITE_CHECKPOINT_SECONDS=0)."""

    def __init__(self, path: str, seconds: float, max_frames: int = 4000):
        self.path = path
        self.seconds = seconds
        self.max_frames = max_frames
        self._lock_file = None
        self._db: sqlite3.Connection | None = None
        self._stopped = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="parley-wal-checkpoint", daemon=True)
        self._thread.start()

    def alive(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def stop(self) -> None:
        self._stopped.set()
        if self._thread is not None:
            self._thread.join(5)

    def checkpoint_once(self) -> tuple[int, int, int]:
        """(1 if it could not finish, WAL frames, frames copied), as SQLite answers."""
        if self._db is None:
            self._db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        started = time.perf_counter()
        busy, frames, copied = self._db.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        if frames > self.max_frames:
            # Writers committing all the time kept it from ever finishing, and the WAL kept growing (to
            # 40,000 frames, 160 MB, in a loaded 30 s run): finish it in the intake writers' turn.
            if self._lock_file is None:
                self._lock_file = open(f"{self.path}-intake.lock", "a")  # noqa: SIM115 - its own, not the writer's
            with _flocked(self._lock_file):
                busy, frames, copied = self._db.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        trace = intaketrace.tracer()
        if trace is not None and copied:
            trace.record("ckpt", ms=round((time.perf_counter() - started) * 1000, 2), frames=frames, copied=copied)
        return busy, frames, copied

    def _run(self) -> None:
        while not self._stopped.wait(self.seconds):
            try:
                self.checkpoint_once()
            except sqlite3.Error as error:  # tried again next time, on a fresh connection
                log.warning("WAL checkpoint of %s failed: %s", self.path, error)
                self._close()
        self._close()

    def _close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None
        if self._lock_file is not None:
            self._lock_file.close()
            self._lock_file = None


def _database_file(connection) -> str | None:
    """The SQLite database's file; None for PostgreSQL or an in-memory one."""
    if connection.vendor != "sqlite":
        return None
    name = str(connection.settings_dict["NAME"] or "")
    if not name or name == ":memory:" or name.startswith("file:"):
        return None
    return name


def _lock_path(connection) -> str | None:
    """The writer lock's file for a SQLite database in a file; None for PostgreSQL or an in-memory one."""
    name = _database_file(connection)
    return None if name is None else f"{name}-intake.lock"


@contextlib.contextmanager
def _flocked(file):
    fcntl.flock(file.fileno(), fcntl.LOCK_EX)
    try:
        yield
    finally:
        fcntl.flock(file.fileno(), fcntl.LOCK_UN)


_writer: GroupCommit | None = None


def writer() -> GroupCommit:
    global _writer
    if _writer is None:
        _writer = GroupCommit()
    return _writer


# --- the ASGI path -----------------------------------------------------------------------------


class HookIntake:
    """ASGI middleware: signed webhook POSTs are stored here; every other request goes to Django."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        family = PATHS.get(scope.get("path", "")) if scope["type"] == "http" else None
        trace = intaketrace.tracer()
        if trace is not None:
            trace.watch_loop()
        if family is None or scope.get("method") != "POST":
            return await self.app(scope, receive, send)
        refused = refusal_for_request(scope)
        if refused is not None:
            status, body, extra = refused
            await send({"type": "http.response.start", "status": status,
                        "headers": [(b"content-type", b"text/html; charset=utf-8"),
                                    (b"content-length", str(len(body)).encode()), *extra]})
            await send({"type": "http.response.body", "body": body})
            return
        status, body = await self._intake(family, scope, receive)
        if status == 0:
            return  # the client went away before sending its body; nothing was stored
        content_type = b"application/json" if status == 200 else b"text/plain; charset=utf-8"
        await send({"type": "http.response.start", "status": status,
                    "headers": [(b"content-type", content_type), (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})

    async def _intake(self, family: Family, scope, receive) -> tuple[int, bytes]:
        headers = {}
        for name, value in scope.get("headers", ()):
            headers[name.decode("latin-1")] = value.decode("latin-1")
        refusal = refusal_before_body(family, headers.get("content-length"))
        if refusal is None:
            body = await _read_body(receive, settings.PARLEY_WEBHOOK_MAX_BYTES)
            if body is None:
                return 0, b""
            client = (scope.get("client") or ("",))[0]
            refusal = refusal_for_body(family, body, headers.get(family.header.lower(), ""), client)
        if refusal is not None:
            return refusal[0], refusal[1].encode()
        try:
            _, created = await asyncio.wrap_future(writer().submit(family.name, body))
        except Exception:  # noqa: BLE001 - logged by the writer; not stored, so not acknowledged
            return 503, b"could not store the delivery now; send it again"
        return 200, acknowledgement(created)


async def _read_body(receive, limit: int) -> bytes | None:
    """The request body; at most limit + 1 bytes are kept (enough to refuse it), None if the client left."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return None
        chunk = message.get("body", b"")
        if size <= limit:
            chunks.append(chunk)
        size += len(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)
