"""The Markdown regions from pulldown-cmark (pyromark) are markdown-it's:
on every corpus post, on fixtures, on generated documents; and the bodies
the two read differently go to markdown-it (issue 14)."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from postlint.analysis.body import markdown_native, markdown_screen
from postlint.analysis.body.liquid import blank, liquid_blocks, prepare
from postlint.analysis.body.markdown import MarkdownInfo, markdown_it_regions, markdown_regions
from postlint.model.post import MARKDOWN_EXTENSIONS, parse

SHARED = Path(__file__).resolve().parents[2].parent / "shared"


def _native(text: str) -> MarkdownInfo | None:
    return markdown_native.native_regions(blank(text, liquid_blocks(text).all))


def test_every_corpus_post_same_regions() -> None:
    files = sorted(p for p in (SHARED / "corpora").rglob("*")
                   if p.suffix.lower() in MARKDOWN_EXTENSIONS and p.is_file() and ".git" not in p.parts)
    assert len(files) > 5000, "shared/corpora is missing"
    decided = 0
    for path in files:
        post = parse(str(path), path.read_bytes())
        if post.binary:
            continue
        body = prepare(post.body)
        native = _native(body)
        assert markdown_regions(body) == markdown_it_regions(body), path
        if native is not None:
            decided += 1
    # Nearly all of them without markdown-it (tables and the like excepted).
    assert decided > 0.98 * len(files)


# -- generated documents ----------------------------------------------------------

INLINE = ["word", "two words", "`code`", "``a ` b``", "`unclosed", "<span>", "</span>", "<b>x</b>", "*em*",
          "**strong**", "_u_", "[link](/x)", "[ref][r]", "[r]", "![img](/i.png)", "![alt `c`](/i)", "<http://a.b>",
          "&amp;", "\\`", "<a_b>", "<!-- c -->", "é", "日本", "<", ">", "|", "#", " ", "[", "]", "(", ")", "~~s~~",
          "<num_hosts>", "\x00", "😀"]


def _inline(r: random.Random) -> str:
    return "".join(r.choice(INLINE) + r.choice(["", " "]) for _ in range(r.randint(1, 6))).strip() or "x"


def _block(r: random.Random, depth: int = 0) -> str:
    k = r.randint(0, 16)
    if k == 0:
        return "#" * r.randint(1, 7) + " " + _inline(r)
    if k == 1:
        return _inline(r) + "\n" + r.choice(["===", "---", "-", "= ="])
    if k == 2:
        return "```" + r.choice(["", "ruby"]) + "\n" + _inline(r) + "\n# not\n" + r.choice(["```", "", "~~~"])
    if k == 3:
        return "    " + _inline(r) + "\n    more"
    if k == 4:
        return (r.choice(["<div>", '<div markdown="1">', "<table>", "<pre>", "<!--", "<p>", "<section>"]) + "\n"
                + _inline(r) + "\n" + r.choice(["</div>", "</table>", "</pre>", "-->", "", "</section>"]))
    if k == 5 and depth < 3:
        return "\n".join("> " + line for line in _block(r, depth + 1).split("\n"))
    if k == 6 and depth < 3:
        m = r.choice(["- ", "* ", "1. ", "2) ", "+ "])
        inner = _block(r, depth + 1).split("\n")
        return "\n".join((m if i == 0 else " " * len(m)) + line for i, line in enumerate(inner))
    if k == 7:
        return "| a | " + _inline(r) + " |\n|---|---|\n| " + _inline(r) + " | c |"
    if k == 8:
        return '[r]: /url "t"'
    if k == 9:
        return r.choice(["***", "---", "___", "###", "#", "## ##"])
    if k == 10:
        return _inline(r) + "\n" + _inline(r) + "\n" + r.choice(["---", "==="])
    if k == 11:
        return "\t" + _inline(r)
    if k == 12:
        return "{% highlight ruby %}\n" + _inline(r) + "\n{% endhighlight %}"
    if k == 13:                             # "]:" that may or may not end a definition's label
        line = r.choice(["trait Show[A]:", "given [A]: C[A] with", "[r]: /u", "x [r]: /u", "- [r]: /u",
                         "[a\\[b]: /u", "[a\nb]: /u", "  [r]: /u 't'", "def f[A]: Int ="])
        body = line + "\n" + r.choice(["  ", "", "    ", "> "]) + _inline(r)
        return "```\n" + body + "\n```" if r.random() < 0.3 else body
    return _inline(r) + ("\n" + _inline(r) if r.random() < 0.5 else "")


def _document(r: random.Random) -> str:
    text = r.choice(["\n", "\n\n", "\n\n\n"]).join(_block(r) for _ in range(r.randint(1, 8))) + r.choice(["", "\n"])
    return text.replace("\n", r.choice(["\n", "\n", "\r\n", "\r"]))


@pytest.mark.parametrize("seed", range(4))
def test_generated_documents_same_regions(seed: int) -> None:
    r = random.Random(seed)
    decided = 0
    for _ in range(500):
        text = _document(r)
        assert markdown_regions(text) == markdown_it_regions(text), repr(text)
        decided += _native(text) is not None
    assert decided > 100                    # the comparison is not all fallbacks


CELLS = ["a", "`b`", "<i>c</i>", "[l](/u)", "**s**", "é", "日本", "`x` y", "&amp;", "*e*", "<br>", "![i](/x)", "1",
         "\\#", "~~s~~", "<span>", "a_b", "``c``", "x <b>y</b> `z`"]


def _table(r: random.Random) -> str:
    n, outer = r.randint(1, 4), r.random() < 0.5

    def row(piped: bool) -> str:
        cells = " | ".join(" ".join(r.choice(CELLS) for _ in range(r.randint(1, 2))) for _ in range(n))
        return f"| {cells} |" if piped else cells

    delimiter = "|".join(r.choice(["---", ":--", "--:", ":-:", " --- "]) for _ in range(n))
    rows = [row(outer if r.random() < 0.8 else not outer) for _ in range(r.randint(0, 5))]
    return "\n".join([row(outer), f"|{delimiter}|" if outer else delimiter, *rows])


@pytest.mark.parametrize("seed", range(2))
def test_generated_tables_same_regions(seed: int) -> None:
    # Tables both parsers read alike are pulldown-cmark's to parse.
    r = random.Random(seed)
    decided = 0
    for _ in range(400):
        blocks = [r.choice([_table(r), _table(r), "para `x` <b>y</b>", "# h `c`", "```\n| a |\n|---|\n```"])
                  for _ in range(r.randint(1, 4))]
        text = "\n\n".join(blocks).replace("\n", r.choice(["\n", "\r\n"])) + "\n"
        assert markdown_regions(text) == markdown_it_regions(text), repr(text)
        decided += _native(text) is not None
    assert decided > 100


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(INLINE + ["\n", "\n\n", "# ", "> ", "- ", "1. ", "    ", "```", "---", "===",
                                          "<div>\n", "</div>\n", "[r]: /u\n", "|", "|---|"]), max_size=40))
def test_token_soup_same_regions(pieces: list[str]) -> None:
    text = "".join(pieces)
    assert markdown_regions(text) == markdown_it_regions(text)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(["[", "]", "[[", "]]", "a", "\u00e9", "\u5b57", "\U0001f600", "\ud800", "\n", "x]"]),
                max_size=60))
def test_the_brackets_of_any_text_are_kept_in_order(pieces: list[str]) -> None:
    import re

    text = "".join(pieces)
    assert markdown_screen.brackets_only(text) == re.sub(r"[^\[\]]+", "", text)


def test_deep_brackets_decides_both_ways() -> None:
    deep = "\u00e9[" * 12 + "x" + "]" * 12
    assert markdown_screen.deep_brackets(deep) is True
    assert markdown_screen.deep_brackets("[\u5b57]" * 20) is False


# -- positions ----------------------------------------------------------------------

@pytest.mark.parametrize("nl", ["\n", "\r\n"])
def test_offsets_are_characters_not_bytes(nl: str) -> None:
    text = nl.join(["# Kop é 日本", "", "😀 `code` ü <b>x</b>", "", "```", "ß", "```", "", "## `h` 😀", ""]) * 3
    info = markdown_regions(text)
    assert _native(text) is not None
    assert [text[s:e] for s, e in info.code if text[s] == "`"][:2] == ["`code`", f"```{nl}ß{nl}```"]
    assert [text[s:e] for s, e in info.html][:2] == ["<b>", "</b>"]
    assert [(h.level, text[h.start:h.end]) for h in info.headings][:2] == [(1, "# Kop é 日本"), (2, "## `h` 😀")]
    assert info == markdown_it_regions(text)


def test_long_non_ascii_body_offsets() -> None:
    # More than one chunk of the byte-to-character table.
    para = "Ünïcödé " * 40 + "`c` <i>"
    text = "\n\n".join([para] * 30) + "\n"
    info = markdown_regions(text)
    assert _native(text) is not None
    assert {text[s:e] for s, e in info.code} == {"`c`"} and len(info.code) == 30
    assert {text[s:e] for s, e in info.html} == {"<i>"} and len(info.html) == 30


# -- what markdown-it decides -------------------------------------------------------

@pytest.mark.parametrize("text", [
    "a <num_hosts> b\n",                        # kramdown tag
    "# x <file.name>\n",
    "> " * 30 + "x `y`\n",                      # deeper than markdown-it's maxNesting
    "".join("  " * i + "- a `b`\n" for i in range(20)),
    "[" * 300 + "`a`" + "]" * 300 + "(<b>)\n",
    "[" * 150 + "]" * 150 + "(`x`) <y>\n",
    "\tcode `x`\n",                             # tabs in indentation and markers
    "-\tx `y`\n",
    "> a\n>\t`b`\n",
    "#\tx `y`\n",
    "a `b`\n\n  \t c\n",
    "# `code`\t\n",                            # ... in an ATX heading, trailing
    "a `b`\t\nc\n",
    "- # a\t#\n",                              # ... and after a line's text (found in review)
    "* ## heading\t##\n",
    "- ## `x`\t\r\n",
    "[r]: /u\\\t<b>\n",
    "[a](b\\\t`c`)\n",
    "<a b=c\t!>\n",
    "a\tb `c`\td\n- i\tj\n> k\tl\n",
    "| a\tb | `c` |\n|---|---|\n| d | e\t|\n",
    "> > a\n    <div>\n",                       # a lazy line indented four spaces in a quote
    "> > trait S[A]:\n    <div>\n",
    "> > trait S[A]:\n     ### \n",
    "- > > a\n      <div>\n",
    "> a\n>\n    # h\n",
    ">     a\n    <div>\n",
    "[r]: /u\n    [s]: /v\n",                    # a definition, then one indented as code
    '[r]: /url "t"\n    [ <i> x\n',              # a definition, then text
    "- [r]: /u\n  text `x`\n",                  # ... in a list item, a quote, over two lines, with "\["
    "> [r]: /u\n> text `x`\n",
    "[a\nb]: /u\ntext\n",
    "[a\\[b]: /u\ntext\n",
    "text [r](\n\n[r]: /u\n",                   # "](" ending a line, with a definition
    "# [r](\n\n[r]: /u\n",                      # ... in a heading (its text differs)
    "a ![b `c`](\n\n[b `c`]: /u\n",              # ... in an image (the code in its alt text)
    "| a | `b|c` |\n|---|---|\n",               # tables that may split differently
    "x\n| a | b |\n|---|---|\n",
    "| a | b |\n|---|---|\ntext\n",
    "a\n|---|\n",
    "> q\n> ===\n    > `x`\n",                  # quotes
    "> q\n    > `x`\n",
    "# [a [b] c](d)\n",                         # nested brackets in a heading
    "[a [b] c](d)\n===\n",
    "```\ncode\n>",                              # a last line of ">"
    "a \ud800 `b`\n",                           # a lone surrogate
    "a\r```\rcode\r```\r",                       # a lone CR
])
def test_markdown_it_decides(text: str) -> None:
    assert _native(text) is None
    assert markdown_regions(text) == markdown_it_regions(text)


@pytest.mark.parametrize("text", [
    "`<num_hosts>` b\n",                        # in code: no tag in either reading
    "```\n<file.name>\n```\n",
    "<div>\n<a_b>\n</div>\n",                    # in an HTML block
    "[r]: /u\n[s]: /v\n\ntext [r] [s]\n",        # definitions in a row
    "```scala\ntrait Show[A]:\n  def show(a: A): String\n```\n",  # "]:" that ends no label
    "given [A]: Conversion[A, B] with\n  def x = `1`\n",
    "- a\n  - b `c`\n    - d\n",
    "a\n---\n\n> q\n",
    "```\ncode\n   ",                           # a last line of blanks
    "> a\n    <div> `x`\n",                       # a lazy line indented four spaces in one quote
    "| a | `b` |\n|:--|--:|\n| <i>c</i> | [d](/e) |\n\nafter\n",  # a plain table
    "a | b\n--- | ---\n1 | 2\n",
    "`a` | b\n--- | ---\n`c` |`d`\n",          # rows that start with a code span
    "| a | b |\n|---|---|\n| c |\n",            # a body row of fewer cells, or more
    "| a | b |\n|---|---|\n| `c` | `List[A | B]` |\n\nafter `x`\n",  # a code span holding "|" (GFM splits it)
    "# [r](\n\ntext `c`\n",                      # "](" ending a line, no definition: text to both
    "a ![b `c`](\n\n<i>x</i>\n",
])
def test_pulldown_cmark_decides(text: str) -> None:
    assert _native(text) is not None
    assert markdown_regions(text) == markdown_it_regions(text)


def test_a_markdown_run_imports_no_markdown_it(tmp_path: Path) -> None:
    import subprocess
    import sys

    (tmp_path / "_config.yml").write_text("title: x\n", encoding="utf-8")
    posts = tmp_path / "_posts"
    posts.mkdir()
    (posts / "2024-01-02-a.md").write_text(
        "---\nlayout: post\ntitle: A\n---\n# Kop\n\nTekst `code` <b>x</b> [l](/a)\n\n```\nx\n```\n", encoding="utf-8")
    probe = ("import sys\nfrom postlint.cli import main\ntry:\n    main(['check', '.', '--no-cache', '--no-network'])\n"
             "except SystemExit:\n    pass\nprint('MODULES', ' '.join(sorted(sys.modules)))")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=tmp_path, check=False)
    modules = out.stdout.rsplit("MODULES", 1)[-1].split()
    assert "pyromark" in modules
    assert "markdown_it" not in modules


# -- bodies with nothing to find ---------------------------------------------------


@pytest.mark.parametrize("text", [
    "`a`\n", "~~~\nx\n~~~\n", "a <b>\n", "a\tb\n", "a\rb\n",           # code, HTML, tab, CR
    "# h\n", "> - # h\n", "1. #\n",                                     # ATX headings, "#" lines
    "    code\n", "- a\n\n      code\n", ">     code\n", "1.     code\n",  # indented code
    "Title\n===\n", "a\n  ---\n", "- a\n  - - -\n",                     # setext underlines, rules
])
def test_what_a_body_with_nothing_to_find_lacks(text: str) -> None:
    from postlint.analysis.body.markdown_screen import nothing_to_find

    assert not nothing_to_find(text)


@pytest.mark.parametrize("seed", range(3))
def test_a_body_with_nothing_to_find_has_none_to_markdown_it(seed: int) -> None:
    # Generated documents (those the screen passes, some of each): markdown-it
    # finds no heading, code, HTML or "#" line in any of them.
    from postlint.analysis.body.markdown_screen import nothing_to_find

    r = random.Random(100 + seed)
    passed = 0
    for _ in range(3000):
        text = _document(r)
        text = blank(text, liquid_blocks(text).all)  # as the parse sees it: Liquid's code is no parser's
        if nothing_to_find(text):
            passed += 1
            info = markdown_it_regions(text)
            assert not (info.headings or info.code or info.html or info.hash_lines), repr(text)
    assert passed > 20, passed


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(["a", " ", "  ", "    ", "\n", "\n\n", "-", "=", "*", "+", "_", ">", "1.", "2)",
                                 "#", "x#", "[l](/u)", "**s**", "é", "|", "&amp;", "\\", "~~"]), max_size=40))
def test_a_soup_with_nothing_to_find_has_none_to_markdown_it(pieces: list[str]) -> None:
    from postlint.analysis.body.markdown_screen import nothing_to_find

    text = "".join(pieces)
    if nothing_to_find(text):
        info = markdown_it_regions(text)
        assert not (info.headings or info.code or info.html or info.hash_lines), repr(text)


def test_the_definition_screen_looks_at_each_line_once(monkeypatch: pytest.MonkeyPatch) -> None:
    # A line of 40,000 "]:" with nothing after it: the line after is asked
    # about once (a search from each "]:" to the line's end was quadratic).
    calls = _count_matches(monkeypatch, "_NOT_A_DEFINITION")
    assert markdown_screen._definition_then_text("]:" * 40_000 + " `x`\n") is False
    # Code lines, each once whatever its "]:"s: none is a definition's.
    assert markdown_screen._definition_then_text("f[A]: x ]:\n" * 3 + "g[B]: " + "]:" * 100 + "\ntext\n") is False
    assert len(calls) == 1 + 4
    assert markdown_screen._definition_then_text("f[A]: x\n[r]: /u\ntext\n") is True


def test_the_heading_bracket_screen_tests_each_line_once(monkeypatch: pytest.MonkeyPatch) -> None:
    # A long quote line of "[[" after a "#": its prefix is tested once, not
    # once per "[[" (quadratic before, found in review).
    calls = _count_matches(monkeypatch, "_ATX")
    assert markdown_screen.undecided("#\n" + "> " * 1000 + "[[]]" * 1000 + "\n") is False
    assert calls == [2]
    assert markdown_screen.undecided("a [[b]]\n# [a [b] c](d)\n") is True


def _count_matches(monkeypatch: pytest.MonkeyPatch, name: str) -> list[int]:
    """The positions each match of markdown_screen's pattern `name` starts at, from now on."""
    calls: list[int] = []
    real = getattr(markdown_screen, name)

    class Counting:
        def match(self, text: str, pos: int) -> object:
            calls.append(pos)
            return real.match(text, pos)

    monkeypatch.setattr(markdown_screen, name, Counting())
    return calls


