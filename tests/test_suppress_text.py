"""Directive-shaped text that is not a comment is not a directive: Markdown code
(spans, fenced and indented blocks), Liquid raw/comment blocks, YAML block
scalars and quoted strings. It is neither applied, nor PL001, nor PL002. And
an enable that closes nothing is PL002, with the same removal fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from postlint.engine.config import Settings
from postlint.engine.linter import Linter
from postlint.model.site import Site
from tests.conftest import run_cli, write_site
from tests.test_suppress import ENGINE_SELECT, REGISTRY, _all, _lint_site


def _in_file(path: str, text: str) -> list[tuple[int, int, str]]:
    linter = Linter(Settings(root=Path("."), select=ENGINE_SELECT), REGISTRY, Site(), network=False)
    result = linter.lint_source(path, text.encode())[1]
    site, _ = linter.lint_site([result])
    return sorted((d.line, d.column, d.code) for d in result.diagnostics + site)

# Each body shows a directive as text; BAD on line 3+ must still be reported.
# PL001/PL002 must not appear: the shown text is neither invalid nor unused.
_SHOWN_AS_CODE = [
    # code span
    "Write `<!-- postlint-disable XB001 -->` to start a block.\nBAD\n",
    "Misspelled: `<!-- postlint-disabel -->` is PL001.\nBAD\n",
    "``<!-- postlint-disable-next-line XB001 -->``\nBAD\n",
    # fenced code block, backticks and tildes
    "```html\n<!-- postlint-disable XB001 -->\n```\nBAD\n",
    "~~~\n<!-- postlint-disable-nextline XB001 -->\n~~~\nBAD\n",
    # indented code block
    "Text.\n\n    <!-- postlint-disable XB001 -->\n\nBAD\n",
    # code block in a list item and in a block quote
    "- item\n\n  ```\n  <!-- postlint-disable XB001 -->\n  ```\n\nBAD\n",
    "> ```\n> <!-- postlint-disable XB001 -->\n> ```\n\nBAD\n",
    # Liquid: raw and comment blocks, and highlight
    "{% raw %}<!-- postlint-disable XB001 -->{% endraw %}\nBAD\n",
    "{%- raw -%}\n<!-- postlint-disable -->\n{%- endraw -%}\nBAD\n",
    "{% comment %}\n<!-- postlint-disable XB001 -->\n{% endcomment %}\nBAD\n",
    "{% highlight html %}\n<!-- postlint-disable XB001 -->\n{% endhighlight %}\nBAD\n",
]


@pytest.mark.parametrize("body", _SHOWN_AS_CODE)
def test_a_directive_shown_as_code_is_not_a_directive(body: str) -> None:
    found = _all(body)
    bad_line = 3 + body.split("\n").index("BAD")
    assert found == [(bad_line, 1, "XB001")]


def test_a_code_span_does_not_hide_a_real_directive_after_it() -> None:
    body = "Use `<!--` to open a comment.\nBAD <!-- postlint-disable-line XB001 -->\nBAD\n"
    assert _all(body) == [(5, 1, "XB001")]


def test_a_real_directive_after_a_fence_still_applies() -> None:
    body = "```\n<!-- postlint-disable XB001 -->\n```\n<!-- postlint-disable-next-line XB001 -->\nBAD\nBAD\n"
    assert _all(body) == [(8, 1, "XB001")]


def test_a_directive_inside_an_html_pre_is_still_a_comment() -> None:
    # In raw HTML a comment is a comment, shown nowhere: it applies.
    body = "<pre>\n<!-- postlint-disable-next-line XB001 -->\nBAD\n</pre>\nBAD\n"
    assert _all(body) == [(7, 1, "XB001")]


@pytest.mark.parametrize(
    "front",
    [
        "description: |\n  # postlint: disable-file=XB001\n  more\n",
        "description: >-\n  text\n  # postlint: disable-fil=XB001\n",
        "list:\n  - |\n    # postlint: disable-file\n",
        "title: 'A # postlint: disable-file=XB001'\n",
        'title: "A # postlint: disable-file"\n',
    ],
)
def test_a_hash_inside_a_yaml_scalar_is_text_not_a_directive(front: str) -> None:
    found = _all("BAD\n", front)
    body_line = 3 + front.count("\n")
    assert found == [(body_line, 1, "XB001")]


def test_a_comment_after_a_block_scalar_is_a_directive() -> None:
    front = "description: |\n  text\n# postlint: disable-file=XB001\ntitle: A\n"
    assert _all("BAD\n", front) == []
    front = "description: |\n  text\n# postlint: disable-fil=XB001\ntitle: A\n"
    assert _all("BAD\n", front) == [(4, 1, "PL001"), (7, 1, "XB001")]


def test_directives_in_broken_yaml_are_still_read() -> None:
    # The YAML does not parse past line 3; the comment on line 4 is still seen.
    front = "title: A\nbad: [unclosed\n# postlint: disable-file=XB001\n"
    assert [f for f in _all("BAD\n", front) if f[2] != "PL001"] == []


# -- an enable that closes no block -------------------------------------------------


@pytest.mark.parametrize(
    "body, expected",
    [
        # Nothing open at all.
        ("<!-- postlint-enable -->\nBAD\n", [(3, 1, "PL002"), (4, 1, "XB001")]),
        ("<!-- postlint-enable XB001 -->\nBAD\n", [(3, 1, "PL002"), (4, 1, "XB001")]),
        # A second enable after the first closed the block.
        (
            "<!-- postlint-disable XB001 -->\nBAD\n<!-- postlint-enable XB001 -->\n<!-- postlint-enable XB001 -->\n",
            [(6, 1, "PL002")],
        ),
        # An enable of another rule than the open block's.
        (
            "<!-- postlint-disable XB001 -->\nBAD\n<!-- postlint-enable XB002 -->\n",
            [(5, 1, "PL002")],
        ),
    ],
)
def test_a_dangling_enable_is_unused(body: str, expected: list) -> None:  # type: ignore[type-arg]
    assert _all(body) == expected


def test_an_enable_with_a_selector_that_closes_nothing_reports_that_selector() -> None:
    body = "<!-- postlint-disable XB001 -->\nBAD\n<!-- postlint-enable XB001, XB002 -->\n"
    assert _all(body) == [(5, 29, "PL002")]


def test_a_dangling_enable_follows_the_selection() -> None:
    assert _all("<!-- postlint-enable -->\nBAD\n", select=["XB"]) == [(4, 1, "XB001")]


def test_fix_removes_a_dangling_enable_and_a_second_run_changes_nothing(tmp_path: Path) -> None:
    text = (
        "---\nlayout: post\n---\n"
        "A.\n"
        "<!-- postlint-enable -->\n"
        "B. <!-- postlint-enable HD002 -->\n"
        "<!-- postlint-disable HD002 -->\n"
        "# C\n"
        "<!-- postlint-enable HD002, HD003 -->\n"
    )
    site = write_site(tmp_path, {"_posts/2019-05-13-a.md": text})
    args = ["check", "--no-network", "--no-cache", "--select", "HD,PL", "--output-format", "json"]
    run_cli(args + ["--fix", "."], cwd=site)
    assert (site / "_posts/2019-05-13-a.md").read_text(encoding="utf-8") == (
        "---\nlayout: post\n---\n"
        "A.\n"
        "\n"
        "B.\n"
        "<!-- postlint-disable HD002 -->\n"
        "# C\n"
        "<!-- postlint-enable HD002 -->\n"
    )
    again = run_cli(args + ["--fix", "."], cwd=site)
    assert again.json()["diagnostics"] == [] and again.code == 0


def test_empty_html_comments_do_not_swallow_the_next_directive() -> None:
    # "<!-->" and "<!--->" are whole (empty) comments in HTML.
    for empty in ("<!-->", "<!--->"):
        body = f"{empty} BAD <!-- postlint-disable-line XB001 -->\nBAD\n"
        assert _all(body) == [(4, 1, "XB001")], empty


# -- PL002 fixes of neighbouring directives apply together, in one --fix run ---------


@pytest.mark.parametrize(
    "body, fixed",
    [
        # Two unused comments on one line share the blank between them.
        ("<!-- postlint-disable-line HD002 --> <!-- postlint-disable-line HD003 --> tail\nB.\n", "tail\nB.\n"),
        ("A. <!-- postlint-disable-line HD002 --> <!-- postlint-disable-line HD003 --> tail\n", "A. tail\n"),
        ("A.\n<!-- postlint-disable-line HD002 --> <!-- postlint-disable-line HD003 -->\nB.\n", "A.\n\nB.\n"),
        # Two directive lines in a row between text: one empty line stays, not two.
        ("A.\n<!-- postlint-disable-next-line HD002 -->\n<!-- postlint-disable-next-line HD003 -->\nB.\n",
         "A.\n\nB.\n"),
        ("A.\n<!-- postlint-enable -->\n<!-- postlint-enable -->\n<!-- postlint-enable -->\nB.\n", "A.\n\nB.\n"),
        ("A.\r\n<!-- postlint-enable -->\r\n<!-- postlint-enable -->\r\nB.\r\n", "A.\r\n\r\nB.\r\n"),
        # An enable's unused selector, the enable going with its unused block.
        ("A.\n<!-- postlint-disable HD002 -->\nB.\n<!-- postlint-enable HD002, HD003 -->\nC.\n", "A.\n\nB.\n\nC.\n"),
        # A comment sharing its blank with the enable of an unused block.
        ("A.\n<!-- postlint-disable HD002 -->\nB.\n<!-- postlint-disable-line HD003 --> <!-- postlint-enable -->\nC.\n",
         "A.\n\nB.\n\nC.\n"),
    ],
)
def test_neighbouring_unused_directives_are_removed_in_one_run(tmp_path: Path, body: str, fixed: str) -> None:
    nl = "\r\n" if "\r\n" in body else "\n"
    head = nl.join(("---", "layout: post", "---", ""))
    site = write_site(tmp_path, {"_posts/2019-05-13-a.md": head + body})
    post = site / "_posts/2019-05-13-a.md"
    args = ["check", "--no-network", "--no-cache", "--select", "HD,PL", "--output-format", "json"]
    first = run_cli(args + ["--fix", "."], cwd=site)
    assert post.read_bytes().decode("utf-8") == head + fixed
    assert first.json()["diagnostics"] == []
    before = post.read_bytes()
    again = run_cli(args + ["--fix", "."], cwd=site)
    assert post.read_bytes() == before and again.json()["diagnostics"] == [] and again.code == 0


@pytest.mark.parametrize(
    "body",
    [
        "<textarea>\n<!-- postlint-disable XB001 -->\n</textarea>\nBAD\n",
        "<script>\nvar a = '<!-- postlint-disabel -->';\n</script>\nBAD\n",
        "<STYLE>/* <!-- postlint-disable --> */</STYLE>\nBAD\n",
    ],
)
def test_a_comment_inside_a_text_only_html_element_is_text(body: str) -> None:
    bad_line = 3 + body.split("\n").index("BAD")
    assert _all(body) == [(bad_line, 1, "XB001")]
    assert _in_file("p.html", f"---\n---\n{body}") == [(bad_line, 1, "XB001")]


def test_a_text_element_tag_shown_as_code_hides_nothing() -> None:
    body = "Put `<script>` in the head.\n<!-- postlint-disable-next-line XB001 -->\nBAD\n`</script>`\n"
    assert _all(body) == []


@pytest.mark.parametrize(
    "front",
    [
        'title = "A # postlint: disable-file"\n',
        "title = 'A # postlint: disabel'\n",
        'title = """\nA\n# postlint: disable-file\n"""\n',
        "title = '''\n# postlint: disabel\n'''\n",
        'title = "say \\" # postlint: disable-file"\n',
    ],
)
def test_a_hash_inside_a_toml_string_is_text(front: str) -> None:
    found = _lint_site(f"+++\n{front}+++\nBAD\n")[0]
    assert found == [(3 + front.count("\n"), 1, "XB001")]


