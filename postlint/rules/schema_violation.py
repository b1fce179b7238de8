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

import json
import os
from pathlib import Path
from typing import Any, Iterator, Optional

from postlint.diagnostic import Diagnostic
from postlint.post import Post

CODE = "FM100"
NAME = "schema-violation"
SCOPE = "post"
SEVERITY = "error"
SETTINGS = ("schema", "schemas")

# One validator per schema file per process (path -> validator).
_VALIDATORS: dict[Optional[str], Any] = {}


def _validator(path: Optional[str]) -> Any:
    validator = _VALIDATORS.get(path)
    if validator is None:
        from postlint.config import ConfigError
        from postlint.schema import InvalidSchema, default_schema, load_validator

        try:
            if path is None:
                # Shipped and tested against its meta-schema: checking it on
                # every start would cost a one-post run ~25 ms.
                validator = load_validator(default_schema(), check_meta=False)
            else:
                try:
                    schema = json.loads(Path(path).read_text(encoding="utf-8"))
                except (OSError, ValueError) as exc:
                    raise ConfigError(f"cannot read the schema {path}: {exc}") from exc
                validator = load_validator(schema, base_uri=path)
        except InvalidSchema as exc:
            raise ConfigError(f"invalid schema {path or 'post.schema.json'}: {exc}") from exc
        _VALIDATORS[path] = validator
    return validator


# path -> stat of the schema's folder when its validator was built: a process
# that lints twice (tests, an editor) must not keep a validator of an old schema.
_STAMPS: dict[str, Any] = {}


def _stamp(path: str) -> Any:
    folder = Path(path).parent
    try:
        return sorted(
            (e.name, e.stat().st_mtime_ns, e.stat().st_size)
            for e in os.scandir(folder)
            if e.name.rsplit(".", 1)[-1].lower() in ("json", "yaml", "yml")
        )
    except OSError:
        return None


def prepare(options: dict[str, Any]) -> None:
    for path in [options.get("schema"), *(options.get("schemas") or {}).values()]:
        if path is not None:
            stamp = _stamp(path)
            if _STAMPS.get(path) != stamp:
                _VALIDATORS.pop(path, None)
                _STAMPS[path] = stamp
        _validator(path)


def _schema_for(post: Post, options: dict[str, Any]) -> Optional[str]:
    schemas = options.get("schemas") or {}
    if schemas:
        from postlint.globs import match

        relative = getattr(post, "relpath", None) or post.path
        for glob, path in schemas.items():
            if match(glob, relative):
                return path
    return options.get("schema")


def check(post: Post, options: dict[str, Any]) -> Iterator[Diagnostic]:
    fm = post.front_matter
    if fm is None or not isinstance(fm.data, dict):
        return  # FM001/FM002 already say why there is nothing to validate
    from postlint.schema import format_path, violations

    site = getattr(post, "site", None)
    data = fm.data
    if site is not None and site.defaults:
        data = {**site.defaults_for(post.path), **fm.data}
    for v in violations(_validator(_schema_for(post, options)), data):
        if v.where == "value":
            span = post.locate(v.path)
        elif v.where == "key":
            span = post.locate_key(v.path)
        else:
            span = post.locate_key(v.path) if v.path else post.locate(())
        where = format_path(v.path)
        prefix = f"{where}: " if where and not v.message.startswith(where) else ""
        yield post.diagnostic(CODE, span.start, span.end, f"{prefix}{v.message}")
