"""A post names no author.

## What it does
Checks that the front matter has the key `key` (default `author`) with a
value that is not empty. With `default` set, an unsafe fix adds the key with
that value as the first line of the front matter.

## Why is this bad?
The site's layout shows the author under every post, and the feed's
`<author>` comes from it: a post without one is shown as anonymous.

## Example
```yaml
---
layout: post
title: Dorpshuis krijgt zonnepanelen
---
```

## Use instead
```yaml
---
author: Redactie
layout: post
title: Dorpshuis krijgt zonnepanelen
---
```

## Options
`key`: the front-matter key that names the author. `default`: the author the
unsafe fix writes (no fix when it is not set).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from postlint import Diagnostic, Edit, Fix

CODE = "XA100"
NAME = "missing-author"
SCOPE = "post"
SEVERITY = "warning"
FIX = "unsafe"  # adding an author says something about the post: the user opts in
OPTIONS_TABLE = "example"  # [tool.postlint.example] (shared with XA200)
OPTIONS = {
    "key": {"type": "string", "minLength": 1, "default": "author", "description": "the key that names the author"},
    "default": {
        "type": ["string", "null"], "default": None, "description": "the author the unsafe fix writes",
    },
}


def check(post: Any, options: dict[str, Any]) -> Iterator[Diagnostic]:
    fm = post.front_matter
    if fm is None or not isinstance(fm.data, dict):
        return  # no front matter, or one that does not parse: FM001 and FM002 say so
    key = options["key"]
    value = fm.data.get(key)
    if isinstance(value, str) and value.strip():
        return
    if key in fm.data:
        span = post.locate((key,))  # the value: there, but empty
        yield post.diagnostic(CODE, span.start, span.end, f"'{key}' is empty")
        return
    fix = None
    if options["default"] is not None and fm.format == "yaml":
        # Edits are data: code-point offsets into the decoded text. Insert a
        # line after the opening "---", with the file's own line ending.
        line_end = post.text.index("\n", fm.start)
        newline = "\r\n" if post.text[line_end - 1 : line_end] == "\r" else "\n"
        line = f"{key}: {json.dumps(options['default'], ensure_ascii=False)}{newline}"
        fix = Fix((Edit(line_end + 1, line_end + 1, line),), "unsafe")
    yield post.diagnostic(CODE, fm.start, fm.start + 3, f"no '{key}' in the front matter", fix=fix)
