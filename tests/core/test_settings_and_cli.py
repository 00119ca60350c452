"""Settings fail loudly on bad values; the `parley` console script runs commands."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run_parley(*args, env=None, tmp_path=None):
    environ = {k: v for k, v in os.environ.items() if not k.startswith("PARLEY_") and k != "DATABASE_URL"}
    environ["PARLEY_DATA_DIR"] = str(tmp_path)
    environ.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "parley.cli", *args], capture_output=True, text=True, env=environ, cwd=ROOT, timeout=120
    )


@pytest.mark.parametrize(
    "env, message",
    [
        ({"PARLEY_DEBUG": "maybe"}, "PARLEY_DEBUG='maybe' is not a boolean"),
        ({"PARLEY_REOPEN_WINDOW_HOURS": "soon"}, "PARLEY_REOPEN_WINDOW_HOURS='soon' is not an integer"),
        ({"PARLEY_REOPEN_WINDOW_HOURS": "-1"}, "must be at least 0"),
        ({"DATABASE_URL": "mysql://x@y/z"}, "SQLite or PostgreSQL"),
        ({"PARLEY_SECRET_KEY": "short"}, "at least 32 characters"),
    ],
)
def test_bad_settings_fail_loudly(tmp_path, env, message):
    result = run_parley("check", env=env, tmp_path=tmp_path)
    assert result.returncode != 0
    assert message in result.stderr


def test_parley_check_and_help(tmp_path):
    result = run_parley("check", tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout
    help_text = run_parley("help", tmp_path=tmp_path).stdout
    for command in ("serve", "worker", "migrate", "createsuperuser"):
        assert command in help_text


def test_secret_key_is_generated_once_and_kept(tmp_path):
    run_parley("check", tmp_path=tmp_path)
    key = (tmp_path / "secret_key").read_text()
    run_parley("check", tmp_path=tmp_path)
    assert (tmp_path / "secret_key").read_text() == key and len(key) >= 50
    assert oct((tmp_path / "secret_key").stat().st_mode)[-3:] == "600"


def test_credentials_are_encrypted_at_rest(db, brand):
    from parley.platforms.models import ChannelAccount

    channel = ChannelAccount(brand=brand, platform="x", external_id="1", handle="acme")
    channel.set_credentials({"access_token": "very-secret-token"})
    channel.save()
    stored = ChannelAccount.objects.values_list("credentials_encrypted", flat=True).get()
    assert "very-secret-token" not in stored
    assert ChannelAccount.objects.get().get_credentials() == {"access_token": "very-secret-token"}


def test_migrations_are_complete(db):
    from django.core.management import call_command

    call_command("makemigrations", "--check", "--dry-run", verbosity=0)
