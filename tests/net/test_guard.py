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


@pytest.mark.parametrize(
    "spelling", ["1.2.3.4.5", "256.0.0.1", "0x100000000", "4294967296", "1.2.0x10000", "09.1.1.1", "foo.0x1"]
)
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


# -- the IANA special-purpose address registries (issue 12) -------------------------
# Every block of the IPv4 and IPv6 Special-Purpose Address Registries, with its
# "Globally Reachable" column (None: N/A, judged by the IPv4 address inside).
IANA_SPECIAL_PURPOSE: list[tuple[str, bool | None]] = [
    ("0.0.0.0/8", False), ("0.0.0.0/32", False), ("10.0.0.0/8", False), ("100.64.0.0/10", False),
    ("127.0.0.0/8", False), ("169.254.0.0/16", False), ("172.16.0.0/12", False),
    ("192.0.0.0/24", False), ("192.0.0.0/29", False), ("192.0.0.8/32", False),
    ("192.0.0.9/32", True), ("192.0.0.10/32", True), ("192.0.0.170/32", False), ("192.0.0.171/32", False),
    ("192.0.2.0/24", False), ("192.31.196.0/24", True), ("192.52.193.0/24", True),
    ("192.88.99.0/24", None), ("192.168.0.0/16", False), ("192.175.48.0/24", True),
    ("198.18.0.0/15", False), ("198.51.100.0/24", False), ("203.0.113.0/24", False),
    ("240.0.0.0/4", False), ("255.255.255.255/32", False),
    ("::1/128", False), ("::/128", False), ("::ffff:0:0/96", False), ("64:ff9b::/96", True),
    ("64:ff9b:1::/48", False), ("100::/64", False), ("100:0:0:1::/64", False), ("2001::/23", False),
    ("2001::/32", None), ("2001:1::1/128", True), ("2001:1::2/128", True), ("2001:1::3/128", True),
    ("2001:2::/48", False), ("2001:3::/32", True), ("2001:4:112::/48", True), ("2001:10::/28", False),
    ("2001:20::/28", True), ("2001:30::/28", True), ("2001:db8::/32", False), ("2002::/16", None),
    ("2620:4f:8000::/48", True), ("3fff::/20", False), ("5f00::/16", False), ("fc00::/7", False),
    ("fe80::/10", False),
]
# Refused although marked globally reachable: anycast service addresses and
# identifiers, never a web server (documented in postlint/net/guard.py).
STRICTER = ["192.0.0.0/24", "192.88.99.0/24", "2001::/23"]


