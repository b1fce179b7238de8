"""postlint.rules.encoding.chars answers what a search of the class would."""

from __future__ import annotations

import random
import re

import pytest

from postlint.rules.encoding import chars, detect

CLASSES = [
    re.compile("[\u00c0-\u00c5\u00e9\u2019]"),
    re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\ufeff\ufffd]"),
    re.compile("[^a-z]"),
]


def _texts() -> list[str]:
    rng = random.Random(14)
    alphabets = ["abc \n", "abc\u00e9\u00eb\u00ef", "a\u00c3\u00a9\x85\x00", "a\u3042\u00e9", "a\U0001f600\u00c0",
                 "\ud800a\u00e9", "\u2019\u00e9 x"]
    out = ["", "a", "\u00e9", "\u0100", "\U0001f600"]
    for alphabet in alphabets:
        for n in (1, 3, 255, 256, 257, 3000):
            out.append("".join(rng.choice(alphabet) for _ in range(n)))
            # one character of another kind at the end: the text is as wide as it
            out.append("x" * n + rng.choice("\u00e9\u3042\U0001f600\x00"))
    return out


@pytest.mark.parametrize("pattern", CLASSES + [detect._STRAY])
def test_found_in_is_the_search(pattern: re.Pattern[str]) -> None:
    found = chars.CharClass(pattern.pattern, map(chr, chars.latin1(pattern)))
    for text in _texts():
        assert found.found_in(text) == (pattern.search(text) is not None), ascii(text[:20])


def test_the_leading_class_is_found_as_searched() -> None:
    leading = detect._leading()
    for text in _texts():
        assert leading.found_in(text) == (leading.compiled().search(text) is not None), ascii(text[:20])


def test_holds_answers_for_one_byte_texts_only() -> None:
    wanted = chars.latin1(re.compile("[\u00e9\x00\u3042]"))
    assert wanted == b"\x00\xe9"
    assert chars.holds("caf\u00e9", wanted) is True
    assert chars.holds("cafe " * 100, wanted) is False
    assert chars.holds("\u00eb" * 100, wanted) is False
    assert chars.holds("caf\u00e9 \u3042", wanted) is None
    assert chars.holds("x" * 1000 + "\U0001f600", wanted) is None
    assert chars.holds("\ud800", wanted) is None


def test_stray_characters_unchanged_by_the_screen() -> None:
    # Texts with and without strays, one byte a character or wider.
    for text in _texts():
        found = detect.find_stray_characters(text)
        expected = [m.span() for m in detect._STRAY.finditer(text)]
        assert [(s.start, s.end) for s in found if (s.start, s.end) in expected] == [
            (s.start, s.end) for s in found]
        if not expected:
            assert found == []
