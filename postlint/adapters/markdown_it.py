"""Every use of markdown-it-py's internals, in one place (issue 13, item 5).

Long because: the adapter is by definition one module per library, and the
replaced inline/block loops, the link label scan and the recorders are one
mechanism on markdown-it's internals, checked together below.

postlint parses Markdown with pulldown-cmark (``pyromark``) and falls back
to markdown-it-py for the few bodies that parser cannot decide the way
markdown-it would (see ``postlint.analysis.body.markdown``); links of the URL
rules are read from markdown-it's tokens.  What is not markdown-it's public
API (``MarkdownIt``, ``parse``, ``Token`` attributes, ``ruler`` changes) sits
here: its ``rules_inline``/``rules_block`` functions, ``StateInline`` and
``ParserInline``/``ParserBlock`` loops replaced by faster copies, its
``helpers`` namespace, ``Token`` construction.  ``INTERNALS`` names each of
them; ``tests/adapters/test_markdown_it.py`` checks every one against the
installed markdown-it-py and fails naming the one that changed, and
``pyproject.toml`` bounds markdown-it-py's version above.

Inline tokens have no positions: the ``backticks`` and ``html_inline`` rules
are wrapped to record ``state.pos`` before and after a match, offsets into
the inline token's content (``parse_recording`` returns them).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from functools import lru_cache
from typing import Any

_CLOSER = re.compile(r"\]")
_ENV_KEY = "postlint_inline_spans"
_CUR_KEY = "postlint_inline_token"


@lru_cache(maxsize=1)
def regions_parser() -> Any:
    """The parser of ``markdown_regions``: CommonMark, tables, the recorders."""
    return build()


def build(*disabled: str) -> Any:
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark").enable("table")
    if disabled:
        md.disable(list(disabled))
    use_fast_link_label(md)
    for name, kind in (("backticks", "code_inline"), ("html_inline", "html_inline")):
        rule = next(r.fn for r in md.inline.ruler.__rules__ if r.name == name)
        md.inline.ruler.at(name, recording(rule, kind, "`" if name == "backticks" else "<"))
    # kramdown reads any XML name as a tag (`<num_hosts>`, `<file.name>`);
    # CommonMark only letters, digits and "-".  Such a tag is raw HTML in the
    # page, so it is raw HTML here too (an e-mail autolink has no "_" name
    # followed by ">" or a space, so it is not taken).  No match runs past
    # the next "<", so the work is linear in the paragraph.
    md.inline.ruler.before("autolink", "kramdown_html", recording(_kramdown_tag, "html_inline", "<"))
    md.core.ruler.at("inline", _core_inline)
    return md


KRAMDOWN_TAG = re.compile(
    r"""</?(?P<name>[^\W\d][\w.\-]*)"""
    r"""(?:\s+[^\W\d][\w.:\-]*(?:\s*=\s*(?:"[^"<]*"|'[^'<]*'|[^\s"'=<>`]+))?)*\s*/?>""")


def _kramdown_tag(state: Any, silent: bool) -> bool:
    pos = state.pos
    if state.src[pos] != "<" or not state.md.options.get("html"):
        return False
    m = KRAMDOWN_TAG.match(state.src, pos)
    if m is None or ("_" not in m["name"] and "." not in m["name"]):
        return False                        # CommonMark's html_inline decides
    if not silent:
        state.push("html_inline", "", 0).content = m[0]
    state.pos = m.end()
    return True


@lru_cache(maxsize=2)
def prose_parser(links: bool) -> Any:
    """Inline parsers for content that is not a heading: only its code spans
    and raw HTML are wanted, and emphasis never moves them (code spans, raw
    HTML and autolinks bind tighter, CommonMark 6.1, 6.6).  Links can (a
    destination ``<b>`` is not HTML, a title may hold backticks), so they
    stay unless the content has no ``](`` and the body no reference
    definitions: then no link can exist.  Emphasis and link labels were
    three quarters of the parse of hostile text such as ``*_[``` repeated."""
    return build("emphasis") if links else build("emphasis", "link", "image")


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
                md = state.md if heading else prose_parser("](" in content or bool(state.env.get("references")))
                md.inline.parse(content, md, state.env, token.children)
        prev = token


def recording(rule: Callable[..., bool], kind: str, first: str) -> Callable[..., bool]:
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


def parse_recording(text: str) -> tuple[list[Any], list[tuple[Any, str, int, int]]]:
    """markdown-it's tokens of ``text`` and the recorded inline spans:
    (inline token, "code_inline" | "html_inline", start, end), offsets into
    that token's content."""
    env: dict[str, Any] = {}
    tokens = regions_parser().parse(text, env)
    return tokens, env.get(_ENV_KEY, [])


@lru_cache(maxsize=1)
def links_parser() -> Any:
    """Plain CommonMark for the links of the URL rules, with the fast link
    label scan (1 MB of ``*_[`` and a backtick took seconds without it)."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark")
    use_fast_link_label(md)
    return md


# -- the internals used above, checked against the installed markdown-it ------

def _has(obj: Any, *names: str) -> bool:
    return all(hasattr(obj, name) for name in names)


def _internals() -> dict[str, Callable[[], bool]]:
    import inspect

    from markdown_it import MarkdownIt, helpers
    from markdown_it import rules_block as B
    from markdown_it import rules_inline as R
    from markdown_it.rules_block.state_block import StateBlock
    from markdown_it.rules_inline.state_inline import StateInline
    from markdown_it.token import Token

    def inline_state() -> Any:
        md = MarkdownIt("commonmark")
        return StateInline("a", md, {}, [])

    def block_state() -> Any:
        md = MarkdownIt("commonmark")
        return StateBlock("a\n", md, {}, [])

    def token() -> bool:
        t = Token("text", "", 0)
        t.content = "x"
        return t.type == "text" and t.content == "x" and t.children is None

    def label_signature() -> bool:
        return list(inspect.signature(helpers.parseLinkLabel).parameters)[:3] == ["state", "start", "disableNested"]

    def rule_names() -> bool:
        md = MarkdownIt("commonmark")
        inline = {r.name for r in md.inline.ruler.__rules__}
        return ({"backticks", "html_inline", "autolink"} <= inline
                and all(callable(r.fn) for r in md.inline.ruler.__rules__)
                and "inline" in {r.name for r in md.core.ruler.__rules__})

    return {
        "rules_inline functions (text, newline, escape, backtick, strikethrough.tokenize, emphasis.tokenize, "
        "link, image, autolink, html_inline, entity, linkify)": lambda: _has(
            R, "text", "newline", "escape", "backtick", "link", "image", "autolink", "html_inline", "entity",
            "linkify") and _has(R.strikethrough, "tokenize") and _has(R.emphasis, "tokenize"),
        "rules_block functions (blockquote, hr, list_block, reference, html_block, heading, fence)": lambda: _has(
            B, "blockquote", "hr", "list_block", "reference", "html_block", "heading", "fence"),
        "StateInline (pos, posMax, src, pending, cache, level, tokens, env, md, append_pending, pushPending, push)":
            lambda: _has(inline_state(), "pos", "posMax", "src", "pending", "cache", "level", "tokens", "env", "md",
                         "append_pending", "pushPending", "push"),
        "StateBlock (line, level, blkIndent, sCount, bMarks, tShift, tight, src, md, skipEmptyLines, isEmpty)":
            lambda: _has(block_state(), "line", "level", "blkIndent", "sCount", "bMarks", "tShift", "tight", "src",
                         "md", "skipEmptyLines", "isEmpty"),
        "ParserInline (skipToken, tokenize, parse, terminator_re, ruler.getRules)": lambda: _has(
            MarkdownIt("commonmark").inline, "skipToken", "tokenize", "parse", "terminator_re")
            and _has(MarkdownIt("commonmark").inline.ruler, "getRules", "at", "before", "__rules__"),
        "ParserBlock (tokenize, parse, ruler.getRules)": lambda: _has(MarkdownIt("commonmark").block, "tokenize",
                                                                     "parse"),
        "helpers (parseLinkDestination, parseLinkTitle, parseLinkLabel(state, start, disableNested))": lambda: _has(
            helpers, "parseLinkDestination", "parseLinkTitle", "parseLinkLabel") and label_signature(),
        "Token(type, tag, nesting) with content and children": token,
        "rule chains (inline: backticks, html_inline, autolink; core: inline) with name and fn": rule_names,
        "options (html, linkify, maxNesting)": lambda: {"html", "linkify", "maxNesting"} <= set(
            MarkdownIt("commonmark").options.keys()),
    }


def changed_internals() -> list[str]:
    """The internals this module uses that the installed markdown-it-py no
    longer has as this module expects them (empty: all is as expected)."""
    changed = []
    for name, check in _internals().items():
        try:
            ok = check()
        except Exception:  # noqa: BLE001 - any failure is a changed internal, reported by name
            ok = False
        if not ok:
            changed.append(name)
    return changed
