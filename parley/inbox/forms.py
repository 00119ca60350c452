"""Parsing the inbox's POST bodies into values the actions take.

Forms only check shape and look objects up within the brand; the actions
decide what is allowed (and their ActionError messages reach the user).
"""

from __future__ import annotations

import re

from django import forms

from parley.accounts.models import Team

from .models import Post
from .queries import brand_agents

_KEY = re.compile(r"^[0-9a-f]{32}$")


class BrandForm(forms.Form):
    def __init__(self, data, *, brand, user):
        super().__init__(data)
        self.brand = brand
        self.user = user

    def error_text(self) -> str:
        return " ".join(str(e) for errors in self.errors.values() for e in errors)


class AssignForm(BrandForm):
    """`assignee`: "me", "none", or the id of one of the brand's agents."""

    assignee = forms.CharField(max_length=20, error_messages={"required": "Choose who to assign."})

    def clean_assignee(self):
        value = self.cleaned_data["assignee"].strip()
        if value == "me":
            return self.user
        if value == "none":
            return None
        agent = brand_agents(self.brand).filter(pk=int(value)).first() if value.isdigit() and len(value) < 19 else None
        if agent is None:
            raise forms.ValidationError("That agent does not work in this brand.")
        return agent


class TeamForm(BrandForm):
    """`team`: "none" (or empty) for no team, or the id of one of the brand's teams."""

    team = forms.CharField(max_length=20, required=False)

    def clean_team(self):
        value = self.cleaned_data["team"].strip()
        if value in ("", "none"):
            return None
        team = Team.objects.filter(brand=self.brand, pk=int(value)).first() if value.isdigit() and len(value) < 19 else None
        if team is None:
            raise forms.ValidationError("That team does not exist in this brand.")
        return team


class StatusForm(BrandForm):
    status = forms.CharField(max_length=30, error_messages={"required": "Choose a status."})


class PriorityForm(BrandForm):
    priority = forms.IntegerField(
        min_value=0,
        max_value=100,
        error_messages={
            "required": "Enter a priority from 0 to 100.",
            "invalid": "Priority is a whole number from 0 to 100.",
            "min_value": "Priority is a whole number from 0 to 100.",
            "max_value": "Priority is a whole number from 0 to 100.",
        },
    )


class TagForm(BrandForm):
    # Empty names reach the action, which explains the problem.
    name = forms.CharField(max_length=200, required=False, strip=True)


class NoteForm(BrandForm):
    text = forms.CharField(required=False, strip=False)


class SendGuardForm(forms.Form):
    """The fields every sending form carries (the reply box, the handoff form)."""

    key_pattern = _KEY
    # Generated when the form is shown, so a double submit stores one reply.
    key = forms.CharField(max_length=64, required=False)
    # Collision detection (parley.composer.collision): the newest post the form showed, and after a
    # collision warning the newest post the agent reviewed before choosing to send anyway.
    seen_post_id = forms.IntegerField(required=False, min_value=0)
    reviewed_through = forms.IntegerField(required=False, min_value=0)
    # A supervisor's reason to send a reply the guardrails block (audited).
    override_reason = forms.CharField(required=False, max_length=1000)

    def clean_key(self):
        value = self.cleaned_data["key"].strip().lower()
        return value if self.key_pattern.match(value) else None

    def error_text(self) -> str:
        return " ".join(str(e) for errors in self.errors.values() for e in errors)


class ReplyForm(BrandForm, SendGuardForm):
    text = forms.CharField(required=False, strip=False)
    visibility = forms.ChoiceField(
        # comment_dm: a private reply to the customer's comment (parley.composer.private_reply).
        choices=[("", "Same as the customer"), *Post.Visibility.choices, ("comment_dm", "Private reply to the comment")],
        required=False,
        error_messages={"invalid_choice": "Visibility is public or private (or comment_dm: a private reply to the comment)."},
    )


class CallbackForm(BrandForm):
    """A phone callback from the composer: the number (kept private) and the preferred local time,
    read in the brand's time zone (the brand setting `timezone`, else PARLEY_TIME_ZONE)."""

    phone = forms.CharField(max_length=40, error_messages={"required": "Enter the phone number to call."})
    preferred_at = forms.DateTimeField(
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        error_messages={"required": "Choose when to call.", "invalid": "Choose when to call (date and time)."},
    )

    def clean_preferred_at(self):
        from zoneinfo import ZoneInfo

        from django.conf import settings

        value = self.cleaned_data["preferred_at"]
        zone = ZoneInfo(self.brand.setting("timezone", "") or settings.TIME_ZONE)
        return value.replace(tzinfo=None).replace(tzinfo=zone)


class VipForm(BrandForm):
    """`vip`: "1" to mark the conversation's customer as VIP, "0" to unmark."""

    vip = forms.ChoiceField(choices=[("1", "VIP"), ("0", "Not VIP")], error_messages={"required": "Choose VIP or not."})


class TriageCorrectionForm(BrandForm):
    """`field` (intent, sentiment, emotion, desired_outcome, severity, troll, offensive) and its new `value`."""

    field = forms.CharField(max_length=30, error_messages={"required": "Choose what to correct."})
    value = forms.CharField(max_length=30, error_messages={"required": "Choose the right value."})

    def clean(self):
        from parley.triage.display import parse_value

        data = super().clean()
        if "field" in data and "value" in data:
            try:
                data["raw"] = data["value"].strip().lower()
                data["value"] = parse_value(data["field"], data["value"])
            except ValueError as exc:
                raise forms.ValidationError(str(exc)) from None
        return data
