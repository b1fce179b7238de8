"""The URLs of a post, resolved once per run and shared by the URL rules.

Configuration (`[tool.postlint.urls]`, or `[urls]` in `.postlint.toml`) names
the front-matter fields that hold URLs and what each must serve (`fields`,
default `externe_link` = page, `feature_image` = image), and opts in to the
links of the body (`body-links`). Per post, `collect` records every URL with
the span of its value (cheap: no request, no `requests` import). Once per run,
the first URL rule to run resolves every distinct (URL, kind) the enabled URL
rules need, through `postlint.net.resolve` (cache, concurrency limits, address
guard); the verdicts live in the run's state (`context.state`, owned by the
engine), and one pass reports each occurrence's code (`postlint.rules.urls.family`).

A `--fix` run lints the site a second time after writing files; both passes
share the run's state, so the second pass requests only the URLs the fixes
wrote.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from postlint.model.analyses import Slot
from postlint.model.diagnostic import Diagnostic, Edit, Fix, excerpt_data, excerpt_from_data
from postlint.model.post import Post
from postlint.model.record import FACTORY, NamedTuple, Record
from postlint.net import DEFAULT_USER_AGENT, Kind, NetSettings, Summary, UrlCheck, Verdict, parse_duration

CODES = ("URL001", "URL002", "URL003", "URL004", "URL005")
# Libraries whose versions decide this rule's findings (the result cache keys on them).
LIBRARIES = ("markdown_it", "pyromark")
# Codes whose verdicts need a request for every kind of URL; URL003 needs one
# for images only; URL004 needs none.
_FETCHING = ("URL001", "URL002", "URL005")
SHARED_KEY = "urls"
SUMMARY_KEY = "summaries"  # context.shared[SUMMARY_KEY][name] = one line for standard error

OPTIONS_TABLE = "urls"
_DURATION = r"^\s*(?:\d+(?:\.\d+)?|(?:\d+(?:\.\d+)?\s*[wdhmsWDHMS]\s*)+)$"
OPTIONS: dict[str, Any] = {
    "fields": {
        "type": "object",
        "additionalProperties": {"enum": ["page", "image"]},
        # A feed importer's fields, jekyll-seo-tag's and jekyll-redirect-from's.
        "default": {"externe_link": "page", "feature_image": "image", "image": "image", "canonical_url": "page",
                    "redirect_to": "page"},
        "description": "front-matter fields holding URLs, and what each must serve (page or image); a value "
                       "starting with / is a path of the site, checked by JK003",
    },
    "body-links": {
        "type": "boolean", "default": False,
        "description": "also check <a href>, <img src> and Markdown links and images of the body",
    },
    "concurrency": {
        "type": "integer", "minimum": 1, "maximum": 512, "default": 32,
        "description": "requests in flight, all hosts together",
    },
    "per-host": {
        "type": "integer", "minimum": 1, "maximum": 512, "default": 4,
        "description": "requests in flight to one host",
    },
    "timeout": {
        "type": "number", "exclusiveMinimum": 0, "maximum": 600, "default": 10,
        "description": "seconds one attempt may take in all: connect, headers and the little body read",
    },
    "deadline": {
        "type": "number", "exclusiveMinimum": 0, "maximum": 3600, "default": 30,
        "description": "seconds one URL may take in all, wall clock: every attempt, retry, wait and redirect",
    },
    "retries": {
        "type": "integer", "minimum": 0, "maximum": 10, "default": 2,
        "description": "extra attempts after a timeout, connection error, 429 or 5xx",
    },
    "accept": {
        "type": "array",
        "items": {"anyOf": [
            {"type": "integer", "minimum": 100, "maximum": 599},
            {"type": "string", "pattern": "^[1-5]xx$"},
        ]},
        "default": ["2xx"],
        "description": 'status codes that mean "works": numbers, or classes such as "2xx"',
    },
    "user-agent": {
        "type": "string", "minLength": 1,
        "description": "User-Agent header (default: postlint/VERSION (+https://github.com/postlint/postlint))",
    },
    "cache-max-age": {
        "type": ["string", "number"], "pattern": _DURATION, "minimum": 0, "default": "1d",
        "description": 'how long a working URL stays cached: "1d", "12h", "30m", "2d12h" or seconds',
    },
    "allow-private": {
        "type": "boolean", "default": False,
        "description": "request private, loopback and link-local addresses too (URL005 off)",
    },
    "allow-hosts": {
        "type": "array", "items": {"type": "string", "minLength": 1}, "default": [],
        "description": "host names, IP addresses or networks (10.0.0.0/8) exempt from URL005; "
                       "with :port (localhost:4000, [::1]:8080) that port only",
    },
    "network": {
        "type": "boolean", "default": True,
        "description": "false: skip the URL rules, as --no-network does",
    },
}


class Occurrence(NamedTuple):
    """One URL as written in a post: what to check and where to report it."""

    source: str  # the front-matter field, or "link"/"image" for the body
    url: str
    kind: Kind
    line: int
    column: int
    end_line: int
    end_column: int
    source_line: str
    # (start, end, YAML style) of the value's own characters in the file, when
    # they stand there verbatim: URL002's fix replaces them.
    edit: tuple[int, int, str] | None = None
    problem: str | None = None  # not a string at all: URL004 without resolving

    def data(self) -> list[Any]:
        """As a site rule's fact: JSON data (the cache stores it)."""
        return [*self[:7], excerpt_data(self.source_line), list(self.edit) if self.edit else None, self.problem]

    @classmethod
    def from_data(cls, value: Any) -> Occurrence:
        source, url, kind, line, column, end_line, end_column, source_line, edit, problem = value
        return cls(source, url, kind, line, column, end_line, end_column, excerpt_from_data(source_line),
                   (edit[0], edit[1], edit[2]) if edit else None, problem)


