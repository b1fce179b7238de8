"""HT001-HT003 on posts: today's WHATWG parse errors, one finding per defect,
the right advice, and Liquid left out (issue 10, points 1, 2, 3 and 8)."""

from __future__ import annotations

from pathlib import Path

import pytest

from postlint.engine.config import Settings
from postlint.model.diagnostic import Diagnostic
from tests.conftest import lint

HTML_POST = "_posts/2019-05-13-x.html"
MD_POST = "_posts/2019-05-13-x.md"
FRONT = "---\nlayout: post\ntitle: t\n---\n"        # the body starts on line 5


def ht(body: str, *, path: str = HTML_POST, strict: bool = False) -> list[Diagnostic]:
    settings = Settings(root=Path("."), tables={"html": {"strict": True}} if strict else {})
    return lint(FRONT + body, path=path, select=["HT"], settings=settings)


def found(body: str, **kw: object) -> list[tuple[str, int, int, str]]:
    """(code, line, column, WHATWG/postlint error code or '') per finding."""
    out = []
    for d in ht(body, **kw):  # type: ignore[arg-type]
        sub = d.message.rsplit("(", 1)[-1].rstrip(")") if d.code == "HT001" else ""
        out.append((d.code, d.line, d.column, sub))
    return sorted(out)


# ---------------------------------------------------------------- point 1

@pytest.mark.parametrize("path", [HTML_POST, MD_POST])
def test_bare_ampersand_in_attribute_url_is_not_an_error(path: str) -> None:
    body = '<p><a href="https://example.org/search?q=jekyll&lang=nl&page=2">zoek</a></p>\n'
    assert found(body, path=path) == []


@pytest.mark.parametrize("path", [HTML_POST, MD_POST])
def test_double_dash_inside_comment_is_not_an_error(path: str) -> None:
    assert found("<!-- run jekyll --version first -->\n<p>x</p>\n", path=path) == []


@pytest.mark.parametrize("body, expected", [
    ('<p class="a" class="b">x</p>\n', [("HT001", 5, 19, "duplicate-attribute")]),
    ("<p>&copy 2019</p>\n", [("HT001", 5, 9, "missing-semicolon-after-character-reference")]),
    ("<p>x</p>\n<!-- nooit dicht\n<p>y</p>\n", [("HT001", 8, 1, "eof-in-comment")]),
    ("<p>x</p><!x>\n", [("HT001", 5, 11, "incorrectly-opened-comment")]),
    ('<img src="a.png"\n', [("HT001", 6, 1, "eof-in-tag")]),
    ("<div/>tekst</div>\n", [("HT001", 5, 1, "non-void-html-element-start-tag-with-trailing-solidus")]),
])
def test_whatwg_codes_at_the_standards_character(body: str, expected: list) -> None:
    assert found(body) == expected


def test_eof_message_says_where_the_comment_starts() -> None:
    (d,) = ht("<p>x</p>\n<!-- nooit dicht\n")
    assert "line 6, column 1" in d.message and d.line == 7


def test_messages_are_not_html5lib_wording() -> None:
    body = "<p><b><i>x</b></i></p>\n<p>&copy 2019 <a href=x>1<a href=y>2</a></p>\n<!-- x"
    for d in ht(body):
        assert "adoption agency" not in d.message and "violates step" not in d.message
        assert "Unexpected end tag" not in d.message


def test_less_than_before_space_is_off_by_default() -> None:
    body = "<pre>class Foo < Bar; end</pre>\n<p>1 &#; &bogus;</p>\n"
    assert found(body) == []
    assert found(body, strict=True) == [
        ("HT001", 5, 17, "invalid-first-character-of-tag-name"),
        ("HT001", 6, 8, "absence-of-digits-in-numeric-character-reference"),
        ("HT001", 6, 16, "unknown-named-character-reference")]


def test_end_tag_without_name_hides_text_and_is_reported() -> None:
    assert found("<p>a </ b> c</p>\n") == [("HT001", 5, 8, "invalid-first-character-of-tag-name")]


