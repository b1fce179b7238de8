"""requests' and urllib3's internals (urllib3 is requests' transport), all in one place.

``postlint.net.transport`` connects only to the address the guard vetted and
keeps every socket under a wall-clock limit.  requests documents
``HTTPAdapter.get_connection_with_tls_context`` and
``build_connection_pool_key_attributes`` (2.32.3) for subclassing, and
urllib3 its pool manager's ``connection_from_host``; what is not documented,
and used here:

* a pool's ``ConnectionCls``, set on the pool instance, is the class its new
  connections are made of;
* urllib3's ``HTTPConnection._new_conn()`` makes the TCP socket (before TLS),
  ``connect()`` leaves the (TLS) socket in ``.sock``, ``getresponse()`` reads
  the response through http.client's ``response_class``;
* the pool key attributes' ``host``/``scheme`` and the pool keyword arguments
  ``server_hostname`` and ``assert_hostname`` (SNI and the certificate's name).

tests/adapters/test_requests.py checks each against the installed versions,
on a loopback server.
"""

from __future__ import annotations

import http.client
import socket
from collections.abc import Callable, Mapping
from typing import Any, ClassVar, cast

import requests
import urllib3.connection
import urllib3.response
from requests.adapters import HTTPAdapter

# The attribute of a PreparedRequest that carries the vetted address.
PIN_ATTRIBUTE = "postlint_pin"

SocketHook = Callable[[socket.socket | None], None]


def hooked_connections(
    on_socket: SocketHook, response_class: type[http.client.HTTPResponse]
) -> tuple[type[urllib3.connection.HTTPConnection], type[urllib3.connection.HTTPSConnection]]:
    """urllib3's HTTP and HTTPS connection classes, calling ``on_socket`` with
    the socket as soon as the TCP connection exists, again once it is
    connected (TLS wraps it), and before reading each response; responses are
    read by ``response_class``."""

    class Hooked(urllib3.connection.HTTPConnection):
        # Mixed in before HTTPSConnection too (which derives from
        # HTTPConnection): super() is then the TLS connection's method.
        def _new_conn(self) -> socket.socket:
            sock = super()._new_conn()
            on_socket(sock)
            return sock

        def connect(self) -> None:
            super().connect()
            on_socket(self.sock)

        # urllib3's own getresponse returns its HTTPResponse, not http.client's
        # (urllib3 marks that override type: ignore[override] itself).
        def getresponse(self) -> urllib3.response.HTTPResponse:  # type: ignore[override]  # narrower than http.client, as urllib3 does
            on_socket(self.sock)
            return super().getresponse()

    class Plain(Hooked):
        pass

    class Secure(Hooked, urllib3.connection.HTTPSConnection):
        pass

    Plain.response_class = Secure.response_class = response_class
    return Plain, Secure


class UnpinnedRequestError(requests.exceptions.ConnectionError):
    """A request reached the transport without a vetted address."""


class PinnedAdapter(HTTPAdapter):
    """An HTTPAdapter whose connections go to the request's ``PIN_ATTRIBUTE``,
    made of the classes ``http_connection`` and ``https_connection``; the URL
    keeps its name for the Host header, SNI and the certificate check.  A
    request without a pin is refused before any connection is made."""

    http_connection: ClassVar[type[urllib3.connection.HTTPConnection]] = urllib3.connection.HTTPConnection
    https_connection: ClassVar[type[urllib3.connection.HTTPSConnection]] = urllib3.connection.HTTPSConnection

    def get_connection_with_tls_context(
        self,
        request: requests.PreparedRequest,
        verify: bool | str | None,
        proxies: Mapping[str, str] | None = None,
        cert: tuple[str, str] | str | None = None,
    ) -> Any:
        pin: str | None = getattr(request, PIN_ATTRIBUTE, None)
        if not pin:
            raise UnpinnedRequestError("request without a vetted address", request=request)
        # types-requests types verify here without None, in the method it is
        # passed from with it; requests passes it on as it is.
        host_params, pool_kwargs = self.build_connection_pool_key_attributes(request, cast("bool | str", verify), cert)
        hostname = host_params["host"]
        host_params["host"] = pin
        settings: dict[str, Any] = dict(pool_kwargs)
        if host_params["scheme"] == "https":
            # SNI and certificate verification against the name in the URL.
            settings["server_hostname"] = hostname
            settings["assert_hostname"] = hostname
        # Proxies are never used: a proxy would resolve the name itself.
        pool = self.poolmanager.connection_from_host(**host_params, pool_kwargs=settings)
        pool.ConnectionCls = self.https_connection if host_params["scheme"] == "https" else self.http_connection
        return pool

    def get_connection(self, url: str | bytes, proxies: Mapping[str, str] | None = None) -> Any:
        # Older requests call this instead; it carries no pin, so refuse.
        raise UnpinnedRequestError("postlint needs requests >= 2.32.3 to pin connections")
