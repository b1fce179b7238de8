"""html5lib's internals, all in one place: the instrumented parse behind
``postlint.analysis.body.html`` and the dispatch tables its model of the tree
builder is read from.

html5lib documents ``parse``/``parseFragment``, ``HTMLParser`` and the tree
builders' public methods; postlint needs more than that (exact spans for every
token, an O(1) "is an element of this name open?", the heading elements), so it
subclasses html5lib's undocumented parts.  What is relied on, each checked by
tests/adapters/test_html5lib.py against the installed html5lib:

* ``html5lib._inputstream.HTMLUnicodeInputStream``: ``reset()``,
  ``readChunk(chunkSize)``, ``unget(char)``, the ``chunkSize``,
  ``chunkOffset`` and ``errors`` attributes (a chunk's characters are counted
  to know the absolute offset of each token), and ``reportCharacterErrors``
  (the search of each chunk for code points it reports, which it sets in
  ``__init__``: EN003 reports those, so the stream skips it);
* ``html5lib._tokenizer.HTMLTokenizer``: ``__init__(stream, parser=)``, its
  ``state`` loop with ``tokenQueue`` (a deque of token dicts with ``type`` and
  ``name``), and the five "less-than sign" state methods named in
  ``LESS_THAN_STATES``, each entered right after a ``<`` is consumed;
* ``html5lib.constants``: ``tokenTypes``, ``EOF``, ``namespaces``,
  ``specialElements`` and the error codes (``E``) that postlint maps;
* ``html5lib.html5parser.HTMLParser``: ``_parse``'s attributes
  (``innerHTMLMode``, ``container``, ``scripting``, ``tokenizer``),
  ``reset()``, ``mainLoop()``, ``parseError(errorcode, datavars)``, ``tree``;
  ``getPhases(False)["inBody"]`` and its ``startTagHandler``/``endTagHandler``
  method dispatchers (handler names such as ``startTagCloseP``);
* the "etree" tree builder: ``elementClass`` (``_name``, ``_namespace``,
  ``_element``, ``nameTuple``, ``parent``, ``_childNodes``, ``_flags``, the
  ``attributes`` property, ``cloneNode``) and ``TreeBuilder`` (``reset``,
  ``openElements``, ``activeFormattingElements``, ``insertFromTable``,
  ``createElement``, ``insertElementNormal``, ``insertElementTable``,
  ``elementInScope``, ``reconstructActiveFormattingElements``,
  ``insertText``), ``treebuilders.base.Marker``.

html5lib itself is imported only when a parse is first needed.

Long because: the input stream, tokenizer, tree builder and parser hooks rely
on each other's private state (the stream's offsets stamp the tokenizer's
tokens, which the tree builder's elements carry), so they are one unit.
"""

from __future__ import annotations

import gc
from functools import lru_cache
from typing import Any

# html5lib's tree construction codes for an end tag that closes elements
# opened inside the element it closes (the parser stamps such an error with
# those elements' start tags, ``datavars["_closes"]``).
CLOSES_OTHERS = frozenset({
    "adoption-agency-1.2", "adoption-agency-1.3", "adoption-agency-4.4", "end-tag-too-early",
    "end-tag-too-early-named", "expected-one-end-tag-but-got-another", "unexpected-end-tag",
    "unexpected-cell-end-tag",
})
# The error the tree builder reports for text moved out of a table (the
# standard's, which html5lib does not report itself).
FOSTERED_TEXT = "unexpected-char-implies-table-voodoo"
# The tokenizer states entered just after a "<" was consumed.
LESS_THAN_STATES = ("tagOpenState", "rcdataLessThanSignState", "rawtextLessThanSignState",
                    "scriptDataLessThanSignState", "scriptDataEscapedLessThanSignState")

_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_TABLE_TEXT_MOVES = frozenset({"table", "tbody", "tfoot", "thead", "tr"})
_HTML_NAMESPACE = "http://www.w3.org/1999/xhtml"

Span = tuple[int, int]


class Collected:
    """What one parse finds, in offsets of the text parsed.

    ``stray``: end tags with no open element of their name (start, end, name);
    ``errors``: tree construction errors (start, end, html5lib code, datavars);
    ``headings``: h1-h6 elements (name, start tag span, offset where the end
    tag that closed it ends or None, its ElementTree element);
    ``eof_open``: the elements still open at the end (start tag span or None,
    name), outermost first.
    """

    __slots__ = ("eof_open", "errors", "headings", "stray")

    def __init__(self) -> None:
        self.stray: list[tuple[int, int, str]] = []
        self.eof_open: list[tuple[Span | None, str]] = []
        self.errors: list[tuple[int, int, str, dict[str, Any]]] = []
        self.headings: list[Any] = []


