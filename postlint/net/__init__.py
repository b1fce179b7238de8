"""URL resolution for the URL rules (URL001–URL005).

This module is cheap to import: it holds the data types and settings only.
`requests` is imported by `resolve()` (through `postlint.net.resolver`), so a
run without URL checks never loads it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Literal

from postlint import __version__
from postlint.files.cachedb import DEFAULT_DIRNAME
from postlint.model.patterns import lazy
from postlint.model.record import FACTORY, FrozenRecord, NamedTuple

Kind = Literal["page", "image"]

DEFAULT_USER_AGENT = f"postlint/{__version__} (+https://github.com/postlint/postlint)"


class UrlCheck(NamedTuple):
    """One URL field value to resolve, and what it must serve."""

    url: str
    kind: Kind


class Verdict(NamedTuple):
    """The outcome for one UrlCheck.

    `code` is None when the URL is fine, else one of URL001 (broken), URL002
    (permanent redirect; `final_url` is where it leads), URL003 (image field not
    serving image/*), URL004 (not an absolute http(s) URL), URL005 (refused:
    private address). `message` gives the reason.
    """

    code: str | None
    message: str
    final_url: str | None = None
    from_cache: bool = False


class Summary(NamedTuple):
    """Counts for the one-line summary the CLI prints."""

    checked: int  # distinct (url, kind) checks answered
    from_cache: int  # of those, answered from the cache
    failed: int  # of those, with a finding (any code)
    requests: int = 0  # HTTP requests sent during the run
    elapsed: float = 0.0  # seconds

    def line(self) -> str:
        return (
            f"URLs: {self.checked} checked ({self.from_cache} from cache), "
            f"{self.failed} with findings, {self.requests} requests in {self.elapsed:.1f}s"
        )


class NetSettings(FrozenRecord):

    concurrency: int  # requests in flight, all hosts together
    per_host: int  # requests in flight to one host:port
    timeout: float  # seconds, for each attempt: connect, headers and the little body read
    deadline: float  # seconds, wall clock, for everything one URL takes (retries, redirects)
    retries: int  # extra attempts on timeouts, connection errors, 429 and 5xx
    accept: frozenset[int]  # default: 200-299
    user_agent: str
    cache_dir: Path | None  # the rules pass files.cachedb.cache_dir(settings)
    cache_max_age: float  # seconds
    use_cache: bool  # False: neither read nor write the cache
    allow_private: bool  # True: skip the address guard (URL005) entirely
    # Host names or IP literals/networks (e.g. "intranet.example", "10.0.0.0/8")
    # exempt from the address guard. Matched against the host as written in the
    # URL, never against what a name resolves to.
    allow_hosts: tuple[str, ...]
    progress: bool  # progress line on stderr, only if stderr is a TTY
    retry_after_cap: float  # longest Retry-After honoured, seconds
    backoff_base: float  # first retry waits about this long, then doubles

    def __init__(
        self,
        concurrency: int = 32,
        per_host: int = 4,
        timeout: float = 10.0,
        deadline: float = 30.0,
        retries: int = 2,
        accept: frozenset[int] = FACTORY,
        user_agent: str = DEFAULT_USER_AGENT,
        cache_dir: Path | None = Path(DEFAULT_DIRNAME),
        cache_max_age: float = 86400.0,
        use_cache: bool = True,
        allow_private: bool = False,
        allow_hosts: tuple[str, ...] = (),
        progress: bool = False,
        retry_after_cap: float = 30.0,
        backoff_base: float = 0.5,
    ) -> None:
        set_ = object.__setattr__
        set_(self, "concurrency", concurrency)
        set_(self, "per_host", per_host)
        set_(self, "timeout", timeout)
        set_(self, "deadline", deadline)
        set_(self, "retries", retries)
        set_(self, "accept", frozenset(range(200, 300)) if accept is FACTORY else accept)
        set_(self, "user_agent", user_agent)
        set_(self, "cache_dir", cache_dir)
        set_(self, "cache_max_age", cache_max_age)
        set_(self, "use_cache", use_cache)
        set_(self, "allow_private", allow_private)
        set_(self, "allow_hosts", allow_hosts)
        set_(self, "progress", progress)
        set_(self, "retry_after_cap", retry_after_cap)
        set_(self, "backoff_base", backoff_base)


_DURATION_UNITS = {"w": 604800.0, "d": 86400.0, "h": 3600.0, "m": 60.0, "s": 1.0}
_DURATION_PART = lazy(r"\s*(\d+(?:\.\d+)?)\s*([wdhms])", re.IGNORECASE)


def parse_duration(text: str) -> float:
    """Seconds in "1d", "12h", "30m", "45s", "2d12h", "1w" or a bare number of seconds."""
    stripped = text.strip()
    if not stripped:
        raise ValueError("empty duration")
    try:
        value = float(stripped)
    except ValueError:
        pass
    else:
        if value < 0 or value != value or value == float("inf"):
            raise ValueError(f"invalid duration: {text!r}")
        return value
    total = 0.0
    pos = 0
    for match in _DURATION_PART.finditer(stripped):
        if match.start() != pos:
            break
        total += float(match.group(1)) * _DURATION_UNITS[match.group(2).lower()]
        pos = match.end()
    if pos == 0 or pos != len(stripped):
        raise ValueError(f"invalid duration: {text!r} (use e.g. 1d, 12h, 30m, 45s, 2d12h)")
    return total


def resolve(
    checks: Iterable[UrlCheck], settings: NetSettings
) -> tuple[dict[UrlCheck, Verdict], Summary]:
    """Resolve every distinct check once; see `postlint.net.resolver`."""
    from postlint.net.resolver import run

    return run(checks, settings)


__all__ = [
    "DEFAULT_USER_AGENT",
    "Kind",
    "NetSettings",
    "Summary",
    "UrlCheck",
    "Verdict",
    "parse_duration",
    "resolve",
]
