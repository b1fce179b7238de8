"""Markdown regions from pulldown-cmark's events (``pyromark``, Rust).

pulldown-cmark gives every block and span with its source range (UTF-8
byte offsets, mapped here to offsets in the text), so code, raw HTML and
headings come with real positions at a tenth of markdown-it-py's cost.  The
walk yields markdown-it's ``MarkdownInfo`` exactly (kramdown's rules for raw
HTML containers, setext headings and "#" lines included); ``_undecided`` and
the checks in the walk find what the two parsers may read differently, and
``native_regions`` returns None for it: markdown-it decides.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable
from typing import Any

from postlint.analysis.body.headings import Heading
from postlint.analysis.body.markdown_info import MarkdownInfo, line_starts, track_containers

# Beyond these depths markdown-it (maxNesting 20: each list, list item and
# quote is a level; each link label scan inside another one) stops parsing
# where pulldown-cmark goes on: such bodies are markdown-it's to decide.
_MAX_DEPTH = 12
_MAX_BRACKETS = 10
# Every byte but "[" and "]" (which no other character's UTF-8 holds).
_NOT_BRACKET_BYTES = bytes(b for b in range(256) if b not in b"[]")
# A link reference definition and then a line that is not one (one indented
# four spaces is not: it may be code to markdown-it): markdown-it
# ends the definition's block there, so the line may start indented code, an
# HTML block or a setext heading; pulldown-cmark (as CommonMark says) keeps
# it in the paragraph the definition began.
_DEFINITION_THEN_TEXT = re.compile(
    r"\]:[^\r\n]*(?:\r\n?|\n)(?!(?: {0,3}>)* {0,3}\[[^\]\r\n]*\]:)[ \t]*[^ \t\r\n]")
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
_CONTAINERS = frozenset(["BlockQuote", "List", "Item", "Table", "TableHead", "TableRow"])


def _brackets_only(text: str) -> str:
    """The "[" and "]" of a text, in order (bytes.translate of its UTF-8: a
    quarter of re.sub's time)."""
    return text.encode("utf-8", "surrogatepass").translate(None, _NOT_BRACKET_BYTES).decode()


def _deep_brackets(text: str) -> bool:
    """Link brackets nested (or unclosed "[" in a row before a "]") more
    than ``_MAX_BRACKETS`` deep."""
    if text.count("[") <= _MAX_BRACKETS or "]" not in text:
        return False                        # (no "]": no label, no link, however many "[")
    brackets = _brackets_only(text)
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

    * tabs in a line's indentation or markers (in containers they expand
      differently: ``_tab_in_structure``), a lone CR (a line break to
      both, but pulldown-cmark's fences misread it);
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
    if ("\t" in text and _tab_in_structure(text)) or _deep_brackets(text):
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
    if "]:" in text and _definition_then_text(text):
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


# What may stand on a line before a tab that the block structure reads
# (indentation, container and block markers), a superset.
_STRUCTURE_PREFIX = re.compile(r"[ \t>*+\-0-9.)#|:=_~`]*")


def _tab_in_structure(text: str) -> bool:
    """Whether a tab stands where the two parsers may read it differently:
    in a line's indentation or among its markers (a tab expands to the next
    tab stop there, and the two count columns in containers differently).
    After a line's first other character (its text) a tab is a character of
    the text to both, unless the line is an ATX heading's or the tab ends it
    (trailing blanks: pulldown-cmark's code span may take it in)."""
    at = text.find("\t")
    while at >= 0:
        start = text.rfind("\n", 0, at) + 1   # (a lone CR is undecided anyway)
        if _STRUCTURE_PREFIX.fullmatch(text, start, at) is not None:
            return True
        end = text.find("\n", at)           # the line's other tabs are in its text too
        line = text[start:end if end >= 0 else len(text)]
        if line.lstrip(" >").startswith("#") or line.rstrip(" ").endswith("\t"):
            return True                     # in an ATX heading, or trailing (pulldown-cmark's ranges take it in)
        if end < 0:
            return False
        at = text.find("\t", end)
    return False


# What may stand on a line before a link reference definition's "[":
# indentation and the markers of the containers it is in (a superset).
_CONTAINER_PREFIX = re.compile(r"[ \t>*+\-0-9.)]*")


def _definition_then_text(text: str) -> bool:
    """Whether a line that may be a link reference definition is followed by
    one that is not (``_DEFINITION_THEN_TEXT``). A "]:" is taken for a
    definition's unless its label's "[" (the last one before it, on its
    line) follows something other than indentation and container markers:
    code such as ``trait Show[A]:`` is no definition."""
    for m in _DEFINITION_THEN_TEXT.finditer(text):
        at = m.start()
        start = text.rfind("\n", 0, at) + 1
        bracket = text.rfind("[", start, at)
        if bracket < 0 or (bracket > start and text[bracket - 1] == "\\"):
            return True                     # the label began on an earlier line, or holds "\["
        if _CONTAINER_PREFIX.fullmatch(text, start, bracket) is not None:
            return True
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
    them to offsets in ``text``.  The ranges come nearly in order, so it
    decodes from the last offset it mapped (a character boundary) to the new
    one, forwards or back: each byte about once, not a chunk per call."""
    if text.isascii():
        return None
    raw = text.encode()
    at_byte = at_char = 0                   # a character boundary and its offset

    def char(offset: int) -> int:
        nonlocal at_byte, at_char
        if offset >= at_byte:
            c = at_char + len(raw[at_byte:offset].decode("utf-8", "replace"))
        elif raw[offset] & 0xC0 != 0x80:
            c = at_char - len(raw[offset:at_byte].decode())
        else:                               # (inside a character: never seen)
            return len(raw[:offset].decode("utf-8", "replace"))
        if offset < len(raw) and raw[offset] & 0xC0 != 0x80:
            at_byte, at_char = offset, c
        return c

    return char


def native_regions(text: str) -> MarkdownInfo | None:
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
        starts = line_starts(text)
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
    # or one of the strings "SoftBreak", "HardBreak", "Rule"; on the corpora
    # Text is two events in five, Start and End together half of them.)
    for event, rng in events:
        if "Text" in event:
            if heading is not None:
                parts.append(event["Text"])
            continue
        if event.__class__ is str:
            if heading is not None:
                parts.append(" ")
            continue
        value = event.get("Start")
        if value is not None:
            if value.__class__ is str:      # Item, Paragraph, Emphasis, ...
                if value in _CONTAINERS:
                    depth += 1
                    if depth > _MAX_DEPTH:
                        return None
                elif value == "HtmlBlock":
                    # (Its range may reach into the blank line after it, in
                    # a list item: it ends where its last line does.)
                    html_start = html_end = rng["start"]
                    html_block = []
                continue
            if "Link" in value:
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
        if value is not None:
            if value.__class__ is str:      # Item, Paragraph, Link, ...
                if value in _CONTAINERS:
                    depth -= 1
                elif value == "HtmlBlock":
                    if html_block is not None:
                        s, e = (html_start, html_end) if char is None else (char(html_start), char(html_end))
                        a, b, _ = lines(s, e)
                        html.append((a, b))
                        track_containers("".join(html_block), raw)
                    html_block = None
                elif value == "Image":
                    image -= 1
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
            continue
        if "Code" in event:
            if heading is not None:
                parts.append(event["Code"])
            if not image:                   # markdown-it parses an alt text apart: no spans
                s, e = rng["start"], rng["end"]
                code.append((s, e) if char is None else (char(s), char(e)))
        elif "Html" in event:
            if html_block is not None:
                html_block.append(event["Html"])
                html_end = rng["end"]
        elif "InlineHtml" in event and not image:
            s, e = rng["start"], rng["end"]
            html.append((s, e) if char is None else (char(s), char(e)))
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
