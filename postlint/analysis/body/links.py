"""The absolute http(s) URLs a post body links to, with where each is written.

Used by the URL rules when ``[urls] body-links = true``. Two sources:

* raw HTML (the whole body of an HTML post; anywhere outside code in a
  Markdown post): ``<a href>`` and ``<img src>``. The value is read as a
  browser reads it (character references decoded, surrounding blanks
  stripped); its span is the attribute value as written.
* Markdown links and images (inline, reference-style and ``<autolinks>``),
  found by markdown-it-py. markdown-it keeps no inline positions, so each
  destination is looked up in its block's source lines, left to right (a
  reference definition: anywhere in the body). The URL checked is the one
  markdown-it produces (percent-encoded), i.e. the one the built page holds,
  but with the host as written: markdown-it turns a non-ASCII host into
  punycode without the UTS #46 mapping (`ⓛⓞⓒⓐⓛⓗⓞⓢⓣ` would become an
  `xn--` name for DNS), which kramdown does not do; the URL rules map every
  host, from front matter or body, the same way (IDNA 2008 / UTS #46).

Relative links, anchors, ``mailto:`` and URLs built with Liquid are the
site's own business: only ``http://`` and ``https://`` URLs are returned.
Liquid ``{% highlight %}`` and ``{% comment %}`` blocks and code are skipped.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache
from typing import Any, Iterator, Literal, NamedTuple
from urllib.parse import unquote

from postlint.analysis.body.liquid import blank, liquid_blocks


class Link(NamedTuple):
    start: int  # offsets into the body text of the URL as written
    end: int
    url: str  # what a browser requests
    kind: Literal["page", "image"]


_ABSOLUTE = re.compile(r"https?://", re.IGNORECASE)
# A start tag of a or img; attribute values may hold ">" inside quotes.
_TAG = re.compile(r"<(a|img)(?=[\s/>])((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>", re.IGNORECASE)
_ATTR = re.compile(r"""([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?""")
# Markup whose content is never a link: comments, scripts, styles.
_OPAQUE = re.compile(r"<!--.*?(?:-->|\Z)|<(script|style)\b.*?(?:</\1\s*>|\Z)", re.IGNORECASE | re.DOTALL)
_WANTED = {"a": ("href", "page"), "img": ("src", "image")}


def _host_as_written(url: str) -> str:
    """Undo markdown-it's punycoding of the host (labels it made `xn--`)."""
    if "xn--" not in url.lower():
        return url
    scheme, sep, rest = url.partition("://")
    end = len(rest)
    for stop in "/?#":
        at = rest.find(stop)
        if 0 <= at < end:
            end = at
    authority = rest[:end]
    userinfo, at_sign, hostport = authority.rpartition("@")
    if hostport.startswith("["):
        return url
    host, colon, port = hostport.partition(":")
    labels = []
    for label in host.split("."):
        if label.lower().startswith("xn--"):
            try:
                label = label[4:].encode("ascii").decode("punycode")
            except (UnicodeError, ValueError):
                pass
        labels.append(label)
    authority = userinfo + at_sign + ".".join(labels) + colon + port
    return scheme + sep + authority + rest[end:]


def _wanted(url: str) -> bool:
    return _ABSOLUTE.match(url) is not None and "{{" not in url and "{%" not in url


def _html_links(text: str) -> Iterator[Link]:
    masked = blank(text, [m.span() for m in _OPAQUE.finditer(text)]) if "<!--" in text or "<s" in text.lower() else text
    for tag in _TAG.finditer(masked):
        attribute, kind = _WANTED[tag.group(1).lower()]
        for attr in _ATTR.finditer(tag.group(2)):
            if attr.group(1).lower() != attribute:
                continue
            group = next((g for g in (2, 3, 4) if attr.group(g) is not None), None)
            if group is not None:
                raw = attr.group(group)
                url = html.unescape(raw).strip(" \t\n\f\r")
                if _wanted(url):
                    base = tag.start(2)
                    yield Link(base + attr.start(group), base + attr.end(group), url, kind)
            break  # the first attribute of that name wins, as in a browser


@lru_cache(maxsize=1)
def _md() -> Any:
    from markdown_it import MarkdownIt

    from postlint.analysis.body.markdown import use_fast_link_label

    md = MarkdownIt("commonmark")
    # The same links, without markdown-it's per-label rescans and per-position
    # rule chain (1 MB of `*_[` and a backtick took seconds).
    use_fast_link_label(md)
    return md


def _spellings(url: str) -> list[str]:
    """How a destination markdown-it normalised to `url` may be written."""
    out = [url]
    written = _host_as_written(url)
    if written != url:
        out.append(written)
    # normalizeLinkText undoes punycode and percent-encoding, as written by hand.
    for candidate in (_md().normalizeLinkText(url), unquote(url), url.replace("&", "&amp;"), unquote(url).replace("&", "&amp;")):
        if candidate not in out:
            out.append(candidate)
    return out


def _find(text: str, url: str, start: int, end: int, code: list[tuple[int, int]]) -> tuple[int, int] | None:
    """The first place in text[start:end], outside code, where `url` is written."""
    best: tuple[int, int] | None = None
    for spelling in _spellings(url):
        at = text.find(spelling, start, end)
        while at >= 0 and any(a <= at < b for a, b in code):
            at = text.find(spelling, at + 1, end)
        if at >= 0 and (best is None or at < best[0]):
            best = (at, at + len(spelling))
    return best


def _markdown_links(text: str, code: list[tuple[int, int]]) -> Iterator[Link]:
    tokens = _md().parse(text)
    starts = [0] + [m.end() for m in re.finditer(r"\r\n?|\n", text)]
    for token in tokens:
        if token.type != "inline" or not token.children or not token.map:
            continue
        first, last = token.map
        block_start = starts[min(first, len(starts) - 1)]
        block_end = starts[last] if last < len(starts) else len(text)
        cursor = block_start
        stack = list(reversed(token.children))
        while stack:
            child = stack.pop()
            if child.type == "image":
                url, kind = str(child.attrs.get("src", "")), "image"
                # The alt text may hold links of its own, after this image's "[".
            elif child.type == "link_open":
                url, kind = str(child.attrs.get("href", "")), "page"
            else:
                continue
            if child.children:
                stack.extend(reversed(child.children))
            if not _wanted(url):
                continue
            span = _find(text, url, cursor, block_end, code)
            if span is not None:
                cursor = span[1]
            else:
                # A reference-style link: its destination is in the definition.
                span = _find(text, url, 0, len(text), code) or (block_start, block_start)
            yield Link(span[0], span[1], _host_as_written(url), kind)  # type: ignore[arg-type]


def body_links(text: str, markdown: bool) -> list[Link]:
    """Every absolute http(s) link and image of a body, in order of position."""
    if "http" not in text.lower():
        return []
    text = blank(text, liquid_blocks(text).all)
    if not markdown:
        return sorted(_html_links(text))
    from postlint.analysis.body.markdown import markdown_regions

    code = markdown_regions(text).code
    links = [link for link in _html_links(blank(text, code))]
    links.extend(_markdown_links(text, code))
    seen: set[tuple[int, int]] = set()
    out = []
    for link in sorted(links):
        if (link.start, link.end) not in seen:
            seen.add((link.start, link.end))
            out.append(link)
    return out
