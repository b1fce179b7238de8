"""The cache folder and the one database in it.

Everything postlint keeps between runs lives in one SQLite database,
`<cache folder>/postlint.sqlite`, its values JSON text (never pickle):

* `results`: a post's result, by the place of the file in one run's setup (see
  `postlint.engine.cache`), with the stat and the digest of the bytes linted;
* `urls`: working URL verdicts (`postlint.net.cache`);
* `memo`: small facts about the installation that are dear to find out again:
  the entry-point scan (`postlint.engine.registry`), the files a rule's
  results depend on (`cache_inputs`) and a site's walk
  (`postlint.rules.jekyll.site_files_store`), each keyed by what would change it.

Beside it, `runs/` holds the records of whole runs (`postlint.engine.warm`),
one small JSON file each: a warm run reads one of them and nothing else, so
it needs no database (nor sqlite3's import).

The folder is computed here and nowhere else (`cache_dir`): the configuration's
`cache-dir`, else `.postlint_cache` in the configuration's folder (the Jekyll
site's when there is no configuration).

Several postlint processes may share the database at once (pool workers, parallel
pre-commit hooks, two terminals): it runs in WAL mode, so readers never wait;
writers take turns (`BEGIN IMMEDIATE` and a busy timeout), and a transaction is
all or nothing. A file at its place that is not an SQLite database, or is one
that postlint did not make (its `application_id`), or one of another layout
(`user_version`), is rebuilt, under a lock so that two processes do not rebuild
it over each other. Any other failure of the database (a read-only folder, a
full disk, damage found later) disables it for the run: a cache costs time at
worst, never a finding or a traceback. Nothing is read or written through a
symbolic link that leads out of the repository (or site).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    import sqlite3  # imported where used: a run without a cache never loads it
    from types import TracebackType

    from typing_extensions import Self  # typing.Self from Python 3.11

DEFAULT_DIRNAME = ".postlint_cache"
# The names of a configuration file, nearest first (postlint.engine.config),
# here beside the folder they place: the warm run finds them without the
# configuration's module.
CONFIG_FILES = (".postlint.toml", "pyproject.toml")
DB_NAME = "postlint.sqlite"
APPLICATION_ID = 0x504C4E54  # "PLNT" in the file's header: this database is postlint's
# The layout of the tables below; another number is rebuilt (a newer or older postlint).
LAYOUT = 1
BUSY_TIMEOUT = 30.0  # seconds a writer waits for another process's transaction
# Where a site rule context's `shared` holds the run's CacheDB (absent: no
# cache), for what site rules keep between runs (postlint.rules.jekyll.site_files_store).
CONTEXT_KEY = "cache-db"

_TABLES = (
    (
        "CREATE TABLE IF NOT EXISTS results ("
        " slot TEXT PRIMARY KEY, stat TEXT, digest TEXT NOT NULL, value TEXT NOT NULL, used INTEGER NOT NULL)"
    ),
    "CREATE TABLE IF NOT EXISTS urls (key TEXT PRIMARY KEY, value TEXT NOT NULL, checked_at REAL NOT NULL)",
    "CREATE TABLE IF NOT EXISTS memo (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
)
_OURS = {"results", "urls", "memo"}


def cache_dir(settings: Any) -> Path:
    """The cache folder of a run's settings (anything with `root` and `cache_dir`)."""
    configured = getattr(settings, "cache_dir", None)
    return Path(configured) if configured is not None else Path(settings.root) / DEFAULT_DIRNAME


_SHARED: dict[str, CacheDB] = {}