def parse_fragment(text: str) -> Collected:
    """Parse ``text`` as html5lib's ``parseFragment(text, container="div")``
    does, collecting spans instead of keeping the tree.  ``text`` is already
    normalised as html5lib reads it except for CR LF (offsets count LF only)."""
    parser = _parser()
    out = parser.collector = _Collector()
    parser.tree.parser_collector = out
    # The parse only allocates (a tree of up to a million objects, dropped
    # whole below): the cycle collector would re-walk it again and again for
    # nothing, a third of the time of 200k nested <div>s.
    collecting = gc.isenabled()
    gc.disable()
    try:
        parser._parse(text, True, container="div")
    finally:
        parser.tree.parser_collector = None
        # What is left of the elements open at the end: their spans and
        # names, so that the tree (up to 200k elements) goes with the reset
        # below rather than after the findings are built.
        found = Collected()
        found.stray, found.errors = out.stray, out.errors
        found.eof_open = [(el.postlint_span, el.name) for el in out.eof_open]
        found.headings = [(el.name, el.postlint_span, el.postlint_end, el._element) for el in out.headings]
        out.eof_open = []
        out.headings = []
        parser.tree.reset()                 # drop the tree; keep memory flat
        if collecting:
            gc.enable()
    return found


class _Collector:
    __slots__ = ("eof_open", "errors", "headings", "stray")

    def __init__(self) -> None:
        self.stray: list[tuple[int, int, str]] = []
        self.eof_open: list[Any] = []
        self.errors: list[tuple[int, int, str, dict[str, Any]]] = []
        self.headings: list[Any] = []


