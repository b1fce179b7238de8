"""The file is not valid UTF-8.

## What it does
Decodes the file as UTF-8 and reports the first byte that is not valid, with
its line, column and byte offset. Binary files (images, archives) in a posts
folder are reported the same way. The other rules still check the text that
could be decoded; no fix is ever written to such a file.

## Why is this bad?
Jekyll reads posts as UTF-8: a Latin-1 or Windows-1252 file shows `�` or
breaks the build, and importers that write such bytes corrupt every later step.

## Example
A post saved as Windows-1252, where `ë` is the single byte `0xEB`.

## Use instead
Re-save the file as UTF-8 (for example `iconv -f cp1252 -t utf-8`).

## Options
None.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from postlint.model.diagnostic import Diagnostic
from postlint.model.post import Post

CODE = "EN001"
NAME = "invalid-utf8"
SCOPE = "post"
SEVERITY = "error"


def check(post: Post, options: dict[str, Any]) -> Iterator[Diagnostic]:
    return post.problem_diagnostics(CODE)
