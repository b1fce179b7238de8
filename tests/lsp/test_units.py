"""The language server's pure parts: LSP positions and the suppression it inserts."""

from __future__ import annotations

import pytest

from postlint.engine.registry import load
from postlint.integrations.lsp.positions import Positions
from postlint.integrations.lsp.suppress import disable_for_line
from tests.conftest import lint

PATH = "_posts/2019-05-13-nieuws.md"


@pytest.mark.parametrize(("encoding", "after_emoji"), [("utf-16", 3), ("utf-8", 5), ("utf-32", 2)])
def test_positions_count_the_agreed_code_units(encoding: str, after_emoji: int) -> None:
    text = "a\U0001F600b\nc"
    p = Positions(text, encoding)
    assert p.position(2) == (0, after_emoji)  # just after the astral character
    assert p.offset(0, after_emoji) == 2
    assert p.position(text.index("c")) == (1, 0)


def test_positions_line_breaks_as_lsp_counts_them() -> None:
    text = "ab\r\ncd\ref\ngh"
    p = Positions(text)
    assert [p.position(text.index(ch)) for ch in "acegh"] == [(0, 0), (1, 0), (2, 0), (3, 0), (3, 1)]
    assert p.position(text.index("\n")) == (0, 2)  # inside "\r\n": the end of the line
    assert p.offset(0, 99) == 2  # past the end of a line: its end
    assert p.offset(9, 0) == len(text)  # past the last line: the end of the text
    assert p.offset(0, 1) == 1


def test_positions_inside_a_surrogate_pair_round_up() -> None:
    p = Positions("\U0001F600x")
    assert p.offset(0, 1) == 1 and p.offset(0, 2) == 1 and p.offset(0, 3) == 2


RESOLVE = load().resolve


def silenced(text: str, line: int, code: str) -> str:
    """The text with the server's "disable" edit applied, checked with the linter."""
    before = [(d.line, d.code) for d in lint(text, path=PATH)]
    assert (line, code) in before
    disable = disable_for_line(PATH, text, line, code, RESOLVE)
    assert disable is not None
    new = text[: disable.edit.start] + disable.edit.content + text[disable.edit.end :]
    after = lint(new, path=PATH)
    assert code not in {d.code for d in after}
    assert not {"PL001", "PL002"} & {d.code for d in after}
    return new


def test_disable_in_the_body_keeps_a_hard_break() -> None:
    text = "---\nlayout: post\ntitle: a\n---\nTekst <b>vet  \nmeer\n"
    new = silenced(text, 5, "HT002")
    assert "Tekst <b>vet <!-- postlint-disable-line HT002 -->  \nmeer\n" in new


def test_disable_in_front_matter_is_a_yaml_comment() -> None:
    text = "---\nlayout: post\ntitle: a\ntitle: b\n---\n<p>x</p>\n"
    assert "title: b # postlint: disable=FM003\n" in silenced(text, 4, "FM003")


def test_disable_keeps_crlf() -> None:
    text = "---\r\nlayout: post\r\ntitle: a\r\ntitle: b\r\n---\r\n<p>x <b>y</p>\r\n"
    assert "<p>x <b>y</p> <!-- postlint-disable-line HT002 -->\r\n" in silenced(text, 6, "HT002")


def test_disable_on_a_front_matter_delimiter_is_for_the_file() -> None:
    # FM100 (the schema: no layout) stands at line 1, the opening "---".
    text = "---\ntitle: a\n---\n<p>x</p>\n"
    findings = [(d.line, d.code) for d in lint(text, path=PATH)]
    line, code = next((ln, c) for ln, c in findings if ln == 1)
    disable = disable_for_line(PATH, text, line, code, RESOLVE)
    assert disable is not None and disable.title == f"Disable {code} for this file"
    new = text[: disable.edit.start] + disable.edit.content + text[disable.edit.end :]
    assert new.startswith(f"---\n# postlint: disable-file={code}\ntitle: a\n")
    assert code not in {d.code for d in lint(new, path=PATH)}


def test_a_block_scalar_finding_is_disabled_where_yaml_has_comments() -> None:
    text = "---\nlayout: post\ntitle: a\nsummary: |\n  caf\u00c3\u00a9 open\n---\n<p>x</p>\n"
    line = next(d.line for d in lint(text, path=PATH) if d.code == "EN002")
    new = silenced(text, line, "EN002")
    assert "# postlint: disable" in new and new.endswith("---\n<p>x</p>\n")


def test_no_disable_where_no_comment_would_count() -> None:
    # Inside a fenced code block a comment is text, on the line or before it.
    text = "---\nlayout: post\ntitle: a\n---\n```\nx\u200by\n```\n"
    assert (6, "EN003") in [(d.line, d.code) for d in lint(text, path=PATH)]
    assert disable_for_line(PATH, text, 6, "EN003", RESOLVE) is None
    # Nor inside <script>, where "<!--" opens no comment.
    script = "---\nlayout: post\ntitle: a\n---\n<script>\nvar a = \"caf\u00c3\u00a9\";\n</script>\n"
    assert (6, "EN002") in [(d.line, d.code) for d in lint(script, path=PATH)]
    assert disable_for_line(PATH, script, 6, "EN002", RESOLVE) is None
    # Not UTF-8: no edit is offered at all.
    assert disable_for_line(PATH, "x\udcff", 1, "EN001", RESOLVE) is None


def test_server_without_pygls_says_how_to_install_it() -> None:
    import subprocess
    import sys

    code = ("import sys; sys.modules['pygls'] = None; from postlint.cli import main; "
            "sys.exit(main(['server']))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 2
    assert "postlint[lsp]" in result.stderr and result.stdout == ""
