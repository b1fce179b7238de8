"""Inline suppression comments.

In the body: ``<!-- postlint-disable CODE[, CODE] -->`` ... ``<!-- postlint-enable CODE -->``
(no code: every rule) and ``<!-- postlint-disable-next-line CODE -->``. In front
matter: a trailing ``# postlint: disable=CODE[,CODE]`` on the key's line. A code may
be a rule's code, its name or a prefix, as everywhere else.
"""

from __future__ import annotations

import re
from typing import NamedTuple, Optional

from postlint.post import Post

_BODY = re.compile(
    r"<!--\s*postlint-(disable-next-line|disable|enable)\b([^>]*?)-->", re.IGNORECASE
)
_FRONT = re.compile(r"\s#\s*postlint:\s*disable=([A-Za-z0-9_,\s-]+?)\s*$", re.MULTILINE)


class Suppression(NamedTuple):
    selectors: Optional[tuple[str, ...]]  # None: every rule
    first_line: int
    last_line: int


def _selectors(text: str) -> Optional[tuple[str, ...]]:
    parts = tuple(p for p in re.split(r"[\s,]+", text.strip()) if p)
    return parts or None


def parse_suppressions(post: Post) -> list[Suppression]:
    result: list[Suppression] = []
    text = post.text
    if "postlint" not in text:  # the common case costs one scan
        return result
    lines = post.lines
    fm = post.front_matter
    if fm is not None:
        for m in _FRONT.finditer(text, fm.content_start, fm.content_end):
            line = lines.position(m.start())[0]
            result.append(Suppression(_selectors(m.group(1)), line, line))
    last = lines.line_count
    open_blocks: list[tuple[Optional[tuple[str, ...]], int]] = []
    for m in _BODY.finditer(text, post.body_offset):
        kind = m.group(1).lower()
        selectors = _selectors(m.group(2))
        line = lines.position(m.start())[0]
        if kind == "disable-next-line":
            result.append(Suppression(selectors, line + 1, line + 1))
        elif kind == "disable":
            open_blocks.append((selectors, line))
        else:
            remaining = []
            for block_selectors, start in open_blocks:
                if selectors is None or block_selectors == selectors or (
                    block_selectors is not None and set(block_selectors) <= set(selectors)
                ):
                    result.append(Suppression(block_selectors, start, line))
                else:
                    remaining.append((block_selectors, start))
            open_blocks = remaining
    result.extend(Suppression(sel, start, last) for sel, start in open_blocks)
    return result
