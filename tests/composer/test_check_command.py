"""`parley check --in FILE --out FILE`: the batch interface, through the command line."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from django.core.management import call_command


def run_check(tmp_path, lines: list[str], name="in.jsonl", *extra):
    src = tmp_path / name
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    proc = subprocess.run(
        [sys.executable, "-m", "parley.cli", "check", "--in", str(src), "--out", str(out), *extra],
        capture_output=True, text=True, timeout=120,
    )
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()] if out.exists() else []
    return proc, rows


def test_records_come_back_with_every_field_and_findings(tmp_path):
    record = {"id": "r1", "text": "Hi, your order 113-1234567-1234567 is late. Reply with your email.",
              "channel": "x", "visibility": "public", "customer": {"first_name": "Ola"},
              "agent": {"first_name": "Ben"}, "context": {"intent": "complaint"},
              "brand": {"apology_policy": "always_apologise"}, "extra": [1, 2]}
    proc, rows = run_check(tmp_path, [json.dumps(record)])
    assert proc.returncode == 0, proc.stderr
    assert len(rows) == 1
    row = rows[0]
    assert {k: row[k] for k in record} == record
    checks = {f["check"] for f in row["findings"]}
    assert {"private_data", "public_data_request", "missing_name", "missing_apology"} <= checks
    for f in row["findings"]:
        assert set(f) == {"check", "level", "start", "end", "message", "suggestion"}
    assert "checked 1 drafts" in proc.stderr


def test_malformed_lines_are_reported_and_skipped(tmp_path):
    lines = [
        json.dumps({"text": "Thanks, all sorted!"}),
        "{not json",
        json.dumps({"text": 42}),
        json.dumps({"text": "hi", "visibility": "secret"}),
        json.dumps(["a list"]),
        "",
        json.dumps({"text": "Call 415-555-0134", "channel": "facebook"}),
    ]
    proc, rows = run_check(tmp_path, lines, "in.jsonl", "--fail-on-block")
    assert [r["text"] for r in rows] == ["Thanks, all sorted!", "Call 415-555-0134"]
    assert "line 2: not valid JSON" in proc.stderr
    assert "line 3: text is missing" in proc.stderr
    assert "line 4: visibility must be public or private" in proc.stderr
    assert "line 5: a record must be a JSON object" in proc.stderr
    assert "skipped 4 malformed" in proc.stderr
    assert proc.returncode == 1  # --fail-on-block: the phone number in public


def test_csv_input(tmp_path):
    lines = ["text,channel,visibility,customer.first_name,context",
             '"Hi Ada, DM us please",x,public,Ada,"{""intent"": ""question""}"',
             '"Your email is ada@example.com",x,private,Ada,',
             '"bad context",x,public,,"[1"']
    proc, rows = run_check(tmp_path, lines, "in.csv")
    assert proc.returncode == 0, proc.stderr
    assert [r["text"] for r in rows] == ["Hi Ada, DM us please", "Your email is ada@example.com"]
    assert rows[0]["customer"] == {"first_name": "Ada"} and rows[0]["context"] == {"intent": "question"}
    assert rows[1]["findings"] == []
    assert "line 4: column context is not a JSON object" in proc.stderr


def test_missing_file_is_a_clear_error(tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="no such file"):
        call_command("check", infile=str(tmp_path / "nope.jsonl"))


def test_without_in_it_is_still_djangos_system_check(capsys):
    call_command("check")
    assert "System check identified" in capsys.readouterr().out


def test_lone_surrogates_and_nul_characters_survive_the_round_trip(tmp_path):
    lines = ['{"text": "a\\ud800b call 415-555-0134"}', '{"text": "nul\\u0000 here 415-555-0134"}']
    proc, rows = run_check(tmp_path, lines)
    assert proc.returncode == 0, proc.stderr
    assert [r["text"] for r in rows] == ["a\ud800b call 415-555-0134", "nul\x00 here 415-555-0134"]
    for row in rows:
        hit = next(f for f in row["findings"] if f["check"] == "private_data")
        assert row["text"][hit["start"]:hit["end"]] == "415-555-0134"
