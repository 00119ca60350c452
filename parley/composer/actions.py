"""Every write of the composer goes through a named action here, each with its audit event.

- templates: create_template, update_template, archive_template, delete_template, use_template (usage
  counts);
- replies: send_checked_reply — the guardrails run on the draft; a block stops the reply unless a
  supervisor overrides it with a reason (audited); findings are kept beside the reply; a reply whose
  form had not seen the newest post is refused (ReplyCollision) until the agent sends anyway (audited);
  acknowledge_and_move_to_private — a public acknowledgement and a private message, as one action;
- approvals: a reply the brand's approval rules catch waits for a supervisor (approve_reply, with
  edits, or reject_reply with a comment), audited.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify

from parley.accounts.models import Brand, Team
from parley.inbox import actions as inbox_actions
from parley.inbox.access import can_manage, can_write
from parley.inbox.actions import ActionError, clean_reply_text
from parley.inbox.audit import record
from parley.inbox.models import Conversation, Post

from . import collision
from . import private_reply
from .context import context_for
from .guardrails import Finding, blocking, check
from . import approval
from .models import Approval, Presence, ReplyCheck, Template
from . import presence as presence_policy
from .rendering import TemplateError, render, validate

SCOPE_FIELDS = ("team", "channel", "visibility", "intent", "desired_outcome")
CHANNELS = ("", "x", "facebook", "instagram", "youtube", "email")


class GuardrailBlocked(ActionError):
    """The draft has blocking findings and no supervisor override."""

    def __init__(self, findings: list[Finding], part: str = ""):
        self.findings = findings
        self.part = part
        self.parts = {part or "reply": findings}
        names = sorted({f.check for f in blocking(findings)})
        what = f"The {part}" if part else "This reply"
        super().__init__(f"{what} is blocked by the guardrails: " + ", ".join(names))


class ReplyCollision(ActionError):
    """Something arrived in the conversation since the agent's form was shown (collision.judge)."""

    def __init__(self, verdict: collision.Verdict):
        self.verdict = verdict
        self.newest_post_id = verdict.arrived[-1].id
        super().__init__(collision.message(verdict))

    def as_dict(self) -> dict:
        """The 409 answer (composer and API): what arrived, and the id to send anyway with."""
        return {"error": str(self), "collision": True, "newest_post_id": self.newest_post_id,
                "arrived": [a.as_dict() for a in self.verdict.unreviewed]}


@dataclass(frozen=True)
class Seen:
    """What the agent's form had seen: the newest post id, and the newest one reviewed in a warning."""

    post_id: int | None = None
    reviewed_through: int | None = None


# --- templates --------------------------------------------------------------------------------


# Longer than any channel takes in one message (email included); the editor's preview reads 6,000.
MAX_TEMPLATE_CHARS = 5000


def _clean_template_fields(brand: Brand, fields: dict) -> dict:
    out = {}
    if "name" in fields:
        name = (fields["name"] or "").strip()
        if not name or len(name) > 120:
            raise ActionError("A template needs a name of at most 120 characters")
        out["name"] = name
    if "shortcut" in fields:
        shortcut = slugify(fields["shortcut"] or "")[:60]
        if not shortcut:
            raise ActionError("A template needs a shortcut (letters, digits and dashes)")
        out["shortcut"] = shortcut
    if "body" in fields:
        body = (fields["body"] or "").replace("\x00", "").strip()
        if not body:
            raise ActionError("A template body cannot be empty")
        if len(body) > MAX_TEMPLATE_CHARS:
            raise ActionError(f"A template body is at most {MAX_TEMPLATE_CHARS:,} characters")
        try:
            validate(body)
        except TemplateError as exc:
            raise ActionError(str(exc)) from None
        out["body"] = body
    if "team" in fields:
        team = fields["team"]
        if team is not None and (not isinstance(team, Team) or team.brand_id != brand.pk):
            raise ActionError("The team belongs to another brand")
        out["team"] = team
    if "channel" in fields:
        if (fields["channel"] or "") not in CHANNELS:
            raise ActionError(f"Channel is one of {', '.join(c for c in CHANNELS if c)} or empty")
        out["channel"] = fields["channel"] or ""
    if "visibility" in fields:
        if (fields["visibility"] or "") not in Template.Visibility.values:
            raise ActionError("Visibility is public, private or empty")
        out["visibility"] = fields["visibility"] or ""
    for name, limit in (("intent", 12), ("desired_outcome", 16)):
        if name in fields:
            value = (fields[name] or "").strip().lower()
            if len(value) > limit:
                raise ActionError(f"{name} is at most {limit} characters")
            out[name] = value
    return out


