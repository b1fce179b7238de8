"""Liquid blocks that Jekyll handles before Markdown or HTML exist.

``{% highlight lang %}...{% endhighlight %}`` becomes an escaped code block
and ``{% comment %}...{% endcomment %}`` disappears: neither holds markup,
headings or prose to check, in Markdown and HTML posts alike.
"""

from __future__ import annotations

import re
from typing import NamedTuple


class LiquidBlocks(NamedTuple):
    code: list[tuple[int, int]]         # highlight blocks, tags included
    comments: list[tuple[int, int]]     # comment blocks, tags included

    @property
    def all(self) -> list[tuple[int, int]]:
        return sorted(self.code + self.comments)


_BLOCK = re.compile(
    r"\{%-?\s*(highlight|comment)\b.*?%\}"
    r".*?(?:\{%-?\s*end\1\s*-?%\}|\Z)",
    re.DOTALL,
)
_NOT_NEWLINE = re.compile(r"[^\r\n]")


def liquid_blocks(text: str) -> LiquidBlocks:
    """Highlight and comment blocks; an unterminated one runs to the end."""
    if "{%" not in text:
        return LiquidBlocks([], [])
    code, comments = [], []
    for m in _BLOCK.finditer(text):
        (code if m.group(1) == "highlight" else comments).append(m.span())
    return LiquidBlocks(code, comments)


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
        parts.append(_NOT_NEWLINE.sub(" ", text[start:end]))
        pos = end
    parts.append(text[pos:])
    return "".join(parts)
