"""Which Markdown bodies need which parser (analysis.body.markdown).

The reference for a body's regions is markdown-it-py; pulldown-cmark
(``pyromark``, Rust, a tenth of the cost) gives the same regions except
where the two read CommonMark's corners differently. ``undecided`` finds
a body that holds such a corner (it goes to markdown-it); ``nothing_to_find``
a body that holds no heading, code, raw HTML or "#" line to either parser
(no parse at all). Each test is cheap, linear in the text and
conservative: true of more bodies than need it, never of fewer.
tests/body/test_markdown_native.py compares the parsers on every corpus
post, on generated documents and on token soups.
"""

from __future__ import annotations

from postlint.model.patterns import contains, lazy
from postlint.model.record import NamedTuple

# Beyond this depth of link brackets (each link label scan inside another
# one is a level of markdown-it's maxNesting) markdown-it stops parsing where
# pulldown-cmark goes on: such bodies are markdown-it's to decide.
_MAX_BRACKETS = 10
# Every byte but "[" and "]" (which no other character's UTF-8 holds).
_NOT_BRACKET_BYTES = bytes(b for b in range(256) if b not in b"[]")
# A link reference definition and then a line that is not one (one indented
# four spaces is not: it may be code to markdown-it): markdown-it ends the
# definition's block there, so the line may start indented code, an HTML
# block or a setext heading; pulldown-cmark (as CommonMark says) keeps it in
# the paragraph the definition began. This matches at the start of such a
# next line: not blank, no definition.
_NOT_A_DEFINITION = lazy(r"(?!(?: {0,3}>)* {0,3}\[[^\]\n]*\]:)[ \t]*[^ \t\n]")
# (These read the text with "\n" for every line break.)
# (Each starts with a literal character, which the regular expression
# engine finds fast: "(?m)^" tries every position.)
# A line indented four spaces (after a block quote's line?).
_INDENTED_LINE = lazy(r"\n {4,}[^ \n]")
# A line whose container markers hold a block quote (in a list item too),
# and one whose markers hold two (">>", "> >", "- > >", "> - >").
_IN_QUOTE = lazy(r"[ *+\-0-9.)]*>")
_QUOTE_LINE = lazy(r"\n[ *+\-0-9.)]*>")         # (_IN_QUOTE after a line break)
_INDENTED_AT = lazy(r" {4,}[^ \n]")              # (_INDENTED_LINE's line, at its start)
_NESTED_QUOTE = lazy(r"\n[ *+\-0-9.)]*>[ *+\-0-9.)]*>")
# "](" and nothing more on the line: markdown-it's link rule gives up on an
# inline link there without trying the reference ("[r](" at the end).
_OPEN_DESTINATION = lazy(r"\]\([ \t]*(?:\n|$)")
# A "[" inside brackets (in an ATX heading?).
_NESTED = lazy(r"\[[^\]\n]*\[")
_ATX = lazy(r"[ >]*#{1,6} ")
# A line of only what a setext underline, a thematic break or a table's
# delimiter row is made of.
_RULE_LINE = lazy(r"\n[ >]*[|:=*_-][ |:=*_-]*(?=\n|$)")


def brackets_only(text: str) -> str:
    """The "[" and "]" of a text, in order (bytes.translate of its UTF-8: a
    quarter of re.sub's time)."""
    return text.encode("utf-8", "surrogatepass").translate(None, _NOT_BRACKET_BYTES).decode()


def deep_brackets(text: str) -> bool:
    """Link brackets nested (or unclosed "[" in a row before a "]") more
    than ``_MAX_BRACKETS`` deep."""
    if text.count("[") <= _MAX_BRACKETS or "]" not in text:
        return False                        # (no "]": no label, no link, however many "[")
    brackets = brackets_only(text)
    for _ in range(_MAX_BRACKETS):
        shorter = brackets.replace("[]", "")
        if shorter == brackets:
            break
        brackets = shorter
    else:
        return "[]" in brackets
    return "[" * _MAX_BRACKETS in brackets


class Deferred(NamedTuple):
    """What ``screen`` leaves to pulldown-cmark's own code blocks: the body
    is pulldown-cmark's if each of these positions is in one (see
    ``markdown_native.in_code_blocks``), markdown-it's otherwise."""

    tabs: list[int]                         # tabs on lines that are not text
    open_links: list[int]                   # "](" ending a line, in a body with "]:"
    tables: list[int]                       # delimiter rows of tables not plain


def undecided(text: str) -> bool:
    """Whether the body may need markdown-it: ``screen`` does not give it
    to pulldown-cmark outright."""
    return screen(text) is not False


