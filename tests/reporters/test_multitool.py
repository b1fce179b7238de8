"""SARIF that every consumer accepts: Microsoft's validator (`sarif-multitool
validate`) finds no error and no warning in the reports of examples/ and of
each shared corpus; contextRegion only where it is a proper superset of region."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest

from postlint.engine.registry import load
from postlint.model.diagnostic import Diagnostic
from postlint.model.lines import LineIndex
from postlint.reporters import Report, sarif
from tests.conftest import REPO, missing_tool, run_cli

POLICY = Path(__file__).with_name("multitool.config.xml")
CORPORA = REPO.parent / "shared" / "corpora"
TARGETS = ["examples", "jekyll-jekyll", "ruby-www.ruby-lang.org", "scala-scala-lang"]


def validate(multitool: Path, report: Path) -> list[dict[str, Any]]:
    """The validator's results (errors, warnings and notes) on one SARIF file.
    Its policy turns off SARIF2006, the one rule that would GET every URI."""
    out = report.with_suffix(".validation.sarif")
    done = subprocess.run(
        [str(multitool), "validate", str(report), "-c", str(POLICY), "--level", "Error;Warning;Note",
         "-o", str(out), "--log", "ForceOverwrite"],
        capture_output=True, text=True, timeout=600,
    )
    assert out.is_file(), done.stdout + done.stderr
    results = json.loads(out.read_text(encoding="utf-8-sig"))["runs"][0].get("results", [])
    assert not any(r["ruleId"] == "SARIF2006" for r in results)
    return results


@pytest.mark.parametrize("target", TARGETS)
def test_multitool_finds_no_error_or_warning(target: str, sarif_multitool: Path, tmp_path: Path) -> None:
    folder = REPO / "examples" if target == "examples" else CORPORA / target
    if not folder.is_dir():
        missing_tool(f"{folder} is absent (../shared)")
    report = tmp_path / "report.sarif"
    # The corpora lie outside this repository: URIs relative to each, as a
    # checkout of that site would have them.
    result = run_cli(["check", "--output-format", "sarif", "--no-network", "--no-cache", "--sarif-root", str(folder),
                      "-o", str(report), str(folder)])
    assert result.code in (0, 1), result.err
    doc = json.loads(report.read_text(encoding="utf-8"))
    assert doc["runs"][0]["results"] or target != "examples"
    found = validate(sarif_multitool, report)
    serious = [(r["ruleId"], r["level"]) for r in found if r.get("level", "warning") in ("error", "warning")]
    assert serious == []
    # What is left are notes, explained in the README (SARIF2002 message
    # strings, SARIF2003 version control, SARIF2011 context of whole lines).
    assert {r["ruleId"] for r in found} <= {"SARIF2002", "SARIF2003", "SARIF2011"}


def test_multitool_rejects_what_it_should(sarif_multitool: Path, tmp_path: Path) -> None:
    # The validator, as the tests run it, does see SARIF1008: a contextRegion
    # identical to its region (what postlint wrote before).
    doc = sarif.document(Report([_on("<p>een</p>", 1, 1, 11)], load(), []))
    physical = doc["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    physical["contextRegion"] = dict(physical["region"])
    report = tmp_path / "bad.sarif"
    report.write_text(json.dumps(doc), encoding="utf-8")
    assert "SARIF1008" in {r["ruleId"] for r in validate(sarif_multitool, report) if r["level"] == "error"}


def _on(source: str, line: int, column: int, end_column: int, end_line: int = 0) -> Diagnostic:
    end_line = end_line or line
    excerpt = LineIndex(source).excerpt(line, column, end_line, end_column)
    return Diagnostic("a.md", line, column, end_line, end_column, "HT003", "error", "m", None, excerpt)


def _location(d: Diagnostic) -> dict[str, Any]:
    doc = sarif.document(Report([d], load(), []))
    return doc["runs"][0]["results"][0]["locations"][0]["physicalLocation"]


def _span(region: dict[str, Any]) -> tuple[int, int, int, int]:
    return (region["startLine"], region["startColumn"], region["endLine"], region["endColumn"])


def test_context_region_only_when_a_proper_superset() -> None:
    # A whole line: the region is all there is.
    whole = _location(_on("<p>een</p>", 1, 1, 11))
    assert "contextRegion" not in whole and whole["region"]["snippet"]["text"] == "<p>een</p>"
    # Part of a line: the line (or its window) around it.
    part = _location(_on("<p>een</div></p>", 1, 7, 13))
    assert part["region"]["snippet"]["text"] == "</div>"
    assert _span(part["contextRegion"]) == (1, 1, 1, 17)
    assert part["contextRegion"]["snippet"]["text"] == "<p>een</div></p>"
    # Several lines: no narrower context, and no snippet the finding cannot carry.
    multi = _location(_on("<p>een\ntwee</p>", 1, 4, 5, end_line=2))
    assert "contextRegion" not in multi and "snippet" not in multi["region"]


def test_context_of_a_long_line_is_a_bounded_window_containing_the_region() -> None:
    line = "x" * 50_000 + "</div>" + "y" * 50_000
    location = _location(_on(line, 1, 50_001, 50_007))
    context = location["contextRegion"]
    assert context["startColumn"] < 50_001 and context["endColumn"] > 50_007
    assert context["endColumn"] - context["startColumn"] == len(context["snippet"]["text"]) <= 400
    assert context["snippet"]["text"][50_001 - context["startColumn"] :][:6] == "</div>"


def test_rule_names_are_pascal_case() -> None:
    for rule in load():
        name = sarif.rule_descriptor(rule)["name"]
        assert re.fullmatch(r"[A-Z][A-Za-z0-9]*", name), (rule.code, name)
        assert name.lower() == rule.name.replace("-", "").lower()
    assert sarif.pascal("invalid-utf8") == "InvalidUtf8" and sarif.pascal("body-h1") == "BodyH1"


def test_files_outside_the_sarif_root_are_absolute_uris_and_only_a_note(sarif_multitool: Path, tmp_path: Path) -> None:
    # A site linted from outside the repository the report is for: its files
    # get absolute file: URIs, which the validator accepts with one note
    # (SARIF2016, explained in the README), no error or warning.
    site = tmp_path / "site"
    (site / "_posts").mkdir(parents=True)
    (site / "_config.yml").write_text("title: t\n", encoding="utf-8")
    (site / "_posts" / "nieuws.md").write_text("---\nlayout: post\ntitle: a\n---\n<p>x</p>\n", encoding="utf-8")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    report = tmp_path / "report.sarif"
    result = run_cli(["check", "--output-format", "sarif", "--no-network", "--no-cache", "--sarif-root", str(elsewhere),
                      "-o", str(report), str(site)])
    assert result.code == 1, result.err
    doc = json.loads(report.read_text(encoding="utf-8"))
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in doc["runs"][0]["results"]}
    assert uris and all(u.startswith("file:///") and u.endswith("/site/_posts/nieuws.md") for u in uris), uris
    found = validate(sarif_multitool, report)
    assert [(r["ruleId"], r["level"]) for r in found if r.get("level", "warning") in ("error", "warning")] == []
    assert "SARIF2016" in {r["ruleId"] for r in found}
    assert {r["ruleId"] for r in found} <= {"SARIF2002", "SARIF2003", "SARIF2011", "SARIF2016"}
