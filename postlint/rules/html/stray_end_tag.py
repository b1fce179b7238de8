"""An end tag closes an element that is not open.

## What it does
Reports an end tag for which no element of that name is open, at the end tag.
End tags of void elements (`</br>`, `</embed>`, `</param>`, `</img>`...), which
never have one, are reported as not needed. An end tag that only echoes a
misnesting HT001 reports (`</i>` in `<b><i>x</b></i>`) is not reported again.
HT001 reports each of these end tags too, as the parse error
`unexpected-end-tag`; this rule says what to do about it.

## Why is this bad?
Browsers ignore it, so it is harmless only by luck: usually it means a start
tag was lost, or text was cut in the middle of an element by an importer.

## Example
```html
<p>Tekst</p></div>
<embed src="film.swf"></embed>
```

## Use instead
```html
<div><p>Tekst</p></div>
<embed src="film.swf">
```

## Options
None.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from postlint.analysis.body.shared import html_findings
from postlint.model.diagnostic import Diagnostic
from postlint.model.post import Post

CODE = "HT003"
NAME = "stray-end-tag"
SCOPE = "post"
# Libraries whose versions decide this rule's findings (the result cache keys on them).
LIBRARIES = ("html5lib", "markdown_it", "pyromark")
SEVERITY = "error"


def check(post: Post, options: dict[str, Any]) -> Iterator[Diagnostic]:
    if post.binary:
        return
    messages: dict[str, str] = {}      # one string per name, not per finding (175k </div>s)
    for tag in html_findings(post).stray_end_tags:
        name = tag.tag
        message = messages.get(name)
        if message is not None:
            yield post.diagnostic(CODE, tag.start, tag.end, message)
            continue
        if name == "br":
            message = "`</br>` is not needed: br has no end tag (browsers read `</br>` as another `<br>`); remove it"
        elif name in VOID:
            message = f"`</{name}>` is not needed: {name} has no end tag; remove it"
        else:
            message = f"`</{name}>` closes nothing: no <{name}> is open here; remove it or add the lost `<{name}>`"
        messages[name] = message
        yield post.diagnostic(CODE, tag.start, tag.end, message)


# Elements that never have an end tag (the standard's void elements and the
# obsolete ones the parser treats alike).
VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
                  "track", "wbr", "basefont", "bgsound", "frame", "keygen", "param", "image"})
