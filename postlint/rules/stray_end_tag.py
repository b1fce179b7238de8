"""An end tag closes an element that is not open.

## What it does
Reports an end tag for which no element of that name is open, at the end tag.

## Why is this bad?
Browsers ignore it, so it is harmless only by luck: usually it means a start
tag was lost, or text was cut in the middle of an element by an importer.

## Example
```html
<p>Tekst</p></div>
```

## Use instead
```html
<div><p>Tekst</p></div>
```

## Options
None.
"""

from __future__ import annotations

from typing import Any, Iterator

from postlint.bodycheck import html_findings
from postlint.diagnostic import Diagnostic
from postlint.post import Post

CODE = "HT003"
NAME = "stray-end-tag"
SCOPE = "post"
SEVERITY = "error"


def check(post: Post, options: dict[str, Any]) -> Iterator[Diagnostic]:
    if post.binary:
        return
    for tag in html_findings(post).stray_end_tags:
        yield post.diagnostic(CODE, tag.start, tag.end, f"</{tag.tag}> closes nothing: no <{tag.tag}> is open")
