"""Where a Markdown body keeps its headings, code and raw HTML.

One parse per post, shared by every rule (through ``analysis.body.shared``).
The parser is pulldown-cmark (``pyromark``, Rust): its events carry the
source range of every block and span, so code, raw HTML and headings come
with real positions, at a tenth of the cost of markdown-it-py's pure-Python
parse (on the ruby-lang.org corpus 0.60 ms of CPU a post became about 0.06).
Both are CommonMark parsers; on what they decide differently the reference is
markdown-it-py (the parser these regions were first defined with, and whose
results the corpus findings record), so a body is handed to it whenever the
events show something pulldown-cmark may decide otherwise:

* a kramdown tag: kramdown reads any XML name as a tag (``<num_hosts>``,
  ``<file.name>``), CommonMark only letters, digits and "-";
* containers nested more than ``_MAX_DEPTH`` deep, or link brackets nested
  more than ``_MAX_BRACKETS`` deep: markdown-it stops at ``maxNesting`` (20)
  where pulldown-cmark goes on.

``tests/body/test_markdown_native.py`` compares the two on every corpus post,
the fixtures and generated documents.

markdown-it's block tokens carry line maps, counted the way markdown-it
counts lines after it normalises line endings (``\\r\\n``, ``\\r`` and
``\\n`` all end a line), so offsets are computed from this module's own
table of line starts in the *original* text and CRLF bodies come out right.
Its inline tokens have no positions at all: ``postlint.adapters.markdown_it``
records where code spans and raw HTML start and end in the inline token's
content; each content line is then located in its source line (it is that
line minus container prefixes such as ``> `` or list indentation, and minus
the ATX markers or table pipes around it).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable
from itertools import accumulate
from typing import Any, NamedTuple

from postlint.analysis.body.headings import Heading
from postlint.analysis.body.liquid import blank, liquid_blocks


class MarkdownInfo(NamedTuple):
    headings: list[Heading]
    code: list[tuple[int, int]]     # code blocks, code spans, Liquid highlight blocks
    html: list[tuple[int, int]]     # html_block and html_inline
    # Lines of only "#" characters (and blanks): CommonMark's empty ATX
    # headings, which kramdown (Jekyll) does not make headings at all.
    hash_lines: tuple[tuple[int, int], ...] = ()


_LINE_BREAK = re.compile(r"\r\n?|\n")
# kramdown's block-level HTML elements whose content it leaves raw unless the
# element says markdown="1" (or "block"): Markdown headings written inside
# them are text readers see as typed, not headings (kramdown issue 334).
_RAW_CONTAINERS = frozenset([
    "address", "article", "aside", "blockquote", "body", "details", "dd", "div", "dl", "dt", "fieldset",
    "figcaption", "figure", "footer", "form", "header", "hgroup", "html", "li", "main", "nav", "ol", "section",
    "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
])
_BLOCK_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>")
_MARKDOWN_ATTR = re.compile(r"""\bmarkdown\s*=\s*["']?(1|block|span)\b""", re.IGNORECASE)

def _line_starts(text: str) -> list[int]:
    return [0] + [m.end() for m in _LINE_BREAK.finditer(text)]


def markdown_regions(text: str) -> MarkdownInfo:
    """Headings (ATX and setext), code regions and raw-HTML regions of a body.

    Block regions run from the start of their first line to the end of their
    last line, line break excluded.  Headings cover their line(s) (a setext
    heading includes its underline).
    """
    # Jekyll runs Liquid first: highlight blocks are code, comment blocks are
    # gone.  Blanked (line breaks kept), they parse as blank lines.
    liquid = liquid_blocks(text)
    text = blank(text, liquid.all)
    info = _native_regions(text)
    if info is None:
        info = _markdown_it_regions(text)
    if liquid.code:
        info.code.extend(liquid.code)
        info.code.sort()
    return info


def markdown_it_regions(text: str) -> MarkdownInfo:
    """``markdown_regions`` as markdown-it-py reads the body: the reference
    that the pulldown-cmark parse is compared with, and the parse of the
    bodies it cannot decide."""
    liquid = liquid_blocks(text)
    text = blank(text, liquid.all)
    info = _markdown_it_regions(text)
    if liquid.code:
        info.code.extend(liquid.code)
        info.code.sort()
    return info