def _indented_after_quote_by_indented_lines(text: str) -> bool:
    """markdown_screen._indented_after_quote as first written: each line
    indented four spaces, and the line before it."""
    import re

    nested = re.search(r"\n[ *+\-0-9.)]*>[ *+\-0-9.)]*>", "\n" + text) is not None
    for m in re.finditer(r"\n {4,}[^ \n]", text):
        start = text.rfind("\n", 0, m.start()) + 1
        quote = re.compile(r"[ *+\-0-9.)]*>").match(text, start)
        if quote is None:
            continue
        if nested or text[m.end() - 1] == ">":
            return True
        rest = text[quote.end():m.start()]
        if not rest.strip(" ") or rest.startswith("     "):
            return True
    return False


def test_the_quote_screen_reads_the_line_after_each_quote_line() -> None:
    rng = random.Random(14)
    prefixes = ["", ">", "> ", ">>", "> >", "- ", "- > ", "1. ", "1) >", "    ", "     ", "        ", "  ", "*>"]
    contents = ["", "a", ">", " ", "    x", "     y", "# h", "`c`", ">b"]
    found = 0
    for _ in range(20000):
        lines = [rng.choice(prefixes) + rng.choice(contents) for _ in range(rng.randint(0, 6))]
        text = "\n".join(lines) + rng.choice(["", "\n"])
        expected = _indented_after_quote_by_indented_lines(text)
        assert markdown_screen._indented_after_quote(text) == expected, text
        found += expected
    assert 1000 < found < 19000


