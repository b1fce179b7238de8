"""Code frames of the text reporter: a window of a long line around the
finding, `…` where it is cut, the caret under the flagged characters with
tabs, wide and combining characters and escapes accounted for."""

from __future__ import annotations

import unicodedata
from pathlib import Path

from postlint.model.diagnostic import Diagnostic
from postlint.model.lines import LineIndex
from postlint.reporters import text
from tests.conftest import run_cli, write_site


def _cells(char: str) -> int:
    if unicodedata.combining(char):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def _finding(source: str, line: int, column: int, end_column: int) -> Diagnostic:
    lines = LineIndex(source)
    return Diagnostic("a.md", line, column, line, end_column, "HT003", "error", "m", None,
                      lines.excerpt(line, column, line, end_column))


def _frames(out: str) -> list[tuple[str, int, int]]:
    """(shown line, caret offset, caret width) of each frame of a text report."""
    rows = out.splitlines()
    found = []
    for i, row in enumerate(rows):
        if row.lstrip().startswith("|") and "^" in row and i > 0:
            gutter = rows[i - 1].index(" | ") + 3
            shown = rows[i - 1][gutter:]
            caret = row[gutter:]
            offset = len(caret) - len(caret.lstrip(" "))
            found.append((shown, offset, len(caret.strip())))
    return found


def test_findings_far_along_a_long_line_each_get_their_own_window(tmp_path: Path) -> None:
    # The case: stray end tags at columns 474, 548 and 619 of one line.
    columns = (474, 548, 619)
    line, pos = "", 1
    for n, column in enumerate(columns):
        line += chr(ord("a") + n) * (column - pos) + "</div>"
        pos = column + 6
    line += "z" * 300
    write_site(tmp_path, {"_posts/2019-05-13-a.md": "---\nlayout: post\ntitle: a\n---\n<p>x</p>\n" + line + "\n"})
    result = run_cli(["check", "--select", "HT003", "--no-cache", "."], cwd=tmp_path)
    heads = [row for row in result.out.splitlines() if "HT003" in row]
    assert [int(h.split(":")[2]) for h in heads] == list(columns)
    frames = _frames(result.out)
    assert len(frames) == 3 and len({f[0] for f in frames}) == 3
    for (shown, offset, width), column in zip(frames, columns):
        # ASCII only: one cell per character.
        assert shown[offset : offset + width] == "</div>"
        assert shown.startswith("…") and shown.endswith("…")
        assert len(shown) <= text.FRAME_WIDTH + 2
        # What the window shows is the line around the column, unchanged.
        inner = shown[1:-1]
        start = line.index(inner)
        assert start + (offset - 1) == column - 1


def test_a_short_line_is_shown_whole() -> None:
    source = "<p>kort</div> stuk</p>"
    shown, offset, width = text.frame(_finding(source, 1, 8, 14))
    assert shown == source and (offset, width) == (7, 6)


def test_start_and_end_of_a_long_line_are_cut_on_one_side_only() -> None:
    line = "".join(f"<{i:05d}>" for i in range(400))
    first = text.frame(_finding(line, 1, 1, 8))
    assert not first[0].startswith("…") and first[0].endswith("…") and first[1] == 0
    last_col = len(line) - 6
    last = text.frame(_finding(line, 1, last_col, len(line) + 1))
    assert last[0].startswith("…") and not last[0].endswith("…")
    assert last[0][last[1] : last[1] + last[2]] == line[last_col - 1 :]


def _under_caret(shown: str, offset: int) -> str:
    """The character of `shown` that starts at terminal cell `offset`."""
    cell = 0
    for char in shown:
        if cell == offset and _cells(char):
            return char
        cell += _cells(char)
    return ""


def test_caret_under_the_character_with_tabs_wide_and_combining_characters() -> None:
    source = "a\tb 日本語 e\u0301x"
    # (column flagged, expected offset in cells, expected width)
    cases = {
        1: (0, 1),  # a
        2: (1, 4),  # the tab, shown as four spaces
        3: (5, 1),  # b, after a tab of four cells
        5: (7, 2),  # 日, two cells
        7: (11, 2),  # 語
        9: (14, 1),  # e
        10: (14, 1),  # the combining acute: under the e it sits on
        11: (15, 1),  # x: the combining mark took no cell
        12: (16, 1),  # just past the end of the line
    }
    for column, expected in cases.items():
        shown, offset, width = text.frame(_finding(source, 1, column, column + 1))
        assert shown == "a    b 日本語 e\u0301x"
        assert (offset, width) == expected, column


def test_wide_characters_on_a_long_line() -> None:
    line = "".join(chr(0x4E00 + i) for i in range(600))  # 600 CJK ideographs, 1200 cells
    for column in (1, 250, 599):
        shown, offset, width = text.frame(_finding(line, 1, column, column + 1))
        assert width == 2
        assert _under_caret(shown, offset) == line[column - 1]
        assert sum(_cells(c) for c in shown) <= text.FRAME_WIDTH + 2


def test_escaped_control_characters_move_the_caret() -> None:
    source = "a\x1b[31mb"
    shown, offset, width = text.frame(_finding(source, 1, 7, 8))
    assert "\x1b" not in shown and shown.startswith("a\\x1b")
    assert shown[offset : offset + width] == "b"
    shown, offset, width = text.frame(_finding(source, 1, 2, 3))
    assert shown[offset : offset + width] == "\\x1b"


def test_multi_line_finding_is_marked_to_the_end_of_its_first_line() -> None:
    source = "<p>een\ntwee</p>"
    lines = LineIndex(source)
    d = Diagnostic("a.md", 1, 4, 2, 5, "HT002", "error", "m", None, lines.excerpt(1, 4, 2, 5))
    assert text.frame(d) == ("<p>een", 3, 3)


def test_a_finding_keeps_only_a_bounded_window_of_its_line() -> None:
    # A finding on a 1 MB line carries a few hundred characters of it, not the line.
    line = "x" * 1_000_000
    d = _finding(line, 1, 500_000, 500_006)
    assert len(d.source_line) <= 2 * 80 + 160
    assert d.source_line.line_length == 1_000_000
    shown, _offset, width = text.frame(d)
    assert shown.startswith("…") and shown.endswith("…") and width == 6


def test_the_window_survives_the_result_cache(tmp_path: Path) -> None:
    # A finding read back from .postlint_cache keeps its window and its place.
    line = "a" * 500 + "</div>" + "b" * 300
    write_site(tmp_path, {"_posts/2019-05-13-a.md": "---\nlayout: post\ntitle: a\n---\n<p>x</p>\n" + line + "\n"})
    first = run_cli(["check", "--select", "HT003", "."], cwd=tmp_path).out
    again = run_cli(["check", "--select", "HT003", "."], cwd=tmp_path).out
    assert first == again
    [(shown, offset, width)] = _frames(again)
    assert shown[offset : offset + width] == "</div>" and shown.startswith("…")


def test_the_plain_line_shortcut_is_the_general_path() -> None:
    # frame() shows a printable line below U+0300 as is, one cell a
    # character: what the general path gives each such character.
    from postlint.reporters import text as text_reporter

    for code in range(0x300):
        char = chr(code)
        if char.isprintable():
            assert text_reporter._visible_pieces(char, "    ") == [char]
            assert text_reporter._width(char) == 1, hex(code)
