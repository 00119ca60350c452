"""Phone callbacks: the number is validated, encrypted and kept out of the audit log; outcome recorded."""

from datetime import timedelta

import pytest

from parley.inbox import actions as inbox
from parley.inbox.models import AuditEvent
from parley.sla import actions, callbacks
from parley.sla.models import Callback
from tests.conftest import T0, incoming


@pytest.fixture
def conversation(brand, channel):
    return inbox.ingest_post(brand, channel, incoming("1", "please call me", at=T0)).conversation


def test_request_keeps_the_number_private_and_due(brand, conversation, users):
    cb = callbacks.request_callback(conversation, "020 7946 0958", T0 + timedelta(hours=3), users["admin"], T0,
                                    region="GB")
    assert callbacks.phone_of(cb) == "+442079460958"
    stored = Callback.objects.get()
    assert "7946" not in stored.phone_encrypted and stored.masked_phone == "•••• 958"
    assert "7946" not in str(list(AuditEvent.objects.values_list("data", flat=True)))
    assert list(actions.overdue(brand, T0 + timedelta(hours=4))) == [cb.follow_up]


def test_outcomes(brand, conversation, users):
    cb = callbacks.request_callback(conversation, "+1 202 555 0143", T0 + timedelta(hours=1), users["admin"], T0)
    callbacks.close_callback(cb, "done", "Replacement agreed", users["admin"], T0 + timedelta(hours=1))
    cb.refresh_from_db()
    assert cb.state == "done" and cb.follow_up.state == "done"
    with pytest.raises(inbox.ActionError, match="already closed"):
        callbacks.close_callback(cb, "cancelled", "", users["admin"], T0)
    other = callbacks.request_callback(conversation, "+12025550143", T0, users["admin"], T0)
    callbacks.close_callback(other, "no_answer", "voicemail", users["admin"], T0)
    other.refresh_from_db()
    assert other.follow_up.state == "open"  # still to do


@pytest.mark.parametrize("phone, message", [("", "Enter the phone"), ("call me maybe", "not a phone number"),
                                            ("12", "not a possible"), ("1" * 50, "Enter the phone")])
def test_bad_numbers_are_refused(conversation, users, phone, message):
    with pytest.raises(inbox.ActionError, match=message):
        callbacks.request_callback(conversation, phone, T0, users["admin"], T0)
    assert not Callback.objects.exists()
