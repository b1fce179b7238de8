"""Reading and writing posts without leaving the site.

A post is read only when the file it leads to lies inside its *boundary*: the
repository it stands in (the nearest folder above it, as written, holding
``.git``), else its Jekyll site (the nearest ``_config.yml``), else the
configuration's folder. A symbolic link that leads outside, a link loop or a
link to nothing is refused (`Refused`, reported as PL003/PL004 by the runner)
before a byte of the target is read.

`--fix` writes through `write_fixed`: never through a symbolic link, never over
a read-only file or in a read-only folder, never over a file with other hard
links (replacing it would split them) or one changed since it was read; the
new file keeps the old one's mode, owner and group, and replaces it atomically
(a temporary file in the same folder, fsynced, then a rename). Every refusal
or failure is a `Refused` / `WriteFailed` with a reason, never a traceback.
Temporary files left by a killed run are recognised by name, owner and
staleness and removed by `remove_stale_temporaries`.

Long because: reading and writing share one set of checks (the boundary,
`_within`, the flags that refuse links), and a check is easier to trust
beside each place that relies on it than split from them across modules.
"""

from __future__ import annotations

import errno
import os
import re
import stat
import time
from functools import lru_cache

from postlint.files.paths import remember_file
from postlint.model.patterns import lazy
from postlint.model.record import NamedTuple

TEMP_SUFFIX = ".postlint-tmp"
# `.NAME.PID.RANDOM.postlint-tmp` (mkstemp's 8 random characters); older
# releases wrote `.NAME.RANDOM.postlint-tmp`.
_TEMP_NAME = lazy(r"\.(?P<name>.+?)(?:\.(?P<pid>[0-9]{1,10}))?\.[A-Za-z0-9_]{8}" + re.escape(TEMP_SUFFIX) + r"\Z")
# A temporary file whose writer is gone is stale at once; one whose writer may
# still run (a pid alive, maybe another process's) only after this long: a fix
# writes its file in milliseconds.
STALE_SECONDS = 3600.0


