"""A suppression silenced nothing in this run.

## What it does
Reports a suppression directive, or some of its selectors, that silenced no
finding in this run, like ruff's RUF100. A selector counts as unused only when
every rule it names ran on the file: a rule left out by `select`/`ignore`,
`per-file-ignores` or `--no-network`, a rule that crashed on the file, and a
site rule that skipped (JK002 when only single files are linted) never make a
suppression unused. A directive for every rule (no selector) is unused only
when every rule ran. The result cache keeps which suppressions the post's
findings used, so a warm run reports the same.

A `postlint-enable` that closes no open `postlint-disable` block (none is
open, or none for the rules it names) is reported too, as ESLint reports an
unused `eslint-enable`: it silences nothing and suggests a block that is not
there. Of an enable that closes some blocks, the selectors that close none are
reported.

## Why is this bad?
A stale suppression hides the next real finding on that line or in that block,
and tells readers there is a problem where there is none.

## Example
```markdown
<!-- postlint-disable-next-line HD002, EN002 -->
## Not an h1
```

## Use instead
Remove the directive, or the selectors that are not needed. The fix (safe)
does exactly that: it removes the whole comment (the line when nothing else is
on it, else the comment and the blanks joining it to the line), or only the
unused selectors from it.

A selector naming this rule (`PL002` or `unused-suppression`) is never
reported as unused, and only such a selector silences this rule; a bare
directive, `ALL` or `PL` does not.

## Options
None.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from postlint.model.diagnostic import Diagnostic
from postlint.model.post import Post

CODE = "PL002"
NAME = "unused-suppression"
SCOPE = "post"
SEVERITY = "warning"
FIX = "safe"


def check(post: Post, options: dict[str, Any]) -> Iterator[Diagnostic]:
    # The engine reports these once every rule of the run has reported (Linter.lint_site).
    return iter(())
