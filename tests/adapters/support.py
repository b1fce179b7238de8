"""How an adapter test fails: naming the library, its installed version and
the internal that changed, so that the message alone says what to fix."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from importlib.metadata import version
from typing import Any

import pytest

DISTRIBUTIONS = {"yaml": "PyYAML", "re2": "google-re2"}


def installed(library: str) -> str:
    return f"{DISTRIBUTIONS.get(library, library)} {version(DISTRIBUTIONS.get(library, library))}"


def require(ok: object, library: str, internal: str, detail: str = "") -> None:
    if not ok:
        pytest.fail(
            f"{installed(library)}: {internal} is no longer what postlint/adapters/ relies on"
            + (f" ({detail})" if detail else ""),
            pytrace=False,
        )


def require_attribute(owner: Any, name: str, library: str) -> Any:
    where = f"{getattr(owner, '__module__', '')}.{getattr(owner, '__qualname__', type(owner).__qualname__)}.{name}"
    require(hasattr(owner, name), library, where, "missing")
    return getattr(owner, name)


def require_parameters(function: Callable[..., Any], names: list[str], library: str) -> None:
    """`function` accepts these parameters, by these names."""
    try:
        parameters = list(inspect.signature(function).parameters)
    except (TypeError, ValueError):
        parameters = []
    missing = [n for n in names if n not in parameters]
    require(not missing, library, f"{function.__module__}.{function.__qualname__}{inspect.signature(function)}",
            f"no parameter {', '.join(missing)}")