def test_an_open_destination_reads_alike_without_a_definition() -> None:
    """A line ending in "](": the two parsers differ only where a link
    reference definition lets pulldown-cmark take the bracket as a link; the
    screen sends only bodies with a "]:" to markdown-it."""
    r = random.Random(14)
    labels = ["r", "`c`", "b `c`", "<i>x</i>", "*e*", "r\ns"]
    starts = ["", "# ", "## a ", "> ", "- ", "1. ", "a ", "!", "a !", "    "]
    afters = ["", "\n", "\n\n", "\n===\n", "\n---\n", "\n  )\n", "\n/u)\n", "\ntext `x` <b>y</b>\n"]
    native = 0
    for _ in range(3000):
        label = r.choice(labels)
        text = r.choice(starts) + "[" + label + "](" + r.choice(["", " ", "  "]) + r.choice(afters)
        if r.random() < 0.5:
            text += "\n[" + label.split("\n")[0] + "]: /u\n"
        assert markdown_regions(text) == markdown_it_regions(text), repr(text)
        native += _native(text) is not None
    assert native > 1000


TAB_PREFIXES = ["", "- ", "* ", "1. ", "> ", "  ", "    ", "\t", " \t", "-\t", ">\t", "# ", "## ", "- # ", "> # ",
                "| ", "  - ", "> > ", "1.  "]
