"""Regular expressions compiled on first use.

A module-level ``re.compile`` runs when its module is imported, whether or
not the run ever matches it: of the 101 patterns the modules of a one-post
run defined at import, 81 were never used (8 ms of compiling, of a run of
about 110 ms).  ``lazy(source, flags)`` stands for the compiled pattern and
compiles it the first time one of its attributes is asked for; each
attribute is then kept on the object, so that ``P.search`` costs what it
costs on the pattern itself (a little less: the method is bound once).

``contains(text, needle)`` is ``needle in text``, first asking each of the
needle's characters alone: CPython finds one character with memchr, some
100 times faster than a string of two or more, which it compares at each
position (3 KB of a feed post's prose: 0.03 us for "]", 3 us for "](").
Most of the texts a screen reads lack the needle, most often one of its
characters.
"""

from __future__ import annotations

import re
from typing import Any, cast


class _Lazy:
    """The pattern ``re.compile(source, flags)``, compiled when first used."""

    def __init__(self, source: str, flags: int) -> None:
        self._source = source
        self._flags = flags

    def __getattr__(self, name: str) -> Any:
        # (Only for attributes not kept yet: re.compile's own cache makes the
        # second and later compiles a dictionary lookup.)
        value = getattr(re.compile(self._source, self._flags), name)
        self.__dict__[name] = value
        return value

    def __repr__(self) -> str:
        return f"lazy({self._source!r}, {self._flags!r})"


def lazy(source: str, flags: int | re.RegexFlag = 0) -> re.Pattern[str]:
    """``re.compile(source, flags)``, compiled on first use."""
    return cast("re.Pattern[str]", _Lazy(source, int(flags)))


def contains(text: str, needle: str) -> bool:
    """``needle in text``, quickly false where one of its characters is absent."""
    for char in needle:
        if char not in text:
            return False
    return needle in text
