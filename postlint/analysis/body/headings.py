"""Headings of a post body, whatever marked them up (HD001-HD003)."""

from __future__ import annotations

from typing import Literal, NamedTuple


class Heading(NamedTuple):
    level: int          # 1-6
    start: int          # offset of the heading's first character (line start / "<")
    end: int            # end of the heading line(s) / of "</hN>" (exclusive)
    text: str           # text content, whitespace collapsed; "" for an empty heading


def headings(text: str, kind: Literal["html", "markdown"]) -> list[Heading]:
    """All headings of a body in document order.

    ``kind="html"``: ``<h1>``-``<h6>`` elements of the whole body.
    ``kind="markdown"``: ATX and setext headings plus ``<hN>`` elements in the
    body's raw-HTML regions.
    """
    from postlint.analysis.body.html import analyze_html

    if kind == "html":
        return analyze_html(text).headings
    if kind != "markdown":
        raise ValueError(f"kind must be 'html' or 'markdown', not {kind!r}")
    from postlint.analysis.body.markdown import markdown_regions

    info = markdown_regions(text)
    found = list(info.headings)
    if info.html:
        found += analyze_html(text, fragments=info.html).headings
    found.sort(key=lambda h: (h.start, h.end))
    return found
