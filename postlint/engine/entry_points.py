"""The entry points of a group, as (name, value, origin) rows: read from the
distributions' metadata folders on sys.path directly, or (where those do not
show everything) through importlib.metadata. The registry's scan
(postlint.engine.registry) is the one user; tests/test_registry_scan.py holds
the two ways equal."""

from __future__ import annotations

import re


def metadata_entry_points(group: str) -> list[tuple[str, str, str]]:
    """The group's entry points as importlib.metadata finds them."""
    from importlib.metadata import entry_points

    found: list[tuple[str, str, str]] = []
    seen_modules = set()
    # Per distribution folder: each ep.dist is a new object whose .name and
    # .version parse METADATA again (~1 ms per rule).
    origins: dict[str, str] = {}
    for ep in entry_points(group=group):
        if ep.value in seen_modules:  # the same distribution seen twice on sys.path
            continue
        seen_modules.add(ep.value)
        dist = getattr(ep, "dist", None)
        origin = ep.value
        if dist is not None:
            where = str(getattr(dist, "_path", id(dist)))
            if where not in origins:
                origins[where] = f"{dist.name} {dist.version}"
            origin = origins[where]
        found.append((ep.name, ep.value, origin))
    return found


# The finders of sys.meta_path that importlib.metadata asks for
# distributions and `read_entry_points` reads as they do: the standard
# PathFinder, and the finders that find no distributions at all.
_PLAIN_FINDERS = frozenset(["BuiltinImporter", "FrozenImporter", "PathFinder"])
_NORMALIZE = re.compile(r"[-_.]+")


def read_entry_points(group: str) -> list[tuple[str, str, str]] | None:
    """`metadata_entry_points(group)` without importlib.metadata: each folder on
    sys.path listed once, and the ``entry_points.txt`` and ``METADATA`` (or
    ``PKG-INFO``) of each ``*.dist-info`` / ``*.egg-info`` folder in it that
    declares the group read directly. Importing importlib.metadata and
    reading every distribution's metadata through it cost a run some 30 ms
    (most of a small site's start); this costs a listing per folder.

    None where importlib.metadata could find more than these folders show
    (a zip file or egg on sys.path, a finder on sys.meta_path that is not
    the standard one and finds distributions): it is then asked.
    tests/test_registry_scan.py compares the two."""
    import os
    import sys

    for finder in sys.meta_path:
        if getattr(finder, "find_distributions", None) is not None and (
            getattr(finder, "__name__", type(finder).__name__) not in _PLAIN_FINDERS
        ):
            return None
    found: list[tuple[str, str, str]] = []
    seen_dists: set[str] = set()
    seen_modules: set[str] = set()
    for entry in sys.path:
        folder = entry or "."
        if folder.endswith(".egg"):
            return None                     # an egg's own EGG-INFO: importlib.metadata reads those
        try:
            with os.scandir(folder) as listing:
                names = [e.name for e in listing]
        except NotADirectoryError:
            return None                     # a file on sys.path (a zip, an egg): importlib.metadata reads those
        except OSError:
            continue
        for name in names:
            low = name.lower()
            if not low.endswith((".dist-info", ".egg-info")):
                continue
            base = os.path.join(folder, name)
            if not os.path.isdir(base):
                return None                 # an egg-info file: importlib.metadata's to read
            # (importlib.metadata tells distributions apart by the name in
            # the folder's, as here.)
            normalized = _NORMALIZE.sub("_", name.rpartition(".")[0].partition("-")[0]).lower()
            if normalized in seen_dists:
                continue                    # the same distribution found again later on sys.path
            seen_dists.add(normalized)
            try:
                with open(os.path.join(base, "entry_points.txt"), encoding="utf-8") as handle:
                    text = handle.read()
            except OSError:
                continue
            if group not in text:
                continue
            meta = _headers(os.path.join(base, "METADATA" if low.endswith(".dist-info") else "PKG-INFO"))
            origin = f"{meta.get('name')} {meta.get('version')}"
            entries = _group_entries(text, group)
            if entries is None:
                return None
            for ep_name, value in entries:
                if value in seen_modules:
                    continue
                seen_modules.add(value)
                found.append((ep_name, value, origin))
    return found


def _headers(path: str) -> dict[str, str]:
    """The Name and Version headers of a METADATA / PKG-INFO file (email
    headers: up to the first blank line)."""
    out: dict[str, str] = {}
    try:
        with open(path, encoding="utf-8", errors="surrogateescape") as handle:
            for line in handle:
                if not line.strip():
                    break
                key, sep, value = line.partition(":")
                key = key.lower()
                if sep and key in ("name", "version") and key not in out:
                    out[key] = value.strip()
    except OSError:
        pass
    return out


def _group_entries(text: str, group: str) -> list[tuple[str, str]] | None:
    """(name, value) of each entry of `group` in an entry_points.txt (an INI
    file as importlib.metadata reads it: stripped lines, "#" comments, "name
    = value" split at the first "="); None for a line of the group without
    "=" (importlib.metadata's to judge)."""
    out: list[tuple[str, str]] = []
    section: str | None = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1].strip()
            continue
        if section == group:
            name, sep, value = line.partition("=")
            if not sep:
                return None
            out.append((name.strip(), value.strip()))
    return out
