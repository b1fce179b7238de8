"""Reporters: the final, sorted findings -> text for a person or a tool."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional

from postlint.diagnostic import Diagnostic
from postlint.registry import Registry, Rule

FORMATS = ("text", "concise", "json", "sarif", "github")


@dataclass
class Report:
    diagnostics: list[Diagnostic]
    registry: Registry
    rules: list[Rule]  # the rules that ran
    files: int = 0
    fixed: int = 0
    color: bool = False
    statistics: bool = False
    fix_mode: bool = False
    unsafe_fixes: bool = False
    sarif_root: Optional[Path] = None
    sarif_category: Optional[str] = None
    cwd: Path = field(default_factory=Path.cwd)
    notes: list[str] = field(default_factory=list)


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
    raise ValueError(f"unknown output format {name!r}")


def fixable(d: Diagnostic, unsafe: bool) -> bool:
    return d.fix is not None and (unsafe or d.fix.applicability == "safe")
