"""The WHATWG tokenizer conformance tests (html5lib-tests/tokenizer), run on
postlint.analysis.body.whatwg: every case, every initial state, tokens and errors
(code, line, column) compared.

Every error code of these tests is one HT001 reports (the tokenizer errors of
the standard) or one EN003 reports (``*-in-input-stream``: characters, not
markup); both come from this tokenizer, so no case is excluded.  Not run:
xmlViolation.test, whose cases ("xmlViolationTests", not "tests") describe
coercing the token stream to XML, which no HTML parser (and no browser) does.  The errors
of a case are compared as a multiset: the standard orders them by when the
tokenizer meets them, and input-stream errors are found in a separate pass.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from postlint.analysis.body.whatwg import CDATA, DATA, PLAINTEXT, RAWTEXT, RCDATA, SCRIPT, preprocess, tokenize
from tests.conftest import REPO

TOKENIZER = REPO.parent / "shared" / "conformance" / "html5lib-tests" / "tokenizer"

# Cases left out, with the reason.  Empty: all cases pass.
EXCLUDED: dict[tuple[str, str], str] = {}


def _unescape(text: str) -> str:
    # "doubleEscaped": \\uHHHH sequences, surrogates included, are code points.
    return re.sub(r"\\u([0-9A-Fa-f]{4})", lambda m: chr(int(m.group(1), 16)), text)


def _cases() -> list[Any]:
    if not TOKENIZER.is_dir():
        pytest.fail(f"conformance tests not found at {TOKENIZER}")
    out = []
    for path in sorted(TOKENIZER.glob("*.test")):
        data = json.loads(path.read_text(encoding="utf-8"))
        for test in data.get("tests", []):
            for state in test.get("initialStates", ["Data state"]):
                key = (path.name, test["description"])
                if key in EXCLUDED:
                    continue
                out.append((path.name, test, state))
    return out


def _line_col(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    start = text.rfind("\n", 0, offset) + 1
    # The tests count columns in UTF-16 code units (they come from a
    # JavaScript harness): a code point beyond U+FFFF is two.
    astral = sum(1 for ch in text[start:offset] if ord(ch) > 0xFFFF)
    return line, offset - start + 1 + astral


def _normalise(tokens: list[Any]) -> list[Any]:
    out: list[Any] = []
    for token in tokens:
        if token[0] == "Character" and out and out[-1][0] == "Character":
            out[-1] = ["Character", out[-1][1] + token[1]]
        else:
            out.append(list(token))
    return out


CASES = _cases()


def test_the_conformance_tests_are_there() -> None:
    assert len(CASES) > 6000


@pytest.mark.parametrize("name,test,state", CASES,
                         ids=[f"{n}:{i}" for i, (n, _, _) in enumerate(CASES)])
def test_tokenizer_conformance(name: str, test: dict[str, Any], state: str) -> None:
    text = test["input"]
    expected = test["output"]
    if test.get("doubleEscaped"):
        text = _unescape(text)
        expected = [
            [_unescape(x) if isinstance(x, str) else
             ({_unescape(k): _unescape(v) for k, v in x.items()} if isinstance(x, dict) else x)
             for x in token] for token in expected]
    text = preprocess(text)
    result = tokenize(text, state=state, last_start_tag=test.get("lastStartTag"),
                      tokens=True, tree_states=False)
    assert _normalise(result.tokens) == _normalise(expected)
    got = Counter((e.code, *_line_col(text, e.offset)) for e in result.errors)
    want = Counter((e["code"], e["line"], e["col"]) for e in test.get("errors", []))
    assert got == want


@settings(max_examples=300, deadline=None)
@given(st.text(st.sampled_from(list("<>/!-?[]CDATAsciptx =\"'&;#\n\x00")) | st.characters(), max_size=80),
       st.sampled_from([DATA, RCDATA, RAWTEXT, SCRIPT, PLAINTEXT, CDATA]))
def test_any_input_any_state(text: str, state: str) -> None:
    # Never a traceback; every error inside the text (or at its end).
    text = preprocess(text)
    result = tokenize(text, state=state, last_start_tag="script", tokens=True)
    for e in result.errors:
        assert 0 <= e.offset <= len(text) and e.origin <= len(text)
    for tag in result.tags:
        assert 0 <= tag.start < tag.end <= len(text) and text[tag.start] == "<"
