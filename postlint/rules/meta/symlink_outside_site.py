"""A post is a symbolic link to a file outside the repository or site.

## What it does
Before reading a post, postlint resolves it. When the file it leads to (through
a link to the file, or through a linked folder) lies outside the repository
the post stands in (the nearest folder above it holding `.git`), or outside
its Jekyll site when there is no repository, the post is not read: this
finding names the link, and nothing of the target (not even its first line)
reaches the report. `--fix` never writes through such a link.

## Why is this bad?
postlint runs on pull requests. A post that is a link to `../../.env` or
`/etc/passwd` would otherwise be read and quoted in the report (text, SARIF
snippets, GitHub annotations), leaking a file of the runner; with `--fix` it
could be rewritten.

## Example
```text
_posts/2020-01-01-a.md -> ../../outside/secret.env
```

## Use instead
Commit the post itself, or link to a file inside the repository.

## Options
None.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from postlint.model.diagnostic import Diagnostic
from postlint.model.post import Post

CODE = "PL003"
NAME = "symlink-outside-site"
SCOPE = "post"
SEVERITY = "error"


def check(post: Post, options: dict[str, Any]) -> Iterator[Diagnostic]:
    # The runner reports these before a post is read (postlint.files.safe); the
    # rule exists to be listed, documented and selected like every other.
    return iter(())
