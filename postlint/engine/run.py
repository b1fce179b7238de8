"""One run: read the posts, lint them, run the site rules, apply fixes.

Long because: the stages of one run (reading through the safe file layer, the
result cache, the process pool, the fix passes and writes, standard input)
pass private `_File` entries and FileResults to each other and share their
error handling; split, those internals would have to be public.

Linting a set of files (`lint_files`): every file is read and hashed, and the
result cache answers for those it knows; the others are linted in this process
or, when there are enough of them to pay for starting workers, in a process
pool sized to the CPUs. Results come back in the order of the files, carrying
only the small FileResult (findings, facts, suppressions), never a Post or the
file's text, so memory grows with the findings, not with the posts.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable, Generator, Iterator
from pathlib import Path
from stat import S_ISLNK
from typing import TYPE_CHECKING, Any, cast

from postlint.engine.config import Settings
from postlint.engine.discover import describe, describe_all
from postlint.engine.fixes import applicable, apply_fixes, encode
from postlint.engine.linter import FileResult, Linter, sort_diagnostics
from postlint.engine.registry import Registry
from postlint.files.safe import Read, Refused
from postlint.model.collector import no_cyclic_gc
from postlint.model.diagnostic import Diagnostic, Fix
from postlint.model.record import FACTORY, Record
from postlint.model.site import Site

if TYPE_CHECKING:  # pragma: no cover
    from concurrent.futures import Future

    from postlint.engine.cache import ResultCache
    from postlint.engine.linter import Context

MAX_FIX_PASSES = 10
# Rounds of --fix: each fixes every post in passes, then runs the site rules
# again (whose fixes the next round applies).
_FIX_ROUNDS = 3
# Fewer posts to lint than this and a pool costs more than it saves. A forked
# worker inherits the loaded registry and prepared rules but imports html5lib,
# ftfy and markdown-it and compiles their patterns itself (~0.06 s of CPU
# each), and a post costs ~0.5-1.3 ms: the pool adds that CPU to every run
# and saves wall time only when there is more to share. Measured on 2 CPUs,
# no cache, medians of 5, load ~2.3: the jekyll corpus (161 files) 0.36 s CPU
# / 0.36 s wall alone, 0.42 / 0.31-0.42 with 2 workers; scala-lang (334)
# 0.71 / 0.72-0.80 alone, 0.84 / 0.75-0.85 with 2 workers, which an idle
# machine halves the linting part of. A spawned worker starts from nothing
# (~0.3 s of imports and entry points), so it needs many more posts.
POOL_MIN_POSTS = 200
POOL_MIN_POSTS_SPAWN = 400
# Posts this process lints before the workers fork (see _pooled): at least,
# in a row that import nothing, at most.
_WARM_UP_LEAST = 8
_WARM_UP_QUIET = 12
_WARM_UP_MOST = 96
# Chunks in flight or linted here and not yet yielded, per process, at most
# (results come in order: beyond this, this process waits for the oldest).
# A worker's chunk can take ten times another's (its first: imports; a post
# markdown-it must parse, a long table): with 3, this process sat waiting
# for it (scala-lang: 70 of 300 ms idle); with 8 it lints on. Memory: at
# most 8 chunks of 64 posts' results a process.
_WINDOW = 8
JOBS_ENV = "POSTLINT_JOBS"  # worker processes (default: the usable CPUs; 1: no pool)
_FLUSH_EVERY = 1000  # cache writes per transaction


class RunOptions(Record):

    fix: bool
    unsafe_fixes: bool
    diff: bool
    network: bool
    partial: bool  # the paths named files, not the whole site
    # The findings --fix and --diff may change (the baseline's keeper: those it
    # does not record); None: all of them.
    keep: Callable[[list[Diagnostic]], list[Diagnostic]] | None

    def __init__(
        self,
        fix: bool = False,
        unsafe_fixes: bool = False,
        diff: bool = False,
        network: bool = True,
        partial: bool = False,
        keep: Callable[[list[Diagnostic]], list[Diagnostic]] | None = None,
    ) -> None:
        self.fix = fix
        self.unsafe_fixes = unsafe_fixes
        self.diff = diff
        self.network = network
        self.partial = partial
        self.keep = keep


class RunResult(Record):

    diagnostics: list[Diagnostic]
    files: int
    linter: Linter
    fixed: int
    diffs: list[str]
    notes: list[str]
    # One-line summaries site rules leave in context.shared["summaries"] (the
    # URL checks: checked, from cache, failed), said on standard error.
    summaries: list[str]
    # What a kept result of the whole run (postlint.engine.warm) depends on
    # besides the files walked: the site rules' clock spans (Context.clock) and
    # the files the result cache's key read (a rule's `cache_inputs`).
    clock: list[tuple[int | None, int | None]]
    inputs: list[str]

    def __init__(
        self,
        diagnostics: list[Diagnostic],
        files: int,
        linter: Linter,
        fixed: int = 0,
        diffs: list[str] = FACTORY,
        notes: list[str] = FACTORY,
        summaries: list[str] = FACTORY,
        clock: list[tuple[int | None, int | None]] = FACTORY,
        inputs: list[str] = FACTORY,
    ) -> None:
        self.diagnostics = diagnostics
        self.files = files
        self.linter = linter
        self.fixed = fixed
        self.diffs = [] if diffs is FACTORY else diffs
        self.notes = [] if notes is FACTORY else notes
        self.summaries = [] if summaries is FACTORY else summaries
        self.clock = [] if clock is FACTORY else clock
        self.inputs = [] if inputs is FACTORY else inputs


class _File(Record):

    path: Path
    display: str
    relpath: str  # relative to the configuration's folder, for per-file-ignores
    # What the rules see as the post's path: absolute, its folders resolved, so
    # that a rule asking "is it under _posts/?" or "which site?" gets the same
    # answer from any working folder. Findings are then shown at `display`.
    located: str

    def __init__(self, path: Path, display: str, relpath: str, located: str = "") -> None:
        self.path = path
        self.display = display
        self.relpath = relpath
        self.located = located


def run(
    files: list[Path], settings: Settings, registry: Registry, site: Site | None, options: RunOptions
) -> RunResult:
    linter = Linter(settings, registry, site, network=options.network, defer_prepare=True)
    entries = [_File(p, *described) for p, described in zip(files, describe_all(files, settings.root))]
    lint_notes: list[str] = []
    # (Only a fix compares what it reads with what was linted.)
    digests: list[str | None] | None = [None] * len(entries) if options.fix or options.diff else None
    inputs: list[str] = []
    results = dict(zip([e.display for e in entries], lint_files(linter, entries, options.network, lint_notes,
                                                                  digests, inputs)))
    digest_of = dict(zip([e.display for e in entries], digests or ()))
    site_diagnostics, context = linter.lint_site(list(results.values()), partial=options.partial)
    outcome = RunResult([], len(entries), linter, notes=lint_notes + list(context.notes), inputs=inputs)

    write_failures: list[Diagnostic] = []
    if options.fix and not options.diff:
        _remove_stale_temporaries(entries, outcome.notes)
    if options.fix or options.diff:
        fixed_results, fixed_site, fixed_context, write_failures = _fix_rounds(
            linter, entries, options, results, site_diagnostics, context, digest_of, outcome,
        )
        if not options.diff:                # (--diff reports what it found, and writes nothing)
            results, site_diagnostics, context = fixed_results, fixed_site, fixed_context

    outcome.summaries = list(context.shared.get("summaries", {}).values())
    outcome.clock = list(context.clock)
    nothing = _no_urls_note(linter, list(results.values()))
    if nothing:
        outcome.summaries.append(nothing)
    if write_failures:
        n = len(write_failures)
        outcome.summaries.append(
            f"{n} fixed file{'s' if n != 1 else ''} could not be written (PL005); the others were written"
        )
    diagnostics = [d for r in results.values() for d in r.diagnostics] + site_diagnostics + write_failures
    outcome.diagnostics = sort_diagnostics(diagnostics)
    return outcome


def _fix_rounds(
    linter: Linter, entries: list[_File], options: RunOptions, results: dict[str, FileResult],
    site_diagnostics: list[Diagnostic], context: Context, digest_of: dict[str, str | None], outcome: RunResult,
) -> tuple[dict[str, FileResult], list[Diagnostic], Context, list[Diagnostic]]:
    """--fix and --diff: each post fixed in passes (fix_passes), with the
    site rules' fixes found before; then, if the site rules find fixes again
    in what was fixed, another round, at most _FIX_ROUNDS. (A post's fix can
    make a site finding: deleting a stray U+200B in "<!-\u200b- postlint-enable
    -->" makes an enable that closes nothing, a PL002 only the site pass
    sees; without a round more, the next --fix changed the file again.)
    Returns the lint of the fixed posts, the site findings and context of
    them, and the writes that failed; counts fixes, and diffs in --diff
    (between the bytes read and the last round's), in `outcome`."""
    from postlint.engine.cache import content_digest

    write_failures: list[Diagnostic] = []
    current: dict[str, bytes] = {}          # --diff: each post's fixed bytes so far (nothing is written)
    originals: dict[str, bytes] = {}        # the bytes first read, by display path
    digests = dict(digest_of)               # of the bytes each result in `results` is the lint of
    results = dict(results)
    for _ in range(_FIX_ROUNDS):
        by_path: dict[str, list[Diagnostic]] = {}
        for d in site_diagnostics:
            by_path.setdefault(d.path, []).append(d)
        changed: dict[str, FileResult] = {}  # the lint of what a fix wrote, by display path
        for entry in entries:
            result = results[entry.display]
            if not result.fixable:
                continue
            site_fixes = applicable(_kept(options, by_path.get(entry.display, [])), options.unsafe_fixes)
            post_fixes = applicable(_kept(options, result.diagnostics), options.unsafe_fixes)
            if not site_fixes and not post_fixes:
                continue
            fixed, original, new, read, last = _fix_file(
                linter, entry, site_fixes, options.unsafe_fixes, options.keep,
                (digests.get(entry.display), result), current.get(entry.display),
            )
            if new is None or new == original or last is None:
                continue
            originals.setdefault(entry.display, original)
            if not options.diff:
                failure = _write_fix(entry, new, read)
                if failure is not None:
                    write_failures.append(failure)
                    continue
            else:
                current[entry.display] = new
            outcome.fixed += fixed
            changed[entry.display] = last
            digests[entry.display] = content_digest(new)
        if not changed:
            break
        # Findings after the fixes: the last pass's lint is that of the
        # bytes fixed; then the site rules again.
        results.update(changed)
        site_diagnostics, context = linter.lint_site(list(results.values()), partial=options.partial)
        if not applicable(_kept(options, site_diagnostics), options.unsafe_fixes):
            break                           # (kept as the next round keeps them: a baseline counts findings)
    if options.diff:
        outcome.diffs.extend(_diff(e.display, originals[e.display], current[e.display])
                             for e in entries if e.display in current)
    return results, site_diagnostics, context, write_failures


def _kept(options: RunOptions, diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    return diagnostics if options.keep is None else options.keep(diagnostics)


def _no_urls_note(linter: Linter, results: list[FileResult]) -> str | None:
    """The URL rules ran and found no URL to check: said, with the fields they
    look at (a site whose field is `external_link` would otherwise pass in
    silence)."""
    # The URL rules that request (JK003 reads the [urls] fields too, offline).
    url_rules = [r for r in linter.site_rules if r.table == "urls" and r.network]
    if not url_rules or not results:
        return None
    key = url_rules[0].key  # the URL rules share one collection of a post's URLs
    if any(r.facts.get(key) for r in results):
        return None
    options = linter.options[url_rules[0].code]
    fields = ", ".join(sorted(options.get("fields") or {})) or "none"
    body = "" if options.get("body-links") else "; body links are not checked (body-links = false)"
    n = len(results)
    return f"URL rules: no URL fields in {n} post{'s' if n != 1 else ''}: fields are {fields}{body}"


def _unreadable(display: str, exc: OSError) -> FileResult:
    d = Diagnostic(display, 1, 1, 1, 1, "PL000", "error", f"cannot read the file: {exc.strerror or exc}")
    return FileResult(display, [d], {}, [], fixable=False)


def _refused(linter: Linter, display: str, relpath: str, exc: Refused) -> FileResult:
    """A post that is not read (a link outside the site, a loop): one finding
    that names the link, none of the target's content."""
    found = []
    if any(r.code == exc.code for r in linter.rules):
        d = Diagnostic(display, 1, 1, 1, 1, exc.code, None, exc.reason)
        found = linter.finalize([d], display, [], relpath)
    return FileResult(display, found, {}, [], fixable=False, relpath=relpath)


def _read(linter: Linter, path: str) -> Read:
    """The post's bytes if it lies inside its repository or site (safefs)."""
    from postlint.files.safe import read_inside

    return read_inside(path, str(linter.settings.root), linter.folders)


def _write_fix(entry: _File, data: bytes, read: os.stat_result | None) -> Diagnostic | None:
    """Write a fixed post; None, or the PL005 finding that says why not."""
    from postlint.files.safe import Refused, WriteFailed, write_fixed

    try:
        write_fixed(str(entry.path), data, read)
    except (Refused, WriteFailed) as exc:
        return Diagnostic(entry.display, 1, 1, 1, 1, "PL005", "error", exc.reason)
    return None


def _remove_stale_temporaries(entries: list[_File], notes: list[str]) -> None:
    """Before writing: the temporary files a killed --fix left beside these posts."""
    from postlint.files.safe import remove_stale_temporaries

    removed = 0
    for folder in sorted({os.path.dirname(os.path.abspath(e.path)) for e in entries}):
        removed += len(remove_stale_temporaries(folder))
    if removed:
        notes.append(f"removed {removed} stale temporary file{'s' if removed != 1 else ''} of an earlier --fix")


# -- linting many files: cache, pool ----------------------------------------------------

_Item = tuple[str, str, str, str]  # (path, display, relpath, located): what a worker needs of a file
# (digest, stat signature) of the bytes linted (no digest: the run keeps
# none, see Linter.digest_reads); None: not read.
_Read = tuple[str | None, str | None] | None


def _item(entry: _File) -> _Item:
    return (str(entry.path), entry.display, entry.relpath, entry.located or entry.display)


def _lint_shown(linter: Linter, located: str, display: str, source: bytes, relpath: str) -> FileResult:
    """Lint `source` as the file at `located`, and report it at `display`."""
    return _shown_at(linter.lint_source(located, source, relpath=relpath)[1], located, display)


def _shown_at(result: FileResult, path: str, display: str) -> FileResult:
    """`result`, its findings at `path` reported at `display` instead."""
    if path == display:
        return result
    result.path = display
    result.diagnostics = [d._replace(path=display) if d.path == path else d for d in result.diagnostics]
    return result


def lint_files(
    linter: Linter, entries: list[_File], network: bool, notes: list[str], digests: list[str | None] | None = None,
    inputs: list[str] | None = None,
) -> list[FileResult]:
    """Each file's FileResult, in the order of `entries`; `digests`, when
    given, gets the digest of the bytes each result is of (None: unknown);
    `inputs`, the files the cache's run key read (`cache_inputs`)."""
    from postlint.files.safe import Folders

    linter.folders = Folders()
    linter.sites = {}
    try:
        return _lint_files(linter, entries, network, notes, digests, inputs)
    finally:
        linter.folders.close()
        linter.folders = None
        linter.sites = None


def _lint_files(
    linter: Linter, entries: list[_File], network: bool, notes: list[str], digests: list[str | None] | None,
    inputs: list[str] | None,
) -> list[FileResult]:
    from postlint.engine.cache import open_cache

    cache = open_cache(linter)
    linter.digest_reads = cache is not None or digests is not None
    results: list[FileResult | None] = [None] * len(entries)
    slots: list[str | None] = [None] * len(entries)
    todo = list(range(len(entries)))
    if cache is not None:
        todo = _from_cache(linter, cache, entries, network, results, slots, digests, inputs)
    from postlint.analysis import memo

    memo.install(cache.analysis if cache is not None else None)
    try:
        linter.prepare()  # the rules the cache did not defer (a ConfigError stops the run here)
        if cache is not None:
            cache.save_memos()  # what those rules' inputs are, now that their prepare succeeded
        items = [_item(entries[i]) for i in todo]
        pending = 0
        for index, (read, result) in zip(todo, _lint_items(linter, items, network, notes)):
            results[index] = result
            if digests is not None and read is not None:
                digests[index] = read[0]
            slot = slots[index]
            if cache is not None and slot is not None and read is not None and _cacheable(result):
                digest, signature = read
                if digest is not None:
                    cache.put(slot, signature, digest, result)
                    pending += 1
                    if pending >= _FLUSH_EVERY:
                        cache.flush()
                        pending = 0
    finally:
        memo.install(None)
    if cache is not None:
        cache.close()
        notes.append(f"result cache: {cache.hits} of {len(entries)} posts unchanged, {cache.writes} stored")
        notes.extend(cache.errors)
    if linter.timings is not None:
        _write_profile(linter.timings)
    # Every index is filled by now: from the cache, or linted.
    return cast("list[FileResult]", results)


def _cacheable(result: FileResult) -> bool:
    # A rule that crashed (PL000) may do better next time: not kept.
    return not any(d.code == "PL000" for d in result.diagnostics)


def _from_cache(
    linter: Linter, cache: ResultCache, entries: list[_File], network: bool,
    results: list[FileResult | None], slots: list[str | None], digests: list[str | None] | None = None,
    inputs: list[str] | None = None,
) -> list[int]:
    """Fills `results` with what the cache knows and `slots` with each file's
    slot; returns the indices left to lint. One read of the database for all
    the files, then a `stat` of each: a file whose stat is the one stored is
    not opened; one whose stat changed is read and hashed (the same bytes are
    still a hit). Only a regular file is taken on its stat (lstat: a link is
    always read, through the checks of files.safe)."""
    from postlint.engine.cache import (
        AnalysisStore,
        content_digest,
        decode_results,
        run_key,
        site_key,
        slot_key,
        stat_signature,
    )
    from postlint.model.site import find_site

    memos: list[tuple[str, object]] = []
    run = run_key(linter, network, cache.db, memos, inputs)
    cache.analysis = AnalysisStore(cache, run)
    sites: dict[str, str] = {}  # folder -> the key of its site
    stats: list[os.stat_result | None] = [None] * len(entries)
    for index, entry in enumerate(entries):
        path = str(entry.path)
        try:
            st = stats[index] = os.lstat(path)
        except OSError:
            st = None
        # The site lint_source gives the post: the same for a folder's files,
        # unless a file is a link to elsewhere.
        folder = path if linter.site is None and st is not None and S_ISLNK(st.st_mode) else os.path.dirname(path)
        skey = sites.get(folder)
        if skey is None:
            skey = sites[folder] = site_key(linter.site or find_site(entry.path))
        # Keyed by where the file is, not by how it is shown: a run from
        # another working folder finds the same entries (shown again below).
        slots[index] = slot_key(run, skey, entry.located or entry.display, entry.relpath)
    stored = cache.lookup([s for s in slots if s is not None])
    todo: list[int] = []
    found: list[tuple[int, str]] = []  # (index, stored value) of the hits, decoded together below
    for index, entry in enumerate(entries):
        slot = slots[index]
        known = stored.get(slot) if slot is not None else None
        st = stats[index]
        if known is None or st is None or slot is None:
            todo.append(index)  # a miss; or gone, and the linter reports it
            continue
        if known.stat is None or stat_signature(st) != known.stat:
            # Changed stat: the same bytes are still the same result.
            try:
                read_at = time.time_ns()
                read = _read(linter, str(entry.path))
            except (OSError, Refused):
                todo.append(index)
                continue
            if content_digest(read.data) != known.digest:
                todo.append(index)
                continue
            cache.restat(slot, stat_signature(read.stat, read_at))
        found.append((index, known.value))
    hits: list[str] = []
    for (index, _), hit in zip(found, decode_results([value for _, value in found])):
        if hit is None:
            todo.append(index)
            continue
        entry = entries[index]
        if hit.path != entry.display:
            hit = _shown_at(hit, hit.path, entry.display)
        results[index] = hit
        slot = slots[index]
        if slot is not None:  # a hit has one
            if digests is not None:
                digests[index] = stored[slot].digest
            hits.append(slot)
    todo.sort()
    cache.hits += len(hits)
    cache.misses += len(todo)
    cache.touch(hits, stored)
    cache.memos = memos
    return todo


def _read_and_lint(linter: Linter, item: _Item) -> tuple[_Read, FileResult]:
    """((digest of the bytes linted, their stat signature), result): runs in
    this process or a worker."""
    from postlint.engine.cache import content_digest, stat_signature

    path, display, relpath, located = item
    try:
        read_at = time.time_ns()
        read = _read(linter, path)
    except Refused as exc:
        return None, _refused(linter, display, relpath, exc)
    except OSError as exc:
        return None, _unreadable(display, exc)
    source = read.data
    # The cyclic collector paused for the post: a post's lint allocates
    # thousands of short-lived containers (YAML nodes, tokens, spans), and
    # every collection while it runs walks them, and every object kept
    # (modules, the results so far) with them: 5-10% of a run. What reference
    # counting does not free is collected between posts.
    with no_cyclic_gc():
        result = _lint_shown(linter, located, display, source, relpath)
    return (content_digest(source) if linter.digest_reads else None, stat_signature(read.stat, read_at)), result


def jobs() -> int:
    value = os.environ.get(JOBS_ENV, "")
    if value.isdigit() and int(value) > 0:
        return int(value)
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def _lint_items(
    linter: Linter, items: list[_Item], network: bool, notes: list[str]
) -> Iterator[tuple[_Read, FileResult]]:
    workers = min(jobs(), max(1, len(items) // 16))
    done = 0
    # multiprocessing is imported only when there may be enough work for a pool.
    method = _start_method() if workers > 1 and len(items) >= POOL_MIN_POSTS else ""
    if workers > 1 and method and len(items) >= (POOL_MIN_POSTS if method == "fork" else POOL_MIN_POSTS_SPAWN):
        try:
            for pair in _pooled(linter, items, workers, network, method):
                done += 1
                yield pair
        except _PoolFailed as exc:
            notes.append(f"worker pool failed ({exc.reason}); linting the rest in this process")
    yield from _here(linter, items[done:])


class _PoolFailed(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _start_method() -> str:
    """fork where it is safe: workers inherit the loaded registry and prepared
    rules; forking a process that runs other threads can deadlock the child.
    (os.fork is where multiprocessing offers fork; multiprocessing itself is
    imported only for a spawned pool.)"""
    return "fork" if hasattr(os, "fork") and _fork_safe() else "spawn"


def _pooled(
    linter: Linter, items: list[_Item], workers: int, network: bool, method: str = "spawn"
) -> Iterator[tuple[_Read, FileResult]]:
    """Results of `items` from this process and `workers - 1` more, in
    order, at most a few chunks ahead of the consumer (bounded memory);
    raises _PoolFailed after yielding every result it got, so the caller
    lints the rest itself.

    This process lints too: it would otherwise wait for the workers' results
    on a CPU of its own. With fork it lints the first posts before the
    workers start (_warm_up), so they inherit what those imported and
    compiled instead of each paying for it again; after that it lints a
    chunk whenever the workers have enough queued, and collects theirs in
    between. Forked workers are postlint.engine.forkpool's; spawned ones
    (no fork, or a rule started a thread) a ProcessPoolExecutor's."""
    import gc

    size = max(4, min(64, len(items) // (workers * 8)))
    first = 0
    if method == "fork":
        first = yield from _warm_up(linter, items)
        if not _fork_safe():
            method = "spawn"                # (a rule started a thread: forking it could deadlock the child)
    chunks = _chunks(items, first, size, workers)
    # What this process holds when the workers fork (modules, the registry,
    # the prepared rules) is out of the cyclic collector's reach until the
    # pool is done: a collection in a worker would otherwise write to every
    # object it inherited and copy its pages (gc.freeze's documented use).
    gc.freeze()
    try:
        if method == "fork":
            yield from _forked(linter, chunks, workers, network)
        else:
            yield from _spawned(linter, chunks, workers, network)
    finally:
        gc.unfreeze()


def _forked(
    linter: Linter, chunks: list[list[_Item]], workers: int, network: bool
) -> Iterator[tuple[_Read, FileResult]]:
    from postlint.engine import forkpool
    from postlint.engine.linter import in_worker, init_worker

    def start() -> None:
        from postlint.analysis import memo

        # First: the rules' prepare in init_worker may look things up, and the
        # run's cache database is this process's connection, not the worker's.
        memo.install(None)
        init_worker(linter.settings, linter.site, network, linter.digest_reads)

    try:
        for reply, here in forkpool.run_chunks(
            chunks, workers - 1, start, lambda chunk: in_worker(_read_and_lint, chunk),
            lambda chunk: list(_here(linter, chunk)), 2, _WINDOW * workers,
        ):
            yield from here if here is not None else _collected(linter, reply)
    except forkpool.WorkerFailed as exc:
        raise _PoolFailed(exc.reason) from exc


def _spawned(
    linter: Linter, chunks: list[list[_Item]], workers: int, network: bool
) -> Iterator[tuple[_Read, FileResult]]:
    import multiprocessing
    from collections import deque
    from concurrent.futures import ProcessPoolExecutor

    from postlint.engine.linter import in_worker, init_worker

    try:
        pool = ProcessPoolExecutor(
            workers - 1, mp_context=multiprocessing.get_context("spawn"),
            initializer=init_worker, initargs=(linter.settings, linter.site, network, linter.digest_reads),
        )
    except (OSError, ValueError) as exc:
        raise _PoolFailed(f"{type(exc).__name__}: {exc}") from exc
    # In order: a worker's chunk (a future) or one linted here (its results).
    window: deque[Future[Any] | list[tuple[_Read, FileResult]]] = deque()
    queued = 2 * (workers - 1)              # chunks each worker has waiting, at least
    try:
        for chunk in chunks:
            while window and (isinstance(window[0], list) or window[0].done()):
                yield from _collect(linter, window.popleft())
            if sum(1 for w in window if not isinstance(w, list) and not w.done()) < queued:
                try:
                    window.append(pool.submit(in_worker, _read_and_lint, chunk))
                except Exception as exc:
                    raise _PoolFailed(f"{type(exc).__name__}: {exc}") from exc
            else:
                window.append(list(_here(linter, chunk)))
            if len(window) >= _WINDOW * workers:
                yield from _collect(linter, window.popleft())
        while window:
            yield from _collect(linter, window.popleft())
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _chunks(items: list[_Item], first: int, size: int, workers: int) -> list[list[_Item]]:
    """items[first:] in chunks of `size`, smaller towards the end (a
    quarter of what is left shared by the processes, at least 4): the last
    chunks a worker has queued when this process has linted its own are
    short, so it waits little for them (ruby-lang.org: 30 ms of 64-post
    chunks at the end, with nothing left to lint here)."""
    out = []
    at = first
    while at < len(items):
        n = max(4, min(size, (len(items) - at) // (workers * 4)))
        out.append(items[at : at + n])
        at += n
    return out


def _warm_up(linter: Linter, items: list[_Item]) -> Generator[tuple[_Read, FileResult], None, int]:
    """The first posts, linted here before the workers fork, until their
    lazy imports settle (ftfy, html5lib, markdown-it: each worker would
    import and compile them again, 40-90 ms each): at least _WARM_UP_LEAST,
    then until _WARM_UP_QUIET in a row import nothing, at most _WARM_UP_MOST
    or a quarter of them (the pool shares the rest). The other CPUs idle
    meanwhile for as long as the posts take beyond the imports. Returns how
    many it linted (the first of `items`)."""
    modules, quiet, done = len(sys.modules), 0, 0
    most = min(_WARM_UP_MOST, len(items) // 4)
    while done < most and (done < _WARM_UP_LEAST or quiet < _WARM_UP_QUIET):
        yield _read_and_lint(linter, items[done])
        done += 1
        quiet = quiet + 1 if len(sys.modules) == modules else 0
        modules = len(sys.modules)
    return done


def _here(linter: Linter, chunk: list[_Item]) -> Iterator[tuple[_Read, FileResult]]:
    for item in chunk:
        yield _read_and_lint(linter, item)


def _fork_safe() -> bool:
    import threading

    return threading.active_count() == 1


def _collect(
    linter: Linter, future: Future[Any] | list[tuple[_Read, FileResult]]
) -> Iterator[tuple[_Read, FileResult]]:
    if isinstance(future, list):            # linted here
        yield from future
        return
    try:
        reply = future.result()
    except Exception as exc:
        raise _PoolFailed(f"{type(exc).__name__}: {exc}") from exc
    yield from _collected(linter, reply)


def _collected(
    linter: Linter, reply: tuple[list[tuple[_Read, FileResult]], dict[str, float] | None, list[str], list[str]]
) -> list[tuple[_Read, FileResult]]:
    """A worker's results of a chunk (in_worker's reply), what it loaded and
    timed recorded here."""
    pairs, timings, files, zones = reply
    linter.imported.update(files)
    if zones:
        from postlint.model.site import RESOLVED_ZONES

        RESOLVED_ZONES.update(zones)
    if timings and linter.timings is not None:
        for step, seconds in timings.items():
            linter.timings[step] = linter.timings.get(step, 0.0) + seconds
    return pairs


def _write_profile(timings: dict[str, float]) -> None:
    from postlint.engine.linter import PROFILE_ENV

    target = os.environ.get(PROFILE_ENV)
    if target:
        Path(target).write_text(json.dumps(timings, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def _fix_file(
    linter: Linter, entry: _File, site_fixes: list[Fix], unsafe: bool,
    keep: Callable[[list[Diagnostic]], list[Diagnostic]] | None = None,
    linted: tuple[str | None, FileResult] | None = None, held: bytes | None = None,
) -> tuple[int, bytes, bytes | None, os.stat_result | None, FileResult | None]:
    """(fixes applied, the bytes read, the fixed bytes or None, their stat,
    the result of linting the fixed bytes). `linted`: (digest of the bytes,
    result) of the lint that found the fixes, reused when the file (or
    `held`) still holds those bytes. `held`: the post's bytes as a round of
    --diff left them, instead of the file's."""
    from postlint.engine.cache import content_digest
    from postlint.model.post import parse

    if held is not None:
        read = Read(held, os.stat_result((0,) * 10))
    else:
        try:
            read = _read(linter, str(entry.path))
        except (OSError, Refused):  # gone or swapped since it was linted: nothing to fix
            return 0, b"", None, None, None
    original = read.data
    # The decoded text is all this needs: each pass below lints it.
    post = parse(entry.located or entry.display, original)
    if not post.fixable:
        return 0, original, None, None, None
    first = linted[1] if linted is not None and linted[0] == content_digest(original) else None
    fixed, text, result = fix_passes(
        linter, entry.located or entry.display, entry.display, entry.relpath, post.text, post.bom,
        first=first, site_fixes=site_fixes, unsafe=unsafe, keep=keep,
    )
    return fixed, original, encode(text, post.bom), read.stat, result


def fix_passes(
    linter: Linter, located: str, display: str, relpath: str, text: str, bom: bool, *,
    first: FileResult | None, site_fixes: list[Fix], unsafe: bool,
    keep: Callable[[list[Diagnostic]], list[Diagnostic]] | None = None,
) -> tuple[int, str, FileResult]:
    """(fixes applied, the fixed text, its lint): `text` fixed in passes, one
    lint per pass, until a lint offers no fix that applies (that lint is the
    result), or MAX_FIX_PASSES (then one lint more of the text left).

    `first`: the lint of `text` that found the findings (none: `text` is
    linted first); `site_fixes`: the site rules' fixes, found on `text` too,
    applied in the first pass before any post fix they overlap."""

    def lint(current: str) -> FileResult:
        return _lint_shown(linter, located, display, encode(current, bom), relpath)

    result = first if first is not None else lint(text)
    fixed = 0
    pending_site = site_fixes
    for _ in range(MAX_FIX_PASSES):
        fixes = applicable(result.diagnostics if keep is None else keep(result.diagnostics), unsafe)
        if not fixes and not pending_site:
            return fixed, text, result
        applied = apply_fixes(text, fixes, first=pending_site)
        pending_site = []
        if applied.text == text:
            return fixed, text, result
        text = applied.text
        fixed += applied.fixed
        result = lint(text)
    return fixed, text, result


def _diff(path: str, before: bytes, after: bytes) -> str:
    """A unified diff that patch(1) applies: lines split at "\n" only (editors'
    and git's notion of a line) and the "no newline" marker where a file ends
    without one."""
    import difflib  # only --diff needs it

    a = _lines(before.decode("utf-8"))
    b = _lines(after.decode("utf-8"))
    diff = difflib.unified_diff(a, b, fromfile=_patch_name(f"a/{path}"), tofile=_patch_name(f"b/{path}"))
    return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in diff)


_C_ESCAPES = {0x07: "\\a", 0x08: "\\b", 0x09: "\\t", 0x0A: "\\n", 0x0B: "\\v", 0x0C: "\\f", 0x0D: "\\r",
              0x22: '\\"', 0x5C: "\\\\"}


def _patch_name(name: str) -> str:
    """A file name in a diff header as git writes it, which GNU patch and git
    apply both read back: C-quoted ("a/caf\\303\\251.md") when it holds a control
    character, a quote, a backslash, a C1 control, U+2028/9 or a byte that is not
    UTF-8 (so nothing raw reaches a terminal); else ended by a tab when it holds a
    space (patch would end the name at the space)."""
    import os

    raw = os.fsencode(name)
    try:
        raw.decode("utf-8")
        undecodable = False
    except UnicodeDecodeError:
        undecodable = True
    if (
        undecodable
        or any(b < 0x20 or b in (0x22, 0x5C, 0x7F) for b in raw)
        or any(0x80 <= ord(c) <= 0x9F or c in "\u2028\u2029" for c in name)
    ):
        quoted = "".join(
            _C_ESCAPES.get(b) or (chr(b) if 0x20 <= b < 0x7F else f"\\{b:03o}") for b in raw
        )
        return f'"{quoted}"'
    return name + "\t" if " " in name else name


def _lines(text: str) -> list[str]:
    lines = text.split("\n")
    result = [line + "\n" for line in lines[:-1]]
    if lines[-1]:
        result.append(lines[-1])
    return result


# -- one text as a file: standard input, an editor's buffer ------------------------------


class SourceResult(Record):
    """What `check_source` found in one text linted as the file at a path."""


    diagnostics: list[Diagnostic]
    linter: Linter
    display: str  # the path the findings are shown at
    # With RunOptions.fix or .diff: the text after the fixes (the input itself
    # when nothing applied or the text cannot be fixed, e.g. not UTF-8).
    fixed_source: bytes | None
    fixed: int
    notes: list[str]
    summaries: list[str]
    result: FileResult | None  # the post's own result (facts, suppressions), after any fixes

    def __init__(
        self,
        diagnostics: list[Diagnostic],
        linter: Linter,
        display: str,
        fixed_source: bytes | None = None,
        fixed: int = 0,
        notes: list[str] = FACTORY,
        summaries: list[str] = FACTORY,
        result: FileResult | None = None,
    ) -> None:
        self.diagnostics = diagnostics
        self.linter = linter
        self.display = display
        self.fixed_source = fixed_source
        self.fixed = fixed
        self.notes = [] if notes is FACTORY else notes
        self.summaries = [] if summaries is FACTORY else summaries
        self.result = result


def check_source(
    path: Path,
    source: bytes,
    settings: Settings,
    registry: Registry,
    options: RunOptions,
    *,
    linter: Linter | None = None,
    others: list[FileResult] | tuple[FileResult, ...] = (),
    display: str | None = None,
) -> SourceResult:
    """Lint `source` as if it were the file at `path` (which need not exist):
    the configuration's per-file-ignores, the post's Jekyll site and every rule
    see that path; nothing is read from it or written to it.

    `others`: results of the site's other posts (a full lint done before), so
    that site rules such as JK002 compare this text with them; without them
    the run is partial (site rules that need the whole site skip). With
    `options.fix` the fixes are applied in memory, as `--fix` would apply them
    to the file, and the findings are those of the fixed text."""
    if linter is None:
        linter = Linter(settings, registry, None, network=options.network)
    shown, relpath, located_at = describe(path, settings.root)
    entry = _File(path, display or shown, relpath, located_at)
    located = entry.located or entry.display
    others = [o for o in others if o.path != entry.display]
    partial = options.partial or not others

    def lint(data: bytes) -> tuple[FileResult, list[Diagnostic], Context]:
        result = _lint_shown(linter, located, entry.display, data, entry.relpath)
        site, context = linter.lint_site([*others, result], partial=partial)
        return result, [d for d in site if d.path == entry.display], context

    result, site_diagnostics, context = lint(source)
    outcome = SourceResult([], linter, entry.display, notes=list(context.notes))
    if options.fix or options.diff:
        # In rounds, as run() fixes files (_fix_rounds): the site rules again
        # after the passes, and another round while they offer a fix.
        current = source
        for _ in range(_FIX_ROUNDS):
            fixed, new, fixed_result = _fix_source(
                linter, entry, current, site_diagnostics, options.unsafe_fixes, result,
            )
            if new == current or fixed_result is None:
                break
            outcome.fixed += fixed
            current = new
            # The last pass's lint is the fixed text's: only the site rules again.
            result = fixed_result
            site, context = linter.lint_site([*others, result], partial=partial)
            site_diagnostics = [d for d in site if d.path == entry.display]
            if not applicable(site_diagnostics, options.unsafe_fixes):
                break
        outcome.fixed_source = current
    outcome.result = result
    outcome.summaries = list(context.shared.get("summaries", {}).values())
    outcome.diagnostics = sort_diagnostics(result.diagnostics + site_diagnostics)
    return outcome


def _fix_source(
    linter: Linter, entry: _File, original: bytes, site_diagnostics: list[Diagnostic], unsafe: bool,
    first: FileResult | None = None,
) -> tuple[int, bytes, FileResult | None]:
    """(fixes applied, the fixed bytes, their lint) of a text held in memory,
    in passes as `_fix_file` fixes a file (`first`: the lint of `original`)."""
    from postlint.model.post import parse

    located = entry.located or entry.display
    post = parse(located, original)
    if not post.fixable:
        return 0, original, None
    fixed, text, result = fix_passes(
        linter, located, entry.display, entry.relpath, post.text, post.bom,
        first=first, site_fixes=applicable(site_diagnostics, unsafe), unsafe=unsafe,
    )
    new = encode(text, post.bom)
    return (fixed, new, result) if new != original else (0, original, None)


def file_results(
    files: list[Path], settings: Settings, registry: Registry, *, network: bool = False
) -> tuple[list[FileResult], list[str]]:
    """Each file's FileResult (findings, site facts, suppressions), through
    the result cache and the pool as in `run`, without the site rules: what a
    long-running process (the language server) keeps of a whole-site lint."""
    linter = Linter(settings, registry, None, network=network)
    entries = [_File(p, *described) for p, described in zip(files, describe_all(files, settings.root))]
    notes: list[str] = []
    return lint_files(linter, entries, network, notes), notes
