"""Fixtures for the URL-resolution tests, and a loopback-only safety net.

Every test in this directory runs with `socket.getaddrinfo` and
`socket.socket.connect` wrapped: resolving a name other than `localhost` or a
name registered in `fake_dns`, or connecting anywhere but loopback, is refused
and fails the test. So a bug in the guard can never send a packet off this
machine while the suite runs.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest

from .server import TestServer


class FakeDns:
    """Names the tests may resolve, and what they resolve to (one answer per
    call; the last answer repeats): lets a test play DNS rebinding."""

    def __init__(self) -> None:
        self.answers: dict[str, list[list[str]]] = {}
        self.calls: Counter[str] = Counter()
        self.delays: dict[str, float] = {}  # a resolver that takes this long to answer

    def add(self, name: str, *answers: list[str]) -> None:
        self.answers[name.lower()] = list(answers)

    def lookup(self, name: str, port: Any) -> list[tuple[Any, ...]]:
        self.calls[name] += 1
        if name in self.delays:
            time.sleep(self.delays[name])
        answers = self.answers[name]
        addresses = answers[min(self.calls[name] - 1, len(answers) - 1)]
        result = []
        for address in addresses:
            if ":" in address:
                result.append((socket.AF_INET6, socket.SOCK_STREAM, 6, "", (address, port or 0, 0, 0)))
            else:
                result.append((socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port or 0)))
        return result


def _is_ip_literal(host: Any) -> bool:
    try:
        ipaddress.ip_address(str(host).split("%", 1)[0])
    except ValueError:
        return False
    return True


class NetRule:
    def __init__(self) -> None:
        self.violations: list[str] = []
        self.dns = FakeDns()


@pytest.fixture(autouse=True)
def net_rule(monkeypatch: pytest.MonkeyPatch) -> Iterator[NetRule]:
    rule = NetRule()
    dns = rule.dns
    violations = rule.violations
    real_getaddrinfo = socket.getaddrinfo
    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex

    def getaddrinfo(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        name = host.decode() if isinstance(host, bytes) else host
        if name is None or _is_ip_literal(name) or name == "localhost":
            return real_getaddrinfo(host, port, *args, **kwargs)
        if str(name).lower() in dns.answers:
            return dns.lookup(str(name).lower(), port)
        violations.append(f"resolve {name!r}")
        raise socket.gaierror(socket.EAI_NONAME, f"test network rule: no DNS for {name!r}")

    def check(sock: socket.socket, address: Any) -> None:
        if sock.family in (socket.AF_INET, socket.AF_INET6):
            host = str(address[0]).split("%", 1)[0]
            if not (_is_ip_literal(host) and ipaddress.ip_address(host).is_loopback):
                violations.append(f"connect {address!r}")
                raise ConnectionRefusedError(f"test network rule: no connection to {address!r}")

    def connect(self: socket.socket, address: Any) -> Any:
        check(self, address)
        return real_connect(self, address)

    def connect_ex(self: socket.socket, address: Any) -> Any:
        check(self, address)
        return real_connect_ex(self, address)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
    yield rule
    assert not violations, f"test tried to leave loopback: {violations}"


@pytest.fixture
def fake_dns(net_rule: NetRule) -> FakeDns:
    return net_rule.dns


@pytest.fixture
def server() -> Iterator[TestServer]:
    with TestServer("127.0.0.1", lifetime=30.0) as s:
        yield s


@pytest.fixture
def server6() -> Iterator[TestServer]:
    try:
        s = TestServer("::1", lifetime=30.0)
    except OSError:
        pytest.skip("no IPv6 loopback")
    with s:
        yield s