@lru_cache(maxsize=1)
def _parser() -> Any:
    """One instrumented html5lib parser per process (html5lib resets it per parse)."""
    from collections import deque

    from html5lib import html5parser, treebuilders
    from html5lib._inputstream import HTMLUnicodeInputStream
    from html5lib._tokenizer import HTMLTokenizer
    from html5lib.constants import EOF, tokenTypes
    from html5lib.treebuilders.base import Marker

    START, END = tokenTypes["StartTag"], tokenTypes["EndTag"]
    MARKUP = {START, END, tokenTypes["Comment"], tokenTypes["Doctype"]}
    PARSE_ERROR = tokenTypes["ParseError"]

    class Stream(HTMLUnicodeInputStream):
        # Counts characters consumed before the current chunk, so that
        # base + chunkOffset is the absolute offset in the normalised text.
        def __init__(self, source: Any) -> None:
            super().__init__(source)
            # Its errors are dropped (see Tokenizer.__iter__): no search of
            # each chunk for them (a regular expression of some twenty
            # ranges: 0.13 ms of a 3 KB post's 0.9 ms).
            self.reportCharacterErrors = None  # type: ignore[assignment]  # (as html5lib sets it on some builds)

        def reset(self) -> None:
            super().reset()
            self.base = 0

        def readChunk(self, chunkSize: int | None = None) -> bool:
            self.base += self.chunkSize
            return super().readChunk(chunkSize)

        def unget(self, char: Any) -> None:
            if char is not EOF and self.chunkOffset == 0:
                self.base -= 1          # html5lib prepends the character to the chunk
            super().unget(char)

    class Tokenizer(HTMLTokenizer):
        def __init__(self, source: str, parser: Any) -> None:
            super().__init__(source, parser=parser)
            # The same stream, typed as ours (html5lib's attribute is its base class).
            self.counting = self.stream = Stream(source)
            self.mstart = 0
            self.current = (0, 0)
            # Start of the text read since the last markup, and the last
            # such run that ended: html5lib moves a table's text out of it
            # only when the markup after it arrives.
            self.run_start = -1
            self.text_run = (0, 0)

        def _mark(self) -> None:        # "<" was just consumed
            self.mstart = self.counting.base + self.counting.chunkOffset - 1

        def tagOpenState(self) -> bool:
            self._mark()
            return super().tagOpenState()

        def rcdataLessThanSignState(self) -> bool:
            self._mark()
            return super().rcdataLessThanSignState()

        def rawtextLessThanSignState(self) -> bool:
            self._mark()
            return super().rawtextLessThanSignState()

        def scriptDataLessThanSignState(self) -> bool:
            self._mark()
            return super().scriptDataLessThanSignState()

        def scriptDataEscapedLessThanSignState(self) -> bool:
            self._mark()
            return super().scriptDataEscapedLessThanSignState()

        def __iter__(self) -> Any:
            # html5lib's loop, stamping every token with its span.
            self.tokenQueue = deque()
            stream = self.counting
            queue = self.tokenQueue
            tree = self.parser.tree
            out: _Collector = self.parser.collector
            cur = 0
            while True:
                state = self.state
                prev = stream.base + stream.chunkOffset
                if not state():
                    break
                cur = stream.base + stream.chunkOffset
                # The tokenizer's errors come from postlint.analysis.body.whatwg.
                stream.errors.clear()
                while queue:
                    token: Any = queue.popleft()
                    kind = token["type"]
                    if kind == PARSE_ERROR:
                        continue
                    if kind in MARKUP:
                        span = (min(self.mstart, cur), cur)
                        self.text_run, self.run_start = (self.run_start, prev), -1
                    else:
                        span = (prev, cur)
                        if self.run_start < 0:
                            self.run_start = prev
                    self.current = span
                    if kind == START:
                        token["postlint_span"] = span
                    elif kind == END:
                        stack = tree.openElements
                        name = token["name"]
                        if stack.counts.get(name, 0) - (name == "html") <= 0:
                            out.stray.append((span[0], span[1], name))
                        elif name in _HEADINGS:
                            # Which heading this end tag closes, if any.
                            for i in range(len(stack) - 1, 0, -1):
                                if stack[i].name in _HEADINGS:
                                    heading = stack[i]
                                    yield token
                                    if len(stack) <= i or stack[i] is not heading:
                                        heading.postlint_end = cur
                                    break
                            else:
                                yield token
                            continue
                    yield token
            self.current = (cur, cur)
            if self.run_start >= 0:
                self.text_run = (self.run_start, cur)
            out.eof_open = list(tree.openElements)

    class Stack(list[Any]):
        """openElements with a count of open elements per name, and the set
        of them: html5lib asks "is this element open?" for every character
        token (reconstructing formatting elements), a scan of the whole
        stack, quadratic when formatting elements nest deep."""

        def __init__(self) -> None:
            super().__init__()
            self.counts: dict[str, int] = {}
            self.members: dict[int, int] = {}

        def _add(self, el: Any, n: int) -> None:
            self.counts[el.name] = self.counts.get(el.name, 0) + n
            key = id(el)
            left = self.members.get(key, 0) + n
            if left > 0:
                self.members[key] = left
            else:
                self.members.pop(key, None)

        def __contains__(self, el: Any) -> bool:
            return id(el) in self.members

        def append(self, el: Any) -> None:
            super().append(el)
            self._add(el, 1)

        def insert(self, i: Any, el: Any) -> None:
            super().insert(i, el)
            self._add(el, 1)

        def pop(self, i: Any = -1) -> Any:
            el = super().pop(i)
            self._add(el, -1)
            return el

        def remove(self, el: Any) -> None:
            super().remove(el)
            self._add(el, -1)

        def __setitem__(self, i: Any, el: Any) -> None:
            if isinstance(i, slice):
                raise NotImplementedError
            self._add(self[i], -1)
            super().__setitem__(i, el)
            self._add(el, 1)

        def __delitem__(self, i: Any) -> None:
            for el in (self[i] if isinstance(i, slice) else [self[i]]):
                self._add(el, -1)
            super().__delitem__(i)

    # types-html5lib types getTreeBuilder's result (and its elementClass) as
    # Any: subclassing them needs the two type: ignore[misc] below.
    Base: Any = treebuilders.getTreeBuilder("etree")
    from xml.etree import ElementTree as ET

    from html5lib.constants import namespaces

    name_tuples: dict[tuple[Any, str], tuple[str, str]] = {}

    class Element(Base.elementClass):  # type: ignore[misc]  # html5lib makes its etree classes at run time: an Any base
        postlint_span = None
        postlint_end = None

        def __init__(self, name: str, namespace: Any = None) -> None:
            # html5lib's, less what 200k nested elements need not each own:
            # a name tuple and a list of flags nothing reads (shared), an
            # attribute dict for an element without attributes.
            self._name = name
            self._namespace = namespace
            self._element = ET.Element(name if namespace is None else f"{{{namespace}}}{name}")
            key = (namespace, name)
            self.nameTuple = name_tuples.get(key) or name_tuples.setdefault(
                key, (namespaces["html"] if namespace is None else namespace, name))
            self.parent = None
            self._childNodes: list[Any] = []
            self._flags = ()

        def _setAttributes(self, attributes: Any) -> None:
            if attributes or self._element.keys():
                Base.elementClass.attributes.fset(self, attributes)

        attributes = property(Base.elementClass.attributes.fget, _setAttributes)

        def cloneNode(self) -> Any:
            clone = super().cloneNode()
            clone.postlint_span = self.postlint_span
            return clone

    class TreeBuilder(Base):  # type: ignore[misc]  # html5lib makes its etree classes at run time: an Any base
        elementClass = Element

        def reset(self) -> None:
            super().reset()
            self.openElements = Stack()

        def createElement(self, token: Any) -> Any:
            return self._stamp(super().createElement(token), token)

        def insertElementNormal(self, token: Any) -> Any:
            return self._stamp(super().insertElementNormal(token), token)

        def insertElementTable(self, token: Any) -> Any:
            return self._stamp(super().insertElementTable(token), token)

        def elementInScope(self, target: Any, variant: Any = None) -> bool:
            # html5lib scans the whole stack ("is a p in button scope?" on
            # every block start tag): quadratic in nesting depth.  With no
            # open element of that name the answer is known at once.
            if isinstance(target, str) and not self.openElements.counts.get(target):
                return False
            return bool(super().elementInScope(target, variant))

        def reconstructActiveFormattingElements(self) -> None:
            # html5lib re-creates the formatting elements from synthetic
            # tokens; give each new element its original's start tag.
            afe = self.activeFormattingElements
            if not afe or afe[-1] is Marker or afe[-1] in self.openElements:
                return
            before = list(afe)
            super().reconstructActiveFormattingElements()
            for old, new in zip(before, afe):
                if new is not old and old is not Marker:
                    new.postlint_span = old.postlint_span

        def insertText(self, data: Any, parent: Any = None) -> None:
            # Text html5lib moves out of a table ("foster parenting"): the
            # standard's parse error, which html5lib does not report.
            if (self.insertFromTable and parent is None and self.openElements
                    and self.openElements[-1].name in _TABLE_TEXT_MOVES
                    and data.strip(" \t\n\x0c\r") and self.parser_collector is not None):
                tk = self.postlint_tokenizer
                start = tk.run_start if tk.run_start >= 0 else tk.text_run[0]
                # At its first character (references make the text shorter
                # than the source, so the run's end is not known from it).
                start += len(data) - len(data.lstrip(" \t\n\x0c"))
                end = start + 1
                self.parser_collector.errors.append((start, end, FOSTERED_TEXT, {}))
            super().insertText(data, parent)

        def _stamp(self, el: Any, token: Any) -> Any:
            span = token.get("postlint_span")
            if span is not None and el.postlint_span is None:
                el.postlint_span = span
                if el.name in _HEADINGS and el.namespace in (None, _HTML_NAMESPACE):
                    self.parser_collector.headings.append(el)
            return el

    class Parser(html5parser.HTMLParser):
        def __init__(self) -> None:
            super().__init__(tree=TreeBuilder, namespaceHTMLElements=False)
            self.collector = _Collector()

        def _parse(self, stream: Any, innerHTML: bool = False, container: str = "div",
                   scripting: bool = False, **kwargs: Any) -> None:
            self.innerHTMLMode = innerHTML
            self.container = container
            self.scripting = scripting
            tokenizer = Tokenizer(stream, parser=self)
            self.tokenizer = self.postlint_tokenizer = tokenizer
            self.tree.postlint_tokenizer = tokenizer
            self.reset()
            self.mainLoop()

        def parseError(self, errorcode: str = "XXX-undefined-error",
                       datavars: dict[str, Any] | None = None) -> None:
            start, end = self.postlint_tokenizer.current
            datavars = dict(datavars or {})
            if errorcode in CLOSES_OTHERS:
                # The start tags of the elements this end tag closes before
                # their time: if one of them is also never closed, that is
                # the defect (HT002), and this error is its echo.
                name = datavars.get("name") or datavars.get("gotName")
                stack = self.tree.openElements
                # No open element of that name (counted): nothing to scan for.
                for i in range(len(stack) - 1 if stack.counts.get(name) else -1, -1, -1):
                    if stack[i].name == name:
                        datavars["_closes"] = {(el.postlint_span, el.name) for el in stack[i + 1:]
                                               if el.postlint_span is not None}
                        break
            elif errorcode == "unexpected-end-tag-implies-table-voodoo":
                # An end tag that closes an element moved out of the table
                # (open above the table): the start tag's foster-parented
                # error is the defect, this is its echo.
                stack = self.tree.openElements
                name = datavars.get("name")
                for el in reversed(stack):
                    if el.name == "table":
                        break
                    if el.name == name:
                        return
            self.collector.errors.append((start, end, errorcode, datavars))

    return Parser()



