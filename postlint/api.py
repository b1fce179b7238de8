"""postlint's public Python API: lint and fix posts in-process.

    import postlint

    for d in postlint.lint_text("_posts/2019-05-13-sluizen.md", text):
        print(d.path, d.line, d.column, d.code, d.severity, d.message)

What is stable and what may change is written in docs/api.md. Everything
here resolves the configuration and the Jekyll site from the post's path as
`postlint check` does, and gives the same findings as `postlint check` (with
`--no-network` unless `network=True`) for the same input. Nothing here writes
to disk: not the posts, not the cache unless `lint_paths(..., cache=True)`.
"""

from __future__ import annotations

import errno
import os
import threading
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from postlint.model.diagnostic import Diagnostic, Edit, Fix
from postlint.model.errors import ConfigError

if TYPE_CHECKING:  # pragma: no cover
    from postlint.engine.config import Settings
    from postlint.engine.linter import Linter
    from postlint.engine.registry import Registry

__all__ = [
    "ConfigError",
    "Diagnostic",
    "Edit",
    "Fix",
    "fix_text",
    "lint_paths",
    "lint_post",
    "lint_text",
]

StrPath = str | os.PathLike[str]
# A configuration file, a mapping shaped like [tool.postlint], or None: the
# configuration file found from the path, as the CLI finds it.
Config = StrPath | Mapping[str, Any] | None


def lint_text(
    path: StrPath, text: str | bytes, *, config: Config = None, network: bool = False
) -> list[Diagnostic]:
    """The findings of `text` linted as the post at `path` (which need not
    exist yet): sorted by path, line, column and code.

    `text` may be `str` or the file's `bytes` (bytes that are not UTF-8 are an
    EN001 finding, as in a file). The network rules (the URL checks) run only
    with `network=True`. The rules that need the whole site (JK002) skip
    themselves: one text is not the site."""
    target = _target(path)
    linter = _linter([target], config, network)
    from postlint.engine.run import RunOptions, check_source

    options = RunOptions(network=network, partial=True)
    return check_source(target, _source(text), linter.settings, linter.registry, options, linter=linter).diagnostics


def fix_text(
    path: StrPath,
    text: str,
    *,
    unsafe: bool = False,
    config: Config = None,
    network: bool = False,
) -> tuple[str, list[Diagnostic]]:
    """(`text` with its fixes applied, the findings that remain in it), as
    `postlint check --fix` (with `unsafe=True`: `--unsafe-fixes`) would write
    the post at `path`: the same passes, line endings and byte-order mark; no
    file is read or written. When nothing is fixable, the text comes back as
    it was given."""
    target = _target(path)
    linter = _linter([target], config, network)
    from postlint.engine.run import RunOptions, check_source

    options = RunOptions(fix=True, unsafe_fixes=unsafe, network=network, partial=True)
    fixed = check_source(target, _source(text), linter.settings, linter.registry, options, linter=linter)
    if fixed.fixed == 0 or fixed.fixed_source is None:
        return text, fixed.diagnostics
    return fixed.fixed_source.decode("utf-8"), fixed.diagnostics


def lint_paths(
    paths: StrPath | Iterable[StrPath],
    *,
    config: Config = None,
    network: bool = False,
    cache: bool = False,
) -> list[Diagnostic]:
    """The findings of `postlint check PATHS`: files and folders (in folders,
    the posts under `_posts/` and `_drafts/`, minus the exclusions), the site
    rules included when folders are given. Sorted by path, line, column and
    code; paths shown as the CLI shows them (relative to the working folder).

    `cache=True` reads and writes the result cache (`.postlint_cache/`) as
    the CLI does; by default nothing is written. A path that does not exist
    raises FileNotFoundError."""
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    targets = [Path(os.fspath(p)) for p in paths] or [Path(".")]
    missing = [str(p) for p in targets if not p.exists()]
    if missing:
        raise FileNotFoundError(f"no such file or folder: {', '.join(missing)}")
    from postlint.engine.discover import discover
    from postlint.engine.run import RunOptions, run

    registry = _registry()
    settings = _settings(targets, config, registry)
    settings.use_cache = settings.use_cache and cache
    found = discover(targets, root=settings.root, exclude=settings.exclude, force_exclude=settings.force_exclude)
    options = RunOptions(network=network and settings.network, partial=all(p.is_file() for p in targets))
    return run(found.files, settings, registry, None, options).diagnostics


_FAILURES_SAID: set[str] = set()


def _registry() -> Registry:
    """The rules; a plugin that failed to load is left out, with a
    RuntimeWarning naming it (once per process), as the CLI says it on
    standard error."""
    import warnings

    from postlint.engine.registry import load

    registry = load()
    for line in registry.failures:
        if line not in _FAILURES_SAID:
            _FAILURES_SAID.add(line)
            warnings.warn(line, RuntimeWarning, stacklevel=3)
    return registry


def lint_post(
    post: Any,
    path: StrPath,
    *,
    config: Config = None,
    network: bool = False,
    handler: Any = None,
    **dumps_kwargs: Any,
) -> list[Diagnostic]:
    """The findings of a python-frontmatter `frontmatter.Post` as
    `frontmatter.dump(post, path, handler=handler, **dumps_kwargs)` would
    write it: the text is `frontmatter.dumps(post, handler, **dumps_kwargs)`
    (python-frontmatter's own serialiser, called, not imitated), encoded as
    UTF-8, so lines and columns point into the file the importer is about to
    write. Give `frontmatter.dump` the same `handler` and arguments.

    Needs python-frontmatter (`pip install 'postlint[frontmatter]'`)."""
    try:
        import frontmatter
    except ImportError as exc:
        raise ModuleNotFoundError(
            "postlint.lint_post needs python-frontmatter: pip install 'postlint[frontmatter]'",
            name="frontmatter",
        ) from exc
    text = frontmatter.dumps(post, handler, **dumps_kwargs)
    return lint_text(path, text, config=config, network=network)


