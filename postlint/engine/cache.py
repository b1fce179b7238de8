"""Results of the post rules kept between runs, so that an unchanged post costs
a read and a hash.

What is stored is a post's `FileResult` exactly as the engine made it: its
findings (severities, suppressions and per-file-ignores applied, fixes
included), the facts its site rules collected, its suppressions and whether it
can be fixed. Site rules themselves always run: DT005 compares the cached date
with this run's clock, JK002 compares this run's URLs.

The key is a hash of everything that can change that result:

* the bytes of the file, its path as reported and as the configuration sees it;
* the Jekyll site it belongs to (`Site.fingerprint()` and its root);
* the run: postlint's format and version, Python's version, the version of every
  rule's distribution and of the libraries the rules lean on, the stat of
  postlint's own source files (an edited checkout is another postlint), the
  selected rules and their options, `Settings.fingerprint()`, the severities
  (resolved to rule codes), per-file-ignores, the network switch, and the
  content of every file a selected rule names in its optional
  `cache_inputs(options)` (FM100: the schema, each file its $refs reach, the
  shipped schema).

Storage: one SQLite database in WAL mode (`<cache_dir>/results/v1.sqlite`): 10,000
entries are written in about 0.1 s and read in 0.03 s, against 1 s and 0.12 s
for one file per entry. Writers take turns (a busy timeout), readers never
wait, a transaction is all or nothing, so two runs sharing the folder are
safe. Each value carries its own digest and is unpickled by an unpickler that
only knows postlint's classes, the rules' own modules and a few plain standard
types: a damaged or foreign entry is a miss, never a result. Beyond
MAX_ENTRIES or MAX_BYTES the least recently used entries are dropped. Any
failure of the cache itself (read-only folder, damaged database) costs only time.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import pickle
import sqlite3
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Optional

if TYPE_CHECKING:  # pragma: no cover
    from postlint.engine.config import Settings
    from postlint.engine.linter import FileResult, Linter
    from postlint.model.site import Site

# v2: FileResult.relpath; Suppression holds resolved codes.
# v3: FileResult.used, Suppression's positions and selectors (PL001/PL002).
FORMAT = "results-v3"
DEFAULT_DIRNAME = ".postlint_cache"
# Bounds of the database; beyond either, the least recently used entries go
# until 90% of the bound is left.
MAX_ENTRIES = 200_000
MAX_BYTES = 256 * 2**20
# A hit refreshes the entry's "used" time at most this often (seconds): a warm
# run writes nothing unless its entries are this old.
TOUCH_AFTER = 24 * 3600
_BATCH = 500  # keys per SELECT (SQLite allows 999 parameters in old versions)

# Libraries whose behaviour decides findings (import names): part of the key.
LIBRARIES = ("yaml", "jsonschema", "jsonschema_specifications", "referencing", "html5lib", "ftfy",
             "markdown_it", "wcwidth", "tomli")


def cache_dir(settings: "Settings") -> Path:
    return Path(settings.cache_dir) if settings.cache_dir is not None else Path(settings.root) / DEFAULT_DIRNAME


def content_digest(source: bytes) -> str:
    return hashlib.sha256(source).hexdigest()


# -- the key ----------------------------------------------------------------------


def run_key(linter: "Linter", network: bool) -> str:
    """What all posts of a run share in their keys."""
    from postlint import __version__

    settings = linter.settings
    registry = linter.registry
    material = {
        "format": FORMAT,
        "postlint": __version__,
        "python": [sys.implementation.name, *sys.version_info[:2]],
        "source": _source_stamp(),
        "libraries": _library_stamp(),
        # Every rule's origin (distribution and version): suppressions and
        # selectors are matched against the whole registry.
        "registry": sorted((r.code, r.name, r.origin, _module_stamp(r.module)) for r in registry),
        "post_rules": [r.code for r in linter.post_rules],
        "site_rules": [r.code for r in linter.site_rules],
        "options": linter.options,
        "settings": settings.fingerprint(),
        "severity": sorted(linter.severities.items()),
        "per_file_ignores": sorted((k, sorted(v)) for k, v in settings.per_file_ignores.items()),
        "network": network,
        "inputs": _rule_inputs(linter),
    }
    return hashlib.sha256(json.dumps(material, sort_keys=True, default=repr).encode("utf-8")).hexdigest()


def site_key(site: "Site") -> str:
    material = {"root": str(site.root) if site.root else None, **site.fingerprint()}
    return hashlib.sha256(json.dumps(material, sort_keys=True, default=repr).encode("utf-8")).hexdigest()


def key_prefix(run: str, site: str, display: str, relpath: str) -> str:
    """A file's key before its content is known."""
    return "\0".join((run, site, display, relpath))


