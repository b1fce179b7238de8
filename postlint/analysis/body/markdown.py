"""Where a Markdown body keeps its headings, code and raw HTML.

Long because: markdown-it-py keeps no positions for inline content, so this
module wraps its inline rules and maps content lines back to source lines;
that instrumentation, the fast paths that bound the work on hostile input and
the position tables are one mechanism.

markdown-it-py (CommonMark + tables) parses; one MarkdownIt instance serves
the whole process.  Block tokens carry line maps, counted the way markdown-it
counts lines after it normalises line endings (``\\r\\n``, ``\\r`` and ``\\n``
all end a line), so offsets are computed from this module's own table of line
starts in the *original* text and CRLF bodies come out right.  Inline tokens
have no positions at all: the ``backticks`` and ``html_inline`` rules are
wrapped to record ``state.pos`` before and after a match, which are offsets
into the inline token's content; each content line is then located in its
source line (it is that line minus container prefixes such as ``> `` or list
indentation, and minus the ATX markers or table pipes around it).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache
from typing import Any, NamedTuple

from postlint.analysis.body.headings import Heading
from postlint.analysis.body.liquid import blank, liquid_blocks


class MarkdownInfo(NamedTuple):
    headings: list[Heading]
    code: list[tuple[int, int]]     # code blocks, code spans, Liquid highlight blocks
    html: list[tuple[int, int]]     # html_block and html_inline
    # Lines of only "#" characters (and blanks): CommonMark's empty ATX
    # headings, which kramdown (Jekyll) does not make headings at all.
    hash_lines: tuple[tuple[int, int], ...] = ()


_LINE_BREAK = re.compile(r"\r\n?|\n")
# kramdown's block-level HTML elements whose content it leaves raw unless the
# element says markdown="1" (or "block"): Markdown headings written inside
# them are text readers see as typed, not headings (kramdown issue 334).
_RAW_CONTAINERS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "body",
        "details",
        "dd",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "header",
        "hgroup",
        "html",
        "li",
        "main",
        "nav",
        "ol",
        "section",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "ul",
    ]
)
_BLOCK_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>")
_MARKDOWN_ATTR = re.compile(r"""\bmarkdown\s*=\s*["']?(1|block|span)\b""", re.IGNORECASE)
_CLOSER = re.compile(r"\]")
_ENV_KEY = "postlint_inline_spans"
_CUR_KEY = "postlint_inline_token"


@lru_cache(maxsize=1)
def _md() -> Any:
    return _instance()


def _instance(*disabled: str) -> Any:
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark").enable("table")
    if disabled:
        md.disable(list(disabled))
    use_fast_link_label(md)
    for name, kind in (("backticks", "code_inline"), ("html_inline", "html_inline")):
        rule = next(r.fn for r in md.inline.ruler.__rules__ if r.name == name)
        md.inline.ruler.at(name, _recording(rule, kind, "`" if name == "backticks" else "<"))
    # kramdown reads any XML name as a tag (`<num_hosts>`, `<file.name>`);
    # CommonMark only letters, digits and "-".  Such a tag is raw HTML in the
    # page, so it is raw HTML here too (an e-mail autolink has no "_" name
    # followed by ">" or a space, so it is not taken).  No match runs past
    # the next "<", so the work is linear in the paragraph.
    md.inline.ruler.before("autolink", "kramdown_html", _recording(_kramdown_tag, "html_inline", "<"))
    md.core.ruler.at("inline", _core_inline)
    return md


_KRAMDOWN_TAG = re.compile(
    r"""</?(?P<name>[^\W\d][\w.\-]*)"""
    r"""(?:\s+[^\W\d][\w.:\-]*(?:\s*=\s*(?:"[^"<]*"|'[^'<]*'|[^\s"'=<>`]+))?)*\s*/?>""")


def _kramdown_tag(state: Any, silent: bool) -> bool:
    pos = state.pos
    if state.src[pos] != "<" or not state.md.options.get("html"):
        return False
    m = _KRAMDOWN_TAG.match(state.src, pos)
    if m is None or ("_" not in m["name"] and "." not in m["name"]):
        return False                        # CommonMark's html_inline decides
    if not silent:
        state.push("html_inline", "", 0).content = m[0]
    state.pos = m.end()
    return True


