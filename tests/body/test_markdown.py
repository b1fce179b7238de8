"""Markdown regions: headings, code and HTML offsets on LF and CRLF bodies."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from postlint.analysis.body.headings import Heading
from postlint.analysis.body.markdown import markdown_regions
from postlint.analysis.body.shared import text_headings as headings

BODY = """# Title

Some `code span` and <span>html</span>.

Setext *heading*
----------------

    indented code

```python
fenced `not a span`
## not a heading
```

> quoted `q1` text
> over `two
> lines`

- item `li`
  continued `c2`

| a | `b` |
|---|-----|
| `c` | `b` |

<div class="x">
<h2>Block heading</h2>
</div>

## ATX `x` ##

###
"""


@pytest.fixture(params=["\n", "\r\n"], ids=["lf", "crlf"])
def body(request: pytest.FixtureRequest) -> str:
    return BODY.replace("\n", request.param)


def texts(text: str, ranges: list[tuple[int, int]]) -> list[str]:
    return [text[s:e].replace("\r\n", "\n") for s, e in ranges]


def test_code_regions(body: str) -> None:
    info = markdown_regions(body)
    assert texts(body, info.code) == [
        "`code span`", "    indented code",
        "```python\nfenced `not a span`\n## not a heading\n```",
        "`q1`", "`two\n> lines`", "`li`", "`c2`", "`b`", "`c`", "`b`", "`x`"]


def test_html_regions(body: str) -> None:
    info = markdown_regions(body)
    assert texts(body, info.html) == [
        "<span>", "</span>", '<div class="x">\n<h2>Block heading</h2>\n</div>']


def test_headings(body: str) -> None:
    info = markdown_regions(body)
    got = [(h.level, h.text, body[h.start:h.end].replace("\r\n", "\n")) for h in info.headings]
    assert got == [
        (1, "Title", "# Title"),
        (2, "Setext heading", "Setext *heading*\n----------------"),
        (2, "ATX x", "## ATX `x` ##"),
    ]
    # "###" alone is no heading in kramdown: a line readers see as text.
    assert [body[s:e] for s, e in info.hash_lines] == ["###"]


def test_headings_merged_in_order(body: str) -> None:
    got = [(h.level, h.text) for h in headings(body, "markdown")]
    assert got == [(1, "Title"), (2, "Setext heading"), (2, "Block heading"), (2, "ATX x")]


def test_lone_cr_is_a_line_break_for_markdown() -> None:
    text = "a\rb `c`\r\r# h\r"
    info = markdown_regions(text)
    assert texts(text, info.code) == ["`c`"]
    assert info.headings == [Heading(1, 9, 12, "h")]


def test_image_alt_counts_as_heading_text() -> None:
    assert markdown_regions("## ![logo](x.png)\n").headings[0].text == "logo"
    assert markdown_regions("## ![](x.png)\n").headings[0].text == ""


def test_unterminated_fence_runs_to_end() -> None:
    text = "x\n\n```\ncode\n# no heading\n"
    info = markdown_regions(text)
    assert info.headings == []
    assert texts(text, info.code) == ["```\ncode\n# no heading"]


def test_empty_and_whitespace() -> None:
    for text in ["", "   ", "\r\n\r\n", "\t\n"]:
        info = markdown_regions(text)
        assert info.headings == [] and info.code == [] and info.html == []


@settings(max_examples=300, deadline=None)
@given(st.text(st.sampled_from(list("#`<>-=*|> \n\r\tab!/[]()&;")) | st.characters(), max_size=80))
def test_arbitrary_markdown(text: str) -> None:
    info = markdown_regions(text)
    for s, e in info.code + info.html:
        assert 0 <= s <= e <= len(text)
    for h in info.headings:
        assert 0 <= h.start <= h.end <= len(text) and 1 <= h.level <= 6


def test_liquid_highlight_is_code_and_hides_headings(nl: str = "\r\n") -> None:
    for nl in ("\n", "\r\n"):
        text = nl.join(["# Real", "", "{% highlight sh %}", "# comment, not a heading",
                        "<?xml version='1.0'?> `x`", "{% endhighlight %}", "",
                        "{% comment %}", "## hidden", "{% endcomment %}", "after `y`", ""])
        info = markdown_regions(text)
        assert [h.text for h in info.headings] == ["Real"]
        assert [text[s:e] for s, e in info.code][1:] == ["`y`"]
        assert text[info.code[0][0]:info.code[0][1]].startswith("{% highlight sh %}")
        assert text[info.code[0][0]:info.code[0][1]].endswith("{% endhighlight %}")
        assert info.html == []


@pytest.mark.parametrize(("text", "expected"), [
    # kramdown leaves the content of a block-level HTML element raw (readers
    # see "### level 3" as typed) unless the element says markdown="1".
    ('<div class="hi">\n\n### level 3\n\ntext\n\n</div>\n\n## after\n', [(2, "after")]),
    ('<div markdown="1">\n\n### level 3\n\n</div>\n', [(3, "level 3")]),
    ("<section markdown='block'>\n\n## in\n\n</section>\n", [(2, "in")]),
    ("<div><p>x</p></div>\n\n## h\n", [(2, "h")]),
    ("<table>\n<tr><td>\n\n## cell\n\n</td></tr>\n</table>\n\n## out\n", [(2, "out")]),
    ("<div>\n<div markdown=\"1\">\n\n## inner\n\n</div>\n\n## outer raw\n\n</div>\n", [(2, "inner")]),
    ("<div/>\n\n## self-closed\n", [(2, "self-closed")]),
])
def test_headings_inside_html_blocks_as_kramdown_reads_them(text: str, expected: list) -> None:  # type: ignore[type-arg]
    assert [(h.level, h.text) for h in markdown_regions(text).headings] == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Een\n===\n", [(1, "Een")]),
    ("\nEen\n---\n", [(2, "Een")]),
    # kramdown: a setext header is one line; a longer paragraph keeps the
    # underline as text (CommonMark would make all lines one h1).
    ("Een\ntwee\n===\n", []),
    ("# Kop\n\nEen\ntwee\ndrie\n---\n", [(1, "Kop")]),
])
def test_setext_headings_as_kramdown_reads_them(text: str, expected: list) -> None:  # type: ignore[type-arg]
    assert [(h.level, h.text) for h in markdown_regions(text).headings] == expected
