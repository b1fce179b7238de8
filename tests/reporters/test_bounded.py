"""Reports proportional to the findings shown, whatever the post holds; at
most max-findings-per-rule findings of a rule per file; valid UTF-8 for any
file name; fingerprints that a long line's far edits leave alone."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from postlint.engine.config import Settings
from postlint.model import diagnostic
from tests.conftest import lint, positions, run_cli, write_site

HEAD = "---\nlayout: post\ntitle: a\ndate: Mon, 13 May 2019 10:00:00 +0200\n---\n"
PATH = "_posts/2019-05-13-a.md"


def _stray(n: int) -> str:
    return HEAD + "<p>x</p>\n" + "</div>" * n + "\n"


def test_at_most_max_findings_per_rule_then_one_that_counts_the_rest() -> None:
    found = [d for d in lint(_stray(250)) if d.code == "HT003"]
    assert len(found) == diagnostic.MAX_FINDINGS_PER_RULE + 1 == 101
    # In file order: the first 100, then the 101st standing for the 150 left.
    assert positions(found) == [(7, 1 + 6 * i, "HT003") for i in range(101)]
    assert "149" in found[-1].message and "149" not in found[0].message
    assert [d.not_shown for d in found] == [0] * 100 + [149]


def test_the_limit_is_configurable_and_zero_means_all() -> None:
    settings = Settings(root=Path("."))
    settings.max_findings_per_rule = 5
    assert len([d for d in lint(_stray(40), settings=settings) if d.code == "HT003"]) == 6
    settings.max_findings_per_rule = 0
    assert len([d for d in lint(_stray(300), settings=settings) if d.code == "HT003"]) == 300
    assert len([d for d in lint(_stray(100)) if d.code == "HT003"]) == 100


def test_limit_from_configuration_and_command_line(tmp_path: Path) -> None:
    write_site(tmp_path, {PATH: _stray(30)})
    (tmp_path / ".postlint.toml").write_text("max-findings-per-rule = 10\n", encoding="utf-8")
    doc = run_cli(["check", "--output-format", "json", "--select", "HT003", "--no-cache", "."], cwd=tmp_path).json()
    assert doc["summary"]["findings"] == 11
    doc = run_cli(["check", "--output-format", "json", "--select", "HT003", "--no-cache",
                   "--max-findings-per-rule", "3", "."], cwd=tmp_path).json()
    assert [(d["line"], d["column"]) for d in doc["diagnostics"]] == [(7, 1), (7, 7), (7, 13), (7, 19)]
    bad = run_cli(["check", "--max-findings-per-rule", "-1", "."], cwd=tmp_path)
    assert bad.code == 2


def test_reports_count_what_was_not_shown(tmp_path: Path, report_validator: Any, sarif_validator: Any) -> None:
    write_site(tmp_path, {PATH: _stray(130)})
    args = ["check", "--select", "HT003", "--no-cache", "--max-findings-per-rule", "10"]
    doc = run_cli([*args, "--output-format", "json", "."], cwd=tmp_path).json()
    report_validator.validate(doc)
    assert doc["summary"]["findings"] == 11 and doc["summary"]["not_shown"] == 119
    assert [d["not_shown"] for d in doc["diagnostics"]] == [0] * 10 + [119]
    sarif_doc = json.loads(run_cli([*args, "--output-format", "sarif", "."], cwd=tmp_path).out)
    sarif_validator.validate(sarif_doc)
    run = sarif_doc["runs"][0]
    assert run["properties"]["notShown"] == 119 and run["results"][-1]["properties"]["notShown"] == 119
    # --statistics counts every finding, shown or not.
    stats = run_cli([*args, "--statistics", "."], cwd=tmp_path).out.splitlines()
    assert stats[0].split()[:2] == ["130", "HT003"]
    text = run_cli([*args, "."], cwd=tmp_path).out
    assert "119" in text.splitlines()[-1]


def test_fix_still_repairs_every_finding_beyond_the_limit(tmp_path: Path) -> None:
    body = "<p>" + "woord\u200b " * 500 + "</p>\n"
    write_site(tmp_path, {PATH: HEAD + body})
    result = run_cli(
        ["check", "--fix", "--select", "EN003", "--output-format", "json", "--no-cache", "."], cwd=tmp_path
    )
    assert result.json()["summary"]["fixed"] == 500
    assert "\u200b" not in (tmp_path / PATH).read_text(encoding="utf-8")


def test_sarif_of_many_findings_on_one_long_line_stays_small(tmp_path: Path) -> None:
    # The issue: the SARIF of a 24 KB post was 100 MB (each result carried the line).
    write_site(tmp_path, {PATH: _stray(4000)})
    out = run_cli(["check", "--output-format", "sarif", "--select", "HT003", "--no-cache", "."], cwd=tmp_path).out
    doc = json.loads(out)
    results = doc["runs"][0]["results"]
    assert len(results) == 101
    assert len(out.encode("utf-8")) < 2_000 * len(results) + 50_000


def _fingerprint(site: Path) -> list[str]:
    doc = json.loads(
        run_cli(["check", "--output-format", "sarif", "--select", "HT003", "--no-cache", "."], cwd=site).out
    )
    return [next(iter(r["partialFingerprints"].values())) for r in doc["runs"][0]["results"]]


def test_fingerprint_survives_an_edit_far_along_the_same_line(tmp_path: Path) -> None:
    line = "<p>" + "a" * 3000 + "</p></div><p>" + "b" * 3000 + "</p>\n"
    write_site(tmp_path, {PATH: HEAD + line})
    before = _fingerprint(tmp_path)
    assert len(before) == 1
    # Ten characters changed at each end of the line, thousands of columns away.
    edited = "<p>" + "c" * 10 + line[13:-15] + "d" * 10 + "</p>\n"
    assert len(edited) == len(line) and edited != line
    (tmp_path / PATH).write_text(HEAD + edited, encoding="utf-8")
    assert _fingerprint(tmp_path) == before
    (tmp_path / PATH).write_text(HEAD + line.replace("</p></div>", "</p> </div>"), encoding="utf-8")
    assert _fingerprint(tmp_path) != before


@pytest.fixture
def odd_name_site(tmp_path: Path) -> Path:
    # A post whose file name is not UTF-8 (Latin-1 é): the path reaches postlint
    # as str with a surrogate escape.
    name = os.fsdecode(b"_posts/2019-05-13-caf\xe9.md")
    return write_site(tmp_path, {name: "---\nlayout: post\ntitle: a\ntitle: b\n---\n"})


def test_json_is_valid_utf8_for_an_undecodable_file_name(odd_name_site: Path, report_validator: Any) -> None:
    out = run_cli(["check", "--output-format", "json", "--select", "FM003", "--no-cache", "."], cwd=odd_name_site).out
    doc = json.loads(out.encode("utf-8").decode("utf-8"))
    report_validator.validate(doc)
    [finding] = doc["diagnostics"]
    assert finding["path"] == "_posts/2019-05-13-caf\\xE9.md"
    assert (finding["line"], finding["column"], finding["code"]) == (4, 1, "FM003")


def test_sarif_is_valid_utf8_and_percent_encodes_the_byte(odd_name_site: Path, sarif_validator: Any) -> None:
    out = run_cli(["check", "--output-format", "sarif", "--select", "FM003", "--no-cache", "--sarif-root", ".", "."],
                  cwd=odd_name_site).out
    doc = json.loads(out.encode("utf-8").decode("utf-8"))
    sarif_validator.validate(doc)
    [result] = doc["runs"][0]["results"]
    assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "_posts/2019-05-13-caf%E9.md"


def test_reports_written_by_the_process_are_utf8(odd_name_site: Path) -> None:
    import subprocess

    from tests.conftest import POSTLINT

    for fmt in ("json", "sarif"):
        done = subprocess.run([POSTLINT, "check", "--output-format", fmt, "--select", "FM003", "--no-cache", "."],
                              cwd=odd_name_site, capture_output=True, timeout=120)
        assert done.returncode == 1, done.stderr
        json.loads(done.stdout.decode("utf-8"))
