"""postlint.model.patterns: lazy, the compiled pattern, compiled on first use;
contains, a substring test."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from postlint.model import patterns


def test_a_lazy_pattern_answers_as_the_compiled_one() -> None:
    source, flags = r"(?P<word>[a-z]+)(\d)?", re.IGNORECASE
    ours, theirs = patterns.lazy(source, flags), re.compile(source, flags)
    for text in ("", "Abc1 de", "123", "x9y8"):
        assert bool(ours.search(text)) == bool(theirs.search(text))
        assert [m.span() for m in ours.finditer(text)] == [m.span() for m in theirs.finditer(text)]
        assert ours.sub("-", text) == theirs.sub("-", text)
        assert ours.findall(text) == theirs.findall(text)
        assert (ours.match(text) is None) == (theirs.match(text) is None)
    assert (ours.pattern, ours.flags, ours.groupindex, ours.groups) == (
        theirs.pattern, theirs.flags, theirs.groupindex, theirs.groups)


def test_nothing_is_compiled_before_first_use(monkeypatch: pytest.MonkeyPatch) -> None:
    compiled: list[str] = []
    real = re.compile

    def spy(source: str, flags: int = 0) -> re.Pattern[str]:
        compiled.append(source)
        return real(source, flags)

    monkeypatch.setattr(patterns.re, "compile", spy)
    pattern = patterns.lazy(r"never(?:used)?")
    assert compiled == []
    assert pattern.search("it was never used") is not None
    assert compiled == [r"never(?:used)?"]
    pattern.search("again")            # kept: not compiled again
    assert compiled == [r"never(?:used)?"]


def test_a_bad_pattern_fails_where_it_is_used() -> None:
    pattern = patterns.lazy(r"(unclosed")
    with pytest.raises(re.error):
        pattern.search("x")


@given(st.text(alphabet="ab](€{%\n", max_size=40), st.text(alphabet="ab](€{%", max_size=4))
def test_contains_is_in(text: str, needle: str) -> None:
    assert patterns.contains(text, needle) == (needle in text)
