"""What postlint knows of ftfy's internals, in one place.

ftfy decides what is mojibake through its documented API (``fix_encoding``
with a ``TextFixerConfig``); ``postlint.rules.encoding.detect`` only asks it
about lines that one of the code pages ftfy tries could have garbled, and
finds those lines with a prefilter built from the standard library's codecs,
so that clean text never imports ftfy.  The prefilter is right only while it
knows the same code pages as ftfy, which ftfy keeps undocumented:

* ``ftfy.chardata.CHARMAP_ENCODINGS``: the single-byte encodings ftfy's
  ``fix_encoding`` tries, here ``CHARMAP_ENCODINGS`` spelled for the standard
  library (ftfy's "sloppy-windows-125x" decode the bytes a code page leaves
  undefined as the Latin-1 character of the same number, which the prefilter
  does itself);
* ftfy's ``fix_encoding_and_explain`` skips ``restore_byte_a0`` for MacRoman
  (``NO_A0_RESTORE``);
* ftfy's encoding fixer returns a text unchanged unless its heuristic
  (``ftfy.badness.is_bad``: a search of ``ftfy.badness.BADNESS_RE``) finds
  something in it, and that pattern is a union of sequences of single
  characters (``badness_screen``, read with the standard library's
  undocumented regular expression parser, ``re._parser``).

tests/adapters/test_ftfy.py checks them against the installed ftfy.
``badness_screen`` and ``is_bad`` read ftfy's heuristic module without
importing the rest of ftfy; ftfy itself is imported only for a line its
heuristic finds something in.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import import_module
from typing import Any

# ftfy's names -> the standard library's codec for the same code page.
FTFY_NAMES = {
    "latin-1": "latin-1",
    "sloppy-windows-1252": "cp1252",
    "sloppy-windows-1251": "cp1251",
    "sloppy-windows-1250": "cp1250",
    "sloppy-windows-1253": "cp1253",
    "sloppy-windows-1254": "cp1254",
    "sloppy-windows-1257": "cp1257",
    "iso-8859-2": "iso-8859-2",
    "macroman": "mac-roman",
    "cp437": "cp437",
}
# In ftfy's order (the order it tries them in).
CHARMAP_ENCODINGS = tuple(FTFY_NAMES.values())
NO_A0_RESTORE = ("mac-roman",)


def _commonness(c: str) -> int:
    """How often legitimate text holds `c`, roughly (for choosing the items
    of ``badness_screen`` only: any choice is exact, a rarer one faster)."""
    if c < "\x80":
        return 10000
    if c.isalpha():
        common = ("\xc0" <= c <= "\u017f" or "\u0386" <= c <= "\u03ce" or "\u0410" <= c <= "\u044f"
                  or c in "\u0401\u0404\u0406\u0407\u0451\u0454\u0456\u0457")
        return 100 if common else 10
    return 1


def badness_screen() -> re.Pattern[str] | None:
    """``badness_screen_chars()`` as a class (``screen_from_chars``)."""
    chars = badness_screen_chars()
    return None if chars is None else screen_from_chars(chars)


# The screens of the ftfy releases postlint is tested with, by the size and
# CRC-32 of their badness.py (code points in hexadecimal, ranges with "-").
# Without a cache a run otherwise ran that module (which compiles ftfy's
# heuristic: 6 ms) and parsed the pattern (2 ms) to learn them.
# tests/adapters/test_ftfy.py derives the installed release's again and
# compares; another release's is derived (derive_screen_chars).
_KNOWN_SCREENS = {
    (15561, 2352012695): (  # ftfy 6.3.1
        "80-AC AE-B3 B5-B6 B8-D1 D7-D9 DC-DD F7 100 102 104 106 10C 10E 110 112 116 118 11A 11E 122 12A 130 "
        "136 139 13B 13D 141 143 145 147 152-153 158 15A 15E 160 162 164 16E 170 178-179 17B 17D 192 2C6-2C7 "
        "2D8 2DB-2DD 384-385 402 45E 490 2018 201A 201C-201E 2020-2022 2030 2039-203A 2044 20A7 20AC 2116 2122 "
        "2202 2206 220F 2211 221A 221E 2229 222B 2248 2260-2261 2264-2265 2310 2502 250C 2510 2518 251C 2524 "
        "252C 253C 2550-256C 2580 2584 2588 258C 2590-2593 25CA F8FF FFFD"
    ),
    (14367, 3031670928): (  # ftfy 6.2.0
        "80-AC AE-B3 B5-B6 B8-D1 D7-D9 DC-DD F7 102 104 106 10C 10E 110 118 11A 11E 130 139 13D 141 143 147 "
        "152-153 158 15A 15E 160 162 164 16E 170 178-179 17B 17D 192 2C6-2C7 2D8 2DB-2DD 384-385 402 45E 490 "
        "2018 201A 201C-201E 2020-2022 2030 2039-203A 2044 20A7 20AC 2116 2122 2202 2206 220F 2211 221A 221E "
        "2229 222B 2248 2260-2261 2264-2265 2310 2502 250C 2510 2518 251C 2524 252C 253C 2550-256C 2580 2584 "
        "2588 258C 2590-2593 25CA F8FF FFFD"
    ),
}


def known_screen_chars() -> str | None:
    """The installed ftfy's screen characters from _KNOWN_SCREENS (None: a
    release not listed there, or ftfy not one plain folder)."""
    import os
    import zlib

    folder = _folder()
    if folder is None:
        return None
    try:
        with open(os.path.join(folder, "badness.py"), "rb") as f:
            data = f.read()
    except OSError:
        return None
    ranges = _KNOWN_SCREENS.get((len(data), zlib.crc32(data)))
    if ranges is None:
        return None
    chars: list[str] = []
    for item in ranges.split():
        low, _, high = item.partition("-")
        chars.extend(map(chr, range(int(low, 16), int(high or low, 16) + 1)))
    return "".join(chars)


def badness_screen_chars() -> str | None:
    """``derive_screen_chars()``, from _KNOWN_SCREENS for a release listed
    there."""
    known = known_screen_chars()
    return known if known is not None else derive_screen_chars()


def derive_screen_chars() -> str | None:
    """The characters of a class of which every text ftfy's encoding fixer
    changes holds one (None: ftfy's heuristic is not of the shape read here;
    ask ftfy about every line).

    ``BADNESS_RE`` is a union of alternatives, each a sequence of
    characters, and most items of a sequence are one character of a fixed
    class (a literal, a class of literals and ranges).  A match of an
    alternative holds a character of each such item, so a text holding none
    of the characters of one item per alternative matches none: ftfy's
    heuristic finds nothing and ftfy changes nothing.  The item taken is the
    one of the rarest characters (``_commonness``): 12,217 lines of the
    ruby-lang.org corpus the prefilter hands to ftfy (Ukrainian "ві", Portuguese
    "ã ", ...), 111 of which hold one of them."""
    badness = _badness()
    try:
        parser: Any = import_module("re._parser")
    except ImportError:                     # Python 3.10: sre_parse
        parser = import_module("sre_parse")
    pattern = getattr(badness, "BADNESS_RE", None)
    if not isinstance(pattern, re.Pattern) or not isinstance(pattern.pattern, str) or pattern.flags & re.IGNORECASE:
        return None
    try:
        data = parser.parse(pattern.pattern, pattern.flags).data
    except Exception:  # noqa: BLE001 - a parser that changed: no screen
        return None
    if len(data) == 1 and data[0][0] is parser.BRANCH:
        alternatives = [list(alternative.data) for alternative in data[0][1][1]]
    else:
        alternatives = [list(data)]
    chosen: set[str] = set()
    for items in alternatives:
        best: set[str] | None = None
        for item in items:
            chars = _item_chars(parser, item)
            if chars is not None and (best is None or sum(map(_commonness, chars)) < sum(map(_commonness, best))):
                best = chars
        if best is None:
            return None                     # an alternative with no item of a fixed class
        chosen |= best
    return "".join(sorted(chosen))


def screen_from_chars(chars: str) -> re.Pattern[str] | None:
    """The screen of ``badness_screen`` from its characters (a class of them;
    None if it would hold a line break)."""
    source = screen_source(chars)
    return None if source is None else re.compile(source)


def screen_source(chars: str) -> str | None:
    """``screen_from_chars(chars).pattern``, not compiled."""
    if "\n" in chars:
        return None
    return "[" + "".join(re.escape(c) for c in chars) + "]"


def is_bad(text: str) -> bool:
    """``ftfy.badness.is_bad(text)``: whether ftfy's heuristic finds
    something in the text. ``fix_encoding`` returns a text it finds nothing
    in as it is (its first step, every pass), so such a line needs no more
    of ftfy: ftfy and wcwidth import in some 55 ms, its heuristic module run
    on its own (``_badness``) in some 10 (it compiles BADNESS_RE)."""
    return bool(_badness_is_bad()(text))


@lru_cache(maxsize=1)
def _badness_is_bad() -> Any:
    return _badness().is_bad


def _badness() -> Any:
    """ftfy's heuristic module (``ftfy.badness``). Unless ftfy is imported
    already, its file is run on its own (it imports only ``re`` and
    ``warnings``), under a private name and outside sys.modules: importing
    it as ``ftfy.badness`` runs ftfy's ``__init__`` first, which imports the
    whole of ftfy and wcwidth (some 45 ms) that a text the screen clears
    never needs."""
    import sys

    if "ftfy" not in sys.modules:
        try:
            from importlib.util import module_from_spec, spec_from_file_location

            folder = _folder()
            if folder is not None:
                import os

                spec = spec_from_file_location("_postlint_ftfy_badness", os.path.join(folder, "badness.py"))
                if spec is not None and spec.loader is not None:
                    module = module_from_spec(spec)
                    spec.loader.exec_module(module)
                    return module
        except Exception:  # noqa: BLE001, S110 - any surprise: the usual import below
            pass
    return import_module("ftfy.badness")


def _folder() -> str | None:
    """ftfy's package folder, found without importing ftfy (None unless it
    is one plain folder)."""
    from importlib.util import find_spec

    try:
        package = find_spec("ftfy")
    except (ImportError, ValueError):
        return None
    folders = list(package.submodule_search_locations or []) if package is not None else []
    return folders[0] if len(folders) == 1 else None


def heuristic_files() -> list[str] | None:
    """The files ``badness_screen`` depends on: ftfy's heuristic module, the
    tables it is built from, and the package's ``__init__`` (its version);
    None where ftfy is not one plain folder."""
    import os

    folder = _folder()
    if folder is None:
        return None
    return [os.path.join(folder, name) for name in ("__init__.py", "badness.py", "chardata.py")]


def _item_chars(parser: Any, item: tuple[Any, Any]) -> set[str] | None:
    """The characters one item of a parsed pattern matches, if it is one
    character of a class of literals and ranges."""
    op, value = item
    if op is parser.LITERAL:
        return {chr(value)}
    if op is not parser.IN:
        return None
    out: set[str] = set()
    for kind, arg in value:
        if kind is parser.LITERAL:
            out.add(chr(arg))
        elif kind is parser.RANGE:
            out.update(map(chr, range(arg[0], arg[1] + 1)))
        else:                               # NEGATE, CATEGORY (\w, \s): not a fixed class
            return None
    return out
