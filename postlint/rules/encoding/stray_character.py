"""A control, zero-width, bidi or replacement character where none belongs.

## What it does
Finds C0 and C1 control characters (other than tab and line breaks), DEL,
U+FFFD (the replacement character: something was lost in a conversion),
zero-width characters (zero-width space, word joiner, a byte-order mark past
the start) and bidi controls, each at its position. Deleting is a safe fix where
nothing is lost by it; zero-width joiners inside emoji and between letters of
scripts that use them are not findings. A control character that Windows-1252
maps to a letter or sign (`0x92` is `’`) is mojibake, reported by EN002, and
so is any control character inside a span EN002 reports (`I â<U+009D>¤ Jekyll`
is `I ❤ Jekyll`): EN003 never reports it, whichever rules are selected, and
never offers a deletion that would stop ftfy from repairing the mojibake
around it.

## Why is this bad?
Invisible characters break search, links and copy-paste; bidi controls can
make text display in another order than it is stored; U+FFFD shows where an
importer already destroyed a character.

## Example
`Daniël Verlaan<U+200B>,` (a zero-width space after a name: the fix deletes it),
`caf<U+FFFD>` (a character lost in a conversion: no fix, the text must be restored).

## Use instead
`Daniël Verlaan,`, `café`.

## Options
None.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator
from typing import Any

from postlint.model.diagnostic import Diagnostic, Edit, Fix
from postlint.model.post import Post

CODE = "EN003"
NAME = "stray-character"
SCOPE = "post"
SEVERITY = "warning"
FIX = "safe"


def _line_of(text: str, pos: int) -> tuple[int, int]:
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    return start, len(text) if end == -1 else end + 1


def _deletions_keep_repair(text: str, line: tuple[int, int], cuts: list[tuple[int, int]]) -> bool:
    """Deleting every range of ``cuts`` (sorted, on one line with mojibake)
    must leave ftfy the same repair to make: the same spans, shifted, with the
    same replacements.  One check per line, whatever the number of cuts."""
    from postlint.rules.encoding.detect import find_mojibake

    line_start, line_end = line
    piece = text[line_start:line_end]
    parts, removed_before, pos = [], [], 0
    bounds, total = [], 0
    for start, end in cuts:
        parts.append(piece[pos:start - line_start])
        pos = end - line_start
        total += end - start
        bounds.append(pos)
        removed_before.append(total)
    parts.append(piece[pos:])
    after = "".join(parts)

    def shifted(p: int) -> int:
        k = bisect_right(bounds, p) - 1
        return p - (removed_before[k] if k >= 0 else 0)

    before = [(shifted(sp.start), shifted(sp.end), sp.replacement) for sp in find_mojibake(piece)]
    return before == [tuple(sp) for sp in find_mojibake(after)]


def check(post: Post, options: dict[str, Any]) -> Iterator[Diagnostic]:
    if post.binary:
        return
    from postlint.rules.encoding.detect import find_stray_characters
    from postlint.rules.encoding.mojibake import mojibake

    text = post.text
    strays = find_stray_characters(text)
    spans = sorted((f.start, f.end) for f in mojibake(post)) if strays else []
    starts = [s for s, _ in spans]
    kept = []
    for stray in strays:
        if post.decode_error is not None and text[stray.start] == "\ufffd":
            continue  # our own decoding put it there; EN001 reports the bytes
        i = bisect_right(starts, stray.start) - 1
        if (i >= 0 and spans[i][1] > stray.start) or (i + 1 < len(spans) and spans[i + 1][0] < stray.end):
            continue  # part of a mojibake span: EN002 reports (and repairs) it
        kept.append(stray)
    # A deletion on a line with mojibake is offered only if ftfy's repair of
    # the line stays the same once all of that line's deletions are made.
    refused: set[tuple[int, int]] = set()
    if spans:
        by_line: dict[tuple[int, int], list[tuple[int, int]]] = {}
        for stray in kept:
            if stray.deletable:
                by_line.setdefault(_line_of(text, stray.start), []).append((stray.start, stray.end))
        for line, cuts in by_line.items():
            k = bisect_right(starts, line[1] - 1) - 1
            if k >= 0 and spans[k][1] > line[0] and not _deletions_keep_repair(text, line, cuts):
                refused.update(cuts)
    for stray in kept:
        deletable = stray.deletable and (stray.start, stray.end) not in refused
        fix = Fix((Edit(stray.start, stray.end, ""),), "safe") if deletable else None
        count = stray.end - stray.start
        what = f"{count} x {stray.char_name}" if count > 1 else stray.char_name
        advice = "; delete it" if deletable else ""
        yield post.diagnostic(CODE, stray.start, stray.end, f"stray character: {what}{advice}", fix=fix)