TAB_LINES = ["a", "a\tb", "a\t", "x\ty\t", "`c`\td", "<a b=c\t>x</a>", "[a](b\\\t`c`)", "# x\t#", "x\t# y", "\\\tq",
             "\u2022\tAlexey", "a\tb `c`", "<i>\tx</i>", "```\tx", "```", "~~~", "~~~\tx", "***\t", "-\t-\t-",
             "[r]:\t/u", "a\t|\tb", "===", "---", "x\ty\tz", "[a\tb](/u)", "*a\tb*", "a  \tb", "a\t\tb", "[r]: /u",
             "[r]", "![a\tb](/i)", "a\t "]


def test_tabs_in_text_read_alike() -> None:
    """A tab after a line's text, on a line without a heading, escape, HTML,
    table or code, is text to both parsers (markdown_screen._tabs_not_in_text):
    such bodies are pulldown-cmark's; every other tab is markdown-it's."""
    r = random.Random(14)
    native = 0
    for _ in range(8000):
        lines = []
        for _ in range(r.randint(1, 5)):
            lines.append(r.choice(TAB_PREFIXES) + r.choice(TAB_LINES))
            if r.random() < 0.3:
                lines.append("")
        text = "\n".join(lines) + r.choice(["\n", "", "\r\n"])
        assert markdown_regions(text) == markdown_it_regions(text), repr(text)
        native += "\t" in text and _native(text) is not None
    assert native > 200


