"""Output that cannot be forged (issue 12, point 3) and pipes closed early
(issue 11, point 10): text from outside (server replies, file names, post
text) never reaches a GitHub workflow command or a terminal raw."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from postlint.engine.registry import load
from postlint.model.diagnostic import Diagnostic
from postlint.model.escape import markdown_inline, visible
from postlint.reporters import Report
from postlint.reporters.github import render as render_github
from tests.conftest import POSTLINT, run_cli, write_site
from tests.net.server import Handler, TestServer

# CR, LF, ESC, DEL, a C1 control (CSI), U+2028, U+2029, a bidi override, NUL.
HOSTILE = "\r::error file=forged.md::forged\n::warning::also\x1b[2J\x7f\x9b\u2028::x\u2029\u202e\x00"
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202e]")


def _lines(text: str) -> list[str]:
    # Every way a log viewer or terminal might start a new line.
    return re.split("\r\n|\r|\n|\u2028|\u2029|\x85", text)


def test_visible_escapes_every_control_character() -> None:
    shown = visible(HOSTILE)
    assert not RAW.search(shown) and "\n" not in shown and "\r" not in shown
    assert shown.startswith("\\r::error") and "\\x1b[2J" in shown and "\\u2028" in shown and "\\x9b" in shown
    assert visible("Daniël 日本 😀 tab\there") == "Daniël 日本 😀 tab\\there"
    assert visible("a\tb", keep_tabs=True) == "a\tb"
    # Renders as written: "\n" shown as a backslash and an n, on the same line.
    assert markdown_inline("<b>x</b> | [a](b) `c`\n# h") == "&lt;b&gt;x&lt;/b&gt; \\| \\[a\\](b) \\`c\\`\\\\n# h"


def test_github_reporter_cannot_be_forged() -> None:
    diagnostics = [
        Diagnostic(f"_posts/2019-05-13-a{HOSTILE}.md", 4, 16, 4, 20, "URL001", "error", f"bad: 404 Not Found{HOSTILE}"),
        Diagnostic("_posts/b.md", 1, 1, 1, 2, "FM003", "warning", "plain"),
        Diagnostic("::error::x.md", 1, 1, 1, 2, "FM003", "warning", "a file named like a command"),
    ]
    for statistics in (False, True):
        out = render_github(Report(diagnostics, load(), [], statistics=statistics))
        assert not RAW.search(out)
        commands = [line for line in _lines(out) if line.startswith("::")]
        # Exactly one workflow command per finding, each of our own making.
        assert [c.split(" ", 1)[0] for c in commands] == ["::error", "::warning", "::warning"]
        assert all(re.match(r"^::(error|warning) file=[^:]*,title=[A-Z]+\d{3}::[A-Z]+\d{3} ", c) for c in commands)
        assert "\\x1b[2J" in out and "\\r::error" in out  # escaped visibly


def test_cli_escapes_file_names_in_every_format_and_on_standard_error(tmp_path: Path) -> None:
    name = "2019-05-13-a\r::error file=forged.md::forged\x1b[2J\u2028\x9b.md"
    site = write_site(tmp_path, {f"_posts/{name}": "---\nlayout: post\ntitle: a\ntitle: b\n---\n<p>x</p>\n"})
    for fmt in ("github", "text", "concise"):
        result = run_cli(["check", "--no-cache", "--output-format", fmt, "."], cwd=site)
        assert result.code == 1
        assert not RAW.search(result.out) and not RAW.search(result.err), fmt
        lines = _lines(result.out)
        assert not any(line.startswith("::") for line in lines if fmt != "github"), fmt
        if fmt == "github":
            assert [line.split(" ", 1)[0] for line in lines if line.startswith("::")] == ["::error"]
        assert "FM003" in result.out
    # A path on the command line, quoted on standard error.
    (site / "notes\r::error::x").mkdir()
    result = run_cli(["check", "--no-cache", "notes\r::error::x"], cwd=site)
    assert "no posts" in result.err and not RAW.search(result.err)
    assert not any(line.startswith("::") for line in _lines(result.err))


def _redirect_with_controls(h: Handler) -> None:
    h.finish_active()
    h.wfile.write(
        b"HTTP/1.1 301 Moved\r\nLocation: /new\x1b[2J\xc2\x9b\r::error::forged\r\n"
        b"Content-Length: 0\r\nConnection: close\r\n\r\n"
    )
    h.close_connection = True


def test_server_text_is_escaped_in_github_and_terminal_output(tmp_path: Path) -> None:
    with TestServer() as server:
        url = server.route("/moved", _redirect_with_controls)
        site = write_site(tmp_path, {
            "_posts/2019-05-13-a.md": f'---\nlayout: post\ntitle: t\nexterne_link: "{url}"\n---\n<p>x</p>\n',
        })
        (site / ".postlint.toml").write_text('[urls]\nallow-hosts = ["127.0.0.1"]\nretries = 0\n', encoding="utf-8")
        for fmt in ("github", "concise", "text"):
            result = run_cli(["check", "--no-cache", "--output-format", fmt, "."], cwd=site)
            assert result.code == 1, result.err
            assert "URL00" in result.out
            assert not RAW.search(result.out) and not RAW.search(result.err), fmt
            commands = [line for line in _lines(result.out) if line.startswith("::")]
            assert len(commands) == (1 if fmt == "github" else 0)
    assert server.hits("/moved") >= 1


# -- pipes closed early -----------------------------------------------------------------


def _many_findings(root: Path, posts: int = 150) -> Path:
    bad = "---\nlayout: post\ntitle: a\ntitle: b\n---\n" + "<p>Ã©</p>\n" * 20
    root.mkdir(parents=True, exist_ok=True)
    return write_site(root, {f"_posts/2019-05-13-p{i}.md": bad for i in range(posts)})


def _read_one_line_and_close(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> tuple[int, str]:
    proc = subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    assert proc.stdout is not None and proc.stderr is not None
    first = proc.stdout.readline()
    assert first
    proc.stdout.close()
    err = proc.stderr.read().decode("utf-8", "replace")
    return proc.wait(timeout=300), err


@pytest.mark.parametrize("fmt", ["text", "json", "github", "sarif"])
def test_cli_output_closed_early_is_no_traceback(tmp_path: Path, fmt: str) -> None:
    site = _many_findings(tmp_path)
    code, err = _read_one_line_and_close([POSTLINT, "check", "--no-cache", "--output-format", fmt, "."], site)
    assert "Traceback" not in err and "BrokenPipe" not in err, err
    assert code == 1  # still: there were findings


def test_action_output_closed_early_is_no_traceback_and_still_summarises(tmp_path: Path) -> None:
    import os

    site = _many_findings(tmp_path / "site")
    temp = tmp_path / "runner"
    temp.mkdir()
    env = dict(os.environ, INPUT_NETWORK="false", RUNNER_TEMP=str(temp), GITHUB_WORKSPACE=str(site),
               GITHUB_STEP_SUMMARY=str(temp / "summary"), GITHUB_OUTPUT=str(temp / "output"), NO_COLOR="1")
    for fmt in ("github", "concise"):
        env["INPUT_OUTPUT_FORMAT"] = fmt
        code, err = _read_one_line_and_close([sys.executable, "-m", "postlint.integrations.github_action"], site, env)
        assert "Traceback" not in err and "BrokenPipe" not in err, err
        assert code == 1
        assert "**3150 findings** in 150 files (150 checked)" in (temp / "summary").read_text(encoding="utf-8")
        assert "findings=3150" in (temp / "output").read_text(encoding="utf-8")
