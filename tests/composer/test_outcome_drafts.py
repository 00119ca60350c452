"""The outcome drafts page for comms/PR: list, view, copy, mark used or discard (audited), consent shown."""

from __future__ import annotations

import pytest

from parley.composer import praise_actions
from parley.composer.models import OutcomeShare
from parley.inbox.actions import ActionError
from parley.inbox.models import AuditEvent
from tests.composer.test_praise import _resolved_with_csat, praised  # noqa: F401  (the fixture)


@pytest.fixture
def shares(praised, users):  # noqa: F811
    conv = _resolved_with_csat(praised, users, 5, "Quick and kind, thank you")
    quoted = praise_actions.share_outcome(conv, users["care_agent"], outcome="Replacement sent the same day",
                                          consent=True, queue=True)
    masked = praise_actions.share_outcome(conv, users["care_agent"], outcome="Refund within the hour", queue=True)
    draft = praise_actions.share_outcome(conv, users["care_agent"], outcome="A draft only")
    return quoted, masked, draft


def base(share):
    return f"/b/{share.brand.slug}/outcomes/"


def test_the_list_shows_queued_drafts_with_their_consent_state(client, shares, users):
    quoted, masked, draft = shares
    client.force_login(users["care_agent"])
    html = client.get(base(quoted)).content.decode()
    assert "Queued (2)" in html and "Copied drafts (1)" in html
    assert "Replacement sent the same day" in html and "Refund within the hour" in html
    assert "A draft only" not in html
    assert "Quoted with the customer's consent" in html and "@dana_k" in html
    assert "No consent: the customer is not quoted" in html and "@d***k" in html
    assert "Quick and kind" in html  # the consented quote only
    assert html.count("Quick and kind") == 1
    assert "A draft only" in client.get(base(quoted) + "?status=draft").content.decode()
    assert 'href="/b/acme/outcomes/">Outcomes</a>' in html  # in the brand navigation


def test_view_and_mark_used_then_it_cannot_be_decided_again(client, shares, users):
    quoted, masked, _ = shares
    client.force_login(users["care_agent"])
    html = client.get(f"{base(quoted)}{masked.pk}/").content.decode()
    assert 'id="outcome-text"' in html and "Refund within the hour" in html and "dana_k" not in html
    assert "Mark used" in html and "Discard" in html
    r = client.post(f"{base(quoted)}{masked.pk}/used")
    assert r.status_code == 303 and r["Location"].endswith("/outcomes/?status=queued")
    masked.refresh_from_db()
    assert masked.status == "used" and masked.decided_by == users["care_agent"] and masked.decided_at
    event = AuditEvent.objects.get(verb="praise.outcome_used")
    assert event.actor == users["care_agent"] and event.data["previous"] == "queued"
    client.post(f"{base(quoted)}{masked.pk}/discard")  # already decided: refused, nothing changes
    masked.refresh_from_db()
    assert masked.status == "used" and not AuditEvent.objects.filter(verb="praise.outcome_discarded").exists()
    assert "Mark used" not in client.get(f"{base(quoted)}{masked.pk}/").content.decode()
    assert "Used (1)" in client.get(base(quoted)).content.decode()


def test_discard_is_audited(client, shares, users):
    quoted = shares[0]
    client.force_login(users["supervisor"])
    assert client.post(f"{base(quoted)}{quoted.pk}/discard").status_code == 303
    quoted.refresh_from_db()
    assert quoted.status == OutcomeShare.Status.DISCARDED
    assert AuditEvent.objects.filter(verb="praise.outcome_discarded", actor=users["supervisor"]).count() == 1


def test_decide_action_refuses_unknown_decisions_and_viewers(shares, users):
    quoted = shares[0]
    with pytest.raises(ActionError):
        praise_actions.decide_outcome_share(quoted, users["care_agent"], "publish")
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        praise_actions.decide_outcome_share(quoted, users["viewer"], "used")
    quoted.refresh_from_db()
    assert quoted.status == "queued"


def test_permissions_viewers_read_other_teams_and_brands_are_404(client, shares, users, teams):
    quoted = shares[0]
    client.force_login(users["viewer"])
    html = client.get(f"{base(quoted)}{quoted.pk}/").content.decode()
    assert "Replacement sent the same day" in html and "Mark used" not in html
    assert client.post(f"{base(quoted)}{quoted.pk}/used").status_code == 403
    conv = quoted.conversation
    conv.team = teams["billing"]
    conv.save()
    client.force_login(users["care_agent"])
    assert client.get(f"{base(quoted)}{quoted.pk}/").status_code == 404
    assert client.post(f"{base(quoted)}{quoted.pk}/used").status_code == 404
    assert "Replacement sent the same day" not in client.get(base(quoted)).content.decode()
    assert client.get(f"{base(quoted)}999999/").status_code == 404
    client.logout()
    assert client.get(base(quoted)).status_code == 302
