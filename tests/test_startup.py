"""The start-up and warm-run shortcuts (issue 14) give what the long way gives."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from postlint.analysis.body.html_model import _ALLOWED, char_class
from postlint.rules.jekyll import published

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


def _reference_discovery(given: list[Path]) -> list[Path]:
    """discover's files the long way: os.walk, sorted folders and names, each
    file identified by its own lstat (a link by what it leads to), the first
    path of a file kept, a path that is no link winning over a link."""
    from postlint.engine.discover import POST_EXTENSIONS, POST_FOLDERS, SKIP_FOLDERS

    files: list[Path] = []
    seen: dict[object, int] = {}

    def add(path: Path) -> None:
        st = os.lstat(path)
        link = os.path.islink(path)
        if link:
            try:
                st = os.stat(path)
            except OSError:
                seen.setdefault(os.path.abspath(path), len(files))
                files.append(path)
                return
        if not os.path.isfile(path):
            return
        index = seen.get((st.st_dev, st.st_ino))
        if index is None:
            seen[(st.st_dev, st.st_ino)] = len(files)
            files.append(path)
        elif os.path.islink(files[index]) and not link:
            files[index] = path

    for top in given:
        if top.is_file():
            add(top)
            continue
        for folder, dirs, names in os.walk(top):
            dirs[:] = sorted(d for d in dirs if d not in SKIP_FOLDERS)
            if not any(part in POST_FOLDERS for part in Path(folder).parts):
                continue
            for name in sorted(names):
                if os.path.splitext(name)[1].lower() in POST_EXTENSIONS:
                    add(Path(folder) / name)
    return files


def _post_tree(root: Path) -> None:
    (root / "_config.yml").write_text("title: t\n", encoding="utf-8")
    for rel in ["_posts/2019-01-01-a.md", "_posts/2019-01-02-b.md", "_posts/z/2019-02-01-c.md",
                "_posts/y/x/2019-03-01-d.html", "_drafts/e.md", "en/_posts/2019-04-01-f.md", "_posts/notes.txt"]:
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(f"---\ntitle: {rel}\n---\n", encoding="utf-8")


def test_discovery_of_plain_posts_makes_no_lstat(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Posts that are plain files are known by the inode their folder's
    listing gives: no lstat per post, and the same files in the same order
    as os.walk and an lstat of each."""
    from postlint.engine import discover as discovery

    _post_tree(tmp_path)
    want = _reference_discovery([tmp_path])
    calls: list[str] = []
    real_lstat = os.lstat
    monkeypatch.setattr(discovery.os, "lstat", lambda path, *a, **k: calls.append(os.fspath(path)) or real_lstat(
        path, *a, **k))
    found = discovery.discover([tmp_path], root=tmp_path, exclude=[])
    assert found.files == want and len(want) == 6
    # (Folders are resolved, with an lstat of each of their parts, once each.)
    assert not {os.path.abspath(c) for c in calls} & {os.path.abspath(p) for p in want}
    assert len(calls) < len(want) * 8


@pytest.mark.parametrize("twist", ["hard link", "file link", "broken link", "fifo", "folder link", "given twice",
                                   "a file given"])
def test_discovery_finds_each_post_once_whatever_else_is_there(tmp_path: Path, twist: str) -> None:
    """Two names of one file, links, FIFOs, a folder given twice: the same
    files as os.walk and an lstat of each give, each post once."""
    from postlint.engine.discover import discover

    _post_tree(tmp_path)
    posts = tmp_path / "_posts"
    given = [tmp_path]
    if twist == "hard link":
        os.link(posts / "2019-01-02-b.md", posts / "z" / "2019-05-01-twin.md")
    elif twist == "file link":
        (tmp_path / "_drafts" / "2019-05-01-link.md").symlink_to(posts / "z" / "2019-02-01-c.md")
    elif twist == "broken link":
        (posts / "2019-05-01-broken.md").symlink_to(tmp_path / "nowhere.md")
    elif twist == "fifo":
        os.mkfifo(posts / "2019-05-01-fifo.md")
    elif twist == "folder link":
        (posts / "linked").symlink_to(tmp_path / "en" / "_posts", target_is_directory=True)
    elif twist == "given twice":
        given = [tmp_path, posts / "z", tmp_path]
    else:
        given = [posts / "2019-01-02-b.md", tmp_path]
    found = discover(given, root=tmp_path, exclude=[]).files
    assert found == _reference_discovery(given)
    assert len({os.path.realpath(p) for p in found}) == len(found)
    if twist == "hard link":
        assert len(found) == 6 and posts / "z" / "2019-05-01-twin.md" not in found