def _markdown_it_regions(text: str) -> MarkdownInfo:
    from postlint.adapters.markdown_it import parse_recording

    tokens, spans = parse_recording(text)
    starts = _line_starts(text)
    n_lines = len(starts)

    def line_end(i: int) -> int:             # end of line i, line break excluded
        if i + 1 < n_lines:
            end = starts[i + 1] - 1
            if end > starts[i] and text[end] == "\n" and text[end - 1] == "\r":
                end -= 1
            return end
        return len(text)

    def block(t: Any) -> tuple[int, int]:
        a, b = t.map
        return starts[min(a, n_lines - 1)], line_end(min(max(b - 1, a), n_lines - 1))

    headings: list[Heading] = []
    hash_lines: list[tuple[int, int]] = []
    code: list[tuple[int, int]] = []
    html: list[tuple[int, int]] = []
    inlines: list[tuple[Any, str]] = []                  # (inline token, context)
    context = ""
    pending_heading: tuple[int, int, int, str] | None = None
    raw: list[tuple[str, bool]] = []       # open HTML containers: (tag, markdown="1")
    for t in tokens:
        typ = t.type
        if typ in ("fence", "code_block") and t.map:
            code.append(block(t))
        elif typ == "html_block" and t.map:
            html.append(block(t))
            _track_containers(t.content, raw)
        elif typ == "heading_open" and t.map and raw and not raw[-1][1]:
            continue                        # raw HTML content in kramdown: no heading
        elif typ == "heading_open" and t.map and t.markup in ("=", "-") and t.map[1] - t.map[0] > 2:
            # kramdown's setext header is one line of text after a block
            # boundary; a longer paragraph keeps its underline as text.
            continue
        elif typ == "heading_open" and t.map:
            s, e = block(t)
            pending_heading = (int(t.tag[1]), s, e, t.markup)
        elif typ in ("th_open", "td_open"):
            context = "cell"
        elif typ == "inline":
            if pending_heading is not None:
                level, s, e, markup = pending_heading
                if markup.startswith("#") and not text[s:e].strip(" \t#"):
                    # kramdown's ATX header needs text once trailing "#"s are
                    # stripped: this line is a paragraph readers see as is.
                    hash_lines.append((s, e))
                else:
                    headings.append(Heading(level, s, e, _plain(t)))
                context = "atx" if markup.startswith("#") else ""
                pending_heading = None
            if t.children is not None and t.map:
                inlines.append((t, context))
            context = ""

    if spans:
        # Built for every inline token in document order: table cells of one
        # row are located left to right with a shared per-line cursor.
        cursors: dict[int, int] = {}
        mappers = {id(t): _ContentMap(text, starts, t, ctx, cursors) for t, ctx in inlines}
        for token, kind, cstart, cend in spans:
            mapper = mappers.get(id(token))
            if mapper is None or cend <= cstart:        # e.g. inside an image's alt text
                continue
            rng = (mapper.offset(cstart), mapper.offset(cend - 1) + 1)
            (code if kind == "code_inline" else html).append(rng)
    code.sort()
    html.sort()
    return MarkdownInfo(headings, code, html, tuple(hash_lines))


def _track_containers(content: str, stack: list[tuple[str, bool]]) -> None:
    """Follow the block-level containers an HTML block opens and closes."""
    for m in _BLOCK_TAG.finditer(content):
        closing, name, attrs = m.group(1), m.group(2).lower(), m.group(3)
        if name not in _RAW_CONTAINERS or attrs.rstrip().endswith("/"):
            continue
        if not closing:
            stack.append((name, _MARKDOWN_ATTR.search(attrs) is not None))
            continue
        for k in range(len(stack) - 1, -1, -1):
            if stack[k][0] == name:
                del stack[k:]
                break


def _plain(inline: Any) -> str:
    out: list[str] = []
    for c in inline.children or ():
        if c.type in ("text", "code_inline"):
            out.append(c.content)
        elif c.type in ("softbreak", "hardbreak"):
            out.append(" ")
        elif c.type == "image":
            out.append(_plain(c))
    return " ".join("".join(out).split())


