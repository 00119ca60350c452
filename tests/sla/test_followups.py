"""Follow-ups: created from promises in agents' replies, by hand, snoozed, done, overdue; the promises command."""

import json
from datetime import datetime, timedelta, timezone

import pytest
from django.core.management import CommandError, call_command

from parley.inbox import actions as inbox
from parley.inbox.models import AuditEvent
from parley.sla import actions
from parley.sla.models import FollowUp
from tests.conftest import T0, incoming


@pytest.fixture
def conversation(brand, channel):
    return inbox.ingest_post(brand, channel, incoming("1", "my order never came", at=T0)).conversation


def reply(conversation, user, text, at, capture):
    with capture(execute=True):
        return inbox.create_reply(conversation, text, user, now=at)


def test_a_reply_with_promises_creates_follow_ups_once(conversation, users, django_capture_on_commit_callbacks):
    post = reply(conversation, users["admin"], "So sorry! I'll chase the courier today. We'll update you by Friday.",
                 T0 + timedelta(minutes=5), django_capture_on_commit_callbacks)
    ups = list(FollowUp.objects.filter(conversation=conversation).order_by("span_start"))
    assert [u.text for u in ups] == ["I'll chase the courier today", "We'll update you by Friday"]
    assert ups[1].due_at == datetime(2026, 11, 6, 17, 0, tzinfo=timezone.utc)
    first = ups[0]
    assert first.assignee == users["admin"] and first.source_post == post and first.due_stated
    assert first.due_at == datetime(2026, 11, 2, 17, 0, tzinfo=timezone.utc)
    assert actions.follow_ups_from_reply(post) == []  # never twice
    assert AuditEvent.objects.filter(verb="followup.created").count() == len(ups)


def test_a_promise_without_a_time_gets_the_default_delay(conversation, users, django_capture_on_commit_callbacks,
                                                          settings):
    settings.PARLEY_FOLLOWUP_DEFAULT_HOURS = 6
    reply(conversation, users["admin"], "We're looking into it.", T0, django_capture_on_commit_callbacks)
    up = FollowUp.objects.get()
    assert up.due_at == T0 + timedelta(hours=6) and not up.due_stated


