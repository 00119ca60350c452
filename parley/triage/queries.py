"""Read-only access to triage for other apps (inbox badges, filters, API)."""

from __future__ import annotations

from .models import PostTriage
from .pipeline import FIELDS

PUBLIC_FIELDS = FIELDS + ("status", "reason", "model_version", "profile", "priority", "priority_breakdown",
                          "triaged_at")


def as_dict(triage: PostTriage) -> dict:
    out = {name: getattr(triage, name) for name in PUBLIC_FIELDS}
    out["triaged_at"] = triage.triaged_at.isoformat() if triage.triaged_at else None
    return out


def triage_for_posts(post_ids) -> dict[int, dict]:
    """{post id: triage dict} for the posts that have a stored triage."""
    rows = PostTriage.objects.filter(post_id__in=list(post_ids))
    return {t.post_id: as_dict(t) for t in rows}


def pending_post_ids(limit: int | None = None, include_failed: bool = True, now=None, brand=None):
    """Inbound posts that have no triage yet, are pending, or failed and are due for a retry."""
    from django.db.models import Q
    from django.utils import timezone

    from parley.inbox.models import Post

    now = now or timezone.now()
    due = Q(triage__isnull=True) | Q(triage__status=PostTriage.Status.PENDING)
    if include_failed:
        due |= Q(triage__status=PostTriage.Status.FAILED) & (
            Q(triage__next_attempt_at__isnull=True) | Q(triage__next_attempt_at__lte=now)
        )
    posts = Post.objects.filter(direction=Post.Direction.INBOUND).filter(due)
    if brand is not None:
        posts = posts.filter(brand=brand)
    ids = posts.order_by("id").values_list("id", flat=True)
    return ids[:limit] if limit else ids


# --- for the inbox and the API (read side) ------------------------------------------------


def latest_inbound_triage(conversation_ids) -> dict[int, PostTriage]:
    """{conversation id: the stored triage of its customer's latest post}, in two queries.

    Conversations whose latest inbound post has no triage row are left out.
    """
    from django.db.models import OuterRef, Subquery

    from parley.inbox.models import Conversation, Post

    ids = list(conversation_ids)
    if not ids:
        return {}
    latest = Post.objects.filter(conversation=OuterRef("pk"), direction=Post.Direction.INBOUND).order_by(
        "-created_at", "-id"
    )
    pairs = dict(
        Conversation.objects.filter(pk__in=ids)
        .annotate(latest_in=Subquery(latest.values("pk")[:1]))
        .values_list("latest_in", "pk")
    )
    pairs.pop(None, None)
    rows = PostTriage.objects.filter(post_id__in=list(pairs))
    return {pairs[t.post_id]: t for t in rows}


def corrections_for(post_ids) -> dict[int, dict[str, str]]:
    """{post id: {field: who corrected it last}} for the posts agents corrected."""
    from .models import TriageCorrection

    out: dict[int, dict[str, str]] = {}
    rows = (
        TriageCorrection.objects.filter(post_id__in=list(post_ids))
        .select_related("user__agent_profile")
        .order_by("created_at", "id")
    )
    for c in rows:
        who = "a person"
        if c.user is not None:
            profile = getattr(c.user, "agent_profile", None)
            who = profile.shown_name if profile is not None else c.user.get_username()
        out.setdefault(c.post_id, {})[c.field] = who
    return out


# Values the inbox filters accept (anything else is ignored, as InboxFilter does).
SEVERITY_MIN = (1, 2, 3, 4)
# A flag held by fewer conversations than this (all brands) is looked up as a list; a commoner
# one is probed per conversation (conversation_filter; measured in docs/benchmarks.md).
RARE_FLAG = 20_000