def _require_manager(actor, brand: Brand) -> None:
    if not can_manage(actor, brand):
        raise PermissionDenied("Only admins and supervisors edit the template library")


def create_template(brand: Brand, actor, *, name: str, shortcut: str = "", body: str, **scopes) -> Template:
    _require_manager(actor, brand)
    unknown = set(scopes) - set(SCOPE_FIELDS)
    if unknown:
        raise ActionError(f"Unknown template fields: {', '.join(sorted(unknown))}")
    fields = _clean_template_fields(brand, {"name": name, "shortcut": shortcut or name, "body": body, **scopes})
    try:
        with transaction.atomic():
            template = Template.objects.create(brand=brand, created_by=_user(actor), **fields)
            record(brand, actor, "template.created", template, shortcut=template.shortcut)
    except IntegrityError:
        raise ActionError(f"The shortcut /{fields['shortcut']} is taken") from None
    return template


def update_template(template: Template, actor, **fields) -> Template:
    _require_manager(actor, template.brand)
    unknown = set(fields) - {"name", "shortcut", "body", *SCOPE_FIELDS}
    if unknown:
        raise ActionError(f"Unknown template fields: {', '.join(sorted(unknown))}")
    changes = _clean_template_fields(template.brand, fields)
    changed = [k for k, v in changes.items() if getattr(template, k) != v]
    if not changed:
        return template
    for key in changed:
        setattr(template, key, changes[key])
    try:
        with transaction.atomic():
            template.save(update_fields=[*changed, "updated_at"])
            record(template.brand, actor, "template.updated", template, fields=sorted(changed))
    except IntegrityError:
        raise ActionError(f"The shortcut /{template.shortcut} is taken") from None
    return template


def archive_template(template: Template, actor) -> Template:
    _require_manager(actor, template.brand)
    if template.is_active:
        with transaction.atomic():
            template.is_active = False
            template.save(update_fields=["is_active", "updated_at"])
            record(template.brand, actor, "template.archived", template)
    return template


def delete_template(template: Template, actor) -> None:
    """Delete a template for good (sent replies keep their text; their link to it is cleared)."""
    _require_manager(actor, template.brand)
    with transaction.atomic():
        record(template.brand, actor, "template.deleted", template, shortcut=template.shortcut, name=template.name)
        template.delete()


def template_values(conversation: Conversation, agent, eta: str = "") -> dict[str, str]:
    """The whitelisted variables' values for `conversation`, as plain strings."""
    from .context import first_name

    customer = conversation.customer
    profile = getattr(agent, "agent_profile", None)
    handle = ""
    if customer is not None:
        handle = (
            customer.identities.filter(platform=conversation.platform).exclude(handle="")
            .values_list("handle", flat=True).first() or ""
        )
    return {
        "customer.first_name": first_name(conversation),
        "customer.name": customer.display_name if customer else "",
        "customer.handle": f"@{handle}" if handle and not handle.startswith("@") else handle,
        "agent.first_name": profile.shown_name if profile else (getattr(agent, "first_name", "") or ""),
        "agent.signature": profile.signature if profile else "",
        "case.ref": conversation.ref,
        "brand.name": conversation.brand.name,
        "channel": conversation.get_platform_display(),
        "eta": (eta or "").strip()[:100],
    }


