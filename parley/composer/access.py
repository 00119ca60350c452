"""Who may see and change reply templates. Every lookup of a template by id goes through here."""

from __future__ import annotations

from django.http import Http404

from .models import Template


def access_template(user, brand, template_id) -> Template:
    """A template of `brand` (any member may read it); another brand's is a 404."""
    try:
        template_id = int(template_id)
    except (TypeError, ValueError):
        raise Http404("No such template") from None
    template = Template.objects.filter(brand=brand, pk=template_id).select_related("team").first()
    if template is None:
        raise Http404("No such template")
    return template


def visible_outcome_shares(user, brand):
    """The brand's outcome summaries whose conversation the user sees (team scoping, as the inbox)."""
    from parley.inbox.access import visible_conversations

    from .models import OutcomeShare

    return OutcomeShare.objects.filter(brand=brand, conversation__in=visible_conversations(user, brand))


def access_outcome_share(user, brand, share_id):
    """One outcome summary the user may see; another brand's or team's is a 404."""
    try:
        share_id = int(share_id)
    except (TypeError, ValueError):
        raise Http404("No such outcome summary") from None
    share = (visible_outcome_shares(user, brand).filter(pk=share_id)
             .select_related("conversation", "created_by", "decided_by", "brand").first())
    if share is None:
        raise Http404("No such outcome summary")
    return share