Kinds = tuple[dict[str, "str | None"], dict[str, "str | None"], frozenset[str]]
# The files of html5lib that in_body_kinds reads its tables from.
TABLE_SOURCES = ("html5parser.py", "constants.py", "_utils.py")  # (_utils: the dispatchers)


def html5lib_digest() -> str | None:
    """A digest of html5lib's files that in_body_kinds' tables come from
    (found and read without importing html5lib): their sizes and CRC-32, as
    the ftfy adapter keys its screens (hashlib would start OpenSSL: 3 ms of
    a run); None where they are not plain files."""
    import os
    import zlib
    from importlib.util import find_spec

    try:
        spec = find_spec("html5lib")
        folders = list(spec.submodule_search_locations or []) if spec is not None else []
        if len(folders) != 1:
            return None
        crc, sizes = 0, []
        for name in TABLE_SOURCES:
            with open(os.path.join(folders[0], name), "rb") as handle:
                data = handle.read()
            crc = zlib.crc32(data + b"\0", crc)
            sizes.append(str(len(data)))
    except (ImportError, ValueError, OSError):
        return None
    return f"crc32:{crc:08x}:{'+'.join(sizes)}"


@lru_cache(maxsize=1)
def in_body_kinds() -> Kinds:
    """html5lib's in-body handler of each tag name postlint.analysis.body.html._simple_tree models (start
    tags: close-p or other; end tags: block, p or other), and the names of
    the special elements.  Read from html5lib's own dispatch tables, so that
    a name html5lib treats in any other way is never modelled.

    Importing html5lib to read them costs a process about 40 ms (its input
    stream imports http.client and email), and most bodies that reach here
    never need html5lib's parse: where html5lib's files are those the
    tables shipped in TABLES_FILE were read from (the same digest), those
    are the tables; tests/adapters/test_html5lib.py reads them again from
    the installed html5lib and compares."""
    import sys

    if "html5lib.html5parser" not in sys.modules:
        shipped = shipped_in_body_kinds()
        if shipped is not None and html5lib_digest() == shipped[0]:
            return shipped[1]
    return read_in_body_kinds()


