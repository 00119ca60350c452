"""Which module handles which platform: webhook families (x, meta) and API clients per platform."""

from __future__ import annotations

from .base import Client, Refused
from .email import parse as email_parse
from .email import webhooks as email_webhooks
from .email.client import EmailClient
from .meta import parse as meta_parse
from .meta import webhooks as meta_webhooks
from .meta.client import MetaClient
from .x import parse as x_parse
from .x import webhooks as x_webhooks
from .x.client import XClient
from .youtube.client import YouTubeClient

# Webhook family -> (webhooks module, parse function).
WEBHOOKS = {
    "x": (x_webhooks, x_parse.parse),
    "meta": (meta_webhooks, meta_parse.parse),
    "email": (email_webhooks, email_parse.parse),
}

CLIENTS = {"x": XClient, "facebook": MetaClient, "instagram": MetaClient, "youtube": YouTubeClient,
           "email": EmailClient}


def parser(family: str):
    return WEBHOOKS[family][1]


def client_for(channel) -> Client:
    """The API client of `channel`; Refused when Parley cannot send on that platform."""
    cls = CLIENTS.get(channel.platform)
    if cls is None:
        raise Refused(f"Parley cannot send on {channel.get_platform_display()} yet")
    return cls(channel)


def can_send(channel) -> bool:
    return channel is not None and channel.platform in CLIENTS and channel.has_credentials
