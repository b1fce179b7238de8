"""Which files are posts: files under `_posts/` and `_drafts/` (at any depth, as on
multilingual sites), minus Jekyll's and the configuration's exclusions. A file
named on the command line is linted whatever its folder."""

from __future__ import annotations

import os
from pathlib import Path
from typing import NamedTuple

from postlint.globs import match_any
from postlint.jekyll import JEKYLL_EXCLUDE, find_site

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

    def excluded(path: Path) -> bool:
        if exclude and match_any(exclude, relative_path(path, root)):
            return True
        site = find_site(path)  # each post's own site: several sites may be linted at once
        return site.root is not None and match_any(
            [*JEKYLL_EXCLUDE, *site.exclude], relative_path(path, site.root)
        )

    seen: set[Path] = set()
    for given in paths:
        if not given.exists():
            missing.append(given)
            continue
        if given.is_file():
            resolved = given.resolve()
            if resolved not in seen:
                seen.add(resolved)
                files.append(given)
            continue
        for folder, dirs, names in os.walk(given):
            dirs[:] = sorted(d for d in dirs if d not in SKIP_FOLDERS)
            here = Path(folder)
            in_posts = any(part in POST_FOLDERS for part in here.parts)
            if not in_posts:
                continue
            for name in sorted(names):
                path = here / name
                if not is_post_file(path) or excluded(path):
                    continue
                resolved = path.resolve()
                if resolved not in seen:
                    seen.add(resolved)
                    files.append(path)
    return Discovery(files, missing)


def relative_path(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def display_path(path: Path) -> str:
    """Relative to the working folder where possible, always "/"-separated."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.resolve().as_posix()
