"""The file has no front matter, or its front matter is never closed.

## What it does
Checks that a post starts with a line `---`, followed by YAML and a closing line
`---` (or `...`), exactly as Jekyll recognises front matter.

## Why is this bad?
Jekyll only treats a file with front matter as a post: without it, the file is
copied as a static file or skipped, and the post silently never appears. An
unclosed block swallows the whole body.

## Example
```markdown
title: Misbruikbeelden online
---
<p>Tekst</p>
```

## Use instead
```markdown
---
title: Misbruikbeelden online
---
<p>Tekst</p>
```

## Options
None.
"""

from __future__ import annotations

from typing import Any, Iterator

from postlint.diagnostic import Diagnostic
from postlint.post import Post

CODE = "FM001"
NAME = "missing-front-matter"
SCOPE = "post"
SEVERITY = "error"


def check(post: Post, options: dict[str, Any]) -> Iterator[Diagnostic]:
    return post.problem_diagnostics(CODE)
