"""End to end: postlint.net.resolve against a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import itertools
import time
from typing import Any

import pytest

from postlint.net import UrlCheck, Verdict, resolve

from .server import (
    TestServer,
    by_method,
    endless,
    hang,
    image,
    redirect,
    reply,
    reset,
    sequence,
    settings,
)


def one(url: str, kind: str = "page", **overrides: Any) -> Verdict:
    verdicts, _ = resolve([UrlCheck(url, kind)], settings(**overrides))  # type: ignore[arg-type]
    return verdicts[UrlCheck(url, kind)]  # type: ignore[arg-type]


def test_page_ok(server: TestServer) -> None:
    url = server.route("/post", reply(200))
    assert one(url) == Verdict(None, "200 OK", None)
    assert server.hits("/post", "HEAD") == 1
    assert server.hits() == 1


def test_user_agent_and_host_header(server: TestServer) -> None:
    seen: list[str] = []

    def record(h: Any) -> None:
        seen.append(h.headers.get("User-Agent", ""))
        reply(200)(h)

    url = server.route("/ua", record)
    assert one(url).code is None
    assert seen and seen[0].startswith("postlint/")
    assert server.host_headers == [server.authority]


def test_image_ok(server: TestServer) -> None:
    url = server.route("/cat.png", image())
    assert one(url, "image").code is None


def test_image_field_serving_html(server: TestServer) -> None:
    url = server.route("/not-an-image", reply(200))
    verdict = one(url, "image")
    assert verdict.code == "URL003"
    assert "text/html" in verdict.message


@pytest.mark.parametrize(("status", "phrase"), [(404, "404 Not Found"), (410, "410 Gone")])
def test_broken(server: TestServer, status: int, phrase: str) -> None:
    url = server.route("/gone", reply(status))
    verdict = one(url, retries=2)
    assert verdict.code == "URL001"
    assert verdict.message == phrase
    assert server.hits("/gone") == 1  # 4xx is not retried


def test_500_then_200_is_retried(server: TestServer) -> None:
    url = server.route("/flaky", sequence(reply(500), reply(200)))
    assert one(url, retries=2).code is None
    assert server.hits("/flaky") == 2


def test_500_until_retries_run_out(server: TestServer) -> None:
    url = server.route("/down", reply(500))
    verdict = one(url, retries=2)
    assert verdict == Verdict("URL001", "500 Internal Server Error", None)
    assert server.hits("/down") == 3


def test_429_retry_after_is_honoured(server: TestServer) -> None:
    url = server.route("/busy", sequence(reply(429, b"", {"Retry-After": "1"}), reply(200)))
    started = time.monotonic()
    verdict = one(url, retries=2, retry_after_cap=0.3)  # capped: the test stays fast
    elapsed = time.monotonic() - started
    assert verdict.code is None
    assert server.hits("/busy") == 2
    assert elapsed >= 0.25  # it waited (Retry-After, capped at 0.3 s) before retrying


def test_429_slows_the_host_down_for_the_run(server: TestServer) -> None:
    server.route("/limit", sequence(reply(429, b"", {"Retry-After": "0"}), reply(200)))
    for i in range(8):
        server.route(f"/after/{i}", reply(200, delay=0.05))
    checks = [UrlCheck(server.url("/limit"), "page")] + [
        UrlCheck(server.url(f"/after/{i}"), "page") for i in range(8)
    ]
    # /limit goes first (one host: first come, first served) alongside three others.
    verdicts, _ = resolve(checks, settings(per_host=4, retries=1, backoff_base=0.02))
    assert all(v.code is None for v in verdicts.values())
    # The retry of /limit is the first request sent once the client knew:
    # requests already on their way when the 429 came back do not count.
    retried_at = [start for _, path, start, _ in server.log if path == "/limit"][1]
    later = sorted((start, end) for _, _, start, end in server.log if start >= retried_at)
    assert len(later) >= 2, "some requests must start after the 429"
    for (start, end), (next_start, _) in itertools.pairwise(later):
        assert next_start >= end  # one at a time
        assert next_start - start >= 0.02 - 0.005  # and spaced out


def test_head_refused_falls_back_to_get(server: TestServer) -> None:
    url = server.route("/no-head", by_method(GET=reply(200)))
    assert one(url).code is None
    assert server.hits("/no-head", "HEAD") == 1
    assert server.hits("/no-head", "GET") == 1


def test_host_that_refuses_head_gets_get_for_the_rest_of_the_run(server: TestServer) -> None:
    for i in range(5):
        server.route(f"/g/{i}", by_method(GET=reply(200)))
    checks = [UrlCheck(server.url(f"/g/{i}"), "page") for i in range(5)]
    verdicts, _ = resolve(checks, settings(per_host=1, concurrency=1))
    assert all(v.code is None for v in verdicts.values())
    assert server.hits(method="HEAD") == 1
    assert server.hits(method="GET") == 5


def test_permanent_redirect_chain(server: TestServer) -> None:
    server.route("/final", reply(200))
    server.route("/b", redirect(308, "/final"))
    url = server.route("/a", redirect(301, server.url("/b")))
    verdict = one(url)
    assert verdict.code == "URL002"
    assert verdict.final_url == server.url("/final")


def test_temporary_redirect_is_fine(server: TestServer) -> None:
    server.route("/final", reply(200))
    server.route("/t2", redirect(307, "/final"))
    server.route("/t1", redirect(303, "/t2"))
    url = server.route("/t0", redirect(302, "/t1"))
    assert one(url).code is None


def test_permanent_then_temporary_suggests_the_permanent_target(server: TestServer) -> None:
    server.route("/login", reply(200))
    server.route("/new", redirect(302, "/login"))
    url = server.route("/old", redirect(301, "/new"))
    verdict = one(url)
    assert verdict.code == "URL002"
    assert verdict.final_url == server.url("/new")


def test_redirect_keeps_fragment(server: TestServer) -> None:
    server.route("/new", reply(200))
    server.route("/old", redirect(301, "/new"))
    verdict = one(server.url("/old") + "#section")
    assert verdict.final_url == server.url("/new") + "#section"


def test_redirect_to_broken_page(server: TestServer) -> None:
    url = server.route("/moved", redirect(301, "/missing"))
    verdict = one(url)
    assert verdict.code == "URL001"
    assert verdict.message.startswith("404")


def test_redirect_loop(server: TestServer) -> None:
    server.route("/ping", redirect(302, "/pong"))
    url = server.route("/pong", redirect(302, "/ping"))
    verdict = one(url)
    assert verdict.code == "URL001"
    assert "redirect loop" in verdict.message
    assert server.hits() == 2


def test_redirect_to_a_malformed_location(server: TestServer) -> None:
    url = server.route("/bad", redirect(301, "http://[::1"))
    verdict = one(url)
    assert verdict.code == "URL001"
    assert "internal error" not in verdict.message
    assert server.hits() == 1


def test_too_many_redirects(server: TestServer) -> None:
    for i in range(20):
        server.route(f"/hop/{i}", redirect(302, f"/hop/{i + 1}"))
    verdict = one(server.url("/hop/0"))
    assert verdict.code == "URL001"
    assert "too many redirects" in verdict.message
    assert server.hits() == 11  # the first request and 10 redirects followed


def test_no_allow_hosts_means_refused_and_no_request(server: TestServer) -> None:
    url = server.route("/secret", reply(200))
    verdict = one(url, allow_hosts=())
    assert verdict.code == "URL005"
    assert server.hits() == 0


@pytest.mark.parametrize("spelling", ["localhost", "2130706433", "0x7f.1", "127.1", "[::ffff:127.0.0.1]"])
def test_disguised_loopback_is_refused(server: TestServer, spelling: str) -> None:
    server.route("/secret", reply(200))
    verdict = one(server.url("/secret", host=spelling), allow_hosts=("example.org",))
    assert verdict.code == "URL005"
    assert server.hits() == 0


@pytest.mark.parametrize("target_host", ["localhost", "[::1]"])
def test_redirect_to_a_refused_host(server: TestServer, target_host: str) -> None:
    server.route("/target", reply(200))
    url = server.route("/jump", redirect(302, server.url("/target", host=target_host)))
    verdict = one(url)  # allow_hosts=("127.0.0.1",) only
    assert verdict.code == "URL005"
    assert target_host.strip("[]") in verdict.message
    assert server.hits("/jump") == 1
    assert server.hits("/target") == 0


def test_redirect_to_ipv6_loopback_server_counts_nothing(server: TestServer, server6: TestServer) -> None:
    server6.route("/target", reply(200))
    url = server.route("/jump", redirect(301, server6.url("/target")))
    assert one(url).code == "URL005"
    assert server6.hits() == 0
    # control: once allowed, the same redirect is followed to the IPv6 server
    assert one(url, allow_hosts=("127.0.0.1", "::1")).code == "URL002"
    assert server6.hits("/target") == 1


def test_redirect_to_localhost_once_allowed(server: TestServer) -> None:
    server.route("/target", reply(200))
    url = server.route("/jump", redirect(302, server.url("/target", host="localhost")))
    assert one(url, allow_hosts=("127.0.0.1", "localhost")).code is None
    assert server.hits("/target") == 1
    assert server.host_headers[-1] == f"localhost:{server.port}"


def test_connection_reset(server: TestServer) -> None:
    url = server.route("/rst", reset())
    verdict = one(url, retries=1)
    assert verdict.code == "URL001"
    assert "reset" in verdict.message or "closed" in verdict.message
    assert server.hits("/rst") == 2  # retried once


def test_connection_refused() -> None:
    with TestServer() as gone:
        url = gone.url("/x")
    verdict = one(url)
    assert verdict == Verdict("URL001", "connection refused", None)


def test_timeout(server: TestServer) -> None:
    url = server.route("/silent", hang(limit=3.0))
    verdict = one(url, timeout=0.3)
    assert verdict.code == "URL001"
    assert "timeout" in verdict.message


def test_endless_body_is_not_downloaded(server: TestServer) -> None:
    url = server.route("/stream", by_method(GET=endless()))
    verdict = one(url)
    assert verdict.code is None
    # Whatever the kernel buffered before we closed; nowhere near the 256 MiB on offer.
    assert server.bytes_sent("/stream") < 16 * 1024 * 1024


def test_each_distinct_url_is_fetched_once(server: TestServer) -> None:
    for i in range(100):
        server.route(f"/img/{i}", image())
    checks = [
        UrlCheck(server.url(f"/img/{i % 100}"), "page" if (i // 100) % 2 else "image")
        for i in range(1000)
    ]
    verdicts, summary = resolve(checks, settings())
    assert len(verdicts) == 200  # 100 URLs x 2 kinds
    assert all(v.code is None for v in verdicts.values())
    assert server.hits() == 100
    assert summary.requests == 100
    assert summary.checked == 200 and summary.failed == 0


def test_per_host_limit_is_never_exceeded(server: TestServer) -> None:
    for i in range(40):
        server.route(f"/slow/{i}", reply(200, delay=0.05))
    checks = [UrlCheck(server.url(f"/slow/{i}"), "page") for i in range(40)]
    verdicts, _ = resolve(checks, settings(concurrency=16, per_host=3))
    assert all(v.code is None for v in verdicts.values())
    assert server.max_active == 3  # reached, never exceeded


def test_global_concurrency_is_used(server: TestServer) -> None:
    for i in range(32):
        server.route(f"/par/{i}", reply(200, delay=0.2))
    checks = [UrlCheck(server.url(f"/par/{i}"), "page") for i in range(32)]
    resolve(checks, settings(concurrency=16, per_host=16))
    assert server.max_active == 16  # 16 requests in flight at once: the pool is used


@pytest.mark.parametrize(
    "value",
    ["/relative/path", "//example.org/x", "mailto:someone@example.org", "ftp://example.org/f",
     "javascript:alert(1)", "http://", "http://exa mple.org/", "", "example.org/page",
     "http://example.org:99999/", "http://[::1/", "http://a..b/", "http://1.2.3.4.5/",
     "http://exa%20mple.org/", "https://" + "a" * 64 + ".org/"],
)
def test_not_an_absolute_http_url(value: str) -> None:
    verdict = one(value)
    assert verdict.code == "URL004"


def test_accepted_codes_are_configurable(server: TestServer) -> None:
    url = server.route("/teapot", reply(418))
    assert one(url).code == "URL001"
    assert one(url, accept=frozenset({200, 418})).code is None


def test_summary_line(server: TestServer) -> None:
    ok = server.route("/ok", reply(200))
    bad = server.route("/bad", reply(404))
    _, summary = resolve([UrlCheck(ok, "page"), UrlCheck(bad, "page"), UrlCheck(ok, "page")], settings())
    assert (summary.checked, summary.from_cache, summary.failed, summary.requests) == (2, 0, 1, 2)
    assert "2 checked" in summary.line()
