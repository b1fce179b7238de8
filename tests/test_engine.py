"""Selection, severities, per-file ignores, suppressions, internal errors."""

from __future__ import annotations

import types
from pathlib import Path

import pytest

from postlint.config import Settings
from postlint.engine import Linter
from postlint.jekyll import Site
from postlint.registry import Registry, RuleError, load, rule_from_module
from tests.conftest import lint, positions

DUP = b"---\nx: 1\nx: 2\n---\n"
BAD_NAME = "_posts/nieuws.md"


def codes(select=None, ignore=(), extend=()):  # type: ignore[no-untyped-def]
    registry = load()
    return {r.code for r in registry.select(select or ["ALL"], list(extend), list(ignore))}


def test_selection_by_code_prefix_name_and_all() -> None:
    everything = {r.code for r in load()}
    assert codes(["ALL"]) == everything
    assert codes(["FM"]) == {c for c in everything if c.startswith("FM")}
    assert codes(["FM00"]) == {c for c in everything if c.startswith("FM00")}
    assert codes(["duplicate-key"]) == {"FM003"}
    assert codes(["ALL"], ignore=["FM"]) == {c for c in everything if not c.startswith("FM")}
    # The most specific selector wins; at equal specificity ignore wins.
    assert "FM003" in codes(["ALL"], ignore=["FM"], extend=["FM003"])
    assert "FM003" not in codes(["FM003"], ignore=["duplicate-key"])


def test_unknown_selectors_are_reported() -> None:
    assert load().unknown(["FM", "fm", "nope", "ALL", "XX999", "duplicate-key"]) == ["fm", "nope", "XX999"]


def test_severity_override_from_settings() -> None:
    settings = Settings(root=Path("."), severity={"FM003": "warning"})
    [d] = lint(DUP, settings=settings, select=["FM003"])
    assert d.severity == "warning"
    [d] = lint(DUP, select=["FM003"])
    assert d.severity == "error"


def test_per_file_ignores_match_relative_paths() -> None:
    settings = Settings(root=Path("."), select=["JK001"], per_file_ignores={"_posts/*.md": ["JK"]})
    linter = Linter(settings, load(), Site(), network=False)
    result = linter.lint_source(BAD_NAME, b"---\n---\n", relpath=BAD_NAME)[1]
    assert result.diagnostics == []
    result = linter.lint_source("x/_posts/nieuws.md", b"---\n---\n", relpath="x/_posts/nieuws.md")[1]
    assert [d.code for d in result.diagnostics] == ["JK001"]


@pytest.mark.parametrize(
    "front, expected",
    [
        ("x: 1\nx: 2  # postlint: disable=FM003\n", []),
        ("x: 1\nx: 2  # postlint: disable=duplicate-key\n", []),
        ("x: 1\nx: 2  # postlint: disable=FM\n", []),
        ("x: 1\nx: 2  # postlint: disable=EN002\n", [(3, 1, "FM003")]),
        ("x: 1  # postlint: disable=FM003\nx: 2\n", [(3, 1, "FM003")]),
    ],
)
def test_front_matter_suppression_on_the_key_line(front: str, expected: list) -> None:  # type: ignore[type-arg]
    assert positions(lint(f"---\n{front}---\n", select=["FM003"])) == expected


def _crashing_and_body_rule() -> Registry:
    def check(post, options):  # type: ignore[no-untyped-def]
        for number, line in enumerate(post.text.split("\n"), 1):
            if "BAD" in line:
                start = post.lines.offset(number, line.index("BAD") + 1)
                yield post.diagnostic("XB001", start, start + 3, "BAD here")
            if "CRASH" in line:
                raise KeyError("boom")

    module = types.ModuleType("fake_rule", "Finds BAD.\n\n## What it does\nTest.")
    module.CODE, module.NAME, module.check = "XB001", "bad-word", check  # type: ignore[attr-defined]
    return Registry([*load(), rule_from_module(module, "test 0")])


def _lint_with(registry: Registry, text: str):  # type: ignore[no-untyped-def]
    settings = Settings(root=Path("."), select=["XB001", "FM003"])
    return Linter(settings, registry, Site(), network=False).lint_source("p.md", text.encode())[1].diagnostics


def test_body_suppressions_block_and_next_line() -> None:
    registry = _crashing_and_body_rule()
    text = (
        "---\n---\n"
        "BAD 3\n"
        "<!-- postlint-disable XB001 -->\n"
        "BAD 5\n"
        "<!-- postlint-enable XB001 -->\n"
        "BAD 7\n"
        "<!-- postlint-disable-next-line bad-word -->\n"
        "BAD 9\n"
        "BAD 10\n"
        "<!-- postlint-disable-next-line FM003 -->\n"
        "BAD 12\n"
        "<!-- postlint-disable -->\n"
        "BAD 14\n"
    )
    assert [d.line for d in _lint_with(registry, text)] == [3, 7, 10, 12]


def test_a_crashing_rule_is_one_internal_error_and_others_still_run() -> None:
    registry = _crashing_and_body_rule()
    found = _lint_with(registry, "---\nx: 1\nx: 2\n---\nBAD\nCRASH\n")
    assert sorted(d.code for d in found) == ["FM003", "PL000"]
    [internal] = [d for d in found if d.code == "PL000"]
    assert "XB001" in internal.message and "KeyError" in internal.message


def test_rule_shape_is_checked() -> None:
    module = types.ModuleType("broken")
    module.CODE, module.NAME = "bad code", "x"  # type: ignore[attr-defined]
    with pytest.raises(RuleError):
        rule_from_module(module)
    module.CODE, module.NAME, module.SCOPE = "XX001", "x", "site"  # type: ignore[attr-defined]
    with pytest.raises(RuleError):
        rule_from_module(module)  # a site rule without collect/check_site


def test_every_builtin_rule_is_an_entry_point_with_docs() -> None:
    registry = load()
    for rule in registry:
        if not rule.origin.startswith("postlint"):
            continue
        for section in ("## What it does", "## Why is this bad?", "## Example", "## Use instead", "## Options"):
            assert section in rule.doc, (rule.code, section)
