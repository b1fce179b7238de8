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
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def no_cyclic_gc() -> Iterator[None]:
    """The collector off within, and on again after if it was on before."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
