"""The front-matter date falls on another day than the file name's date.

## What it does
Compares the calendar day of the front matter's `date` (in the site's
`timezone` from `_config.yml` when it has one, as Jekyll converts it, else in
the date's own offset) with the date at the start of the file name.

## Why is this bad?
Jekyll takes the front-matter date for the URL and the archive, the file name
for sorting in the repository: the post is published under another day than
its file says, and links built from the file name break.

## Example
`_posts/2019-05-13-misbruikbeelden.md` with
```yaml
date: Tue, 14 May 2019 00:30:00 +0200
```

## Use instead
Rename the file to `2019-05-14-misbruikbeelden.md`, or correct the date.

## Options
None beyond the `[tool.postlint.dates]` options of DT001.
"""

from __future__ import annotations

from typing import Any, Iterator

from postlint.datecheck import OPTIONS, OPTIONS_TABLE, dates
from postlint.diagnostic import Diagnostic
from postlint.jekyll import Site, filename_date, local_date, posts_folder
from postlint.post import Post

CODE = "DT004"
NAME = "date-filename-mismatch"
SCOPE = "post"
SEVERITY = "warning"
__all__ = ["OPTIONS", "OPTIONS_TABLE"]


def check(post: Post, options: dict[str, Any]) -> Iterator[Diagnostic]:
    if posts_folder(post.path) != "_posts":
        return
    named = filename_date(post.path)
    if named is None:
        return
    site = getattr(post, "site", None) or Site()
    for date in dates(post, options):
        if date.key != "date" or date.parsed is None:
            continue
        day = local_date(date.parsed, site)
        if day is None or day == named:
            continue
        where = f" in {site.timezone}" if site.timezone else ""
        start, end = post.locate(("date",))
        yield post.diagnostic(
            CODE, start, end,
            f"date falls on {day[0]:04d}-{day[1]:02d}-{day[2]:02d}{where}, "
            f"the file name says {named[0]:04d}-{named[1]:02d}-{named[2]:02d}",
        )
