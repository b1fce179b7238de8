"""--fix, --unsafe-fixes and --diff: real files, written atomically, nothing lost."""

from __future__ import annotations

import itertools
import os
import stat
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from postlint.engine.fixes import apply_fixes
from postlint.model.diagnostic import Edit, Fix
from tests.conftest import run_cli, write_site

MOJIBAKE = (
    "---\nlayout: post\ntitle: \"DaniÃ«l opent cafÃ©\"\ndate: Mon, 13 May 2019 12:45:33 GMT\n---\n"
    "<p>Journalist DaniÃ«l Verlaan ging undercover.</p>\n<p>Ongewijzigde regel met é.</p>\n"
)
FIXED = (
    "---\nlayout: post\ntitle: \"Daniël opent café\"\ndate: Mon, 13 May 2019 12:45:33 +0000\n---\n"
    "<p>Journalist Daniël Verlaan ging undercover.</p>\n<p>Ongewijzigde regel met é.</p>\n"
)
PATH = "_posts/2019-05-13-x.md"


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"])
def test_fix_round_trip_keeps_everything_else(tmp_path: Path, newline: str, bom: bytes) -> None:
    write_site(tmp_path, {PATH: bom + MOJIBAKE.replace("\n", newline).encode()})
    post = tmp_path / PATH
    os.chmod(post, 0o640)
    first = run_cli(["check", "--fix", "--select", "EN002,DT003", "."], cwd=tmp_path)
    assert first.code == 0, first.out
    assert post.read_bytes() == bom + FIXED.replace("\n", newline).encode()
    assert stat.S_IMODE(post.stat().st_mode) == 0o640
    assert sorted(p.name for p in post.parent.iterdir()) == [post.name]  # no temporary file left
    before = post.stat().st_mtime_ns
    again = run_cli(["check", "--fix", "--select", "EN002,DT003", "."], cwd=tmp_path)
    assert again.code == 0 and post.stat().st_mtime_ns == before  # nothing to do: not even rewritten


def test_fix_reports_fixed_and_remaining(tmp_path: Path) -> None:
    write_site(tmp_path, {PATH: MOJIBAKE.replace("Mon, 13 May", "Tue, 13 May")})
    result = run_cli(["check", "--fix", "--select", "EN002,DT", "--output-format", "json", "."], cwd=tmp_path)
    doc = result.json()
    assert doc["summary"]["fixed"] == 4  # three mojibake spans and the GMT zone
    assert [d["code"] for d in doc["diagnostics"]] == ["DT002"]  # unsafe: left for --unsafe-fixes
    assert result.code == 1
    result = run_cli(["check", "--fix", "--unsafe-fixes", "--select", "DT002", "."], cwd=tmp_path)
    assert result.code == 0
    assert "date: Mon, 13 May 2019" in (tmp_path / PATH).read_text()


def test_diff_writes_nothing(tmp_path: Path) -> None:
    write_site(tmp_path, {PATH: MOJIBAKE})
    result = run_cli(["check", "--diff", "--select", "EN002", "."], cwd=tmp_path)
    assert result.code == 1
    assert "-<p>Journalist DaniÃ«l Verlaan ging undercover.</p>" in result.out
    assert "+<p>Journalist Daniël Verlaan ging undercover.</p>" in result.out
    assert (tmp_path / PATH).read_text() == MOJIBAKE
    write_site(tmp_path, {PATH: FIXED})
    assert run_cli(["check", "--diff", "--select", "EN002", "."], cwd=tmp_path).code == 0


def test_files_that_are_not_utf8_are_never_written(tmp_path: Path) -> None:
    data = MOJIBAKE.encode() + b"\xff\n"
    write_site(tmp_path, {PATH: data})
    run_cli(["check", "--fix", "."], cwd=tmp_path)
    assert (tmp_path / PATH).read_bytes() == data


