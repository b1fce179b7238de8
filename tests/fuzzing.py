"""The whole pipeline under fuzzing: shared by tests/test_fuzz_pipeline.py (a
small, fixed example budget) and benchmarks/fuzz.py (as many as you like).

One example is a small Jekyll site written to a temporary folder: posts that
are mutated real-shaped posts (this module's own fixtures, examples/_posts and,
when ../shared/corpora is present, corpus posts read at run time as seeds) or
generated hostile structures (deep nesting, alias bombs, huge integers, long
lines, many findings, control characters, links). `check_site` then runs what
a user runs: discovery, every post and site rule, every reporter, `--fix`
twice, and asserts

* no exception escapes and no finding is PL000 (a rule crashed);
* every position lies inside the file;
* every report renders as valid UTF-8 and parses: JSON and SARIF are JSON,
  GitHub output's workflow commands are well formed;
* `--fix` is idempotent: a second run changes no byte and fixes nothing;
  no temporary file is left.
"""

from __future__ import annotations

import json
import os
import random
import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

REPO = Path(__file__).resolve().parents[1]
CORPORA = REPO.parent / "shared" / "corpora"

# Own fixtures: the shapes posts come in (feed imports, Jekyll's docs, i18n sites).
FIXTURES = [
    (
        '---\nlayout: post\ntitle: "DaniÃ«l opent cafÃ©"\ndate: Mon, 13 May 2019 12:45:33 GMT\n'
        "categories: [nieuws]\nexterne_link: https://nos.example/l/2284411\n---\n"
        "<p>Journalist DaniÃ«l Verlaan ging undercover.</p>\n<div><p>Een <b>tabel<i></b></i></p>\n"
    ),
    (
        '---\nlayout: news_post\ntitle: "Ruby 3.3.0 Released"\nauthor: "naruse"\n'
        "date: 2023-12-25 00:00:00 +0000\nlang: en\n---\n\n# Ruby 3.3.0\n\n## Heading\n\n#### Skipped\n\n"
        "[link](https://www.ruby.example/) ![img](/images/x.png)\n\n```ruby\nputs 1\n```\n"
        "{% highlight ruby %}\nx\n{% endhighlight %}\n"
    ),
    '+++\ntitle = "TOML post"\ndate = 2019-05-13T12:00:00Z\ntags = ["a", "b"]\n[author]\nname = "x"\n+++\nBody\n',
    "---\ntitle: x\ntitle: y\nsummary: >\n  folded\n  text\ntags:\n  - &t one\n  - *t\n---\n<table><tr><td>x</table>\n",
    "\ufeff---\r\nlayout: post\r\ntitle: 'CRLF'\r\ndate: Tue, 13 May 2019 12:45:33 +0200\r\n---\r\n<p>é</p>\r\n",
    "no front matter at all\n",
]

TOKENS = [
    "---\n",
    "...\n",
    "+++\n",
    "\n",
    "\r\n",
    "\r",
    "\t",
    " ",
    ":",
    "- ",
    "? ",
    "&a ",
    "*a",
    "!!python/object ",
    "!ruby/sym ",
    "{",
    "}",
    "[",
    "]",
    '"',
    "'",
    "|",
    ">",
    "#",
    "%YAML 1.1\n",
    "<",
    "</div>",
    "<p>",
    "<table>",
    "<!--",
    "-->",
    "<script>",
    "&amp;",
    "&#0;",
    "&#x110000;",
    "{{ page.title }}",
    "{% raw %}",
    "{% endraw %}",
    "# H1\n",
    "###### ",
    "[x](",
    "https://",
    "http://127.0.0.1:1/",
    "mailto:a@b",
    "](#frag)",
    "0x" + "f" * 4000,
    "9" * 5000,
    "1e999",
    "Ã«",
    "Ã©",
    "â€™",
    "Ã",
    "\u00a0",
    "\u200b",
    "\u2028",
    "\u2029",
    "\x85",
    "\x1b[31m",
    "\x00",
    "\x07",
    "\ufeff",
    "😀",
    "\U0010ffff",
    "é",
    "date: ",
    "2019-02-30",
    "Mon, 13 May 2019 12:45:33 GMT",
    "title: ",
    "layout: ",
    "<!-- postlint-disable -->",
    "<!-- postlint-enable FM -->",
    " # postlint: disable=FM003",
    "noqa",
]


@lru_cache(maxsize=1)
def seeds() -> tuple[bytes, ...]:
    """Own fixtures, the examples' posts, and (read at run time, never copied
    into the repository) a deterministic sample of the shared corpora."""
    found = [text.encode("utf-8") for text in FIXTURES]
    found += [p.read_bytes() for p in sorted((REPO / "examples" / "_posts").glob("*")) if p.is_file()]
    if CORPORA.is_dir():
        corpus = sorted(p for p in CORPORA.rglob("*") if p.suffix in (".md", ".markdown", ".html") and p.is_file())
        rng = random.Random(12)
        for path in rng.sample(corpus, min(60, len(corpus))):
            try:
                data = path.read_bytes()
            except OSError:
                continue
            found.append(data[:20_000])
    return tuple(found)


