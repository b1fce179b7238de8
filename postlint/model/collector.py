"""The cyclic garbage collector paused around work that only allocates.

A parse that builds a token per block and span, the decoding of thousands of
cached results, the site rules over thousands of posts' facts: each makes
many objects and no reference cycles, and every collection would walk all of
them again (half a parse's time, a fifth of a warm run). Reference counting
still frees everything; cycles left are collected once the collector is back
on. (The html5lib adapter, which imports nothing of postlint, pauses it the
same way around its parse.)
"""

from __future__ import annotations

import gc
from types import TracebackType


class _Paused:
    """The context manager: a class, not @contextmanager (a generator and
    its frame per use: a post enters three, nested)."""

    __slots__ = ("_was",)

    def __enter__(self) -> None:
        self._was = gc.isenabled()
        if self._was:
            gc.disable()

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._was:
            gc.enable()


def no_cyclic_gc() -> _Paused:
    """The collector off within, and on again after if it was on before."""
    return _Paused()
