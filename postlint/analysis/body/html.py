"""HTML findings of a post body: parse errors, elements left open, stray end
tags and ``<h1>``-``<h6>`` headings (HT001-HT003, HD001-HD003).

Long because: the fast path (``_simple_tree``, a model of html5lib's tree
construction for the tags most bodies hold) and the mapping of html5lib's
errors to the standard's names must agree with the instrumented parse
(``postlint.adapters.html5lib``) case by case, and are read side by side.

One html5lib parse per body (``parseFragment`` semantics, container ``div``),
instrumented rather than re-implemented (the instrumentation subclasses
html5lib's internals, so it lives in ``postlint.adapters.html5lib``):

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

Most bodies never reach html5lib: ``postlint.analysis.body.fasthtml`` first checks
whether the text is in a safe subset of HTML in which html5lib is known to
find nothing but headings, and computes those (same offsets, same text, with
this module's ``_collapse`` and ``_image_text``).  ``_FAST_PATH = False``
forces html5lib; tests/body/test_html_fastpath.py holds the paths equal.

Offsets are code-point offsets into the caller's text.  html5lib normalises
CRLF and CR to LF; offsets are mapped back, so CRLF bodies come out right.

Parse errors come from two places.  The tokenizer's errors, named and placed
as today's WHATWG standard does, come from ``postlint.analysis.body.whatwg`` (html5lib's
own tokenizer errors follow the 2013 standard and are dropped).  The tree
construction errors, which the standard does not name, come from html5lib's
tree builder and are given postlint's names and messages here (``_TREE``).
An unknown element that is never closed (``runs on <num_hosts> hosts``,
``#<Post:0x00ab12>``) is an unescaped ``<``: it is reported once, at the
``<`` (``unescaped-less-than-sign``), and html5lib sees that ``<`` as a space,
so the end tags it would implicitly close and the element left open are not
reported again.

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
from typing import Any

from postlint.adapters import html5lib as html5lib_adapter
from postlint.adapters.html5lib import CLOSES_OTHERS
from postlint.analysis.body.headings import Heading
from postlint.analysis.body.html_model import (
    HtmlError,
    HtmlInfo,
    TagSpan,
)
from postlint.analysis.body.html_model import (
    char_class as _char_class,
)
from postlint.analysis.body.html_model import (
    collapse as _collapse,
)
from postlint.analysis.body.html_model import (
    image_text as _image_text,
)

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

# Whether analyze_html tries postlint.analysis.body.fasthtml before html5lib.  The tests
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
    from postlint.analysis.body.liquid import prepare

    if fragments is not None:
        text = _mask(text, fragments)
    # Liquid never reaches an HTML parser.
    text = prepare(text)
    # Text without markup, character references or characters html5lib
    # rejects is one character token to html5lib: nothing to find.
    if not text or ("<" not in text and "&" not in text and "\x00" not in text
                    and (_invalid_ascii() if text.isascii() else _invalid()).search(text) is None):
        return None
    return text


def _analyze(text: str, fragments: Sequence[tuple[int, int]] | None, *, fast: bool) -> HtmlInfo:
    prepared = _prepare(text, fragments)
    if prepared is None:
        return HtmlInfo([], [], [], [])
    if fast:
        # Most bodies are plain, well-formed HTML: a regex walk proves that
        # html5lib would find nothing but headings, in a fraction of its time.
        from postlint.analysis.body.fasthtml import fast_analyze

        info = fast_analyze(prepared)
        if info is not None:
            return info
    return _run(prepared)


@lru_cache(maxsize=1)
def _invalid() -> re.Pattern[str]:
    """html5lib's invalid_unicode_re."""
    return re.compile(_char_class(nul=True, negate=True))


@lru_cache(maxsize=1)
def _invalid_ascii() -> re.Pattern[str]:
    """``_invalid()`` for an ASCII text: its ASCII characters only (re
    compiles a class reaching beyond Latin-1 ten times slower, 0.5 ms)."""
    return re.compile(_char_class(nul=True, negate=True, upto=0x7F))


