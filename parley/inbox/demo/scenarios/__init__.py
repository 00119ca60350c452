"""The scenario library: each demo brand's content plus the lines every brand shares."""

from __future__ import annotations

from dataclasses import replace

from . import common, fashion, food, telco
from .model import Content, Scenario

_BY_INDUSTRY = {"fashion": fashion.CONTENT, "telco": telco.CONTENT, "food": food.CONTENT}
SHARED = common.TROLLS + common.SPAM + common.HOSTILE


def content_for(industry: str) -> Content:
    """A brand's own content with the shared scenarios added."""
    own = _BY_INDUSTRY[industry]
    return replace(own, scenarios=own.scenarios + SHARED)


def all_scenarios() -> list[tuple[str, Scenario]]:
    return [(industry, s) for industry in _BY_INDUSTRY for s in content_for(industry).scenarios]
