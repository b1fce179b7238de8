"""`postlint check --stdin-filename PATH -`: standard input linted as PATH (issue 15.2)."""

from __future__ import annotations

import io
import json
import subprocess
from pathlib import Path

import pytest

from postlint.cli import main
from tests.conftest import POSTLINT, write_site

NAME = "_posts/2019-05-13-x.md"
# FM003 at 4:1 (a duplicate key), HT002 at 6:10 (<b> never closed) and HT001
# at 6:18 (the end of input with <b> open).
TWO = "---\nlayout: post\ntitle: a\ntitle: b\n---\n<p>Tekst <b>x</p>\n"
# EN002 at 5:4 (mojibake, a safe fix), HT002 at 6:4, HT001 at 6:12 (the end).
FIXABLE = "---\nlayout: post\ntitle: Koffie\n---\n<p>CafÃ© open.</p>\n<p><b>x</p>\n"


def cli(args: list[str], data: bytes, cwd: Path) -> subprocess.CompletedProcess[bytes]:
    """The installed console script, standard input from `data`."""
    return subprocess.run(
        [POSTLINT, *args], input=data, cwd=cwd, capture_output=True, timeout=120, check=False,
        env={"PATH": "/usr/bin:/bin", "NO_COLOR": "1", "HOME": str(cwd)},
    )


def in_process(args: list[str], data: bytes, cwd: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    monkeypatch.chdir(cwd)
    code = main(args, stdout=out, stderr=err, stdin=io.BytesIO(data))
    return code, out.getvalue(), err.getvalue()


def positions(report: str) -> list[tuple[str, str, int, int]]:
    return [(d["path"], d["code"], d["line"], d["column"]) for d in json.loads(report)["diagnostics"]]


@pytest.fixture
def site(tmp_path: Path) -> Path:
    (tmp_path / "site").mkdir()
    return write_site(tmp_path / "site", {"_posts/2019-05-12-other.md": "---\ntitle: other\n---\n<p>x</p>\n"})


def test_stdin_is_linted_as_the_named_file(site: Path) -> None:
    result = cli(["check", "--output-format", "json", "--stdin-filename", NAME, "-"], TWO.encode(), site)
    assert result.returncode == 1
    assert positions(result.stdout.decode()) == [
        (NAME, "FM003", 4, 1), (NAME, "HT002", 6, 10), (NAME, "HT001", 6, 18)]
    assert not (site / NAME).exists()  # nothing written where the name points


@pytest.mark.parametrize("fmt", ["text", "concise", "sarif", "github"])
def test_every_output_format_names_the_stdin_filename(site: Path, fmt: str) -> None:
    result = cli(["check", "--output-format", fmt, "--stdin-filename", NAME, "-"], TWO.encode(), site)
    assert result.returncode == 1
    out = result.stdout.decode()
    if fmt == "sarif":
        uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                for r in json.loads(out)["runs"][0]["results"]}
        assert {u.rsplit("/", 2)[-2] + "/" + u.rsplit("/", 1)[-1] for u in uris} == {NAME}
        rules = {r["ruleId"] for r in json.loads(out)["runs"][0]["results"]}
        assert rules == {"FM003", "HT001", "HT002"}
    elif fmt == "github":
        assert f"file={NAME},line=4" in out and f"file={NAME},line=6" in out
    else:
        assert f"{NAME}:4:1:" in out and f"{NAME}:6:10:" in out


def test_configuration_is_resolved_from_the_stdin_filename(tmp_path: Path) -> None:
    # Two sites, each with its configuration; the run starts above both.
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        write_site(tmp_path / name, {})
    (tmp_path / "b" / ".postlint.toml").write_text('ignore = ["HT002"]\n', encoding="utf-8")
    a = cli(["check", "--output-format", "json", "--stdin-filename", f"a/{NAME}", "-"], TWO.encode(), tmp_path)
    b = cli(["check", "--output-format", "json", "--stdin-filename", f"b/{NAME}", "-"], TWO.encode(), tmp_path)
    assert [c for _, c, _, _ in positions(a.stdout.decode())] == ["FM003", "HT002", "HT001"]
    assert positions(b.stdout.decode()) == [(f"b/{NAME}", "FM003", 4, 1), (f"b/{NAME}", "HT001", 6, 18)]


def test_per_file_ignores_and_the_site_follow_the_name(site: Path) -> None:
    (site / ".postlint.toml").write_text('[per-file-ignores]\n"_drafts/*" = ["FM003"]\n', encoding="utf-8")
    post = cli(["check", "--output-format", "json", "--stdin-filename", NAME, "-"], TWO.encode(), site)
    draft = cli(["check", "--output-format", "json", "--stdin-filename", "_drafts/x.md", "-"], TWO.encode(), site)
    assert [c for _, c, _, _ in positions(post.stdout.decode())] == ["FM003", "HT002", "HT001"]
    assert positions(draft.stdout.decode()) == [("_drafts/x.md", "HT002", 6, 10), ("_drafts/x.md", "HT001", 6, 18)]
    # A badly named file under _posts/ is a JK001 finding, named by the path given.
    bad = cli(["check", "--output-format", "json", "--stdin-filename", "_posts/nieuws.md", "-"], TWO.encode(), site)
    assert ("_posts/nieuws.md", "JK001", 1, 1) in positions(bad.stdout.decode())


