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


class LineIndex:
    __slots__ = ("starts", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        starts = [0]
        find = text.find
        i = find("\n")
        while i != -1:
            starts.append(i + 1)
            i = find("\n", i + 1)
        self.starts = starts

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
        starts = self.starts
        line = bisect_right(starts, offset) - 1
        return line + 1, offset - starts[line] + 1

    def offset(self, line: int, column: int) -> int:
        """Inverse of position(); line and column are 1-based."""
        line = max(1, min(line, len(self.starts)))
        return min(self.starts[line - 1] + column - 1, len(self.text))

    def line_text(self, line: int) -> str:
        """Text of a 1-based line without its line break."""
        start = self.starts[line - 1]
        end = self.starts[line] - 1 if line < len(self.starts) else len(self.text)
        if end > start and self.text[end - 1] == "\r" and end < len(self.text):
            end -= 1
        return self.text[start:end]

    def line_end(self, line: int) -> int:
        """Offset just before the line break of a 1-based line (without
        copying the line: findings on one long line stay linear)."""
        start = self.starts[line - 1]
        end = self.starts[line] - 1 if line < len(self.starts) else len(self.text)
        if end > start and self.text[end - 1] == "\r" and end < len(self.text):
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
        line = max(1, min(line, len(self.starts)))
        start = self.starts[line - 1]
        end = self.line_end(line)
        length = end - start
        first = max(0, min(column - 1, length))
        last = min(length, end_column - 1) if end_line == line else length
        last = max(first, min(last, first + EXCERPT_REGION))
        lo = max(0, first - EXCERPT_CONTEXT)
        hi = min(length, last + EXCERPT_CONTEXT)
        return Excerpt(self.text[start + lo : start + hi], lo + 1, length)
