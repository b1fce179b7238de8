"""`postlint init`: a commented starting `.postlint.toml` for the site it finds.

It reads the site's `_config.yml` (its timezone) and the posts' front matter:
the fields that hold http(s) URLs become `[urls] fields` (an image field when
its name or its values say so, else a page), the keys whose values are dates
become `[dates] keys`, and the date format most posts are written in becomes
`[dates] format` (with `accept` for the others found). Nothing is guessed that
the posts do not show; every other setting is written commented out, with
its default. The file starts with the `#:schema` directive, so Even Better
TOML (taplo) validates and completes it against
schemas/postlint-config.schema.json.

An existing configuration (`.postlint.toml`, or `pyproject.toml` with a
`[tool.postlint]` table, in the site's folder) is never overwritten.
"""

from __future__ import annotations

import os
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from postlint.integrations.config_schema import SCHEMA_ID
from postlint.model.patterns import lazy

if TYPE_CHECKING:  # imported where dates are checked
    from postlint.analysis.dates.formats import DateFormat

# Posts read to learn the fields: a sample large enough for any field that
# matters, bounded for sites of 100,000 posts.
MAX_POSTS = 5000
_URL = lazy(r"\Ahttps?://[^\s]+\Z", re.IGNORECASE)
_IMAGE_NAME = lazy(
    r"image|img|thumb|cover|photo|picture|banner|logo|icon|avatar|poster|foto|afbeelding|bild", re.IGNORECASE
)
_IMAGE_PATH = lazy(r"\.(?:jpe?g|png|gif|webp|avif|svg|bmp|ico|tiff?)(?:[?#].*)?\Z", re.IGNORECASE)
_DATE_SHAPE = lazy(r"\A\s*(?:\d{4}-\d|[A-Za-z]{3},|\d{1,2}\s+[A-Za-z]{3})")
_BARE_KEY = lazy(r"\A[A-Za-z0-9_-]+\Z")


class InitError(Exception):
    """Nothing written: exit status 2."""


@dataclass
class Survey:
    root: Path
    config: Path | None  # the site's _config.yml
    timezone: str | None
    posts: int = 0  # posts read
    found: int = 0  # posts discovered
    with_front_matter: int = 0
    url_fields: dict[str, str] = field(default_factory=dict)  # key -> page/image
    url_counts: Counter[str] = field(default_factory=Counter)
    date_keys: list[str] = field(default_factory=list)
    date_format: DateFormat = "rfc2822"
    accept: list[str] = field(default_factory=list)
    format_counts: Counter[DateFormat] = field(default_factory=Counter)
    key_counts: Counter[str] = field(default_factory=Counter)  # key -> posts that have it
    key_types: dict[str, set[str]] = field(default_factory=dict)  # key -> JSON types of its values
    schema: str | None = None  # the starter front-matter schema, relative to the root


