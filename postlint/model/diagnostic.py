"""Findings and the fixes they carry: plain data, applied in one place (fix.py)."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Literal

from postlint.model.record import NamedTuple

if TYPE_CHECKING:  # pragma: no cover
    from typing_extensions import Self  # typing.Self from Python 3.11

# Findings of one rule in one file shown before they are summed up in one
# (the max-findings-per-rule setting; 0: no limit).
MAX_FINDINGS_PER_RULE = 100

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
    # On the finding that sums up those over max-findings-per-rule
    # (cap_per_rule): the fixes of all the findings it stands for, its own
    # first. --fix applies each as a fix of its own (fix.applicable).
    parts: tuple[Fix, ...] = ()


class Excerpt(str):
    """A window of one line of a post: its text, the 1-based column of its
    first character in the line and the length of the whole line.

    A finding carries this instead of its line, so that it costs the same on
    a 100-character line as on a 1 MB one; being a str, it travels wherever a
    line of text did (site rules' facts, the cache, worker processes)."""

    start: int
    line_length: int

    def __new__(cls, text: str, start: int = 1, line_length: int = -1) -> Self:
        self = super().__new__(cls, text)
        self.start = start
        self.line_length = start - 1 + len(text) if line_length < 0 else line_length
        return self

    def __reduce__(self) -> tuple[type, tuple[str, int, int]]:
        return (Excerpt, (str(self), self.start, self.line_length))


def excerpt_of(source_line: str) -> tuple[str, int, int]:
    """(text, column of text[0], length of the line) of a finding's
    source_line, be it an Excerpt or a whole line given as a plain str."""
    if isinstance(source_line, Excerpt):
        return str(source_line), source_line.start, source_line.line_length
    return source_line, 1, len(source_line)


def excerpt_data(source_line: str) -> list[object] | str:
    """A finding's source_line as JSON data (what a site rule's facts and the
    cache hold): a plain line as it is, an Excerpt as [text, start, line length]."""
    if isinstance(source_line, Excerpt):
        return [str(source_line), source_line.start, source_line.line_length]
    return source_line


def excerpt_from_data(value: object) -> str:
    """The source_line `excerpt_data` gave; ValueError for anything else."""
    if isinstance(value, str):
        return value
    if isinstance(value, (list, tuple)) and len(value) == 3:
        text, start, length = value
        if isinstance(text, str) and type(start) is int and type(length) is int:
            return Excerpt(text, start, length)
    raise ValueError(f"not an excerpt: {value!r:.80}")


class Diagnostic(NamedTuple):
    """One finding. Lines and columns are 1-based; columns count code points;
    `end_column` is one past the last character (SARIF's convention)."""

    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    code: str
    # None: not decided yet (the rule's default applies; Linter.finalize
    # gives every finding it reports its final severity).
    severity: Severity | None
    message: str
    fix: Fix | None = None
    # A bounded window of `line` around the finding (an Excerpt, cut by
    # LineIndex.excerpt; a plain str counts as the whole line): what the text
    # reporter's code frame, SARIF snippets and fingerprints are cut from.
    source_line: str = ""
    # Findings of the same rule in the same file after this one that were
    # not kept (max-findings-per-rule): this finding stands for them.
    not_shown: int = 0

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.path, self.line, self.column, self.code, self.message)


def cap_per_rule(diagnostics: list[Diagnostic], limit: int) -> list[Diagnostic]:
    """At most `limit` findings of each rule (of one file), in file order; the
    first one over the limit stays, with a message that says how many more
    there are (as ruff and markdownlint users expect a flood to be cut, and so
    that one pathological post cannot make a report of gigabytes).

    The fixes of the findings left out still reach --fix: the summing finding
    carries them all (Fix.parts), each still applied on its own."""
    if limit <= 0:
        return diagnostics
    counts = Counter(d.code for d in diagnostics)
    if all(count <= limit for count in counts.values()):
        return diagnostics
    kept: list[Diagnostic] = []
    seen: Counter[str] = Counter()
    hidden: dict[str, list[Diagnostic]] = {}
    for d in sorted(diagnostics, key=Diagnostic.sort_key):
        seen[d.code] += 1
        if seen[d.code] <= limit:
            kept.append(d)
        else:
            hidden.setdefault(d.code, []).append(d)
    for code, rest in hidden.items():
        first = rest[0]
        more = len(rest)
        message = (
            f"{first.message} (and {more - 1} more {code} finding{'s' if more != 2 else ''} in this file not "
            f"shown: max-findings-per-rule = {limit})"
            if more > 1
            else first.message
        )
        kept.append(first._replace(message=message, fix=_combined(rest), not_shown=more - 1))
    return kept


def _combined(diagnostics: list[Diagnostic]) -> Fix | None:
    fixes = tuple(d.fix for d in diagnostics if d.fix is not None)
    if not fixes:
        return None
    return Fix(fixes[0].edits, fixes[0].applicability, fixes)
