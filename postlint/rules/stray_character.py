"""A control, zero-width, bidi or replacement character where none belongs.

## What it does
Finds C0 and C1 control characters (other than tab and line breaks), DEL,
U+FFFD (the replacement character: something was lost in a conversion),
zero-width characters (zero-width space, word joiner, a byte-order mark past
the start) and bidi controls, each at its position. Deleting is a safe fix where
nothing is lost by it; zero-width joiners inside emoji and between letters of
scripts that use them are not findings. A control character that Windows-1252
maps to a letter or sign (`0x92` is `’`) is mojibake, reported by EN002.

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

from typing import Any, Iterator

from postlint.diagnostic import Diagnostic, Edit, Fix
from postlint.post import Post

CODE = "EN003"
NAME = "stray-character"
SCOPE = "post"
SEVERITY = "warning"
FIX = "safe"


def check(post: Post, options: dict[str, Any]) -> Iterator[Diagnostic]:
    if post.binary:
        return
    from postlint.body.mojibake import find_stray_characters

    for stray in find_stray_characters(post.text):
        if post.decode_error is not None and post.text[stray.start] == "\ufffd":
            continue  # our own decoding put it there; EN001 reports the bytes
        fix = Fix((Edit(stray.start, stray.end, ""),), "safe") if stray.deletable else None
        count = stray.end - stray.start
        what = f"{count} x {stray.char_name}" if count > 1 else stray.char_name
        advice = "; delete it" if stray.deletable else ""
        yield post.diagnostic(CODE, stray.start, stray.end, f"stray character: {what}{advice}", fix=fix)
