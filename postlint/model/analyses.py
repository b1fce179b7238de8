"""What several rules compute of one post, computed once: typed storage.

A rule family that shares an analysis (the Markdown parse, the HTML findings,
the dates of the front matter, the URLs of a post) names it with a `Slot`,
whose type parameter is the analysis's type, and asks the post's `Analyses`
for it: the first asker computes it, the others get the same value.

An analysis that depends on a rule's options is stored under a key made of
those options, frozen (tuples, not lists or dicts), so that two option sets
never share a value and a key cannot change after it is stored::

    DATES: Slot[list[DateValue]] = Slot("dates")

    def dates(post: Post, options: dict[str, Any]) -> list[DateValue]:
        key = (tuple(options.get("keys", ())), ...)
        return post.analyses.get(DATES, lambda: _dates(post, options), key)

The model knows no analysis: the slots and their types live with the code
that computes them (postlint.analysis, the rule families).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Generic, TypeVar, cast

T = TypeVar("T")


class Slot(Generic[T]):
    """The name of one shared analysis and, through `T`, the type of its value.
    Slots compare by identity: two modules cannot collide on a name."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return f"Slot({self.name!r})"


class Analyses:
    """The analyses of one post computed so far, by slot and frozen key."""

    __slots__ = ("_values",)

    def __init__(self) -> None:
        # (slot, key) -> value; the value's type is the slot's T, which only
        # get() and put() see (a dict cannot type each entry on its own).
        self._values: dict[tuple[Slot[object], Hashable], object] = {}

    def get(self, slot: Slot[T], compute: Callable[[], T], key: Hashable = None) -> T:
        """The value of `slot` under `key`, from `compute()` the first time
        (a value of None is kept too: it is computed once)."""
        entry = (cast("Slot[object]", slot), key)
        values = self._values
        if entry in values:
            return cast("T", values[entry])
        value = compute()
        values[entry] = value
        return value
