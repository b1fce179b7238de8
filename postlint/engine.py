"""Runs the rules. The engine alone decides selection, severities and
suppressions, and turns a rule's exception into one PL000 finding."""

from __future__ import annotations

import os
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Optional

from postlint.config import Settings
from postlint.diagnostic import Diagnostic
from postlint.globs import match
from postlint.jekyll import Site, find_site
from postlint.post import Post, parse
from postlint.registry import Registry, Rule
from postlint.suppress import Suppression, parse_suppressions

INTERNAL = "PL000"
# Set to a file name, every Linter adds up the CPU seconds of each step (parse,
# each rule, suppressions, finalize) and the runner writes the sums there as
# JSON: what benchmarks/bench_site.py reports per rule.
PROFILE_ENV = "POSTLINT_PROFILE_RULES"


@dataclass
class Context:
    """What a site rule may read besides the facts: the run's settings and a
    scratch space shared by the site rules of one run (e.g. resolved URLs)."""

    settings: Settings
    site: Site
    registry: Registry
    options: dict[str, dict[str, Any]]
    shared: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # said on standard error with --verbose
    partial: bool = False  # only some of the site's posts are in this run


@dataclass
class FileResult:
    path: str
    diagnostics: list[Diagnostic]
    facts: dict[str, Any]  # site rule code -> what it collected from this post
    suppressions: list[Suppression]
    fixable: bool = True
    # The path as the configuration sees it (per-file-ignores of site findings);
    # None: the same as `path`.
    relpath: Optional[str] = None


def internal_error(path: str, rule: str, exc: BaseException, line: int = 1, source_line: str = "") -> Diagnostic:
    where = traceback.extract_tb(exc.__traceback__)[-1] if exc.__traceback__ else None
    at = f" at {Path(where.filename).name}:{where.lineno}" if where else ""
    return Diagnostic(
        path, line, 1, line, 1, INTERNAL, "error",
        f"rule {rule} failed on this file: {type(exc).__name__}: {exc}{at}", None, source_line,
    )


class Linter:
    def __init__(
        self, settings: Settings, registry: Registry, site: Optional[Site] = None, *, network: bool = True
    ) -> None:
        self.settings = settings
        self.registry = registry
        # A fixed site, or (None) each post's own: the nearest _config.yml above it.
        self.site = site
        rules = registry.select(settings.select, settings.extend_select, settings.ignore)
        if not network:
            rules = [r for r in rules if not r.network]
        self.rules = rules
        self.post_rules = [r for r in rules if r.scope == "post"]
        self.site_rules = [r for r in rules if r.scope == "site"]
        self.options = {r.code: settings.options(r) for r in rules}
        # [severity] selects by code, prefix or name; the most specific wins.
        self.severities = registry.severities(settings.severity)
        # Once per run: a rule builds what it reuses for every post (a schema
        # validator) and may refuse its options with a ConfigError (exit 2).
        for rule in rules:
            prepare = getattr(rule.module, "prepare", None)
            if prepare is not None:
                prepare(self.options[rule.code])
        self._ignores_cache: dict[str, frozenset[str]] = {}
        self.timings: Optional[dict[str, float]] = {} if os.environ.get(PROFILE_ENV) else None

    # -- per post ------------------------------------------------------------

    def lint_source(self, path: str, source: bytes, *, relpath: Optional[str] = None) -> tuple[Post, FileResult]:
        timings = self.timings
        lap = time.process_time() if timings is not None else 0.0
        post = parse(path, source)
        post.site = self.site if self.site is not None else find_site(Path(path))  # type: ignore[attr-defined]
        post.relpath = relpath or path  # type: ignore[attr-defined]
        if timings is not None:
            lap = _lap(timings, "parse", lap)
        diagnostics: list[Diagnostic] = []
        for rule in self.post_rules:
            diagnostics.extend(self._run(rule, post, rule.module.check))
            if timings is not None:
                lap = _lap(timings, rule.code, lap)
        facts: dict[str, Any] = {}
        for rule in self.site_rules:
            try:
                facts[rule.code] = rule.module.collect(post, self.options[rule.code])
            except Exception as exc:  # noqa: BLE001 - any plugin failure is a finding
                diagnostics.append(internal_error(post.path, rule.code, exc))
            if timings is not None:
                lap = _lap(timings, f"{rule.code}.collect", lap)
        diagnostics = one_per_span(diagnostics)
        suppressions = parse_suppressions(post, self.registry.resolve)
        result = FileResult(
            path=post.path,
            diagnostics=self.finalize(diagnostics, post.path, suppressions, relpath),
            facts=facts,
            suppressions=suppressions,
            fixable=post.fixable,
            relpath=relpath,
        )
        if timings is not None:
            _lap(timings, "suppress+finalize", lap)
        return post, result

    def _run(self, rule: Rule, post: Post, check: Callable[..., Iterable[Diagnostic]]) -> list[Diagnostic]:
        try:
            return list(check(post, self.options[rule.code]))
        except Exception as exc:  # noqa: BLE001 - any plugin failure is a finding
            return [internal_error(post.path, rule.code, exc, 1, post.lines.line_text(1) if post.text else "")]

    # -- per site ------------------------------------------------------------

    def lint_site(self, results: list[FileResult], *, partial: bool = False) -> tuple[list[Diagnostic], Context]:
        context = Context(self.settings, self.site or Site(), self.registry, self.options, partial=partial)
        by_path = {r.path: r for r in results}
        diagnostics: list[Diagnostic] = []
        for rule in self.site_rules:
            facts = {r.path: r.facts[rule.code] for r in results if rule.code in r.facts}
            try:
                found = list(rule.module.check_site(facts, self.options[rule.code], context))
            except Exception as exc:  # noqa: BLE001
                diagnostics.append(internal_error(results[0].path if results else ".", rule.code, exc))
                continue
            diagnostics.extend(found)
        diagnostics = one_per_span(diagnostics)
        final: list[Diagnostic] = []
        for path, group in _group(diagnostics):
            result = by_path.get(path)
            if result is None:
                final.extend(self.finalize(group, path, []))
            else:
                final.extend(self.finalize(group, path, result.suppressions, result.relpath))
        return final, context

    # -- selection, severity, suppression ---------------------------------------

    def finalize(
        self,
        diagnostics: list[Diagnostic],
        path: str,
        suppressions: list[Suppression],
        relpath: Optional[str] = None,
    ) -> list[Diagnostic]:
        ignored = self._file_ignores(relpath or path)
        out = []
        for d in diagnostics:
            rule = self.registry.rules.get(d.code)
            if d.code != INTERNAL:
                if rule is None or d.code in ignored:
                    continue
                if any(d.code in s.codes and s.first_line <= d.line <= s.last_line for s in suppressions):
                    continue
            # The configuration wins; then what the rule said of this finding
            # (empty: the rule's default).
            severity = self.severities.get(d.code) or d.severity or (rule.severity if rule else "error")
            out.append(d._replace(severity=severity))  # type: ignore[arg-type]
        return out

    def _file_ignores(self, path: str) -> frozenset[str]:
        cached = self._ignores_cache.get(path)
        if cached is not None:
            return cached
        selectors = [
            sel
            for glob, sels in self.settings.per_file_ignores.items()
            if match(glob, path)
            for sel in sels
        ]
        codes = frozenset(r.code for r in self.rules if self.registry.matches(selectors, r))
        self._ignores_cache[path] = codes
        return codes


