"""A comment looks like a suppression but is not a valid one.

## What it does
Reports an HTML comment in the body or a YAML comment in the front matter that
starts like a postlint directive (`postlint-...`, `postlint: ...`) but does not
follow the grammar: a misspelled directive (`postlint-disabel`,
`postlint-disable-nextline`, `# postlint: disable-fil=X`), a wrong separator
(`postlint-disable: HD002`, `postlint-disable=HD002`,
`# postlint: disable-file: JK001`), the body form in front matter or the other
way round, `disable=` with nothing after it, and every selector that names no
rule (`JK01`). The finding stands on the
comment, or on the unknown selector.

Text shown as code is not a comment: a directive-shaped comment in a Markdown
code span or code block, in a Liquid raw, comment or highlight block, or in
`<script>`, `<style>`, `<textarea>`, `<title>` or `<xmp>`, and a `#` inside a
front-matter value (block scalar, quoted or TOML string) are never reported.

## Why is this bad?
An invalid directive silences nothing, so the findings it was meant for are
still reported, or worse: a directive that was read loosely could silence far
more than meant. postlint applies no part of an invalid directive, and of a
directive with an unknown selector only its valid selectors (never every rule).

## Example
```markdown
# Title <!-- postlint-disable-nextline HD002 -->
```

## Use instead
```markdown
# Title <!-- postlint-disable-line HD002 -->
```

The grammar is in the README ("Suppressing findings"). Only a selector naming
this rule exactly (`PL001` or `invalid-suppression`) silences it; a bare
directive, `ALL` or `PL` does not.

## Options
None.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from postlint.model.diagnostic import Diagnostic
from postlint.model.post import Post

CODE = "PL001"
NAME = "invalid-suppression"
SCOPE = "post"
SEVERITY = "warning"


def check(post: Post, options: dict[str, Any]) -> Iterator[Diagnostic]:
    # The engine reports these while it reads the suppressions (postlint.engine.suppressions).
    return iter(())
