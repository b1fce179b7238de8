"""Two posts have the same title.

## What it does
Compares the `title` of every post of the site (case and blanks aside) and
reports each post whose title another post has too, at its `title` value,
naming the others. Drafts are left out.

This is a site rule: it needs every post. When postlint is given single
files (as pre-commit does), it skips itself; `--verbose` says so.

## Why is this bad?
Readers cannot tell the posts apart in the archive and in search results;
an importer that writes the same story twice produces exactly this.

## Example
```text
_posts/2019-05-13-sluizen-dicht.md      title: Waterschap sluit sluizen
_posts/2019-05-14-sluizen-gesloten.md   title: Waterschap sluit sluizen
```

## Use instead
Remove the duplicate, or give one of the posts a title of its own.

## Options
`ignore-titles`: titles that may repeat (a weekly "Agenda").
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from postlint import Diagnostic

CODE = "XA200"
NAME = "duplicate-title"
SCOPE = "site"
SEVERITY = "error"
OPTIONS_TABLE = "example"
OPTIONS = {
    "ignore-titles": {
        "type": "array", "items": {"type": "string"}, "default": [], "description": "titles that may repeat",
    },
}


def _normal(title: str) -> str:
    return " ".join(title.split()).casefold()


def collect(post: Any, options: dict[str, Any]) -> dict[str, Any] | None:
    """What check_site needs of one post, as JSON-serialisable data (the
    result cache stores it): the title and where its value stands. Runs in
    the worker that lints the post; the post itself never reaches check_site."""
    if "/_drafts/" in f"/{post.path}":
        return None
    title = post.data.get("title")
    if not isinstance(title, str) or not title.strip():
        return None
    span = post.locate(("title",))
    d = post.diagnostic(CODE, span.start, span.end, "")
    return {
        "title": title, "line": d.line, "column": d.column, "end_line": d.end_line,
        "end_column": d.end_column, "source_line": str(d.source_line),
    }


def check_site(facts: dict[str, Any], options: dict[str, Any], context: Any) -> Iterator[Diagnostic]:
    """`facts`: each post's path -> what collect returned for it."""
    if context.partial:
        why = "it needs the whole site, and only single files were given"
        context.notes.append(f"{CODE} skipped: {why}")
        context.skipped[CODE] = why  # its suppressions are then never "unused" (PL002)
        return
    ignored = {_normal(t) for t in options["ignore-titles"]}
    by_title: dict[str, list[str]] = {}
    for path, fact in facts.items():
        if fact is not None and _normal(fact["title"]) not in ignored:
            by_title.setdefault(_normal(fact["title"]), []).append(path)
    for paths in by_title.values():
        if len(paths) < 2:
            continue
        for path in sorted(paths):
            fact = facts[path]
            others = ", ".join(p for p in sorted(paths) if p != path)
            yield Diagnostic(
                path, fact["line"], fact["column"], fact["end_line"], fact["end_column"], CODE,
                SEVERITY,  # the configuration's severity table still wins
                f"the title {fact['title']!r} is also the title of {others}",
                None, fact["source_line"],
            )
