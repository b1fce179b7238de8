"""argparse -> Settings -> run -> reporter -> exit status.

Exit status: 0 clean, 1 findings, 2 usage, configuration or internal error.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Optional, Sequence, TextIO

from postlint import __version__

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
COMMANDS = ("check", "rule", "rules")


class UsageError(Exception):
    pass


def _csv(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="postlint",
        description="Lint and validate Jekyll post repositories.",
        epilog="`postlint PATHS` is short for `postlint check PATHS`.",
    )
    parser.add_argument("--version", action="version", version=f"postlint {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    check = sub.add_parser("check", help="lint posts (the default command)")
    check.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="files or folders (default: .)")
    check.add_argument("--output-format", choices=("text", "concise", "json", "sarif", "github"), default=None)
    check.add_argument("-o", "--output-file", type=Path, help="write the report here instead of standard output")
    check.add_argument("--select", type=_csv, help="rules to enable: codes, prefixes, names or ALL (replaces the configuration)")
    check.add_argument("--extend-select", type=_csv, default=[], help="rules to enable in addition")
    check.add_argument("--ignore", type=_csv, default=[], help="rules to disable")
    check.add_argument("--fix", action="store_true", help="apply safe fixes")
    check.add_argument("--unsafe-fixes", action="store_true", help="also apply (with --fix) or show unsafe fixes")
    check.add_argument("--diff", action="store_true", help="print the fixes as a unified diff; write nothing")
    check.add_argument("--no-network", action="store_true", help="skip the rules that need the network (URL checks)")
    check.add_argument("--no-cache", action="store_true", help="neither read nor write the cache")
    check.add_argument("--cache-dir", type=Path, help="cache folder (default: .postlint_cache beside the configuration)")
    check.add_argument("--exit-zero", action="store_true", help="exit 0 even when there are findings")
    check.add_argument("--statistics", action="store_true", help="count findings per rule")
    check.add_argument("--config", type=Path, help="use this configuration file")
    check.add_argument("--sarif-root", type=Path, help="SARIF URIs are relative to this folder (default: git top level)")
    check.add_argument("--sarif-category", help="SARIF runAutomationDetails id (code scanning category)")
    check.add_argument("-v", "--verbose", action="store_true", help="say more on standard error")

    rule = sub.add_parser("rule", help="print a rule's documentation")
    rule.add_argument("code", help="code or name, e.g. EN002 or mojibake")
    rule.add_argument("--output-format", choices=("text", "json"), default="text")

    rules = sub.add_parser("rules", help="list the rules")
    rules.add_argument("--output-format", choices=("text", "json"), default="text")
    return parser


def main(argv: Optional[Sequence[str]] = None, stdout: Optional[TextIO] = None, stderr: Optional[TextIO] = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    if not args_list or (args_list[0] not in COMMANDS and args_list[0] not in ("-h", "--help", "--version")):
        args_list.insert(0, "check")
    parser = build_parser()
    try:
        args = parser.parse_args(args_list)
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 on --help/--version
        return int(exc.code or 0)
    try:
        if args.command == "rule":
            return _rule(args, out, err)
        if args.command == "rules":
            return _rules(args, out)
        return _check(args, out, err)
    except UsageError as exc:
        print(f"postlint: error: {exc}", file=err)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130


def _registry():  # type: ignore[no-untyped-def]
    from postlint.registry import RuleError, load

    try:
        return load()
    except RuleError as exc:
        raise UsageError(str(exc)) from exc


def _rule(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from postlint.docs import rule_json, rule_text

    registry = _registry()
    rule = registry.get(args.code)
    if rule is None:
        raise UsageError(f"no rule {args.code!r}; `postlint rules` lists them")
    out.write(rule_json(rule) if args.output_format == "json" else rule_text(rule))
    return EXIT_CLEAN


def _rules(args: argparse.Namespace, out: TextIO) -> int:
    from postlint.docs import rules_json, rules_text

    registry = _registry()
    out.write(rules_json(registry) if args.output_format == "json" else rules_text(registry))
    return EXIT_CLEAN


def _color(stream: TextIO) -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty()) and os.environ.get("TERM") != "dumb"


def _summaries(lines: list[str], err: TextIO) -> None:
    # After the report, on standard error: never mixed into a machine-readable report.
    for line in lines:
        print(f"postlint: {line}", file=err)


def _check(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from postlint.config import ConfigError, load_settings
    from postlint.discover import discover
    from postlint.jekyll import find_site
    from postlint.reporters import Report, renderer
    from postlint.runner import RunOptions, run

    registry = _registry()
    paths: list[Path] = args.paths or [Path(".")]
    missing = [p for p in paths if not p.exists()]
    if missing:
        raise UsageError(", ".join(f"{p}: no such file or folder" for p in missing))
    if args.config is not None and not args.config.is_file():
        raise UsageError(f"{args.config}: no such configuration file")
    try:
        settings = load_settings(paths, config_file=args.config, table_schemas=registry.tables())
    except ConfigError as exc:
        print(f"postlint: configuration error: {exc}", file=err)
        return EXIT_ERROR
    if args.select is not None:
        if not args.select:
            raise UsageError("--select names no rule (codes, prefixes, names or ALL, comma-separated)")
        settings.select = args.select
    settings.extend_select = settings.extend_select + args.extend_select
    settings.ignore = settings.ignore + args.ignore
    if args.no_network:
        settings.network = False
    if args.no_cache:
        settings.use_cache = False
    if args.cache_dir is not None:
        settings.cache_dir = args.cache_dir
    unknown = registry.unknown(
        settings.select + settings.extend_select + settings.ignore + list(settings.severity)
        + [s for sels in settings.per_file_ignores.values() for s in sels]
    )
    if unknown:
        raise UsageError(f"unknown rule selector{'s' if len(unknown) > 1 else ''}: {', '.join(unknown)}")
    output_format = args.output_format or settings.output_format

    found = discover(paths, root=settings.root, exclude=settings.exclude)
    # One site per folder (a linked file may belong elsewhere): 10,000 posts, a few folders.
    # A link that leads outside the repository is not followed here either.
    from postlint.safefs import inside

    places = {
        str(f) if os.path.islink(f) and inside(str(f), str(settings.root)) else os.path.dirname(f) or "."
        for f in found.files
    }
    for problem in sorted({p for place in places for p in find_site(Path(place)).problems}):
        print(f"postlint: warning: {problem}", file=err)
    if not found.files:
        print(f"postlint: no posts found in {', '.join(str(p) for p in paths)}", file=err)
    partial = all(p.is_file() for p in paths)
    try:
        result = run(
            found.files,
            settings,
            registry,
            None,
            RunOptions(
                fix=args.fix, unsafe_fixes=args.unsafe_fixes, diff=args.diff,
                network=settings.network, partial=partial,
            ),
        )
    except ConfigError as exc:  # a rule refused its options (e.g. an invalid schema)
        print(f"postlint: configuration error: {exc}", file=err)
        return EXIT_ERROR
    if args.verbose:
        for note in result.notes:
            print(f"postlint: {note}", file=err)

    # A rule that crashed, or a fix that could not be written: exit 2.
    internal = any(d.code in ("PL000", "PL003") for d in result.diagnostics)
    if args.diff:
        if not _write(args.output_file, out, "".join(result.diffs), err):
            return EXIT_ERROR
        if result.diffs:
            print(f"postlint: {result.fixed} fix{'es' if result.fixed != 1 else ''} would be applied", file=err)
        _summaries(result.summaries, err)
        if internal:
            return EXIT_ERROR
        return EXIT_FINDINGS if result.diffs and not args.exit_zero else EXIT_CLEAN

    report = Report(
        diagnostics=result.diagnostics,
        registry=registry,
        rules=result.linter.rules,
        files=result.files,
        fixed=result.fixed,
        color=args.output_file is None and _color(out),
        statistics=args.statistics,
        fix_mode=args.fix,
        unsafe_fixes=args.unsafe_fixes,
        sarif_root=args.sarif_root,
        sarif_category=args.sarif_category,
    )
    if not _write(args.output_file, out, renderer(output_format)(report), err):
        return EXIT_ERROR
    _summaries(result.summaries, err)
    if internal:
        return EXIT_ERROR
    if result.diagnostics and not args.exit_zero:
        return EXIT_FINDINGS
    return EXIT_CLEAN


def _write(path: Optional[Path], out: TextIO, text: str, err: TextIO) -> bool:
    """The report to standard output or to `path`; False (said on standard
    error) when the file cannot be written."""
    if path is None:
        out.write(text)
        return True
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
    except OSError as exc:
        print(f"postlint: error: cannot write {path}: {exc.strerror or exc}", file=err)
        return False
    return True
