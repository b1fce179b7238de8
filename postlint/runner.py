"""One run: read the posts, lint them, run the site rules, apply fixes."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from postlint.config import Settings
from postlint.diagnostic import Diagnostic
from postlint.discover import display_path, relative_path
from postlint.engine import FileResult, Linter, sort_diagnostics
from postlint.fix import applicable, apply_fixes, encode, write_atomic
from postlint.jekyll import Site
from postlint.registry import Registry

MAX_FIX_PASSES = 10


@dataclass
class RunOptions:
    fix: bool = False
    unsafe_fixes: bool = False
    diff: bool = False
    network: bool = True
    partial: bool = False  # the paths named files, not the whole site


@dataclass
class RunResult:
    diagnostics: list[Diagnostic]
    files: int
    linter: Linter
    fixed: int = 0
    diffs: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class _File:
    path: Path
    display: str
    relpath: str  # relative to the configuration's folder, for per-file-ignores


def run(
    files: list[Path], settings: Settings, registry: Registry, site: Optional[Site], options: RunOptions
) -> RunResult:
    linter = Linter(settings, registry, site, network=options.network)
    entries = [_File(p, display_path(p), relative_path(p, settings.root)) for p in files]
    results = {e.display: _lint(linter, e) for e in entries}
    site_diagnostics, context = linter.lint_site(list(results.values()), partial=options.partial)
    outcome = RunResult([], len(entries), linter, notes=list(context.notes))

    if options.fix or options.diff:
        by_path: dict[str, list[Diagnostic]] = {}
        for d in site_diagnostics:
            by_path.setdefault(d.path, []).append(d)
        changed = []
        for entry in entries:
            result = results[entry.display]
            if not result.fixable:
                continue
            site_fixes = applicable(by_path.get(entry.display, []), options.unsafe_fixes)
            post_fixes = applicable(result.diagnostics, options.unsafe_fixes)
            if not site_fixes and not post_fixes:
                continue
            fixed, original, new = _fix_file(linter, entry, site_fixes, options.unsafe_fixes)
            if new is None or new == original:
                continue
            outcome.fixed += fixed
            changed.append(entry)
            if options.diff:
                outcome.diffs.append(_diff(entry.display, original, new))
            else:
                write_atomic(entry.path, new)
        if changed and not options.diff:
            # Findings after the fixes: lint what was written, site rules again.
            for entry in changed:
                results[entry.display] = _lint(linter, entry)
            site_diagnostics, context = linter.lint_site(list(results.values()), partial=options.partial)

    diagnostics = [d for r in results.values() for d in r.diagnostics] + site_diagnostics
    outcome.diagnostics = sort_diagnostics(diagnostics)
    return outcome


def _lint(linter: Linter, entry: _File, source: Optional[bytes] = None) -> FileResult:
    if source is None:
        try:
            source = entry.path.read_bytes()
        except OSError as exc:
            d = Diagnostic(entry.display, 1, 1, 1, 1, "PL000", "error", f"cannot read the file: {exc.strerror or exc}")
            return FileResult(entry.display, [d], {}, [], fixable=False)
    return linter.lint_source(entry.display, source, relpath=entry.relpath)[1]


def _fix_file(
    linter: Linter, entry: _File, site_fixes: list, unsafe: bool  # type: ignore[type-arg]
) -> tuple[int, bytes, Optional[bytes]]:
    original = entry.path.read_bytes()
    post, result = linter.lint_source(entry.display, original, relpath=entry.relpath)
    if not post.fixable:
        return 0, original, None
    text, bom = post.text, post.bom
    fixed = 0
    # Site findings were computed on the text as read; apply them first.
    if site_fixes:
        applied = apply_fixes(text, site_fixes)
        text, fixed = applied.text, applied.fixed
    for _ in range(MAX_FIX_PASSES):
        post, result = linter.lint_source(entry.display, encode(text, bom), relpath=entry.relpath)
        fixes = applicable(result.diagnostics, unsafe)
        if not fixes:
            break
        applied = apply_fixes(text, fixes)
        if applied.text == text:
            break
        text = applied.text
        fixed += applied.fixed
    return fixed, original, encode(text, bom)


def _diff(path: str, before: bytes, after: bytes) -> str:
    a = before.decode("utf-8").splitlines(keepends=True)
    b = after.decode("utf-8").splitlines(keepends=True)
    return "".join(difflib.unified_diff(a, b, fromfile=f"a/{path}", tofile=f"b/{path}"))
