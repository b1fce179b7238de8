"""Every output escapes outside text with the same function."""

from __future__ import annotations

import pytest

from postlint.model.escape import visible
from postlint.reporters.text import _visible


@pytest.mark.parametrize(("raw", "shown"), [
    ("a\x1b[31mb", "a\\x1b[31mb"),
    ("x\ry", "x\\ry"),
    ("x\ny", "x\\ny"),
    ("caf\udce9", "caf\\xe9"),          # a file-name byte that was not UTF-8
    ("a\u2028b\u202ec", "a\\u2028b\\u202ec"),
    ("\x85", "\\x85"),
    ("plain ëß 漢", "plain ëß 漢"),
])
def test_terminal_and_workflow_outputs_escape_alike(raw: str, shown: str) -> None:
    assert visible(raw) == shown
    assert _visible(raw)[0] == shown
