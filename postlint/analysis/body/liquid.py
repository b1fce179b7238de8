"""Liquid that Jekyll handles before Markdown or HTML exist.

``{% highlight lang %}...{% endhighlight %}`` becomes an escaped code block
and ``{% comment %}...{% endcomment %}`` disappears: neither holds markup,
headings or prose to check, in Markdown and HTML posts alike.  Nor does
``{% raw %}...{% endraw %}``: posts use it to show Liquid source, which is
code, not the page's markup.

Every other tag (``{% assign x = "<div>" %}``, ``{% if a < b %}``) and every
output (``{{ "<b>" | escape }}``) is Liquid's text, not HTML's: ``prepare``
blanks them before any HTML or Markdown parser sees the body, offsets and
line breaks kept.  A tag becomes spaces (it renders as nothing); an output
keeps its braces and its inside becomes ``x``s, so it stays one piece of text
(``<h2>{{ page.title }}</h2>`` is not an empty heading, ``src={{ url }}`` is
one attribute value, two outputs in one tag are not a duplicate attribute
when they differ in length).

Of a conditional (``if``/``unless``/``case``) Jekyll renders one branch, so the
alternatives (``elsif``, ``else``, ``when`` after the first) are set aside too:
``{% if x %}<div class="a">{% else %}<div class="b">{% endif %}`` opens one
``div``, not two. The first branch stands for the rendered page.
"""

from __future__ import annotations

import re
from typing import Any

from postlint.model.patterns import contains, lazy
from postlint.model.record import NamedTuple


class LiquidBlocks(NamedTuple):
    code: list[tuple[int, int]]         # highlight and raw blocks, tags included
    comments: list[tuple[int, int]]     # comment blocks, tags included
    branches: list[tuple[int, int]]     # alternative branches of conditionals

    @property
    def all(self) -> list[tuple[int, int]]:
        return sorted(self.code + self.comments + self.branches)


_BLOCK = lazy(
    r"\{%-?\s*(highlight|comment|raw)\b.*?%\}"
    r".*?(?:\{%-?\s*end\1\s*-?%\}|\Z)",
    re.DOTALL,
)
_NOT_NEWLINE = lazy(r"[^\r\n]")


def _blanked(piece: str, fill: str) -> str:
    """``piece`` with every character but line breaks made ``fill``."""
    if "\r" in piece:
        return _NOT_NEWLINE.sub(fill, piece)
    if "\n" in piece:
        # (A highlight block of many lines: str methods, not a regex
        # substitution per character run: a tenth of the cost.)
        return "\n".join(fill * len(line) for line in piece.split("\n"))
    return fill * len(piece)               # (most tags: one line, no regex)


_TAG = lazy(r"\{%-?\s*(if|unless|case|elsif|else|when|endif|endunless|endcase)\b.*?-?%\}", re.DOTALL)
_OPEN = {"if": "endif", "unless": "endunless", "case": "endcase"}


def liquid_blocks(text: str) -> LiquidBlocks:
    """Highlight and comment blocks (an unterminated one runs to the end) and
    the alternative branches of conditionals."""
    if not contains(text, "{%"):
        return LiquidBlocks([], [], [])
    code: list[tuple[int, int]] = []
    comments: list[tuple[int, int]] = []
    for m in _BLOCK.finditer(text):
        (code if m.group(1) in ("highlight", "raw") else comments).append(m.span())
    hidden = code + comments
    return LiquidBlocks(code, comments, _branches(text, hidden))


def _branches(text: str, hidden: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """From the first elsif/else/when-after-when of each conditional to its
    end tag (a conditional without its end tag is left as it is)."""
    result: list[tuple[int, int]] = []
    # Stack of [kind, start of the first alternative or -1, when-count].
    stack: list[list[Any]] = []
    for m in _TAG.finditer(text):
        if any(start <= m.start() < end for start, end in hidden):
            continue
        tag = m.group(1)
        if tag in _OPEN:
            stack.append([tag, -1, 0])
        elif not stack:
            continue
        elif tag in ("elsif", "else", "when"):
            frame = stack[-1]
            if tag == "when":
                frame[2] += 1
                if frame[2] == 1:
                    continue  # the first when is the branch that stands
            if frame[1] == -1:
                frame[1] = m.start()
        elif tag == _OPEN.get(stack[-1][0]):
            _, alternative, _ = stack.pop()
            if alternative != -1:  # nested ones merge with their outer range
                result.append((alternative, m.start()))
    return _merge_ranges(result)


def _merge_ranges(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(ranges):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def blank(text: str, ranges: list[tuple[int, int]]) -> str:
    """``text`` with every character of ``ranges`` but line breaks made a space:
    offsets and line structure stay, content is gone."""
    if not ranges:
        return text
    parts, pos = [], 0
    for start, end in sorted(ranges):
        start = max(start, pos)
        if end <= start:
            continue
        parts.append(text[pos:start])
        parts.append(_blanked(text[start:end], " "))
        pos = end
    parts.append(text[pos:])
    return "".join(parts)


_DELIMITER = lazy(r"\{\{|\{%|\}\}|%\}")


def markup(text: str) -> list[tuple[int, int, str]]:
    """Every ``{{ ... }}`` and ``{% ... %}``, as (start, end, kind) with kind
    ``"{{"`` or ``"{%"``.  One pass over the delimiters: each opening pairs
    with the first closing of its kind after it (as Liquid reads them); an
    opening never closed is text."""
    if not contains(text, "{{") and not contains(text, "{%"):
        return []                           # (closings alone: "}}" of code's nested braces)
    out: list[tuple[int, int, str]] = []
    # Between tags only the next opening matters, and no delimiter before it
    # can hide it (a closing ends in "}", an opening starts with "{"): it is
    # the first "{{" or "{%" (str.find, kept while ahead). Inside a tag the
    # delimiters are read in order from its opening's end, as one pass over
    # the whole text reads them ("%}}" holds a "%}", not a "}}"). The regular
    # expression's scan of every character between tags was most of the cost
    # (a post of code with braces: 30 us).
    find = text.find
    pos = 0
    outputs = find("{{")
    tags = find("{%")
    while outputs >= 0 or tags >= 0:
        if outputs >= 0 and (tags < 0 or outputs < tags):
            start, kind, close = outputs, "{{", "}}"
        else:
            start, kind, close = tags, "{%", "%}"
        for m in _DELIMITER.finditer(text, start + 2):
            if m.group() == close:
                pos = m.end()
                out.append((start, pos, kind))
                break
        else:
            break                           # never closed: the rest is text
        # (Only an opening found is looked for again: none left stays none,
        # else a text of one kind of tag searched it to the end after each.)
        if 0 <= outputs < pos:
            outputs = find("{{", pos)
        if 0 <= tags < pos:
            tags = find("{%", pos)
    return out


def prepare(text: str) -> str:
    """``text`` as an HTML or Markdown parser should see it: highlight, raw
    and comment blocks and the alternative branches of conditionals blanked
    (see ``blank``), every other Liquid tag made spaces and every output
    ``{{xxxx}}``.  Same length, same line breaks."""
    if "{" not in text:
        return text
    text = blank(text, liquid_blocks(text).all)
    found = markup(text)
    if not found:
        return text
    parts, pos = [], 0
    for start, end, kind in found:
        parts.append(text[pos:start])
        if kind == "{%":
            parts.append(_blanked(text[start:end], " "))
        else:
            parts.append("{{" + _blanked(text[start + 2:end - 2], "x") + "}}")
        pos = end
    parts.append(text[pos:])
    return "".join(parts)
