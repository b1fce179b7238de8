"""Front matter of one line per key, read without PyYAML's parser.

Most posts' front matter is a flat mapping written one key a line::

    layout: news_post
    title: "Ruby 2.6.3 Released"
    author: 'nagachika'
    translator:
    date: 2019-04-17 00:00:00 +0000

``load`` gives, for such text only, what the post's builder makes of the
nodes ``yaml.compose`` gives with libyaml (the data, each key's and value's
span, the style and value of each string), at a fifth of the cost; for any
other text it returns None and PyYAML composes it. What it takes, line by
line and nothing else:

* a key of at most 1,000 ASCII letters, digits, "_" and "-" (not starting
  with a digit or "-") that resolves to a string, a ":", then the end of the
  line or spaces and one value;
* a value: double-quoted without a backslash, single-quoted without a quote,
  or plain, starting with none of YAML's indicators and holding no ": ", no
  " #", no tab, and not ending in ":" or a space; a plain value whose tag is
  not str, int, float, bool, null or timestamp (``=``, ``<<``) is PyYAML's;
* only printable characters and "\\n" as line breaks (no CR, NEL, LS, PS or
  BOM), no key twice, fewer than 10,000 lines, and a line break at the end.

The tags come from the loader's own resolver. tests/test_flat_yaml.py reads
generated front matter and every corpus post both ways and compares them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from postlint.model.patterns import lazy
from postlint.model.span import KeyPath, Span

# A line as this module takes it: the key, the spaces before the value, and
# the value double-quoted, single-quoted or plain. (A key runs at most 1,024
# characters before its ":" in YAML, libyaml's simple-key limit: longer is a
# syntax error there, PyYAML's to report.)
_LINE = lazy(
    r"([A-Za-z_][A-Za-z0-9_-]{0,999}):(?:( +)(?:\"([^\"\\\n]*)\"|'([^'\n]*)'|([^\s\"'\-?:,\[\]{}#&*!|>%@`][^\n]*)))?\n"
)
# A tab, and what libyaml reads as no printable character or as a line break
# but "\n" (a reader error, or a line the marks would count apart): the
# complement of "\n", " "-"~", U+00A0-U+D7FF, U+E000-U+FFFD and the planes
# above, less NEL, LS, PS and the BOM. (The complement's class compiles in
# microseconds; the class of what is allowed took 5 ms at import.)
_NOT_FLAT = lazy("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]")
# The same class's ASCII characters, for an ASCII text: re compiles a class
# with a character beyond Latin-1 ten times slower (0.3-0.5 ms, in every run).
_NOT_FLAT_ASCII = lazy("[\x00-\x09\x0b-\x1f\x7f]")
# Front matter of more lines is PyYAML's (post.MAX_NODES bounds the values
# the builder makes; real front matter has tens of lines).
_MOST_LINES = 10_000
_STR = "tag:yaml.org,2002:str"
_PLAIN_VALUE_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "timestamp")
)


def _resolver() -> Any:
    from postlint.adapters.yaml import safe_loader

    return safe_loader()("").resolve


_resolve: Any = None


def load(
    content: str, base: int, value_of: Callable[[str, str], Any],
) -> tuple[dict[str, Any], dict[KeyPath, tuple[Any, Any]], dict[KeyPath, tuple[str | None, str]]] | None:
    """(data, key and value spans by key path, (style, value) of each string
    value by key path) of one-key-a-line front matter at offset `base`, as
    the post's builder makes them of libyaml's nodes; None for any other
    text (see above). `value_of(tag, text)`: a plain scalar's value."""
    global _resolve
    if not content or content[-1] != "\n" or (
            _NOT_FLAT_ASCII if content.isascii() else _NOT_FLAT).search(content) is not None:
        return None
    if content.count("\n") >= _MOST_LINES:
        return None                         # (the builder's limit on values is PyYAML's path to report)
    resolve = _resolve
    if resolve is None:
        resolve = _resolve = _resolver()
    from yaml import ScalarNode

    plain_implicit = (True, False)
    data: dict[str, Any] = {}
    spans: dict[KeyPath, tuple[Any, Any]] = {}
    scalars: dict[KeyPath, tuple[str | None, str]] = {}
    pos = 0
    end = len(content)
    match = _LINE.match
    new = tuple.__new__
    while pos < end:
        m = match(content, pos)
        if m is None:
            return None
        key = m.group(1)
        if key in data or resolve(ScalarNode, key, plain_implicit) != _STR:
            return None
        colon = m.end(1)
        path = (key,)
        if m.group(2) is None:              # "key:" and the line's end: null
            value: Any = None
            at = base + colon + 1
            value_span = new(Span, (at, at))
        else:
            plain = m.group(5)
            if plain is not None:
                if ": " in plain or " #" in plain or plain[-1] in ": ":
                    return None
                tag = resolve(ScalarNode, plain, plain_implicit)
                if tag not in _PLAIN_VALUE_TAGS:
                    return None
                value = plain if tag == _STR else value_of(tag, plain)
                if value.__class__ is str:
                    scalars[path] = ("", value)
            else:
                value = m.group(3)
                if value is None:
                    value = m.group(4)
                    scalars[path] = ("'", value)
                else:
                    scalars[path] = ('"', value)
            value_span = new(Span, (base + m.end(2), base + m.end() - 1))
        data[key] = value
        spans[path] = (new(Span, (base + pos, base + colon)), value_span)
        pos = m.end()
    return data, spans, scalars
