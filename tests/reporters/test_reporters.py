"""Every output format, validated against its schema where it has one."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from postlint.reporters.github import escape_data, escape_property
from tests.conftest import run_cli, write_site

POSTS = {
    "_posts/2019-05-13-dubbel.md": "---\nlayout: post\ntitle: a\ntitle: b\n---\n<p>Tekst.</p>\n",
    "_posts/nieuws.md": "---\ntitle: x\n---\n",
    "_posts/2019-05-15-stuk.md": "---\ntitle: [x\n---\n",
}


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return write_site(tmp_path, POSTS)


def test_json_report_validates_and_carries_positions(site: Path, report_validator) -> None:  # type: ignore[no-untyped-def]
    doc = run_cli(["check", "--output-format", "json", "--select", "FM00,JK001", "."], cwd=site).json()
    report_validator.validate(doc)
    found = [(d["path"], d["line"], d["column"], d["code"]) for d in doc["diagnostics"]]
    assert found == [
        ("_posts/2019-05-13-dubbel.md", 4, 1, "FM003"),
        ("_posts/2019-05-15-stuk.md", 3, 1, "FM002"),
        ("_posts/nieuws.md", 1, 1, "JK001"),
    ]
    assert doc["summary"]["files"] == 3 and doc["summary"]["findings"] == 3


def test_json_report_of_a_clean_run_validates(tmp_path: Path, report_validator) -> None:  # type: ignore[no-untyped-def]
    write_site(
        tmp_path,
        {"_posts/2019-05-13-a.md": "---\nlayout: post\ntitle: a\ndate: Mon, 13 May 2019 10:00:00 +0200\n---\n"},
    )
    doc = run_cli(["check", "--output-format", "json", "."], cwd=tmp_path).json()
    report_validator.validate(doc)
    assert doc["diagnostics"] == []


def test_sarif_validates_and_has_what_code_scanning_needs(site: Path, sarif_validator) -> None:  # type: ignore[no-untyped-def]
    result = run_cli(
        [
            "check",
            "--output-format",
            "sarif",
            "--select",
            "FM00,JK001",
            "--sarif-root",
            ".",
            "--sarif-category",
            "posts",
            ".",
        ],
        cwd=site,
    )
    doc = json.loads(result.out)
    sarif_validator.validate(doc)
    run = doc["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "postlint" and driver["version"] and driver["informationUri"]
    ids = [r["id"] for r in driver["rules"]]
    for rule in driver["rules"]:
        for key in ("id", "name", "shortDescription", "fullDescription", "help", "helpUri", "defaultConfiguration"):
            assert key in rule
    assert run["automationDetails"]["id"] == "posts/"
    assert len(run["results"]) == 3
    for res in run["results"]:
        assert ids[res["ruleIndex"]] == res["ruleId"]
        loc = res["locations"][0]["physicalLocation"]
        assert loc["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        assert not loc["artifactLocation"]["uri"].startswith("/")
        region = loc["region"]
        assert region["startLine"] >= 1 and region["startColumn"] >= 1 and region["endColumn"] >= region["startColumn"]
        assert res["partialFingerprints"]
    dup = next(r for r in run["results"] if r["ruleId"] == "FM003")
    assert dup["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "_posts/2019-05-13-dubbel.md"
    assert dup["locations"][0]["physicalLocation"]["region"]["startLine"] == 4


def test_sarif_lists_only_rules_that_ran(site: Path, sarif_validator) -> None:  # type: ignore[no-untyped-def]
    doc = json.loads(run_cli(["check", "--output-format", "sarif", "--select", "FM003", "."], cwd=site).out)
    sarif_validator.validate(doc)
    assert [r["id"] for r in doc["runs"][0]["tool"]["driver"]["rules"]] == ["FM003"]


def _fingerprint(site: Path) -> str:
    doc = json.loads(run_cli(["check", "--output-format", "sarif", "--select", "FM003", "."], cwd=site).out)
    [result] = doc["runs"][0]["results"]
    return next(iter(result["partialFingerprints"].values()))


def test_fingerprint_survives_unrelated_edits(site: Path) -> None:
    post = site / "_posts/2019-05-13-dubbel.md"
    before = _fingerprint(site)
    assert before == _fingerprint(site)  # stable across runs
    post.write_text("---\nlayout: post\nauthor: Ann\ncategory: x\ntitle: a\ntitle: b\n---\n<p>Andere tekst.</p>\n")
    assert _fingerprint(site) == before  # lines moved, the flagged line is the same
    post.write_text("---\nlayout: post\ntitle: a\ntitle: c\n---\n<p>Tekst.</p>\n")
    assert _fingerprint(site) != before  # the flagged line itself changed


def test_github_annotations_and_escaping(site: Path) -> None:
    result = run_cli(["check", "--output-format", "github", "--select", "FM00,JK001", "."], cwd=site)
    lines = [line for line in result.out.splitlines() if line.startswith("::")]
    first = "::error file=_posts/2019-05-13-dubbel.md,line=4,col=1,endLine=4,endColumn=6,title=FM003::FM003 "
    assert first in lines[0] + "\n" or lines[0].startswith(first)
    assert escape_data("a%b\r\nc") == "a%25b%0D%0Ac"
    assert escape_property("a:b,c%") == "a%3Ab%2Cc%25"


def test_github_omits_columns_for_multi_line_findings() -> None:
    from postlint.engine.registry import load
    from postlint.model.diagnostic import Diagnostic
    from postlint.reporters import Report
    from postlint.reporters.github import render

    d = Diagnostic("p.md", 2, 3, 4, 1, "FM002", "error", "x")
    out = render(Report([d], load(), []))
    assert out.startswith("::error file=p.md,line=2,endLine=4,title=FM002::")


def test_github_caps_annotations_most_severe_first() -> None:
    from postlint.engine.registry import load
    from postlint.model.diagnostic import Diagnostic
    from postlint.reporters import Report
    from postlint.reporters.github import PER_STEP, render

    diagnostics = [Diagnostic("p.md", i, 1, i, 2, "FM003", "warning", "w") for i in range(1, 16)]
    diagnostics += [Diagnostic("p.md", 100 + i, 1, 100 + i, 2, "FM003", "error", "e") for i in range(15)]
    out = render(Report(diagnostics, load(), [])).splitlines()
    commands = [line.split(" ", 1)[0] for line in out if line.startswith("::")]
    assert commands.count("::error") == PER_STEP and commands.count("::warning") == PER_STEP
    assert commands[:PER_STEP] == ["::error"] * PER_STEP
    assert out[-1].startswith("::notice") and "10 more" in out[-1]


def test_sarif_locations_outside_the_root_and_snippets(tmp_path: Path, sarif_validator) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "site").mkdir()
    site = write_site(tmp_path / "site", POSTS)
    (tmp_path / "root").mkdir()
    doc = json.loads(
        run_cli(
            ["check", "--output-format", "sarif", "--select", "FM003", "--sarif-root", str(tmp_path / "root"), "."],
            cwd=site,
        ).out
    )
    sarif_validator.validate(doc)
    [result] = doc["runs"][0]["results"]
    physical = result["locations"][0]["physicalLocation"]
    # Outside the SARIF root: an absolute URI, and then no base id (SARIF 3.4.4).
    assert physical["artifactLocation"]["uri"].startswith("file:///")
    assert "uriBaseId" not in physical["artifactLocation"]
    assert physical["region"]["snippet"]["text"] == "title"
    assert physical["contextRegion"]["snippet"]["text"] == "title: b"
