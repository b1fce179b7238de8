"""A real HTTP server on a loopback address for the URL-resolution tests.

Routes map a path to a behaviour (a function of the request handler). The
server counts requests per path and method, measures how many requests were
in progress at once, counts body bytes sent, and stops by itself after
`lifetime` seconds even if a test forgets to stop it.
"""

from __future__ import annotations

import socket
import struct
import threading
import time
from collections import Counter
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any

from postlint.net import NetSettings

if TYPE_CHECKING:
    from typing_extensions import Self  # typing.Self from Python 3.11

Behaviour = Callable[["Handler"], None]


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256  # many clients connect at once; never drop SYNs
    owner: TestServer

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # resets and timeouts are what the tests provoke


class _Server6(_Server):
    address_family = socket.AF_INET6


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body are separate writes
    server: _Server

    def log_message(self, format: str, *args: object) -> None:
        pass

    def setup(self) -> None:
        super().setup()
        with self.server.owner._lock:
            self.server.owner.connections += 1

    def do_HEAD(self) -> None:
        self._dispatch()

    def do_GET(self) -> None:
        self._dispatch()

    @property
    def owner(self) -> TestServer:
        return self.server.owner

    @property
    def route_path(self) -> str:
        return self.path.split("?", 1)[0]

    def _dispatch(self) -> None:
        owner = self.owner
        path = self.route_path
        behaviour = owner.routes.get(path, reply(404, b"not found"))
        self._entry = owner._enter(self.command, path, self.headers.get("Host", ""))
        try:
            behaviour(self)
        finally:
            self.finish_active()

    def finish_active(self) -> None:
        """The request stops counting as in progress: called before the
        response is written, so that a client reacting to the response can
        never be seen overlapping with it."""
        entry = getattr(self, "_entry", None)
        if entry is not None:
            self._entry = None
            self.owner._leave(entry)

    # helpers for behaviours
    def send_simple(self, status: int, body: bytes = b"", headers: dict[str, str] | None = None) -> None:
        self.finish_active()
        self.send_response(status)
        all_headers = {"Content-Type": "text/html; charset=utf-8", "Content-Length": str(len(body))}
        all_headers.update(headers or {})
        for name, value in all_headers.items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD" and body:
            self.wfile.write(body)
            self.owner._sent(self.route_path, len(body))


class TestServer:
    """`with TestServer() as s: s.route("/a", reply(200)); s.url("/a")`."""

    __test__ = False  # not a pytest test class

    def __init__(self, host: str = "127.0.0.1", lifetime: float = 60.0) -> None:
        cls = _Server6 if ":" in host else _Server
        self.httpd = cls((host, 0), Handler)
        self.httpd.owner = self
        self.host = host
        self.port = self.httpd.server_address[1]
        self.routes: dict[str, Behaviour] = {}
        self.stopping = threading.Event()
        self._lock = threading.Lock()
        self._hits: Counter[tuple[str, str]] = Counter()
        self._bytes: Counter[str] = Counter()
        self.host_headers: list[str] = []
        self.log: list[list[Any]] = []  # [method, path, start, end] per request
        self.active = 0
        self.max_active = 0
        self.connections = 0  # TCP connections accepted
        self._thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._timer = threading.Timer(lifetime, self.stop)
        self._timer.daemon = True

    # lifecycle
    def start(self) -> TestServer:
        self._thread.start()
        self._timer.start()
        return self

    def stop(self) -> None:
        if self.stopping.is_set():
            return
        self.stopping.set()
        self._timer.cancel()
        self.httpd.shutdown()
        self.httpd.server_close()

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # configuration
    @property
    def authority(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}"

    def url(self, path: str, host: str | None = None) -> str:
        authority = f"{host}:{self.port}" if host else self.authority
        return f"http://{authority}{path}"

    def route(self, path: str, behaviour: Behaviour) -> str:
        self.routes[path] = behaviour
        return self.url(path)

    # measurements
    def hits(self, path: str | None = None, method: str | None = None) -> int:
        with self._lock:
            return sum(
                n
                for (m, p), n in self._hits.items()
                if (path is None or p == path) and (method is None or m == method)
            )

    def bytes_sent(self, path: str) -> int:
        with self._lock:
            return self._bytes[path]

    def _enter(self, method: str, path: str, host_header: str) -> list[Any]:
        entry: list[Any] = [method, path, time.monotonic(), None]
        with self._lock:
            self._hits[(method, path)] += 1
            self.host_headers.append(host_header)
            self.log.append(entry)
            self.active += 1
            self.max_active = max(self.max_active, self.active)
        return entry

    def _leave(self, entry: list[Any]) -> None:
        with self._lock:
            entry[3] = time.monotonic()
            self.active -= 1

    def _sent(self, path: str, count: int) -> None:
        with self._lock:
            self._bytes[path] += count


# -- behaviours ---------------------------------------------------------------

def reply(
    status: int = 200,
    body: bytes = b"<p>hello</p>",
    headers: dict[str, str] | None = None,
    delay: float = 0.0,
) -> Behaviour:
    def behaviour(h: Handler) -> None:
        if delay:
            h.owner.stopping.wait(delay)
        h.send_simple(status, body, headers)

    return behaviour