def test_discovery_takes_the_names_splitext_would(tmp_path: Path) -> None:
    """discover's extension test is os.path.splitext's, without its calls:
    leading dots are no extension, case is not significant."""
    from postlint.engine.discover import POST_EXTENSIONS, discover

    names = ["a.md", ".md", "..md", "...md", ".x.md", "a..md", "b.MD", "c", "d.", "e.html.md", "f.md.",
             ".g.h.markdown", "\u00e9.md", "i.Markdown", "j.htm", "k.txt", "l.mdx", "m .md", ".n.", "o.md.md"]
    posts = tmp_path / "_posts"
    posts.mkdir()
    (tmp_path / "_config.yml").write_text("title: t\n", encoding="utf-8")
    for name in names:
        (posts / name).write_text("x", encoding="utf-8")
    found = discover([tmp_path], root=tmp_path, exclude=[]).files
    assert sorted(p.name for p in found) == sorted(
        n for n in names if os.path.splitext(n)[1].lower() in POST_EXTENSIONS)
    assert {"a.md", ".x.md", "b.MD"} <= {p.name for p in found} and ".md" not in {p.name for p in found}


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


# -- the site's walk kept between runs (postlint.rules.jekyll.site_files_store) ----------------


def _fields(found: published.SiteFiles) -> dict[str, object]:
    return {
        "files": found.files, "urls": list(found.urls.items()), "posts": found.posts, "layouts": found.layouts,
        "includes": found.includes, "linkable": found.linkable, "covered": [p.pattern for p in found.covered],
        "flags": (found.has_index, found.has_layouts, found.has_includes, found.theme_files, found.truncated),
    }


def _age(root: Path) -> None:
    """Every file and folder modified an hour ago: not "racily clean"."""
    past = os.stat(root).st_mtime - 3600
    for folder, dirs, names in os.walk(root):
        for name in dirs + names:
            os.utime(os.path.join(folder, name), (past, past), follow_symlinks=False)
    os.utime(root, (past, past))


def _store_site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    files = {
        "_config.yml": "title: x\nplugins: [jekyll-feed]\ncollections:\n  recepten:\n    output: true\n",
        "index.md": "---\ntitle: home\n---\n",
        "about.md": "---\npermalink: /over/\n---\n",
        "tags.md": "---\npermalink: /tag/:name/\n---\n",
        "_layouts/default.html": "<html>",
        "_includes/k.html": "k",
        "_posts/2019-05-14-a.md": "---\ntitle: a\n---\n",
        "en/_posts/2019-05-14-a.md": "---\ntitle: a\n---\n",
        "_recepten/soep.md": "---\ntitle: soep\n---\n",
        "assets/a.png": "",
        ".rumdl_cache/x": "",
    }
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    (root / "assets" / "b.png").symlink_to(root / "assets" / "a.png")
    return root


def _through_store(root: Path, db_folder: Path) -> tuple[published.SiteFiles, bool]:
    """(site_files through the store, whether the store answered without a walk)."""
    from postlint.files.cachedb import CacheDB
    from postlint.model.site import Site, load_site
    from postlint.rules.jekyll import site_files_store

    site = load_site(root / "_config.yml")
    walks = []
    real = published._walked

    def counting(site: Site, record: bool = False) -> published.SiteFiles:
        walks.append(1)
        return real(site, record)

    published._walked = counting
    try:
        found = site_files_store.cached_site_files(site, CacheDB(db_folder))
    finally:
        published._walked = real
    return found, not walks


def test_stored_walk_is_the_walk(tmp_path: Path) -> None:
    from postlint.model.site import load_site

    root = _store_site(tmp_path)
    _age(root)
    db = tmp_path / "cache"
    first, hit = _through_store(root, db)
    assert not hit
    second, hit = _through_store(root, db)
    assert hit
    fresh = published.site_files(load_site(root / "_config.yml"))
    assert _fields(first) == _fields(second) == _fields(fresh)
    assert "/over/" in second.urls and "/feed.xml" in second.urls and "assets/b.png" in second.files


