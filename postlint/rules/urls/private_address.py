"""A URL leads to a private, loopback or link-local address: not requested.

## What it does
Before any request, postlint resolves the host and refuses it when any of its
addresses is private (`10.0.0.0/8`, `192.168.0.0/16`, ...), loopback
(`127.0.0.1`, `::1`, `localhost`), link-local (`169.254.169.254`),
multicast, unspecified or reserved, in any spelling (`2130706433`,
`0x7f.1`, IPv4-mapped IPv6). Reserved means every block of the IANA IPv4 and
IPv6 special-purpose address registries that is not globally reachable
(`100.64.0.0/10`, `192.0.0.0/24`, `198.18.0.0/15`, `240.0.0.0/4`,
`2001:2::/48` and the rest of `2001::/23`, `64:ff9b:1::/48`, `fc00::/7`, ...);
an IPv6 address that embeds an IPv4 one (mapped, NAT64 `64:ff9b::/96`, 6to4,
Teredo) is judged by it. Host names are mapped with IDNA 2008 / UTS #46 first,
wherever the URL is written (front matter or body): `ⓛⓞⓒⓐⓛⓗⓞⓢⓣ` and
`１２７.０.０.１` are refused as what they stand for, before any DNS look-up.
A redirect to such an address is refused the same way. Nothing is sent to a
refused address; the finding says why. `allow-hosts` exempts hosts as written
in the URL (names, addresses, networks, each optionally with `:port`);
`allow-private = true` turns the guard off.

## Why is this bad?
A public post cannot link to an address only the editor's machine or office
can reach: readers get nothing. And a linter that requests whatever a post
names would let a post reach CI's own services or a cloud metadata endpoint.

## Example
```yaml
externe_link: "http://localhost:4000/2019/05/30/gemaal-draait-weer/"   # jekyll serve's preview
```

## Use instead
```yaml
externe_link: "https://polderpost.example/2019/05/30/gemaal-draait-weer/"
```

## Options
The `[tool.postlint.urls]` options of URL001 (`postlint rule URL001`), shared by
all URL rules.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from postlint.model.diagnostic import Diagnostic
from postlint.rules.urls.check import OPTIONS, OPTIONS_TABLE, collect, findings, prepare

__all__ = ["OPTIONS", "OPTIONS_TABLE", "collect", "prepare"]

CODE = "URL005"
NAME = "private-address"
SCOPE = "site"
SEVERITY = "error"
NETWORK = True


def check_site(facts: dict[str, Any], options: dict[str, Any], context: Any) -> Iterator[Diagnostic]:
    return findings(CODE, facts, options, context)

