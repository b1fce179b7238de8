"""Offsets in a decoded text to 1-based (line, column) and back.

Lines end at "\\n" (a preceding "\\r" belongs to the line break, as GitHub and
editors count it); a lone "\\r" is not a line break. Columns count code points.
"""

from __future__ import annotations

from bisect import bisect_right

from postlint.model.diagnostic import Excerpt

# The most of a line a finding carries (LineIndex.excerpt): characters of
# context either side of it, and of the flagged text itself.
EXCERPT_CONTEXT = 80
EXCERPT_REGION = 160


# A post's first lookups (a site rule placing its front matter's "---" or
# permalink) are answered by counting line breaks, without the table of line
# starts: at most this many, each within this many characters of the start.
_CHEAP_LOOKUPS = 16
_CHEAP_REACH = 4096


class LineIndex:
    __slots__ = ("_cheap", "_hint", "_starts", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self._starts: list[int] | None = None
        self._cheap = _CHEAP_LOOKUPS
        self._hint = (1, 0)                  # (a line, its start), as the last cheap lookup found

    @property
    def starts(self) -> list[int]:
        """The offset of each line's start (built on first use)."""
        starts = self._starts
        if starts is None:
            text = self.text
            starts = [0]
            find = text.find
            i = find("\n")
            while i != -1:
                starts.append(i + 1)
                i = find("\n", i + 1)
            self._starts = starts
        return starts

    @property
    def line_count(self) -> int:
        return len(self.starts)

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of a code-point offset (clamped into the text)."""
        # (Comparisons, not min/max: called twice for each finding, 270k
        # times for a post of headings.)
        if offset < 0:
            offset = 0
        elif offset > len(self.text):
            offset = len(self.text)
        if self._starts is None and self._cheap and offset <= _CHEAP_REACH:
            self._cheap -= 1
            text = self.text
            start = text.rfind("\n", 0, offset) + 1
            line = text.count("\n", 0, start) + 1
            self._hint = (line, start)
            return line, offset - start + 1
        starts = self.starts
        line = bisect_right(starts, offset) - 1
        return line + 1, offset - starts[line] + 1

    def _line_start(self, line: int) -> int:
        """The start of a 1-based line that exists."""
        if self._starts is None and self._hint[0] == line:
            return self._hint[1]
        return self.starts[line - 1]

    def offset(self, line: int, column: int) -> int:
        """Inverse of position(); line and column are 1-based."""
        line = max(1, min(line, len(self.starts)))
        return min(self.starts[line - 1] + column - 1, len(self.text))

    def line_text(self, line: int) -> str:
        """Text of a 1-based line without its line break."""
        return self.text[self._line_start(line):self.line_end(line)]

    def line_end(self, line: int) -> int:
        """Offset just before the line break of a 1-based line (without
        copying the line: findings on one long line stay linear)."""
        text = self.text
        start = self._line_start(line)
        starts = self._starts
        if starts is None:
            end = text.find("\n", start)
            if end < 0:
                end = len(text)
        else:
            end = starts[line] - 1 if line < len(starts) else len(text)
        if end > start and text[end - 1] == "\r" and end < len(text):
            end -= 1
        return end

    def excerpt(self, line: int, column: int, end_line: int, end_column: int) -> Excerpt:
        """A bounded window of a 1-based line around a finding that starts
        there: its text, the column of its first character, the line's length.

        The window holds up to EXCERPT_CONTEXT characters either side of the
        finding and at most EXCERPT_REGION of the finding itself, so a finding
        costs the same on a 100-character line as on a 1 MB one. It is all that
        reporters see of the line: code frames, SARIF snippets and fingerprints
        are cut from it."""
        return Excerpt(*self.window(line, column, end_line, end_column))

    def window(self, line: int, column: int, end_line: int, end_column: int) -> tuple[str, int, int]:
        """excerpt()'s parts, (text, column of its first character, length of
        the line): the excerpt as JSON data (diagnostic.excerpt_data gives
        them as a list), which a site rule's facts carry without making the
        Excerpt."""
        if self._starts is None and self._hint[0] == line:
            start = self._hint[1]           # (a line a cheap lookup found: it exists)
        else:
            line = max(1, min(line, len(self.starts)))
            start = self.starts[line - 1]
        end = self.line_end(line)
        length = end - start
        first = max(0, min(column - 1, length))
        last = min(length, end_column - 1) if end_line == line else length
        last = max(first, min(last, first + EXCERPT_REGION))
        lo = max(0, first - EXCERPT_CONTEXT)
        hi = min(length, last + EXCERPT_CONTEXT)
        return self.text[start + lo : start + hi], lo + 1, length
