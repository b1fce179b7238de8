"""`Path.resolve()` once per path and per folder, on strings.

Resolving costs a system call per path component, and pathlib's pure-Python
operations add tens of microseconds more; a run resolves each post's path
several times (discovery, display path, path relative to the configuration,
its Jekyll site), which on 10,000 posts was most of a warm run. A file that is
not itself a symbolic link resolves to its resolved folder plus its name, so
folders are resolved once and results remembered (a relative path per working
folder, as its meaning depends on it).
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path


@lru_cache(maxsize=8192)
def _folder(folder: str) -> str:
    return str(Path(folder).resolve())


# (path, working folder) -> resolved path: _resolve's answers, and the
# files safe.Folders opened as no link (remember_file).
_RESOLVED: dict[tuple[str, str], str] = {}
_RESOLVED_MOST = 65536


def _resolve(path: str, cwd: str) -> str:
    key = (path, cwd)
    found = _RESOLVED.get(key)
    if found is None:
        if len(_RESOLVED) >= _RESOLVED_MOST:
            _RESOLVED.clear()
        found = _RESOLVED[key] = _resolve_now(path, cwd)
    return found


def remember_file(path: str) -> None:
    """`path`, absolute and its folder resolved, was just opened as no
    symbolic link (O_NOFOLLOW): it resolves to itself, without the lstat
    _resolve would make (ruby-lang.org: 4,723 of them, 17 ms)."""
    if len(_RESOLVED) < _RESOLVED_MOST:
        _RESOLVED[(path, "")] = path


def _resolve_now(path: str, cwd: str) -> str:
    full = os.path.join(cwd, path) if cwd else path
    head, name = os.path.split(full)
    if name in ("", ".", "..") or not head or os.path.islink(full):
        # os.path.realpath, not Path.resolve: a symbolic link loop
        # (`ln -s x.md x.md`) stays unresolved instead of raising RuntimeError.
        return os.path.realpath(full)
    return os.path.join(_folder(head), name)


def resolved_str(path: os.PathLike[str] | str) -> str:
    """str(Path(path).resolve()) (non-strict)."""
    text = os.fspath(path)
    return _resolve(text, "" if os.path.isabs(text) else os.getcwd())


def resolved(path: os.PathLike[str] | str) -> Path:
    return Path(resolved_str(path))


def resolved_cwd() -> str:
    return _folder(os.getcwd())


def relative_posix(path: str, root: str) -> str | None:
    """`Path(path).relative_to(root).as_posix()` for resolved paths; None when
    `path` is not under `root`."""
    if path == root:
        return "."
    prefix = root if root.endswith(os.sep) else root + os.sep
    if not path.startswith(prefix):
        return None
    rest = path[len(prefix):]
    return rest.replace(os.sep, "/") if os.sep != "/" else rest