@lru_cache(maxsize=1)
def _maskable_ascii() -> re.Pattern[str]:
    """``_maskable()`` for an ASCII text (see ``_invalid_ascii``)."""
    return re.compile(_char_class("<&", nul=True, negate=True, upto=0x7F) + "+")


@lru_cache(maxsize=1)
def _maskable() -> re.Pattern[str]:
    """What Markdown prose must not pass to html5lib: "<", "&", invalid code points."""
    return re.compile(_char_class("<&", nul=True, negate=True) + "+")


@lru_cache(maxsize=1)
def _maskable_bmp() -> re.Pattern[str]:
    """``_maskable()`` for a text with no code point beyond the Basic
    Multilingual Plane: the same characters there, in a class re tests at
    once (the whole set is some twenty ranges tested in turn; the prose of
    ruby-lang.org's posts with raw HTML: 50 ms -> 15 ms)."""
    return re.compile(_char_class("<&", nul=True, negate=True, upto=0xFFFF) + "+")


def _beyond_bmp(text: str) -> bool:
    """Whether the text holds a code point beyond the Basic Multilingual
    Plane: each is two UTF-16 code units, every other one (a lone surrogate
    too, with surrogatepass) one.  The codec runs at memory speed; a class
    of the astral planes searched 3 KB of Dutch prose in 9.5 us, this takes
    1 us."""
    return not text.isascii() and len(text.encode("utf-16-le", "surrogatepass")) != 2 * len(text)


def _mask(text: str, fragments: Sequence[tuple[int, int]]) -> str:
    bad = _maskable_ascii() if text.isascii() else _maskable() if _beyond_bmp(text) else _maskable_bmp()
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


