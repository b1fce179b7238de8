"""Findings and the fixes they carry: plain data, applied in one place (fix.py)."""

from __future__ import annotations

from typing import Literal, NamedTuple, Optional

Severity = Literal["error", "warning", "info"]
Applicability = Literal["safe", "unsafe"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")


class Edit(NamedTuple):
    """Replace text[start:end] (code-point offsets into the decoded post) by `content`."""

    start: int
    end: int
    content: str


class Fix(NamedTuple):
    edits: tuple[Edit, ...]
    applicability: Applicability = "safe"


class Diagnostic(NamedTuple):
    """One finding. Lines and columns are 1-based; columns count code points;
    `end_column` is one past the last character (SARIF's convention)."""

    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    code: str
    severity: Severity
    message: str
    fix: Optional[Fix] = None
    # The text of `line` (without its line break): the caret line of the text
    # reporter and the anchor of SARIF fingerprints.
    source_line: str = ""

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.path, self.line, self.column, self.code, self.message)
