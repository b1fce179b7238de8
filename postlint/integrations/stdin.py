"""`postlint check --stdin-filename PATH -`: standard input linted as the file at PATH.

As ruff does it: the configuration, the Jekyll site and the per-file rules are
those of PATH (which need not exist; nothing is read from it or written to
it), and every report names PATH. Without ``--stdin-filename`` the text is
linted as ``stdin.md`` in the working folder, and postlint says so on standard
error. With ``--fix`` standard output receives the text after the fixes and
nothing else (the text unchanged when nothing applies or it cannot be fixed,
so an editor that pipes a buffer through postlint never loses it); the report
of the findings that remain goes to standard error, in the chosen output
format (or to ``--output-file``). ``--diff`` prints the fixes as a diff of PATH
instead. Bytes that are not UTF-8 are an EN001 finding, as in a file.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional, TextIO

if TYPE_CHECKING:  # pragma: no cover
    from postlint.engine.config import Settings
    from postlint.engine.registry import Registry

STDIN = "-"
DEFAULT_NAME = "stdin.md"


def stdin_path(args: argparse.Namespace, err: TextIO) -> Optional[Path]:
    """The path standard input is linted as, or None when the run reads files."""
    from postlint.cli import UsageError, _say

    paths = [str(p) for p in args.paths]
    if STDIN not in paths:
        if args.stdin_filename is None:
            return None
        if paths:
            raise UsageError("--stdin-filename names the file standard input stands for: give `-` as the path")
    elif len(paths) > 1:
        raise UsageError("`-` (standard input) cannot be linted together with other paths")
    if args.stdin_filename is not None:
        if str(args.stdin_filename) in ("", STDIN):
            raise UsageError("--stdin-filename needs the path of a file, e.g. _posts/2019-05-13-title.md")
        return Path(args.stdin_filename)
    _say(err, f"postlint: standard input linted as {DEFAULT_NAME} (name the post with --stdin-filename)")
    return Path(DEFAULT_NAME)


def read_stdin(stream: Any) -> bytes:
    source = stream if stream is not None else sys.stdin.buffer
    data = source.read()
    return data.encode("utf-8", "surrogateescape") if isinstance(data, str) else data


def _write_bytes(out: TextIO, data: bytes) -> None:
    buffer = getattr(out, "buffer", None)
    try:
        if buffer is not None:
            out.flush()
            buffer.write(data)
            buffer.flush()
        else:  # a StringIO (tests)
            out.write(data.decode("utf-8", "surrogateescape"))
    except BrokenPipeError:
        from postlint.cli import silence

        silence(out)


def check_stdin(  # noqa: PLR0911 - one exit per mode, as in _check
    args: argparse.Namespace, path: Path, settings: "Settings", registry: "Registry", output_format: str,
    out: TextIO, err: TextIO,
) -> int:
    from postlint.cli import EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS, _color, _say, _summaries, _write, failing
    from postlint.engine.config import ConfigError
    from postlint.engine.discover import _excluded_file, display_path
    from postlint.engine.run import RunOptions, _diff, check_source
    from postlint.reporters import Report, renderer

    source = read_stdin(getattr(args, "stdin", None))
    if settings.force_exclude and _excluded_file(path, settings.exclude, str(settings.root)) is not None:
        # ruff's --force-exclude with --stdin-filename: an excluded file is not
        # linted; the text passes through unchanged.
        if args.verbose:
            _say(err, f"postlint: {display_path(path)} is excluded (--force-exclude): not linted")
        if args.fix and not args.diff:
            _write_bytes(out, source)
        return EXIT_CLEAN
    try:
        result = check_source(
            path, source, settings, registry,
            RunOptions(fix=args.fix, unsafe_fixes=args.unsafe_fixes, diff=args.diff,
                       network=settings.network, partial=True),
        )
    except ConfigError as exc:
        _say(err, f"postlint: configuration error: {exc}")
        if args.fix and not args.diff:
            _write_bytes(out, source)
        return EXIT_ERROR
    if args.verbose:
        for note in result.notes:
            _say(err, f"postlint: {note}")
    internal = any(d.code in ("PL000", "PL005") for d in result.diagnostics)
    if args.diff:
        new = result.fixed_source if result.fixed_source is not None else source
        changed = new != source
        if changed and not _write(args.output_file, out, _diff(result.display, source, new), err):
            return EXIT_ERROR
        if changed:
            _say(err, f"postlint: {result.fixed} fix{'es' if result.fixed != 1 else ''} would be applied")
        _summaries(result.summaries, err)
        if internal:
            return EXIT_ERROR
        return EXIT_FINDINGS if changed and not args.exit_zero else EXIT_CLEAN
    # With --fix, standard output is the fixed text alone; the report goes to
    # standard error (as ruff does).
    report_to = err if args.fix else out
    if args.fix:
        _write_bytes(out, result.fixed_source if result.fixed_source is not None else source)
    report = Report(
        diagnostics=result.diagnostics,
        registry=registry,
        rules=result.linter.rules,
        files=1,
        fixed=result.fixed,
        color=args.output_file is None and _color(report_to),
        statistics=args.statistics,
        fix_mode=args.fix,
        unsafe_fixes=args.unsafe_fixes,
        sarif_root=args.sarif_root,
        sarif_category=args.sarif_category,
    )
    if not _write(args.output_file, report_to, renderer(output_format)(report), err):
        return EXIT_ERROR
    _summaries(result.summaries, err)
    if internal:
        return EXIT_ERROR
    if failing(result.diagnostics, settings.fail_on) and not args.exit_zero:
        return EXIT_FINDINGS
    return EXIT_CLEAN
