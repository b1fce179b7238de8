"""The HTML of the body has a parse error.

## What it does
Parses the body as browsers do (the whole body of an HTML post, the raw HTML
of a Markdown post; Liquid `{{ ... }}` and `{% ... %}` are not HTML and are
left out) and reports each parse error of today's WHATWG HTML standard under
the standard's own name, at the character the standard points at:
`duplicate-attribute`, `missing-semicolon-after-character-reference`,
`eof-in-comment`, `eof-in-tag`, `unexpected-null-character`,
`incorrectly-opened-comment`, `cdata-in-html-content`... The standard does
not name the errors of tree construction; those are reported as
`misnested-end-tag` (`<b><i>x</b></i>`), `implied-end-tag` (`<a>` inside an
open `<a>`), `foster-parented` (text inside a `<table>` but outside its
cells, which browsers move before the table), `misplaced-start-tag`,
`html-in-foreign-content`,
`unexpected-doctype` and `unescaped-less-than-sign`: a `<` that starts an
element HTML does not have and that is never closed (`runs on <num_hosts>
hosts`, `#<Post:0x00ab12>`) hides that text, and is reported once, at the
`<`. In a Markdown post this holds for a tag kramdown passes through although
CommonMark would not: kramdown takes any XML name as a tag, so
`runs on <num_hosts> hosts` in prose is hidden there too.

The end of input with elements still open (`eof-with-open-elements`: one
finding at the end of the body, naming the open elements and where each
starts) and an end tag with no open element to close (`unexpected-end-tag`,
at the tag) are parse errors too, and HT001 reports them whichever rules are
selected. HT002 and HT003 report the same defects element by element, each
with its own advice: with all three selected, a `<div>` left open is one
HT001 finding at the end and one HT002 finding at the `<div>`, and a stray
`</span>` one HT001 and one HT003 finding at the tag (to see each defect
once, select HT001 or HT002 and HT003, not both). Characters that may not
appear in a document are EN003's alone.

Not reported (the standard accepts them): a bare `&` in an attribute value
that is not a character reference (`href="?q=jekyll&lang=nl"`), `--` inside
a comment.

## Why is this bad?
Browsers recover from these errors, each in the way the standard says, which
is rarely what the importer meant: text moves out of its paragraph, an
attribute is dropped, a comment swallows the rest of the post.

## Example
```html
<p class="intro" class="lead">Tekst &copy 2019, 5 <num> hosts</p>
<!-- commentaar zonder einde
```

## Use instead
```html
<p class="intro lead">Tekst &copy; 2019, 5 &lt;num> hosts</p>
<!-- commentaar -->
```

## Options
`strict` (default `false`): also report the errors browsers render exactly
as written, or as the author evidently meant: a `<` not followed by a tag
name (`class Foo < Bar`), an unknown `&name;`, `&#` without digits, two
attributes without a space between them, a stray `/` in a tag, `--!>`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from postlint.analysis.body.shared import html_findings
from postlint.model.diagnostic import Diagnostic
from postlint.model.post import Post

CODE = "HT001"
NAME = "html-parse-error"
SCOPE = "post"
# Libraries whose versions decide this rule's findings (the result cache keys on them).
LIBRARIES = ("html5lib", "markdown_it", "pyromark")
SEVERITY = "warning"
OPTIONS_TABLE = "html"
OPTIONS: dict[str, Any] = {
    "strict": {
        "type": "boolean", "default": False,
        "description": "also report parse errors that browsers render as written (`a < b`)",
    },
}

# Errors at the end of input: the message says where the construct began.
_OPENED = {"eof-in-comment": "the comment", "eof-in-tag": "the tag", "eof-in-doctype": "the DOCTYPE",
           "eof-in-cdata": "the CDATA section",
           "eof-in-script-html-comment-like-text": "the `<!--` in the script"}


def check(post: Post, options: dict[str, Any]) -> Iterator[Diagnostic]:
    if post.binary:
        return
    strict = bool(options.get("strict", False))
    for error in html_findings(post).parse_errors:
        if error.as_written and not strict:
            continue
        message = error.message
        what = _OPENED.get(error.code)
        if what and error.origin >= 0:
            line, column = post.lines.position(error.origin)
            message = f"{message} ({what} starts at line {line}, column {column})"
        yield post.diagnostic(CODE, error.start, error.end, f"{message} ({error.code})")
    yield from _structure(post)


# At most this many open elements are named in the end-of-input finding.
_NAMED = 5


def _structure(post: Post) -> Iterator[Diagnostic]:
    """The tree-construction errors HT002 and HT003 report element by element:
    the end of input with elements open, and each end tag that closes nothing."""
    found = html_findings(post)
    message: dict[str, str] = {}  # one string per name, not per finding (175k </div>s)
    for tag in found.stray_end_tags:
        text = message.get(tag.tag)
        if text is None:
            text = message[tag.tag] = f"end tag </{tag.tag}> with no open <{tag.tag}> to close (unexpected-end-tag)"
        yield post.diagnostic(CODE, tag.start, tag.end, text)
    unclosed = found.unclosed
    if unclosed:
        lines = post.lines
        named = []
        for tag in unclosed[:_NAMED]:
            line, column = lines.position(tag.start)
            named.append(f"<{tag.tag}> (line {line}, column {column})")
        more = len(unclosed) - _NAMED
        rest = f" and {more} more" if more > 0 else ""
        end = len(post.text.rstrip())  # just after the last character shown, not on a line past the end
        noun = "element" if len(unclosed) == 1 else "elements"
        yield post.diagnostic(
            CODE, end, end,
            f"end of input with {len(unclosed)} {noun} open: {', '.join(named)}{rest} (eof-with-open-elements)",
        )
