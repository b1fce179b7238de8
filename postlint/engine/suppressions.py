"""Inline suppression comments: an exact grammar, and a finding for anything
that looks like a directive but is not one.

Long because: it is one grammar in two syntaxes (HTML comments in the body,
YAML comments in front matter), with the findings for what looks like a
directive but is not (PL001) and the removal spans PL002's fix needs; all of
them share the selector parsing and the line bounds.

In the body, HTML comments (``KIND`` in any case; selectors separated by commas
and/or blanks; an optional reason after `` -- ``)::

    <!-- postlint-disable [SELECTORS] -->            until a matching enable, or the end
    <!-- postlint-enable [SELECTORS] -->             closes those codes of every open block
    <!-- postlint-disable-line [SELECTORS] -->       the comment's own line(s)
    <!-- postlint-disable-next-line [SELECTORS] -->  the line after the comment

In front matter, YAML comments::

    # postlint: disable[=SELECTORS]            its line when it trails a key, the next line when alone
    # postlint: disable-next-line[=SELECTORS]  the next line
    # postlint: disable-file[=SELECTORS]       the whole file (findings about the file stand at line 1)

No selector means every rule. A selector is a rule's code, its name or a code
prefix, in any case, as in ``--select``; each is resolved to a set of rule codes
when the comments are parsed (by the `resolve` function the engine passes,
which knows the registry), so that ``disable mojibake`` ... ``enable EN002`` is
one block. An ``enable`` removes its codes from every open block: after
``disable EN002, EN003`` ... ``enable EN002`` the block goes on for EN003 alone;
a bare ``enable`` closes every block. The line of the ``enable`` is still inside
the block; a block never closed lasts to the end of the file.

A comment whose text starts with ``postlint`` and a separator (``-``, ``_``,
``:``, ``=``) or a directive-like word, but that is not one of the forms above
(``postlint-disable-nextline``, ``postlint-disabel``, ``postlint-disable:
HD002``, ``# postlint: disable-fil=X``...), is a `Problem` (PL001) and has no
effect at all; so is a selector that names no rule, and the directive then
applies to its other selectors only (never to every rule).

Text is not a comment: a "<!--" in Markdown code (spans, fenced and indented
blocks), in a Liquid raw/comment/highlight block or inside <script>, <style>,
<textarea>, <title>, <xmp> opens none, and a '#' inside a front-matter scalar
(PyYAML's scanner finds them; TOML strings by a small lexer) starts none. An
``enable`` that closes no open block is kept as a Suppression of kind "enable"
that silences nothing, with its `dangling` selectors: the engine reports it
unused (PL002).

The findings about suppressions themselves (PL001, PL002) are silenced only by a
selector naming them exactly (``PL002`` or ``unused-suppression``), never by a
bare directive, ``ALL`` or the prefix ``PL``.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator

from postlint.model.diagnostic import Edit
from postlint.model.patterns import contains, lazy
from postlint.model.post import Post
from postlint.model.record import NamedTuple

INVALID = "PL001"
UNUSED = "PL002"
# The codes and names only an exact selector reaches.
META = {INVALID: "invalid-suppression", UNUSED: "unused-suppression"}
_META_WORDS = {*META, *META.values()}

BODY_KINDS = ("disable", "enable", "disable-line", "disable-next-line")
FRONT_KINDS = ("disable", "disable-next-line", "disable-file")

# "postlint" in any case, as re.IGNORECASE reads it (with the long s and the
# dotted and dotless i), spelled as classes: a pattern that starts with a
# class is searched at C speed, one that starts with a literal under
# IGNORECASE is tried at every position (parse_suppressions over
# ruby-lang.org: 58 ms -> 39 ms).
_MENTION = lazy("[Pp][Oo][Ss\u017f][Tt][Ll][Ii\u0130\u0131][Nn][Tt]")
_COMMENT = lazy(r"<!--(.*?)--!?>", re.DOTALL)
_CLOSE = lazy(r"--!?>")  # "--!>" closes a comment too (HTML's incorrectly-closed-comment)
# Looks like a directive: "postlint" and a separator, or a directive-like word.
_LOOKS = lazy(r"\s*postlint(?:[-_:=]|\s+(?:dis|en|ign|noqa|skip|off|on\b))", re.IGNORECASE)
_BODY_KIND = lazy(r"\s*postlint-([a-z-]+)(?=\s|$)", re.IGNORECASE)
_FRONT_KIND = lazy(r"\s*postlint:[ \t]*([a-z-]+)(?=[ \t]*=|[ \t]*$|[ \t]+--[ \t])", re.IGNORECASE)
_SELECTOR = lazy(r"[A-Za-z0-9][A-Za-z0-9_-]*")
_REASON = lazy(r"(?:^|\s)--(?:\s|$)")
# A YAML comment starts at a '#' at the start of a line or after a blank; the
# blanks are spaces and tabs only.
_YAML_COMMENT = lazy(r"(?:^|(?<=[ \t]))#([^\r\n]*)", re.MULTILINE)

Resolve = Callable[[Iterable[str]], frozenset[str]]


class Selector(NamedTuple):
    text: str
    start: int  # offsets into the post's text
    end: int
    codes: frozenset[str]
    at: tuple[int, int, int, int] = (1, 1, 1, 1)  # line, column, end line, end column


class Suppression(NamedTuple):
    codes: frozenset[str]  # the rules it silences
    first_line: int
    last_line: int
    # Where the directive is (offsets of the comment, or of the '#' to the end
    # of the line), what removing it takes, and its selectors (none: every rule).
    kind: str = "disable"
    start: int = 0
    end: int = 0
    selectors: tuple[Selector, ...] = ()
    removal: tuple[Edit, ...] = ()
    # The span that holds the selectors (for removing some of them) and the
    # separator to join the rest with.
    list_span: tuple[int, int] = (0, 0)
    joiner: str = ", "
    at: tuple[int, int, int, int] = (1, 1, 1, 1)  # the directive: line, column, end line, end column
    source_line: str = ""
    # A block's enables that closed it and nothing else: removing the unused
    # block removes them too, so that no stray enable stays behind.
    closers: tuple[Edit, ...] = ()
    # An enable's selectors that closed no open block (all of them: `dangling`
    # alone); such an enable silences nothing and is reported unused (PL002).
    dangling: tuple[Selector, ...] = ()
    # Past the blanks after the directive, and past its last line's break: how
    # the engine joins the removals of neighbouring directives (body only).
    blanks_end: int = 0
    line_end: int = 0


class Problem(NamedTuple):
    """A PL001 finding: text[start:end] is not a valid directive (or selector)."""

    start: int
    end: int
    message: str


def _split(text: str, offset: int) -> list[tuple[str, int, int]] | None:
    """The selectors of `text` (at `offset` in the post) with their offsets;
    None when it is not a list of selectors separated by commas or blanks."""
    out: list[tuple[str, int, int]] = []
    pos = 0
    n = len(text)
    expect_selector = True
    while True:
        while pos < n and text[pos].isspace():
            pos += 1
        if pos >= n:
            return out if (not out or not expect_selector) else None
        if not expect_selector:
            if text[pos] == ",":
                pos += 1
                expect_selector = True
                continue
            expect_selector = True  # blanks alone separate too
        m = _SELECTOR.match(text, pos)
        if m is None:
            return None
        out.append((m.group(), offset + m.start(), offset + m.end()))
        pos = m.end()
        if pos < n and not (text[pos].isspace() or text[pos] == ","):
            return None
        expect_selector = False


def _selector_codes(selector: str, resolve: Resolve) -> frozenset[str]:
    codes = resolve([selector])
    if selector.upper() in _META_WORDS or selector.lower() in _META_WORDS:
        return codes
    return codes - META.keys()


def _line_bounds(text: str, start: int, end: int) -> tuple[int, int, int]:
    """(start of start's line, end of end's line before its break, after its break)."""
    line_start = text.rfind("\n", 0, start) + 1
    stop = text.find("\n", end)
    if stop == -1:
        return line_start, len(text), len(text)
    content_end = stop - 1 if stop > 0 and text[stop - 1] == "\r" and stop - 1 >= end else stop
    return line_start, content_end, stop + 1


def _blanks_end(text: str, end: int) -> int:
    while end < len(text) and text[end] in " \t":
        end += 1
    return end


def _removal(text: str, start: int, end: int, body: bool) -> tuple[Edit, ...]:
    """Edits that remove text[start:end] and leave the line clean: the whole line
    when nothing else is on it, else the directive and the blanks that join it
    to the rest of the line."""
    line_start, content_end, after = _line_bounds(text, start, end)
    before = text[line_start:start]
    rest = text[end:content_end]
    if not before.strip() and not rest.strip():
        if body and after < len(text) and line_start > 0:
            # A comment line between two lines of text separates two Markdown
            # blocks: keep an empty line so that they stay apart.
            prev_start = text.rfind("\n", 0, line_start - 1) + 1
            prev = text[prev_start : line_start - 1].strip()
            nxt_end = text.find("\n", after)
            nxt = text[after : nxt_end if nxt_end != -1 else len(text)].strip()
            if prev and nxt:
                return (Edit(line_start, content_end, ""),)
        return (Edit(line_start, after, ""),)
    if before.strip():
        cut = start
        while cut > line_start and text[cut - 1] in " \t":
            cut -= 1
        return (Edit(cut, end, ""),)
    cut = end
    while cut < content_end and text[cut] in " \t":
        cut += 1
    return (Edit(start, cut, ""),)


# The letters of "postlint" that re.IGNORECASE also matches outside ASCII.
_NON_ASCII_LETTERS = ("\u017f", "\u0130", "\u0131")


def _mentioned(post: Post) -> bool:
    """Whether the post's text holds "postlint" in any case, as _MENTION
    finds it. Most texts are not ASCII, and a regular expression is slow to
    scan them; the UTF-8 source, its ASCII letters lowered, is searched at
    C speed instead (the text is decoded from it: its other characters
    never hold an ASCII letter), and _MENTION only where one of the three
    letters it also matches outside ASCII is present."""
    if b"postlint" in post.source.lower():
        return True
    text = post.text
    if text.isascii() or not any(letter in text for letter in _NON_ASCII_LETTERS):
        return False
    return _MENTION.search(text) is not None


def parse_suppressions(
    post: Post, resolve: Resolve, problems: list[Problem] | None = None
) -> list[Suppression]:
    """The post's suppressions; `resolve` turns selectors into rule codes
    (``["ALL"]`` into every code). Invalid directives and unknown selectors are
    appended to `problems`."""
    result: list[Suppression] = []
    if problems is None:
        problems = []
    text = post.text
    if not _mentioned(post):  # the common case costs one scan
        return result
    every: frozenset[str] | None = None
    known: dict[str, frozenset[str]] = {}  # selector -> codes, resolved once per post

    def everything() -> frozenset[str]:
        nonlocal every
        if every is None:
            every = resolve(["ALL"]) - META.keys()
        return every

    def selectors(
        raw: str, offset: int, where: tuple[int, int], required: str = ""
    ) -> tuple[frozenset[str], tuple[Selector, ...], tuple[int, int], str] | None:
        """(codes, selectors, span of the list, joiner); None: invalid (said)."""
        reason = _REASON.search(raw)
        listed = raw[: reason.start()] if reason else raw
        parts = _split(listed, offset)
        if parts is None:
            problems.append(
                Problem(
                    where[0],
                    where[1],
                    "invalid suppression: selectors must be codes, prefixes or names separated by commas or blanks",
                )
            )
            return None
        if not parts and required:
            problems.append(
                Problem(
                    where[0], where[1], f"invalid suppression: {required} names no rule (leave out '=' for every rule)"
                )
            )
            return None
        if not parts:
            return everything(), (), (offset, offset), ", "
        found = []
        for word, start, end in parts:
            codes = known.get(word)
            if codes is None:
                codes = known[word] = _selector_codes(word, resolve)
            if not codes and word.upper() != "ALL":
                problems.append(Problem(start, end, f"invalid suppression: {word!r} names no rule"))
                continue
            if word.upper() == "ALL":
                codes = everything()
            found.append(Selector(word, start, end, codes, (*lines.position(start), *lines.position(end))))
        if not found:
            return None
        joiner = ", " if "," in listed else " "
        union = frozenset().union(*(s.codes for s in found))
        return union, tuple(found), (parts[0][1], parts[-1][2]), joiner

    lines = post.lines
    fm = post.front_matter
    if fm is not None and _MENTION.search(text, fm.content_start, fm.content_end):
        scan = _yaml_text if fm.format == "yaml" else _toml_strings
        in_text = _Ranges(scan(text, fm.content_start, fm.content_end))
        for m in _YAML_COMMENT.finditer(text, fm.content_start, fm.content_end):
            comment = m.group(1)
            if not _LOOKS.match(comment):
                continue
            hash_at = m.start()
            if in_text.covers(hash_at):  # a '#' in a scalar (block, quoted): text
                continue
            end = m.end()
            kind_m = _FRONT_KIND.match(comment)
            kind = kind_m.group(1).lower() if kind_m else ""
            if kind not in FRONT_KINDS:
                problems.append(Problem(hash_at, end, _bad_kind(comment, "front")))
                continue
            assert kind_m is not None
            tail = comment[kind_m.end() :]
            tail_at = m.start(1) + kind_m.end()
            stripped = tail.lstrip(" \t")
            if stripped.startswith("="):
                eq = tail_at + len(tail) - len(stripped)
                parsed = selectors(text[eq + 1 : end], eq + 1, (hash_at, end), required=f"'{kind}='")
            else:  # nothing or a reason: every rule
                parsed = selectors(stripped, end - len(stripped), (hash_at, end))
            if parsed is None:
                continue
            codes, sels, span, joiner = parsed
            line = lines.position(hash_at)[0]
            alone = text[text.rfind("\n", 0, hash_at) + 1 : hash_at].strip() == ""
            if kind == "disable-file":
                first, last = 1, lines.line_count
            elif kind == "disable-next-line" or alone:
                first = last = line + 1
            else:
                first = last = line
            result.append(Suppression(
                codes, first, last, f"front-{kind}", hash_at, end, sels,
                _removal(text, hash_at, end, body=False), span, joiner,
                (*lines.position(hash_at), *lines.position(end)), lines.line_text(line),
            ))
    last_line = lines.line_count
    open_blocks: list[tuple[frozenset[str], int, Suppression]] = []
    closers: dict[int, list[int]] = {}  # block -> the enables that closed some of it
    enables: dict[int, tuple[set[int], tuple[Edit, ...]]] = {}  # enable -> (blocks it closed, its removal)
    unclosed: list[int] = []
    for m in _comments(text, post.body_offset, _Ranges(_shown_as_text(post)), unclosed):
        content = m.group(1)
        if not _LOOKS.match(content):
            continue
        kind_m = _BODY_KIND.match(content)
        kind = kind_m.group(1).lower() if kind_m else ""
        if kind not in BODY_KINDS:
            problems.append(Problem(m.start(), m.end(), _bad_kind(content, "body")))
            continue
        assert kind_m is not None
        raw_at = m.start(1) + kind_m.end()
        parsed = selectors(text[raw_at : m.end(1)], raw_at, (m.start(), m.end()))
        if parsed is None:
            continue
        codes, sels, span, joiner = parsed
        line = lines.position(m.start())[0]
        end_line = lines.position(m.end())[0]
        base = Suppression(
            codes, line, end_line, kind, m.start(), m.end(), sels,
            _removal(text, m.start(), m.end(), body=True), span, joiner,
            (*lines.position(m.start()), *lines.position(m.end())), lines.line_text(line),
            blanks_end=_blanks_end(text, m.end()), line_end=_line_bounds(text, m.start(), m.end())[2],
        )
        if kind == "disable-line":
            result.append(base)
        elif kind == "disable-next-line":
            result.append(base._replace(first_line=end_line + 1, last_line=end_line + 1))
        elif kind == "disable":
            open_blocks.append((codes, line, base))
        else:
            # An enable closing no block is reported unused: as a whole when
            # none of its selectors (or, bare, nothing) closed a block.
            still_open = frozenset().union(*(block for block, _, _ in open_blocks))
            dangling = tuple(s for s in sels if not s.codes & still_open) if open_blocks else sels
            if dangling or not open_blocks:
                result.append(base._replace(codes=frozenset(), first_line=0, last_line=0, dangling=dangling))
            remaining = []
            closed_here: set[int] = set()
            for block, start, sup in open_blocks:
                closed = block & codes
                if closed:
                    result.append(sup._replace(codes=closed, first_line=start, last_line=line))
                    closed_here.add(sup.start)
                    closers.setdefault(sup.start, []).append(m.start())
                if block - codes:
                    remaining.append((block - codes, start, sup))
            enables[m.start()] = (closed_here, base.removal)
            open_blocks = remaining
    result.extend(sup._replace(codes=block, first_line=start, last_line=last_line) for block, start, sup in open_blocks)
    if unclosed and _LOOKS.match(text, unclosed[0] + 4):
        # "<!-- postlint-disable HD002 ->": the rest of the page is a comment
        # and the directive applies to nothing.
        stop = text.find("\n", unclosed[0])
        stop = len(text) if stop == -1 else stop
        problems.append(Problem(unclosed[0], len(text[:stop].rstrip("\r")),
                                "invalid suppression: the comment is never closed with '-->'"))
    if closers:
        result = [
            sup._replace(closers=tuple(
                edit for at in closers[sup.start] if enables[at][0] == {sup.start} for edit in enables[at][1]
            )) if sup.kind == "disable" and sup.start in closers else sup
            for sup in result
        ]
    return result


class _Ranges:
    """Sorted, merged (start, end) ranges and whether an offset is in one."""

    def __init__(self, ranges: Iterable[tuple[int, int]]) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []
        for start, end in sorted(ranges):
            if self.ends and start <= self.ends[-1]:
                self.ends[-1] = max(self.ends[-1], end)
            else:
                self.starts.append(start)
                self.ends.append(end)

    def covers(self, at: int) -> int:
        """The end of the range holding `at`, or 0."""
        i = bisect_right(self.starts, at) - 1
        return self.ends[i] if i >= 0 and at < self.ends[i] else 0


_RAW = lazy(r"\{%-?\s*raw\s*-?%\}.*?(?:\{%-?\s*endraw\s*-?%\}|\Z)", re.DOTALL)


def _shown_as_text(post: Post) -> list[tuple[int, int]]:
    """Absolute ranges of the body where a comment is text, not a comment:
    Markdown code (spans, fenced and indented blocks), Liquid highlight, raw and
    comment blocks (markdownlint, too, reads no directive in code), and the
    content of <script>, <style>, <textarea>, <title> and <xmp>."""
    body = post.body
    if not contains(body, "<!--"):
        return []
    from postlint.analysis.body.liquid import liquid_blocks

    liquid = liquid_blocks(body)
    ranges = [*liquid.code, *liquid.comments]
    if contains(body, "{%") and contains(body, "raw"):
        ranges += [m.span() for m in _RAW.finditer(body)]
    code: list[tuple[int, int]] = []
    if post.is_markdown and ("`" in body or contains(body, "~~~") or "    " in body or "\t" in body):
        from postlint.analysis.body.shared import markdown_info

        code = markdown_info(post).code
        ranges += code
    if _TEXT_ELEMENT.search(body):
        # A start tag shown as code ("`<script>`") starts no element.
        hidden = _Ranges([*ranges, *code])
        ranges += [(a, b) for a, b, tag in _text_elements(body) if not hidden.covers(tag)]
    base = post.body_offset
    return [(start + base, end + base) for start, end in ranges]


def _yaml_text(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Absolute ranges of the scalars, tags, anchors and aliases of the YAML in
    text[start:end] (PyYAML's scanner): a '#' in one is text. As far as the
    YAML scans; past an error, every '#' after a blank counts as a comment."""
    import yaml

    kinds = (yaml.ScalarToken, yaml.TagToken, yaml.AnchorToken, yaml.AliasToken)
    out: list[tuple[int, int]] = []
    try:
        # What the scanner read before an error counts (extend keeps it).
        out.extend(
            (start + token.start_mark.index, start + token.end_mark.index)
            for token in yaml.scan(text[start:end], Loader=yaml.SafeLoader)
            if isinstance(token, kinds)
        )
    except yaml.YAMLError:
        pass
    return out