def test_fix_never_writes_through_a_symlink(tmp_path: Path) -> None:
    # Issue 12: --fix never writes through a link (it was: "writes through").
    write_site(tmp_path, {"real/post.md": MOJIBAKE, "_posts/.keep": ""})
    link = tmp_path / PATH
    link.symlink_to(tmp_path / "real" / "post.md")
    result = run_cli(["check", "--fix", "--select", "EN002", "--output-format", "json", "."], cwd=tmp_path)
    assert link.is_symlink()
    assert (tmp_path / "real" / "post.md").read_text() == MOJIBAKE
    assert result.code == 2
    assert [(d["path"], d["code"]) for d in result.json()["diagnostics"] if d["code"] == "PL005"] == [(PATH, "PL005")]


def test_overlapping_fixes_first_wins_rest_wait() -> None:
    text = "abcdef"
    fixes = [Fix((Edit(1, 3, "X"),)), Fix((Edit(2, 4, "Y"),)), Fix((Edit(5, 6, "Z"),))]
    applied = apply_fixes(text, fixes)
    assert (applied.text, applied.fixed, applied.skipped) == ("aXdeZ", 2, 1)
    # Edits outside the text are refused, not applied.
    assert apply_fixes(text, [Fix((Edit(4, 99, "!"),))]).text == text


def _reference(text: str, fixes: list[Fix]) -> tuple[str, int, int]:
    """The obvious quadratic algorithm, as the specification."""
    def overlaps(a: Edit, b: Edit) -> bool:
        if a.start == a.end == b.start == b.end:
            return True
        return a.start < b.end and b.start < a.end

    taken: list[Edit] = []
    fixed = skipped = 0
    for fix in sorted(fixes, key=lambda f: min(e.start for e in f.edits)):
        edits = sorted(fix.edits)
        bad = any(e.start < 0 or e.end > len(text) or e.end < e.start for e in edits)
        if bad or any(overlaps(a, b) for a, b in itertools.pairwise(edits)) or any(
            overlaps(e, t) for e in edits for t in taken
        ):
            skipped += 1
            continue
        taken.extend(edits)
        fixed += 1
    for edit in sorted(taken, reverse=True):
        text = text[: edit.start] + edit.content + text[edit.end :]
    return text, fixed, skipped



EDITS = st.builds(
    lambda s, n, c: Edit(s, s + n, c), st.integers(0, 30), st.integers(0, 4), st.sampled_from(["", "x", "yz"])
)


@hsettings(max_examples=400, deadline=None)
@given(st.lists(st.lists(EDITS, min_size=1, max_size=3).map(lambda es: Fix(tuple(es))), max_size=12))
def test_apply_fixes_matches_the_reference(fixes: list[Fix]) -> None:
    text = "abcdefghijklmnopqrstuvwxyz0123"
    assert tuple(apply_fixes(text, fixes)) == _reference(text, fixes)


def test_many_fixes_in_one_file(tmp_path: Path) -> None:
    # 20,000 separate fixes in one post: all applied in one pass.
    body = ("<p>" + "woord\u200b " * 20 + "</p>\n") * 1000
    write_site(tmp_path, {PATH: "---\nlayout: post\ntitle: x\n---\n" + body})
    result = run_cli(["check", "--fix", "--select", "EN003", "--output-format", "json", "."], cwd=tmp_path)
    assert result.json()["summary"]["fixed"] == 20_000
    assert "\u200b" not in (tmp_path / PATH).read_text()


@pytest.mark.parametrize("ending", ["", "\n", "\r\n"])
def test_diff_is_a_patch_that_applies(tmp_path: Path, ending: str) -> None:
    import subprocess

    text = MOJIBAKE.replace("\n", "\r\n") if ending == "\r\n" else MOJIBAKE
    if ending == "":
        text = text.rstrip("\n")
    write_site(tmp_path, {PATH: text})
    result = run_cli(["check", "--diff", "--select", "EN002,DT003", "."], cwd=tmp_path)
    assert result.code == 1
    (tmp_path / "fix.patch").write_text(result.out, newline="")
    applied = subprocess.run(["git", "apply", "-p1", "fix.patch"], cwd=tmp_path, capture_output=True, text=True)
    assert applied.returncode == 0, applied.stderr
    assert run_cli(["check", "--select", "EN002,DT003", "."], cwd=tmp_path).code == 0
    data = (tmp_path / PATH).read_bytes()
    assert data.endswith(b"</p>" + ending.encode())