CODE_OPENERS = ["```", "~~~", "```scala", "```\tx", " ```", "   ~~~", "````", "  ```", "\t```"]
CODE_CLOSERS = ["```", "~~~", "```\t", " ```", "````", "\t```", "", "```  "]
CODE_LINES = ["\tat x.y(Z.scala:1)", "a\tb", "\t\tnumber: Long", "    85\tName", "  \tx", "x\t", "\t", "",
              "List[A](", "f(x)](", "[r]: /u", "\t```", "```\tx", "# h\t#", "<b>\t</b>", "|\ta\t|", "](",
              " \tx", "    \tx", "-\tx", ">\tx", "\t- x", "\t> y", "1.\tx",
              "| a | `b|c` |", "|---|---|", "a | b", "--- | ---", "  * | :--: |"]
CODE_CONTAINERS = ["", "", "", "- ", "> ", "1. ", "  ", "   ", "- > ", "> - ", "  - ", "\t"]


def _code_block(r: random.Random) -> list[str]:
    body = [r.choice(CODE_LINES) for _ in range(r.randint(1, 4))]
    if r.random() < 0.35:                   # indented code
        lines = ["    " + r.choice(CODE_LINES).lstrip(" ") for _ in range(r.randint(1, 3))]
        return [r.choice(["", "    "]) + line if i else line for i, line in enumerate(lines)]
    return [r.choice(CODE_OPENERS), *body, r.choice(CODE_CLOSERS)]