# -- configuration and linters ----------------------------------------------------------


def _target(path: StrPath) -> Path:
    """The post's path, which need not exist but must be one a file could
    have: ValueError for a NUL in it or a name longer than the system allows."""
    target = Path(os.fspath(path))
    if "\0" in str(target):
        raise ValueError(f"{str(target)!r}: a path cannot hold a NUL character")
    try:
        os.stat(target)
    except (FileNotFoundError, NotADirectoryError):
        pass
    except OSError as exc:
        if exc.errno == errno.ENAMETOOLONG:
            raise ValueError(f"{str(target)[:80]!r}...: {exc.strerror}") from None
    return target


def _source(text: str | bytes) -> bytes:
    if isinstance(text, (bytes, bytearray, memoryview)):
        return bytes(text)
    if not isinstance(text, str):
        raise TypeError(f"text must be str or bytes, not {type(text).__name__}")
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        # Lone surrogates: the bytes a surrogateescape read stood for, else
        # bytes that are not UTF-8 (an EN001 finding, never a traceback).
        try:
            return text.encode("utf-8", "surrogateescape")
        except UnicodeEncodeError:
            return text.encode("utf-8", "surrogatepass")


def _plain(value: Any) -> Any:
    """A mapping's paths as strings, its tuples as lists: the shape TOML gives."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, os.PathLike):
        return os.fspath(value)
    return value


def _settings(paths: list[Path], config: Config, registry: Registry) -> Settings:
    from postlint.engine.config import MAX_CONFIG_DEPTH, common_folder, load_settings, settings_from_mapping

    tables = registry.tables()
    if config is None:
        settings = load_settings(paths, table_schemas=tables)
    elif isinstance(config, Mapping):
        from postlint.model.nesting import too_deep
        from postlint.model.site import find_site

        raw = _plain(config)
        if too_deep(raw, MAX_CONFIG_DEPTH) is not None:
            raise ConfigError(f"configuration mapping: nested deeper than {MAX_CONFIG_DEPTH} levels")
        site = find_site(common_folder(paths))
        root = site.root.resolve() if site.root is not None else Path.cwd().resolve()
        settings = settings_from_mapping(raw, root, table_schemas=tables)
    elif isinstance(config, (str, os.PathLike)):
        file = Path(os.fspath(config))
        if not file.is_file():
            raise ConfigError(f"{file}: no such configuration file")
        settings = load_settings(paths, config_file=file, table_schemas=tables)
    else:
        raise TypeError(f"config must be a path, a mapping or None, not {type(config).__name__}")
    unknown = registry.unknown(
        settings.select + settings.extend_select + settings.ignore + list(settings.severity)
        + [s for sels in settings.per_file_ignores.values() for s in sels]
    )
    if unknown:
        where = f"{settings.config_file}: " if settings.config_file else ""
        raise ConfigError(f"{where}unknown rule selector{'s' if len(unknown) > 1 else ''}: {', '.join(unknown)}")
    return settings


# Linters kept between calls: an importer lints thousands of posts, and a
# Linter prepares its rules (the schema validator...) once. Keyed by what the
# settings were made from; a configuration file, a schema or a file a rule
# names in cache_inputs (a schema's $refs) that changed makes a new one.
_LINTERS: OrderedDict[tuple[Any, ...], tuple[Linter, tuple[Any, ...]]] = OrderedDict()
_LINTERS_MAX = 8
_LOCK = threading.Lock()


def _linter(paths: list[Path], config: Config, network: bool) -> Linter:
    from postlint.engine.linter import Linter

    registry = _registry()
    settings = _settings(paths, config, registry)
    settings.use_cache = False  # one text: nothing to keep (the URL rules' cache neither)
    key = _key(settings, network)
    with _LOCK:
        kept = _LINTERS.get(key)
        if kept is not None and _stamps(kept[1]) == kept[1]:
            _LINTERS.move_to_end(key)
            return kept[0]
    linter = Linter(settings, registry, None, network=network and settings.network)
    inputs = _stamps(tuple(_inputs(linter)))
    with _LOCK:
        _LINTERS[key] = (linter, inputs)
        while len(_LINTERS) > _LINTERS_MAX:
            _LINTERS.popitem(last=False)
    return linter


def _inputs(linter: Linter) -> list[str]:
    files = [linter.settings.config_file, linter.settings.schema, *linter.settings.schemas.values()]
    for rule in linter.rules:
        named = getattr(rule.module, "cache_inputs", None)
        if named is not None:
            files.extend(named(linter.options[rule.code]))
    return sorted({str(f) for f in files if f is not None})


def _stamps(files: tuple[Any, ...]) -> tuple[Any, ...]:
    """(path, mtime, size) of each file; `files` may be such stamps already."""
    out: list[tuple[Any, int | None, int | None]] = []
    for entry in files:
        path = entry[0] if isinstance(entry, tuple) else entry
        try:
            st = os.stat(path)
            out.append((path, st.st_mtime_ns, st.st_size))
        except OSError:
            out.append((path, None, None))
    return tuple(out)


def _key(settings: Settings, network: bool) -> tuple[Any, ...]:
    import json

    described = json.dumps(vars(settings), sort_keys=True, default=str)
    files = [settings.config_file, settings.schema, *settings.schemas.values()]
    return (described, _stamps(tuple(str(f) for f in files if f is not None)), network)
