"""A date is not a valid date-time in the site's format.

## What it does
Checks every date key of the front matter (`date` by default) against the
grammar of its format: RFC 2822 (RFC 5322 section 3.3) for feed sites by default,
and Jekyll's own format, which Jekyll also reads: a YAML 1.1 timestamp
(`YYYY-MM-DD HH:MM:SS +/-TTTT` with one- or two-digit month, day, hour and zone
hour; time and zone optional) or the same with a `UTC`, `GMT` or `Z` suffix, as
Ruby's `Time#to_s` writes it. The grammar decides, not a lenient parser: day 32,
`31 Apr`, `29 Feb` of a non-leap year, an unknown month name, hour 24, an RFC
2822 date without a zone, a zone name Jekyll ignores (`CEST`: Ruby then reads the
build machine's time) are findings, at the offending part of the value. A
ctime-style stamp (`Tue Mar  5 09:10:11 CET 2019`, as `date` prints it) is one
finding over the value.

The fix (unsafe) writes the corrected date where the intended one is clear:
`Tue Mar  5 09:10:11 CET 2019` -> `Tue, 5 Mar 2019 09:10:11 +0100`. It is
offered only when the corrected date has no problem left (no wrong weekday, no
other part to guess), falls on the day of the file name, and the front matter
still reads the same; a zone name with no one meaning (`CST`: US Central, China
or Cuba; `IST`, `BST`) or no zone at all gets no fix, and the message says why.
What the grammar allows (no seconds, no weekday, comments in parentheses, extra
white space) passes.

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
date: Mon May 13 12:45:33 CEST 2019
```

## Use instead
```yaml
date: Mon, 13 May 2019 12:45:33 +0200
```

## Options
In `[tool.postlint.dates]`: `keys` (front-matter keys holding dates, default
`["date"]`), `format` (`rfc2822`, `jekyll` or `iso8601`; default `rfc2822`) and
`accept` (other formats accepted, each checked by its own grammar; default
`["jekyll"]`), and `build-timezone` (the zone Jekyll builds in when
`_config.yml` sets no `timezone`, default `UTC`; see DT004).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from postlint.analysis.dates.facts import OPTIONS, OPTIONS_TABLE, findings
from postlint.model.diagnostic import Diagnostic
from postlint.model.post import Post

CODE = "DT001"
NAME = "invalid-date"
SCOPE = "post"
SEVERITY = "error"
FIX = "unsafe"
__all__ = ["OPTIONS", "OPTIONS_TABLE"]


def check(post: Post, options: dict[str, Any]) -> Iterator[Diagnostic]:
    return iter(findings(post, options, CODE))
