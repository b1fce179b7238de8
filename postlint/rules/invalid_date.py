"""A date is not a valid date-time in the site's format.

## What it does
Checks every date key of the front matter (`date` by default) against the
grammar of its format: RFC 2822 (RFC 5322 section 3.3) for feed sites by default,
and Jekyll's own `YYYY-MM-DD HH:MM:SS +/-TTTT`, which Jekyll also reads. The
grammar decides, not a lenient parser: day 32, `31 Apr`, `29 Feb` of a non-leap
year, an unknown month name, hour 24, a zone like `+2` or no zone at all are
findings, at the offending part of the value, with the corrected date where the
intended one is clear (an unsafe fix). What the grammar allows (no seconds, no
weekday, comments in parentheses, extra white space) passes.

## Why is this bad?
Jekyll's own parser is lenient and guesses: a wrong day becomes another day, a
missing zone becomes the server's zone, and a post appears on the wrong date or
fails the build.

## Example
```yaml
date: Mon, 31 Apr 2019 12:45:33 +0200
date: Mon, 13 May 2019 24:00:00 +0200
date: ma, 13 mei 2019 12:45:33 +0200
date: Mon, 13 May 2019 12:45:33
```

## Use instead
```yaml
date: Mon, 13 May 2019 12:45:33 +0200
```

## Options
In `[tool.postlint.dates]`: `keys` (front-matter keys holding dates, default
`["date"]`), `format` (`rfc2822`, `jekyll` or `iso8601`; default `rfc2822`) and
`accept` (other formats accepted, each checked by its own grammar; default
`["jekyll"]`).
"""

from __future__ import annotations

from typing import Any, Iterator

from postlint.datecheck import OPTIONS, OPTIONS_TABLE, findings
from postlint.diagnostic import Diagnostic
from postlint.post import Post

CODE = "DT001"
NAME = "invalid-date"
SCOPE = "post"
SEVERITY = "error"
FIX = "unsafe"
__all__ = ["OPTIONS", "OPTIONS_TABLE"]


def check(post: Post, options: dict[str, Any]) -> Iterator[Diagnostic]:
    return iter(findings(post, options, CODE))
