"""The post model: decoding, front matter split, every key's position."""

from __future__ import annotations

import pytest

from postlint.model.post import parse
from tests.conftest import lint, positions

FEED_POST = (
    "---\n"
    "layout: post\n"
    "title: \"'Waterschap sluit sluizen na hevige regen'\"\n"
    "date: Tue, 14 May 2019 08:12:09 +0200\n"
    "category: nieuws\n"
    "externe_link: \"https://example.org/l/1001\"\n"
    "feature_image: \"https://example.org/img/1001.jpg\"\n"
    "---\n"
    "\n"
    "<p>Het waterschap heeft dinsdagochtend de sluizen gesloten.</p>\n"
)


def value_at(post, path):  # type: ignore[no-untyped-def]
    start, end = post.locate(path)
    return post.lines.position(start), post.lines.position(end), post.text[start:end]


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
@pytest.mark.parametrize("bom", [False, True])
def test_every_key_of_a_feed_post_has_its_position(newline: str, bom: bool) -> None:
    source = ("\ufeff" if bom else "") + FEED_POST.replace("\n", newline)
    post = parse("_posts/2019-05-14-sluizen.md", source.encode())
    assert post.problems == []
    assert post.bom is bom
    expected = {
        "layout": (2, 9, "post"),
        "title": (3, 8, "\"'Waterschap sluit sluizen na hevige regen'\""),
        "date": (4, 7, "Tue, 14 May 2019 08:12:09 +0200"),
        "category": (5, 11, "nieuws"),
        "externe_link": (6, 15, '"https://example.org/l/1001"'),
        "feature_image": (7, 16, '"https://example.org/img/1001.jpg"'),
    }
    for key, (line, column, text) in expected.items():
        (start_line, c), (el, ec), found = value_at(post, (key,))
        assert (start_line, c, found) == (line, column, text), key
        assert (el, ec) == (line, column + len(text))
        key_start = post.locate_key((key,)).start
        assert post.lines.position(key_start) == (line, 1)
    assert post.data["date"] == "Tue, 14 May 2019 08:12:09 +0200"
    assert post.data["title"] == "'Waterschap sluit sluizen na hevige regen'"
    assert post.body_line == 9
    assert post.body.lstrip().startswith("<p>Het waterschap")


def test_shared_example_post_parses_with_positions() -> None:
    from tests.conftest import REPO

    example = REPO.parent / "shared" / "examples" / "feed-post-2019-05-13.md"
    if not example.is_file():
        pytest.skip("../shared/examples is absent")
    post = parse("_posts/2019-05-13-x.md", example.read_bytes())
    assert post.problems == []
    lines = post.text.split("\n")
    for key in ("layout", "title", "date", "category", "externe_link", "feature_image"):
        line, column = post.lines.position(post.locate((key,)).start)
        assert lines[line - 1].startswith(f"{key}: ")
        assert column == len(key) + 3


def test_columns_count_code_points() -> None:
    post = parse("p.md", "---\ntitle: 😀 Daniël\nauthor: Zoë 😀\n---\n".encode())
    assert post.lines.position(post.locate(("author",)).start) == (3, 9)
    start, end = post.locate(("author",))
    assert post.text[start:end] == "Zoë 😀"


def test_nested_paths_and_list_items() -> None:
    post = parse(
        "p.md",
        b"---\ntags:\n  - een\n  - twee\nauthor:\n  name: Ann\n  links: [a, b]\n---\n",
    )
    assert post.lines.position(post.locate(("tags", 1)).start) == (4, 5)
    assert post.lines.position(post.locate(("author", "name")).start) == (6, 9)
    assert post.lines.position(post.locate(("author", "links", 1)).start) == (7, 14)
    # A path that does not exist points at its closest ancestor.
    assert post.locate(("author", "missing")) == post.locate(("author",))
    assert post.locate(("nothing",)) == (0, 3)


def test_timestamps_stay_strings_and_scalars_keep_types() -> None:
    post = parse("p.md", b"---\ndate: 2019-05-13 12:45:33 +0200\nday: 2019-05-13\nn: 3\nok: true\nx: ~\n---\n")
    assert post.data == {"date": "2019-05-13 12:45:33 +0200", "day": "2019-05-13", "n": 3, "ok": True, "x": None}


