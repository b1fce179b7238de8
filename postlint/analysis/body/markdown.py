"""Where a Markdown body keeps its headings, code and raw HTML.

One parse per post, shared by every rule (through ``analysis.body.shared``).
The parser is pulldown-cmark (``pyromark``, Rust): its events carry the
source range of every block and span, so code, raw HTML and headings come
with real positions, at a tenth of the cost of markdown-it-py's pure-Python
parse (on the ruby-lang.org corpus 0.60 ms of CPU a post became about 0.06).
Both are CommonMark parsers; on what they decide differently the reference is
markdown-it-py (the parser these regions were first defined with, and whose
results the corpus findings record), so a body goes to it whenever
``markdown_native`` finds something pulldown-cmark may read otherwise (a
kramdown tag such as ``<num_hosts>``, tabs, tables that are not plain,
nesting deeper than markdown-it's ``maxNesting``, and the few more listed
there).  ``tests/body/test_markdown_native.py`` compares the two on every
corpus post, on fixtures and on generated documents.

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
from collections.abc import Callable
from typing import Any

from postlint.analysis.body.headings import Heading
from postlint.analysis.body.liquid import blank, liquid_blocks
from postlint.analysis.body.markdown_info import MarkdownInfo, line_starts, track_containers
from postlint.analysis.body.markdown_native import native_regions
from postlint.analysis.body.markdown_screen import nothing_to_find
from postlint.model.patterns import lazy

__all__ = ["MarkdownInfo", "markdown_it_regions", "markdown_regions"]


def markdown_regions(text: str) -> MarkdownInfo:
    """Headings (ATX and setext), code regions and raw-HTML regions of a body.

    Block regions run from the start of their first line to the end of their
    last line, line break excluded.  Headings cover their line(s) (a setext
    heading includes its underline).
    """
    return _after_liquid(text, _regions)


def markdown_it_regions(text: str) -> MarkdownInfo:
    """``markdown_regions`` as markdown-it-py reads the body: the reference
    that the pulldown-cmark parse is compared with, and the parse of the
    bodies it cannot decide."""
    return _after_liquid(text, _markdown_it_regions)


def _regions(text: str) -> MarkdownInfo:
    """pulldown-cmark's regions, or markdown-it's where it must decide."""
    if nothing_to_find(text):
        return MarkdownInfo([], [], [], ())
    info = one_html_block(text)
    if info is not None:
        return info
    info = native_regions(text)
    return _markdown_it_regions(text) if info is None else info


# The start of a CommonMark HTML block of type 6 (one that runs to the next
# blank line), for the names every CommonMark version lists: the body of a
# feed post, paragraphs and headings written as HTML.
_BLOCK6_START = lazy(
    r"</?(?:address|article|aside|blockquote|center|dd|details|div|dl|dt|figcaption|figure|footer|h[1-6]|header|hr"
    r"|li|nav|ol|p|section|table|ul)(?:[ >]|/>|\n|$)", re.IGNORECASE)
_BLANK_LINE = lazy(r"\n *(?:\n|$)")


def one_html_block(text: str) -> MarkdownInfo | None:
    """The regions of a body that is one HTML block (after blank lines, a
    line starting with a block-level tag such as ``<p>``, and no blank line
    until the end; no tab, CR or NUL): that block is its only region, from
    its first line's start to its last line's end.  The block's lines are
    raw HTML whatever they hold, so there is no heading, code or "#" line of
    Markdown, and the containers it opens contain nothing after it.  None
    for any other body.  (Some 2,000 feed posts: 0.27 s of pulldown-cmark
    walk and container tracking to learn this.)"""
    start = len(text) - len(text.lstrip(" \n"))
    start = text.rfind("\n", 0, start) + 1            # the first line that is not blank
    if start >= len(text) or text[start] != "<" or _BLOCK6_START.match(text, start) is None:
        return None
    if "\t" in text or "\r" in text or "\x00" in text:
        return None
    end = len(text.rstrip(" \n"))
    if _BLANK_LINE.search(text, start, end) is not None:
        return None
    newline = text.find("\n", end)
    return MarkdownInfo([], [], [(start, len(text) if newline < 0 else newline)], ())


def _after_liquid(text: str, parse: Callable[[str], MarkdownInfo]) -> MarkdownInfo:
    """``parse`` of the body as Jekyll hands it to kramdown.  Jekyll runs
    Liquid first: highlight blocks are code, comment blocks are gone.
    Blanked (line breaks kept), they parse as blank lines."""
    liquid = liquid_blocks(text)
    info = parse(blank(text, liquid.all))
    if liquid.code:
        info.code.extend(liquid.code)
        info.code.sort()
    return info


def _markdown_it_regions(text: str) -> MarkdownInfo:
    from postlint.adapters.markdown_it import parse_recording

    tokens, spans = parse_recording(text)
    starts = line_starts(text)
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
            track_containers(t.content, raw)
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
