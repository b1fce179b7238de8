"""The Markdown parse on hostile text: fast, and the same regions as
markdown-it's own parse (issue 12.1).

markdown_regions parses non-heading inline content without emphasis (and
without links when none can exist) and scans link labels with its own copy of
markdown-it's loop; the reference here is the stock parse of the same text."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from postlint.analysis.body import markdown
from postlint.analysis.body.markdown import markdown_regions

SHARED = Path(__file__).resolve().parents[2].parent / "shared"

CASES = [
    "*_[`" * 2000 + "\n",
    "*_[`" * 2000 + "]\n",
    "*_[`" * 2000 + "](x)\n",
    "[" * 300 + "`a`" + "]" * 300 + "(<b>)\n",
    "[a](<b>) `c` <i>d</i>\n",
    "[a `b](c)` <x>\n",
    "[a](/u \"`x`\") `y`\n",
    "[ref] `code` <span>\n\n[ref]: <b> \"`t`\"\n",
    "![alt `c`](<d>) **`e`** <f>\n",
    "*a `*` b* _<c>_ \\`d` &#96;e`\n",
    "# [h](<x>) *em* `c`\n\n`p` [q](r)\n",
    "| a | `b` |\n|---|---|\n| <i>c</i> | [d](<e>) |\n",
    "> [a](\n> <b>) `c`\n",
    "- *[`x`](y)* <z>\n  ***`w`***\n",
]


def _reference(text: str, monkeypatch: pytest.MonkeyPatch) -> Any:
    """markdown_regions with markdown-it's own link labels and one full parser."""
    with monkeypatch.context() as m:
        m.setattr(markdown, "use_fast_link_label", lambda md: None)
        markdown._md.cache_clear()
        markdown._md_prose.cache_clear()
        m.setattr(markdown, "_md_prose", lambda links: markdown._md())
        try:
            return markdown_regions(text)
        finally:
            markdown._md.cache_clear()


@pytest.mark.parametrize("text", CASES)
def test_same_regions_as_markdown_it(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    expected = _reference(text, monkeypatch)
    assert markdown_regions(text) == expected


def test_corpus_sample_same_regions(monkeypatch: pytest.MonkeyPatch) -> None:
    files = sorted(p for p in (SHARED / "corpora").rglob("*") if p.suffix in (".md", ".markdown") and p.is_file())
    assert files, "shared/corpora is missing"
    sample = [p for p in files[::25] if p.stat().st_size < 200_000]
    checked = 0
    for path in sample:
        text = path.read_text(encoding="utf-8", errors="replace")
        if "`" not in text and "<" not in text:
            continue
        assert markdown_regions(text) == _reference(text, monkeypatch), path
        checked += 1
    assert checked > 50


def test_hostile_emphasis_finds_its_code_spans() -> None:
    # "*_[`" repeated: the backticks pair up into code spans "`*_[`".
    n = 5000
    info = markdown_regions("*_[`" * n + "\n")
    assert len(info.code) == n // 2
    assert info.code[0] == (3, 8)
    assert info.code[-1] == (4 * n - 5, 4 * n)
