"""Approval rules (pure), and approving or rejecting a held reply through actions and HTTP."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest
from django.core.exceptions import PermissionDenied

from parley.composer import actions
from parley.composer.approval import Facts, Rules, reasons
from parley.composer.models import Approval
from parley.inbox.models import AuditEvent, Post

NOW = datetime(2026, 11, 2, 12, tzinfo=timezone.utc)


def test_rules():
    rules = Rules(min_followers=10_000, tags=("crisis",), new_agent_days=14)
    assert reasons("Thanks!", Facts(), rules, NOW) == []
    assert "followers" in reasons("Thanks!", Facts(author_followers=50_000), rules, NOW)[0]
    assert reasons("Thanks!", Facts(visibility="private", author_followers=50_000), rules, NOW) == []
    assert "crisis" in reasons("Thanks!", Facts(tags=("Crisis",)), rules, NOW)[0]
    assert "lawyer" in reasons("Please have your lawyer contact us.", Facts(), rules, NOW)[0]
    assert reasons("Our lawyer-approved statement", Facts(agent_is_manager=True), rules, NOW) == []
    assert "first 14 days" in reasons("Hi", Facts(agent_joined=NOW - timedelta(days=3)), rules, NOW)[0]
    assert reasons("Hi", Facts(agent_joined=NOW - timedelta(days=30)), rules, NOW) == []
    assert Rules.from_settings({"approval_min_followers": "x", "approval_tags": "crisis"}).min_followers == 0


def test_a_held_reply_is_approved_with_edits_or_rejected(conv, users, brand):
    agent, sup = users["care_agent"], users["supervisor"]
    held = actions.send_checked_reply(conv, "Hi Dana, we're not liable, but a refund is on its way by Friday.", agent)
    assert held.post is None and "liable" in held.approval.reasons[0]
    assert not Post.objects.filter(conversation=conv, direction="out").exists()
    with pytest.raises(PermissionDenied):
        actions.approve_reply(held.approval, agent)
    post = actions.approve_reply(held.approval, sup, text="Hi Dana, a £10 credit is on your account by Friday.",
                                 comment="Worded as a credit")
    assert post.text.startswith("Hi Dana, a £10 credit") and post.author_user == agent
    held.approval.refresh_from_db()
    assert held.approval.status == "approved" and held.approval.post == post
    with pytest.raises(actions.ActionError, match="already"):
        actions.reject_reply(held.approval, sup, comment="too late")
    second = actions.send_checked_reply(conv, "We'll see you in court.", agent).approval
    with pytest.raises(actions.ActionError, match="Say why"):
        actions.reject_reply(second, sup, comment="")
    actions.reject_reply(second, sup, comment="Never mention court; offer a call.")
    verbs = list(AuditEvent.objects.filter(verb__startswith="reply.").values_list("verb", flat=True))
    assert verbs.count("reply.approval_requested") == 2 and "reply.approved" in verbs and "reply.rejected" in verbs


def test_supervisors_and_unaffected_replies_are_not_held(conv, users):
    assert actions.send_checked_reply(conv, "Hi Dana, our lawyer says it's fine.", users["supervisor"]).post
    assert actions.send_checked_reply(conv, "Hi Dana, a new one ships today.", users["care_agent"]).post


def test_approval_endpoints(client, conv, users, teams):
    conv.team = teams["care"]
    conv.save()
    client.force_login(users["care_agent"])
    url = f"/b/{conv.brand.slug}/c/{conv.pk}/compose/send"
    r = client.post(url, json.dumps({"text": "Hi Dana, our solicitor reviewed it."}), content_type="application/json")
    assert r.status_code == 202
    approval_id = r.json()["approval_id"]
    assert [a["id"] for a in client.get(f"/b/{conv.brand.slug}/compose/approvals").json()["approvals"]] == [approval_id]
    r = client.post(f"/b/{conv.brand.slug}/compose/approvals/{approval_id}/approve", "{}", content_type="application/json")
    assert r.status_code == 403
    client.force_login(users["billing_agent"])  # another team's conversation: it does not exist
    r = client.post(f"/b/{conv.brand.slug}/compose/approvals/{approval_id}/reject", "{}", content_type="application/json")
    assert r.status_code == 404
    client.force_login(users["supervisor"])
    r = client.post(f"/b/{conv.brand.slug}/compose/approvals/{approval_id}/approve", json.dumps({"comment": "ok"}),
                    content_type="application/json")
    assert r.status_code == 200 and r.json()["status"] == "approved" and r.json()["post_id"]
    assert Approval.objects.get(pk=approval_id).decided_by == users["supervisor"]