@lru_cache(maxsize=2)
def _md_prose(links: bool) -> Any:
    """Inline parsers for content that is not a heading: only its code spans
    and raw HTML are wanted, and emphasis never moves them (code spans, raw
    HTML and autolinks bind tighter, CommonMark 6.1, 6.6).  Links can (a
    destination ``<b>`` is not HTML, a title may hold backticks), so they
    stay unless the content has no ``](`` and the body no reference
    definitions: then no link can exist.  Emphasis and link labels were
    three quarters of the parse of hostile text such as ``*_[``` repeated."""
    return _instance("emphasis") if links else _instance("emphasis", "link", "image")


def use_fast_link_label(md: Any) -> None:
    """Give this MarkdownIt instance (only) a faster ``parseLinkLabel``.

    markdown-it's scan for the ``]`` of a link label calls ``skipToken`` once
    per token, and most calls are answers from its position cache; but each
    call first fetches the rule chain and the options.  On hostile text
    (``*_[`` and a backtick, repeated: every ``[`` opens a label that scans
    up to ``maxNesting`` labels ahead) that overhead was most of a 7.5 s
    parse of 1 MB.  This is the same loop with the cache read inline: the
    same positions, the same answers (tests/body/test_markdown_hostile.py
    compares it with markdown-it's own on every case).
    """
    from types import SimpleNamespace

    from markdown_it import helpers

    md.helpers = SimpleNamespace(parseLinkDestination=helpers.parseLinkDestination,
                                 parseLinkTitle=helpers.parseLinkTitle,
                                 parseLinkLabel=_parse_link_label)
    _dispatch_inline(md)


def _first_chars(md: Any) -> dict[Any, Any]:
    """The characters each of markdown-it's inline rules can match at (each
    returns False at once, with no side effect, at any other); ``None``: any
    character not in the text rule's terminators.  A rule not named here
    (a plugin's) is tried everywhere."""
    from markdown_it import rules_inline as R

    first: dict[Any, Any] = {
        R.text: None, R.newline: "\n", R.escape: "\\", R.backtick: "`",
        R.strikethrough.tokenize: "~", R.emphasis.tokenize: "_*", R.link: "[", R.image: "!",
        R.autolink: "<", R.html_inline: "<", R.entity: "&",
    }
    if not md.options.get("linkify"):
        first[R.linkify] = ""               # returns False whatever the character
    return first


