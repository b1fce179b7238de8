"""The results of the HTML analysis and the helpers both of its paths share.

``html`` (html5lib) and ``fasthtml`` (a regex walk for plain bodies) must give
identical answers: their result types, the code points html5lib accepts and
how heading text is collapsed are defined here, once, so neither path imports
the other.
"""

from __future__ import annotations

from postlint.analysis.body.headings import Heading
from postlint.model.record import NamedTuple


class HtmlError(NamedTuple):
    start: int
    end: int
    code: str           # the WHATWG error code, or postlint's for a tree construction error
    message: str        # what is wrong, what browsers do, how to write it
    origin: int = -1    # where the markup the error is in starts (an EOF error's comment or tag)
    as_written: bool = False    # browsers render it as written: reported only when strict


class TagSpan(NamedTuple):
    start: int          # "<" of the tag
    end: int            # just after its ">"
    tag: str            # lower-case name


class HtmlInfo(NamedTuple):
    parse_errors: list[HtmlError]
    unclosed: list[TagSpan]             # start tags of elements open at end of input
    stray_end_tags: list[TagSpan]       # end tags with no open element of that name
    headings: list[Heading]


# The code points html5lib reads without an "invalid-codepoint" error: all but
# the controls, surrogates and noncharacters of its invalid_unicode_re, as
# ranges (a test compares every code point).  NUL is not in that pattern (the
# tokenizer reports it), so it is added on request.  A class of a few ranges
# scans ten times faster than html5lib's pattern of forty items, and needs no
# html5lib import.
_ALLOWED = ((0x09, 0x0A), (0x0C, 0x0D), (0x20, 0x7E), (0xA0, 0xD7FF), (0xE000, 0xFDCF),
            (0xFDF0, 0xFFFD), *(((p << 16), (p << 16) | 0xFFFD) for p in range(1, 17)))


def char_class(excluded: str = "", *, nul: bool = False, negate: bool = False, upto: int = 0x10FFFF) -> str:
    """A regex class of the allowed code points (and NUL if ``nul``) except
    those in ``excluded``; with ``negate``, of all the others up to ``upto``
    (0xFFFF: those of the Basic Multilingual Plane, a class re tests at
    once where the whole set is some twenty ranges tested in turn).

    Written as the complement: ``[^`` and the few code points that are *not*
    in the set (controls, surrogates, noncharacters, ``excluded``). The same
    set, but re compiles a short list of small ranges at once, where the
    positive form (0xA0-0xD7FF, ...) cost it a loop over every code point of
    the Basic Multilingual Plane for each class (15 ms for fasthtml's patterns
    at the start of a one-post run)."""
    ranges = ((0, 0), *_ALLOWED) if nul else _ALLOWED
    out = []
    for lo, hi in ranges:
        for c in sorted(ord(x) for x in excluded):
            if lo <= c <= hi:
                if lo < c:
                    out.append((lo, c - 1))
                lo = c + 1
        if lo <= hi:
            out.append((lo, hi))
    if any(c.lower() != c or c.upper() != c for c in excluded):
        # A letter: under IGNORECASE a class and its complement's negation
        # differ for its case variants; the plain form then.
        return ("[^" if negate else "[") + "".join(
            f"\\U{lo:08x}" if lo == hi else f"\\U{lo:08x}-\\U{hi:08x}" for lo, hi in out) + "]"
    others = []  # the complement of `out` in 0..upto
    pos = 0
    for lo, hi in out:
        if pos < lo:
            others.append((pos, min(lo - 1, upto)))
        pos = hi + 1
        if pos > upto:
            break
    if pos <= upto:
        others.append((pos, upto))
    return ("[" if negate else "[^") + "".join(
        f"\\U{lo:08x}" if lo == hi else f"\\U{lo:08x}-\\U{hi:08x}" for lo, hi in others) + "]"


def image_text(alt: str | None) -> str:
    """What an image adds to the text of the element it is in."""
    return " " + alt + " " if alt else ""


def collapse(parts: list[str]) -> str:
    """Text pieces joined, runs of white space made one space, ends trimmed."""
    return " ".join("".join(parts).split())
