"""Suppression comments: selectors resolved to rule codes, enable subtracting
codes from open blocks, front-matter comments on their own line, any case."""

from __future__ import annotations

import types
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from postlint.engine.config import Settings
from postlint.engine.linter import Linter
from postlint.engine.registry import Registry, load, rule_from_module
from postlint.model.post import parse
from postlint.model.site import Site
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


# -- the exact grammar: PL001 ---------------------------------------------------------

ENGINE_SELECT = ["XB", "PL001", "PL002"]


def _lint_site(text: str, select: list[str] = ENGINE_SELECT, *, registry: Registry = REGISTRY,
               partial: bool = False, network: bool = False):  # type: ignore[no-untyped-def]
    """Post and site findings (PL002 included) of one post, and the linter."""
    settings = Settings(root=Path("."), select=select)
    linter = Linter(settings, registry, Site(), network=network)
    result = linter.lint_source("p.md", text.encode())[1]
    site, _ = linter.lint_site([result], partial=partial)
    return sorted((d.line, d.column, d.code) for d in result.diagnostics + site), result.diagnostics + site


def _all(body: str, front: str = "", **kw) -> list[tuple[int, int, str]]:  # type: ignore[no-untyped-def]
    return _lint_site(f"---\n{front}---\n{body}", **kw)[0]


def test_reported_case_disable_line_is_one_line_not_a_block() -> None:
    body = "# h1 <!-- postlint-disable-line HD002 -->\n\n# h1 again\n"
    text = f"---\n---\n{body}"
    assert [(line, code) for line, _, code in positions(lint(text, select=["HD002", "PL"]))] == [(5, "HD002")]


def test_reported_case_disable_nextline_is_invalid_and_silences_nothing() -> None:
    body = "BAD 3 <!-- postlint-disable-nextline XB001 -->\nBAD 4\nBAD 5\n"
    assert _all(body) == [(3, 1, "XB001"), (3, 7, "PL001"), (4, 1, "XB001"), (5, 1, "XB001")]


def test_reported_case_disable_file_with_a_code_that_names_no_rule() -> None:
    text = "---\ntitle: x\n# postlint: disable-file=JK01\n---\n"
    assert positions(lint(text, path="_posts/nieuws.md", select=["JK001", "PL001"])) == [
        (1, 1, "JK001"), (3, 26, "PL001"),
    ]
    found = lint(text, path="_posts/nieuws.md", select=["PL001"])
    assert [(d.line, d.column, d.end_line, d.end_column) for d in found] == [(3, 26, 3, 30)]


@pytest.mark.parametrize(
    "front",
    [
        "x: 1\n# postlint: disable-fil=FM003\nx: 2\n",
        "x: 1\n# postlint-disabel FM003\nx: 2\n",
        "x: 1\n# postlint: disable-next-line: FM003\nx: 2\n",  # ':' for '='
        "x: 1\n# postlint: disable FM003\nx: 2\n",  # no '='
        "x: 1\n# postlint disable=FM003\nx: 2\n",  # no ':'
        "x: 1\n# postlint: disable=\nx: 2\n",  # '=' and nothing
        "x: 1\n# postlint: disable=FM003;FM100\nx: 2\n",  # ';' separator
        "x: 1\n# postlint-disable-next-line FM003\nx: 2\n",  # the body's form
    ],
)
def test_invalid_front_matter_directives_are_pl001_and_silence_nothing(front: str) -> None:
    found = lint(f"---\n{front}---\n", select=["FM003", "PL001"])
    assert positions(found) == [(3, 1, "PL001"), (4, 1, "FM003")]
    invalid = next(d for d in found if d.code == "PL001")
    assert (invalid.end_line, invalid.end_column) == (3, len(front.split("\n")[1]) + 1)


