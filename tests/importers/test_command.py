"""`parley import FILE`: brand choice, output, exit codes, format detection."""

from __future__ import annotations

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from parley.accounts.models import Brand
from parley.inbox.importers import ImportFileError
from parley.inbox.importers.detect import detect_format
from parley.inbox.models import Post

from .helpers import fixture

ROOT = Path(__file__).resolve().parents[2]


def run(*args):
    out, err = StringIO(), StringIO()
    call_command("import", *[str(a) for a in args], stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_summary_and_rejects_are_printed(brand):
    out, err = run(fixture("twcs_malformed.csv"))
    assert "into acme" in out
    for label, value in (("read", 17), ("imported", 6), ("duplicates", 0), ("rejected", 11)):
        assert any(line.split() == [label, str(value)] for line in out.splitlines()), (label, out)
    assert "posts/s" in out
    assert "twcs_malformed.csv: line 3: created_at 'Someday soon'" in err
    assert err.count("line ") == 11


def test_show_rejects_limits_the_list_not_the_count(brand):
    out, err = run(fixture("twcs_malformed.csv"), "--show-rejects", 2)
    assert err.count(": line ") == 2 and "and 9 more refused records" in err
    assert any(line.split() == ["rejected", "11"] for line in out.splitlines())


def test_the_only_brand_is_the_default(brand):
    run(fixture("posts.jsonl"))
    assert Post.objects.filter(brand=brand).count() == 6


def test_several_brands_need_a_choice(brand, other_brand):
    with pytest.raises(CommandError, match="--brand SLUG. Existing brands: acme, globex"):
        run(fixture("posts.jsonl"))
    run(fixture("posts.jsonl"), "--brand", "globex")
    assert Post.objects.filter(brand=other_brand).count() == 6


def test_unknown_brand_is_an_error_unless_created(brand):
    with pytest.raises(CommandError, match="No brand 'initech'. Existing brands: acme. Use --create-brand"):
        run(fixture("posts.jsonl"), "--brand", "initech")
    run(fixture("posts.jsonl"), "--brand", "initech", "--create-brand")
    created = Brand.objects.get(slug="initech")
    assert created.name == "initech" and Post.objects.filter(brand=created).count() == 6
    with pytest.raises(CommandError, match="not a valid brand slug"):
        run(fixture("posts.jsonl"), "--brand", "Bad Slug!", "--create-brand")


def test_no_brand_at_all(db):
    with pytest.raises(CommandError, match="There are no brands yet"):
        run(fixture("posts.jsonl"))


@pytest.mark.parametrize(
    "args, message",
    [
        (["no-such-file.csv"], "no such file"),
        ([fixture("twcs_threads.csv"), "--format", "ibm"], "must be a JSON list of dialogs"),
        ([fixture("ibm_dialogs.json"), "--format", "twcs"], "not a Customer Support on Twitter CSV"),
        ([fixture("posts.jsonl"), "--format", "twcs"], "not a Customer Support on Twitter CSV"),
        ([fixture("twcs_threads.csv"), "--format", "jsonl"], "not a JSON-lines file"),
        ([fixture("posts.jsonl"), "--batch-size", "0"], "--batch-size must be at least 1"),
    ],
)
def test_unusable_files_fail_with_a_clear_message(brand, args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)
    assert Post.objects.count() == 0


def test_directory_is_refused(brand, tmp_path):
    with pytest.raises(CommandError, match="is a directory"):
        run(tmp_path)


def test_progress_bar_goes_to_stderr_when_asked(brand):
    out, err = run(fixture("twcs_threads.csv"), "--progress")
    assert "import twcs_threads.csv" in err and "24/24" in err
    assert "import twcs_threads.csv" not in out


@pytest.mark.parametrize(
    "name, content, expected",
    [
        ("a.csv", "tweet_id,author_id,inbound,created_at,text,response_tweet_id,in_response_to_tweet_id\n", "twcs"),
        ("a.txt", "\ufefftweet_id,author_id,inbound,created_at\n", "twcs"),
        ("a.json", '  [{"dialogHeader": {}}]', "ibm"),
        ("a.data", '{"platform": "x"}\n', "jsonl"),
        ("a.json", '{"platform": "x"}\n', "jsonl"),  # content wins over the name
        ("a.ndjson", "garbage\n", "jsonl"),
        ("a.csv", "some,other,columns\n", "twcs"),  # then the name decides
    ],
)
def test_format_detection(tmp_path, name, content, expected):
    path = tmp_path / name
    path.write_text(content)
    assert detect_format(path) == expected


def test_format_detection_gives_up_clearly(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("hello\n")
    with pytest.raises(ImportFileError, match="pass|--format"):
        detect_format(path)


def test_exit_codes_of_the_console_script(tmp_path):
    """Rejects still exit 0; an unreadable file exits non-zero with its reason."""
    env = dict(os.environ, PARLEY_DATA_DIR=str(tmp_path), DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")
    parley = [sys.executable, "-m", "parley.cli"]
    subprocess.run([*parley, "migrate", "-v0"], env=env, check=True, cwd=ROOT)
    ok = subprocess.run([*parley, "import", str(fixture("twcs_malformed.csv")), "--brand", "acme", "--create-brand"],
                        env=env, cwd=ROOT, capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr
    assert "rejected" in ok.stdout and "line 9: broken CSV quoting" in ok.stderr
    assert "import twcs_malformed.csv" not in ok.stderr  # no bar when stderr is not a terminal
    bad = subprocess.run([*parley, "import", str(tmp_path / "missing.csv")], env=env, cwd=ROOT,
                         capture_output=True, text=True)
    assert bad.returncode != 0 and "missing.csv: no such file" in bad.stderr