def test_fix_repairs_the_example_sites_mojibake(tmp_path: Path) -> None:
    import shutil

    from tests.conftest import REPO

    site = tmp_path / "examples"
    shutil.copytree(REPO / "examples", site)
    before = {p: p.read_bytes() for p in site.rglob("*.md")}
    first = run_cli(["check", "--fix", "--no-network", "--output-format", "json", "."], cwd=site).json()
    assert first["summary"]["fixed"] > 0
    assert not [d for d in first["diagnostics"] if d["code"] == "EN002"]
    changed = {p for p, data in before.items() if p.read_bytes() != data}
    assert site / "_posts" / "2019-05-26-mojibake-importeur.md" in changed
    second = run_cli(["check", "--fix", "--no-network", "--output-format", "json", "."], cwd=site).json()
    assert second["summary"]["fixed"] == 0  # nothing left to do: the second run changes nothing
    assert not [d for d in second["diagnostics"] if d["code"] == "EN002"]


# -- what --fix costs: one lint per fix pass, plus the final one ------------------------


def _count_lints(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record the path of every post lint (Linter.lint_source) in this process."""
    from postlint.engine.linter import Linter

    calls: list[str] = []
    real = Linter.lint_source

    def counting(self: Linter, path: str, source: bytes, **kwargs: object):  # type: ignore[no-untyped-def]
        calls.append(path)
        return real(self, path, source, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Linter, "lint_source", counting)
    monkeypatch.setenv("POSTLINT_JOBS", "1")
    return calls


def test_fix_lints_a_file_once_per_pass_plus_the_final_lint(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_site(tmp_path, {PATH: MOJIBAKE, "_posts/2019-05-14-clean.md": FIXED})
    calls = _count_lints(monkeypatch)
    result = run_cli(["check", "--no-cache", "--fix", "--select", "EN002,DT003", "--output-format", "json", "."],
                     cwd=tmp_path)
    assert result.code == 0, result.out
    assert (tmp_path / PATH).read_text(encoding="utf-8") == FIXED
    fixed = [c for c in calls if c.endswith("2019-05-13-x.md")]
    clean = [c for c in calls if c.endswith("2019-05-14-clean.md")]
    # The lint that found the fixes is pass one's; one pass fixed all; its
    # lint of the fixed text is the final one (not a lint of the written file).
    assert len(fixed) == 2, calls
    assert len(clean) == 1, calls
    assert result.json()["summary"]["fixed"] == 4


def test_fix_relints_a_file_changed_since_its_lint(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The findings of a lint are reused for the first pass only while the file
    holds the bytes linted: a file changed in between is linted again."""
    from postlint.engine import run as run_module

    write_site(tmp_path, {PATH: MOJIBAKE})
    calls = _count_lints(monkeypatch)
    real = run_module._fix_file
    post = tmp_path / PATH

    def edit_then_fix(*args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        # An editor saves between the lint and the fix: the offsets found no longer hold.
        post.write_text("---\nlayout: post\n---\n<p>DaniÃ«l</p>\n", encoding="utf-8")
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(run_module, "_fix_file", edit_then_fix)
    result = run_cli(["check", "--no-cache", "--fix", "--select", "EN002", "."], cwd=tmp_path)
    assert result.code == 0, result.out
    assert post.read_text(encoding="utf-8") == "---\nlayout: post\n---\n<p>Daniël</p>\n"
    assert len(calls) == 3  # the first lint, the lint of the new bytes, the final lint


def test_fix_with_stdin_lints_once_per_pass_plus_the_final_lint(monkeypatch: pytest.MonkeyPatch,
                                                                 tmp_path: Path) -> None:
    import io
    import sys

    write_site(tmp_path, {})
    calls = _count_lints(monkeypatch)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(MOJIBAKE.encode()), encoding="utf-8"))
    result = run_cli(["check", "--no-cache", "--fix", "--select", "EN002,DT003", "--stdin-filename", PATH, "-"],
                     cwd=tmp_path)
    assert FIXED in result.out
    assert len(calls) == 2, calls