@pytest.mark.parametrize(
    "comment",
    [
        "<!-- postlint-disabel -->",
        "<!-- postlint-disable-nextline XB001 -->",
        "<!-- postlint-disable-next-lines XB001 -->",
        "<!-- postlint-disable: XB001 -->",
        "<!-- postlint-disable=XB001 -->",
        "<!-- postlint-disable XB001; XB002 -->",
        "<!-- postlint-disable XB001, -->",
        "<!-- postlint: disable=XB001 -->",  # the front matter's form
        "<!-- postlint disable XB001 -->",
        "<!--postlint_disable XB001-->",
        "<!-- POSTLINT-DISABEL -->",
    ],
)
def test_invalid_body_directives_are_pl001_at_the_comment_and_silence_nothing(comment: str) -> None:
    body = f"BAD 3\n  {comment}\nBAD 5\nBAD 6\n"
    found = _lint_site(f"---\n---\n{body}")[1]
    assert sorted((d.line, d.column, d.code) for d in found) == [
        (3, 1, "XB001"), (4, 3, "PL001"), (5, 1, "XB001"), (6, 1, "XB001"),
    ]
    invalid = next(d for d in found if d.code == "PL001")
    assert (invalid.end_line, invalid.end_column) == (4, 3 + len(comment))


def test_comments_that_only_mention_postlint_are_not_directives() -> None:
    body = "<!-- postlint was here -->\n<!-- generated by postlint -->\n<!-- postlinter-disable -->\nBAD 6\n"
    assert _all(body) == [(6, 1, "XB001")]


def test_an_unknown_selector_is_pl001_and_the_others_still_apply() -> None:
    body = "BAD ODD 3 <!-- postlint-disable-line XB001, nope, XB9 -->\nBAD 4\n"
    found = _all(body)
    assert found == [(3, 5, "XB002"), (3, 45, "PL001"), (3, 51, "PL001"), (4, 1, "XB001")]


def test_a_directive_of_unknown_selectors_only_silences_nothing() -> None:
    # Never "every rule": that is what a bare directive means.
    body = "<!-- postlint-disable nope -->\nBAD ODD 4\n"
    assert _all(body) == [(3, 23, "PL001"), (4, 1, "XB001"), (4, 5, "XB002")]


@pytest.mark.parametrize(
    "body, expected",
    [
        # disable-line: the comment's line only.
        ("BAD 3 <!-- postlint-disable-line XB001 -->\nBAD 4\n", [(4, 1, "XB001")]),
        ("<!-- postlint-disable-line --> BAD ODD 3\nBAD 4\n", [(4, 1, "XB001")]),
        # disable-next-line: the line after the comment, not the comment's.
        ("BAD 3 <!-- postlint-disable-next-line XB001 -->\nBAD 4\nBAD 5\n", [(3, 1, "XB001"), (5, 1, "XB001")]),
        ("<!--\n  postlint-disable-next-line XB001\n-->\nBAD 6\nBAD 7\n", [(7, 1, "XB001")]),
        # disable ... enable.
        ("<!-- postlint-disable XB001 -->\nBAD 4\n<!-- postlint-enable XB001 -->\nBAD 6\n", [(6, 1, "XB001")]),
        # A reason after " -- ".
        ("BAD 3 <!-- postlint-disable-line XB001 -- quoted from the source -->\nBAD 4\n", [(4, 1, "XB001")]),
        # Blanks alone separate selectors too; any case.
        ("BAD ODD 3 <!-- POSTLINT-DISABLE-LINE xb001 odd-word -->\n", []),
    ],
)
def test_each_body_directive(body: str, expected: list) -> None:  # type: ignore[type-arg]
    assert _all(body, select=["XB", "PL001"]) == expected


@pytest.mark.parametrize(
    "front, expected",
    [
        ("x: 1\n# postlint: disable-next-line=FM003\nx: 2\n", []),
        ("x: 1  # postlint: disable-next-line=FM003\nx: 2\n", []),
        ("x: 1\nx: 2  # postlint: disable-next-line=FM003\n", [(3, 1, "FM003")]),
        ("x: 1\nx: 2  # postlint: disable=FM003 -- kept on purpose\n", []),
        ("x: 1\nx: 2\n# postlint: disable-file\n", []),
        ("x: 1\nx: 2\n# postlint: disable-file=FM003, FM100\n", []),
    ],
)
def test_each_front_matter_directive(front: str, expected: list) -> None:  # type: ignore[type-arg]
    assert positions(lint(f"---\n{front}---\n", select=["FM003", "PL001"])) == expected