@pytest.mark.parametrize("change", ["new file", "removed file", "new folder file", "page front matter",
                                    "link target gone", "chmod page"])
def test_stored_walk_sees_every_change(tmp_path: Path, change: str) -> None:
    from postlint.model.site import load_site

    root = _store_site(tmp_path)
    (root / ".git").mkdir()
    (root / ".git" / "target.png").write_text("", encoding="utf-8")
    (root / "_layouts" / "t.html").symlink_to(root / ".git" / "target.png")  # a layout: never read
    _age(root)
    db = tmp_path / "cache"
    _through_store(root, db)
    assert _through_store(root, db)[1]
    if change == "new file":
        (root / "contact.md").write_text("---\ntitle: c\n---\n", encoding="utf-8")
    elif change == "removed file":
        (root / "assets" / "a.png").unlink()
    elif change == "new folder file":
        (root / "en" / "_posts" / "2019-05-15-b.md").write_text("x", encoding="utf-8")
    elif change == "page front matter":
        # The same size, the same folder listing: only its content (mtime) differs.
        (root / "about.md").write_text("---\npermalink: /uber/\n---\n", encoding="utf-8")
    elif change == "link target gone":
        # The link's folder is unchanged; what it leads to (in a folder never
        # walked) is gone: only the link's verdict, looked at again, tells.
        (root / ".git" / "target.png").unlink()
    elif change == "chmod page":
        (root / "about.md").chmod(0)
    found, hit = _through_store(root, db)
    assert not hit
    assert _fields(found) == _fields(published.site_files(load_site(root / "_config.yml")))


def test_a_walk_of_fresh_files_is_not_stored(tmp_path: Path) -> None:
    root = _store_site(tmp_path)  # written just now: a change within the same timestamp would go unseen
    db = tmp_path / "cache"
    _through_store(root, db)
    assert not _through_store(root, db)[1]


def test_a_damaged_stored_walk_is_a_miss(tmp_path: Path) -> None:
    import sqlite3

    root = _store_site(tmp_path)
    _age(root)
    db = tmp_path / "cache"
    expected, _ = _through_store(root, db)
    conn = sqlite3.connect(db / "postlint.sqlite")
    with conn:
        conn.execute("UPDATE memo SET value = json_set(value, '$.files', json('[1, 2]')) WHERE key LIKE 'site-files:%'")
    conn.close()
    found, hit = _through_store(root, db)
    assert not hit
    assert _fields(found) == _fields(expected)


def test_an_inert_folder_changing_costs_no_walk(tmp_path: Path) -> None:
    from postlint.model.site import load_site

    root = _store_site(tmp_path)
    (root / ".rumdl_cache" / "sub").mkdir()
    _age(root)
    db = tmp_path / "cache"
    _through_store(root, db)
    # A tool rewrites its cache: the folder's stat changes, nothing Jekyll reads does.
    (root / ".rumdl_cache" / "y").write_text("", encoding="utf-8")
    (root / ".rumdl_cache" / "sub" / "z").write_text("", encoding="utf-8")
    (root / ".rumdl_cache" / "x").unlink()
    found, hit = _through_store(root, db)
    assert hit
    assert _fields(found) == _fields(published.site_files(load_site(root / "_config.yml")))
    assert {".rumdl_cache/y", ".rumdl_cache/sub/z"} <= found.files and ".rumdl_cache/x" not in found.files
    # A post where there was none: the whole walk again.
    (root / ".rumdl_cache" / "_posts").mkdir()
    (root / ".rumdl_cache" / "_posts" / "2019-05-14-b.md").write_text("x", encoding="utf-8")
    found, hit = _through_store(root, db)
    assert not hit
    assert _fields(found) == _fields(published.site_files(load_site(root / "_config.yml")))
    assert "2019-05-14-b" in found.posts


