"""The absolute http(s) URLs a post body links to, with where each is written.

Long because: it holds the three kinds of reference a body makes (absolute
URLs for the URL rules, local paths for JK003, Liquid `link` and `post_url`
tags for JK004), which share one walk of the raw HTML and the Markdown and one
way of finding where a value is written; apart, each would repeat that walk.

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

import re
from bisect import bisect_right
from collections.abc import Callable, Iterator
from typing import Any, Literal
from urllib.parse import unquote

from postlint.analysis.body.liquid import blank, liquid_blocks
from postlint.model.patterns import contains, lazy
from postlint.model.record import NamedTuple


class Link(NamedTuple):
    start: int  # offsets into the body text of the URL as written
    end: int
    url: str  # what a browser requests
    kind: Literal["page", "image"]


_ABSOLUTE = lazy(r"https?://", re.IGNORECASE)
# A start tag of a or img; attribute values may hold ">" inside quotes.
_TAG = lazy(r"<(a|img)(?=[\s/>])((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>", re.IGNORECASE)
_ATTR = lazy(r"""([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?""")
# Markup whose content is never a link: comments, scripts, styles.
_OPAQUE = lazy(r"<!--.*?(?:-->|\Z)|<(script|style)\b.*?(?:</\1\s*>|\Z)", re.IGNORECASE | re.DOTALL)
_WANTED: dict[str, tuple[str, Literal["page", "image"]]] = {"a": ("href", "page"), "img": ("src", "image")}


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


def _unescape(value: str) -> str:
    """html.unescape of an attribute's value; the html module (its table of
    2,231 entities takes a millisecond to import) only for one with a "&"."""
    if "&" not in value:
        return value
    import html

    return html.unescape(value)


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
                url = _unescape(raw).strip(" \t\n\f\r")
                if _wanted(url):
                    base = tag.start(2)
                    yield Link(base + attr.start(group), base + attr.end(group), url, kind)
            break  # the first attribute of that name wins, as in a browser


def _md() -> Any:
    from postlint.adapters.markdown_it import links_parser

    return links_parser()


def _spellings(url: str) -> list[str]:
    """How a destination markdown-it normalised to `url` may be written."""
    out = [url]
    written = _host_as_written(url)
    if written != url:
        out.append(written)
    # normalizeLinkText undoes punycode and percent-encoding, as written by hand.
    for candidate in (
        _md().normalizeLinkText(url),
        unquote(url),
        url.replace("&", "&amp;"),
        unquote(url).replace("&", "&amp;"),
    ):
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
            kind: Literal["page", "image"]
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
            yield Link(span[0], span[1], _host_as_written(url), kind)


def body_links(text: str, markdown: bool) -> list[Link]:
    """Every absolute http(s) link and image of a body, in order of position."""
    if "http" not in text.lower():
        return []
    text = blank(text, liquid_blocks(text).all)
    if not markdown:
        return sorted(_html_links(text))
    from postlint.analysis.body.markdown import markdown_regions

    code = markdown_regions(text).code
    links = list(_html_links(blank(text, code)))
    links.extend(_markdown_links(text, code))
    seen: set[tuple[int, int]] = set()
    out = []
    for link in sorted(links):
        if (link.start, link.end) not in seen:
            seen.add((link.start, link.end))
            out.append(link)
    return out


# -- local references (the JK rules: what Jekyll must publish) ------------------


class LocalRef(NamedTuple):
    """A site-relative or relative link or image of a body."""

    start: int  # offsets into the body text of the reference as written
    end: int
    written: str  # as written, Liquid included
    target: str  # the path it names ("/x", "x/y", "../z"), Liquid resolved, query and fragment kept
    kind: Literal["page", "image"]
    # Written with {{ site.baseurl }} or relative_url / absolute_url: Jekyll
    # adds the site's baseurl. A bare "/x" must hold it already.
    based: bool


_SCHEME = lazy(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_OUT = r"\{\{-?\s*(?:%s)\s*-?\}\}"
_BASEURL = lazy("^(?:" + _OUT % r"site\.url" + ")?" + _OUT % r"site\.baseurl" + r"(?P<rest>[^{}]*)$")
_SITE_URL = lazy("^" + _OUT % r"site\.url" + r"(?P<rest>[^{}]*)$")
_FILTERED = lazy(
    r"^\{\{-?\s*(?P<q>[\"'])(?P<path>[^\"'{}]*)(?P=q)\s*\|\s*(?:relative_url|absolute_url)\s*-?\}\}(?P<rest>[^{}]*)$"
)
# Markdown: the destination of an inline link or image, after "](".
_MD_INLINE = lazy(
    r"\]\([ \t]*\n?[ \t]*(?:<(?P<angle>[^<>\n]*)>|(?P<plain>[^\s()<>]+(?:\([^\s()]*\)[^\s()<>]*)*))"
    r"(?:[ \t]*\n?[ \t]*(?:\"[^\"\n]*\"|'[^'\n]*'|\([^()\n]*\)))?[ \t]*\)"
)
# A "](" whose destination may be local: not one that starts with a scheme,
# "//", "#" or "?" (which resolve_liquid refuses, Liquid blanked or not).
# Whitespace is matched loosely, so that this finds every "](" the loop over
# _MD_INLINE could keep (and some more): where it finds none, the loop would
# keep nothing (ruby-lang.org: 29,165 inline links, 1,006 of them local).
_MAYBE_LOCAL_INLINE = lazy(r"\]\([ \t]*\n?[ \t]*(?:<[ \t]*)?(?![A-Za-z][A-Za-z0-9+.-]*:|//|#|\?)")
# A link reference definition, read from the line break before it (the
# text is searched with "\n" put before it): a literal first character
# lets the engine skip to line breaks, where "^" with re.MULTILINE tried
# every position (twice the time). A plain destination that starts with a
# scheme, "//", "#" or "?" is not matched at all: resolve_liquid refuses
# it (ruby-lang.org: 10,153 definitions, nearly all of them http URLs).
_MD_DEFINITION = lazy(
    r"\n[ ]{0,3}\[(?!\^)(?:[^\]\\\n]|\\.){1,999}\]:[ \t]*\n?[ \t]*"
    r"(?:<(?P<angle>[^<>\n]*)>|(?![A-Za-z][A-Za-z0-9+.-]*:|//|[#?])(?P<plain>\S+))"
)


def resolve_liquid(written: str) -> tuple[str, bool] | None:
    """(path, based) of a reference as written, or None when it is not a
    local path postlint can read (a URL with a scheme, `//host`, an anchor,
    Liquid other than the site.baseurl / relative_url forms)."""
    value = written.strip()
    based = False
    if "{{" in value or "{%" in value:
        m = _BASEURL.match(value)
        if m is not None:
            value, based = m.group("rest") or "/", True
        elif (m := _FILTERED.match(value)) is not None:
            value, based = "/" + m.group("path").lstrip("/") + m.group("rest"), True
        elif (m := _SITE_URL.match(value)) is not None:
            value = m.group("rest") or "/"
        else:
            return None
        if not value.startswith("/"):
            return None  # {{ site.baseurl }}x: a typo of its own, not a path
    if not value or value[0] in "#?" or value.startswith("//") or _SCHEME.match(value):
        return None
    return value, based


_BRACKET = lazy(r"[\[\]]")
_BLANK_LINE = lazy(r"\n[ \t]*\n")


def _brackets(text: str) -> tuple[set[int], set[int]]:
    """The offsets of the "]" that close an image's "![", and of those that
    close the label of a full reference link (`[text][label]`): "(...)" after
    that is text, not a destination. One pass over the brackets; they pair
    within a paragraph, so a blank line since the last bracket drops the
    open ones (looked for only while one is open: the code blanked in a
    scala-lang post is hundreds of blank lines, each a step of the loop when
    they were matched too, 0.43 ms a post)."""
    images: set[int] = set()
    labels: set[int] = set()
    stack: list[int] = []
    last = 0
    for m in _BRACKET.finditer(text):
        at = m.start()
        if stack and _BLANK_LINE.search(text, last, at) is not None:
            stack.clear()                   # a blank line ends the paragraph
        last = at + 1
        if text[at] == "[":
            stack.append(at)
        elif stack:
            opening = stack.pop()
            before = text[opening - 1] if opening > 0 else ""
            if before == "!":
                images.add(at)
            elif before == "]":
                labels.add(at)
    return images, labels


# An <a> or <img> tag's start (what local_references looks for besides
# "](" and "]:", which `in` finds faster than one pattern of all three).
_TAG_START = lazy(r"<(?:a|img)\b", re.IGNORECASE)


def local_references(
    text: str, markdown: bool, code: Callable[[], list[tuple[int, int]]] | None = None,
) -> list[LocalRef]:
    """Every link and image of a body whose target is a path on the site
    (`/x`, `x/y`, `../z`, `{{ site.baseurl }}/x`, `{{ "/x" | relative_url }}`),
    in order of position. Code, comments and Liquid highlight, raw and comment
    blocks are skipped; other Liquid in a target makes it dynamic: skipped.
    `code`: gives the body's Markdown code regions, when the caller has them
    (called only when the body has a link or image at all)."""
    if not contains(text, "](") and not contains(text, "]:") and ("<" not in text or _TAG_START.search(text) is None):
        return []
    text = blank(text, liquid_blocks(text).all)
    # Liquid becomes one unbroken word (same length): `{{ site.baseurl }}/x`
    # stays one destination for the patterns below; the original is read back.
    masked = text
    if "{" in text:
        from postlint.analysis.body.liquid import markup

        pieces, pos = [], 0
        for start, end, _ in markup(text):  # one pass: an unclosed "{{" is text
            pieces += [text[pos:start], "\x00" * (end - start)]
            pos = end
        masked = "".join(pieces) + text[pos:]
    regions: list[tuple[int, int]] = []
    if markdown:
        if code is None:
            from postlint.analysis.body.markdown import markdown_regions

            regions = markdown_regions(text).code
        else:
            regions = code()
        regions = sorted(regions)
    starts = [a for a, _ in regions]

    def in_code(pos: int) -> bool:
        i = bisect_right(starts, pos) - 1
        return i >= 0 and pos < regions[i][1]

    found: list[LocalRef] = []

    def add(start: int, end: int, kind: Literal["page", "image"], decode: bool) -> None:
        written = text[start:end]
        value = _unescape(written) if decode else written
        resolved = resolve_liquid(value)
        if resolved is not None:
            found.append(LocalRef(start, end, written, resolved[0], kind, resolved[1]))

    opaque = blank(masked, [m.span() for m in _OPAQUE.finditer(masked)]) if "<" in masked else masked
    if "<" in opaque:
        for tag in _TAG.finditer(opaque):
            if regions and in_code(tag.start()):
                continue
            attribute, kind = _WANTED[tag.group(1).lower()]
            for attr in _ATTR.finditer(tag.group(2)):
                if attr.group(1).lower() != attribute:
                    continue
                group = next((g for g in (2, 3, 4) if attr.group(g) is not None), None)
                if group is not None:
                    base = tag.start(2)
                    start, end = base + attr.start(group), base + attr.end(group)
                    raw = text[start:end]
                    lead = len(raw) - len(raw.lstrip(" \t\n\f\r"))
                    trail = len(raw.rstrip(" \t\n\f\r"))
                    if trail > lead:
                        add(start + lead, start + trail, kind, True)
                break
    if markdown and contains(masked, "](") and _MAYBE_LOCAL_INLINE.search(masked) is not None:
        inline = []
        for m in _MD_INLINE.finditer(masked):
            which = "angle" if m.group("angle") is not None else "plain"
            if (m.start(which) < m.end(which) and not (regions and in_code(m.start()))
                    and resolve_liquid(text[m.start(which):m.end(which)]) is not None):
                inline.append((m.start(), m.start(which), m.end(which)))
        if inline:  # brackets paired only when there is a local link at all
            images, labels = _brackets(blank(masked, regions))
            for bracket, start, end in inline:
                if bracket not in labels:  # [text][label](words): a reference link, then text
                    add(start, end, "image" if bracket in images else "page", False)
    if markdown and contains(masked, "]:"):
        for m in _MD_DEFINITION.finditer("\n" + masked):  # (offsets one past the text's)
            which = "angle" if m.group("angle") is not None else "plain"
            start, end = m.start(which) - 1, m.end(which) - 1
            if start < end and not (regions and in_code(m.start())):
                add(start, end, "page", False)
    seen: set[tuple[int, int]] = set()
    out = []
    for ref in sorted(found):
        if (ref.start, ref.end) not in seen:
            seen.add((ref.start, ref.end))
            out.append(ref)
    return out


# -- Liquid tags that name files: post_url, link, include -----------------------


class LiquidRef(NamedTuple):
    start: int  # offsets into the body text of the name as written
    end: int
    tag: str  # "post_url" | "link" | "include" | "include_relative" | "include_cached" (jekyll-include-cache)
    name: str


_LIQUID_TAG = lazy(
    r"\{%-?[ \t\r\n]*(post_url|link|include_relative|include_cached|include)[ \t\r\n]+"
    r"(?P<name>[^\s%]+(?:%(?!\})[^\s%]*)*)"
)
_RAW_OR_COMMENT = lazy(
    r"\{%-?\s*(raw|comment)\s*-?%\}.*?(?:\{%-?\s*end\1\s*-?%\}|\Z)", re.DOTALL,
)


def liquid_references(text: str) -> list[LiquidRef]:
    """Every `{% post_url %}`, `{% link %}`, `{% include %}` and
    `{% include_relative %}` whose target is written out (Jekyll runs Liquid
    before Markdown, so code blocks count; `raw` and `comment` blocks do not;
    a name holding `{{` is dynamic and left out)."""
    if not contains(text, "{%"):
        return []
    text = blank(text, [m.span() for m in _RAW_OR_COMMENT.finditer(text)])
    out = []
    for m in _LIQUID_TAG.finditer(text):
        name = m.group("name")
        if "{{" in name or "}}" in name or (name.endswith("-") and text.startswith("%}", m.end("name"))):
            continue
        if name[:1] in "'\"" and name[-1:] == name[:1] and len(name) > 1:
            out.append(LiquidRef(m.start("name") + 1, m.end("name") - 1, m.group(1), name[1:-1]))
        elif "{" not in name and name[:1] not in "'\"":
            out.append(LiquidRef(m.start("name"), m.end("name"), m.group(1), name))
    return out