def test_tabs_open_links_and_tables_in_code_read_alike() -> None:
    """Tabs, a "](" ending a line and tables inside code blocks (a stack
    trace, a table printed in a fence, Scala's `List[A](`): markdown_screen
    defers them to pulldown-cmark's code blocks (markdown_native.in_code_blocks),
    and such bodies are its own only where the two parsers read them alike."""
    r = random.Random(14)
    native = 0
    for _ in range(12000):
        lines: list[str] = []
        for _ in range(r.randint(1, 3)):
            prefix = r.choice(CODE_CONTAINERS)
            text_line = r.choice(["text", "a\tb", "- item", "> q\tx", "[l](", "# t", "a | b\n--- | ---\n`c|d` | e"])
            block = _code_block(r) if r.random() < 0.7 else [text_line]
            lines += [(prefix if i == 0 or r.random() < 0.7 else " " * len(prefix)) + line if line else line
                      for i, line in enumerate(block)]
            lines.append(r.choice(["", "", "text"]))
        if r.random() < 0.4:
            lines.append("[r]: /u")
        text = "\n".join(lines) + r.choice(["\n", ""])
        assert markdown_regions(text) == markdown_it_regions(text), repr(text)
        deferred = markdown_screen.screen(text)
        native += isinstance(deferred, markdown_screen.Deferred) and _native(text) is not None
    # (With pyromark before 0.10 deferred bodies stay markdown-it's.)
    assert native > 400 if markdown_native._defers() else native == 0


