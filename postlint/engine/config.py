"""Configuration: ``[tool.postlint]`` in pyproject.toml or ``.postlint.toml``.

The nearest file above the linted paths wins (``.postlint.toml`` before
``pyproject.toml`` in the same folder); command-line flags win over files. The
file is validated against a JSON Schema built from the static keys and the
options that the registered rules declare, and every error names the file and
the line of the offending key.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path
from typing import Any

from postlint.files.cachedb import CONFIG_FILES
from postlint.model.diagnostic import MAX_FINDINGS_PER_RULE, SEVERITIES, Severity
from postlint.model.errors import ConfigError
from postlint.model.patterns import lazy
from postlint.model.record import FACTORY, Record

# A configuration is a few tables deep; a deeper one is an error, not a
# RecursionError in the validator.
MAX_CONFIG_DEPTH = 32

_SELECTORS = {"type": "array", "items": {"type": "string"}}
_GLOB_TABLE = {"type": "object", "additionalProperties": _SELECTORS}

STATIC_KEYS: dict[str, Any] = {
    "select": _SELECTORS,
    "extend-select": _SELECTORS,
    "ignore": _SELECTORS,
    "per-file-ignores": _GLOB_TABLE,
    "exclude": {"type": "array", "items": {"type": "string"}},
    "extend-exclude": {"type": "array", "items": {"type": "string"}},
    "force-exclude": {"type": "boolean"},
    "schema": {"type": "string", "minLength": 1},
    "schemas": {"type": "object", "additionalProperties": {"type": "string", "minLength": 1}},
    "severity": {
        "type": "object",
        "additionalProperties": {"enum": list(SEVERITIES)},
    },
    "cache-dir": {"type": "string", "minLength": 1},
    "output-format": {"enum": ["text", "concise", "json", "sarif", "github", "html"]},
    "fail-on": {"enum": list(SEVERITIES)},
    "max-findings-per-rule": {"type": "integer", "minimum": 0},
}


class Settings(Record):

    root: Path
    config_file: Path | None
    select: list[str]  # default: ["ALL"]
    extend_select: list[str]
    ignore: list[str]
    per_file_ignores: dict[str, list[str]]
    exclude: list[str]
    force_exclude: bool  # the exclusions apply to files named on the command line too
    schema: Path | None
    schemas: dict[str, Path]
    severity: dict[str, Severity]  # rule selector -> level
    tables: dict[str, dict[str, Any]]
    cache_dir: Path | None
    output_format: str
    network: bool
    use_cache: bool
    fail_on: str  # the least severity that makes the exit status 1
    max_findings_per_rule: int  # per file; 0: no limit

    def __init__(
        self,
        root: Path,
        config_file: Path | None = None,
        select: list[str] = FACTORY,
        extend_select: list[str] = FACTORY,
        ignore: list[str] = FACTORY,
        per_file_ignores: dict[str, list[str]] = FACTORY,
        exclude: list[str] = FACTORY,
        force_exclude: bool = False,
        schema: Path | None = None,
        schemas: dict[str, Path] = FACTORY,
        severity: dict[str, Severity] = FACTORY,
        tables: dict[str, dict[str, Any]] = FACTORY,
        cache_dir: Path | None = None,
        output_format: str = "text",
        network: bool = True,
        use_cache: bool = True,
        fail_on: str = "warning",
        max_findings_per_rule: int = MAX_FINDINGS_PER_RULE,
    ) -> None:
        self.root = root
        self.config_file = config_file
        self.select = ["ALL"] if select is FACTORY else select
        self.extend_select = [] if extend_select is FACTORY else extend_select
        self.ignore = [] if ignore is FACTORY else ignore
        self.per_file_ignores = {} if per_file_ignores is FACTORY else per_file_ignores
        self.exclude = [] if exclude is FACTORY else exclude
        self.force_exclude = force_exclude
        self.schema = schema
        self.schemas = {} if schemas is FACTORY else schemas
        self.severity = {} if severity is FACTORY else severity
        self.tables = {} if tables is FACTORY else tables
        self.cache_dir = cache_dir
        self.output_format = output_format
        self.network = network
        self.use_cache = use_cache
        self.fail_on = fail_on
        self.max_findings_per_rule = max_findings_per_rule

    def options(self, rule: Any) -> dict[str, Any]:
        """A rule's options: its declared defaults under the file's table."""
        merged: dict[str, Any] = rule.defaults()
        if rule.table:
            merged.update(
                {k: v for k, v in self.tables.get(rule.table, {}).items() if k in rule.options}
            )
        # Top-level settings a rule declares it reads (SETTINGS; FM100: the
        # schemas), as plain data: they are part of its options, and so of the
        # result cache's key.
        for key in getattr(rule.module, "SETTINGS", ()):
            merged[key] = _plain(getattr(self, key.replace("-", "_"), None))
        return merged


def _plain(value: Any) -> Any:
    """A setting as JSON data: paths as strings."""
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def find_config(start: Path) -> Path | None:
    """The nearest configuration file at or above `start` that holds postlint's keys."""
    from postlint.files.safe import inside

    here = start if start.is_dir() else start.parent
    for folder in (here, *here.parents):
        for name in CONFIG_FILES:
            candidate = folder / name
            if not candidate.is_file():
                continue
            if not inside(str(candidate)):  # a link to a file outside the repository (or site)
                raise ConfigError(
                    "is a symbolic link to a file outside the repository (or site); not read: "
                    "postlint reads nothing outside the site",
                    candidate,
                )
            if name != "pyproject.toml" or _has_tool_table(candidate):
                return candidate
    return None