class Refused(Exception):
    """A file postlint will not read or write; `code` is the finding's code."""

    def __init__(self, code: str, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason


class WriteFailed(Exception):
    """The operating system refused a write (permissions, disk full, vanished)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class Read(NamedTuple):
    data: bytes
    stat: os.stat_result  # of the file read (fstat of the open descriptor)


# -- the boundary ---------------------------------------------------------------------


@lru_cache(maxsize=4096)
def _marked_ancestor(folder: str, marker: str) -> str | None:
    """The nearest folder at or above `folder` (as written, links not followed)
    that holds `marker`."""
    here = folder
    while True:
        if os.path.lexists(os.path.join(here, marker)):
            return here
        parent = os.path.dirname(here)
        if parent == here:
            return None
        here = parent


@lru_cache(maxsize=4096)
def _real(path: str) -> str:
    return os.path.realpath(path)


def boundary(path: str, fallback: str | None = None) -> str:
    """The resolved folder a post at `path` (as written) may lead into."""
    folder = os.path.dirname(os.path.abspath(path))
    found = _marked_ancestor(folder, ".git") or _marked_ancestor(folder, "_config.yml")
    if found is None and fallback is not None:
        root = os.path.abspath(fallback)
        if _within(folder, root):
            found = root
    return _real(found or folder)


def marked_boundary(path: str) -> str | None:
    """The resolved repository (`.git`) or site (`_config.yml`) folder that a
    file at `path` (as written) stands in, or None when it stands in neither."""
    folder = os.path.dirname(os.path.abspath(path))
    found = _marked_ancestor(folder, ".git") or _marked_ancestor(folder, "_config.yml")
    return _real(found) if found is not None else None


def stays_inside(path: str, limit: str | None) -> bool:
    """Whether `path` (which need not exist), links followed, stays inside
    `limit` (a `marked_boundary`; None: no limit)."""
    return limit is None or _within(os.path.realpath(path), limit)


def within(path: str, folder: str) -> bool:
    """Whether the resolved `path` is `folder` or lies under it."""
    return _within(path, folder)


def _within(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def inside(path: str, fallback: str | None = None) -> bool:
    """Whether `path` resolves to a place inside its boundary (False for loops
    and links to nothing)."""
    try:
        real = os.path.realpath(path, strict=True)
    except OSError:
        return False
    return _within(real, boundary(path, fallback))


def _resolve_inside(path: str, fallback: str | None) -> str:
    """The resolved path of a post that may be read, or `Refused`."""
    try:
        real = os.path.realpath(path, strict=True)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise Refused("PL004", "symbolic link loop: the link leads back to itself; not read") from None
        if os.path.islink(path):
            raise Refused("PL004", "broken symbolic link: it leads to nothing; not read") from None
        raise
    if not _within(real, boundary(path, fallback)):
        raise Refused(
            "PL003",
            "symbolic link to a file outside the repository (or site); not read: "
            "postlint reads nothing outside the site",
        )
    return real


_READ_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
_FOLDER_FLAGS = (os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_NOFOLLOW", 0)
                 | getattr(os, "O_CLOEXEC", 0))
_CHUNK = 1 << 20


def read_inside(path: str, fallback: str | None = None, folders: Folders | None = None) -> Read:
    """The bytes of the post at `path`, if it lies inside its boundary.

    Raises `Refused` (outside, loop, broken link, not a regular file) or
    OSError (the file cannot be read). `folders`: the run's open folders
    (a post that is no link is opened in its folder, resolved once)."""
    if folders is not None:
        fd = folders.open(path, fallback)
        if fd is not None:
            return _read_open(fd)
    real = _resolve_inside(path, fallback)
    try:
        fd = os.open(real, _READ_FLAGS)
    except OSError as exc:
        if exc.errno == errno.ELOOP:  # swapped for a link since it was resolved
            raise Refused("PL003", "the file became a symbolic link while being read; not read") from None
        raise
    return _read_open(fd)


def _read_open(fd: int) -> Read:
    """The bytes of an open regular file (closed after)."""
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise Refused("PL004", "not a regular file (a device, FIFO or socket); not read")
        # One read for a file of the size its stat says: a regular file's
        # read is short only at its end.
        want = st.st_size + 1 if st.st_size < _CHUNK else _CHUNK
        chunk = os.read(fd, want)
        if len(chunk) < want:
            return Read(chunk, st)
        chunks = [chunk]
        while True:
            chunk = os.read(fd, _CHUNK)
            if not chunk:
                break
            chunks.append(chunk)
        return Read(b"".join(chunks), st)
    finally:
        os.close(fd)


class Folders:
    """The folders one run reads posts from, each resolved and checked
    against the boundary once and kept open: a post that is no symbolic link
    is then opened relative to its folder's descriptor (openat, O_NOFOLLOW),
    not resolved component by component again (on 4,723 posts about 50 us
    each). The folder read is the one checked, even if its path is swapped
    for a link later in the run. A link, a folder outside or one that cannot
    be opened: `open` answers None and read_inside resolves the post itself.
    One per run and thread (close() at its end): a folder's descriptor must
    not outlive the run, in which the folder may be renamed."""

    _MAX_OPEN = 16

    def __init__(self) -> None:
        # A folder's descriptor and its resolved path, by (folder, fallback).
        self._open: dict[tuple[str, str | None], tuple[int, str] | None] = {}
        try:
            # (abspath's os.getcwd, once per run and not per post.)
            self._cwd: str | None = os.getcwd()
        except OSError:
            self._cwd = None

    def open(self, path: str, fallback: str | None) -> int | None:
        """A descriptor of the post at `path` open for reading, or None."""
        if os.open not in os.supports_dir_fd:  # pragma: no cover - Windows
            return None
        if ".." in path.split(os.sep):
            return None                     # ("link/.." is the link's target's parent, not abspath's folder)
        if self._cwd is None or os.path.isabs(path):
            absolute = os.path.abspath(path)
        else:
            absolute = os.path.normpath(os.path.join(self._cwd, path))
        folder, name = os.path.split(absolute)
        if not name:
            return None                     # (the root; abspath leaves no "." or ".." name)
        key = (folder, fallback)
        if key in self._open:
            at = self._open[key]
        else:
            at = self._open[key] = self._folder(path, folder, fallback)
        if at is None:
            return None
        try:
            fd = os.open(name, _READ_FLAGS, dir_fd=at[0])
        except OSError:
            return None                     # a link (ELOOP), gone, unreadable: read_inside says which
        real = at[1]
        remember_file(real + name if real.endswith(os.sep) else real + os.sep + name)
        return fd

    def _folder(self, path: str, folder: str, fallback: str | None) -> tuple[int, str] | None:
        if len(self._open) >= self._MAX_OPEN:
            self.close()                    # (posts come folder by folder: the oldest are done)
        try:
            real = os.path.realpath(folder, strict=True)
        except OSError:
            return None
        if not _within(real, boundary(path, fallback)):
            return None
        try:
            return os.open(real, _FOLDER_FLAGS), real
        except OSError:
            return None

    def close(self) -> None:
        for opened in self._open.values():
            if opened is not None:
                os.close(opened[0])
        self._open.clear()


# -- writing fixes ---------------------------------------------------------------------


def _same_file(a: os.stat_result, b: os.stat_result) -> bool:
    return (a.st_dev, a.st_ino, a.st_size, a.st_mtime_ns) == (b.st_dev, b.st_ino, b.st_size, b.st_mtime_ns)


def check_writable(path: str, read: os.stat_result | None = None) -> os.stat_result:
    """The file's lstat if `--fix` may replace it; else `Refused` (PL005)."""
    try:
        st = os.lstat(path)
    except OSError as exc:
        raise WriteFailed(f"cannot write the fix: {exc.strerror or exc}") from None
    if stat.S_ISLNK(st.st_mode):
        raise Refused("PL005", "is a symbolic link: --fix never writes through a link (fix the file it leads to)")
    if not stat.S_ISREG(st.st_mode):
        raise Refused("PL005", "is not a regular file: fix not written")
    if st.st_nlink > 1:
        raise Refused(
            "PL005", f"has {st.st_nlink} hard links: replacing it would split them; fix not written"
        )
    mode = stat.S_IMODE(st.st_mode)
    if not mode & 0o222 or not os.access(path, os.W_OK):
        raise Refused("PL005", f"is read-only (mode {mode:04o}): fix not written")
    folder = os.path.dirname(os.path.abspath(path))
    try:
        folder_mode = stat.S_IMODE(os.stat(folder).st_mode)
    except OSError as exc:
        raise WriteFailed(f"cannot write the fix: {exc.strerror or exc}") from None
    if not folder_mode & 0o222 or not os.access(folder, os.W_OK | os.X_OK):
        raise Refused("PL005", f"its folder is read-only (mode {folder_mode:04o}): fix not written")
    if read is not None and not _same_file(st, read):
        raise Refused("PL005", "changed since postlint read it: fix not written (run again)")
    return st


def write_fixed(path: str, data: bytes, read: os.stat_result | None = None) -> None:
    """Replace the post at `path` (as written, never followed) by `data`.

    `read` is the stat of the file when its text was read: a file changed since
    is left alone. Raises `Refused` or `WriteFailed`; on any failure the post is
    untouched and no temporary file is left."""
    import tempfile

    st = check_writable(path, read)
    folder, name = os.path.split(os.path.abspath(path))
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{name}.{os.getpid()}.", suffix=TEMP_SUFFIX)
    except OSError as exc:
        raise WriteFailed(f"cannot write the fix: {exc.strerror or exc}") from None
    try:
        try:
            view = memoryview(data)
            while view:
                written = os.write(fd, view)
                view = view[written:]
            tmp_st = os.fstat(fd)
            if (tmp_st.st_uid, tmp_st.st_gid) != (st.st_uid, st.st_gid):
                try:
                    os.fchown(fd, st.st_uid, st.st_gid)
                except PermissionError:
                    raise Refused(
                        "PL005", "its owner or group could not be kept (not permitted): fix not written"
                    ) from None
            os.fchmod(fd, stat.S_IMODE(st.st_mode))  # after chown, which clears set-id bits
            os.fsync(fd)
        finally:
            os.close(fd)
        # The last look before the rename: still the file that was checked?
        now = os.lstat(path)
        if not _same_file(now, st) or stat.S_ISLNK(now.st_mode):
            raise Refused("PL005", "changed while the fix was being written: fix not written (run again)")
        os.replace(tmp, path)
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(exc, OSError):
            raise WriteFailed(f"cannot write the fix: {exc.strerror or exc}") from None
        raise
    try:  # the rename itself survives a crash once the folder is synced
        dir_fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(dir_fd)
    except OSError:
        pass
    finally:
        os.close(dir_fd)


# -- stale temporary files -----------------------------------------------------------


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, ValueError):
        return True  # someone else's process (or not a pid): assume alive
    return True


def remove_stale_temporaries(folder: str, now: float | None = None) -> list[str]:
    """Remove the temporary files of earlier `--fix` runs that died in `folder`.

    Only ours: named `.NAME[.PID].XXXXXXXX.postlint-tmp`, regular files (not
    links), owned by this user. Only stale: the process that wrote it is gone, or
    it is older than STALE_SECONDS.
    Returns the names removed."""
    now = time.time() if now is None else now
    removed: list[str] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    uid = os.geteuid() if hasattr(os, "geteuid") else None
    for entry in entries:
        match = _TEMP_NAME.match(entry.name)
        if match is None:
            continue
        try:
            st = entry.stat(follow_symlinks=False)
        except OSError:
            continue
        if not stat.S_ISREG(st.st_mode) or (uid is not None and st.st_uid != uid):
            continue
        age = now - st.st_mtime
        pid = match.group("pid")
        writer_gone = pid is not None and int(pid) != os.getpid() and not _alive(int(pid))
        if not (writer_gone or age >= STALE_SECONDS):
            continue
        try:
            os.unlink(entry.path)
        except OSError:
            continue
        removed.append(entry.name)
    return removed
