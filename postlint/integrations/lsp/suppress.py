""""Disable CODE for this line": the suppression comment an editor inserts.

In the body an HTML comment at the end of the line
(``<!-- postlint-disable-line CODE -->``, before trailing blanks so that a
Markdown hard break stays one), else one on a line of its own before it
(``<!-- postlint-disable-next-line CODE -->``); in front matter a YAML comment
after the value (``# postlint: disable=CODE``), else one on the line before
(``# postlint: disable-next-line=CODE``); a finding on the front matter's
delimiters is about the file (``# postlint: disable-file=CODE`` after the
opening one). Each candidate is checked by parsing the post with it, as the
linter will: the first one that silences CODE on that line, adds no invalid
directive and leaves the front matter's data as it was is offered; where none
does (a line inside a code block, a YAML block scalar...), nothing is.
"""

from __future__ import annotations

from postlint.engine.suppressions import Problem, Resolve, parse_suppressions
from postlint.model.diagnostic import Edit
from postlint.model.lines import LineIndex
from postlint.model.post import FrontMatter, parse
from postlint.model.record import NamedTuple


class Disable(NamedTuple):
    edit: Edit  # code-point offsets into the post's text
    title: str


def _eol(text: str, end: int) -> str:
    return "\r\n" if text.startswith("\r\n", end) else "\n"


def candidates(text: str, post_fm: FrontMatter | None, line: int, code: str) -> list[tuple[Edit, int, str]]:
    """(edit, the finding's line after it, title) to try, best first."""
    index = LineIndex(text)
    line = max(1, min(line, index.line_count))
    start = index.starts[line - 1]
    end = index.line_end(line)
    content = text[start:end]
    stripped = content.rstrip(" \t")
    at = start + len(stripped)
    indent = content[: len(content) - len(content.lstrip(" \t"))]
    eol = _eol(text, end)
    here = f"Disable {code} for this line"
    fm = post_fm
    if fm is not None and fm.start <= start < fm.end:
        first = index.position(fm.start)[0]
        content_line = index.position(fm.content_start)[0]
        closing = index.position(fm.content_end)[0]
        if line == first or (line >= closing and fm.content_end <= start):
            opening_end = index.line_end(first)
            where = (
                index.starts[content_line - 1] if content_line > first else opening_end + len(_eol(text, opening_end))
            )
            return [(Edit(where, where, f"# postlint: disable-file={code}{_eol(text, opening_end)}"), line,
                     f"Disable {code} for this file")]
        found = []
        if stripped.strip():
            found.append((Edit(at, at, f" # postlint: disable={code}"), line, here))
        found.append((Edit(start, start, f"{indent}# postlint: disable-next-line={code}{eol}"), line + 1, here))
        return found
    found = []
    if stripped.strip():
        found.append((Edit(at, at, f" <!-- postlint-disable-line {code} -->"), line, here))
    found.append((Edit(start, start, f"{indent}<!-- postlint-disable-next-line {code} -->{eol}"), line + 1, here))
    return found


def disable_for_line(path: str, text: str, line: int, code: str, resolve: Resolve) -> Disable | None:
    """The edit that silences `code` at `line` (1-based) of `text`, checked."""
    post = parse(path, text.encode("utf-8", "surrogatepass"))
    if not post.fixable:
        return None
    before: list[Problem] = []
    parse_suppressions(post, resolve, before)
    for edit, target, title in candidates(post.text, post.front_matter, line, code):
        new = post.text[: edit.start] + edit.content + post.text[edit.end :]
        after = parse(path, new.encode("utf-8"))
        problems: list[Problem] = []
        sups = parse_suppressions(after, resolve, problems)
        if len(problems) > len(before) or after.data != post.data:
            continue
        if any(code in s.codes and s.first_line <= target <= s.last_line for s in sups):
            return Disable(edit, title)
    return None
