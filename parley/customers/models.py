"""Notes about a customer (not about one conversation) and the record that a customer was erased."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from parley.accounts.models import Brand
from parley.inbox.models import Customer


class CustomerNote(models.Model):
    """An internal note about the person, shown on their profile; never sent to them."""

    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="+")
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="profile_notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    text = models.TextField()
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]


class Erasure(models.Model):
    """A customer whose personal data was erased. Its presence makes a second erasure a no-op.

    Holds nothing about the person: the pseudonym is derived from the brand's
    secret and the customer's id, and the counts say what was rewritten.
    """

    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="+")
    customer = models.OneToOneField(Customer, on_delete=models.CASCADE, related_name="erasure")
    pseudonym = models.CharField(max_length=40)
    erased_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    erased_at = models.DateTimeField()
    counts = models.JSONField(default=dict, blank=True)
