"""The tokenizer parse errors of today's WHATWG HTML standard, with positions.

Long because: it is the WHATWG tokenizer, state for state as the standard
writes it, with its parse errors; split over modules, a state machine's
transitions would be harder to check against the standard.

HTML Living Standard, section 13.2.5 "Tokenization": every parse error the
tokenizer defines, under the standard's own code (``duplicate-attribute``,
``missing-semicolon-after-character-reference``, ``eof-in-comment``...) at the
character the standard points at (for an error raised at the end of input,
the end).  ``tokenize(text)`` follows the state machine of the standard
state for state; tests/body/test_html_conformance.py runs it on the WHATWG
tokenizer conformance tests (html5lib-tests/tokenizer) and compares tokens
and errors.

Why not html5lib's tokenizer: it implements the 2013 state machine and names
its errors in its own words.  Two things the standard accepts today it still
reports (a bare ``&`` before ``=`` or a letter inside an attribute value, as
in ``href="?q=x&lang=nl"``; ``--`` inside a comment), and errors the standard
added (``missing-whitespace-between-attributes``, ``nested-comment``...) it
does not know.  No maintained Python library reports the WHATWG codes with
positions (html5lib's errors are the old ones; justhtml reports only a
handful of codes; the C parsers behind selectolax and html5-parser do not
expose theirs), so this module is the one place where postlint derives them.
html5lib still builds the tree (postlint.analysis.body.html) and reports the tree
construction errors, which the standard does not name.

The tokenizer is driven alone, without a tree builder.  The one thing a tree
builder tells a tokenizer, which state to enter after a start tag, is
derived from the tag name as the HTML tree builder would for an element in
the HTML namespace (``<title>``/``<textarea>``: RCDATA; ``<style>``,
``<xmp>``, ``<iframe>``, ``<noembed>``, ``<noframes>``: RAWTEXT;
``<script>``: script data; ``<plaintext>``: PLAINTEXT), scripting disabled as
in html5lib (``<noscript>`` content is markup); inside ``<svg>`` and
``<math>`` (foreign content) none of these switch and ``<![CDATA[`` is a
CDATA section.

Time and memory are linear in the input: runs of ordinary characters are
skipped with one regular expression match, and every state consumes at least
one character or changes to a state that does.  Offsets are code-point
offsets into the text *after* the standard's preprocessing (CRLF and CR
become LF); ``postlint.analysis.body.html`` maps them back.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from postlint.model.patterns import lazy
from postlint.model.record import NamedTuple


class TokenizerError(NamedTuple):
    offset: int         # the character the standard points at (len(text): end of input)
    code: str           # the WHATWG error code
    origin: int = -1    # the "<" of the markup being read (comment, tag, DOCTYPE), -1: none


class Tag(NamedTuple):
    start: int          # its "<"
    end: int            # just after its ">"
    name: str
    end_tag: bool
    foreign: bool       # inside <svg> or <math>
    self_closing: bool = False


# Errors of the "preprocessing the input stream" step: characters, not markup.
INPUT_STREAM_CODES = frozenset({
    "control-character-in-input-stream", "noncharacter-in-input-stream",
    "surrogate-in-input-stream",
})

DATA, RCDATA, RAWTEXT, SCRIPT, PLAINTEXT, CDATA = (
    "Data state", "RCDATA state", "RAWTEXT state", "Script data state",
    "PLAINTEXT state", "CDATA section state")

_WS = "\t\n\x0c "
_ALPHA = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
_ALNUM = _ALPHA | frozenset("0123456789")
_HEX = frozenset("0123456789abcdefABCDEF")

_RAWTEXT_TAGS = frozenset({"style", "xmp", "iframe", "noembed", "noframes"})
_RCDATA_TAGS = frozenset({"title", "textarea"})

# Numeric references to C1 controls: what the standard decodes them as.
_C1 = {
    0x80: 0x20AC, 0x82: 0x201A, 0x83: 0x0192, 0x84: 0x201E, 0x85: 0x2026, 0x86: 0x2020,
    0x87: 0x2021, 0x88: 0x02C6, 0x89: 0x2030, 0x8A: 0x0160, 0x8B: 0x2039, 0x8C: 0x0152,
    0x8E: 0x017D, 0x91: 0x2018, 0x92: 0x2019, 0x93: 0x201C, 0x94: 0x201D, 0x95: 0x2022,
    0x96: 0x2013, 0x97: 0x2014, 0x98: 0x02DC, 0x99: 0x2122, 0x9A: 0x0161, 0x9B: 0x203A,
    0x9C: 0x0153, 0x9E: 0x017E, 0x9F: 0x0178,
}

_INPUT_ERROR = lazy(
    "[\x01-\x08\x0b\x0e-\x1f\x7f-\x9f]|[\ud800-\udfff]|[\ufdd0-\ufdef]"
    "|[\ufffe\uffff\U0001fffe\U0001ffff\U0002fffe\U0002ffff\U0003fffe\U0003ffff"
    "\U0004fffe\U0004ffff\U0005fffe\U0005ffff\U0006fffe\U0006ffff\U0007fffe\U0007ffff"
    "\U0008fffe\U0008ffff\U0009fffe\U0009ffff\U000afffe\U000affff\U000bfffe\U000bffff"
    "\U000cfffe\U000cffff\U000dfffe\U000dffff\U000efffe\U000effff\U000ffffe\U000fffff"
    "\U0010fffe\U0010ffff]"
)

# Runs a state may skip at once (characters that state only appends).
_RUN_DATA = lazy(r"[^&<\x00]+")
_RUN_RAW = lazy(r"[^<\x00]+")
_RUN_PLAIN = lazy(r"[^\x00]+")
_RUN_DQ = lazy(r'[^"&\x00]+')
_RUN_SQ = lazy(r"[^'&\x00]+")
_RUN_UNQ = lazy("[^\t\n\x0c &>\x00\"'<=`]+")
_RUN_COMMENT = lazy(r"[^<\-\x00]+")
_RUN_NAME = lazy("[^\t\n\x0c />\x00A-Z]+")
# A whole tag without attributes whose name needs no change (no ASCII upper
# case, no NUL): what tag open, end tag open and tag name states would read
# one character at a time, taken in one match from the data state.
_PLAIN_TAG = lazy("<(/?)([a-z][^\t\n\x0c />\x00A-Z]*)>")
_RUN_ATTR_NAME = lazy("[^\t\n\x0c />=\x00\"'<A-Z]+")
_RUN_BOGUS = lazy(r"[^>\x00]+")
_RUN_CDATA = lazy(r"[^\]]+")
_RUN_SCRIPT_ESC = lazy(r"[^\-<\x00]+")


@lru_cache(maxsize=1)
def _entities() -> tuple[dict[str, str], int]:
    from html.entities import html5

    return html5, max(len(k) for k in html5)


def preprocess(text: str) -> str:
    """The standard's input stream: CRLF and lone CR become LF."""
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def is_noncharacter(cp: int) -> bool:
    return 0xFDD0 <= cp <= 0xFDEF or (cp & 0xFFFE) == 0xFFFE


