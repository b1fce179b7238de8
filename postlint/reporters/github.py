"""GitHub Actions workflow commands: one annotation per finding.

GitHub shows a limited number of annotations of each kind per step; the most
severe findings are annotated first, every finding is still printed as a plain
line, and a last notice says how many were not annotated.
"""

from __future__ import annotations

from postlint.model.escape import visible
from postlint.reporters import Report, statistics_lines

# Annotations GitHub displays per step and kind: 10 errors and 10 warnings (the
# limit documented in actions/toolkit's problem-matchers.md, which notices share),
# and 50 per job; 3 kinds x 10 stays under the job's 50.
PER_STEP = 10
# By a finding's severity (None, not yet decided, never reaches a reporter).
_COMMAND: dict[str | None, str] = {"error": "error", "warning": "warning", "info": "notice"}
_RANK: dict[str | None, int] = {"error": 0, "warning": 1, "info": 2}


def escape_data(value: str) -> str:
    """The toolkit's escaping of a workflow command's message (%, CR, LF)."""
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


def plain_line(text: str) -> str:
    """A line of the log that is not a workflow command, and cannot become
    one: visible control characters, and never a leading "::"."""
    text = visible(text)
    return "./" + text if text.startswith("::") else text


def render(report: Report) -> str:
    ranked = sorted(report.diagnostics, key=lambda d: _RANK.get(d.severity, 0))
    used = {"error": 0, "warning": 0, "notice": 0}
    lines: list[str] = []
    skipped = 0
    for d in ranked:
        command = _COMMAND.get(d.severity, "error")
        # Keep one notice for the closing count.
        limit = PER_STEP - 1 if command == "notice" else PER_STEP
        if used[command] >= limit:
            skipped += 1
            continue
        used[command] += 1
        # Text from outside (a file name, a server's reply quoted in a message)
        # is first made visible (`\r`, `\x1b`): a CR or LF must not end the
        # command and start a forged one, nor ESC reach the log raw.
        props = [f"file={escape_property(visible(d.path))}", f"line={d.line}", f"endLine={d.end_line}"]
        if d.end_line == d.line:
            props[2:2] = [f"col={d.column}"]
            props.append(f"endColumn={d.end_column}")
        props.append(f"title={escape_property(visible(d.code))}")
        lines.append(f"::{command} {','.join(props)}::{escape_data(visible(d.code + ' ' + d.message))}")
    if report.statistics:
        # The annotations stay (they are the point of this format); the log
        # shows the counts instead of one line per finding.
        lines.extend(plain_line(line) for line in statistics_lines(report))
    else:
        lines.extend(plain_line(f"{d.path}:{d.line}:{d.column}: {d.code} {d.message}") for d in report.diagnostics)
    if skipped:
        lines.append(
            f"::notice title=postlint::{skipped} more finding{'s' if skipped != 1 else ''} "
            f"not annotated (GitHub shows {PER_STEP} of each kind per step); see the log or the SARIF report"
        )
    return "\n".join(lines) + ("\n" if lines else "")
