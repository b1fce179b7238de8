"""Results of the post rules kept between runs, so that an unchanged post costs
a `stat` and its share of one batched read.

Long because: the key (everything a result depends on) and the JSON encoding
of a FileResult (findings, fixes, suppressions, facts) change together, with
the format number; in one module a change to either is seen next to the other.

What is stored is a post's `FileResult` exactly as the engine made it: its
findings (severities, suppressions and per-file-ignores applied, fixes
included), the facts its site rules collected (JSON data, see
`Linter.lint_source`), its suppressions and whether it can be fixed. Site rules
themselves always run: DT005 compares the cached date with this run's clock,
JK002 compares this run's URLs. (A whole run whose inputs did not change at
all is answered before any of this, by `postlint.engine.warm`.)

An entry's *slot* is a hash of everything but the file's bytes that can change
its result:

* the file's place (resolved folder and name) and its path as the configuration
  sees it;
* the Jekyll site it belongs to (`Site.fingerprint()` and its root, and the
  tz database file its `timezone` is read from);
* the run: postlint's format and version, Python's version, postlint's own
  source files when it is an editable install or a checkout (an edited checkout
  is another postlint), every rule's code, name and distribution
  (suppressions and selectors are matched against the whole registry) and a
  plugin's module by its stat and the .py files of its top-level package (a
  helper it imports while it lints is its code too), the selected rules and
  their options (the top-level settings a rule declares in `SETTINGS` are among
  them), the libraries the selected rules declare in `LIBRARIES` (by the stat of
  each package's file: an upgrade rewrites it), the severities, per-file-ignores,
  the cap of findings per rule, the network switch, TZ and PYTHONTZPATH, and
  the content of every file a selected rule names in its optional `cache_inputs(options)` (FM100:
  its schema and each file its $refs reach).

The entry holds the digest of the bytes linted and the file's stat when they
were read. A warm run compares a `stat` of each file with the entry's: the same
(mtime, ctime, size, inode, device) is the same file, unread. A different stat
(a `touch`, a checkout that rewrote the file) costs a read and a hash: the same
digest is still a hit. A stat too close to the moment of reading (a file
written in the same clock tick could change unseen, git's "racily clean"
problem) is not kept, so that the next run hashes that file.

Storage: the `results` table of the cache database (`postlint.files.cachedb`),
values JSON text, decoded strictly: a damaged entry is a miss, never a result.
Beyond MAX_ENTRIES or MAX_BYTES the least recently used entries are dropped.
"""

from __future__ import annotations

# (hashlib is imported where a digest is made: a run without the cache
# needs none, and its import starts OpenSSL, 3 ms.)
import json
import os
import sys
import time
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from postlint.files.cachedb import CacheDB, batches, cache_dir, memo_get, memo_put, transaction
from postlint.model.record import NamedTuple

if TYPE_CHECKING:  # pragma: no cover
    from postlint.engine.linter import FileResult, Linter
    from postlint.model.site import Site

__all__ = ["ResultCache", "cache_dir", "content_digest", "open_cache", "run_key", "site_key", "slot_key"]

# v4: JSON values, slots by place with stat and digest (one database).
FORMAT = "results-v4"
MAX_ENTRIES = 200_000
MAX_BYTES = 256 * 2**20
# A hit refreshes the entry's "used" time at most this often (seconds): a warm
# run writes nothing unless its entries are this old.
TOUCH_AFTER = 24 * 3600
# A file modified less than this before it was read may change again within
# the same timestamp: its stat is not kept (nanoseconds).
RACY_NS = 2_000_000_000
# What the model itself (parsing front matter) depends on, whatever the rules.
CORE_LIBRARIES = ("yaml",)


def content_digest(source: bytes) -> str:
    import hashlib

    return hashlib.blake2b(source, digest_size=20).hexdigest()


def stat_signature(st: os.stat_result, read_at_ns: int | None = None) -> str | None:
    """What a later `stat` must equal for the file to be the one read; None
    when the file was modified too shortly before `read_at_ns` to be sure."""
    if read_at_ns is not None and st.st_mtime_ns > read_at_ns - RACY_NS:
        return None
    return f"{st.st_mtime_ns}:{st.st_ctime_ns}:{st.st_size}:{st.st_ino}:{st.st_dev}"


# -- the key ----------------------------------------------------------------------