# -- strategies --------------------------------------------------------------------------

_MUTATION = st.tuples(
    st.sampled_from(["insert", "delete", "duplicate", "flip", "truncate", "crlf", "bom", "repeat"]),
    st.floats(0, 1), st.floats(0, 1), st.integers(0, len(TOKENS) - 1), st.binary(max_size=8),
)


def mutate(seed: bytes, mutations: Iterable[tuple[str, float, float, int, bytes]]) -> bytes:
    data = bytearray(seed)
    for op, a, b, token, raw in mutations:
        n = len(data)
        i, j = sorted((int(a * n), int(b * n)))
        if op == "insert":
            data[i:i] = TOKENS[token].encode("utf-8", "surrogatepass") if raw == b"" else raw
        elif op == "delete":
            del data[i:min(j, i + 200)]
        elif op == "duplicate":
            data[j:j] = data[i:min(j, i + 200)]
        elif op == "flip" and n:
            data[min(i, n - 1)] ^= 1 << (token % 8)
        elif op == "truncate":
            del data[j:]
        elif op == "crlf":
            data = bytearray(bytes(data).replace(b"\n", b"\r\n"))
        elif op == "bom":
            data[0:0] = b"\xef\xbb\xbf"
        elif op == "repeat":
            chunk = TOKENS[token].encode("utf-8", "surrogatepass")
            data[i:i] = chunk * (1 + int(b * 300))
        if len(data) > 200_000:
            del data[200_000:]
    return bytes(data)


@st.composite
def mutated_posts(draw: Any) -> bytes:
    all_seeds = seeds()
    seed = all_seeds[draw(st.integers(0, len(all_seeds) - 1))]
    return mutate(seed, draw(st.lists(_MUTATION, max_size=12)))


def _nested(kind: str, depth: int) -> str:
    if kind == "flow":
        return "[" * depth + "]" * depth
    if kind == "map":
        return "".join(f"\n{'  ' * (i + 1)}k{i}:" for i in range(depth)) + " 1"
    if kind == "toml":
        return "[" * depth + "]" * depth
    return "{a: " * depth + "1" + "}" * depth


@st.composite
def hostile_posts(draw: Any, max_count: int = 300) -> bytes:
    """Generated structures that have hurt parsers and rules; `max_count`
    bounds repetitions (findings, line length, nesting of HTML), so that the
    test suite's budget stays small: benchmarks/fuzz.py raises it."""
    kind = draw(st.sampled_from([
        "deep-yaml", "deep-map", "deep-toml", "alias-bomb", "huge-int", "long-line", "many-findings",
        "nested-html", "control", "big-front-matter", "dates", "links", "suppressions",
    ]))
    depth = draw(st.integers(1, 400))
    count = draw(st.integers(1, max_count))
    token = draw(st.sampled_from(TOKENS))
    if kind == "deep-yaml":
        text = f"---\ntitle: {_nested('flow', depth)}\n---\nx\n"
    elif kind == "deep-map":
        text = f"---\ntitle: t\nx:{_nested('map', min(depth, 150))}\n---\nx\n"
    elif kind == "deep-toml":
        text = f"+++\ntitle = {_nested('toml', depth)}\n+++\nx\n"
    elif kind == "alias-bomb":
        lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
        lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, min(depth, 12))]
        text = "---\n" + "\n".join(lines) + "\n---\nx\n"
    elif kind == "huge-int":
        digits = draw(
            st.sampled_from(["0x" + "f" * (count * 2), "-0b" + "1" * (count * 8), "0" + "7" * count, "9" * count])
        )
        fence = draw(st.sampled_from(["---", "+++"]))
        sep = ": " if fence == "---" else " = "
        text = f"{fence}\ntitle{sep}{digits}\nn{sep}[{digits}]\n{fence}\nx\n"
    elif kind == "long-line":
        text = "---\nlayout: post\ntitle: x\n---\n" + (token.replace("\n", " ") or "x") * count + "\n"
    elif kind == "many-findings":
        text = "---\nlayout: post\ntitle: x\n---\n" + "</div>" * count + "\n" + "# h\n" * min(count, 500)
    elif kind == "nested-html":
        text = "---\nlayout: post\ntitle: x\n---\n" + "<table><tr><td>" * min(count, 2000) + "x\n"
    elif kind == "control":
        chars = "".join(chr(c) for c in list(range(32)) + [127, 0x85, 0x2028, 0x2029, 0x9B]) * 3
        text = f"---\nlayout: post\ntitle: \"{chars.encode('unicode_escape').decode()}\"\n---\n{chars}\n"
    elif kind == "big-front-matter":
        text = "---\n" + "".join(f"k{i}: {token!r}\n" for i in range(count)) + "---\nx\n"
    elif kind == "dates":
        text = "---\ntitle: x\ndate: " + draw(st.sampled_from([
            "Mon, 31 Feb 2019 25:61:61 +9999", "2019-13-45", "99999-01-01", "Tue, 13 May 2019 12:45:33 GMT",
            "0000-00-00 00:00:00", "2019-05-13T12:00:00" + "0" * count, "\"\"", "[2019, 5]",
        ])) + "\n---\nx\n"
    elif kind == "links":
        text = "---\nlayout: post\ntitle: x\nexterne_link: " + draw(st.sampled_from([
            "http://[::1", "https://" + "a." * count + "example", "javascript:alert(1)", "http://ⓛⓞⓒⓐⓛⓗⓞⓢⓣ/",
            "https://x.example/" + "%" * 10, "//evil.example",
        ])) + "\n---\n" + "[a](http://x.example/#f) " * min(count, 300) + "\n"
    else:
        text = ("---\ntitle: x\n---\n" + "<!-- postlint-disable " + token + " -->\n<p>" + token + "</p>\n"
                + "<!-- postlint-enable -->\n") * min(count, 50)
    return text.encode("utf-8", "surrogatepass")