def use_template(template: Template, conversation: Conversation, actor, *, eta: str = "",
                 now: datetime | None = None) -> str:
    """Render `template` for `conversation` and count the use. Returns the text for the composer."""
    if template.brand_id != conversation.brand_id or not template.is_active:
        raise ActionError("That template is not available here")
    if not can_write(actor, conversation.brand):
        raise PermissionDenied("Your role in this brand is read-only")
    try:
        text = render(template.body, template_values(conversation, actor, eta))
    except TemplateError as exc:
        raise ActionError(str(exc)) from None
    now = now or timezone.now()
    with transaction.atomic():
        Template.objects.filter(pk=template.pk).update(usage_count=F("usage_count") + 1, last_used_at=now)
        record(conversation.brand, actor, "template.used", template, conversation, shortcut=template.shortcut)
    template.refresh_from_db(fields=["usage_count", "last_used_at"])
    return text


# --- replies ----------------------------------------------------------------------------------


@dataclass
class CheckedReply:
    post: Post | None  # None when the reply waits for a supervisor's approval
    findings: list[Finding]
    overridden: bool
    approval: Approval | None = None


def check_draft(conversation: Conversation, text: str, actor, visibility: str = "",
                now: datetime | None = None) -> list[Finding]:
    """The guardrails' findings for a draft in `conversation` (reads only)."""
    now = now or timezone.now()
    visibility = private_reply.as_visibility(visibility or _default_visibility(conversation))
    return check(text or "", context_for(conversation, actor, visibility, now))


def send_checked_reply(
    conversation: Conversation,
    text: str,
    actor,
    *,
    visibility: str = "",
    override_reason: str = "",
    template: Template | None = None,
    now: datetime | None = None,
    idempotency_key: str | None = None,
    seen: Seen | None = None,
) -> CheckedReply:
    """Check `text` with the guardrails and store it as a reply (inbox.create_reply).

    Blocking findings stop the reply (GuardrailBlocked, with the findings) unless
    `override_reason` is given by an admin or supervisor: then the reply is stored and the
    override is audited with the checks it overrode. Warnings never stop a reply.
    With `seen`, a post that arrived since the form was shown stops it (ReplyCollision).
    `visibility` "comment_dm" is a private reply to the customer's comment (one per comment, within
    7 days of it: refused with the reason otherwise); the guardrails treat it as private.
    """
    now = now or timezone.now()
    text = clean_reply_text(text)  # empty or too long is refused before any check runs
    visibility = visibility or _default_visibility(conversation)
    replayed = _replayed(conversation, idempotency_key)
    if replayed:
        seen = None  # a repeated submit answers with the stored reply, never with a collision
    if visibility == private_reply.MODE and not replayed:
        private_reply.check(conversation, now)  # early and plain: not a comment, used, or too old
    with _collision_audited(conversation, actor):
        guard_collision(conversation, actor, seen, lock=False)  # early, before the checks run
        findings, blocks = _gate(conversation, text, actor, visibility, override_reason, now)
        why = approval_reasons(conversation, text, actor, private_reply.as_visibility(visibility), now)
        with transaction.atomic():
            guard_collision(conversation, actor, seen, lock=True)
            if why:
                return CheckedReply(None, findings, False, _request_approval(
                    conversation, text, actor, visibility, why, findings, now))
            post = _store(conversation, text, actor, visibility, findings, blocks, override_reason, template, now,
                          idempotency_key)
    return CheckedReply(post, findings, bool(blocks))


def guard_collision(conversation: Conversation, actor, seen: Seen | None, *, lock: bool) -> collision.Verdict:
    """Refuse a reply whose form missed a newer post (ReplyCollision); audit a reviewed "send anyway".

    With `lock` (inside the storing transaction) the conversation row is locked first, so a
    concurrent reply commits before this one reads: the second of two agents sees the first's reply.
    """
    if seen is None or seen.post_id is None:
        return collision.judge(None, None, [])
    if lock:
        Conversation.objects.select_for_update().filter(pk=conversation.pk).values_list("pk", flat=True).first()
    posts = (Post.objects.filter(conversation=conversation, pk__gt=seen.post_id)
             .select_related("author", "author_user__agent_profile").order_by("pk")[:20])
    verdict = collision.judge(seen.post_id, seen.reviewed_through, [_arrived(p) for p in posts])
    if verdict.refused:
        raise ReplyCollision(verdict)
    if verdict.overridden and lock:
        record(conversation.brand, actor, "reply.collision_override", conversation, conversation,
               arrived=[a.id for a in verdict.arrived])
    return verdict


