"""What the Markdown parse of a body yields (``MarkdownInfo``), and what
both of its parsers (``markdown``'s markdown-it walk and
``markdown_native``'s pulldown-cmark walk) share: the line table and
kramdown's raw HTML containers."""

from __future__ import annotations

import re

from postlint.analysis.body.headings import Heading
from postlint.model.patterns import lazy
from postlint.model.record import NamedTuple


class MarkdownInfo(NamedTuple):
    headings: list[Heading]
    code: list[tuple[int, int]]     # code blocks, code spans, Liquid highlight blocks
    html: list[tuple[int, int]]     # html_block and html_inline
    # Lines of only "#" characters (and blanks): CommonMark's empty ATX
    # headings, which kramdown (Jekyll) does not make headings at all.
    hash_lines: tuple[tuple[int, int], ...] = ()


LINE_BREAK = lazy(r"\r\n?|\n")
# kramdown's block-level HTML elements whose content it leaves raw unless the
# element says markdown="1" (or "block"): Markdown headings written inside
# them are text readers see as typed, not headings (kramdown issue 334).
_RAW_CONTAINERS = frozenset([
    "address", "article", "aside", "blockquote", "body", "details", "dd", "div", "dl", "dt", "fieldset",
    "figcaption", "figure", "footer", "form", "header", "hgroup", "html", "li", "main", "nav", "ol", "section",
    "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
])
_BLOCK_TAG = lazy(r"<(/?)([A-Za-z][A-Za-z0-9-]*)((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>")
_MARKDOWN_ATTR = lazy(r"""\bmarkdown\s*=\s*["']?(1|block|span)\b""", re.IGNORECASE)


def line_starts(text: str) -> list[int]:
    return [0] + [m.end() for m in LINE_BREAK.finditer(text)]


def track_containers(content: str, stack: list[tuple[str, bool]]) -> None:
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
