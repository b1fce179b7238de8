"""Two posts' URLs differ only in letter case.

## What it does
Computes every post's URL as JK002 does and reports each post whose URL
equals another post's but for letter case (`/2019/05/13/Sluis/` and
`/2019/05/13/sluis/`), at each of them. Posts with exactly the same URL are
JK002's.

This is a site rule: given single files (pre-commit's batches), it is
skipped; `--verbose` says so.

## Why is this bad?
On a case-insensitive file system (macOS and Windows by default) the two
posts are one file: a build there, or a copy of `_site` to such a disk, keeps
only one of them. On a case-sensitive server both exist, and a link with the
other case reaches the wrong one.

## Example
```text
_posts/2019-05-13-Sluis-dicht.md
_posts/2019-05-13-sluis-dicht.md
```

## Use instead
Remove the duplicate, or give one of them another slug or `permalink`.

## Options
`build-timezone` in `[tool.postlint.dates]` (see DT004), as JK002.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from postlint.model.diagnostic import Diagnostic, excerpt_from_data
from postlint.rules.jekyll.duplicate_url import OPTIONS, OPTIONS_TABLE, collect, prepare, unpacked

__all__ = ["OPTIONS", "OPTIONS_TABLE", "collect", "prepare"]

CODE = "JK006"
NAME = "url-case-collision"
SCOPE = "site"
SEVERITY = "error"


def check_site(facts: dict[str, Any], options: dict[str, Any], context: Any) -> Iterator[Diagnostic]:
    if context.partial:
        context.notes.append(f"{CODE} skipped: it needs the whole site, and only single files were given")
        context.skipped[CODE] = "it needs the whole site, and only single files were given"
        return
    facts = unpacked(facts, context)
    by_folded: dict[str, dict[str, list[str]]] = {}
    for path, fact in facts.items():
        if fact is not None:
            by_folded.setdefault(fact[0].lower(), {}).setdefault(fact[0], []).append(path)
    for _, urls in sorted(by_folded.items()):
        if len(urls) < 2:
            continue
        for url, paths in sorted(urls.items()):
            others = sorted(f"{p} ({u})" for u, ps in urls.items() if u != url for p in ps)
            for path in sorted(paths):
                _, line, column, end_line, end_column, source = facts[path][:6]
                yield Diagnostic(path, line, column, end_line, end_column, CODE, None,
                                 f"Jekyll writes this post to {url}; {', '.join(others)} "
                                 f"differ{'s' if len(others) == 1 else ''} only in letter case: one file on macOS "
                                 "and Windows", None, excerpt_from_data(source))
