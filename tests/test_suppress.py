"""Suppression comments: selectors resolved to rule codes, enable subtracting
codes from open blocks, front-matter comments on their own line, any case."""

from __future__ import annotations

import types
from pathlib import Path

import pytest

from postlint.config import Settings
from postlint.engine import Linter
from postlint.jekyll import Site
from postlint.registry import Registry, load, rule_from_module
from tests.conftest import lint, positions


def _word_rule(code: str, name: str, word: str):  # type: ignore[no-untyped-def]
    def check(post, options):  # type: ignore[no-untyped-def]
        for number, line in enumerate(post.text.split("\n"), 1):
            if word in line:
                start = post.lines.offset(number, line.index(word) + 1)
                yield post.diagnostic(code, start, start + len(word), f"{word} here")

    module = types.ModuleType(f"fake_{name}", f"Finds {word}.\n\n## What it does\nTest.")
    module.CODE, module.NAME, module.check = code, name, check  # type: ignore[attr-defined]
    return rule_from_module(module, "test 0")


REGISTRY = Registry([*load(), _word_rule("XB001", "bad-word", "BAD"), _word_rule("XB002", "odd-word", "ODD")])


def _found(body: str) -> list[tuple[int, str]]:
    settings = Settings(root=Path("."), select=["XB"])
    result = Linter(settings, REGISTRY, Site(), network=False).lint_source("p.md", f"---\n---\n{body}".encode())[1]
    return sorted((d.line, d.code) for d in result.diagnostics)


def test_enable_closes_a_block_opened_with_another_spelling() -> None:
    body = (
        "<!-- postlint-disable bad-word -->\n"  # 3
        "BAD 4\n"
        "<!-- postlint-enable XB001 -->\n"
        "BAD 6\n"
        "<!-- postlint-disable XB -->\n"  # 7
        "BAD ODD 8\n"
        "<!-- postlint-enable bad-word, odd-word -->\n"
        "BAD ODD 10\n"
    )
    assert _found(body) == [(6, "XB001"), (10, "XB001"), (10, "XB002")]


def test_enable_subtracts_its_codes_from_an_open_block() -> None:
    body = (
        "<!-- postlint-disable XB001, XB002 -->\n"  # 3
        "BAD ODD 4\n"
        "<!-- postlint-enable XB001 -->\n"
        "BAD ODD 6\n"  # XB002 still off
        "<!-- postlint-enable XB002 -->\n"
        "BAD ODD 8\n"
    )
    assert _found(body) == [(6, "XB001"), (8, "XB001"), (8, "XB002")]


def test_enable_of_one_rule_inside_a_block_for_every_rule() -> None:
    body = (
        "<!-- postlint-disable -->\n"  # 3
        "BAD ODD 4\n"
        "<!-- postlint-enable odd-word -->\n"
        "BAD ODD 6\n"
        "<!-- postlint-enable -->\n"
        "BAD ODD 8\n"
    )
    assert _found(body) == [(6, "XB002"), (8, "XB001"), (8, "XB002")]


def test_a_bare_enable_closes_every_block() -> None:
    body = (
        "<!-- postlint-disable XB001 -->\n"
        "<!-- postlint-disable odd-word -->\n"
        "BAD ODD 5\n"
        "<!-- postlint-enable -->\n"
        "BAD ODD 7\n"
    )
    assert _found(body) == [(7, "XB001"), (7, "XB002")]


def test_an_enable_of_a_rule_never_disabled_changes_nothing() -> None:
    body = (
        "<!-- postlint-disable XB001 -->\n"
        "BAD ODD 4\n"
        "<!-- postlint-enable XB002 -->\n"
        "BAD ODD 6\n"
    )
    assert _found(body) == [(4, "XB002"), (6, "XB002")]


@pytest.mark.parametrize("selector", ["xb001", "Xb001", "xb", "Bad-Word"])
def test_selectors_in_comments_are_case_insensitive(selector: str) -> None:
    body = (
        f"<!-- postlint-disable {selector} -->\n"
        "BAD 4\n"
        f"<!-- postlint-enable {selector.upper()} -->\n"
        "BAD 6\n"
        f"<!-- postlint-disable-next-line {selector} -->\n"
        "BAD 8\n"
    )
    assert [item for item in _found(body) if item[1] == "XB001"] == [(6, "XB001")]


def test_the_reported_case_mojibake_block_closed_by_its_code() -> None:
    text = (
        "---\nlayout: post\n---\n"
        "<!-- postlint-disable mojibake -->\n"
        "<p>DaniÃ«l 5</p>\n"
        "<!-- postlint-enable EN002 -->\n"
        "<p>DaniÃ«l 7</p>\n"
        "<!-- postlint-disable en002, EN003 -->\n"
        "<p>DaniÃ«l 9</p>\n"
        "<!-- postlint-enable EN002 -->\n"
        "<p>DaniÃ«l 11</p>\n"
    )
    assert [(line, code) for line, _, code in positions(lint(text, select=["EN002"]))] == [
        (7, "EN002"), (11, "EN002"),
    ]


@pytest.mark.parametrize(
    "front, expected",
    [
        # A trailing comment: its own line.
        ("x: 1\nx: 2  # postlint: disable=FM003\n", []),
        ("x: 1  # postlint: disable=FM003\nx: 2\n", [(3, 1, "FM003")]),
        # A comment on a line of its own: the next line, never the line above.
        ("x: 1\n# postlint: disable=FM003\nx: 2\n", []),
        ("x: 1\n  # postlint: disable=duplicate-key\nx: 2\n", []),
        ("x: 1\nx: 2\n# postlint: disable=FM003\n", [(3, 1, "FM003")]),
        ("x: 1\nx: 2\n# postlint: disable=FM003\ny: 3\n", [(3, 1, "FM003")]),
        # Any case, like --select.
        ("x: 1\nx: 2  # postlint: disable=fm003\n", []),
        ("x: 1\nx: 2  # postlint: disable=fm\n", []),
        # Windows line endings.
        ("x: 1\r\nx: 2  # postlint: disable=FM003\r\n", []),
    ],
)
def test_front_matter_comment_lines(front: str, expected: list) -> None:  # type: ignore[type-arg]
    assert positions(lint(f"---\n{front}---\n", select=["FM003"])) == expected


def test_disable_file_reaches_findings_about_the_file() -> None:
    from tests.conftest import lint, positions

    text = "---\ntitle: x\n# postlint: disable-file=FM100, invalid-post-filename\n---\n"
    assert positions(lint(text, path="_posts/nieuws.md", select=["FM100", "JK001"])) == []
    assert positions(lint(text.replace("disable-file=FM100, ", "disable-file="), path="_posts/nieuws.md",
                          select=["FM100", "JK001"])) == [(1, 1, "FM100")]