def conversation_filter(*, intent="", sentiment="", outcome="", severity_min=None, troll=None,
                        private_data=None, topic="", language="", needs_response=None):
    """A Q on conversations for the triage filters, or None when none is set.

    A conversation matches when one of its customer's posts matches every given
    filter. Each positive value is looked up in the conversations' triage
    summary (summary.py: one indexed flag per value), so a rare flag reads only
    the conversations that have it; two values of a pair that agents filter on
    together (topic + severity, intent + topic, ...: summary.PAIRS) are one
    combined flag (each common, rare together). One flag alone (one filter, or
    one pair) is answered by that flag;
    with several, or with "not a troll" / "no private data" / "no response
    needed", one EXISTS over
    the conversation's posts' triage checks that a single post matches them all.
    """
    from django.db.models import Exists, F, OuterRef, Q
    from django.db.models.functions import Coalesce

    from .labels import INTENTS, OUTCOMES, SENTIMENTS
    from .models import ConversationTriageFlag
    from .summary import NEEDS_RESPONSE_MIN, TROLL_MIN, required_flags

    q = Q()
    valid = {}
    if intent in INTENTS:
        q &= Q(intent=intent)
        valid["intent"] = intent
    if sentiment in SENTIMENTS:
        q &= Q(sentiment=sentiment)
        valid["sentiment"] = sentiment
    if outcome == "unclear":
        q &= Q(outcome_unclear=True)
        valid["outcome"] = outcome
    elif outcome in OUTCOMES:
        q &= Q(desired_outcome=outcome)
        valid["outcome"] = outcome
    if severity_min in SEVERITY_MIN:
        q &= Q(severity__gte=severity_min)
        valid["severity_min"] = severity_min
    if troll is True:
        q &= Q(troll__gte=TROLL_MIN)
        valid["troll"] = True
    elif troll is False:
        q &= Q(troll__lt=TROLL_MIN)
    if private_data is True:
        q &= ~Q(private_data_posted=[])
        valid["private_data"] = True
    elif private_data is False:
        # Only posts triage read (a pending or failed post has not been looked at).
        q &= Q(private_data_posted=[], status__in=[PostTriage.Status.TRIAGED, PostTriage.Status.NOT_TRIAGED])
    if needs_response is True:
        q &= Q(needs_response__gte=NEEDS_RESPONSE_MIN)
        valid["needs_response"] = True
    elif needs_response is False:
        # Only posts the models read (a pending, failed or not-triaged post has no answer to give).
        q &= Q(needs_response__lt=NEEDS_RESPONSE_MIN, status=PostTriage.Status.TRIAGED)
    if topic:
        # Topics are a JSON list of names; match one whole name in its JSON text (works on
        # SQLite and PostgreSQL alike). Names are word characters, spaces and hyphens.
        q &= _topic_q(topic)
        valid["topic"] = topic
    if language:
        q &= Q(language=language)
        valid["language"] = language
    if not q:
        return None
    flags = required_flags(**valid)
    out = Q()
    for flag in flags:
        rows = ConversationTriageFlag.objects.filter(flag=flag)
        if rows.values("pk")[:RARE_FLAG].count() < RARE_FLAG:
            # Rare: the planner reads the flag's few conversations once (an IN list) and the
            # list's walk over the view's index only probes it.
            out &= Q(pk__in=rows.values("conversation_id"))
        else:
            # Common: building that list would cost more than the page; probe each listed
            # conversation's flag instead (index triage_flag_unique), and the page fills at once.
            out &= Q(Exists(rows.filter(conversation=OuterRef("pk"))))
    if len(flags) == 1 and len(q.children) == len(valid):
        # One flag (a topic with a severity is one combined flag) says all: one post has it.
        return out
    # Only customer posts are triaged (the listener, triage_pending and correct_triage see to
    # it), so the post's direction is not tested: the conversation's post ids then come from
    # the index post_conv_created alone, without reading the posts themselves.
    rows = PostTriage.objects.filter(post__conversation=OuterRef("pk"))
    # The subquery must start from the conversation's posts (index post_conv_created), never
    # from an index on a triage column: SQLite without statistics would walk every
    # complaint in the brand's history for each conversation listed. The indexed triage
    # columns are therefore compared through an expression no index can serve.
    rows = rows.alias(_intent=Coalesce(F("intent"), F("intent")), _status=Coalesce(F("status"), F("status")))
    return out & Q(Exists(rows.filter(_unindexed(q))))


def _topic_q(topic: str):
    """A post's topics (JSON text) hold this name, case-insensitively for ASCII letters.

    SQLite stores a non-ASCII name escaped (``"\\u00c4rger"``) and compares case
    only for ASCII letters, so a non-ASCII name is also looked for escaped, as
    given, in lower case, capitalised and titled (the brand's topic names are
    the ones triage stores, so the name as given is the usual match).
    """
    import json

    from django.db.models import Q

    variants = (topic, topic.lower(), topic.upper(), topic.capitalize(), topic.title())
    needles = sorted({f'"{v}"' for v in variants} | {json.dumps(v) for v in variants})
    out = Q()
    for needle in dict.fromkeys(n.lower() if n.isascii() else n for n in needles):
        out |= Q(topics__icontains=needle)
    return out


def _unindexed(q):
    """`q` with its conditions on intent and status moved onto their unindexed aliases."""
    from django.db.models import Q

    out = Q()
    out.connector, out.negated = q.connector, q.negated
    for child in q.children:
        if isinstance(child, Q):
            out.children.append(_unindexed(child))
        else:
            name, value = child
            for column in ("intent", "status"):
                if name == column or name.startswith(column + "__"):
                    name = "_" + name
            out.children.append((name, value))
    return out
