"""Two posts would be written to the same URL.

## What it does
Computes the URL Jekyll gives every post (the site's `permalink` style from
`_config.yml` or a post's own `permalink`, with `:categories`, `:year`,
`:month`, `:day`, `:title` and the other placeholders, the categories from the
front matter and the folders above `_posts`, the date from the front matter or
the file name, in the zone Jekyll builds in: the site's `timezone`, else
`build-timezone`, default UTC) and reports every post whose URL another post also has, at each
of them. Drafts and posts with `published: false` are left out, as Jekyll
leaves them out of the build.

jekyll-redirect-from writes a redirect page at each entry of a post's
`redirect_from`: an entry that is another post's URL (`/a/` and
`/a/index.html`, `/a` and `/a.html` are the same file) is reported at the
entry and at that post.

This is a site rule: it needs every post of the site. When postlint is given
single files (as pre-commit does, in batches), it is skipped; `--verbose` says so.

## Why is this bad?
Jekyll writes both posts to the same file: one of them silently replaces the
other on the published site.

## Example
Two imports of the same story on the same day:
```text
_posts/2019-05-13-misbruikbeelden-online.md
_posts/2019-05-13-misbruikbeelden-online.html
```

## Use instead
Remove the duplicate, or give one of them another slug or `permalink`.

## Options
`build-timezone` in `[tool.postlint.dates]` (see DT004): the zone the dates are
converted to when `_config.yml` sets no `timezone`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from postlint.analysis.dates.facts import OPTIONS as _DATE_OPTIONS
from postlint.analysis.dates.facts import OPTIONS_TABLE, prepare
from postlint.analysis.dates.formats import parse_any_date
from postlint.model.analyses import Slot
from postlint.model.diagnostic import Diagnostic, excerpt_data, excerpt_from_data
from postlint.model.post import Post
from postlint.model.site import (
    PERMALINK_STYLES,
    POST_NAME,
    Site,
    build_zone,
    filename_date,
    is_yaml_timestamp,
    jekyll_moment,
)

CODE = "JK002"
NAME = "duplicate-url"
SCOPE = "site"
SEVERITY = "error"
OPTIONS = {"build-timezone": _DATE_OPTIONS["build-timezone"]}
__all__ = ["OPTIONS", "OPTIONS_TABLE", "prepare"]
_PLACEHOLDER = re.compile(r":(categories|year|month|i_month|day|i_day|short_year|hour|minute|second|"
                          r"y_day|title|slug|output_ext|name|path|week|short_day|long_day|short_month|long_month)")
_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_LONG_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_LONG_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
                "September", "October", "November", "December")


def _categories(post: Post, site: Site) -> list[str]:
    cats: list[str] = []
    # Folders between the site's root and _posts are categories (en/news/_posts -> en, news).
    parts = site.relative(post.path).split("/")
    if "_posts" in parts:
        cats.extend(p for p in parts[: parts.index("_posts")] if p not in (".", ".."))
    for key in ("category", "categories"):
        value = post.data.get(key)
        if isinstance(value, str):
            cats.extend(value.split() if key == "categories" else [value])
        elif isinstance(value, list):
            cats.extend(str(v) for v in value if v is not None)
    seen: list[str] = []
    for c in cats:
        c = c.lower()
        if c not in seen:
            seen.append(c)
    return seen


def _slugify(text: str) -> str:
    # Jekyll's "pretty" slug mode, cased: keeps letters, digits and ._~!$&'()+,;=@
    return re.sub(r"[^\w._~!$&'()+,;=@]+", "-", text).strip("-")


def post_url(post: Post, site: Site, build_timezone: str | None = None) -> str | None:
    name = post.path.rsplit("/", 1)[-1]
    m = POST_NAME.match(name)
    if m is None:
        return None
    value = post.data.get("date")
    parsed = parse_any_date(value) if isinstance(value, str) else None
    moment = None
    if parsed is not None:
        moment = jekyll_moment(parsed, build_zone(site, build_timezone), is_yaml_timestamp(post, "date"))
    hour = minute = second = 0
    day: tuple[int, int, int] | None = None
    if moment is None:
        day = filename_date(post.path)
    else:
        # The placeholders take the date as Jekyll converted it.
        day = (moment.year, moment.month, moment.day)
        hour, minute, second = moment.hour, moment.minute, moment.second
    if day is None:
        return None
    year, month, dom = day
    try:
        import datetime as dt

        weekday = dt.date(year, month, dom).weekday()
        y_day = dt.date(year, month, dom).timetuple().tm_yday
        week = dt.date(year, month, dom).isocalendar()[1]
    except ValueError:
        return None
    slug = post.data.get("slug")
    title = _slugify(str(slug)) if slug else m.group(4)
    ext = post.extension
    output_ext = ".html" if ext not in (".xml", ".json", ".txt") else ext
    template = post.data.get("permalink")
    if not isinstance(template, str) or not template:
        template = site.permalink
    template = PERMALINK_STYLES.get(template, template)
    values = {
        "categories": "/".join(_categories(post, site)), "year": f"{year:04d}", "month": f"{month:02d}",
        "i_month": str(month), "day": f"{dom:02d}", "i_day": str(dom), "short_year": f"{year % 100:02d}",
        "hour": f"{hour:02d}", "minute": f"{minute:02d}", "second": f"{second:02d}", "y_day": f"{y_day:03d}",
        "title": title, "slug": title, "name": title, "path": post.path, "output_ext": output_ext,
        "week": f"{week:02d}", "short_day": _DAYS[weekday], "long_day": _LONG_DAYS[weekday],
        "short_month": _MONTHS[month - 1], "long_month": _LONG_MONTHS[month - 1],
    }
    url = _PLACEHOLDER.sub(lambda mm: values[mm.group(1)], template)
    url = "/" + re.sub(r"/{2,}", "/", url).lstrip("/")
    if url.endswith("/index.html"):
        url = url[: -len("index.html")]
    return url


# Per post, by build-timezone (the one option they depend on): the post's
# URL, and JK002's facts.
_POST_URL: Slot[str | None] = Slot("post_url")
_COLLECTED: Slot[tuple[Any, ...] | None] = Slot("JK002.collect")


def cached_post_url(post: Post, site: Site, build_timezone: str | None = None) -> str | None:
    """post_url(), once per post (JK002, JK003 and JK006 all need it)."""
    return post.analyses.get(_POST_URL, lambda: post_url(post, site, build_timezone), build_timezone)


def collect(post: Post, options: dict[str, Any]) -> tuple[Any, ...] | None:
    return post.analyses.get(_COLLECTED, lambda: _collect(post, options), options.get("build-timezone"))


def _collect(post: Post, options: dict[str, Any]) -> tuple[Any, ...] | None:
    if post.front_matter is None or "/_drafts/" in f"/{post.path}" or post.data.get("published") is False:
        return None
    site = post.site
    url = cached_post_url(post, site, options.get("build-timezone"))
    if url is None:
        return None
    # At the permalink, else at the opening ---.
    span = post.locate(("permalink",)) if "permalink" in post.data else post.locate(())
    d = post.diagnostic(CODE, span.start, span.end, "")
    return (
        url,
        d.line,
        d.column,
        d.end_line,
        d.end_column,
        excerpt_data(d.source_line),
        _zone_note(post, site, options),
        _redirects(post),
    )


def _redirects(post: Post) -> tuple[tuple[str, int, int, int, int, Any], ...]:
    """jekyll-redirect-from's entries, each with where it is written."""
    value = post.data.get("redirect_from")
    if isinstance(value, str):
        items: list[tuple[tuple[Any, ...], Any]] = [(("redirect_from",), value)]
    elif isinstance(value, list):
        items = [(("redirect_from", i), v) for i, v in enumerate(value)]
    else:
        return ()
    out = []
    for path, item in items:
        if not isinstance(item, (str, int)) or isinstance(item, bool) or not str(item).strip():
            continue
        span = post.locate(path)
        d = post.diagnostic(CODE, span.start, span.end, "")
        out.append(("/" + str(item).strip().lstrip("/"), d.line, d.column, d.end_line, d.end_column,
                    excerpt_data(d.source_line)))
    return tuple(out)


