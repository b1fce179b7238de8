"""The file name is not one Jekyll reads as a post.

## What it does
Checks the name of every file in a `_posts` folder (at any depth, such as
`en/news/_posts/`) against Jekyll's own pattern `YYYY-MM-DD-slug.ext` and that the
date in it is a real calendar date. In `_drafts` no date is needed, but the name
still needs a slug and an extension. Jekyll accepts one-digit months and days
(`2017-2-5-title.md`), and so does this rule. A file in `_posts` with neither a
post's name nor front matter (an include kept beside the posts) is left alone.

## Why is this bad?
Jekyll skips a post whose name does not match without a word: it is never
published. A name with an impossible date (`2019-02-30`) fails the build or
publishes on another day.

## Example
```text
_posts/13-05-2019-misbruikbeelden.md
_posts/2019-05-13_misbruikbeelden.md
_posts/2019-05-13-misbruikbeelden
```

## Use instead
```text
_posts/2019-05-13-misbruikbeelden.md
```

## Options
None.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from typing import Any

from postlint.model.diagnostic import Diagnostic
from postlint.model.patterns import lazy
from postlint.model.post import Post
from postlint.model.site import POST_NAME, intended_as_post, posts_folder

CODE = "JK001"
NAME = "invalid-post-filename"
SCOPE = "post"
SEVERITY = "error"

DRAFT_NAME = lazy(r"^(.*)(\.[^.]+)$")


def check(post: Post, options: dict[str, Any]) -> Iterator[Diagnostic]:
    kind = posts_folder(post.path)
    if kind is None or not intended_as_post(post.path, post.front_matter is not None):
        return
    name = post.path.rsplit("/", 1)[-1]
    if kind == "_drafts":
        if not DRAFT_NAME.match(name) or name.startswith("."):
            yield post.diagnostic(CODE, 0, 0, f"draft '{name}' needs a name and an extension, e.g. 'my-draft.md'")
        return
    m = POST_NAME.match(name)
    if m is None:
        yield post.diagnostic(
            CODE, 0, 0, f"'{name}' is not named YYYY-MM-DD-slug.ext: Jekyll skips it silently{_suggest(post, name)}"
        )
        return
    year, month, day = (int(g) for g in m.group(1, 2, 3))
    try:
        date(year if year >= 100 else 2000 + year, month, day)
    except ValueError:
        yield post.diagnostic(
            CODE, 0, 0, f"'{m.group(1)}-{m.group(2)}-{m.group(3)}' in the file name is not a real date"
        )


def _suggest(post: Post, name: str) -> str:
    date_value = post.data.get("date")
    if not isinstance(date_value, str):
        return ""
    m = re.match(r"\s*(\d{4})-(\d{2})-(\d{2})", date_value)
    if m is None:
        return ""
    stem = name.rsplit(".", 1)[0] if "." in name else name
    slug = re.sub(r"^[\d_.-]+", "", stem) or "slug"
    ext = post.extension or ".md"
    return f"; rename it to '{m.group(1)}-{m.group(2)}-{m.group(3)}-{slug}{ext}'"