class Tokenizer:
    """The WHATWG tokenizer.  ``errors`` collects ``TokenizerError``s; with
    ``tokens=True``, ``tokens`` collects the tokens in the html5lib-tests
    format (used by the conformance test); otherwise only tag names are
    kept, which is all the state switching needs."""

    def __init__(self, text: str, *, state: str = DATA, last_start_tag: str | None = None,
                 tokens: bool = False, tree_states: bool = True) -> None:
        self.s = text
        self.n = len(text)
        self.i = 0
        self.errors: list[TokenizerError] = []
        self.want = tokens
        self.tokens: list[Any] = []
        self.chars: list[str] = []
        self.tree_states = tree_states
        self.last_start = last_start_tag
        self.foreign: list[str] = []        # open <svg>/<math> elements
        self.state = {DATA: self.data, RCDATA: self.rcdata, RAWTEXT: self.rawtext,
                      SCRIPT: self.script_data, PLAINTEXT: self.plaintext,
                      CDATA: self.cdata}[state]
        self.return_state = self.data
        self.tag: dict[str, Any] | None = None
        self.attr_value: list[str] = []
        self.attr_start = 0
        self.comment: list[str] = []
        self.doctype: dict[str, Any] | None = None
        self.buf = ""                       # the standard's temporary buffer
        self.ref_code = 0
        self.cdata_allowed = state == CDATA
        self.mstart = -1                    # the "<" of the markup being read
        self.tags: list[Tag] = []

    # ------------------------------------------------------------ plumbing

    def run(self) -> Tokenizer:
        for m in _INPUT_ERROR.finditer(self.s):
            cp = ord(m.group())
            if 0xD800 <= cp <= 0xDFFF:
                code = "surrogate-in-input-stream"
            elif is_noncharacter(cp):
                code = "noncharacter-in-input-stream"
            else:
                code = "control-character-in-input-stream"
            self.errors.append(TokenizerError(m.start(), code, -1))
        while self.state():
            pass
        self.flush_chars()
        self.errors.sort()
        return self

    def err(self, code: str, at: int | None = None) -> None:
        """An error at the current input character (the one just consumed;
        the end of input when there is none)."""
        if at is None:
            at = self.i - 1 if self.i <= self.n and not self._eof else self.n
        self.errors.append(TokenizerError(at, code, self.mstart))

    _eof = False

    def next(self) -> str | None:
        """Consume the next input character; None: end of input."""
        if self.i < self.n:
            c = self.s[self.i]
            self.i += 1
            self._eof = False
            return c
        self._eof = True
        self.i = self.n + 1
        return None

    def reconsume(self, state: Any) -> bool:
        if self._eof:
            self.i = self.n
        else:
            self.i -= 1
        self._eof = False
        self.state = state
        return True

    def run_of(self, pattern: re.Pattern[str]) -> str | None:
        m = pattern.match(self.s, self.i)
        if m is None:
            return None
        self.i = m.end()
        return m.group()

    def emit_chars(self, text: str) -> None:
        if self.want:
            self.chars.append(text)

    def flush_chars(self) -> None:
        if self.chars:
            data = "".join(self.chars)
            self.chars = []
            if self.tokens and self.tokens[-1][0] == "Character":
                self.tokens[-1][1] += data
            else:
                self.tokens.append(["Character", data])

    def emit(self, token: list[Any]) -> None:
        if self.want:
            self.flush_chars()
            self.tokens.append(token)

    def new_tag(self, end: bool) -> None:
        self.tag = {"end": end, "name": [], "attrs": {}, "self_closing": False, "order": []}

    def start_attr(self) -> None:
        self.finish_attr()
        self.attr_name_parts: list[str] = []
        self.attr_value = []
        self.attr_start = self.i - 1
        self.in_attr = True

    in_attr = False

    def finish_attr(self) -> None:
        """The attribute is complete: a duplicate name is an error (the
        standard checks when leaving the attribute name state; checking here
        puts it at the same character for all inputs of the tests)."""
        if not self.in_attr:
            return
        self.in_attr = False
        assert self.tag is not None
        name = "".join(self.attr_name_parts)
        if name in self.tag["attrs"]:
            return
        self.tag["attrs"][name] = "".join(self.attr_value)

    def check_duplicate(self) -> None:
        """Leaving the attribute name state."""
        assert self.tag is not None
        name = "".join(self.attr_name_parts)
        if name in self.tag["attrs"]:
            self.err("duplicate-attribute")

    def emit_tag(self) -> None:
        self.finish_attr()
        tag = self.tag
        assert tag is not None
        name = "".join(tag["name"])
        self.tags.append(Tag(self.mstart, self.i, name, tag["end"], bool(self.foreign), tag["self_closing"]))
        if tag["end"]:
            if tag["attrs"]:
                self.err("end-tag-with-attributes")
            if tag["self_closing"]:
                self.err("end-tag-with-trailing-solidus")
            self.emit(["EndTag", name])
            if self.foreign and name == self.foreign[-1]:
                self.foreign.pop()
        else:
            self.last_start = name
            token: list[Any] = ["StartTag", name, tag["attrs"]]
            if tag["self_closing"]:
                token.append(True)
            self.emit(token)
            if self.tree_states:
                self._switch_for(name, tag["self_closing"])
        self.tag = None

    def _switch_for(self, name: str, self_closing: bool) -> None:
        if self.foreign:
            if name in ("svg", "math") and not self_closing:
                self.foreign.append(name)
            return
        if name in ("svg", "math"):
            if not self_closing:
                self.foreign.append(name)
        elif name in _RCDATA_TAGS:
            self.state = self.rcdata
        elif name in _RAWTEXT_TAGS:
            self.state = self.rawtext
        elif name == "script":
            self.state = self.script_data
        elif name == "plaintext":
            self.state = self.plaintext

    def emit_comment(self) -> None:
        self.emit(["Comment", "".join(self.comment)])

    doctypes = 0                            # DOCTYPE tokens emitted (postlint.analysis.body.html)

    def emit_doctype(self) -> None:
        self.doctypes += 1
        d = self.doctype
        assert d is not None
        self.emit(["DOCTYPE", d["name"], d["public"], d["system"], not d["quirks"]])

    def appropriate(self) -> bool:
        assert self.tag is not None
        return self.last_start is not None and "".join(self.tag["name"]) == self.last_start

    # ------------------------------------------------------------ text states

    def data(self) -> bool:
        run = self.run_of(_RUN_DATA)
        if run:
            self.emit_chars(run)
        c = self.next()
        if c == "&":
            self.return_state = self.data
            self.state = self.char_ref
        elif c == "<":
            self.mstart = self.i - 1
            m = _PLAIN_TAG.match(self.s, self.mstart)
            if m is not None:
                # No error can arise in such a tag: the states' path, in one step.
                self.new_tag(bool(m.group(1)))
                assert self.tag is not None
                self.tag["name"].append(m.group(2))
                self.i = m.end()
                self.emit_tag()
                return True
            self.state = self.tag_open
        elif c == "\0":
            self.err("unexpected-null-character")
            self.emit_chars(c)
        elif c is None:
            return False
        return True

    def rcdata(self) -> bool:
        run = self.run_of(_RUN_DATA)
        if run:
            self.emit_chars(run)
        c = self.next()
        if c == "&":
            self.return_state = self.rcdata
            self.state = self.char_ref
        elif c == "<":
            self.mstart = self.i - 1
            self.state = self.rcdata_lt
        elif c == "\0":
            self.err("unexpected-null-character")
            self.emit_chars("\ufffd")
        elif c is None:
            return False
        return True

    def rawtext(self) -> bool:
        return self._raw(self.rawtext, self.rawtext_lt)

    def script_data(self) -> bool:
        return self._raw(self.script_data, self.script_lt)

    def _raw(self, me: Any, lt: Any) -> bool:
        run = self.run_of(_RUN_RAW)
        if run:
            self.emit_chars(run)
        c = self.next()
        if c == "<":
            self.mstart = self.i - 1
            self.state = lt
        elif c == "\0":
            self.err("unexpected-null-character")
            self.emit_chars("\ufffd")
        elif c is None:
            return False
        return True

    def plaintext(self) -> bool:
        run = self.run_of(_RUN_PLAIN)
        if run:
            self.emit_chars(run)
        c = self.next()
        if c == "\0":
            self.err("unexpected-null-character")
            self.emit_chars("\ufffd")
        elif c is None:
            return False
        return True

    # ------------------------------------------------------------ tags

    def tag_open(self) -> bool:
        c = self.next()
        if c == "!":
            self.state = self.markup_declaration_open
        elif c == "/":
            self.state = self.end_tag_open
        elif c is not None and c in _ALPHA:
            self.new_tag(False)
            return self.reconsume(self.tag_name)
        elif c == "?":
            self.err("unexpected-question-mark-instead-of-tag-name")
            self.comment = []
            return self.reconsume(self.bogus_comment)
        elif c is None:
            self.err("eof-before-tag-name")
            self.emit_chars("<")
            return False
        else:
            self.err("invalid-first-character-of-tag-name")
            self.emit_chars("<")
            return self.reconsume(self.data)
        return True

    def end_tag_open(self) -> bool:
        c = self.next()
        if c is not None and c in _ALPHA:
            self.new_tag(True)
            return self.reconsume(self.tag_name)
        if c == ">":
            self.err("missing-end-tag-name")
            self.state = self.data
        elif c is None:
            self.err("eof-before-tag-name")
            self.emit_chars("</")
            return False
        else:
            self.err("invalid-first-character-of-tag-name")
            self.comment = []
            return self.reconsume(self.bogus_comment)
        return True

    def tag_name(self) -> bool:
        assert self.tag is not None
        run = self.run_of(_RUN_NAME)
        if run:
            self.tag["name"].append(run)
        c = self.next()
        if c is None:
            self.err("eof-in-tag")
            return False
        if c in _WS:
            self.state = self.before_attr_name
        elif c == "/":
            self.state = self.self_closing
        elif c == ">":
            self.state = self.data
            self.emit_tag()
        elif c == "\0":
            self.err("unexpected-null-character")
            self.tag["name"].append("\ufffd")
        else:
            self.tag["name"].append(c.lower())
        return True

    def _lt(self, me: Any, end_open: Any, text_state: Any) -> bool:
        c = self.next()
        if c == "/":
            self.buf = ""
            self.state = end_open
            return True
        self.emit_chars("<")
        return self.reconsume(text_state)

    def rcdata_lt(self) -> bool:
        return self._lt(self.rcdata_lt, self.rcdata_end_open, self.rcdata)

    def rawtext_lt(self) -> bool:
        return self._lt(self.rawtext_lt, self.rawtext_end_open, self.rawtext)

    def _end_open(self, name_state: Any, text_state: Any) -> bool:
        c = self.next()
        if c is not None and c in _ALPHA:
            self.new_tag(True)
            return self.reconsume(name_state)
        self.emit_chars("</")
        return self.reconsume(text_state)

    def rcdata_end_open(self) -> bool:
        return self._end_open(self.rcdata_end_name, self.rcdata)

    def rawtext_end_open(self) -> bool:
        return self._end_open(self.rawtext_end_name, self.rawtext)

    def script_end_open(self) -> bool:
        return self._end_open(self.script_end_name, self.script_data)

    def _end_name(self, text_state: Any) -> bool:
        assert self.tag is not None
        c = self.next()
        if c is not None and c in _WS and self.appropriate():
            self.state = self.before_attr_name
            return True
        if c == "/" and self.appropriate():
            self.state = self.self_closing
            return True
        if c == ">" and self.appropriate():
            self.state = self.data
            self.emit_tag()
            return True
        if c is not None and c in _ALPHA:
            self.tag["name"].append(c.lower())
            self.buf += c
            return True
        self.emit_chars("</" + self.buf)
        self.tag = None
        return self.reconsume(text_state)

    def rcdata_end_name(self) -> bool:
        return self._end_name(self.rcdata)

    def rawtext_end_name(self) -> bool:
        return self._end_name(self.rawtext)

    def script_end_name(self) -> bool:
        return self._end_name(self.script_data)

    # ------------------------------------------------------------ script data

    def script_lt(self) -> bool:
        c = self.next()
        if c == "/":
            self.buf = ""
            self.state = self.script_end_open
        elif c == "!":
            self.state = self.script_escape_start
            self.emit_chars("<!")
        else:
            self.emit_chars("<")
            return self.reconsume(self.script_data)
        return True

    def script_escape_start(self) -> bool:
        c = self.next()
        if c == "-":
            self.state = self.script_escape_start_dash
            self.emit_chars("-")
            return True
        return self.reconsume(self.script_data)

    def script_escape_start_dash(self) -> bool:
        c = self.next()
        if c == "-":
            self.state = self.script_escaped_dash_dash
            self.emit_chars("-")
            return True
        return self.reconsume(self.script_data)

    def script_escaped(self) -> bool:
        run = self.run_of(_RUN_SCRIPT_ESC)
        if run:
            self.emit_chars(run)
        c = self.next()
        if c == "-":
            self.state = self.script_escaped_dash
            self.emit_chars("-")
        elif c == "<":
            self.mstart = self.i - 1
            self.state = self.script_escaped_lt
        elif c == "\0":
            self.err("unexpected-null-character")
            self.emit_chars("\ufffd")
        elif c is None:
            self.err("eof-in-script-html-comment-like-text")
            return False
        return True

    def script_escaped_dash(self) -> bool:
        c = self.next()
        if c == "-":
            self.state = self.script_escaped_dash_dash
            self.emit_chars("-")
        elif c == "<":
            self.mstart = self.i - 1
            self.state = self.script_escaped_lt
        elif c == "\0":
            self.err("unexpected-null-character")
            self.state = self.script_escaped
            self.emit_chars("\ufffd")
        elif c is None:
            self.err("eof-in-script-html-comment-like-text")
            return False
        else:
            self.state = self.script_escaped
            self.emit_chars(c)
        return True

    def script_escaped_dash_dash(self) -> bool:
        c = self.next()
        if c == "-":
            self.emit_chars("-")
        elif c == "<":
            self.mstart = self.i - 1
            self.state = self.script_escaped_lt
        elif c == ">":
            self.state = self.script_data
            self.emit_chars(">")
        elif c == "\0":
            self.err("unexpected-null-character")
            self.state = self.script_escaped
            self.emit_chars("\ufffd")
        elif c is None:
            self.err("eof-in-script-html-comment-like-text")
            return False
        else:
            self.state = self.script_escaped
            self.emit_chars(c)
        return True

    def script_escaped_lt(self) -> bool:
        c = self.next()
        if c == "/":
            self.buf = ""
            self.state = self.script_escaped_end_open
            return True
        if c is not None and c in _ALPHA:
            self.buf = ""
            self.emit_chars("<")
            return self.reconsume(self.script_double_escape_start)
        self.emit_chars("<")
        return self.reconsume(self.script_escaped)

    def script_escaped_end_open(self) -> bool:
        return self._end_open(self.script_escaped_end_name, self.script_escaped)

    def script_escaped_end_name(self) -> bool:
        return self._end_name(self.script_escaped)

    def script_double_escape_start(self) -> bool:
        c = self.next()
        if c is not None and (c in _WS or c in "/>"):
            self.state = self.script_double_escaped if self.buf == "script" else self.script_escaped
            self.emit_chars(c)
        elif c is not None and c in _ALPHA:
            self.buf += c.lower()
            self.emit_chars(c)
        else:
            return self.reconsume(self.script_escaped)
        return True

    def script_double_escaped(self) -> bool:
        run = self.run_of(_RUN_SCRIPT_ESC)
        if run:
            self.emit_chars(run)
        c = self.next()
        if c == "-":
            self.state = self.script_double_escaped_dash
            self.emit_chars("-")
        elif c == "<":
            self.state = self.script_double_escaped_lt
            self.emit_chars("<")
        elif c == "\0":
            self.err("unexpected-null-character")
            self.emit_chars("\ufffd")
        elif c is None:
            self.err("eof-in-script-html-comment-like-text")
            return False
        return True

    def script_double_escaped_dash(self) -> bool:
        c = self.next()
        if c == "-":
            self.state = self.script_double_escaped_dash_dash
            self.emit_chars("-")
        elif c == "<":
            self.state = self.script_double_escaped_lt
            self.emit_chars("<")
        elif c == "\0":
            self.err("unexpected-null-character")
            self.state = self.script_double_escaped
            self.emit_chars("\ufffd")
        elif c is None:
            self.err("eof-in-script-html-comment-like-text")
            return False
        else:
            self.state = self.script_double_escaped
            self.emit_chars(c)
        return True

    def script_double_escaped_dash_dash(self) -> bool:
        c = self.next()
        if c == "-":
            self.emit_chars("-")
        elif c == "<":
            self.state = self.script_double_escaped_lt
            self.emit_chars("<")
        elif c == ">":
            self.state = self.script_data
            self.emit_chars(">")
        elif c == "\0":
            self.err("unexpected-null-character")
            self.state = self.script_double_escaped
            self.emit_chars("\ufffd")
        elif c is None:
            self.err("eof-in-script-html-comment-like-text")
            return False
        else:
            self.state = self.script_double_escaped
            self.emit_chars(c)
        return True

    def script_double_escaped_lt(self) -> bool:
        c = self.next()
        if c == "/":
            self.buf = ""
            self.state = self.script_double_escape_end
            self.emit_chars("/")
            return True
        return self.reconsume(self.script_double_escaped)

    def script_double_escape_end(self) -> bool:
        c = self.next()
        if c is not None and (c in _WS or c in "/>"):
            self.state = self.script_escaped if self.buf == "script" else self.script_double_escaped
            self.emit_chars(c)
        elif c is not None and c in _ALPHA:
            self.buf += c.lower()
            self.emit_chars(c)
        else:
            return self.reconsume(self.script_double_escaped)
        return True

    # ------------------------------------------------------------ attributes

    def before_attr_name(self) -> bool:
        c = self.next()
        if c is not None and c in _WS:
            return True
        if c is None or c in "/>":
            return self.reconsume(self.after_attr_name)
        if c == "=":
            self.err("unexpected-equals-sign-before-attribute-name")
            self.start_attr()
            self.attr_name_parts.append(c)
            self.state = self.attr_name
            return True
        self.start_attr()
        return self.reconsume(self.attr_name)

    def attr_name(self) -> bool:
        run = self.run_of(_RUN_ATTR_NAME)
        if run:
            self.attr_name_parts.append(run)
        c = self.next()
        if c is None or c in _WS or c in "/>":
            self.check_duplicate()
            return self.reconsume(self.after_attr_name)
        if c == "=":
            self.check_duplicate()
            self.state = self.before_attr_value
        elif c == "\0":
            self.err("unexpected-null-character")
            self.attr_name_parts.append("\ufffd")
        elif c in "\"'<":
            self.err("unexpected-character-in-attribute-name")
            self.attr_name_parts.append(c)
        else:
            self.attr_name_parts.append(c.lower())
        return True

    def after_attr_name(self) -> bool:
        c = self.next()
        if c is not None and c in _WS:
            return True
        if c == "/":
            self.state = self.self_closing
        elif c == "=":
            self.state = self.before_attr_value
        elif c == ">":
            self.state = self.data
            self.emit_tag()
        elif c is None:
            self.err("eof-in-tag")
            return False
        else:
            self.start_attr()
            return self.reconsume(self.attr_name)
        return True

    def before_attr_value(self) -> bool:
        c = self.next()
        if c is not None and c in _WS:
            return True
        if c == '"':
            self.state = self.attr_value_dq
        elif c == "'":
            self.state = self.attr_value_sq
        elif c == ">":
            self.err("missing-attribute-value")
            self.state = self.data
            self.emit_tag()
        else:
            return self.reconsume(self.attr_value_unquoted)
        return True

    def _quoted(self, quote: str, run: re.Pattern[str], me: Any) -> bool:
        text = self.run_of(run)
        if text:
            self.attr_value.append(text)
        c = self.next()
        if c == quote:
            self.state = self.after_attr_value_quoted
        elif c == "&":
            self.return_state = me
            self.state = self.char_ref
        elif c == "\0":
            self.err("unexpected-null-character")
            self.attr_value.append("\ufffd")
        elif c is None:
            self.err("eof-in-tag")
            return False
        return True

    def attr_value_dq(self) -> bool:
        return self._quoted('"', _RUN_DQ, self.attr_value_dq)

    def attr_value_sq(self) -> bool:
        return self._quoted("'", _RUN_SQ, self.attr_value_sq)

    def attr_value_unquoted(self) -> bool:
        text = self.run_of(_RUN_UNQ)
        if text:
            self.attr_value.append(text)
        c = self.next()
        if c is None:
            self.err("eof-in-tag")
            return False
        if c in _WS:
            self.state = self.before_attr_name
        elif c == "&":
            self.return_state = self.attr_value_unquoted
            self.state = self.char_ref
        elif c == ">":
            self.state = self.data
            self.emit_tag()
        elif c == "\0":
            self.err("unexpected-null-character")
            self.attr_value.append("\ufffd")
        else:                               # " ' < = `
            self.err("unexpected-character-in-unquoted-attribute-value")
            self.attr_value.append(c)
        return True

    def after_attr_value_quoted(self) -> bool:
        c = self.next()
        if c is not None and c in _WS:
            self.state = self.before_attr_name
        elif c == "/":
            self.state = self.self_closing
        elif c == ">":
            self.state = self.data
            self.emit_tag()
        elif c is None:
            self.err("eof-in-tag")
            return False
        else:
            self.err("missing-whitespace-between-attributes")
            return self.reconsume(self.before_attr_name)
        return True

    def self_closing(self) -> bool:
        assert self.tag is not None
        c = self.next()
        if c == ">":
            self.tag["self_closing"] = True
            self.state = self.data
            self.emit_tag()
        elif c is None:
            self.err("eof-in-tag")
            return False
        else:
            self.err("unexpected-solidus-in-tag")
            return self.reconsume(self.before_attr_name)
        return True

    # ------------------------------------------------------------ comments

    def bogus_comment(self) -> bool:
        run = self.run_of(_RUN_BOGUS)
        if run:
            self.comment.append(run)
        c = self.next()
        if c == ">":
            self.state = self.data
            self.emit_comment()
        elif c is None:
            self.emit_comment()
            return False
        else:                               # NUL
            self.err("unexpected-null-character")
            self.comment.append("\ufffd")
        return True

    def markup_declaration_open(self) -> bool:
        s, i = self.s, self.i
        if s.startswith("--", i):
            self.i += 2
            self.comment = []
            self.state = self.comment_start
        elif s[i:i + 7].upper() == "DOCTYPE":
            self.i += 7
            self.state = self.doctype_state
        elif s.startswith("[CDATA[", i):
            self.i += 7
            if self.foreign or self.cdata_allowed:
                self.state = self.cdata
            else:
                self.err("cdata-in-html-content", self.i - 1 + 1 - 1)
                self.comment = ["[CDATA["]
                self.state = self.bogus_comment
        else:
            self.err("incorrectly-opened-comment", self.i)
            self.comment = []
            self.state = self.bogus_comment
        return True

    def comment_start(self) -> bool:
        c = self.next()
        if c == "-":
            self.state = self.comment_start_dash
        elif c == ">":
            self.err("abrupt-closing-of-empty-comment")
            self.state = self.data
            self.emit_comment()
        else:
            return self.reconsume(self.comment_state)
        return True

    def comment_start_dash(self) -> bool:
        c = self.next()
        if c == "-":
            self.state = self.comment_end
        elif c == ">":
            self.err("abrupt-closing-of-empty-comment")
            self.state = self.data
            self.emit_comment()
        elif c is None:
            self.err("eof-in-comment")
            self.emit_comment()
            return False
        else:
            self.comment.append("-")
            return self.reconsume(self.comment_state)
        return True

    def comment_state(self) -> bool:
        run = self.run_of(_RUN_COMMENT)
        if run:
            self.comment.append(run)
        c = self.next()
        if c == "<":
            self.comment.append(c)
            self.state = self.comment_lt
        elif c == "-":
            self.state = self.comment_end_dash
        elif c == "\0":
            self.err("unexpected-null-character")
            self.comment.append("\ufffd")
        elif c is None:
            self.err("eof-in-comment")
            self.emit_comment()
            return False
        return True

    def comment_lt(self) -> bool:
        c = self.next()
        if c == "!":
            self.comment.append(c)
            self.state = self.comment_lt_bang
        elif c == "<":
            self.comment.append(c)
        else:
            return self.reconsume(self.comment_state)
        return True

    def comment_lt_bang(self) -> bool:
        c = self.next()
        if c == "-":
            self.state = self.comment_lt_bang_dash
            return True
        return self.reconsume(self.comment_state)

    def comment_lt_bang_dash(self) -> bool:
        c = self.next()
        if c == "-":
            self.state = self.comment_lt_bang_dash_dash
            return True
        return self.reconsume(self.comment_end_dash)

    def comment_lt_bang_dash_dash(self) -> bool:
        c = self.next()
        if c is None or c == ">":
            return self.reconsume(self.comment_end)
        self.err("nested-comment")
        return self.reconsume(self.comment_end)

    def comment_end_dash(self) -> bool:
        c = self.next()
        if c == "-":
            self.state = self.comment_end
        elif c is None:
            self.err("eof-in-comment")
            self.emit_comment()
            return False
        else:
            self.comment.append("-")
            return self.reconsume(self.comment_state)
        return True

    def comment_end(self) -> bool:
        c = self.next()
        if c == ">":
            self.state = self.data
            self.emit_comment()
        elif c == "!":
            self.state = self.comment_end_bang
        elif c == "-":
            self.comment.append("-")
        elif c is None:
            self.err("eof-in-comment")
            self.emit_comment()
            return False
        else:
            self.comment.append("--")
            return self.reconsume(self.comment_state)
        return True

    def comment_end_bang(self) -> bool:
        c = self.next()
        if c == "-":
            self.comment.append("--!")
            self.state = self.comment_end_dash
        elif c == ">":
            self.err("incorrectly-closed-comment")
            self.state = self.data
            self.emit_comment()
        elif c is None:
            self.err("eof-in-comment")
            self.emit_comment()
            return False
        else:
            self.comment.append("--!")
            return self.reconsume(self.comment_state)
        return True

    # ------------------------------------------------------------ DOCTYPE

    def new_doctype(self, quirks: bool = False) -> None:
        self.doctype = {"name": None, "public": None, "system": None, "quirks": quirks}

    def _doctype_eof(self) -> bool:
        self.err("eof-in-doctype")
        if self.doctype is None:
            self.new_doctype()
        assert self.doctype is not None
        self.doctype["quirks"] = True
        self.emit_doctype()
        return False

    def doctype_state(self) -> bool:
        c = self.next()
        if c is not None and c in _WS:
            self.state = self.before_doctype_name
        elif c == ">":
            return self.reconsume(self.before_doctype_name)
        elif c is None:
            return self._doctype_eof()
        else:
            self.err("missing-whitespace-before-doctype-name")
            return self.reconsume(self.before_doctype_name)
        return True

    def before_doctype_name(self) -> bool:
        c = self.next()
        if c is not None and c in _WS:
            return True
        if c == ">":
            self.err("missing-doctype-name")
            self.new_doctype(True)
            self.state = self.data
            self.emit_doctype()
        elif c is None:
            self.new_doctype()
            return self._doctype_eof()
        else:
            self.new_doctype()
            assert self.doctype is not None
            if c == "\0":
                self.err("unexpected-null-character")
                c = "\ufffd"
            self.doctype["name"] = c.lower()
            self.state = self.doctype_name
        return True

    def doctype_name(self) -> bool:
        d = self.doctype
        assert d is not None
        c = self.next()
        if c is not None and c in _WS:
            self.state = self.after_doctype_name
        elif c == ">":
            self.state = self.data
            self.emit_doctype()
        elif c is None:
            return self._doctype_eof()
        elif c == "\0":
            self.err("unexpected-null-character")
            d["name"] += "\ufffd"
        else:
            d["name"] += c.lower()
        return True

    def after_doctype_name(self) -> bool:
        c = self.next()
        if c is not None and c in _WS:
            return True
        if c == ">":
            self.state = self.data
            self.emit_doctype()
            return True
        if c is None:
            return self._doctype_eof()
        word = self.s[self.i - 1:self.i + 5].upper()
        if word == "PUBLIC":
            self.i += 5
            self.state = self.after_doctype_public_keyword
        elif word == "SYSTEM":
            self.i += 5
            self.state = self.after_doctype_system_keyword
        else:
            self.err("invalid-character-sequence-after-doctype-name")
            assert self.doctype is not None
            self.doctype["quirks"] = True
            return self.reconsume(self.bogus_doctype)
        return True

    def _after_keyword(self, which: str, missing_ws: str, before_state: Any) -> bool:
        d = self.doctype
        assert d is not None
        c = self.next()
        if c is not None and c in _WS:
            self.state = before_state
        elif c in ('"', "'"):
            self.err(missing_ws)
            d[which] = ""
            self.state = self._id_state(which, c)
        elif c == ">":
            self.err(f"missing-doctype-{which}-identifier")
            d["quirks"] = True
            self.state = self.data
            self.emit_doctype()
        elif c is None:
            return self._doctype_eof()
        else:
            self.err(f"missing-quote-before-doctype-{which}-identifier")
            d["quirks"] = True
            return self.reconsume(self.bogus_doctype)
        return True

    def _id_state(self, which: str, quote: str) -> Any:
        if which == "public":
            return self.public_id_dq if quote == '"' else self.public_id_sq
        return self.system_id_dq if quote == '"' else self.system_id_sq

    def after_doctype_public_keyword(self) -> bool:
        return self._after_keyword("public", "missing-whitespace-after-doctype-public-keyword",
                                   self.before_doctype_public_id)

    def after_doctype_system_keyword(self) -> bool:
        return self._after_keyword("system", "missing-whitespace-after-doctype-system-keyword",
                                   self.before_doctype_system_id)

    def _before_id(self, which: str) -> bool:
        d = self.doctype
        assert d is not None
        c = self.next()
        if c is not None and c in _WS:
            return True
        if c in ('"', "'"):
            d[which] = ""
            self.state = self._id_state(which, c)
        elif c == ">":
            self.err(f"missing-doctype-{which}-identifier")
            d["quirks"] = True
            self.state = self.data
            self.emit_doctype()
        elif c is None:
            return self._doctype_eof()
        else:
            self.err(f"missing-quote-before-doctype-{which}-identifier")
            d["quirks"] = True
            return self.reconsume(self.bogus_doctype)
        return True

    def before_doctype_public_id(self) -> bool:
        return self._before_id("public")

    def before_doctype_system_id(self) -> bool:
        return self._before_id("system")

    def _id(self, which: str, quote: str) -> bool:
        d = self.doctype
        assert d is not None
        c = self.next()
        if c == quote:
            self.state = (self.after_doctype_public_id if which == "public"
                          else self.after_doctype_system_id)
        elif c == "\0":
            self.err("unexpected-null-character")
            d[which] += "\ufffd"
        elif c == ">":
            self.err(f"abrupt-doctype-{which}-identifier")
            d["quirks"] = True
            self.state = self.data
            self.emit_doctype()
        elif c is None:
            return self._doctype_eof()
        else:
            d[which] += c
        return True

    def public_id_dq(self) -> bool:
        return self._id("public", '"')

    def public_id_sq(self) -> bool:
        return self._id("public", "'")

    def system_id_dq(self) -> bool:
        return self._id("system", '"')

    def system_id_sq(self) -> bool:
        return self._id("system", "'")

    def after_doctype_public_id(self) -> bool:
        d = self.doctype
        assert d is not None
        c = self.next()
        if c is not None and c in _WS:
            self.state = self.between_doctype_ids
        elif c == ">":
            self.state = self.data
            self.emit_doctype()
        elif c in ('"', "'"):
            self.err("missing-whitespace-between-doctype-public-and-system-identifiers")
            d["system"] = ""
            self.state = self._id_state("system", c)
        elif c is None:
            return self._doctype_eof()
        else:
            self.err("missing-quote-before-doctype-system-identifier")
            d["quirks"] = True
            return self.reconsume(self.bogus_doctype)
        return True

    def between_doctype_ids(self) -> bool:
        d = self.doctype
        assert d is not None
        c = self.next()
        if c is not None and c in _WS:
            return True
        if c == ">":
            self.state = self.data
            self.emit_doctype()
        elif c in ('"', "'"):
            d["system"] = ""
            self.state = self._id_state("system", c)
        elif c is None:
            return self._doctype_eof()
        else:
            self.err("missing-quote-before-doctype-system-identifier")
            d["quirks"] = True
            return self.reconsume(self.bogus_doctype)
        return True

    def after_doctype_system_id(self) -> bool:
        c = self.next()
        if c is not None and c in _WS:
            return True
        if c == ">":
            self.state = self.data
            self.emit_doctype()
        elif c is None:
            return self._doctype_eof()
        else:
            self.err("unexpected-character-after-doctype-system-identifier")
            return self.reconsume(self.bogus_doctype)
        return True

    def bogus_doctype(self) -> bool:
        c = self.next()
        if c == ">":
            self.state = self.data
            self.emit_doctype()
        elif c == "\0":
            self.err("unexpected-null-character")
        elif c is None:
            self.emit_doctype()
            return False
        return True

    # ------------------------------------------------------------ CDATA

    def cdata(self) -> bool:
        run = self.run_of(_RUN_CDATA)
        if run:
            self.emit_chars(run)
        c = self.next()
        if c == "]":
            self.state = self.cdata_bracket
        elif c is None:
            self.err("eof-in-cdata")
            return False
        return True

    def cdata_bracket(self) -> bool:
        c = self.next()
        if c == "]":
            self.state = self.cdata_end
            return True
        self.emit_chars("]")
        return self.reconsume(self.cdata)

    def cdata_end(self) -> bool:
        c = self.next()
        if c == "]":
            self.emit_chars("]")
        elif c == ">":
            self.state = self.data
        else:
            self.emit_chars("]]")
            return self.reconsume(self.cdata)
        return True

    # ------------------------------------------------------------ character references

    def _in_attr(self) -> bool:
        return self.return_state in (self.attr_value_dq, self.attr_value_sq,
                                     self.attr_value_unquoted)

    def _flush_ref(self, text: str) -> None:
        if self._in_attr():
            self.attr_value.append(text)
        else:
            self.emit_chars(text)

    def char_ref(self) -> bool:
        self.buf = "&"
        c = self.next()
        if c is not None and c in _ALNUM:
            return self.reconsume(self.named_ref)
        if c == "#":
            self.buf += c
            self.state = self.numeric_ref
            return True
        self._flush_ref(self.buf)
        return self.reconsume(self.return_state)

    def named_ref(self) -> bool:
        table, longest = _entities()
        s, i = self.s, self.i
        # Candidate names: letters and digits, then an optional ";".
        j = i
        limit = min(self.n, i + longest)
        while j < limit and s[j] in _ALNUM:
            j += 1
        if j < limit and s[j] == ";":
            j += 1
        match = None
        for k in range(j, i, -1):
            if s[i:k] in table:
                match = s[i:k]
                break
        if match is None:
            self._flush_ref(self.buf)
            self.state = self.ambiguous_ampersand
            return True
        self.i = i + len(match)
        nxt = s[self.i] if self.i < self.n else None
        if (self._in_attr() and not match.endswith(";") and nxt is not None
                and (nxt == "=" or nxt in _ALNUM)):
            self._flush_ref("&" + match)
            self.state = self.return_state
            return True
        if not match.endswith(";"):
            self.err("missing-semicolon-after-character-reference", self.i)
        self._flush_ref(table[match])
        self.state = self.return_state
        return True

    def ambiguous_ampersand(self) -> bool:
        c = self.next()
        if c is not None and c in _ALNUM:
            self._flush_ref(c)
            return True
        if c == ";":
            self.err("unknown-named-character-reference")
        return self.reconsume(self.return_state)

    def numeric_ref(self) -> bool:
        self.ref_code = 0
        c = self.next()
        if c in ("x", "X"):
            self.buf += c
            self.state = self.hex_ref_start
            return True
        return self.reconsume(self.dec_ref_start)

    def hex_ref_start(self) -> bool:
        c = self.next()
        if c is not None and c in _HEX:
            return self.reconsume(self.hex_ref)
        self.err("absence-of-digits-in-numeric-character-reference")
        self._flush_ref(self.buf)
        return self.reconsume(self.return_state)

    def dec_ref_start(self) -> bool:
        c = self.next()
        if c is not None and c in "0123456789":
            return self.reconsume(self.dec_ref)
        self.err("absence-of-digits-in-numeric-character-reference")
        self._flush_ref(self.buf)
        return self.reconsume(self.return_state)

    def _digits(self, base: int, digits: frozenset[str] | str) -> bool:
        c = self.next()
        if c is not None and c in digits:
            if self.ref_code <= 0x10FFFF:    # beyond that the value no longer matters
                self.ref_code = self.ref_code * base + int(c, base)
            return True
        if c == ";":
            return self.numeric_ref_end()
        self.err("missing-semicolon-after-character-reference")
        self.reconsume(self.return_state)
        return self.numeric_ref_end(keep_state=True)

    def hex_ref(self) -> bool:
        return self._digits(16, _HEX)

    def dec_ref(self) -> bool:
        return self._digits(10, "0123456789")

    def numeric_ref_end(self, keep_state: bool = False) -> bool:
        cp = self.ref_code
        at = self.i if not keep_state else None
        if cp == 0:
            self._ref_err("null-character-reference", at)
            cp = 0xFFFD
        elif cp > 0x10FFFF:
            self._ref_err("character-reference-outside-unicode-range", at)
            cp = 0xFFFD
        elif 0xD800 <= cp <= 0xDFFF:
            self._ref_err("surrogate-character-reference", at)
            cp = 0xFFFD
        elif is_noncharacter(cp):
            self._ref_err("noncharacter-character-reference", at)
        elif cp == 0x0D or ((cp < 0x20 or 0x7F <= cp <= 0x9F) and chr(cp) not in _WS):
            self._ref_err("control-character-reference", at)
            cp = _C1.get(cp, cp)
        self._flush_ref(chr(cp))
        if not keep_state:
            self.state = self.return_state
        return True

    def _ref_err(self, code: str, at: int | None) -> None:
        # After a missing ";", the character that ended the digits is the
        # current one again (reconsumed): the error sits at it.
        self.errors.append(TokenizerError(self.i if at is None else at, code, self.mstart))


