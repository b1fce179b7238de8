"""The entry points of a group, as (name, value, origin) rows: read from the
distributions' metadata folders on sys.path directly, or (where those do not
show everything) through importlib.metadata. The registry's scan
(postlint.engine.registry) is the one user; tests/test_registry_scan.py holds
the two ways equal."""

from __future__ import annotations

from postlint.model.patterns import lazy


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
_NORMALIZE = lazy(r"[-_.]+")


def read_entry_points(group: str) -> list[tuple[str, str, str]] | None:
    """`metadata_entry_points(group)` without importlib.metadata: each folder on
    sys.path listed once, and the ``entry_points.txt`` of each
    ``*.dist-info`` / ``*.egg-info`` folder in it (and the ``METADATA`` or
    ``PKG-INFO`` of those that declare the group) read and parsed as
    importlib.metadata parses them. Importing importlib.metadata and reading
    every distribution's metadata through it cost a run some 30 ms (most of
    a small site's start); this costs a listing per folder.

    None wherever importlib.metadata could answer otherwise, or raise: a
    folder on sys.path that is not a plain string, an egg, a file (a zip) on
    sys.path, a metadata file that is not a folder, a folder whose suffix is
    not written in lower case, a finder on sys.meta_path that is not the
    standard one and finds distributions, an entry line without "=", a file
    that is not UTF-8 or cannot be read, metadata headers that are folded or
    start with "From ": importlib.metadata is then asked.
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
        if not isinstance(entry, str):
            return None                     # (a Path, bytes: importlib.metadata's to read)
        folder = entry or "."
        if os.path.basename(folder).lower().endswith(".egg"):
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
            stem, suffix = os.path.splitext(name)
            base = os.path.join(folder, name)
            if suffix not in (".dist-info", ".egg-info") or not os.path.isdir(base):
                return None                 # (tells distributions apart by their Name instead; an egg-info file)
            # importlib.metadata tells distributions apart by the name in
            # the folder's, as here: the first on sys.path wins.
            normalized = _NORMALIZE.sub("_", stem.partition("-")[0]).lower()
            if normalized in seen_dists:
                continue
            seen_dists.add(normalized)
            readable, text = _read_text(os.path.join(base, "entry_points.txt"))
            if not readable:
                return None
            entries = _group_entries(text or "", group)
            if entries is None:
                return None                 # importlib.metadata raises on it: as before
            if not entries:
                continue
            readable, meta = _read_text(os.path.join(base, "METADATA"))
            if readable and not meta:
                readable, meta = _read_text(os.path.join(base, "PKG-INFO"))
            headers = _headers(meta) if readable and meta else None
            if headers is None:
                return None
            origin = f"{headers.get('name')} {headers.get('version')}"
            for ep_name, value in entries:
                if value in seen_modules:
                    continue
                seen_modules.add(value)
                found.append((ep_name, value, origin))
    return found


def _read_text(path: str) -> tuple[bool, str | None]:
    """(readable, text) of a file as importlib.metadata reads it (UTF-8,
    universal line endings): text None where it is absent (what
    importlib.metadata takes for absent), readable False where
    importlib.metadata would raise."""
    try:
        with open(path, encoding="utf-8") as handle:
            return True, handle.read()
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError, PermissionError):
        return True, None
    except (OSError, ValueError):           # (UnicodeDecodeError is a ValueError)
        return False, None


# What the email package's feed parser takes for a header line (compat32).
_HEADER = lazy(r"[\041-\071\073-\176]*:")


def _headers(text: str) -> dict[str, str] | None:
    """The Name and Version headers of a METADATA / PKG-INFO text as
    email.message_from_string gives them (importlib.metadata's reading): the
    headers end at a blank line or at the first line that is no header, the
    first of a name counts, a value loses the blanks after its colon and
    nothing else. None for what this does not model (a folded header, a
    "From " line)."""
    out: dict[str, str] = {}
    if text.startswith("From "):
        return None
    for line in text.split("\n"):
        if line[:1] in (" ", "\t"):
            return None                     # a folded header
        if not line or _HEADER.match(line) is None:
            break
        key, _, value = line.partition(":")
        key = key.lower()
        if key in ("name", "version") and key not in out:
            out[key] = value.lstrip(" \t")
    return out


def _group_entries(text: str, group: str) -> list[tuple[str, str]] | None:
    """(name, value) of each entry of `group` in an entry_points.txt, read as
    importlib.metadata reads it: stripped lines, "#" comments, a line that
    starts with "[" and ends with "]" names a section (the brackets
    stripped), lines before the first section are left out, "name = value"
    is split at the first "=". None for a line of any section without "="
    (importlib.metadata raises on it)."""
    out: list[tuple[str, str]] = []
    section: str | None = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line.strip("[]")
            continue
        if section is None:
            continue
        name, sep, value = line.partition("=")
        if not sep:
            return None
        if section == group:
            out.append((name.strip(), value.strip()))
    return out
