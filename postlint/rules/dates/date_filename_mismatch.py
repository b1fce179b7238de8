"""The front-matter date falls on another day than the file name's date.

## What it does
Compares the calendar day Jekyll gives the front matter's `date` with the date
at the start of the file name. Jekyll converts every date to the zone it builds
in: the site's `timezone` from `_config.yml`, or, without one, the build
machine's zone -- UTC on GitHub Pages, GitHub Actions and Netlify, which is
what postlint assumes unless told otherwise (`build-timezone`). The message
names the zone it used and says when it was assumed.

A date with an offset is converted to that zone; one without is read as
wall-clock time in it, except a plain (unquoted) YAML timestamp with seconds
and no zone (`date: 2019-05-13 23:30:00`), which YAML reads as UTC first.

## Why is this bad?
Jekyll takes the front-matter date for the URL and the archive, the file name
for sorting in the repository: the post is published under another day than
its file says, and links built from the file name break.

## Example
`_posts/2019-05-13-misbruikbeelden.md` with
```yaml
date: Tue, 14 May 2019 12:30:00 +0200
```
or, with `timezone: Europe/Amsterdam` in `_config.yml`,
```yaml
date: 2019-05-13 23:30:00
```
(a YAML timestamp in UTC: 01:30 on 14 May in Amsterdam).

## Use instead
Rename the file to `2019-05-14-misbruikbeelden.md`, or correct the date.

## Options
`build-timezone` in `[tool.postlint.dates]`: the zone Jekyll builds in when
`_config.yml` sets no `timezone` (an IANA name, default `UTC`; an unknown name
is a configuration error). Also the other `[tool.postlint.dates]` options of DT001.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from postlint.analysis.dates.facts import OPTIONS, OPTIONS_TABLE, dates, prepare
from postlint.model.diagnostic import Diagnostic
from postlint.model.post import Post
from postlint.model.site import build_zone, filename_date, is_yaml_timestamp, jekyll_moment, posts_folder

CODE = "DT004"
NAME = "date-filename-mismatch"
SCOPE = "post"
SEVERITY = "warning"
__all__ = ["OPTIONS", "OPTIONS_TABLE", "prepare"]


def check(post: Post, options: dict[str, Any]) -> Iterator[Diagnostic]:
    if posts_folder(post.path) != "_posts":
        return
    named = filename_date(post.path)
    if named is None:
        return
    site = post.site
    zone = build_zone(site, options.get("build-timezone"))
    for date in dates(post, options):
        if date.key != "date" or date.parsed is None:
            continue
        moment = jekyll_moment(date.parsed, zone, is_yaml_timestamp(post, "date"))
        if moment is None:
            continue
        day = (moment.year, moment.month, moment.day)
        if day == named:
            continue
        start, end = post.locate(("date",))
        yield post.diagnostic(
            CODE, start, end,
            f"date falls on {day[0]:04d}-{day[1]:02d}-{day[2]:02d} {zone.describe()}, "
            f"the file name says {named[0]:04d}-{named[1]:02d}-{named[2]:02d}",
        )