def test_pl001_follows_select_ignore_and_only_an_exact_selector_silences_it() -> None:
    body = "<!-- postlint-disabel -->\n"
    assert _all(body, select=["XB"]) == []
    assert _all(body, select=["XB", "PL"]) == [(3, 1, "PL001")]
    assert _all("<!-- postlint-disable -->\n" + body, select=["XB", "PL001"]) == [(4, 1, "PL001")]
    assert _all("<!-- postlint-disable ALL -->\n" + body, select=["XB", "PL001"]) == [(4, 1, "PL001")]
    assert _all("<!-- postlint-disable PL -->\n" + body, select=["XB", "PL001"]) == [(4, 1, "PL001")]
    assert _all("<!-- postlint-disable-next-line PL001 -->\n" + body, select=["XB", "PL001"]) == []
    assert _all("<!-- postlint-disable invalid-suppression -->\n" + body, select=["XB", "PL001"]) == []


# -- PL002: unused suppressions -----------------------------------------------------------


def test_unused_directives_are_pl002_at_the_comment() -> None:
    body = (
        "BAD 3 <!-- postlint-disable-line XB001 -->\n"  # used
        "ok 4 <!-- postlint-disable-line XB001 -->\n"  # unused
        "<!-- postlint-disable-next-line odd-word -->\n"  # unused
        "BAD 6\n"
        "<!-- postlint-disable XB002 -->\n"  # unused block
        "BAD 8\n"
        "<!-- postlint-enable XB002 -->\n"
    )
    found = _lint_site(f"---\n---\n{body}")[1]
    assert sorted((d.line, d.column, d.end_line, d.end_column, d.code) for d in found) == [
        (4, 6, 4, 42, "PL002"), (5, 1, 5, 45, "PL002"), (6, 1, 6, 4, "XB001"), (7, 1, 7, 32, "PL002"),
        (8, 1, 8, 4, "XB001"),
    ]


def test_unused_selectors_of_a_used_directive() -> None:
    body = "BAD 3 <!-- postlint-disable-line XB001, XB002, odd-word -->\n"
    found = [d for d in _lint_site(f"---\n---\n{body}")[1] if d.code == "PL002"]
    assert [(d.line, d.column, d.end_line, d.end_column) for d in found] == [(3, 41, 3, 56)]
    assert found[0].fix is not None and found[0].fix.applicability == "safe"


def test_a_block_used_after_an_enable_split_is_used() -> None:
    body = (
        "<!-- postlint-disable XB001, XB002 -->\n"
        "ODD 4\n"
        "<!-- postlint-enable XB002 -->\n"
        "BAD 6\n"
    )
    assert _all(body) == []


def test_bare_and_all_directives_are_unused_only_when_every_rule_ran() -> None:
    body = "ok 3 <!-- postlint-disable-line -->\nok 4 <!-- postlint-disable-line ALL -->\n"
    # Not every rule ran (only XB and PL were selected): nothing is certain.
    assert _all(body) == []
    everything = _lint_site(f"---\nlayout: post\n---\n{body}".replace("---\n---", "---"), select=["ALL"],
                            network=True)[0]
    assert [(line, code) for line, _, code in everything if code == "PL002"] == [(4, "PL002"), (5, "PL002")]


def test_a_rule_that_did_not_run_never_makes_a_suppression_unused() -> None:
    body = "ok 3 <!-- postlint-disable-line XB001 -->\n"
    text = f"---\n---\n{body}"
    assert _lint_site(text)[0] == [(3, 6, "PL002")]
    # Not selected, or ignored.
    assert _lint_site(text, select=["XB002", "PL002"])[0] == []
    settings = Settings(root=Path("."), select=ENGINE_SELECT, ignore=["XB001"])
    linter = Linter(settings, REGISTRY, Site(), network=False)
    result = linter.lint_source("p.md", text.encode())[1]
    assert linter.lint_site([result])[0] == []
    # Ignored for this file.
    settings = Settings(root=Path("."), select=ENGINE_SELECT, per_file_ignores={"p.md": ["bad-word"]})
    linter = Linter(settings, REGISTRY, Site(), network=False)
    result = linter.lint_source("p.md", text.encode())[1]
    assert linter.lint_site([result])[0] == []


