"""Close the book: a case that began in public ends in public.

On resolution Parley proposes a short public closing reply on the original thread with a feedback
request (the CSAT link), and tracks the public closure rate: of the resolved cases that began in
public, the share whose public thread ends with the brand's reply after the customer's last word.
`proposal` is pure; `propose_closing` and `public_closure_rate` read the database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Max, Q

from parley.inbox.models import Conversation, Post, Status

MAX_CHARS = 280  # fits X; other platforms take more
DEFAULT_TEMPLATE = ("Hi {first_name}, glad we could sort this out! If you have a moment, tell us how we did: "
                    "{survey_url} {signature}")


def proposal(first_name: str, signature: str, survey_url: str, template: str | None = None) -> str:
    """The closing reply's text: the brand's template (placeholders {first_name}, {survey_url},
    {signature}) or ours, whitespace tidied, cut to 280 characters without losing the link."""
    try:
        text = (template or DEFAULT_TEMPLATE).format(first_name=first_name or "there", survey_url=survey_url,
                                                     signature=signature or "")
    except (KeyError, IndexError, ValueError):
        text = DEFAULT_TEMPLATE.format(first_name=first_name or "there", survey_url=survey_url,
                                       signature=signature or "")
    text = " ".join(text.split())
    if len(text) > MAX_CHARS and survey_url in text:
        head = text[: text.index(survey_url)]
        text = head[: MAX_CHARS - len(survey_url) - 2].rstrip() + "… " + survey_url
    return text[:MAX_CHARS]


@dataclass(frozen=True)
class Closing:
    text: str
    survey_url: str
    reply_to_post_id: int | None


def propose_closing(conversation: Conversation, actor, now: datetime, base_url: str = "") -> Closing | None:
    """A closing reply for a resolved case that began in public (None when it did not), with a new survey."""
    from .csat import create_survey, survey_path

    if not conversation.started_public:
        return None
    original = (Post.objects.filter(conversation=conversation, direction=Post.Direction.INBOUND,
                                    visibility=Post.Visibility.PUBLIC).order_by("created_at").first())
    if original is None:
        return None
    survey = create_survey(conversation, actor, now)
    url = base_url.rstrip("/") + survey_path(survey)
    first_name = conversation.customer.first_name if conversation.customer_id else ""
    profile = getattr(conversation.assignee, "agent_profile", None) if conversation.assignee_id else None
    signature = f"^{profile.signature}" if profile and profile.signature else (
        f"– {profile.shown_name}" if profile else "")
    text = proposal(first_name, signature, url, conversation.brand.setting("closing_template", None))
    return Closing(text, url, original.pk)


@dataclass(frozen=True)
class ClosureRate:
    resolved_public: int
    closed_in_public: int

    @property
    def rate(self) -> float | None:
        return self.closed_in_public / self.resolved_public if self.resolved_public else None


def public_closure_rate(brand, since: datetime, until: datetime) -> ClosureRate:
    """Of the cases resolved in [since, until) that began in public, how many end with the brand's
    public reply after the customer's last public post."""
    resolved = Conversation.objects.filter(
        brand=brand, started_public=True, resolved_at__gte=since, resolved_at__lt=until,
        status__in=[Status.RESOLVED, Status.CLOSED],
    ).annotate(
        last_in=Max("posts__created_at", filter=Q(posts__direction="in", posts__visibility="public")),
        last_out=Max("posts__created_at", filter=Q(posts__direction="out", posts__visibility="public")
                     & ~Q(posts__delivery_status=Post.Delivery.FAILED)),
    ).values_list("last_in", "last_out")
    total = closed = 0
    for last_in, last_out in resolved:
        total += 1
        closed += last_out is not None and (last_in is None or last_out >= last_in)
    return ClosureRate(total, closed)
