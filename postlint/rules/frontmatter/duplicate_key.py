"""A key appears twice in the same mapping of the front matter.

## What it does
Reports the second (and every later) occurrence of a key in one mapping.

## Why is this bad?
YAML parsers keep only the last value without a word, so the first value,
often the one an importer meant, is silently lost.

## Example
```yaml
---
title: Eerste titel
date: Mon, 13 May 2019 12:45:33 +0200
title: Tweede titel
---
```

## Use instead
Keep one of the two keys.

## Options
None.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from postlint.model.diagnostic import Diagnostic
from postlint.model.post import Post

CODE = "FM003"
NAME = "duplicate-key"
SCOPE = "post"
SEVERITY = "error"


def check(post: Post, options: dict[str, Any]) -> Iterator[Diagnostic]:
    return post.problem_diagnostics(CODE)
