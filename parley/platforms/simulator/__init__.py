"""A fake X / Graph API on loopback, speaking the platforms' real formats, and a webhook pusher."""

from .server import Simulator

__all__ = ["Simulator"]
