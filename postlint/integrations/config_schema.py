"""The JSON Schema of postlint's configuration, for editors.

Built from what the configuration loader validates (engine/config.py): the
top-level settings and, per options table, the options the built-in rules
declare (their OPTIONS: types, defaults, descriptions). Written to
schemas/postlint-config.schema.json by

    python -m postlint.integrations.config_schema

(also by `python -m postlint.integrations.docs`), and shipped in the package as
postlint.schemas. It describes a `.postlint.toml` and the `[tool.postlint]`
table of a pyproject.toml. A test keeps the file in step with the rules.

Draft-07, the draft taplo (Even Better TOML) and most editors validate with.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

SCHEMA_FILE = Path("schemas") / "postlint-config.schema.json"
SCHEMA_ID = "https://github.com/postlint/postlint/raw/main/schemas/postlint-config.schema.json"
DOCS = "https://github.com/postlint/postlint#configuration"

_SELECTOR = {
    "type": "string",
    "description": "a rule's code (FM003), a code prefix (FM), a rule's name (duplicate-key) or ALL",
    "examples": ["ALL", "FM", "FM003", "duplicate-key"],
}

# What each top-level setting means, for the editor's hover; the types are
# config.STATIC_KEYS' own.
DESCRIPTIONS = {
    "select": "Rules to enable (codes, prefixes, names or ALL; default [\"ALL\"]). `--select` replaces it.",
    "extend-select": "Rules to enable in addition to `select`.",
    "ignore": "Rules to disable. The most specific selector wins; at equal specificity `ignore`.",
    "per-file-ignores": "Rules to disable in the files a glob matches (relative to this file's folder): "
                        "{\"archive/**\" = [\"EN002\", \"DT\"]}.",
    "exclude": "Paths to leave out (globs relative to this file's folder; a pattern without / matches at any depth).",
    "extend-exclude": "Paths to leave out in addition to `exclude`.",
    "force-exclude": "Apply the exclusions to files named on the command line too (pre-commit, editors).",
    "schema": "JSON Schema for the posts' front matter (a path relative to this file), replacing the default.",
    "schemas": "Front-matter schemas per folder: glob -> schema path; the first matching glob wins over `schema`.",
    "severity": "Severity per rule selector: error, warning or info (the most specific selector wins).",
    "cache-dir": "Cache folder, relative to this file (default .postlint_cache).",
    "output-format": "Report format when --output-format is not given.",
    "fail-on": "The least severity that makes the exit status 1 (default warning).",
    "max-findings-per-rule": "Findings of one rule shown per file before one sums up the rest (default 100; 0: all).",
}
DEFAULTS: dict[str, Any] = {
    "select": ["ALL"], "extend-select": [], "ignore": [], "exclude": [], "extend-exclude": [],
    "force-exclude": False, "output-format": "text", "fail-on": "warning", "max-findings-per-rule": 100,
}
TABLE_DESCRIPTIONS = {
    "dates": "Options of the date rules: which front-matter keys hold dates, in which format.",
    "html": "Options of the HTML rules.",
    "urls": "Options of the URL rules: which fields hold URLs, how they are requested.",
}


def builtin_tables(registry: Any) -> dict[str, dict[str, Any]]:
    """Option schemas by table, of postlint's own rules (not of plugins that
    happen to be installed), as Registry.tables() merges them."""
    tables: dict[str, dict[str, Any]] = {}
    for rule in registry:
        if rule.table and rule.origin.startswith("postlint"):
            tables.setdefault(rule.table, {}).update(rule.options)
    return tables


def build(registry: Any | None = None) -> dict[str, Any]:
    from postlint.engine.config import config_schema

    if registry is None:
        from postlint.engine.registry import load

        registry = load()
    tables = builtin_tables(registry)
    # The loader's own schema, with what editors show added to it.
    core = json.loads(json.dumps(config_schema(tables)))  # a copy, no object shared by two keys
    properties = core["properties"]
    for key, description in DESCRIPTIONS.items():
        if key in properties:
            properties[key]["description"] = description
        if key in DEFAULTS and key in properties:
            properties[key]["default"] = DEFAULTS[key]
    for key in ("select", "extend-select", "ignore"):
        if key in properties:
            properties[key]["items"] = dict(_SELECTOR)
    if "per-file-ignores" in properties:
        properties["per-file-ignores"]["additionalProperties"] = {"type": "array", "items": dict(_SELECTOR)}
    for table in tables:
        properties[table]["description"] = TABLE_DESCRIPTIONS.get(
            table, f"Options of the rules that read [{table}]."
        )
        rules = sorted(r.code for r in registry if r.table == table and r.origin.startswith("postlint"))
        properties[table]["description"] += f" Read by {', '.join(rules)}."
    undocumented = sorted(k for k in properties if "description" not in properties[k])
    if undocumented:  # a new top-level key: say what it means above
        raise SystemExit(f"config_schema: no description for {', '.join(undocumented)}")
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": SCHEMA_ID,
        "title": "postlint configuration",
        "description": (
            "A .postlint.toml, or the [tool.postlint] table of pyproject.toml (the same keys). "
            f"Generated from the rules' options by `python -m postlint.integrations.config_schema`; see {DOCS}."
        ),
        **core,
    }


def dumps(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def shipped() -> dict[str, Any]:
    """The schema as installed (postlint.schemas)."""
    from importlib import resources

    schema: dict[str, Any] = json.loads(
        (resources.files("postlint.schemas") / SCHEMA_FILE.name).read_text(encoding="utf-8")
    )
    return schema


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    text = dumps(build())
    if args == ["--check"]:
        current = SCHEMA_FILE.read_text(encoding="utf-8") if SCHEMA_FILE.is_file() else ""
        if current != text:
            print(f"{SCHEMA_FILE} is out of date: run python -m postlint.integrations.config_schema", file=sys.stderr)
            return 1
        return 0
    SCHEMA_FILE.parent.mkdir(exist_ok=True)
    SCHEMA_FILE.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
