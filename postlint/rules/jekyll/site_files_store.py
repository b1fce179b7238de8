"""`site_files` once per run, and kept between runs in the cache's memo.

Walking a site and classifying its files is most of what the site rules JK003
to JK005 cost a run that lints nothing (a warm run) or one post (a pre-commit
hook): the whole tree, every file, every time. The walk's answer depends only
on the site's settings, on the list of each folder walked (its stat: adding,
removing or renaming an entry changes the folder's mtime), on the content of
the files whose front matter was read (their stat) and on where each entry
that is not a plain file leads (a link's verdict, looked at again). So the
answer is stored with those stats and reused while every one of them is the
same; otherwise the site is walked again and the new answer stored.

Keyed by the site's root and checked against a hash of everything else the
answer depends on: postlint's version and the source files that compute it,
the `Site` (its whole `_config.yml` reading). An answer taken when a folder
or a file read had been modified within RACY_NS of the walk is not stored (a
change within the same timestamp would go unseen), nor a truncated walk.
Stored as JSON in the memo table (postlint.files.cachedb); a damaged or
foreign value is a miss.
"""

from __future__ import annotations

import os
import re
import time
from typing import Any

from postlint.files.cachedb import CONTEXT_KEY, CacheDB, memo_get, memo_put
from postlint.model import site as site_module
from postlint.model.site import Site
from postlint.rules.jekyll import published
from postlint.rules.jekyll.published import SiteFiles, site_files

FORMAT = "site-files-v1"
RACY_NS = 2_000_000_000


def files_of(site: Site, shared: dict[str, Any]) -> SiteFiles:
    """site_files(), once per run and site (kept in a site rule context's
    shared), through the cache database the engine put in `shared`."""
    table = shared.setdefault("site-files", {})
    key = str(site.root)
    if key not in table:
        db = shared.get(CONTEXT_KEY)
        table[key] = cached_site_files(site, db) if isinstance(db, CacheDB) else site_files(site)
    found = table[key]
    assert isinstance(found, SiteFiles)
    return found


def cached_site_files(site: Site, db: CacheDB) -> SiteFiles:
    if site.root is None:  # "." would be the working folder: nothing to key on
        return site_files(site)
    root = str(site.root)
    import hashlib

    slot = "site-files:" + hashlib.sha256(root.encode("utf-8", "surrogateescape")).hexdigest()
    material = _material(site)
    known = memo_get(db, slot)
    if isinstance(known, dict) and known.get("key") == material:
        found = _valid(known, site, root)
        if found is not None:
            return published._cover(found, site)
    started = time.time_ns()
    found = published._walked(site, record=True)
    if found.truncated:
        return found
    data = _data(found, site, material)
    if not _racy(data, started):
        memo_put(db, slot, data)
    return published._cover(found, site)


def _material(site: Site) -> str:
    from postlint import __version__

    stamps = [FORMAT, __version__, repr(site), str(published._MAX_FILES)]
    for path in (published.__file__, site_module.__file__, __file__):
        try:
            st = os.stat(path) if path else None
        except OSError:
            st = None
        stamps.append(f"{path}:{st.st_mtime_ns}:{st.st_size}" if st else f"{path}:-")
    import hashlib

    return hashlib.sha256("\n".join(stamps).encode("utf-8", "surrogateescape")).hexdigest()


def _data(found: SiteFiles, site: Site, material: str) -> dict[str, Any]:
    """The stored form of a recorded walk. The subtrees whose files only count
    among the site's files (inert: a tool's cache such as .rumdl_cache/, which
    that tool rewrites on every run) are stored by their roots alone and
    listed afresh each time, so that their churn does not cost a whole walk."""
    walked = found.walked or []
    inert = {rel for rel, _ in walked if rel and published.inert_folder(site, rel)}
    roots = [
        rel for rel in sorted(inert)
        if rel.rpartition("/")[0] not in inert
        and all(other in inert for other, _ in walked if other.startswith(rel + "/"))
    ]

    def outside(relative: str) -> bool:
        return not any(relative == r or relative.startswith(r + "/") for r in roots)

    odd = [[rel, verdict] for rel, verdict in found.odd if outside(rel)]
    files = sorted(f for f in found.files if outside(f))
    return {
        "key": material,
        "walked": [list(w) for w in walked if outside(w[0])],
        "read": [list(r) for r in found.read if outside(r[0])],
        "odd": odd,
        "inert": roots,
        # Entries listed outside the inert subtrees (the walk's count of them).
        "count": len(files) + sum(1 for _, verdict in odd if not verdict),
        "files": files,
        "urls": list(found.urls.items()),  # in order: the first source of a URL is kept
        "posts": list(found.posts.items()),
        "layouts": sorted(found.layouts),
        "includes": sorted(found.includes),
        "linkable": sorted(found.linkable),
        "covered": [p.pattern for p in found.covered],
        "flags": [found.has_index, found.has_layouts, found.has_includes],
    }


def _racy(data: dict[str, Any], started: int) -> bool:
    """Was a folder or a file read modified too shortly before the walk?"""
    for _, sig in data["walked"] + data["read"]:
        if sig == "-":
            continue
        if int(sig.split(":", 1)[0]) > started - RACY_NS:
            return True
    return False


def _signature_of(path: str) -> str:
    try:
        return published.signature(os.stat(path))
    except OSError:
        return "-"


def _place(root: str, relative: str) -> str:
    return os.path.join(root, *relative.split("/")) if relative else root


def _valid(data: dict[str, Any], site: Site, root: str) -> SiteFiles | None:
    """The stored walk, if every stat it rests on is still the same (and the
    value is sound), its inert subtrees listed again; else None."""
    try:
        for relative, sig in data["walked"]:
            if _signature_of(_place(root, relative)) != sig:
                return None
        for relative, sig in data["read"]:
            if _signature_of(_place(root, relative)) != sig:
                return None
        for relative, verdict in data["odd"]:
            if published._regular_inside(_place(root, relative), root) is not verdict:
                return None
        has_index, has_layouts, has_includes = data["flags"]
        found = SiteFiles(
            root,
            files=set(_strings(data["files"])),
            urls={str(url): str(source) for url, source in data["urls"]},
            posts={str(name): _strings(paths) for name, paths in data["posts"]},
            layouts=set(_strings(data["layouts"])),
            includes=set(_strings(data["includes"])),
            linkable=set(_strings(data["linkable"])),
            covered=[re.compile(p) for p in _strings(data["covered"])],
            has_index=has_index is True,
            has_layouts=has_layouts is True,
            has_includes=has_includes is True,
        )
        count = data["count"]
        if type(count) is not int:
            return None
        for start in _strings(data["inert"]):
            for rel_folder, names in published._walk(root, site.destination.strip("/"), None, start):
                if names and not published.inert_folder(site, rel_folder):
                    return None  # a post, page or layout where there was none: the whole walk
                for name, regular in names:
                    count += 1
                    relative = f"{rel_folder}/{name}"
                    if regular or published._regular_inside(_place(root, relative), root):
                        found.files.add(relative)
        if count > published._MAX_FILES:
            return None  # the whole walk, which stops where it stops
    except (KeyError, TypeError, ValueError, AttributeError, re.error):
        return None
    return found


def _strings(values: Any) -> list[str]:
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise ValueError("damaged site files")
    return values

