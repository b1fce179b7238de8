"""Inline suppression comments.

In the body: ``<!-- postlint-disable CODE[, CODE] -->`` ... ``<!-- postlint-enable
CODE[, CODE] -->`` and ``<!-- postlint-disable-next-line CODE -->``. In front
matter: ``# postlint: disable=CODE[,CODE]``, which applies to its own line when it
trails a key (``title: 5  # postlint: disable=FM100``) and to the next line when
it stands alone on its line. ``# postlint: disable-file=CODE`` anywhere in the
front matter silences those rules for the whole file (for findings about the
file itself, which stand at line 1: JK001, JK002, a missing key of FM100).
No code means every rule.

A code may be a rule's code, its name or a prefix, in any case, as in
``--select``: each comment's selectors are resolved to a set of rule codes when
the comments are parsed (by the `resolve` function the engine passes, which knows
the registry), so that ``disable mojibake`` ... ``enable EN002`` is one block. An
``enable`` removes its codes from every open block: after ``disable EN002, EN003``
... ``enable EN002`` the block goes on for EN003 alone; a bare ``enable`` closes
every block. The line of the ``enable`` is still inside the block; a block never
closed lasts to the end of the file.
"""

from __future__ import annotations

import re
from typing import Callable, Iterable, NamedTuple

from postlint.post import Post

_BODY = re.compile(
    r"<!--\s*postlint-(disable-next-line|disable|enable)\b([^>]*?)-->", re.IGNORECASE
)
# A YAML comment starts at a '#' after a blank or at the start of a line. The
# blanks are spaces and tabs only: a newline before the '#' makes the comment a
# line of its own, not a trailing one.
_FRONT = re.compile(
    r"(?:^|[ \t])#[ \t]*postlint:[ \t]*(disable|disable-file)=([A-Za-z0-9_, \t-]+?)[ \t]*\r?$",
    re.MULTILINE | re.IGNORECASE,
)

Resolve = Callable[[Iterable[str]], frozenset[str]]


class Suppression(NamedTuple):
    codes: frozenset[str]  # the rules it silences
    first_line: int
    last_line: int


def _selectors(text: str) -> list[str]:
    return [p for p in re.split(r"[\s,]+", text.strip()) if p]


def parse_suppressions(post: Post, resolve: Resolve) -> list[Suppression]:
    """The post's suppressions; `resolve` turns selectors into rule codes
    (``["ALL"]`` into every code)."""
    result: list[Suppression] = []
    text = post.text
    if "postlint" not in text:  # the common case costs one scan
        return result
    every: frozenset[str] | None = None

    def codes(selectors_text: str) -> frozenset[str]:
        nonlocal every
        selectors = _selectors(selectors_text)
        if selectors:
            return resolve(selectors)
        if every is None:
            every = resolve(["ALL"])
        return every

    lines = post.lines
    fm = post.front_matter
    if fm is not None:
        for m in _FRONT.finditer(text, fm.content_start, fm.content_end):
            hash_at = m.start() if text[m.start()] == "#" else m.start() + 1
            line = lines.position(hash_at)[0]
            alone = text[text.rfind("\n", 0, hash_at) + 1 : hash_at].strip() == ""
            target = line + 1 if alone else line
            if m.group(1).lower() == "disable-file":
                # The whole file: findings about the file itself stand at line 1.
                result.append(Suppression(codes(m.group(2)), 1, lines.line_count))
            else:
                result.append(Suppression(codes(m.group(2)), target, target))
    last = lines.line_count
    open_blocks: list[tuple[frozenset[str], int]] = []
    for m in _BODY.finditer(text, post.body_offset):
        kind = m.group(1).lower()
        line = lines.position(m.start())[0]
        if kind == "disable-next-line":
            result.append(Suppression(codes(m.group(2)), line + 1, line + 1))
        elif kind == "disable":
            open_blocks.append((codes(m.group(2)), line))
        else:
            enabled = codes(m.group(2))
            remaining = []
            for block, start in open_blocks:
                closed = block & enabled
                if closed:
                    result.append(Suppression(closed, start, line))
                if block - enabled:
                    remaining.append((block - enabled, start))
            open_blocks = remaining
    result.extend(Suppression(block, start, last) for block, start in open_blocks)
    return result
