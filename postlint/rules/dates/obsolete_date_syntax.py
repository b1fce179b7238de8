"""A date uses obsolete syntax that RFC 5322 still accepts.

## What it does
Reports the obsolete date syntax of RFC 5322 section 4.3: two- and three-digit
years, zone names (`GMT`, `UT`, `EST`, `PDT`...), military zone letters, and
comments or white space where the current grammar allows none; in Jekyll's
format, RFC 822's US zone names (`EST` ... `PDT`), which Ruby reads as RFC 822
defines them. Where the meaning is certain the fix (safe) writes the modern
form with the same moment, e.g. `GMT` -> `+0000`, `EST` -> `-0500`, `99` ->
`1999`, military `Z` -> `+0000`, every obsolete part of the value at once; the
other military letters get no fix (RFC 822 defined them backwards, so the
offset meant is not known).

`-0000` is not reported: it is current syntax (RFC 5322 section 3.3), saying
that the time is in UTC and the local offset is not known. Likewise RFC 3339's
`-00:00`.

## Why is this bad?
Parsers disagree on obsolete forms: a two-digit year or a military letter can
land a post in another century or another zone.

## Example
```yaml
date: Mon, 13 May 19 12:45:33 GMT
```

## Use instead
```yaml
date: Mon, 13 May 2019 12:45:33 +0000
```

## Options
The `[tool.postlint.dates]` options of DT001.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from postlint.analysis.dates.facts import OPTIONS, OPTIONS_TABLE, findings
from postlint.model.diagnostic import Diagnostic
from postlint.model.post import Post

CODE = "DT003"
NAME = "obsolete-date-syntax"
SCOPE = "post"
SEVERITY = "warning"
FIX = "safe"
__all__ = ["OPTIONS", "OPTIONS_TABLE"]


def check(post: Post, options: dict[str, Any]) -> Iterator[Diagnostic]:
    return iter(findings(post, options, CODE))
