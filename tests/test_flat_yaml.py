"""Flat front matter (one key a line) is read without PyYAML's parser
(postlint.model.flat_yaml, issue 14): the data, every key's and value's span,
the scalars, the problems and what a fix may edit are what PyYAML's nodes
give, on generated front matter and on every corpus post."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest

from postlint.model import flat_yaml
from postlint.model.post import MARKDOWN_EXTENSIONS, Post, parse

SHARED = Path(__file__).resolve().parents[1].parent / "shared"

KEYS = ["layout", "title", "author", "date", "lang", "tags", "a", "_x", "x-y", "A9", "yes", "no", "on", "true",
        "null", "Null", "y", "n", "nan", "inf", "é", "1a", "-k", "key ", "ke y", "k.k", "<<", "="]
VALUES = [
    "", " post", " news_post", ' "Ruby 2.6.3 Released"', " 'nagachika'", " 2019-04-17 00:00:00 +0000",
    " 2019-04-17", " 2019-04-17 10:00:00", " Mon, 13 May 2019 10:00:00 +0200", " en", " 12", " 0x1F", " 0o17",
    " 017", " 1_000", " 1.5", " 1e3", " .inf", " -.inf", " .NaN", " 190:20:30", " yes", " No", " on", " OFF",
    " true", " ~", " null", " NULL", " =", " <<", " Daniël opent café", " 日本語", " a: b", " a:b", " a #c",
    " a#c", " a:", " trailing ", "  two spaces", '\t"tab"', ' "tab\tinside"', " plain\ttab", ' "esc\\"aped"',
    ' "back\\\\slash"', " 'it''s'", ' "quote" after', " 'x' y", " [a, b]", " {a: 1}", " - item", " ? q", " !tag x",
    " &anchor x", " *alias", " |", " >", " %x", " @x", " `x", " ,x", " x,y", " a]b", " x{y}", " -1", " -x",
    ' "a # b"', " 'a: b'", " \x85nel", " nel\x85", " ls\u2028", " c1\x9f", " bom\ufeff", " del\x7f",
    " \u00a0nbsp", " x\x00", " 😀", " mixed 'quotes\" here",
]


def _post(front: str, flat: bool, monkeypatch: pytest.MonkeyPatch) -> Post:
    with monkeypatch.context() as m:
        if not flat:
            m.setattr(flat_yaml, "load", lambda *_: None)
        return parse("_posts/2019-05-13-a.md", f"---\n{front}---\nBody.\n".encode("utf-8", "surrogatepass"))


def _view(post: Post) -> Any:
    fm = post.front_matter
    if fm is None:                          # (a NUL: a binary file)
        return post.binary, [(p.code, p.start, p.end) for p in post.problems]
    paths = sorted(fm.nodes, key=repr)
    return (
        repr(fm.data),
        [(path, fm.spans(path), post.locate(path), post.locate_key(path), post.scalar_content(path))
         for path in paths],
        sorted(fm.scalars.items(), key=repr),
        [(p.code, p.start, p.end) for p in post.problems],
        list(post.iter_scalars()),
    )


def _same(front: str, monkeypatch: pytest.MonkeyPatch) -> bool:
    """Whether the flat reader took `front`; asserts that it read it as PyYAML does."""
    content = front
    taken = flat_yaml.load(content, 4, lambda tag, text: text) is not None
    flat, slow = _post(front, True, monkeypatch), _post(front, False, monkeypatch)
    assert _view(flat) == _view(slow), front
    return taken


def test_generated_front_matter_reads_as_pyyaml_reads_it(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(14)
    taken = 0
    for _ in range(3000):
        # Mostly what the flat reader takes (the first keys and values), now
        # and then anything.
        lines = [rng.choice(KEYS[:10] if rng.random() < 0.9 else KEYS) + ":"
                 + rng.choice(VALUES[:33] if rng.random() < 0.9 else VALUES) for _ in range(rng.randint(0, 7))]
        if rng.random() < 0.1:
            lines.insert(rng.randint(0, len(lines)), rng.choice(["", "# comment", "  indented: x", "- item"]))
        front = "".join(line + "\n" for line in lines)
        if rng.random() < 0.05:
            front = front.replace("\n", "\r\n")
        taken += _same(front, monkeypatch)
    assert 600 < taken < 2800  # both readers were compared often


@pytest.mark.parametrize("front", [
    "", "layout: post\n", "title:\n", "title: \"\"\n", "title: ''\n", "n: 12\nf: 1.5\nb: yes\nz: ~\n",
    "date: 2019-04-17\n", "a: 1\na: 2\n", "a: x\nb: y\n",
    "k" * 1000 + ": x\n",                  # the longest key it takes
    "k" * 1025 + ": x\n",                  # past libyaml's simple-key limit: a syntax error
    "".join(f"k{i}: v\n" for i in range(10_000)),
])
def test_front_matter_the_flat_reader_takes(front: str, monkeypatch: pytest.MonkeyPatch) -> None:
    taken = _same(front, monkeypatch)
    # A key twice is PyYAML's (FM003 says where), and so are a key longer
    # than 1,000 characters and 10,000 lines.
    assert taken == (front not in ("", "a: 1\na: 2\n") and len(front) < 1025 + 4)


def test_every_corpus_post_reads_as_pyyaml_reads_it(monkeypatch: pytest.MonkeyPatch) -> None:
    files = sorted(p for p in (SHARED / "corpora").rglob("*")
                   if p.suffix.lower() in MARKDOWN_EXTENSIONS and p.is_file() and ".git" not in p.parts)
    assert len(files) > 5000, "shared/corpora is missing"
    taken = 0
    for path in files:
        source = path.read_bytes()
        flat = parse(str(path), source)
        if flat.front_matter is None or flat.front_matter.format != "yaml":
            continue
        fm = flat.front_matter
        taken += flat_yaml.load(flat.text[fm.content_start:fm.content_end], 0, lambda t, v: v) is not None
        with monkeypatch.context() as m:
            m.setattr(flat_yaml, "load", lambda *_: None)
            slow = parse(str(path), source)
        assert _view(flat) == _view(slow), path
    assert taken > 4500


def test_the_ascii_class_is_the_full_class_on_ascii() -> None:
    # An ASCII front matter is searched with the class's ASCII characters
    # (a class beyond Latin-1 compiles ten times slower): the same answer.
    from postlint.model import flat_yaml

    for code in range(128):
        char = chr(code)
        assert (flat_yaml._NOT_FLAT.match(char) is None) == (flat_yaml._NOT_FLAT_ASCII.match(char) is None), code
    assert flat_yaml.load("title: a\x7fb\n", 0, lambda tag, text: text) is None
