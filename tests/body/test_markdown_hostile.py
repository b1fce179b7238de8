"""The Markdown parse on hostile text: fast, and the same regions as
markdown-it's own parse (issue 12.1).

markdown_it_regions (postlint.adapters.markdown_it) parses non-heading
inline content without emphasis (and without links when none can exist) and
scans link labels with its own copy of markdown-it's loop; the reference here
is the stock parse of the same text.  markdown_regions (pulldown-cmark, or
markdown-it where pulldown-cmark may decide otherwise) must agree with it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from postlint.adapters import markdown_it as mdit
from postlint.analysis.body.markdown import markdown_it_regions, markdown_regions

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
    "[" * 150 + "]" * 150 + "(`x`) <y>\n",
    "[`a`" * 300 + "](x) `b`\n",
    "[[a](<b>)](`c`) [d]`e`](f)\n",
    "*_[`" * 500 + "]" * 120 + "(x) <i>\n",
    "[a\\]`b`](c) \\[`d`] &#91;`e`]\n",
    "[`x`][ref] [y][] [ref]`z`\n\n[ref]: /u\n",
]


def _reference(text: str, monkeypatch: pytest.MonkeyPatch) -> Any:
    """markdown_regions with markdown-it's own link labels and one full parser."""
    with monkeypatch.context() as m:
        m.setattr(mdit, "use_fast_link_label", lambda md: None)
        mdit.regions_parser.cache_clear()
        mdit.prose_parser.cache_clear()
        m.setattr(mdit, "prose_parser", lambda links: mdit.regions_parser())
        try:
            return markdown_it_regions(text)
        finally:
            mdit.regions_parser.cache_clear()