def run_key(
    linter: Linter, network: bool, db: CacheDB | None = None, memos: list[tuple[str, Any]] | None = None,
    inputs: list[str] | None = None,
) -> str:
    """What all posts of a run share in their slots. `memos` collects what the
    cache's memo should learn (written once the rules have prepared);
    `inputs`, the files the rules' `cache_inputs` named."""
    from postlint import __version__

    settings = linter.settings
    stamps = _rule_inputs(linter, db, memos if memos is not None else [])
    if inputs is not None:
        inputs.extend(file for _, file, _ in stamps)
    libraries = sorted({*CORE_LIBRARIES, *(lib for r in linter.rules for lib in getattr(r.module, "LIBRARIES", ()))})
    material = {
        "format": FORMAT,
        "postlint": __version__,
        "python": [sys.implementation.name, *sys.version_info[:2]],
        "source": _source_stamp(),
        "libraries": _library_stamp(libraries),
        "registry": sorted((r.code, r.name, r.origin, _module_stamp(r.module)) for r in linter.registry),
        "post_rules": [r.code for r in linter.post_rules],
        "site_rules": [r.code for r in linter.site_rules],
        "options": linter.options,
        "severity": sorted(linter.severities.items()),
        "per_file_ignores": sorted((k, sorted(v)) for k, v in settings.per_file_ignores.items()),
        "max_findings_per_rule": settings.max_findings_per_rule,
        "network": network,
        "inputs": stamps,
        # The tz database a named zone (DT004's `timezone`) is read from.
        "tz": [os.environ.get("TZ"), os.environ.get("PYTHONTZPATH")],
    }
    return _hash(material)


def site_key(site: Site) -> str:
    return _hash({"root": str(site.root) if site.root else None, **site.fingerprint(),
                  "zone": zone_stamp(site.timezone) if site.timezone else None})


def zone_stamp(name: str) -> list[str] | None:
    """Where zoneinfo reads the zone `name` from (the first TZPATH folder
    holding it, else the tzdata package) and that file's stat: a tz database
    update changes the dates a post's findings depend on."""
    try:
        import zoneinfo
    except ImportError:  # pragma: no cover
        return None
    for folder in zoneinfo.TZPATH:
        path = os.path.join(folder, *name.split("/"))
        try:
            st = os.stat(path)
        except OSError:
            continue
        return [path, f"{st.st_mtime_ns}:{st.st_ctime_ns}:{st.st_size}:{st.st_ino}"]
    from importlib.util import find_spec

    try:
        spec = find_spec("tzdata")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.origin:
        return None
    path = os.path.join(os.path.dirname(spec.origin), "zoneinfo", *name.split("/"))
    try:
        st = os.stat(path)
    except OSError:
        return [path, "-"]
    return [path, f"{st.st_mtime_ns}:{st.st_ctime_ns}:{st.st_size}:{st.st_ino}"]


def slot_key(run: str, site: str, located: str, relpath: str) -> str:
    """The slot of a file: its place in this run's setup."""
    import hashlib

    return hashlib.blake2b(f"{run}\0{site}\0{located}\0{relpath}".encode("utf-8", "surrogateescape"),
                           digest_size=20).hexdigest()


def _hash(material: Any) -> str:
    import hashlib

    return hashlib.sha256(json.dumps(material, sort_keys=True, default=repr).encode("utf-8")).hexdigest()


def _source_stamp() -> str | None:
    """postlint's own .py files by (name, mtime, size) when it runs from an
    editable install or a checkout, whose code changes under the same version;
    None for an installed package (its version says it all)."""
    import hashlib

    import postlint

    here = Path(postlint.__file__).parent
    if _installed(str(here)):
        return None
    stamps = _tree_stamps(str(here), (".py", ".json"), inode=False)
    return hashlib.sha256("\n".join(stamps).encode("utf-8")).hexdigest()


def _tree_stamps(top: str, suffixes: tuple[str, ...], *, inode: bool) -> list[str]:
    """`path:mtime:size` (and `:inode`) of every file below `top` whose name
    ends in one of `suffixes` (no __pycache__), sorted; an unreadable folder
    is left out."""
    stamps = []
    stack = [top]
    while stack:
        folder = stack.pop()
        try:
            with os.scandir(folder) as it:
                for entry in it:
                    if entry.is_dir(follow_symlinks=False) and entry.name != "__pycache__":
                        stack.append(entry.path)
                    elif entry.name.endswith(suffixes):
                        st = entry.stat()
                        stamp = f"{entry.path}:{st.st_mtime_ns}:{st.st_size}"
                        stamps.append(f"{stamp}:{st.st_ino}" if inode else stamp)
        except OSError:
            continue
    stamps.sort()
    return stamps


