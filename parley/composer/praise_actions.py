"""Praise, the named actions (each audited): one-click thank, the brand's auto-like rule, and
"share this outcome". Like and repost go through the outbox (platforms.actions.queue_outbox).

The policy is pure (praise.py); this module reads the facts and writes.
"""

from __future__ import annotations

import logging
from datetime import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from parley.inbox.access import can_write
from parley.inbox.actions import ActionError
from parley.inbox.audit import record
from parley.inbox.models import Conversation, Post, Status

from . import praise
from .models import OutcomeShare, Template
from .rendering import TemplateError, render
from .scoping import Situation, rank

log = logging.getLogger(__name__)
AUTO_LIKE_ACTOR = "auto-like"


def facts_for(post: Post, tags: tuple[str, ...] | None = None) -> praise.PraiseFacts:
    """The praise facts of a post from its stored triage (select_related("triage") saves a query)."""
    triage = getattr(post, "triage", None) if hasattr(post, "triage") else None
    triaged = triage is not None and triage.status == "triaged"
    if tags is None:
        tags = tuple(post.conversation.tags.values_list("name", flat=True)) if post.conversation_id else ()
    return praise.PraiseFacts(
        direction=post.direction, visibility=post.visibility, is_deleted=post.is_deleted,
        intent=(triage.intent if triaged else "") or "", sentiment=(triage.sentiment if triaged else "") or "",
        emotion=(triage.emotion if triaged else "") or "",
        troll=triage.troll if triaged else None, offensive=triage.offensive if triaged else None,
        hate=triage.hate if triaged else None, anger=triage.anger if triaged else None, tags=tags,
        already_liked=post.outbox_items.filter(action="like").exists() if post.pk else False,
    )


# --- thank ---------------------------------------------------------------------------------


def best_thank_template(conversation: Conversation) -> Template | None:
    """The brand's best praise template for this conversation (scoped to intent "praise")."""
    pool = Template.objects.filter(brand=conversation.brand, is_active=True, intent="praise")
    situation = Situation(conversation.team_id, conversation.platform, "public", "praise", "")
    ranked = rank(list(pool), situation)
    return ranked[0] if ranked else None


def thank_text(conversation: Conversation, agent) -> tuple[str, Template | None]:
    """The personal thank-you (best praise template, or Parley's own), filled for the customer and agent."""
    from .actions import template_values

    values = template_values(conversation, agent)
    template = best_thank_template(conversation)
    if template is not None:
        try:
            return render(template.body, values), template
        except TemplateError as exc:  # a variable without a value here: say so, use ours
            log.info("praise template %s cannot be used here: %s", template.pk, exc)
    return " ".join(render(praise.DEFAULT_THANKS, values).split()), None


def thank(post: Post, actor, *, now: datetime | None = None):
    """One-click thank on a customer's post: a public reply through the checked composer path
    (guardrails, approval rules, outbox). A second click is the same reply (idempotency key)."""
    from .actions import send_checked_reply, use_template

    conversation = post.conversation
    if post.direction != Post.Direction.INBOUND or post.is_deleted:
        raise ActionError("Only a customer's post can be thanked")
    if post.visibility != Post.Visibility.PUBLIC:
        raise ActionError("Thank a private message with a reply of your own")
    now = now or timezone.now()
    text, template = thank_text(conversation, actor)
    sent = send_checked_reply(conversation, text, actor, visibility="public", template=template, now=now,
                              idempotency_key=f"thank:{post.pk}")
    if template is not None:
        use_template(template, conversation, actor, now=now)  # counts the use, audited
    record(conversation.brand, actor, "praise.thanked", post, conversation,
           template=template.shortcut if template else "", post_id=sent.post.pk if sent.post else None)
    return sent


# --- auto-like -----------------------------------------------------------------------------


def auto_like_rule(brand) -> praise.AutoLikeRule:
    try:
        return praise.AutoLikeRule.from_settings(brand.setting("auto_like", settings.PARLEY_PRAISE_AUTO_LIKE))
    except ValueError:
        log.warning("brand %s has a malformed auto_like setting; auto-like is off", brand.slug)
        return praise.AutoLikeRule()


def auto_like(post: Post):
    """Like a customer's praise through the outbox when the brand's rule says so (audited with why)."""
    from parley.platforms.actions import queue_outbox

    rule = auto_like_rule(post.brand)
    if not rule.enabled or post.channel_id is None or not post.platform_id:
        return None
    fire, why = praise.auto_like(facts_for(post), rule)
    if not fire:
        return None
    with transaction.atomic():
        item = queue_outbox(post, post.channel, "like", actor=AUTO_LIKE_ACTOR)
        record(post.brand, AUTO_LIKE_ACTOR, "praise.auto_liked", post, post.conversation, reason=why, item=item.pk)
    return item


def triage_saved(sender, instance, created=False, **kwargs) -> None:
    """post_save on PostTriage: a final triage lets the auto-like rule look at the post (after commit)."""
    if instance.status != "triaged":
        return
    from functools import partial

    post = instance._state.fields_cache.get("post")  # the triage job's own post: its brand is known
    transaction.on_commit(partial(_auto_like_id, instance.post_id, post.brand_id if post is not None else None))


def _auto_like_on(brand) -> bool:
    return auto_like_rule(brand).enabled


