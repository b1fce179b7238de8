"""Markdown regions from pulldown-cmark's events (``pyromark``, Rust).

pulldown-cmark gives every block and span with its source range (UTF-8
byte offsets, mapped here to offsets in the text), so code, raw HTML and
headings come with real positions at a tenth of markdown-it-py's cost.  The
walk yields markdown-it's ``MarkdownInfo`` exactly (kramdown's rules for raw
HTML containers, setext headings and "#" lines included);
``markdown_screen.undecided`` and the checks in the walk find what the two
parsers may read differently, and ``native_regions`` returns None for it:
markdown-it decides.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from postlint.analysis.body.headings import Heading
from postlint.analysis.body.markdown_info import MarkdownInfo, line_starts, track_containers
from postlint.analysis.body.markdown_screen import NOT_TEXT_YET, Deferred, screen
from postlint.model.patterns import lazy

# Beyond this depth markdown-it (maxNesting 20: each list, list item and
# quote is a level) stops parsing where pulldown-cmark goes on: such bodies
# are markdown-it's to decide.
_MAX_DEPTH = 12
_CONTAINERS = frozenset(["BlockQuote", "List", "Item", "Table", "TableHead", "TableRow"])


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
    verdict = screen(text)
    if verdict is True or (verdict is not False and not _defers()):
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
    # Code blocks and tables (first line's start, last line's end, "fenced",
    # "indented" or "table", depth), kept for a Deferred only.
    deferred = verdict if isinstance(verdict, Deferred) else None
    blocks: list[tuple[int, int, str, int]] = []
    raw: list[tuple[str, bool]] = []        # open HTML containers: (tag, markdown="1")
    heading: tuple[int, int, int, int] | None = None  # level, start, end, line breaks
    parts: list[str] = []                   # the heading's text
    html_block: list[str] | None = None
    image = depth = html_start = html_end = 0
    try:
        # (Read as plain dicts: one key each, dispatched on below. pyromark
        # parses when called and converts while iterated: a panic of
        # pulldown-cmark may come from either.)
        events: Iterable[tuple[Any, Any]] = pyromark.events_with_range(parsed, options=pyromark.Options.ENABLE_TABLES)
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
                        if deferred is not None:
                            blocks.append((a, b, "indented" if data == "Indented" else "fenced", depth))
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
                    if tag == "Table" and deferred is not None:
                        s, e = rng["start"], rng["end"]
                        if char is not None:
                            s, e = char(s), char(e)
                        a, b, _ = lines(s, e)
                        blocks.append((a, b, "table", depth))
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
    except BaseException as exc:
        if not _panicked(exc):
            raise
        return None                         # pulldown-cmark failed on this body: markdown-it reads it
    if deferred is not None and not in_code_blocks(text, blocks, deferred):
        return None
    code.sort()
    html.sort()
    if "<" in text and _kramdown_tag_outside(text, code, html):
        return None
    return MarkdownInfo(headings, code, html, tuple(hash_lines))


def _panicked(exc: BaseException) -> bool:
    """Whether pyromark raised for a panic of pulldown-cmark (pyo3's
    PanicException, a BaseException): 0.9.14's pulldown-cmark (the last
    release for Python 3.10) panics on some tabs in list items; any release
    might on another body. markdown-it then reads it, and the run goes on."""
    kind = type(exc)
    return kind.__name__ == "PanicException" and kind.__module__ == "pyo3_runtime"


@lru_cache(maxsize=1)
def _defers() -> bool:
    """Whether ``screen``'s deferred bodies may be pulldown-cmark's: not
    with pyromark before 0.10, whose pulldown-cmark (0.13.4) panics on tabs
    after a list item's marker that only a Deferred sends it (and prints the
    panic on standard error, which no one can stop); such bodies stay
    markdown-it's there, as they were."""
    import pyromark

    try:
        release = tuple(int(part) for part in pyromark.__version__.split(".")[:2])
    except ValueError:
        return False
    return release >= (0, 10)


def in_code_blocks(text: str, blocks: list[tuple[int, int, str, int]], deferred: Deferred) -> bool:
    """Whether pulldown-cmark's code blocks and tables (in order) hold what
    ``screen`` deferred to them, where no tab can change how a line is read:

    * each tab in a block at the top level (no list item or quote around it
      to expand it into): in a fenced block's content, from the line's
      start, on no line that may be a fence (pulldown-cmark does not close
      a fence at "```" and a tab, markdown-it does); in an indented block,
      after the line's text (not in the indentation the block strips); in a
      table's body row, after the row's text (a row that starts with a tab
      is indented code to markdown-it, the table's next row to
      pulldown-cmark);
    * each "](" ending a line in any code block: no link is read there;
    * each table's delimiter row in any code block: no table either.
    """
    starts = [block[0] for block in blocks]

    def block_at(at: int) -> tuple[int, int, str, int] | None:
        i = bisect_right(starts, at) - 1
        return blocks[i] if i >= 0 and at < blocks[i][1] else None

    # The current tab's line (its start and end), and on it the first
    # character that is not a blank, and the first that is neither
    # indentation nor a container's marker: found once per line, as the
    # tabs come in order (200,000 tabs on one line stay linear).
    line = end = text_at = marks_end = -1
    table = delimiter = -1                  # the current table's start, its delimiter row's
    for at in deferred.tabs:
        found = block_at(at)
        if found is None:
            return False
        start, _, kind, depth = found
        if depth:
            return False
        if at > end:
            line = text.rfind("\n", 0, at) + 1
            end = text.find("\n", at)
            if end < 0:
                end = len(text)
            content = text[line:end]
            text_at = end - len(content.lstrip(" \t"))
            marks_end = end - len(content.lstrip(NOT_TEXT_YET))
        if kind == "fenced":
            if text[start] not in "`~" or line == start:
                return False                # an indented fence, or its opening line
            if text[line:line + 6].lstrip(" ")[:3] in ("```", "~~~"):
                return False                # a fence's line (pulldown-cmark's closes at no "```\t")
        elif kind == "indented":
            if text_at >= at:
                return False                # only blanks before it: the indentation the block strips
        else:
            if start != table:
                table, delimiter = start, text.find("\n", start) + 1
            if line <= delimiter or marks_end >= at:
                return False                # the header, the delimiter row, or no text before the tab
    for at in (*deferred.open_links, *deferred.tables):
        found = block_at(at)
        if found is None or found[2] == "table":
            return False
    return True


# A "<" and a name holding "_" or "." (kramdown reads it as a tag, CommonMark
# as text), the start of what KRAMDOWN_TAG matches in full.
_KRAMDOWN_CANDIDATE = lazy(r"</?(?=[^\W\d])[\w\-]*[_.]")


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
