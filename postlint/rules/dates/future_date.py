"""The post is dated in the future: Jekyll will not publish it yet.

## What it does
Reports a post whose `date` (or, without one, the date in its file name) lies
after the moment of the run, unless `future: true` is set in `_config.yml`. The
message says when a post is unpublished anyway (`published: false`).

This is a site rule so that its verdict is computed fresh on every run, while
the date itself comes from the cache.

## Why is this bad?
Jekyll skips future posts without a word (unless built with `--future`): an
importer that writes a wrong year or zone hides a post until that day comes.

## Example
```yaml
date: Mon, 13 May 2091 12:45:33 +0200
```

## Use instead
```yaml
date: Mon, 13 May 2019 12:45:33 +0200
```

A date without a zone is read as Jekyll reads it: in the site's `timezone`, or,
without one, in `build-timezone` (default UTC, as GitHub Pages, Actions and
Netlify build); a plain YAML timestamp with seconds and no zone is UTC.

## Options
`build-timezone` and the other `[tool.postlint.dates]` options of DT001. The
clock can be pinned with the environment variable `POSTLINT_NOW` (an ISO 8601
date-time).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from postlint.analysis.dates.facts import OPTIONS, OPTIONS_TABLE, dates, prepare
from postlint.model.clock import holds, now
from postlint.model.diagnostic import Diagnostic, excerpt_from_data
from postlint.model.post import Post
from postlint.model.site import build_zone, filename_date, is_yaml_timestamp, jekyll_moment, posts_folder

CODE = "DT005"
NAME = "future-date"
SCOPE = "site"
SEVERITY = "warning"
__all__ = ["OPTIONS", "OPTIONS_TABLE", "now", "prepare"]


def collect(
    post: Post, options: dict[str, Any]
) -> tuple[str, str, tuple[int, int, int, int, tuple[str, int, int]]] | None:
    """(the post's moment as ISO text, a note, the position to report at)."""
    if post.front_matter is None or posts_folder(post.path) == "_drafts":
        return None
    site = post.site
    if site.future:
        return None
    zone = build_zone(site, options.get("build-timezone"))
    moment = None
    for date in dates(post, options):
        if date.key == "date" and date.parsed is not None:
            moment = jekyll_moment(date.parsed, zone, is_yaml_timestamp(post, "date"))
            span = post.locate(("date",))
            break
    else:
        named = filename_date(post.path)
        if named is not None:
            try:
                moment = datetime(*named, tzinfo=zone.tzinfo)
            except ValueError:
                moment = None
        span = post.locate(())
    if moment is None:
        return None
    note = " (the post is also unpublished: published: false)" if post.data.get("published") is False else ""
    return (moment.isoformat(), note, post.located_data(span.start, span.end))


def check_site(facts: dict[str, Any], options: dict[str, Any], context: Any) -> Iterator[Diagnostic]:
    current = now()
    moments = []
    for path, fact in sorted(facts.items()):
        if fact is None:
            continue
        iso, note, (line, column, end_line, end_column, source) = fact
        moment = datetime.fromisoformat(iso)
        moments.append(moment)
        if moment > current:
            yield Diagnostic(
                path, line, column, end_line, end_column, CODE, None,
                f"dated {moment:%Y-%m-%d %H:%M %z}, in the future: Jekyll will not publish it "
                f"until then (set future: true in _config.yml to publish it){note}",
                None, excerpt_from_data(source),
            )
    # For how long these verdicts hold: a run's kept result is reused only
    # while the clock stays between the moments around this one.
    spans = getattr(context, "clock", None)
    if isinstance(spans, list):
        try:
            spans.append(holds(current, moments))
        except (TypeError, ValueError, OverflowError):  # a moment without a zone: holds for no other moment
            spans.append((1, 0))
