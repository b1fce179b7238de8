"""A post is a symbolic link that leads nowhere: a loop or a missing target.

## What it does
Reports a post that is a symbolic link postlint cannot follow to a regular
file: a link loop (`ln -s x.md x.md`, or two links that point at each other),
a link whose target does not exist, or one that leads to something other than
a regular file. The post is not read; the run goes on with the others.

## Why is this bad?
Jekyll cannot read such a post either: it is skipped or breaks the build,
depending on the version, and the content the author meant to publish is not
there.

## Example
```text
_posts/2020-01-02-x.md -> 2020-01-02-x.md
```

## Use instead
Replace the link with the post, or point it at an existing post inside the
repository.

## Options
None.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from postlint.model.diagnostic import Diagnostic
from postlint.model.post import Post

CODE = "PL004"
NAME = "broken-symlink"
SCOPE = "post"
SEVERITY = "error"


def check(post: Post, options: dict[str, Any]) -> Iterator[Diagnostic]:
    # The runner reports these before a post is read (postlint.files.safe).
    return iter(())
