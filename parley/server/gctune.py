"""Garbage collection in the web server process: move everything alive after start-up out of the collector's way.

A full (generation 2) collection walks every tracked object; after Django and the app are loaded that is
hundreds of thousands of objects that live as long as the process, and under webhook load a full
collection came every few seconds and stopped the process for up to 300 ms (docs/benchmarks.md,
"Intake tail"). `gc.freeze()` moves them to the permanent generation, which collections skip; objects
made afterwards are collected as before. Turn it off with PARLEY_GC_FREEZE=false.
"""

from __future__ import annotations

import gc
import logging


def freeze_after_startup() -> bool:
    """Collect once, then freeze what survives; True if frozen (PARLEY_GC_FREEZE, on by default)."""
    from django.conf import settings

    if not getattr(settings, "PARLEY_GC_FREEZE", True):
        return False
    # Django imports the URLconf (every view, form and serializer module: ~52,000 objects) at the first
    # request that reaches it; frozen before that, each full collection still walked them (46 ms of CPU).
    from django.urls import get_resolver

    try:
        get_resolver().reverse_dict
    except Exception:  # noqa: BLE001 - the first request reports it as before; freeze what there is
        logging.getLogger(__name__).exception("could not load the URLconf before freezing the heap")
    gc.collect()
    gc.freeze()
    return True