def screen(text: str) -> bool | Deferred:
    """True where the body holds something the two parsers read differently,
    a Deferred where that depends on where pulldown-cmark's code blocks are,
    False otherwise (each test is cheap, and true of few real posts):

    * tabs (in containers they expand differently; after a line's text
      they are still read apart in escapes, HTML attributes and headings
      in list items), unless each is text (``_tabs_not_in_text``) or in code
      where it changes no line's reading (deferred: the content of a code
      block at the top level, fenced from the line's start or after the
      line's text); a lone CR (a line break to both, but pulldown-cmark's
      fences misread it);
    * link brackets nested deep (``deep_brackets``);
    * in a block quote, a setext underline or thematic break, or a next line
      indented four spaces (">" or lazy text): what the lines after
      continue differs;
    * "](" ending a line, in a body with a link reference definition
      (a "]:"): markdown-it's link rule gives up on the inline link without
      trying the reference, pulldown-cmark takes the definition (in a
      heading's text or an image's alt text, that is another reading);
      deferred: in a code block there is no link to read;
    * a heading (ATX, or a line over a setext underline) with a "[" inside
      brackets: such nested labels are read differently, and the heading's
      text is what HD003 judges;
    * a link reference definition and then a line that is not one:
      markdown-it ends the definition's block there, so the line may start
      indented code, an HTML block or a setext heading; pulldown-cmark (as
      CommonMark says) keeps it in the paragraph the definition began;
    * a table (a delimiter row with a "|", or under a line with one): the
      two parsers' tables begin, split and end differently (a code span
      holding "|", a row without pipes, an indented line after); deferred:
      a table printed in a code block is none.
    """
    crlf = "\r" in text                    # (deferred offsets would be the normalized text's)
    tabs: list[int] = []
    if "\t" in text:
        tabs = _tabs_not_in_text(text)
        if tabs and crlf:
            return True
    if deep_brackets(text):
        return True
    if "\r" in text:
        text = text.replace("\r\n", "\n")
        if "\r" in text:
            return True                     # a lone CR: pulldown-cmark's fences misread it
    if ">" in text and _indented_after_quote(text):
        return True
    open_links: list[int] = []
    if contains(text, "](") and contains(text, "]:"):
        # (without a definition neither reads a link there)
        open_links = [m.start() for m in _OPEN_DESTINATION.finditer(text)]
        if open_links and crlf:
            return True
    if contains(text, "]:") and _definition_then_text(text):
        return True
    if "#" in text and "[" in text:
        # Each line's ATX prefix tested once (one per "[[" was quadratic).
        m = _NESTED.search(text)
        while m is not None:
            if _ATX.match(text, text.rfind("\n", 0, m.start()) + 1) is not None:
                return True
            end = text.find("\n", m.start())
            if end < 0:
                break
            m = _NESTED.search(text, end)
    tables: list[int] = []
    for m in _RULE_LINE.finditer("\n" + text):
        line = m.group()[1:]
        bare = line.strip(" >")
        start = m.start()               # (in text: the line's start)
        previous = text[text.rfind("\n", 0, max(start - 1, 0)) + 1:max(start - 1, 0)] if start else ""
        if "-" in bare and ("|" in bare or "|" in previous):
            if _plain_table(text, start, previous):
                continue
            tables.append(start)            # a table the two may split differently
            continue
        underline = bare.strip("=") == "" or bare.strip("-") == ""
        if not underline:
            continue
        if ">" in line or ">" in previous[:4]:
            return True                     # in a block quote
        if "[" in previous and _NESTED.search(previous) is not None:
            return True                     # a setext heading's nested brackets
    if tables and crlf:
        return True
    return Deferred(tabs, open_links, tables) if tabs or open_links or tables else False


# What may stand on a line before a link reference definition's "[":
# indentation and the markers of the containers it is in (a superset).
_CONTAINER_PREFIX = lazy(r"[ \t>*+\-0-9.)]*")


# What stands before a line's first tab when it is no text yet: indentation
# and the markers of containers (list items, quotes) and thematic breaks.
NOT_TEXT_YET = " >*+-0123456789.)"


def _tabs_not_in_text(text: str) -> list[int]:
    """The tabs that may not be plain text to both parsers: every tab of a
    line unless text came before its first tab (not only indentation and
    container markers), it holds no "#" (a heading), "\\" (an escape), "<"
    (HTML), "|" (a table), "`" (code) or CR, and it does not end in a tab.
    (The ruby-lang.org body that had markdown-it imported: "•\tAlexey
    Gaziev".) Each line is looked at once."""
    found: list[int] = []
    at = text.find("\t")
    while at >= 0:
        start = text.rfind("\n", 0, at) + 1
        end = text.find("\n", at)
        if end < 0:
            end = len(text)
        line = text[start:end]
        if (not text[start:at].lstrip(NOT_TEXT_YET) or line.rstrip(" ").endswith("\t")
                or "#" in line or "\\" in line or "<" in line or "|" in line or "`" in line or "\r" in line):
            found += [start + i for i, c in enumerate(line) if c == "\t"]
        at = text.find("\t", end)
    return found


