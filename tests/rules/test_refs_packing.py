"""Site facts travel packed (rules.jekyll.refs): unpacked one by one or all
at once, a fact comes back as it was."""

from __future__ import annotations

from typing import Any

from postlint.rules.jekyll import refs

FACTS: list[Any] = [
    ["/site", "_posts/a.md", "/2019/05/13/a.html", [], [["link", "/x", "/x", True, [1, 2, 1, 4, "t"]]]],
    ["/site", "caf\u00e9 \"quoted\" \\ \u2028", None, ["/old"], []],
    [None, "b.md", "/b/", [], []],
    "a plain string",
    {"key": [1, 2.5, None, True]},
    [],
]


def test_unpack_all_is_unpack_of_each() -> None:
    packed: dict[str, Any] = {f"p{i}.md": refs.pack(fact) for i, fact in enumerate(FACTS)}
    packed["none.md"] = None
    packed["already.md"] = ["unpacked", 1]
    expected = {path: refs.unpack(fact) for path, fact in packed.items() if fact is not None}
    assert refs.unpack_all(packed) == expected
    assert list(refs.unpack_all(packed)) == list(expected)  # in the same order
    assert refs.unpack_all({"one.md": refs.pack(FACTS[0]), "none.md": None}) == {"one.md": FACTS[0]}
    assert refs.unpack_all({}) == {}