def test_a_toml_comment_is_a_directive() -> None:
    assert _lint_site('+++\ntitle = "A" # postlint: disable-file=XB001\n+++\nBAD\n')[0] == []


def test_a_dangling_enable_is_reported_the_same_from_a_warm_cache(tmp_path: Path) -> None:
    text = "---\nlayout: post\ntitle: A\n---\nA.\n<!-- postlint-enable HD002 -->\n`<!-- postlint-disabel -->`\n"
    site = write_site(tmp_path, {"_posts/2019-05-13-a.md": text})
    args = ["check", "--no-network", "--cache-dir", str(tmp_path / "cache"), "--output-format", "json", "."]
    cold = run_cli(args, cwd=site).json()["diagnostics"]
    warm = run_cli(args, cwd=site).json()["diagnostics"]
    assert [(d["line"], d["column"], d["code"]) for d in cold] == [(6, 1, "PL002")]
    assert warm == cold


def test_a_comment_closed_by_dash_dash_bang_ends_there() -> None:
    # HTML ends a comment at "--!>" too: the next comment is a comment of its own.
    body = "BAD <!-- postlint-disable-line XB001 --!> x\nBAD <!-- postlint-disable-line XB001 -->\nBAD\n"
    assert _all(body) == [(5, 1, "XB001")]