TABLE_TAB_CELLS = ["a", "a\tb", "`c`", "`c\td`", "<i>x</i>", "<i>\tx</i>", "<a b=c\t>x</a>", "x\t", "\tx", "y \tx",
                   "&gt;\t", "*e*\t", "[l](/u)\t", "\\\t", "<b>*b =&gt; *c\t, *d</b>"]


def test_tabs_in_table_rows_read_alike() -> None:
    """A tab after a table row's text (scala-lang's release notes hold one
    in a cell's HTML): deferred to pulldown-cmark's tables at the top level
    (markdown_native.in_code_blocks); a row that starts with a tab, or a
    table in a list or quote, is markdown-it's."""
    r = random.Random(14)
    native = 0
    for _ in range(6000):
        n = r.randint(1, 3)
        lead = r.choice(["", "| "])
        outer = r.choice(["", "", "", "- ", "> ", "  "])

        def row() -> str:
            return lead + " | ".join(r.choice(TABLE_TAB_CELLS) for _ in range(n))  # noqa: B023

        delimiter = lead + " | ".join(["---"] * n) if n > 1 or lead else "|---|"
        lines = [row(), delimiter] + [row() for _ in range(r.randint(1, 3))]
        text = "\n".join(outer + line for line in lines) + r.choice(["\n", "\n\ntext\n", "\n\ta\n"])
        assert markdown_regions(text) == markdown_it_regions(text), repr(text)
        native += "\t" in text and isinstance(markdown_screen.screen(text), markdown_screen.Deferred) \
            and _native(text) is not None
    # (With pyromark before 0.10 deferred bodies stay markdown-it's.)
    assert native > 50 if markdown_native._defers() else native == 0


PIPE_CELLS = ["a", "`b|c`", "`x | y`", "``a|b``", "`a`", "`", "b`", "<i>|</i>", "x", "*e|f*", "[l|m](/u)",
              "<a title='|'>x</a>", "\\`|`"]


def test_table_rows_of_other_widths_and_piped_code_read_alike() -> None:
    """Body rows of fewer or more cells than the header, and code spans
    holding a "|" (which splits them, as GFM says): both parsers read them
    alike, so markdown_screen._plain_table lets such tables through."""
    r = random.Random(14)
    native = 0
    for _ in range(4000):
        n, lead = r.randint(1, 3), r.choice(["", "| "])

        def row() -> str:
            width = r.randint(max(1, n - 1), n + 1)  # noqa: B023
            cells = " | ".join(r.choice(PIPE_CELLS) for _ in range(width))
            return lead + cells + (" |" if lead and r.random() < 0.7 else "")  # noqa: B023

        delimiter = lead + " | ".join(["---"] * n) + (" |" if lead else "") if n > 1 or lead else "|---|"
        header = lead + " | ".join(r.choice(PIPE_CELLS) for _ in range(n)) + (" |" if lead else "")
        text = (r.choice(["", "para\n\n"]) + "\n".join([header, delimiter] + [row() for _ in range(r.randint(0, 3))])
                + r.choice(["\n", "\n\nafter `x`\n"]))
        assert markdown_regions(text) == markdown_it_regions(text), repr(text)
        native += _native(text) is not None
    assert native > 300


# -- pulldown-cmark's panics ----------------------------------------------------------

