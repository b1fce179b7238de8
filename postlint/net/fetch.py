"""Fetching one URL: the address guard on every hop, HEAD then GET, redirects
followed one hop at a time, retries with backoff, Retry-After."""

from __future__ import annotations

import email.utils
import random
import threading
import time
from http import HTTPStatus
from typing import Any, Callable, NamedTuple, Optional, Union
from urllib.parse import urljoin, urlsplit, urlunsplit

import requests
import urllib3.exceptions

from postlint.net import NetSettings
from postlint.net import transport
from postlint.net.guard import GuardError, ResolutionError, Vetted, parse_ip, vet
from postlint.net.hosts import HostGates

MAX_REDIRECTS = 10
REDIRECT_CODES = frozenset({301, 302, 303, 307, 308})
PERMANENT_CODES = frozenset({301, 308})
# HEAD answered with one of these: the host does not do HEAD properly; use GET.
HEAD_REFUSED = frozenset({400, 403, 405, 501})
# A body this small is read to the end so that the connection can be reused;
# anything larger (or of unknown length) is never read: the connection is closed.
SMALL_BODY = 16 * 1024


class Outcome(NamedTuple):
    """What fetching a URL found, before it is judged per kind."""

    invalid: Optional[str] = None  # URL004
    refused: Optional[str] = None  # URL005
    error: Optional[str] = None  # URL001: no usable response (DNS, timeout, loop...)
    status: Optional[int] = None
    final_url: Optional[str] = None
    permanent_target: Optional[str] = None  # after the last 301/308 hop
    content_type: Optional[str] = None
    redirects: tuple[int, ...] = ()


class Response(NamedTuple):
    status: int
    headers: dict[str, str]


def status_text(status: int) -> str:
    try:
        return f"{status} {HTTPStatus(status).phrase}"
    except ValueError:
        return str(status)


def invalid_reason(url: str) -> Optional[str]:
    """Why `url` is not an absolute http(s) URL postlint can request (URL004)."""
    if not url or any(c.isspace() or ord(c) < 0x20 or ord(c) == 0x7F for c in url):
        return "not an absolute http(s) URL: empty or contains whitespace or control characters"
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a bad port
    except ValueError as exc:
        return f"not a valid URL: {exc}"
    if parts.scheme.lower() not in ("http", "https"):
        return "not an absolute http(s) URL" + (f" (scheme {parts.scheme}:)" if parts.scheme else "")
    host = parts.hostname
    if not host:
        return "not an absolute http(s) URL: no host"
    try:
        if parse_ip(host) is not None:
            return None
    except GuardError as exc:
        return str(exc)
    name = ascii_host(host)
    if name is None or not _valid_hostname(name):
        return f"invalid host name: {host!r}"
    return None


_HOSTNAME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789-_")


def _valid_hostname(name: str) -> bool:
    # Syntax only (underscores are tolerated: they occur in real DNS names).
    labels = name[:-1].split(".") if name.endswith(".") else name.split(".")
    return len(name) <= 253 and all(
        0 < len(label) <= 63 and set(label) <= _HOSTNAME_CHARS for label in labels
    )


def ascii_host(host: str) -> Optional[str]:
    """The host as sent on the wire (IDNA for non-ASCII names), or None."""
    if host.isascii():
        return host.lower()
    try:
        import idna

        return idna.encode(host, uts46=True).decode("ascii")
    except Exception:  # idna raises several unrelated types
        return None


def host_key(url: str) -> str:
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    port = parts.port or (443 if parts.scheme.lower() == "https" else 80)
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def _causes(exc: BaseException) -> list[BaseException]:
    """The exception and everything it wraps (requests -> urllib3 -> OS)."""
    seen: list[BaseException] = []
    stack: list[Any] = [exc]
    while stack and len(seen) < 20:
        item = stack.pop()
        if not isinstance(item, BaseException) or any(item is s for s in seen):
            continue
        seen.append(item)
        stack.extend([item.__cause__, item.__context__, getattr(item, "reason", None)])
        stack.extend(a for a in item.args if isinstance(a, BaseException))
    return seen