def test_network_rules_under_no_network_are_not_unused() -> None:
    # `photo` is no URL field (jekyll-seo-tag's `image` is one since issue 16).
    text = "---\nlayout: post\nphoto: x  # postlint: disable=URL004\n---\n"
    off = _lint_site(text, select=["URL004", "PL002"], registry=load(), network=False)[0]
    assert off == []
    on = _lint_site(text, select=["URL004", "PL002"], registry=load(), network=True)[0]
    assert on == [(3, 11, "PL002")]


def test_a_site_rule_skipped_in_a_partial_run_is_not_unused() -> None:
    text = "---\nlayout: post\n# postlint: disable=JK002\npermalink: /a/\n---\n"
    assert _lint_site(text, select=["JK002", "PL002"], registry=load(), partial=True)[0] == []
    assert _lint_site(text, select=["JK002", "PL002"], registry=load(), partial=False)[0] == [(3, 1, "PL002")]


def test_a_site_finding_uses_its_suppression() -> None:
    registry = load()
    settings = Settings(root=Path("."), select=["JK002", "PL002"])
    linter = Linter(settings, registry, Site(), network=False)
    a = "---\n# postlint: disable=JK002\npermalink: /same/\n---\n"
    b = "---\npermalink: /same/\n---\n"
    results = [linter.lint_source("_posts/2019-01-01-a.md", a.encode())[1],
               linter.lint_source("_posts/2019-01-02-b.md", b.encode())[1]]
    found = linter.lint_site(results)[0]
    assert [(d.path, d.line, d.code) for d in found] == [("_posts/2019-01-02-b.md", 2, "JK002")]


def test_pl002_is_silenced_only_by_an_exact_selector() -> None:
    body = "ok 3 <!-- postlint-disable-line XB001 -->\n"
    assert _all("<!-- postlint-disable -->\n" + body, select=["XB001", "PL002"]) == [(4, 6, "PL002")]
    assert _all("<!-- postlint-disable PL -->\n" + body, select=["XB001", "PL002"]) == [(4, 6, "PL002")]
    assert _all(body.replace("XB001 -->", "XB001, PL002 -->"), select=["XB001", "PL002"]) == []
    assert _all("<!-- postlint-disable unused-suppression -->\n" + body, select=["XB001", "PL002"]) == []
    assert _all(body, select=["XB001"]) == []
    assert _all(body, select=["XB001", "PL"], ) == [(3, 6, "PL002")]


# -- PL002 through the command line: the fix, the cache -------------------------------------

from tests.conftest import run_cli, write_site  # noqa: E402

_FIX_POST = (
    "---\n"
    "layout: post\n"
    "title: A  # postlint: disable=FM003\n"
    "# postlint: disable-next-line=FM003, EN002\n"
    "tags: [a]\n"
    "---\n"
    "Intro.\n"
    "<!-- postlint-disable-next-line HD002 -->\n"
    "\n"
    "## Section <!-- postlint-disable-line HD002, HD003 -->\n"
    "Text.\n"
    "<!-- postlint-disable-line HD001 -->\n"
    "More text.\n"
    "<p>Dani\u00c3\u00abl</p> <!-- postlint-disable-line EN002 -->\n"
)
_FIXED_POST = (
    "---\n"
    "layout: post\n"
    "title: A\n"
    "tags: [a]\n"
    "---\n"
    "Intro.\n"
    "\n"
    "## Section\n"
    "Text.\n"
    "\n"
    "More text.\n"
    "<p>Dani\u00c3\u00abl</p> <!-- postlint-disable-line EN002 -->\n"
)


def _codes(result) -> list[tuple[int, int, str]]:  # type: ignore[no-untyped-def]
    return sorted((d["line"], d["column"], d["code"]) for d in result.json()["diagnostics"])