@contextmanager
def _collision_audited(conversation, actor):
    """Record a refused collision after its transaction rolled back (the refusal is worth keeping)."""
    try:
        yield
    except ReplyCollision as exc:
        record(conversation.brand, actor, "reply.collision", conversation, conversation,
               arrived=[a.id for a in exc.verdict.unreviewed])
        raise


def _arrived(post: Post) -> collision.Arrived:
    from parley.inbox.templatetags.inbox_format import agent_name

    if post.direction == Post.Direction.INBOUND:
        who = (post.author.display_name or post.author.label) if post.author else ""
    else:
        who = agent_name(post.author_user) if post.author_user else ""
    return collision.Arrived(post.pk, post.direction, post.visibility, who, post.shown_text[:500], post.created_at)


def _replayed(conversation: Conversation, key: str | None) -> bool:
    return bool(key) and Post.objects.filter(conversation=conversation, idempotency_key=key).exists()


# --- approvals --------------------------------------------------------------------------------


def approval_reasons(conversation: Conversation, text: str, actor, visibility: str, now: datetime) -> list[str]:
    """Why a reply by `actor` needs a supervisor's approval (approval.reasons with the facts read here)."""
    if can_manage(actor, conversation.brand):
        return []
    author = (
        Post.objects.filter(conversation=conversation, direction=Post.Direction.INBOUND, author__isnull=False)
        .order_by("-created_at").values_list("author__followers", flat=True).first()
    )
    facts = approval.Facts(
        visibility=visibility,
        author_followers=author or 0,
        tags=tuple(conversation.tags.values_list("name", flat=True)),
        agent_joined=getattr(actor, "date_joined", None),
    )
    return approval.reasons(text, facts, approval.Rules.from_settings(conversation.brand.settings or {}), now)


def _request_approval(conversation, text, actor, visibility, why, findings, now) -> Approval:
    text = (text or "").replace("\x00", "").strip()
    if not text:
        raise ActionError("A reply cannot be empty")
    with transaction.atomic():
        item = Approval.objects.create(
            brand=conversation.brand, conversation=conversation, text=text, visibility=visibility, reasons=why,
            findings=[f.as_dict() for f in findings], requested_by=_user(actor), created_at=now,
        )
        record(conversation.brand, actor, "reply.approval_requested", item, conversation, reasons=why)
    return item


def _decidable(item: Approval, actor) -> None:
    if not can_manage(actor, item.brand):
        raise PermissionDenied("Only a supervisor or admin approves replies")
    if item.status != Approval.Status.PENDING:
        raise ActionError(f"This reply was already {item.get_status_display().lower()}")


def approve_reply(item: Approval, actor, *, text: str = "", comment: str = "", now: datetime | None = None) -> Post:
    """Approve (optionally edited) and store the reply, written by its agent, approved by `actor`.

    The guardrails run again on the final text; a block needs the comment as override reason.
    """
    _decidable(item, actor)
    now = now or timezone.now()
    final = (text or item.text).strip()
    conversation = item.conversation
    findings, blocks = _gate(conversation, final, actor, item.visibility, comment, now)
    author = item.requested_by or actor
    with transaction.atomic():
        locked = Approval.objects.select_for_update().get(pk=item.pk)
        if locked.status != Approval.Status.PENDING:
            raise ActionError("This reply was decided meanwhile")
        post = _store(conversation, final, author, item.visibility, findings, blocks, comment, None, now, None)
        Approval.objects.filter(pk=item.pk).update(
            status=Approval.Status.APPROVED, decided_by=_user(actor), decided_at=now, comment=comment.strip(), post=post
        )
        record(conversation.brand, actor, "reply.approved", item, conversation, edited=final != item.text,
               comment=comment.strip(), post=post.pk)
    item.refresh_from_db()
    return post


