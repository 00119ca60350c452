"""The template editor's pure parts: the sample conversation a preview is rendered with, the
preview itself, and the scope choices the form offers."""

from __future__ import annotations

from dataclasses import dataclass

from parley.triage.labels import INTENTS, OUTCOMES

from .rendering import VARIABLES, TemplateError, render, variables_in

CHANNEL_CHOICES = [("", "Any channel"), ("x", "X"), ("facebook", "Facebook"), ("instagram", "Instagram"),
                   ("youtube", "YouTube"), ("email", "Email")]
VISIBILITY_CHOICES = [("", "Public or private"), ("public", "Public replies"), ("private", "Private messages")]
INTENT_CHOICES = [("", "Any intent")] + [(i, i.replace("_", " ").capitalize()) for i in INTENTS]
OUTCOME_CHOICES = [("", "Any desired outcome")] + [(o, o.replace("_", " ").capitalize()) for o in OUTCOMES]

# The sample conversation every preview uses: a customer on X whose parcel was late.
SAMPLE_CUSTOMER_POST = "@brand my parcel was meant to arrive on Monday and it still isn't here"


def sample_values(brand_name: str, agent_first_name: str = "", agent_signature: str = "") -> dict[str, str]:
    return {
        "customer.first_name": "Alex",
        "customer.name": "Alex Morgan",
        "customer.handle": "@alex_morgan",
        "agent.first_name": agent_first_name or "Jo",
        "agent.signature": agent_signature or "JO",
        "case.ref": "C-000123",
        "brand.name": brand_name,
        "channel": "X",
        "eta": "by 5 pm today",
    }


@dataclass(frozen=True)
class Preview:
    text: str = ""
    error: str = ""
    variables: tuple[str, ...] = ()


def preview(body: str, values: dict[str, str]) -> Preview:
    """The body rendered with the sample values, or the error that says what to fix."""
    body = (body or "").replace("\x00", "")
    if not body.strip():
        return Preview(error="Write the template's text to see a preview")
    try:
        used = tuple(variables_in(body))
        return Preview(text=render(body, values), variables=used)
    except TemplateError as exc:
        return Preview(error=str(exc))


def variables_help() -> list[tuple[str, str]]:
    return [("{" + name + "}", what) for name, what in VARIABLES.items()]
