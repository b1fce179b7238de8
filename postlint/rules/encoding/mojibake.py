"""Text that was decoded with the wrong encoding (mojibake).

## What it does
Finds text that was encoded as UTF-8 and decoded again as Windows-1252,
Latin-1 or a related codepage (`DaniÃ«l` for `Daniël`, `â€™` for `’`, `Ã©`
for `é`), in the body and in front-matter values such as the title. ftfy decides
what is mojibake; the finding covers exactly the broken characters and its
safe fix writes what ftfy repairs them to. Code (Markdown code spans and
fences, `<pre>` and `<code>`, Liquid highlight blocks) is left alone, where
such text may be intentional. Legitimate accents, other scripts, typographic
quotes and emoji are not findings, nor is a character lost in a file that is
not valid UTF-8 (EN001 reports the byte).

## Why is this bad?
Readers see `DaniÃ«l` in a headline. Importers that decode twice do it to every
post they write, so one finding is usually the first of many.

## Example
```html
<p>Journalist DaniÃ«l Verlaan ging undercover.</p>
```

## Use instead
```html
<p>Journalist Daniël Verlaan ging undercover.</p>
```

## Options
None.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from postlint.analysis.body.shared import code_ranges
from postlint.model.analyses import Slot
from postlint.model.diagnostic import Diagnostic, Edit, Fix
from postlint.model.post import Post
from postlint.model.record import NamedTuple

CODE = "EN002"
NAME = "mojibake"
SCOPE = "post"
# Libraries whose versions decide this rule's findings (the result cache keys on them).
LIBRARIES = ("ftfy", "wcwidth", "markdown_it", "pyromark")
SEVERITY = "error"
FIX = "safe"


def _word(text: str, start: int, end: int) -> tuple[str, str, int]:
    """The word around text[start:end], for a message a person can find."""
    left = start
    while left > 0 and start - left < 30 and not text[left - 1].isspace():
        left -= 1
    right = end
    while right < len(text) and right - end < 30 and not text[right].isspace():
        right += 1
    return text[left:start], text[end:right], left


def _message(text: str, start: int, end: int, replacement: str) -> str:
    before, after, _ = _word(text, start, end)
    broken = before + text[start:end] + after
    fixed = before + replacement + after
    return f"mojibake: '{broken}' should read '{fixed}' (text decoded with the wrong encoding)"


class Found(NamedTuple):
    start: int                  # absolute offsets into post.text
    end: int
    replacement: str | None  # None: a value that does not stand verbatim in the file
    message: str


_MOJIBAKE: Slot[list[Found]] = Slot("mojibake")


def mojibake(post: Post) -> list[Found]:
    """Every mojibake span of the post (front-matter values and body), as
    EN002 reports it; computed once per post and shared with EN003, which
    leaves control characters inside these spans to EN002 whatever rules are
    selected."""
    return post.analyses.get(_MOJIBAKE, lambda: _mojibake(post))


def _mojibake(post: Post) -> list[Found]:
    from postlint.rules.encoding.detect import find_mojibake

    text = post.text
    out: list[Found] = []
    for path, value in post.iter_scalars():
        spans = find_mojibake(value)
        if not spans:
            continue
        content = post.scalar_content(path)
        if content is None:  # escapes or folding: the value does not stand verbatim in the file
            start, end = post.locate(path)
            fixed = value
            for span in reversed(spans):
                fixed = fixed[: span.start] + span.replacement + fixed[span.end :]
            shown = fixed.replace("\r", "\\r").replace("\n", "\\n")  # one line, whatever the value
            out.append(Found(start, end, None, f"mojibake in this value: it should read '{shown}'"))
            continue
        base = content[0]
        for span in spans:
            start, end = base + span.start, base + span.end
            out.append(Found(start, end, span.replacement, _message(text, start, end, span.replacement)))
    base = post.body_offset

    def code() -> list[tuple[int, int]]:  # (asked only where a line may hold mojibake)
        return [(s - base, e - base) for s, e in code_ranges(post)]

    for span in find_mojibake(post.body, code):
        start, end = base + span.start, base + span.end
        out.append(Found(start, end, span.replacement, _message(text, start, end, span.replacement)))
    if post.decode_error is not None:
        # A U+FFFD our own decoding put in for an invalid byte is EN001's
        # defect: "Ã<invalid byte>" is not mojibake to repair to U+FFFD.
        out = [f for f in out if "\ufffd" not in text[f.start:f.end]]
    return out


def check(post: Post, options: dict[str, Any]) -> Iterator[Diagnostic]:
    if post.binary:
        return
    for found in mojibake(post):
        fix = None
        if found.replacement is not None:
            fix = Fix((Edit(found.start, found.end, found.replacement),), "safe")
        yield post.diagnostic(CODE, found.start, found.end, found.message, fix=fix)
