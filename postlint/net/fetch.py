"""Fetching one URL: the address guard on every hop, HEAD then GET, redirects
followed one hop at a time, retries with backoff, Retry-After.

Long because: fetching one URL is one state machine (the guard on every hop,
HEAD then GET, redirects one at a time, retries, Retry-After, the deadline,
the raw body limit) plus the helpers that make a server's text printable in a
message; its parts share the deadline and the tally of attempts.

Time: one wall-clock deadline per URL (`NetSettings.deadline`) covers
connecting, headers, body, every retry, every wait and every redirect; each
attempt is also limited to `timeout` seconds, as a whole, not per read (see
`transport.watched`). Bodies: at most SMALL_BODY bytes are read, raw, and
never decoded (a gzip bomb stays 3.5 KB). Text from a server that ends up in
a message is made printable (`printable`); a redirect target is
percent-encoded where it holds control or invisible characters, so the
URL002 fix cannot write them into a post."""

from __future__ import annotations

import email.utils
import random
import re
import threading
import time
from collections.abc import Callable
from http import HTTPStatus
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit

import requests
import urllib3.exceptions

from postlint.model.patterns import lazy
from postlint.model.record import NamedTuple
from postlint.net import NetSettings, transport
from postlint.net.guard import (
    GuardError,
    ResolutionError,
    Vetted,
    addresses_of,
    ascii_host,
    parse_ip,
    refusal,
    valid_hostname,
)
from postlint.net.hosts import HostGates, OutOfTime

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

    invalid: str | None = None  # URL004
    refused: str | None = None  # URL005
    error: str | None = None  # URL001: no usable response (DNS, timeout, loop...)
    status: int | None = None
    final_url: str | None = None
    permanent_target: str | None = None  # after the last 301/308 hop
    content_type: str | None = None
    sniffed: str | None = None  # the image type the body's first bytes are (image checks only)
    redirects: tuple[int, ...] = ()


class Response(NamedTuple):
    status: int
    headers: dict[str, str]


def status_text(status: int) -> str:
    try:
        return f"{status} {HTTPStatus(status).phrase}"
    except ValueError:
        return str(status)


def invalid_reason(url: str) -> str | None:
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
    if name is None or not valid_hostname(name):
        return f"invalid host name: {host!r}"
    try:
        parse_ip(name)  # "１２７.１.２.３.４" maps onto a spelling that is no address
    except GuardError as exc:
        return str(exc)
    return None