@pytest.mark.parametrize(
    "source, expected",
    [
        (b"", [(1, 1, "FM001")]),
        (b"---", [(1, 1, "FM001")]),
        (b"---\n", [(1, 1, "FM001")]),
        (b"---\ntitle: x\n", [(1, 1, "FM001")]),
        (b"no front matter\n", [(1, 1, "FM001")]),
        (b"   \n\n", [(1, 1, "FM001")]),
        (b"---\n- a\n- b\n---\n", [(2, 1, "FM002")]),
        (b"---\njust a string\n---\n", [(2, 1, "FM002")]),
        (b"---\ntitle: [unclosed\n---\n", [(3, 1, "FM002")]),
        (b"---\ntitle: a: b\n---\n", [(2, 9, "FM002")]),
        (b"---\nx: 1\ny: 2\nx: 3\n---\n", [(4, 1, "FM003")]),
        (b"---\ntitle: !!python/object:os.system x\nok: !!str 5\n---\n", [(2, 8, "FM002")]),
        (b"---\nauthor: !ruby/object:Author {name: x}\n---\n", [(2, 9, "FM002")]),
        (b"---\nouter:\n  x: 1\n  x: 2\n---\n", [(4, 3, "FM003")]),
    ],
)
def test_front_matter_problems(source: bytes, expected: list[tuple[int, int, str]]) -> None:
    assert positions(lint(source, select=["FM00", "EN"])) == expected


def test_empty_front_matter_is_accepted() -> None:
    post = parse("p.md", b"---\n---\nbody\n")
    assert post.problems == [] and post.data == {}
    assert post.body == "body\n"


def test_dots_close_front_matter_like_jekyll() -> None:
    post = parse("p.md", b"---\ntitle: x\n...\nbody\n")
    assert post.data == {"title": "x"} and post.body == "body\n"


def test_four_dashes_do_not_open_front_matter() -> None:
    assert positions(lint(b"----\ntitle: x\n----\n", select=["FM001"])) == [(1, 1, "FM001")]


def test_alias_bomb_is_bounded() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 10):
        prev = f"*a{i - 1}"
        lines.append(f"a{i}: &a{i} [{', '.join([prev] * 10)}]")
    source = ("---\n" + "\n".join(lines) + "\n---\n").encode()
    assert positions(lint(source, select=["FM002"])) == [(1, 1, "FM002")]


def test_self_referencing_alias_is_a_finding() -> None:
    assert positions(lint(b"---\na: &x\n  b: *x\n---\n", select=["FM002"])) == [(1, 1, "FM002")]


def test_deep_nesting_is_a_finding() -> None:
    source = b"---\nx: " + b"[" * 5000 + b"]" * 5000 + b"\n---\n"
    assert [c for _, _, c in positions(lint(source, select=["FM002"]))] == ["FM002"]


def test_invalid_utf8_reports_line_column_and_byte_offset() -> None:
    source = "---\ntitle: Daniël\n---\n<p>caf".encode() + b"\xe9 au lait</p>\n"
    found = lint(source, select=["EN001"])
    assert positions(found) == [(4, 7, "EN001")]
    assert str(source.index(b"\xe9")) in found[0].message


def test_latin1_post_other_rules_still_run() -> None:
    source = "---\ntitle: Daniël\ntitle: x\n---\n".encode("latin-1")
    assert positions(lint(source, select=["EN001", "FM003"])) == [(2, 12, "EN001"), (3, 1, "FM003")]
    assert not parse("p.md", source).fixable


def test_binary_file_is_one_finding() -> None:
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10" + bytes(range(256))
    assert positions(lint(png)) == [(1, 1, "EN001")]


def test_nul_bytes_make_a_binary_file() -> None:
    # Valid UTF-8 by chance, but a NUL says binary (as git decides): one
    # finding, nothing else runs, and nothing may ever be fixed in it.
    source = "---\ntitle: a\x00b\n---\nbody \u200b\n".encode()
    found = lint(source)
    assert positions(found) == [(1, 1, "EN001")]
    assert str(source.index(b"\x00")) in found[0].message
    assert not parse("p.md", source).fixable