def auto_like_brand_ids() -> frozenset[int]:
    """Ids of the brands whose auto-like rule is on (off by default for every brand)."""
    from parley.accounts.models import Brand

    return frozenset(b.pk for b in Brand.objects.only("id", "slug", "settings").order_by("pk") if _auto_like_on(b))


def _auto_like_id(post_id: int, brand_id: int | None = None) -> None:
    """Auto-like a post after its triage committed. Within a background job the brands with
    auto-like on are read once (parley.server.jobmemo); when none is, no post is even looked at."""
    from parley.server import jobmemo

    try:
        if jobmemo.active():
            brands = jobmemo.remembered(("composer.auto_like_brands",), auto_like_brand_ids)
            if not brands:
                return
            if brand_id is None:
                brand_id = Post.objects.filter(pk=post_id).values_list("brand_id", flat=True).first()
            if brand_id not in brands:
                return
        post = Post.objects.select_related("brand", "channel", "conversation", "triage").get(pk=post_id)
        auto_like(post)  # checks the brand's rule itself
    except Post.DoesNotExist:
        return
    except Exception:  # never block triage
        log.exception("auto-like failed for post %s", post_id)


# --- share this outcome --------------------------------------------------------------------


def happy_words(conversation: Conversation) -> tuple[str, Post | None, str] | None:
    """The customer's happy words about a resolved case: (quote, post or None, source), or None when
    the case is not resolved or the customer was not happy (CSAT of 4 or 5, or praise after resolution)."""
    from parley.sla.models import ImplicitFeedback, Survey

    if conversation.status not in (Status.RESOLVED, Status.CLOSED) or conversation.resolved_at is None:
        return None
    survey = (Survey.objects.filter(conversation=conversation, score__gte=4).order_by("-answered_at").first())
    if survey is not None:
        return survey.comment, None, f"CSAT {survey.score}/5"
    thanks = (ImplicitFeedback.objects.filter(conversation=conversation, kind="thanks", after="resolution")
              .select_related("post").order_by("-created_at").first())
    if thanks is not None:
        return thanks.post.text, thanks.post, "thanks after resolution"
    for post in (conversation.posts.filter(direction="in", created_at__gte=conversation.resolved_at)
                 .select_related("triage").order_by("-created_at")[:5]):
        if praise.is_praise(facts_for(post, tags=())):
            return post.text, post, "praise after resolution"
    return None


def share_outcome(conversation: Conversation, actor, *, outcome: str, consent: bool = False, queue: bool = False,
                  now: datetime | None = None) -> OutcomeShare:
    """A shareable summary of a good outcome, to copy (draft) or queue as a public post draft."""
    if not can_write(actor, conversation.brand):
        raise PermissionDenied("Your role in this brand is read-only")
    outcome = " ".join((outcome or "").split())
    if not outcome or len(outcome) > 300:
        raise ActionError("Describe the outcome in at most 300 characters")
    found = happy_words(conversation)
    if found is None:
        raise ActionError("Share an outcome only for a resolved case with a happy customer "
                          "(CSAT of 4 or 5, or praise after the resolution)")
    quote, post, source = found
    handle = ""
    if post is not None and post.author_id:
        handle = post.author.handle
    elif conversation.customer_id:
        handle = conversation.customer.identities.exclude(handle="").values_list("handle", flat=True).first() or ""
    text, shown = praise.share_text(quote=quote, consent=consent, handle=handle, outcome=outcome,
                                    brand_name=conversation.brand.name)
    now = now or timezone.now()
    with transaction.atomic():
        share = OutcomeShare.objects.create(
            brand=conversation.brand, conversation=conversation, quote=quote if consent else "", quote_post=post,
            consent=consent, shown_handle=shown, outcome=outcome, text=text,
            status=OutcomeShare.Status.QUEUED if queue else OutcomeShare.Status.DRAFT,
            created_by=actor if getattr(actor, "is_authenticated", False) else None, created_at=now,
        )
        record(conversation.brand, actor, "praise.outcome_shared", share, conversation, consent=consent,
               status=share.status, source=source)
    return share


DECISIONS = {"used": OutcomeShare.Status.USED, "discarded": OutcomeShare.Status.DISCARDED}


def decide_outcome_share(share: OutcomeShare, actor, decision: str, *, now: datetime | None = None) -> OutcomeShare:
    """Comms/PR mark an outcome summary used (it went out, by their own hand) or discard it; audited.

    Only a summary still open (queued, or a draft) can be decided, once: a second click, or a
    colleague deciding meanwhile, is an ActionError and changes nothing. Parley never publishes it.
    """
    if not can_write(actor, share.brand):
        raise PermissionDenied("Your role in this brand is read-only")
    if decision not in DECISIONS:
        raise ActionError("Mark an outcome summary used or discard it")
    now = now or timezone.now()
    with transaction.atomic():
        updated = (OutcomeShare.objects
                   .filter(pk=share.pk, status__in=(OutcomeShare.Status.QUEUED, OutcomeShare.Status.DRAFT))
                   .update(status=DECISIONS[decision], decided_by=actor if getattr(actor, "is_authenticated", False)
                           else None, decided_at=now))
        if not updated:
            raise ActionError("This outcome summary was already marked used or discarded")
        record(share.brand, actor, f"praise.outcome_{decision}", share, share.conversation,
               previous=share.status, consent=share.consent)
    share.refresh_from_db()
    return share