def one_per_span(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """One finding per code and span: findings with the same code, file and
    span (line, column, end line, end column) become the first of them (a
    rule, or two analyses of it, meeting the same place twice); where their
    messages differ (two missing keys both reported at the top of the front
    matter), the messages are joined, so that nothing said is lost. Findings of
    different codes at one span are each rule's own; where one defect trips
    several rules, the rules themselves leave it to the most specific one
    (EN003 to EN002 inside mojibake, HD001/HD002 to HD003 for an empty heading).
    """
    index: dict[tuple[str, str, int, int, int, int], int] = {}
    out: list[Diagnostic] = []
    for d in diagnostics:
        key = (d.path, d.code, d.line, d.column, d.end_line, d.end_column)
        at = index.get(key)
        if at is None:
            index[key] = len(out)
            out.append(d)
            continue
        first = out[at]
        if d.message not in first.message.split("; "):
            out[at] = first._replace(message=f"{first.message}; {d.message}", fix=first.fix or d.fix)
    return out


def _lap(timings: dict[str, float], step: str, since: float) -> float:
    now = time.process_time()
    timings[step] = timings.get(step, 0.0) + (now - since)
    return now


# -- worker processes (the runner's pool) -------------------------------------------

_worker_linter: Optional[Linter] = None


def init_worker(settings: Settings, site: Optional[Site], network: bool) -> None:
    """Pool initializer: the worker's one Linter, so that rules prepare (schema
    validators...) and parsers are built once per process. Settings travel, not
    Linters: with the spawn start method the registry loads here again."""
    import signal

    from postlint.registry import load

    global _worker_linter
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    _worker_linter = Linter(settings, load(), site, network=network)


def in_worker(task: Callable[[Linter, Any], Any], items: list[Any]) -> tuple[list[Any], Optional[dict[str, float]]]:
    """Run `task(linter, item)` for a chunk of items in a pool worker; returns
    the results and the step timings accumulated since the last chunk."""
    linter = _worker_linter
    assert linter is not None, "init_worker did not run"
    out = [task(linter, item) for item in items]
    timings = linter.timings
    if timings is not None:
        linter.timings = {}
    return out, timings


def _group(diagnostics: list[Diagnostic]) -> Iterator[tuple[str, list[Diagnostic]]]:
    groups: dict[str, list[Diagnostic]] = {}
    for d in diagnostics:
        groups.setdefault(d.path, []).append(d)
    return iter(groups.items())


def sort_diagnostics(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    return sorted(diagnostics, key=Diagnostic.sort_key)
