"""The URL rules, URL001-URL005: one family, one collection of a post's URLs
and one pass over the site's, reporting every code selected.

Each code keeps its own name, severity, fix and docs (`RULES`); all share the
`[tool.postlint.urls]` options, `prepare` and the facts `collect` records
once per post (see `postlint.rules.urls.check`).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from postlint.model.diagnostic import Diagnostic
from postlint.rules.urls.check import LIBRARIES, OPTIONS, OPTIONS_TABLE, collect, findings, prepare

__all__ = ["LIBRARIES", "OPTIONS", "OPTIONS_TABLE", "RULES", "check_site", "collect", "prepare"]

SCOPE = "site"
NETWORK = True

_URL001_DOC = """A URL field or link does not lead to a working page or image.

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

_URL002_DOC = """A URL redirects permanently: the post should name where it leads.

## What it does
Reports a URL whose server answers `301 Moved Permanently` or `308 Permanent
Redirect` (after any chain of redirects, the last permanent one counts) and
whose final address works. The unsafe fix writes the final URL into the
front-matter value, in the value's own quoting (`--fix --unsafe-fixes`);
links in the body are reported without a fix.

## Why is this bad?
Every reader pays for the extra round trip, and a redirect kept by a site that
moved is one migration away from breaking; the final address is what the
site itself now says is right.

## Example
```yaml
externe_link: "http://nieuws.example/l/2284411"   # 301 to https://nieuws.example/artikel/2284411
```

## Use instead
```yaml
externe_link: "https://nieuws.example/artikel/2284411"
```

## Options
The `[tool.postlint.urls]` options of URL001 (`postlint rule URL001`), shared by
all URL rules.
"""

_URL003_DOC = """An image field does not serve an image.

## What it does
For the fields configured as `image` (`feature_image` by default) and, with
`body-links`, the body's `<img src>` and Markdown images: reports a URL whose
final response works but whose `Content-Type` is not `image/*` (often an HTML
page: a gallery page, a login wall or a soft 404).

Browsers show an image by what its bytes are, whatever the `Content-Type`
says, so such a response is asked for its first 4 KB (one GET, read raw, with
`Range`): when they are a PNG, JPEG, GIF, WebP, BMP, ICO or AVIF image (the
WHATWG sniffing patterns), there is no finding. `gzip` and `deflate` codings
are undone for that look only, to at most 1 KB each, so a compressed bomb
stays small. `X-Content-Type-Options: nosniff` means the type is taken as sent.

## Why is this bad?
The browser cannot show an HTML page as an image: the post is shown with a
broken image, or none.

## Example
```yaml
feature_image: "https://nieuws.example/fotos/sluizen"   # text/html
```

## Use instead
The address of the image file itself:
```yaml
feature_image: "https://nieuws.example/media/2019/05/sluizen-1008x567.jpg"
```

## Options
The `[tool.postlint.urls]` options of URL001 (`postlint rule URL001`), shared by
all URL rules.
"""

_URL004_DOC = """A URL field does not hold an absolute http(s) URL.

## What it does
Reports a value of a configured URL field that is not an absolute `http://`
or `https://` URL with a valid host: a relative path, a `file:` or `ftp:`
URL, a value with spaces, a number. No request is made for it. A path of
the site (`/assets/img/sluis.jpg`, starting with `/`) is no finding here:
JK003 checks that the site publishes it.

It needs no network, but it belongs with the URL rules and, like them, is
skipped by `--no-network` (offline, the front-matter schema, FM100, still
rejects values that are not URIs at all). Selected alone
(`--select URL004`), it sends nothing.

## Why is this bad?
Jekyll writes the value into the page as it is: a browser resolves a relative
path against the post's own address, and `file:` points into the editor's
computer.

## Example
```yaml
feature_image: "file:///C:/Users/redactie/Afbeeldingen/sluis.jpg"
externe_link: "www.nieuws.example/artikel/1"
```

## Use instead
```yaml
feature_image: "https://nieuws.example/media/sluis.jpg"
externe_link: "https://www.nieuws.example/artikel/1"
```

## Options
The `[tool.postlint.urls]` options of URL001 (`postlint rule URL001`), shared by
all URL rules.
"""

_URL005_DOC = """A URL leads to a private, loopback or link-local address: not requested.

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

RULES: dict[str, dict[str, Any]] = {
    'URL001': {"name": 'broken-url', "severity": 'error', "doc": _URL001_DOC},
    'URL002': {"name": 'permanent-redirect', "severity": 'warning', "fix": 'unsafe', "doc": _URL002_DOC},
    'URL003': {"name": 'not-an-image', "severity": 'error', "doc": _URL003_DOC},
    'URL004': {"name": 'invalid-url', "severity": 'error', "doc": _URL004_DOC},
    'URL005': {"name": 'private-address', "severity": 'error', "doc": _URL005_DOC},
}


def check_site(facts: dict[str, Any], options: dict[str, Any], context: Any) -> Iterator[Diagnostic]:
    """The findings of every URL code at every occurrence of every URL (the
    engine keeps those of the codes selected)."""
    return findings(facts, options, context)
