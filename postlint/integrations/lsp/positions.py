"""LSP positions: 0-based lines split at "\\r\\n", "\\n" or "\\r", characters in
the code units the client and server agreed on (UTF-16 unless the client
offers UTF-8 or UTF-32), to and from code-point offsets into the text.

postlint's own findings count code points on lines split at "\\n" alone
(model/lines.py); the server turns them into offsets first and then into LSP
positions here, so a lone "\\r" or an astral character (two UTF-16 code
units) never shifts a range."""

from __future__ import annotations

from bisect import bisect_right

from postlint.model.patterns import lazy

_BREAK = lazy(r"\r\n|\r|\n")


def _units_utf16(text: str) -> int:
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def _units_utf8(text: str) -> int:
    return len(text.encode("utf-8", "surrogatepass"))


_UNITS = {"utf-16": _units_utf16, "utf-8": _units_utf8, "utf-32": len}


class Positions:
    __slots__ = ("ends", "starts", "text", "units")

    def __init__(self, text: str, encoding: str = "utf-16") -> None:
        self.text = text
        starts = [0]
        ends = []
        for match in _BREAK.finditer(text):
            ends.append(match.start())
            starts.append(match.end())
        ends.append(len(text))
        self.starts = starts
        self.ends = ends  # each line's end, before its break
        self.units = _UNITS.get(str(encoding).lower(), _units_utf16)

    def position(self, offset: int) -> tuple[int, int]:
        """(line, character) of a code-point offset (clamped into the text; an
        offset inside a "\\r\\n" counts as the end of its line)."""
        offset = max(0, min(offset, len(self.text)))
        line = bisect_right(self.starts, offset) - 1
        start = self.starts[line]
        return line, self.units(self.text[start : min(offset, self.ends[line])])

    def offset(self, line: int, character: int) -> int:
        """The code-point offset of an LSP position; a character past the end
        of its line means the line's end, a line past the last the text's end
        (as the protocol says)."""
        if line < 0:
            return 0
        if line >= len(self.starts):
            return len(self.text)
        start, end = self.starts[line], self.ends[line]
        if character <= 0:
            return start
        units = self.units
        if units is len:
            return min(start + character, end)
        counted = 0
        for index in range(start, end):
            counted += units(self.text[index])
            if counted >= character:
                # Inside a character (half of a surrogate pair): after it.
                return index + 1
        return end