class _ContentMap:
    """Maps offsets in an inline token's content to offsets in the text."""

    def __init__(self, text: str, starts: list[int], token: Any, context: str,
                 cursors: dict[int, int]) -> None:
        first = token.map[0]
        lines = token.content.split("\n")
        self.content_starts: list[int] = []
        self.source_starts: list[int] = []
        pos = 0
        for k, line in enumerate(lines):
            n = first + k
            if n >= len(starts):
                n = len(starts) - 1
            src_start = starts[n]
            src_end = starts[n + 1] if n + 1 < len(starts) else len(text)
            source = text[src_start:src_end].rstrip("\r\n").replace("\x00", "\ufffd")
            self.content_starts.append(pos)
            self.source_starts.append(src_start + _locate(source, line, context, cursors, n))
            pos += len(line) + 1

    def offset(self, content_offset: int) -> int:
        k = bisect_right(self.content_starts, content_offset) - 1
        return self.source_starts[k] + content_offset - self.content_starts[k]


def _locate(source: str, line: str, context: str, cursors: dict[int, int], n: int) -> int:
    if context == "cell":
        i = source.find(line, cursors.get(n, 0)) if line else -1
        if i >= 0:
            cursors[n] = i + len(line)
            return i
        return cursors.get(n, 0)
    if context == "atx":
        lo = source.find("#")
        lo = lo + len(source[lo:]) - len(source[lo:].lstrip("#")) if lo >= 0 else 0
        i = source.find(line, lo)
        return i if i >= 0 else lo
    if source.endswith(line):
        return len(source) - len(line)
    trimmed = source.rstrip()
    if trimmed.endswith(line):
        return len(trimmed) - len(line)
    i = source.rfind(line)
    if i >= 0:
        return i
    # A tab partly consumed by indentation became spaces: locate the rest.
    rest = line.lstrip(" ")
    if rest:
        for candidate in (source, trimmed):
            if candidate.endswith(rest):
                return len(candidate) - len(rest) - (len(line) - len(rest))
    return max(0, len(trimmed) - len(line))


# -- pulldown-cmark (pyromark) ---------------------------------------------------

# Beyond these depths markdown-it (maxNesting 20: each list, list item and
# quote is a level; each link label scan inside another one) stops parsing
# where pulldown-cmark goes on: such bodies are markdown-it's to decide.
_MAX_DEPTH = 12
_MAX_BRACKETS = 10
_NOT_BRACKET = re.compile(r"[^\[\]]+")
# A link reference definition and then a line that is not one: markdown-it
# ends the definition's block there, so the line may start indented code, an
# HTML block or a setext heading; pulldown-cmark (as CommonMark says) keeps
# it in the paragraph the definition began.
_DEFINITION_THEN_TEXT = re.compile(
    r"\]:[^\r\n]*(?:\r\n?|\n)(?![ \t>]*\[[^\]\r\n]*\]:)[ \t]*[^ \t\r\n]")
# (These read the text with "\n" for every line break.)
# (Each starts with a literal character, which the regular expression
# engine finds fast: "(?m)^" tries every position.)
# A line indented four spaces and ">" (after a block quote's line?).
_INDENTED_QUOTE = re.compile(r"\n {4,}>")
_QUOTE_LINE = re.compile(r" {0,3}>")
# "](" and nothing more on the line: markdown-it's link rule gives up on an
# inline link there without trying the reference ("[r](" at the end).
_OPEN_DESTINATION = re.compile(r"\]\([ \t]*(?:\n|$)")
# A "[" inside brackets (in an ATX heading?).
_NESTED = re.compile(r"\[[^\]\n]*\[")
_ATX = re.compile(r"[ >]*#{1,6} ")
# A line of only what a setext underline, a thematic break or a table's
# delimiter row is made of.
_RULE_LINE = re.compile(r"\n[ >]*[|:=*_-][ |:=*_-]*(?=\n|$)")
_CHUNK = 1024
_CONTAINERS = frozenset(["BlockQuote", "List", "Item", "Table", "TableHead", "TableRow"])


def _deep_brackets(text: str) -> bool:
    """Link brackets nested (or unclosed "[" in a row before a "]") more
    than ``_MAX_BRACKETS`` deep."""
    if text.count("[") <= _MAX_BRACKETS or "]" not in text:
        return False                        # (no "]": no label, no link, however many "[")
    brackets = _NOT_BRACKET.sub("", text)
    for _ in range(_MAX_BRACKETS):
        shorter = brackets.replace("[]", "")
        if shorter == brackets:
            break
        brackets = shorter
    else:
        return "[]" in brackets
    return "[" * _MAX_BRACKETS in brackets


