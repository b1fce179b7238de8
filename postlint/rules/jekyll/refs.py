"""What the whole-site reference rules (JK002-JK006) share: the facts they
collect per post, the site each post belongs to, and one note per site.

A post's fact travels packed: one compact JSON string (`pack`), unpacked by
the site rule that reads it (`unpack`). The run keeps every post's facts
until the site rules run, and a fact of nested lists is some forty Python
objects (with a pool, unpickled in the main process): as one string it is
one object, the same in the result cache, and a fact two rules share (JK002
and JK006) is one string, which pickle sends once."""

from __future__ import annotations

import json
import posixpath
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from postlint.model.analyses import Slot
from postlint.model.diagnostic import Diagnostic, excerpt_from_data
from postlint.model.post import Post
from postlint.model.record import NamedTuple
from postlint.model.site import Site, find_site


class Where(NamedTuple):
    line: int
    column: int
    end_line: int
    end_column: int
    source_line: list[object] | tuple[str, int, int] | str  # excerpt_data(): JSON data


# One encoder for every fact (json.dumps with options builds a new one per call).
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def pack(value: Any) -> str:
    """A site fact as one compact JSON string (tuples become lists)."""
    return "".join(_iterencode()(value, 0))


@lru_cache(maxsize=1)
def _iterencode() -> Any:
    """_ENCODER's C encoder, made once: JSONEncoder.encode makes a new one
    (json.encoder.c_make_encoder, the standard library's accelerator) for
    every call, 2-3 us of four facts a post (ruby-lang.org: 35 ms of a
    run). Its arguments are those JSONEncoder.iterencode passes (Python
    3.10-3.14); no circular check (a fact is JSON data the JK rules built).
    Where the accelerator is missing or differs, _ENCODER's own iterencode."""
    made: Any = None
    make = getattr(json.encoder, "c_make_encoder", None)
    if make is not None:
        try:
            made = make(None, _ENCODER.default, json.encoder.encode_basestring, None, ":", ",", False, False,
                        False)
            probe = [["a\u00e9\n", 1, -2.5, True, None], {"k": []}]
            if "".join(made(probe, 0)) != _ENCODER.encode(probe):
                made = None
        except Exception:  # noqa: BLE001 - another release's signature: the plain way
            made = None
    if made is None:
        def made(value: Any, _level: int) -> Any:
            return (_ENCODER.encode(value),)
    return made


def unpack(data: Any) -> Any:
    """A fact back from `pack`'s string (a fact already unpacked as it is)."""
    return json.loads(data) if isinstance(data, str) else data


def unpack_all(facts: dict[str, Any]) -> dict[str, Any]:
    """`unpack` of every fact that is not None, by path, in one decode: the
    packed strings joined into one JSON array (json.loads costs some
    microseconds a call beyond its decoding: 20,000 facts on ruby-lang.org)."""
    present = {path: fact for path, fact in facts.items() if fact is not None}
    packed = [fact for fact in present.values() if isinstance(fact, str)]
    decoded = iter(json.loads("[" + ",".join(packed) + "]"))
    return {path: next(decoded) if isinstance(fact, str) else fact for path, fact in present.items()}


def where(post: Post, start: int, end: int) -> Where:
    """Where a finding over text[start:end] is, as post.diagnostic places it
    (its excerpt included: a site finding is made without the post)."""
    return Where(*post.located_data(start, end))


def as_where(data: Any) -> Where:
    """A Where back from its JSON form (site facts travel as JSON)."""
    return Where(*data)


def site_root(post: Post) -> str | None:
    root = post.site.root
    return str(root) if root is not None else None


# Per post: its path relative to its site's root (JK002 to JK005 need it).
_RELATIVE: Slot[str] = Slot("jekyll.relative")


def relative_path(post: Post) -> str:
    """post.site.relative(post.path), once per post."""
    return post.analyses.get(_RELATIVE, lambda: post.site.relative(post.path))


def load(root: str, context: Any = None) -> Site:
    """The site at `root`; with a site rule's `context`, looked up once per
    run (a rule asks for each post's site: 5,000 lookups of one site)."""
    if context is None:
        return find_site(Path(root))
    sites: dict[str, Site] = context.shared.setdefault("jekyll-sites", {})
    site = sites.get(root)
    if site is None:
        site = sites[root] = find_site(Path(root))
    return site


def finding(path: str, at: Where, code: str, message: str) -> Diagnostic:
    return Diagnostic(path, at.line, at.column, at.end_line, at.end_column, code, None,
                      message, None, excerpt_from_data(at.source_line))


def note_once(context: Any, code: str, root: str, text: str) -> None:
    """A note said once per site and rule (with --verbose, on standard error)."""
    said = context.shared.setdefault("jekyll-notes", set())
    if (code, root, text) in said:
        return
    said.add((code, root, text))
    context.notes.append(f"{code}: {root}: {text}")


def clean_path(target: str) -> str:
    """A URL path as a server finds the file: without query and fragment,
    percent-decoded, `.` and `..` resolved (never above the root)."""
    for stop in "#?":
        target = target.split(stop, 1)[0]
    path = unquote(target)
    trailing = path.endswith(("/", "/.", "/.."))
    path = posixpath.normpath("/" + path.lstrip("/"))
    if path.startswith("//"):
        path = "/" + path.lstrip("/")
    if trailing and path != "/":
        path += "/"
    return path


def post_destination(url: str) -> str:
    """The file Jekyll writes for a URL: `/a/` is `/a/index.html`, `/a` is `/a.html`."""
    url = unquote(url)
    if url.endswith("/"):
        return url + "index.html"
    if "." not in url.rsplit("/", 1)[-1]:
        return url + ".html"
    return url