# -- collect (per post, cheap) -----------------------------------------------------


# Per post, by the options that decide them ((field, kind) pairs, body-links):
# the post's URLs as facts (Occurrence.data()).
_URLS: Slot[tuple[list[Any], ...] | None] = Slot("urls")


def collect(post: Post, options: dict[str, Any]) -> tuple[list[Any], ...] | None:
    """Every URL of the post, once per post for the five codes."""
    fields = options.get("fields") or {}
    body = bool(options.get("body-links"))
    key = (tuple(sorted(fields.items())), body)
    return post.analyses.get(_URLS, lambda: _collect(post, fields, body), key)


def _collect(post: Post, fields: dict[str, Kind], body: bool) -> tuple[list[Any], ...] | None:
    found: list[Occurrence] = []
    data = post.data
    for name, kind in fields.items():
        if name in data:
            found.extend(_field(post, name, kind, data[name]))
    if body:
        found.extend(_body(post))
    return tuple(occ.data() for occ in found) or None


def _site_path(value: Any) -> bool:
    """A path of the site (`/assets/x.jpg`): JK003's business, not a URL to request."""
    return isinstance(value, str) and value.strip().startswith("/") and not value.strip().startswith("//")


def _field(post: Post, name: str, kind: Kind, value: Any) -> Iterator[Occurrence]:
    if value is None or _site_path(value):
        return
    if isinstance(value, list):  # a field holding several URLs: each item
        for index, item in enumerate(value):
            if item is not None and not _site_path(item):
                yield _value(post, (name, index), name, kind, item)
        return
    if isinstance(value, dict) and "path" in value:  # jekyll-seo-tag's image: {path: ..., alt: ...}
        if value["path"] is not None and not _site_path(value["path"]):
            yield _value(post, (name, "path"), name, kind, value["path"])
        return
    yield _value(post, (name,), name, kind, value)