def _has_tool_table(path: Path) -> bool:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    return re.search(r"^\s*\[\s*tool\s*\.\s*postlint\s*[\].]", text, re.MULTILINE) is not None


def common_folder(paths: list[Path]) -> Path:
    resolved = [p.resolve() for p in paths] or [Path.cwd().resolve()]
    folders = [p if p.is_dir() else p.parent for p in resolved]
    return Path(os.path.commonpath([str(f) for f in folders]))


def load_settings(
    paths: list[Path],
    *,
    config_file: Path | None = None,
    table_schemas: dict[str, dict[str, Any]] | None = None,
) -> Settings:
    """Settings from the configuration file that governs `paths`."""
    if config_file is None:
        config_file = find_config(common_folder(paths))
    if config_file is None:
        # No configuration: the Jekyll site's folder is the root (the cache
        # lives beside _config.yml whatever the working folder), else here.
        from postlint.model.site import find_site

        site = find_site(common_folder(paths))
        return Settings(root=site.root.resolve() if site.root is not None else Path.cwd().resolve())
    config_file = config_file.resolve()
    raw = _read_toml(config_file)
    prefix: tuple[str, ...] = ()
    if config_file.name == "pyproject.toml":
        prefix = ("tool", "postlint")
        raw = raw.get("tool", {}).get("postlint", {})
    return settings_from_mapping(
        raw, config_file.parent, config_file=config_file, prefix=prefix, table_schemas=table_schemas
    )


def settings_from_mapping(
    raw: dict[str, Any],
    root: Path,
    *,
    config_file: Path | None = None,
    prefix: tuple[str, ...] = (),
    table_schemas: dict[str, dict[str, Any]] | None = None,
) -> Settings:
    """Settings from a mapping of the shape of ``[tool.postlint]``, validated
    as a file's is; relative paths in it (schemas, cache-dir) are relative to
    `root`. Without `config_file` (the Python API's mapping), errors name the
    key path only."""
    _validate(raw, config_file, prefix, table_schemas or {})
    settings = Settings(root=root, config_file=config_file)
    settings.select = raw.get("select", settings.select)
    settings.extend_select = raw.get("extend-select", [])
    settings.ignore = raw.get("ignore", [])
    settings.per_file_ignores = raw.get("per-file-ignores", {})
    settings.exclude = raw.get("exclude", []) + raw.get("extend-exclude", [])
    settings.force_exclude = raw.get("force-exclude", False)
    if "schema" in raw:
        settings.schema = _existing(root, raw["schema"], config_file, prefix + ("schema",))
    settings.schemas = {
        glob: _existing(root, path, config_file, prefix + ("schemas", glob))
        for glob, path in raw.get("schemas", {}).items()
    }
    # Selectors as written (codes, prefixes, names): the registry resolves them
    # (Registry.severities), the command line checks that each names a rule.
    settings.severity = dict(raw.get("severity", {}))
    settings.tables = {key: value for key, value in raw.items() if key in (table_schemas or {})}
    if "cache-dir" in raw:
        settings.cache_dir = root / raw["cache-dir"]
    settings.output_format = raw.get("output-format", settings.output_format)
    settings.fail_on = raw.get("fail-on", settings.fail_on)
    settings.max_findings_per_rule = raw.get("max-findings-per-rule", settings.max_findings_per_rule)
    urls = settings.tables.get("urls", {})
    if urls.get("network") is False:
        settings.network = False
    return settings


def early_cache_dir(paths: list[Path], config_file: Path | None = None) -> Path | None:
    """The cache folder load_settings will give these paths, found before the
    registry is loaded (it keeps the entry-point scan); None when the
    configuration cannot be read (load_settings then says why)."""
    from postlint.files.cachedb import cache_dir

    try:
        if config_file is None:
            config_file = find_config(common_folder(paths))
        if config_file is None:
            from postlint.model.site import find_site

            site = find_site(common_folder(paths))
            root = site.root.resolve() if site.root is not None else Path.cwd().resolve()
            return cache_dir(Settings(root=root))
        config_file = config_file.resolve()
        raw = _read_toml(config_file)
        if config_file.name == "pyproject.toml":
            raw = raw.get("tool", {}).get("postlint", {})
        folder = raw.get("cache-dir")
        root = config_file.parent
        return cache_dir(Settings(root=root, cache_dir=root / folder if isinstance(folder, str) and folder else None))
    except (ConfigError, OSError, AttributeError, TypeError, ValueError):
        return None


