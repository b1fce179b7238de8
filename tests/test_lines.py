"""LineIndex answers its first lookups without its table of line starts:
the same answers as with the table, in any order of calls."""

from __future__ import annotations

from bisect import bisect_right

from hypothesis import given, settings
from hypothesis import strategies as st

from postlint.model.lines import _CHEAP_REACH, LineIndex


def _starts(text: str) -> list[int]:
    return [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]


def _position(text: str, offset: int) -> tuple[int, int]:
    offset = max(0, min(offset, len(text)))
    starts = _starts(text)
    line = bisect_right(starts, offset) - 1
    return line + 1, offset - starts[line] + 1


TEXTS = st.lists(st.sampled_from(["a", "é", "\n", "\r\n", "\r", " ", "xyz", "\n\n", "😀"]), max_size=60).map("".join)


@settings(max_examples=400, deadline=None)
@given(TEXTS, st.lists(st.tuples(st.sampled_from(["position", "excerpt", "line_text", "line_end", "offset"]),
                                 st.integers(-3, 80), st.integers(-3, 80)), max_size=40))
def test_lazy_lookups_answer_as_the_table(text: str, calls: list[tuple[str, int, int]]) -> None:
    lazy, eager = LineIndex(text), LineIndex(text)
    assert eager.starts == _starts(text)         # (built at once)
    for name, a, b in calls:
        if name == "position":
            assert lazy.position(a) == eager.position(a) == _position(text, a)
            continue
        line = max(1, min(abs(a) or 1, len(_starts(text))))
        if name == "excerpt":
            line, column = lazy.position(a)    # as findings ask: the line of a position, then its excerpt
            end = column + abs(b)
            found, expected = lazy.excerpt(line, column, line, end), eager.excerpt(line, column, line, end)
            assert (found, found.start, found.line_length) == (expected, expected.start, expected.line_length)
        elif name == "line_text":
            assert lazy.line_text(line) == eager.line_text(line)
        elif name == "line_end":
            assert lazy.line_end(line) == eager.line_end(line)
        else:
            assert lazy.offset(line, abs(b)) == eager.offset(line, abs(b))


def test_the_table_is_built_only_past_the_cheap_lookups() -> None:
    text = "---\ntitle: a\n---\n" + "line\n" * 10_000
    index = LineIndex(text)
    assert index.position(4) == (2, 1) and str(index.excerpt(2, 1, 2, 6)) == "title: a"
    assert index._starts is None
    assert index.position(_CHEAP_REACH + 1) == _position(text, _CHEAP_REACH + 1)
    assert index._starts is not None            # a far offset builds it
    many = LineIndex(text)
    for _ in range(100):                         # so do many lookups: each stays cheap
        assert many.position(9) == (2, 6)
    assert many._starts is not None


@settings(max_examples=300, deadline=None)
@given(TEXTS, st.lists(st.tuples(st.integers(-3, 80), st.integers(-3, 80)), min_size=1, max_size=20))
def test_located_data_is_located_as_facts_carry_it(text: str, spans: list[tuple[int, int]]) -> None:
    """Post.located_data gives what a site rule's facts made of
    Post.located: its excerpt as excerpt_data (once JSON has read both)."""
    import json

    from postlint.model.diagnostic import excerpt_data
    from postlint.model.post import parse

    one = parse("_posts/2019-05-13-a.md", ("---\nt: x\n---\n" + text * 3).encode("utf-8"))
    two = parse("_posts/2019-05-13-a.md", ("---\nt: x\n---\n" + text * 3).encode("utf-8"))
    for start, end in spans:
        *place, excerpt = one.located(start, end)
        assert json.loads(json.dumps(two.located_data(start, end))) == json.loads(
            json.dumps([*place, excerpt_data(excerpt)]))