def test_replies_without_promises_and_inbound_posts_create_nothing(brand, channel, conversation, users,
                                                                    django_capture_on_commit_callbacks):
    reply(conversation, users["admin"], "DM us your order number and we'll take a look.", T0,
          django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        inbox.ingest_post(brand, channel, incoming("2", "I'll get back to you tomorrow", at=T0, author="c2"))
    assert not FollowUp.objects.filter(kind="promise").exists()
    assert FollowUp.objects.get().kind == "handoff"  # the reply invited the customer to DM


def test_manual_snooze_done_and_overdue(brand, conversation, users):
    up = actions.create_follow_up(conversation, "Call back about the refund", T0 + timedelta(hours=1),
                                  users["admin"], now=T0)
    assert list(actions.overdue(brand, T0)) == []
    assert list(actions.overdue(brand, T0 + timedelta(hours=2))) == [up]
    actions.snooze(up, T0 + timedelta(hours=5), users["admin"], now=T0 + timedelta(hours=2))
    assert list(actions.overdue(brand, T0 + timedelta(hours=3))) == []
    assert list(actions.overdue(brand, T0 + timedelta(hours=6))) == [up]
    assert actions.remind_overdue(brand, T0 + timedelta(hours=6)) == 1
    assert actions.remind_overdue(brand, T0 + timedelta(hours=7)) == 0  # reminded once
    actions.complete(up, users["admin"], now=T0 + timedelta(hours=8))
    assert list(actions.overdue(brand, T0 + timedelta(days=9))) == []
    with pytest.raises(inbox.ActionError):
        actions.snooze(up, T0 + timedelta(days=1), users["admin"], now=T0)


@pytest.mark.parametrize("text, due, message", [
    ("", T0, "needs a text"),
    ("x" * 501, T0, "at most 500"),
    ("ok", datetime(2026, 11, 2, 9), "time zone"),
])
def test_bad_manual_follow_ups_are_refused(conversation, users, text, due, message):
    with pytest.raises(inbox.ActionError, match=message):
        actions.create_follow_up(conversation, text, due, users["admin"], now=T0)


# --- the promises command --------------------------------------------------------------


def test_promises_command_jsonl(tmp_path, capsys):
    source = tmp_path / "in.jsonl"
    source.write_text("\n".join([
        json.dumps({"id": 1, "text": "I'll call you tomorrow.", "sent_at": "2026-11-04T10:00:00Z"}),
        "{broken",
        json.dumps({"id": 3}),
        json.dumps([1, 2]),
        json.dumps({"id": 5, "text": "Thanks! We'll update you tomorrow.", "sent_at": "yesterday"}),
        "",
        json.dumps({"id": 7, "text": "We’re looking into it 🙏", "extra": {"a": 1}}),
    ]) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    call_command("promises", "--in", str(source), "--out", str(out), "--no-progress")
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in rows] == [1, 5, 7]
    assert rows[0]["promises"] == [{"start": 0, "end": 22, "text": "I'll call you tomorrow",
                                    "due": "2026-11-05T17:00:00+00:00"}]
    # a bad sent_at keeps the promises, with no due time, and says so
    assert rows[1]["sent_at"] == "yesterday"
    assert rows[1]["promises"] == [{"start": 8, "end": 33, "text": "We'll update you tomorrow", "due": None}]
    assert rows[2]["extra"] == {"a": 1} and rows[2]["promises"][0]["due"] is None
    err = capsys.readouterr().err
    assert "line 2: not JSON" in err and "line 3: no `text`" in err and "line 4: not a JSON object" in err
    assert "line 5: sent_at 'yesterday' is not an ISO 8601 time; its promises have no due time" in err
    assert "3 replies written, 3 skipped, 1 with a bad sent_at" in err


def test_promises_command_csv(tmp_path):
    source = tmp_path / "in.csv"
    source.write_text('id,text,sent_at\n1,"We will refund you within 3 business days, promise.",2026-11-06T12:00:00+00:00\n'
                      '2,Thanks!,\n3,too,many,cells,here\n', encoding="utf-8")
    out = tmp_path / "out.csv"
    call_command("promises", "--in", str(source), "--out", str(out), "--no-progress")
    import csv

    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [r["id"] for r in rows] == ["1", "2"]
    found = json.loads(rows[0]["promises"])
    assert found[0]["due"] == "2026-11-11T12:00:00+00:00"  # Friday + 3 business days
    assert json.loads(rows[1]["promises"]) == []


def test_promises_command_errors(tmp_path):
    with pytest.raises(CommandError, match="no such input"):
        call_command("promises", "--in", str(tmp_path / "nope.jsonl"), "--out", str(tmp_path / "o.jsonl"))
    bad = tmp_path / "bad.csv"
    bad.write_text("id,body\n1,hi\n")
    with pytest.raises(CommandError, match="`text` column"):
        call_command("promises", "--in", str(bad), "--out", str(tmp_path / "o.csv"), "--no-progress")


# --- public-to-private handoff ---------------------------------------------------------------


@pytest.mark.parametrize("text, channel", [
    ("Can you DM us your order number?", "dm"),
    ("Send us a DM and we'll check.", "dm"),
    ("Let's continue in DM.", "dm"),
    ("Please reach out to us by phone here: https://t.co/x", "phone"),
    ("Please email us at help@example.com", "email"),
    ("Chat with us here: https://t.co/y", "chat"),
    ("Please don't DM us your password.", None),
    ("Thanks for the kind words!", None),
])
def test_invitations_to_private_channels(text, channel):
    from parley.sla.handoff import invites_private

    found = invites_private(text)
    assert (found.channel if found else None) == channel


def test_handoff_waits_for_the_customer_and_closes_when_they_write(brand, channel, conversation, users,
                                                                   django_capture_on_commit_callbacks, settings):
    settings.PARLEY_HANDOFF_WAIT_HOURS = 12
    reply(conversation, users["admin"], "So sorry! Please DM us your order number.", T0,
          django_capture_on_commit_callbacks)
    wait = FollowUp.objects.get(kind="handoff")
    assert wait.due_at == T0 + timedelta(hours=12) and "by dm" in wait.text
    assert list(actions.overdue(brand, T0 + timedelta(hours=13))) == [wait]
    with django_capture_on_commit_callbacks(execute=True):
        inbox.ingest_post(brand, channel, incoming("dm1", "Order 123456", at=T0 + timedelta(hours=2), kind="dm",
                                                   visibility="private"))
    wait.refresh_from_db()
    assert wait.state == "done"
    assert AuditEvent.objects.filter(verb="followup.customer_arrived").count() == 1


def test_private_replies_start_no_handoff(brand, conversation, users, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        inbox.create_reply(conversation, "DM us anytime", users["admin"], visibility="private", now=T0)
    assert not FollowUp.objects.filter(kind="handoff").exists()


def test_a_public_post_or_a_reply_leaves_the_handoff_open(brand, channel, conversation, users,
                                                         django_capture_on_commit_callbacks):
    reply(conversation, users["admin"], "Please DM us your order number.", T0, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        inbox.ingest_post(brand, channel, incoming("2", "ok will do", at=T0 + timedelta(hours=1), reply_to="1"))
    assert FollowUp.objects.get(kind="handoff").state == "open"
    with django_capture_on_commit_callbacks(execute=True):  # a DM elsewhere: only its own conversation counts
        inbox.ingest_post(brand, channel, incoming("dm9", "hello", author="c9", at=T0 + timedelta(hours=2),
                                                   kind="dm", visibility="private"))
    assert FollowUp.objects.get(kind="handoff").state == "open"
    assert not AuditEvent.objects.filter(verb="followup.customer_arrived").exists()
