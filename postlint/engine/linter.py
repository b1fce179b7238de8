"""Runs the rules. The engine alone decides selection, severities and
suppressions, and turns a rule's exception into one PL000 finding.

Long because: the per-post and per-site steps share one object (the selection,
options, severities, the passes of single rules and families, the run state),
and PL002 (unused suppressions, fitting their removals together) needs all of
it.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import nullcontext
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any, TypeVar, cast

from postlint.engine.config import Settings
from postlint.engine.registry import Registry, Rule
from postlint.engine.suppressions import INVALID, UNUSED, Problem, Suppression, parse_suppressions
from postlint.files.globs import match
from postlint.files.paths import resolved_str
from postlint.model.collector import no_cyclic_gc
from postlint.model.diagnostic import Diagnostic, Edit, Fix, Severity, cap_per_rule
from postlint.model.patterns import lazy
from postlint.model.post import Post, parse
from postlint.model.record import FACTORY, Record
from postlint.model.site import Site, find_site

if TYPE_CHECKING:
    from postlint.files.safe import Folders

T = TypeVar("T")
INTERNAL = "PL000"
# Set to a file name, every Linter adds up the CPU seconds of each step (parse,
# each rule, suppressions, finalize) and the runner writes the sums there as
# JSON: what benchmarks/bench_site.py reports per rule.
PROFILE_ENV = "POSTLINT_PROFILE_RULES"


class RunState:
    """What site rules keep for the whole run, owned by the engine (one per
    Linter: every pass of a --fix run shares it; a new run, a new one). A
    rule family keeps its state under its own key: the URL rules the verdicts
    of the URLs they resolved, so that the second pass of --fix requests only
    the URLs the fixes wrote."""

    def __init__(self) -> None:
        self._values: dict[str, Any] = {}

    def get(self, key: str, factory: Callable[[], T]) -> T:
        """The value kept under `key`, made by `factory()` the first time."""
        if key not in self._values:
            self._values[key] = factory()
        return cast(T, self._values[key])


class Context(Record):
    """What a site rule may read besides the facts: the run's settings, the
    codes selected, a scratch space shared by the site rules of one pass
    (`shared`) and the state kept for the whole run (`state`)."""


    settings: Settings
    site: Site
    registry: Registry
    options: dict[str, dict[str, Any]]
    shared: dict[str, Any]
    state: RunState
    notes: list[str]  # said on standard error with --verbose
    partial: bool  # only some of the site's posts are in this run
    # Site rules that ran but chose not to check (code -> why): JK002 in a
    # partial run. Their suppressions are never "unused" (PL002).
    skipped: dict[str, str]
    # Spans [low, high) of clock readings (microseconds since the epoch, None:
    # unbounded; postlint.model.clock.holds) within which the verdicts of a
    # rule that compared dates with the clock stay the same. A site rule that
    # reads the clock adds one: a run's kept result is reused only inside all.
    clock: list[tuple[int | None, int | None]]

    def __init__(
        self,
        settings: Settings,
        site: Site,
        registry: Registry,
        options: dict[str, dict[str, Any]],
        shared: dict[str, Any] = FACTORY,
        state: RunState = FACTORY,
        notes: list[str] = FACTORY,
        partial: bool = False,
        skipped: dict[str, str] = FACTORY,
        clock: list[tuple[int | None, int | None]] = FACTORY,
    ) -> None:
        self.settings = settings
        self.site = site
        self.registry = registry
        self.options = options
        self.shared = {} if shared is FACTORY else shared
        self.state = RunState() if state is FACTORY else state
        self.notes = [] if notes is FACTORY else notes
        self.partial = partial
        self.skipped = {} if skipped is FACTORY else skipped
        self.clock = [] if clock is FACTORY else clock


class FileResult(Record):

    path: str
    diagnostics: list[Diagnostic]
    facts: dict[str, Any]  # site rule code -> what it collected from this post
    suppressions: list[Suppression]
    fixable: bool
    # The path as the configuration sees it (per-file-ignores of site findings);
    # None: the same as `path`.
    relpath: str | None
    # (directive offset, code): which suppressions silenced a post finding.
    used: frozenset[tuple[int, str]]

    def __init__(
        self,
        path: str,
        diagnostics: list[Diagnostic],
        facts: dict[str, Any],
        suppressions: list[Suppression],
        fixable: bool = True,
        relpath: str | None = None,
        used: frozenset[tuple[int, str]] = frozenset(),
    ) -> None:
        self.path = path
        self.diagnostics = diagnostics
        self.facts = facts
        self.suppressions = suppressions
        self.fixable = fixable
        self.relpath = relpath
        self.used = used


class Pass(Record):
    """One call of a plugin per post (or per site): a single-code rule, or the
    selected codes of a family, which share the call, its options and its
    facts (stored once, under `key`)."""


    key: str
    module: ModuleType
    rules: list[Rule]
    options: dict[str, Any]
    codes: frozenset[str]
    family: bool

    def __init__(
        self,
        key: str,
        module: ModuleType,
        rules: list[Rule],
        options: dict[str, Any],
        codes: frozenset[str] = frozenset(),
        family: bool = False,
    ) -> None:
        self.key = key
        self.module = module
        self.rules = rules
        self.options = options
        self.codes = codes
        self.family = family

    def keep(self, found: Iterable[Diagnostic]) -> list[Diagnostic]:
        """A family's findings of the selected codes (a single-code rule's, all)."""
        if not self.family:
            return list(found)
        codes = self.codes
        return [d for d in found if d.code in codes or d.code == INTERNAL]


def passes(rules: list[Rule], options: Callable[[Rule], dict[str, Any]]) -> list[Pass]:
    """The rules grouped by what runs them, in the order of their first code."""
    out: dict[str, Pass] = {}
    for rule in rules:
        known = out.get(rule.key)
        if known is None:
            out[rule.key] = Pass(rule.key, rule.module, [rule], options(rule), frozenset((rule.code,)),
                                 bool(rule.group))
        else:
            known.rules.append(rule)
            known.codes = known.codes | {rule.code}
    return list(out.values())


def as_json(value: Any) -> Any:
    """`value` as JSON gives it back (tuples become lists, keys strings); a
    fact that is not JSON data raises TypeError (a PL000 of its rule)."""
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    try:
        return _plain_json(value, 0)
    except _NotPlain:
        pass
    import json

    global _AS_JSON
    if _AS_JSON is None:
        _AS_JSON = json.JSONEncoder(ensure_ascii=False, allow_nan=False)  # one, not one per fact
    return json.loads(_AS_JSON.encode(value))


class _NotPlain(Exception):
    """A value _plain_json leaves to the JSON round trip."""


_INFINITY = float("inf")


def _plain_json(value: Any, depth: int) -> Any:
    """What the JSON round trip gives for a value made only of str, int,
    bool, None, finite floats, lists, tuples and dicts with str keys (each of
    exactly those types: a subclass, a NaN, another key is _NotPlain), built
    directly: a fact of nested tuples (DT005's, the URL rules') took an
    encode and a decode, 2-6 us, on each of 4,723 posts."""
    kind = value.__class__
    if kind is str or kind is int or kind is bool or value is None:
        return value
    if kind is float:
        if -_INFINITY < value < _INFINITY:          # (not NaN either)
            return value
        raise _NotPlain
    if depth > 64:
        raise _NotPlain
    if kind is tuple or kind is list:
        return [_plain_json(item, depth + 1) for item in value]
    if kind is dict:
        out = {}
        for key, item in value.items():
            if key.__class__ is not str:
                raise _NotPlain
            out[key] = _plain_json(item, depth + 1)
        return out
    raise _NotPlain


_AS_JSON: Any = None


def internal_error(path: str, rule: str, exc: BaseException, line: int = 1, source_line: str = "") -> Diagnostic:
    import traceback  # only a rule that crashed needs it

    where = traceback.extract_tb(exc.__traceback__)[-1] if exc.__traceback__ else None
    at = f" at {Path(where.filename).name}:{where.lineno}" if where else ""
    return Diagnostic(
        path, line, 1, line, 1, INTERNAL, "error",
        f"rule {rule} failed on this file: {type(exc).__name__}: {exc}{at}", None, source_line,
    )


class Linter:
    def __init__(
        self, settings: Settings, registry: Registry, site: Site | None = None, *, network: bool = True,
        defer_prepare: bool = False,
    ) -> None:
        self.settings = settings
        self.registry = registry
        # A fixed site, or (None) each post's own: the nearest _config.yml above it.
        self.site = site
        rules = registry.select(settings.select, settings.extend_select, settings.ignore)
        offline = [] if network else [r for r in rules if r.network]
        if not network:
            rules = [r for r in rules if not r.network]
        self.rules = rules
        self.codes = frozenset(r.code for r in rules)
        self.post_rules = [r for r in rules if r.scope == "post"]
        self.site_rules = [r for r in rules if r.scope == "site"]
        self.options = {r.code: settings.options(r) for r in rules}
        self.post_passes = passes(self.post_rules, lambda r: self.options[r.code])
        self.site_passes = passes(self.site_rules, lambda r: self.options[r.code])
        # The codes each pass (by its key) reports: all of them fail together.
        self._pass_codes = {p.key: p.codes for p in (*self.post_passes, *self.site_passes)}
        # [severity] selects by code, prefix or name; the most specific wins.
        self.severities = registry.severities(settings.severity)
        # What the site rules keep for the whole run (all passes of --fix).
        self.state = RunState()
        # Once per run: a rule builds what it reuses for every post (a schema
        # validator) and may refuse its options with a ConfigError (exit 2).
        # With defer_prepare the runner calls prepare() itself, after the
        # result cache has said which rules may wait until a post is linted.
        # A family prepares once for all its codes.
        self._unprepared = [(p.rules[0], p.options) for p in (*self.post_passes, *self.site_passes)
                            if getattr(p.module, "prepare", None)]
        # A network rule skipped by --no-network still has its options checked:
        # a configuration that fails in CI fails the same way offline.
        self._unprepared += [(p.rules[0], p.options) for p in passes(offline, settings.options)
                             if getattr(p.module, "prepare", None)]
        self._deferred: list[tuple[Rule, dict[str, Any]]] = []
        self._ignores_cache: dict[str, frozenset[str]] = {}
        self.timings: dict[str, float] | None = {} if os.environ.get(PROFILE_ENV) else None
        # Whether each post read is digested (the result cache and --fix
        # compare the bytes by their digest; a run with neither needs none).
        self.digest_reads = True
        # The module files and zone names the pool's workers loaded (a warm
        # run's record names them: postlint.engine.warm).
        self.imported: set[str] = set()
        # The folders the run in progress reads posts from (files.safe.Folders).
        self.folders: Folders | None = None
        # The site of each folder the run in progress linted a post of (None:
        # no run; each post's site is looked up: a long-lived process sees
        # _config.yml change).
        self.sites: dict[str, Site] | None = None
        if not defer_prepare:
            self.prepare()

    def defer(self, rule: Rule) -> None:
        """Prepare `rule` (its family) only before the first post is linted
        (the result cache knows its prepare succeeds with these options and
        inputs)."""
        for pair in self._unprepared:
            if pair[0].key == rule.key:
                self._unprepared.remove(pair)
                self._deferred.append(pair)
                return

    def prepare(self, *, deferred: bool = False) -> None:
        """Call each rule's prepare(options) not yet called (and, with
        `deferred`, those deferred too)."""
        todo, self._unprepared = self._unprepared, []
        if deferred:
            todo, self._deferred = todo + self._deferred, []
        for rule, options in todo:
            rule.module.prepare(options)

    # -- per post ------------------------------------------------------------

    def lint_source(self, path: str, source: bytes, *, relpath: str | None = None) -> tuple[Post, FileResult]:
        if self._deferred or self._unprepared:
            self.prepare(deferred=True)
        timings = self.timings
        lap = time.process_time() if timings is not None else 0.0
        post = parse(path, source, site=self.site if self.site is not None else self._site_of(path), relpath=relpath)
        if timings is not None:
            lap = _lap(timings, "parse", lap)
        diagnostics: list[Diagnostic] = []
        post.defer_excerpts = True
        for step in self.post_passes:
            diagnostics.extend(self._run(step, post))
            if timings is not None:
                lap = _lap(timings, step.key, lap)
        post.defer_excerpts = False
        facts: dict[str, Any] = {}
        for step in self.site_passes:
            try:
                # As JSON data, in every run: what check_site gets from a
                # post linted now is what it gets from the cache next time.
                facts[step.key] = as_json(step.module.collect(post, step.options))
            except Exception as exc:  # noqa: BLE001 - any plugin failure is a finding
                diagnostics.append(internal_error(post.path, step.key, exc))
            if timings is not None:
                lap = _lap(timings, f"{step.key}.collect", lap)
        diagnostics = one_per_span(diagnostics)
        problems: list[Problem] = []
        suppressions = parse_suppressions(post, self.registry.resolve, problems)
        if INVALID in self.codes:
            diagnostics.extend(post.diagnostic(INVALID, p.start, p.end, p.message) for p in problems)
        used: set[tuple[int, str]] = set()
        result = FileResult(
            path=post.path,
            diagnostics=with_excerpts(post, self.finalize(diagnostics, post.path, suppressions, relpath, used=used)),
            facts=facts,
            suppressions=suppressions,
            fixable=post.fixable,
            relpath=relpath,
            used=frozenset(used),
        )
        if timings is not None:
            _lap(timings, "suppress+finalize", lap)
        return post, result

    def _site_of(self, path: str) -> Site:
        """find_site of a post; in a run, once per folder (16 us a post: a
        Path, a stat of the post, an lstat of _config.yml). A post that is a
        symbolic link belongs to its target's site: it is looked up itself.
        (`path` is where the post stands, its folders resolved: it resolves
        to itself unless it is a link; the answer is remembered for the
        rules that ask for the post's path in its site.)"""
        sites = self.sites
        if sites is None or resolved_str(path) != path:
            return find_site(Path(path))
        folder = os.path.dirname(path)
        site = sites.get(folder)
        if site is None:
            site = sites[folder] = find_site(Path(path))
        return site

    def _run(self, step: Pass, post: Post) -> list[Diagnostic]:
        try:
            return step.keep(step.module.check(post, step.options))
        except Exception as exc:  # noqa: BLE001 - any plugin failure is a finding
            return [internal_error(post.path, step.key, exc, 1, post.lines.excerpt(1, 1, 1, 2) if post.text else "")]

    # -- per site ------------------------------------------------------------

    def lint_site(self, results: list[FileResult], *, partial: bool = False) -> tuple[list[Diagnostic], Context]:
        context = Context(self.settings, self.site or Site(), self.registry, self.options, state=self.state,
                          partial=partial)
        db = None
        if self.settings.use_cache and self.site_passes:  # what site rules keep between runs (a site's walk)
            from postlint.files.cachedb import CONTEXT_KEY, CacheDB, cache_dir

            # A connection of its own, not the process's shared one: the
            # language server lints a document while a full lint of the
            # workspace may use that one in another thread.
            db = context.shared[CONTEXT_KEY] = CacheDB(cache_dir(self.settings))
        by_path = {r.path: r for r in results}
        diagnostics: list[Diagnostic] = []
        # Each site rule's facts by path, in one pass over the results (not
        # one per rule: 5,000 posts, six rules).
        by_step: dict[str, dict[str, Any]] = {step.key: {} for step in self.site_passes}
        for r in results:
            for key, fact in r.facts.items():
                step_facts = by_step.get(key)
                if step_facts is not None:
                    step_facts[r.path] = fact
        try:
            for step in self.site_passes:
                key = step.key
                facts = by_step[key]
                # Not while a network rule runs: its requests (and their
                # exceptions' tracebacks) make cycles for as long as it runs.
                network = any(rule.network for rule in step.rules)
                with nullcontext() if network else no_cyclic_gc():
                    try:
                        found = step.keep(step.module.check_site(facts, step.options, context))
                    except Exception as exc:  # noqa: BLE001
                        diagnostics.append(internal_error(results[0].path if results else ".", key, exc))
                        for code in step.codes:
                            context.skipped.setdefault(code, "it failed")
                        continue
                diagnostics.extend(found)
        finally:
            if db is not None:
                db.close()
        diagnostics = one_per_span(diagnostics)
        final: list[Diagnostic] = []
        used: dict[str, set[tuple[int, str]]] = {}
        for path, group in _group(diagnostics):
            result = by_path.get(path)
            if result is None:
                final.extend(self.finalize(group, path, []))
            else:
                final.extend(self.finalize(
                    group, path, result.suppressions, result.relpath, used=used.setdefault(path, set())
                ))
        if UNUSED in self.codes:
            for result in results:
                if not result.suppressions:
                    continue
                unused = self.unused_suppressions(result, used.get(result.path, set()), context.skipped)
                final.extend(self.finalize(unused, result.path, result.suppressions, result.relpath))
        return final, context

    def unused_suppressions(
        self, result: FileResult, site_used: set[tuple[int, str]], skipped: dict[str, str]
    ) -> list[Diagnostic]:
        """PL002 for each directive (or some of its selectors) that silenced
        nothing in this run. Only a rule that ran on this file can make one
        unused: not a rule left out by the selection, by per-file-ignores, by
        --no-network, one that crashed here or a site rule that skipped."""
        ignored = self._file_ignores(result.relpath or result.path)
        crashed = {
            code for d in result.diagnostics
            if d.code == INTERNAL and (m := _CRASHED.match(d.message))
            for code in self._pass_codes.get(m.group(1), (m.group(1),))
        }
        ran = self.codes - ignored - crashed - skipped.keys()
        hits: dict[int, set[str]] = {}
        for start, code in (*result.used, *site_used):
            hits.setdefault(start, set()).add(code)
        seen: set[int] = set()
        out: list[tuple[Diagnostic, Suppression]] = []
        for sup in result.suppressions:
            if sup.start in seen:  # a block split by enables: one directive
                continue
            seen.add(sup.start)
            if sup.kind == "enable":  # closed no block (whatever ran)
                out.extend((d, sup) for d in self._dangling(result.path, sup))
                continue
            hit = hits.get(sup.start, set())
            if not sup.selectors:
                if hit or not _every_rule_ran(self.registry, ran):
                    continue
                out.append((self._unused(result.path, sup, sup.at, "unused suppression: it silenced nothing",
                                         sup.removal + sup.closers), sup))
                continue
            unused = [
                s for s in sup.selectors
                if UNUSED not in s.codes and not (s.codes & hit) and s.codes <= ran
            ]
            if not unused:
                continue
            if len(unused) == len(sup.selectors):
                names = ", ".join(s.text for s in unused)
                out.append((self._unused(result.path, sup, sup.at,
                                         f"unused suppression ({names}): it silenced nothing",
                                         sup.removal + sup.closers), sup))
                continue
            kept = [s.text for s in sup.selectors if s not in unused]
            first, last = unused[0].at, unused[-1].at
            edit = (sup.list_span[0], sup.list_span[1], sup.joiner.join(kept))
            out.append((self._unused(
                result.path, sup, (first[0], first[1], last[2], last[3]),
                f"unused selector{'s' if len(unused) > 1 else ''} in suppression: "
                f"{', '.join(s.text for s in unused)} silenced nothing",
                (Edit(*edit),),
            ), sup))
        return _fit_removals(out)

    def _dangling(self, path: str, sup: Suppression) -> list[Diagnostic]:
        """PL002 for an enable that closes no open block, or for those of its
        selectors that close none (as ESLint reports an unused enable)."""
        if len(sup.dangling) == len(sup.selectors):
            return [self._unused(path, sup, sup.at, "unused suppression: this enable closes no disable block",
                                 sup.removal)]
        kept = [s.text for s in sup.selectors if s not in sup.dangling]
        first, last = sup.dangling[0].at, sup.dangling[-1].at
        names = ", ".join(s.text for s in sup.dangling)
        return [self._unused(path, sup, (first[0], first[1], last[2], last[3]),
                             f"unused selector{'s' if len(sup.dangling) > 1 else ''} in enable: {names} "
                             "closes no disable block",
                             (Edit(sup.list_span[0], sup.list_span[1], sup.joiner.join(kept)),))]

    @staticmethod
    def _unused(
        path: str, sup: Suppression, at: tuple[int, int, int, int], message: str, edits: Iterable[Edit],
    ) -> Diagnostic:
        return Diagnostic(path, *at, UNUSED, None, message, Fix(tuple(edits), "safe"), sup.source_line)

    # -- selection, severity, suppression ---------------------------------------

    def finalize(
        self,
        diagnostics: list[Diagnostic],
        path: str,
        suppressions: list[Suppression],
        relpath: str | None = None,
        *,
        used: set[tuple[int, str]] | None = None,
    ) -> list[Diagnostic]:
        """Findings after per-file-ignores and suppressions, with their final
        severity; `used` collects (directive offset, code) of each suppression
        that silenced one."""
        if not diagnostics:                 # (most posts: nothing to index, cap or copy)
            return []
        ignored = self._file_ignores(relpath or path)
        index = _index(suppressions)
        directives = bool(index[0] or index[1])
        rules = self.registry.rules
        severities = self.severities
        out = []
        # (code, the rule's word or None) -> final severity
        final: dict[tuple[str, Severity | None], Severity] = {}
        for d in diagnostics:
            rule = rules.get(d.code)
            if d.code != INTERNAL:
                if rule is None or d.code in ignored:
                    continue
                silenced = False
                for s in (_covering(index, d.line) if directives else ()):
                    if d.code in s.codes:
                        silenced = True
                        if used is None:
                            break
                        used.add((s.start, d.code))
                if silenced:
                    continue
            # The configuration wins; then what the rule said of this finding
            # (empty: the rule's default).
            key = (d.code, d.severity)
            if key not in final:
                final[key] = severities.get(d.code) or d.severity or (rule.severity if rule else "error")
            out.append(d)
        # The cap first, the severity then: a post can have 200k findings of
        # which 101 per rule are kept, and only those need a copy (severity
        # plays no part in which are kept; the fixes of those left out travel
        # as Fix objects).  As plain tuples: NamedTuple._replace costs five
        # times that.
        limit = self.settings.max_findings_per_rule
        kept = out if len(out) <= limit else cap_per_rule(out, limit)  # (fewer in all: none over it)
        return [d if d.severity == (severity := final[d.code, d.severity]) else
                tuple.__new__(Diagnostic, (*d[:_SEVERITY], severity, *d[_SEVERITY + 1:]))
                for d in kept]

    def _file_ignores(self, path: str) -> frozenset[str]:
        if not self.settings.per_file_ignores:
            return _NO_CODES                # (not a set of every rule per post)
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


_SEVERITY = Diagnostic._fields.index("severity")
_NO_CODES: frozenset[str] = frozenset()


def _index(suppressions: list[Suppression]) -> tuple[dict[int, list[Suppression]], list[Suppression]]:
    """Suppressions by line (those of one line) and the others (blocks, files):
    a post with thousands of findings and directives costs no product of both."""
    by_line: dict[int, list[Suppression]] = {}
    spans: list[Suppression] = []
    for s in suppressions:
        if s.first_line == s.last_line:
            by_line.setdefault(s.first_line, []).append(s)
        else:
            spans.append(s)
    return by_line, spans


def _covering(index: tuple[dict[int, list[Suppression]], list[Suppression]], line: int) -> Iterator[Suppression]:
    by_line, spans = index
    yield from by_line.get(line, ())
    for s in spans:
        if s.first_line <= line <= s.last_line:
            yield s


def _fit_removals(found: list[tuple[Diagnostic, Suppression]]) -> list[Diagnostic]:
    """The PL002 fixes of one file, made to apply together in one pass: the
    removal of a directive that shares its blanks with a neighbour's removal
    (two comments on a line) starts where that one ends and takes the blanks
    after it instead; an edit inside another's removal (an enable's unused
    selector, the enable removed with its block) is dropped; of two directive
    lines in a row, the first goes with its line break so that one empty line,
    not two, keeps the blocks around them apart. Each fix alone stays right."""
    from bisect import bisect_right, insort

    taken: list[tuple[int, int]] = []
    fitted: list[tuple[Diagnostic, Suppression]] = []
    for d, sup in sorted(found, key=lambda pair: min(e.start for e in pair[0].fix.edits) if pair[0].fix else -1):
        if d.fix is None:
            fitted.append((d, sup))
            continue
        edits: list[Edit] = []
        for e in sorted(d.fix.edits):
            i = bisect_right(taken, (e.start, e.end))
            before = taken[i - 1] if i > 0 else None
            if before is not None and before[1] > e.start:
                if e.end <= before[1]:
                    continue  # removed with the other one
                if e.content:
                    pass  # left to the next pass of --fix
                elif e in sup.removal and sup.blanks_end:
                    e = Edit(before[1], max(e.end, sup.blanks_end), "")
                else:
                    e = Edit(before[1], e.end, "")
            after = taken[i] if i < len(taken) else None
            if after is not None and e.end > after[0] and not e.content:
                e = Edit(e.start, max(e.start, after[0]), "")  # the blanks it shares with the next one
            edits.append(e)
            insort(taken, (e.start, e.end))
        fitted.append((d._replace(fix=Fix(tuple(edits), d.fix.applicability) if edits else None), sup))
    starts = {start for start, _ in taken}
    out = []
    for d, sup in fitted:
        if d.fix is not None and sup.line_end and sup.line_end in starts:
            # A directive line emptied but kept (it stood between two lines of
            # text) goes with its line break when the next line goes too.
            line_start = sup.start - (sup.at[1] - 1)
            d = d._replace(fix=Fix(tuple(
                Edit(e.start, sup.line_end, "")
                if e.start == line_start and e.end == sup.blanks_end < sup.line_end and not e.content else e
                for e in d.fix.edits
            ), d.fix.applicability))
        out.append(d)
    return out


_CRASHED = lazy(r"rule (\S+) failed on this file")


def _every_rule_ran(registry: Registry, ran: frozenset[str]) -> bool:
    """A directive for every rule is unused only if every rule ran (PL001/PL002 aside)."""
    return all(rule.code in ran or rule.code in (INTERNAL, INVALID, UNUSED) for rule in registry)


def with_excerpts(post: Post, diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """The findings kept, each with the window of its line it lacks (see
    Post.defer_excerpts): cut once per finding shown, never for those dropped."""
    if not post.text:
        return diagnostics
    lines = post.lines
    return [
        d if d.source_line or d.path != post.path
        else d._replace(source_line=lines.excerpt(d.line, d.column, d.end_line, d.end_column))
        for d in diagnostics
    ]


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

_worker_linter: Linter | None = None


def init_worker(settings: Settings, site: Site | None, network: bool, digest_reads: bool = True) -> None:
    """Pool initializer: the worker's one Linter, so that rules prepare (schema
    validators...) and parsers are built once per process. Settings travel, not
    Linters: with the spawn start method the registry loads here again."""
    import signal

    from postlint.engine.registry import load

    global _worker_linter
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    from postlint.files.safe import Folders

    _worker_linter = Linter(settings, load(), site, network=network)
    _worker_linter.folders = Folders()      # (this process's: closed when it ends)
    _worker_linter.sites = {}
    _worker_linter.digest_reads = digest_reads


_worker_seen: set[str] = set()  # the modules (names) and zones a worker reported already


def in_worker(
    task: Callable[[Linter, Any], Any], items: list[Any]
) -> tuple[list[Any], dict[str, float] | None, list[str], list[str]]:
    """Run `task(linter, item)` for a chunk of items in a pool worker; returns
    the results, the step timings accumulated since the last chunk, and the
    module files and zone names loaded since (a rule's lazy import of a helper
    happens here, not in the parent)."""
    from postlint.model.site import RESOLVED_ZONES

    linter = _worker_linter
    assert linter is not None, "init_worker did not run"
    out = [task(linter, item) for item in items]
    timings = linter.timings
    if timings is not None:
        linter.timings = {}
    files: list[str] = []
    for name, module in list(sys.modules.items()):
        if name not in _worker_seen:
            _worker_seen.add(name)
            path = getattr(module, "__file__", None)
            if isinstance(path, str):
                files.append(path)
    zones = [z for z in RESOLVED_ZONES if "\0" + z not in _worker_seen]
    _worker_seen.update("\0" + z for z in zones)
    return out, timings, files, zones


def _group(diagnostics: list[Diagnostic]) -> Iterator[tuple[str, list[Diagnostic]]]:
    groups: dict[str, list[Diagnostic]] = {}
    for d in diagnostics:
        groups.setdefault(d.path, []).append(d)
    return iter(groups.items())


def sort_diagnostics(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    return sorted(diagnostics, key=Diagnostic.sort_key)