def test_fix_writes_the_fixed_text_alone_to_stdout(site: Path) -> None:
    result = cli(["check", "--fix", "--stdin-filename", NAME, "-"], FIXABLE.encode(), site)
    assert result.stdout.decode() == FIXABLE.replace("CafÃ©", "Café")
    # The findings that remain are reported on standard error.
    err = result.stderr.decode()
    assert f"{NAME}:6:4:" in err and "HT002" in err and "EN002" not in err
    assert result.returncode == 1
    assert not (site / NAME).exists()


def test_fix_report_on_stderr_in_the_chosen_format(site: Path) -> None:
    result = cli(["check", "--fix", "--output-format", "json", "--stdin-filename", NAME, "-"], FIXABLE.encode(), site)
    assert result.stdout.decode() == FIXABLE.replace("CafÃ©", "Café")
    assert positions(result.stderr.decode()) == [(NAME, "HT002", 6, 4), (NAME, "HT001", 6, 12)]


def test_fix_keeps_line_endings_and_bom(site: Path) -> None:
    data = b"\xef\xbb\xbf" + FIXABLE.replace("\n", "\r\n").encode()
    result = cli(["check", "--fix", "--stdin-filename", NAME, "-"], data, site)
    assert result.stdout == b"\xef\xbb\xbf" + FIXABLE.replace("CafÃ©", "Café").replace("\n", "\r\n").encode()
    again = cli(["check", "--fix", "--stdin-filename", NAME, "-"], result.stdout, site)
    assert again.stdout == result.stdout  # a second run changes nothing


def test_fix_with_nothing_to_fix_echoes_the_input(site: Path) -> None:
    result = cli(["check", "--fix", "--stdin-filename", NAME, "-"], TWO.encode(), site)
    assert result.stdout == TWO.encode() and result.returncode == 1


def test_bad_bytes_are_en001_and_pass_through_fix_untouched(site: Path) -> None:
    data = b"---\nlayout: post\ntitle: x\n---\n<p>caf\xe9 \xff</p>\n"
    report = cli(["check", "--output-format", "json", "--stdin-filename", NAME, "-"], data, site)
    assert positions(report.stdout.decode()) == [(NAME, "EN001", 5, 7)]
    fixed = cli(["check", "--fix", "--output-format", "json", "--stdin-filename", NAME, "-"], data, site)
    assert fixed.stdout == data
    assert [c for _, c, _, _ in positions(fixed.stderr.decode())] == ["EN001"]
    binary = cli(["check", "--output-format", "json", "--stdin-filename", NAME, "-"], b"\x00\x01\x02", site)
    assert [c for _, c, _, _ in positions(binary.stdout.decode())] == ["EN001"]


def test_diff_with_stdin(site: Path) -> None:
    result = cli(["check", "--diff", "--stdin-filename", NAME, "-"], FIXABLE.encode(), site)
    out = result.stdout.decode()
    assert out.startswith(f"--- a/{NAME}\n+++ b/{NAME}\n")
    assert "-<p>CafÃ© open.</p>\n+<p>Café open.</p>\n" in out
    assert result.returncode == 1


def test_dash_without_a_name_uses_stdin_md_and_says_so(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, err = in_process(["check", "--output-format", "json", "-"], TWO.encode(), site, monkeypatch)
    assert code == 1
    assert positions(out) == [
        ("stdin.md", "FM003", 4, 1), ("stdin.md", "HT002", 6, 10), ("stdin.md", "HT001", 6, 18)]
    assert "stdin.md" in err and "--stdin-filename" in err


def test_stdin_filename_without_paths_reads_stdin(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, _ = in_process(["check", "--output-format", "json", "--stdin-filename", NAME], TWO.encode(), site,
                              monkeypatch)
    assert code == 1 and [c for _, c, _, _ in positions(out)] == ["FM003", "HT002", "HT001"]


@pytest.mark.parametrize(
    "args", [["-", "_posts"], ["--stdin-filename", NAME, "_posts"], ["--stdin-filename", "-", "-"]]
)
def test_usage_errors(site: Path, monkeypatch: pytest.MonkeyPatch, args: list[str]) -> None:
    code, out, err = in_process(["check", *args], TWO.encode(), site, monkeypatch)
    assert code == 2 and out == "" and "error" in err


def test_force_exclude_passes_an_excluded_name_through(site: Path) -> None:
    (site / ".postlint.toml").write_text('exclude = ["_posts/2019-*"]\nforce-exclude = true\n', encoding="utf-8")
    report = cli(["check", "--stdin-filename", NAME, "-"], TWO.encode(), site)
    assert report.returncode == 0 and report.stdout == b""
    fixed = cli(["check", "--fix", "--stdin-filename", NAME, "-"], FIXABLE.encode(), site)
    assert fixed.returncode == 0 and fixed.stdout == FIXABLE.encode()
    other = cli(["check", "--stdin-filename", "_drafts/x.md", "-"], TWO.encode(), site)
    assert other.returncode == 1


def test_exit_zero_and_clean_input(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    clean = "---\nlayout: post\ntitle: Schoon\n---\n<p>Tekst.</p>\n"
    assert in_process(["check", "--stdin-filename", NAME, "-"], clean.encode(), site, monkeypatch)[0] == 0
    assert in_process(["check", "--exit-zero", "--stdin-filename", NAME, "-"], TWO.encode(), site, monkeypatch)[0] == 0