def _value(post: Post, path: tuple[Any, ...], name: str, kind: Kind, value: Any) -> Occurrence:
    start, end = post.locate(path)
    edit = None
    content = post.scalar_content(path) if isinstance(value, str) else None
    if content is not None:
        # Report the URL itself, without the quotes around it.
        start, end = content[0], content[0] + len(content[1])
        style = (post.front_matter.scalars[tuple(path)][0] or "") if post.front_matter else ""
        if not style and len(path) > 1:
            style = "["  # a plain list item, maybe in [flow, style]: no ",[]{}" may be written
        edit = (start, end, style)
    d = post.diagnostic("URL000", start, end, "")
    if isinstance(value, str):
        return Occurrence(name, value, kind, d.line, d.column, d.end_line, d.end_column, d.source_line, edit)
    what = type(value).__name__
    what = {"bool": "a boolean", "int": "a number", "float": "a number", "dict": "a mapping", "list": "a list"}.get(
        what, what
    )
    return Occurrence(name, "", kind, d.line, d.column, d.end_line, d.end_column, d.source_line, None,
                      f"not an absolute http(s) URL: {what}")


def _body(post: Post) -> Iterator[Occurrence]:
    from postlint.analysis.body.links import body_links

    base = post.body_offset
    for link in body_links(post.body, post.is_markdown):
        d = post.diagnostic("URL000", base + link.start, base + link.end, "")
        yield Occurrence(link.kind if link.kind == "image" else "link", link.url, link.kind,
                         d.line, d.column, d.end_line, d.end_column, d.source_line)


# -- resolution (once per run) ------------------------------------------------------


class _RunState(Record):

    verdicts: dict[UrlCheck, Verdict]
    checked: int
    from_cache: int
    failed: int
    requests: int
    elapsed: float
    resolved: bool  # resolve() ran at least once

    def __init__(
        self, verdicts: dict[UrlCheck, Verdict] = FACTORY, checked: int = 0, from_cache: int = 0, failed: int = 0,
        requests: int = 0, elapsed: float = 0.0, resolved: bool = False,
    ) -> None:
        self.verdicts = {} if verdicts is FACTORY else verdicts
        self.checked = checked
        self.from_cache = from_cache
        self.failed = failed
        self.requests = requests
        self.elapsed = elapsed
        self.resolved = resolved

    def add(self, summary: Summary) -> None:
        self.resolved = True
        self.checked += summary.checked
        self.from_cache += summary.from_cache
        self.failed += summary.failed
        self.requests += summary.requests
        self.elapsed += summary.elapsed

    def summary(self) -> Summary:
        return Summary(self.checked, self.from_cache, self.failed, self.requests, self.elapsed)


def _run_state(context: Any) -> _RunState:
    """The verdicts of this run, kept by the engine (context.state) for every
    pass of the run: the second pass of --fix requests only the URLs the fixes
    wrote."""
    state: _RunState = context.state.get(SHARED_KEY, _RunState)
    return state


def _accept(values: list[Any]) -> frozenset[int]:
    codes: set[int] = set()
    for value in values:
        if isinstance(value, int):
            codes.add(value)
        else:  # "2xx"
            first = int(str(value)[0]) * 100
            codes.update(range(first, first + 100))
    return frozenset(codes)


def net_settings(options: dict[str, Any], settings: Any) -> NetSettings:
    """NetSettings from the [urls] options and the run's settings."""
    from postlint.files.cachedb import cache_dir as cache_folder

    cache_dir = cache_folder(settings)
    max_age = options.get("cache-max-age", "1d")
    return NetSettings(
        concurrency=int(options.get("concurrency", 32)),
        per_host=int(options.get("per-host", 4)),
        timeout=float(options.get("timeout", 10)),
        deadline=float(options.get("deadline", 30)),
        retries=int(options.get("retries", 2)),
        accept=_accept(options.get("accept", ["2xx"])),
        user_agent=options.get("user-agent") or DEFAULT_USER_AGENT,
        cache_dir=Path(cache_dir),
        cache_max_age=float(max_age) if isinstance(max_age, (int, float)) else parse_duration(max_age),
        use_cache=bool(settings.use_cache),
        allow_private=bool(options.get("allow-private", False)),
        allow_hosts=tuple(options.get("allow-hosts", ())),
        progress=True,  # shown only when standard error is a terminal
    )


