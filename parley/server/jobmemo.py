"""A memo that lives as long as one background job (a batch of deliveries, a batch of triage).

Values that every post of a batch reads and that seldom change (a brand's compiled routing rules,
its business calendar) are read once per job instead of once per post. Outside a job (a web
request, a single post) nothing is remembered and every call reads afresh. A change made while a
job runs (an admin edits a rule) applies from the next job, a few seconds later at most.
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from typing import Callable, Hashable, TypeVar

T = TypeVar("T")

_memo: ContextVar[dict | None] = ContextVar("parley_job_memo", default=None)


@contextmanager
def job():
    """Remember values for the duration of the block (nested blocks share the outer memo)."""
    if _memo.get() is not None:
        yield
        return
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


def active() -> bool:
    """Whether a job's memo is open (values asked for now are remembered)."""
    return _memo.get() is not None


def remembered(key: Hashable, compute: Callable[[], T]) -> T:
    """compute(), or the value remembered under `key` in the running job."""
    memo = _memo.get()
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]
