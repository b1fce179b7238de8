"""The HTML of the body has a parse error.

## What it does
Parses the body with html5lib, the HTML5 parsing algorithm browsers use (the
whole body of an HTML post, the raw HTML of a Markdown post), and reports each
parse error at its position in the file: bad attributes, characters that may
not appear, misnested tags, `<![CDATA[` outside foreign content, unterminated
comments. Elements left open and end tags with nothing to close have their own
rules (HT002, HT003), and control characters theirs (EN003); they are not
repeated here.

## Why is this bad?
Browsers recover from these errors, each in the way the algorithm says, which
is rarely what the importer meant: text moves out of its paragraph, a comment
swallows the rest of the post.

## Example
```html
<p class="intro" class="lead">Tekst</p>
<!-- commentaar zonder einde
```

## Use instead
```html
<p class="intro lead">Tekst</p>
<!-- commentaar -->
```

## Options
None.
"""

from __future__ import annotations

from typing import Any, Iterator

from postlint.bodycheck import html_findings
from postlint.diagnostic import Diagnostic
from postlint.post import Post

CODE = "HT001"
NAME = "html-parse-error"
SCOPE = "post"
SEVERITY = "warning"


def check(post: Post, options: dict[str, Any]) -> Iterator[Diagnostic]:
    if post.binary:
        return
    from postlint.body.html import STRAY_CODES, UNCLOSED_CODES

    found = html_findings(post)
    stray = {(t.start, t.end) for t in found.stray_end_tags}
    for error in found.parse_errors:
        if error.code in UNCLOSED_CODES and found.unclosed:
            continue  # HT002 reports each open element at its start tag
        if error.code in STRAY_CODES and (error.start, error.end) in stray:
            continue  # HT003 reports it
        if error.code == "invalid-codepoint":
            continue  # a character, not markup: EN003 reports it
        yield post.diagnostic(CODE, error.start, error.end, f"HTML parse error: {error.message} ({error.code})")
