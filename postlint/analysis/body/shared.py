"""A post body parsed once and shared by the EN, HT and HD rules.

Each analysis is computed on first use and kept in ``post.cache``, with every
offset already made absolute (an offset into ``post.text``): a rule that only
needs the code regions does not pay for html5lib, and two rules that need the
HTML parse share one.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Literal, NamedTuple

from postlint.analysis.body.headings import Heading
from postlint.model.post import Post

# <pre> and <code> elements of HTML: code samples where mojibake-looking text
# may be intentional. A skip list only, so a conservative pattern is enough.
_CODE_ELEMENT = re.compile(r"<(pre|code)\b[^>]*>.*?</\1\s*>", re.IGNORECASE | re.DOTALL)


class HtmlFindings(NamedTuple):
    parse_errors: list[Any]  # postlint.analysis.body.html.HtmlError, absolute offsets
    unclosed: list[Any]  # TagSpan
    stray_end_tags: list[Any]  # TagSpan


def _shift(items: list[Any], by: int) -> list[Any]:
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


def _markdown(post: Post) -> Any:
    info = post.cache.get("markdown")
    if info is None:
        from postlint.analysis.body.liquid import prepare
        from postlint.analysis.body.markdown import markdown_regions

        # Liquid is not Markdown: tags and outputs blanked first (same offsets).
        with _no_cyclic_gc():
            info = post.cache["markdown"] = markdown_regions(prepare(post.body))
    return info


@contextmanager
def _no_cyclic_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector around a parse that allocates a
    token per block and span (500k for a 1 MB post of headings) and frees
    none of them: every collection would walk all of them again, half the
    parse's time. Reference counting still frees everything; cycles left
    are collected once the collector is back on."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _html(post: Post) -> Any:
    """html5lib's view of the body (relative offsets): the whole body of an HTML
    post, the raw-HTML regions of a Markdown post."""
    info = post.cache.get("html")
    if info is None:
        from postlint.analysis.body.html import analyze_html

        if post.is_markdown:
            regions = _markdown(post).html
            info = analyze_html(post.body, fragments=regions) if regions else None
        else:
            info = analyze_html(post.body)
        post.cache["html"] = info
    return info


def code_ranges(post: Post) -> list[tuple[int, int]]:
    """Absolute ranges of code in the body: fences, indented blocks and spans
    of Markdown, <pre>/<code> elements, Liquid highlight blocks."""
    cached = post.cache.get("code")
    if cached is not None:
        return cached
    from postlint.analysis.body.liquid import liquid_blocks

    body = post.body
    ranges = list(liquid_blocks(body).code)
    if post.is_markdown:
        ranges += _markdown(post).code
    if "<" in body:
        ranges += [m.span() for m in _CODE_ELEMENT.finditer(body)]
    base = post.body_offset
    result = sorted((start + base, end + base) for start, end in ranges)
    post.cache["code"] = result
    return result


def html_findings(post: Post) -> HtmlFindings:
    cached = post.cache.get("html_findings")
    if cached is not None:
        return cached
    info = _html(post)
    base = post.body_offset
    if info is None:
        result = HtmlFindings([], [], [])
    else:
        result = HtmlFindings(
            _shift(info.parse_errors, base), _shift(info.unclosed, base), _shift(info.stray_end_tags, base)
        )
    post.cache["html_findings"] = result
    return result


def hash_lines(post: Post) -> list[tuple[int, int]]:
    """Absolute ranges of the Markdown lines that hold only "#" characters:
    not headings in kramdown (Jekyll's Markdown), text readers see."""
    if not post.is_markdown:
        return []
    base = post.body_offset
    return [(s + base, e + base) for s, e in _markdown(post).hash_lines]


def headings(post: Post) -> list[Any]:
    """Every heading of the body (Markdown and HTML), in document order."""
    cached = post.cache.get("headings")
    if cached is not None:
        return cached
    found: list[Any] = []
    if post.is_markdown:
        found += _markdown(post).headings
    info = _html(post)
    if info is not None:
        found += info.headings
    found.sort(key=lambda h: (h.start, h.end))
    result = _shift(found, post.body_offset)
    post.cache["headings"] = result
    return result


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
