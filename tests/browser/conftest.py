"""Browser tests: chromium drives Parley served by a real uvicorn (ASGI, so live updates work).

pytest-django's live_server is WSGI with an in-memory database, so instead the
session gets its own world: a temporary PARLEY_DATA_DIR with a fresh SQLite
file, migrated by `parley migrate`, seeded through the actions, and served by
`uvicorn parley.asgi:application` in a subprocess on a free port. The test
process reaches the same file through `app_db.run(...)`, which runs ORM code in
a thread of its own whose default connection points at that file, so the tests'
own test database (and every other test) is never touched.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.serving import start_uvicorn, stop

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ROOT = Path(__file__).resolve().parents[2]
# Screenshots go to test-results/screenshots (ignored by git); `make screenshots` points
# PARLEY_SCREENSHOT_DIR at docs/screenshots to refresh the ones the README shows.
SCREENSHOTS = Path(os.environ.get("PARLEY_SCREENSHOT_DIR", ROOT / "test-results" / "screenshots"))
DESKTOP = {"width": 1366, "height": 900}
# The served app's secret key (credentials stored for it are encrypted with a key derived from it).
SECRET_KEY = "browser-tests-" + "k" * 40


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    for item in items:
        if Path(str(item.fspath)).is_relative_to(here):
            item.add_marker(pytest.mark.browser)
            if not Path(CHROMIUM).exists():
                item.add_marker(pytest.mark.skip(reason=f"{CHROMIUM} missing: run scripts/ensure-system-deps"))


def _sqlite_settings(path: Path) -> dict:
    from django.db import connections

    return connections.configure_settings(
        {
            "default": {
                "ENGINE": "django.db.backends.sqlite3",
                "NAME": str(path),
                "OPTIONS": {
                    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;",
                    "transaction_mode": "IMMEDIATE",
                },
            }
        }
    )["default"]


class AppDB:
    """ORM calls against the served app's SQLite file, from one dedicated thread."""

    def __init__(self, path: Path, blocker):
        self.path = path
        self.blocker = blocker
        self.executor = ThreadPoolExecutor(max_workers=1, initializer=self._connect)

    def _connect(self):
        from django.db import connections
        from django.db.backends.sqlite3.base import DatabaseWrapper

        # connections[...] is per thread: only this worker thread sees the app's file.
        connections["default"] = DatabaseWrapper(_sqlite_settings(self.path), "default")

    def run(self, fn, *args, **kwargs):
        def call():
            with self.blocker.unblock():
                return fn(*args, **kwargs)

        return self.executor.submit(call).result(timeout=60)

    def close(self):
        def close_connection():
            from django.db import connections

            connections["default"].close()

        self.executor.submit(close_connection).result(timeout=10)
        self.executor.shutdown()


@pytest.fixture(scope="session")
def app_server(django_db_blocker):
    """A served Parley with the seed data: yields (base_url, app_db, seeded objects)."""
    from django.utils import timezone

    from tests.browser.seed import seed

    tmp = Path(tempfile.mkdtemp(prefix="parley-browser-"))
    db_path = tmp / "parley.sqlite3"
    env = {
        **os.environ,
        "PARLEY_DATA_DIR": str(tmp),
        "DATABASE_URL": f"sqlite:///{db_path}",
        "PARLEY_SECRET_KEY": SECRET_KEY,
        "PARLEY_DEBUG": "false",
        "PARLEY_LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "parley.settings",
    }
    env.pop("PARLEY_TEST_DB_NAME", None)
    subprocess.run([sys.executable, "-m", "parley.cli", "migrate", "--noinput"], env=env, cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)
    app_db = AppDB(db_path, django_db_blocker)
    data = app_db.run(seed, timezone.now())

    log = open(tmp / "server.log", "w")
    server, base_url = start_uvicorn(env, log, "--timeout-graceful-shutdown", "1")
    try:
        yield base_url, app_db, data
    finally:
        stop(server)
        log.close()
        app_db.close()
        shutil.rmtree(tmp, ignore_errors=True)


@pytest.fixture(scope="session")
def base_url(app_server):
    return app_server[0]


@pytest.fixture(scope="session")
def app_db(app_server):
    return app_server[1]


@pytest.fixture(scope="session")
def seeded(app_server):
    return app_server[2]


# The session's browser is the `browser` fixture of tests/conftest.py: one Playwright per
# session, shared with the other folders' browser tests (two sync Playwrights cannot coexist).


@pytest.fixture(scope="session")
def login_states(browser, base_url, tmp_path_factory):
    """Log each user in once through the login form; later contexts reuse the session cookie."""
    from tests.browser.seed import PASSWORD

    states = {}

    def state_for(username: str) -> dict:
        if username not in states:
            context = browser.new_context(viewport=DESKTOP)
            page = context.new_page()
            page.goto(base_url + "/login/")
            page.fill("#id_username", username)
            page.fill("#id_password", PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_url(lambda url: "/login/" not in url)
            states[username] = context.storage_state()
            context.close()
        return states[username]

    return state_for


class PageErrors(list):
    def check(self):
        assert not self, "JavaScript errors: " + "; ".join(self)


@pytest.fixture
def open_page(browser, base_url, login_states):
    """open_page(user, path, **context options) → a page logged in as `user`, at `path`.

    Every page fails its test on any uncaught JavaScript error or console error, any
    server error, and any missing static file.
    """
    contexts = []
    errors = PageErrors()

    def opener(username: str | None, path: str = "/", **options):
        options.setdefault("viewport", DESKTOP)
        if username:
            options["storage_state"] = login_states(username)
        context = browser.new_context(**options)
        context.set_default_timeout(5000)
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda exc: errors.append(f"uncaught: {exc}"))
        page.on("console", lambda msg: errors.append(f"console: {msg.text}") if msg.type == "error"
                and not msg.text.startswith("Failed to load resource: the server responded") else None)
        # Refused actions answer 4xx on purpose; a static file must never be missing.
        page.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 500
                or (r.status >= 400 and "/static/" in r.url) else None)
        page.goto(base_url + path)
        return page

    opener.errors = errors
    yield opener
    for context in contexts:
        context.close()
    errors.check()


@pytest.fixture(scope="session")
def screenshot():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def save(page, name: str, **options):
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), **options)

    return save