def _dispatch_inline(md: Any) -> None:
    """markdown-it tries every inline rule at every position, in order, and
    again in validation mode (``skipToken``) wherever a link label scan goes:
    a dozen calls per character of text such as ``*_[``` repeated, where
    none can match.  Here each character gets the chain of the rules that can
    match at it (in markdown-it's order), and a run of characters no rule can
    match at becomes pending text at once, as markdown-it adds it one by one:
    the same tokens and the same ``state.cache``.  The chains are built when
    the rule chain is known (after every ``ruler`` change of this instance)."""
    from markdown_it.rules_inline.state_inline import StateInline

    if not hasattr(StateInline, "append_pending"):
        return                              # another markdown-it: its own loops
    inline = md.inline
    first = _first_chars(md)
    max_nesting = md.options["maxNesting"]
    chains: dict[tuple[str, bool], tuple[Any, ...]] = {}
    built: list[Any] = [None]               # the rule list the chains are of

    def chain(ch: str, silent: bool) -> tuple[Any, ...]:
        key = (ch, silent)
        found = chains.get(key)
        if found is None:
            terminator = inline.terminator_re
            picked = []
            for rule in built[0]:
                chars = getattr(rule, "postlint_first", first.get(rule, ch))
                if chars is None:
                    if terminator.match(ch) is None:
                        picked.append(rule)
                elif ch in chars:
                    picked.append(rule)
            found = chains[key] = tuple(picked)
        return found

    def skip_token(state: Any) -> None:
        # ParserInline.skipToken, trying only the rules of this character.
        pos = state.pos
        cache = state.cache
        if pos in cache:
            state.pos = cache[pos]
            return
        ok = False
        if state.level < max_nesting:
            for rule in chains.get((state.src[pos], True)) or chain(state.src[pos], True):
                state.level += 1
                ok = rule(state, True)
                state.level -= 1
                if ok:
                    if state.pos <= pos:
                        raise RuntimeError("inline rule didn't increment state.pos")
                    break
        else:
            state.pos = state.posMax
        if not ok:
            state.pos += 1
        cache[pos] = state.pos

    def tokenize(state: Any) -> None:
        # ParserInline.tokenize, likewise; characters no rule can match at
        # are pending text, in one piece per run.
        rules_now = inline.ruler.getRules("")
        if rules_now is not built[0]:       # a ruler changed: new chains
            chains.clear()
            built[0] = rules_now
        end = state.posMax
        src = state.src
        while state.pos < end:
            pos = state.pos
            ok = False
            if state.level < max_nesting:
                ch = src[pos]
                rules_here = chains.get((ch, False))
                if rules_here is None:
                    rules_here = chain(ch, False)
                if not rules_here:
                    stop = pos + 1
                    while stop < end and not (chains.get((src[stop], False)) or chain(src[stop], False)):
                        stop += 1
                    state.append_pending(src[pos:stop])
                    state.pos = stop
                    continue
                for rule in rules_here:
                    ok = rule(state, False)
                    if ok:
                        if state.pos <= pos:
                            raise RuntimeError("inline rule didn't increment state.pos")
                        break
            if ok:
                if state.pos >= end:
                    break
                continue
            state.append_pending(src[state.pos])
            state.pos += 1
        if state.pending:
            state.pushPending()

    inline.skipToken = skip_token
    inline.tokenize = tokenize
    _dispatch_block(md)


def _dispatch_block(md: Any) -> None:
    """The same for markdown-it's block rules: each tries the first
    character of the line (after its indentation) and returns False at once
    at any other, after a debug log call; a line of a post of headings paid
    nine rule calls where three can match."""
    from markdown_it import rules_block as B

    first: dict[Any, str] = {
        B.blockquote: ">", B.hr: "*-_", B.list_block: "*-+0123456789", B.reference: "[",
        B.html_block: "<", B.heading: "#",
    }
    if hasattr(B, "fence"):
        first[B.fence] = "`~"               # the stock fence rule (a configured one is another function)
    block = md.block
    chains: dict[str, tuple[Any, ...]] = {}
    built: list[Any] = [None]

    def chain(ch: str) -> tuple[Any, ...]:
        found = chains.get(ch)
        if found is None:
            found = chains[ch] = tuple(r for r in built[0] if ch in first.get(r, ch))
        return found

    def tokenize(state: Any, startLine: int, endLine: int) -> None:
        # ParserBlock.tokenize, trying only the rules of the line's first
        # character.
        rules = block.ruler.getRules("")
        if rules is not built[0]:
            chains.clear()
            built[0] = rules
        line = startLine
        maxNesting = state.md.options.maxNesting
        hasEmptyLines = False
        src = state.src
        while line < endLine:
            state.line = line = state.skipEmptyLines(line)
            if line >= endLine:
                break
            if state.sCount[line] < state.blkIndent:
                break
            if state.level >= maxNesting:
                state.line = endLine
                break
            pos = state.bMarks[line] + state.tShift[line]
            ok = False
            for rule in (chains.get(src[pos]) or chain(src[pos])) if pos < len(src) else rules:
                ok = rule(state, line, endLine, False)
                if ok:
                    if state.line <= line:
                        raise RuntimeError("block rule didn't increment state.line")
                    break
            if not ok:
                raise RuntimeError("none of the block rules matched")
            state.tight = not hasEmptyLines
            line = state.line
            if (line - 1) < endLine and state.isEmpty(line - 1):
                hasEmptyLines = True
            if line < endLine and state.isEmpty(line):
                hasEmptyLines = True
                line += 1
                state.line = line

    block.tokenize = tokenize


