"""The file has no front matter, or its front matter is never closed.

## What it does
Checks that a post starts with a line `---`, followed by YAML and a closing line
`---` (or `...`), exactly as Jekyll recognises front matter. A file in `_posts`
with neither front matter nor a post's file name (an include kept beside the
posts) is not a post and is left alone.

## Why is this bad?
Without front matter a post has no layout, title or date of its own: Jekyll
publishes it bare, or treats it as a static file outside `_posts`. An
unclosed block is not front matter at all: the `---` line and the YAML end up
in the published page.

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

from collections.abc import Iterator
from typing import Any

from postlint.model.diagnostic import Diagnostic
from postlint.model.post import Post
from postlint.model.site import intended_as_post

CODE = "FM001"
NAME = "missing-front-matter"
SCOPE = "post"
SEVERITY = "error"


def check(post: Post, options: dict[str, Any]) -> Iterator[Diagnostic]:
    if not intended_as_post(post.path, post.front_matter is not None):
        return iter(())
    return post.problem_diagnostics(CODE)
