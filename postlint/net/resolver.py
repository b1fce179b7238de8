"""One resolution run: cache look-ups, scheduling of the distinct URLs over
a thread pool under global and per-host limits, and the verdicts."""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from functools import partial

import requests

from postlint.net import NetSettings, Summary, UrlCheck, Verdict, transport
from postlint.net.cache import UrlCache, cache_key
from postlint.net.fetch import (
    Fetcher,
    Outcome,
    defrag,
    host_key,
    invalid_reason,
    printable,
    status_text,
    with_fragment,
)
from postlint.net.hosts import HostGates
from postlint.net.progress import Progress


def judge(outcome: Outcome, kind: str, accept: frozenset[int]) -> Verdict:
    """The verdict for one kind of check from the outcome of fetching its URL;
    its message holds no control or invisible character (server text is
    escaped, see `fetch.printable`)."""
    verdict = _judge(outcome, kind, accept)
    return verdict._replace(message=printable(verdict.message, limit=2000))


def _judge(outcome: Outcome, kind: str, accept: frozenset[int]) -> Verdict:
    if outcome.invalid is not None:
        return Verdict("URL004", outcome.invalid, None)
    if outcome.refused is not None:
        return Verdict(
            "URL005", f"refused: {outcome.refused}; allow it with allow-hosts", None
        )
    if outcome.error is not None or outcome.status is None:
        return Verdict("URL001", outcome.error or "no response", None)
    via = f" (after redirect to {outcome.final_url})" if outcome.redirects else ""
    if outcome.status not in accept:
        return Verdict("URL001", status_text(outcome.status) + via, None)
    if kind == "image":
        media = (outcome.content_type or "").split(";", 1)[0].strip().lower()
        if not media.startswith("image/"):
            served = f"serves {media}" if media else "serves no Content-Type"
            if outcome.sniffed is None:
                return Verdict("URL003", f"{served}, not an image{via}", None)
            via = f" ({served}, but its bytes are {outcome.sniffed}, which browsers show){via}"
    if outcome.permanent_target is not None:
        return Verdict(
            "URL002",
            f"redirects permanently to {outcome.permanent_target}",
            outcome.permanent_target,
        )
    return Verdict(None, status_text(outcome.status) + via, None)


class _Sessions:
    """One requests.Session per worker thread, closed at the end of the run."""

    def __init__(self, user_agent: str) -> None:
        self.user_agent = user_agent
        self._local = threading.local()
        self._all: list[requests.Session] = []
        self._lock = threading.Lock()

    def get(self) -> requests.Session:
        session: requests.Session | None = getattr(self._local, "session", None)
        if session is None:
            session = transport.make_session(self.user_agent)
            self._local.session = session
            with self._lock:
                self._all.append(session)
        return session

    def close(self) -> None:
        with self._lock:
            for session in self._all:
                session.close()
            self._all.clear()


def _fetch_all(
    urls: list[str], settings: NetSettings, progress: Progress, sniff: frozenset[str] = frozenset()
) -> tuple[dict[str, Outcome], int]:
    """Fetch each URL once. URLs are handed to the pool host by host, round
    robin, and only while the host has a free slot, so workers are not parked
    waiting on one busy host while other hosts have work."""
    gates = HostGates(settings.per_host, settings.backoff_base, settings.retry_after_cap)
    sessions = _Sessions(settings.user_agent)
    fetcher = Fetcher(settings, gates, sessions.get)
    pending: dict[str, deque[str]] = {}
    for url in urls:
        pending.setdefault(host_key(url), deque()).append(url)
    outcomes: dict[str, Outcome] = {}
    concurrency = max(1, settings.concurrency)
    cond = threading.Condition()
    in_flight: dict[str, int] = {}
    total_in_flight = 0

    def task(url: str) -> Outcome:
        try:
            return fetcher.fetch(url, sniff=url in sniff)
        except Exception as exc:  # noqa: BLE001 - one odd URL must not end the whole run
            return Outcome(error=f"internal error: {type(exc).__name__}: {exc}")

    def finished(host: str, url: str, future: Future[Outcome]) -> None:
        nonlocal total_in_flight
        outcomes[url] = future.result()
        progress.advance()
        with cond:
            total_in_flight -= 1
            in_flight[host] -= 1
            cond.notify()

    try:
        with transport.WATCHDOG.running(), ThreadPoolExecutor(max_workers=min(concurrency, max(1, len(urls))),
                                thread_name_prefix="postlint-net") as pool, cond:
            while pending or total_in_flight:
                submitted = True
                while submitted and pending and total_in_flight < concurrency:
                    submitted = False
                    for host in list(pending):
                        if total_in_flight >= concurrency:
                            break
                        if in_flight.get(host, 0) >= gates.limit(host):
                            continue
                        queue = pending[host]
                        url = queue.popleft()
                        if not queue:
                            del pending[host]
                        in_flight[host] = in_flight.get(host, 0) + 1
                        total_in_flight += 1
                        future = pool.submit(task, url)
                        future.add_done_callback(partial(finished, host, url))
                        submitted = True
                if pending or total_in_flight:
                    cond.wait(timeout=0.5)
    finally:
        sessions.close()
    return outcomes, fetcher.requests.value


def run(checks: Iterable[UrlCheck], settings: NetSettings) -> tuple[dict[UrlCheck, Verdict], Summary]:
    started = time.monotonic()
    distinct = list(dict.fromkeys(UrlCheck(c.url, c.kind) for c in checks))
    verdicts: dict[UrlCheck, Verdict] = {}
    cache: UrlCache | None = None
    if settings.use_cache and settings.cache_dir is not None:
        cache = UrlCache(settings.cache_dir, settings.cache_max_age)

    # By the URL without its fragment: `#a` and `#b` are one resource, one request.
    to_fetch: dict[str, list[UrlCheck]] = {}
    for check in distinct:
        reason = invalid_reason(check.url)
        if reason is not None:
            verdicts[check] = Verdict("URL004", reason, None)
            continue
        if cache is not None:
            cached = cache.get(cache_key(check, settings))
            if cached is not None:
                verdicts[check] = cached
                continue
        to_fetch.setdefault(defrag(check.url), []).append(check)

    progress = Progress(len(to_fetch), settings.progress)
    requests_sent = 0
    try:
        if to_fetch:
            images = frozenset(
                url for url, url_checks in to_fetch.items() if any(c.kind == "image" for c in url_checks)
            )
            outcomes, requests_sent = _fetch_all(list(to_fetch), settings, progress, images)
            for url, url_checks in to_fetch.items():
                for check in url_checks:
                    verdict = judge(with_fragment(outcomes[url], check.url), check.kind, settings.accept)
                    verdicts[check] = verdict
                    if cache is not None:
                        cache.put(cache_key(check, settings), check, verdict)
    finally:
        progress.close()
        if cache is not None:
            cache.close()

    ordered = {check: verdicts[check] for check in distinct}
    summary = Summary(
        checked=len(ordered),
        from_cache=sum(1 for v in ordered.values() if v.from_cache),
        failed=sum(1 for v in ordered.values() if v.code is not None),
        requests=requests_sent,
        elapsed=time.monotonic() - started,
    )
    return ordered, summary
