"""Headings of a post body, whatever marked them up (HD001-HD003)."""

from __future__ import annotations

from postlint.model.record import NamedTuple


class Heading(NamedTuple):
    level: int          # 1-6
    start: int          # offset of the heading's first character (line start / "<")
    end: int            # end of the heading line(s) / of "</hN>" (exclusive)
    text: str           # text content, whitespace collapsed; "" for an empty heading