def image(status: int = 200) -> Behaviour:
    return reply(status, b"\x89PNG\r\n\x1a\n" + b"\0" * 64, {"Content-Type": "image/png"})


def redirect(status: int, location: str) -> Behaviour:
    return reply(status, b"", {"Location": location})


def by_method(**behaviours: Behaviour) -> Behaviour:
    def behaviour(h: Handler) -> None:
        behaviours.get(h.command, reply(405, b"", {"Allow": ", ".join(behaviours)}))(h)

    return behaviour


def sequence(*behaviours: Behaviour) -> Behaviour:
    """The n-th request gets the n-th behaviour; the last one repeats."""
    lock = threading.Lock()
    count = [0]

    def behaviour(h: Handler) -> None:
        with lock:
            index = min(count[0], len(behaviours) - 1)
            count[0] += 1
        behaviours[index](h)

    return behaviour


def reset() -> Behaviour:
    """Close the connection abruptly: an RST, no response at all."""

    def behaviour(h: Handler) -> None:
        h.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        h.close_connection = True
        h.connection.close()

    return behaviour


def hang(limit: float = 5.0) -> Behaviour:
    """Never answer (until the server stops or `limit` seconds pass)."""

    def behaviour(h: Handler) -> None:
        h.owner.stopping.wait(limit)
        h.close_connection = True

    return behaviour


def endless(limit_bytes: int = 256 * 1024 * 1024, limit_seconds: float = 10.0) -> Behaviour:
    """A 200 whose body never ends (until the client goes away or a limit is hit)."""

    def behaviour(h: Handler) -> None:
        h.finish_active()
        h.send_response(200)
        h.send_header("Content-Type", "text/html")
        h.send_header("Connection", "close")
        h.end_headers()
        h.close_connection = True
        if h.command == "HEAD":
            return
        chunk = b"x" * 16384
        deadline = time.monotonic() + limit_seconds
        sent = 0
        try:
            while sent < limit_bytes and time.monotonic() < deadline and not h.owner.stopping.is_set():
                h.wfile.write(chunk)
                sent += len(chunk)
                h.owner._sent(h.route_path, len(chunk))
        except OSError:
            pass

    return behaviour


def raw(data: bytes) -> Behaviour:
    """Write `data` as it is (a hand-made, maybe broken, response), then close."""

    def behaviour(h: Handler) -> None:
        h.finish_active()
        h.close_connection = True
        try:
            h.wfile.write(data)
            h.wfile.flush()
            h.owner._sent(h.route_path, len(data))
        except OSError:
            pass

    return behaviour


def drip(
    data: bytes, interval: float = 0.05, then: bytes = b"", limit_seconds: float = 10.0, prefix: bytes = b""
) -> Behaviour:
    """Send `prefix` at once, then `data` one byte every `interval` seconds,
    then `then` repeated the same way for ever (until the client goes away, the
    server stops or `limit_seconds` pass). Each byte sent is counted (`bytes_sent`)."""

    def behaviour(h: Handler) -> None:
        h.finish_active()
        h.close_connection = True
        deadline = time.monotonic() + limit_seconds
        index = 0
        try:
            if prefix:
                h.wfile.write(prefix)
                h.owner._sent(h.route_path, len(prefix))
            while time.monotonic() < deadline and not h.owner.stopping.is_set():
                if index < len(data):
                    byte = data[index:index + 1]
                elif then:
                    byte = then[(index - len(data)) % len(then):][:1]
                else:
                    break
                h.wfile.write(byte)
                h.wfile.flush()
                h.owner._sent(h.route_path, 1)
                index += 1
                h.owner.stopping.wait(interval)
        except OSError:
            pass

    return behaviour


class RawServer:
    """A TCP server on 127.0.0.1 that hands each connection to `serve(conn)`:
    for servers that are not HTTP at all (a TLS handshake that never ends)."""

    __test__ = False

    def __init__(self, serve: Callable[[socket.socket, RawServer], None], lifetime: float = 30.0) -> None:
        self.serve = serve
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.05)
        self.port = self.sock.getsockname()[1]
        self.stopping = threading.Event()
        self.connections = 0
        self.sent = 0
        self._lock = threading.Lock()
        self._deadline = time.monotonic() + lifetime
        self._thread = threading.Thread(target=self._accept, daemon=True)

    def _accept(self) -> None:
        while not self.stopping.is_set() and time.monotonic() < self._deadline:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            with self._lock:
                self.connections += 1
            threading.Thread(target=self._run, args=(conn,), daemon=True).start()
        self.stopping.set()

    def _run(self, conn: socket.socket) -> None:
        try:
            self.serve(conn, self)
        except OSError:
            pass
        finally:
            conn.close()

    def count(self, n: int) -> None:
        with self._lock:
            self.sent += n

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopping.set()
        self._thread.join(2)
        self.sock.close()


LOOPBACK = ("127.0.0.1",)


def settings(**overrides: Any) -> NetSettings:
    """NetSettings for the tests: loopback only, no retries, no cache."""
    base: dict[str, Any] = {
        "timeout": 2.0,
        "retries": 0,
        "backoff_base": 0.01,
        "use_cache": False,
        "cache_dir": None,
        "allow_hosts": LOOPBACK,
    }
    base.update(overrides)
    return NetSettings(**base)
