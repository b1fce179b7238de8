"""Issue 12.2: hostile servers on 127.0.0.1 cannot stall a URL, blow up its
memory, forge output or cost a request per #fragment.

No timing assertions: how long a slow server kept postlint busy is read off
the bytes it managed to send before postlint hung up."""

from __future__ import annotations

import gzip
import tracemalloc
import unicodedata
from typing import Any

import pytest

from postlint.net import UrlCheck, Verdict, resolve

from .server import TestServer, by_method, drip, raw, redirect, reply, sequence, settings


def one(url: str, kind: str = "page", **overrides: Any) -> Verdict:
    verdicts, _ = resolve([UrlCheck(url, kind)], settings(**overrides))  # type: ignore[arg-type]
    return verdicts[UrlCheck(url, kind)]  # type: ignore[arg-type]


def unprintable(text: str) -> list[str]:
    """The control, format and separator characters in `text`."""
    return [c for c in text if unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp")]


# -- slow drip: the timeout bounds an attempt, the deadline the URL ------------------

# 1 byte each 50 ms: 20 bytes a second. With the old per-read timeout every
# byte arrives in time, and the server's 10 s (~200 bytes) are used up.
ENDLESS_HEADERS = (b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n", b"X-Drip: aaaa\r\n")


def test_headers_dripped_forever_end_at_the_attempt_timeout(server: TestServer) -> None:
    url = server.route("/drip", drip(ENDLESS_HEADERS[0], then=ENDLESS_HEADERS[1]))
    verdict = one(url, timeout=1.0, deadline=30.0)
    assert verdict.code == "URL001"
    assert server.hits("/drip") == 1
    # about 20 bytes were sent in the attempt's second; never ~200
    assert server.bytes_sent("/drip") < 100


def test_the_deadline_covers_every_retry(server: TestServer) -> None:
    url = server.route("/drip", drip(ENDLESS_HEADERS[0], then=ENDLESS_HEADERS[1]))
    verdict = one(url, timeout=1.0, retries=10, deadline=2.0)
    assert verdict.code == "URL001"
    # two attempts of a second fit in the deadline, not eleven
    assert server.hits("/drip") <= 3
    assert server.bytes_sent("/drip") < 100


def test_a_dripped_body_does_not_hold_the_url(server: TestServer) -> None:
    # Complete headers, then a small body at a byte per 50 ms: the status counts.
    head = b"HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nContent-Length: 1000\r\n\r\n"
    url = server.route("/slow-body", by_method(GET=drip(b"", prefix=head, then=b"x")))
    verdict = one(url, "image", timeout=1.0)
    assert verdict.code is None
    assert server.hits("/slow-body", "GET") == 1
    assert server.bytes_sent("/slow-body") < len(head) + 100


def test_retry_after_beyond_the_deadline_is_not_waited_for(server: TestServer) -> None:
    url = server.route("/busy", reply(429, b"", {"Retry-After": "20"}))
    verdict = one(url, retries=3, deadline=1.0, retry_after_cap=30.0)
    assert verdict.code == "URL001"
    assert server.hits("/busy") == 1


@pytest.mark.parametrize(
    "response",
    [
        b"HTTP/1.1 200 OK\r\nContent-Type: text/ht",  # cut inside a header line
        b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n",  # no blank line after the headers
        b"HTTP/1.1 200 OK\r\n",
    ],
)
def test_headers_cut_off_by_a_closing_server_are_a_failure(server: TestServer, response: bytes) -> None:
    url = server.route("/cut", raw(response))
    assert one(url).code == "URL001"


def test_complete_headers_of_a_closing_server_are_fine(server: TestServer) -> None:
    url = server.route("/closing", raw(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"))
    assert one(url).code is None


# -- bodies: raw, capped, never decompressed -----------------------------------------


@pytest.fixture(scope="module")
def bomb() -> bytes:
    # 64 MiB of zeros, gzip inside gzip: well under 16 KB on the wire.
    inner = gzip.compress(b"\0" * (64 << 20), compresslevel=9, mtime=0)
    outer = gzip.compress(inner, compresslevel=9, mtime=0)
    assert len(outer) < 16 * 1024
    return outer


@pytest.mark.parametrize("kind", ["page", "image"])
def test_a_gzip_bomb_is_never_inflated(server: TestServer, bomb: bytes, kind: str) -> None:
    headers = {"Content-Encoding": "gzip, gzip", "Content-Type": "image/png" if kind == "image" else "text/html"}
    # HEAD refused: the GET's small body is read to keep the connection.
    url = server.route("/bomb", by_method(GET=reply(200, bomb, headers)))
    tracemalloc.start()
    try:
        verdict = one(url, kind)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert verdict.code is None
    assert server.hits("/bomb", "GET") == 1
    assert server.bytes_sent("/bomb") == len(bomb)
    assert peak < 16 << 20  # inflating would take 64 MiB at least


# -- fragments -------------------------------------------------------------------------


def test_urls_differing_only_by_fragment_are_one_request(server: TestServer) -> None:
    base = server.route("/page", reply(200))
    checks = [UrlCheck(base, "page")] + [UrlCheck(f"{base}#part-{i}", "page") for i in range(24)]
    verdicts, summary = resolve(checks, settings())
    assert [v.code for v in verdicts.values()] == [None] * 25
    assert server.hits("/page") == 1
    assert summary.requests == 1
    assert summary.checked == 25


def test_a_permanent_redirect_keeps_each_urls_fragment(server: TestServer) -> None:
    server.route("/old", redirect(301, "/new"))
    server.route("/new", reply(200))
    checks = [UrlCheck(server.url("/old#intro"), "page"), UrlCheck(server.url("/old#end"), "page")]
    verdicts, _ = resolve(checks, settings())
    assert [v.code for v in verdicts.values()] == ["URL002", "URL002"]
    assert [v.final_url for v in verdicts.values()] == [server.url("/new#intro"), server.url("/new#end")]
    assert server.hits("/old") == 1
    assert server.hits("/new") == 1


def test_a_fragment_is_never_sent(server: TestServer) -> None:
    paths: list[str] = []

    def record(h: Any) -> None:
        paths.append(h.path)
        reply(200)(h)

    server.route("/p", record)
    assert one(server.url("/p?q=1#frag")).code is None
    assert paths == ["/p?q=1"]


# -- server text in messages and in the URL002 fix -----------------------------------


@pytest.mark.parametrize(
    "response",
    [
        b"HTTP/1.1 2\r::error file=x.md::forged\r\n\r\n",  # CR in the status line
        b"HTTP/1.1 200 \x1b[2J\x1b]0;owned\x07\r\nContent-Length: 0\r\n\r\n",  # ESC in the reason
        b"HTTP/1.1 2\x1b[31m00 OK\r\n\r\n",
        b"HTTP/1.1 200 OK\xe2\x80\xa8forged\r\nContent-Length: 0\r\n\r\n",  # U+2028 in UTF-8
    ],
)
def test_control_characters_from_a_status_line_never_reach_the_message(server: TestServer, response: bytes) -> None:
    url = server.route("/status", raw(response))
    verdict = one(url)
    assert unprintable(verdict.message) == []


@pytest.mark.parametrize(
    ("location", "requests"),
    [
        ("/next\x1b[31mred", 2),  # ESC: followed, percent-encoded
        ("/next\xe2\x80\xaemore", 2),  # U+202E (right-to-left override) as UTF-8 bytes: the same
        ("/next\x85more", 1),  # not UTF-8 (a C1 NEL byte): an unusable Location, not followed
    ],
)
def test_a_location_with_control_characters_is_percent_encoded(
    server: TestServer, location: str, requests: int
) -> None:
    def moved(h: Any) -> None:
        h.finish_active()
        h.send_response(301)
        h.send_header("Location", location)
        h.send_header("Content-Length", "0")
        h.end_headers()

    server.route("/moved", moved)
    verdict = one(server.url("/moved"))
    # The target does not exist: 404, reported after the redirect, printably.
    assert verdict.code == "URL001"
    assert unprintable(verdict.message) == []
    assert server.hits("/moved") == 1
    assert server.hits() == requests


def test_a_permanent_target_with_escapes_is_written_percent_encoded(server: TestServer) -> None:
    server.route("/from", redirect(308, "/to\x1b"))
    target = server.route("/to%1B", reply(200))
    verdict = one(server.url("/from"))
    assert verdict.code == "URL002"
    assert verdict.final_url == target
    assert unprintable(verdict.final_url or "") == []


def test_a_huge_location_is_cut_in_the_message(server: TestServer) -> None:
    server.route("/long", redirect(301, "http://[::1" + "x" * 20000))
    verdict = one(server.url("/long"))
    assert verdict.code == "URL001"
    assert len(verdict.message) < 2100


def test_slow_server_and_good_server_in_one_run(server: TestServer) -> None:
    """A hostile host costs its own URL at most the deadline; others are answered."""
    slow = server.route("/drip", drip(ENDLESS_HEADERS[0], then=ENDLESS_HEADERS[1]))
    good = [server.route(f"/ok/{i}", reply(200)) for i in range(8)]
    flaky = server.route("/flaky", sequence(raw(b"HTTP/1.1 200 OK\r\n"), reply(200)))
    checks = [UrlCheck(u, "page") for u in [slow, *good, flaky]]
    verdicts, _ = resolve(checks, settings(timeout=1.0, retries=1, deadline=1.5))
    codes = [v.code for v in verdicts.values()]
    assert codes == ["URL001"] + [None] * 8 + [None]
    assert server.hits("/flaky") == 2  # the cut response was retried


def test_a_tls_handshake_dripped_forever_ends_at_the_timeout() -> None:
    """A server that answers the ClientHello with one endless TLS record, a
    byte at a time. (CPython bounds a handshake as a whole by the socket
    timeout; the watchdog also holds the socket from the TCP connect on.)"""
    import socket

    from .server import RawServer

    def serve(conn: socket.socket, srv: RawServer) -> None:
        conn.settimeout(5)
        conn.recv(4096)  # the ClientHello
        conn.sendall(b"\x16\x03\x03\x40\x00")  # a handshake record of 16 KB...
        srv.count(5)
        while not srv.stopping.wait(0.05):  # ...that never ends
            conn.sendall(b"\x02")
            srv.count(1)

    with RawServer(serve) as srv:
        url = f"https://127.0.0.1:{srv.port}/"
        verdict = one(url, timeout=1.0, deadline=5.0)
        sent = srv.sent
    assert verdict.code == "URL001"
    assert srv.connections == 1
    assert sent < 100  # ~20 bytes in the attempt's second


@pytest.mark.parametrize("method", ["HEAD", "GET"])
def test_connections_are_reused_after_a_capped_raw_read(server: TestServer, method: str) -> None:
    behaviour = reply(200, b"<p>small</p>") if method == "HEAD" else by_method(GET=reply(200, b"<p>small</p>"))
    urls = [server.route(f"/p/{i}", behaviour) for i in range(12)]
    verdicts, _ = resolve([UrlCheck(u, "page") for u in urls], settings(concurrency=1))
    assert [v.code for v in verdicts.values()] == [None] * 12
    assert server.hits(method=method) == 12
    assert server.connections == 1


def test_a_dns_look_up_that_never_answers_is_cut_off(server: TestServer, fake_dns: Any) -> None:
    fake_dns.add("slow.test", ["127.0.0.1"])
    fake_dns.delays["slow.test"] = 1.5
    server.route("/x", reply(200))
    urls = [server.url("/x", host="slow.test"), server.url("/x#again", host="slow.test")]
    verdicts, _ = resolve([UrlCheck(u, "page") for u in urls], settings(timeout=0.5, allow_hosts=("slow.test",)))
    assert [v.code for v in verdicts.values()] == ["URL001", "URL001"]
    assert fake_dns.calls["slow.test"] == 1  # once per host and run
    assert server.hits() == 0


def test_no_thread_outlives_a_run(server: TestServer) -> None:
    """The runner forks its worker processes only when it is the only thread."""
    import threading

    before = {t.ident for t in threading.enumerate()}
    urls = [server.route(f"/t/{i}", reply(200)) for i in range(6)]
    url = server.route("/drip", drip(ENDLESS_HEADERS[0], then=ENDLESS_HEADERS[1]))
    resolve([UrlCheck(u, "page") for u in [*urls, url]], settings(timeout=0.5))
    left = [t.name for t in threading.enumerate() if t.ident not in before and t.name.startswith("postlint")]
    assert left == []
