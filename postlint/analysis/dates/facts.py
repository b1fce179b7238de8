"""The date keys of a post, checked once and shared by the DT rules.

Which keys hold dates and which formats they may use is configuration
(`[tool.postlint.dates]`): `keys` (default `["date"]`), `format` (the site's
format, default `rfc2822`) and `accept` (further formats Jekyll also reads,
default `["jekyll"]`). A value is checked by the grammar it is written in:
Jekyll's numeric forms by theirs, anything else by RFC 5322's. `build-timezone`
(default `UTC`) is the zone Jekyll is assumed to build in when `_config.yml`
sets no `timezone` (DT004, DT005, JK002).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from postlint.model.analyses import Slot
from postlint.model.diagnostic import Diagnostic, Edit, Fix
from postlint.model.patterns import lazy
from postlint.model.post import Post
from postlint.model.record import NamedTuple

if TYPE_CHECKING:  # imported where a date is checked
    from postlint.analysis.dates.formats import DateFormat

OPTIONS_TABLE = "dates"
OPTIONS: dict[str, Any] = {
    "keys": {
        "type": "array", "items": {"type": "string"}, "default": ["date"],
        "description": "front-matter keys that hold dates",
    },
    "format": {
        "enum": ["rfc2822", "jekyll", "iso8601"], "default": "rfc2822",
        "description": "the format the site writes its dates in",
    },
    "accept": {
        "type": "array", "items": {"enum": ["rfc2822", "jekyll", "iso8601"]}, "default": ["jekyll"],
        "description": "other formats accepted (each checked by its own grammar)",
    },
    "build-timezone": {
        "type": "string", "minLength": 1, "default": "UTC",
        "description": "the zone Jekyll builds in when _config.yml sets no timezone "
                       "(an IANA name; GitHub Pages, Actions and Netlify build in UTC)",
    },
}
# Numeric dates, year first (Jekyll's) or day first (reported as such).
_NUMERIC = lazy(r"\s*(?:\d{4}-\d|\d{1,2}-\d{1,2}-\d{4})")
_KIND_CODE = {"invalid": "DT001", "weekday": "DT002", "obsolete": "DT003"}


class DateValue(NamedTuple):
    key: str
    value: Any
    parsed: Any  # datefmt.ParsedDate or None
    problems: list[Any]  # datefmt.DateProblem
    fmt: str


# The dates of a post, by the options that decide them: (keys, formats).
_DATES: Slot[list[DateValue]] = Slot("dates")


def prepare(options: dict[str, Any]) -> None:
    """Refuse an unknown `build-timezone` once per run (exit 2), never guess."""
    from postlint.model.errors import ConfigError
    from postlint.model.site import zone_named

    name = options.get("build-timezone") or "UTC"
    if zone_named(name) is None:
        raise ConfigError(
            f"[dates] build-timezone: unknown time zone {name!r}; "
            "use an IANA name such as 'UTC' or 'Europe/Amsterdam'"
        )


def _formats(options: dict[str, Any]) -> list[DateFormat]:
    out: list[DateFormat] = [options.get("format", "rfc2822")]
    out += [f for f in options.get("accept", []) if f not in out]
    return out


def check_value(value: str, options: dict[str, Any]) -> tuple[Any, list[Any], str]:
    """Parse with the accepted grammar the value is written in."""
    from postlint.analysis.dates.formats import check_date

    formats = _formats(options)
    numeric = _NUMERIC.match(value) is not None
    shaped = [f for f in formats if (f != "rfc2822") == numeric]
    results = []
    for fmt in shaped or formats[:1]:
        parsed, problems = check_date(value, fmt)
        if not any(p.kind == "invalid" for p in problems):
            return parsed, problems, fmt
        results.append((parsed, problems, fmt))
    if not shaped:
        # Written in a format the site does not accept: say so, in the site's terms.
        parsed, problems, fmt = results[0]
        return parsed, problems, fmt
    return results[0]


def dates(post: Post, options: dict[str, Any]) -> list[DateValue]:
    """Every configured date key of the post, parsed once per post (for each
    set of the options that decide it)."""
    key = (tuple(options.get("keys", ())), tuple(_formats(options)))
    return post.analyses.get(_DATES, lambda: _dates(post, options), key)


def _dates(post: Post, options: dict[str, Any]) -> list[DateValue]:
    result = []
    data = post.data
    for key in options.get("keys", ["date"]):
        if key not in data or data[key] is None:
            continue
        value = data[key]
        if not isinstance(value, str):
            result.append(DateValue(key, value, None, [], options.get("format", "rfc2822")))
            continue
        parsed, problems, fmt = check_value(value, options)
        result.append(DateValue(key, value, parsed, problems, fmt))
    return result


def value_span(post: Post, key: str) -> tuple[int, int, int | None]:
    """(start, end) of the value in the file, and the offset where the value's
    own characters start when they stand verbatim in the file (else None)."""
    content = post.scalar_content((key,))
    start, end = post.locate((key,))
    if content is None:
        return start, end, None
    return start, end, content[0]


def findings(post: Post, options: dict[str, Any]) -> list[Diagnostic]:
    """The DT001/DT002/DT003 findings of the post's dates, in one pass (the
    DT family, `postlint.rules.dates.family`)."""
    out = []
    for date in dates(post, options):
        start, end, base = value_span(post, date.key)
        if not isinstance(date.value, str):
            out.append(post.diagnostic("DT001", start, end, f"{date.key}: {date.value!r} is not a date string"))
            continue
        for problem in date.problems:
            code = _KIND_CODE[problem.kind]
            if base is not None:
                p_start, p_end = base + problem.start, base + max(problem.end, problem.start)
            else:
                p_start, p_end = start, end
            message = problem.message
            fix = None
            suggestion = problem.suggestion
            if suggestion is not None and suggestion != date.value and problem.kind == "invalid":
                conflict = _day_conflict(post, date.key, suggestion, options)
                if conflict is not None:
                    message = f"{message}; no fix: {conflict}"
                    suggestion = None
            if suggestion is not None and suggestion != date.value:
                if suggestion not in message and "write" not in message:
                    message = f"{message}; write '{suggestion}'"
                if base is not None and _reads_back(post, date.key, base, suggestion):
                    fix = Fix(
                        (Edit(base, base + len(date.value), suggestion),),
                        "safe" if problem.kind == "obsolete" else "unsafe",
                    )
            out.append(post.diagnostic(code, p_start, p_end, f"{date.key}: {message}", fix=fix))
    return out


def _day_conflict(post: Post, key: str, suggestion: str, options: dict[str, Any]) -> str | None:
    """Why the corrected date of an invalid value cannot be offered as a fix:
    it would fall on another day than the file name (DT004), so which of the
    two is wrong is not known. None when there is no such conflict."""
    from postlint.model.site import filename_date, is_yaml_timestamp, local_date, posts_folder

    if key != "date" or posts_folder(post.path) != "_posts":
        return None
    named = filename_date(post.path)
    parsed, _, _ = check_value(suggestion, options)
    if named is None or parsed is None:
        return None
    site = post.site
    try:
        day = local_date(parsed, site, options.get("build-timezone"), yaml_timestamp=is_yaml_timestamp(post, key))
    except ValueError:
        return None
    if day is None or day == named:
        return None
    return (
        f"'{suggestion}' falls on {day[0]:04d}-{day[1]:02d}-{day[2]:02d}, the file name says "
        f"{named[0]:04d}-{named[1]:02d}-{named[2]:02d}: correct the date or the name by hand"
    )


def _reads_back(post: Post, key: str, base: int, suggestion: str) -> bool:
    """Does the front matter, with the value replaced, still parse to the same
    data but for that value? (A ', ' in a flow mapping, a '\\' in a double-quoted
    scalar would change what YAML reads.)"""
    from postlint.model.post import parse

    fm = post.front_matter
    if fm is None or post.data is None:
        return False
    value = post.data.get(key)
    if not isinstance(value, str):
        return False
    text = post.text[:base] + suggestion + post.text[base + len(value):]
    edited = parse(post.path, text.encode("utf-8"))
    if edited.front_matter is None or not isinstance(edited.data, dict) or edited.data.get(key) != suggestion:
        return False
    return {k: v for k, v in edited.data.items() if k != key} == {k: v for k, v in post.data.items() if k != key}