def _parse_link_label(state: Any, start: int, disableNested: bool = False) -> int:
    # markdown_it.helpers.parseLinkLabel, with skipToken's cache hit inlined,
    # no scan at all when no "]" follows (the scan could only end in -1, and
    # the rules it would run in validation mode cannot depend on it), and
    # runs of known tokens crossed in one step (see _skip_known).
    old_pos = state.pos
    src = state.src
    end = state.posMax
    closers = getattr(state, "postlint_closers", None)
    if closers is None:
        closers = state.postlint_closers = [m.start() for m in _CLOSER.finditer(src)]
        state.postlint_jumps = {}
    k = bisect_right(closers, start)
    if k == len(closers) or closers[k] >= end:
        return -1
    cache = state.cache
    jumps = state.postlint_jumps
    skip = state.md.inline.skipToken
    pos = start + 1
    level = 1
    while pos < end:
        marker = src[pos]
        if marker == "]":
            level -= 1
            if level == 0:
                state.pos = old_pos
                return pos
        nxt = cache.get(pos)
        if nxt is None:
            state.pos = pos
            skip(state)
            nxt = state.pos
        if marker == "[":
            if nxt == pos + 1:
                level += 1          # a bare "[", not part of any token
            elif disableNested:
                state.pos = old_pos
                return -1
        elif marker != "]":
            nxt, opened = _skip_known(src, cache, jumps, pos, end)
            level += opened
        pos = nxt
    state.pos = old_pos
    return -1


def _skip_known(src: str, cache: dict[int, int], jumps: dict[int, tuple[int, int]],
                pos: int, end: int) -> tuple[int, int]:
    """Where the label scan, at ``pos`` (a known token, neither "[" nor "]"),
    next has something to decide, and how many bare "[" it passes on the way.

    The scan from each "[" walks the tokens after it one by one, and every
    "[" of hostile text (``*_[``` repeated) starts one: up to ``maxNesting``
    steps over tokens already known (skipToken's cache) per "[", the bulk of
    the parse.  A known token other than "[" and "]" only moves the scan to
    the next token, and a bare "[" (a cache answer of pos + 1) only adds a
    level; runs of both are crossed here, and each run is kept (``jumps``)
    from where a scan can begin (``pos``, and each position after a "[":
    a label's first token), so that the next scan crosses it in one step, as
    a union-find compresses its paths: the cache never changes an answer
    once given, so neither does a run.  The walk stops where markdown-it's
    scan would decide something: at a "]", at a "[" that starts a token, at
    a position not yet known, at ``end`` (a later scan with a farther end
    goes on from there)."""
    starts: list[tuple[int, int]] = [(pos, 0)]
    opened = 0
    at = pos
    while at < end:
        hop = jumps.get(at)
        if hop is not None:
            at, step = hop
            opened += step
            continue
        nxt = cache.get(at)
        if nxt is None:
            break
        marker = src[at]
        if marker == "]" or (marker == "[" and nxt != at + 1):
            break
        if marker == "[":
            opened += 1
            if nxt < end:
                starts.append((nxt, opened))
        at = nxt
    if at - pos > 8:
        # (A run of a few characters is not worth the memory.)
        for node, before in starts:
            if node < at:
                jumps[node] = (at, opened - before)
    return at, opened


def _core_inline(state: Any) -> None:
    # markdown-it's own core "inline" rule, except that it tells the
    # recorders which inline token they are in (text_join later replaces the
    # children lists), and that it skips inline content that cannot hold a
    # code span or raw HTML (no "`", no "<") unless a heading needs its text.
    from markdown_it.token import Token

    prev = None
    for token in state.tokens:
        if token.type == "inline":
            if token.children is None:
                token.children = []
            content = token.content
            heading = prev is not None and prev.type == "heading_open"
            if heading and (not content or state.md.inline.terminator_re.search(content) is None):
                # Text no inline rule but "text" can start in: one text
                # token, as markdown-it's parse makes it (a post of 136k
                # headings paid a whole inline parse for each).
                if content:
                    child = Token("text", "", 0)
                    child.content = content
                    token.children.append(child)
            elif "`" in content or "<" in content or heading:
                state.env[_CUR_KEY] = token
                md = state.md if heading else _md_prose("](" in content or bool(state.env.get("references")))
                md.inline.parse(content, md, state.env, token.children)
        prev = token


