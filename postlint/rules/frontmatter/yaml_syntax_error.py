"""The front matter is not valid YAML, or not a mapping of keys to values.

## What it does
Parses the front matter with a YAML parser and reports the parser's error at its
line and column. Also reports front matter that is a list or a single value,
YAML that expands beyond a safe size (an alias bomb) or nests too deeply.

## Why is this bad?
Jekyll fails the build, or drops the post's front matter, when it cannot read
it: titles, dates and layouts are lost.

## Example
```yaml
---
title: Misbruik: beelden online
---
```

## Use instead
Quote values that contain `: `, `#` or start with a special character:
```yaml
---
title: "Misbruik: beelden online"
---
```

## Options
None.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from postlint.model.diagnostic import Diagnostic
from postlint.model.post import Post

CODE = "FM002"
NAME = "yaml-syntax-error"
SCOPE = "post"
SEVERITY = "error"


def check(post: Post, options: dict[str, Any]) -> Iterator[Diagnostic]:
    return post.problem_diagnostics(CODE)
