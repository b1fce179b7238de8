"""A URL field or link does not lead to a working page or image.

## What it does
Requests every URL of the configured front-matter fields (`externe_link` and
`feature_image` by default; with `body-links`, also the body's links and
images) and reports the ones that do not work, with the reason: the status
code and its phrase (`404 Not Found`, `410 Gone`, `500 Internal Server
Error` after the retries), a DNS failure, a TLS error, a connection refused or
reset, a timeout or a redirect loop. Each distinct URL is requested once per
run, HEAD first (GET when a server refuses HEAD), redirects followed hop by hop;
the finding is reported at every post that names it, at the value itself.

Time and size are bounded whatever the server does: each attempt has
`timeout` seconds in all (connect, headers, the little body read; a server
dripping its headers a byte at a time is cut off), and each URL `deadline`
seconds for everything, retries, `Retry-After` waits and redirects included.
A response whose headers are cut off by the server closing is a failure, not
a 200. At most 16 KB of a body is read, raw: never decompressed. URLs that
differ only by their `#fragment` are one request. Text from the server is
quoted with its control characters escaped.

Working URLs are cached (`.postlint_cache/`, one day by default); failures are
never cached, so a repaired link is seen at once. Skipped with `--no-network`.

## Why is this bad?
Readers who follow the link, or see the post's image, get an error page or
nothing at all. Importers copy links from feeds whose articles move and vanish.

## Example
```yaml
externe_link: "https://nieuws.example/l/2284411"   # 404 Not Found
```

## Use instead
The article's current address, or no link:
```yaml
externe_link: "https://nieuws.example/artikel/2284411-waterschap-sluit-sluizen"
```

## Options
All URL rules share `[tool.postlint.urls]` (`[urls]` in `.postlint.toml`):
`fields` (front-matter field -> `"page"` or `"image"`; default
`{externe_link = "page", feature_image = "image"}`), `body-links` (default
false), `concurrency` (32), `per-host` (4), `timeout` (seconds per attempt,
10), `deadline` (seconds per URL, 30), `retries` (2), `accept` (status codes,
default `["2xx"]`), `user-agent`, `cache-max-age` (`"1d"`), `allow-private`
(false), `allow-hosts` (`[]`; names, addresses, networks, each optionally with
`:port` to allow that port only, e.g. `"localhost:4000"`, `"[::1]:8080"`; an
entry that can never match is a configuration error, exit 2) and `network`
(true; `--no-network` sets it false). See the README, "URL checks".
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from postlint.model.diagnostic import Diagnostic
from postlint.rules.urls.check import OPTIONS, OPTIONS_TABLE, collect, findings, prepare

__all__ = ["OPTIONS", "OPTIONS_TABLE", "collect", "prepare"]

CODE = "URL001"
NAME = "broken-url"
SCOPE = "site"
SEVERITY = "error"
NETWORK = True


def check_site(facts: dict[str, Any], options: dict[str, Any], context: Any) -> Iterator[Diagnostic]:
    return findings(CODE, facts, options, context)