@pytest.mark.parametrize("text", CASES)
def test_same_regions_as_markdown_it(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    expected = _reference(text, monkeypatch)
    assert markdown_it_regions(text) == expected
    # pulldown-cmark where it can decide, markdown-it where it cannot.
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
        expected = _reference(text, monkeypatch)
        assert markdown_it_regions(text) == expected, path
        assert markdown_regions(text) == expected, path
        checked += 1
    assert checked > 50


def test_hostile_emphasis_finds_its_code_spans() -> None:
    # "*_[`" repeated: the backticks pair up into code spans "`*_[`".
    n = 5000
    info = markdown_regions("*_[`" * n + "\n")
    assert len(info.code) == n // 2
    assert info.code[0] == (3, 8)
    assert info.code[-1] == (4 * n - 5, 4 * n)


# -- the work per character is bounded (counted, not timed) --------------------

def _stock_inline(*disabled: str) -> Any:
    """An inline parser as markdown_regions builds one, with markdown-it's
    own loops and link label scan."""
    saved = mdit.use_fast_link_label
    mdit.use_fast_link_label = lambda md: None
    try:
        return mdit.build(*disabled)
    finally:
        mdit.use_fast_link_label = saved


def _inline_tokens(md: Any, text: str) -> list[Any]:
    env = {"references": {"REF": {"href": "/u", "title": ""}}}
    return [(t.type, t.content, t.markup, sorted((t.attrs or {}).items()),
             [(c.type, c.content) for c in t.children or ()])
            for t in md.inline.parse(text, md, env, [])]


def test_random_inline_text_same_tokens_as_markdown_it() -> None:
    import random

    pieces = list("[]()`*_<>!\\&# a\n:~\"") + ["](", "](x)", "<b>", "`a`", "&amp;", "\\]", "![",
                                                  "<http://x>", "[ref]", "](<y> \"`t`\")"]
    rnd = random.Random(12)
    for disabled in ((), ("emphasis",), ("emphasis", "link", "image")):
        fast, stock = mdit.build(*disabled), _stock_inline(*disabled)
        for _ in range(300):
            text = "".join(rnd.choice(pieces) for _ in range(rnd.randint(1, 80)))
            assert _inline_tokens(fast, text) == _inline_tokens(stock, text), text


class _CountingCache(dict):  # type: ignore[type-arg]
    lookups = 0

    def get(self, key: Any, default: Any = None) -> Any:
        _CountingCache.lookups += 1
        return super().get(key, default)

    def __contains__(self, key: object) -> bool:
        _CountingCache.lookups += 1
        return super().__contains__(key)


def _work(monkeypatch: pytest.MonkeyPatch, text: str) -> tuple[int, int]:
    """(skipToken cache lookups, calls into markdown-it's inline rules) of
    one inline parse of `text` by the prose parser."""
    import sys

    from markdown_it.rules_inline import state_inline

    init = state_inline.StateInline.__init__

    def counting_init(self: Any, *args: Any, **kwargs: Any) -> None:
        init(self, *args, **kwargs)
        self.cache = _CountingCache()

    monkeypatch.setattr(state_inline.StateInline, "__init__", counting_init)
    md = mdit.prose_parser(True)
    calls = 0

    def profile(frame: Any, event: str, arg: Any) -> None:
        nonlocal calls
        if event == "call" and "rules_inline" in frame.f_code.co_filename:
            calls += 1

    _CountingCache.lookups = 0
    sys.setprofile(profile)
    try:
        md.inline.parse(text, md, {}, [])
    finally:
        sys.setprofile(None)
    monkeypatch.setattr(state_inline.StateInline, "__init__", init)
    return _CountingCache.lookups, calls


@pytest.mark.parametrize("unit", ["*_[`", "[`a`", "[*", "[ ["])
def test_link_label_scans_do_not_rewalk_known_tokens(unit: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # Every "[" starts a label scan that walked up to maxNesting known tokens
    # ahead: 10 to 21 cache lookups and 7 to 15 rule calls per character of
    # these texts.  Runs of known tokens are now crossed once, and only the
    # rules of each character run.  Counted at n and 2n: linear, and a few
    # of each per character.
    n = 2000
    small = _work(monkeypatch, unit * n + "](x)")
    big = _work(monkeypatch, unit * 2 * n + "](x)")
    size = len(unit) * 2 * n
    assert big[0] <= 2.1 * small[0] and big[1] <= 2.1 * small[1]
    assert big[0] <= 8 * size, big
    assert big[1] <= 4 * size, big


def test_random_blocks_same_tokens_as_markdown_it() -> None:
    import random

    pieces = ["#", "# ", "> ", "- ", "* ", "1. ", "2) ", "+ ", "```", "~~~", "    ", "\t", "<div>", "</div>",
              "<!--", "-->", "[r]: /u", "[r]", "---", "***", "___", "===", "| a | b |", "|---|---|", "a", " ",
              "\n", "\n\n", "`x`", "<b>", "](x)", "[", "]"]
    fast, stock = mdit.build(), _stock_inline()

    def blocks(md: Any, text: str) -> Any:
        env: dict[str, Any] = {}
        tokens = md.block.parse(text, md, env, []) or []
        return [(t.type, t.tag, t.map, t.content, t.markup, t.info, t.level) for t in tokens], env

    rnd = random.Random(7)
    for _ in range(600):
        text = "".join(rnd.choice(pieces) for _ in range(rnd.randint(1, 60)))
        assert blocks(fast, text) == blocks(stock, text), text


@pytest.mark.parametrize("unit,per_line", [("# Kop\n\n###### Diep\n\n#\n\n", 2), ("> a\n- b\n\n", 10)])
def test_block_rules_run_only_where_they_can_match(unit: str, per_line: int) -> None:
    # Each block rule tests the first character of the line and returns at
    # once (after a debug log call) at any other: 5.5 rule calls per line of
    # headings, 15.7 of quotes and lists.  Counted at n and 2n.
    import sys

    md = mdit.regions_parser()

    def calls(n: int) -> int:
        count = 0

        def profile(frame: Any, event: str, arg: Any) -> None:
            nonlocal count
            name = frame.f_code.co_filename
            if event == "call" and "rules_block" in name and "state_block" not in name:
                count += 1

        sys.setprofile(profile)
        try:
            md.block.parse(unit * n, md, {}, [])
        finally:
            sys.setprofile(None)
        return count

    small, big = calls(1000), calls(2000)
    assert big <= 2.1 * small
    assert big <= per_line * unit.count("\n") * 2000, big


@pytest.mark.parametrize("content", ["Kop", "Diep en  breed ", "caf\u00e9 \u200b x", "a.b,c;d'e\"f/g|h"])
def test_plain_heading_text_is_one_text_token(content: str) -> None:
    # A heading whose text has no character any inline rule but "text"
    # starts at becomes one text token without an inline parse: what the
    # parse makes of it.
    md = mdit.regions_parser()
    assert md.inline.terminator_re.search(content) is None
    env: dict[str, Any] = {}
    heading = next(t for t in md.parse(f"# {content}\n", env) if t.type == "inline")
    (token,) = md.inline.parse(heading.content, md, {}, [])
    assert [(c.type, c.content, c.level, c.markup, c.children) for c in heading.children] == \
        [(token.type, token.content, token.level, token.markup, token.children)]


def test_plain_headings_need_no_inline_parse(monkeypatch: pytest.MonkeyPatch) -> None:
    # 136k headings were 136k inline parses (a state, a rule chain and a
    # token list each); plain ones need none.
    from markdown_it.rules_inline import state_inline

    states = 0
    init = state_inline.StateInline.__init__

    def counting(self: Any, *args: Any, **kwargs: Any) -> None:
        nonlocal states
        states += 1
        init(self, *args, **kwargs)

    monkeypatch.setattr(state_inline.StateInline, "__init__", counting)
    info = markdown_it_regions("# Kop\n\n###### Diep\n\n#\n\n" * 1000 + "# `c`\n")
    assert states == 1
    assert [h.text for h in info.headings[:2]] == ["Kop", "Diep"] and len(info.headings) == 2001