def _undecided(text: str) -> bool:
    """Whether the body holds something the two parsers read differently
    (each test is cheap, and true of few real posts):

    * tabs (in containers they expand differently), a lone CR (a line
      break to both, but pulldown-cmark's fences misread it);
    * link brackets nested deep (``_deep_brackets``);
    * in a block quote, a setext underline or thematic break, or a next line
      indented four spaces and ">": what the lines after continue differs;
    * "](" ending a line: markdown-it's link rule gives up on the inline
      link without trying a reference;
    * a heading (ATX, or a line over a setext underline) with a "[" inside
      brackets: such nested labels are read differently, and the heading's
      text is what HD003 judges;
    * a link reference definition and then a line that is not one:
      markdown-it ends the definition's block there, so the line may start
      indented code, an HTML block or a setext heading; pulldown-cmark (as
      CommonMark says) keeps it in the paragraph the definition began;
    * a table (a delimiter row with a "|", or under a line with one): the
      two parsers' tables begin, split and end differently (a code span
      holding "|", a row without pipes, an indented line after).
    """
    if "\t" in text or _deep_brackets(text):
        return True
    if "\r" in text:
        text = text.replace("\r\n", "\n")
        if "\r" in text:
            return True                     # a lone CR: pulldown-cmark's fences misread it
    if ">" in text:
        for m in _INDENTED_QUOTE.finditer(text):
            if _QUOTE_LINE.match(text, text.rfind("\n", 0, m.start()) + 1) is not None:
                return True
    if "](" in text and _OPEN_DESTINATION.search(text) is not None:
        return True
    if "]:" in text and _DEFINITION_THEN_TEXT.search(text) is not None:
        return True
    if "#" in text and "[" in text:
        for m in _NESTED.finditer(text):
            if _ATX.match(text, text.rfind("\n", 0, m.start()) + 1) is not None:
                return True
    for m in _RULE_LINE.finditer("\n" + text):
        line = m.group()[1:]
        bare = line.strip(" >")
        start = m.start()               # (in text: the line's start)
        previous = text[text.rfind("\n", 0, max(start - 1, 0)) + 1:max(start - 1, 0)] if start else ""
        if "-" in bare and ("|" in bare or "|" in previous):
            if _plain_table(text, start, previous):
                continue
            return True                     # a table the two may split differently
        underline = bare.strip("=") == "" or bare.strip("-") == ""
        if not underline:
            continue
        if ">" in line or ">" in previous[:4]:
            return True                     # in a block quote
        if "[" in previous and _NESTED.search(previous) is not None:
            return True                     # a setext heading's nested brackets
    return False


_BLOCK_START = re.compile(r"[-+*](?:[ ]|$)|\d{1,9}[.)](?:[ ]|$)|[#>< =`~]|-+[ ]*$|=+[ ]*$")
_DELIMITER_CELL = re.compile(r"[ ]*:?-+:?[ ]*")


def _cells(row: str) -> list[str] | None:
    """A table row's cells, or None unless every cell's backticks pair up
    (a code span holding a "|" is split apart by one parser, not the other)
    and no "|" is escaped."""
    if "\\|" in row:
        return None
    row = row.strip(" ")
    row = row.removeprefix("|")
    row = row.removesuffix("|")
    cells = row.split("|")
    if any(cell.count("`") % 2 for cell in cells):
        return None
    return cells


def _plain_table(text: str, delimiter: int, header: str) -> bool:
    """Whether the table whose delimiter row starts at ``delimiter`` is one
    both parsers read alike: after a blank line, flush left, every row (the
    delimiter row too) with a "|", as many cells as the delimiter row, none starting another block,
    and a blank line (or the end) after it."""
    header_start = delimiter - 1 - len(header)
    if header_start > 0 and text[text.rfind("\n", 0, header_start - 1) + 1:header_start - 1].strip(" "):
        return False                        # the header follows a paragraph's line
    end = text.find("\n\n", delimiter)
    rows = text[delimiter:end if end >= 0 else len(text)].rstrip("\n").split("\n")
    head = _cells(header)
    cells = _cells(rows[0])
    if head is None or cells is None or len(head) != len(cells) or "|" not in header or "|" not in rows[0]:
        return False
    if not all(_DELIMITER_CELL.fullmatch(cell) for cell in cells):
        return False
    for row in [header, *rows[1:]]:
        if not row or row[0] == " " or "|" not in row or _BLOCK_START.match(row) is not None:
            return False
        found = _cells(row)
        if found is None or len(found) != len(cells):
            return False
    return True


