"""A heading has no text.

## What it does
Reports headings without text content: `<h2></h2>`, `<h3> </h3>`, an `<h2>`
holding only an image without `alt` text, a Markdown `##` with nothing after it.

## Why is this bad?
An empty heading is an empty entry in the page's outline for screen readers,
and usually the trace of an importer that lost the heading's text.

## Example
```html
<h2> </h2>
<p>Tekst</p>
```

## Use instead
```html
<h2>Gemalen op volle kracht</h2>
<p>Tekst</p>
```

## Options
None.
"""

from __future__ import annotations

from typing import Any, Iterator

from postlint.bodycheck import headings
from postlint.diagnostic import Diagnostic
from postlint.post import Post

CODE = "HD003"
NAME = "empty-heading"
SCOPE = "post"
SEVERITY = "warning"


def check(post: Post, options: dict[str, Any]) -> Iterator[Diagnostic]:
    if post.binary:
        return
    for heading in headings(post):
        if not heading.text.strip():
            yield post.diagnostic(CODE, heading.start, heading.end, f"empty h{heading.level} heading")