def tokenize(text: str, **kwargs: Any) -> Tokenizer:
    """Run the tokenizer over ``text`` (already preprocessed)."""
    return Tokenizer(text, **kwargs).run()


def errors(text: str) -> list[TokenizerError]:
    """The tokenizer's parse errors in ``text`` (already preprocessed), in order."""
    return Tokenizer(text).run().errors


# What each error means to a reader of the page: what is wrong, what the
# browser does, how to write it.  Wording of postlint's own; the codes are
# the standard's.
MESSAGES: dict[str, str] = {
    "abrupt-closing-of-empty-comment":
        "`<!-->` or `<!--->` ends the comment at once: the text meant to be hidden is shown; "
        "close a comment with ` -->`",
    "abrupt-doctype-public-identifier": "the DOCTYPE's public identifier is cut short by `>`",
    "abrupt-doctype-system-identifier": "the DOCTYPE's system identifier is cut short by `>`",
    "absence-of-digits-in-numeric-character-reference":
        "`&#` is not followed by digits: browsers show it as written; write `&amp;#` for the text",
    "cdata-in-html-content":
        "`<![CDATA[` only works inside <svg> or <math>: in HTML browsers hide everything up to "
        "the next `>`; write the text escaped (`&lt;`, `&amp;`) instead",
    "character-reference-outside-unicode-range":
        "the character reference is beyond U+10FFFF: browsers show U+FFFD (\N{REPLACEMENT CHARACTER})",
    "control-character-reference":
        "the character reference names a control character: browsers show something else "
        "(for 128-159 the Windows-1252 character); write the character itself or its own reference",
    "duplicate-attribute":
        "the attribute is given twice in one tag: browsers keep the first and drop this one; "
        "merge the values into one attribute",
    "end-tag-with-attributes": "an end tag has attributes: browsers ignore them; remove them",
    "end-tag-with-trailing-solidus": "an end tag ends in `/>`: browsers ignore the `/`; write `</name>`",
    "eof-before-tag-name": "the text ends in `<`: browsers show it as written; write `&lt;`",
    "eof-in-cdata": "the CDATA section is never closed with `]]>`",
    "eof-in-comment":
        "the comment is never closed: browsers hide the whole rest of the post; close it with `-->`",
    "eof-in-doctype": "the DOCTYPE is never closed with `>`",
    "eof-in-script-html-comment-like-text":
        "a `<!--` inside the <script> is never closed with `-->`: browsers run the rest of the post "
        "as script",
    "eof-in-tag":
        "the tag is never closed with `>`: browsers drop it and everything after it",
    "incorrectly-closed-comment":
        "the comment is closed with `--!>`: browsers accept it; write `-->`",
    "incorrectly-opened-comment":
        "`<!` does not start a comment (`<!--`) or DOCTYPE: browsers hide everything up to the next "
        "`>`; write `<!--` for a comment or `&lt;!` for the text",
    "invalid-character-sequence-after-doctype-name": "unexpected text after the DOCTYPE name",
    "invalid-first-character-of-tag-name":
        "`<` is not followed by a tag name: browsers show it as written; write `&lt;`",
    "invalid-first-character-of-end-tag-name":
        "`</` is not followed by a tag name: browsers hide everything up to the next `>`; "
        "write `&lt;/` to show it",
    "missing-attribute-value":
        "`=` is followed by `>` instead of a value: browsers give the attribute an empty value; "
        "write the value in quotes",
    "missing-doctype-name": "the DOCTYPE has no name; write `<!DOCTYPE html>`",
    "missing-doctype-public-identifier": "the DOCTYPE's public identifier is missing",
    "missing-doctype-system-identifier": "the DOCTYPE's system identifier is missing",
    "missing-end-tag-name": "`</>` is not a tag: browsers drop it; write `&lt;/>` to show it",
    "missing-quote-before-doctype-public-identifier": "the DOCTYPE's public identifier is not quoted",
    "missing-quote-before-doctype-system-identifier": "the DOCTYPE's system identifier is not quoted",
    "missing-semicolon-after-character-reference":
        "the character reference has no `;`: browsers still read it as that character "
        "(`&copy 2019` shows \N{COPYRIGHT SIGN} 2019); end it with `;`, or write `&amp;` for a literal `&`",
    "missing-whitespace-after-doctype-public-keyword": "no space after `PUBLIC` in the DOCTYPE",
    "missing-whitespace-after-doctype-system-keyword": "no space after `SYSTEM` in the DOCTYPE",
    "missing-whitespace-before-doctype-name": "no space after `<!DOCTYPE`",
    "missing-whitespace-between-attributes":
        "two attributes are not separated by white space: browsers read them as two; add a space",
    "missing-whitespace-between-doctype-public-and-system-identifiers":
        "no space between the DOCTYPE's public and system identifiers",
    "nested-comment":
        "`<!--` inside a comment: comments do not nest, so the first `-->` ends both and the text "
        "after it is shown",
    "noncharacter-character-reference": "the character reference names a Unicode noncharacter",
    "non-void-html-element-start-tag-with-trailing-solidus":
        "`/>` does not close this element in HTML: browsers ignore the `/` and the element stays "
        "open; write a separate end tag",
    "null-character-reference": "`&#0;` is not a character: browsers show U+FFFD (\N{REPLACEMENT CHARACTER})",
    "surrogate-character-reference":
        "the character reference names a UTF-16 surrogate: browsers show U+FFFD; write the "
        "character's own code point",
    "unexpected-character-after-doctype-system-identifier": "unexpected text at the end of the DOCTYPE",
    "unexpected-character-in-attribute-name":
        "a quote or `<` inside an attribute name: browsers make it part of the name, so the "
        "attribute does not work; check the quoting around it",
    "unexpected-character-in-unquoted-attribute-value":
        "a quote, `<`, `=` or backquote inside an unquoted attribute value: browsers keep it in the "
        "value; put the value in quotes",
    "unexpected-equals-sign-before-attribute-name":
        "`=` where an attribute name should start: browsers make an attribute named `=...`; "
        "remove the extra `=`",
    "unexpected-null-character": "a NUL character (U+0000): browsers drop it or show U+FFFD; remove it",
    "unexpected-question-mark-instead-of-tag-name":
        "`<?` (an XML or PHP processing instruction) is not HTML: browsers hide everything up to "
        "the next `>`; remove it",
    "unexpected-solidus-in-tag": "a `/` inside the tag: browsers ignore it; remove it",
    "unknown-named-character-reference":
        "not a known character reference: browsers show it as written; write `&amp;` for a "
        "literal `&`",
    "control-character-in-input-stream": "a control character",
    "noncharacter-in-input-stream": "a Unicode noncharacter",
    "surrogate-in-input-stream": "a lone surrogate",
}

# Errors browsers render exactly as written, or as the author evidently
# meant: reported only with the rule's ``strict`` option.
AS_WRITTEN = frozenset({
    "absence-of-digits-in-numeric-character-reference",
    "eof-before-tag-name",
    "incorrectly-closed-comment",
    "invalid-first-character-of-tag-name",      # after "<" only; "</" hides text
    "missing-whitespace-between-attributes",
    "unexpected-solidus-in-tag",
    "end-tag-with-trailing-solidus",
    "unknown-named-character-reference",
})
