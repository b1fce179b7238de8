"""`--fix` could not write, or would not write, a fixed post.

## What it does
Reports a post whose fixes `--fix` did not write, and why: the post is a
symbolic link (fixes are never written through a link), a read-only file or
in a read-only folder, has other hard links (replacing it would split them),
changed while postlint was fixing it, or the system refused the write (no
permission, disk full, file vanished, its owner could not be kept). The post
is left exactly as it was; the other posts are fixed, and postlint exits with
status 2 and a summary on standard error.

Before writing, `--fix` also removes the temporary files
(`.NAME.PID.XXXXXXXX.postlint-tmp`) that an earlier run killed mid-write left
behind: only regular files of this user, and only when the process that
wrote them is gone or they are over an hour old.

## Why is this bad?
The findings the fix was meant to remove are still in the post; a CI job
that runs `--fix` must not report success.

## Example
```text
_posts/2019-05-13-a.md:1:1: PL005 is read-only (mode 0444): fix not written
```

## Use instead
Make the file (and its folder) writable, fix the file a link leads to, or
break the hard link (`cp --remove-destination`), then run `--fix` again.

## Options
None.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from postlint.model.diagnostic import Diagnostic
from postlint.model.post import Post

CODE = "PL005"
NAME = "fix-not-written"
SCOPE = "post"
SEVERITY = "error"


def check(post: Post, options: dict[str, Any]) -> Iterator[Diagnostic]:
    # The runner reports these when it writes fixes (postlint.files.safe).
    return iter(())
