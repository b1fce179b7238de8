"""Site facts travel packed (rules.jekyll.refs): unpacked one by one or all
at once, a fact comes back as it was."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.tuples(inner, inner)
    | st.dictionaries(st.text(max_size=5), inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(_JSON)
def test_pack_is_compact_json_dumps(value: Any) -> None:
    # The encoder made once (refs._iterencode) writes what json.dumps does.
    expected = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    assert refs.pack(value) == expected
    assert refs.unpack(refs.pack(value)) == json.loads(expected)


def test_pack_refuses_what_json_refuses() -> None:
    for bad in ([float("nan")], {"x": float("inf")}, {1j: 1}, object()):
        with pytest.raises((ValueError, TypeError)):
            refs.pack(bad)


def test_pack_without_the_accelerator_is_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    refs._iterencode.cache_clear()
    monkeypatch.setattr(json.encoder, "c_make_encoder", None)
    try:
        assert [refs.pack(fact) for fact in FACTS] == [
            json.dumps(fact, ensure_ascii=False, separators=(",", ":")) for fact in FACTS
        ]
        assert refs._iterencode().__module__ == refs.__name__  # the plain way
    finally:
        refs._iterencode.cache_clear()               # (the accelerator again for the tests after)


def test_jk002_and_jk006_decode_the_same_facts_once_a_run(monkeypatch: pytest.MonkeyPatch) -> None:
    from types import SimpleNamespace

    from postlint.rules.jekyll import duplicate_url

    decoded: list[int] = []
    real = refs.unpack_all

    def counting(facts: dict[str, Any]) -> dict[str, Any]:
        decoded.append(len(facts))
        return real(facts)

    monkeypatch.setattr(refs, "unpack_all", counting)
    packed = {f"p{i}.md": refs.pack(fact) for i, fact in enumerate(FACTS)}
    context = SimpleNamespace(shared={})
    first = duplicate_url.unpacked(packed, context)
    assert duplicate_url.unpacked(dict(packed), context) is first   # the same strings: no decode
    assert first == real(packed) and decoded == [len(FACTS)]
    changed = {**packed, "p0.md": refs.pack(["other"])}             # one string another: decoded again
    assert duplicate_url.unpacked(changed, context) == real(changed) and len(decoded) == 2
    assert duplicate_url.unpacked(packed, SimpleNamespace(shared={})) == first and len(decoded) == 3
