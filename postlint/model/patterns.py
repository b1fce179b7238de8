"""Regular expressions compiled on first use.

A module-level ``re.compile`` runs when its module is imported, whether or
not the run ever matches it: of the 101 patterns the modules of a one-post
run defined at import, 81 were never used (8 ms of compiling, of a run of
about 110 ms).  ``lazy(source, flags)`` stands for the compiled pattern and
compiles it the first time one of its attributes is asked for; each
attribute is then kept on the object, so that ``P.search`` costs what it
costs on the pattern itself (a little less: the method is bound once).
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
