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


def _visible_char_by_char(text: str) -> tuple[str, list[int]]:
    # The general form: each character escaped or kept, its own width.
    from postlint.reporters.text import _visible_pieces, _width

    parts = _visible_pieces(text, " ")
    return "".join(parts), [sum(_width(c) for c in part) for part in parts]


@pytest.mark.parametrize("block", range(0, 0x3400, 0x100))
def test_the_one_column_shortcut_agrees_with_the_character_by_character_widths(block: int) -> None:
    # Printable text below U+0300 takes a shortcut (one column a character);
    # every other text, and mixes of both, must come out as before: escapes,
    # combining marks (0), wide characters (2).
    for cp in range(block, block + 0x100):
        if 0xD800 <= cp < 0xE000:
            continue
        c = chr(cp)
        for text in (c, f"ab{c}é", c * 3, f"Daniël {c}"):
            assert _visible(text) == _visible_char_by_char(text), hex(cp)
