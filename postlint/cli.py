"""argparse -> Settings -> run -> reporter -> exit status.

Long because: it is the whole command line: the argparse definitions, every
command (check with its baseline, --stdin and --explain, rules, rule, init,
server) and its output, which share the parser, the mapping of errors to exit
statuses and the report helpers.

Exit status: 0 clean, 1 findings, 2 usage, configuration or internal error.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, TextIO

if TYPE_CHECKING:  # pragma: no cover
    import argparse  # imported where the parser is built: `--version` needs none of it

from postlint import __version__

if TYPE_CHECKING:  # pragma: no cover
    from postlint.engine.baseline import Baseline
    from postlint.engine.config import Settings
    from postlint.engine.discover import Discovery
    from postlint.engine.registry import Registry, Rule
    from postlint.engine.warm import Attempt
    from postlint.files.cachedb import CacheDB
    from postlint.reporters import Report

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
SEVERITY_LEVELS = ("error", "warning", "info")
COMMANDS = ("check", "rule", "rules", "init", "server")


class UsageError(Exception):
    pass


def _count(value: str) -> int:
    import argparse

    try:
        number = int(value)
    except ValueError:
        number = -1
    if number < 0:
        raise argparse.ArgumentTypeError(f"expected a whole number of 0 or more, got {value!r}")
    return number


def _csv(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


def _per_file(value: str) -> tuple[str, list[str]]:
    import argparse

    glob, colon, codes = value.rpartition(":")
    if not colon or not glob.strip() or not _csv(codes):
        raise argparse.ArgumentTypeError(f"{value!r}: expected GLOB:CODES, e.g. '_drafts/*:DT005,JK001'")
    return glob.strip(), _csv(codes)


def _rebase(pattern: str, root: Path) -> str:
    """A path pattern from the command line, relative to the working folder,
    as the configuration's patterns are: relative to its folder. A pattern
    without "/" matches at any depth and stays as it is."""
    if "/" not in pattern.strip("/"):
        return pattern
    try:
        here = Path.cwd().resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return pattern
    joined = pattern if here == "." else f"{here}/{pattern.lstrip('/')}"
    # `../x` from a subfolder, `./x`: the segments are folded away, as the
    # shell user who typed them means (`_posts/../_drafts/*` is `_drafts/*`).
    parts: list[str] = []
    for part in joined.split("/"):
        if part == ".." and parts and parts[-1] not in ("..", "**"):
            parts.pop()
        elif part not in (".", ""):
            parts.append(part)
    if not parts:
        return joined
    # Still anchored where it was written, even when one name is left ("./a.md").
    folded = "/".join(parts)
    return folded if "/" in folded else "/" + folded


def _help_formatter(prog: str) -> argparse.HelpFormatter:
    """argparse's HelpFormatter at the width it would take itself
    (shutil.get_terminal_size's columns, less 2), measured once: argparse
    makes one formatter per argument it adds (to check the metavar), and
    each imported shutil for its width, with zlib, bz2 and lzma (2-3 ms of
    every run that never prints help)."""
    import argparse

    return argparse.HelpFormatter(prog, width=_columns() - 2)


@cache
def _columns() -> int:
    """shutil.get_terminal_size's columns: COLUMNS, else the terminal's, else 80."""
    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    stream = sys.__stdout__
    if columns <= 0 and stream is not None:
        try:
            columns = os.get_terminal_size(stream.fileno()).columns
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns if columns > 0 else 80


def build_parser() -> argparse.ArgumentParser:
    import argparse

    parser = argparse.ArgumentParser(
        formatter_class=_help_formatter,
        prog="postlint",
        description="Lint and validate Jekyll post repositories.",
        epilog="`postlint PATHS` is short for `postlint check PATHS`.",
    )
    parser.add_argument("--version", action="version", version=f"postlint {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    check = sub.add_parser("check", formatter_class=_help_formatter, help="lint posts (the default command)")
    check.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="files or folders (default: .)")
    check.add_argument("--output-format", choices=("text", "concise", "json", "sarif", "github", "html"), default=None)
    check.add_argument("-o", "--output-file", type=Path, help="write the report here instead of standard output")
    # Selection adds up, as in ruff: each option may repeat and takes
    # comma-separated values.
    check.add_argument(
        "--select",
        type=_csv,
        action="extend",
        help="rules to enable: codes, prefixes, names or ALL (replaces the configuration)",
    )
    check.add_argument("--extend-select", type=_csv, action="extend", default=[], help="rules to enable in addition")
    check.add_argument("--ignore", type=_csv, action="extend", default=[], help="rules to disable")
    check.add_argument(
        "--exclude",
        type=_csv,
        action="extend",
        metavar="GLOB",
        help="paths to leave out (replaces the configuration's exclude)",
    )
    check.add_argument(
        "--extend-exclude",
        type=_csv,
        action="extend",
        default=[],
        metavar="GLOB",
        help="paths to leave out in addition",
    )
    check.add_argument(
        "--per-file-ignores",
        type=_per_file,
        action="append",
        metavar="GLOB:CODES",
        help="rules to disable in matching files (replaces the configuration's table)",
    )
    check.add_argument(
        "--extend-per-file-ignores",
        type=_per_file,
        action="append",
        default=[],
        metavar="GLOB:CODES",
        help="rules to disable in matching files, in addition",
    )
    check.add_argument(
        "--fail-on",
        choices=SEVERITY_LEVELS,
        default=None,
        help="the least severity that makes the exit status 1 (default: warning)",
    )
    check.add_argument("--fix", action="store_true", help="apply safe fixes")
    check.add_argument("--unsafe-fixes", action="store_true", help="also apply (with --fix) or show unsafe fixes")
    check.add_argument("--diff", action="store_true", help="print the fixes as a unified diff; write nothing")
    check.add_argument("--no-network", action="store_true", help="skip the rules that need the network (URL checks)")
    check.add_argument("--no-cache", action="store_true", help="neither read nor write the cache")
    check.add_argument(
        "--cache-dir",
        type=Path,
        help="cache folder (default: .postlint_cache beside the configuration, else beside _config.yml)",
    )
    check.add_argument("--exit-zero", action="store_true", help="exit 0 even when there are findings")
    check.add_argument(
        "--force-exclude", action=argparse.BooleanOptionalAction, default=None,
        help="apply the exclusions (configuration, Jekyll's exclude) to files named on the command line too",
    )
    check.add_argument("--statistics", action="store_true", help="count findings per rule")
    check.add_argument("--config", type=Path, help="use this configuration file")
    check.add_argument(
        "--sarif-root", type=Path, help="SARIF URIs are relative to this folder (default: git top level)"
    )
    check.add_argument("--sarif-category", help="SARIF runAutomationDetails id (code scanning category)")
    check.add_argument("-v", "--verbose", action="store_true",
                       help="say what was done on standard error: configuration, sites, files, rules run and skipped")
    check.add_argument("--show-settings", action="store_true",
                       help="print the resolved configuration for the paths (JSON) and exit")
    check.add_argument("--show-files", action="store_true", help="print the files that would be linted and exit")
    check.add_argument("--baseline", type=Path, metavar="FILE",
                       help="report only the findings not recorded in FILE (written by --write-baseline)")
    check.add_argument(
        "--write-baseline",
        type=Path,
        metavar="FILE",
        help="record the current findings in FILE (JSON; paths relative to the root) and report none of them",
    )
    check.add_argument(
        "--max-findings-per-rule", type=_count, metavar="N",
        help="findings of one rule shown per file before one sums up the rest (default 100; 0: all)",
    )
    check.add_argument(
        "--stdin-filename", type=Path, metavar="PATH",
        help="lint standard input (the path `-`) as the file at PATH: its configuration, site and name; "
        "with --fix the fixed text goes to standard output and the report to standard error",
    )

    rule = sub.add_parser("rule", formatter_class=_help_formatter, help="print a rule's documentation")
    rule.add_argument("code", help="code or name, e.g. EN002 or mojibake")
    rule.add_argument("--output-format", choices=("text", "json"), default="text")

    rules = sub.add_parser("rules", formatter_class=_help_formatter, help="list the rules")
    rules.add_argument("--output-format", choices=("text", "json"), default="text")

    init = sub.add_parser("init", formatter_class=_help_formatter,
                          help="write a commented starting .postlint.toml for the site")
    init.add_argument("path", nargs="?", type=Path, default=Path("."), metavar="PATH",
                      help="the site, or a folder in it (default: .)")
    init.add_argument("--stdout", action="store_true", help="print the configuration instead of writing it")
    init.add_argument("--schema", type=Path, metavar="FILE",
                      help="also write a starter front-matter schema to FILE (inside the site) and use it")
    sub.add_parser(
        "server", formatter_class=_help_formatter,
        help="run the language server (LSP over standard input and output; needs postlint[lsp])",
    )
    return parser


def main(
    argv: Sequence[str] | None = None, stdout: TextIO | None = None, stderr: TextIO | None = None,
    stdin: BinaryIO | None = None,
) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    if args_list == ["--version"]:  # what argparse would print, without building the parser
        out.write(f"postlint {__version__}\n")
        out.flush()
        return EXIT_CLEAN
    if not args_list or (args_list[0] not in COMMANDS and args_list[0] not in ("-h", "--help", "--version")):
        if args_list and _looks_like_a_command(args_list[0]):
            import difflib

            # 0.8: `chekc` and `rulez` find their command; `lint` is not `init`.
            close = difflib.get_close_matches(args_list[0], COMMANDS, n=1, cutoff=0.8)
            hint = f"; did you mean `postlint {close[0]}`?" if close else f" (commands: {', '.join(COMMANDS)})"
            _say(err, f"postlint: error: {args_list[0]}: no such command or path{hint}")
            return EXIT_ERROR
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
        if args.command == "init":
            return _init(args, out, err)
        if args.command == "server":
            from postlint.integrations.lsp import serve

            return serve(err)
        args.stdin = stdin
        return _check(args, out, err)
    except UsageError as exc:
        _say(err, f"postlint: error: {exc}")
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130


def _looks_like_a_command(word: str) -> bool:
    """A bare word such as `chek` or `lint` that names neither a command nor
    an existing path: a mistyped command, not a folder to lint."""
    import re

    return re.fullmatch(r"[A-Za-z][A-Za-z0-9_-]*", word) is not None and not os.path.lexists(word)


def _registry(cache: CacheDB | None = None) -> Registry:
    from postlint.engine.registry import RuleError, load

    try:
        registry = load(cache)
    except RuleError as exc:
        raise UsageError(str(exc)) from exc
    # Plugins that failed to load are left out; each is named once per process.
    for line in registry.failures:
        if line not in _FAILURES_SAID:
            _FAILURES_SAID.add(line)
            print(f"postlint: warning: {line}", file=sys.stderr)
    return registry


_FAILURES_SAID: set[str] = set()


def _early_cache(args: argparse.Namespace, paths: list[Path]) -> CacheDB | None:
    """The cache database of this run (None with --no-cache), found before
    the configuration is read: it keeps the entry-point scan."""
    if args.no_cache:
        return None
    from postlint.engine.config import early_cache_dir
    from postlint.files.cachedb import CacheDB

    folder = args.cache_dir if args.cache_dir is not None else early_cache_dir(paths, args.config)
    return CacheDB.shared(folder) if folder is not None else None


def _rule(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from postlint.integrations.docs import rule_json, rule_text

    registry = _registry()
    rule = registry.get(args.code)
    if rule is None:
        raise UsageError(f"no rule {args.code!r}; `postlint rules` lists them")
    out.write(rule_json(rule) if args.output_format == "json" else rule_text(rule))
    return EXIT_CLEAN


def _rules(args: argparse.Namespace, out: TextIO) -> int:
    from postlint.integrations.docs import rules_json, rules_text

    registry = _registry()
    out.write(rules_json(registry) if args.output_format == "json" else rules_text(registry))
    return EXIT_CLEAN


def _init(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from postlint.integrations.init import InitError, render, schema_target, survey, write

    if not args.path.exists():
        raise UsageError(f"{args.path}: no such file or folder")
    found = survey(args.path)
    if found.config is None:
        _say(err, f"postlint: warning: no _config.yml at or above {args.path}: not a Jekyll site; "
                  f"the configuration goes in {found.root}")
    if args.stdout and args.schema is not None:
        raise UsageError("--stdout prints the configuration only; --schema writes a file: use one or the other")
    if args.stdout:
        return EXIT_CLEAN if _write(None, out, render(found), err) else EXIT_ERROR
    try:
        schema = schema_target(found, args.schema) if args.schema is not None else None
        target = write(found, schema)
    except InitError as exc:
        raise UsageError(str(exc)) from exc
    fields = ", ".join(found.url_fields) or "none"
    _say(err, f"postlint: wrote {target} from {found.posts} post{'s' if found.posts != 1 else ''}: "
              f"URL fields {fields}; date keys {', '.join(found.date_keys)} ({found.date_format}); "
              f"timezone {found.timezone or 'not set in _config.yml'}"
              + (f"; front-matter schema {schema}" if schema is not None else ""))
    return EXIT_CLEAN


def _color(stream: TextIO) -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty()) and os.environ.get("TERM") != "dumb"


def _report(args: argparse.Namespace, result: Any, registry: Registry, settings: Settings, files: int,
            stream: TextIO) -> Report:
    """The report of a run (or of standard input) as every output format gets it."""
    from postlint.reporters import Report

    return Report(
        diagnostics=result.diagnostics,
        registry=registry,
        rules=result.linter.rules,
        files=files,
        fixed=result.fixed,
        color=args.output_file is None and _color(stream),
        statistics=args.statistics,
        fix_mode=args.fix,
        unsafe_fixes=args.unsafe_fixes,
        sarif_root=args.sarif_root,
        sarif_category=args.sarif_category,
        date_options=dict(settings.tables.get("dates", {})),
    )


def _say(err: TextIO, text: str) -> None:
    """One line on standard error. File names, server replies and post text
    reach it: control characters are shown escaped, never sent raw (a CR or
    LF would start a forged workflow command in a GitHub log, ESC would drive
    the terminal)."""
    from postlint.model.escape import visible

    try:
        print(visible(text), file=err)
    except BrokenPipeError:  # `postlint ... 2>&1 | head -1`: the reader has gone
        silence(err)


def silence(stream: TextIO) -> None:
    """After a BrokenPipeError (the reader of a pipe went away, as with
    `| head -1`): later writes to the stream, and the interpreter's last flush,
    go to the null device instead of ending in a traceback."""
    try:
        fd = stream.fileno()
    except (OSError, ValueError, AttributeError):  # not a real file (a StringIO)
        return
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, fd)
        os.close(devnull)
    except OSError:
        pass


def _summaries(lines: list[str], err: TextIO) -> None:
    # After the report, on standard error: never mixed into a machine-readable report.
    for line in lines:
        _say(err, f"postlint: {line}")


def _check(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    stdin_name = stdin_path(args, err)  # `-`: standard input, linted as this path
    paths: list[Path] = [stdin_name] if stdin_name else args.paths or [Path(".")]
    missing = [] if stdin_name else [p for p in paths if not p.exists()]
    if missing:
        raise UsageError(", ".join(f"{p}: no such file or folder" for p in missing))
    if args.config is not None and not args.config.is_file():
        raise UsageError(f"{args.config}: no such configuration file")
    attempt = None
    if stdin_name is None and not args.no_cache:
        # Nothing the last such run depended on changed: its output again
        # (postlint.engine.warm), before anything else is imported. (Not
        # imported at all without the cache: warm.eligible says no to
        # --no-cache, and the module and hashlib cost 5 ms.)
        from postlint.engine import warm

        if warm.eligible(args):
            attempt = warm.Attempt.start(args, paths, out, err)
    if attempt is not None:
        status = attempt.replay(out, err, lambda path, text: _write(path, out, text, err), silence)
        if status is not None:
            return status
        out, err = attempt.begin(out, err)
    status = _check_run(args, out, err, stdin_name, paths, attempt)
    if attempt is not None:
        attempt.save(status)
    return status


def _check_run(
    args: argparse.Namespace, out: TextIO, err: TextIO, stdin_name: Path | None, paths: list[Path],
    attempt: Attempt | None = None,
) -> int:
    from postlint.adapters.yaml import import_pyyaml
    from postlint.engine.config import load_settings
    from postlint.engine.discover import discover
    from postlint.engine.run import RunOptions, run
    from postlint.model.errors import ConfigError
    from postlint.model.site import find_site
    from postlint.reporters import renderer

    import_pyyaml()  # (before anything reads _config.yml or front matter: see there)

    registry = _registry(_early_cache(args, paths))
    try:
        settings = load_settings(paths, config_file=args.config, table_schemas=registry.tables())
    except ConfigError as exc:
        _say(err, f"postlint: configuration error: {exc}")
        return EXIT_ERROR
    if args.select is not None:
        if not args.select:
            raise UsageError("--select names no rule (codes, prefixes, names or ALL, comma-separated)")
        # A new selection on the command line starts afresh, as ruff's does:
        # the configuration's select, extend-select and ignore give way, so
        # `--select HD002` runs HD002 even where the configuration ignores it.
        settings.select = args.select
        settings.extend_select = []
        settings.ignore = []
    settings.extend_select = settings.extend_select + args.extend_select
    settings.ignore = settings.ignore + args.ignore
    if args.exclude is not None:
        settings.exclude = [_rebase(p, settings.root) for p in args.exclude]
    settings.exclude = settings.exclude + [_rebase(p, settings.root) for p in args.extend_exclude]
    if args.per_file_ignores is not None:
        settings.per_file_ignores = {}
    for glob, codes in (args.per_file_ignores or []) + args.extend_per_file_ignores:
        glob = _rebase(glob, settings.root)
        settings.per_file_ignores = {
            **settings.per_file_ignores, glob: settings.per_file_ignores.get(glob, []) + codes
        }
    if args.fail_on is not None:
        settings.fail_on = args.fail_on
    if args.no_network:
        settings.network = False
    if args.no_cache:
        settings.use_cache = False
    if args.cache_dir is not None:
        settings.cache_dir = args.cache_dir
    if args.max_findings_per_rule is not None:
        settings.max_findings_per_rule = args.max_findings_per_rule
    unknown = registry.unknown(
        settings.select + settings.extend_select + settings.ignore + list(settings.severity)
        + [s for sels in settings.per_file_ignores.values() for s in sels]
    )
    if unknown:
        raise UsageError(f"unknown rule selector{'s' if len(unknown) > 1 else ''}: {', '.join(unknown)}")
    output_format = args.output_format or settings.output_format

    if args.force_exclude is not None:
        settings.force_exclude = args.force_exclude
    network_off = None if settings.network else (
        "--no-network" if args.no_network else f"[urls] network = false in {settings.config_file}"
    )
    if args.show_settings:
        return _show_settings(paths, settings, registry, output_format, network_off, args.output_file, out, err)
    if stdin_name is not None:
        return check_stdin(args, stdin_name, settings, registry, output_format, out, err)
    found = discover(paths, root=settings.root, exclude=settings.exclude, force_exclude=settings.force_exclude)
    if args.show_files:
        from postlint.engine.discover import display_path

        listing = "".join(visible_line(shown) + "\n" for shown in sorted(display_path(f) for f in found.files))
        if not _write(args.output_file, out, listing, err):
            return EXIT_ERROR
        return EXIT_CLEAN
    # One site per folder (a linked file may belong elsewhere): 10,000 posts, a few folders.
    # A link that leads outside the repository is not followed here either.
    from postlint.files.safe import inside

    links = found.links  # (most runs have none: no Path hashed to look)
    places = {
        str(f) if links and f in links and inside(str(f), str(settings.root)) else os.path.dirname(f) or "."
        for f in found.files
    }
    for problem in sorted({p for place in places for p in find_site(Path(place)).problems}):
        _say(err, f"postlint: warning: {problem}")
    if not found.files:
        _say(err, f"postlint: no posts found in {', '.join(str(p) for p in paths)}")
    partial = all(p.is_file() for p in paths)
    if args.verbose:
        _explain_setup(args, settings, found, places, err)
    baseline, shown_cap = _baseline(args, settings)
    try:
        result = run(
            found.files,
            settings,
            registry,
            None,
            RunOptions(
                fix=args.fix, unsafe_fixes=args.unsafe_fixes, diff=args.diff,
                network=settings.network, partial=partial,
                keep=baseline.keeper(settings.root) if baseline is not None else None,
            ),
        )
    except ConfigError as exc:  # a rule refused its options (e.g. an invalid schema)
        _say(err, f"postlint: configuration error: {exc}")
        return EXIT_ERROR
    if args.verbose:
        _explain_rules(registry, settings, result.linter.rules, network_off, err)
        for note in result.notes:
            _say(err, f"postlint: {note}")

    if (baseline is not None or args.write_baseline is not None) and not args.diff:
        from postlint.engine.baseline import BaselineError, apply

        try:
            applied = apply(
                result.diagnostics, root=settings.root, linted=found.files, ran=[r.code for r in result.linter.rules],
                baseline=baseline, write_to=args.write_baseline, cap=shown_cap,
            )
        except BaselineError as exc:
            raise UsageError(str(exc)) from exc
        result.diagnostics = applied.diagnostics
        result.summaries = result.summaries + applied.notes

    # A rule that crashed, or a fix that could not be written: exit 2.
    internal = any(d.code in ("PL000", "PL005") for d in result.diagnostics)
    if args.diff:
        if not _write(args.output_file, out, "".join(result.diffs), err):
            return EXIT_ERROR
        if result.diffs:
            _say(err, f"postlint: {result.fixed} fix{'es' if result.fixed != 1 else ''} would be applied")
        _summaries(result.summaries, err)
        if internal:
            return EXIT_ERROR
        return EXIT_FINDINGS if result.diffs and not args.exit_zero else EXIT_CLEAN

    if attempt is not None:
        attempt.learn(settings=settings, result=result, registry=registry, files=found.files,
                      output_format=output_format, examined=found.examined)
    report = _report(args, result, registry, settings, result.files, out)
    if not _write(args.output_file, out, renderer(output_format)(report), err):
        return EXIT_ERROR
    if args.statistics and output_format == "sarif":
        # A SARIF log is for code scanning, which needs every result: the
        # report stays whole and the counts go to standard error.
        from postlint.reporters import statistics_lines, summary_line

        for line in [*statistics_lines(report), summary_line(report)]:
            _say(err, line)
    _summaries(result.summaries, err)
    if internal:
        return EXIT_ERROR
    if failing(result.diagnostics, settings.fail_on) and not args.exit_zero:
        return EXIT_FINDINGS
    return EXIT_CLEAN


def _baseline(args: argparse.Namespace, settings: Settings) -> tuple[Baseline | None, int]:
    """--baseline's file, read (a missing or corrupt one is a usage error),
    and the per-rule cap to apply after it: with a baseline the run keeps every
    finding, so that the baseline, not the cap, decides which are shown."""
    if args.baseline is None and args.write_baseline is None:
        return None, settings.max_findings_per_rule
    if args.write_baseline is not None and args.diff:
        raise UsageError("--write-baseline records findings; --diff writes nothing: use one or the other")
    if args.write_baseline is not None and args.write_baseline.is_dir():
        # Said before the run: --fix would otherwise have written the posts already.
        raise UsageError(f"{args.write_baseline}: is a folder; --write-baseline needs a file name")
    from postlint.engine.baseline import Baseline, BaselineError

    baseline = None
    if args.baseline is not None:
        try:
            baseline = Baseline.load(args.baseline)
        except BaselineError as exc:
            raise UsageError(str(exc)) from exc
    cap = settings.max_findings_per_rule
    settings.max_findings_per_rule = 0
    return baseline, cap


def failing(diagnostics: Sequence[object], fail_on: str) -> bool:
    """Does any finding reach the threshold? `info` never fails a run unless
    the threshold is `info` itself."""
    rank = {level: i for i, level in enumerate(reversed(SEVERITY_LEVELS))}  # info 0 ... error 2
    least = rank[fail_on]
    return any(rank.get(getattr(d, "severity", "error"), 2) >= least for d in diagnostics)
def visible_line(text: str) -> str:
    from postlint.model.escape import visible

    return visible(text)


def _explain_setup(
    args: argparse.Namespace, settings: Settings, found: Discovery, places: set[str], err: TextIO,
) -> None:
    """-v: the configuration and the Jekyll sites used, the files found."""
    from collections import Counter

    from postlint.model.site import find_site

    if settings.config_file is not None:
        how = "given with --config" if args.config is not None else "the nearest above the paths"
        _say(err, f"postlint: configuration: {settings.config_file} ({how})")
    else:
        _say(err, f"postlint: configuration: none found above the paths; defaults (root {settings.root})")
    sites = sorted({str(site.root / "_config.yml") for site in (find_site(Path(p)) for p in places) if site.root})
    for config in sites:
        _say(err, f"postlint: Jekyll site: {config}")
    if places and not sites:
        _say(err, "postlint: Jekyll site: no _config.yml above the posts (Jekyll's defaults)")
    reasons = Counter(reason for _, reason in found.excluded)
    why = "; ".join(f"{n} by {reason}" for reason, n in sorted(reasons.items()))
    n, x = len(found.files), len(found.excluded)
    _say(err, f"postlint: files: {n + x} found, {x} excluded{' (' + why + ')' if why else ''}, {n} to lint")


def _explain_rules(
    registry: Registry, settings: Settings, ran: list[Rule], network_off: str | None, err: TextIO,
) -> None:
    """-v: the rules that ran, and those that did not and why (a rule that
    skips itself, as JK002 on a partial run, says so in the notes that follow)."""
    selected = registry.select(settings.select, settings.extend_select, settings.ignore)
    codes = {r.code for r in ran}
    _say(err, f"postlint: rules: {len(ran)} ran: {', '.join(r.code for r in ran)}")
    offline = [r.code for r in selected if r.code not in codes and r.network]
    if offline:
        _say(err, f"postlint: rules skipped, network off ({network_off}): {', '.join(offline)}")
    off = [r.code for r in registry if r.code not in {s.code for s in selected}]
    if off:
        _say(err, f"postlint: rules not selected (select/ignore): {', '.join(off)}")


def _show_settings(
    paths: list[Path],
    settings: Settings,
    registry: Registry,
    output_format: str,
    network_off: str | None,
    output_file: Path | None,
    out: TextIO,
    err: TextIO,
) -> int:
    """--show-settings: what postlint would use for `paths`, resolved (JSON)."""
    import json

    from postlint.engine.discover import display_path, relative_path
    from postlint.files.cachedb import cache_dir
    from postlint.files.globs import match
    from postlint.model.site import find_site

    selected = registry.select(settings.select, settings.extend_select, settings.ignore)
    running = [r for r in selected if settings.network or not r.network]
    doc: dict[str, Any] = {
        "configuration": str(settings.config_file) if settings.config_file else None,
        "root": str(settings.root),
        "select": settings.select,
        "extend-select": settings.extend_select,
        "ignore": settings.ignore,
        "per-file-ignores": settings.per_file_ignores,
        "exclude": settings.exclude,
        "force-exclude": settings.force_exclude,
        "schema": str(settings.schema) if settings.schema else None,
        "schemas": {glob: str(path) for glob, path in settings.schemas.items()},
        "severity": settings.severity,
        "output-format": output_format,
        "network": settings.network,
        "network-off-by": network_off,
        "cache": settings.use_cache,
        "cache-dir": str(cache_dir(settings)),
        "rules": {r.code: {"name": r.name, "options": settings.options(r)} for r in running},
        "rules-skipped": {
            r.code: "network off" if r in selected else "not selected" for r in registry if r not in running
        },
        "paths": {},
    }
    for path in paths:
        site = find_site(path)
        entry: dict[str, Any] = {
            "site": {
                "config": str(site.root / "_config.yml") if site.root else None,
                "timezone": site.timezone, "permalink": site.permalink, "future": site.future,
                "exclude": list(site.exclude),
            },
        }
        if path.is_file():
            relpath = relative_path(path, settings.root)
            ignored = [sel for glob, sels in settings.per_file_ignores.items() if match(glob, relpath) for sel in sels]
            schema = next((str(p) for glob, p in settings.schemas.items() if match(glob, relpath)), None)
            entry.update({
                "relative-to-root": relpath,
                "ignored-here": ignored,
                "schema-here": schema or (str(settings.schema) if settings.schema else None),
            })
        doc["paths"][display_path(path)] = entry
    text = json.dumps(doc, indent=2, default=str) + "\n"
    return EXIT_CLEAN if _write(output_file, out, text, err) else EXIT_ERROR


def _write(path: Path | None, out: TextIO, text: str, err: TextIO) -> bool:
    """The report to standard output or to `path`; False (said on standard
    error) when the file cannot be written."""
    if path is None:
        try:
            out.write(text)
            out.flush()
        except BrokenPipeError:
            # The reader stopped reading (`| head -1`): what it wanted it got;
            # the exit status still says whether there were findings.
            silence(out)
        return True
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
    except OSError as exc:
        _say(err, f"postlint: error: cannot write {path}: {exc.strerror or exc}")
        return False
    record = getattr(out, "record_file", None)  # a warm run's recording (engine.warm.Tee)
    if record is not None:
        record(path, text)
    return True


# -- standard input ------------------------------------------------------------
#
# `postlint check --stdin-filename PATH -`: standard input linted as the file at PATH.
#
# As ruff does it: the configuration, the Jekyll site and the per-file rules are
# those of PATH (which need not exist; nothing is read from it or written to
# it), and every report names PATH. Without ``--stdin-filename`` the text is
# linted as ``stdin.md`` in the working folder, and postlint says so on standard
# error. With ``--fix`` standard output receives the text after the fixes and
# nothing else (the text unchanged when nothing applies or it cannot be fixed,
# so an editor that pipes a buffer through postlint never loses it); the report
# of the findings that remain goes to standard error, in the chosen output
# format (or to ``--output-file``). ``--diff`` prints the fixes as a diff of PATH
# instead. Bytes that are not UTF-8 are an EN001 finding, as in a file.

STDIN = "-"
DEFAULT_NAME = "stdin.md"


def stdin_path(args: argparse.Namespace, err: TextIO) -> Path | None:
    """The path standard input is linted as, or None when the run reads files."""

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


def check_stdin(
    args: argparse.Namespace, path: Path, settings: Settings, registry: Registry, output_format: str,
    out: TextIO, err: TextIO,
) -> int:
    from postlint.engine.discover import _excluded_file, display_path
    from postlint.engine.run import RunOptions, _diff, check_source
    from postlint.model.errors import ConfigError
    from postlint.reporters import renderer

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
    report = _report(args, result, registry, settings, 1, report_to)
    if not _write(args.output_file, report_to, renderer(output_format)(report), err):
        return EXIT_ERROR
    _summaries(result.summaries, err)
    if internal:
        return EXIT_ERROR
    if failing(result.diagnostics, settings.fail_on) and not args.exit_zero:
        return EXIT_FINDINGS
    return EXIT_CLEAN
