"""A brand's accounts on the platforms where customers speak."""

from __future__ import annotations

from django.db import models

from parley.accounts.models import Brand

from .crypto import decrypt_credentials, encrypt_credentials


class Platform(models.TextChoices):
    X = "x", "X"
    FACEBOOK = "facebook", "Facebook"
    INSTAGRAM = "instagram", "Instagram"
    YOUTUBE = "youtube", "YouTube"
    EMAIL = "email", "Email"
    OTHER = "other", "Other"


class ChannelAccount(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        NEEDS_REAUTH = "needs_reauth", "Needs re-authorisation"
        DISABLED = "disabled", "Disabled"

    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="channels")
    platform = models.CharField(max_length=20, choices=Platform.choices)
    # The account's id on the platform (X user id, Page id, IG user id, YouTube channel id, mailbox).
    external_id = models.CharField(max_length=128)
    handle = models.CharField(max_length=128, blank=True)
    display_name = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ACTIVE)
    # Fernet-encrypted JSON; never rendered, never logged.
    credentials_encrypted = models.TextField(blank=True, default="", editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["platform", "handle"]
        constraints = [
            models.UniqueConstraint(
                fields=["brand", "platform", "external_id"], name="channel_unique_per_brand_platform"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_platform_display()} {self.handle or self.display_name or self.external_id}"

    def set_credentials(self, values: dict) -> None:
        self.credentials_encrypted = encrypt_credentials(values)

    def get_credentials(self) -> dict:
        return decrypt_credentials(self.credentials_encrypted)

    @property
    def has_credentials(self) -> bool:
        return bool(self.credentials_encrypted)


def channel_for(brand: Brand, platform: str, ref: str) -> ChannelAccount | None:
    """The brand's channel account on `platform` named by id or handle, created when new.

    An empty `ref` means the brand's first account on that platform, if any.
    """
    ref = (ref or "").strip().lstrip("@")
    qs = ChannelAccount.objects.filter(brand=brand, platform=platform)
    if not ref:
        return qs.order_by("id").first()
    found = qs.filter(models.Q(external_id=ref) | models.Q(handle__iexact=ref)).order_by("id").first()
    if found is not None:
        return found
    channel, _ = ChannelAccount.objects.get_or_create(
        brand=brand, platform=platform, external_id=ref[:128], defaults={"handle": ref[:128]}
    )
    return channel