def _byte_to_char(text: str) -> Any:
    """pulldown-cmark's ranges are UTF-8 byte offsets: a function mapping
    them to offsets in ``text`` (decoding at most one chunk per call)."""
    if text.isascii():
        return None
    raw = text.encode()
    lengths = [len(text[i:i + _CHUNK].encode()) for i in range(0, len(text), _CHUNK)]
    starts = list(accumulate(lengths[:-1], initial=0))

    def char(offset: int) -> int:
        k = bisect_right(starts, offset) - 1
        return k * _CHUNK + len(raw[starts[k]:offset].decode("utf-8", "replace"))

    return char


def _native_regions(text: str) -> MarkdownInfo | None:
    """The regions from pulldown-cmark's events; None where markdown-it is
    to decide (see the module's docstring) or pyromark is missing."""
    try:
        import pyromark
    except ImportError:                     # pragma: no cover - a dependency
        return None
    if _undecided(text):
        return None
    # A last line of only blanks and no line break: markdown-it's blocks
    # that run to the end stop before it, pulldown-cmark's take it in; it
    # holds nothing, so it is not parsed.  (Of only ">" and blanks, it may be
    # the content of a fence: markdown-it's to decide.)
    parsed = text
    last = max(text.rfind("\n"), text.rfind("\r")) + 1
    if last < len(text) and not text[last:].strip(" \t>"):
        if ">" in text[last:]:
            return None
        parsed = text[:last]
    if "\x00" in parsed:
        # markdown-it reads a NUL as U+FFFD (CommonMark 2.3), which is a
        # symbol to the emphasis rules: so does pulldown-cmark, then.  The
        # same length in characters; the byte offsets are the new text's.
        parsed = parsed.replace("\x00", "\ufffd")
    try:
        char = _byte_to_char(parsed)
    except UnicodeEncodeError:              # lone surrogates: no UTF-8 for pulldown-cmark
        return None
    # (Read as plain dicts: one key each, dispatched on below.)
    events: Iterable[tuple[Any, Any]] = pyromark.events_with_range(parsed, options=pyromark.Options.ENABLE_TABLES)
    n = len(text)
    if "\r" in text:
        starts = _line_starts(text)
        n_lines = len(starts)

        def lines(s: int, e: int) -> tuple[int, int, int]:
            # (start of the first line, end of the last, line breaks between)
            a = bisect_right(starts, s) - 1
            last = max(s, e - 1)
            while last > s and text[last] in " \t":
                last -= 1
            b = bisect_right(starts, last) - 1
            if b + 1 < n_lines:
                end = starts[b + 1] - 1
                if end > starts[b] and text[end] == "\n" and text[end - 1] == "\r":
                    end -= 1
            else:
                end = n
            return starts[a], end, b - a
    else:
        def lines(s: int, e: int) -> tuple[int, int, int]:
            start = text.rfind("\n", 0, s) + 1
            last = max(s, e - 1)
            while last > s and text[last] in " \t":
                last -= 1               # a range may end in the next line's indentation
            end = last if last < n and text[last] == "\n" else text.find("\n", last)
            if end < 0:
                end = n
            return start, end, text.count("\n", start, end)

    headings: list[Heading] = []
    hash_lines: list[tuple[int, int]] = []
    code: list[tuple[int, int]] = []
    html: list[tuple[int, int]] = []
    raw: list[tuple[str, bool]] = []        # open HTML containers: (tag, markdown="1")
    heading: tuple[int, int, int, int] | None = None  # level, start, end, line breaks
    parts: list[str] = []                   # the heading's text
    html_block: list[str] | None = None
    image = depth = html_start = html_end = 0
    # (Tested by membership, most frequent first: an event is a one-key dict
    # or one of the strings "SoftBreak", "HardBreak", "Rule".)
    for event, rng in events:
        if "Text" in event:
            if heading is not None:
                parts.append(event["Text"])
            continue
        if event.__class__ is str:
            if heading is not None:
                parts.append(" ")
            continue
        if "Code" in event:
            if heading is not None:
                parts.append(event["Code"])
            if not image:                   # markdown-it parses an alt text apart: no spans
                s, e = rng["start"], rng["end"]
                code.append((s, e) if char is None else (char(s), char(e)))
            continue
        if "Html" in event:
            if html_block is not None:
                html_block.append(event["Html"])
                html_end = rng["end"]
            continue
        if "InlineHtml" in event:
            if not image:
                s, e = rng["start"], rng["end"]
                html.append((s, e) if char is None else (char(s), char(e)))
            continue
        value = event.get("Start")
        if value is not None:
            if value.__class__ is str:
                if value == "HtmlBlock":
                    # (Its range may reach into the blank line after it, in
                    # a list item: it ends where its last line does.)
                    html_start = html_end = rng["start"]
                    html_block = []
                elif value in _CONTAINERS:
                    depth += 1
                    if depth > _MAX_DEPTH:
                        return None
                continue
            ((tag, data),) = value.items()
            if tag == "CodeBlock" or tag == "Heading":
                s, e = rng["start"], rng["end"]
                if char is not None:
                    s, e = char(s), char(e)
                a, b, breaks = lines(s, e)
                if tag == "CodeBlock":
                    code.append((a, b))
                elif raw and not raw[-1][1]:
                    pass                    # raw HTML content in kramdown: no heading
                elif breaks < 2:
                    # (kramdown's setext header is one line of text after a
                    # block boundary; a longer paragraph keeps its underline
                    # as text.)
                    heading = (int(data["level"][1]), a, b, breaks)
                    parts = []
            elif tag == "Image":
                image += 1
            elif tag in _CONTAINERS:
                depth += 1
                if depth > _MAX_DEPTH:
                    return None
            continue
        value = event.get("End")
        if value is None:
            continue
        if value.__class__ is str:
            if value == "HtmlBlock":
                if html_block is not None:
                    s, e = (html_start, html_end) if char is None else (char(html_start), char(html_end))
                    a, b, _ = lines(s, e)
                    html.append((a, b))
                    _track_containers("".join(html_block), raw)
                html_block = None
            elif value == "Image":
                image -= 1
            elif value in _CONTAINERS:
                depth -= 1
        elif "Heading" in value:
            if heading is not None:
                level, a, b, breaks = heading
                if breaks == 0 and not text[a:b].strip(" \t#"):
                    # kramdown's ATX header needs text once trailing "#"s are
                    # stripped: this line is a paragraph readers see as is.
                    hash_lines.append((a, b))
                else:
                    plain = " ".join("".join(parts).split())
                    headings.append(Heading(level, a, b, plain))
                heading = None
        elif "BlockQuote" in value or "List" in value:
            depth -= 1
    code.sort()
    html.sort()
    if "<" in text and _kramdown_tag_outside(text, code, html):
        return None
    return MarkdownInfo(headings, code, html, tuple(hash_lines))


# A "<" and a name holding "_" or "." (kramdown reads it as a tag, CommonMark
# as text), the start of what KRAMDOWN_TAG matches in full.
_KRAMDOWN_CANDIDATE = re.compile(r"</?(?=[^\W\d])[\w\-]*[_.]")


def _kramdown_tag_outside(text: str, code: list[tuple[int, int]], html: list[tuple[int, int]]) -> bool:
    """Whether the text holds, outside code and raw HTML, a tag kramdown
    reads as HTML and CommonMark does not (markdown-it is told to take it as
    HTML too, pulldown-cmark cannot be)."""
    found = _KRAMDOWN_CANDIDATE.search(text)
    if found is None:
        return False
    from postlint.adapters.markdown_it import KRAMDOWN_TAG

    spans = sorted(code + html)
    starts = [a for a, _ in spans]
    while found is not None:
        at = found.start()
        m = KRAMDOWN_TAG.match(text, at)
        if m is not None and ("_" in m["name"] or "." in m["name"]):
            k = bisect_right(starts, at) - 1
            if k < 0 or at >= spans[k][1]:
                return True
        found = _KRAMDOWN_CANDIDATE.search(text, at + 1)
    return False
