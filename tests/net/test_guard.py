"""The address guard, on address literals: no test here opens a connection or
asks DNS (the conftest safety net would fail it)."""

from __future__ import annotations

import ipaddress
import socket

import pytest
from hypothesis import given
from hypothesis import strategies as st

from postlint.net import NetSettings
from postlint.net.guard import (
    GuardError,
    ResolutionError,
    check_host,
    classify,
    is_allowed_host,
    parse_ip,
    parse_ipv4_spelling,
    vet,
)

STRICT = NetSettings(cache_dir=None)


@pytest.mark.parametrize(
    ("address", "category"),
    [
        ("127.0.0.1", "loopback"),
        ("127.255.0.9", "loopback"),
        ("10.0.0.1", "private"),
        ("172.16.5.4", "private"),
        ("192.168.1.1", "private"),
        ("100.64.0.1", "private"),
        ("169.254.169.254", "link-local"),
        ("[::1]", "loopback"),
        ("::1", "loopback"),
        ("0.0.0.0", "unspecified"),
        ("::", "unspecified"),
        ("0.1.2.3", "reserved"),
        ("::ffff:10.0.0.1", "private"),
        ("::ffff:127.0.0.1", "loopback"),
        ("[::ffff:7f00:1]", "loopback"),
        ("::ffff:93.184.215.14", "public"),
        ("2130706433", "loopback"),
        ("0177.0.0.1", "loopback"),
        ("0x7f000001", "loopback"),
        ("0x7f.0.0.1", "loopback"),
        ("0x7f.1", "loopback"),
        ("127.1", "loopback"),
        ("127.0.0.1.", "loopback"),
        ("012.0.0.1", "private"),  # octal 012 = 10
        ("167772161", "private"),  # 10.0.0.1
        ("2852039166", "link-local"),  # 169.254.169.254
        ("fe80::1", "link-local"),
        ("fe80::1%eth0", "link-local"),
        ("fd00::1", "private"),
        ("fec0::1", "private"),
        ("ff02::1", "multicast"),
        ("224.0.0.1", "multicast"),
        ("255.255.255.255", "reserved"),
        ("192.0.2.1", "reserved"),
        ("2001:db8::1", "reserved"),
        ("2002:7f00:1::", "loopback"),  # 6to4 wrapping 127.0.0.1
        ("2002:a00:1::", "private"),  # 6to4 wrapping 10.0.0.1
        ("64:ff9b::7f00:1", "loopback"),  # NAT64 wrapping 127.0.0.1
        ("64:ff9b::5db8:d70e", "public"),  # NAT64 wrapping 93.184.215.14
        ("93.184.215.14", "public"),
        ("8.8.8.8", "public"),
        ("1.1.1.1", "public"),
        ("2606:4700:4700::1111", "public"),
        ("2001:4860:4860::8888", "public"),
    ],
)
def test_classify(address: str, category: str) -> None:
    assert classify(address) == category


def test_classify_never_touches_the_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def forbidden(*args: object, **kwargs: object) -> None:
        raise AssertionError("classify must not resolve or connect")

    monkeypatch.setattr(socket, "getaddrinfo", forbidden)
    monkeypatch.setattr(socket, "gethostbyname", forbidden)
    monkeypatch.setattr(socket.socket, "connect", forbidden)
    assert classify("93.184.215.14") == "public"
    assert classify("2130706433") == "loopback"


@pytest.mark.parametrize("name", ["example.com", "localhost", "", "1.2.3.foo"])
def test_classify_rejects_names(name: str) -> None:
    with pytest.raises(GuardError):
        classify(name)


@pytest.mark.parametrize("spelling", ["1.2.3.4.5", "256.0.0.1", "0x100000000", "4294967296", "1.2.0x10000", "09.1.1.1", "foo.0x1"])
def test_invalid_ipv4_spellings_are_errors(spelling: str) -> None:
    with pytest.raises(GuardError):
        parse_ip(spelling)


@pytest.mark.parametrize("name", ["example.com", "0x7f.example", "127.0.0.1.example", "xn--bcher-kva.example"])
def test_names_are_not_addresses(name: str) -> None:
    assert parse_ip(name) is None


def _spell(value: int, parts: int, bases: list[int]) -> str:
    octets = value.to_bytes(4, "big")
    numbers = list(octets[: parts - 1]) + [int.from_bytes(octets[parts - 1 :], "big")]
    out = []
    for number, base in zip(numbers, bases):
        out.append({10: str(number), 8: "0" + format(number, "o"), 16: hex(number)}[base])
    return ".".join(out)


@given(
    value=st.integers(0, 2**32 - 1),
    parts=st.integers(1, 4),
    bases=st.lists(st.sampled_from([8, 10, 16]), min_size=4, max_size=4),
)
def test_ipv4_spellings_agree_with_inet_aton(value: int, parts: int, bases: list[int]) -> None:
    spelling = _spell(value, parts, bases)
    parsed = parse_ipv4_spelling(spelling)
    assert parsed == ipaddress.IPv4Address(value)
    assert parsed.packed == socket.inet_aton(spelling)  # local computation, no I/O


@pytest.mark.parametrize(
    "host",
    ["127.0.0.1", "10.0.0.1", "169.254.169.254", "[::1]", "0.0.0.0", "::ffff:10.0.0.1",
     "2130706433", "0177.0.0.1", "0x7f000001", "127.1", "localhost", "LOCALHOST.", "db.localhost"],
)
def test_check_host_refuses_non_public_literals(host: str) -> None:
    reason = check_host(host, STRICT)
    assert reason is not None
    assert "address" in reason


def test_check_host_accepts_public_literal_without_resolving(net_rule: object) -> None:
    assert check_host("93.184.215.14", STRICT) is None
    assert check_host("[2606:4700:4700::1111]", STRICT) is None


def test_allow_private_and_allow_hosts() -> None:
    assert check_host("127.0.0.1", NetSettings(allow_private=True)) is None
    assert check_host("127.0.0.1", NetSettings(allow_hosts=("127.0.0.1",))) is None
    assert check_host("10.1.2.3", NetSettings(allow_hosts=("10.0.0.0/8",))) is None
    assert check_host("0x7f.1", NetSettings(allow_hosts=("127.0.0.1",))) is None
    assert check_host("localhost", NetSettings(allow_hosts=("Localhost",))) is None
    # an address entry does not allow a name that resolves to it
    assert check_host("localhost", NetSettings(allow_hosts=("127.0.0.1",))) is not None
    assert check_host("[::1]", NetSettings(allow_hosts=("127.0.0.1",))) is not None
    assert is_allowed_host("[::1]", ("::1",))


def test_any_private_answer_refuses(fake_dns) -> None:  # type: ignore[no-untyped-def]
    fake_dns.add("mixed.test", ["93.184.215.14", "10.0.0.7"])
    fake_dns.add("public.test", ["93.184.215.14", "2606:4700:4700::1111"])
    fake_dns.add("mapped.test", ["::ffff:169.254.169.254"])
    assert "10.0.0.7" in (check_host("mixed.test", STRICT) or "")
    assert check_host("public.test", STRICT) is None
    assert "link-local" in (check_host("mapped.test", STRICT) or "")
    assert vet("public.test", STRICT).addresses == ("93.184.215.14", "2606:4700:4700::1111")


def test_dns_failure_is_reported_not_refused(fake_dns) -> None:  # type: ignore[no-untyped-def]
    fake_dns.add("gone.test", [])
    with pytest.raises(ResolutionError):
        check_host("gone.test", STRICT)
