"""Outbox policy: pure functions with the time passed in."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from parley.platforms import policy
from parley.platforms.base import Permanent, RateLimited, Temporary, TokenInvalid

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=timezone.utc)
LIMITS = {"max_attempts": 4, "base_seconds": 10, "cap_seconds": 50}


def test_backoff_doubles_and_is_capped():
    assert [policy.backoff(n, 10, 50).total_seconds() for n in range(1, 6)] == [10, 20, 40, 50, 50]


def test_after_failure():
    assert policy.after_failure(Temporary("x"), 1, NOW, **LIMITS).retry_at == NOW + timedelta(seconds=10)
    assert policy.after_failure(Temporary("x"), 4, NOW, **LIMITS).retry_at is None
    assert policy.after_failure(TokenInvalid("x"), 1, NOW, **LIMITS).retry_at is None
    assert policy.after_failure(Permanent("x"), 1, NOW, **LIMITS).retry_at is None
    reset = NOW + timedelta(minutes=15)
    limited = policy.after_failure(RateLimited("x", reset), 9, NOW, **LIMITS)
    assert limited.retry_at == reset and not limited.counts
    past = policy.after_failure(RateLimited("x", NOW - timedelta(seconds=5)), 2, NOW, **LIMITS)
    assert past.retry_at == NOW + timedelta(seconds=20)


def test_messaging_window():
    assert policy.window_refusal("facebook", "private", NOW - timedelta(hours=23, minutes=59), NOW) == ""
    assert "24-hour window" in policy.window_refusal("facebook", "private", NOW - timedelta(hours=24, seconds=1), NOW)
    assert "Instagram" in policy.window_refusal("instagram", "private", NOW - timedelta(days=3), NOW)
    assert "have not written privately" in policy.window_refusal("facebook", "private", None, NOW)
    assert policy.window_refusal("facebook", "public", None, NOW) == ""
    assert policy.window_refusal("x", "private", NOW - timedelta(days=30), NOW) == ""
