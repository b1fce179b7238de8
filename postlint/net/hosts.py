"""Per-host politeness: how many requests may be in flight to one host:port,
when the next one may start, and what postlint learned about the host during
the run (it answers HEAD wrongly; it asked us to slow down)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager


class OutOfTime(Exception):
    """The URL's deadline passed."""


class HostState:
    __slots__ = ("active", "head_lies", "limit", "min_interval", "next_start")

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.active = 0
        self.next_start = 0.0  # time.monotonic() before which no request starts
        self.min_interval = 0.0  # seconds between request starts, after a 429
        self.head_lies = False  # HEAD was refused: use GET for the rest of the run


class HostGates:
    """One condition for all hosts: waiters are few (one per worker thread)."""

    def __init__(self, per_host: int, backoff_base: float, cap: float) -> None:
        self.per_host = max(1, per_host)
        self.backoff_base = backoff_base
        self.cap = cap
        self._cond = threading.Condition()
        self._states: dict[str, HostState] = {}

    def state(self, key: str) -> HostState:
        with self._cond:
            state = self._states.get(key)
            if state is None:
                state = self._states[key] = HostState(self.per_host)
            return state

    def limit(self, key: str) -> int:
        return self.state(key).limit

    @contextmanager
    def slot(self, key: str, deadline: float | None = None) -> Iterator[HostState]:
        """Hold one of the host's request slots for the duration of a request.
        Raises OutOfTime if none can be had before `deadline` (time.monotonic())."""
        state = self.state(key)
        with self._cond:
            while True:
                now = time.monotonic()
                if state.active < state.limit and now >= state.next_start:
                    break
                if deadline is not None and (now >= deadline or (
                        state.active < state.limit and state.next_start >= deadline)):
                    raise OutOfTime
                wait = state.next_start - now if state.active < state.limit else 1.0
                if deadline is not None:
                    wait = min(wait, deadline - now)
                self._cond.wait(timeout=min(max(wait, 0.001), 1.0))
            state.active += 1
            if state.min_interval:
                state.next_start = now + state.min_interval
        try:
            yield state
        finally:
            with self._cond:
                state.active -= 1
                self._cond.notify_all()

    def slow_down(self, key: str, wait: float) -> None:
        """The host answered 429: one request at a time from now on, spaced
        out, and none before `wait` seconds have passed."""
        state = self.state(key)
        with self._cond:
            state.limit = 1
            state.min_interval = min(max(state.min_interval * 2, self.backoff_base), self.cap)
            state.next_start = max(state.next_start, time.monotonic() + wait)
            self._cond.notify_all()
