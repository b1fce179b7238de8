"""HTML analysis: WHATWG parse errors at exact offsets, unclosed, stray, headings."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from postlint.analysis.body.headings import Heading
from postlint.analysis.body.html import HtmlError, TagSpan, analyze_html, html5lib_offset


@pytest.fixture(params=["\n", "\r\n"], ids=["lf", "crlf"])
def nl(request: pytest.FixtureRequest) -> str:
    return request.param


def spans(text: str, items: list) -> list[tuple[str, str]]:
    return [(text[i.start:i.end], i[2]) for i in items]


def test_clean_dutch_body(nl: str) -> None:
    text = nl.join(["<p>Op het <b>dark web</b> zegt Daniël &amp; co.</p>",
                    "<h2>Beelden verwijderd</h2>", "<p><a href='x'>link</a><br><img src=x></p>", ""])
    info = analyze_html(text)
    assert info.parse_errors == [] and info.unclosed == [] and info.stray_end_tags == []
    assert [(h.level, h.text, text[h.start:h.end]) for h in info.headings] == [
        (2, "Beelden verwijderd", "<h2>Beelden verwijderd</h2>")]


@pytest.mark.parametrize("tag", ["b", "i", "a", "div", "span", "strong", "em", "ul", "blockquote"])
def test_unclosed(tag: str, nl: str) -> None:
    text = f"<p>tekst</p>{nl}<{tag} class=x>open{nl}<p>meer</p>{nl}"
    info = analyze_html(text)
    assert spans(text, info.unclosed) == [(f"<{tag} class=x>", tag)]
    # Reported once, at the start tag: no "end of file" error besides.
    assert info.parse_errors == []


@pytest.mark.parametrize("tag", ["p", "li", "dt", "dd", "option"])
def test_optional_end_tags_not_unclosed(tag: str) -> None:
    parent = {"li": "ul", "dt": "dl", "dd": "dl", "option": "select", "p": "div"}[tag]
    info = analyze_html(f"<{parent}><{tag}>a<{tag}>b</{parent}>")
    assert info.unclosed == []


def test_table_cells_not_unclosed_but_table_is() -> None:
    text = "<table><tr><td>x<td>y"
    assert spans(text, analyze_html(text).unclosed) == [("<table>", "table")]


def test_stray_end_tag(nl: str) -> None:
    text = f"<p>a</p>{nl}</div>{nl}<p>b</i></p>"
    info = analyze_html(text)
    assert spans(text, info.stray_end_tags) == [("</div>", "div"), ("</i>", "i")]
    # html5lib's own error for the same tag is not a second finding
    assert info.parse_errors == []


def test_end_tag_of_open_element_is_not_stray() -> None:
    # The <span> is never closed: that is the defect, at its start tag; the
    # </div> that closes it early is not a second one.
    text = "<div><span>x</div>"
    info = analyze_html(text)
    assert info.stray_end_tags == [] and info.parse_errors == []
    assert spans(text, info.unclosed) == [("<span>", "span")]


def test_misnested_end_tag_once() -> None:
    text = "<b><i>x</b>y</i>"
    info = analyze_html(text)
    assert [(e.code, text[e.start:e.end]) for e in info.parse_errors] == [("misnested-end-tag", "</b>")]
    assert info.unclosed == [] and info.stray_end_tags == []
    text = "<b><i>x</b></i>"
    info = analyze_html(text)
    assert [(e.code, text[e.start:e.end]) for e in info.parse_errors] == [("misnested-end-tag", "</b>")]
    assert info.unclosed == [] and info.stray_end_tags == []


def test_stray_end_tag_after_a_misnesting_is_not_taken_for_its_echo() -> None:
    # `</b>` leaves the <p> open (the adoption agency moves it, it does not
    # close it), so the first `</p>` closes it; the second `</p>` closes
    # nothing and is its own defect, not an echo of the misnesting.
    text = "<b><p>q</b></p>\n<p><ul><li>a</li></ul></p>\n"
    info = analyze_html(text)
    assert [(e.code, e.start) for e in info.parse_errors] == [("misnested-end-tag", text.index("</b>"))]
    assert [(t.tag, t.start) for t in info.stray_end_tags] == [("p", text.rindex("</p>"))]
    assert info.unclosed == []


def test_foster_parented_element_is_one_defect() -> None:
    # The <p> inside a table outside any cell is moved before the table; its
    # own `</p>` closes it there and is not a second defect.
    text = "<table><tr><td>a</td></tr><p>no</p></table>"
    info = analyze_html(text)
    assert [(e.code, e.start) for e in info.parse_errors] == [("foster-parented", text.index("<p>"))]
    assert info.unclosed == [] and info.stray_end_tags == []
    # An end tag in a table that closes nothing moved there is still reported.
    text = "<table><tr><td>a</td></tr></span></table>"
    info = analyze_html(text)
    assert info.parse_errors == []
    assert [(t.tag, t.start) for t in info.stray_end_tags] == [("span", text.index("</span>"))]


def test_misnested_formatting_points_at_original_start_tag() -> None:
    text = "<p><b>x</p><p>y"
    assert spans(text, analyze_html(text).unclosed) == [("<b>", "b")]


def test_error_positions_are_the_standards(nl: str) -> None:
    text = nl.join(["<p>één</p>", "  <b>x</i>", "&bogus; <p>a < b</p>", "</span>"])
    info = analyze_html(text)
    # The standard points at the ";" of an unknown reference and at the
    # character after a "<" that starts no tag; both render as written.
    assert [(text[e.start:e.end], e.code, e.as_written) for e in info.parse_errors] == [
        (";", "unknown-named-character-reference", True),
        (" ", "invalid-first-character-of-tag-name", True)]
    assert spans(text, info.stray_end_tags) == [("</i>", "i"), ("</span>", "span")]
    assert spans(text, info.unclosed) == [("<b>", "b")]


def test_html5lib_column_is_zero_based_after_consumed() -> None:
    import html5lib

    text = "ab\r\ncd</x>"
    parser = html5lib.HTMLParser(namespaceHTMLElements=False)
    parser.parseFragment(text)
    (line, col), code, _ = parser.errors[0]
    assert (line, col, code) == (2, 6, "unexpected-end-tag")    # just after "</x>"
    assert html5lib_offset(text, line, col) == len(text)


def test_headings_text(nl: str) -> None:
    text = nl.join(["<h1>Titel</h1>", "<h2> </h2>", "<h3><img src=x></h3>", '<h4><img alt="x"></h4>',
                    "<h5><!-- c --><script>x</script></h5>", "<h6>a <em>b</em></h6>", "<h2>open"])
    got = analyze_html(text).headings
    assert [(h.level, h.text) for h in got] == [
        (1, "Titel"), (2, ""), (3, ""), (4, "x"), (5, ""), (6, "a b"), (2, "open")]
    assert [text[h.start:h.end] for h in got][:2] == ["<h1>Titel</h1>", "<h2> </h2>"]
    assert text[got[-1].start:got[-1].end] == "<h2>"       # never closed: the start tag


def test_markdown_fragments() -> None:
    text = ("Prose a < b & AT&T <https://example.com>\n\n<div>\n\n*md*\n\n</div>\n\n"
            "`<b>code</b>` and <span>x\n")
    from postlint.analysis.body.markdown import markdown_regions

    md = markdown_regions(text)
    info = analyze_html(text, fragments=md.html)
    assert info.parse_errors == []
    assert spans(text, info.unclosed) == [("<span>", "span")]
    assert info.stray_end_tags == []


def test_markdown_html_heading_keeps_prose_text() -> None:
    text = "<h2>\n\nTitle *here*\n\n</h2>\n"
    from postlint.analysis.body.markdown import markdown_regions

    info = analyze_html(text, fragments=markdown_regions(text).html)
    assert [h.text for h in info.headings] == ["Title *here*"]


@pytest.mark.parametrize("text, code, at", [
    ("<p>x<!-- never closed", "eof-in-comment", 21),      # the end of input
    ("<p>x</p><![CDATA[ y ]]>", "cdata-in-html-content", 16),
])
def test_eof_cases(text: str, code: str, at: int) -> None:
    info = analyze_html(text)
    assert [(e.code, e.start) for e in info.parse_errors] == [(code, at)]
    for e in info.parse_errors:
        assert 0 <= e.start <= e.end <= len(text)


def test_unterminated_script_is_unclosed() -> None:
    text = "<p>x</p><script>var a = '</p>';"
    assert spans(text, analyze_html(text).unclosed) == [("<script>", "script")]


@pytest.mark.parametrize("text", ["", "   ", "\r\n\t\n", "just text, no markup", "Daniël"])
def test_trivial_bodies(text: str) -> None:
    assert analyze_html(text) == ([], [], [], [])


def test_invalid_codepoints_located(nl: str) -> None:
    text = f"<p>a\x01b</p>{nl}<p>\x00</p>"
    errors = analyze_html(text).parse_errors
    # U+0001 is a character, not markup (EN003's); NUL is the tokenizer's.
    assert [(text[e.start:e.end], e.code) for e in errors] == [("\x00", "unexpected-null-character")]


def test_deep_nesting() -> None:
    n = 10_000
    info = analyze_html("<div>" * n + "x" + "</div>" * n)
    assert info.parse_errors == [] and info.unclosed == []
    info = analyze_html("<div>" * n + "<h2>x</h2>")
    assert len(info.unclosed) == n and info.headings[0].text == "x"


@pytest.mark.parametrize("nl, size", [("\n", 5_000_000), ("\r\n", 1_000_000)])
def test_big_body(nl: str, size: int) -> None:
    para = f"<p>Op het <b>dark web</b> zegt Daniël &amp; co. iets.</p>{nl}"
    text = para * (size // len(para)) + "</div>"
    info = analyze_html(text)
    assert spans(text, info.stray_end_tags) == [("</div>", "div")]
    assert info.stray_end_tags[0].end == len(text)


@settings(max_examples=300, deadline=None)
@given(st.text(st.sampled_from(list("<>/!-abdiphv1 =\"'&;#x\n\r\x00")) | st.characters(), max_size=60))
def test_arbitrary_html(text: str) -> None:
    info = analyze_html(text)
    for e in info.parse_errors:
        assert 0 <= e.start <= e.end <= len(text) and isinstance(e, HtmlError)
    for t in info.unclosed + info.stray_end_tags:
        assert 0 <= t.start < t.end <= len(text) and isinstance(t, TagSpan)
        assert text[t.start] == "<"
    for h in info.headings:
        assert 0 <= h.start < h.end <= len(text) and isinstance(h, Heading)


def test_liquid_blocks_are_not_html() -> None:
    text = (
        "<p>x</p>\n{% highlight xml %}\n<?xml?><!DOCTYPE r [ ]><b>\n{% endhighlight %}\n"
        "{% comment %}<div>{% endcomment %}"
    )
    assert analyze_html(text) == ([], [], [], [])


def test_markdown_unknown_tag_kramdown_reads_as_html() -> None:
    # CommonMark makes `<num_hosts>` text (a tag name has no "_"); kramdown,
    # Jekyll's Markdown, reads any XML name as a tag and passes it through,
    # so browsers hide it: an unescaped `<`, as in an HTML post.
    from postlint.analysis.body.markdown import markdown_regions

    text = "runs on <num_hosts> hosts and <file.name x=1>\n"
    info = analyze_html(text, fragments=markdown_regions(text).html)
    assert [(e.code, e.start) for e in info.parse_errors] == [
        ("unescaped-less-than-sign", text.index("<num")), ("unescaped-less-than-sign", text.index("<file"))]
    assert info.unclosed == [] and info.stray_end_tags == []
    # Escaped, in code, or an e-mail autolink: not HTML.
    for text in ("runs on \\<num_hosts> hosts\n", "runs on `<num_hosts>` hosts\n",
                 "mail <first_last@example.org>\n", "a <b>bold</b> <a_b\n"):
        info = analyze_html(text, fragments=markdown_regions(text).html)
        assert info.parse_errors == [] and info.unclosed == [] and info.stray_end_tags == [], text


def test_the_ascii_classes_are_the_full_classes_on_ascii() -> None:
    # An ASCII text is searched with each class's ASCII characters (a class
    # beyond Latin-1 compiles ten times slower): the same answers.
    from postlint.analysis.body import html as html_module

    pairs = [(html_module._invalid(), html_module._invalid_ascii()),
             (html_module._maskable(), html_module._maskable_ascii())]
    for full, ascii_only in pairs:
        for code in range(128):
            assert (full.match(chr(code)) is None) == (ascii_only.match(chr(code)) is None), (full.pattern, code)
