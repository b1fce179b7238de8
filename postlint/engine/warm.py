"""The warm run: when nothing a `postlint check` depends on has changed, its
output is printed again instead of being rebuilt.

Long because: the record's key, the walk that proves nothing changed, the
checks that decide whether a finished run may be recorded, and the replay
belong together: a field added to one must be seen next to the others.

A run whose output was recorded (`Attempt.save`) leaves one file in the cache
folder, `runs/<key>.json`: the key names everything the command line and the
installation decide (the arguments, the working folder, the environment that
reaches the output, POSTLINT_NOW, TZ and PYTHONTZPATH included, whether the
streams are terminals, postlint's version and source, sys.path, the folder
--sarif-root resolves to), and the record holds

* the roots walked (the folders linted and the Jekyll sites above them) and a
  digest of the walk: every folder's entries by name, and every file's and
  folder's `lstat` (mtime, ctime, size, inode, device, mode), except in the
  folders whose files only count by name (a dot-folder such as .rumdl_cache,
  which another tool rewrites on every run) and the report file (`-o`) when
  it is no post and nothing like a page; .git, .hg and .svn count by name and
  are never descended (nothing but their presence matters), and the cache
  folder is left out (the run itself rewrites it). A folder counts by name
  only when no file directly in it can be read by a site rule
  (`published.inert_folder`, the site rules' own notion) nor linted: discovery
  judged none of its files (`Discovery.examined`: it lies under no post
  folder, or in one discovery prunes). Each folder is judged on its own, a
  subfolder of such a folder too, so a `_posts` below a dot-folder is stat'ed;
  a file or folder appearing in it changes its names, a miss;
* the `lstat` of every other file the result depended on: the configuration
  files and `_config.yml` each folder above the roots may hold (present or
  not), --config, --baseline, the schemas, the files a rule's `cache_inputs`
  named, the libraries the rules declare, the plugins' modules, the file of
  every module the run loaded, in this process or a pool worker (a helper a
  rule imports; the standard library's are keyed by the interpreter,
  postlint's own by its source stamp), the tz database file of every zone a
  rule resolved (and the places zoneinfo searched before it), and the
  `_config.yml` above a linked post's target outside the roots; of a `.git`
  above the roots only what it is (a folder, a file: `git add` rewrites it);
* the span of clock readings within which the verdicts that compare dates with
  the clock hold (`Context.clock`; DT005: until the next future post's date),
  and the git top level when a SARIF report took its root from it;
* what the run wrote: each write to standard output, standard error and the
  output file, in order, and the exit status.

A warm run (`Attempt.start`) computes the key, reads the record, walks its
roots (one `stat` per file), compares, and replays the writes: it imports
neither the rules nor the reporters. Anything else (no record, a damaged one,
any difference, the clock outside the span) is a miss, and the ordinary run
follows, the per-file result cache included.

A run is recorded only when it is one of a few kinds: folders named (not
files), no --fix, --diff, --write-baseline, standard input, --verbose (its
notes say what the cache did), --show-*, POSTLINT_PROFILE_RULES; no rule that
needs the network ran (its verdicts depend on the world); no plugin failed to
load; no PL000 or PL005; an exit status of 0 or 1. Soundness: the run's inputs are read after the
recording started, and the record is written only when no file the walk stats
changed after a moment RACY_NS before that start (its ctime: any change of
content, mode or name sets it), and every folder's entries and every file
outside the roots are what they were at the start. A file written in the same
clock tick as the start cannot be told from an older one ("racily clean"), so
none may be that recent. A linked post that leads out of the roots must lead
into no other site. A site rule that compares anything with the clock must
add its span to `Context.clock`, and one that reads files outside the site
would have to name them here: today none does.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from collections.abc import Callable, Iterable
from operator import attrgetter
from pathlib import Path
from stat import S_IFMT, S_ISDIR, S_ISLNK, S_ISREG
from typing import TYPE_CHECKING, Any, TextIO, cast

if TYPE_CHECKING:  # pragma: no cover
    import argparse

from postlint.files.cachedb import CONFIG_FILES, DEFAULT_DIRNAME

FORMAT = "warm-v1"
RACY_NS = 2_000_000_000
MAX_RECORDS = 32  # per cache folder; the least recently written go first
RUNS_DIR = "runs"
# What each folder above the roots may hold that changes a run: the
# configuration (postlint.engine.config.CONFIG_FILES), a Jekyll site, a repository.
PROBED = (".postlint.toml", "pyproject.toml", "_config.yml", ".git")
NEVER_DESCENDED = frozenset({".git", ".hg", ".svn"})
# The environment that reaches the output besides POSTLINT_* (NOW, the clock,
# included: an invalid one fails a rule) and GIT_* (the SARIF root); TZ and
# PYTHONTZPATH choose the tz database a named zone is read from.
ENVIRONMENT = ("NO_COLOR", "TERM", "PATH", "HOME", "TZ", "PYTHONTZPATH", "XDG_CONFIG_HOME")


def eligible(args: argparse.Namespace) -> bool:
    """Whether this command line is one whose output may be kept."""
    if args.fix or args.diff or args.write_baseline is not None or args.verbose or args.no_cache:
        return False
    if args.show_settings or args.show_files or args.stdin_filename is not None:
        return False
    if os.environ.get("POSTLINT_PROFILE_RULES"):
        return False
    paths = args.paths or [Path(".")]
    return all(os.path.isdir(p) for p in paths)


def signature(st: os.stat_result) -> str:
    return f"{st.st_mtime_ns}:{st.st_ctime_ns}:{st.st_size}:{st.st_ino}:{st.st_dev}:{st.st_mode}"


def _lstat_sig(path: str) -> str:
    try:
        st = os.lstat(path)
    except OSError:
        return "-"
    if S_ISLNK(st.st_mode):
        try:
            target = os.readlink(path)
            followed = signature(os.stat(path))
        except OSError:
            followed = "-"
            target = "?"
        return f"{signature(st)}>{target}>{followed}"
    return signature(st)


def _probe_sig(path: str) -> str:
    return _kind(path) if os.path.basename(path) == ".git" else _lstat_sig(path)


def _kind(path: str) -> str:
    """What a run sees of a repository's .git: whether it is there, a folder
    or a file (a worktree's), not its stat (every `git add` changes that)."""
    try:
        st = os.stat(path)
    except OSError:
        return "-" if not os.path.lexists(path) else "?"
    return "d" if S_ISDIR(st.st_mode) else "f" if S_ISREG(st.st_mode) else "o"


def _changed_at(sig: str) -> int:
    """The latest of mtime and ctime in a signature (0: absent)."""
    newest = 0
    for part in sig.split(">"):
        fields = part.split(":")
        if len(fields) == 6:
            newest = max(newest, int(fields[0]), int(fields[1]))
    return newest


# -- the walk -------------------------------------------------------------------------


def walk(roots: list[str], skip: set[str], inert: set[str] | None, by_name: Iterable[str] = (),
         listings: dict[str, list[str]] | None = None, newest: list[int] | None = None,
         links: list[str] | None = None) -> str:
    """The digest of the roots' tree. `inert`: folders whose entries count by
    name only (None: none, and every file is stat'ed); `by_name`: files that
    count by name only (the report file). `listings`, when given, gets each
    folder's entry names; `newest`, the latest change among the stat'ed files."""
    named = set(by_name)
    h = hashlib.blake2b(digest_size=20)
    latest = 0
    for root in roots:
        stack = [(root, False)]
        while stack:
            folder, by_folder = stack.pop()
            try:
                with os.scandir(folder) as it:
                    entries = sorted(it, key=_name)
            except OSError as exc:
                h.update(f"!{folder}\0{exc.errno}\0".encode("utf-8", "surrogateescape"))
                continue
            if skip:
                entries = [e for e in entries if e.path not in skip]
            if listings is not None:
                listings[folder] = [e.name for e in entries]
            lines = [f">{folder}"]
            for entry in entries:
                path = entry.path
                name = entry.name
                if name in NEVER_DESCENDED:
                    lines.append(f"s{name}:{int(entry.is_dir(follow_symlinks=False))}")
                    continue
                if by_folder or path in named:
                    is_dir = entry.is_dir(follow_symlinks=False)
                    lines.append(f"n{name}:{int(is_dir)}:{int(entry.is_symlink())}")
                    if is_dir:  # judged on its own: "by name" is not inherited
                        stack.append((path, inert is not None and path in inert))
                    continue
                try:
                    st = entry.stat(follow_symlinks=False)
                except OSError:
                    lines.append(f"?{name}")
                    continue
                mode = st.st_mode
                if S_ISDIR(mode):
                    child = inert is not None and path in inert
                    lines.append(f"D{name}:{S_IFMT(mode)}" if child else f"d{name}:{signature(st)}")
                    stack.append((path, child))
                elif S_ISLNK(mode):
                    if links is not None:
                        links.append(path)
                    sig = _lstat_sig(path)
                    latest = max(latest, _changed_at(sig))
                    lines.append(f"l{name}:{sig}")
                else:
                    latest = max(latest, st.st_mtime_ns, st.st_ctime_ns)
                    lines.append(f"f{name}:{signature(st)}")
            lines.append("")
            h.update("\0".join(lines).encode("utf-8", "surrogateescape"))
    if newest is not None:
        newest.append(latest)
    return h.hexdigest()


_name = attrgetter("name")


def _nest(paths: Iterable[str]) -> list[str]:
    """The paths without those inside another of them, sorted."""
    out: list[str] = []
    for path in sorted(set(paths)):
        if not any(path == o or path.startswith(o.rstrip(os.sep) + os.sep) for o in out):
            out.append(path)
    return out


def _within(path: str, roots: list[str]) -> bool:
    return any(path == r or path.startswith(r.rstrip(os.sep) + os.sep) for r in roots)


def _site_root(folder: str) -> str | None:
    """The nearest folder at or above `folder` holding a _config.yml file (find_site's)."""
    here = folder
    while True:
        if os.path.isfile(os.path.join(here, "_config.yml")):
            return here
        parent = os.path.dirname(here)
        if parent == here:
            return None
        here = parent


def cache_folder(args: argparse.Namespace, paths: list[Path]) -> Path | None:
    """The cache folder of the command line (the cli's `_early_cache`), found
    without reading the configuration or the site in the usual case: no
    --config, a plain configuration file that cannot set `cache-dir` (no such
    text in it), or none; else postlint.engine.config.early_cache_dir."""
    if args.cache_dir is not None:
        return Path(args.cache_dir)
    if args.config is None:
        common = os.path.commonpath([os.path.realpath(p) for p in paths])
        found = _nearest_config(common)
        if found is None:
            root = _site_root(common) or os.path.realpath(os.getcwd())
            return Path(root) / DEFAULT_DIRNAME
        if found:
            return Path(os.path.dirname(os.path.realpath(found))) / DEFAULT_DIRNAME
    from postlint.engine.config import early_cache_dir

    return early_cache_dir(paths, args.config)


def _nearest_config(folder: str) -> str | None:
    """find_config's answer when it is plain: the path, None (no file); ""
    when unsure (a link, a file that may set the cache folder)."""
    here = folder
    while True:
        for name in CONFIG_FILES:
            path = os.path.join(here, name)
            try:
                st = os.lstat(path)
            except OSError:
                continue
            if S_ISLNK(st.st_mode):
                return ""
            if not S_ISREG(st.st_mode):
                continue
            try:
                with open(path, "rb") as f:
                    data = f.read()
            except OSError:
                return ""
            if name == "pyproject.toml" and not _has_tool_table(data):
                continue
            return "" if any(word in data for word in (b"cache", b"\\u", b"\\U")) else path
        parent = os.path.dirname(here)
        if parent == here:
            return None
        here = parent


def _has_tool_table(data: bytes) -> bool:
    import re

    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return re.search(r"^\s*\[\s*tool\s*\.\s*postlint\s*[\].]", text, re.MULTILINE) is not None


def _probes(starts: Iterable[str]) -> dict[str, str]:
    """The lstat of each PROBED name in every folder at and above `starts`."""
    found: dict[str, str] = {}
    for start in starts:
        here = start
        while True:
            for name in PROBED:
                path = os.path.join(here, name)
                if path not in found:
                    found[path] = _probe_sig(path)
            parent = os.path.dirname(here)
            if parent == here:
                break
            here = parent
    return found


def git_top(cwd: str) -> str | None:
    """`git rev-parse --show-toplevel` run in `cwd` (the SARIF reporter's default root)."""
    import subprocess

    try:
        out = subprocess.run(
            ["git", "rev-parse", "--show-toplevel"],  # noqa: S607 - the user's git, from PATH
            cwd=cwd, capture_output=True, text=True, timeout=10, check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() if out.returncode == 0 and out.stdout.strip() else None


# -- recording ------------------------------------------------------------------------


class Tee:
    """A text stream that keeps what is written to it (in the attempt's events)."""

    def __init__(self, stream: TextIO, name: str, attempt: Attempt) -> None:
        self._stream = stream
        self._name = name
        self._attempt = attempt

    def write(self, text: str) -> int:
        try:
            n = self._stream.write(text)
        except BrokenPipeError:
            self._attempt.spoilt = True
            raise
        self._attempt.events.append([self._name, text])
        return n

    def record_file(self, path: Path, text: str) -> None:
        self._attempt.events.append(["file", str(path), text])

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


class Attempt:
    """One eligible `check`: the key, the record found (if any), and what the
    full run learns for the next one."""

    def __init__(self, key: str, folder: Path, args: argparse.Namespace, cwd: str) -> None:
        self.key = key
        self.folder = folder
        self.args = args
        self.cwd = cwd
        self.events: list[list[str]] = []
        self.spoilt = False
        self.started = 0
        self.roots: list[str] = []
        self.probes: dict[str, str] = {}
        self.listings: dict[str, list[str]] = {}
        self.record: dict[str, Any] | None = None
        self.depended: dict[str, str] = {}
        # Files depended on that may be missing: the places a zone was looked
        # for first, a module file gone since it was imported.
        self.may_be_absent: set[str] = set()
        self.examined: frozenset[str] = frozenset()
        self.linted: list[Path] = []
        output = getattr(args, "output_file", None)
        self.report_file = (os.path.join(os.path.realpath(os.path.dirname(os.path.abspath(output))),
                                          os.path.basename(output)) if output is not None else None)
        self.report_was_plain = True

    @property
    def path(self) -> Path:
        return self.folder / RUNS_DIR / f"{self.key}.json"

    # -- the fast path --------------------------------------------------------------

    @classmethod
    def start(cls, args: argparse.Namespace, paths: list[Path], out: TextIO, err: TextIO) -> Attempt | None:
        from postlint import __version__
        from postlint.engine.cache import _source_stamp

        folder = cache_folder(args, paths)
        if folder is None:
            return None
        cwd = os.getcwd()
        material = {
            "format": FORMAT,
            "postlint": __version__,
            "python": [sys.version, sys.executable],
            "path": [(entry, _dir_mtime(entry)) for entry in sys.path],
            "source": _source_stamp(),
            "cwd": cwd,
            "cache": os.path.abspath(folder),
            "args": sorted((k, repr(v)) for k, v in vars(args).items() if k != "stdin"),
            "env": sorted((k, v) for k, v in os.environ.items()
                          if k.startswith(("POSTLINT_", "GIT_")) or k in ENVIRONMENT),
            # The SARIF reporter's root is the folder the option resolves to.
            "sarif_root": os.path.realpath(args.sarif_root) if getattr(args, "sarif_root", None) else None,
            "streams": [_stream_kind(out), _stream_kind(err)],
        }
        key = hashlib.sha256(json.dumps(material, sort_keys=True).encode("utf-8", "surrogateescape")).hexdigest()
        attempt = cls(key, Path(folder), args, cwd)
        attempt.started = _now_ns()
        real = [os.path.realpath(p) for p in paths]
        roots = list(real)
        for path in real:
            site = _site_root(path)
            if site is not None:
                roots.append(site)
        attempt.roots = _nest(roots)
        attempt.record = attempt._read()
        return attempt

    def _starts(self) -> list[str]:
        paths = self.args.paths or [Path(".")]
        extra = [os.path.dirname(os.path.abspath(p)) for p in (self.args.config, self.args.baseline) if p]
        return [*self.roots, *(os.path.abspath(p) for p in paths), self.cwd, *extra]

    def _skip(self) -> set[str]:
        return {os.path.realpath(self.folder), os.path.abspath(self.folder)}

    def _read(self) -> dict[str, Any] | None:
        if not _safe_folder(self.folder):
            return None
        try:
            fd = os.open(self.path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0))
        except OSError:
            return None
        try:
            with os.fdopen(fd, "rb") as f:
                data = json.loads(f.read())
        except (OSError, ValueError):
            return None
        return data if isinstance(data, dict) and data.get("format") == FORMAT and data.get("key") == self.key \
            else None

    def replay(self, out: TextIO, err: TextIO, write_file: Callable[[Path, str], bool],
               silence: Callable[[TextIO], None]) -> int | None:
        """The exit status after writing again what the recorded run wrote,
        when nothing it depended on changed; None (nothing written): a miss."""
        if not self._fresh():
            return None
        record = self.record
        assert record is not None
        for event in record["events"]:
            if event[0] == "file":
                if not write_file(Path(event[1]), event[2]):
                    return 2
                continue
            stream = out if event[0] == "out" else err
            try:
                stream.write(event[1])
                stream.flush()
            except BrokenPipeError:
                silence(stream)
        status = record["status"]
        return status if type(status) is int else 2

    def _fresh(self) -> bool:
        record = self.record
        if record is None:
            return False
        try:
            if record["roots"] != self.roots or not isinstance(record["events"], list):
                return False
            if not all(isinstance(e, list) and len(e) == (3 if e[0] == "file" else 2)
                       and e[0] in ("out", "err", "file") and all(isinstance(x, str) for x in e)
                       for e in record["events"]):
                return False
            if not _clock_inside(record["clock"]):
                return False
            files = record["files"]
            if not isinstance(files, dict) or any(_probe_sig(str(p)) != s for p, s in files.items()):
                return False
            if "git" in record and git_top(self.cwd) != record["git"]:
                return False
            inert = set(record["inert"])
            by_name = [str(p) for p in record["by_name"]]
            return bool(walk(self.roots, self._skip(), inert, by_name) == record["walk"])
        except (KeyError, TypeError, ValueError, AttributeError):
            return False

    # -- recording ------------------------------------------------------------------

    def begin(self, out: TextIO, err: TextIO) -> tuple[TextIO, TextIO]:
        """Before the full run reads anything: what must be the same at its
        end; the streams to give it, which keep what it writes."""
        self.started = _now_ns()
        if self.report_file is not None:
            self.report_was_plain = not _front_matter_like(_head(self.report_file))
        self.probes = _probes(self._starts())
        for root in self.roots:
            _names(root, self._skip(), self.listings)
        return cast("TextIO", Tee(out, "out", self)), cast("TextIO", Tee(err, "err", self))

    def learn(self, *, settings: Any, result: Any, registry: Any, files: list[Path], output_format: str,
              examined: frozenset[str] = frozenset()) -> None:
        """After the full run: whether it may be kept, and what it depended on."""
        self.record = None
        if registry.failures or any(rule.network for rule in result.linter.rules):
            return
        if any(d.code in ("PL000", "PL005") for d in result.diagnostics):
            return
        from postlint.model.site import find_site

        # By folder (a realpath a file would cost 0.1 s on 4,723 posts); a
        # linked post's own site is checked with the walk's links (save).
        folders = {os.path.dirname(str(f)) for f in files}
        sites = [find_site(Path(os.path.realpath(folder or "."))) for folder in folders]
        site_roots = {os.path.realpath(s.root) for s in sites if s.root is not None}
        if not all(_within(root, self.roots) for root in site_roots):
            return
        depended = [str(p) for p in (self.args.config, self.args.baseline, settings.config_file, settings.schema,
                                     *settings.schemas.values()) if p]
        depended += result.inputs
        depended += _library_files(result.linter.rules)
        depended += [str(r.module.__file__) for r in registry
                     if getattr(r.module, "__file__", None) and not _module_name(r).startswith("postlint.")]
        modules = _module_files(result.linter.imported)
        zone_files, searched = _zone_files()
        self.may_be_absent = searched | set(modules)
        depended += modules + zone_files
        files_sigs = dict(self.probes)
        for path in [*depended, *self.may_be_absent]:
            files_sigs.setdefault(os.path.abspath(path), _lstat_sig(os.path.abspath(path)))
        self.depended = files_sigs
        self.linted = files
        self.examined = examined
        low, high = None, None
        for lo, hi in result.clock:
            if lo is not None:
                low = lo if low is None else max(low, lo)
            if hi is not None:
                high = hi if high is None else min(high, hi)
        self.record = {"format": FORMAT, "key": self.key, "roots": self.roots, "clock": [low, high]}
        if output_format == "sarif" and self.args.sarif_root is None:
            self.record["git"] = git_top(self.cwd)

    def save(self, status: int) -> None:
        """Write the record of the finished run, if it may be kept."""
        record = self.record
        # Exit status 2 (a report that could not be written, an internal
        # error): the next run tries again.
        if record is None or self.spoilt or status not in (0, 1):
            return
        # Everything outside the walk as it was at the start, nothing changed since.
        if _probes(self._starts()) != self.probes:
            return
        files = self.depended
        allowed = self.may_be_absent
        if any(sig == "-" and path not in self.probes and path not in allowed for path, sig in files.items()):
            return  # a file the run read is gone
        inert = self._inert()
        by_name = [self.report_file] if self.report_file is not None and self._report_by_name() else []
        listings: dict[str, list[str]] = {}
        newest: list[int] = []
        links: list[str] = []
        digest = walk(self.roots, self._skip(), inert, by_name, listings, newest, links)
        if listings != self.listings:
            return
        for link in links:  # a link that leads out of the roots: into no other site, now or later
            real = os.path.realpath(link)
            if not _within(real, self.roots):
                site = _site_root(os.path.dirname(real))
                if site is not None and not _within(site, self.roots):
                    return
                # find_site's probes above the target (all absent): one
                # appearing makes the post another site's.
                here = os.path.dirname(real)
                while True:
                    probe = os.path.join(here, "_config.yml")
                    files.setdefault(probe, _lstat_sig(probe))
                    parent = os.path.dirname(here)
                    if parent == here:
                        break
                    here = parent
        threshold = self.started - RACY_NS
        if newest[0] >= threshold or any(_changed_at(sig) >= threshold for sig in files.values()):
            return
        if any(_probe_sig(path) != sig for path, sig in files.items()):
            return
        record.update(walk=digest, inert=sorted(inert), by_name=by_name, files=files, events=self.events,
                      status=status)
        self._write(record)

    def _report_by_name(self) -> bool:
        """Whether the report file, rewritten by every run, counts by name
        only: it is no post, and neither what it held before the run nor
        what the run wrote could be a page's front matter (the only way a
        site rule reads such a file)."""
        report = self.report_file
        if report is None or not self.report_was_plain:
            return False
        name = os.path.basename(report)
        if any(os.path.basename(f) == name and os.path.realpath(f) == report for f in self.linted):
            return False
        written = [e[2] for e in self.events if e[0] == "file"]
        return bool(written) and not _front_matter_like(written[-1][:8].encode("utf-8", "surrogateescape"))

    def _inert(self) -> set[str]:
        """The folders under the roots whose files count by name only."""
        try:
            from postlint.rules.jekyll.published import inert_folder
        except ImportError:  # pragma: no cover - the site rules' notion is gone: every file stat'ed
            return set()
        from postlint.model.site import find_site

        inert: set[str] = set()
        for folder in self.listings:
            if folder in self.examined:  # discovery judged its files as posts
                continue
            site = find_site(Path(folder))
            if site.root is None:
                continue
            root = os.path.realpath(site.root)
            if folder == root or not folder.startswith(root.rstrip(os.sep) + os.sep):
                continue
            rel = folder[len(root.rstrip(os.sep)) + 1:].replace(os.sep, "/")
            try:
                if inert_folder(site, rel):
                    inert.add(folder)
            except Exception:  # noqa: BLE001, S112 - a folder it cannot judge is stat'ed
                continue
        return inert

    def _write(self, record: dict[str, Any]) -> None:
        runs = self.folder / RUNS_DIR
        if not os.path.isdir(self.folder) or not _safe_folder(self.folder):
            return
        try:
            runs.mkdir(exist_ok=True)
            if os.path.islink(runs):
                return
            temporary = runs / f".{self.key}.{os.getpid()}.tmp"
            with open(temporary, "w", encoding="utf-8", errors="surrogateescape") as f:
                json.dump(record, f, ensure_ascii=False, separators=(",", ":"))
            os.replace(temporary, self.path)
            kept = sorted(runs.glob("*.json"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
            for old in kept[MAX_RECORDS:]:
                old.unlink()
        except (OSError, TypeError, ValueError):
            return


def _module_name(rule: Any) -> str:
    return str(getattr(rule.module, "__name__", ""))


def _names(root: str, skip: set[str], listings: dict[str, list[str]]) -> None:
    """Each folder's entry names under `root`, as `walk` lists them."""
    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            with os.scandir(folder) as it:
                entries = [e for e in it if e.path not in skip]
        except OSError:
            continue
        listings[folder] = sorted([e.name for e in entries])
        stack.extend(e.path for e in entries if e.name not in NEVER_DESCENDED and e.is_dir(follow_symlinks=False))


def _module_files(imported: Iterable[str]) -> list[str]:
    """The file of every module the run loaded (this process's and the
    workers'), but the standard library's (the key names the interpreter) and
    postlint's own when the key has them (its source stamp)."""
    import sysconfig

    import postlint
    from postlint.engine.cache import _installed

    # (A virtual environment's platstdlib is its own lib/pythonX.Y, which
    # holds site-packages: the installed packages are kept first.)
    kept = [os.path.join(p, "") for p in {sysconfig.get_path("purelib"), sysconfig.get_path("platlib")} if p]
    base = {"base": sys.base_prefix, "platbase": sys.base_exec_prefix, "installed_base": sys.base_prefix,
            "installed_platbase": sys.base_exec_prefix}
    skip = [os.path.join(p, "") for p in {sysconfig.get_path("stdlib", vars=base),
                                          sysconfig.get_path("platstdlib", vars=base)} if p]
    own = os.path.join(os.path.dirname(os.path.abspath(postlint.__file__)), "")
    paths = {getattr(m, "__file__", None) for m in list(sys.modules.values())} | set(imported)
    out = []
    for path in paths:
        if not isinstance(path, str) or not path:
            continue
        path = os.path.abspath(path)
        if path.startswith(own):
            if not _installed(own[:-1]):  # an editable install or a checkout: in _source_stamp
                continue
        elif not any(path.startswith(prefix) for prefix in kept) and any(path.startswith(p) for p in skip):
            continue
        out.append(path)
    return sorted(out)


def _zone_files() -> tuple[list[str], set[str]]:
    """The tz database files the zones the run resolved came from (zoneinfo's
    search: each TZPATH folder, then the tzdata package), and the places
    searched before each, where a file appearing would be read instead."""
    from postlint.model.site import RESOLVED_ZONES

    if not RESOLVED_ZONES:
        return [], set()
    import zoneinfo

    found: list[str] = []
    absent: set[str] = set()
    for name in sorted(RESOLVED_ZONES):
        for folder in zoneinfo.TZPATH:
            path = os.path.join(folder, *name.split("/"))
            if os.path.isfile(path):
                found.append(path)
                break
            absent.add(path)
        else:
            from importlib.util import find_spec

            try:
                spec = find_spec("tzdata")
            except (ImportError, ValueError):
                spec = None
            if spec is not None and spec.origin:
                found.append(os.path.join(os.path.dirname(spec.origin), "zoneinfo", *name.split("/")))
    return found, absent


def _head(path: str) -> bytes:
    try:
        with open(path, "rb") as f:
            return f.read(8)
    except OSError:
        return b""


def _front_matter_like(head: bytes) -> bool:
    return b"---" in head


def _library_files(rules: Iterable[Any]) -> list[str]:
    from importlib.util import find_spec

    from postlint.engine.cache import CORE_LIBRARIES

    out = []
    for name in sorted({*CORE_LIBRARIES, *(lib for r in rules for lib in getattr(r.module, "LIBRARIES", ()))}):
        try:
            spec = find_spec(name)
        except (ImportError, ValueError):
            spec = None
        if spec is not None and spec.origin:
            out.append(spec.origin)
    return out


def _clock_inside(span: Any) -> bool:
    low, high = span
    if low is None and high is None:
        return True
    if os.environ.get("POSTLINT_NOW"):
        from postlint.model.clock import micros, now

        at = micros(now())
    else:  # the clock itself, without importing datetime
        at = _now_ns() // 1000
    return (low is None or at >= low) and (high is None or at < high)


def _dir_mtime(entry: str) -> int | None:
    try:
        return os.stat(entry or ".").st_mtime_ns
    except OSError:
        return None


def _stream_kind(stream: TextIO) -> list[Any]:
    isatty = getattr(stream, "isatty", None)
    try:
        tty = bool(isatty and isatty())
    except (OSError, ValueError):
        tty = False
    return [tty, getattr(stream, "encoding", None), getattr(stream, "errors", None)]


def _safe_folder(folder: Path) -> bool:
    from postlint.files.safe import marked_boundary, stays_inside

    limit = marked_boundary(str(folder / "x"))
    return stays_inside(str(folder), limit) and stays_inside(str(folder / RUNS_DIR), limit)


def _now_ns() -> int:
    import time

    return time.time_ns()
