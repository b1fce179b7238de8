"""The GitHub Action: action.yml and the example workflow validate against the
schemas check-jsonschema ships, and the action's step runs here as GitHub runs
it: the `run` command and `env` of action.yml (inputs filled in), in a
workspace, with GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, GITHUB_WORKSPACE and
GITHUB_ACTION_PATH set. Only the install is skipped (input `install: false`):
postlint is already installed in this environment."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import REPO
from tests.integration.conftest import new_repo

ACTION = REPO / "action.yml"
WORKFLOW = REPO / "examples" / "workflows" / "postlint.yml"


def _vendored_schema(name: str) -> Any:
    base = resources.files("check_jsonschema") / "builtin_schemas" / "vendor" / name
    return json.loads(base.read_text(encoding="utf-8"))


class _Yaml12Loader(yaml.SafeLoader):
    """YAML 1.2 booleans, as GitHub reads workflows: `on:` is a key, not True."""


_Yaml12Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Yaml12Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def _load_yaml(path: Path) -> Any:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_Yaml12Loader)  # noqa: S506 - a SafeLoader


@pytest.mark.parametrize(("path", "schema"), [(ACTION, "github-actions.json"), (WORKFLOW, "github-workflows.json")])
def test_validates_against_the_github_schema(path: Path, schema: str) -> None:
    from jsonschema import Draft7Validator

    validator = Draft7Validator(_vendored_schema(schema))
    errors = sorted(validator.iter_errors(_load_yaml(path)), key=str)
    assert not errors, [e.message for e in errors]


def test_workflow_uploads_sarif_with_the_permission_and_caches() -> None:
    workflow = _load_yaml(WORKFLOW)
    assert workflow["permissions"]["security-events"] == "write"
    assert "pull_request" in workflow["on"]
    steps = workflow["jobs"]["postlint"]["steps"]
    uses = [step.get("uses", "") for step in steps]
    cache = steps[next(i for i, u in enumerate(uses) if u.startswith("actions/cache@"))]
    assert cache["with"]["path"] == ".postlint_cache"
    upload = steps[next(i for i, u in enumerate(uses) if u.startswith("github/codeql-action/upload-sarif@"))]
    assert upload["with"]["sarif_file"] == "${{ steps.postlint.outputs.sarif-file }}"
    assert uses.index(next(u for u in uses if u.startswith("postlint/postlint@"))) < uses.index(upload["uses"])


def test_readme_shows_the_example_workflow() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert WORKFLOW.read_text(encoding="utf-8") in readme


def test_action_installs_from_its_own_checkout() -> None:
    script = (REPO / "action" / "run.sh").read_text(encoding="utf-8")
    assert re.search(r'pip install [^\n]*"\$\{GITHUB_ACTION_PATH', script)


# --- the step, run -----------------------------------------------------------------

SITE = {
    "_config.yml": "title: Test\ntimezone: Europe/Amsterdam\n",
    "_posts/2019-05-13-goed.md": (
        "---\nlayout: post\ntitle: Goed\n"
        "date: Mon, 13 May 2019 10:00:00 +0200\n---\n<p>Tekst.</p>\n"
    ),
}
BAD = {
    # FM003 at 4:1
    "_posts/2019-05-14-dubbel.md": (
        "---\nlayout: post\ntitle: Een\ntitle: Twee\n"
        "date: Tue, 14 May 2019 10:00:00 +0200\n---\n<p>x</p>\n"
    ),
    # DT002 (a Monday that was a Wednesday) at 3:7, DT003 (GMT) at 3:33
    "_posts/2019-05-15-weekdag.md": (
        "---\nlayout: post\ndate: Mon, 15 May 2019 10:00:00 GMT\n"
        "title: Weekdag\n---\n<p>x</p>\n"
    ),
}


class StepRun:
    def __init__(self, proc: subprocess.CompletedProcess[str], workspace: Path, temp: Path) -> None:
        self.code, self.log = proc.returncode, proc.stdout + proc.stderr
        self.workspace = workspace
        self.outputs = dict(
            line.split("=", 1) for line in (temp / "output").read_text(encoding="utf-8").splitlines() if line
        )
        self.summary = (temp / "summary").read_text(encoding="utf-8")


def run_step(workspace: Path, temp: Path, **inputs: str) -> StepRun:
    """action.yml's step, its `${{ inputs.* }}` replaced by the inputs given or
    the defaults, run by bash as the runner does."""
    action = _load_yaml(ACTION)
    values = {name: spec.get("default", "") for name, spec in action["inputs"].items()}
    values.update({"install": "false", "network": "false"}, **{k.replace("_", "-"): v for k, v in inputs.items()})
    assert set(values) == set(action["inputs"]), "an input that action.yml does not declare"
    [step] = [s for s in action["runs"]["steps"] if s.get("id") == "postlint"]

    def fill(text: str) -> str:
        return re.sub(r"\$\{\{\s*inputs\.([\w-]+)\s*\}\}", lambda m: values[m.group(1)], text)

    temp.mkdir(exist_ok=True)
    for name in ("output", "summary"):
        (temp / name).write_text("", encoding="utf-8")
    env = {
        "PATH": str(Path(sys.executable).parent) + ":/usr/bin:/bin",
        "HOME": str(temp),
        "NO_COLOR": "1",
        "GITHUB_ACTIONS": "true",
        "GITHUB_WORKSPACE": str(workspace),
        "GITHUB_ACTION_PATH": str(REPO),
        "GITHUB_OUTPUT": str(temp / "output"),
        "GITHUB_STEP_SUMMARY": str(temp / "summary"),
        "RUNNER_TEMP": str(temp),
        # install: false uses the postlint of this interpreter.
        "POSTLINT_PYTHON": sys.executable,
        **{key: fill(value) for key, value in step["env"].items()},
    }
    assert step["shell"] == "bash"
    proc = subprocess.run(
        ["bash", "-e", "-c", step["run"]], cwd=workspace, env=env, capture_output=True, text=True, timeout=300
    )
    return StepRun(proc, workspace, temp)


def annotations(log: str) -> list[tuple[str, str, int, str]]:
    """(kind, file, line, title) of every ::error/::warning/::notice with a file."""
    out = []
    for m in re.finditer(r"^::(error|warning|notice) ([^:]*)::", log, re.MULTILINE):
        props = dict(p.split("=", 1) for p in m.group(2).split(","))
        if "file" in props:
            out.append((m.group(1), props["file"], int(props["line"]), props["title"]))
    return sorted(out)


def test_step_annotates_summarises_and_writes_sarif(tmp_path: Path, sarif_validator: Any) -> None:
    workspace = new_repo(tmp_path / "workspace", {**SITE, **BAD})
    step = run_step(workspace, tmp_path / "runner")

    assert step.code == 1  # findings, and fail-on-findings defaults to true
    assert annotations(step.log) == [
        ("error", "_posts/2019-05-14-dubbel.md", 4, "FM003"),
        ("error", "_posts/2019-05-15-weekdag.md", 3, "DT002"),
        ("warning", "_posts/2019-05-15-weekdag.md", 3, "DT003"),
    ]

    assert step.outputs["findings"] == "3" and step.outputs["exit-code"] == "1"
    sarif_path = Path(step.outputs["sarif-file"])
    assert sarif_path == tmp_path / "runner" / "postlint.sarif"  # the default: $RUNNER_TEMP/postlint.sarif
    doc = json.loads(sarif_path.read_text(encoding="utf-8"))
    sarif_validator.validate(doc)
    [run] = doc["runs"]
    assert run["automationDetails"]["id"] == "postlint/"
    assert sorted(
        (
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            r["locations"][0]["physicalLocation"]["region"]["startLine"],
            r["ruleId"],
        )
        for r in run["results"]
    ) == [
        ("_posts/2019-05-14-dubbel.md", 4, "FM003"),
        ("_posts/2019-05-15-weekdag.md", 3, "DT002"),
        ("_posts/2019-05-15-weekdag.md", 3, "DT003"),
    ]

    rows = re.findall(
        r"^\| \[?([A-Z]+\d{3})\]?(?:\([^)]*\))? \| `([a-z-]+)` \| ([a-z, ]+) \| (\d+) \|$", step.summary, re.MULTILINE
    )
    assert sorted(rows) == [
        ("DT002", "wrong-weekday", "error", "1"),
        ("DT003", "obsolete-date-syntax", "warning", "1"),
        ("FM003", "duplicate-key", "error", "1"),
    ]
    assert str(sarif_path) in step.summary


def test_step_can_leave_the_job_green_and_honours_the_inputs(tmp_path: Path, sarif_validator: Any) -> None:
    workspace = new_repo(tmp_path / "workspace", {**SITE, **BAD})
    step = run_step(
        workspace, tmp_path / "runner",
        fail_on_findings="false", sarif_file="reports/out.sarif", sarif_category="posts/nl",
        args="--select FM003", paths="_posts",
    )
    assert step.code == 0
    assert annotations(step.log) == [("error", "_posts/2019-05-14-dubbel.md", 4, "FM003")]
    assert step.outputs["findings"] == "1"
    sarif = workspace / "reports" / "out.sarif"
    assert Path(step.outputs["sarif-file"]) == sarif
    doc = json.loads(sarif.read_text(encoding="utf-8"))
    sarif_validator.validate(doc)
    assert doc["runs"][0]["automationDetails"]["id"] == "posts/nl/"
    assert [r["id"] for r in doc["runs"][0]["tool"]["driver"]["rules"]] == ["FM003"]


def test_step_on_a_clean_site(tmp_path: Path, sarif_validator: Any) -> None:
    workspace = new_repo(tmp_path / "workspace", SITE)
    step = run_step(workspace, tmp_path / "runner", output_format="concise")
    assert step.code == 0
    assert annotations(step.log) == []
    assert step.outputs["findings"] == "0" and step.outputs["exit-code"] == "0"
    sarif_validator.validate(json.loads(Path(step.outputs["sarif-file"]).read_text(encoding="utf-8")))
    assert "|---|" not in step.summary  # no table without findings


def test_step_with_another_log_format_still_writes_sarif(tmp_path: Path) -> None:
    workspace = new_repo(tmp_path / "workspace", {**SITE, **BAD})
    step = run_step(workspace, tmp_path / "runner", output_format="concise")
    assert step.code == 1
    assert annotations(step.log) == []
    assert "_posts/2019-05-14-dubbel.md:4:1: error FM003" in step.log
    assert step.outputs["findings"] == "3" and Path(step.outputs["sarif-file"]).is_file()


def test_step_fails_on_a_usage_error_even_when_told_not_to_fail(tmp_path: Path) -> None:
    workspace = new_repo(tmp_path / "workspace", SITE)
    step = run_step(workspace, tmp_path / "runner", args="--select NOPE999", fail_on_findings="false")
    assert step.code == 2
    assert step.outputs["exit-code"] == "2" and step.outputs["sarif-file"] == ""
    assert "exit status 2" in step.summary


def test_summary_on_an_error_shows_the_error_not_no_findings(tmp_path: Path) -> None:
    workspace = new_repo(tmp_path / "workspace", SITE)
    step = run_step(workspace, tmp_path / "runner", args="--select NOPE999")
    assert step.code == 2
    assert "No findings" not in step.summary
    assert "unknown rule selector: NOPE999" in step.summary
    assert "unknown rule selector: NOPE999" in step.log  # and still in the log
    step = run_step(workspace, tmp_path / "runner", args="--no-such-flag")
    assert step.code == 2 and "No findings" not in step.summary
    assert "unrecognized arguments: --no-such-flag" in step.summary
    # A configuration error, with a hostile key name: shown in a code block, escaped.
    bad = tmp_path / "bad"
    new_repo(bad, {**SITE, ".postlint.toml": '"sel\\r::error::forged\\u001b[2J" = 1\n'})
    step = run_step(bad, tmp_path / "runner2")
    assert step.code == 2 and "No findings" not in step.summary
    assert "configuration error" in step.summary and "unknown key" in step.summary
    assert "\x1b" not in step.summary and "\r" not in step.summary
    assert "\\r::error::forged\\x1b[2J" in step.summary
    block = step.summary.split("```text\n", 1)[1].split("\n```", 1)[0]
    assert "unknown key" in block


def test_summary_counts_files_with_findings_and_files_checked(tmp_path: Path) -> None:
    workspace = new_repo(tmp_path / "workspace", {**SITE, **BAD})
    step = run_step(workspace, tmp_path / "runner")
    assert "**3 findings** in 2 files (3 checked)" in step.summary


def test_step_with_a_baseline_reports_only_new_findings(tmp_path: Path, sarif_validator: Any) -> None:
    workspace = new_repo(tmp_path / "workspace", {**SITE, **BAD})
    recorded = subprocess.run(
        [
            sys.executable,
            "-m",
            "postlint",
            "check",
            "--no-network",
            "--write-baseline",
            ".github/postlint-baseline.json",
        ],
        cwd=workspace,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert recorded.returncode == 0, recorded.stderr
    # Recorded: a green step, whatever the old findings.
    clean = run_step(workspace, tmp_path / "runner", baseline=".github/postlint-baseline.json")
    assert clean.code == 0, clean.log
    assert annotations(clean.log) == [] and clean.outputs["findings"] == "0"
    assert "3 findings in the baseline" in clean.summary

    # A new post with a duplicate key: only it is annotated, and it fails the step.
    new = BAD["_posts/2019-05-14-dubbel.md"].replace("Tue, 14", "Thu, 16")
    (workspace / "_posts/2019-05-16-nieuw.md").write_text(new, encoding="utf-8")
    step = run_step(workspace, tmp_path / "runner2", baseline=".github/postlint-baseline.json")
    assert step.code == 1, step.log
    assert annotations(step.log) == [("error", "_posts/2019-05-16-nieuw.md", 4, "FM003")]
    assert step.outputs["findings"] == "1"
    doc = json.loads(Path(step.outputs["sarif-file"]).read_text(encoding="utf-8"))
    sarif_validator.validate(doc)
    assert [r["ruleId"] for r in doc["runs"][0]["results"]] == ["FM003"]

    # A baseline that is not there: postlint's error, exit status 2.
    missing = run_step(workspace, tmp_path / "runner3", baseline="nowhere.json")
    assert missing.code == 2 and missing.outputs["exit-code"] == "2"
    assert "no such baseline file" in missing.summary
# --- the HTML report as an artifact --------------------------------------------------


def test_html_report_is_uploaded_by_the_actions_own_step() -> None:
    action = _load_yaml(ACTION)
    steps = action["runs"]["steps"]
    assert [s.get("id") for s in steps] == ["postlint", "html-report"]
    upload = steps[1]
    assert upload["uses"].startswith("actions/upload-artifact@")
    # Only when the main step wrote the report, and also when it failed the job on findings.
    assert upload["if"] == "${{ !cancelled() && steps.postlint.outputs.html-file != '' }}"
    assert upload["with"]["path"] == "${{ steps.postlint.outputs.html-file }}"
    assert upload["with"]["name"] == "${{ inputs.html-report-artifact }}"
    assert action["inputs"]["html-report"]["default"] == "false"
    assert action["outputs"]["html-artifact-url"]["value"] == "${{ steps.html-report.outputs.artifact-url }}"
    # The documented workflow turns it on.
    step = next(s for s in _load_yaml(WORKFLOW)["jobs"]["postlint"]["steps"] if s.get("id") == "postlint")
    assert step["with"]["html-report"] == "true"


def test_step_writes_the_html_report_when_asked(tmp_path: Path) -> None:
    workspace = new_repo(tmp_path / "workspace", {**SITE, **BAD})
    step = run_step(workspace, tmp_path / "runner", html_report="true")
    assert step.code == 1  # still fails on findings; the upload step runs anyway (!cancelled())
    report = Path(step.outputs["html-file"])
    assert report == tmp_path / "runner" / "postlint-report.html"
    page = report.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert re.search(r'data-total="findings">3<', page)
    assert sorted(re.findall(r'<tr data-index="\d+" data-rule="(\w+)"', page)) == ["DT002", "DT003", "FM003"]
    assert str(report) in step.summary
    # Its own place; off by default; and not written when postlint stops with an error.
    step = run_step(workspace, tmp_path / "runner2", html_report="true", html_report_file="out/report.html")
    assert Path(step.outputs["html-file"]) == workspace / "out" / "report.html"
    assert run_step(workspace, tmp_path / "runner3").outputs["html-file"] == ""
    (tmp_path / "runner4").mkdir()
    stale = tmp_path / "runner4" / "postlint-report.html"
    stale.write_text("old", encoding="utf-8")
    step = run_step(workspace, tmp_path / "runner4", html_report="true", args="--select NOPE999")
    assert step.code == 2 and step.outputs["html-file"] == "" and not stale.exists()
