"""`path:line:col: CODE message`, the source line and a caret under the column."""

from __future__ import annotations

from collections import Counter

from postlint.reporters import Report, fixable

_RESET = "\x1b[0m"
_STYLE = {"path": "\x1b[1m", "error": "\x1b[31m", "warning": "\x1b[33m", "info": "\x1b[36m", "dim": "\x1b[2m", "caret": "\x1b[31;1m"}


def _paint(report: Report, style: str, text: str) -> str:
    return f"{_STYLE[style]}{text}{_RESET}" if report.color else text


def _head(report: Report, d) -> str:  # type: ignore[no-untyped-def]
    mark = " [*]" if fixable(d, report.unsafe_fixes) else ""
    return (
        f"{_paint(report, 'path', d.path)}:{d.line}:{d.column}: "
        f"{_paint(report, d.severity if d.severity in _STYLE else 'error', d.code)}{mark} {d.message}"
    )


def render_concise(report: Report) -> str:
    lines = [_head(report, d) for d in report.diagnostics]
    lines.extend(_summary(report))
    return "\n".join(lines) + "\n" if lines else ""


def render(report: Report) -> str:
    out: list[str] = []
    for d in report.diagnostics:
        out.append(_head(report, d))
        if d.source_line:
            source = d.source_line.expandtabs(1)[:400]
            gutter = str(d.line)
            pad = " " * len(gutter)
            width = (d.end_column - d.column) if d.end_line == d.line else len(source) - d.column + 1
            width = max(1, min(width, max(1, len(source) - d.column + 1)))
            out.append(_paint(report, "dim", f"{gutter} | ") + source)
            out.append(_paint(report, "dim", f"{pad} | ") + " " * (d.column - 1) + _paint(report, "caret", "^" * width))
        out.append("")
    out.extend(_summary(report))
    return "\n".join(out) + "\n"


def _summary(report: Report) -> list[str]:
    lines: list[str] = []
    if report.statistics and report.diagnostics:
        counts = Counter(d.code for d in report.diagnostics)
        fixable_counts = Counter(d.code for d in report.diagnostics if fixable(d, report.unsafe_fixes))
        for code, count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
            rule = report.registry.rules.get(code)
            name = rule.name if rule else ""
            star = "[*]" if fixable_counts[code] else "   "
            lines.append(f"{count:>6}  {code:<7} {star} {name}")
    total = len(report.diagnostics)
    if report.fixed:
        lines.append(f"Fixed {report.fixed} finding{'s' if report.fixed != 1 else ''}, {total} remaining.")
    if total:
        n_fix = sum(1 for d in report.diagnostics if fixable(d, report.unsafe_fixes))
        unsafe_only = sum(1 for d in report.diagnostics if d.fix is not None and not fixable(d, report.unsafe_fixes))
        line = f"Found {total} finding{'s' if total != 1 else ''} in {report.files} file{'s' if report.files != 1 else ''}."
        if n_fix and not report.fix_mode:
            line += f"\n[*] {n_fix} fixable with --fix."
        if unsafe_only:
            line += f"\n{unsafe_only} more fixable with --unsafe-fixes."
        lines.append(line)
    elif not report.fixed:
        lines.append(f"All checks passed ({report.files} file{'s' if report.files != 1 else ''}).")
    return lines
