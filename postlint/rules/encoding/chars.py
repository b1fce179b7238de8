"""Whether a text holds one of a set of characters, at memory speed where it can.

A search of a character class reads a text a character at a time (some 3 ns
each: 10 us for a 3 KB post); where it finds nothing, it reads all of it.  A
text of code points up to U+00FF only (ASCII, and the Latin-1 letters of
Dutch, French, German, Portuguese, Spanish prose) encodes to Latin-1 as a
copy, and ``bytes.translate`` deletes the wanted characters at memory speed:
the length tells whether there were any.  ``holds`` answers None for any
other text, whose caller searches as before.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

# CPython stores a text of code points up to U+00FF one byte each (PEP 393),
# beyond that two or four: past this many bytes over its length a text is
# wide, and the codec would refuse it, at the price of an exception (a
# ruby-lang.org post in Japanese: more than the search it would spare).  Only
# a hint: a text it lets through is encoded, and a refusal still answers None.
_ONE_BYTE_OVERHEAD = sys.getsizeof("\xe9") - 1 + 2


@lru_cache(maxsize=32)
def latin1(pattern: re.Pattern[str]) -> bytes:
    """The code points up to U+00FF that ``pattern`` (a class of one
    character, perhaps repeated) matches alone, as bytes."""
    return bytes(c for c in range(256) if pattern.match(chr(c)) is not None)


def holds(text: str, chars: bytes) -> bool | None:
    """Whether ``text`` holds one of ``chars`` (code points up to U+00FF, as
    bytes); None when it has a code point beyond U+00FF."""
    if sys.getsizeof(text) - len(text) > _ONE_BYTE_OVERHEAD:
        return None                         # (a hint only: the codec decides below)
    try:
        raw = text.encode("latin-1")
    except UnicodeEncodeError:
        return None
    return len(raw.translate(None, chars)) != len(raw)


class CharClass:
    """A class of characters (``pattern``, the source of a class of
    ``chars``), searched for by ``found_in`` at memory speed in a one-byte
    text and compiled only for another: EN002's classes of 600 characters
    took 5-7 ms each to compile in every run without a cache, and a site of
    Latin-1 prose never needs them.  Every other attribute (``search``,
    ``findall``, ``fullmatch``...) is the compiled pattern's."""

    def __init__(self, pattern: str, chars: Iterable[str]) -> None:
        self.pattern = pattern
        self.latin1 = bytes(sorted({ord(c) for c in chars if ord(c) < 256}))
        self._compiled: re.Pattern[str] | None = None

    def compiled(self) -> re.Pattern[str]:
        if self._compiled is None:
            self._compiled = re.compile(self.pattern)
        return self._compiled

    def found_in(self, text: str) -> bool:
        """Whether the text holds one of the characters."""
        found = holds(text, self.latin1)
        return self.compiled().search(text) is not None if found is None else found

    def __getattr__(self, name: str) -> Any:
        return getattr(self.compiled(), name)
