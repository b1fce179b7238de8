"""Reporters: the final, sorted findings -> text for a person or a tool."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from postlint.engine.registry import Registry, Rule
from postlint.model.diagnostic import Diagnostic
from postlint.model.patterns import lazy
from postlint.model.record import FACTORY, FrozenRecord, Record

FORMATS = ("text", "concise", "json", "sarif", "github", "html")


class Report(Record):

    diagnostics: list[Diagnostic]
    registry: Registry
    rules: list[Rule]  # the rules that ran
    files: int
    fixed: int
    color: bool
    statistics: bool
    fix_mode: bool
    unsafe_fixes: bool
    sarif_root: Path | None
    sarif_category: str | None
    cwd: Path  # default: the working folder when the Report is made
    notes: list[str]
    # [tool.postlint.dates] (keys, format, accept, build-timezone): how the
    # HTML report's chart reads the posts' dates, as the DT rules do.
    date_options: dict[str, Any]

    def __init__(
        self,
        diagnostics: list[Diagnostic],
        registry: Registry,
        rules: list[Rule],
        files: int = 0,
        fixed: int = 0,
        color: bool = False,
        statistics: bool = False,
        fix_mode: bool = False,
        unsafe_fixes: bool = False,
        sarif_root: Path | None = None,
        sarif_category: str | None = None,
        cwd: Path = FACTORY,
        notes: list[str] = FACTORY,
        date_options: dict[str, Any] = FACTORY,
    ) -> None:
        self.diagnostics = diagnostics
        self.registry = registry
        self.rules = rules
        self.files = files
        self.fixed = fixed
        self.color = color
        self.statistics = statistics
        self.fix_mode = fix_mode
        self.unsafe_fixes = unsafe_fixes
        self.sarif_root = sarif_root
        self.sarif_category = sarif_category
        self.cwd = Path.cwd() if cwd is FACTORY else cwd
        self.notes = [] if notes is FACTORY else notes
        self.date_options = {} if date_options is FACTORY else date_options


def renderer(name: str) -> Callable[[Report], str]:
    # Imported on demand: a text run never loads the SARIF machinery.
    if name in ("text", "concise"):
        from postlint.reporters import text

        return text.render_concise if name == "concise" else text.render
    if name == "json":
        from postlint.reporters import json

        return json.render
    if name == "sarif":
        from postlint.reporters import sarif

        return sarif.render
    if name == "github":
        from postlint.reporters import github

        return github.render
    if name == "html":
        from postlint.reporters import html

        return html.render
    raise ValueError(f"unknown output format {name!r}")


_SURROGATE = lazy("[\ud800-\udfff]")
# Characters a terminal or a JavaScript parser acts on, valid raw in a JSON
# string: DEL, C1 controls (U+009B is CSI), the line and paragraph separators
# and the bidi controls. Escaped as \\uXXXX they decode to the same string.
_JSON_UNSAFE = lazy("[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _escape_json_unsafe(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def utf8_safe(document: str) -> str:
    """A serialized JSON document that encodes as UTF-8 whatever it quotes.

    A file name that is not UTF-8 reaches postlint as str with lone
    surrogates (surrogateescape: byte 0xE9 is U+DCE9); written as they are,
    they make the report invalid UTF-8, or an encoding error. Each becomes the
    visible text \\xE9 (\\uD800 for other lone surrogates), escaped for JSON:
    surrogates only ever occur inside the document's strings. DEL, C1
    controls, U+2028/9 and bidi controls become \\uXXXX escapes (the same
    string once decoded), so none reaches a terminal raw."""
    if _JSON_UNSAFE.search(document) is not None:
        document = _JSON_UNSAFE.sub(_escape_json_unsafe, document)
    if _SURROGATE.search(document) is None:
        return document
    return _SURROGATE.sub(_escape_surrogate, document)


def _escape_surrogate(match: re.Match[str]) -> str:
    code = ord(match.group())
    if 0xDC80 <= code <= 0xDCFF:
        return f"\\\\x{code - 0xDC00:02X}"
    return f"\\\\u{code:04X}"


def fixable(d: Diagnostic, unsafe: bool) -> bool:
    return d.fix is not None and (unsafe or d.fix.applicability == "safe")


class Count(FrozenRecord):
    """One row of --statistics: a rule's findings in this run."""


    code: str
    name: str
    count: int
    fixable: int

    def __init__(self, code: str, name: str, count: int, fixable: int) -> None:
        set_ = object.__setattr__
        set_(self, "code", code)
        set_(self, "name", name)
        set_(self, "count", count)
        set_(self, "fixable", fixable)


def statistics(report: Report) -> list[Count]:
    """Findings per rule, most frequent first (as ruff's --statistics)."""
    from collections import Counter

    counts: Counter[str] = Counter()
    for d in report.diagnostics:
        counts[d.code] += 1 + d.not_shown  # those max-findings-per-rule left out count too
    fixable_counts = Counter(d.code for d in report.diagnostics if fixable(d, report.unsafe_fixes))
    rows = []
    for code, count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        rule = report.registry.rules.get(code)
        rows.append(Count(code, rule.name if rule else "", count, fixable_counts[code]))
    return rows


def statistics_lines(report: Report) -> list[str]:
    """The --statistics table: count, code, [*] when some are fixable, name."""
    return [
        f"{row.count:>6}  {row.code:<7} {'[*]' if row.fixable else '   '} {row.name}".rstrip()
        for row in statistics(report)
    ]


def files_with_findings(report: Report) -> int:
    return len({d.path for d in report.diagnostics})


def summary_line(report: Report) -> str:
    """"120 findings in 38 files (900 checked)."; never reads as if every
    checked file had findings."""
    total = len(report.diagnostics)
    if not total:
        return f"All checks passed ({report.files} file{'s' if report.files != 1 else ''} checked)."
    having = files_with_findings(report)
    return (
        f"{total} finding{'s' if total != 1 else ''} in {having} file{'s' if having != 1 else ''}"
        f" ({report.files} checked)."
    )
