"""A URL redirects permanently: the post should name where it leads.

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

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from postlint.model.diagnostic import Diagnostic
from postlint.rules.urls.check import OPTIONS, OPTIONS_TABLE, collect, findings, prepare

__all__ = ["OPTIONS", "OPTIONS_TABLE", "collect", "prepare"]

CODE = "URL002"
NAME = "permanent-redirect"
SCOPE = "site"
SEVERITY = "warning"
FIX = "unsafe"
NETWORK = True


def check_site(facts: dict[str, Any], options: dict[str, Any], context: Any) -> Iterator[Diagnostic]:
    return findings(CODE, facts, options, context)

