"""A post body parsed once and shared by the EN, HT and HD rules.

Each analysis is computed on first use and kept in ``post.analyses``, with every
offset already made absolute (an offset into ``post.text``): a rule that only
needs the code regions does not pay for html5lib, and two rules that need the
HTML parse share one.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

from postlint.analysis.body.headings import Heading
from postlint.analysis.body.html_model import HtmlError, HtmlInfo, TagSpan
from postlint.model.analyses import Slot
from postlint.model.collector import no_cyclic_gc
from postlint.model.patterns import lazy
from postlint.model.post import Post
from postlint.model.record import NamedTuple

if TYPE_CHECKING:  # imported where parsed: markdown-it is not needed by every run
    from postlint.analysis.body.markdown import MarkdownInfo

# <pre> and <code> elements of HTML: code samples where mojibake-looking text
# may be intentional. A skip list only, so a conservative pattern is enough.
_CODE_ELEMENT = lazy(r"<(pre|code)\b[^>]*>.*?</\1\s*>", re.IGNORECASE | re.DOTALL)


class HtmlFindings(NamedTuple):
    parse_errors: list[HtmlError]  # absolute offsets
    unclosed: list[TagSpan]
    stray_end_tags: list[TagSpan]


# The analyses of a post body (relative offsets for MARKDOWN and HTML, the
# others absolute), each computed on first use.
MARKDOWN: Slot[MarkdownInfo] = Slot("markdown")
HTML: Slot[HtmlInfo | None] = Slot("html")
CODE: Slot[list[tuple[int, int]]] = Slot("code")
HTML_FINDINGS: Slot[HtmlFindings] = Slot("html_findings")
HEADINGS: Slot[list[Heading]] = Slot("headings")

_Positioned = TypeVar("_Positioned", HtmlError, TagSpan, Heading)


def _shift(items: list[_Positioned], by: int) -> list[_Positioned]:
    """The items with their offsets moved by `by` (same types)."""
    return cast("list[_Positioned]", _shifted(items, by))


def _shifted(items: list[Any], by: int) -> list[Any]:
    # Built as plain tuples: a post can have 200k of these, and
    # NamedTuple._replace (twice for an HtmlError) was most of the cost.
    if not items:
        return items
    cls = type(items[0])
    fields = cls._fields
    new = tuple.__new__
    if fields[:2] != ("start", "end"):
        return [item._replace(start=item.start + by, end=item.end + by) for item in items]
    if "origin" in fields:
        k = fields.index("origin")
        return [new(cls, (item[0] + by, item[1] + by, *item[2:k], item[k] + by if item[k] >= 0 else item[k],
                          *item[k + 1:])) for item in items]
    return [new(cls, (item[0] + by, item[1] + by, *item[2:])) for item in items]


def markdown_info(post: Post) -> MarkdownInfo:
    """The Markdown parse of the body (offsets relative to the body)."""
    return post.analyses.get(MARKDOWN, lambda: _markdown(post))


def _markdown(post: Post) -> MarkdownInfo:
    from postlint.analysis.body.liquid import prepare
    from postlint.analysis.body.markdown import markdown_regions

    # Liquid is not Markdown: tags and outputs blanked first (same offsets).
    with no_cyclic_gc():
        return markdown_regions(prepare(post.body))


def _html(post: Post) -> HtmlInfo | None:
    """html5lib's view of the body (relative offsets): the whole body of an HTML
    post, the raw-HTML regions of a Markdown post (None: there are none)."""
    return post.analyses.get(HTML, lambda: _analyze_html(post))


def _analyze_html(post: Post) -> HtmlInfo | None:
    from postlint.analysis.body.html import analyze_html

    if post.is_markdown:
        regions = markdown_info(post).html
        return analyze_html(post.body, fragments=regions) if regions else None
    return analyze_html(post.body)


def code_ranges(post: Post) -> list[tuple[int, int]]:
    """Absolute ranges of code in the body: fences, indented blocks and spans
    of Markdown, <pre>/<code> elements, Liquid highlight blocks."""
    return post.analyses.get(CODE, lambda: _code_ranges(post))


def _code_ranges(post: Post) -> list[tuple[int, int]]:
    from postlint.analysis.body.liquid import liquid_blocks

    body = post.body
    ranges = list(liquid_blocks(body).code)
    if post.is_markdown:
        ranges += markdown_info(post).code
    if "<" in body:
        ranges += [m.span() for m in _CODE_ELEMENT.finditer(body)]
    base = post.body_offset
    return sorted((start + base, end + base) for start, end in ranges)


def html_findings(post: Post) -> HtmlFindings:
    """HT001-HT003's findings of the body, absolute offsets."""
    return post.analyses.get(HTML_FINDINGS, lambda: _html_findings(post))


def _html_findings(post: Post) -> HtmlFindings:
    info = _html(post)
    base = post.body_offset
    if info is None:
        return HtmlFindings([], [], [])
    return HtmlFindings(
        _shift(info.parse_errors, base), _shift(info.unclosed, base), _shift(info.stray_end_tags, base)
    )


def hash_lines(post: Post) -> list[tuple[int, int]]:
    """Absolute ranges of the Markdown lines that hold only "#" characters:
    not headings in kramdown (Jekyll's Markdown), text readers see."""
    if not post.is_markdown:
        return []
    base = post.body_offset
    return [(s + base, e + base) for s, e in markdown_info(post).hash_lines]


def headings(post: Post) -> list[Heading]:
    """Every heading of the body (Markdown and HTML), in document order."""
    return post.analyses.get(HEADINGS, lambda: _headings(post))


def _headings(post: Post) -> list[Heading]:
    found: list[Heading] = []
    if post.is_markdown:
        found += markdown_info(post).headings
    info = _html(post)
    if info is not None:
        found += info.headings
    found.sort(key=lambda h: (h.start, h.end))
    return _shift(found, post.body_offset)


def text_headings(text: str, kind: Literal["html", "markdown"]) -> list[Heading]:
    """All headings of a body in document order.

    ``kind="html"``: ``<h1>``-``<h6>`` elements of the whole body.
    ``kind="markdown"``: ATX and setext headings plus ``<hN>`` elements in the
    body's raw-HTML regions.
    """
    from postlint.analysis.body.html import analyze_html
    from postlint.analysis.body.markdown import markdown_regions

    if kind == "html":
        return analyze_html(text).headings
    if kind != "markdown":
        raise ValueError(f"kind must be 'html' or 'markdown', not {kind!r}")
    info = markdown_regions(text)
    found = list(info.headings)
    if info.html:
        found += analyze_html(text, fragments=info.html).headings
    found.sort(key=lambda h: (h.start, h.end))
    return found
