"""The stack-of-open-elements model of postlint.analysis.body.html
(``_simple_tree``) answers exactly what the instrumented html5lib parse
answers, whenever it answers at all (issue 12.1: 1 MB of ``<div>`` built
200k html5lib elements and tokenized the text twice)."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from postlint.adapters import html5lib as html5lib_adapter
from postlint.analysis.body import html as H

REPO = Path(__file__).resolve().parents[2]
CORPORA = REPO.parent / "shared" / "corpora"

PIECES = [
    "<div>", "</div>", "<p>", "</p>", "<span>", "</span>", "<section>", "</section>", "<dialog>", "</dialog>",
    "<search>", "</search>", "<x-y>", "</x-y>", "<foo>", "</foo>", "<ul>", "</ul>", "<main>", "</main>",
    "text ", "\n", "<!-- c -->", "<div class=a>", "</span >", "<center>", "</center>", "<summary>", "</summary>",
    "<abbr>", "</abbr>", "<num_hosts>", "&amp;", "<", ">", "</>", "\r\n", "<text </main>", "<a b=\"</p>\">",
    # Outside the model: html5lib decides.
    "<b>", "</b>", "<br>", "<h2>", "</h2>", "<table>", "<li>", "<div/>", "<!DOCTYPE html>", "<svg>",
]


def _both(text: str) -> tuple[bool, Any]:
    """(whether the model answered, the answer); asserts both paths agree."""
    answered: list[bool] = []
    model = H._simple_tree

    def spy(*args: Any) -> Any:
        found = model(*args)
        answered.append(found is not None)
        return found

    saved = H._SIMPLE_TREE
    try:
        H._SIMPLE_TREE = False
        slow = H._run(text)
        H._SIMPLE_TREE = True
        H._simple_tree = spy  # type: ignore[assignment]
        fast = H._run(text)
    finally:
        H._simple_tree = model  # type: ignore[assignment]
        H._SIMPLE_TREE = saved
    assert fast == slow, text
    return any(answered), slow


QUOTED = [
    "<div>" * 3000 + "\n",
    "<p>x</p>\n" + "</div>" * 3000 + "\n",
    "<div><p>a<span>b</div>c</span></p>",
    "<p><section>x</p></section>",
    "<span><div></span></div>",
    "<dialog><p>x</dialog></p>",
    "<div>\r\n<p>a\r\n</div>\r\n</p>\r\n",
    "a <num_hosts> b </div>",
    "<span>" + "<div>" * 50 + "</span>" * 50 + "</div><p></span>",
    "<span><i-x>" + "<div>" * 20 + "</span>" * 5 + "</i-x>" + "</span>" * 5 + "</div>",
]


@pytest.mark.parametrize("text", QUOTED)
def test_quoted_cases_same_as_html5lib(text: str) -> None:
    answered, _ = _both(text)
    assert answered


def test_outside_the_model_html5lib_decides() -> None:
    for text in ("<div><b>x</div>", "<div><br></div>", "<!DOCTYPE html><div>", "<div/>", "<p>a <text </main>\n>"):
        answered, _ = _both(text)
        assert not answered, text


def test_seeded_random_bodies_same_as_html5lib() -> None:
    rnd = random.Random(20261202)
    answered = 0
    for _ in range(1500):
        share = rnd.random()
        pool = PIECES if rnd.random() < share else PIECES[:22]
        text = "".join(rnd.choice(pool) for _ in range(rnd.randint(1, 40)))
        answered += _both(text)[0]
    assert answered > 500        # the model did answer for most of them


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=30))
def test_generated_bodies_same_as_html5lib(pieces: list[str]) -> None:
    _both("".join(pieces))


def test_corpus_html_same_as_html5lib() -> None:
    from postlint.model.post import parse

    files = sorted(p for p in CORPORA.rglob("*") if p.is_file() and p.suffix in (".html", ".md", ".markdown"))
    assert files, "shared/corpora is missing"
    checked = 0
    for path in files[::7]:
        post = parse(str(path), path.read_bytes())
        if post.decode_error is not None or post.binary or "<" not in post.body:
            continue
        prepared = H._prepare(post.body, None)
        if prepared is not None:
            _both(prepared)
            checked += 1
    assert checked > 100


def test_nested_divs_build_no_html5lib_tree(monkeypatch: pytest.MonkeyPatch) -> None:
    # 200k nested <div> were 200k html5lib elements and a second
    # tokenization; the model is one pass over the tags, each pushed and
    # popped once.  html5lib is never asked.
    def no_parser(text: str) -> Any:
        raise AssertionError("html5lib was asked")

    monkeypatch.setattr(html5lib_adapter, "parse_fragment", no_parser)
    n = 20_000
    info = H._run("<div>" * n + "\n")
    assert len(info.unclosed) == n
    assert (info.unclosed[0].start, info.unclosed[-1].end) == (0, 5 * n)
    info = H._run("<p>x</p>\n" + "</div>" * n + "\n")
    assert len(info.stray_end_tags) == n
    assert info.stray_end_tags[-1][:2] == (9 + 6 * (n - 1), 9 + 6 * n)


def test_plain_tags_are_read_in_one_step(monkeypatch: pytest.MonkeyPatch) -> None:
    # 175k "</div>" took three tokenizer states and a dozen calls each; a tag
    # without attributes whose name needs no change is one match, with the
    # same tokens, tags and errors.
    import re

    from postlint.analysis.body import whatwg

    text = "<div>" * 500 + "</div >" + "</div>" * 500 + "<DIV><a href=x></a><x-y/><p\x00>é</p></ b>"
    calls = 0
    tag_name = whatwg.Tokenizer.tag_name

    def counting(self: Any) -> bool:
        nonlocal calls
        calls += 1
        return tag_name(self)

    def run() -> Any:
        t = whatwg.Tokenizer(text, tokens=True).run()
        return t.tokens, t.tags, t.errors

    monkeypatch.setattr(whatwg.Tokenizer, "tag_name", counting)
    fast = run()
    assert len(fast[1]) == 1007 and calls < 20
    monkeypatch.setattr(whatwg, "_PLAIN_TAG", re.compile("(?!)"))
    calls = 0
    assert run() == fast
    assert calls > 1000


def test_ignored_end_tags_share_what_they_would_close() -> None:
    # '<span>' + '<div>' * n + '</span>' * n: every </span> is ignored (a div
    # is in the way) and its error lists the n divs it would close; one set
    # each was n * n entries (1 MB: 2 GB and a minute).  Counted: the
    # entries of the distinct sets stay n, and the answer is html5lib's.
    from postlint.analysis.body.whatwg import Tokenizer

    for n in (500, 1000):
        text = "<span>" + "<div>" * n + "</span>" * n
        found = H._simple_tree(Tokenizer(text).run().tags, set(), len(text))
        assert found is not None
        sets = {id(d["_closes"]): d["_closes"] for *_, d in found[0].errors if d.get("_closes")}
        assert len(found[0].errors) >= n and sum(len(c) for c in sets.values()) == n
    answered, info = _both("<span>" + "<div>" * 300 + "</span>" * 300)
    assert answered and len(info.unclosed) == 301
