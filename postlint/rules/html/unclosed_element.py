"""An element is left open at the end of the body.

## What it does
Reports every element still open when the body ends, at its start tag, when
HTML would not close it by itself: `<b>`, `<a>`, `<div>`, `<strong>`, `<span>`,
`<ul>`, `<table>` and the like, but not `<p>`, `<li>`, `<td>` or other elements
whose end tag HTML lets you omit. The same elements make HT001's parse error
`eof-with-open-elements`, one finding at the end of the body naming them: this
rule points at each of them.

## Why is this bad?
Jekyll pastes the post into its layout: an open `<b>` makes the rest of the
page bold, an open `<div>` or `<a>` swallows the footer.

## Example
```html
<p>De <b>gemeente meldt dat de weg dicht is.</p>
```

## Use instead
```html
<p>De <b>gemeente</b> meldt dat de weg dicht is.</p>
```

## Options
None.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from postlint.analysis.body.shared import html_findings
from postlint.model.diagnostic import Diagnostic
from postlint.model.post import Post

CODE = "HT002"
NAME = "unclosed-element"
SCOPE = "post"
# Libraries whose versions decide this rule's findings (the result cache keys on them).
LIBRARIES = ("html5lib", "markdown_it", "pyromark")
SEVERITY = "error"


def check(post: Post, options: dict[str, Any]) -> Iterator[Diagnostic]:
    if post.binary:
        return
    messages: dict[str, str] = {}      # one string per name, not per finding (200k <div>s)
    for tag in html_findings(post).unclosed:
        message = messages.get(tag.tag)
        if message is None:
            message = messages[tag.tag] = f"<{tag.tag}> is never closed: add </{tag.tag}>"
        yield post.diagnostic(CODE, tag.start, tag.end, message)