class CacheDB:
    """The database of one cache folder, opened on first use (a run that looks
    nothing up creates no folder). `connect()` is None once it has failed; the
    reason is in `errors`."""

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)
        self.path = self.directory / DB_NAME
        self._db: sqlite3.Connection | None = None
        self.broken = False
        self.errors: list[str] = []
        # Memo entries learnt before it is known that the run stores anything
        # (the entry-point scan): written with the run's results.
        self.pending_memos: list[tuple[str, Any]] = []

    @classmethod
    def shared(cls, directory: Path) -> CacheDB:
        """The one CacheDB of this folder in this process (the registry and
        the result cache use the same connection)."""
        key = os.path.abspath(directory)
        found = _SHARED.get(key)
        if found is None or found.broken:
            found = _SHARED[key] = cls(Path(directory))
        return found

    # -- opening -----------------------------------------------------------------

    def connect(self, create: bool = True) -> sqlite3.Connection | None:
        """The connection; with create=False, None when there is no database
        yet (a read that finds nothing makes no folder)."""
        if self._db is not None or self.broken:
            return self._db
        if not create and not os.path.isfile(self.path):
            return None
        import sqlite3
        if not self._stays_inside():
            self.fail(OSError("a symbolic link in it leads outside the repository (or site); not used"))
            return None
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            _mark_cache_dir(self.directory)
            db = self._open()
            if db is None:
                with _Lock(self.directory / "postlint.lock"):
                    db = self._open()  # another process may have rebuilt it meanwhile
                    if db is None:
                        self._remove()
                        db = self._open()
                if db is None:
                    raise sqlite3.DatabaseError("the database could not be rebuilt")
            # WAL with NORMAL: a crash may lose the last transactions, never
            # corrupt the file; and a commit costs no fsync.
            db.execute("PRAGMA synchronous=NORMAL")
            self._db = db
        except (OSError, sqlite3.Error) as exc:
            self.fail(exc)
        return self._db

    def _stays_inside(self) -> bool:
        from postlint.files.safe import marked_boundary, stays_inside

        limit = marked_boundary(str(self.directory))
        places = [self.directory, self.path, *(Path(f"{self.path}{s}") for s in ("-wal", "-shm")),
                  self.directory / "postlint.lock", self.directory / ".gitignore", self.directory / "CACHEDIR.TAG"]
        return all(stays_inside(str(place), limit) for place in places)

    def _open(self) -> sqlite3.Connection | None:
        """A connection to a sound database of ours (made if the file is new);
        None when the file must be rebuilt."""
        import sqlite3

        db = sqlite3.connect(str(self.path), timeout=BUSY_TIMEOUT, isolation_level=None, check_same_thread=False)
        try:
            state = _state(db, "BEGIN")  # one snapshot: another process may be making it
            if state == "ours":
                return db
            if state == "foreign":
                db.close()
                return None
            db.execute("PRAGMA journal_mode=WAL")
            with transaction(db):
                state = _state(db, None)
                if state == "foreign":
                    raise _Foreign
                if state == "new":
                    for statement in _TABLES:
                        db.execute(statement)
                    db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                    db.execute(f"PRAGMA user_version = {LAYOUT}")
            return db
        except _Foreign:
            db.close()
            return None
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                db.close()
                raise
            db.close()
            return None
        except sqlite3.DatabaseError:  # "file is not a database", a damaged header
            db.close()
            return None

    def _remove(self) -> None:
        for suffix in ("", "-wal", "-shm", "-journal"):
            try:
                os.unlink(f"{self.path}{suffix}")
            except FileNotFoundError:
                pass

    # -- use ------------------------------------------------------------------------

    def fail(self, exc: BaseException) -> None:
        self.broken = True
        self.errors.append(f"cache disabled ({self.path}): {exc}")
        self.close()

    def close(self) -> None:
        if self._db is not None:
            try:
                self._db.close()
            except Exception:  # noqa: BLE001, S110 - sqlite3.Error: it is gone either way
                pass
            self._db = None


class _Foreign(Exception):
    pass


def _state(db: sqlite3.Connection, begin: str | None) -> str:
    """"ours", "new" (an empty file) or "foreign" (another program's or another
    layout), read in one transaction (`begin`), or in the caller's."""
    if begin:
        db.execute(begin)
    try:
        (app,) = db.execute("PRAGMA application_id").fetchone()
        (layout,) = db.execute("PRAGMA user_version").fetchone()
        tables = {name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    finally:
        if begin:
            db.execute("COMMIT")
    if app == APPLICATION_ID and layout == LAYOUT and tables >= _OURS:
        return "ours"
    if app == 0 and layout == 0 and not tables:
        return "new"
    return "foreign"


class transaction:
    """BEGIN IMMEDIATE ... COMMIT: a writer waits (busy timeout) for another
    process's transaction instead of failing halfway."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def __enter__(self) -> None:
        self.db.execute("BEGIN IMMEDIATE")

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None,
    ) -> None:
        self.db.execute("COMMIT" if kind is None else "ROLLBACK")


def batches(items: list[Any], size: int = 500) -> Iterator[list[Any]]:
    """`items` in chunks of at most `size` (SQLite's old limit is 999 parameters)."""
    for i in range(0, len(items), size):
        yield items[i : i + size]


class _Lock:
    """An exclusive lock on a file in the cache folder, where the system has
    flock (elsewhere: none; a rebuild race then costs a second rebuild)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.fd: int | None = None

    def __enter__(self) -> Self:
        try:
            import fcntl
        except ImportError:  # pragma: no cover - Windows
            return self
        flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
        self.fd = os.open(self.path, flags, 0o644)
        fcntl.flock(self.fd, fcntl.LOCK_EX)
        return self

    def __exit__(self, *exc: object) -> None:
        if self.fd is not None:
            os.close(self.fd)  # releases the lock
            self.fd = None


def _mark_cache_dir(directory: Path) -> None:
    """A .gitignore and a CACHEDIR.TAG, so that neither git nor backups keep it."""
    for name, text in (
        (".gitignore", "# Created by postlint.\n*\n"),
        ("CACHEDIR.TAG", "Signature: 8a477f597d28d172789f06886806bc55\n# postlint's cache.\n"),
    ):
        path = directory / name
        if not os.path.lexists(path):
            try:
                with open(path, "x", encoding="utf-8") as f:
                    f.write(text)
            except OSError:
                pass


# -- the memo: small JSON values kept between runs (entry points, schema answers) --


def memo_get(db: CacheDB | None, key: str) -> Any:
    conn = db.connect(create=False) if db is not None else None
    if conn is None:
        return None
    try:
        row = conn.execute("SELECT value FROM memo WHERE key = ?", (key,)).fetchone()
        return json.loads(row[0]) if row else None
    except (ValueError, TypeError):
        return None
    except Exception as exc:  # noqa: BLE001 - sqlite3.Error: the cache is off for this run
        if db is not None:  # it is: conn came from it
            db.fail(exc)
        return None


def memo_put(db: CacheDB | None, key: str, value: Any) -> None:
    conn = db.connect() if db is not None else None
    if conn is None:
        return
    try:
        with transaction(conn):
            conn.execute("INSERT OR REPLACE INTO memo (key, value) VALUES (?, ?)", (key, json.dumps(value)))
    except Exception as exc:  # noqa: BLE001 - sqlite3.Error
        if db is not None:  # it is: conn came from it
            db.fail(exc)