def reject_reply(item: Approval, actor, *, comment: str, now: datetime | None = None) -> Approval:
    _decidable(item, actor)
    comment = (comment or "").strip()
    if not comment:
        raise ActionError("Say why the reply is rejected; the agent sees the comment")
    now = now or timezone.now()
    with transaction.atomic():
        updated = Approval.objects.filter(pk=item.pk, status=Approval.Status.PENDING).update(
            status=Approval.Status.REJECTED, decided_by=_user(actor), decided_at=now, comment=comment[:2000]
        )
        if not updated:
            raise ActionError("This reply was decided meanwhile")
        record(item.brand, actor, "reply.rejected", item, item.conversation, comment=comment[:2000])
    item.refresh_from_db()
    return item


# Where a private message can follow a public post, by platform.
PRIVATE_ROUTES = {"x": "a direct message", "facebook": "a Messenger message", "instagram": "a direct message"}


@dataclass
class Handoff:
    public: CheckedReply
    private: CheckedReply


def acknowledge_and_move_to_private(
    conversation: Conversation,
    public_text: str,
    private_text: str,
    actor,
    *,
    override_reason: str = "",
    now: datetime | None = None,
    idempotency_key: str | None = None,
    seen: Seen | None = None,
) -> Handoff:
    """Publicly acknowledge, privately address, as one action.

    A public acknowledgement on the thread and a private message asking for what is needed are
    both checked by the guardrails (the public one as public, the private one as private) and,
    only when neither is blocked (or a supervisor overrides), stored together for the outbox.
    The handoff is audited (`conversation.moved_private`) and tagged `moved-private` so the
    team can see the matter continues in private. With `seen`, a post that arrived since the
    form was shown stops both (ReplyCollision), as for one reply.
    """
    if conversation.platform not in PRIVATE_ROUTES:
        raise ActionError(
            f"{conversation.get_platform_display()} has no private messages: offer e-mail or a phone call in the "
            "public reply instead"
        )
    now = now or timezone.now()
    key = (idempotency_key or "")[:56]
    if _replayed(conversation, f"{key}:public" if key else None):
        seen = None
    with _collision_audited(conversation, actor):
        guard_collision(conversation, actor, seen, lock=False)
        public, private = _gate_both(conversation, public_text, private_text, actor, override_reason, now)
        with transaction.atomic():
            guard_collision(conversation, actor, seen, lock=True)
            public_post = _store(conversation, public_text, actor, "public", *public, override_reason, None, now,
                                 f"{key}:public" if key else None)
            private_post = _store(conversation, private_text, actor, "private", *private, override_reason, None,
                                  now + timedelta(seconds=1), f"{key}:private" if key else None)
            inbox_actions.add_tag(conversation, "moved-private", actor)
            record(conversation.brand, actor, "conversation.moved_private", conversation, conversation,
                   public_post=public_post.pk, private_post=private_post.pk)
    return Handoff(CheckedReply(public_post, public[0], bool(public[1])),
                   CheckedReply(private_post, private[0], bool(private[1])))


def _gate_both(conversation, public_text, private_text, actor, override_reason, now):
    """The guardrails on both messages of a handoff; everything that blocks, in both, is said at once."""
    gated, refused = {}, []
    for part, text, visibility in (("public", public_text, "public"), ("private", private_text, "private")):
        try:
            gated[part] = _gate(conversation, text, actor, visibility, override_reason, now,
                                part="public acknowledgement" if part == "public" else "private message")
        except GuardrailBlocked as exc:
            refused.append((part, exc))
    if refused:  # say everything that blocks, in both messages, at once
        blocked = GuardrailBlocked([f for _, exc in refused for f in exc.findings],
                                   " and the ".join(exc.part for _, exc in refused))
        blocked.parts = {part: exc.findings for part, exc in refused}
        raise blocked
    return gated["public"], gated["private"]


def handoff_drafts(conversation: Conversation, agent) -> dict[str, str]:
    """Ready-made texts for the handoff, personalised; the agent edits them before sending."""
    values = template_values(conversation, agent)
    name = values["customer.first_name"]
    me = values["agent.first_name"]
    route = PRIVATE_ROUTES.get(conversation.platform, "a private message")
    return {
        "public": f"Hi {name or 'there'}, I'm sorry about this. I've sent you {route} so we can sort it out "
                  "together.",
        "private": f"Hi {name or 'there'}, {me + ' here. ' if me else ''}So I can look into this, could you "
                   "send me your order number and the e-mail address on your account?",
    }


