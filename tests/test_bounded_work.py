"""Work and memory of a flood of findings are bounded by what is kept, not by
what a hostile post holds (issue 12): measured in objects and bytes, not time."""

from __future__ import annotations

import gc
import tracemalloc
from pathlib import Path
from typing import Any

from postlint.analysis.body import html as html_mod
from postlint.engine.config import Settings
from postlint.engine.linter import Linter
from postlint.engine.registry import load
from postlint.model.diagnostic import MAX_FINDINGS_PER_RULE, Diagnostic
from postlint.model.site import Site

PATH = "_posts/2019-05-13-a.md"


def _flood(n: int) -> list[Diagnostic]:
    # Findings as rules give them: no severity yet (the rule's default).
    return [Diagnostic(PATH, 6, 1 + 6 * i, 6, 7 + 6 * i, "HT003", "", "stray", None) for i in range(n)]


def test_finalize_copies_only_the_findings_it_keeps() -> None:
    linter = Linter(Settings(root=Path(".")), load(), Site(), network=False)
    small, big = _flood(1_000), _flood(20_000)
    peaks = []
    for found in (small, big):
        gc.collect()
        tracemalloc.start()
        out = linter.finalize(found, PATH, [])
        peaks.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
        # All the findings are counted, 101 kept, each with the rule's severity.
        assert len(out) == MAX_FINDINGS_PER_RULE + 1
        assert out[-1].not_shown == len(found) - MAX_FINDINGS_PER_RULE - 1
        assert {d.severity for d in out} == {"error"}
        assert [(d.line, d.column) for d in out] == [(6, 1 + 6 * i) for i in range(101)]
    # Sorting them costs a key (a tuple of 5, ~90 bytes) and a few pointers
    # each; a copy of each finding too (a tuple of 11, 144 bytes) was ~240.
    per_finding = (peaks[1] - peaks[0]) / 19_000
    assert per_finding < 150, per_finding


def test_html_tree_is_gone_before_the_open_elements_become_findings(monkeypatch: Any) -> None:
    # OPTIONAL_END is asked of every element left open, after the parse:
    # by then none of html5lib's elements may be alive (200k of them in
    # 1 MB of <div>, held while the findings were built, were ~70 MB).
    alive: list[int] = []

    class Probe(frozenset):  # type: ignore[type-arg]
        def __contains__(self, name: object) -> bool:
            if not alive:
                gc.collect()
                alive.append(sum(1 for o in gc.get_objects()
                                 if type(o).__name__ == "Element" and hasattr(o, "postlint_span")))
            return super().__contains__(name)

    monkeypatch.setattr(html_mod, "OPTIONAL_END", Probe(html_mod.OPTIONAL_END))
    n = 3_000
    info = html_mod._run("<div>" * n + "<table><tr><td>x")
    assert alive == [0]
    assert len(info.unclosed) == n + 1          # the divs and the table; td and tr may stay open
    assert [t.tag for t in info.unclosed[:2]] == ["div", "div"] and info.unclosed[-1].tag == "table"


def test_recorded_inline_rules_run_only_where_they_can_match() -> None:
    # Inline rules are tried at every position of hostile text (and again in
    # each link label scan); the recorders must not pay a rule call for each.
    from markdown_it import MarkdownIt
    from markdown_it.rules_inline.backticks import backtick

    from postlint.adapters.markdown_it import recording

    at: list[str] = []

    def counting(state: Any, silent: bool) -> bool:
        at.append(state.src[state.pos])
        return backtick(state, silent)

    md = MarkdownIt("commonmark")
    md.inline.ruler.at("backticks", recording(counting, "code_inline", "`"))
    text = "*_[`" * 500 + "](x)"
    tokens = md.parse(text)
    assert at and set(at) == {"`"}
    assert len(at) <= 4 * text.count("`")
    # The same parse as markdown-it's own.
    assert [t.type for t in tokens[1].children] == [t.type for t in MarkdownIt("commonmark").parse(text)[1].children]
