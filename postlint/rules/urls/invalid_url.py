"""A URL field does not hold an absolute http(s) URL.

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

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from postlint.model.diagnostic import Diagnostic
from postlint.rules.urls.check import OPTIONS, OPTIONS_TABLE, collect, findings, prepare

__all__ = ["OPTIONS", "OPTIONS_TABLE", "collect", "prepare"]

CODE = "URL004"
NAME = "invalid-url"
SCOPE = "site"
SEVERITY = "error"
NETWORK = True


def check_site(facts: dict[str, Any], options: dict[str, Any], context: Any) -> Iterator[Diagnostic]:
    return findings(CODE, facts, options, context)

