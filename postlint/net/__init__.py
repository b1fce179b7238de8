"""URL resolution for the URL rules (URL001–URL005).

This module is cheap to import: it holds the data types and settings only.
`requests` is imported by `resolve()` (through `postlint.net.resolver`), so a
run without URL checks never loads it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, NamedTuple

from postlint import __version__
from postlint.files.cachedb import DEFAULT_DIRNAME

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


@dataclass(frozen=True)
class NetSettings:
    concurrency: int = 32  # requests in flight, all hosts together
    per_host: int = 4  # requests in flight to one host:port
    timeout: float = 10.0  # seconds, for each attempt: connect, headers and the little body read
    deadline: float = 30.0  # seconds, wall clock, for everything one URL takes (retries, redirects)
    retries: int = 2  # extra attempts on timeouts, connection errors, 429 and 5xx
    accept: frozenset[int] = field(default_factory=lambda: frozenset(range(200, 300)))
    user_agent: str = DEFAULT_USER_AGENT
    cache_dir: Path | None = Path(DEFAULT_DIRNAME)  # the rules pass files.cachedb.cache_dir(settings)
    cache_max_age: float = 86400.0  # seconds
    use_cache: bool = True  # False: neither read nor write the cache
    allow_private: bool = False  # True: skip the address guard (URL005) entirely
    # Host names or IP literals/networks (e.g. "intranet.example", "10.0.0.0/8")
    # exempt from the address guard. Matched against the host as written in the
    # URL, never against what a name resolves to.
    allow_hosts: tuple[str, ...] = ()
    progress: bool = False  # progress line on stderr, only if stderr is a TTY
    retry_after_cap: float = 30.0  # longest Retry-After honoured, seconds
    backoff_base: float = 0.5  # first retry waits about this long, then doubles


_DURATION_UNITS = {"w": 604800.0, "d": 86400.0, "h": 3600.0, "m": 60.0, "s": 1.0}
_DURATION_PART = re.compile(r"\s*(\d+(?:\.\d+)?)\s*([wdhms])", re.IGNORECASE)


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
