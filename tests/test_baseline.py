"""The baseline through the command line: --write-baseline records the findings,
--baseline reports only the others; entries follow their text, not their line."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.conftest import REPO, run_cli, write_site

CONFIG = "title: Test\ntimezone: Europe/Amsterdam\n"
# FM003 at 4:1 (title twice), HT002 at 8:1 (<div> never closed).
OLD = (
    "---\nlayout: post\ntitle: Een\ntitle: Twee\ndate: Wed, 15 May 2019 10:00:00 +0200\n---\n"
    "<p>Tekst.</p>\n<div>open\n"
)
CLEAN = "---\nlayout: post\ntitle: Schoon\ndate: Thu, 16 May 2019 10:00:00 +0200\n---\n<p>Tekst.</p>\n"
A = "_posts/2019-05-15-oud.md"
B = "_posts/2019-05-16-schoon.md"


def found(result) -> list[tuple[str, int, int, str]]:  # type: ignore[no-untyped-def]
    return sorted((d["path"], d["line"], d["column"], d["code"]) for d in result.json()["diagnostics"])


# HT001 reports an unclosed <div> too (one parse error at the end of input,
# naming every element left open); these tests are about the baseline's
# entries, which HT002's one finding per element shows plainly.
NOT_HT001 = ("--ignore", "HT001")


def check(site: Path, *args: str, cwd: Path | None = None):  # type: ignore[no-untyped-def]
    return run_cli(["check", "--no-network", "--no-cache", *NOT_HT001, "--output-format", "json", *args],
                   cwd=cwd or site)


@pytest.fixture
def site(tmp_path: Path) -> Path:
    (tmp_path / "site").mkdir()
    root = write_site(tmp_path / "site", {A: OLD, B: CLEAN}, CONFIG)
    recorded = check(root, "--write-baseline", "baseline.json", ".")
    assert recorded.code == 0, recorded.err
    assert found(recorded) == []
    return root


def entries(site: Path) -> list[tuple[str, str]]:
    doc = json.loads((site / "baseline.json").read_text(encoding="utf-8"))
    return [(e["path"], e["code"]) for e in doc["findings"]]


def test_record_then_check_reports_nothing(site: Path) -> None:
    before = check(site, ".")
    assert found(before) == [(A, 4, 1, "FM003"), (A, 8, 1, "HT002")]
    after = check(site, "--baseline", "baseline.json", ".")
    assert after.code == 0, after.err
    assert found(after) == []
    assert "2 findings in the baseline" in after.err
    assert "no longer match" not in after.err


def test_file_is_versioned_sorted_relative_and_stable(site: Path, tmp_path: Path) -> None:
    from jsonschema import Draft202012Validator

    text = (site / "baseline.json").read_text(encoding="utf-8")
    doc = json.loads(text)
    schema = json.loads((REPO / "schemas" / "baseline.schema.json").read_text(encoding="utf-8"))
    Draft202012Validator(schema).validate(doc)
    assert doc["version"] == 1
    assert entries(site) == [(A, "FM003"), (A, "HT002")]
    keys = [(e["path"], e["code"], e["fingerprint"]) for e in doc["findings"]]
    assert keys == sorted(keys)
    # Written again, from the posts' folder and to a path given from there: the same bytes.
    again = check(site, "--write-baseline", "../again.json", ".", cwd=site / "_posts")
    assert again.code == 0, again.err
    assert (site / "again.json").read_text(encoding="utf-8") == text
    # From outside the site, naming it: same entries, same paths.
    outside = check(site, "--write-baseline", str(site / "third.json"), "site", cwd=tmp_path)
    assert outside.code == 0, outside.err
    assert (site / "third.json").read_text(encoding="utf-8") == text


def test_used_from_another_working_folder(site: Path, tmp_path: Path) -> None:
    from_posts = check(site, "--baseline", "../baseline.json", ".", cwd=site / "_posts")
    assert from_posts.code == 0 and found(from_posts) == []
    from_outside = check(site, "--baseline", "site/baseline.json", "site", cwd=tmp_path)
    assert from_outside.code == 0 and found(from_outside) == []


def test_entries_survive_edits_above_them(site: Path) -> None:
    # Lines added above both findings: in the front matter and in the body.
    edited = OLD.replace("layout: post\n", "layout: post\nauthor: Anne\ntags: [nieuws]\n").replace(
        "<p>Tekst.</p>\n", "<p>Inleiding.</p>\n\n<p>Tekst.</p>\n"
    )
    (site / A).write_text(edited, encoding="utf-8")
    moved = check(site, ".")
    assert found(moved) == [(A, 6, 1, "FM003"), (A, 12, 1, "HT002")]
    result = check(site, "--baseline", "baseline.json", ".")
    assert result.code == 0, result.err
    assert found(result) == []
    assert "no longer match" not in result.err


def test_a_new_finding_is_reported(site: Path) -> None:
    (site / A).write_text(OLD + "<section>nieuw\n", encoding="utf-8")
    (site / B).write_text(CLEAN.replace("title: Schoon\n", "title: Schoon\ntitle: Twee\n"), encoding="utf-8")
    result = check(site, "--baseline", "baseline.json", ".")
    assert result.code == 1
    assert found(result) == [(A, 9, 1, "HT002"), (B, 4, 1, "FM003")]


def test_a_fixed_finding_drops_out_with_a_note(site: Path) -> None:
    (site / A).write_text(OLD.replace("title: Twee\n", ""), encoding="utf-8")
    result = check(site, "--baseline", "baseline.json", ".")
    assert result.code == 0
    assert found(result) == []
    assert "1 baseline entry no longer match" in result.err and "--write-baseline" in result.err
    # Pruned by writing it again: the entry is gone, the note too.
    assert check(site, "--write-baseline", "baseline.json", ".").code == 0
    assert entries(site) == [(A, "HT002")]
    assert "no longer match" not in check(site, "--baseline", "baseline.json", ".").err


def test_identical_findings_are_counted(tmp_path: Path) -> None:
    twice = OLD + "<div>open\n"
    (tmp_path / "site").mkdir()
    site = write_site(tmp_path / "site", {A: twice}, CONFIG)
    assert check(site, "--write-baseline", "baseline.json", ".").code == 0
    assert entries(site) == [(A, "FM003"), (A, "HT002"), (A, "HT002")]
    # A third one, the same text: one more than recorded, reported.
    (site / A).write_text(twice + "<div>open\n", encoding="utf-8")
    third = check(site, "--baseline", "baseline.json", ".")
    assert third.code == 1
    assert [(path, code) for path, _, _, code in found(third)] == [(A, "HT002")]
    # One of the two removed: one entry left over.
    (site / A).write_text(OLD, encoding="utf-8")
    one = check(site, "--baseline", "baseline.json", ".")
    assert one.code == 0 and found(one) == []
    assert "1 baseline entry no longer match" in one.err


def test_same_code_different_text_is_new(site: Path) -> None:
    # The recorded <div> closed, an <aside> left open instead: not the same finding.
    (site / A).write_text(OLD.replace("<div>open\n", "<div>open</div>\n<aside>open\n"), encoding="utf-8")
    result = check(site, "--baseline", "baseline.json", ".")
    assert found(result) == [(A, 9, 1, "HT002")]
    assert "1 baseline entry no longer match" in result.err


@pytest.mark.parametrize(
    ("content", "why"),
    [
        (None, "no such baseline file"),
        ("{not json", "not a postlint baseline"),
        ("[]", "not a postlint baseline"),
        ('{"version": 99, "findings": []}', "not a postlint baseline"),
        ('{"version": 1, "findings": [{"path": "x.md", "code": "FM003"}]}', "not a postlint baseline"),
        (b"\xff\xfe{}", "not a postlint baseline"),
        ("[" * 100_000, "not a postlint baseline"),  # nested too deep for the parser: an error, not a traceback
        ('{"version": 1, "findings": [{"path": "x.md", "code": "FM003", "fingerprint": "zz"}]}', "fingerprint"),
    ],
)
def test_missing_or_corrupt_baseline_is_exit_2(site: Path, content: str | bytes | None, why: str) -> None:
    target = site / "other.json"
    if isinstance(content, str):
        target.write_text(content, encoding="utf-8")
    elif isinstance(content, bytes):
        target.write_bytes(content)
    result = check(site, "--baseline", "other.json", ".")
    assert result.code == 2
    assert why in result.err and "other.json" in result.err
    assert result.out == ""


def test_unwritable_baseline_is_exit_2(site: Path) -> None:
    (site / "folder.json").mkdir()
    result = check(site, "--write-baseline", "folder.json", ".")
    assert result.code == 2 and "folder.json" in result.err
    # Refused before the run: --fix has written nothing.
    (site / A).write_text(OLD.replace("+0200", "GMT"), encoding="utf-8")
    fixing = check(site, "--fix", "--write-baseline", "folder.json", ".")
    assert fixing.code == 2 and "GMT" in (site / A).read_text(encoding="utf-8")
    # A folder that cannot be created: exit 2 too.
    (site / "plain").write_text("", encoding="utf-8")
    assert check(site, "--write-baseline", "plain/b.json", ".").code == 2


def test_write_baseline_and_diff_do_not_go_together(site: Path) -> None:
    result = check(site, "--write-baseline", "b2.json", "--diff", ".")
    assert result.code == 2 and not (site / "b2.json").exists()


@pytest.mark.parametrize("fmt", ["text", "concise", "github", "json", "sarif"])
def test_every_output_format_shows_only_new_findings(site: Path, fmt: str, sarif_validator) -> None:  # type: ignore[no-untyped-def]
    (site / B).write_text(CLEAN.replace("title: Schoon\n", "title: Schoon\ntitle: Twee\n"), encoding="utf-8")
    result = run_cli(
        ["check", "--no-network", "--no-cache", *NOT_HT001, "--output-format", fmt, "--baseline", "baseline.json", "."],
        cwd=site,
    )
    assert result.code == 1, result.err
    if fmt == "sarif":
        doc = json.loads(result.out)
        sarif_validator.validate(doc)
        shown = [
            (r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
             r["locations"][0]["physicalLocation"]["region"]["startLine"], r["ruleId"])
            for r in doc["runs"][0]["results"]
        ]
        assert shown == [(B, 4, "FM003")]
    elif fmt == "json":
        assert found(result) == [(B, 4, 1, "FM003")]
        assert result.json()["summary"]["findings"] == 1
    else:
        assert B in result.out and "FM003" in result.out
        assert A not in result.out and "HT002" not in result.out


def test_fix_changes_only_the_new_findings(tmp_path: Path) -> None:
    # DT003 (zone name GMT) has a safe fix; recorded in one post, new in the other.
    gmt = "---\nlayout: post\ntitle: Oud\ndate: Wed, 15 May 2019 10:00:00 GMT\n---\n<p>x</p>\n"
    (tmp_path / "site").mkdir()
    site = write_site(tmp_path / "site", {A: gmt}, CONFIG)
    assert check(site, "--write-baseline", "baseline.json", ".").code == 0
    new_post = gmt.replace("15 May", "16 May").replace("Wed", "Thu").replace("Oud", "Nieuw")
    (site / B).write_text(new_post, encoding="utf-8")
    fixed = check(site, "--baseline", "baseline.json", "--fix", ".")
    assert fixed.code == 0, fixed.out + fixed.err
    assert found(fixed) == []
    assert (site / A).read_text(encoding="utf-8") == gmt  # recorded: left as it was
    assert (site / B).read_text(encoding="utf-8") == new_post.replace("GMT", "+0000")
    assert fixed.json()["summary"]["fixed"] == 1
    # A second run changes nothing.
    again = check(site, "--baseline", "baseline.json", "--fix", ".")
    assert again.json()["summary"]["fixed"] == 0
    assert (site / B).read_text(encoding="utf-8") == new_post.replace("GMT", "+0000")
    # --diff with the baseline: no fix to show either.
    diff = run_cli(["check", "--no-network", "--no-cache", "--diff", "--baseline", "baseline.json", "."], cwd=site)
    assert diff.code == 0 and diff.out == ""


def test_fix_then_write_baseline_records_what_is_left(tmp_path: Path) -> None:
    gmt = "---\nlayout: post\ntitle: Oud\ntitle: Twee\ndate: Wed, 15 May 2019 10:00:00 GMT\n---\n<p>x</p>\n"
    (tmp_path / "site").mkdir()
    site = write_site(tmp_path / "site", {A: gmt}, CONFIG)
    result = check(site, "--fix", "--write-baseline", "baseline.json", ".")
    assert result.code == 0
    assert entries(site) == [(A, "FM003")]
    assert "GMT" not in (site / A).read_text(encoding="utf-8")


def test_with_suppressions(site: Path) -> None:
    # The recorded HT002 now suppressed by a comment: neither reported nor
    # counted as used by the baseline (the suppression took it first).
    (site / A).write_text(
        OLD.replace("<div>open\n", "<!-- postlint-disable-next-line HT002 -->\n<div>open\n"), encoding="utf-8"
    )
    result = check(site, "--baseline", "baseline.json", ".")
    assert result.code == 0 and found(result) == []
    assert "1 baseline entry no longer match" in result.err
    # An unused suppression (PL002) is a finding like any other: new, reported.
    (site / B).write_text(CLEAN + "<!-- postlint-disable-next-line HT002 -->\n<p>ok</p>\n", encoding="utf-8")
    unused = check(site, "--baseline", "baseline.json", ".")
    assert [(p, c) for p, _, _, c in found(unused)] == [(B, "PL002")]


def test_partial_runs_neither_report_nor_drop_the_other_entries(site: Path) -> None:
    # Only the clean post, as pre-commit names it: A's entries are not stale.
    one = check(site, "--baseline", "baseline.json", B)
    assert one.code == 0 and "no longer match" not in one.err
    # A selection of rules: the entries of the rules that did not run are not stale.
    selected = check(site, "--baseline", "baseline.json", "--select", "FM", ".")
    assert selected.code == 0 and "no longer match" not in selected.err
    # Writing from a partial run keeps the entries of the files and rules it did not check.
    (site / B).write_text(CLEAN.replace("title: Schoon\n", "title: Schoon\ntitle: Twee\n"), encoding="utf-8")
    assert check(site, "--write-baseline", "baseline.json", B).code == 0
    assert entries(site) == [(A, "FM003"), (A, "HT002"), (B, "FM003")]
    assert check(site, "--write-baseline", "baseline.json", "--select", "FM003", ".").code == 0
    assert entries(site) == [(A, "FM003"), (A, "HT002"), (B, "FM003")]
    # A post deleted: a full run drops its entries.
    os.remove(site / A)
    assert check(site, "--write-baseline", "baseline.json", ".").code == 0
    assert entries(site) == [(B, "FM003")]


def test_the_cap_applies_to_what_the_baseline_leaves(tmp_path: Path) -> None:
    opened = "".join(f"<div>deel {i}\n" for i in range(3))
    (tmp_path / "site").mkdir()
    site = write_site(tmp_path / "site", {B: CLEAN + opened}, CONFIG)
    assert check(site, "--write-baseline", "baseline.json", ".").code == 0
    assert entries(site) == [(B, "HT002")] * 3
    more = "".join(f"<section>deel {i}\n" for i in range(3))
    (site / B).write_text(CLEAN + more + opened, encoding="utf-8")
    result = check(site, "--baseline", "baseline.json", "--max-findings-per-rule", "2", ".")
    assert found(result) == [(B, 7, 1, "HT002"), (B, 8, 1, "HT002"), (B, 9, 1, "HT002")]
    assert [d["not_shown"] for d in result.json()["diagnostics"]] == [0, 0, 0]
    capped = check(site, "--baseline", "baseline.json", "--max-findings-per-rule", "1", ".")
    [only, summing] = capped.json()["diagnostics"]
    assert (only["line"], summing["line"], summing["not_shown"]) == (7, 8, 1)


def test_the_result_cache_gives_the_same_fingerprints(tmp_path: Path) -> None:
    # One finding far along a long line: its window of the line is what the
    # fingerprint is cut from, and a cached result must carry the same window.
    long_line = "<p>" + "woord " * 2000 + "</p><div>open\n"
    (tmp_path / "site").mkdir()
    site = write_site(tmp_path / "site", {A: OLD + long_line}, CONFIG)

    def cached(*args: str):  # type: ignore[no-untyped-def]
        return run_cli(["check", "--no-network", "--output-format", "json", *args], cwd=site)

    cold = cached("--write-baseline", "cold.json", ".")
    assert cold.code == 0 and (site / ".postlint_cache").is_dir()
    warm = cached("--write-baseline", "warm.json", ".")
    assert warm.code == 0
    assert (site / "warm.json").read_text(encoding="utf-8") == (site / "cold.json").read_text(encoding="utf-8")
    # FM003, two HT002 and HT001's end of input (HT001 counted here: its window too must match)
    assert len(json.loads((site / "cold.json").read_text(encoding="utf-8"))["findings"]) == 4
    held = cached("--baseline", "cold.json", "-v", ".")
    assert held.code == 0 and found(held) == []
    assert "1 of 1 posts unchanged" in held.err  # it was a cache hit


GOOD_ENTRY = {"path": "_posts/a.md", "code": "FM003", "fingerprint": "0123abcd", "text": "title"}


@pytest.mark.parametrize(
    "doc",
    [
        {"version": 1, "findings": []},
        {"version": 1, "tool": "postlint", "findings": [GOOD_ENTRY]},
        {"version": 1, "findings": [{k: v for k, v in GOOD_ENTRY.items() if k != "text"}]},
        {"version": 1, "tool": "other", "findings": []},
        {"version": 2, "findings": []},
        {"version": True, "findings": []},
        {"version": 1.0, "findings": []},
        {"version": 1, "tool": True, "findings": []},
        {"version": 1},
        {"version": 1, "findings": {}},
        {"version": 1, "findings": [], "extra": 1},
        {"version": 1, "findings": [{**GOOD_ENTRY, "line": 3}]},
        {"version": 1, "findings": [{**GOOD_ENTRY, "path": ""}]},
        {"version": 1, "findings": [{**GOOD_ENTRY, "code": "fm003"}]},
        {"version": 1, "findings": [{**GOOD_ENTRY, "code": "FM003\n"}]},
        {"version": 1, "findings": [{**GOOD_ENTRY, "fingerprint": "ABCDEF12"}]},
        {"version": 1, "findings": [{**GOOD_ENTRY, "fingerprint": "0123abc"}]},
        {"version": 1, "findings": [{**GOOD_ENTRY, "text": 3}]},
        {"version": 1, "findings": [[]]},
        [],
    ],
)
def test_the_quick_check_agrees_with_the_baseline_schema(doc: object) -> None:
    from jsonschema import Draft202012Validator

    from postlint.engine.baseline import _well_formed

    schema = json.loads((REPO / "schemas" / "baseline.schema.json").read_text(encoding="utf-8"))
    assert _well_formed(doc) == Draft202012Validator(schema).is_valid(doc)