TABLES_FILE = "html5lib_tables.json"  # beside this module


def shipped_in_body_kinds() -> tuple[str, Kinds] | None:
    """(digest of the html5lib files they were read from, tables) as shipped
    in TABLES_FILE; None where it cannot be read."""
    import json
    import os

    try:
        with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), TABLES_FILE), encoding="utf-8") as f:
            data = json.load(f)
        return str(data["digest"]), (dict(data["start"]), dict(data["end"]), frozenset(data["special"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def read_in_body_kinds() -> Kinds:
    """in_body_kinds' tables read from the installed html5lib."""
    from html5lib import html5parser
    from html5lib.constants import namespaces, specialElements

    body = html5parser.getPhases(False)["inBody"]
    starts, ends = body.__dict__["startTagHandler"], body.__dict__["endTagHandler"]
    start_kinds = {"startTagCloseP": "close-p", "startTagOther": "other"}
    end_kinds = {"endTagBlock": "block", "endTagP": "p", "endTagOther": "other"}
    special = frozenset(name for ns, name in specialElements if ns == namespaces["html"])
    # A name in the table with another handler: None (not modelled).
    return ({"": start_kinds.get(starts.default.__name__)} | {
        name: start_kinds.get(fn.__name__) for name, fn in starts.items()},
        {"": end_kinds.get(ends.default.__name__)} | {
        name: end_kinds.get(fn.__name__) for name, fn in ends.items()},
        special)