def _recording(rule: Any, kind: str, first: str) -> Any:
    # `first`: the character each of these rules needs at state.pos (they
    # return False at once otherwise).  Inline rules are tried at every
    # position, again in each link label scan: on hostile text (``*_[```
    # repeated) that was 2.5M calls, most of them answered by this test.
    def wrapped(state: Any, silent: bool) -> bool:
        start = state.pos
        if state.src[start] != first:
            return False
        count = len(state.tokens)
        ok: bool = rule(state, silent)
        if ok and not silent and len(state.tokens) > count and state.tokens[-1].type == kind:
            # Offsets into state.src; an image's alt text is parsed from a
            # substring, so only spans of the token's own content are kept.
            token = state.env.get(_CUR_KEY)
            if token is not None and state.src is token.content:
                state.env.setdefault(_ENV_KEY, []).append((token, kind, start, state.pos))
        return ok

    wrapped.__dict__["postlint_first"] = first  # read back by getattr in _dispatch_inline
    return wrapped


def _line_starts(text: str) -> list[int]:
    return [0] + [m.end() for m in _LINE_BREAK.finditer(text)]


def markdown_regions(text: str) -> MarkdownInfo:
    """Headings (ATX and setext), code regions and raw-HTML regions of a body.

    Block regions run from the start of their first line to the end of their
    last line, line break excluded.  Headings cover their line(s) (a setext
    heading includes its underline).
    """
    md = _md()
    env: dict[str, Any] = {}
    # Jekyll runs Liquid first: highlight blocks are code, comment blocks are
    # gone.  Blanked (line breaks kept), they parse as blank lines.
    liquid = liquid_blocks(text)
    text = blank(text, liquid.all)
    tokens = md.parse(text, env)
    starts = _line_starts(text)
    n_lines = len(starts)

    def line_end(i: int) -> int:             # end of line i, line break excluded
        if i + 1 < n_lines:
            end = starts[i + 1] - 1
            if end > starts[i] and text[end] == "\n" and text[end - 1] == "\r":
                end -= 1
            return end
        return len(text)

    def block(t: Any) -> tuple[int, int]:
        a, b = t.map
        return starts[min(a, n_lines - 1)], line_end(min(max(b - 1, a), n_lines - 1))

    headings: list[Heading] = []
    hash_lines: list[tuple[int, int]] = []
    code: list[tuple[int, int]] = []
    html: list[tuple[int, int]] = []
    inlines: list[tuple[Any, str]] = []                  # (inline token, context)
    context = ""
    pending_heading: tuple[int, int, int, str] | None = None
    raw: list[tuple[str, bool]] = []       # open HTML containers: (tag, markdown="1")
    for t in tokens:
        typ = t.type
        if typ in ("fence", "code_block") and t.map:
            code.append(block(t))
        elif typ == "html_block" and t.map:
            html.append(block(t))
            _track_containers(t.content, raw)
        elif typ == "heading_open" and t.map and raw and not raw[-1][1]:
            continue                        # raw HTML content in kramdown: no heading
        elif typ == "heading_open" and t.map and t.markup in ("=", "-") and t.map[1] - t.map[0] > 2:
            # kramdown's setext header is one line of text after a block
            # boundary; a longer paragraph keeps its underline as text.
            continue
        elif typ == "heading_open" and t.map:
            s, e = block(t)
            pending_heading = (int(t.tag[1]), s, e, t.markup)
        elif typ in ("th_open", "td_open"):
            context = "cell"
        elif typ == "inline":
            if pending_heading is not None:
                level, s, e, markup = pending_heading
                if markup.startswith("#") and not text[s:e].strip(" \t#"):
                    # kramdown's ATX header needs text once trailing "#"s are
                    # stripped: this line is a paragraph readers see as is.
                    hash_lines.append((s, e))
                else:
                    headings.append(Heading(level, s, e, _plain(t)))
                context = "atx" if markup.startswith("#") else ""
                pending_heading = None
            if t.children is not None and t.map:
                inlines.append((t, context))
            context = ""

    spans = env.get(_ENV_KEY, [])
    if spans:
        # Built for every inline token in document order: table cells of one
        # row are located left to right with a shared per-line cursor.
        cursors: dict[int, int] = {}
        mappers = {id(t): _ContentMap(text, starts, t, ctx, cursors) for t, ctx in inlines}
        for token, kind, cstart, cend in spans:
            mapper = mappers.get(id(token))
            if mapper is None or cend <= cstart:        # e.g. inside an image's alt text
                continue
            rng = (mapper.offset(cstart), mapper.offset(cend - 1) + 1)
            (code if kind == "code_inline" else html).append(rng)
    code.extend(liquid.code)
    code.sort()
    html.sort()
    return MarkdownInfo(headings, code, html, tuple(hash_lines))


