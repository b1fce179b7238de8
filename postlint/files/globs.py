"""Path patterns of the configuration (exclude, per-file-ignores, schemas).

gitignore-like: a pattern without "/" matches a file or folder name at any depth;
one with "/" matches the path from the configuration's folder; "**" spans folders;
a pattern that names a folder matches everything below it.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache


@cache
def compile_glob(pattern: str) -> re.Pattern[str]:
    anchored = "/" in pattern.rstrip("/")
    # `./_drafts` is `_drafts` from the pattern's folder (anchored, as any
    # pattern with "/"): a "." segment names no folder of its own.
    pattern = "/".join(part for part in pattern.strip("/").split("/") if part != ".")
    out = []
    i = 0
    while i < len(pattern):
        c = pattern[i]
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
            continue
        if pattern.startswith("**", i):
            out.append(".*")
            i += 2
            continue
        if c == "*":
            out.append("[^/]*")
        elif c == "?":
            out.append("[^/]")
        elif c == "[":
            close = pattern.find("]", i + 1)
            if close == -1:
                out.append(re.escape(c))
            else:
                body = pattern[i + 1 : close].replace("\\", "\\\\")
                if body.startswith("!"):
                    body = "^" + body[1:]
                out.append(f"[{body}]")
                i = close
        else:
            out.append(re.escape(c))
        i += 1
    prefix = "" if anchored else "(?:.*/)?"
    return re.compile(f"^{prefix}{''.join(out)}(?:/.*)?$")


def match(pattern: str, path: str) -> bool:
    """Does a "/"-separated relative path match the pattern?"""
    return compile_glob(pattern).match(path) is not None


def match_any(patterns: list[str], path: str) -> bool:
    return _any_of(tuple(patterns)).match(path) is not None


@lru_cache(maxsize=256)
def _any_of(patterns: tuple[str, ...]) -> re.Pattern[str]:
    """One regular expression for a list of patterns: one match per path."""
    if not patterns:
        return re.compile(r"(?!)")
    return re.compile("|".join(f"(?:{compile_glob(p).pattern})" for p in patterns))
