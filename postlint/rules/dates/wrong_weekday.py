"""The weekday of a date is not the weekday of that date.

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

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from postlint.analysis.dates.facts import OPTIONS, OPTIONS_TABLE, findings
from postlint.model.diagnostic import Diagnostic
from postlint.model.post import Post

CODE = "DT002"
NAME = "wrong-weekday"
SCOPE = "post"
SEVERITY = "error"
FIX = "unsafe"
__all__ = ["OPTIONS", "OPTIONS_TABLE"]


def check(post: Post, options: dict[str, Any]) -> Iterator[Diagnostic]:
    return iter(findings(post, options, CODE))