# A stray U+200B inside "<!--" hides a directive; EN003's fix deletes it, and
# the enable it makes closes nothing: a PL002 only the site pass finds, which
# the same --fix then removes (a second --fix changed the file again before).
HIDDEN_ENABLE = (
    "---\nlayout: post\ntitle: Verborgen\ndate: 2019-05-13 10:00:00 +0200\n---\n"
    "Tekst <!-\u200b- postlint-enable HD --> meer tekst.\n"
)


def test_a_directive_a_fix_makes_is_judged_in_the_same_fix(tmp_path: Path) -> None:
    write_site(tmp_path, {PATH: HIDDEN_ENABLE})
    post = tmp_path / PATH
    diff = run_cli(["check", "--diff", "--select", "EN003,PL002", "."], cwd=tmp_path)
    assert post.read_text(encoding="utf-8") == HIDDEN_ENABLE          # --diff writes nothing
    first = run_cli(["check", "--fix", "--select", "EN003,PL002", "--output-format", "json", "."], cwd=tmp_path)
    fixed = post.read_text(encoding="utf-8")
    assert "postlint-enable" not in fixed and "\u200b" not in fixed and "Tekst " in fixed
    assert first.json()["summary"]["fixed"] == 2 and first.json()["diagnostics"] == []
    before = post.read_bytes()
    again = run_cli(["check", "--fix", "--select", "EN003,PL002", "--output-format", "json", "."], cwd=tmp_path)
    assert post.read_bytes() == before and again.json()["summary"]["fixed"] == 0
    # --diff showed what --fix wrote: its patch applied to the original gives the file now.
    import subprocess

    original = tmp_path / "original"
    original.mkdir()
    write_site(original, {PATH: HIDDEN_ENABLE})
    (original / "fix.patch").write_text(diff.out, newline="")
    applied = subprocess.run(["git", "apply", "-p1", "fix.patch"], cwd=original, capture_output=True, text=True)
    assert applied.returncode == 0, applied.stderr
    assert (original / PATH).read_text(encoding="utf-8") == fixed


def test_a_directive_a_fix_makes_is_judged_in_the_same_fix_of_standard_input(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
) -> None:
    # check_source (standard input, the language server's fix-all, fix_text)
    # fixes in the same rounds: the text it prints is the file --fix writes.
    import io
    import sys

    write_site(tmp_path, {PATH: HIDDEN_ENABLE})
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(HIDDEN_ENABLE.encode()), encoding="utf-8"))
    piped = run_cli(["check", "--no-cache", "--fix", "--select", "EN003,PL002", "--stdin-filename", PATH, "-"],
                    cwd=tmp_path)
    run_cli(["check", "--no-cache", "--fix", "--select", "EN003,PL002", "."], cwd=tmp_path)
    fixed = (tmp_path / PATH).read_text(encoding="utf-8")
    assert "postlint-enable" not in fixed and piped.out == fixed


def test_a_baselined_finding_and_its_twin_a_fix_makes_take_one_fix(tmp_path: Path) -> None:
    # The baseline answers for one finding of each entry: a round of --fix
    # asks it of the site findings together, as the next round keeps them.
    # Line 6's enable closing nothing is recorded; the hidden enable of line
    # 7 becomes its twin once EN003 deletes the U+200B: the same fix removes
    # it (one of the two, as a second --fix would), and nothing is left.
    orphan = "---\nlayout: post\ntitle: Verborgen\ndate: 2019-05-13 10:00:00 +0200\n---\n<!-- postlint-enable HD -->\n"
    write_site(tmp_path, {PATH: orphan})
    args = ["check", "--no-cache", "--select", "EN003,PL002"]
    assert run_cli([*args, "--write-baseline", "baseline.json", "."], cwd=tmp_path).code == 0
    post = tmp_path / PATH
    post.write_text(orphan + "<!-\u200b- postlint-enable HD -->\n", encoding="utf-8")
    first = run_cli([*args, "--baseline", "baseline.json", "--fix", "."], cwd=tmp_path)
    assert first.code == 0, first.out
    assert post.read_text(encoding="utf-8").count("postlint-enable HD") == 1
    before = post.read_bytes()
    run_cli([*args, "--baseline", "baseline.json", "--fix", "."], cwd=tmp_path)
    assert post.read_bytes() == before
