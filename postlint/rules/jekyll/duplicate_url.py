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

import datetime as dt
import operator
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from postlint.analysis.dates.facts import OPTIONS as _DATE_OPTIONS
from postlint.analysis.dates.facts import OPTIONS_TABLE, prepare
from postlint.analysis.dates.formats import parse_any_date
from postlint.model.analyses import Slot
from postlint.model.diagnostic import Diagnostic, excerpt_data, excerpt_from_data
from postlint.model.patterns import lazy
from postlint.model.post import Post
from postlint.model.site import (
    DEFAULT_BUILD_TIMEZONE,
    PERMALINK_STYLES,
    POST_NAME,
    Site,
    build_zone,
    filename_date,
    is_yaml_timestamp,
    jekyll_moment,
)
from postlint.rules.jekyll import refs

CODE = "JK002"
NAME = "duplicate-url"
SCOPE = "site"
SEVERITY = "error"
OPTIONS = {"build-timezone": _DATE_OPTIONS["build-timezone"]}
__all__ = ["OPTIONS", "OPTIONS_TABLE", "prepare"]
_PLACEHOLDER = lazy(r":(categories|year|month|i_month|day|i_day|short_year|hour|minute|second|"
                          r"y_day|title|slug|output_ext|name|path|week|short_day|long_day|short_month|long_month)")
_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_LONG_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_LONG_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
                "September", "October", "November", "December")


def _categories(post: Post, site: Site) -> list[str]:
    cats: list[str] = []
    # Folders between the site's root and _posts are categories (en/news/_posts -> en, news).
    parts = (refs.relative_path(post) if site is post.site else site.relative(post.path)).split("/")
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


_SLUG_RUN = lazy(r"[^\w._~!$&'()+,;=@]+")
_SLASHES = lazy(r"/{2,}")


def _slugify(text: str) -> str:
    # Jekyll's "pretty" slug mode, cased: keeps letters, digits and ._~!$&'()+,;=@
    return _SLUG_RUN.sub("-", text).strip("-")


@lru_cache(maxsize=256)
def _placeholders(template: str) -> tuple[tuple[str, ...], str]:
    """The placeholders a permalink template uses (a site has one or a few),
    and the template as a format string of them (each placeholder _PLACEHOLDER
    finds as "{name}", braces doubled): str.format_map fills it in C, where
    a substitution called back into Python for each placeholder."""
    names = tuple(dict.fromkeys(_PLACEHOLDER.findall(template)))
    escaped = template.replace("{", "{{").replace("}", "}}")
    return names, _PLACEHOLDER.sub(lambda m: "{" + m.group(1) + "}", escaped)


def _parsed_date(post: Post) -> Any:
    """The front-matter date as parse_any_date reads it (which keeps its
    answers per process: the URL, the zone note and the DT rules ask alike)."""
    value = post.data.get("date")
    if not isinstance(value, str):
        return None
    return parse_any_date(value)


def post_url(post: Post, site: Site, build_timezone: str | None = None) -> str | None:
    name = post.path.rsplit("/", 1)[-1]
    m = POST_NAME.match(name)
    if m is None:
        return None
    parsed = _parsed_date(post)
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
        date = dt.date(year, month, dom)
    except ValueError:
        return None
    slug = post.data.get("slug")
    title = _slugify(str(slug)) if slug else m.group(4)
    template = post.data.get("permalink")
    if not isinstance(template, str) or not template:
        template = site.permalink
    template = PERMALINK_STYLES.get(template, template)
    # Only the placeholders the template uses (most use four or five of them).
    values: dict[str, str] = {}
    names, form = _placeholders(template)
    for key in names:
        if key == "categories":
            value = "/".join(_categories(post, site))
        elif key in ("title", "slug", "name"):
            value = title
        elif key == "year":
            value = f"{year:04d}"
        elif key == "month":
            value = f"{month:02d}"
        elif key == "day":
            value = f"{dom:02d}"
        elif key == "i_month":
            value = str(month)
        elif key == "i_day":
            value = str(dom)
        elif key == "short_year":
            value = f"{year % 100:02d}"
        elif key == "hour":
            value = f"{hour:02d}"
        elif key == "minute":
            value = f"{minute:02d}"
        elif key == "second":
            value = f"{second:02d}"
        elif key == "y_day":
            value = f"{date.timetuple().tm_yday:03d}"
        elif key == "week":
            value = f"{date.isocalendar()[1]:02d}"
        elif key == "output_ext":
            ext = post.extension
            value = ".html" if ext not in (".xml", ".json", ".txt") else ext
        elif key == "path":
            value = post.path
        elif key in ("short_day", "long_day"):
            value = (_DAYS if key == "short_day" else _LONG_DAYS)[date.weekday()]
        else:  # short_month, long_month
            value = (_MONTHS if key == "short_month" else _LONG_MONTHS)[month - 1]
        values[key] = value
    url = form.format_map(values)
    url = "/" + _SLASHES.sub("/", url).lstrip("/")
    if url.endswith("/index.html"):
        url = url[: -len("index.html")]
    return url