# -- the check ---------------------------------------------------------------------------

_NAMES = [
    "_posts/2019-05-13-a.md", "_posts/2019-05-14-b.markdown", "_posts/sub/2019-05-15-c d.html",
    "_drafts/d.md", "_posts/2019-05-16-é.md", "_posts/2019-05-17-e.md",
]
_COMMAND = re.compile(r"::(error|warning|notice) [^:]*::[^\r\n]*\Z")


def write_site(root: Path, posts: list[bytes]) -> list[Path]:
    (root / "_config.yml").write_text("title: Fuzz\ntimezone: Europe/Amsterdam\n", encoding="utf-8")
    paths = []
    for name, data in zip(_NAMES, posts):
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        paths.append(path)
    return paths


def _positions_inside(diagnostics: list[Any], texts: dict[str, str]) -> None:
    for d in diagnostics:
        text = texts.get(d.path)
        if text is None:
            continue
        lines = text.split("\n")
        assert 1 <= d.line <= max(1, len(lines)), d
        assert (d.end_line, d.end_column) >= (d.line, d.column), d


def _reports(result: Any, registry: Any) -> None:
    from postlint.reporters import FORMATS, Report, renderer

    for fix_mode in (False, True):
        report = Report(diagnostics=result.diagnostics, registry=registry, rules=result.linter.rules,
                        files=result.files, fixed=result.fixed, fix_mode=fix_mode)
        for name in FORMATS:
            out = renderer(name)(report)
            out.encode("utf-8")  # valid UTF-8 (no lone surrogates)
            if name in ("json", "sarif"):
                json.loads(out)
            elif name == "github":
                # Workflow commands, well formed; the plain lines a person reads.
                for line in out.split("\n"):
                    if line.startswith("::"):
                        assert _COMMAND.match(line), line[:200]


def check_site(root: Path, posts: list[bytes]) -> None:
    """The whole pipeline on one generated site; raises AssertionError."""
    from postlint.engine.config import Settings
    from postlint.engine.discover import discover
    from postlint.engine.registry import load
    from postlint.engine.run import RunOptions, run
    from postlint.model.post import parse

    registry = load()
    write_site(root, posts)
    old = os.getcwd()
    os.chdir(root)
    try:
        settings = Settings(root=root, use_cache=False, network=False)
        files = discover([Path(".")], root=root, exclude=[]).files
        result = run(files, settings, registry, None, RunOptions(network=False))
        crashed = [d for d in result.diagnostics if d.code == "PL000"]
        assert not crashed, crashed[0]
        texts = {}
        for path in files:
            texts[path.as_posix()] = parse(path.as_posix(), path.read_bytes()).text
        _positions_inside(result.diagnostics, texts)
        _reports(result, registry)

        fixed = run(files, settings, registry, None, RunOptions(fix=True, unsafe_fixes=True, network=False))
        assert not [d for d in fixed.diagnostics if d.code in ("PL000", "PL005")], fixed.diagnostics
        after = {p: p.read_bytes() for p in files}
        again = run(files, settings, registry, None, RunOptions(fix=True, unsafe_fixes=True, network=False))
        assert {p: p.read_bytes() for p in files} == after, "a second --fix changed the files"
        assert again.fixed == 0, f"a second --fix applied {again.fixed} fixes"
        _reports(again, registry)
        left = list(root.rglob("*.postlint-tmp"))
        assert not left, left
    finally:
        os.chdir(old)