# pyromark 0.9.14 (pulldown-cmark 0.13.4, the last release for Python 3.10)
# panics on this body: tabs after list item markers, a fence, a table row.
PANICKED_0_9_14 = "  - ~~~\n  -   * | :--: |\n  - [r]: /u\n    \t\n  - \t```\n\n[r]: /u"


def test_a_body_old_pulldown_cmark_panics_on_is_markdown_its_without_a_word(capfd: pytest.CaptureFixture[str]) -> None:
    # Deferred bodies stay markdown-it's with pyromark before 0.10, so the
    # panic (which Rust prints on standard error itself) never happens; with
    # 0.10 pulldown-cmark reads it.
    assert markdown_regions(PANICKED_0_9_14) == markdown_it_regions(PANICKED_0_9_14)
    assert "panicked" not in capfd.readouterr().err


def test_deferred_bodies_stay_markdown_its_before_pyromark_0_10(monkeypatch: pytest.MonkeyPatch) -> None:
    import pyromark

    body = "```\n\tat x.y(Z.scala:1)\n```\n"       # a tab in a fence: deferred
    assert isinstance(markdown_screen.screen(body), markdown_screen.Deferred)
    monkeypatch.setattr(pyromark, "__version__", "0.10.3")
    markdown_native._defers.cache_clear()
    try:
        assert markdown_native.native_regions(body) is not None
        monkeypatch.setattr(pyromark, "__version__", "0.9.14")
        markdown_native._defers.cache_clear()
        assert markdown_native.native_regions(body) is None
        assert markdown_regions(body) == markdown_it_regions(body)
    finally:
        markdown_native._defers.cache_clear()


def test_a_panic_of_pulldown_cmark_leaves_the_body_to_markdown_it(monkeypatch: pytest.MonkeyPatch) -> None:
    # pyo3 raises PanicException (a BaseException) for a Rust panic: the
    # body is markdown-it's, and nothing else is caught.
    import pyromark

    PanicException = type("PanicException", (BaseException,), {"__module__": "pyo3_runtime"})
    real = pyromark.events_with_range

    def panicking(*args: object, **kwargs: object) -> object:
        raise PanicException("called `Option::unwrap()` on a `None` value")

    body = "# Title\n\ntext `code` <b>x</b>\n"
    expected = markdown_it_regions(body)
    monkeypatch.setattr(pyromark, "events_with_range", panicking)
    assert markdown_native.native_regions(body) is None
    assert markdown_regions(body) == expected

    def iterating(*args: object, **kwargs: object) -> object:
        yield from list(real(*args, **kwargs))[:3]  # type: ignore[call-overload]  # (pyromark's own signature)
        raise PanicException("during the events")

    monkeypatch.setattr(pyromark, "events_with_range", iterating)
    assert markdown_native.native_regions(body) is None

    def interrupted(*args: object, **kwargs: object) -> object:
        raise KeyboardInterrupt

    monkeypatch.setattr(pyromark, "events_with_range", interrupted)
    with pytest.raises(KeyboardInterrupt):
        markdown_native.native_regions(body)


def test_deferred_tabs_are_checked_a_line_at_a_time() -> None:
    # in_code_blocks finds each line's start and first characters once,
    # however many tabs it holds (one rfind per tab was quadratic on a
    # hostile line of 200,000 tabs).
    calls = {"rfind": 0, "find": 0}

    class Counting(str):
        def rfind(self, *args: Any) -> int:
            calls["rfind"] += 1
            return str.rfind(self, *args)

        def find(self, *args: Any) -> int:
            calls["find"] += 1
            return str.find(self, *args)

    for body, kind in [("```\n" + "a\t" * 1000 + "\n```\n", "fenced"), ("    x" + "\tb" * 1000 + "\n", "indented"),
                       ("| a | b |\n|---|---|\n| x" + "\ty" * 1000 + " | z |\n", "table")]:
        tabs = [i for i, c in enumerate(body) if c == "\t"]
        blocks = [(0, len(body) - 1, kind, 0)]
        calls.update(rfind=0, find=0)
        assert markdown_native.in_code_blocks(Counting(body), blocks, markdown_screen.Deferred(tabs, [], []))
        assert calls["rfind"] == 1 and calls["find"] == (2 if kind == "table" else 1), (kind, calls)
