"""A heading has no text.

## What it does
Reports headings without text content: `<h2></h2>`, `<h3> </h3>`, an `<h2>`
holding only an image without `alt` text. In Markdown, a line of only `#`
characters (`####`, `## ##`) is not a heading at all in kramdown, Jekyll's
Markdown (an ATX heading needs text once its closing `#`s are stripped): it is
reported as text readers see, the trace of the same lost heading text.

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

from collections.abc import Iterator
from typing import Any

from postlint.analysis.body.shared import hash_lines, headings
from postlint.model.diagnostic import Diagnostic
from postlint.model.post import Post

CODE = "HD003"
NAME = "empty-heading"
SCOPE = "post"
# Libraries whose versions decide this rule's findings (the result cache keys on them).
LIBRARIES = ("html5lib", "markdown_it", "pyromark")
SEVERITY = "warning"


def check(post: Post, options: dict[str, Any]) -> Iterator[Diagnostic]:
    if post.binary:
        return
    found = [
        (heading.start, heading.end, f"empty h{heading.level} heading")
        for heading in headings(post) if not heading.text.strip()
    ]
    for start, end in hash_lines(post):
        shown = post.text[start:end].strip()
        found.append(
            (
                start,
                end,
                (
                    f"'{shown}' alone is not a heading in kramdown: readers see the text "
                    f"'{shown}'; write the heading's text after it, or delete the line"
                ),
            )
        )
    for start, end, message in sorted(found):
        yield post.diagnostic(CODE, start, end, message)
