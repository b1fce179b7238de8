"""HTML findings of a post body: parse errors, elements left open, stray end
tags and ``<h1>``-``<h6>`` headings (HT001-HT003, HD001-HD003).

One html5lib parse per body (``parseFragment`` semantics, container ``div``),
instrumented rather than re-implemented:

* the input stream counts consumed characters, so every token gets exact
  start/end offsets (html5lib itself only knows the position *after* what it
  has read, as (line, column), and computes it by rescanning its 10 KB chunk);
* the tokenizer remembers where the current ``<`` was, and stamps each token
  with its span before the tree builder sees it;
* the tree builder keeps a per-name count of the open elements, so "no open
  element of that name" is an O(1) question when an end tag arrives;
* elements remember the span of the start tag that made them (reconstructed
  formatting elements inherit it), so elements still open at end of input
  point back at their start tag.

Most bodies never reach html5lib: ``postlint.body.fasthtml`` first checks
whether the text is in a safe subset of HTML in which html5lib is known to
find nothing but headings, and computes those (same offsets, same text, with
this module's ``_collapse`` and ``_image_text``).  ``_FAST_PATH = False``
forces html5lib; tests/body/test_html_fastpath.py holds the paths equal.

Offsets are code-point offsets into the caller's text.  html5lib normalises
CRLF and CR to LF; offsets are mapped back, so CRLF bodies come out right.

html5lib error codes that duplicate the structured findings:

* ``UNCLOSED_CODES``: reported once at end of input when elements are still
  open (``expected-closing-tag-but-got-eof``; for ``<script>``, ``<style>``,
  ``<title>``, ``<textarea>`` running to the end:
  ``expected-named-closing-tag-but-got-eof``).  Both sit at ``(len, len)``.
* ``STRAY_CODES``: codes html5lib gives an end tag it ignores (mostly
  ``unexpected-end-tag``; ``</div>`` with no open ``div`` is
  ``end-tag-too-early``).  Such an error has the same ``(start, end)`` as the
  entry in ``stray_end_tags``, so a caller drops the HT001 whose span matches
  an HT003 and whose code is in ``STRAY_CODES``.  Some of these codes are
  also used for end tags that close something; those have no HT003 twin.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from functools import lru_cache
from typing import Any, NamedTuple

from postlint.body.headings import Heading


class HtmlError(NamedTuple):
    start: int
    end: int
    code: str           # html5lib's error code, e.g. "unexpected-end-tag"
    message: str        # html5lib's message for it


class TagSpan(NamedTuple):
    start: int          # "<" of the tag
    end: int            # just after its ">"
    tag: str            # lower-case name


class HtmlInfo(NamedTuple):
    parse_errors: list[HtmlError]
    unclosed: list[TagSpan]             # start tags of elements open at end of input
    stray_end_tags: list[TagSpan]       # end tags with no open element of that name
    headings: list[Heading]


UNCLOSED_CODES = frozenset({"expected-closing-tag-but-got-eof",
                            "expected-named-closing-tag-but-got-eof"})
STRAY_CODES = frozenset({
    # html5lib's codes for an end tag it ignores or could not match; several
    # are also used for end tags that *do* close something, so match on span.
    "unexpected-end-tag", "unexpected-end-tag-treated-as", "end-tag-too-early",
    "end-tag-too-early-named", "end-tag-too-early-ignored",
    "unexpected-end-tag-before-html", "unexpected-end-tag-after-body",
    "unexpected-end-tag-after-body-innerhtml", "unexpected-end-tag-in-table-body",
    "unexpected-end-tag-in-table-row", "unexpected-end-tag-in-select",
    "unexpected-end-tag-implies-table-voodoo", "unexpected-cell-end-tag",
    "unexpected-end-tag-in-frameset", "unexpected-end-tag-after-frameset",
    "expected-eof-but-got-end-tag", "expected-doctype-but-got-end-tag",
    "end-tag-after-implied-root", "expected-one-end-tag-but-got-another",
})

# End tags HTML lets an author omit at the end of input (or which the parser
# closes implicitly anyway); never "unclosed".
OPTIONAL_END = frozenset({
    "html", "head", "body", "p", "li", "dt", "dd", "tr", "td", "th", "option",
    "optgroup", "thead", "tbody", "tfoot", "colgroup", "caption", "rb", "rp",
    "rt", "rtc",
})
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_NO_TEXT = frozenset({"script", "style", "template", "noscript"})

_REFERENCE_STATES = frozenset({"entityDataState", "characterReferenceInRcdata"})
# Tokenizer states in which html5lib reads text, not markup: an error raised
# there is located at what it just read, not at the last "<".
_TEXT_STATES = frozenset({
    "dataState", "entityDataState", "rcdataState", "characterReferenceInRcdata",
    "rawtextState", "scriptDataState", "plaintextState", "scriptDataEscapedState",
    "scriptDataEscapedDashState", "scriptDataEscapedDashDashState",
    "scriptDataDoubleEscapedState", "scriptDataDoubleEscapedDashState",
    "scriptDataDoubleEscapedDashDashState", "cdataSectionState",
})


# Whether analyze_html tries postlint.body.fasthtml before html5lib.  The tests
# compare both paths; the answer must not depend on this.
_FAST_PATH = True


def analyze_html(text: str, *,
                 fragments: Sequence[tuple[int, int]] | None = None) -> HtmlInfo:
    """Parse ``text`` as an HTML fragment and report what html5lib finds.

    ``fragments=None``: the whole text is HTML (an HTML post body).
    ``fragments=[(start, end), ...]``: a Markdown body; only these ranges are
    HTML (``MarkdownInfo.html``).  They are parsed together, as one stream, so
    a ``<div>`` opened in one block and closed in another balances; outside
    them ``<``, ``&`` and the code points html5lib reports as invalid are
    replaced by spaces (Markdown prose like ``a < b`` or ``AT&T`` is text, not
    a parse error, and ``<https://...>`` autolinks are not tags), while prose
    letters stay, so ``<h2>`` blocks around Markdown text are not empty.
    Offsets never move.  Liquid ``{% highlight %}`` and ``{% comment %}``
    blocks are blanked first (Jekyll replaces them before any HTML exists).
    """
    return _analyze(text, fragments, fast=_FAST_PATH)


def html5lib_offset(text: str, line: int, col: int) -> int:
    """Offset in ``text`` of an html5lib position ``(line, col)``.

    html5lib counts lines from 1 after normalising CRLF and lone CR to LF, and
    ``col`` is the number of characters of that line already consumed (so it
    is 0-based: the offset of the next character to read).  html5lib reports a
    parse error with the position reached when it noticed it, which for a tag
    is just after its ``>``.
    """
    starts = [0] + [m.end() for m in re.finditer(r"\r\n?|\n", text)]
    line = max(1, min(line, len(starts)))
    return min(starts[line - 1] + col, len(text))


# ---------------------------------------------------------------- internals

def _prepare(text: str, fragments: Sequence[tuple[int, int]] | None) -> str | None:
    """The text html5lib gets for ``analyze_html(text, fragments=...)``;
    ``None`` when there is nothing for it to find."""
    from postlint.body.liquid import blank, liquid_blocks

    if fragments is not None:
        text = _mask(text, fragments)
    # Liquid highlight and comment blocks never reach an HTML parser.
    text = blank(text, liquid_blocks(text).all)
    # Text without markup, character references or characters html5lib
    # rejects is one character token to html5lib: nothing to find.
    if not text or ("<" not in text and "&" not in text and "\x00" not in text
                    and _invalid().search(text) is None):
        return None
    return text


def _analyze(text: str, fragments: Sequence[tuple[int, int]] | None, *, fast: bool) -> HtmlInfo:
    prepared = _prepare(text, fragments)
    if prepared is None:
        return HtmlInfo([], [], [], [])
    if fast:
        # Most bodies are plain, well-formed HTML: a regex walk proves that
        # html5lib would find nothing but headings, in a fraction of its time.
        from postlint.body.fasthtml import fast_analyze

        info = fast_analyze(prepared)
        if info is not None:
            return info
    return _run(prepared)


# The code points html5lib reads without an "invalid-codepoint" error: all but
# the controls, surrogates and noncharacters of its invalid_unicode_re, as
# ranges (a test compares every code point).  NUL is not in that pattern (the
# tokenizer reports it), so it is added on request.  A class of a few ranges
# scans ten times faster than html5lib's pattern of forty items, and needs no
# html5lib import.
_ALLOWED = ((0x09, 0x0A), (0x0C, 0x0D), (0x20, 0x7E), (0xA0, 0xD7FF), (0xE000, 0xFDCF),
            (0xFDF0, 0xFFFD), *(((p << 16), (p << 16) | 0xFFFD) for p in range(1, 17)))


def _char_class(excluded: str = "", *, nul: bool = False, negate: bool = False) -> str:
    """A regex class of the allowed code points (and NUL if ``nul``) except
    those in ``excluded``; with ``negate``, of all the others."""
    ranges = ((0, 0), *_ALLOWED) if nul else _ALLOWED
    out = []
    for lo, hi in ranges:
        for c in sorted(ord(x) for x in excluded):
            if lo <= c <= hi:
                if lo < c:
                    out.append((lo, c - 1))
                lo = c + 1
        if lo <= hi:
            out.append((lo, hi))
    return ("[^" if negate else "[") + "".join(
        f"\\U{lo:08x}" if lo == hi else f"\\U{lo:08x}-\\U{hi:08x}" for lo, hi in out) + "]"


@lru_cache(maxsize=1)
def _invalid() -> re.Pattern[str]:
    """html5lib's invalid_unicode_re."""
    return re.compile(_char_class(nul=True, negate=True))


@lru_cache(maxsize=1)
def _maskable() -> re.Pattern[str]:
    """What Markdown prose must not pass to html5lib: "<", "&", invalid code points."""
    return re.compile(_char_class("<&", nul=True, negate=True) + "+")


def _mask(text: str, fragments: Sequence[tuple[int, int]]) -> str:
    bad = _maskable()
    parts: list[str] = []
    pos = 0
    for start, end in sorted(fragments):
        start = max(start, pos)
        if end <= start:
            continue
        parts.append(bad.sub(lambda m: " " * len(m.group()), text[pos:start]))
        parts.append(text[start:end])
        pos = end
    parts.append(bad.sub(lambda m: " " * len(m.group()), text[pos:]))
    return "".join(parts)


class _Collector:
    __slots__ = ("stray", "eof_open", "errors", "headings", "invalid")

    def __init__(self) -> None:
        self.stray: list[tuple[int, int, str]] = []
        self.eof_open: list[Any] = []
        self.errors: list[tuple[int, int, str, dict[str, Any]]] = []
        self.headings: list[Any] = []
        self.invalid: list[tuple[int, int]] = []


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
            self.stream = Stream(source)
            self.mstart = 0
            self.current = (0, 0)

        def _mark(self) -> None:        # "<" was just consumed
            self.mstart = self.stream.base + self.stream.chunkOffset - 1

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
            self.tokenQueue = deque([])
            stream = self.stream
            queue = self.tokenQueue
            tree = self.parser.tree
            out: _Collector = self.parser.collector
            invalid = iter(out.invalid)
            cur = 0
            while True:
                state = self.state
                prev = stream.base + stream.chunkOffset
                if not state():
                    break
                cur = stream.base + stream.chunkOffset
                while stream.errors:
                    code = stream.errors.pop(0)
                    self.current = next(invalid, (cur, cur)) if code == "invalid-codepoint" else (cur, cur)
                    yield {"type": PARSE_ERROR, "data": code}
                while queue:
                    token = queue.popleft()
                    kind = token["type"]
                    if kind in MARKUP:
                        span = (min(self.mstart, cur), cur)
                    elif kind == PARSE_ERROR and state.__name__ not in _TEXT_STATES:
                        span = (min(self.mstart, cur), cur)
                    elif kind == PARSE_ERROR and state.__name__ in _REFERENCE_STATES:
                        span = (prev - 1, max(cur, prev))      # from the "&"
                    else:
                        span = (prev, cur)
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
            out.eof_open = list(tree.openElements)

    class Stack(list):
        """openElements with a count of open elements per name."""

        def __init__(self) -> None:
            super().__init__()
            self.counts: dict[str, int] = {}

        def _add(self, el: Any, n: int) -> None:
            self.counts[el.name] = self.counts.get(el.name, 0) + n

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

    Base = treebuilders.getTreeBuilder("etree")

    class Element(Base.elementClass):  # type: ignore[misc,valid-type]
        postlint_span = None
        postlint_end = None

        def cloneNode(self) -> Any:
            clone = super().cloneNode()
            clone.postlint_span = self.postlint_span
            return clone

    class TreeBuilder(Base):  # type: ignore[misc,valid-type]
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
            return super().elementInScope(target, variant)

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

        def _stamp(self, el: Any, token: Any) -> Any:
            span = token.get("postlint_span")
            if span is not None and el.postlint_span is None:
                el.postlint_span = span
                if el.name in _HEADINGS and el.namespace in (None, "http://www.w3.org/1999/xhtml"):
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
            self.tokenizer = Tokenizer(stream, parser=self)
            self.reset()
            self.mainLoop()

        def parseError(self, errorcode: str = "XXX-undefined-error",
                       datavars: dict[str, Any] | None = None) -> None:
            start, end = self.tokenizer.current
            self.collector.errors.append((start, end, errorcode, datavars or {}))

    return Parser()


def _run(text: str) -> HtmlInfo:
    from html5lib.constants import E

    parser = _parser()
    out = parser.collector = _Collector()
    parser.tree.parser_collector = out
    # Spans so far are offsets into html5lib's normalised text (CRLF -> LF).
    out.invalid = [m.span() for m in _invalid().finditer(text.replace("\r\n", "\n"))]
    try:
        parser._parse(text, True, container="div")
    finally:
        parser.tree.parser_collector = None
        eof_open = out.eof_open
        parser.tree.reset()                 # drop the tree; keep memory flat

    to_orig = _offset_map(text)
    errors = []
    for start, end, code, datavars in out.errors:
        try:
            message = E.get(code, code) % datavars
        except (KeyError, TypeError, ValueError):
            message = E.get(code, code)
        errors.append(HtmlError(to_orig(start), to_orig(end), code, message))
    # html5lib reports invalid code points when it reads a chunk, ahead of
    # the tokens before them.
    errors.sort(key=lambda e: (e.start, e.end))

    unclosed = []
    seen = set()
    for el in eof_open:
        span = el.postlint_span
        if span is None or el.name in OPTIONAL_END or span in seen:
            continue
        seen.add(span)
        unclosed.append(TagSpan(to_orig(span[0]), to_orig(span[1]), el.name))
    unclosed.sort()

    stray = [TagSpan(to_orig(s), to_orig(e), name) for s, e, name in out.stray]

    headings = []
    for el in out.headings:
        start, end = el.postlint_span
        if el.postlint_end is not None:
            end = el.postlint_end
        headings.append(Heading(int(el.name[1]), to_orig(start), to_orig(end), _text(el._element)))
    headings.sort(key=lambda h: (h.start, h.end))
    return HtmlInfo(errors, unclosed, stray, headings)


def _offset_map(text: str) -> Any:
    if "\r\n" not in text:
        return lambda n: n
    # Normalised offsets of the LFs whose CR html5lib dropped.
    dropped = []
    k = 0
    for m in re.finditer("\r\n", text):
        dropped.append(m.start() - k)
        k += 1

    def to_orig(n: int) -> int:
        return n + bisect_left(dropped, n)

    return to_orig


def _text(root: Any) -> str:
    """Text content of an element (without scripts and styles), with the alt
    text of its images; whitespace collapsed.  Iterative: nesting is unbounded."""
    out: list[str] = []
    if root.text:
        out.append(root.text)
    work: list[Any] = list(reversed(root))
    while work:
        node = work.pop()
        if isinstance(node, str):
            out.append(node)
            continue
        if node.tail:
            work.append(node.tail)
        tag = node.tag
        if not isinstance(tag, str):        # comment
            continue
        tag = tag.rpartition("}")[2]
        if tag == "img":
            out.append(_image_text(node.get("alt")))
        elif tag not in _NO_TEXT:
            if node.text:
                out.append(node.text)
            work.extend(reversed(node))
    return _collapse(out)


# Shared with postlint.body.fasthtml, so both paths define heading text alike.

def _image_text(alt: str | None) -> str:
    """What an image adds to the text of the element it is in."""
    return " " + alt + " " if alt else ""


def _collapse(parts: list[str]) -> str:
    """Text pieces joined, runs of white space made one space, ends trimmed."""
    return " ".join("".join(parts).split())
