"""The package's types are checked and shipped (issue 13, item 6): py.typed is
in the wheel, and every `type: ignore` left names its error code and says why
on its own line (mypy --strict itself runs in .ci/run)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "postlint"
# `# type: ignore[code]  # why`: a code, then a reason.
_IGNORE = re.compile(r"#\s*type:\s*ignore(?P<codes>\[[^\]]*\])?(?P<rest>.*)$")


def test_every_type_ignore_has_a_code_and_a_reason() -> None:
    bare = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            m = _IGNORE.search(line)
            if m is None:
                continue
            reason = m.group("rest").strip().lstrip("#").strip()
            if not m.group("codes") or len(reason) < 10:
                bare.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert bare == []


def test_the_checker_of_this_test_sees_a_bare_ignore() -> None:
    m = _IGNORE.search("x = f()  # type: ignore")
    assert m is not None and m.group("codes") is None
    m = _IGNORE.search("x = f()  # type: ignore[arg-type]  # the stub says str; None is accepted")
    assert m is not None and m.group("codes") == "[arg-type]" and "stub" in m.group("rest")


def test_the_wheel_ships_py_typed(tmp_path: Path) -> None:
    # Built from a copy, so that the build leaves nothing in the checkout;
    # offline: the build backend is the installed setuptools (no isolation).
    source = tmp_path / "src"
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info")
    shutil.copytree(PACKAGE, source / "postlint", ignore=ignore)
    shutil.copytree(ROOT / "schemas", source / "schemas", ignore=ignore)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, source / name)
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation", "--no-index",
         "--wheel-dir", str(tmp_path / "dist"), str(source)],
        check=True, capture_output=True, timeout=300,
    )
    [wheel] = (tmp_path / "dist").glob("postlint-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "postlint/py.typed" in names
    assert "postlint/model/analyses.py" in names
