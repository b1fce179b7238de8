"""Fast path of ``analyze_html``: decide without html5lib that a body is clean.

``fast_analyze(text)`` gets the text ``analyze_html`` would hand to html5lib
(Markdown prose masked, Liquid blanked) and returns what the full path (the
WHATWG tokenizer of ``postlint.analysis.body.whatwg`` and html5lib's tree builder)
would report for it when the text is in a *safe subset* of HTML, else
``None`` and the caller takes the full path.  In the subset neither finds a
parse error, nothing is left open and no end tag is ignored, so the answer is
``HtmlInfo([], [], [], headings)``; only the headings need computing.

The subset is chosen so that every token takes html5lib's plain "insert the
element" / "pop the current node" branch of the *in body* insertion mode:

* tokens: text without ``<``; start tags ``<name attr="v" attr='v' attr=v
  attr>`` with attributes separated by white space, no duplicate names and no
  ``&`` in unquoted values, ``/>`` only on void elements; end tags ``</name>``
  without attributes; comments ``<!--...-->`` that html5lib reads without
  error; character references html5lib decodes without error (a known name
  with its ``;``, or a numeric reference to an allowed code point), or a bare
  ``&`` before white space, ``<``, ``&`` or the end.  No ``<!DOCTYPE``,
  ``<?``, CDATA, ``\\0`` or lone surrogate.  The other code points html5lib
  reports (controls, noncharacters) are errors of its input stream only, which
  ``analyze_html`` leaves to EN003: to its tokenizer and tree builder they are
  characters like any other, and so they are here.
* elements: a whitelist, each in a class that fixes where it may appear.
  Block elements only where every open element is a flow container (so no
  ``p`` is ever open when html5lib would close one implicitly, and no heading
  is the current node when a heading starts); ``li`` only directly in
  ``ul``/``ol``, ``dt``/``dd`` only in ``dl``; inline elements anywhere but
  directly in a list; no ``a`` inside ``a`` and no formatting element inside
  one of the same name (so the list of active formatting elements is always
  a subset of the open elements and never needs reconstructing, and an end
  tag of a formatting element finds it as the current node: the adoption
  agency pops it and stops); ``<iframe>`` and ``<script>`` with text
  without ``<`` (to the tokenizer's raw text and script data states alike,
  it ends at the element's own end tag: Twitter's and GitHub gists' embeds,
  ``<script async src=...></script>``), never in a heading.  Every end tag
  closes the current node; nothing is open at the end.

Anything else (tables, scripts holding "<", styles, forms, unknown elements, implied end tags...)
goes to html5lib.  tests/body/test_html_fastpath.py compares both paths over
the corpora and over generated documents and their mutations, and checks
these classes against html5lib's own dispatch tables.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from postlint.analysis.body.headings import Heading
from postlint.analysis.body.html_model import HtmlInfo
from postlint.analysis.body.html_model import collapse as _collapse
from postlint.analysis.body.html_model import image_text as _image_text
from postlint.model.patterns import lazy
from postlint.model.record import NamedTuple

# Element classes (see the module docstring).  Each must go to the html5lib
# in-body handler named in the test that guards them.
FLOW = frozenset({
    # html5lib "startTagCloseP" / "endTagBlock"; may hold blocks.
    "div", "blockquote", "figure", "figcaption", "section", "article", "header",
    "footer", "nav", "aside", "main", "address", "center", "details", "summary",
})
LISTS = {"ul": "li", "ol": "li", "dl": "dt dd"}       # list -> its items
ITEMS = {"li": ("ul", "ol"), "dt": ("dl",), "dd": ("dl",)}  # item -> its lists
PHRASING_BLOCKS = frozenset({"p", "pre", "h1", "h2", "h3", "h4", "h5", "h6"})
HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
FORMATTING = frozenset({                            # html5lib "startTagFormatting" and "a"
    "a", "b", "big", "code", "em", "font", "i", "s", "small", "strike", "strong", "tt", "u",
})
INLINE_OTHER = frozenset({                          # html5lib "startTagOther"
    "span", "sub", "sup", "q", "cite", "abbr", "kbd", "var", "samp", "mark", "del",
    "ins", "time", "dfn", "video", "audio",
    # Not HTML: Textile's "leave this alone", which Jekyll posts converted
    # from Textile keep around names (17 of scala-lang.org's); html5lib's
    # any other element, as span.
    "notextile",
})
VOID_INLINE = frozenset({"br", "img", "wbr",        # "startTagVoidFormatting"
                         "source", "track"})        # "startTagParamSource"
VOID_BLOCK = frozenset({"hr"})                      # "startTagHr"
RAWTEXT = frozenset({"iframe",                      # "startTagIFrame"
                     "script"})                     # "startTagProcessInHead"

_BLOCK = FLOW | frozenset(LISTS) | PHRASING_BLOCKS | VOID_BLOCK
_INLINE = FORMATTING | INLINE_OTHER | VOID_INLINE | RAWTEXT
_VOID = VOID_INLINE | VOID_BLOCK
# Open elements in which a block may start: the root (None) and flow containers.
_FLOW_PARENT = FLOW | frozenset(ITEMS) | {None}

# A text holding NUL or a lone surrogate goes to html5lib before any token is
# read (``_fatal``); every other character is text to both, so
# the classes below are plain ones ("[^<&]" scans ten times faster than
# html5lib's allowed code points less "<" and "&", a class of some twenty
# ranges tested one by one).

# html5lib's white space: Python's \s is wider.
_WS = "[\t\n\x0c\r ]"
_NAME = "[A-Za-z][A-Za-z0-9]*"
_UNQUOTED = "[^\t\n\x0c\r \"'=<>`&]+"
_DQ_VALUE = '"[^"]*"'
_SQ_VALUE = "'[^']*'"
_ATTR = rf"[A-Za-z_:][-A-Za-z0-9_:.]*(?:{_WS}*={_WS}*(?:{_DQ_VALUE}|{_SQ_VALUE}|{_UNQUOTED}))?"
_REF = (r"&(?:(?P<named>[A-Za-z][A-Za-z0-9]*);|#(?P<dec>[0-9]{1,8});"
        rf"|#[xX](?P<hex>[0-9A-Fa-f]{{1,8}});|(?P<amp>)(?={_WS}|[<&]|\Z))")
# Open elements beyond which fast_analyze counts the end tags (see there).
_DEEP = 16


class _Patterns(NamedTuple):
    token: re.Pattern[str]
    attrs: re.Pattern[str]
    refs: re.Pattern[str]
    raw_end: re.Pattern[str]


@lru_cache(maxsize=1)
def _patterns() -> _Patterns:
    """Compiled on first use: the character classes are large, and a run
    whose posts hold no markup never needs them (20 ms of a one-post run)."""
    return _Patterns(
        # One piece of markup, at a "<" or "&" (str.find skips the text
        # between them at memory speed; "[^<&]*" stepped through it a
        # character at a time: 3 KB of prose, 6 us), or the end.
        token=re.compile(
            r"(?:"
            rf"<(?P<start>{_NAME})(?P<attrs>(?:{_WS}+{_ATTR})*){_WS}*(?P<slash>/?)>"
            rf"|</(?P<end>{_NAME}){_WS}*>"
            # No "--" inside, not "<!-->" or "<!--->": what html5lib reads silently.
            r"|(?P<comment><!--(?!-?>)(?:[^-]|-(?!-))*-->)"
            rf"|{_REF}|(?P<eof>\Z))"
        ),
        attrs=re.compile(
            rf"([A-Za-z_:][-A-Za-z0-9_:.]*)(?:{_WS}*={_WS}*(?:\"([^\"]*)\"|'([^']*)'|({_UNQUOTED})))?"
        ),
        refs=re.compile(rf"{_REF}|(?P<bad>&)"),
        # (The end tag's name is the element's: checked by the caller.)
        raw_end=re.compile(rf"[^<]*</(?P<name>iframe|script){_WS}*>", re.IGNORECASE),
    )


def _fatal(text: str) -> bool:
    """Whether the text holds what html5lib's tokenizer does not take as a
    character (NUL) or what its input stream may not hold (a lone
    surrogate).  `in` and the UTF-8 codec, which refuses a surrogate, run
    at memory speed; a character class searched 3 KB of Dutch prose in
    11 us, the codec in 1.5 us."""
    if "\x00" in text:
        return True
    if text.isascii():
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


# Numeric references html5lib decodes silently: not in its replacement table
# (NUL, CR, C1 controls), not a surrogate, control character or noncharacter.
_BAD_CODE_POINT = lazy(
    "[\x00-\x08\x0b\x0d-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef]"
)


def _code_point_ok(cp: int) -> bool:
    if cp > 0x10FFFF or (cp & 0xFFFE) == 0xFFFE:
        return False
    return _BAD_CODE_POINT.match(chr(cp)) is None


@lru_cache(maxsize=1)
def _entities() -> dict[str, str]:
    # The standard library's copy of the table html5lib decodes with (a test
    # checks they agree), without importing html5lib.
    from html.entities import html5

    return html5


def _reference(m: re.Match[str]) -> str | None:
    """Text of a reference matched by ``_REF``; ``None``: html5lib would
    report it (or it is not one this module is sure about)."""
    named = m.group("named")
    if named is not None:
        return _entities().get(named + ";")
    digits = m.group("dec")
    cp = int(digits, 10) if digits is not None else None
    if cp is None:
        digits = m.group("hex")
        if digits is None:
            return "&"                      # bare "&" before space, "<", "&" or the end
        cp = int(digits, 16)
    return chr(cp) if _code_point_ok(cp) else None


def _value(raw: str) -> str | None:
    """Decoded quoted attribute value, ``None`` if html5lib would report a
    reference in it.  The closing quote counts as "the end" for a bare "&"."""
    if "&" not in raw:
        return raw
    out: list[str] = []
    pos = 0
    for m in _patterns().refs.finditer(raw):
        if m.group("bad") is not None:
            return None                     # "&" not starting a reference we accept
        text = _reference(m)
        if text is None:
            return None
        out.append(raw[pos:m.start()])
        out.append(text)
        pos = m.end()
    out.append(raw[pos:])
    return "".join(out)


def _attributes(attrs: str) -> dict[str, str] | None:
    """Attributes of a start tag (names lower-cased, values decoded), ``None``
    on a duplicate name or a reference html5lib would report."""
    found: dict[str, str] = {}
    for m in _patterns().attrs.finditer(attrs):
        name = m.group(1).lower()
        if name in found:
            return None
        dq, sq, unq = m.group(2, 3, 4)
        raw = dq if dq is not None else sq if sq is not None else unq if unq is not None else ""
        value = _value(raw)
        if value is None:
            return None
        found[name] = value
    return found


def fast_analyze(text: str) -> HtmlInfo | None:
    """``HtmlInfo`` of ``text`` if it is in the safe subset, else ``None``."""
    if _fatal(text):
        return None
    patterns = _patterns()
    token = patterns.token.match
    stack: list[Any] = [None]               # names of the open elements; None: the root
    # Every element opened here needs an end tag of its own ("</"): with
    # more open than the text has end tags, one stays open, and html5lib
    # must report it.  Known at once, not after 1 MB of <div>s; counted only
    # once _DEEP elements are open (counting a post's "</" is 3 us, and real
    # posts nest a few deep).
    closers = -1
    headings: list[Heading] = []
    heading: tuple[int, int] | None = None   # (level, start) of the open heading
    words: list[str] = []                   # its text so far
    find, size = text.find, len(text)
    pos = 0
    lt = amp = -1                           # the next "<" and "&" at or after pos (size: none)
    while True:
        if lt < pos:
            lt = find("<", pos)
            if lt < 0:
                lt = size
        if amp < pos:
            amp = find("&", pos)
            if amp < 0:
                amp = size
        at = min(amp, lt)        # the text runs from pos to here
        m = token(text, at)
        if m is None:
            return None
        if heading is not None:
            words.append(text[pos:at])
        pos = m.end()
        kind = m.lastgroup                  # a start tag's last group is "slash"
        if kind == "eof":
            break
        if kind == "slash":
            name = m.group("start").lower()
            parent = stack[-1]
            if name in _INLINE:
                if parent in LISTS:
                    return None
                if name in FORMATTING and name in stack:  # same-name nesting, <a> in <a> included
                    return None
            elif name in _BLOCK:
                if parent not in _FLOW_PARENT:
                    return None
            elif name in ITEMS:
                if parent not in ITEMS[name]:
                    return None
            else:
                return None
            if m.group("slash") and name not in _VOID:
                return None
            attrs = m.group("attrs")
            values = _attributes(attrs) if attrs else None
            if attrs and values is None:
                return None
            if name in _VOID:
                if name == "img" and heading is not None and values:
                    words.append(_image_text(values.get("alt")))
                continue
            if name in RAWTEXT:
                if heading is not None:
                    return None
                raw = patterns.raw_end.match(text, pos)
                if raw is None or raw.group("name").lower() != name:
                    return None
                pos = raw.end()
                continue
            if name in HEADINGS:
                heading = (int(name[1]), m.start("start") - 1)     # its "<"
                words = []
            stack.append(name)
            if len(stack) > _DEEP:
                if closers < 0:
                    closers = text.count("</")
                if len(stack) - 1 > closers:
                    return None
            continue
        if kind == "end":
            name = m.group("end").lower()
            if name != stack[-1]:
                return None
            stack.pop()
            if heading is not None and name in HEADINGS:
                headings.append(Heading(heading[0], heading[1], pos, _collapse(words)))
                heading = None
            continue
        if kind == "comment":
            continue
        # A character reference.
        ref = _reference(m)
        if ref is None:
            return None
        if heading is not None:
            words.append(ref)
    if len(stack) > 1:
        return None
    return HtmlInfo([], [], [], headings)