def entry_key(prefix: str, digest: str) -> str:
    return hashlib.sha256(f"{prefix}\0{digest}".encode("utf-8")).hexdigest()


def _source_stamp() -> str:
    """postlint's own .py files by (name, mtime, size): an editable install whose
    code changed is a different linter, whatever its version says."""
    import postlint

    here = Path(postlint.__file__).parent
    stamps = []
    stack = [here]
    while stack:
        folder = stack.pop()
        try:
            with os.scandir(folder) as it:
                for entry in it:
                    if entry.is_dir(follow_symlinks=False) and entry.name != "__pycache__":
                        stack.append(Path(entry.path))
                    elif entry.name.endswith(".py"):
                        st = entry.stat()
                        stamps.append(f"{entry.path}:{st.st_mtime_ns}:{st.st_size}")
        except OSError:
            continue
    stamps.sort()
    return hashlib.sha256("\n".join(stamps).encode("utf-8")).hexdigest()


def _module_stamp(module: Any) -> Optional[str]:
    """A plugin's module file by mtime and size (postlint's own are in _source_stamp)."""
    name = getattr(module, "__name__", "")
    path = getattr(module, "__file__", None)
    if name.startswith("postlint.") or not path:
        return None
    try:
        st = os.stat(path)
    except OSError:
        return None
    return f"{st.st_mtime_ns}:{st.st_size}"


def _library_stamp() -> list[tuple[str, Optional[str]]]:
    """Each library's package file by path, mtime and size: an upgrade rewrites
    it. (importlib.metadata would cost 50 ms a run; find_spec imports nothing.)"""
    from importlib.util import find_spec

    out: list[tuple[str, Optional[str]]] = []
    for name in LIBRARIES:
        try:
            spec = find_spec(name)
            origin = spec.origin if spec is not None else None
            st = os.stat(origin) if origin else None
        except (ImportError, ValueError, OSError):
            origin, st = None, None
        out.append((name, f"{origin}:{st.st_mtime_ns}:{st.st_size}" if st else None))
    return out


def _rule_inputs(linter: "Linter") -> list[tuple[str, str, str]]:
    """(rule, file, digest of its content) for every file a selected rule says
    its findings depend on (the optional rule function `cache_inputs(options)`;
    FM100: its schema files and every file their $refs reach)."""
    stamps: list[tuple[str, str, str]] = []
    for rule in linter.rules:
        inputs = getattr(rule.module, "cache_inputs", None)
        if inputs is None:
            continue
        try:
            files = list(inputs(linter.options[rule.code]))
        except Exception:  # noqa: BLE001 - a plugin's failure: a key no other run shares
            stamps.append((rule.code, "<failed>", os.urandom(16).hex()))
            continue
        for file in files:
            try:
                digest = hashlib.sha256(Path(file).read_bytes()).hexdigest()
            except OSError:
                digest = "unreadable"
            stamps.append((rule.code, str(file), digest))
    return stamps


# -- values -------------------------------------------------------------------------

# Standard types a FileResult or a site rule's fact may hold besides the
# builtins pickle stores natively (str, int, tuple, list, dict...).
_SAFE_GLOBALS = {
    ("builtins", "set"), ("builtins", "frozenset"), ("builtins", "complex"), ("builtins", "slice"),
    ("builtins", "bytearray"), ("builtins", "range"),
    ("datetime", "datetime"), ("datetime", "date"), ("datetime", "time"), ("datetime", "timedelta"),
    ("datetime", "timezone"), ("decimal", "Decimal"), ("fractions", "Fraction"),
    ("pathlib", "PurePosixPath"), ("pathlib", "PosixPath"), ("pathlib", "PureWindowsPath"),
    ("pathlib", "WindowsPath"), ("pathlib", "Path"), ("collections", "OrderedDict"),
    ("zoneinfo", "ZoneInfo"),
}