def _track_containers(content: str, stack: list[tuple[str, bool]]) -> None:
    """Follow the block-level containers an HTML block opens and closes."""
    for m in _BLOCK_TAG.finditer(content):
        closing, name, attrs = m.group(1), m.group(2).lower(), m.group(3)
        if name not in _RAW_CONTAINERS or attrs.rstrip().endswith("/"):
            continue
        if not closing:
            stack.append((name, _MARKDOWN_ATTR.search(attrs) is not None))
            continue
        for k in range(len(stack) - 1, -1, -1):
            if stack[k][0] == name:
                del stack[k:]
                break


def _plain(inline: Any) -> str:
    out: list[str] = []
    for c in inline.children or ():
        if c.type in ("text", "code_inline"):
            out.append(c.content)
        elif c.type in ("softbreak", "hardbreak"):
            out.append(" ")
        elif c.type == "image":
            out.append(_plain(c))
    return " ".join("".join(out).split())


class _ContentMap:
    """Maps offsets in an inline token's content to offsets in the text."""

    def __init__(self, text: str, starts: list[int], token: Any, context: str,
                 cursors: dict[int, int]) -> None:
        first = token.map[0]
        lines = token.content.split("\n")
        self.content_starts: list[int] = []
        self.source_starts: list[int] = []
        pos = 0
        for k, line in enumerate(lines):
            n = first + k
            if n >= len(starts):
                n = len(starts) - 1
            src_start = starts[n]
            src_end = starts[n + 1] if n + 1 < len(starts) else len(text)
            source = text[src_start:src_end].rstrip("\r\n").replace("\x00", "\ufffd")
            self.content_starts.append(pos)
            self.source_starts.append(src_start + _locate(source, line, context, cursors, n))
            pos += len(line) + 1

    def offset(self, content_offset: int) -> int:
        k = bisect_right(self.content_starts, content_offset) - 1
        return self.source_starts[k] + content_offset - self.content_starts[k]


def _locate(source: str, line: str, context: str, cursors: dict[int, int], n: int) -> int:
    if context == "cell":
        i = source.find(line, cursors.get(n, 0)) if line else -1
        if i >= 0:
            cursors[n] = i + len(line)
            return i
        return cursors.get(n, 0)
    if context == "atx":
        lo = source.find("#")
        lo = lo + len(source[lo:]) - len(source[lo:].lstrip("#")) if lo >= 0 else 0
        i = source.find(line, lo)
        return i if i >= 0 else lo
    if source.endswith(line):
        return len(source) - len(line)
    trimmed = source.rstrip()
    if trimmed.endswith(line):
        return len(trimmed) - len(line)
    i = source.rfind(line)
    if i >= 0:
        return i
    # A tab partly consumed by indentation became spaces: locate the rest.
    rest = line.lstrip(" ")
    if rest:
        for candidate in (source, trimmed):
            if candidate.endswith(rest):
                return len(candidate) - len(rest) - (len(line) - len(rest))
    return max(0, len(trimmed) - len(line))