@pytest.mark.parametrize("config", [
    "title: x\n",
    "include: [.well-known, .hidden/keep]\nexclude: [docs, '*.tmp']\n",
    "collections:\n  recepten:\n    output: true\ncollections_dir: verz\n",
    "collections: [_boeken]\nlayouts_dir: .layouts\nincludes_dir: .inc\n",
])
def test_inert_folders_add_only_files(tmp_path: Path, config: str) -> None:
    """Whatever the name of a file in a folder inert_folder() calls inert,
    _classify adds it to nothing but the site's files."""
    from postlint.model.site import JEKYLL_EXCLUDE, load_site

    (tmp_path / "_config.yml").write_text(config, encoding="utf-8")
    site = load_site(tmp_path / "_config.yml")
    exclude = tuple(site.exclude) + JEKYLL_EXCLUDE
    collections = {name: (output, permalink) for name, output, permalink in site.collections}
    folders = [".rumdl_cache", ".rumdl_cache/0.3.0", ".well-known", ".well-known/x", ".hidden", ".hidden/keep",
               ".hidden/other", "docs", "docs/a", "_posts", ".x/_posts", "_layouts", ".layouts", ".inc", "_recepten",
               "verz/_recepten", "verz", "_boeken", ".x/_boeken", "node_modules", "vendor/bundle/ruby", "a~", "#b",
               "_drafts", "assets", "en/_drafts"]
    names = ["index.md", "a.html", "b.png", ".c", "_d.md", "e.tmp", "2019-05-14-a.md", "docs"]
    inert_seen = 0
    for folder in folders:
        if not published.inert_folder(site, folder):
            continue
        inert_seen += 1
        for name in names:
            found = published.SiteFiles(str(tmp_path))
            published._classify(found, site, f"{folder}/{name}", exclude, tuple(site.include),
                                site.collections_dir.strip("/"), collections)
            assert _fields(found) == _fields(published.SiteFiles(str(tmp_path))), (folder, name)
    assert inert_seen >= 5


# -- the mojibake prefilter's first step: a character class ---------------------------


class _Always:
    """A stand-in for detect._leading() with which every text goes on to the
    prefilter regex: the path without the character-set step."""

    def found_in(self, _text: str) -> bool:
        return True


def test_starts_is_the_prefilters_leading_class() -> None:
    from postlint.rules.encoding import detect

    pattern = detect._prefilter().pattern
    leading = re.compile(pattern[: pattern.index("(?:")])
    bmp = "".join(chr(c) for c in range(0x10000))
    assert set(leading.findall(bmp)) == set(detect._starts())
    assert set(detect._leading().findall(bmp)) == set(detect._starts())
    assert not any(ord(c) > 0xFFFF for c in detect._starts())


_MOJIBAKE_ALPHABET = (
    "aé ?\n\t-’“”…€Ã©â€™Â·Ã«ĂĽð\x81\x9d\ufffd\x1aжЖ日本語한국어中文ß"
    + "".join(chr(c) for c in range(0xC0, 0x100))
)


def _garbled(text: str) -> str:
    out = []
    for b in text.encode("utf-8"):
        try:
            out.append(bytes([b]).decode("cp1252"))
        except UnicodeDecodeError:
            out.append(chr(b))
    return "".join(out)