class _Unpickler(pickle.Unpickler):
    """Unpickles only classes (never functions) of postlint, of the packages
    the rules come from, and plain standard types: an entry written by anything
    else is refused (a miss)."""

    def __init__(self, data: bytes, packages: frozenset[str], allowed: dict[tuple[str, str], type]) -> None:
        super().__init__(io.BytesIO(data))
        self.packages = packages
        self.allowed = allowed  # classes found so far, shared by a run's loads

    def find_class(self, module: str, name: str) -> Any:
        found = self.allowed.get((module, name))
        if found is not None:
            return found
        if (module, name) in _SAFE_GLOBALS or module.split(".", 1)[0] in self.packages:
            found = super().find_class(module, name)
            if isinstance(found, type):
                self.allowed[(module, name)] = found
                return found
        raise pickle.UnpicklingError(f"{module}.{name} is not allowed in the cache")


def _seal(value: bytes) -> bytes:
    return hashlib.blake2b(value, digest_size=16).digest()


# -- the store ------------------------------------------------------------------------


class ResultCache:
    """The results database of one run. Every method swallows the cache's own
    failures: a broken cache is an empty one that stores nothing."""

    def __init__(self, directory: Path, modules: Iterable[str] = ()) -> None:
        self.directory = Path(directory)
        self.path = self.directory / "results" / "v1.sqlite"
        self.packages = frozenset({"postlint", *(name.split(".", 1)[0] for name in modules)})
        self._db: Optional[sqlite3.Connection] = None
        self._broken = False
        self._pending: list[tuple[str, bytes, bytes, int]] = []
        self._classes: dict[tuple[str, str], type] = {}
        self.hits = 0
        self.misses = 0
        self.writes = 0
        self.errors: list[str] = []

    # The connection is opened on first use: a run with nothing to look up
    # creates no folder.
    def _connect(self) -> Optional[sqlite3.Connection]:
        if self._db is not None or self._broken:
            return self._db
        from postlint.files.safe import marked_boundary, stays_inside

        # A cache folder (or a file in it) that is a link out of the repository
        # is not used: postlint writes nothing outside the site.
        limit = marked_boundary(str(self.directory))
        places = (self.directory, self.path.parent, self.path, *(Path(f"{self.path}{s}") for s in ("-wal", "-shm")))
        if not all(stays_inside(str(place), limit) for place in places):
            self._fail(OSError("a symbolic link in it leads outside the repository (or site); not used"))
            return None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            _mark_cache_dir(self.directory)
            db = sqlite3.connect(str(self.path), timeout=30.0, isolation_level=None, check_same_thread=False)
            try:
                db.execute("PRAGMA journal_mode=WAL")
                db.execute("PRAGMA synchronous=NORMAL")
                db.execute(
                    "CREATE TABLE IF NOT EXISTS results ("
                    " key TEXT PRIMARY KEY, value BLOB NOT NULL, seal BLOB NOT NULL, used INTEGER NOT NULL)"
                )
            except sqlite3.DatabaseError:
                db.close()
                raise
            self._db = db
        except (OSError, sqlite3.Error) as exc:
            self._fail(exc)
        return self._db

    def _fail(self, exc: BaseException) -> None:
        self._broken = True
        self.errors.append(f"result cache disabled ({self.path}): {exc}")
        self._close_db()

    def _close_db(self) -> None:
        if self._db is not None:
            try:
                self._db.close()
            except sqlite3.Error:
                pass
            self._db = None

    def get_many(self, keys: list[str]) -> dict[str, "FileResult"]:
        """The stored results of those keys that have a sound entry."""
        db = self._connect()
        found: dict[str, FileResult] = {}
        if db is None or not keys:
            self.misses += len(keys)
            return found
        now = int(time.time())
        stale: list[str] = []
        try:
            for i in range(0, len(keys), _BATCH):
                chunk = keys[i : i + _BATCH]
                marks = ",".join("?" * len(chunk))
                rows = db.execute(f"SELECT key, value, seal, used FROM results WHERE key IN ({marks})", chunk)
                for key, value, seal, used in rows:
                    result = self._load(value, seal)
                    if result is None:
                        continue
                    found[key] = result
                    if now - used > TOUCH_AFTER:
                        stale.append(key)
            if stale:
                with _transaction(db):
                    db.executemany("UPDATE results SET used = ? WHERE key = ?", [(now, k) for k in stale])
        except sqlite3.Error as exc:
            self._fail(exc)
        self.hits += len(found)
        self.misses += len(keys) - len(found)
        return found

    def _load(self, value: Any, seal: Any) -> Optional["FileResult"]:
        from postlint.engine.linter import FileResult

        if not isinstance(value, bytes) or not isinstance(seal, bytes) or _seal(value) != seal:
            return None
        try:
            result = _Unpickler(value, self.packages, self._classes).load()
        except Exception:  # noqa: BLE001 - any damage is a miss
            return None
        return result if isinstance(result, FileResult) else None

    def put(self, key: str, result: "FileResult") -> None:
        """Queue a result; written by flush() (the runner flushes in batches)."""
        if self._broken:
            return
        try:
            value = pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:  # noqa: BLE001 - a fact that cannot be pickled: not cached
            return
        self._pending.append((key, value, _seal(value), int(time.time())))

    def flush(self) -> None:
        pending, self._pending = self._pending, []
        if not pending:
            return
        db = self._connect()
        if db is None:
            return
        try:
            with _transaction(db):
                db.executemany("INSERT OR REPLACE INTO results (key, value, seal, used) VALUES (?, ?, ?, ?)", pending)
            self.writes += len(pending)
        except sqlite3.Error as exc:
            self._fail(exc)

    def prune(self, max_entries: Optional[int] = None, max_bytes: Optional[int] = None) -> int:
        """Drop the least recently used entries beyond the bounds; how many went."""
        max_entries = MAX_ENTRIES if max_entries is None else max_entries
        max_bytes = MAX_BYTES if max_bytes is None else max_bytes
        db = self._connect()
        if db is None:
            return 0
        try:
            count, size = db.execute("SELECT count(*), coalesce(sum(length(value)), 0) FROM results").fetchone()
            if count <= max_entries and size <= max_bytes:
                return 0
            keep = min(int(max_entries * 0.9), int(count * (max_bytes * 0.9) / size) if size else count)
            with _transaction(db):
                cur = db.execute(
                    "DELETE FROM results WHERE key NOT IN (SELECT key FROM results ORDER BY used DESC, key LIMIT ?)",
                    (keep,),
                )
            return cur.rowcount
        except sqlite3.Error as exc:
            self._fail(exc)
            return 0

    def close(self) -> None:
        self.flush()
        if self.writes:
            self.prune()
        self._close_db()


class _transaction:
    """BEGIN IMMEDIATE ... COMMIT: a writer waits (busy timeout) for the other
    run's transaction instead of failing halfway."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def __enter__(self) -> None:
        self.db.execute("BEGIN IMMEDIATE")

    def __exit__(self, kind: Any, exc: Any, tb: Any) -> None:
        self.db.execute("COMMIT" if kind is None else "ROLLBACK")


def _mark_cache_dir(directory: Path) -> None:
    """A .gitignore and a CACHEDIR.TAG, so that neither git nor backups keep it."""
    for name, text in (
        (".gitignore", "# Created by postlint.\n*\n"),
        ("CACHEDIR.TAG", "Signature: 8a477f597d28d172789f06886806bc55\n# postlint's cache.\n"),
    ):
        path = directory / name
        if not path.exists():
            try:
                with open(path, "x", encoding="utf-8") as f:
                    f.write(text)
            except OSError:
                pass


def open_cache(linter: "Linter") -> Optional[ResultCache]:
    """The run's cache, or None when the settings turn it off."""
    if not linter.settings.use_cache:
        return None
    modules = [r.module.__name__ for r in linter.registry]
    return ResultCache(cache_dir(linter.settings), modules)
