"""pyproject.toml's bounds on the libraries whose internals postlint uses,
and .ci/lowest_constraints.py, which pins CI's second run to the lower ones."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType

import pytest

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

REPO = Path(__file__).resolve().parent.parent.parent
# Each adapter's libraries, by distribution name.
ADAPTED = {"html5lib", "jsonschema", "referencing", "PyYAML", "ftfy", "requests", "urllib3"}


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("lowest_constraints", REPO / ".ci" / "lowest_constraints.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _dependencies() -> list[str]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return list(project["dependencies"])


def test_every_adapted_library_has_both_bounds() -> None:
    found = {}
    for requirement in _dependencies():
        match = re.match(r"[A-Za-z0-9._-]+", requirement)
        assert match is not None
        found[match.group()] = requirement
    assert set(found) >= ADAPTED
    for name in ADAPTED:
        assert re.search(r">=\s*[0-9]", found[name]) and re.search(r"<\s*[0-9]", found[name]), found[name]


def test_the_constraints_pin_each_lower_bound() -> None:
    lowest = _script().lowest
    assert lowest("html5lib>=1.1,<1.2") == "html5lib==1.1"
    assert lowest("requests >= 2.32.3, < 3") == "requests==2.32.3"
    assert lowest("tomli>=2.0; python_version < '3.11'") == "tomli==2.0 ; python_version < '3.11'"
    pinned = [lowest(r) for r in _dependencies()]
    assert len(pinned) == len(_dependencies()) and all("==" in p for p in pinned)


@pytest.mark.parametrize("requirement", ["html5lib", "html5lib<1.2", "html5lib>=1.0,>=1.1"])
def test_a_dependency_without_one_lower_bound_is_refused(requirement: str) -> None:
    with pytest.raises(SystemExit):
        _script().lowest(requirement)


def test_the_check_tells_an_environment_at_the_pins_from_one_that_is_not(tmp_path: Path) -> None:
    from importlib.metadata import version

    check = _script().check
    pins = tmp_path / "constraints.txt"
    pins.write_text(f"html5lib=={version('html5lib')}\ntomli==0.1 ; python_version < '3.0'\n", encoding="utf-8")
    assert check(pins) == 0
    pins.write_text(f"html5lib=={version('html5lib')}\njsonschema==4.0.1\n", encoding="utf-8")
    assert check(pins) == 1