def _run(text: str) -> HtmlInfo:
    from postlint.analysis.body.whatwg import INPUT_STREAM_CODES, Tokenizer, preprocess

    to_orig = _offset_map(text)
    tokenizer = Tokenizer(preprocess(text)).run()
    errors: list[HtmlError] = []
    for e in tokenizer.errors:
        if e.code in INPUT_STREAM_CODES:
            continue                        # characters, not markup: EN003 reports them
        errors.append(_tokenizer_error(tokenizer.s, e, to_orig))
    hidden = _unescaped(tokenizer.tags)
    if hidden:
        chars = list(text)
        for tag in hidden:
            start, end = to_orig(tag.start), to_orig(tag.end)
            shown = text[start:end] if end - start <= 40 else text[start:start + 37] + "..."
            chars[start] = " "              # html5lib reads it as text, as it is meant
            errors.append(HtmlError(
                start, end, "unescaped-less-than-sign",
                f"`{shown}` is not an HTML element (and is never closed): browsers hide it, "
                f"so readers never see that text; to show it, write `&lt;` for the `<`"))
        text = "".join(chars)
    # Where each end tag is (normalised offsets, as html5lib's); then the
    # tokenizer's tags (200k of them in 1 MB of <div>) are freed before
    # html5lib builds its tree.
    end_tags: dict[str, list[int]] = {}
    for tag in tokenizer.tags:
        if tag.end_tag:
            end_tags.setdefault(tag.name, []).append(tag.start)
    # What _simple_tree needs: the tags html5lib will see (a hidden one is
    # text to it).  Not with a DOCTYPE (a tree error in a body), nor with a
    # hidden tag that has a "<" inside (`<a </b>`): with its own "<" gone,
    # html5lib may find a tag in it.
    tags, size = tokenizer.tags, len(tokenizer.s)
    hidden_at = {tag.start for tag in hidden}
    modelled = _SIMPLE_TREE and not tokenizer.doctypes and not any(
        "<" in tokenizer.s[tag.start + 1:tag.end] for tag in hidden)
    del tokenizer, hidden

    simple = _simple_tree(tags, hidden_at, size) if modelled else None
    del tags, hidden_at
    if simple is not None:
        out, eof_open = simple
    else:
        out = html5lib_adapter.parse_fragment(text)
        eof_open = out.eof_open

    unclosed = []
    seen = set()
    for span, name in eof_open:
        if span is None or name in OPTIONAL_END or span in seen:
            continue
        seen.add(span)
        unclosed.append(span + (name,))
    del eof_open

    stray_spans = {(s, e) for s, e, _ in out.stray}
    stray_by_name: dict[str, list[tuple[int, int]]] = {}
    for s_, e_, n_ in out.stray:                # in document order
        stray_by_name.setdefault(n_, []).append((s_, e_))
    echoes: set[tuple[int, int]] = set()      # stray end tags that a misnesting explains
    settled: set[int] = set()                 # ids of _closes sets all reported as unclosed
    for start, end, code, datavars in out.errors:
        if code in UNCLOSED_CODES or code.startswith("eof-in-"):
            continue                        # HT002 reports each open element at its start tag
        if (start, end) in stray_spans:
            continue                        # an ignored end tag: HT003 reports it (or it is an echo)
        closes = datavars.get("_closes")
        if closes and id(closes) in settled:
            continue                        # as the last time this set was met (see below)
        if closes:
            # An element this end tag closes early that has no end tag of
            # its own later is simply never closed: that is the defect, at
            # its start tag (HT002).  One that is closed later is misnested:
            # this error is the defect, and a stray end tag of it its echo.
            misnested = False
            for span, name in closes:
                ends = end_tags.get(name, [])
                if bisect_left(ends, end) == len(ends):       # no end tag of it later
                    if name not in OPTIONAL_END and span not in seen:
                        seen.add(span)
                        unclosed.append(span + (name,))
                    continue
                misnested = True
                strays = stray_by_name.get(name, [])
                k = bisect_left(strays, (end, 0))
                # The echo is the next end tag of that name, if it is stray;
                # an end tag that closes it in between (the adoption agency
                # moved the element rather than closing it) means no echo.
                if k < len(strays) and bisect_left(ends, end) == bisect_left(ends, strays[k][0]):
                    echoes.add(strays[k])
            if not misnested:
                # None of them has an end tag after this one, so none has
                # after a later error either, and all are reported: a later
                # error with the same set (shared by _simple_tree) changes
                # nothing.
                settled.add(id(closes))
                continue
        mapped = _tree_error(code, datavars)
        if mapped is not None:
            errors.append(HtmlError(to_orig(start), to_orig(end), *mapped))
    # "<x/>" left open: the trailing-solidus error says why; not HT002 too.
    solidus = {(e.start, e.end) for e in errors
               if e.code == "non-void-html-element-start-tag-with-trailing-solidus"}
    # tuple.__new__: 200k of them in 1 MB of <div>, and TagSpan's own
    # __new__ is a Python function.
    unclosed = sorted(tuple.__new__(TagSpan, (to_orig(s), to_orig(e), name)) for s, e, name in unclosed
                      if (to_orig(s), to_orig(e)) not in solidus) if solidus else \
        sorted(tuple.__new__(TagSpan, (to_orig(s), to_orig(e), name)) for s, e, name in unclosed)
    stray = [TagSpan(to_orig(s), to_orig(e), name) for s, e, name in out.stray
             if (s, e) not in echoes]

    # One finding per code and place.
    unique: dict[tuple[int, int, str], HtmlError] = {}
    for error in errors:
        unique.setdefault((error.start, error.end, error.code), error)
    errors = sorted(unique.values(), key=lambda e: (e.start, e.end, e.code))

    headings = []
    for name, (start, end), closed_at, element in out.headings:
        if closed_at is not None:
            end = closed_at
        headings.append(Heading(int(name[1]), to_orig(start), to_orig(end), _text(element)))
    headings.sort(key=lambda h: (h.start, h.end))
    return HtmlInfo(errors, unclosed, stray, headings)


# Whether _run tries _simple_tree before html5lib; the tests compare both.
_SIMPLE_TREE = True


