"""markdown-it-py's internals that postlint.adapters.markdown_it uses are
still there, as it uses them: a new markdown-it-py that changes one fails
here, naming it, before any parse goes wrong (issue 13, item 5)."""

from __future__ import annotations

import re
from importlib.metadata import version
from pathlib import Path

import pytest

from postlint.adapters import markdown_it as adapter

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("internal", sorted(adapter._internals()))
def test_internal_is_as_the_adapter_expects(internal: str) -> None:
    check = adapter._internals()[internal]
    assert check(), f"markdown-it-py {version('markdown-it-py')} changed: {internal}"


def test_changed_internals_names_a_missing_one(monkeypatch: pytest.MonkeyPatch) -> None:
    from markdown_it.rules_inline.state_inline import StateInline

    assert adapter.changed_internals() == []
    monkeypatch.delattr(StateInline, "append_pending")
    changed = adapter.changed_internals()
    assert len(changed) == 1 and changed[0].startswith("StateInline")


def test_installed_version_is_within_the_declared_bounds() -> None:
    text = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    m = re.search(r'"markdown-it-py>=([\d.]+),<([\d.]+)"', text)
    assert m is not None, "markdown-it-py needs an upper bound in pyproject.toml"

    def parts(v: str) -> tuple[int, ...]:
        return tuple(int(x) for x in re.findall(r"\d+", v)[:3])

    assert parts(m.group(1)) <= parts(version("markdown-it-py")) < parts(m.group(2))


def test_no_other_module_reaches_into_markdown_it() -> None:
    # Only the adapter imports markdown-it's modules other than the package
    # itself (MarkdownIt, its public entry point).
    offenders = []
    for path in (REPO / "postlint").rglob("*.py"):
        if path.name == "markdown_it.py" and path.parent.name == "adapters":
            continue
        text = path.read_text(encoding="utf-8")
        if re.search(r"^\s*(?:from|import) markdown_it\b", text, re.MULTILINE):
            offenders.append(str(path.relative_to(REPO)))
    assert offenders == []


def test_the_fast_parse_is_markdown_its_own() -> None:
    # The replaced loops and label scan give markdown-it's own tokens.
    from markdown_it import MarkdownIt

    text = "# `a` [b](<c>) *d*\n\n- e <f> `g`\n\n> [h][r]\n\n[r]: /u\n"
    fast, stock = adapter.links_parser(), MarkdownIt("commonmark")
    assert [(t.type, t.map, t.content) for t in fast.parse(text)] == \
        [(t.type, t.map, t.content) for t in stock.parse(text)]