def _installed(folder: str) -> bool:
    """Whether the package folder lies in an installation's site-packages."""
    import sysconfig

    places = {sysconfig.get_path("purelib"), sysconfig.get_path("platlib")}
    return any(p and (folder + os.sep).startswith(os.path.join(p, "")) for p in places)


def _module_stamp(module: Any) -> str | None:
    """A plugin's module file by mtime and size (postlint's own are in
    _source_stamp), and when it lies in a package, every .py file of its
    top-level package: a helper module the rule imports while it lints is
    part of the rule's code."""
    name = getattr(module, "__name__", "")
    path = getattr(module, "__file__", None)
    if name.startswith("postlint.") or not path:
        return None
    try:
        st = os.stat(path)
    except OSError:
        return None
    stamp = f"{st.st_mtime_ns}:{st.st_size}"
    top = sys.modules.get(name.partition(".")[0])
    folders = list(getattr(top, "__path__", None) or []) if "." in name else []
    stamps = sorted(s for folder in folders for s in _tree_stamps(str(folder), (".py",), inode=True))
    if stamps:
        import hashlib

        stamp += ":" + hashlib.sha256("\n".join(stamps).encode("utf-8", "surrogateescape")).hexdigest()
    return stamp


def _library_stamp(names: Iterable[str]) -> list[tuple[str, str | None]]:
    """Each library's package file by path, mtime and size: an upgrade rewrites
    it. (importlib.metadata would cost 50 ms a run; find_spec imports nothing.)"""
    from importlib.util import find_spec

    out: list[tuple[str, str | None]] = []
    for name in names:
        try:
            spec = find_spec(name)
            origin = spec.origin if spec is not None else None
            st = os.stat(origin) if origin else None
        except (ImportError, ValueError, OSError):
            origin, st = None, None
        out.append((name, f"{origin}:{st.st_mtime_ns}:{st.st_size}" if st else None))
    return out


def _file_digest(file: str) -> str:
    import hashlib

    try:
        return hashlib.sha256(Path(file).read_bytes()).hexdigest()
    except OSError:
        return "unreadable"


def _rule_inputs(linter: Linter, db: CacheDB | None, memos: list[tuple[str, Any]]) -> list[tuple[str, str, str]]:
    """(rule, file, digest of its content) for every file a selected rule says
    its findings depend on (the optional rule function `cache_inputs(options)`).

    Finding out may be dear (FM100 builds its validator to follow the $refs),
    so the answer is kept in the cache's memo, keyed by the rule and its
    options, and reused while every file it named still has its digest: the
    same files, unchanged, name the same files again. Such a rule's `prepare`
    is then left until a post is linted (`Linter.defer`): a warm run never
    builds the validator."""
    stamps: list[tuple[str, str, str]] = []
    for rule in linter.rules:
        inputs = getattr(rule.module, "cache_inputs", None)
        if inputs is None:
            continue
        options = linter.options[rule.code]
        memo_key = "inputs:" + _hash([rule.code, rule.origin, _module_stamp(rule.module), options,
                                      _library_stamp(getattr(rule.module, "LIBRARIES", ()))])
        known = memo_get(db, memo_key)
        if isinstance(known, list) and all(
            isinstance(f, list) and len(f) == 2 and _file_digest(str(f[0])) == f[1] for f in known
        ):
            stamps.extend((rule.code, str(f), d) for f, d in known)
            linter.defer(rule)
            continue
        try:
            files = [str(f) for f in inputs(options)]
        except Exception:  # noqa: BLE001 - a plugin's failure: a key no other run shares
            stamps.append((rule.code, "<failed>", os.urandom(16).hex()))
            continue
        found = [(f, _file_digest(f)) for f in files]
        memos.append((memo_key, found))
        stamps.extend((rule.code, f, d) for f, d in found)
    return stamps


# -- the memo ---------------------------------------------------------------------------


# -- values: a FileResult as JSON ---------------------------------------------------------


def _excerpt(value: str) -> Any:
    from postlint.model.diagnostic import excerpt_data

    return excerpt_data(value)


def _unexcerpt(value: Any) -> str:
    from postlint.model.diagnostic import excerpt_from_data

    return excerpt_from_data(value)


def _fix_json(fix: Any) -> Any:
    if fix is None:
        return None
    return [[list(e) for e in fix.edits], fix.applicability, [_fix_json(p) for p in fix.parts]]


