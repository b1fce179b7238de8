"""A rule raised an exception on this file.

## What it does
Reports that a rule (built-in or plugin) crashed while checking a file. The
finding names the rule and the exception; the other rules still ran on the file
and the run went on to the other files.

## Why is this bad?
The crashed rule did not check the file, so defects it looks for may be
missing from the report. postlint exits with status 2 when this happens.

## Example
```text
_posts/2019-05-13-a.md:1:1: error PL000 rule XY001 failed on this file: KeyError: 'title'
```

## Use instead
Report the crash to the rule's authors with the file that triggers it; until
then, `--ignore` the rule for that file with `per-file-ignores`.

## Options
None.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from postlint.model.diagnostic import Diagnostic
from postlint.model.post import Post

CODE = "PL000"
NAME = "internal-error"
SCOPE = "post"
SEVERITY = "error"


def check(post: Post, options: dict[str, Any]) -> Iterator[Diagnostic]:
    # The engine creates these findings; the rule exists to be listed, documented
    # and selected like every other.
    return iter(())
