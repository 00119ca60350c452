"""Parley: self-hosted social media customer care."""

__version__ = "0.1.0"
