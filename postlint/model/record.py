"""Plain classes that repr, compare and (when frozen) hash as dataclasses do,
and typing.NamedTuple made at a third of its cost.

Why not @dataclass: a `postlint check` spent 17-25 ms of its ~150 ms start
on the standard library's dataclasses, importing it (it imports inspect, and
that ast, dis, tokenize...: 7-10 ms) and decorating 17 classes (each exec()s
the code it generates: ~0.6 ms a class). A hand-written class costs nothing
at run time: its methods are in the .pyc.

A class's fields are the attributes its body annotates, in order (the order
of its __init__'s parameters): `_fields`, derived. `_uncompared` names those
__eq__ and __hash__ leave out (`field(compare=False)`), `_unshown` those
__repr__ leaves out (`field(repr=False)`). Its __init__ is written out,
plain assignments as a dataclass's generated one makes (the hot ones, a Post
and a FileResult per post, stay as fast); a default made fresh for each
instance, as `field(default_factory=...)` made it, has the default FACTORY:

    class Tally(Record):
        name: str
        seen: list[str]

        def __init__(self, name: str, seen: list[str] = FACTORY) -> None:
            self.name = name
            self.seen = [] if seen is FACTORY else seen

A FrozenRecord refuses to set or delete attributes once made (its __init__
sets them with object.__setattr__) and hashes its compared fields. Instances
keep a plain __dict__: pickle (results and settings cross to the worker
processes) and copy need nothing more, frozen or not.

`NamedTuple` is typing.NamedTuple to the type checker and, at run time, the
same class made without typing's work on the annotations: typing turns each
field's annotation (a string here) into a ForwardRef, compiling it, and
builds the class twice over. The package defines some fifty named tuples,
and every run made them: 11-12 ms of a run's start, now about 4 (what
collections.namedtuple itself costs). Fields, defaults, methods, docstring,
repr, pickling and the errors of a bad definition are typing's; the
annotations stay as written. A class body without `__annotations__` (a
module without `from __future__ import annotations` on Python 3.14, whose
annotations are evaluated lazily) is left to typing.
"""

from __future__ import annotations

from _thread import get_ident
from collections import namedtuple
from collections.abc import Callable
from operator import attrgetter
from typing import TYPE_CHECKING, Any, ClassVar


class _Factory:
    """The default of a parameter whose value is made for each instance."""

    def __repr__(self) -> str:
        return "<factory>"


# Any: it stands in for a default of any type (`seen: list[str] = FACTORY`).
FACTORY: Any = _Factory()


class FrozenInstanceError(AttributeError):
    """An attribute of a FrozenRecord set or deleted (as dataclasses'
    FrozenInstanceError, an AttributeError)."""


def _getter(names: tuple[str, ...]) -> Callable[[Any], tuple[Any, ...]]:
    """A function of an instance giving the tuple of its `names` (always a
    tuple: attrgetter of one name gives the bare value)."""
    if len(names) > 1:
        return attrgetter(*names)
    if names:
        one = attrgetter(names[0])
        return lambda self: (one(self),)
    return lambda self: ()


_in_repr: set[tuple[int, int]] = set()
_CLASS_VAR = ("ClassVar", "typing.ClassVar")


class Record:
    """__repr__ and __eq__ as @dataclass makes them; unhashable, as a
    dataclass with eq and without frozen is."""

    _fields: ClassVar[tuple[str, ...]] = ()
    _uncompared: ClassVar[tuple[str, ...]] = ()
    _unshown: ClassVar[tuple[str, ...]] = ()
    _compare: ClassVar[tuple[str, ...]]
    _repr: ClassVar[tuple[str, ...]]
    _compared: ClassVar[Callable[[Any], tuple[Any, ...]]]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        # (Annotations are strings here: every module has `from __future__
        # import annotations`.)
        own = cls.__dict__.get("__annotations__", {})  # noqa: RUF063 - inspect is the import this module spares
        cls._fields = tuple(name for name, kind in own.items() if not str(kind).startswith(_CLASS_VAR))
        cls._compare = tuple(name for name in cls._fields if name not in cls._uncompared)
        cls._repr = tuple(name for name in cls._fields if name not in cls._unshown)
        cls._compared = staticmethod(_getter(cls._compare))

    def __repr__(self) -> str:
        # As dataclasses' repr: "..." for an instance met again inside its own repr.
        key = (id(self), get_ident())
        if key in _in_repr:
            return "..."
        _in_repr.add(key)
        try:
            shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._repr)
        finally:
            _in_repr.discard(key)
        return f"{self.__class__.__qualname__}({shown})"

    def __eq__(self, other: object) -> bool:
        if other.__class__ is self.__class__:
            compared = self.__class__._compared
            return compared(self) == compared(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # None: unhashable; typeshed wants a method


class FrozenRecord(Record):
    """A Record whose attributes are set once, by __init__; hashable by its
    compared fields."""

    def __setattr__(self, name: str, value: Any) -> None:
        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise FrozenInstanceError(f"cannot delete field {name!r}")

    def __hash__(self) -> int:  # type: ignore[override]  # frozen: hashable, unlike its base
        return hash(self.__class__._compared(self))


# What typing.NamedTuple refuses to let a class body define, and what it
# does not copy from one (as typing's NamedTupleMeta).
_PROHIBITED = frozenset({"__new__", "__init__", "__slots__", "__getnewargs__", "_fields", "_field_defaults",
                         "_make", "_replace", "_asdict", "_source"})
_SPECIAL = frozenset({"__module__", "__name__", "__annotations__"})


class _NamedTupleMeta(type):
    def __new__(cls, typename: str, bases: tuple[type, ...], ns: dict[str, Any]) -> Any:
        if not bases:                       # _NamedTuple itself
            return super().__new__(cls, typename, bases, ns)
        if "__annotations__" not in ns:
            import types
            import typing

            return types.new_class(typename, (typing.NamedTuple,), exec_body=lambda body: body.update(ns))
        if any(base is not _NamedTuple for base in bases):
            raise TypeError("can only inherit from a NamedTuple type and Generic")
        annotations = ns["__annotations__"]
        defaults = []
        for name in annotations:
            if name in ns:
                defaults.append(ns[name])
            elif defaults:
                raise TypeError(f"Non-default namedtuple field {name} cannot follow default field"
                                f"{'s' if len(defaults) > 1 else ''} "
                                f"{', '.join(n for n in annotations if n in ns)}")
        made = namedtuple(typename, list(annotations), defaults=defaults, module=ns["__module__"])  # type: ignore[misc]  # noqa: PYI024
        made.__annotations__ = made.__new__.__annotations__ = dict(annotations)
        for key, value in ns.items():
            if key in _PROHIBITED:
                raise AttributeError("Cannot overwrite NamedTuple attribute " + key)
            if key not in _SPECIAL and key not in made._fields:
                setattr(made, key, value)
        return made


class _NamedTuple(metaclass=_NamedTupleMeta):
    """Subclassed as typing.NamedTuple is (`class Span(NamedTuple): ...`)."""


if TYPE_CHECKING:
    from typing import NamedTuple as NamedTuple
else:
    NamedTuple = _NamedTuple
