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
