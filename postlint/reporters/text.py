"""`path:line:col: severity CODE message`, the source line (a window of it
when it is long) and a caret under the flagged characters."""

from __future__ import annotations

from functools import lru_cache

from postlint.model.diagnostic import Diagnostic, excerpt_of
from postlint.model.escape import escape_char, unsafe
from postlint.reporters import Report, fixable, statistics_lines, summary_line

# Terminal cells of a line a code frame shows; a wider line is shown as a
# window around the finding. Tabs are shown as TAB_WIDTH spaces.
FRAME_WIDTH = 100
TAB_WIDTH = 4

_RESET = "\x1b[0m"
_STYLE = {
    "path": "\x1b[1m",
    "error": "\x1b[31m",
    "warning": "\x1b[33m",
    "info": "\x1b[36m",
    "dim": "\x1b[2m",
    "caret": "\x1b[31;1m",
}


def _paint(report: Report, style: str, text: str) -> str:
    return f"{_STYLE[style]}{text}{_RESET}" if report.color else text


def _head(report: Report, d: Diagnostic) -> str:
    # `path:line:col: severity CODE [*] message`: the severity as a word, so
    # that it shows without colour and a problem matcher can read it.
    mark = " [*]" if fixable(d, report.unsafe_fixes) else ""
    style = d.severity if d.severity in _STYLE else "error"
    return (
        f"{_paint(report, 'path', _visible(d.path)[0])}:{d.line}:{d.column}: "
        f"{_paint(report, style, d.severity or 'error')} {_paint(report, style, d.code)}{mark} {_visible(d.message)[0]}"
    )


def _visible(text: str, tab: str = " ") -> tuple[str, list[int]]:
    """Text safe to print on a terminal, and each character's display width.

    Control and format characters from a post (escape sequences, bidi
    overrides, zero-width characters, lone CRs) are shown escaped, never sent
    to the terminal; wide characters (CJK, emoji) count two columns and
    combining marks none, so the caret lands under the right character. A
    byte that was not UTF-8 (a file name decoded with surrogateescape) shows
    as \\xNN.
    """
    if _plain(text):
        return text, [1] * len(text)
    parts = _visible_pieces(text, tab)
    return "".join(parts), [sum(_width(c) for c in part) for part in parts]


def _plain(text: str) -> bool:
    """Whether every character of `text` is shown as is, in one column: most
    messages and lines (nothing to escape, and below U+0300 no character is
    wide or combining)."""
    return text.isprintable() and (text.isascii() or max(text) < "\u0300")


def _visible_pieces(text: str, tab: str) -> list[str]:
    return [tab if char == "\t" else char if char.isprintable() or not unsafe(char) else escape_char(char)
            for char in text]


@lru_cache(maxsize=4096)
def _width(char: str) -> int:
    """Terminal cells of one shown character (remembered: a frame asks of
    every character of its line, and lines repeat few distinct ones)."""
    import unicodedata

    if unicodedata.combining(char):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def render_concise(report: Report) -> str:
    lines = [] if report.statistics else [_head(report, d) for d in report.diagnostics]
    lines.extend(_summary(report))
    return "\n".join(lines) + "\n" if lines else ""


def render(report: Report) -> str:
    if report.statistics:
        return render_concise(report)
    out: list[str] = []
    for d in report.diagnostics:
        out.append(_head(report, d))
        shown = frame(d)
        if shown is not None:
            source, offset, width = shown
            gutter = str(d.line)
            pad = " " * len(gutter)
            out.append(_paint(report, "dim", f"{gutter} | ") + source)
            out.append(_paint(report, "dim", f"{pad} | ") + " " * offset + _paint(report, "caret", "^" * width))
        out.append("")
    out.extend(_summary(report))
    return "\n".join(out) + "\n"


def frame(d: Diagnostic, width: int = FRAME_WIDTH) -> tuple[str, int, int] | None:
    """The code frame of a finding: (the line as shown, the caret's offset
    and width in terminal cells), or None when the line is empty.

    A line wider than `width` cells is shown as a window around the finding,
    with `…` where it is cut; tabs are shown as TAB_WIDTH spaces, wide (East
    Asian) characters take two cells and combining marks none, control
    characters are escaped, so the caret stands under the flagged characters.
    A finding that runs over several lines is marked to the end of its first.
    """
    text, start, length = excerpt_of(d.source_line)
    if not text:
        return None
    if _plain(text):
        pieces: list[str] = list(text)
        widths = [1] * len(text)
    else:
        pieces = _visible_pieces(text, " " * TAB_WIDTH)
        widths = [sum(_width(c) for c in piece) for piece in pieces]
    n = len(text)
    # The flagged characters, as indices into `text` (at least one cell: a
    # finding may sit at the end of the line or span nothing).
    a = max(0, min(d.column - start, n))
    b = d.end_column - start if d.end_line == d.line else n
    b = max(a, min(b, n))
    flagged = sum(widths[a:b])
    whole = start == 1 and length == n
    if whole and sum(widths) <= width:
        lo, hi = 0, n
    else:
        room = max(8, width - 2)  # a cell for each `…`
        left = min(room // 5, 16) if flagged + 1 >= room else (room - flagged) // 2
        lo, used = a, 0
        while lo > 0 and used + widths[lo - 1] <= left:
            lo -= 1
            used += widths[lo]
        hi = a
        while hi < n and used + widths[hi] <= room:
            used += widths[hi]
            hi += 1
        # Room left at the end of the line goes to the left of the finding.
        while lo > 0 and used + widths[lo - 1] <= room:
            lo -= 1
            used += widths[lo]
    cut_left = lo > 0 or start > 1
    cut_right = hi < n or start - 1 + n < length
    line = ("…" if cut_left else "") + "".join(pieces[lo:hi]) + ("…" if cut_right else "")
    offset = (1 if cut_left else 0) + sum(widths[lo:a])
    caret = sum(widths[a : min(b, hi)])
    if caret == 0 and a > lo and a < n and widths[a] == 0:
        offset -= 1  # a combining mark: under the character it combines with
    caret = max(1, caret)
    return line, offset, caret


def _summary(report: Report) -> list[str]:
    lines: list[str] = statistics_lines(report) if report.statistics else []
    total = len(report.diagnostics)
    if report.fixed:
        lines.append(f"Fixed {report.fixed} finding{'s' if report.fixed != 1 else ''}, {total} remaining.")
    if total:
        n_fix = sum(1 for d in report.diagnostics if fixable(d, report.unsafe_fixes))
        unsafe_only = sum(1 for d in report.diagnostics if d.fix is not None and not fixable(d, report.unsafe_fixes))
        line = summary_line(report)
        if n_fix and not report.fix_mode:
            line += f"\n[*] {n_fix} fixable with --fix."
        if unsafe_only:
            line += f"\n{unsafe_only} more fixable with --unsafe-fixes."
        lines.append(line)
        not_shown = sum(d.not_shown for d in report.diagnostics)
        if not_shown:
            lines.append(
                f"{not_shown} more finding{'s' if not_shown != 1 else ''} not shown: at most "
                f"max-findings-per-rule of each rule per file (--max-findings-per-rule 0 shows all)."
            )
    elif not report.fixed:
        lines.append(summary_line(report))
    return lines
