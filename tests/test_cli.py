"""The command line: subcommands, exit statuses, output files, colour."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from postlint import __version__
from postlint.cli import main
from tests.conftest import POSTLINT, run_cli, write_site

CLEAN = "---\nlayout: post\ntitle: Schoon\n---\n<p>Tekst.</p>\n"
DUP = "---\nlayout: post\ntitle: a\ntitle: b\n---\n<p>Tekst.</p>\n"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return write_site(tmp_path, {"_posts/2019-05-13-schoon.md": CLEAN, "_posts/2019-05-14-dubbel.md": DUP})


def test_exit_statuses(site: Path, tmp_path: Path) -> None:
    assert run_cli(["check", "_posts/2019-05-13-schoon.md"], cwd=site).code == 0
    assert run_cli(["check", "."], cwd=site).code == 1
    assert run_cli(["check", "--exit-zero", "."], cwd=site).code == 0
    assert run_cli(["check", "--no-such-flag"], cwd=site).code == 2
    missing = run_cli(["check", "nowhere"], cwd=site)
    assert missing.code == 2 and "nowhere" in missing.err


def test_bare_paths_mean_check(site: Path) -> None:
    assert run_cli(["."], cwd=site).out == run_cli(["check", "."], cwd=site).out


def test_no_posts_exits_0_and_says_so(tmp_path: Path) -> None:
    (tmp_path / "notes").mkdir()
    result = run_cli(["check", "notes"], cwd=tmp_path)
    assert result.code == 0 and "no posts" in result.err


def test_text_output_has_position_source_line_and_caret(site: Path) -> None:
    result = run_cli(["check", "."], cwd=site)
    lines = result.out.splitlines()
    i = lines.index("_posts/2019-05-14-dubbel.md:4:1: error FM003 " + lines[0].split(" FM003 ", 1)[1])
    assert lines[i + 1].endswith("| title: b")
    assert lines[i + 2].endswith("| ^^^^^")
    assert "\x1b[" not in result.out  # not a terminal: no colour


def test_colour_only_on_a_terminal_and_never_with_no_color(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.chdir(site)
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    out = Tty()
    main(["check", "."], stdout=out, stderr=io.StringIO())
    assert "\x1b[" in out.getvalue()
    monkeypatch.setenv("NO_COLOR", "1")
    out = Tty()
    main(["check", "."], stdout=out, stderr=io.StringIO())
    assert "\x1b[" not in out.getvalue()


def test_concise_output_and_statistics(site: Path) -> None:
    concise = run_cli(["check", "--output-format", "concise", "."], cwd=site)
    assert concise.out.splitlines()[0].startswith("_posts/2019-05-14-dubbel.md:4:1: error FM003 ")
    stats = run_cli(["check", "--statistics", "."], cwd=site)
    lines = stats.out.splitlines()
    assert not any(line.startswith("_posts/") for line in lines)  # counts instead of findings, as ruff
    assert any(line.split()[:2] == ["1", "FM003"] for line in lines)
    assert stats.code == 1


def test_text_output_escapes_control_characters_and_aligns_the_caret(tmp_path: Path) -> None:
    write_site(tmp_path, {
        "_posts/2019-05-13-a.md": "---\nlayout: post\ntitle: t\n---\n<p>\x1b]0;pwned\x07 日本😀 Ã©</p>\n",
    })
    out = run_cli(["check", "--select", "EN", "."], cwd=tmp_path).out
    assert "\x1b" not in out and "\x07" not in out  # never sent to the terminal
    lines = out.splitlines()
    i = next(n for n, line in enumerate(lines) if "EN002" in line)
    source, caret = lines[i + 1], lines[i + 2]
    shown = source.split(" | ", 1)[1]
    under = caret.split(" | ", 1)[1]
    # The caret stands under "Ã©" in display columns: CJK and emoji are two wide.
    prefix = shown[: shown.index("Ã©")]
    width = sum(2 if ch in "日本😀" else 1 for ch in prefix)
    assert under == " " * width + "^^"


def test_unwritable_output_file_is_exit_2(site: Path) -> None:
    result = run_cli(["check", "-o", "_posts", "."], cwd=site)  # a folder
    assert result.code == 2 and "cannot write" in result.err
    assert run_cli(["check", "--diff", "-o", "_posts", "."], cwd=site).code == 2


def test_empty_select_is_a_usage_error(site: Path) -> None:
    assert run_cli(["check", "--select", ",", "."], cwd=site).code == 2


def test_output_file(site: Path) -> None:
    result = run_cli(["check", "--output-format", "json", "-o", "out/report.json", "."], cwd=site)
    assert result.code == 1 and result.out == ""
    assert '"FM003"' in (site / "out" / "report.json").read_text()


def test_rule_and_rules_commands(site: Path) -> None:
    doc = run_cli(["rule", "duplicate-key"], cwd=site)
    assert doc.code == 0 and doc.out.startswith("FM003 (duplicate-key)") and "## Use instead" in doc.out
    assert run_cli(["rule", "XX999"], cwd=site).code == 2
    listing = run_cli(["rules"], cwd=site)
    assert listing.code == 0 and all(
        code in listing.out for code in ("FM001", "FM002", "FM003", "EN001", "JK001", "PL000")
    )


def test_version_and_module_entry() -> None:
    for command in ([sys.executable, "-m", "postlint", "--version"], [POSTLINT, "--version"]):
        out = subprocess.run(command, capture_output=True, text=True, timeout=60)
        assert out.returncode == 0 and out.stdout.strip() == f"postlint {__version__}"


def test_example_site_finds_defects_and_exits_1() -> None:
    from tests.conftest import REPO

    env = dict(os.environ, NO_COLOR="1")
    out = subprocess.run(
        [POSTLINT, "check", "--no-network", "--no-cache", "--output-format", "concise", "examples/"],
        cwd=REPO, capture_output=True, text=True, timeout=120, env=env,
    )
    assert out.returncode == 1, out.stderr
    found = {line.split(" ", 3)[2] for line in out.stdout.splitlines() if line.startswith("examples/")}
    assert {"FM001", "FM002", "FM003", "EN001", "JK001"} <= found
    # Issue 16: each local-reference rule has its example post; the site-relative
    # image that exists (2019-06-01-sluis-op-de-foto.md) is no finding.
    assert {"JK002", "JK003", "JK004", "JK005", "JK006"} <= found
    assert not [line for line in out.stdout.splitlines() if line.startswith("examples/_posts/2019-06-01-")]


def test_discovery_inside_posts_fifos_and_broken_links(tmp_path: Path) -> None:
    write_site(tmp_path, {"_posts/2019-05-14-dubbel.md": DUP})
    posts = tmp_path / "_posts"
    os.mkfifo(posts / "2019-05-15-fifo.md")  # would block a reader forever
    (posts / "2019-05-16-link.md").symlink_to(tmp_path / "nowhere.md")
    result = run_cli(["check", "--output-format", "json", "."], cwd=posts)
    found = [(d["path"], d["code"]) for d in result.json()["diagnostics"]]
    # From inside _posts, "." is the posts; the broken link is reported where it is.
    # A broken link is a finding of its own (PL004, issue 12), not a crash.
    assert found == [("2019-05-14-dubbel.md", "FM003"), ("2019-05-16-link.md", "PL004")]
    assert result.code == 1