def _simple_tree(tags: list[Any], hidden_at: set[int], end: int) -> tuple[html5lib_adapter.Collected, list[Any]] | None:
    """What the instrumented html5lib parse collects (stray end tags, tree
    errors with their spans, the elements open at the end) for a body whose
    tags all take the plainest paths of html5lib's "in body" insertion mode:
    a start tag that closes an open ``<p>`` and is inserted, or one that is
    only inserted; an end tag that pops to its element (block, ``</p>``,
    any other).  No formatting element, table, list item, heading, void or
    raw-text element, no scope boundary, no foreign content, no DOCTYPE and
    no self-closing flag: then "in scope" is "open", the list of active
    formatting elements stays empty, text changes nothing, and a stack of
    names is the whole tree.  ``None`` when a tag is outside that subset
    (html5lib decides).  One pass, each element pushed and popped once:
    200k nested ``<div>`` without 200k html5lib elements.
    tests/body/test_html_simple_tree.py holds the two equal."""
    start_kinds, end_kinds, special = html5lib_adapter.in_body_kinds()
    default_start, default_end = start_kinds[""], end_kinds[""]
    tree_names = _TREE_NAMES
    # The stack: names and start tag spans; the html root at the bottom.
    names: list[str] = ["html"]
    spans: list[Any] = [None]
    counts: dict[str, int] = {"html": 1}
    out = html5lib_adapter.Collected()
    stray, errors = out.stray, out.errors

    # The stack's version (one more per push and pop), and the elements an
    # end tag of a name would close at a version: end tags ignored again and
    # again under the same open elements share one set, not one each.
    version = [0]
    closing: dict[tuple[str, int], set[Any]] = {}

    def pop() -> str:
        name = names.pop()
        spans.pop()
        counts[name] -= 1
        version[0] += 1
        return name

    def error(span: tuple[int, int], code: str, name: str) -> None:
        datavars: dict[str, Any] = {"name": name}
        if code in CLOSES_OTHERS and counts.get(name):
            key = (name, version[0])
            closes = closing.get(key)
            if closes is None:
                for i in range(len(names) - 1, -1, -1):
                    if names[i] == name:
                        closes = closing[key] = {(spans[k], names[k]) for k in range(i + 1, len(names))
                                                 if spans[k] is not None}
                        break
            if closes is not None:
                datavars["_closes"] = closes
        errors.append((span[0], span[1], code, datavars))

    def close_p(span: tuple[int, int]) -> None:
        # endTagP with a <p> in (button) scope: implied end tags except p.
        if names[-1] != "p":
            error(span, "unexpected-end-tag", "p")
        while pop() != "p":
            pass

    for tag in tags:
        if tag.start in hidden_at:
            continue                        # "<" read as text
        name = tag.name
        if tag.foreign or tag.self_closing or name in tree_names:
            return None
        span = (tag.start, tag.end)
        if not tag.end_tag:
            kind = start_kinds.get(name, default_start)
            if kind is None:
                return None
            if kind == "close-p" and counts.get("p"):
                close_p(span)
            names.append(name)
            spans.append(span)
            counts[name] = counts.get(name, 0) + 1
            version[0] += 1
            continue
        kind = end_kinds.get(name, default_end)
        if kind is None:
            return None
        if counts.get(name, 0) <= 0:
            # An end tag with no open element of its name: HT003's.  The
            # tree error html5lib also gives it is dropped (by span) below,
            # and the stack ends as it was (a </p> inserts a <p> and pops it).
            stray.append((span[0], span[1], name))
            continue
        if kind == "block":
            open_ = counts.get(name, 0) > 0
            if open_:
                while names[-1] == "p":     # generateImpliedEndTags()
                    pop()
            if names[-1] != name:
                error(span, "end-tag-too-early", name)
            if open_:
                while pop() != name:
                    pass
        elif kind == "p":
            close_p(span)
        else:
            for i in range(len(names) - 1, -1, -1):
                node = names[i]
                if node == name:
                    while names[-1] == "p" and name != "p":
                        pop()               # generateImpliedEndTags(exclude=name)
                    if names[-1] != name:
                        error(span, "unexpected-end-tag", name)
                    while len(names) > i:
                        pop()
                    break
                if node in special:
                    error(span, "unexpected-end-tag", name)
                    break
    for name in reversed(names):
        if name not in _EOF_ALLOWED:
            errors.append((end, end, "expected-closing-tag-but-got-eof", {}))
            break
    return out, list(zip(spans, names))


