"""Which files are posts: files under `_posts/` and `_drafts/` (at any depth, as on
multilingual sites), minus Jekyll's and the configuration's exclusions. A file
named on the command line is linted whatever its folder."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import NamedTuple, Optional

from postlint.globs import match_any
from postlint.jekyll import JEKYLL_EXCLUDE, Site, find_site
from postlint.pathcache import relative_posix, resolved, resolved_cwd, resolved_str

POST_FOLDERS = frozenset({"_posts", "_drafts"})
POST_EXTENSIONS = frozenset(
    {".md", ".markdown", ".mkdown", ".mkdn", ".mkd", ".mdown", ".mdwn", ".mdtxt",
     ".text", ".rmd", ".html", ".htm", ".textile", ".liquid"}
)
SKIP_FOLDERS = frozenset({".git", ".hg", ".svn", "_site", ".postlint_cache", "__pycache__", ".jekyll-cache"})


class Discovery(NamedTuple):
    files: list[Path]
    missing: list[Path]


def is_post_file(path: Path) -> bool:
    return path.suffix.lower() in POST_EXTENSIONS


def discover(paths: list[Path], *, root: Path, exclude: list[str]) -> Discovery:
    files: list[Path] = []
    missing: list[Path] = []

    def excluded(path: Path, folder_site: Optional[Site] = None) -> bool:
        if exclude and match_any(exclude, relative_path(path, root)):
            return True
        # Each post's own site: several sites may be linted at once.
        site = find_site(path) if folder_site is None or os.path.islink(path) else folder_site
        return site.root is not None and match_any(
            [*JEKYLL_EXCLUDE, *site.exclude], relative_path(path, site.root)
        )

    seen: set[str] = set()
    for given in paths:
        if not given.exists():
            missing.append(given)
            continue
        if given.is_file():
            real = resolved_str(given)
            if real not in seen:
                seen.add(real)
                files.append(given)
            continue
        # Inside a _posts folder already (`postlint check .` from there)?
        given_in_posts = any(part in POST_FOLDERS for part in resolved(given).parts)
        for folder, dirs, names in os.walk(given):
            dirs[:] = sorted(d for d in dirs if d not in SKIP_FOLDERS)
            here = Path(folder)
            in_posts = given_in_posts or any(part in POST_FOLDERS for part in here.parts)
            if not in_posts:
                continue
            folder_site = find_site(here)
            for name in sorted(names):
                path = here / name
                if not is_post_file(path) or not _regular_or_broken(path) or excluded(path, folder_site):
                    continue
                real = resolved_str(path)
                if real not in seen:
                    seen.add(real)
                    files.append(path)
    return Discovery(files, missing)


def _regular_or_broken(path: Path) -> bool:
    """A regular file, or a link that leads nowhere (its read error is then a
    finding). FIFOs, sockets and devices named like posts would block or
    mean nothing."""
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return True


def relative_path(path: Path, root: Path) -> str:
    relative = relative_posix(resolved_str(path), resolved_str(root))
    return relative if relative is not None else path.as_posix()


def display_path(path: Path) -> str:
    """Relative to the working folder where possible, always "/"-separated.
    A symbolic link is shown where it is, not where it leads."""
    head, name = os.path.split(os.path.abspath(path))
    real = os.path.join(resolved_str(head), name)
    relative = relative_posix(real, resolved_cwd())
    return relative if relative is not None else Path(real).as_posix()