# ---------------------------------------------------------------- point 2

def test_unknown_element_hiding_text_is_one_finding_at_the_less_than() -> None:
    (d,) = ht("<p>runs on <num_hosts> hosts</p>\n")
    assert (d.code, d.line, d.column) == ("HT001", 5, 12)
    assert "&lt;" in d.message and "unescaped-less-than-sign" in d.message
    assert "</p>" not in d.message


@pytest.mark.parametrize("path", [HTML_POST, MD_POST])
def test_ruby_inspect_output(path: str) -> None:
    diags = ht("<p>Got #<Post:0x00ab12> back</p>\n", path=path)
    assert [(d.code, d.line, d.column) for d in diags] == [("HT001", 5, 9)]
    assert "&lt;" in diags[0].message and "</post" not in diags[0].message


def test_unknown_element_that_is_closed_is_markup_not_text() -> None:
    # Word's <o:p></o:p>: an element, closed; nothing to escape.
    assert found("<p>Tekst<o:p></o:p></p>\n") == []


@pytest.mark.parametrize("tag", ["embed", "param", "br", "img", "source"])
def test_void_end_tags_have_their_own_message(tag: str) -> None:
    diags = ht(f'<object><param name="a" value="b"></param><embed src="x.swf"></embed></object>\n<p>x</{tag}></p>\n')
    lines = sorted((d.code, d.line, d.column) for d in diags)
    first = diags[0].message
    # Each an unexpected-end-tag parse error (HT001) and a stray end tag (HT003).
    assert lines == [("HT001", 5, 35), ("HT001", 5, 62), ("HT001", 6, 5),
                     ("HT003", 5, 35), ("HT003", 5, 62), ("HT003", 6, 5)], first
    by_line = {d.line: d for d in diags if d.column == 5 and d.code == "HT003"}
    assert f"`</{tag}>` is not needed: {tag} has no end tag" in by_line[6].message
    assert "closes nothing" not in by_line[6].message


def test_unclosed_inline_element_is_one_finding() -> None:
    # The </p> that closes <b> early is not a second finding; the end of
    # input with <b> open is HT001's one parse error, at the end.
    assert found("<p>De <b>gemeente meldt dat de weg dicht is.</p>\n<p>Meer.</p>\n") == [
        ("HT001", 6, 13, "eof-with-open-elements"), ("HT002", 5, 7, "")]


def test_misnesting_is_one_finding() -> None:
    assert found("<p><b><i>x</b></i></p>\n") == [("HT001", 5, 11, "misnested-end-tag")]


# ---------------------------------------------------------------- point 3

LIQUID = ('{{ "<b>" | escape }}\n{% assign open = "<div class=\'x\'>" %}\n'
          "{% if a < b %}<p>kleiner</p>{% endif %}\n"
          '<p><a href="{{ site.url }}/{{ page.url | replace: "<", "" }}">x</a>'
          '<img src={{ page.image }} alt="{% if x %}<{% endif %}"></p>\n'
          "{% raw %}<b>{{ not html }}{% endraw %}\n{% comment %}<div>{% endcomment %}\n")


@pytest.mark.parametrize("path", [HTML_POST, MD_POST])
def test_liquid_gives_no_html_findings(path: str) -> None:
    assert found(LIQUID, path=path) == []


def test_liquid_blanking_keeps_offsets() -> None:
    from postlint.analysis.body.liquid import prepare

    out = prepare(LIQUID)
    assert len(out) == len(LIQUID) and out.count("\n") == LIQUID.count("\n")
    assert "<b>" not in out and "a < b" not in out and "{{" + "x" * 16 + "}}" in out


def test_liquid_keeps_html_errors_around_it() -> None:
    assert found('{{ x }}<p class="a" class="b">{% if y %}z{% endif %}</p>\n') == [
        ("HT001", 5, 26, "duplicate-attribute")]


