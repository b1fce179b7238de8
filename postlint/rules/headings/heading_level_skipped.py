"""A heading skips a level going down.

## What it does
Checks the headings of the body (Markdown ATX and setext headings and HTML
`<h1>`-`<h6>`, not inside code) in document order, as kramdown (Jekyll's
Markdown) reads them: a line of only `#`s is text, a setext underline makes a
heading of one line only (under a longer paragraph it is text), and Markdown
inside a
block-level HTML element (`<div>`, `<section>`, `<table>`...) that has no
`markdown="1"` attribute: each may go at most one
level deeper than the one before it (markdownlint's MD001). The first heading
is not judged: layouts differ in what they print above the body. Empty
headings are HD003's and take no part in the outline here (deleting one never
makes a new skip).

## Why is this bad?
Screen readers and search engines read the heading levels as the outline of the
post; a jump from `h2` to `h4` says a section is missing.

## Example
```markdown
## Gemalen op volle kracht
#### Peil woensdag normaal
```

## Use instead
```markdown
## Gemalen op volle kracht
### Peil woensdag normaal
```

## Options
None.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from postlint.analysis.body.shared import headings
from postlint.model.diagnostic import Diagnostic
from postlint.model.post import Post

CODE = "HD001"
NAME = "heading-level-skipped"
SCOPE = "post"
# Libraries whose versions decide this rule's findings (the result cache keys on them).
LIBRARIES = ("html5lib", "markdown_it", "pyromark")
SEVERITY = "warning"


def check(post: Post, options: dict[str, Any]) -> Iterator[Diagnostic]:
    if post.binary:
        return
    previous = None
    for heading in headings(post):
        if not heading.text.strip():
            continue  # an empty heading is HD003's: deleting it must not make a new skip
        if previous is not None and heading.level > previous + 1:
            yield post.diagnostic(
                CODE, heading.start, heading.end, f"h{heading.level} follows h{previous}: use h{previous + 1}"
            )
        previous = heading.level