_EOF_ALLOWED = frozenset({"dd", "dt", "li", "p", "tbody", "td", "tfoot", "th", "thead", "tr", "body", "html"})
# Never modelled, whatever html5lib's table says of them: elements the tree
# builder, the other phases or the tokenizer's states treat apart.
_TREE_NAMES = frozenset(
    [
        "html",
        "head",
        "body",
        "frameset",
        "form",
        "template",
        "table",
        "caption",
        "colgroup",
        "col",
        "tbody",
        "thead",
        "tfoot",
        "tr",
        "td",
        "th",
        "select",
        "option",
        "optgroup",
        "li",
        "dd",
        "dt",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "a",
        "b",
        "big",
        "code",
        "em",
        "font",
        "i",
        "nobr",
        "s",
        "small",
        "strike",
        "strong",
        "tt",
        "u",
        "button",
        "applet",
        "marquee",
        "object",
        "pre",
        "listing",
        "textarea",
        "title",
        "style",
        "script",
        "xmp",
        "iframe",
        "noembed",
        "noframes",
        "noscript",
        "plaintext",
        "svg",
        "math",
        "image",
        "isindex",
        "ruby",
        "rb",
        "rp",
        "rt",
        "rtc",
        "menuitem",
        "frame",
        "base",
        "basefont",
        "bgsound",
        "link",
        "meta",
        "command",
    ]
)


def _tokenizer_error(norm: str, e: Any, to_orig: Any) -> HtmlError:
    from postlint.analysis.body.whatwg import AS_WRITTEN, MESSAGES

    code = e.code
    as_written = code in AS_WRITTEN
    message = MESSAGES.get(code, code)
    if code == "invalid-first-character-of-tag-name" and e.offset > 0 and norm[e.offset - 1] == "/":
        # "</" and no name: a bogus comment hides the text up to ">".
        as_written = False
        message = MESSAGES["invalid-first-character-of-end-tag-name"]
    start = to_orig(e.offset)
    end = to_orig(min(e.offset + 1, len(norm)))
    return HtmlError(start, end, code, message, to_orig(e.origin) if e.origin >= 0 else -1, as_written)


# Every element HTML has, and the obsolete ones browsers still know.  A start
# tag of any other name (no "-": custom elements are fine) that is never
# closed is text with an unescaped "<".
KNOWN_ELEMENTS = frozenset(
    [
        "a",
        "abbr",
        "address",
        "area",
        "article",
        "aside",
        "audio",
        "b",
        "base",
        "bdi",
        "bdo",
        "blockquote",
        "body",
        "br",
        "button",
        "canvas",
        "caption",
        "cite",
        "code",
        "col",
        "colgroup",
        "data",
        "datalist",
        "dd",
        "del",
        "details",
        "dfn",
        "dialog",
        "div",
        "dl",
        "dt",
        "em",
        "embed",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "head",
        "header",
        "hgroup",
        "hr",
        "html",
        "i",
        "iframe",
        "img",
        "input",
        "ins",
        "kbd",
        "label",
        "legend",
        "li",
        "link",
        "main",
        "map",
        "mark",
        "math",
        "menu",
        "meta",
        "meter",
        "nav",
        "noscript",
        "object",
        "ol",
        "optgroup",
        "option",
        "output",
        "p",
        "param",
        "picture",
        "pre",
        "progress",
        "q",
        "rp",
        "rt",
        "ruby",
        "s",
        "samp",
        "script",
        "search",
        "section",
        "select",
        "slot",
        "small",
        "source",
        "span",
        "strong",
        "style",
        "sub",
        "summary",
        "sup",
        "svg",
        "table",
        "tbody",
        "td",
        "template",
        "textarea",
        "tfoot",
        "th",
        "thead",
        "time",
        "title",
        "tr",
        "track",
        "u",
        "ul",
        "var",
        "video",
        "wbr",
        "acronym",
        "applet",
        "basefont",
        "bgsound",
        "big",
        "blink",
        "center",
        "dir",
        "font",
        "frame",
        "frameset",
        "image",
        "isindex",
        "keygen",
        "listing",
        "marquee",
        "menuitem",
        "multicol",
        "nextid",
        "nobr",
        "noembed",
        "noframes",
        "plaintext",
        "rb",
        "rtc",
        "spacer",
        "strike",
        "tt",
        "xmp",
    ]
)