def _fix_from(value: Any) -> Any:
    from postlint.model.diagnostic import Fix

    if value is None:
        return None
    edits, applicability, parts = value
    if applicability not in ("safe", "unsafe"):
        raise ValueError("damaged fix")
    return Fix(tuple(_edit(e) for e in edits), applicability, tuple(_fix_from(p) for p in parts))


def _edit(value: Any) -> Any:
    from postlint.model.diagnostic import Edit

    start, end, content = value
    if not (type(start) is int and type(end) is int and isinstance(content, str)):
        raise ValueError("damaged edit")
    return Edit(start, end, content)


def _ints(*values: Any) -> None:
    for v in values:
        if type(v) is not int:
            raise ValueError("damaged entry")


def _diagnostic_json(d: Any, path: str) -> list[Any]:
    return [None if d.path == path else d.path, d.line, d.column, d.end_line, d.end_column, d.code,
            d.severity, d.message, _fix_json(d.fix), _excerpt(d.source_line), d.not_shown]


def _diagnostic_from(value: list[Any], path: str) -> Any:
    from postlint.model.diagnostic import SEVERITIES, Diagnostic

    where, line, column, end_line, end_column, code, severity, message, fix, source, not_shown = value
    _ints(line, column, end_line, end_column, not_shown)
    # A stored finding was reported: its severity is decided (never None).
    if not (isinstance(code, str) and severity in SEVERITIES and isinstance(message, str)):
        raise ValueError("damaged finding")
    return Diagnostic(path if where is None else str(where), line, column, end_line, end_column, code,
                      severity, message, _fix_from(fix), _unexcerpt(source), not_shown)


def _selector_json(s: Any) -> list[Any]:
    return [s.text, s.start, s.end, sorted(s.codes), list(s.at)]


def _selector_from(value: list[Any]) -> Any:
    from postlint.engine.suppressions import Selector

    text, start, end, codes, at = value
    _ints(start, end, *at)
    return Selector(str(text), start, end, frozenset(map(str, codes)), tuple(at))


def _suppression_json(s: Any) -> list[Any]:
    return [sorted(s.codes), s.first_line, s.last_line, s.kind, s.start, s.end,
            [_selector_json(x) for x in s.selectors], [list(e) for e in s.removal], list(s.list_span), s.joiner,
            list(s.at), _excerpt(s.source_line), [list(e) for e in s.closers],
            [_selector_json(x) for x in s.dangling], s.blanks_end, s.line_end]


def _suppression_from(value: list[Any]) -> Any:
    from postlint.engine.suppressions import Suppression

    (codes, first, last, kind, start, end, selectors, removal, list_span, joiner, at, source, closers,
     dangling, blanks_end, line_end) = value
    _ints(first, last, start, end, blanks_end, line_end, *list_span, *at)
    if len(at) != 4 or len(list_span) != 2:
        raise ValueError("damaged suppression")
    return Suppression(
        frozenset(map(str, codes)), first, last, str(kind), start, end,
        tuple(_selector_from(x) for x in selectors), tuple(_edit(e) for e in removal), tuple(list_span),
        str(joiner), tuple(at), _unexcerpt(source), tuple(_edit(e) for e in closers),
        tuple(_selector_from(x) for x in dangling), blanks_end, line_end,
    )


def encode_result(result: FileResult) -> str:
    """A FileResult as JSON text (its facts are JSON data already)."""
    path = result.path
    return json.dumps(
        {
            "path": path,
            "diagnostics": [_diagnostic_json(d, path) for d in result.diagnostics],
            "facts": result.facts,
            "suppressions": [_suppression_json(s) for s in result.suppressions],
            "fixable": result.fixable,
            "relpath": result.relpath,
            "used": sorted([start, code] for start, code in result.used),
        },
        ensure_ascii=False,
        separators=(",", ":"),
    )


def decode_result(text: Any) -> FileResult | None:
    """The FileResult of `encode_result`'s text; None for anything damaged."""
    try:
        data = json.loads(text)
    except Exception:  # noqa: BLE001 - not JSON text
        return None
    return result_from_data(data)


def decode_results(texts: list[str]) -> list[FileResult | None]:
    """decode_result of each text, parsed as one JSON document when they all are JSON."""
    # What JSON gives back holds no reference cycles: the cyclic collector,
    # which would otherwise walk the growing heap again and again while
    # thousands of results are built (a fifth of a warm run), is paused.
    from postlint.model.collector import no_cyclic_gc

    with no_cyclic_gc():
        try:
            documents = json.loads("[" + ",".join(texts) + "]")
        except Exception:  # noqa: BLE001 - a damaged one among them: each on its own
            return [decode_result(text) for text in texts]
        if len(documents) != len(texts):  # a value that was two documents: each on its own
            return [decode_result(text) for text in texts]
        return [result_from_data(data) for data in documents]