# Per post, by build-timezone (the one option they depend on): the post's
# URL, and JK002's facts.
_POST_URL: Slot[str | None] = Slot("post_url")
_COLLECTED: Slot[str | None] = Slot("JK002.collect")


def cached_post_url(post: Post, site: Site, build_timezone: str | None = None) -> str | None:
    """post_url(), once per post (JK002, JK003 and JK006 all need it): keyed
    by the zone it is computed in (no option is the default, UTC)."""
    zone = build_timezone or DEFAULT_BUILD_TIMEZONE
    return post.analyses.get(_POST_URL, lambda: post_url(post, site, zone), zone)


def collect(post: Post, options: dict[str, Any]) -> str | None:
    """The post's URL and where to report it, packed (refs.pack): the same
    string for JK002 and JK006."""
    def packed() -> str | None:
        fact = _collect(post, options)
        return None if fact is None else refs.pack(fact)

    return post.analyses.get(_COLLECTED, packed, options.get("build-timezone"))


def _collect(post: Post, options: dict[str, Any]) -> tuple[Any, ...] | None:
    if post.front_matter is None or "/_drafts/" in f"/{post.path}" or post.data.get("published") is False:
        return None
    site = post.site
    url = cached_post_url(post, site, options.get("build-timezone"))
    if url is None:
        return None
    # At the permalink, else at the opening ---.
    span = post.locate(("permalink",)) if "permalink" in post.data else post.locate(())
    at = refs.where(post, span.start, span.end)
    return (
        url,
        at.line,
        at.column,
        at.end_line,
        at.end_column,
        at.source_line,
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


_DATE_PLACEHOLDER = lazy(r":(year|month|i_month|day|i_day|short_year|hour|minute|second|y_day|week|"
                               r"short_day|long_day|short_month|long_month)\b")


def _zone_note(post: Post, site: Site, options: dict[str, Any]) -> str:
    """The zone a dated post's URL took its date in, when it was assumed."""
    if _parsed_date(post) is None:
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
    facts = unpacked(facts, context)
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


def unpacked(facts: dict[str, Any], context: Any = None) -> dict[str, Any]:
    """The facts collect() packed, by path (a post without one left out).
    JK002 and JK006 get the same strings (collect's): with the run's
    `context`, the second decodes none of them again (ruby-lang.org: 4-5 ms
    of the site rules' 80, in which the other CPUs wait). The answer is
    shared: read only."""
    if context is None:
        return refs.unpack_all(facts)
    kept = context.shared.get(_UNPACKED)
    keys, values = list(facts), list(facts.values())
    if (kept is not None and len(kept[0]) == len(keys) and all(map(operator.is_, kept[0], keys))
            and all(map(operator.is_, kept[1], values))):
        found: dict[str, Any] = kept[2]
        return found
    found = refs.unpack_all(facts)
    context.shared[_UNPACKED] = (keys, values, found)
    return found


_UNPACKED = "JK002.unpacked"  # context.shared: the facts unpacked, with what they came from


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
