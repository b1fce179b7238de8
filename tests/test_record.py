"""postlint.model.record: plain classes that compare, hash and print as the
dataclasses they replaced did."""

from __future__ import annotations

import copy
import pickle
from pathlib import Path
from typing import Any

import pytest

from postlint.model.record import FACTORY, FrozenInstanceError, FrozenRecord, Record
from postlint.model.site import Site


class _Tally(Record):
    _uncompared = ("note",)

    name: str
    seen: list[str]
    note: Any

    def __init__(self, name: str, seen: list[str] = FACTORY, note: Any = None) -> None:
        self.name = name
        self.seen = [] if seen is FACTORY else seen
        self.note = note


class _Point(FrozenRecord):
    x: int
    y: int

    def __init__(self, x: int, y: int = 0) -> None:
        object.__setattr__(self, "x", x)
        object.__setattr__(self, "y", y)


def test_a_record_compares_its_compared_fields_and_is_unhashable() -> None:
    # The fields are the annotated attributes, in order.
    assert (_Tally._fields, _Tally._compare, _Point._fields) == (("name", "seen", "note"), ("name", "seen"), ("x", "y"))
    a, b = _Tally("a"), _Tally("a", note="other")
    assert a == b and a.seen is not b.seen            # a fresh default each
    assert a != _Tally("b") and a != ("a", [])
    assert repr(a) == "_Tally(name='a', seen=[], note=None)"
    with pytest.raises(TypeError):
        hash(a)
    a.seen.append(a)  # type: ignore[arg-type]  # a cycle: repr says "..." for it
    assert repr(a) == "_Tally(name='a', seen=[...], note=None)"


def test_a_frozen_record_refuses_changes_and_hashes() -> None:
    p = _Point(1, 2)
    with pytest.raises(FrozenInstanceError):
        p.x = 3  # type: ignore[misc]  # the point of the test
    with pytest.raises(AttributeError):
        del p.y
    assert p == _Point(1, 2) and hash(p) == hash(_Point(1, 2)) and p != _Point(2, 1)
    assert {p, _Point(1, 2)} == {p}


def test_records_survive_pickle_and_copy() -> None:
    site = Site(root=Path("/site"), exclude=("a",), problems=("ignored by ==",))
    for value in (site, _Point(3), _Tally("x", ["y"])):
        assert pickle.loads(pickle.dumps(value)) == value  # noqa: S301 - our own bytes, as the pool sends them
        assert copy.deepcopy(value) == value
    assert site == Site(root=Path("/site"), exclude=("a",))     # problems: not compared
    assert hash(site) == hash(Site(root=Path("/site"), exclude=("a",)))


# -- NamedTuple: typing.NamedTuple's behaviour, made faster --------------------

_BODY = '''
from __future__ import annotations

class Where(Base):
    """Where a finding is."""

    line: int
    column: int
    note: list[str] = []
    kind: str = "x"

    def cells(self) -> int:
        return self.line * self.column

    @property
    def first(self) -> bool:
        return self.line == 1

    @classmethod
    def origin(cls) -> Where:
        return cls(1, 1)
'''


def _define(base: Any, body: str = _BODY, name: str = "Where") -> Any:
    import typing

    space: dict[str, Any] = {"Base": base, "__name__": "tests.test_record"}
    exec(compile(body, "<named tuple>", "exec"), space)  # noqa: S102 - a class body, both ways
    return typing.cast(Any, space[name])


def test_named_tuple_behaves_as_typings() -> None:
    import typing

    from postlint.model.record import NamedTuple

    ours, theirs = _define(NamedTuple), _define(typing.NamedTuple)
    assert ours is not theirs and ours.__mro__[1:] == theirs.__mro__[1:] == (tuple, object)
    for attribute in ("_fields", "_field_defaults", "__match_args__", "__doc__", "__qualname__", "__module__"):
        assert getattr(ours, attribute) == getattr(theirs, attribute), attribute
    assert list(ours.__annotations__) == list(theirs.__annotations__) == ["line", "column", "note", "kind"]
    for cls in (ours, theirs):
        w = cls(3, 4)
        assert repr(w) == "Where(line=3, column=4, note=[], kind='x')"
        assert (w, w.cells(), w.first, w.note, w.kind) == ((3, 4, [], "x"), 12, False, [], "x")
        assert cls.origin() == (1, 1, [], "x") and cls.origin().first
        assert w._replace(kind="y") == (3, 4, [], "y") and cls._make([1, 2, [], "z"]).kind == "z"
        assert w._asdict() == {"line": 3, "column": 4, "note": [], "kind": "x"}
        assert cls(line=1, column=2) == (1, 2, [], "x") and hash(cls(1, 2, (), "")) == hash((1, 2, (), ""))
        with pytest.raises(TypeError):
            cls(1)
        with pytest.raises(AttributeError):
            w.line = 5  # type: ignore[misc]


def test_named_tuple_refuses_what_typings_refuses() -> None:
    import typing

    from postlint.model.record import NamedTuple

    late_default = "class Where(Base):\n    line: int = 1\n    column: int\n"
    overwritten = "class Where(Base):\n    line: int\n    def _replace(self): ...\n"
    for base in (NamedTuple, typing.NamedTuple):
        with pytest.raises(TypeError):
            _define(base, late_default)
        with pytest.raises(AttributeError):
            _define(base, overwritten)


def test_the_packages_named_tuples_pickle_and_are_plain_tuples() -> None:
    from postlint.analysis.body.headings import Heading
    from postlint.model.span import Span

    for value in (Span(1, 2), Heading(2, 0, 10, "Kop")):
        assert type(value).__bases__ == (tuple,)
        back = pickle.loads(pickle.dumps(value))  # noqa: S301 - our own bytes
        assert back == value and type(back) is type(value)
    assert Heading._fields == tuple(Heading.__annotations__)