def result_from_data(data: Any) -> FileResult | None:
    from postlint.engine.linter import FileResult

    try:
        path = data["path"]
        relpath = data["relpath"]
        facts = data["facts"]
        if (
            not isinstance(path, str)
            or not isinstance(facts, dict)
            or not (relpath is None or isinstance(relpath, str))
        ):
            return None
        used = set()
        for start, code in data["used"]:
            _ints(start)
            used.add((start, str(code)))
        return FileResult(
            path,
            [_diagnostic_from(d, path) for d in data["diagnostics"]],
            facts,
            [_suppression_from(s) for s in data["suppressions"]],
            fixable=bool(data["fixable"]),
            relpath=relpath,
            used=frozenset(used),
        )
    except Exception:  # noqa: BLE001 - any damage (bad JSON, wrong shapes or types) is a miss
        return None


# -- the store ------------------------------------------------------------------------


class Stored(NamedTuple):
    stat: str | None
    digest: str
    value: str
    used: int = 0  # when a run last used it (seconds): `touch` refreshes old ones


class ResultCache:
    """The results table of one run. Every method swallows the cache's own
    failures: a broken cache is an empty one that stores nothing."""

    def __init__(self, directory: Path, db: CacheDB | None = None) -> None:
        self.db = db if db is not None else CacheDB.shared(Path(directory))
        self.path = self.db.path
        self._pending: list[tuple[str, str | None, str, str, int]] = []
        self._restat: list[tuple[str, str]] = []
        self.memos: list[tuple[str, Any]] = []
        self.analysis: AnalysisStore | None = None
        self.hits = 0
        self.misses = 0
        self.writes = 0

    @property
    def errors(self) -> list[str]:
        return self.db.errors

    def lookup(self, slots: list[str]) -> dict[str, Stored]:
        """The stored entries of these slots (one read, in batches)."""
        db = self.db.connect()
        found: dict[str, Stored] = {}
        if db is None or not slots:
            return found
        try:
            for chunk in _chunks(slots):
                rows = db.execute(
                    "SELECT slot, stat, digest, value, used FROM results"
                    " WHERE slot IN (SELECT value FROM json_each(?))",
                    (json.dumps(chunk),),
                )
                for slot, st, digest, value, used in rows:
                    if isinstance(value, str) and isinstance(digest, str):
                        found[slot] = Stored(st if isinstance(st, str) else None, digest, value,
                                             used if type(used) is int else 0)
        except Exception as exc:  # noqa: BLE001 - sqlite3.Error
            self.db.fail(exc)
            return {}
        return found

    def touch(self, slots: Iterable[str], stored: dict[str, Stored] | None = None) -> None:
        """Refresh the "used" time of entries older than TOUCH_AFTER (hits).
        With `stored` (what `lookup` read), their age is known already: no
        second read of every slot."""
        db = self.db.connect()
        slots = list(slots)
        if db is None or not slots:
            return
        now = int(time.time())
        try:
            if stored is not None:
                stale = [slot for slot in slots if slot in stored and stored[slot].used < now - TOUCH_AFTER]
            else:
                stale = [slot for chunk in _chunks(slots) for (slot,) in db.execute(
                    "SELECT slot FROM results WHERE used < ? AND slot IN (SELECT value FROM json_each(?))",
                    (now - TOUCH_AFTER, json.dumps(chunk)),
                )]
            if stale:
                with transaction(db):
                    db.executemany("UPDATE results SET used = ? WHERE slot = ?", [(now, s) for s in stale])
        except Exception as exc:  # noqa: BLE001
            self.db.fail(exc)

    def save_memos(self) -> None:
        memos, self.memos = self.memos + self.db.pending_memos, []
        self.db.pending_memos = []
        for key, value in memos:
            memo_put(self.db, key, value)

    def restat(self, slot: str, signature: str | None) -> None:
        """A hit by digest whose stat changed: keep the new stat (at flush)."""
        if signature is not None:
            self._restat.append((signature, slot))

    def put(self, slot: str, signature: str | None, digest: str, result: FileResult) -> None:
        """Queue a result; written by flush() (the runner flushes in batches)."""
        if self.db.broken:
            return
        try:
            value = encode_result(result)
        except (TypeError, ValueError):  # a fact that is not JSON data: not cached
            return
        self._pending.append((slot, signature, digest, value, int(time.time())))

    def flush(self) -> None:
        pending, self._pending = self._pending, []
        restat, self._restat = self._restat, []
        if not pending and not restat:
            return
        db = self.db.connect()
        if db is None:
            return
        try:
            with transaction(db):
                db.executemany(
                    "INSERT OR REPLACE INTO results (slot, stat, digest, value, used) VALUES (?, ?, ?, ?, ?)", pending
                )
                db.executemany("UPDATE results SET stat = ? WHERE slot = ?", restat)
            self.writes += len(pending)
        except Exception as exc:  # noqa: BLE001
            self.db.fail(exc)

    def prune(self, max_entries: int | None = None, max_bytes: int | None = None) -> int:
        """Drop the least recently used entries beyond the bounds; how many went."""
        max_entries = MAX_ENTRIES if max_entries is None else max_entries
        max_bytes = MAX_BYTES if max_bytes is None else max_bytes
        db = self.db.connect()
        if db is None:
            return 0
        try:
            # The database's pages hold every value (a character takes a byte
            # at least): within both bounds by its file's size, the values'
            # sizes need no reading (a scan of them all: 40 ms on 45 MB, in
            # every run that stores a result, as a one-post run does).
            (count,) = db.execute("SELECT count(*) FROM results").fetchone()
            (pages,) = db.execute("PRAGMA page_count").fetchone()
            (page_size,) = db.execute("PRAGMA page_size").fetchone()
            if count <= max_entries and pages * page_size <= max_bytes:
                return 0
            count, size = db.execute("SELECT count(*), coalesce(sum(length(value)), 0) FROM results").fetchone()
            if count <= max_entries and size <= max_bytes:
                return 0
            keep = min(int(max_entries * 0.9), int(count * (max_bytes * 0.9) / size) if size else count)
            with transaction(db):
                cur = db.execute(
                    "DELETE FROM results WHERE slot NOT IN (SELECT slot FROM results ORDER BY used DESC, slot LIMIT ?)",
                    (keep,),
                )
            return int(cur.rowcount)
        except Exception as exc:  # noqa: BLE001
            self.db.fail(exc)
            return 0

    def close(self) -> None:
        self.flush()
        if self.analysis is not None:
            self.analysis.flush()
        if self.writes:
            self.prune()
        self.db.close()


