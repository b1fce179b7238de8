"""How deep a parsed value nests, measured without recursion.

Front matter (YAML, TOML), configuration and schemas are all bounded in depth
before anything recursive (jsonschema, the reporters) walks them.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

PathItem = str | int


def too_deep(data: Any, limit: int) -> tuple[PathItem, ...] | None:
    """The path to the first value nested deeper than `limit`, or None.
    Iterative: any depth is measured without recursion."""
    stack: list[tuple[Any, tuple[PathItem, ...]]] = [(data, ())]
    seen: set[int] = set()
    while stack:
        node, path = stack.pop()
        if isinstance(node, dict):
            items: Iterable[tuple[PathItem, Any]] = node.items()
        elif isinstance(node, list):
            items = enumerate(node)
        else:
            continue
        if len(path) >= limit:
            return path
        if id(node) in seen:  # shared (a YAML alias): measured once
            continue
        seen.add(id(node))
        for key, value in items:
            if isinstance(value, (dict, list)):
                stack.append((value, path + (key if isinstance(key, (str, int)) else str(key),)))
    return None