def prepare(options: dict[str, Any]) -> None:
    """Once per run: refuse an `allow-hosts` entry that can never match (exit 2)."""
    entries = options.get("allow-hosts", ()) or ()
    if not entries:
        return                              # (net.guard imports socket: 5 ms a run for nothing)
    from postlint.model.errors import ConfigError
    from postlint.net.guard import parse_allow_entry

    for entry in entries:
        try:
            parse_allow_entry(str(entry))
        except ValueError as exc:
            raise ConfigError(f"'{OPTIONS_TABLE}.allow-hosts': entry {exc}") from None


def _verdicts(facts: dict[str, Any], options: dict[str, Any], context: Any) -> dict[UrlCheck, Verdict]:
    state = _run_state(context)
    # Which requests are worth sending (never what a verdict is): URL004 alone sends none.
    enabled = {code for code in CODES if code in context.options}
    needed: dict[UrlCheck, None] = {}
    for occurrences in facts.values():
        for occ in map(Occurrence.from_data, occurrences or ()):
            if occ.problem is None:
                check = UrlCheck(occ.url, occ.kind)
                if check not in state.verdicts:
                    needed[check] = None
    if needed:
        _resolve(list(needed), state, enabled, options, context)
    if state.resolved:
        # Every pass's context gets the line: the runner reports the last pass's.
        context.shared.setdefault(SUMMARY_KEY, {})[SHARED_KEY] = state.summary().line()
    return state.verdicts


def _resolve(needed: list[UrlCheck], state: _RunState, enabled: set[str], options: dict[str, Any],
             context: Any) -> None:
    fetch_all = bool(enabled & set(_FETCHING))
    if fetch_all or "URL003" in enabled:
        from postlint.net import resolve

        to_resolve = [c for c in needed if fetch_all or c.kind == "image"]
        rest = [c for c in needed if not (fetch_all or c.kind == "image")]
        if to_resolve:
            verdicts, summary = resolve(to_resolve, net_settings(options, context.settings))
            state.verdicts.update(verdicts)
            state.add(summary)
    else:
        rest = list(needed)
    if rest:
        # Only URL004 can be reported for these: say which are not URLs, send nothing.
        from postlint.net.fetch import invalid_reason

        for check in rest:
            reason = invalid_reason(check.url)
            state.verdicts[check] = Verdict("URL004", reason) if reason else Verdict(None, "not requested")


# -- findings (per rule) -------------------------------------------------------------


def findings(facts: dict[str, Any], options: dict[str, Any], context: Any) -> Iterator[Diagnostic]:
    """The findings of the URL rules, at every occurrence of every URL: each
    occurrence has one verdict, and so at most one code."""
    verdicts = _verdicts(facts, options, context)
    for path in sorted(facts):
        for occ in map(Occurrence.from_data, facts[path] or ()):
            if occ.problem is not None:
                verdict: Verdict | None = Verdict("URL004", occ.problem)
                shown = occ.source
            else:
                verdict = verdicts.get(UrlCheck(occ.url, occ.kind))
                shown = f"{occ.source}: {occ.url}"
            if verdict is None or verdict.code not in CODES:
                continue
            code = verdict.code
            fix = _fix(occ, verdict.final_url) if code == "URL002" else None
            yield Diagnostic(
                path, occ.line, occ.column, occ.end_line, occ.end_column, code, None,
                f"{shown}: {verdict.message}", fix, occ.source_line,
            )


def _fix(occ: Occurrence, final_url: str | None) -> Fix | None:
    """Write the final URL over the value, in the value's own YAML style,
    if the result reads back as exactly that URL."""
    if occ.edit is None or not final_url:
        return None
    start, end, style = occ.edit
    if style == '"':
        text = final_url.replace("\\", "\\\\").replace('"', '\\"')
    elif style == "'":
        text = final_url.replace("'", "''")
    elif style == "[" and any(c in final_url for c in ",[]{}"):
        return None
    else:
        text = final_url
    import yaml

    quote = style if style in ("'", '"') else ""
    try:
        if yaml.safe_load(f"k: {quote}{text}{quote}\n") != {"k": final_url}:
            return None
    except yaml.YAMLError:
        return None
    return Fix((Edit(start, end, text),), "unsafe")
