"""PyYAML's internals, all in one place.

``postlint.model.post`` composes front matter with PyYAML's documented API
(``yaml.compose``, the node classes, marks, ``MarkedYAMLError``) and builds
plain data from the nodes itself, to keep every key's position.  Two things
it needs are not documented:

* ``yaml.constructor.SafeConstructor``'s ``construct_yaml_bool``,
  ``construct_yaml_int`` and ``construct_yaml_float``: the YAML 1.1 values of
  a resolved scalar node (``yes``, ``0x1F``, ``1_000``, ``0o17``, ``.inf``,
  ``190:20:30``), exactly as ``yaml.safe_load`` makes them;
* ``yaml.reader.ReaderError``'s ``position`` and ``reason``: where the
  character YAML does not allow is, and why (the pure-Python and the libyaml
  loaders both raise it);
* ``yaml.reader.Reader.NON_PRINTABLE``, the class its import compiles (see
  ``import_pyyaml``);
* ``Resolver.resolve(kind, value, implicit)``: the tag of each node, which
  both composers (libyaml's and the pure-Python one) ask the loader for. It
  runs a list of regular expressions per scalar, and depends on nothing but
  its arguments while no path resolvers are added (the safe loader has none),
  so ``safe_loader`` remembers its answers.

tests/adapters/test_yaml.py checks both against the installed PyYAML.
"""

from __future__ import annotations

import sys
from functools import cache
from typing import Any

# yaml.reader's class of the characters YAML does not allow, as PyYAML 5.1
# to 6.0 write it, and the same class as its complement: re compiles the
# first in 5 ms (most of its planes to walk), the second in half a millisecond.
READER_NON_PRINTABLE = "[^\x09\x0A\x0D\x20-\x7E\x85\xA0-\uD7FF\uE000-\uFFFD\U00010000-\U0010ffff]"
NON_PRINTABLE = "[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x84\x86-\x9F\uD800-\uDFFF\uFFFE\uFFFF]"


def import_pyyaml() -> None:
    """Import PyYAML, if nothing has yet, with yaml.reader's NON_PRINTABLE
    compiled from its complement: the same characters, a third of the
    import's time (every `postlint check` imports PyYAML for _config.yml).
    Any other pattern, or another spelling of this one by a later PyYAML,
    compiles as written. (Only yaml.reader's pure-Python Reader searches
    it; libyaml's loaders check characters themselves.)"""
    if "yaml" in sys.modules:
        return
    import re

    compile_ = re.compile

    def compile_substituted(pattern: Any, flags: Any = 0) -> Any:
        if pattern == READER_NON_PRINTABLE and not flags:
            pattern = NON_PRINTABLE
        return compile_(pattern, flags)

    re.compile = compile_substituted
    try:
        import yaml  # noqa: F401
    finally:
        re.compile = compile_


class ScalarConstructor:
    """The values PyYAML's safe loader gives scalar nodes resolved as
    ``bool``, ``int`` and ``float``; each raises ValueError or TypeError on a
    node whose text is not of its kind."""

    __slots__ = ("bool", "float", "int")

    def __init__(self) -> None:
        from yaml.constructor import SafeConstructor

        constructor = SafeConstructor()
        self.bool = constructor.construct_yaml_bool
        self.int = constructor.construct_yaml_int
        self.float = constructor.construct_yaml_float


def reader_error(exc: BaseException) -> tuple[int, str | None]:
    """(the index in the text of the character a ``yaml.reader.ReaderError``
    is about, its reason); (0, None) for an error that carries neither."""
    position = getattr(exc, "position", 0)
    reason = getattr(exc, "reason", None)
    return (position if isinstance(position, int) else 0), (reason if isinstance(reason, str) else None)


# Resolved tags kept at most (per process); short values only.
_RESOLVED_MAX = 8192
_RESOLVED_LEN = 200


@cache
def safe_loader() -> Any:
    """PyYAML's safe loader (libyaml's when PyYAML has it, else the pure-Python
    one), with the answers of ``resolve`` remembered: front matter repeats
    the same keys and values (``layout: post``) in every post."""
    import yaml

    base: Any = getattr(yaml, "CSafeLoader", None) or yaml.SafeLoader
    if base.yaml_path_resolvers:  # resolve would depend on where the node is
        return base
    resolved: dict[tuple[Any, Any, Any], str] = {}
    resolve = base.resolve

    class Loader(base):  # type: ignore[misc]  # a class chosen at run time
        def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
            if value is not None and len(value) > _RESOLVED_LEN:
                return resolve(self, kind, value, implicit)
            key = (kind, value, implicit)
            tag = resolved.get(key)
            if tag is None:
                tag = resolve(self, kind, value, implicit)
                if len(resolved) >= _RESOLVED_MAX:
                    resolved.clear()
                resolved[key] = tag
            return tag

    Loader.__name__ = Loader.__qualname__ = f"Remembering{base.__name__}"
    return Loader
