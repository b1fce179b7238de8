"""postlint.adapters.html5lib against the installed html5lib: the internals
it subclasses and reads are still there, with the same shapes, and the
instrumented parse still reports what html5lib itself reports."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

import html5lib
import pytest
from html5lib import constants, html5parser, treebuilders
from html5lib._inputstream import HTMLUnicodeInputStream
from html5lib._tokenizer import HTMLTokenizer
from html5lib.treebuilders.base import Marker

from postlint.adapters import html5lib as adapter
from postlint.analysis.body import html as H
from tests.adapters.support import require, require_attribute, require_parameters

LIB = "html5lib"


def test_input_stream_counts_chunks_as_the_adapter_reads_them() -> None:
    for name in ("reset", "readChunk", "unget", "char"):
        require_attribute(HTMLUnicodeInputStream, name, LIB)
    require_parameters(HTMLUnicodeInputStream.readChunk, ["chunkSize"], LIB)
    stream = HTMLUnicodeInputStream("ab<c")
    for name in ("chunkSize", "chunkOffset", "errors"):
        require_attribute(stream, name, LIB)
    # A chunk read whole: chunkSize characters, chunkOffset the next one.
    assert stream.char() == "a"
    require(stream.chunkSize == 4 and stream.chunkOffset == 1, LIB,
            "HTMLUnicodeInputStream.chunkSize/chunkOffset", f"{stream.chunkSize}, {stream.chunkOffset} after one char")
    stream.unget("a")
    require(stream.chunkOffset == 0 and stream.char() == "a", LIB, "HTMLUnicodeInputStream.unget")


def test_tokenizer_states_and_token_shapes() -> None:
    require_parameters(HTMLTokenizer.__init__, ["stream", "parser"], LIB)
    for state in adapter.LESS_THAN_STATES:
        require_attribute(HTMLTokenizer, state, LIB)
    for name in ("StartTag", "EndTag", "Comment", "Doctype", "ParseError", "Characters"):
        require(name in constants.tokenTypes, LIB, f"html5lib.constants.tokenTypes[{name!r}]", "missing")
    require(hasattr(constants, "EOF"), LIB, "html5lib.constants.EOF", "missing")
    tokenizer = HTMLTokenizer("<p>x</p>")
    require(hasattr(tokenizer, "state") and hasattr(tokenizer, "stream"), LIB, "HTMLTokenizer.state/.stream")
    tokens = list(tokenizer)
    kinds = [t["type"] for t in tokens]
    types = constants.tokenTypes
    require(kinds == [types["StartTag"], types["Characters"], types["EndTag"]], LIB,
            "HTMLTokenizer's tokens", f"{tokens!r}")
    require(tokens[0]["name"] == "p" and tokens[2]["name"] == "p", LIB, "HTMLTokenizer token['name']")
    require(hasattr(tokenizer, "tokenQueue"), LIB, "HTMLTokenizer.tokenQueue", "missing")


def test_the_instrumented_tokenizer_overrides_each_less_than_state() -> None:
    adapter.parse_fragment("<p>x</p>")
    tokenizer = type(adapter._parser().tokenizer)
    assert {n for n in adapter.LESS_THAN_STATES if n in vars(tokenizer)} == set(adapter.LESS_THAN_STATES)


def test_parser_entry_points() -> None:
    parse = require_attribute(html5parser.HTMLParser, "_parse", LIB)
    require_parameters(parse, ["stream", "innerHTML", "container", "scripting"], LIB)
    require_parameters(html5parser.HTMLParser.parseError, ["errorcode", "datavars"], LIB)
    for name in ("reset", "mainLoop"):
        require_attribute(html5parser.HTMLParser, name, LIB)
    parser = html5parser.HTMLParser(namespaceHTMLElements=False)
    parser.parseFragment("<p>x")
    for name in ("innerHTMLMode", "container", "scripting", "tokenizer", "tree"):
        require_attribute(parser, name, LIB)


def test_etree_builder_and_its_elements() -> None:
    base: Any = treebuilders.getTreeBuilder("etree")
    element_class = require_attribute(base, "elementClass", LIB)
    require(isinstance(vars(element_class).get("attributes"), property), LIB, "etree elementClass.attributes",
            "not a property")
    require_attribute(element_class, "cloneNode", LIB)
    element = element_class("div")
    fields = vars(element)
    for name in ("_name", "_namespace", "_element", "nameTuple", "parent", "_childNodes", "_flags"):
        require(name in fields, LIB, f"etree elementClass instance attribute {name}", f"has {sorted(fields)}")
    for name in ("reset", "createElement", "insertElementNormal", "insertElementTable",
                 "reconstructActiveFormattingElements"):
        require_attribute(base, name, LIB)
    require_parameters(base.elementInScope, ["target", "variant"], LIB)
    require_parameters(base.insertText, ["data", "parent"], LIB)
    builder = base(namespaceHTMLElements=False)
    for name in ("openElements", "activeFormattingElements", "insertFromTable"):
        require_attribute(builder, name, LIB)
    parser = html5parser.HTMLParser(namespaceHTMLElements=False)
    parser.parseFragment("<b>x<table><tr><td>y")
    require(Marker in parser.tree.activeFormattingElements, LIB,
            "treebuilders.base.Marker (the scope marker in activeFormattingElements)")


def test_in_body_dispatch_tables() -> None:
    phases = html5parser.getPhases(False)
    require("inBody" in phases, LIB, "html5parser.getPhases(False)['inBody']", "missing")
    body = vars(phases["inBody"])
    for table in ("startTagHandler", "endTagHandler"):
        dispatcher = body.get(table)
        require(dispatcher is not None and hasattr(dispatcher, "default") and hasattr(dispatcher, "items"),
                LIB, f"the in-body phase's {table}")
    starts, ends, special = adapter.in_body_kinds()
    kinds = (starts["div"], ends["div"], ends["p"], starts[""], ends[""])
    require(kinds == ("close-p", "block", "p", "other", "other"),
            LIB, "the in-body handlers startTagCloseP/startTagOther/endTagBlock/endTagP/endTagOther",
            f"div {starts.get('div')}/{ends.get('div')}, p {ends.get('p')}")
    require({"div", "p", "table", "li"} <= special, LIB, "html5lib.constants.specialElements")
    require(constants.namespaces.get("html") == "http://www.w3.org/1999/xhtml", LIB, "html5lib.constants.namespaces")


def _codes_compared_in(function: str) -> set[str]:
    tree = ast.parse(Path(H.__file__).read_text(encoding="utf-8"))
    node = next(n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef) and n.name == function)
    found = set()
    for compare in ast.walk(node):
        if isinstance(compare, ast.Compare) and isinstance(compare.left, ast.Name) and compare.left.id == "code":
            for right in compare.comparators:
                found |= {c.value for c in ast.walk(right) if isinstance(c, ast.Constant) and isinstance(c.value, str)}
    return found


def test_every_error_code_postlint_maps_is_one_html5lib_has() -> None:
    mapped = (_codes_compared_in("_tree_error") | H.UNCLOSED_CODES | H.STRAY_CODES | adapter.CLOSES_OTHERS
              | H._FOSTER | {adapter.FOSTERED_TEXT})
    assert len(mapped) > 30
    unknown = sorted(mapped - set(constants.E))
    require(not unknown, LIB, "html5lib.constants.E (the tree construction error codes)",
            f"no longer has {', '.join(unknown)}")


@pytest.mark.parametrize("text", [
    "<div><h2>T</h2></span><p>x",
    "<b><i>x</b></i>",
    "<p><div>a</p></div>",
    "<ul><li>a<li>b</ul></ol>",
    "<table><tr><td>a</td></tr></table></table>",
    "<div><span>a</div></span>\n<h1>x<h2>y</h2></h1>",
    "<select><option>a<select>b</select>",
    "<svg><p>x</p></svg>",
])
def test_the_instrumented_parse_reports_what_html5lib_reports(text: str) -> None:
    # No tokenizer errors in these texts: html5lib's errors are all tree
    # construction errors, reported at (line, column after what it read).
    parser = html5lib.HTMLParser(namespaceHTMLElements=False)
    parser.parseFragment(text, container="div")
    lines = text.split("\n")
    theirs = [(sum(len(line) + 1 for line in lines[:row - 1]) + col, code) for (row, col), code, _ in parser.errors]
    found = adapter.parse_fragment(text)
    ours = [(end, code) for _, end, code, _ in found.errors if code != adapter.FOSTERED_TEXT]
    require(ours == theirs, LIB, "the tree builder's errors under the instrumented parse", f"{ours} != {theirs}")


def test_spans_of_the_instrumented_parse() -> None:
    found = adapter.parse_fragment("<div><h2>T</h2></span><p>x")
    require(found.stray == [(15, 22, "span")], LIB, "the instrumented tokenizer's spans", repr(found.stray))
    require(found.eof_open == [(None, "html"), ((0, 5), "div"), ((22, 25), "p")], LIB,
            "openElements at the end of input", repr(found.eof_open))
    name, span, end, element = found.headings[0]
    require((name, span, end, element.text) == ("h2", (5, 9), 15, "T"), LIB, "the etree elements of headings")
    found = adapter.parse_fragment("<table>t<tr><td>a</td></tr></table>")
    require((7, 8, adapter.FOSTERED_TEXT, {}) in found.errors, LIB,
            "TreeBuilder.insertText/insertFromTable (text moved out of a table)", repr(found.errors))
    found = adapter.parse_fragment("<b><i>x</b></i>")
    closes = [d.get("_closes") for _, _, code, d in found.errors if code in adapter.CLOSES_OTHERS]
    require({((3, 6), "i")} in closes, LIB, "parseError's datavars for the adoption agency", repr(found.errors))


def test_the_shipped_in_body_tables_are_the_installed_html5libs(monkeypatch: pytest.MonkeyPatch) -> None:
    import subprocess
    import sys

    from postlint.adapters import html5lib as adapter

    live = adapter.read_in_body_kinds()
    found = adapter.shipped_in_body_kinds()
    assert found is not None
    digest, shipped = found
    # html5lib's files as the tables were written from (regenerate the file when this fails)...
    assert adapter.html5lib_digest() == digest
    # ...so the tables are the installed html5lib's.
    assert shipped == live
    # Another html5lib: its own tables, read from it.
    monkeypatch.setattr(adapter, "html5lib_digest", lambda: "another html5lib")
    monkeypatch.delitem(sys.modules, "html5lib.html5parser", raising=False)
    adapter.in_body_kinds.cache_clear()
    calls: list[int] = []

    def read() -> object:
        calls.append(1)
        return live

    monkeypatch.setattr(adapter, "read_in_body_kinds", read)
    assert adapter.in_body_kinds() == live and calls == [1]
    adapter.in_body_kinds.cache_clear()
    # And a process that has not imported html5lib does not import it for them.
    probe = ("import sys\nfrom postlint.adapters import html5lib as a\nk = a.in_body_kinds()\n"
             "print('html5lib' in sys.modules, len(k[0]) > 50)\n")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, check=True)
    assert out.stdout.split() == ["False", "True"]