def wire_url(url: str) -> str:
    """`url` with its host as sent on the wire (IDNA / UTS 46 applied, as the
    guard saw it): urllib3 itself applies IDNA without the UTS 46 mapping."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if host.isascii() and "xn--" not in host:
        return url
    wire = ascii_host(host)
    if wire is None:
        return url
    userinfo, at, _hostport = parts.netloc.rpartition("@")
    port = f":{parts.port}" if parts.port is not None else ""
    return urlunsplit(parts._replace(netloc=f"{userinfo}{at}{wire}{port}"))


def url_port(url: str) -> int:
    parts = urlsplit(url)
    return parts.port or (443 if parts.scheme.lower() == "https" else 80)


def host_key(url: str) -> str:
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    port = url_port(url)
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


# Characters that must not reach a message or a file raw: C0 and C1 controls,
# DEL, and the invisible format characters that reorder or hide text
# (bidi embeddings, overrides and isolates, zero-width, line/paragraph separators).
_UNPRINTABLE = lazy(
    "[\x00-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb]"
)
MESSAGE_LIMIT = 300  # characters of server text kept in a message


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str, limit: int = MESSAGE_LIMIT) -> str:
    """`text` with every control or invisible character escaped (`\\r`
    becomes `\\x0d`), cut to `limit` characters."""
    if len(text) > limit:
        text = text[:limit] + "..."
    return _UNPRINTABLE.sub(_escape, text)


def _percent(match: re.Match[str]) -> str:
    return "".join(f"%{b:02X}" for b in match.group().encode("utf-8"))


_URL_UNSAFE = lazy(_UNPRINTABLE.pattern[:-1] + " \u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")


def location_url(value: str) -> str:
    """A Location header as the URL it names: the bytes read as UTF-8 (as
    browsers and requests do), control, blank and invisible characters
    percent-encoded; surrounding blanks dropped."""
    text = value.strip(" \t")
    try:
        text = text.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        pass
    return _URL_UNSAFE.sub(_percent, text)


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
        return f"TLS error: {printable(str(chain[-1]))}"
    if any(isinstance(e, ConnectionRefusedError) for e in chain):
        return "connection refused"
    if any(isinstance(e, ConnectionResetError) for e in chain):
        return "connection reset by peer"
    if any(isinstance(e, ConnectionAbortedError) for e in chain):
        return "connection aborted"
    if any(type(e).__name__ == "RemoteDisconnected" for e in chain):
        return "connection closed without a response"
    if any(isinstance(e, urllib3.exceptions.ProtocolError) for e in chain):
        return f"protocol error: {printable(str(chain[-1]))}"
    if isinstance(exc, (requests.exceptions.InvalidURL, requests.exceptions.InvalidHeader)):
        return f"invalid request: {exc}"
    return f"request failed: {printable(str(chain[-1]))}"


def retry_after(value: str | None, cap: float) -> float | None:
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


def defrag(url: str) -> str:
    """The URL without its fragment: what is requested, and deduplicated."""
    return _defrag(url)


def with_fragment(outcome: Outcome, url: str) -> Outcome:
    """The outcome of fetching `url` without its fragment, as seen from `url`:
    where it leads keeps the fragment, as a browser keeps it across redirects."""
    if "#" not in url:
        return outcome
    return outcome._replace(
        final_url=_with_fragment(outcome.final_url, url) if outcome.final_url else None,
        permanent_target=_with_fragment(outcome.permanent_target, url) if outcome.permanent_target else None,
    )


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




def _addresses_within(host: str, limit: float) -> tuple[str, ...]:
    """`addresses_of(host)`, giving up after `limit` seconds: getaddrinfo
    cannot be interrupted, so a name is looked up on a helper thread (left
    to finish by itself if it is slow). IP literals and localhost need none."""
    try:
        if parse_ip(host) is not None or host == "localhost" or host.endswith(".localhost"):
            return addresses_of(host)
    except GuardError:
        return addresses_of(host)  # raises the same GuardError
    box: dict[str, Any] = {}

    def lookup() -> None:
        try:
            box["found"] = addresses_of(host)
        except BaseException as exc:  # noqa: BLE001 - handed to the caller
            box["error"] = exc

    thread = threading.Thread(target=lookup, name="postlint-dns", daemon=True)
    thread.start()
    thread.join(limit)
    if thread.is_alive():
        raise ResolutionError(f"DNS failure: {host}: no answer within {limit:g}s")
    if "error" in box:
        raise box["error"]
    found: tuple[str, ...] = box["found"]
    return found


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
        self._resolved: dict[str, tuple[str, ...] | Exception] = {}
        self._refusals: dict[tuple[str, int | None], str | None] = {}
        self._vet_locks: dict[str, threading.Lock] = {}
        self._lock = threading.Lock()

    # -- guard -----------------------------------------------------------
    def vet(self, host: str, port: int | None = None, deadline: float | None = None) -> Vetted:
        """Resolve each host once per run; every later hop to it uses the same
        addresses, so the run sees one consistent DNS answer per host. Whether
        it may be requested is decided per port (allow-hosts may name one).
        A look-up gets `timeout` seconds (less if the URL's deadline is nearer)."""
        with self._lock:
            lock = self._vet_locks.setdefault(host, threading.Lock())
        with lock:
            found = self._resolved.get(host)
            if found is None:
                limit = self.settings.timeout
                if deadline is not None:
                    limit = max(0.0, min(limit, deadline - time.monotonic()))
                try:
                    found = _addresses_within(host, limit)
                except (ResolutionError, GuardError) as exc:
                    found = exc
                self._resolved[host] = found
        if isinstance(found, Exception):
            raise found
        key = (host, port)
        if key in self._refusals:
            refused = self._refusals[key]
        else:
            refused = self._refusals[key] = refusal(host, found, self.settings, port)
        return Vetted(found, refused)

    # -- one URL ---------------------------------------------------------
    def fetch(self, url: str, sniff: bool = False) -> Outcome:
        """Follow `url` to its final response. With `sniff` (an image field
        names it), a final 2xx that does not say image/* is asked for its
        first bytes, as a browser would look at them (`postlint.net.sniff`)."""
        reason = invalid_reason(url)
        if reason is not None:
            return Outcome(invalid=reason)
        deadline = time.monotonic() + self.settings.deadline
        current = url
        visited = {_defrag(url)}
        permanent_target: str | None = None
        redirects: list[int] = []
        while True:
            host = ascii_host(urlsplit(current).hostname or "")
            if host is None:
                return Outcome(error=f"redirect to an invalid host: {printable(current)}")
            try:
                vetted = self.vet(host, url_port(current), deadline)
            except ResolutionError as exc:
                return Outcome(error=str(exc), final_url=current)
            except GuardError as exc:
                return Outcome(error=f"invalid address: {exc}", final_url=current)
            if vetted.refusal is not None:
                where = f" (redirect from {url})" if current != url else ""
                return Outcome(refused=vetted.refusal + where, final_url=current)
            answer = self.request(current, vetted, deadline)
            if isinstance(answer, str):
                return Outcome(error=answer, final_url=current, redirects=tuple(redirects))
            location = answer.headers.get("location")
            if answer.status in REDIRECT_CODES and location:
                try:
                    target = _with_fragment(urljoin(current, location_url(location)), current)
                    seen_before = _defrag(target) in visited
                except ValueError as exc:  # e.g. "http://[::1": urllib refuses to parse it
                    return Outcome(
                        error=f"redirect to an unusable URL {location.strip()!r}: {exc}",
                        final_url=current,
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
            sniffed = None
            if sniff and 200 <= answer.status < 300 and _sniffable(answer.headers):
                sniffed = self._sniff(current, vetted, deadline)
            return Outcome(
                status=answer.status,
                final_url=current,
                permanent_target=permanent_target,
                content_type=answer.headers.get("content-type"),
                redirects=tuple(redirects),
                sniffed=sniffed,
            )

    def _sniff(self, url: str, vetted: Vetted, deadline: float) -> str | None:
        """One GET for the body's first bytes (raw, at most SNIFF_BYTES); the
        image type they are, or None. No retries: this only ever clears a finding."""
        from postlint.net.sniff import SNIFF_BYTES, sniff

        key = host_key(url)
        try:
            with self.gates.slot(key, deadline):
                started = time.monotonic()
                if started >= deadline:
                    return None
                limit = min(deadline, started + self.settings.timeout)
                self.requests.add()
                with transport.watched(limit):
                    response = transport.send(
                        self.session(), "GET", wire_url(url), vetted.addresses[0],
                        min(self.settings.timeout, limit - started),
                        {"Range": f"bytes=0-{SNIFF_BYTES - 1}", "Accept-Encoding": "identity"},
                    )
                    try:
                        if not 200 <= response.status_code < 300:
                            return None
                        data = _read_raw(response, SNIFF_BYTES)
                        return sniff(data, response.headers.get("content-encoding", ""))
                    finally:
                        response.close()
        except (OutOfTime, requests.exceptions.RequestException, urllib3.exceptions.HTTPError, OSError, ValueError):
            return None

    # -- one hop ---------------------------------------------------------
    def _out_of_time(self) -> str:
        return f"no answer within the deadline of {self.settings.deadline:g}s (connect, retries and redirects)"

    def request(self, url: str, vetted: Vetted, deadline: float | None = None) -> Response | str:
        """One hop: HEAD (or GET), with retries, all before `deadline`
        (time.monotonic()). A Response, or the reason no response came."""
        settings = self.settings
        if deadline is None:
            deadline = time.monotonic() + settings.deadline
        key = host_key(url)
        state = self.gates.state(key)
        method = "GET" if state.head_lies else "HEAD"
        attempt = 0
        while True:
            pin = vetted.addresses[attempt % len(vetted.addresses)]
            failure: str | None = None
            answer: Response | None = None
            try:
                with self.gates.slot(key, deadline):
                    started = time.monotonic()
                    if started >= deadline:
                        raise OutOfTime
                    limit = min(deadline, started + settings.timeout)
                    self.requests.add()
                    with transport.watched(limit) as watch:
                        try:
                            answer = self._send(method, url, pin, min(settings.timeout, limit - started))
                        except Exception:
                            if not watch.fired:
                                raise
                    if answer is None and watch.fired:
                        # The limit cut the request short (a cut body is no matter).
                        if limit >= deadline:
                            raise OutOfTime
                        failure = f"timeout: no complete response within {settings.timeout:g}s"
            except OutOfTime:
                return failure or self._out_of_time()
            except _NOT_TRANSIENT as exc:
                return describe(exc, settings.timeout)
            except (requests.exceptions.RequestException, urllib3.exceptions.HTTPError, OSError) as exc:
                failure = describe(exc, settings.timeout)
            except ValueError as exc:
                # requests parses a redirect's Location even when it does not
                # follow it; a malformed one ("http://[::1") raises here.
                return f"the server answered with an unusable URL: {printable(str(exc))}"
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
            if attempt >= settings.retries or time.monotonic() + delay >= deadline:
                # No attempt left, or none that could start before the deadline.
                return answer if answer is not None else failure or "request failed"
            if throttled:
                # For the rest of the run; the gate makes every request wait.
                self.gates.slow_down(key, delay)
            else:
                self.sleep(delay)
            attempt += 1

    def _backoff(self, attempt: int) -> float:
        base = self.settings.backoff_base * float(2**attempt)
        jitter = random.uniform(0, base / 2)  # noqa: S311 - spreads retries, not a secret
        return min(base / 2 + jitter, self.settings.retry_after_cap)

    def _send(self, method: str, url: str, pin: str, timeout: float | None = None) -> Response:
        wait = self.settings.timeout if timeout is None else max(timeout, 0.001)
        response = transport.send(self.session(), method, wire_url(url), pin, wait)
        try:
            status = response.status_code
            headers = {k.lower(): v for k, v in response.headers.items()}
            self._finish(response, method, headers)
        finally:
            response.close()
        return Response(status, headers)

    @staticmethod
    def _finish(response: requests.Response, method: str, headers: dict[str, str]) -> bytes:
        """Read a small body to its end so the connection returns to the pool;
        never read a large or endless one (close() then drops the connection).
        The bytes are read raw, as sent: never decompressed, never more than
        SMALL_BODY of them."""
        length = headers.get("content-length", "")
        small = method == "HEAD" or (length.isdigit() and int(length) <= SMALL_BODY)
        if not small or "chunked" in headers.get("transfer-encoding", "").lower():
            return b""
        # (HEAD too: reading its empty body to the end releases the connection.)
        try:
            return _read_raw(response, SMALL_BODY + 1)
        except Exception:  # noqa: BLE001 - the status is what matters; the body may be broken
            return b""


def _read_raw(response: requests.Response, limit: int) -> bytes:
    """At most `limit` bytes of the body as sent: never decoded."""
    chunks: list[bytes] = []
    total = 0
    while total < limit:
        chunk = response.raw.read(limit - total, decode_content=False)
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
    return b"".join(chunks)


def _sniffable(headers: dict[str, str]) -> bool:
    """Whether a browser would look at the bytes: the type is not image/*
    already, and the server did not forbid sniffing (nosniff)."""
    media = headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if media.startswith("image/"):
        return False
    return "nosniff" not in headers.get("x-content-type-options", "").lower()
