"""Whatever the bytes, no exception escapes and every position lies in the file."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from postlint.model.post import parse
from tests.conftest import lint

YAMLISH = st.lists(
    st.sampled_from(
        ["---", "...", "title: x", "a: [1, 2", "- item", "  nested: y", "x: &a 1", "y: *a", "date: 2019-05-13",
         "? complex", "key: 'quoted", 'k: "esc\\x"', "\t", "<p>", "</div>", "# comment", "ÃƒÂ©", "\r", "😀", "",
         "+++", "<!-- postlint-disable -->", "<!-- postlint-enable FM -->", "x: 1 # postlint: disable=FM003"]
    ),
    max_size=30,
)


def _check_positions(source: bytes) -> None:
    post = parse("_posts/2019-05-13-x.md", source)
    lines = post.text.split("\n")
    for d in lint(source):
        assert d.code != "PL000", d.message
        assert 1 <= d.line <= len(lines), d
        assert 1 <= d.column <= len(lines[d.line - 1]) + 1, d
        assert (d.end_line, d.end_column) >= (d.line, d.column), d
        assert d.end_line <= len(lines) and d.end_column <= len(lines[d.end_line - 1]) + 1, d


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2000))
def test_arbitrary_bytes(source: bytes) -> None:
    _check_positions(source)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(YAMLISH, st.sampled_from(["\n", "\r\n", "\r"]), st.booleans())
def test_yamlish_text(parts: list[str], newline: str, bom: bool) -> None:
    text = ("\ufeff" if bom else "") + newline.join(parts)
    _check_positions(text.encode("utf-8"))


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=500))
def test_arbitrary_text_after_front_matter(body: str) -> None:
    _check_positions(("---\ntitle: x\n---\n" + body).encode("utf-8", "surrogatepass"))