def test_huge_single_line_body() -> None:
    source = b"---\ntitle: x\n---\n" + b"a" * (5 * 1024 * 1024)
    assert lint(source, select=["FM00", "EN"]) == []


def test_mixed_line_endings_positions() -> None:
    source = b"---\r\ntitle: x\nlayout: post\r\nx: 1\rx2: 2\n---\n"
    post = parse("p.md", source)
    assert post.lines.position(post.locate(("layout",)).start) == (3, 9)
    # A lone CR is a line break for YAML but not for editors and GitHub: the
    # position is still on the line where the text is.
    assert post.lines.position(post.locate(("x2",)).start)[0] == 4


def test_toml_front_matter_is_read() -> None:
    post = parse("p.md", b'+++\ntitle = "x"\n+++\nbody\n')
    assert post.problems == [] and post.data == {"title": "x"} and post.body == "body\n"


def test_scalar_content_maps_value_to_file_offsets() -> None:
    post = parse("p.md", b"---\na: plain text\nb: \"quoted\"\nc: 'single'\nd: \"esc\\u00e9\"\ne: |\n  block\n---\n")
    for key, value in (("a", "plain text"), ("b", "quoted"), ("c", "single")):
        offset, found = post.scalar_content((key,))
        assert found == value and post.text[offset : offset + len(value)] == value
    assert post.scalar_content(("d",)) is None  # escapes: the file text differs from the value
    assert post.scalar_content(("e",)) is None


# Front matter the two composers (libyaml's and PyYAML's own, the fallback
# where PyYAML has no libyaml) must place identically.
BOTH_COMPOSERS = [
    "---\nlayout: post\ntitle: \"Eén \\u00e9 titel\"\ndate: Mon, 13 May 2019 12:45:33 +0200\n---\nx\n",
    "---\r\ntags: [a, 'b', \"c\"]\r\nauthor: {name: Ann, url: 'https://example.nl/'}\r\n---\r\n",
    "---\ntitle: >-\n  gevouwen\n  tekst\nbody: |\n  regel\n\n  regel\n? [complex, key]\n: v\n---\n",
    "---\na: &x {k: 1, l: [y, n, ~, 0x1F, 1_000, .inf]}\nb: *x\n<<: {m: 2}\nc: !!str 12\nd: '😀 ü\u2028z'\n---\n",
    "---\nlist:\n- one\n-   two\n- - nested\n  - deeper: {x: [1, 2]}\n\t# tab comment\ntitle: x\n---\n",
    "---\ntitle: x\ntitle: y\nempty:\nquoted: 'it''s'\n---\n",
]


@pytest.mark.parametrize("text", BOTH_COMPOSERS)
def test_both_yaml_composers_give_the_same_post(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import yaml

    from postlint.model import post as model

    if not hasattr(yaml, "CSafeLoader"):
        pytest.skip("PyYAML without libyaml: only the pure-Python composer is there")

    def seen() -> tuple[object, ...]:
        post = parse("_posts/2019-05-13-x.md", text.encode("utf-8"))
        fm = post.front_matter
        assert fm is not None
        # A plain scalar's style is None from one composer, "" from the other.
        scalars = {p: (style or None, value) for p, (style, value) in fm.scalars.items()}
        problems = [(p.code, p.start, p.end) for p in post.problems]
        return fm.data, {p: fm.spans(p) for p in fm.nodes}, scalars, problems

    with_libyaml = seen()
    monkeypatch.setattr(model, "_yaml_loader", lambda: yaml.SafeLoader)
    assert seen() == with_libyaml


def test_the_extension_follows_the_path() -> None:
    # (kept with the path it was computed for: a new path is asked again)
    from postlint.model.post import parse

    post = parse("_posts/2019-05-13-a.MD", b"---\ntitle: a\n---\nx\n")
    assert (post.extension, post.is_markdown) == (".md", True)
    post.path = "_posts/2019-05-13-a.html"
    assert (post.extension, post.is_markdown) == (".html", False)