def _existing(root: Path, value: str, file: Path | None, keys: tuple[str, ...]) -> Path:
    path = Path(os.path.realpath(root / value))  # Path.resolve raises on a link loop
    if not path.is_file():
        raise ConfigError(f"'{'.'.join(keys)}' names {value}, which does not exist", file, key_line(file, keys))
    from postlint.files.safe import marked_boundary, within

    limit = marked_boundary(str(file if file is not None else root / CONFIG_FILES[0]))
    if limit is not None and not within(str(path), limit):
        raise ConfigError(
            f"'{'.'.join(keys)}' names {value}, which lies outside the repository (or site); not read: "
            "postlint reads nothing outside the site",
            file, key_line(file, keys),
        )
    return path


def _read_toml(path: Path) -> dict[str, Any]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # Python 3.10
        import tomli as tomllib
    try:
        data = path.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read: {exc}", path) from exc
    try:
        raw = tomllib.loads(data)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"line (\d+)", str(exc))
        raise ConfigError(f"TOML syntax error: {exc}", path, int(match.group(1)) if match else None) from exc
    except RecursionError:
        raise ConfigError(f"nested deeper than {MAX_CONFIG_DEPTH} levels", path) from None
    except ValueError as exc:  # an integer beyond Python's int-string conversion limit
        raise ConfigError(f"cannot read a value: {exc}", path) from None
    from postlint.model.nesting import too_deep

    deep = too_deep(raw, MAX_CONFIG_DEPTH)
    if deep is not None:
        keys = tuple(str(k) for k in deep if isinstance(k, str))
        raise ConfigError(f"nested deeper than {MAX_CONFIG_DEPTH} levels", path, key_line(path, keys))
    return raw


def config_schema(table_schemas: dict[str, dict[str, Any]]) -> dict[str, Any]:
    properties = dict(STATIC_KEYS)
    for table, options in table_schemas.items():
        properties[table] = {"type": "object", "properties": options, "additionalProperties": False}
    return {"type": "object", "properties": properties, "additionalProperties": False}


def _validate(raw: dict[str, Any], file: Path | None, prefix: tuple[str, ...], tables: dict[str, Any]) -> None:
    from jsonschema import Draft202012Validator

    validator = Draft202012Validator(config_schema(tables))
    errors = sorted(validator.iter_errors(raw), key=lambda e: [str(p) for p in e.absolute_path])
    if not errors:
        return
    error = errors[0]
    keys = tuple(str(p) for p in error.absolute_path)
    if error.validator == "additionalProperties":
        known = set(error.schema.get("properties", {}))
        extra = sorted(k for k in error.instance if k not in known)
        keys = keys + (extra[0],)
        allowed = ", ".join(sorted(known)) or "none"
        message = f"unknown key '{'.'.join(prefix + keys)}' (known here: {allowed})"
    else:
        message = f"'{'.'.join(prefix + keys)}': {error.message}"
    raise ConfigError(message, file, key_line(file, prefix + keys))


_TABLE = lazy(r"^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(?:#.*)?$")
_KEY = lazy(r'^\s*((?:"[^"]*"|\'[^\']*\'|[A-Za-z0-9_-]+)(?:\s*\.\s*(?:"[^"]*"|\'[^\']*\'|[A-Za-z0-9_-]+))*)\s*=')


def _split_keys(dotted: str) -> tuple[str, ...]:
    parts = re.findall(r'"([^"]*)"|\'([^\']*)\'|([A-Za-z0-9_-]+)', dotted)
    return tuple(next(p for p in part if p != "") if any(part) else "" for part in parts)


def key_line(file: Path | None, keys: tuple[str, ...]) -> int | None:
    """The line that defines a key path in a TOML file (the deepest part found).

    tomllib keeps no positions, so the file is scanned for table headers and keys;
    this serves error messages only.
    """
    if file is None:  # a mapping given to the Python API: no lines
        return None
    try:
        lines = file.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    best: tuple[int, int | None] = (0, None)
    table: tuple[str, ...] = ()
    for number, line in enumerate(lines, 1):
        header = _TABLE.match(line)
        if header:
            table = _split_keys(header.group(1))
            found = table
        else:
            key = _KEY.match(line)
            if not key:
                continue
            found = table + _split_keys(key.group(1))
        depth = 0
        for a, b in zip(found, keys):
            if a != b:
                break
            depth += 1
        if depth == len(found) and depth > best[0]:
            best = (depth, number)
    return best[1]
