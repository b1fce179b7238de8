"""The public surface of postlint.net: types, settings, durations, imports,
progress, and the transport's address pinning."""

from __future__ import annotations

import io
import subprocess
import sys
from typing import Any

import pytest

from postlint import __version__
from postlint.net import NetSettings, UrlCheck, Verdict, parse_duration, resolve
from postlint.net.progress import Progress

from .server import TestServer, reply


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("1d", 86400), ("12h", 43200), ("30m", 1800), ("45s", 45), ("2d12h", 216000),
     ("1h30m", 5400), ("1w", 604800), ("90", 90), ("1.5h", 5400), (" 2D ", 172800), ("0s", 0)],
)
def test_parse_duration(text: str, seconds: float) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["", "d", "1x", "1d 2", "h1", "-1", "1d-2h", "nan", "inf"])
def test_parse_duration_rejects(text: str) -> None:
    with pytest.raises(ValueError):
        parse_duration(text)


def test_defaults() -> None:
    s = NetSettings()
    assert (s.concurrency, s.per_host, s.timeout, s.retries) == (32, 4, 10.0, 2)
    assert s.accept == frozenset(range(200, 300))
    assert s.user_agent == f"postlint/{__version__} (+https://github.com/postlint/postlint)"
    assert s.cache_max_age == 86400 and s.use_cache and not s.allow_private
    assert s.retry_after_cap == 30.0 and s.backoff_base == 0.5


def test_importing_postlint_net_does_not_import_requests() -> None:
    code = "import sys, postlint.net; assert 'requests' not in sys.modules, 'requests imported'"
    subprocess.run([sys.executable, "-c", code], check=True, timeout=30)


