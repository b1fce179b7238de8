"""EN002, EN003, HT001-HT003, HD001-HD003: codes and positions in the file,
HTML and Markdown bodies, LF and CRLF."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import lint, spans

FRONT = "---\nlayout: post\ntitle: t\n---\n"


def body(text: str, newline: str = "\n", path: str = "_posts/2019-05-13-x.html") -> list:  # type: ignore[type-arg]
    return spans(lint((FRONT + text).replace("\n", newline), path=path, select=["EN002", "EN003", "HT", "HD"]))


NEWLINES = pytest.mark.parametrize("newline", ["\n", "\r\n"])


@NEWLINES
def test_mojibake_in_body_and_title(newline: str) -> None:
    text = "---\nlayout: post\ntitle: \"Wethouder DaniÃ«l\"\n---\n<p>Journalist DaniÃ«l Verlaan, cafÃ©.</p>\n"
    found = spans(lint(text.replace("\n", newline), select=["EN002"]))
    assert found == [(3, 23, 3, 25, "EN002"), (5, 19, 5, 21, "EN002"), (5, 35, 5, 37, "EN002")]


@pytest.mark.parametrize(
    "clean",
    [
        "Daniël, café, naïef, Curaçao, Æbleskiver, Straße, señor, İstanbul, smörgåsbord",
        "€ 10, £5, ¥3, “quotes”, ‘single’ – dash — em…",
        "emoji 😀👍🏽 👩‍👩‍👧, 日本語のテキスト, 한국어, Русский текст",
        "Tiếng Việt: ĐÃ SỬA, HÃY LÀM ĐI, Português: NÃO, São Paulo",
    ],
)
def test_no_mojibake_false_positives(clean: str) -> None:
    assert body(f"<p>{clean}</p>\n") == []


def test_mojibake_in_code_is_left_alone() -> None:
    assert body("<pre>DaniÃ«l</pre>\n<p><code>cafÃ©</code></p>\n") == []
    md = "Tekst `DaniÃ«l` en\n\n```\ncafÃ©\n```\n"
    assert body(md, path="_posts/2019-05-13-x.md") == []


@NEWLINES
def test_stray_characters(newline: str) -> None:
    assert body("<p>a\u200bb c\x08d e\ufffdf</p>\n", newline) == [
        (5, 5, 5, 6, "EN003"), (5, 9, 5, 10, "EN003"), (5, 13, 5, 14, "EN003"),
    ]
    # Joiners that belong where they are are not findings.
    assert body("<p>👩\u200d👩\u200d👧</p>\n") == []


@NEWLINES
def test_html_structure(newline: str) -> None:
    text = "<p>De <b>gemeente meldt.</p>\n<div class=\"k\">\n<p>x</p>\n</span>\n<ul><li>een<li>twee</ul>\n"
    found = body(text, newline)
    assert [f for f in found if f[4] != "HT001"] == [
        (5, 7, 5, 10, "HT002"),  # <b>
        (6, 1, 6, 16, "HT002"),  # <div class="k">
        (8, 1, 8, 8, "HT003"),  # </span>
    ]


@NEWLINES
def test_html_parse_error_position(newline: str) -> None:
    [(line, column, end_line, _, code)] = body('<p class="a" class="b">x</p>\n', newline)
    # The standard points at the "=" after the repeated name.
    assert (line, column, end_line, code) == (5, 19, 5, "HT001")


def test_implicitly_closed_elements_are_fine() -> None:
    assert body("<p>een\n<p>twee\n<ul><li>a<li>b</ul>\n<table><tr><td>1<td>2</table>\n") == []


def test_html_inside_markdown() -> None:
    md = "Tekst met <b>vet zonder einde.\n\nEn `<i>` in code.\n"
    # HT002 at the <b>; HT001 at the end of input (after "in code."), which it leaves open.
    assert body(md, path="_posts/2019-05-13-x.md") == [(5, 11, 5, 14, "HT002"), (7, 18, 7, 18, "HT001")]


@NEWLINES
def test_markdown_headings(newline: str) -> None:
    md = "# Kop\n\n## Twee\n\n#### Vier\n\nSetext\n------\n\n##\n\n```\n# geen kop\n```\n"
    assert body(md, newline, path="_posts/2019-05-13-x.md") == [
        (5, 1, 5, 6, "HD002"),
        (9, 1, 9, 10, "HD001"),
        (14, 1, 14, 3, "HD003"),
    ]


def test_html_headings() -> None:
    html = "<h2>Een</h2>\n<h4>Vier</h4>\n<h1>Titel</h1>\n<h2> </h2>\n<h2><img alt=\"logo\"></h2>\n"
    assert body(html) == [
        (6, 1, 6, 14, "HD001"),
        (7, 1, 7, 15, "HD002"),
        (8, 1, 8, 11, "HD003"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\n\t\n",
        "<!-- nooit gesloten\n<p>x</p>\n",
        "<script>var x = 1;\n",
        "<![CDATA[ x ]]>\n",
        "<div>" * 10_000 + "</div>" * 10_000,
    ],
)
def test_hostile_bodies_do_not_crash(text: str) -> None:
    found = body(text)
    assert all(code != "PL000" for *_, code in found)


def test_deep_nesting_unclosed_is_reported_without_recursion() -> None:
    # Every one of them found (no limit), then the default limit of 100 per rule.
    from postlint.engine.config import Settings

    settings = Settings(root=Path("."))
    settings.max_findings_per_rule = 0
    unlimited = lint(FRONT + "<div>" * 10_000, path="_posts/2019-05-13-x.html", select=["HT002"], settings=settings)
    assert len(unlimited) == 10_000
    found = body("<div>" * 10_000)
    assert len([f for f in found if f[4] == "HT002"]) == 101


@NEWLINES
def test_hash_only_lines_are_text_in_kramdown(newline: str) -> None:
    # Issue 10.7: kramdown makes no heading of a line of only "#"s (readers
    # see "####"); it is reported once, as HD003, and takes no part in the
    # outline (no HD001 "h4 follows h2" for it, none for the h3 after it).
    md = ("## Twee\n\n####\n\n### Drie\n\n## #\n\n## Kop ##\n\n"
          "### Kop {#anker}\n\n  ###   \n\nTekst\n####\n")
    assert body(md, newline, path="_posts/2019-05-13-x.md") == [
        (7, 1, 7, 5, "HD003"),
        (11, 1, 11, 5, "HD003"),
        (17, 1, 17, 9, "HD003"),
        (20, 1, 20, 5, "HD003"),
    ]
