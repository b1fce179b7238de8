"""One finding per defect (issue 10.8): the engine keeps one finding per code
and span; where one defect trips several rules, the most specific reports it."""

from __future__ import annotations

import types
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from postlint.engine.config import Settings
from postlint.engine.linter import Linter
from postlint.engine.registry import Registry, load, rule_from_module
from postlint.model.site import Site
from tests.conftest import lint, spans


def _twice_rule() -> Registry:
    def check(post: Any, options: dict[str, Any]) -> Iterator[Any]:
        for number, line in enumerate(post.text.split("\n"), 1):
            if "BAD" in line:
                start = post.lines.offset(number, line.index("BAD") + 1)
                # Two analyses of the same rule meeting the same place, and
                # one finding of it at a wider span.
                yield post.diagnostic("XT001", start, start + 3, "BAD here")
                yield post.diagnostic("XT001", start, start + 3, "BAD here, said again")
                yield post.diagnostic("XT001", start, start + 2, "BA")

    module = types.ModuleType("twice_rule", "Finds BAD twice.\n\n## What it does\nTest.")
    module.CODE, module.NAME, module.check = "XT001", "bad-twice", check  # type: ignore[attr-defined]
    return Registry([*load(), rule_from_module(module, "test 0")])


def test_same_code_same_span_is_one_finding() -> None:
    settings = Settings(root=Path("."), select=["XT001"])
    found = Linter(settings, _twice_rule(), Site(), network=False).lint_source(
        "p.md", b"---\n---\nBAD one\nand BAD two\n")[1].diagnostics
    assert sorted((d.line, d.column, d.end_column) for d in found) == [
        (3, 1, 3), (3, 1, 4), (4, 5, 7), (4, 5, 8)]
    # The two messages at the same span are one finding that says both.
    [merged] = [d.message for d in found if (d.line, d.end_column) == (3, 4)]
    assert merged.split("; ") == ["BAD here", "BAD here, said again"]


def test_identical_findings_are_one() -> None:
    from postlint.engine.linter import one_per_span
    from postlint.model.diagnostic import Diagnostic

    d = Diagnostic("p.md", 1, 1, 1, 5, "XT001", "error", "m")
    assert one_per_span([d, d, d._replace(code="XT002"), d]) == [d, d._replace(code="XT002")]


FRONT = "---\nlayout: post\ntitle: Test\n---\n"


def test_empty_h1_is_hd003_only() -> None:
    # An empty <h1> in the body: HD003 (no text) is the specific defect; HD002's
    # "use h2" would leave an empty h2.  Deleting it makes no HD001 skip.
    html = "<h2>Een</h2>\n<h1></h1>\n<h3>Drie</h3>\n<h4> </h4>\n<h2>Twee</h2>\n"
    assert spans(lint(FRONT + html, select=["HD"])) == [
        (6, 1, 6, 10, "HD003"),
        (8, 1, 8, 11, "HD003"),
    ]


def test_no_two_findings_share_code_and_span_on_mixed_defects() -> None:
    body = ("# \n\n## Kop\n\n####\n\nI \u00e2\x9d\u00a4 Jekyll, a\u200b gap\n\n"
            "<p>open <b>vet\n<h1></h1>\n")
    found = lint(FRONT + body)
    keys = [(d.code, d.line, d.column, d.end_line, d.end_column) for d in found]
    assert len(keys) == len(set(keys))
    assert sorted(k for k in keys if k[0].startswith(("EN", "HD"))) == [
        ("EN002", 11, 3, 11, 6), ("EN003", 11, 16, 11, 17),
        ("HD003", 5, 1, 5, 3), ("HD003", 9, 1, 9, 5), ("HD003", 14, 1, 14, 10)]
