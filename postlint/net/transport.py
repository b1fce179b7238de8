"""requests sessions that connect only to addresses the guard vetted.

The URL keeps its host name: the Host header, TLS SNI and certificate checking
all use the name, while the TCP connection goes to the vetted address carried
by the request (`PreparedRequest.postlint_pin`). The name is never resolved
again, so a DNS answer that changes between the guard's look-up and the
connection (DNS rebinding) cannot redirect the request. A request without a pin
is refused before any connection is made: the transport fails closed.

Needs requests >= 2.32.2 (`HTTPAdapter.get_connection_with_tls_context`).
"""

from __future__ import annotations

from typing import Any, Optional
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter

PIN_ATTRIBUTE = "postlint_pin"


class UnpinnedRequestError(requests.exceptions.ConnectionError):
    """A request reached the transport without a vetted address."""


class PinnedAdapter(HTTPAdapter):
    """An HTTPAdapter whose connections go to `request.postlint_pin`."""

    def get_connection_with_tls_context(
        self,
        request: requests.PreparedRequest,
        verify: Any,
        proxies: Optional[dict[str, str]] = None,
        cert: Any = None,
    ) -> Any:
        pin: Optional[str] = getattr(request, PIN_ATTRIBUTE, None)
        if not pin:
            raise UnpinnedRequestError("request without a vetted address", request=request)
        host_params, pool_kwargs = self.build_connection_pool_key_attributes(
            request, verify, cert
        )
        hostname = host_params["host"]
        host_params["host"] = pin
        if host_params["scheme"] == "https":
            # SNI and certificate verification against the name in the URL.
            pool_kwargs["server_hostname"] = hostname
            pool_kwargs["assert_hostname"] = hostname
        # Proxies are never used: a proxy would resolve the name itself.
        return self.poolmanager.connection_from_host(**host_params, pool_kwargs=pool_kwargs)

    def get_connection(self, url: str, proxies: Optional[dict[str, str]] = None) -> Any:
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
) -> requests.Response:
    """Send one request to `url`, connecting to `pin`; no redirects followed;
    the body is left unread (stream=True)."""
    prepared = session.prepare_request(requests.Request(method, url))
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