def survey(start: Path) -> Survey:
    from postlint.analysis.dates.formats import FORMATS, check_date
    from postlint.engine.discover import discover
    from postlint.files.safe import Refused, read_inside
    from postlint.model.post import parse
    from postlint.model.site import find_site

    site = find_site(start)
    root = (site.root or (start if start.is_dir() else start.parent)).resolve()
    result = Survey(root, root / "_config.yml" if site.root else None, site.timezone)
    files = discover([root], root=root, exclude=[]).files
    result.found = len(files)
    url_values: dict[str, Counter[str]] = defaultdict(Counter)  # key -> page/image votes
    date_votes: dict[str, Counter[str]] = defaultdict(Counter)  # key -> formats its values are valid in
    date_seen: Counter[str] = Counter()  # key -> posts with a date-shaped string there
    key_seen: Counter[str] = Counter()
    valid_in: dict[str, list[frozenset[DateFormat]]] = defaultdict(list)  # key -> per value, the formats it is valid in
    for path in files[:MAX_POSTS]:
        try:
            data = read_inside(str(path), str(root)).data
        except (OSError, Refused):
            continue
        post = parse(path.as_posix(), data)
        result.posts += 1
        front = post.data if post.front_matter is not None else None
        if not isinstance(front, dict):
            continue
        result.with_front_matter += 1
        for key, value in front.items():
            if not isinstance(key, str) or not _usable_key(key):
                continue
            key_seen[key] += 1
            result.key_types.setdefault(key, set()).add(_json_type(value))
            items = value if isinstance(value, list) else [value]
            urls = [v for v in items if isinstance(v, str) and _URL.match(v.strip())]
            if urls:
                image = _IMAGE_NAME.search(key) is not None or all(_IMAGE_PATH.search(u.strip()) for u in urls)
                url_values[key]["image" if image else "page"] += 1
                result.url_counts[key] += 1
            if isinstance(value, str) and len(value) <= 80 and _DATE_SHAPE.match(value):
                date_seen[key] += 1
                ok = frozenset(f for f in FORMATS if not any(p.kind == "invalid" for p in check_date(value, f)[1]))
                for fmt in ok:
                    date_votes[key][fmt] += 1
                if ok:
                    valid_in[key].append(ok)
    result.key_counts = key_seen
    result.url_fields = {key: votes.most_common(1)[0][0] for key, votes in sorted(url_values.items())}
    # A key holds dates when most of its date-shaped values are valid dates
    # and most posts that have it write one there: `date`, `last_modified_at`...
    result.date_keys = sorted(
        key for key, votes in date_votes.items()
        if max(votes.values()) * 2 > date_seen[key] and date_seen[key] * 2 > key_seen[key]
    )
    if "date" in result.date_keys:
        result.date_keys.remove("date")
    result.date_keys.insert(0, "date")
    # The format most values are valid in (ties: rfc2822, jekyll, iso8601, the
    # order postlint prefers); `accept` the others that some value needs.
    values = [ok for key in result.date_keys for ok in valid_in.get(key, [])]
    result.format_counts = Counter(f for ok in values for f in ok)
    if result.format_counts:
        result.date_format = max(FORMATS, key=lambda f: (result.format_counts[f], -FORMATS.index(f)))
    needed: set[str] = set()
    for ok in values:
        if result.date_format not in ok:
            needed.add(next(f for f in FORMATS if f in ok))
    # postlint's default accept (jekyll) stays: init adds what the posts need,
    # it does not make the date rules stricter than they were.
    needed |= {"jekyll"} - {result.date_format}
    result.accept = [f for f in FORMATS if f in needed]
    return result


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def starter_schema(result: Survey) -> dict[str, Any]:
    """A front-matter schema from the keys the posts use: postlint's default
    schema, plus each key with the JSON types its values have, and `required`
    for the keys every post has. A start, to tighten by hand."""
    from postlint.analysis.schema.validate import DEFAULT_SCHEMA_ID

    properties: dict[str, Any] = {}
    for key in sorted(result.key_types):
        types = set(result.key_types[key])
        if {"integer", "number"} <= types:
            types.discard("integer")
        order = ("string", "integer", "number", "boolean", "array", "object", "null")
        listed = [t for t in order if t in types]
        n = result.key_counts[key]
        properties[key] = {
            "description": f"In {n} of {result.with_front_matter} posts when `postlint init` looked.",
            "type": listed[0] if len(listed) == 1 else listed,
        }
    required = sorted(k for k, n in result.key_counts.items() if n == result.with_front_matter and n > 0)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Front matter of this site's posts",
        "description": (
            "Written by `postlint init` from the keys the posts use, on top of postlint's default schema "
            "($ref). Tighten it by hand: enums, patterns, formats; add \"unevaluatedProperties\": false "
            "to refuse keys not listed here."
        ),
        "$ref": DEFAULT_SCHEMA_ID,
        "type": "object",
        "required": required,
        "properties": properties,
    }


def _usable_key(key: str) -> bool:
    """A front-matter key that can be written into TOML and shown safely."""
    return 0 < len(key) <= 100 and not any("\ud800" <= c <= "\udfff" for c in key)


def _toml_string(text: str) -> str:
    """A TOML basic string: JSON's escapes are TOML's, DEL escaped too."""
    import json

    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f").replace("\u2028", "\\u2028").replace(
        "\u2029", "\\u2029"
    )


def _toml_key(key: str) -> str:
    return key if _BARE_KEY.match(key) else _toml_string(key)


def _toml_list(values: list[str]) -> str:
    return "[" + ", ".join(_toml_string(v) for v in values) + "]"