def _indented_after_quote(text: str) -> bool:
    """Whether a line indented four spaces follows a block quote's line
    where the two parsers continue the quote differently: when quotes are
    nested anywhere in the text (markdown-it reads the lazy line as code),
    when the indented line starts with ">", or when the quote's line is
    blank or holds indented code."""
    nested: bool | None = None              # (searched for once a quote line has an indented one after it)
    # Each quote's line, then the line after it (quote lines are few;
    # indented lines, in code, many).
    first = _IN_QUOTE.match(text)
    quote_end = first.end() if first is not None else -1  # (after its ">")
    at = 0
    while True:
        if quote_end < 0:
            m = _QUOTE_LINE.search(text, at)
            if m is None:
                return False
            quote_end = m.end()
        end = text.find("\n", quote_end)       # the quote line's end
        if end < 0:
            return False
        indented = _INDENTED_AT.match(text, end + 1)
        if indented is not None:
            if nested is None:
                nested = _NESTED_QUOTE.search("\n" + text) is not None
            if nested or text[indented.end() - 1] == ">":
                return True
            rest = text[quote_end:end]
            if not rest.strip(" ") or rest.startswith("     "):
                return True
        at, quote_end = end, -1


def _definition_then_text(text: str) -> bool:
    """Whether a line that may be a link reference definition is followed by
    one that is not (``_NOT_A_DEFINITION``). A line may be a definition when
    it holds "]:" and the label's "[" (the last one before its first "]:")
    follows nothing but indentation and container markers: code such as
    ``trait Show[A]:`` is no definition. Each line is looked at once (a line
    of many "]:" stays linear)."""
    at = text.find("]:")
    while at >= 0:
        start = text.rfind("\n", 0, at) + 1
        end = text.find("\n", at)
        if end < 0:
            return False                    # the last line: nothing follows it
        if _NOT_A_DEFINITION.match(text, end + 1) is not None:
            bracket = text.rfind("[", start, at)
            if bracket < 0 or (bracket > start and text[bracket - 1] == "\\"):
                return True                 # the label began on an earlier line, or holds "\["
            if _CONTAINER_PREFIX.fullmatch(text, start, bracket) is not None:
                return True
        at = text.find("]:", end)
    return False


# (A row may start with a code span: "`" but not a fence's "```".)
_BLOCK_START = lazy(r"[-+*](?:[ ]|$)|\d{1,9}[.)](?:[ ]|$)|[#>< =]|```|~~~|-+[ ]*$|=+[ ]*$")
_DELIMITER_CELL = lazy(r"[ ]*:?-+:?[ ]*")


def _cells(row: str) -> list[str] | None:
    """A table row's cells, split at every "|" as both parsers split them
    (GFM: a "|" in a code span splits it too); None where a "|" is escaped."""
    if "\\|" in row:
        return None
    row = row.strip(" ")
    row = row.removeprefix("|")
    row = row.removesuffix("|")
    return row.split("|")


def _plain_table(text: str, delimiter: int, header: str) -> bool:
    """Whether the table whose delimiter row starts at ``delimiter`` is one
    both parsers read alike: after a blank line, flush left, the header with
    as many cells as the delimiter row, every row (the delimiter row too)
    with a "|", none starting another block, and a blank line (or the end)
    after it. (A body row of more or fewer cells, or whose code spans hold
    a "|", both read alike: 20,000 generated tables of them, each parser at
    its lowest and newest version allowed.)"""
    header_start = delimiter - 1 - len(header)
    if header_start > 0 and text[text.rfind("\n", 0, header_start - 1) + 1:header_start - 1].strip(" "):
        return False                        # the header follows a paragraph's line
    end = text.find("\n\n", delimiter)
    block = text[delimiter:end if end >= 0 else len(text)].rstrip("\n")
    rows = block.split("\n")
    head = _cells(header)
    cells = _cells(rows[0])
    if head is None or cells is None or len(head) != len(cells) or "|" not in header or "|" not in rows[0]:
        return False
    if not all(_DELIMITER_CELL.fullmatch(cell) for cell in cells):
        return False
    if "\\|" in block:
        return False                        # an escaped "|" in a row (_cells: None), tested once, not per row
    for row in [header, *rows[1:]]:
        if not row or row[0] == " " or "|" not in row or _BLOCK_START.match(row) is not None:
            return False
    return True


# (Each reads the text with a "\n" put before it, so that every line starts
# after one; each class holds indentation and container markers.)
_HASH_LINE = lazy(r"\n[ >*+\-0-9.)]*#")
_INDENTED = lazy(r"\n[ >*+\-0-9.)]*?    ")
_MARKS_ONLY = lazy(r"\n[ >*+\-_=]+(?=\n|$)")


def nothing_to_find(text: str) -> bool:
    """Whether a body has, to either parser, no heading, code, raw HTML or
    "#" line, from its characters alone (a quarter of the ruby-lang.org
    posts: prose, lists and links): no backtick, "~~~" or "<" (no code
    span, fence, HTML or autolink), no tab or CR, no "#" after a line's
    indentation and container markers (an ATX heading or a "#" line), none
    of them holding four spaces in a row (indented code), and no line of
    only markers holding "=" or "-" (a setext underline)."""
    if "`" in text or "<" in text or contains(text, "~~~") or "\t" in text or "\r" in text:
        return False
    lines = "\n" + text
    if "#" in text and _HASH_LINE.search(lines) is not None:
        return False
    if "    " in text and _INDENTED.search(lines) is not None:
        return False
    if "=" in text or "-" in text:
        for m in _MARKS_ONLY.finditer(lines):
            if "=" in m.group() or "-" in m.group():
                return False
    return True
