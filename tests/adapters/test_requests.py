"""postlint.adapters.requests against the installed requests and urllib3, on
a loopback server: the pool makes its connections of the class set on it,
the connection hooks see the socket, responses are read by response_class,
and the pool key carries the name for SNI and the certificate check."""

from __future__ import annotations

import http.client
import socket
from typing import Any

import pytest
import requests
import urllib3.connection
from requests.adapters import HTTPAdapter

from postlint.adapters import requests as adapter
from tests.adapters.support import require, require_attribute, require_parameters
from tests.net.server import TestServer, reply

LIB = "requests"


def test_the_adapter_methods_postlint_overrides_or_calls() -> None:
    require_parameters(require_attribute(HTTPAdapter, "get_connection_with_tls_context", LIB),
                       ["request", "verify", "proxies", "cert"], LIB)
    require_parameters(require_attribute(HTTPAdapter, "build_connection_pool_key_attributes", LIB),
                       ["request", "verify", "cert"], LIB)
    for name in ("_new_conn", "connect", "getresponse"):
        require_attribute(urllib3.connection.HTTPConnection, name, "urllib3")
    require(issubclass(urllib3.connection.HTTPConnection, http.client.HTTPConnection), "urllib3",
            "urllib3.connection.HTTPConnection (an http.client.HTTPConnection)")


class _Seen(http.client.HTTPResponse):
    made = 0

    def begin(self) -> None:
        type(self).made += 1
        super().begin()


def _pinned(hook: Any) -> type[adapter.PinnedAdapter]:
    plain, secure = adapter.hooked_connections(hook, _Seen)

    class Pinned(adapter.PinnedAdapter):
        http_connection = plain
        https_connection = secure

    return Pinned


def test_a_pinned_request_goes_through_the_hooked_connection() -> None:
    sockets: list[socket.socket | None] = []
    session = requests.Session()
    session.trust_env = False
    session.mount("http://", _pinned(sockets.append)(max_retries=0))
    _Seen.made = 0
    with TestServer() as server:
        url = server.route("/x", reply(200, b"hello"))
        # The URL names a host that does not resolve; the pin says where to go.
        prepared = session.prepare_request(requests.Request("GET", url.replace("127.0.0.1", "pinned.invalid")))
        setattr(prepared, adapter.PIN_ATTRIBUTE, "127.0.0.1")
        response = session.send(prepared, timeout=5, allow_redirects=False)
        body = response.content
        hits = server.hits("/x")
    require(response.status_code == 200 and body == b"hello" and hits == 1, "urllib3",
            "HTTPConnectionPool.ConnectionCls / connection_from_host", f"{response.status_code} {body!r} {hits}")
    real = [s for s in sockets if s is not None]
    require(len(sockets) >= 3 and real and all(isinstance(s, socket.socket) for s in real), "urllib3",
            "HTTPConnection._new_conn / connect / getresponse and .sock", f"the hook saw {sockets!r}")
    require(_Seen.made == 1, "urllib3", "HTTPConnection.response_class (read through http.client)",
            f"{_Seen.made} responses read by it")


def test_an_unpinned_request_is_refused() -> None:
    session = requests.Session()
    session.mount("http://", adapter.PinnedAdapter(max_retries=0))
    with pytest.raises(adapter.UnpinnedRequestError):
        session.get("http://127.0.0.1:9/", timeout=0.5)


def test_https_pool_key_carries_the_name() -> None:
    pinned = _pinned(lambda sock: None)()
    prepared = requests.Request("HEAD", "https://www.example.org/x").prepare()
    setattr(prepared, adapter.PIN_ATTRIBUTE, "127.0.0.1")
    pool = pinned.get_connection_with_tls_context(prepared, True)  # builds a pool; connects nothing
    require((pool.host, pool.port) == ("127.0.0.1", 443), LIB, "build_connection_pool_key_attributes (host, port)")
    require(pool.conn_kw.get("server_hostname") == "www.example.org" and pool.assert_hostname == "www.example.org",
            "urllib3", "the pool keyword arguments server_hostname/assert_hostname")
    require(pool.ConnectionCls is pinned.https_connection, "urllib3", "HTTPSConnectionPool.ConnectionCls")