@pytest.mark.parametrize(
    "body, expected",
    [
        ("BAD <!-- postlint-disable-line XB001 ->\nBAD\n", [(3, 1, "XB001"), (3, 5, "PL001"), (4, 1, "XB001")]),
        ("BAD\n<!-- postlint-disable XB001", [(3, 1, "XB001"), (4, 1, "PL001")]),
        # An unclosed comment that is no directive attempt is not PL001.
        ("BAD <!-- a note\nBAD\n", [(3, 1, "XB001"), (4, 1, "XB001")]),
    ],
)
def test_an_unclosed_directive_comment_is_pl001(body: str, expected: list) -> None:  # type: ignore[type-arg]
    assert _all(body) == expected


def test_directives_at_the_end_of_the_file(tmp_path: Path) -> None:
    # disable-next-line on the last line (no line break after it) has no line to
    # silence: unused; its removal leaves the file ending as before it.
    text = "---\nlayout: post\ntitle: A\n---\nA.\n<!-- postlint-disable-next-line HD002 -->"
    site = write_site(tmp_path, {"_posts/2019-05-13-a.md": text})
    args = ["check", "--no-network", "--no-cache", "--select", "HD,PL", "--output-format", "json"]
    found = run_cli(args + ["."], cwd=site).json()["diagnostics"]
    assert [(d["line"], d["column"], d["code"]) for d in found] == [(6, 1, "PL002")]
    run_cli(args + ["--fix", "."], cwd=site)
    assert (site / "_posts/2019-05-13-a.md").read_text(encoding="utf-8") == "---\nlayout: post\ntitle: A\n---\nA.\n"
    assert run_cli(args + ["."], cwd=site).json()["diagnostics"] == []