def _gate(conversation, text, actor, visibility, override_reason, now, part=""):
    """Run the guardrails; raise GuardrailBlocked (audited) unless the block is overridden."""
    findings = check_draft(conversation, text, actor, visibility, now)
    blocks = blocking(findings)
    override_reason = (override_reason or "").strip()
    if blocks and not override_reason:
        record(conversation.brand, actor, "reply.blocked", conversation, conversation,
               checks=sorted({f.check for f in blocks}), visibility=visibility)
        raise GuardrailBlocked(findings, part)
    if blocks and not can_manage(actor, conversation.brand):
        raise PermissionDenied("Only a supervisor or admin can override a blocked reply")
    if len(override_reason) > 1000:
        raise ActionError("An override reason is at most 1,000 characters")
    return findings, blocks


def _store(conversation, text, actor, visibility, findings, blocks, override_reason, template, now, key) -> Post:
    """Store one checked reply and its findings (inside the caller's transaction)."""
    override_reason = (override_reason or "").strip()
    post = inbox_actions.create_reply(conversation, text, actor, visibility=private_reply.as_visibility(visibility),
                                      now=now, idempotency_key=key)
    if visibility == private_reply.MODE:
        comment = post.parent if _is_claimed(post) else private_reply.check(conversation, now)
        private_reply.claim(post, comment, now)
    ReplyCheck.objects.get_or_create(
        post=post,
        defaults={
            "findings": [f.as_dict() for f in findings],
            "blocked": bool(blocks),
            "overridden_by": _user(actor) if blocks else None,
            "override_reason": override_reason if blocks else "",
            "template": template,
        },
    )
    if blocks:
        record(conversation.brand, actor, "reply.guardrail_override", post, conversation,
               checks=sorted({f.check for f in blocks}), reason=override_reason)
    return post


def _is_claimed(post: Post) -> bool:
    from parley.platforms.models import PrivateReply

    return PrivateReply.objects.filter(post=post).exists()


# --- presence -------------------------------------------------------------------------------


def note_presence(conversation: Conversation, actor, state: str, now: datetime | None = None
                  ) -> list[presence_policy.Other]:
    """Store `actor`'s heartbeat (viewing, typing or left) and return the other agents present.

    Not audited: a heartbeat is ephemeral (every few seconds per open page); what matters
    for the record, a reply sent despite a collision, is audited by the send path.
    """
    from django.conf import settings

    from parley.inbox.templatetags.inbox_format import agent_name

    if state not in presence_policy.STATES:
        raise ActionError("state is viewing, typing or left")
    now = now or timezone.now()
    user = _user(actor)
    if user is None:
        raise PermissionDenied("Log in first")
    if state == presence_policy.LEFT:
        Presence.objects.filter(conversation=conversation, user=user).delete()
    else:
        fields = {"seen_at": now}
        if state == presence_policy.TYPING:
            fields["typing_at"] = now
        elif state == presence_policy.VIEWING:
            fields["typing_at"] = None
        Presence.objects.update_or_create(conversation=conversation, user=user, defaults=fields)
    ttl = timedelta(seconds=settings.PARLEY_PRESENCE_TTL_SECONDS)
    rows = (Presence.objects.filter(conversation=conversation, seen_at__gte=now - ttl)
            .exclude(user=user).select_related("user__agent_profile")[:50])
    beats = [presence_policy.Beat(r.user_id, agent_name(r.user), r.seen_at, r.typing_at) for r in rows]
    return presence_policy.others(beats, user.pk, now, ttl, timedelta(seconds=settings.PARLEY_PRESENCE_TYPING_SECONDS))


def _default_visibility(conversation: Conversation) -> str:
    last = (
        Post.objects.filter(conversation=conversation, direction=Post.Direction.INBOUND)
        .order_by("-created_at").values_list("visibility", flat=True).first()
    )
    return last or "public"


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None
