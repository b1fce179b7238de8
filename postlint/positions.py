"""Offsets in a decoded text to 1-based (line, column) and back.

Lines end at "\\n" (a preceding "\\r" belongs to the line break, as GitHub and
editors count it); a lone "\\r" is not a line break. Columns count code points.
"""

from __future__ import annotations

from bisect import bisect_right


class LineIndex:
    __slots__ = ("text", "starts")

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
        offset = max(0, min(offset, len(self.text)))
        line = bisect_right(self.starts, offset) - 1
        return line + 1, offset - self.starts[line] + 1

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
        """Offset just before the line break of a 1-based line."""
        return self.starts[line - 1] + len(self.line_text(line))
