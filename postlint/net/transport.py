"""requests sessions that connect only to addresses the guard vetted.

The URL keeps its host name: the Host header, TLS SNI and certificate checking
all use the name, while the TCP connection goes to the vetted address carried
by the request (`PreparedRequest.postlint_pin`). The name is never resolved
again, so a DNS answer that changes between the guard's look-up and the
connection (DNS rebinding) cannot redirect the request. A request without a pin
is refused before any connection is made: the transport fails closed.

Time: a socket timeout bounds each read, not a response: a server that drips
its headers one byte a second never trips it. So every request runs under a
wall-clock limit (`watched`): a single watchdog thread shuts the request's
socket down when the limit passes, which ends any read, plain or TLS, at once.
The connections register their socket with the request running on their
thread (`_Watched`), from the TCP connect on.

Headers: http.client accepts a response whose headers were cut off by the
server closing the connection; `_CheckedResponse` refuses it
(`IncompleteHeaders`), so a half-sent response is a failure, not a 200.

Needs requests >= 2.32.2 (`HTTPAdapter.get_connection_with_tls_context`) and
urllib3 2 (its connections' `_new_conn`).
"""

from __future__ import annotations

import heapq
import http.client
import itertools
import socket
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlsplit

import requests
import urllib3.connection
from requests.adapters import HTTPAdapter

PIN_ATTRIBUTE = "postlint_pin"


class IncompleteHeaders(http.client.HTTPException):
    """The connection closed before the response's headers were complete."""


class _HeaderSpy:
    """Wraps the response's file while http.client reads the status line and
    headers: remembers whether a line ended without its LF (end of input)."""

    __slots__ = ("_fp", "cut")

    def __init__(self, fp: Any) -> None:
        self._fp = fp
        self.cut = False

    def readline(self, limit: int = -1) -> bytes:
        line: bytes = self._fp.readline(limit)
        if not line.endswith(b"\n") and (limit < 0 or len(line) < limit):
            self.cut = True
        return line

    def __getattr__(self, name: str) -> Any:
        return getattr(self._fp, name)


class _CheckedResponse(http.client.HTTPResponse):
    def begin(self) -> None:
        if self.headers is not None:  # already begun
            return
        fp = self.fp
        spy = _HeaderSpy(fp)
        self.fp = spy
        try:
            super().begin()
        finally:
            if self.fp is spy:
                self.fp = fp
        if spy.cut:
            self.close()
            raise IncompleteHeaders("connection closed before the response headers were complete")


class _Watch:
    __slots__ = ("deadline", "done", "fired", "sock")

    def __init__(self, deadline: float) -> None:
        self.deadline = deadline
        self.sock: socket.socket | None = None
        self.fired = False
        self.done = False


def _shut(sock: socket.socket | None) -> None:
    if sock is None:
        return
    try:
        # The base class's shutdown: for a TLS socket it acts on the file
        # descriptor without touching the TLS state the worker is using.
        socket.socket.shutdown(sock, socket.SHUT_RDWR)
    except (OSError, ValueError, TypeError):
        pass


class Watchdog:
    """One thread for the whole process; it sleeps until the next limit, and
    ends when nothing is watched and no run holds it (`running`): a process
    that forks worker processes later must have no stray thread."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._heap: list[tuple[float, int, _Watch]] = []
        self._seq = itertools.count()
        self._thread: threading.Thread | None = None
        self._users = 0

    @contextmanager
    def running(self) -> Iterator[None]:
        """Keep the thread for the duration of a run; it is gone afterwards."""
        with self._cond:
            self._users += 1
        try:
            yield
        finally:
            with self._cond:
                self._users -= 1
                thread = self._thread if self._users == 0 else None
                self._cond.notify_all()
            if thread is not None and thread is not threading.current_thread():
                thread.join(5.0)

    def arm(self, deadline: float) -> _Watch:
        watch = _Watch(deadline)
        with self._cond:
            heapq.heappush(self._heap, (deadline, next(self._seq), watch))
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="postlint-watchdog", daemon=True)
                self._thread.start()
            elif self._heap[0][2] is watch:
                self._cond.notify()
        return watch

    def disarm(self, watch: _Watch) -> None:
        with self._cond:
            watch.done = True
            if self._users == 0:
                self._cond.notify_all()  # nothing may be left: let the thread end

    def attach(self, watch: _Watch, sock: socket.socket | None) -> None:
        with self._cond:
            watch.sock = sock
            fired = watch.fired and not watch.done
        if fired:
            _shut(sock)

    def _run(self) -> None:
        while True:
            with self._cond:
                heap = self._heap
                while heap and heap[0][2].done:
                    heapq.heappop(heap)
                if not heap:
                    if self._users == 0:
                        self._thread = None
                        return
                    self._cond.wait(timeout=1.0)
                    continue
                now = time.monotonic()
                deadline, _, watch = heap[0]
                if deadline > now:
                    self._cond.wait(timeout=deadline - now)
                    continue
                heapq.heappop(heap)
                watch.fired = True
                sock = watch.sock
            _shut(sock)


WATCHDOG = Watchdog()
_local = threading.local()


@contextmanager
def watched(deadline: float) -> Iterator[_Watch]:
    """Run a request of this thread under a wall-clock limit (time.monotonic()):
    when it passes, the request's socket is shut down. `.fired` tells afterwards."""
    watch = WATCHDOG.arm(deadline)
    previous = getattr(_local, "watch", None)
    _local.watch = watch
    try:
        yield watch
    finally:
        _local.watch = previous
        WATCHDOG.disarm(watch)


