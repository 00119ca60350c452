"""What keeps the intake's latency tail short: the writers' turn lock on SQLite, the frozen start-up heap,
and the timing trace that found them (off unless PARLEY_INTAKE_TRACE names a folder)."""

from __future__ import annotations

import asyncio
import fcntl
import gc
import json
import time
from types import SimpleNamespace

import pytest

from parley.platforms import intake, intaketrace
from parley.platforms.models import WebhookDelivery
from parley.server import gctune

from .test_intake_asgi import Passed, post, tweet_delivery, writer  # noqa: F401 - writer is a fixture


@pytest.fixture
def fresh_tracer(monkeypatch):
    """tracer() decides again from the settings; a tracer made by the test is taken down afterwards."""
    monkeypatch.setattr(intaketrace, "_checked", False)
    monkeypatch.setattr(intaketrace, "_tracer", None)
    yield
    made = intaketrace._tracer
    if made is not None:
        made.close()


def held_elsewhere(path) -> bool:
    """Whether another open file (as another process would have) cannot take the lock now."""
    with open(path, "a") as other:
        try:
            fcntl.flock(other.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(other.fileno(), fcntl.LOCK_UN)
        return False


def test_sqlite_writers_take_turns_on_a_file_lock_held_for_the_whole_transaction(tmp_path):
    database = tmp_path / "parley.sqlite3"
    connection = SimpleNamespace(vendor="sqlite", settings_dict={"NAME": str(database)})
    group = intake.GroupCommit(max_batch=4)
    lock = tmp_path / "parley.sqlite3-intake.lock"
    assert not lock.exists()
    with group.turn(connection):
        assert held_elsewhere(lock)
    assert not held_elsewhere(lock)
    with group.turn(connection):  # the same file, kept open
        assert held_elsewhere(lock)


def test_a_turn_waits_for_the_other_writer_and_goes_as_soon_as_it_is_released(tmp_path):
    import threading

    connection = SimpleNamespace(vendor="sqlite", settings_dict={"NAME": str(tmp_path / "db.sqlite3")})
    other = open(tmp_path / "db.sqlite3-intake.lock", "a")  # noqa: SIM115 - another process's writer
    fcntl.flock(other.fileno(), fcntl.LOCK_EX)
    entered = []

    def store():
        with intake.GroupCommit().turn(connection):
            entered.append(time.perf_counter())

    thread = threading.Thread(target=store)
    thread.start()
    time.sleep(0.2)
    assert entered == []  # waiting for the other writer
    released = time.perf_counter()
    fcntl.flock(other.fileno(), fcntl.LOCK_UN)
    thread.join(5)
    other.close()
    assert entered and entered[0] - released < 0.1  # no polling sleep after the release


@pytest.mark.parametrize("vendor, name", [("postgresql", "parley"), ("sqlite", ":memory:"),
                                          ("sqlite", "file:memorydb_default?mode=memory&cache=shared")])
def test_no_lock_file_for_postgresql_or_an_in_memory_database(vendor, name):
    assert intake._lock_path(SimpleNamespace(vendor=vendor, settings_dict={"NAME": name})) is None


def test_an_unwritable_lock_folder_stores_without_the_lock(tmp_path, caplog):
    connection = SimpleNamespace(vendor="sqlite", settings_dict={"NAME": str(tmp_path / "missing" / "db.sqlite3")})
    with intake.GroupCommit().turn(connection):
        pass
    assert "cannot open the writer lock" in caplog.text


@pytest.mark.django_db(transaction=True)
def test_the_trace_is_off_by_default_and_measures_nothing(writer, x_channel, fresh_tracer, settings,  # noqa: F811
                                                           monkeypatch):
    def timed(connection):
        raise AssertionError("the writer's connection was timed")

    monkeypatch.setattr(intaketrace, "timed_connection", timed)
    assert settings.PARLEY_INTAKE_TRACE == ""
    callbacks = list(gc.callbacks)
    status, _ = post(intake.HookIntake(Passed()), tweet_delivery(1))
    assert status == 200 and WebhookDelivery.objects.count() == 1
    assert intaketrace.tracer() is None and gc.callbacks == callbacks


@pytest.mark.django_db(transaction=True)
def test_the_trace_times_each_group_commit_gc_pauses_and_loop_lag(writer, x_channel, fresh_tracer, settings,  # noqa: F811
                                                                  tmp_path):
    settings.PARLEY_INTAKE_TRACE = str(tmp_path / "trace")
    app = intake.HookIntake(Passed())
    for n in range(3):
        status, _ = post(app, tweet_delivery(n))
        assert status == 200
    trace = intaketrace.tracer()
    trace.record("gc", gen=2, ms=3.0)  # as the callback would
    gc.collect()  # generation 2: always recorded

    async def stall():
        trace.watch_loop()
        await asyncio.sleep(0)
        time.sleep(0.05)  # blocks the loop: the lag task wakes late
        await asyncio.sleep(0.03)

    asyncio.run(stall())
    trace.flush()
    lines = [json.loads(line) for line in trace.path.read_text().splitlines()]
    groups = [line for line in lines if line["k"] == "group"]
    assert len(groups) == 3 and all(g["n"] == 1 for g in groups)
    assert all(g["accept"] >= g["commit"] >= 0 and g["wait"] >= g["turn"] >= 0 and "begin" in g and g["cpu"] >= 0
               for g in groups)
    assert any(g["commit"] > 0 for g in groups)
    assert sum(1 for line in lines if line["k"] == "gc" and line["gen"] == 2) >= 2
    assert any(line["k"] == "gc" and line.get("cpu", -1) >= 0 for line in lines)
    assert any(line["k"] == "lag" and line["ms"] >= 30 for line in lines)
    assert WebhookDelivery.objects.count() == 3


def test_the_startup_heap_is_frozen_unless_turned_off(settings):
    gc.unfreeze()
    try:
        settings.PARLEY_GC_FREEZE = False
        assert gctune.freeze_after_startup() is False and gc.get_freeze_count() == 0
        settings.PARLEY_GC_FREEZE = True
        assert gctune.freeze_after_startup() is True and gc.get_freeze_count() > 1000
    finally:
        gc.unfreeze()


def test_the_asgi_module_freezes_after_loading():
    import importlib

    from parley import asgi

    gc.unfreeze()
    try:
        importlib.reload(asgi)
        assert gc.get_freeze_count() > 1000
    finally:
        gc.unfreeze()


def wal_database(path):
    import sqlite3

    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA wal_autocheckpoint=0")  # as the intake writer's connection
    db.execute("CREATE TABLE t (body BLOB)")
    return db


def write_rounds(db, rounds, between=lambda: None):
    """The WAL's largest size (bytes) over `rounds` commits of 256 KB each."""
    import os

    largest = 0
    for _ in range(rounds):
        db.execute("BEGIN IMMEDIATE")
        db.executemany("INSERT INTO t VALUES (?)", [(os.urandom(1024),) for _ in range(256)])
        db.execute("COMMIT")
        largest = max(largest, os.path.getsize(f"{db_path(db)}-wal"))
        between()
    return largest


def db_path(db):
    return db.execute("PRAGMA database_list").fetchone()[2]


def test_without_checkpoints_the_writers_wal_grows_and_the_checkpointer_keeps_it_small(tmp_path):
    unchecked = write_rounds(wal_database(tmp_path / "a.sqlite3"), 24)
    assert unchecked > 6_000_000  # the writer does not checkpoint: every commit is still in the WAL

    db = wal_database(tmp_path / "b.sqlite3")
    checkpointer = intake.Checkpointer(str(tmp_path / "b.sqlite3"), seconds=60)
    copied = []
    bounded = write_rounds(db, 24, lambda: copied.append(checkpointer.checkpoint_once()))
    checkpointer.stop()
    assert bounded < 1_000_000  # the WAL starts over after each complete checkpoint
    assert all(busy == 0 and frames == done > 0 for busy, frames, done in copied)


def test_the_checkpointer_thread_runs_on_its_timer_and_stops(tmp_path):
    db = wal_database(tmp_path / "c.sqlite3")
    checkpointer = intake.Checkpointer(str(tmp_path / "c.sqlite3"), seconds=0.02)
    checkpointer.start()
    bounded = write_rounds(db, 24, lambda: time.sleep(0.1))
    checkpointer.stop()
    assert bounded < 1_000_000 and not checkpointer.alive()


def test_the_sqlite_writer_leaves_checkpoints_to_the_checkpointer_unless_turned_off(tmp_path, settings):
    import sqlite3

    path = tmp_path / "d.sqlite3"
    raw = sqlite3.connect(path, isolation_level=None)
    raw.execute("PRAGMA journal_mode=WAL")
    connection = SimpleNamespace(vendor="sqlite", settings_dict={"NAME": str(path)}, connection=raw,
                                 ensure_connection=lambda: None)
    autocheckpoint = lambda: raw.execute("PRAGMA wal_autocheckpoint").fetchone()[0]  # noqa: E731

    settings.PARLEY_SQLITE_CHECKPOINT_SECONDS = 0
    group = intake.GroupCommit()
    group._checkpoint_apart(connection)
    assert autocheckpoint() == 1000 and group._checkpointer is None

    settings.PARLEY_SQLITE_CHECKPOINT_SECONDS = 1.0
    group._checkpoint_apart(connection)
    assert autocheckpoint() == 0 and group._checkpointer.alive()
    group.close()
    assert not group._checkpointer.alive()


def test_no_checkpointer_for_postgresql(settings):
    group = intake.GroupCommit()
    group._checkpoint_apart(SimpleNamespace(vendor="postgresql", settings_dict={"NAME": "parley"}))
    assert group._checkpointer is None


def test_a_wal_the_checkpointer_cannot_catch_up_with_is_checkpointed_in_the_writers_turn(tmp_path, monkeypatch):
    turns = []
    flocked = intake._flocked

    def spy(file):
        turns.append(file.name)
        return flocked(file)

    monkeypatch.setattr(intake, "_flocked", spy)
    db = wal_database(tmp_path / "e.sqlite3")
    checkpointer = intake.Checkpointer(str(tmp_path / "e.sqlite3"), seconds=60, max_frames=50)
    write_rounds(db, 1)
    busy, frames, copied = checkpointer.checkpoint_once()
    assert frames > 50 and busy == 0 and frames == copied
    assert turns == [f"{tmp_path / 'e.sqlite3'}-intake.lock"]
    checkpointer.max_frames = 1000
    write_rounds(db, 1)  # the WAL started over: as many frames as one round
    busy, second, copied = checkpointer.checkpoint_once()
    checkpointer.stop()
    assert second == copied and second < frames + 10 and len(turns) == 1  # under the limit: no turn taken


def test_the_urlconf_is_loaded_before_the_freeze_so_full_collections_skip_it(settings):
    from django.urls import clear_url_caches, get_resolver

    settings.PARLEY_GC_FREEZE = True
    clear_url_caches()
    gc.unfreeze()
    try:
        gctune.freeze_after_startup()
        assert get_resolver()._populated
        assert len(gc.get_objects()) < 5000  # what a full collection still walks
    finally:
        gc.unfreeze()


def test_an_unwritable_trace_folder_turns_the_trace_off_not_the_intake(tmp_path, fresh_tracer, settings, caplog):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    settings.PARLEY_INTAKE_TRACE = str(blocker / "trace")  # a folder can't be made under a file
    assert intaketrace.tracer() is None
    assert "intake trace off" in caplog.text


def test_a_trace_that_cannot_be_written_drops_its_lines_and_goes_on(tmp_path, caplog):
    made = intaketrace.Tracer(str(tmp_path / "trace"))
    try:
        made.path.mkdir()  # the trace file's name is now a folder: every write fails
        made.record("commit", ms=1.0)
        made.flush()
        assert "1 lines dropped" in caplog.text
        made.record("commit", ms=2.0)
        made.flush()  # still working, nothing kept back
        assert made._lines == []
    finally:
        made.close()
