"""Which files are posts: files under `_posts/` and `_drafts/` (at any depth, as on
multilingual sites), minus Jekyll's and the configuration's exclusions. A file
named on the command line is linted whatever its folder, and whatever the
exclusions unless `force_exclude` (as ruff's --force-exclude: pre-commit and
editors name files one by one, and the configuration must still hold)."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

from postlint.files.cachedb import DEFAULT_DIRNAME
from postlint.files.globs import match_any
from postlint.files.paths import relative_posix, resolved, resolved_cwd, resolved_str
from postlint.model.record import NamedTuple
from postlint.model.site import JEKYLL_EXCLUDE, find_site

POST_FOLDERS = frozenset({"_posts", "_drafts"})
POST_EXTENSIONS = frozenset(
    {".md", ".markdown", ".mkdown", ".mkdn", ".mkd", ".mdown", ".mdwn", ".mdtxt",
     ".text", ".rmd", ".html", ".htm", ".textile", ".liquid"}
)
SKIP_FOLDERS = frozenset({".git", ".hg", ".svn", "_site", DEFAULT_DIRNAME, "__pycache__", ".jekyll-cache"})


class Discovery(NamedTuple):
    files: list[Path]
    missing: list[Path]
    # Files with a post's extension left out by an exclusion, and which:
    # CONFIG (the configuration's exclude), JEKYLL (Jekyll's exclude, its own
    # defaults included) or FOLDER (.git, _site, ... for a named file).
    excluded: list[tuple[Path, str]] | tuple[tuple[Path, str], ...] = ()
    # The folders (resolved) whose files were judged as posts: under a post
    # folder, not pruned. A file anywhere else is never linted by this walk
    # (a warm run counts only such folders' files by name: engine.warm).
    examined: frozenset[str] = frozenset()
    # The files that are symbolic links themselves (learnt from the lstat
    # that identifies each file): a linked post may belong to another site.
    links: frozenset[Path] = frozenset()


CONFIG, JEKYLL, FOLDER = "the configuration's exclude", "Jekyll's exclude", "a folder postlint skips"


def _excluded_file(path: Path, exclude: list[str], root_real: str) -> str | None:
    """Which exclusion covers a file named on the command line, if any: the
    configuration's `exclude`, its site's (Jekyll's) `exclude`, or a folder
    postlint never walks into (.git, _site, ...)."""
    real = located_path(path)
    if exclude and match_any(exclude, relative_posix(real, root_real) or real):
        return CONFIG
    site = find_site(path)
    if site.root is not None:
        relative = relative_posix(real, resolved_str(site.root))
        if relative is not None:
            if match_any([*JEKYLL_EXCLUDE, *site.exclude], relative):
                return JEKYLL
            if any(part in SKIP_FOLDERS for part in relative.split("/")[:-1]):
                return FOLDER
    return None


def discover(paths: list[Path], *, root: Path, exclude: list[str], force_exclude: bool = False) -> Discovery:
    files: list[Path] = []
    missing: list[Path] = []
    excluded: list[tuple[Path, str]] = []
    root_real = resolved_str(root)
    seen: dict[object, int] = {}  # identity -> index in files
    examined: set[str] = set()
    links: set[Path] = set()
    # Until a file needs more, each file is known by the inode its folder's
    # listing gives (no lstat per post: 4,723 of them on ruby-lang.org, 30-40
    # ms of a run's first walk, before any linting starts). Two files of one inode number, a named
    # file, a link or anything but a regular file end that: every file found
    # so far is identified again by its lstat, and the rest as they come.
    quick = True

    def add(path: Path, entry: os.DirEntry[str] | None = None) -> None:
        nonlocal quick
        if quick:
            inode = _listed_inode(entry)
            if inode is not None and inode not in seen:
                seen[inode] = len(files)
                files.append(path)
                return
            quick = False
            found = files[:]
            files.clear()
            seen.clear()
            for earlier in found:
                add(earlier)
        key, link = _identity(path)
        if key is None:
            return
        if link:
            links.add(path)
        index = seen.get(key)
        if index is None:
            seen[key] = len(files)
            files.append(path)
        elif files[index] in links and not link:
            # A post and a link to it: the post is linted (and fixed) where it
            # is; --fix never writes through the link.
            files[index] = path
    for given in paths:
        if not given.exists():
            missing.append(given)
            continue
        if given.is_file():
            reason = _excluded_file(given, exclude, root_real) if force_exclude else None
            if reason is not None:
                excluded.append((given, reason))
                continue
            add(given)
            continue
        # Inside a _posts folder already (`postlint check .` from there)?
        given_in_posts = any(part in POST_FOLDERS for part in resolved(given).parts)
        for folder, dirs, entries in _walk(os.fspath(given)):
            dirs[:] = sorted(d for d in dirs if d not in SKIP_FOLDERS)
            here = Path(folder)
            if not (given_in_posts or any(part in POST_FOLDERS for part in here.parts)):
                continue
            # Everything a file's exclusion needs is known per folder: its
            # resolved path, its site (several sites may be linted at once).
            folder_real = resolved_str(here)
            examined.add(folder_real)
            site = find_site(here)
            site_real = resolved_str(site.root) if site.root is not None else None
            site_patterns = [*JEKYLL_EXCLUDE, *site.exclude]
            for name in sorted(entries):
                # os.path.splitext(name)[1] in POST_EXTENSIONS, without its
                # calls: a name of only leading dots before the last has none.
                dot = name.rfind(".")
                if dot < 0 or name[dot:].lower() not in POST_EXTENSIONS or not name[:dot].lstrip("."):
                    continue
                real = _join(folder_real, name)
                if exclude and match_any(exclude, relative_posix(real, root_real) or real):
                    excluded.append((here / name, CONFIG))
                    continue
                if site_real is not None and match_any(site_patterns, relative_posix(real, site_real) or real):
                    excluded.append((here / name, JEKYLL))
                    continue
                add(here / name, entries[name])
    # (Hashing every Path to find the links among them: 10 ms of 4,723 posts.)
    return Discovery(files, missing, excluded, frozenset(examined),
                     frozenset(p for p in files if p in links) if links else frozenset())


def _walk(top: str) -> Iterator[tuple[str, list[str], dict[str, os.DirEntry[str]]]]:
    """os.walk(top) top-down, with each file's os.DirEntry instead of its
    name: (folder, its folders, which the caller may prune and reorder, and
    the rest of its entries by name). As os.walk: a link to a folder is among
    the folders and is not walked into, a folder that cannot be listed is
    left out (an error while listing drops the whole folder)."""
    stack = [top]
    while stack:
        folder = stack.pop()
        dirs: list[str] = []
        linked: set[str] = set()
        others: dict[str, os.DirEntry[str]] = {}
        try:
            with os.scandir(folder) as listing:
                for entry in listing:
                    try:
                        is_dir = entry.is_dir()
                    except OSError:
                        is_dir = False
                    if not is_dir:
                        others[entry.name] = entry
                        continue
                    dirs.append(entry.name)
                    try:
                        if entry.is_symlink():
                            linked.add(entry.name)
                    except OSError:
                        pass                # (os.walk's islink: False, and it walks in)
        except OSError:
            continue
        yield folder, dirs, others
        stack.extend(os.path.join(folder, d) for d in reversed(dirs) if d not in linked)


def _listed_inode(entry: os.DirEntry[str] | None) -> int | None:
    """The inode of a regular file as its folder's listing gives it (no
    system call where the listing says what the entry is), None for anything
    else or where the listing cannot tell."""
    if entry is None:
        return None
    try:
        if not entry.is_file(follow_symlinks=False):    # (a link is not, whatever it leads to)
            return None
        return entry.inode()
    except OSError:
        return None


def _identity(path: Path) -> tuple[object, bool]:
    """(what makes a post one file, whether the path is a symbolic link).

    A post reached twice, by a link or two given paths, is linted once: its
    device and inode say so. None for FIFOs, sockets and devices named like
    posts (they would block or mean nothing); a link that leads nowhere, or
    to such a file, is kept, by its path, so that it is a finding (PL003
    outside the site, PL004 inside), never read. One lstat for a regular
    file (most posts), a stat more for a link."""
    link = False
    try:
        st = os.lstat(path)
        link = stat.S_ISLNK(st.st_mode)
        if link:
            st = os.stat(path)
    except OSError:                         # gone, or (link) a link to nothing
        return os.path.abspath(path), link
    if stat.S_ISREG(st.st_mode):
        return (st.st_dev, st.st_ino), link
    return (os.path.abspath(path) if link else None), link


def _located(path: Path) -> str:
    """The file's resolved folder joined with its own name: where it stands,
    a symbolic link included (resolving folders only, once each)."""
    return _places(path)[1]


def _places(path: Path | str, cwd: str | None = None) -> tuple[str, str]:
    """(absolute path, located path) of a file, its folder's computed once per
    working folder (10,000 posts live in a few folders). `cwd`: the working
    folder, when the caller has read it."""
    text = os.fspath(path)
    folder, name = os.path.split(text)
    if name in ("", ".", ".."):
        absolute = os.path.abspath(text)
        head, tail = os.path.split(absolute)
        return absolute, os.path.join(resolved_str(head), tail)
    absolute_folder, real_folder = _folder_places(folder, cwd or os.getcwd())
    return _join(absolute_folder, name), _join(real_folder, name)


def _join(folder: str, name: str) -> str:
    return folder + name if folder.endswith(os.sep) else folder + os.sep + name


@lru_cache(maxsize=8192)
def _folder_places(folder: str, cwd: str) -> tuple[str, str]:
    absolute = os.path.abspath(os.path.join(cwd, folder))
    return absolute, resolved_str(absolute)


def _posix(text: str) -> str:
    return text if os.sep == "/" else Path(text).as_posix()


def located_path(path: Path) -> str:
    """Where the file stands, absolute and "/"-separated (see _located)."""
    return _posix(_places(path)[1])


def relative_path(path: Path, root: Path) -> str:
    relative = relative_posix(_places(path)[1], resolved_str(root))
    return relative if relative is not None else Path(path).as_posix()


def describe(path: Path, root: Path) -> tuple[str, str, str]:
    """(display_path, relative_path, located_path) of a file, computed together."""
    return describe_all([path], root)[0]


def describe_all(paths: list[Path], root: Path) -> list[tuple[str, str, str]]:
    """`describe` of each path, the working folder and the root resolved once."""
    cwd = os.getcwd()
    root_real = resolved_str(root)
    out = []
    for path in paths:
        absolute, real = _places(path, cwd)
        relative = relative_posix(real, root_real)
        out.append((
            _display(path, absolute, real, cwd),
            relative if relative is not None else Path(path).as_posix(),
            _posix(real),
        ))
    return out


def display_path(path: Path) -> str:
    """Relative to the working folder where possible, always "/"-separated.
    A symbolic link is shown where it is, not where it leads, and so is a
    path through a linked folder (`site/_posts/a.md` with `site` a link), as
    it was given; only a path with `..` in it, which a link could make mean
    another place, is shown where it resolves."""
    return _display(path, *_places(path))


def _display(path: Path, absolute: str, real: str, cwd: str | None = None) -> str:
    cwd = cwd or os.getcwd()
    if ".." not in os.fspath(path).replace(os.altsep or os.sep, os.sep).split(os.sep):
        given = relative_posix(absolute, cwd)
        if given is not None:
            return given
    relative = relative_posix(real, resolved_cwd())
    if relative is None:
        # Under a linked folder that leads elsewhere: named as written, so a
        # finding names the link, never where it leads.
        relative = relative_posix(os.path.normpath(os.path.abspath(path)), cwd)
    return relative if relative is not None else Path(real).as_posix()


def is_discovered(path: Path, *, root: Path, exclude: list[str]) -> bool:
    """Is `path` a post that `postlint check` on its folder would lint: a
    post's extension, under `_posts/` or `_drafts/`, and left out by neither
    the configuration's exclude nor the site's (an editor asks this of the file
    open in it, which need not exist yet)."""
    if os.path.splitext(path.name)[1].lower() not in POST_EXTENSIONS:
        return False
    folders = set(path.parent.parts) | set(resolved(path.parent).parts)
    if not folders & POST_FOLDERS or folders & SKIP_FOLDERS:
        return False
    return _excluded_file(path, exclude, resolved_str(root)) is None