def test_fix_removes_unused_suppressions_and_a_second_run_changes_nothing(tmp_path: Path) -> None:
    site = write_site(tmp_path, {"_posts/2019-05-13-a.md": _FIX_POST})
    post = site / "_posts/2019-05-13-a.md"
    args = ["check", "--no-network", "--no-cache", "--select", "FM,EN,HD,PL", "--output-format", "json", "."]
    before = run_cli(args, cwd=site)
    assert [c for c in _codes(before) if c[2] == "PL002"] == [
        (3, 11, "PL002"), (4, 1, "PL002"), (8, 1, "PL002"), (10, 12, "PL002"), (12, 1, "PL002"),
    ]
    fixed = run_cli(args[:-1] + ["--fix", "."], cwd=site)
    assert post.read_bytes().decode("utf-8") == _FIXED_POST
    assert _codes(fixed) == []
    again = run_cli(args[:-1] + ["--fix", "."], cwd=site)
    assert post.read_bytes().decode("utf-8") == _FIXED_POST
    assert _codes(again) == [] and again.code == 0


def test_fix_removes_only_the_unused_selectors(tmp_path: Path) -> None:
    text = "---\nlayout: post\n---\n# Title <!-- postlint-disable-line HD003, body-h1 HD001 -->\n"
    site = write_site(tmp_path, {"_posts/2019-05-13-a.md": text})
    run_cli(["check", "--no-network", "--no-cache", "--select", "HD,PL", "--fix", "."], cwd=site)
    assert (site / "_posts/2019-05-13-a.md").read_text(encoding="utf-8") == (
        "---\nlayout: post\n---\n# Title <!-- postlint-disable-line body-h1 -->\n"
    )


def test_fix_keeps_crlf_line_endings(tmp_path: Path) -> None:
    text = "---\r\nlayout: post\r\n---\r\nA.\r\n<!-- postlint-disable-next-line HD002 -->\r\n\r\nB.\r\n"
    site = write_site(tmp_path, {"_posts/2019-05-13-a.md": text})
    run_cli(["check", "--no-network", "--no-cache", "--select", "HD,PL", "--fix", "."], cwd=site)
    assert (site / "_posts/2019-05-13-a.md").read_bytes() == b"---\r\nlayout: post\r\n---\r\nA.\r\n\r\nB.\r\n"


def test_a_warm_cache_reports_the_same_unused_suppressions(tmp_path: Path) -> None:
    posts = {
        "_posts/2019-05-13-a.md": "---\nlayout: post\n# postlint: disable=JK002\npermalink: /same/\n---\n"
        "# h1 <!-- postlint-disable-line HD002 -->\nok <!-- postlint-disable-line HD002 -->\n",
        "_posts/2019-05-14-b.md": "---\nlayout: post\npermalink: /same/\n---\n",
    }
    site = write_site(tmp_path, posts)
    args = ["check", "--no-network", "--cache-dir", str(tmp_path / "cache"), "--output-format", "json", "."]
    cold = run_cli(args, cwd=site)
    warm = run_cli(args, cwd=site)
    assert "result cache: 2 of 2" in run_cli(args[:-1] + ["-v", "."], cwd=site).err
    assert _codes(cold) == _codes(warm)
    assert [c for c in _codes(cold) if c[2] in ("PL002", "JK002", "HD002")] == [(3, 12, "JK002"), (7, 4, "PL002")]
    # A partial run skips JK002: its suppression is not unused then either.
    one = run_cli(args[:-1] + ["_posts/2019-05-13-a.md"], cwd=site)
    assert [c for c in _codes(one) if c[2] == "PL002"] == [(7, 4, "PL002")]


