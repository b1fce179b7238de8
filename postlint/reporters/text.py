"""`path:line:col: severity CODE message`, the source line and a caret under the column."""

from __future__ import annotations

from postlint.reporters import Report, fixable, statistics_lines, summary_line

_RESET = "\x1b[0m"
_STYLE = {"path": "\x1b[1m", "error": "\x1b[31m", "warning": "\x1b[33m", "info": "\x1b[36m", "dim": "\x1b[2m", "caret": "\x1b[31;1m"}


def _paint(report: Report, style: str, text: str) -> str:
    return f"{_STYLE[style]}{text}{_RESET}" if report.color else text


def _head(report: Report, d) -> str:  # type: ignore[no-untyped-def]
    # `path:line:col: severity CODE [*] message`: the severity as a word, so
    # that it shows without colour and a problem matcher can read it.
    mark = " [*]" if fixable(d, report.unsafe_fixes) else ""
    style = d.severity if d.severity in _STYLE else "error"
    return (
        f"{_paint(report, 'path', _visible(d.path)[0])}:{d.line}:{d.column}: "
        f"{_paint(report, style, d.severity or 'error')} {_paint(report, style, d.code)}{mark} {_visible(d.message)[0]}"
    )


def _visible(text: str) -> tuple[str, list[int]]:
    """Text safe to print on a terminal, and each character's display width.

    Control and format characters from a post (escape sequences, bidi
    overrides, zero-width characters, lone CRs) are shown escaped, never sent
    to the terminal; wide characters (CJK, emoji) count two columns and
    combining marks none, so the caret lands under the right character.
    """
    import unicodedata

    parts: list[str] = []
    widths: list[int] = []
    for char in text:
        if char == "\t":
            shown = " "
        else:
            category = unicodedata.category(char)
            if category in ("Cc", "Cf", "Zl", "Zp", "Cs"):
                code = ord(char)
                shown = f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"
            else:
                shown = char
        parts.append(shown)
        widths.append(sum(_width(c) for c in shown))
    return "".join(parts), widths


def _width(char: str) -> int:
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
        if d.source_line:
            source = d.source_line[:400]
            shown, widths = _visible(source)
            start = min(d.column - 1, len(widths))
            stop = d.end_column - 1 if d.end_line == d.line else len(widths)
            stop = max(start + 1, min(stop, len(widths)))
            offset = sum(widths[:start])
            width = max(1, sum(widths[start:stop]))
            gutter = str(d.line)
            pad = " " * len(gutter)
            out.append(_paint(report, "dim", f"{gutter} | ") + shown)
            out.append(_paint(report, "dim", f"{pad} | ") + " " * offset + _paint(report, "caret", "^" * width))
        out.append("")
    out.extend(_summary(report))
    return "\n".join(out) + "\n"


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
    elif not report.fixed:
        lines.append(summary_line(report))
    return lines
