"""The GitHub Action's work: action.yml runs action/run.sh, which runs this module.

One lint run writes the SARIF report; the annotations in the log, the step
outputs and the job summary are read from that same report, so they never
disagree with what code scanning receives and the posts are linted once (with
the network when it is on). Any other log format than `github` is a second
run, which the cache makes cheap.

Inputs arrive as the INPUT_* variables that action.yml sets (a composite action
does not export them itself): PATHS and ARGS are split like a shell command
line; SARIF_FILE defaults to $RUNNER_TEMP/postlint.sarif.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
import tempfile
from collections import Counter, defaultdict
from collections.abc import Mapping
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import unquote, urlparse
from urllib.request import url2pathname

from postlint.cli import silence
from postlint.model.diagnostic import Diagnostic, Severity
from postlint.model.escape import markdown_inline, visible
from postlint.model.patterns import lazy

_SEVERITY: dict[str, Severity] = {"error": "error", "warning": "warning", "note": "info", "none": "info"}
_ORDER: tuple[Severity, ...] = ("error", "warning", "info")


class Inputs:
    def __init__(self, env: Mapping[str, str]) -> None:
        self.paths = shlex.split(env.get("INPUT_PATHS", "") or ".")
        self.args = shlex.split(env.get("INPUT_ARGS", ""))
        self.output_format = (env.get("INPUT_OUTPUT_FORMAT", "") or "github").strip()
        self.sarif_category = env.get("INPUT_SARIF_CATEGORY", "").strip()
        self.fail = _flag(env.get("INPUT_FAIL_ON_FINDINGS", "true"))
        self.network = _flag(env.get("INPUT_NETWORK", "true"))
        self.baseline = env.get("INPUT_BASELINE", "").strip()
        temp = env.get("RUNNER_TEMP") or tempfile.gettempdir()
        self.sarif_file = Path(env.get("INPUT_SARIF_FILE", "").strip() or Path(temp) / "postlint.sarif").absolute()
        # The HTML report (--output-format html), which action.yml's next step
        # uploads as an artifact when the html-file output is set.
        self.html_report = _flag(env.get("INPUT_HTML_REPORT", "false"))
        self.html_file = Path(
            env.get("INPUT_HTML_REPORT_FILE", "").strip() or Path(temp) / "postlint-report.html"
        ).absolute()


def _flag(value: str) -> bool:
    return value.strip().lower() not in ("false", "0", "no", "off", "")


def postlint_args(inputs: Inputs, output_format: str, *extra: str) -> list[str]:
    args = ["check", "--output-format", output_format, *extra]
    if not inputs.network:
        args.append("--no-network")
    if inputs.baseline:
        args += ["--baseline", inputs.baseline]
    if output_format == "sarif":
        args += ["-o", str(inputs.sarif_file)]
        if inputs.sarif_category:
            args += ["--sarif-category", inputs.sarif_category]
    if output_format == "html":
        args += ["-o", str(inputs.html_file)]
    return args + inputs.args + ["--", *inputs.paths]


def _postlint(args: list[str], errors: list[str] | None = None) -> int:
    """postlint in a child process, so the action sees it exactly as its users
    do. With `errors`, its standard error is also kept there (line by line) for
    the job summary; it still reaches the log as it comes."""
    command = [sys.executable, "-m", "postlint", *args]
    if errors is None:
        return subprocess.run(command, check=False).returncode
    with subprocess.Popen(command, stderr=subprocess.PIPE) as proc:
        assert proc.stderr is not None
        for raw in proc.stderr:
            line = raw.decode("utf-8", "replace").rstrip("\r\n")
            errors.append(line)
            if len(errors) > 400:  # bounded: the error lines and the last lines are what the summary shows
                errors[:] = [e for e in errors[:-100] if _ERROR_LINE.match(e)][-200:] + errors[-100:]
            _emit(sys.stderr, line + "\n")
    return proc.returncode


_BASELINE_NOTE = lazy(r"^postlint: \d+ (?:findings? in the baseline|baseline entr(?:y|ies) no longer match)")
_ERROR_LINE = lazy(r"^postlint(?: check)?: (?:[a-z ]+ )?error\b")


def _emit(stream: TextIO, text: str) -> bool:
    """Write to the log; a reader that went away (`... | head -1`) is not an
    error of the action: the rest of its work (outputs, summary) still happens.
    False once the stream is closed."""
    try:
        stream.write(text)
        stream.flush()
        return True
    except BrokenPipeError:
        silence(stream)
        return False
    except ValueError:  # already closed
        return False




def diagnostics_from_sarif(doc: dict[str, Any], workspace: Path) -> list[Diagnostic]:
    """The SARIF results as Diagnostics. Annotations name files relative to the
    repository's root, which is what a SARIF URI relative to %SRCROOT% (the git
    top level) already is; a file outside it is named relative to the workspace."""
    out: list[Diagnostic] = []
    for run in doc.get("runs", []):
        for result in run.get("results", []):
            location = result["locations"][0]["physicalLocation"]
            uri = location["artifactLocation"]["uri"]
            if urlparse(uri).scheme:
                path = _file_path(uri)
                try:
                    shown = path.resolve().relative_to(workspace.resolve()).as_posix()
                except ValueError:
                    shown = path.as_posix()
            else:
                shown = unquote(uri)
            region = location.get("region", {})
            line = region.get("startLine", 1)
            column = region.get("startColumn", 1)
            end_line = region.get("endLine", line)
            end_column = region.get("endColumn", column + 1)
            out.append(
                Diagnostic(
                    shown, line, column, end_line, end_column, result["ruleId"],
                    _SEVERITY.get(result.get("level", "warning"), "warning"),
                    result["message"]["text"],
                )
            )
    return out


def _file_path(uri: str) -> Path:
    parsed = urlparse(uri)
    return Path(url2pathname(unquote(parsed.path))) if parsed.scheme == "file" else Path(unquote(uri))


def _code(text: str) -> str:
    """`text` as a Markdown code span, whatever backticks it holds."""
    text = visible(text)
    runs = {len(m) for m in re.findall(r"`+", text)}
    fence = "`" * next(n for n in range(1, len(runs) + 2) if n not in runs)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _code_block(lines: list[str]) -> list[str]:
    """Lines as a fenced code block that nothing in them can close."""
    shown = [visible(line) for line in lines]
    longest = max((len(m) for line in shown for m in re.findall(r"`{3,}", line)), default=0)
    fence = "`" * max(3, longest + 1)
    return [fence + "text", *shown, fence]


def _error_lines(errors: list[str], limit: int = 20) -> list[str]:
    """What postlint said about the error: its error lines, else its last lines."""
    said = [line for line in errors if line.strip()]
    picked = [line for line in said if _ERROR_LINE.match(line)]
    picked = picked or said
    return picked[-limit:]


def summary_markdown(
    doc: dict[str, Any], diagnostics: list[Diagnostic], sarif_file: Path, status: int,
    errors: list[str] | None = None,
) -> str:
    run = doc["runs"][0] if doc.get("runs") else {}
    props = run.get("properties", {})
    total = props.get("findings", len(diagnostics))
    files = props.get("files")
    rules = {r["id"]: r for r in run.get("tool", {}).get("driver", {}).get("rules", [])}
    by_rule: dict[str, Counter[Severity | None]] = defaultdict(Counter)
    for d in diagnostics:
        by_rule[d.code][d.severity] += 1

    from postlint.engine.registry import load

    names = {rule.code: rule.name for rule in load()}
    having = len({d.path for d in diagnostics})
    checked = f" ({files} checked)" if files is not None else ""
    where = f" in {having} file{'s' if having != 1 else ''}{checked}"
    lines = ["## postlint", ""]
    if status == 2:
        lines.append("**postlint stopped with an error** (exit status 2):")
        lines.append("")
        said = _error_lines(errors or [])
        lines += _code_block(said) if said else ["(it said nothing; see the step's log)"]
        lines.append("")
    if not total:
        if status != 2:
            lines.append(
                f"No findings in {files} file{'s' if files != 1 else ''}." if files is not None else "No findings."
            )
    else:
        counts = Counter(d.severity for d in diagnostics)
        kinds = ", ".join(f"{counts[s]} {_plural(s, counts[s])}" for s in _ORDER if counts[s])
        lines.append(f"**{total} finding{'s' if total != 1 else ''}**{where}: {kinds}.")
        lines += ["", "| Rule | Name | Severity | Findings |", "|---|---|---|--:|"]
        for code, counter in sorted(by_rule.items(), key=lambda kv: (-sum(kv[1].values()), kv[0])):
            uri = rules.get(code, {}).get("helpUri")
            shown = f"[{code}]({uri})" if uri else code
            severities = ", ".join(s for s in _ORDER if counter[s])
            name = names.get(code, "")
            lines.append(f"| {shown} | {'`' + name + '`' if name else ''} | {severities} | {sum(counter.values())} |")
    for invocation in run.get("invocations", []):
        for note in invocation.get("toolExecutionNotifications", []):
            lines += ["", f"> {markdown_inline(note['message']['text'])}"]
    for line in errors or []:  # what the baseline held back, or no longer matches
        if _BASELINE_NOTE.match(line):
            lines += ["", f"> {markdown_inline(line.split(': ', 1)[1])}"]
    if lines[-1]:
        lines.append("")
    lines += [f"SARIF report: {_code(str(sarif_file))}" if doc else "No SARIF report was written.", ""]
    return "\n".join(lines)


def _plural(severity: str, n: int) -> str:
    return severity if severity == "info" or n == 1 else severity + "s"


def _write_outputs(path: str | None, values: dict[str, str]) -> None:
    if not path:
        return
    with open(path, "a", encoding="utf-8") as handle:
        handle.writelines(f"{key}={value}\n" for key, value in values.items())


def main(env: Mapping[str, str] | None = None, out: TextIO | None = None) -> int:
    env = os.environ if env is None else env
    out = out or sys.stdout
    inputs = Inputs(env)
    workspace = Path(env.get("GITHUB_WORKSPACE") or Path.cwd())
    inputs.sarif_file.parent.mkdir(parents=True, exist_ok=True)
    if inputs.sarif_file.exists():
        inputs.sarif_file.unlink()  # never report a stale file from an earlier run

    errors: list[str] = []
    status = _postlint(postlint_args(inputs, "sarif"), errors)
    doc: dict[str, Any] = {}
    if inputs.sarif_file.is_file():
        try:
            doc = json.loads(inputs.sarif_file.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            errors.append(f"postlint: error: cannot read the SARIF report {inputs.sarif_file}: {exc}")
            status = 2
    diagnostics = diagnostics_from_sarif(doc, workspace)
    total = doc["runs"][0].get("properties", {}).get("findings", len(diagnostics)) if doc.get("runs") else 0

    _emit(out, "")
    if inputs.output_format == "github":
        from postlint.engine.registry import load
        from postlint.reporters import Report
        from postlint.reporters.github import render

        _emit(out, render(Report(diagnostics, load(), [])))
    elif status != 2:
        _postlint(postlint_args(inputs, inputs.output_format, "--exit-zero"))

    # The HTML report: a second run like any other format (the cache makes it
    # cheap); never a stale file from an earlier run.
    html_written = False
    if inputs.html_report:
        if inputs.html_file.exists():
            inputs.html_file.unlink()
        if status != 2:
            _postlint(postlint_args(inputs, "html", "--exit-zero"))
            html_written = inputs.html_file.is_file()

    _write_outputs(
        env.get("GITHUB_OUTPUT"),
        {
            "findings": str(total), "sarif-file": str(inputs.sarif_file) if doc else "", "exit-code": str(status),
            "html-file": str(inputs.html_file) if html_written else "",
        },
    )
    summary = env.get("GITHUB_STEP_SUMMARY")
    if summary:
        with open(summary, "a", encoding="utf-8") as handle:
            handle.write(summary_markdown(doc, diagnostics, inputs.sarif_file, status, errors))
            if html_written:
                handle.write(f"HTML report: {_code(str(inputs.html_file))}, attached to the run as an artifact.\n")
    if status == 2:
        return 2
    if status == 1 and inputs.fail:
        _emit(out, f"postlint: {total} finding{'s' if total != 1 else ''}; failing the step (fail-on-findings)\n")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
