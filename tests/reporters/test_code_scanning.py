"""SARIF as GitHub code scanning reads it: the per-run cap, the rule help,
tags and severities, URIs relative to the git top level, stable fingerprints."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from postlint.engine.registry import load
from postlint.model.diagnostic import Diagnostic
from postlint.reporters import Report, sarif
from tests.conftest import run_cli, write_site
from tests.integration.conftest import git


def _results(doc: dict[str, Any]) -> list[tuple[str, int, str]]:
    return sorted(
        (
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            r["locations"][0]["physicalLocation"]["region"]["startLine"],
            r["ruleId"],
        )
        for r in doc["runs"][0]["results"]
    )


def test_results_are_capped_most_severe_first_with_a_notification(
    monkeypatch: pytest.MonkeyPatch, sarif_validator: Any
) -> None:
    monkeypatch.setattr(sarif, "MAX_RESULTS", 3)
    registry = load()
    diagnostics = [
        Diagnostic("a.md", 1, 1, 1, 2, "DT003", "warning", "w"),
        Diagnostic("a.md", 2, 1, 2, 2, "FM003", "error", "e"),
        Diagnostic("b.md", 1, 1, 1, 2, "DT005", "info", "i"),
        Diagnostic("b.md", 2, 1, 2, 2, "DT004", "warning", "w"),
        Diagnostic("c.md", 9, 1, 9, 2, "FM003", "error", "e"),
    ]
    doc = sarif.document(
        Report(diagnostics, registry, [registry.rules[c] for c in ("DT003", "DT004", "DT005", "FM003")], files=3)
    )
    sarif_validator.validate(doc)
    # Both errors stay, then the first warning in path order; the info and a warning go.
    assert _results(doc) == [("a.md", 1, "DT003"), ("a.md", 2, "FM003"), ("c.md", 9, "FM003")]
    [note] = doc["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert note["level"] == "warning" and note["properties"]["leftOut"] == 2
    assert doc["runs"][0]["properties"] == {"findings": 5, "files": 3, "notShown": 0}


def test_no_notification_at_the_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sarif, "MAX_RESULTS", 2)
    diagnostics = [Diagnostic("a.md", i, 1, i, 2, "FM003", "error", "e") for i in (1, 2)]
    doc = sarif.document(Report(diagnostics, load(), []))
    assert len(doc["runs"][0]["results"]) == 2
    assert doc["runs"][0]["invocations"][0]["toolExecutionNotifications"] == []


def test_rule_descriptors_carry_help_tags_and_severity() -> None:
    registry = load()
    for rule in registry:
        descriptor = sarif.rule_descriptor(rule)
        markdown = descriptor["help"]["markdown"]
        # The docstring's sections, one level below the alert's title, and the link.
        for section in ("What it does", "Why is this bad?", "Example", "Use instead", "Options"):
            if f"## {section}" in rule.doc:
                assert f"\n#### {section}\n" in markdown, (rule.code, section)
        assert "\n## " not in markdown
        assert sarif.help_uri(rule) in markdown and descriptor["helpUri"] == sarif.help_uri(rule)
        assert descriptor["help"]["text"]
        props = descriptor["properties"]
        assert rule.family in props["tags"] and 0 < len(props["tags"]) <= sarif.MAX_TAGS
        assert (
            props["problem.severity"]
            == {"error": "error", "warning": "warning", "info": "recommendation"}[rule.severity]
        )
        assert (
            descriptor["defaultConfiguration"]["level"]
            == {"error": "error", "warning": "warning", "info": "note"}[rule.severity]
        )


def test_uris_are_relative_to_the_git_top_level_by_default(tmp_path: Path, sarif_validator: Any) -> None:
    repo = tmp_path / "repo"
    (repo / "blog").mkdir(parents=True)
    site = write_site(repo / "blog", {"_posts/2019-05-13-a.md": "---\nlayout: post\ntitle: a\ntitle: b\n---\n"})
    git(repo, "init", "-q")
    doc = json.loads(run_cli(["check", "--output-format", "sarif", "--select", "FM003", "."], cwd=site).out)
    sarif_validator.validate(doc)
    assert _results(doc) == [("blog/_posts/2019-05-13-a.md", 4, "FM003")]
    root = doc["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"]
    assert root == repo.resolve().as_uri() + "/"

    doc = json.loads(
        run_cli(
            ["check", "--output-format", "sarif", "--select", "FM003", "--sarif-root", "blog", "blog"], cwd=repo
        ).out
    )
    assert _results(doc) == [("_posts/2019-05-13-a.md", 4, "FM003")]


def _fingerprints(site: Path) -> dict[str, str]:
    doc = json.loads(run_cli(["check", "--output-format", "sarif", "--select", "EN003", "."], cwd=site).out)
    return {r["message"]["text"]: next(iter(r["partialFingerprints"].values())) for r in doc["runs"][0]["results"]}


def test_fingerprints_survive_edits_of_other_lines_in_the_body(tmp_path: Path) -> None:
    head = "---\nlayout: post\ntitle: a\ndate: Mon, 13 May 2019 10:00:00 +0200\n---\n"
    stray = "<p>Een zero\u200bwidth space.</p>\n"
    site = write_site(tmp_path, {"_posts/2019-05-13-a.md": head + "<p>Begin.</p>\n" + stray + "<p>Einde.</p>\n"})
    post = site / "_posts/2019-05-13-a.md"
    before = _fingerprints(site)
    assert len(before) == 1
    # A new paragraph above, the last one rewritten, a front-matter key added.
    post.write_text(
        head.replace("layout: post\n", "layout: post\nauthor: Ann\n")
        + "<p>Nieuw.</p>\n<p>Begin.</p>\n"
        + stray
        + "<p>Anders.</p>\n",
        encoding="utf-8",
    )
    assert _fingerprints(site) == before
    post.write_text(head + "<p>Begin.</p>\n" + stray.replace("Een", "Twee") + "<p>Einde.</p>\n", encoding="utf-8")
    assert list(_fingerprints(site).values()) != list(before.values())