def _attach(sock: socket.socket | None) -> None:
    watch: _Watch | None = getattr(_local, "watch", None)
    if watch is not None and not watch.done:
        WATCHDOG.attach(watch, sock)


class _Watched(urllib3.connection.HTTPConnection):
    """Mixed into urllib3's connections (before HTTPSConnection, which derives
    from HTTPConnection too): the socket is under the running request's limit."""

    response_class: type[http.client.HTTPResponse] = _CheckedResponse

    def _new_conn(self) -> socket.socket:
        sock = super()._new_conn()
        _attach(sock)
        return sock

    def connect(self) -> None:
        super().connect()
        _attach(self.sock)

    def getresponse(self) -> Any:
        _attach(self.sock)
        return super().getresponse()


class WatchedHTTPConnection(_Watched, urllib3.connection.HTTPConnection):
    pass


class WatchedHTTPSConnection(_Watched, urllib3.connection.HTTPSConnection):
    pass


class UnpinnedRequestError(requests.exceptions.ConnectionError):
    """A request reached the transport without a vetted address."""


class PinnedAdapter(HTTPAdapter):
    """An HTTPAdapter whose connections go to `request.postlint_pin`."""

    def get_connection_with_tls_context(
        self,
        request: requests.PreparedRequest,
        verify: Any,
        proxies: Mapping[str, str] | None = None,
        cert: Any = None,
    ) -> Any:
        pin: str | None = getattr(request, PIN_ATTRIBUTE, None)
        if not pin:
            raise UnpinnedRequestError("request without a vetted address", request=request)
        host_params, key_attributes = self.build_connection_pool_key_attributes(
            request, verify, cert
        )
        pool_kwargs: dict[str, Any] = dict(key_attributes)
        hostname = host_params["host"]
        host_params["host"] = pin
        if host_params["scheme"] == "https":
            # SNI and certificate verification against the name in the URL.
            pool_kwargs["server_hostname"] = hostname
            pool_kwargs["assert_hostname"] = hostname
        # Proxies are never used: a proxy would resolve the name itself.
        pool = self.poolmanager.connection_from_host(**host_params, pool_kwargs=pool_kwargs)
        pool.ConnectionCls = WatchedHTTPSConnection if host_params["scheme"] == "https" else WatchedHTTPConnection
        return pool

    def get_connection(self, url: str | bytes, proxies: Mapping[str, str] | None = None) -> Any:
        # Older requests call this instead; it carries no pin, so refuse.
        raise UnpinnedRequestError("postlint needs requests >= 2.32.2 to pin connections")


def make_session(user_agent: str) -> requests.Session:
    session = requests.Session()
    # Never read proxies, .netrc or CA overrides from the environment.
    session.trust_env = False
    session.proxies = {}
    session.headers["User-Agent"] = user_agent
    # One request at a time per session (one session per worker thread).
    adapter = PinnedAdapter(pool_connections=16, pool_maxsize=2, max_retries=0)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


def host_header(prepared_url: str) -> str:
    """The Host header for a prepared (IDNA-encoded) URL: host[:port]."""
    parts = urlsplit(prepared_url)
    authority = parts.netloc.rpartition("@")[2]
    return authority


def send(
    session: requests.Session,
    method: str,
    url: str,
    pin: str,
    timeout: float,
    headers: dict[str, str] | None = None,
) -> requests.Response:
    """Send one request to `url`, connecting to `pin`; no redirects followed;
    the body is left unread (stream=True)."""
    prepared = session.prepare_request(requests.Request(method, url, headers=headers))
    assert prepared.url is not None
    prepared.headers["Host"] = host_header(prepared.url)
    setattr(prepared, PIN_ATTRIBUTE, pin)
    return session.send(
        prepared,
        allow_redirects=False,
        stream=True,
        timeout=(timeout, timeout),
        proxies={},
    )
