"""Templates and checked replies through the composer's actions."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied

from parley.composer import actions
from parley.composer.models import ReplyCheck, Template
from parley.composer.rendering import TemplateError, render, variables_in
from parley.composer.scoping import Situation, rank, search
from parley.inbox.models import AuditEvent, Post
from tests.conftest import T0


# --- rendering (pure) -------------------------------------------------------------------------

def test_render_variables_fallbacks_and_braces():
    values = {"customer.first_name": "Dana", "agent.first_name": "Sam", "case.ref": "C-000042", "eta": ""}
    body = "Hi {customer.first_name}, {agent.first_name} here about {case.ref}. {{not a variable}} {eta|Soon}."
    assert render(body, values) == "Hi Dana, Sam here about C-000042. {not a variable} Soon."
    assert variables_in(body) == ["customer.first_name", "agent.first_name", "case.ref", "eta"]


@pytest.mark.parametrize("body, message", [
    ("Hi {customer.email}", "Unknown variable {customer.email}"),
    ("Hi {customer.__class__}", "Unknown variable"),
    ("Hi {customer.first_name.upper}", "Unknown variable"),
    ("Hi {0}", "Unknown variable {0}"),
    ("Hi {", "Unmatched '{'"),
    ("Hi }", "Unmatched '}'"),
    ("Hi {customer.first_name}", "has no value here"),
])
def test_render_refuses_with_a_clear_message(body, message):
    with pytest.raises(TemplateError, match=message.replace("{", r"\{").replace("}", r"\}")):
        render(body, {})


def test_values_are_not_re_expanded():
    assert render("{customer.first_name}", {"customer.first_name": "{agent.first_name}"}) == "{agent.first_name}"


# --- templates --------------------------------------------------------------------------------

def test_template_lifecycle_and_audit(brand, users, teams, conv):
    sup = users["supervisor"]
    t = actions.create_template(brand, sup, name="Late parcel", body="Hi {customer.first_name|there}, sorry! ^{agent.first_name}",
                                team=teams["care"], channel="x", intent="complaint", desired_outcome="delivery")
    assert t.shortcut == "late-parcel"
    with pytest.raises(actions.ActionError, match="taken"):
        actions.create_template(brand, sup, name="Late parcel", body="x")
    with pytest.raises(actions.ActionError, match="Unknown variable"):
        actions.create_template(brand, sup, name="Bad", body="Hi {customer.password}")
    with pytest.raises(actions.ActionError, match="at most 5,000 characters"):
        actions.create_template(brand, sup, name="Huge", body="\U0001F600" * 10_000)
    assert not Template.objects.filter(brand=brand, name="Huge").exists()
    with pytest.raises(PermissionDenied):
        actions.create_template(brand, users["care_agent"], name="Mine", body="x")
    text = actions.use_template(t, conv, users["care_agent"], now=T0)
    assert text == "Hi Dana, sorry! ^Cara"
    t.refresh_from_db()
    assert t.usage_count == 1 and t.last_used_at == T0
    actions.update_template(t, sup, body="Hello {customer.first_name}")
    actions.archive_template(t, sup)
    with pytest.raises(actions.ActionError, match="not available"):
        actions.use_template(t, conv, users["care_agent"])
    verbs = list(AuditEvent.objects.filter(object_type="template").values_list("verb", flat=True))
    assert verbs == ["template.created", "template.used", "template.updated", "template.archived"]


def test_template_from_another_brand_is_refused(brand, other_brand, users, conv, django_user_model):
    other = Template.objects.create(brand=other_brand, name="x", shortcut="x", body="hello")
    with pytest.raises(actions.ActionError):
        actions.use_template(other, conv, users["admin"])


def test_scoping_and_search():
    class T:
        def __init__(self, name, shortcut, body="", usage=0, **scopes):
            self.name, self.shortcut, self.body, self.usage_count, self.is_active = name, shortcut, body, usage, True
            for scope in ("team_id", "channel", "visibility", "intent", "desired_outcome"):
                setattr(self, scope, scopes.get(scope, "" if scope != "team_id" else None))

    generic = T("Thanks", "thanks", "Thanks {customer.first_name}!", usage=50)
    refund = T("Refund on its way", "refund", "Your refund...", intent="complaint", desired_outcome="refund")
    billing = T("Billing only", "bill", team_id=2)
    instagram = T("IG hello", "ig", channel="instagram")
    situation = Situation(team_id=1, channel="x", visibility="public", intent="complaint", desired_outcome="refund")
    assert rank([generic, refund, billing, instagram], situation) == [refund, generic]
    assert search([generic, refund, billing], "/ref") == [refund]
    assert search([generic, refund, billing], "thanks") == [generic]
    assert search([generic, refund, billing], "") == [generic, billing, refund]  # most used, then by name


# --- send_checked_reply -----------------------------------------------------------------------

def test_public_reply_with_the_customers_phone_is_blocked_then_private_allowed(conv, users):
    agent = users["care_agent"]
    draft = "Hi Dana, we'll ring 415 555 0134 by 5 pm today."
    with pytest.raises(actions.GuardrailBlocked) as blocked:
        actions.send_checked_reply(conv, draft, agent, visibility="public", now=T0 + timedelta(minutes=5))
    found = [f for f in blocked.value.findings if f.check == "private_data"]
    assert draft[found[0].start:found[0].end] == "415 555 0134" and "own" in found[0].message
    assert not Post.objects.filter(conversation=conv, direction="out").exists()
    assert AuditEvent.objects.filter(verb="reply.blocked", conversation=conv).exists()
    sent = actions.send_checked_reply(conv, draft, agent, visibility="private", now=T0 + timedelta(minutes=6))
    assert sent.post.visibility == "private" and not sent.overridden
    assert ReplyCheck.objects.get(post=sent.post).blocked is False


def test_only_a_supervisor_overrides_a_block_and_it_is_audited(conv, users):
    draft = "Hi Dana, order WL-88231 is on the van today."
    with pytest.raises(PermissionDenied):
        actions.send_checked_reply(conv, draft, users["care_agent"], visibility="public", override_reason="ok")
    sent = actions.send_checked_reply(conv, draft, users["supervisor"], visibility="public",
                                      override_reason="Customer asked us to confirm it publicly")
    assert sent.overridden
    check = ReplyCheck.objects.get(post=sent.post)
    assert check.blocked and check.overridden_by == users["supervisor"]
    event = AuditEvent.objects.get(verb="reply.guardrail_override")
    assert event.data["checks"] == ["private_data"] and "publicly" in event.data["reason"]


def test_warnings_do_not_stop_a_reply(conv, users):
    sent = actions.send_checked_reply(conv, "We'll look into it.", users["care_agent"], visibility="public")
    assert {f.check for f in sent.findings} >= {"vague_promise", "missing_name"}
    assert sent.post.text == "We'll look into it."


def test_brand_settings_reach_the_guardrails(brand, conv, users):
    brand.settings = {"apology_policy": "sympathy_only", "signature_required": True,
                      "private_patterns": [{"name": "ticket", "pattern": r"TKT-\d+"}]}
    brand.save()
    findings = actions.check_draft(conv, "Hi Dana, I apologise. TKT-55 is open.", users["care_agent"], "public")
    assert {f.check for f in findings} >= {"apology_liability", "missing_signature", "private_data"}
    conv.tags.create(brand=brand, name="known-issue")
    findings = actions.check_draft(conv, "Hi Dana, I apologise. ^Cara", users["care_agent"], "public")
    assert "apology_liability" not in {f.check for f in findings}


# --- publicly acknowledge, privately address ------------------------------------------------

def test_acknowledge_and_move_to_private_stores_both_and_tags(conv, users):
    agent = users["care_agent"]
    drafts = actions.handoff_drafts(conv, agent)
    assert drafts["public"].startswith("Hi Dana") and "direct message" in drafts["public"]
    assert "order number" in drafts["private"]
    done = actions.acknowledge_and_move_to_private(conv, drafts["public"], drafts["private"], agent, now=T0)
    posts = list(Post.objects.filter(conversation=conv, direction="out").order_by("created_at")
                 .values_list("visibility", "delivery_status"))
    assert posts == [("public", "pending"), ("private", "pending")]
    assert done.private.post.kind == "dm"
    assert conv.tags.filter(name="moved-private").exists()
    assert AuditEvent.objects.filter(verb="conversation.moved_private", conversation=conv).exists()


def test_handoff_stores_nothing_when_either_message_is_blocked(conv, users):
    agent = users["care_agent"]
    with pytest.raises(actions.GuardrailBlocked) as blocked:
        actions.acknowledge_and_move_to_private(
            conv, "Hi Dana, what's your order number?", "Hi Dana, your order WL-88231 is late.", agent)
    assert set(blocked.value.parts) == {"public"}
    assert [f.check for f in blocked.value.parts["public"] if f.level == "block"] == ["public_data_request"]
    assert not Post.objects.filter(conversation=conv, direction="out").exists()


def test_handoff_needs_a_platform_with_private_messages(brand, users):
    from parley.inbox import actions as inbox
    from tests.conftest import incoming

    yt = inbox.ingest_post(brand, None, incoming("yt1", "video broke", platform="youtube", kind="comment")).conversation
    with pytest.raises(actions.ActionError, match="no private messages"):
        actions.acknowledge_and_move_to_private(yt, "Hi!", "Hi", users["admin"])


def test_private_data_in_the_customers_profile_notes_is_known(conv, users):
    conv.customer.notes = "Prefers calls on 415 555 0177; lives at 4 Kiln Lane."
    conv.customer.save()
    findings = actions.check_draft(conv, "Hi Dana, our driver has 4155550177 for 5 pm today.", users["care_agent"], "public")
    hit = next(f for f in findings if f.check == "private_data")
    assert "own" in hit.message
