#!/usr/bin/env python3
"""The lowest versions pyproject.toml allows for postlint's runtime
dependencies, as a pip constraints file: each `name>=X` (with its other
bounds and its environment marker) becomes `name==X`.

Read from pyproject.toml itself, so the versions CI tests at cannot drift
from the bounds users get. A runtime dependency without a lower bound is an
error: "the lowest version allowed" would be whatever is oldest on the index.

    python3 .ci/lowest_constraints.py [pyproject.toml] > constraints.txt   (Python 3.11+: tomllib)
    ENV/bin/python .ci/lowest_constraints.py --check constraints.txt     (ENV has exactly those)
"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

# name, extras, version specifiers, marker (PEP 508, without URLs).
_REQUIREMENT = re.compile(
    r"^\s*(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*(?P<specs>[^;]*?)\s*(?:;\s*(?P<marker>.+))?$"
)


def lowest(requirement: str) -> str:
    match = _REQUIREMENT.match(requirement)
    if match is None:
        raise SystemExit(f"cannot read the requirement {requirement!r}")
    name, specs, marker = match["name"], match["specs"], match["marker"]
    floors = [v.strip() for op, v in re.findall(r"(>=|==|~=)\s*([^,\s]+)", specs)]
    if len(floors) != 1:
        raise SystemExit(f"{name}: a runtime dependency needs exactly one lower bound (>=, ~= or ==), not {specs!r}")
    return f"{name}=={floors[0]}" + (f" ; {marker.strip()}" if marker else "")


def check(constraints: Path) -> int:
    """Whether the running environment has exactly the pinned versions (those
    whose marker applies); prints what it has. 1 if not."""
    from importlib.metadata import PackageNotFoundError, version

    wrong = 0
    for line in constraints.read_text(encoding="utf-8").splitlines():
        pin, _, marker = line.partition(";")
        name, _, wanted = pin.strip().partition("==")
        if marker.strip():
            from packaging.markers import Marker  # pytest's dependency: in every test environment

            if not Marker(marker.strip()).evaluate():
                continue
        try:
            have = version(name)
        except PackageNotFoundError:
            have = "(not installed)"
        same = [int(p) for p in re.findall(r"\d+", have)] + [0] * 3
        want = [int(p) for p in re.findall(r"\d+", wanted)] + [0] * 3
        ok = same[: max(len(want) - 3, 3)] == want[: max(len(want) - 3, 3)]
        print(f"  {name} {have}" + ("" if ok else f"   NOT the lowest allowed, {wanted}"))
        wrong += not ok
    return 1 if wrong else 0


def main() -> None:
    if sys.argv[1:2] == ["--check"]:
        raise SystemExit(check(Path(sys.argv[2])))
    path = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent / "pyproject.toml")
    project = tomllib.loads(path.read_text(encoding="utf-8"))["project"]
    for requirement in project["dependencies"]:
        print(lowest(requirement))


if __name__ == "__main__":
    main()
