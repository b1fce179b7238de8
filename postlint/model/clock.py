"""The run's clock, and how long a verdict that compares dates with it holds.

`now()` is the moment of the run (the environment variable `POSTLINT_NOW`, an
ISO 8601 date-time, pins it). A rule whose findings compare dates with it
(DT005: a post dated after now) says for which moments its verdicts stay the
same (`holds`), so that a result kept between runs (`postlint.engine.warm`) is
reused only while the clock lies in that span.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from datetime import datetime, timezone

NOW_ENV = "POSTLINT_NOW"
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


def now() -> datetime:
    pinned = os.environ.get(NOW_ENV)
    if pinned:
        moment = datetime.fromisoformat(pinned.replace("Z", "+00:00"))
        return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
    return datetime.now(timezone.utc)


def micros(moment: datetime) -> int:
    """A zone-aware moment as whole microseconds since the epoch (exact)."""
    delta = moment - _EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def holds(current: datetime, moments: Iterable[datetime]) -> tuple[int | None, int | None]:
    """[low, high) in microseconds: the clock readings `t` at which "m > t"
    is what it is at `current` for every moment `m` (None: unbounded)."""
    low: int | None = None
    high: int | None = None
    at = micros(current)
    for moment in moments:
        m = micros(moment)
        if m > at:
            high = m if high is None else min(high, m)
        else:
            low = m if low is None else max(low, m)
    return low, high
