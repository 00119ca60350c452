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