def test_liquid_heading_is_not_empty() -> None:
    assert lint(FRONT + "<h2>{{ page.title }}</h2>\n", path=HTML_POST, select=["HD"]) == []
    assert lint(FRONT + "## {{ page.title }}\n", path=MD_POST, select=["HD"]) == []


# ---------------------------------------------------------------- point 8

def test_no_two_findings_with_the_same_code_and_span() -> None:
    body = ("<p>a</p></div></embed></br><b><i>x</b></i><div><span>y</div>"
            '<p a=1 a=2 a=3>&copy <!-- a -- b --> <num> <table>t<tr><td>x</table>\n<!-- z')
    diags = ht(body, strict=True)
    keys = [(d.code, d.line, d.column, d.end_line, d.end_column) for d in diags]
    assert len(keys) == len(set(keys))
    # and one defect is never reported by two HT rules at the same place,
    # but for an end tag that closes nothing: a parse error (HT001) and HT003's
    # stray end tag, by design (HT001's docs)
    places = [(d.line, d.column) for d in diags]
    stray = {(d.line, d.column) for d in diags if d.code == "HT003"}
    assert stray and all(places.count(p) == (2 if p in stray else 1) for p in places)


def test_text_moved_out_of_a_table_is_reported_at_its_first_character() -> None:
    # html5lib moves it before the table without a word; the standard calls
    # it a parse error.
    body = "<table>\n<tr><td>1</td></tr>\n  &amp; meer\n</table>\n<table><tr><td>ok</td></tr>\n</table>\n"
    assert found(body) == [("HT001", 7, 3, "foster-parented")]


def test_self_closing_unknown_element_is_markup_left_open() -> None:
    assert found('<p>x</p><fb:like href="x" />\n<p>y</p>\n') == [
        ("HT001", 5, 9, "non-void-html-element-start-tag-with-trailing-solidus")]


def test_heading_inside_heading_says_the_first_is_closed() -> None:
    (d,) = ht("<h2>Titel<h3>Sub</h3>\n")
    assert (d.line, d.column) == (5, 10) and d.message.endswith("(implied-end-tag)")


# ------------------------------------------- HT001 whichever rules are selected


def _ht001(body: str, *, ignore: list[str]) -> list[tuple[str, int, int, int, int, str]]:
    settings = Settings(root=Path("."), ignore=ignore)
    return sorted((d.code, d.line, d.column, d.end_line, d.end_column, d.message.rsplit("(", 1)[-1].rstrip(")"))
                  for d in lint(FRONT + body, path=HTML_POST, select=["HT"], settings=settings))


@pytest.mark.parametrize("ignore", [[], ["HT002"], ["HT003"], ["HT002", "HT003"]])
def test_unclosed_div_is_ht001_whatever_else_is_selected(ignore: list[str]) -> None:
    found = [f for f in _ht001("<div>\n<p>hi</p>\n", ignore=ignore) if f[0] == "HT001"]
    # At the end of input (after the last </p>), naming the <div> and where it starts.
    assert found == [("HT001", 6, 10, 6, 10, "eof-with-open-elements")]


@pytest.mark.parametrize("ignore", [[], ["HT002", "HT003"]])
def test_stray_end_tag_is_ht001_whatever_else_is_selected(ignore: list[str]) -> None:
    found = [f for f in _ht001("<p>hi</p></span>\n", ignore=ignore) if f[0] == "HT001"]
    assert found == [("HT001", 5, 10, 5, 17, "unexpected-end-tag")]


def test_end_of_input_names_where_the_open_elements_start() -> None:
    body = "".join(f"<div id=d{i}>\n" for i in range(7))
    diags = [d for d in lint(FRONT + body, path=HTML_POST, select=["HT001"]) if d.code == "HT001"]
    assert len(diags) == 1
    message = diags[0].message
    assert "(line 5, column 1)" in message and "(line 9, column 1)" in message
    assert "(line 10, column 1)" not in message  # five named, the rest counted
    assert (diags[0].line, diags[0].column) == (11, 12)  # just after the last `>`
