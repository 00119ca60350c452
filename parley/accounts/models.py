"""Brands (workspaces), teams, agents and their per-brand roles."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Role(models.TextChoices):
    ADMIN = "admin", "Admin"
    SUPERVISOR = "supervisor", "Supervisor"
    AGENT = "agent", "Agent"
    VIEWER = "viewer", "Viewer"


class Brand(models.Model):
    """A workspace: one brand's channels, teams, settings and templates."""

    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=120)
    # Brand-level settings; see docs/configuration.md ("Brand settings").
    settings = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def setting(self, key: str, default=None):
        return (self.settings or {}).get(key, default)


class Team(models.Model):
    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="teams")
    slug = models.SlugField(max_length=60)
    name = models.CharField(max_length=120)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["brand", "slug"], name="team_unique_slug_per_brand")]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A user's role in one brand. Roles are per brand."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.AGENT)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "brand"], name="membership_unique_user_brand")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.brand} ({self.role})"


class AgentProfile(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="agent_profile")
    # The first name customers see in replies and signatures.
    public_first_name = models.CharField(max_length=60, blank=True)
    teams = models.ManyToManyField(Team, blank=True, related_name="agents")
    # Maximum open conversations assigned at once (used by automatic assignment).
    capacity = models.PositiveIntegerField(default=20)
    signature = models.CharField(max_length=60, blank=True)

    def __str__(self) -> str:
        return self.public_first_name or self.user.get_username()

    @property
    def shown_name(self) -> str:
        return self.public_first_name or self.user.first_name or self.user.get_username()