def _samples(block: str) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
    net = ipaddress.ip_network(block)
    return [net[0], net[net.num_addresses // 2], net[-1]]


def _inside(ip: ipaddress.IPv4Address | ipaddress.IPv6Address, blocks: list[str]) -> bool:
    return any(ip.version == ipaddress.ip_network(b).version and ip in ipaddress.ip_network(b) for b in blocks)


@pytest.mark.parametrize(("block", "reachable"), IANA_SPECIAL_PURPOSE)
def test_every_special_purpose_block_follows_the_registry(block: str, reachable: bool | None) -> None:
    for ip in _samples(block):
        category = classify(str(ip))
        embedded = ip.ipv4_mapped if isinstance(ip, ipaddress.IPv6Address) else None
        if embedded is None and block == "64:ff9b::/96":  # NAT64: the IPv4 address it reaches
            embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if embedded is not None:  # ::ffff:a.b.c.d is how a socket writes a.b.c.d itself
            assert category == classify(str(embedded)), ip
        elif reachable is False or _inside(ip, STRICTER):
            assert category != "public", ip
        elif reachable is True:
            assert category == "public", ip


@pytest.mark.parametrize(
    "address",
    ["2001:2::1", "2001:2:0:ffff::1", "2001:5::1", "100:0:0:1::1", "64:ff9b:1::a00:1", "100.64.0.1",
     "100.127.255.254", "192.0.0.1", "198.18.0.1", "198.19.255.255", "240.0.0.1", "250.1.2.3",
     "64:ff9b::a00:1", "64:ff9b::c0a8:101", "64:ff9b::a9fe:a9fe",  # NAT64 of 10/8, 192.168/16, metadata
     "2002:c0a8:101::1", "2002:a9fe:a9fe::",  # 6to4 of 192.168.1.1, 169.254.169.254
     "2001:0:4136:e378:8000:63bf:f5ff:fffe",  # Teredo, client 10.0.0.1 (obfuscated)
     "2001:0:a00:1::1",  # Teredo, server 10.0.0.1
     "::a00:1", "::ffff:0:a00:1"],  # IPv4-compatible, IPv4-translated
)
def test_non_public_addresses_the_issue_names_are_refused(address: str) -> None:
    assert classify(address) != "public"
    assert check_host(f"[{address}]" if ":" in address else address, STRICT) is not None


@pytest.mark.parametrize(("block", "reachable"), IANA_SPECIAL_PURPOSE)
def test_never_laxer_than_pythons_is_global(block: str, reachable: bool | None) -> None:
    """Whatever this Python's ipaddress calls not global is refused (its tables
    changed between releases; 3.11 calls 2001:2::/48 global, for one)."""
    for ip in _samples(block):
        if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
            continue  # judged by the IPv4 address, as Python 3.13 does
        if not ip.is_global:
            assert classify(str(ip)) != "public", ip


# -- allow-hosts: ports, and entries that can never match ---------------------------

from postlint.net.guard import AllowEntry, parse_allow_entry  # noqa: E402


@pytest.mark.parametrize(
    ("entry", "parsed"),
    [
        ("localhost", AllowEntry("localhost", None, None)),
        ("LocalHost.:4000", AllowEntry("localhost", None, 4000)),
        ("ⓛⓞⓒⓐⓛⓗⓞⓢⓣ:4000", AllowEntry("localhost", None, 4000)),
        ("bücher.example", AllowEntry("xn--bcher-kva.example", None, None)),
        ("127.0.0.1:8080", AllowEntry(None, ipaddress.ip_network("127.0.0.1/32"), 8080)),
        ("0x7f.1", AllowEntry(None, ipaddress.ip_network("127.0.0.1/32"), None)),
        ("10.0.0.0/8:443", AllowEntry(None, ipaddress.ip_network("10.0.0.0/8"), 443)),
        ("::1", AllowEntry(None, ipaddress.ip_network("::1/128"), None)),
        ("[::1]:8080", AllowEntry(None, ipaddress.ip_network("::1/128"), 8080)),
        ("[fd00::/8]", AllowEntry(None, ipaddress.ip_network("fd00::/8"), None)),
        ("１２７.０.０.１", AllowEntry(None, ipaddress.ip_network("127.0.0.1/32"), None)),
    ],
)
def test_allow_entries_parse(entry: str, parsed: AllowEntry) -> None:
    assert parse_allow_entry(entry) == parsed


@pytest.mark.parametrize(
    "entry",
    ["localhost:0", "localhost:65536", "localhost:http", "localhost:", "http://localhost:4000",
     "localhost/x", "user@localhost", "[::1", "[::1]8080", "[localhost]", "256.1.1.1", "1.2.3.4.5",
     "10.0.0.0/33", "*.example.com", "exa mple.com", "a..b", "fe80::1:8080:x", " "],
)
def test_allow_entries_that_can_never_match_are_errors(entry: str) -> None:
    with pytest.raises(ValueError):
        parse_allow_entry(entry)


def test_a_port_entry_allows_that_port_only() -> None:
    entries = ("localhost:4000", "127.0.0.1:8080", "[::1]:8443", "10.0.0.0/8:443")
    assert is_allowed_host("localhost", entries, 4000)
    assert not is_allowed_host("localhost", entries, 4001)
    assert not is_allowed_host("localhost", entries, None)
    assert is_allowed_host("0x7f.1", entries, 8080)
    assert not is_allowed_host("127.0.0.1", entries, 80)
    assert is_allowed_host("[::1]", entries, 8443)
    assert not is_allowed_host("[::1]", entries, 8080)
    assert is_allowed_host("10.9.8.7", entries, 443)
    assert not is_allowed_host("10.9.8.7", entries, 80)
    # the port-less form still allows every port
    assert is_allowed_host("localhost", ("localhost",), 1234)
    assert check_host("localhost", NetSettings(allow_hosts=("localhost:4000",)), 4000) is None
    assert check_host("localhost", NetSettings(allow_hosts=("localhost:4000",)), 4001) is not None


def test_look_alike_hosts_match_as_the_name_they_stand_for() -> None:
    assert is_allowed_host("ⓛⓞⓒⓐⓛⓗⓞⓢⓣ", ("localhost",), 80)
    assert is_allowed_host("localhost", ("ＬＯＣＡＬＨＯＳＴ",), 80)
    assert is_allowed_host("１２７.０.０.１", ("127.0.0.1",), 80)
    assert check_host("ⓛⓞⓒⓐⓛⓗⓞⓢⓣ", STRICT) is not None  # still loopback, never looked up
