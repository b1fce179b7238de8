"""The date-value rules, DT001-DT003: one family, one parse of each date key
and one pass over its problems, each reported under its code.

Each code keeps its own name, severity, fix and docs (`RULES`); all share the
`[tool.postlint.dates]` options (`postlint.analysis.dates.facts`, which DT004,
DT005 and JK002 read too).
"""

from __future__ import annotations

from typing import Any

from postlint.analysis.dates.facts import OPTIONS, OPTIONS_TABLE, findings
from postlint.model.diagnostic import Diagnostic
from postlint.model.post import Post

__all__ = ["OPTIONS", "OPTIONS_TABLE", "RULES", "check"]

SCOPE = "post"

_DT001_DOC = """A date is not a valid date-time in the site's format.

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

_DT002_DOC = """The weekday of a date is not the weekday of that date.

## What it does
Compares the weekday written in an RFC 2822 date with the real weekday of the
day, month and year, and reports it at the weekday, with the date written with
the right weekday (an unsafe fix: the weekday may be right and the day wrong).

## Why is this bad?
A wrong weekday means the importer computed one of the two wrongly: readers see
"Monday 14 May", and the post may sit on the wrong day.

## Example
```yaml
date: Mon, 14 May 2019 08:12:09 +0200
```

## Use instead
```yaml
date: Tue, 14 May 2019 08:12:09 +0200
```

## Options
The `[tool.postlint.dates]` options of DT001.
"""

_DT003_DOC = """A date uses obsolete syntax that RFC 5322 still accepts.

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

RULES: dict[str, dict[str, Any]] = {
    "DT001": {"name": "invalid-date", "severity": "error", "fix": "unsafe", "doc": _DT001_DOC},
    "DT002": {"name": "wrong-weekday", "severity": "error", "fix": "unsafe", "doc": _DT002_DOC},
    "DT003": {"name": "obsolete-date-syntax", "severity": "warning", "fix": "safe", "doc": _DT003_DOC},
}


def check(post: Post, options: dict[str, Any]) -> list[Diagnostic]:
    """Every problem of every date value, under its code (the engine keeps
    those of the codes selected)."""
    return findings(post, options)