def _toml_strings(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Absolute ranges of the strings of the TOML in text[start:end] (basic,
    literal, multi-line): outside them every '#' starts a comment."""
    out: list[tuple[int, int]] = []
    pos = start
    while pos < end:
        c = text[pos]
        if c == "#":
            stop = text.find("\n", pos, end)
            pos = end if stop == -1 else stop + 1
        elif c in "\"'":
            quote = c * 3 if text.startswith(c * 3, pos) else c
            i = pos + len(quote)
            while i < end:
                if c == '"' and text[i] == "\\":
                    i += 2
                    continue
                if text.startswith(quote, i):
                    i += len(quote)
                    break
                if len(quote) == 1 and text[i] == "\n":  # an unclosed one-line string ends here
                    break
                i += 1
            out.append((pos, min(i, end)))
            pos = i
        else:
            pos += 1
    return out


# Elements whose content HTML reads as text (RCDATA, raw text): "<!--" in them
# opens no comment.
_TEXT_ELEMENT = lazy(r"<(script|style|textarea|title|xmp)\b[^>]*>", re.IGNORECASE)


def _text_elements(body: str) -> list[tuple[int, int, int]]:
    """(start, end) of the content of each such element, and its tag's offset."""
    out: list[tuple[int, int, int]] = []
    closers: dict[str, re.Pattern[str]] = {}
    unclosed: set[str] = set()  # no end tag after some start: none after a later one either
    pos = 0
    while True:
        m = _TEXT_ELEMENT.search(body, pos)
        if m is None:
            return out
        name = m.group(1).lower()
        if name in unclosed:
            pos = m.end()
            continue
        closer = closers.setdefault(name, re.compile(rf"</{name}\s*>", re.IGNORECASE))
        close = closer.search(body, m.end())
        if close is None:
            unclosed.add(name)
            pos = m.end()
            continue
        out.append((m.end(), close.start(), m.start()))
        pos = close.end()


def _comments(text: str, start: int, hidden: _Ranges | None = None,
              unclosed: list[int] | None = None) -> Iterator[re.Match[str]]:
    """HTML comments from `start`, in linear time: once a "<!--" has no "-->"
    after it, no later one has either (its offset goes to `unclosed`). A "<!--"
    in a `hidden` range (code) is text; "<!-->" and "<!--->" are empty comments
    (as HTML reads them)."""
    pos = start
    while True:
        open_at = text.find("<!--", pos)
        if open_at == -1:
            return
        if hidden is not None:
            skip_to = hidden.covers(open_at)
            if skip_to:
                pos = skip_to
                continue
        if text.startswith(">", open_at + 4) or text.startswith("->", open_at + 4):
            pos = open_at + (5 if text.startswith(">", open_at + 4) else 6)
            continue
        close = _CLOSE.search(text, open_at + 4)
        if close is None:
            if unclosed is not None:
                unclosed.append(open_at)
            return
        m = _COMMENT.match(text, open_at, close.end())
        if m is not None:
            yield m
        pos = close.end()


def _bad_kind(content: str, where: str) -> str:
    shown = " ".join(content.split())[:60]
    word = shown.split(None, 1)[0] if shown else ""
    if where == "body":
        expected = ", ".join(f"postlint-{k}" for k in BODY_KINDS)
        if word.lower().startswith("postlint:"):
            return f"invalid suppression: {word!r} is the front-matter form; in the body write one of {expected}"
    else:
        expected = ", ".join(f"'# postlint: {k}=CODES'" for k in FRONT_KINDS)
        if word.lower().startswith("postlint-"):
            return f"invalid suppression: {word!r} is the body form; in front matter write one of {expected}"
    return f"invalid suppression: {shown!r} is not a directive (expected {expected})"