def describe(exc: BaseException, timeout: float) -> str:
    """A short reason for a failed request, for the URL001 message."""
    chain = _causes(exc)
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return f"connect timeout after {timeout:g}s"
    if isinstance(exc, requests.exceptions.ReadTimeout) or any(
        isinstance(e, (urllib3.exceptions.ReadTimeoutError, TimeoutError)) for e in chain
    ):
        return f"read timeout after {timeout:g}s"
    if isinstance(exc, requests.exceptions.SSLError) or any(
        isinstance(e, urllib3.exceptions.SSLError) for e in chain
    ):
        return f"TLS error: {chain[-1]}"
    if any(isinstance(e, ConnectionRefusedError) for e in chain):
        return "connection refused"
    if any(isinstance(e, ConnectionResetError) for e in chain):
        return "connection reset by peer"
    if any(isinstance(e, ConnectionAbortedError) for e in chain):
        return "connection aborted"
    if any(type(e).__name__ == "RemoteDisconnected" for e in chain):
        return "connection closed without a response"
    if any(isinstance(e, urllib3.exceptions.ProtocolError) for e in chain):
        return f"protocol error: {chain[-1]}"
    if isinstance(exc, (requests.exceptions.InvalidURL, requests.exceptions.InvalidHeader)):
        return f"invalid request: {exc}"
    return f"request failed: {chain[-1]}"


def retry_after(value: Optional[str], cap: float) -> Optional[float]:
    """Seconds to wait from a Retry-After header (seconds or HTTP date), capped."""
    if not value:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        pass
    else:
        return min(max(seconds, 0.0), cap) if seconds == seconds else None
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    return min(max(when.timestamp() - time.time(), 0.0), cap)


def _with_fragment(target: str, source: str) -> str:
    # RFC 9110 §10.2.2: a Location without a fragment inherits the request's.
    tparts = urlsplit(target)
    sfragment = urlsplit(source).fragment
    if tparts.fragment or not sfragment:
        return target
    return urlunsplit(tparts._replace(fragment=sfragment))


def _defrag(url: str) -> str:
    return url.split("#", 1)[0]


# Failures that another attempt would only repeat.
_NOT_TRANSIENT = (
    requests.exceptions.SSLError,
    requests.exceptions.InvalidURL,
    requests.exceptions.InvalidSchema,
    requests.exceptions.MissingSchema,
    requests.exceptions.InvalidHeader,
    transport.UnpinnedRequestError,
)


class _Tally:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.value = 0

    def add(self) -> None:
        with self._lock:
            self.value += 1