def _unescaped(tags: Any) -> list[Any]:
    """Start tags of unknown elements never closed by an end tag of their name.
    A self-closing one (``<fb:like href=x />``) was written as markup: it is
    an element left open (HT002), not text."""
    last_end: dict[str, int] = {}
    for tag in tags:
        if tag.end_tag:
            last_end[tag.name] = tag.start
    return [tag for tag in tags
            if not tag.end_tag and not tag.foreign and not tag.self_closing
            and tag.name not in KNOWN_ELEMENTS
            and "-" not in tag.name and last_end.get(tag.name, -1) < tag.start]


_FOSTER = frozenset({
    "unexpected-char-implies-table-voodoo", "unexpected-start-tag-implies-table-voodoo",
    "unexpected-end-tag-implies-table-voodoo", "unexpected-hidden-input-in-table",
    "unexpected-form-in-table",
})


def _tree_error(code: str, datavars: dict[str, Any]) -> tuple[str, str] | None:
    """postlint's code and message for an html5lib tree construction error;
    ``None``: not reported here (end of input with elements open: HT002; an
    end tag closing nothing: HT003, matched by span in the rule)."""
    name = datavars.get("name") or datavars.get("gotName") or datavars.get("originalName") or ""
    if code in CLOSES_OTHERS or code.startswith("adoption-agency"):
        return (
            "misnested-end-tag",
            (
                f"`</{name}>` closes <{name}> while elements opened inside it are still open: "
                f"browsers close them here too (formatting such as <b> or <i> is reopened after "
                f"it); close the inner elements first"
            ),
        )
    if code == "unexpected-start-tag-implies-end-tag":
        start, end = datavars.get("startName", name), datavars.get("endName", name)
        return (
            "implied-end-tag",
            (
                f"`<{start}>` cannot be inside <{end}>: browsers close the open <{end}> here; "
                f"close it yourself before `<{start}>`"
            ),
        )
    if code == "unexpected-start-tag" and name in _HEADINGS:
        return (
            "implied-end-tag",
            (
                f"`<{name}>` inside an open heading: browsers close that heading here; "
                f"close it yourself before `<{name}>`"
            ),
        )
    if code in _FOSTER:
        return (
            "foster-parented",
            (
                "content inside a <table> but outside any cell: browsers move it before the "
                "table; put it in a <td> or <caption>, or outside the table"
            ),
        )
    if code == "non-void-element-with-trailing-solidus":
        return (
            "non-void-html-element-start-tag-with-trailing-solidus",
            (
                f"`<{name}/>` does not close <{name}> in HTML: browsers ignore the `/` and the "
                f"element stays open; write `<{name}></{name}>`"
            ),
        )
    if code == "unexpected-html-element-in-foreign-content":
        return (
            "html-in-foreign-content",
            (f"`<{name}>` inside <svg> or <math>: browsers close the <svg>/<math> here; close it before `<{name}>`"),
        )
    if code == "unexpected-doctype":
        return ("unexpected-doctype",
                "a DOCTYPE inside the body: browsers ignore it; remove it (the layout has one)")
    if code in ("unexpected-start-tag-ignored", "unexpected-start-tag", "two-heads-are-not-better-than-one",
                "unexpected-start-tag-in-select", "unexpected-input-in-select",
                "unexpected-select-in-select", "unexpected-start-tag-out-of-my-head",
                "unexpected-cell-in-table-body", "unexpected-table-element-start-tag-in-select-in-table"):
        return (
            "misplaced-start-tag",
            (f"`<{name}>` is not allowed here: browsers ignore it or move it; remove it or put it where it belongs"),
        )
    if code == "unexpected-start-tag-treated-as":
        new = datavars.get("newName", "")
        return ("obsolete-start-tag", f"`<{name}>` is not HTML: browsers read it as <{new}>; write <{new}>")
    return (
        "misnested-tag",
        (f"the markup here is misnested{f' (<{name}>)' if name else ''}: browsers restructure the elements around it"),
    )


def _offset_map(text: str) -> Any:
    if "\r\n" not in text:
        return lambda n: n
    # Normalised offsets of the LFs whose CR html5lib dropped.
    dropped = []
    for k, m in enumerate(re.finditer("\r\n", text)):
        dropped.append(m.start() - k)

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
