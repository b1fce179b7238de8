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
