"""Answers of pure analyses kept between runs, for the rules that ask.

A rule whose costly step is a function of plain data (FM100: the violations of
a front matter, a function of the data and the schema) may look the answer up
here before computing it, and remember it after:

    found = memo.lookup("FM100", key)       # None: not known
    memo.remember("FM100", key, answer)     # answer: JSON data

`key` is JSON data too. What else the answer depends on (the rule's options,
the files it names in `cache_inputs`, the libraries it declares, postlint's
version) is in the run's key, which the engine adds to every key: a schema that
changed is another key. Without a store (no cache, a pool worker, a test) a
lookup finds nothing and remember keeps nothing. The engine installs the
store of a run's cache database while it lints (engine.run.lint_files).
"""

from __future__ import annotations

import json
from typing import Any, Protocol


class Store(Protocol):
    def get(self, namespace: str, key: str) -> Any: ...

    def put(self, namespace: str, key: str, value: Any) -> None: ...


_store: Store | None = None


def install(store: Store | None) -> None:
    global _store
    _store = store


def _text(key: Any) -> str | None:
    """The key as JSON text; None unless it is JSON data exactly (a tuple, a
    non-string mapping key or a date would read back as something else, and
    two different keys could meet)."""
    if not _plain(key, 0):
        return None
    try:
        return json.dumps(key, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    except (TypeError, ValueError, RecursionError):
        return None


def _plain(value: Any, depth: int) -> bool:
    if depth > 100:
        return False
    if value is None or type(value) in (str, int, float, bool):
        return True
    if type(value) is list:
        return all(_plain(v, depth + 1) for v in value)
    if type(value) is dict:
        return all(type(k) is str and _plain(v, depth + 1) for k, v in value.items())
    return False


def lookup(namespace: str, key: Any) -> Any:
    store = _store
    if store is None:
        return None
    text = _text(key)
    return store.get(namespace, text) if text is not None else None


def remember(namespace: str, key: Any, value: Any) -> None:
    store = _store
    if store is None:
        return
    text = _text(key)
    if text is not None:
        store.put(namespace, text, value)