class AnalysisStore:
    """The run's store for postlint.analysis.memo: rows of the memo table
    whose keys hold the run key, so a changed setup asks again. Lookups read
    the database; what is learnt is written with the results (flush)."""

    MAX_ROWS = 50_000  # beyond: the analysis rows are dropped, and learnt again

    def __init__(self, cache: ResultCache, run: str) -> None:
        self.cache = cache
        self.run = run
        self.pending: list[tuple[str, str]] = []

    def _key(self, namespace: str, key: str) -> str:
        import hashlib

        return (
            "analysis:"
            + hashlib.sha256(f"{self.run}\0{namespace}\0{key}".encode("utf-8", "surrogateescape")).hexdigest()
        )

    def get(self, namespace: str, key: str) -> Any:
        return memo_get(self.cache.db, self._key(namespace, key))

    def put(self, namespace: str, key: str, value: Any) -> None:
        try:
            self.pending.append((self._key(namespace, key), json.dumps(value, ensure_ascii=False, allow_nan=False)))
        except (TypeError, ValueError):
            pass

    def flush(self) -> None:
        pending, self.pending = self.pending, []
        db = self.cache.db.connect() if pending else None
        if db is None:
            return
        try:
            with transaction(db):
                db.executemany("INSERT OR REPLACE INTO memo (key, value) VALUES (?, ?)", pending)
                (count,) = db.execute("SELECT count(*) FROM memo WHERE key LIKE 'analysis:%'").fetchone()
                if count > self.MAX_ROWS:
                    db.execute("DELETE FROM memo WHERE key LIKE 'analysis:%'")
        except Exception as exc:  # noqa: BLE001 - sqlite3.Error
            self.cache.db.fail(exc)


def _chunks(slots: list[str]) -> Iterable[list[str]]:
    # json_each takes them all as one parameter; chunks only bound a statement's memory.
    return batches(slots, 20_000)


def open_cache(linter: Linter) -> ResultCache | None:
    """The run's cache, or None when the settings turn it off."""
    if not linter.settings.use_cache:
        return None
    return ResultCache(cache_dir(linter.settings))