class Fetcher:
    """Shared by all worker threads of one run."""

    def __init__(
        self,
        settings: NetSettings,
        gates: HostGates,
        session: Callable[[], requests.Session],
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.settings = settings
        self.gates = gates
        self.session = session
        self.sleep = sleep
        self.requests = _Tally()
        self._vetted: dict[str, Union[Vetted, Exception]] = {}
        self._vet_locks: dict[str, threading.Lock] = {}
        self._lock = threading.Lock()

    # -- guard -----------------------------------------------------------
    def vet(self, host: str) -> Vetted:
        """Vet each host once per run; every later hop to it uses the same
        addresses, so the run sees one consistent DNS answer per host."""
        with self._lock:
            lock = self._vet_locks.setdefault(host, threading.Lock())
        with lock:
            found = self._vetted.get(host)
            if found is None:
                try:
                    found = vet(host, self.settings)
                except (ResolutionError, GuardError) as exc:
                    found = exc
                self._vetted[host] = found
        if isinstance(found, Exception):
            raise found
        return found

    # -- one URL ---------------------------------------------------------
    def fetch(self, url: str) -> Outcome:
        reason = invalid_reason(url)
        if reason is not None:
            return Outcome(invalid=reason)
        current = url
        visited = {_defrag(url)}
        permanent_target: Optional[str] = None
        redirects: list[int] = []
        while True:
            host = ascii_host(urlsplit(current).hostname or "")
            if host is None:
                return Outcome(error=f"redirect to an invalid host: {current}")
            try:
                vetted = self.vet(host)
            except ResolutionError as exc:
                return Outcome(error=str(exc), final_url=current)
            except GuardError as exc:
                return Outcome(error=f"invalid address: {exc}", final_url=current)
            if vetted.refusal is not None:
                where = f" (redirect from {url})" if current != url else ""
                return Outcome(refused=vetted.refusal + where, final_url=current)
            answer = self.request(current, vetted)
            if isinstance(answer, str):
                return Outcome(error=answer, final_url=current, redirects=tuple(redirects))
            location = answer.headers.get("location")
            if answer.status in REDIRECT_CODES and location:
                try:
                    target = _with_fragment(urljoin(current, location.strip()), current)
                    seen_before = _defrag(target) in visited
                except ValueError as exc:  # e.g. "http://[::1": urllib refuses to parse it
                    return Outcome(
                        error=f"redirect to an unusable URL {location.strip()!r}: {exc}", final_url=current
                    )
                if len(redirects) >= MAX_REDIRECTS:
                    return Outcome(
                        error=f"too many redirects (more than {MAX_REDIRECTS})", final_url=current
                    )
                if seen_before:
                    return Outcome(error=f"redirect loop: {current} -> {target}", final_url=current)
                bad = invalid_reason(target)
                if bad is not None:
                    return Outcome(error=f"redirect to an unusable URL {target!r}: {bad}", final_url=current)
                redirects.append(answer.status)
                if answer.status in PERMANENT_CODES:
                    permanent_target = target
                visited.add(_defrag(target))
                current = target
                continue
            return Outcome(
                status=answer.status,
                final_url=current,
                permanent_target=permanent_target,
                content_type=answer.headers.get("content-type"),
                redirects=tuple(redirects),
            )

    # -- one hop ---------------------------------------------------------
    def request(self, url: str, vetted: Vetted) -> Union[Response, str]:
        """One hop: HEAD (or GET), with retries. A Response, or the reason
        no response came."""
        settings = self.settings
        key = host_key(url)
        state = self.gates.state(key)
        method = "GET" if state.head_lies else "HEAD"
        attempt = 0
        while True:
            pin = vetted.addresses[attempt % len(vetted.addresses)]
            failure: Optional[str] = None
            answer: Optional[Response] = None
            try:
                with self.gates.slot(key):
                    self.requests.add()
                    answer = self._send(method, url, pin)
            except _NOT_TRANSIENT as exc:
                return describe(exc, settings.timeout)
            except (requests.exceptions.RequestException, urllib3.exceptions.HTTPError, OSError) as exc:
                failure = describe(exc, settings.timeout)
            except ValueError as exc:
                # requests parses a redirect's Location even when it does not
                # follow it; a malformed one ("http://[::1") raises here.
                return f"the server answered with an unusable URL: {exc}"
            if answer is not None:
                if method == "HEAD" and answer.status in HEAD_REFUSED:
                    state.head_lies = True
                    method = "GET"
                    continue
                if not (answer.status == 429 or (500 <= answer.status < 600 and answer.status not in (501, 505))):
                    return answer
            delay = self._backoff(attempt)
            if answer is not None and answer.status in (429, 503):
                honoured = retry_after(answer.headers.get("retry-after"), settings.retry_after_cap)
                if honoured is not None:
                    delay = honoured
            throttled = answer is not None and answer.status == 429
            if throttled:
                # For the rest of the run; the gate makes every request wait.
                self.gates.slow_down(key, delay)
            if attempt >= settings.retries:
                return answer if answer is not None else failure or "request failed"
            if not throttled:
                self.sleep(delay)
            attempt += 1

    def _backoff(self, attempt: int) -> float:
        base = self.settings.backoff_base * (2**attempt)
        return min(base / 2 + random.uniform(0, base / 2), self.settings.retry_after_cap)

    def _send(self, method: str, url: str, pin: str) -> Response:
        response = transport.send(self.session(), method, url, pin, self.settings.timeout)
        try:
            status = response.status_code
            headers = {k.lower(): v for k, v in response.headers.items()}
            self._finish(response, method, headers)
        finally:
            response.close()
        return Response(status, headers)

    @staticmethod
    def _finish(response: requests.Response, method: str, headers: dict[str, str]) -> None:
        """Read a small body to its end so the connection returns to the pool;
        never read a large or endless one (close() then drops the connection)."""
        length = headers.get("content-length", "")
        small = method == "HEAD" or (length.isdigit() and int(length) <= SMALL_BODY)
        if small and "chunked" not in headers.get("transfer-encoding", "").lower():
            try:
                response.content
            except Exception:  # the status is what matters; the body may be broken
                pass