def test_fix_of_an_unused_block_removes_the_enable_that_closed_only_it(tmp_path: Path) -> None:
    text = (
        "---\nlayout: post\n---\n"
        "A.\n\n"
        "<!-- postlint-disable HD002 -->\n"  # unused: removed with its enable
        "B.\n"
        "<!-- postlint-enable HD002 -->\n\n"
        "<!-- postlint-disable HD003 -->\n"  # unused, but its enable also closes a used block
        "<!-- postlint-disable HD002 -->\n"
        "# C\n"
        "<!-- postlint-enable -->\n"
    )
    site = write_site(tmp_path, {"_posts/2019-05-13-a.md": text})
    args = ["check", "--no-network", "--no-cache", "--select", "HD,PL", "--output-format", "json"]
    assert [c for c in _codes(run_cli(args + ["."], cwd=site)) if c[2] == "PL002"] == [
        (6, 1, "PL002"),
        (10, 1, "PL002"),
    ]
    run_cli(args + ["--fix", "."], cwd=site)
    assert (site / "_posts/2019-05-13-a.md").read_text(encoding="utf-8") == (
        "---\nlayout: post\n---\n"
        "A.\n\n"
        "B.\n\n"
        "<!-- postlint-disable HD002 -->\n"
        "# C\n"
        "<!-- postlint-enable -->\n"
    )
    again = run_cli(args + ["--fix", "."], cwd=site)
    assert _codes(again) == [] and again.code == 0


def test_reported_cases_through_the_command_line(tmp_path: Path) -> None:
    text = (
        "---\nlayout: post\n# postlint: disable-file=JK01\n---\n"  # 1-4
        "# h1 <!-- postlint-disable-line HD002 -->\n"  # 5
        "\n"
        "# h1 again <!-- postlint-disabel -->\n"  # 7
        "<!-- postlint-disable-nextline EN002 -->\n"  # 8
        "<p>Dani\u00c3\u00abl</p>\n"  # 9
    )
    site = write_site(tmp_path, {"_posts/nieuws.md": text})
    result = run_cli(["check", "--no-network", "--no-cache", "--output-format", "json", "."], cwd=site)
    assert result.code == 1
    assert [c for c in _codes(result) if c[2] in ("JK001", "HD002", "EN002", "PL001", "PL002")] == [
        (1, 1, "JK001"), (3, 26, "PL001"), (7, 1, "HD002"), (7, 12, "PL001"), (8, 1, "PL001"), (9, 8, "EN002"),
    ]


def test_the_mention_screen_is_postlint_in_any_case() -> None:
    # parse_suppressions looks for directives only in a text that mentions
    # postlint: in every spelling that case-insensitive matching accepts.
    import re

    from postlint.engine.suppressions import _MENTION

    every = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF)
    word = "postlint"
    for k, letter in enumerate(word):
        theirs = set(re.findall(letter, every, re.IGNORECASE))
        # Every code point in the k-th place of the word, one per line.
        lines = "\n".join(word[:k] + c + word[k + 1:] for c in every)
        ours = {m.group()[k] for m in _MENTION.finditer(lines)}
        assert ours == theirs, letter
    assert _MENTION.search("a <!-- PoStLiNt-disable EN002 --> b") is not None
    assert _MENTION.search("post lint, postlin t") is None


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(["p", "P", "o", "O", "s", "S", "\u017f", "t", "T", "l", "L", "i", "I", "\u0130",
                                 "\u0131", "n", "N", "postlint", "POSTLINT", "\u00e9", "\u5b57", " ", "\n"]),
                max_size=30),
       st.sampled_from([b"", b"\xff", b"\xef\xbb\xbf"]))
def test_the_mention_screen_is_the_pattern(pieces: list[str], extra: bytes) -> None:
    # The byte screen over the source finds "postlint" exactly where the
    # case-insensitive pattern finds it in the decoded text (invalid UTF-8
    # and a byte-order mark included).
    from postlint.engine.suppressions import _MENTION, _mentioned

    text = "".join(pieces)
    source = extra + text.encode("utf-8") + extra
    post = parse("_posts/2019-05-13-a.md", source)
    assert _mentioned(post) is (_MENTION.search(post.text) is not None), (text, extra)


def test_the_mention_screen_sees_the_non_ascii_letters() -> None:
    from postlint.engine.suppressions import _mentioned

    for text in ("po\u017ftlint", "POSTL\u0130NT", "postl\u0131nt", "PoStLiNt", "\u00e9postlint"):
        assert _mentioned(parse("_posts/2019-05-13-a.md", f"---\ntitle: t\n---\n{text}\n".encode()))
    assert not _mentioned(parse("_posts/2019-05-13-a.md", "---\ntitle: \u00e9\n---\npost lint\n".encode()))