def destination(url: str) -> str:
    """The file Jekyll writes for a URL: `/a/` is `/a/index.html`, `/a` is `/a.html`."""
    from urllib.parse import unquote

    url = unquote(url)
    if url.endswith("/"):
        return url + "index.html"
    if "." not in url.rsplit("/", 1)[-1]:
        return url + ".html"
    return url


_DATE_PLACEHOLDER = re.compile(r":(year|month|i_month|day|i_day|short_year|hour|minute|second|y_day|week|"
                               r"short_day|long_day|short_month|long_month)\b")


def _zone_note(post: Post, site: Site, options: dict[str, Any]) -> str:
    """The zone a dated post's URL took its date in, when it was assumed."""
    value = post.data.get("date")
    if not isinstance(value, str) or parse_any_date(value) is None:
        return ""
    template = post.data.get("permalink")
    if not isinstance(template, str) or not template:
        template = site.permalink
    if not _DATE_PLACEHOLDER.search(PERMALINK_STYLES.get(template, template)):
        return ""
    zone = build_zone(site, options.get("build-timezone"))
    return f" (its date read in {zone.name}; {zone.why})" if zone.assumed else ""


def check_site(facts: dict[str, Any], options: dict[str, Any], context: Any) -> Iterator[Diagnostic]:
    if context.partial:
        context.notes.append(f"{CODE} skipped: it needs the whole site, and only single files were given")
        getattr(context, "skipped", {})[CODE] = "it needs the whole site, and only single files were given"
        return
    by_url: dict[str, list[str]] = {}
    for path, fact in facts.items():
        if fact is not None:
            by_url.setdefault(fact[0], []).append(path)
    for url, paths in sorted(by_url.items()):
        if len(paths) < 2:
            continue
        for path in sorted(paths):
            _, line, column, end_line, end_column, source = facts[path][:6]
            source = excerpt_from_data(source)
            note = facts[path][6] if len(facts[path]) > 6 else ""
            others = ", ".join(p for p in sorted(paths) if p != path)
            yield Diagnostic(path, line, column, end_line, end_column, CODE, None,
                             f"Jekyll writes this post to {url}{note}, as it does {others}", None, source)
    yield from _redirect_collisions(facts)


def _redirect_collisions(facts: dict[str, Any]) -> Iterator[Diagnostic]:
    posts: dict[str, list[str]] = {}
    for path, fact in facts.items():
        if fact is not None:
            posts.setdefault(destination(fact[0]), []).append(path)
    for path, fact in sorted(facts.items()):
        if fact is None or len(fact) < 8:
            continue
        for entry, line, column, end_line, end_column, source in fact[7]:
            others = sorted(p for p in posts.get(destination(entry), []) if p != path)
            if not others:
                continue
            source = excerpt_from_data(source)
            yield Diagnostic(path, line, column, end_line, end_column, CODE, None,
                             f"redirect_from {entry}: jekyll-redirect-from writes a redirect page there, over "
                             f"the post {', '.join(others)}", None, source)
            for other in others:
                _, oline, ocolumn, oend_line, oend_column, osource = facts[other][:6]
                osource = excerpt_from_data(osource)
                yield Diagnostic(other, oline, ocolumn, oend_line, oend_column, CODE, None,
                                 f"Jekyll writes this post to {facts[other][0]}, where {path} asks "
                                 "jekyll-redirect-from for a redirect page (redirect_from)", None, osource)
