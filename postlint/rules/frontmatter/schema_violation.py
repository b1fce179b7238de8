"""The front matter does not match the post schema.

## What it does
Validates the front matter, as plain data (dates stay the strings that were
written) and merged with the site's front matter `defaults` from `_config.yml`,
against a JSON Schema: postlint's own `schemas/post.schema.json` by default, or
the schema named by `schema` in the configuration (and per folder by the
`schemas` table: glob -> schema file). One finding per violated keyword, at the
offending value, at an unexpected key, or, for a missing key, at the opening
`---`. For `anyOf`/`oneOf` the most relevant branch is reported.

## Why is this bad?
Layouts, feeds and plugins read these keys: a title that is a number, a
`published: "no"` that is a (true) string, or a missing layout breaks pages
without an error from Jekyll.

## Example
```yaml
---
layout: post
title: ""
published: "no"
tags: [1, 2]
externe_link: nos.nl/l/2284411
---
```

## Use instead
```yaml
---
layout: post
title: "Misbruikbeelden online"
published: false
tags: [politie, onderzoek]
externe_link: "https://nos.nl/l/2284411"
---
```

## Options
`schema` (top level of the configuration): the schema file replacing the
default. `schemas`: a table of glob -> schema file; the first glob matching a
post's path (relative to the configuration's folder) wins over `schema`. An
invalid schema is a configuration error (exit status 2).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from postlint.model.diagnostic import Diagnostic
from postlint.model.post import Post

CODE = "FM100"
NAME = "schema-violation"
SCOPE = "post"
# Libraries whose versions decide this rule's findings (the result cache keys on them).
LIBRARIES = ("jsonschema", "jsonschema_specifications", "referencing", "re2")
SEVERITY = "error"
SETTINGS = ("schema", "schemas")

# One validator per schema file per process: path (None: the shipped schema) ->
# (validator, every file it was built from, their contents).
_BUILT: dict[str | None, tuple[Any, tuple[Path, ...], tuple[bytes | None, ...]]] = {}


def _build(path: str | None) -> tuple[Any, tuple[Path, ...], tuple[bytes | None, ...]]:
    from postlint.analysis.schema.validate import InvalidSchema, compile_schema, default_schema
    from postlint.model.errors import ConfigError

    try:
        if path is None:
            # Shipped and tested against its meta-schema: checking it on
            # every start would cost a one-post run ~25 ms.
            compiled = compile_schema(default_schema(), check_meta=False)
            files = compiled.files
        else:
            from postlint.analysis.schema.validate import read_schema_file

            schema = read_schema_file(Path(path))  # InvalidSchema: a configuration error
            compiled = compile_schema(schema, base_uri=path)
            files = (Path(path).resolve(), *compiled.files)
    except InvalidSchema as exc:
        raise ConfigError(f"invalid schema {path or 'post.schema.json'}: {exc}") from exc
    return compiled.validator, files, _contents(files)


def _contents(files: tuple[Path, ...]) -> tuple[bytes | None, ...]:
    """The contents of the files (None: one that cannot be read), kept to
    compare with later: schemas are small, and a digest would import hashlib
    (3 ms of a run's start)."""
    found: list[bytes | None] = []
    for file in files:
        try:
            found.append(file.read_bytes())
        except OSError:
            found.append(None)
    return tuple(found)


def _validator(path: str | None) -> Any:
    built = _BUILT.get(path)
    if built is None:
        built = _BUILT[path] = _build(path)
    return built[0]


def _paths(options: dict[str, Any]) -> list[str | None]:
    return [options.get("schema"), *(options.get("schemas") or {}).values()]


def prepare(options: dict[str, Any]) -> None:
    """Build each validator of a configured schema (an invalid schema is a
    configuration error), unless an earlier run of the same setup did: the run's key holds the
    content of every schema file, so "valid" is remembered for it
    (analysis.memo), and the validator is built when a post needs one."""
    from postlint.analysis import memo

    for path in _paths(options):
        built = _BUILT.get(path)
        # A process that lints twice (tests, an editor) must not keep the
        # validator of a schema, or of a file it $refs, that has changed since.
        if built is not None and _contents(built[1]) != built[2]:
            del _BUILT[path]
        if path not in _BUILT and (path is None or memo.lookup(CODE, ["valid", path]) is True):
            # The shipped schema is valid (the tests check it): its validator
            # is built only for a post that shipped_check cannot pass.
            continue
        _validator(path)
        memo.remember(CODE, ["valid", path], True)


def cache_inputs(options: dict[str, Any]) -> list[Path]:
    """Every file the validators of these options were built from: the schema
    files, each file their $refs reach, the shipped schema."""
    files: dict[Path, None] = {}
    for path in _paths(options):
        if path is None and path not in _BUILT:
            from postlint.analysis.schema.validate import shipped_path

            # What compile_schema lists for the shipped schema (its $refs stay inside it).
            files[shipped_path()] = None
            continue
        _validator(path)
        files.update(dict.fromkeys(_BUILT[path][1]))
    return list(files)


def _schema_for(post: Post, options: dict[str, Any]) -> str | None:
    schemas = options.get("schemas") or {}
    if schemas:
        from postlint.files.globs import match

        relative = post.relpath
        for glob, path in schemas.items():
            if match(glob, relative):
                found: str = path  # options are JSON data: a path is a str
                return found
    schema: str | None = options.get("schema")
    return schema


def check(post: Post, options: dict[str, Any]) -> Iterator[Diagnostic]:
    fm = post.front_matter
    if fm is None or not isinstance(fm.data, dict):
        return iter(())  # FM001/FM002 already say why there is nothing to validate
    site = post.site
    data = fm.data
    if site.defaults:
        data = {**site.defaults_for(post.path), **fm.data}
    schema = _schema_for(post, options)
    if schema is None:
        from postlint.analysis.schema.validate import shipped_violations

        # Valid under the shipped schema, or failing only its required keys
        # and properties of a type and a length: no validator, no
        # jsonschema, nothing to remember between runs (cheaper than the memo).
        found = shipped_violations(data)
        if found is not None:
            return _diagnostics(post, found)
    return _diagnostics(post, _violations(schema, data))


def _diagnostics(post: Post, found: list[Any]) -> Iterator[Diagnostic]:
    from postlint.analysis.schema.validate import format_path

    for v in found:
        if v.where == "value":
            span = post.locate(v.path)
        elif v.where == "key":
            span = post.locate_key(v.path)
        else:
            span = post.locate_key(v.path) if v.path else post.locate(())
        where = format_path(v.path)
        prefix = f"{where}: " if where and not v.message.startswith(where) else ""
        yield post.diagnostic(CODE, span.start, span.end, f"{prefix}{v.message}")


def _violations(schema: str | None, data: Any) -> list[Any]:
    """The violations of `data`: a function of the data and the schema files
    (in the run's key through cache_inputs), so remembered between runs. A
    post whose front matter was seen before (an edited body) is checked
    without building the validator, or importing jsonschema."""
    from postlint.analysis import memo
    from postlint.analysis.schema.validate import Violation

    key = [schema, data]
    known = memo.lookup(CODE, key)
    if isinstance(known, list):
        try:
            return [Violation(tuple(path), where, keyword, message) for path, where, keyword, message in known]
        except (TypeError, ValueError):
            pass
    from postlint.analysis.schema.validate import violations

    found = violations(_validator(schema), data)
    memo.remember(CODE, key, [[list(v.path), v.where, v.keyword, v.message] for v in found])
    return found