def test_prefiltered_mojibake_is_unfiltered_mojibake(monkeypatch: pytest.MonkeyPatch) -> None:
    import random

    from postlint.rules.encoding import detect

    rng = random.Random(14)
    texts = ["", "plain ascii", "日本語の投稿です。", "Daniël en één café", "DaniÃ«l", "â€™ and â€œquotesâ€\x9d"]
    for _ in range(400):
        n = rng.randint(1, 60)
        text = "".join(rng.choice(_MOJIBAKE_ALPHABET) for _ in range(n))
        texts.append(text)
        texts.append(_garbled(text) if rng.random() < 0.5 else text + _garbled(text[: n // 2]))
        texts.append("".join(rng.choice("日本語한국어中文 \n") for _ in range(n)))  # no candidate at all
    skips = [(), ((0, 3),), ((2, 10), (12, 14))]
    filtered = [detect.find_mojibake(t, skip) for t in texts for skip in skips]
    assert sum(1 for t in texts if detect._starts().isdisjoint(t) and not t.isascii()) > 100
    monkeypatch.setattr(detect, "_leading", _Always)
    unfiltered = [detect.find_mojibake(t, skip) for t in texts for skip in skips]
    assert filtered == unfiltered
    assert any(filtered)  # some texts are mojibake


# -- pruning the result cache: the values' sizes read only when the file is big enough ----


@pytest.mark.parametrize(("max_entries", "max_bytes"), [(1000, 10**9), (1000, 20_000), (30, 10**9), (30, 20_000)])
def test_prune_decides_as_from_the_values_sizes(tmp_path: Path, max_entries: int, max_bytes: int) -> None:
    from postlint.engine import cache as cache_module
    from postlint.engine.linter import FileResult

    store = cache_module.ResultCache(tmp_path)
    for i in range(60):
        store.put(f"k{i:02d}", None, "d", FileResult(f"p{i}" + "x" * 900, [], {}, []))
        store._pending[-1] = store._pending[-1][:4] + (i,)
    store.flush()
    db = store.db.connect()
    assert db is not None
    count, size = db.execute("SELECT count(*), sum(length(value)) FROM results").fetchone()
    # What prune did before it looked at the file's size first.
    expected = 0
    if count > max_entries or size > max_bytes:
        expected = count - min(int(max_entries * 0.9), int(count * (max_bytes * 0.9) / size))
    assert store.prune(max_entries=max_entries, max_bytes=max_bytes) == expected
    (left,) = db.execute("SELECT count(*) FROM results").fetchone()
    assert left == count - expected
    store.close()


# -- EN002's patterns kept between runs: the same patterns, ftfy not imported ----


def test_en002_patterns_from_the_memo_are_the_built_ones(monkeypatch: pytest.MonkeyPatch) -> None:
    from postlint.adapters.ftfy import badness_screen
    from postlint.analysis import memo
    from postlint.rules.encoding import detect
    from tests.memo_store import DictStore as Store

    for f in (detect._leading, detect._prefilter):
        f.cache_clear()
    built = {"leading": detect._leading(), "prefilter": detect._prefilter()}  # (no store: from the codecs)
    screen = badness_screen()
    assert screen is not None
    store = Store()
    memo.install(store)
    try:
        for f in (detect._leading, detect._prefilter, detect._screen):
            f.cache_clear()
        first = detect._leading(), detect._prefilter(), detect._screen()
        assert len(store.rows) == 3
        for f in (detect._leading, detect._prefilter, detect._screen):
            f.cache_clear()
        # A second process: nothing is derived again, each pattern is built
        # from the characters kept.
        monkeypatch.setattr(detect, "_starts", lambda: pytest.fail("derived again"))
        monkeypatch.setattr(detect, "_prefilter_sets", lambda: pytest.fail("derived again"))
        monkeypatch.setattr(detect, "badness_screen_chars", lambda: pytest.fail("derived again"))
        again = detect._leading(), detect._prefilter(), detect._screen()
        assert [p.pattern for p in again] == [p.pattern for p in first]
        assert [p.pattern for p in first] == [built["leading"].pattern, built["prefilter"].pattern, screen.pattern]
        # ftfy's files changed (another version): the screen is built again.
        for f in (detect._leading, detect._prefilter, detect._screen):
            f.cache_clear()
        key = detect._ftfy_key()
        assert key is not None
        key[-1][1][1] += 1
        monkeypatch.setattr(detect, "_ftfy_key", lambda: key)
        with pytest.raises(pytest.fail.Exception):
            detect._screen()
    finally:
        memo.install(None)
        for f in (detect._leading, detect._prefilter, detect._screen):
            f.cache_clear()


def test_a_planted_memo_cannot_plant_a_pattern(monkeypatch: pytest.MonkeyPatch) -> None:
    # A cache folder is a file in the repository like any other: what its
    # memo says of EN002's patterns is characters for a class, or ignored.
    from postlint.analysis import memo
    from postlint.rules.encoding import detect
    from tests.memo_store import DictStore as Store

    store = Store()
    memo.install(store)
    try:
        for f in (detect._leading, detect._prefilter, detect._screen):
            f.cache_clear()
        detect._leading(), detect._screen()
        built = detect._prefilter()
        assert len(store.rows) == 3
        evil = "(a+)+$"
        for namespace, key in list(store.rows):
            store.rows[(namespace, key)] = [evil]  # (for the prefilter: a string, not its sets)
        for f in (detect._leading, detect._prefilter, detect._screen):
            f.cache_clear()
        leading, prefilter, screen = detect._leading(), detect._prefilter(), detect._screen()
        # The strings are only the characters of a class...
        assert screen is not None
        assert leading.fullmatch("a") and leading.fullmatch("+") and not leading.fullmatch("aa")
        assert screen.pattern == "[" + "".join(map(__import__("re").escape, evil)) + "]"
        # ...and a value of the wrong shape is not used: the prefilter is built again.
        assert prefilter.pattern == built.pattern
    finally:
        memo.install(None)
        for f in (detect._leading, detect._prefilter, detect._screen):
            f.cache_clear()


def test_a_second_one_post_run_takes_the_screen_from_the_memo(tmp_path: Path) -> None:
    import subprocess
    import sys

    site = tmp_path / "site"
    (site / "_posts").mkdir(parents=True)
    (site / "_config.yml").write_text("title: t\n")
    post = site / "_posts" / "2020-01-01-a.md"
    # "ł" then "ą": a pair the prefilter hands on, which ftfy's heuristic rejects.
    post.write_text("---\nlayout: post\ntitle: Zażółć\n---\nGęślą jaźń, łąka.\n", encoding="utf-8")
    probe = ("import runpy, sys; sys.argv = ['postlint', 'check', '--no-network', sys.argv[1]]\n"
             "from postlint.adapters import ftfy as adapter\n"
             "calls, real = [], adapter._badness\n"
             "adapter._badness = lambda: calls.append(1) or real()\n"
             # (as for an ftfy release whose screen is not listed in the adapter)
             "adapter.known_screen_chars = lambda: None\n"
             "try:\n    runpy.run_module('postlint', run_name='__main__')\n"
             "except SystemExit:\n    pass\n"
             "print('BUILT' if calls else 'MEMO', 'FTFY' if 'ftfy' in sys.modules else 'NO-FTFY', file=sys.stderr)\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith("POSTLINT_")}
    runs = []
    for edit in ("", "\nŁódź.\n"):
        post.write_text(post.read_text(encoding="utf-8") + edit, encoding="utf-8")  # linted again, not replayed
        runs.append(subprocess.run([sys.executable, "-c", probe, str(post)], cwd=site, env=env,
                                   capture_output=True, text=True, timeout=120))
    assert [r.stderr.strip().splitlines()[-1] for r in runs] == ["BUILT NO-FTFY", "MEMO NO-FTFY"]


# -- the command's launcher: the collector paused while postlint.cli is imported ----


@pytest.mark.parametrize("before", [True, False])
def test_the_launcher_leaves_the_collector_as_it_found_it(before: bool) -> None:
    import subprocess
    import sys

    probe = (
        "import gc, sys\n"
        f"if not {before}: gc.disable()\n"
        "paused = []\n"
        "class Spy:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name == 'postlint.cli': paused.append(gc.isenabled())\n"
        "sys.meta_path.insert(0, Spy())\n"
        "from postlint import launch\n"
        "rc = launch.main(['--version'])\n"
        "print(rc, paused, gc.isenabled(), gc.get_freeze_count() > 1000, gc.get_threshold()[0])\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, check=True)
    # (and a collection waits for many more new objects than the default 700)
    assert out.stdout.splitlines()[-1].split() == ["0", "[False]", str(before), "True", "30000"]


# -- the command's end: flushed, exit handlers run, then os._exit -------------------


def _many_findings_site(tmp_path: Path) -> Path:
    from tests.conftest import write_site

    posts = {f"_posts/2019-05-{n % 28 + 1:02d}-p{n}.md": "---\nlayout: post\ntitle: DaniÃ«l\n---\n<p>DaniÃ«l</p>\n"
             for n in range(60)}
    (tmp_path / "site").mkdir()
    return write_site(tmp_path / "site", posts)


def test_the_command_ends_with_its_whole_output_and_status(tmp_path: Path) -> None:
    import json
    import subprocess
    import sys

    from tests.conftest import POSTLINT, run_cli

    site = _many_findings_site(tmp_path)
    args = ["check", "--no-network", "--no-cache", "--output-format", "json", "."]
    piped = subprocess.run([POSTLINT, *args], cwd=site, capture_output=True, timeout=120)
    assert piped.returncode == 1
    expected = run_cli(args, cwd=site)
    assert json.loads(piped.stdout)["diagnostics"] == expected.json()["diagnostics"]
    assert len(expected.json()["diagnostics"]) >= 120
    report = tmp_path / "report.json"
    to_file = subprocess.run([POSTLINT, *args, "--output-file", str(report)], cwd=site, capture_output=True,
                             timeout=120)
    assert to_file.returncode == 1
    assert json.loads(report.read_bytes())["diagnostics"] == expected.json()["diagnostics"]
    # Exit handlers registered during the run still run, and before the end.
    probe = (
        "import atexit, sys\n"
        "atexit.register(lambda: print('HANDLER RAN', flush=True))\n"
        "from postlint import launch\n"
        f"sys.argv = ['postlint', *{args!r}]\n"
        "launch.command()\n"
        "print('NOT REACHED')\n"
    )
    ended = subprocess.run([sys.executable, "-c", probe], cwd=site, capture_output=True, text=True, timeout=120)
    assert ended.returncode == 1
    assert ended.stdout.rstrip().endswith("HANDLER RAN") and "NOT REACHED" not in ended.stdout


def test_a_closed_output_pipe_ends_the_ordinary_way(tmp_path: Path) -> None:
    import subprocess

    from tests.conftest import POSTLINT

    site = _many_findings_site(tmp_path)
    proc = subprocess.Popen([POSTLINT, "check", "--no-network", "--no-cache", "."], cwd=site,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.read(10)
    proc.stdout.close()                     # as `| head -c 10` does
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=120) != 0
    assert "Traceback" not in err


def test_a_thread_still_working_at_the_end_is_joined(tmp_path: Path) -> None:
    # A pool left running when main returns: the process ends the ordinary
    # way, which waits for its work, not with os._exit.
    import subprocess
    import sys

    site = _many_findings_site(tmp_path)
    probe = (
        "import sys, time\n"
        "from concurrent.futures import ThreadPoolExecutor\n"
        "pool = ThreadPoolExecutor(1)\n"
        "pool.submit(lambda: (time.sleep(0.3), print('WORK DONE', flush=True)))\n"
        "from postlint import launch\n"
        "sys.argv = ['postlint', 'check', '--no-network', '--no-cache', '--output-format', 'concise', '.']\n"
        "sys.exit(launch.command())\n"
    )
    ended = subprocess.run([sys.executable, "-c", probe], cwd=site, capture_output=True, text=True, timeout=120)
    assert ended.returncode == 1
    assert "WORK DONE" in ended.stdout


# -- the command line's help formatter: argparse's, without shutil -------------------


@pytest.mark.parametrize("columns", ["44", "100", ""])
def test_help_is_argparse_own_at_the_terminal_width(columns: str) -> None:
    # cli._help_formatter measures the width as shutil.get_terminal_size
    # does (COLUMNS, else the terminal, else 80), once; argparse's own
    # formatter asks shutil each time. The same help either way, and a
    # parser built for a check run does not import shutil.
    import subprocess
    import sys

    probe = (
        "import argparse, sys\n"
        "from postlint import cli\n"
        "ours = cli.build_parser()\n"
        "built = 'shutil' in sys.modules\n"
        "cli._help_formatter = argparse.HelpFormatter\n"
        "theirs = cli.build_parser()\n"
        "sub = lambda p: next(a for a in p._actions if isinstance(a, argparse._SubParsersAction)).choices\n"
        "same = ours.format_help() == theirs.format_help() and all(\n"
        "    sub(ours)[name].format_help() == sub(theirs)[name].format_help() for name in sub(theirs))\n"
        "print(built, same, max(map(len, ours.format_help().splitlines())))\n"
    )
    env = {**os.environ, "COLUMNS": columns}
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, check=True,
                         env=env)
    built, same, widest = out.stdout.split()
    assert (built, same) == ("False", "True")
    assert int(widest) <= (int(columns) if columns else 80)