def render(result: Survey) -> str:
    from postlint import __version__

    lines = [
        f"#:schema {SCHEMA_ID}",
        (
            "# postlint configuration: a start, written by `postlint init` "
            f"(postlint {__version__}) from {result.posts} of {result.found} post{'s' if result.found != 1 else ''}."
        ),
        "# Every key is documented at https://github.com/postlint/postlint#configuration;",
        "# `postlint check --show-settings` prints what postlint makes of this file.",
        "",
        "# Rules: codes (FM003), prefixes (FM), names (duplicate-key) or ALL.",
        '# select = ["ALL"]',
        "# ignore = []",
        "",
        "# Paths to leave out (globs relative to this folder), besides Jekyll's `exclude`.",
        "# exclude = []",
        "# force-exclude = false       # true: also for files named on the command line",
        "",
        *(
            [
                "# The front-matter schema `postlint init` wrote from the keys the posts use (it builds on",
                "# postlint's default one; tighten it by hand):",
                f"schema = {_toml_string(result.schema)}",
            ]
            if result.schema
            else [
                "# A JSON Schema for the front matter, replacing postlint's default one",
                "# (`postlint init --schema FILE` writes a starter from the keys the posts use):",
                '# schema = "schemas/post.schema.json"',
            ]
        ),
        "",
        '# fail-on = "warning"          # the least severity that fails a run: error, warning or info',
        "# max-findings-per-rule = 100  # per rule and file; 0: all",
        "",
        "# Rules to disable in some files:",
        "# [per-file-ignores]",
        '# "_drafts/**" = ["DT005"]',
        "",
        "[dates]",
        f"# Front-matter keys that hold dates (found in the posts: {len(result.date_keys)}).",
        f"keys = {_toml_list(result.date_keys)}",
    ]
    counts = result.format_counts
    if counts:
        seen = ", ".join(f"{fmt} {counts[fmt]}" for fmt in ("rfc2822", "jekyll", "iso8601") if counts[fmt])
        lines.append(f"# The format the posts write their dates in (valid values per format: {seen}).")
    else:
        lines.append("# The format the site writes its dates in (no date found in the posts: postlint's default).")
    lines.append(f"format = {_toml_string(result.date_format)}")
    lines.append("# Other formats also read, each checked by its own grammar.")
    lines.append(f"accept = {_toml_list(result.accept)}")
    if result.timezone:
        lines.append(
            f"# _config.yml sets timezone: {_toml_string(result.timezone)}: dates without a zone are read in it."
        )
        lines.append('# build-timezone = "UTC"     # used only where _config.yml sets no timezone')
    else:
        lines.append(
            "# _config.yml sets no timezone: Jekyll reads dates without a zone in the build machine's zone"
        )
        lines.append("# (UTC on GitHub Pages, GitHub Actions and Netlify). Say which it is:")
        lines.append('build-timezone = "UTC"')
    lines += [
        "",
        "[html]",
        "# strict = false              # true: also report what browsers render as written (`a < b`)",
        "",
    ]
    lines.append("[urls]")
    if result.url_fields:
        n = len(result.url_fields)
        lines.append(
            f"# Front-matter fields that hold URLs (found in the posts: {n}), and what each must serve: page or image."
        )
        lines.append("fields = { " + ", ".join(
            f"{_toml_key(key)} = {_toml_string(kind)}" for key, kind in result.url_fields.items()
        ) + " }")
    else:
        lines.append("# No front-matter field of the posts holds an http(s) URL; name yours here, e.g.")
        lines.append('# fields = { link = "page", image = "image" }')
        lines.append("fields = {}")
    lines += [
        "# body-links = false          # true: also check the links and images of the body",
        "# network = true              # false: skip the URL rules, as --no-network does",
        "# timeout = 10                # seconds per attempt",
        '# cache-max-age = "1d"        # how long a working URL stays cached',
        "",
    ]
    return "\n".join(lines)


def existing_config(folder: Path) -> Path | None:
    from postlint.engine.config import _has_tool_table

    candidate = folder / ".postlint.toml"
    if os.path.lexists(candidate):
        return candidate
    pyproject = folder / "pyproject.toml"
    if pyproject.is_file() and _has_tool_table(pyproject):
        return pyproject
    return None


def schema_target(result: Survey, path: Path) -> Path:
    """Where --schema writes: inside the site, not over an existing file;
    `result.schema` becomes its path relative to the site's folder."""
    from postlint.files.paths import relative_posix, resolved_str

    target = Path(resolved_str(path))
    relative = relative_posix(str(target), str(result.root))
    if relative is None:
        raise InitError(f"{path}: outside the site ({result.root}); the schema must lie inside it")
    if os.path.lexists(target):
        raise InitError(f"{path}: already exists; not overwritten")
    result.schema = relative
    return target


def write(result: Survey, schema_file: Path | None = None) -> Path:
    """The new .postlint.toml in the site's folder (and the starter schema);
    never over another file (created exclusively: a file that appears
    meanwhile is not replaced)."""
    import json

    already = existing_config(result.root)
    if already is not None:
        raise InitError(f"{already}: a configuration already exists; not overwritten (remove it to start afresh)")
    target = result.root / ".postlint.toml"
    if schema_file is not None:
        _create(schema_file, (json.dumps(starter_schema(result), indent=2, ensure_ascii=False) + "\n").encode("utf-8"))
    try:
        _create(target, render(result).encode("utf-8"))
    except InitError:
        if schema_file is not None:
            schema_file.unlink()
        raise
    return target


def _create(target: Path, data: bytes) -> None:
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(target, "xb") as handle:
            handle.write(data)
    except FileExistsError:
        raise InitError(f"{target}: already exists; not overwritten") from None
    except OSError as exc:
        raise InitError(f"cannot write {target}: {exc.strerror or exc}") from None
