"""The start-up and warm-run shortcuts (issue 14) give what the long way gives."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from postlint.analysis.body.html_model import _ALLOWED, char_class
from postlint.model import published

# The Basic Multilingual Plane whole, and each other plane's ends (where its
# allowed range stops): every boundary of the classes below.
ALL = "".join(chr(c) for c in range(0x10000)) + "".join(
    chr(c) for p in range(1, 17)
    for c in (*range(p << 16, (p << 16) + 0x100), *range((p << 16) | 0xFF00, (p + 1) << 16))
)


def _positive_class(excluded: str = "", *, nul: bool = False, negate: bool = False) -> str:
    """char_class as it was written before: the allowed ranges themselves."""
    ranges = ((0, 0), *_ALLOWED) if nul else _ALLOWED
    out = []
    for lo, hi in ranges:
        for c in sorted(ord(x) for x in excluded):
            if lo <= c <= hi:
                if lo < c:
                    out.append((lo, c - 1))
                lo = c + 1
        if lo <= hi:
            out.append((lo, hi))
    return ("[^" if negate else "[") + "".join(
        f"\\U{lo:08x}" if lo == hi else f"\\U{lo:08x}-\\U{hi:08x}" for lo, hi in out) + "]"


@pytest.mark.parametrize("excluded", ["", "<&", "-", '"', "'", "\t\n\x0c\r \"'=<>`&", "<", "\ufffd\x00a", "K\u212a"])
@pytest.mark.parametrize("nul", [False, True])
@pytest.mark.parametrize("negate", [False, True])
@pytest.mark.parametrize("flags", [0, re.IGNORECASE])
def test_char_class_is_the_same_set_of_code_points(excluded: str, nul: bool, negate: bool, flags: int) -> None:
    new = re.compile(char_class(excluded, nul=nul, negate=negate), flags)
    old = re.compile(_positive_class(excluded, nul=nul, negate=negate), flags)
    # Every code point, each kept or removed by both classes alike.
    assert new.sub("", ALL) == old.sub("", ALL)
    assert len(new.sub("", ALL)) not in (0, len(ALL))  # the classes do select something


def _reference_walk(root: str, destination: str) -> list[tuple[str, list[tuple[str, bool]]]]:
    out = []
    for folder, dirs, names in os.walk(root):
        rel = os.path.relpath(folder, root).replace(os.sep, "/")
        rel = "" if rel == "." else rel
        dirs[:] = sorted(
            d for d in dirs
            if d not in published._NEVER
            and (f"{rel}/{d}" if rel else d) not in published._NEVER_AT_ROOT | {destination}
        )
        kinds = []
        for name in names:
            path = os.path.join(folder, name)
            kinds.append((name, os.path.isfile(path) and not os.path.islink(path)))
        out.append((rel, kinds))
    return out


def test_site_walk_is_os_walk(tmp_path: Path) -> None:
    root = tmp_path / "site"
    for rel in ["a.md", "_posts/2019-01-01-x.md", "_posts/b/c.md", "assets/img/p.png", ".hidden/z",
                "_site/out.html", ".git/HEAD", "node_modules/m/i.js", "vendor/bundle/g", "vendor/keep.txt",
                "deep/er/and/deeper/f.txt", "Zeta/q", "alpha/q"]:
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x", encoding="utf-8")
    (root / "link.md").symlink_to(root / "a.md")
    (root / "dangling.md").symlink_to(root / "nowhere.md")
    (root / "linked-folder").symlink_to(root / "assets", target_is_directory=True)
    (root / "outside").symlink_to(tmp_path, target_is_directory=True)
    os.mkfifo(root / "assets" / "fifo.png")
    got = [(rel, sorted(names)) for rel, names in published._walk(str(root), "_site")]
    want = [(rel, sorted(names)) for rel, names in _reference_walk(str(root), "_site")]
    assert got == want
    assert [rel for rel, _ in got][:3] == ["", ".hidden", "Zeta"]  # top-down, folders sorted
    listed = {f"{rel}/{n}".lstrip("/"): regular for rel, names in got for n, regular in names}
    assert listed["a.md"] is True
    assert listed["link.md"] is False and listed["dangling.md"] is False  # looked at by the caller
    assert listed["assets/fifo.png"] is False
    assert "linked-folder" not in listed and "outside" not in listed  # folders, not walked into
    assert not any(k.startswith(("_site/", ".git/", "node_modules/", "vendor/bundle/")) for k in listed)


def test_exclude_matcher_is_the_pattern_by_pattern_test() -> None:
    import fnmatch

    def reference(patterns: tuple[str, ...], relative: str) -> bool:
        name = relative.rsplit("/", 1)[-1]
        for pattern in patterns:
            pattern = pattern.strip().strip("/") if pattern.strip() not in ("/", "") else ""
            if not pattern:
                continue
            if relative == pattern or relative.startswith(pattern + "/") or name == pattern:
                return True
            if any(c in pattern for c in "*?[") and (fnmatch.fnmatchcase(relative, pattern)
                                                     or fnmatch.fnmatchcase(name, pattern)):
                return True
        return False

    pattern_sets = [(), ("",), ("/",), ("vendor",), ("vendor/bundle/", " Gemfile "), ("*.log", "docs/*"),
                    ("a[bc]", "?x", "deep/er"), ("_drafts", "node_modules", "Gemfile.lock")]
    paths = ["vendor", "vendor/x", "vendorx/y", "a/vendor/b", "vendor/bundle/q", "Gemfile", "x/Gemfile",
             "x.log", "d/x.log", "docs/a", "docs/a/b", "ab", "ac/d", "ad", "zx", "q/zx", "deep/er/f", "deep/era",
             "_drafts/a.md", "en/_drafts", "", "node_modules/m/i.js"]
    for patterns in pattern_sets:
        for path in paths:
            assert published._matches(patterns, path) == reference(patterns, path), (patterns, path)
