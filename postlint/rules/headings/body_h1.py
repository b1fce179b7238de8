"""The body has an `h1` heading.

## What it does
Reports `<h1>` elements and level-1 Markdown headings (`# Title`) in the body.
An empty `h1` is HD003's (one finding per defect).

## Why is this bad?
The layout prints the post's title as the page's `h1`; a second `h1` in the
body splits the page's outline in two and competes with the title in search
results. Importers often copy the article's headline into the body.

## Example
```markdown
# Waterschap sluit sluizen

Het waterschap heeft...
```

## Use instead
Remove the heading (it repeats the title), or use `##` for a section.

## Options
None.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from postlint.analysis.body.shared import headings
from postlint.model.diagnostic import Diagnostic
from postlint.model.post import Post

CODE = "HD002"
NAME = "body-h1"
SCOPE = "post"
# Libraries whose versions decide this rule's findings (the result cache keys on them).
LIBRARIES = ("html5lib", "markdown_it", "pyromark")
SEVERITY = "warning"


def check(post: Post, options: dict[str, Any]) -> Iterator[Diagnostic]:
    if post.binary:
        return
    for heading in headings(post):
        if heading.level == 1 and heading.text.strip():  # an empty one is HD003's
            yield post.diagnostic(
                CODE, heading.start, heading.end, "h1 in the body: the title is the page's h1; use h2"
            )
