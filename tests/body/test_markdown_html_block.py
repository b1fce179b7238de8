"""A body that is one HTML block (a feed post's paragraphs and headings
written as HTML) has that block as its only region, as markdown-it reads
it: ``markdown.one_html_block`` against ``markdown_it_regions`` on
generated bodies (issue 14)."""

from __future__ import annotations

import random

import pytest

from postlint.analysis.body.markdown import MarkdownInfo, markdown_it_regions, markdown_regions, one_html_block

STARTS = ["<p>", "<P>", "<p class=\"x\">", "<p", "<p/>", "<p/x>", "<h2>", "<H3 id=a>", "<div>", "<ul>", "<li>",
          "<blockquote>", "<table>", "</div>", "<hr/>", "<section>", "<span>", "<pre>", "<!-- c -->", "<script>",
          "<b>", "<ps>", "<header>", "<figure>", "<x-y>", "<dl>", "<center>", "  <p>", "    <p>", "<", "text <p>"]
LINES = ["text", "<p>De coördinatie &amp; meer.</p>", "# not a heading", "    indented", "---", "===", "```",
         "> quote", "- item", "1. item", "<h2>Kop</h2>", "</ul>", "<li>x</li>", "[r]: /u", "`code`", "*em*", "|a|",
         "<p><b>open</p>", "</div>", "é 日本 😀", "", " ", "   ", "x  ", "<pre>", "</pre>", "<!--", "-->", "###"]


def _body(r: random.Random) -> str:
    lead = r.choice(["", "\n", "\n\n", " \n", "  \n\n"])
    first = r.choice(STARTS) + r.choice(["", "x", " y", "</p>"])
    lines = [r.choice(LINES) if r.random() < 0.9 else r.choice(STARTS) for _ in range(r.randint(0, 8))]
    if r.random() < 0.6:
        lines = [line for line in lines if line.strip()]     # most bodies: no blank line
    return lead + "\n".join([first, *lines]) + r.choice(["", "\n", "\n\n", "  ", "\n  ", " \n"])


@pytest.mark.parametrize("seed", range(4))
def test_one_html_block_is_markdown_its_reading(seed: int) -> None:
    r = random.Random(seed)
    taken = 0
    for _ in range(600):
        text = _body(r)
        info = one_html_block(text)
        if info is None:
            continue
        taken += 1
        assert info == markdown_it_regions(text), repr(text)
        assert markdown_regions(text) == info, repr(text)
    assert taken > 150                      # the comparison is not all refusals


@pytest.mark.parametrize("text", [
    "<p>a</p>\n\n<p>b</p>\n",               # a blank line ends the block
    "<p>a</p>\n \n<p>b</p>",                # (of spaces too)
    "<pre>\n# x\n</pre>\n",                 # type 1: ends at </pre>, not at a blank line
    "<span>a</span>\n",                     # type 7
    "    <p>a</p>\n",                       # indented code
    "<p>a\tb</p>\n", "<p>a</p>\r\n", "<p>a\x00</p>\n",
    "# h\n<p>a</p>\n", "", "\n\n", "<p/x>\n",
])
def test_other_bodies_are_left_to_the_parsers(text: str) -> None:
    assert one_html_block(text) is None


def test_the_block_runs_from_its_first_line_to_its_last() -> None:
    # Blank lines before and after it are not in it; trailing blanks on its
    # last line are.
    for after in ["\n", "\n\n  ", "\n \n\n"]:
        text = "\n \n<h2>a</h2>\n# b\n    c</p>  " + after
        expected = MarkdownInfo([], [], [(3, text.index("</p>  ") + 6)], ())
        assert one_html_block(text) == expected == markdown_it_regions(text)
