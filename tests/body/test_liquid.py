"""Liquid that Jekyll resolves before Markdown or HTML exist."""

from __future__ import annotations

from postlint.analysis.body.html import analyze_html
from postlint.analysis.body.liquid import blank, liquid_blocks
from tests.conftest import lint, positions


def test_alternative_branches_are_set_aside() -> None:
    text = '{% if a %}<div class="x">{% elsif b %}<div class="y">{% else %}<div>{% endif %}tekst</div>'
    blocks = liquid_blocks(text)
    kept = blank(text, blocks.all)
    assert kept.count("<div") == 1 and len(kept) == len(text)
    assert analyze_html(text).unclosed == []


def test_case_keeps_the_first_when_and_nested_conditionals() -> None:
    text = "{% case k %}{% when 1 %}<b>{% if x %}<i>{% else %}<u>{% endif %}</i>{% when 2 %}<s>{% endcase %}</b>"
    info = analyze_html(text)
    assert info.unclosed == [] and info.stray_end_tags == []


def test_branches_inside_highlight_blocks_are_code() -> None:
    text = "{% highlight liquid %}{% if a %}x{% else %}y{% endif %}{% endhighlight %}"
    blocks = liquid_blocks(text)
    assert blocks.branches == [] and blocks.code == [(0, len(text))]


def test_unterminated_conditional_is_left_alone() -> None:
    assert liquid_blocks("{% if a %}<b>x{% else %}<i>y").branches == []


def test_html_post_with_liquid_conditionals_has_no_false_findings() -> None:
    post = (
        "---\nlayout: post\ntitle: t\n---\n"
        '{% if page.image %}<figure class="groot">{% else %}<figure>{% endif %}\n'
        "<img src=\"x.jpg\" alt=\"x\"></figure>\n"
    )
    assert positions(lint(post, path="_posts/2019-05-13-x.html", select=["HT"])) == []


def _markup_in_one_pass(text: str) -> list[tuple[int, int, str]]:
    """markup() as Liquid reads the delimiters: one pass over them all, each
    opening paired with the first closing of its kind after it."""
    import re

    out, start, kind = [], -1, ""
    for m in re.finditer(r"\{\{|\{%|\}\}|%\}", text):
        d = m.group()
        if start < 0:
            if d in ("{{", "{%"):
                start, kind = m.start(), d
        elif d == ("}}" if kind == "{{" else "%}"):
            out.append((start, m.end(), kind))
            start = -1
    return out


def test_markup_pairs_delimiters_as_one_pass_over_them_does() -> None:
    import random

    from postlint.analysis.body.liquid import markup

    rng = random.Random(14)
    pieces = ["{", "}", "%", "{{", "}}", "{%", "%}", "{%-", "-%}", "{{%", "%}}", "{%}", "}}}", "{{{", "a", " ", "\n"]
    for _ in range(20000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 24)))
        assert markup(text) == _markup_in_one_pass(text), text
    # Openings far apart, many of one kind before the other: linear, and right.
    text = "{{ a }} x " * 2000 + "{% b %}"
    assert markup(text) == _markup_in_one_pass(text)


def test_blank_keeps_every_line_break() -> None:
    from postlint.analysis.body.liquid import prepare

    for text in ["{% comment %}\na\r\nb\n\n{% endcomment %}x", "{% highlight %}\n\n  x\n{% endhighlight %}",
                 "{% if a %}\r{% else %}\nq{% endif %}", "{% raw %}é\n😀\n{% endraw %}"]:
        kept = prepare(text)
        assert len(kept) == len(text)
        assert [i for i, c in enumerate(kept) if c in "\r\n"] == [i for i, c in enumerate(text) if c in "\r\n"]
        assert set(kept) <= set(" \r\nx{}") | set(text[text.rfind("}") + 1:])


def test_markup_looks_for_each_opening_once_a_tag() -> None:
    """markup() searches again only for an opening it found: a text of one
    kind of tag (none of the other) costs a search or two a tag, not one to
    the text's end after each (which was quadratic: 1 MB in 74 s)."""
    from postlint.analysis.body.liquid import markup

    calls = [0]

    class Counting(str):
        def find(self, *args: object) -> int:  # type: ignore[override]
            calls[0] += 1
            return super().find(*args)  # type: ignore[arg-type]

    for body, tags in [("{% a %}" * 500, 500), ("{{ a }}" * 500, 500), ("{{ a }}{% b %}" * 250, 500),
                       ("x " * 100 + "{% a %}" * 300 + "{{ b }}", 301)]:
        calls[0] = 0
        found = markup(Counting(body))
        assert len(found) == tags and found == _markup_in_one_pass(body)
        assert calls[0] <= tags + 3, (body[:20], calls[0])