def test_invalid_urls_need_no_network_and_no_requests_import() -> None:
    code = (
        "import sys\n"
        "from postlint.net import resolve, UrlCheck, NetSettings\n"
        "v, s = resolve([UrlCheck('mailto:x@example.org', 'page')], NetSettings(cache_dir=None))\n"
        "assert v[UrlCheck('mailto:x@example.org', 'page')].code == 'URL004'\n"
        "assert s.requests == 0\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=30)


def test_empty_input() -> None:
    verdicts, summary = resolve([], NetSettings(cache_dir=None))
    assert verdicts == {} and summary.checked == 0


def test_verdicts_keep_input_order_and_drop_duplicates() -> None:
    checks = [UrlCheck("b:", "page"), UrlCheck("a:", "page"), UrlCheck("b:", "page")]
    verdicts, _ = resolve(checks, NetSettings(cache_dir=None))
    assert list(verdicts) == [UrlCheck("b:", "page"), UrlCheck("a:", "page")]


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_only_on_a_terminal() -> None:
    plain = io.StringIO()
    p = Progress(3, True, plain)
    p.advance(); p.advance(); p.advance(); p.close()  # noqa: E702
    assert plain.getvalue() == ""

    tty = _Tty()
    p = Progress(3, True, tty)
    p.advance(); p.advance(); p.advance(); p.close()  # noqa: E702
    assert "3/3" in tty.getvalue()

    quiet = _Tty()
    p = Progress(3, False, quiet)
    p.advance(); p.close()  # noqa: E702
    assert quiet.getvalue() == ""


def test_progress_setting_writes_nothing_when_stderr_is_not_a_tty(
    server: TestServer, capsys: pytest.CaptureFixture[str]
) -> None:
    url = server.route("/p", reply(200))
    resolve([UrlCheck(url, "page")], NetSettings(cache_dir=None, progress=True, allow_hosts=("127.0.0.1",)))
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == ""


# -- the transport pins connections ------------------------------------------------

def test_https_pool_connects_to_the_pin_and_verifies_the_name() -> None:
    import requests

    from postlint.net.transport import PIN_ATTRIBUTE, PinnedAdapter

    adapter = PinnedAdapter()
    prepared = requests.Request("HEAD", "https://www.example.org/x").prepare()
    setattr(prepared, PIN_ATTRIBUTE, "127.0.0.1")
    pool = adapter.get_connection_with_tls_context(prepared, True)  # builds a pool; connects nothing
    assert pool.host == "127.0.0.1"
    assert pool.port == 443
    assert pool.conn_kw.get("server_hostname") == "www.example.org"
    assert pool.assert_hostname == "www.example.org"
    assert pool.cert_reqs == "CERT_REQUIRED"


def test_unpinned_request_is_refused_before_connecting() -> None:
    from postlint.net.transport import UnpinnedRequestError, make_session

    session = make_session("test")
    with pytest.raises(UnpinnedRequestError):
        session.get("http://127.0.0.1:9/", timeout=0.1)
    assert session.trust_env is False


def test_dns_answer_that_changes_cannot_redirect_the_connection(server: TestServer, fake_dns: Any) -> None:
    # First answer 127.0.0.1 (allowed by name for this test), then a private
    # address: the connection must go to the first, vetted answer, and the
    # name must be resolved once only.
    fake_dns.add("rebind.test", ["127.0.0.1"], ["10.0.0.1"])
    for i in range(3):
        server.route(f"/r/{i}", reply(200))
    checks = [UrlCheck(server.url(f"/r/{i}", host="rebind.test"), "page") for i in range(3)]
    verdicts, _ = resolve(checks, NetSettings(cache_dir=None, allow_hosts=("rebind.test",), per_host=1))
    assert all(v.code is None for v in verdicts.values()), verdicts
    assert fake_dns.calls["rebind.test"] == 1
    assert server.host_headers == [f"rebind.test:{server.port}"] * 3


def test_a_name_resolving_to_loopback_is_refused(server: TestServer, fake_dns: Any) -> None:
    fake_dns.add("evil.test", ["93.184.215.14", "127.0.0.1"])
    server.route("/x", reply(200))
    verdict = resolve([UrlCheck(server.url("/x", host="evil.test"), "page")],
                      NetSettings(cache_dir=None, allow_hosts=("127.0.0.1",)))[0]
    only: Verdict = next(iter(verdict.values()))
    assert only.code == "URL005"
    assert "127.0.0.1" in only.message
    assert server.hits() == 0


def test_dns_failure_is_url001(fake_dns: Any) -> None:
    fake_dns.add("nowhere.test", [])
    verdicts, _ = resolve([UrlCheck("http://nowhere.test/", "page")], NetSettings(cache_dir=None))
    verdict = next(iter(verdicts.values()))
    assert verdict.code == "URL001"
    assert "DNS" in verdict.message


def test_retry_after_values() -> None:
    import email.utils
    import time

    from postlint.net.fetch import retry_after

    assert retry_after("2", 30) == 2
    assert retry_after("3600", 30) == 30  # capped
    assert retry_after("0.25", 30) == 0.25
    assert retry_after("soon", 30) is None
    assert retry_after(None, 30) is None
    assert retry_after("Wed, 21 Oct 2015 07:28:00 GMT", 30) == 0  # in the past
    future = email.utils.formatdate(time.time() + 10, usegmt=True)
    assert 8 <= (retry_after(future, 30) or 0) <= 10
    assert retry_after(email.utils.formatdate(time.time() + 999, usegmt=True), 30) == 30


def test_tls_uses_the_name_for_sni_while_connecting_to_the_pin(
    tmp_path: Any, fake_dns: Any
) -> None:
    import shutil
    import ssl

    if shutil.which("openssl") is None:
        pytest.skip("openssl not available to make a test certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=pinned.test", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True, timeout=30,
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    seen_sni: list[Any] = []
    context.sni_callback = lambda sock, name, ctx: seen_sni.append(name)
    server = TestServer()
    server.httpd.socket = context.wrap_socket(server.httpd.socket, server_side=True)
    with server:
        server.route("/", reply(200))
        fake_dns.add("pinned.test", ["127.0.0.1"])
        url = f"https://pinned.test:{server.port}/"
        verdicts, _ = resolve([UrlCheck(url, "page")], NetSettings(
            cache_dir=None, timeout=2.0, retries=0, allow_hosts=("pinned.test",)))
    verdict = verdicts[UrlCheck(url, "page")]
    # The self-signed certificate is (rightly) not trusted, but the handshake
    # reached the pinned loopback address and named the host in SNI.
    assert verdict.code == "URL001"
    assert verdict.message.startswith("TLS error")
    assert "certificate verify failed" in verdict.message
    assert seen_sni == ["pinned.test"]
