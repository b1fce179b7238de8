"""Mojibake (EN002) and stray characters (EN003) in a decoded text.

Long because: locating ftfy's repairs is one pipeline (the prefilter,
candidate segments, ftfy, aligning its output with the input, refining the
spans) whose stages pass private intermediate structures to each other, and
EN003's stray-character finder shares its character tables.

ftfy decides what is mojibake; this module only finds *where*: the smallest
spans whose replacement turns the text into what ftfy's encoding fixer makes
of it, so that a fix touches nothing else (no quote uncurling, no NFC, no
entity unescaping).

A clean text must not pay ftfy's price: a regex built from the same single-byte
encodings ftfy tries (``ftfy.chardata.CHARMAP_ENCODINGS``) finds the places
where a UTF-8 lead byte is followed by a continuation byte in one of them (or
the other shapes ftfy repairs: a space that was U+00A0, a lost byte, a C1
control).  ftfy changes a line only where such a pair exists, so only lines
(and only the parts of them outside ``skip``) that contain one are handed to
ftfy.  The character sets are computed from the standard library's codecs, so
neither the prefilter nor a clean text imports ftfy.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any

from postlint.adapters.ftfy import (
    CHARMAP_ENCODINGS,
    NO_A0_RESTORE,
    badness_screen_chars,
    heuristic_files,
    is_bad,
    screen_source,
)
from postlint.model.patterns import lazy
from postlint.model.record import NamedTuple
from postlint.rules.encoding.chars import CharClass, holds, latin1


class Span(NamedTuple):
    start: int
    end: int
    replacement: str


class Stray(NamedTuple):
    start: int
    end: int
    char_name: str
    deletable: bool


# The encodings ftfy tries, spelled for the standard library ("sloppy" ones
# decode the bytes a code page leaves undefined as the Latin-1 character of the
# same number, which is what the fallback below does); ftfy skips
# restore_byte_a0 for MacRoman.
_ENCODINGS = CHARMAP_ENCODINGS
_NO_A0_RESTORE = NO_A0_RESTORE


def _chars(encoding: str, lo: int, hi: int) -> set[str]:
    """What the bytes lo..hi decode to in a single-byte code page, each
    alone (every encoding ftfy tries is one), a byte the page leaves
    undefined as the Latin-1 character of its number: one decode of them
    all, the undefined escaped as U+DC80-U+DCFF (some 50 ranges a run:
    1-2 ms as a decode per byte)."""
    text = bytes(range(lo, hi + 1)).decode(encoding, "surrogateescape")
    return {chr(ord(c) - 0xDC00) if "\udc80" <= c <= "\udcff" else c for c in text}


def _cls(chars: set[str]) -> str:
    return "[" + "".join(sorted(re.escape(c) for c in chars)) + "]"


@lru_cache(maxsize=1)
def _starts() -> frozenset[str]:
    """Every character a prefilter match can start with (the leading class
    of `_prefilter`): a text holding none of them cannot match, and neither
    the prefilter (a large regex to compile) nor ftfy is needed for it. A set
    of some 600 characters, built from the codecs in well under a
    millisecond."""
    first: set[str] = {chr(c) for c in range(0x80, 0xA0)}
    for enc in _ENCODINGS:
        first |= _chars(enc, 0xC0, 0xF4)
        if enc not in _NO_A0_RESTORE:
            for b in (0xC2, 0xC3, 0xC5, 0xCE, 0xD0, 0xD9, 0xE2, 0xE3, 0xF0):
                first |= _chars(enc, b, b)
    return frozenset(first)


def _remembered(name: str, key: Any, build: Callable[[], Any], valid: Callable[[Any], bool]) -> Any:
    """``build()``, or what a run before kept of it (``analysis.memo``: with
    the cache on) where ``valid`` says it is of the shape ``build`` gives.
    What is kept are sets of characters, not patterns: the patterns are
    built from them here, so that whatever a cache holds can only change
    which characters a class lists. These come from codec tables and ftfy's
    heuristic, which a one-post run paid in full every time; ``key`` is what
    they depend on beyond the run's key."""
    from postlint.analysis import memo

    namespace = "EN002:" + name
    known = memo.lookup(namespace, key)
    if isinstance(known, list) and len(known) == 1 and valid(known[0]):
        return known[0]
    value = build()
    memo.remember(namespace, key, [value])
    return value


def _char_sets(value: Any) -> bool:
    return isinstance(value, dict) and set(value) == set(_PREFILTER_SETS) and all(
        isinstance(v, str) for v in value.values())


def _codecs_key() -> list[Any]:
    """What the codec-built patterns depend on: the standard library's
    codecs, that is Python's version, and this module's tables."""
    import sys

    return [sys.version, list(_ENCODINGS), list(_NO_A0_RESTORE)]


def _ftfy_key() -> list[Any] | None:
    """The files the screen is built from (the adapter's heuristic_files), by
    path, mtime and size (found without importing ftfy); None where they are
    not plain files (the screen is then built every run)."""
    import os

    files = heuristic_files()
    if files is None:
        return None
    try:
        stamps = [[path, st.st_mtime_ns, st.st_size] for path, st in ((p, os.stat(p)) for p in files)]
    except OSError:
        return None
    return [*_codecs_key(), stamps]


@lru_cache(maxsize=1)
def _leading() -> CharClass:
    """``_starts()`` as a class: a search of it reads a text at a few
    nanoseconds a character, the set hashes each one (7,411 non-ASCII texts
    of ruby-lang.org: 41 ms -> 12 ms); compiled only for a text wider than
    Latin-1 (5 ms)."""
    chars = _remembered("leading", _codecs_key(), lambda: "".join(sorted(_starts())),
                        lambda v: isinstance(v, str))
    return CharClass(_cls(set(chars)), chars)


@lru_cache(maxsize=1)
def _prefilter() -> re.Pattern[str]:
    sets = _remembered("prefilter", _codecs_key(), _prefilter_sets, _char_sets)
    return _prefilter_from({k: set(v) for k, v in sets.items()})


_PREFILTER_SETS = ("lead", "lead_a0", "lead_q2", "lead_q34", "cont")


def _prefilter_sets() -> dict[str, str]:
    """The prefilter's classes (see _prefilter_from), each as its characters."""
    lead: set[str] = set()          # bytes C0-F4: lead bytes (C0, ED: ftfy's utf-8-variants)
    lead_a0: set[str] = set()       # leads ftfy's restore_byte_a0 accepts before a space
    lead_q2: set[str] = set()       # C2/C3: "Ã?" is a lossy 2-byte sequence
    lead_q34: set[str] = set()      # E0-F4: lossy 3/4-byte sequences
    cont: set[str] = set()          # bytes 80-BF
    for enc in _ENCODINGS:
        lead |= _chars(enc, 0xC0, 0xF4)
        cont |= _chars(enc, 0x80, 0xBF)
        lead_q2 |= _chars(enc, 0xC2, 0xC3)
        lead_q34 |= _chars(enc, 0xE0, 0xF4)
        if enc not in _NO_A0_RESTORE:
            for b in (0xC2, 0xC3, 0xC5, 0xCE, 0xD0, 0xD9, 0xE2, 0xE3, 0xF0):
                lead_a0 |= _chars(enc, b, b)
    found = {"lead": lead, "lead_a0": lead_a0, "lead_q2": lead_q2, "lead_q34": lead_q34, "cont": cont}
    return {k: "".join(sorted(v)) for k, v in found.items()}


def _prefilter_from(sets: dict[str, set[str]]) -> re.Pattern[str]:
    lead, lead_a0, lead_q2, lead_q34, cont = (sets[k] for k in _PREFILTER_SETS)
    lost = "\ufffd\x1a"             # sloppy codecs encode U+FFFD as byte 1A
    c1 = {chr(c) for c in range(0x80, 0xA0)}   # latin-1 read where cp1252 was meant
    after = _cls(cont | set(lost))
    # One leading character class, so that re's charset prefix scan skips
    # everything else (ASCII above all) at C speed; lookbehinds then tell
    # which shape the first character starts.
    return re.compile(
        f"{_cls(lead | lead_a0 | lead_q2 | lead_q34 | c1)}"
        f"(?:(?<={_cls(lead)}){after}"
        f"|(?<={_cls(lead_a0)}) "
        f"|(?<={_cls(lead_q2)})\\?"
        f"|(?<={_cls(lead_q34)})\\?{after}"
        f"|(?<=[\x80-\x9f]))"
    )


@lru_cache(maxsize=1)
def _pairs() -> tuple[tuple[frozenset[str], frozenset[str]], ...]:
    """Per code page: the characters its lead bytes and its continuation
    bytes decode to.

    The prefilter's classes are unions over the code pages, so they also match
    pairs no single code page makes, such as Dutch "één" (é is a lead byte in
    Latin-1, a continuation byte in cp437): those need no ftfy.
    """
    lost = {"\ufffd", "\x1a"}
    return tuple(
        (frozenset(_chars(enc, 0xC0, 0xF4)), frozenset(_chars(enc, 0x80, 0xBF) | lost)) for enc in _ENCODINGS
    )


def _one_code_page(pair: str) -> bool:
    verdict = _PAIR_VERDICTS.get(pair)
    if verdict is None:
        lead, cont = pair[0], pair[1]
        verdict = _PAIR_VERDICTS[pair] = any(lead in leads and cont in conts for leads, conts in _pairs())
    return verdict


# _one_code_page's answers: a text meets the same few pairs again and again
# (Dutch "één", Ukrainian "ві"), and there are at most 65,934 of them (297
# lead characters, 222 continuation ones).
_PAIR_VERDICTS: dict[str, bool] = {}


def _candidate(text: str, pos: int = 0, endpos: int | None = None) -> Any:
    """The first prefilter match at or after `pos` that one code page could
    have made (None: ftfy would find nothing there)."""
    search = _prefilter().search
    end = len(text) if endpos is None else endpos
    m = search(text, pos, end)
    while m is not None:
        found = m.group()
        # Only the lead + continuation shape can mix code pages; the others
        # (before a space, a "?", a C1 control) are taken as they are.
        if len(found) != 2 or found[1] in " ?" or _one_code_page(found):
            return m
        m = search(text, m.start() + 1, end)
    return None


@lru_cache(maxsize=1)
def _config() -> Any:
    import ftfy

    return ftfy.TextFixerConfig(
        unescape_html=False, remove_terminal_escapes=False, fix_encoding=True,
        restore_byte_a0=True, replace_lossy_sequences=True,
        decode_inconsistent_utf8=True, fix_c1_controls=True,
        fix_latin_ligatures=False, fix_character_width=False, uncurl_quotes=False,
        fix_line_breaks=False, fix_surrogates=False, remove_control_chars=False,
        normalization=None, explain=False,
    )


@lru_cache(maxsize=1)
def _fixer() -> Callable[[str], str]:
    import ftfy

    config = _config()
    fix_encoding = ftfy.fix_encoding

    def fix(s: str) -> str:
        return fix_encoding(s, config)

    return fix


@lru_cache(maxsize=1)
def _screen() -> CharClass | None:
    """Characters one of which every line ftfy changes holds (the adapter's
    ``badness_screen``; the screen holds no ASCII, so the line break a
    segment is judged with changes nothing); compiled only for a text wider
    than Latin-1."""
    key = _ftfy_key()
    if key is None:
        found = badness_screen_chars()
    else:
        found = _remembered("screen", key, badness_screen_chars, lambda v: v is None or isinstance(v, str))
    source = None if found is None else screen_source(found)
    return None if found is None or source is None else CharClass(source, found)


def ftfy_config() -> Any:
    """The ftfy TextFixerConfig this module applies (encoding fixes only)."""
    return _config()


def may_hold_mojibake(text: str) -> bool:
    """False where find_mojibake(text, skip) is [] whatever `skip` is: an
    ASCII text, one with no character a prefilter match starts with, or one
    with none of the screen's characters (ftfy's heuristic, and so its
    encoding fixer, finds nothing in any of its lines). Two searches at C
    speed, where the prefilter's candidates (12,217 lines of ruby-lang.org,
    Cyrillic and Portuguese letter pairs among them) cost a loop each."""
    if text.isascii() or not _leading().found_in(text):
        return False
    screen = _screen()
    return screen is None or screen.found_in(text)


def find_mojibake(
    text: str, skip: Sequence[tuple[int, int]] | Callable[[], Sequence[tuple[int, int]]] = (),
) -> list[Span]:
    """Spans of ``text`` that are mojibake, each with the text ftfy restores.

    The unit ftfy judges is a line (as ``ftfy.fix_text`` does), cut at the
    ``skip`` ranges: code regions are neither fixed nor let to sway ftfy's
    verdict on the prose around them.  Replacing every span (in reverse order)
    gives ``ftfy.fix_text(text, ftfy_config())`` outside the skipped ranges.
    ``skip`` may be a function giving them: it is called only where a line
    may hold mojibake (most texts do not, and their code ranges need a parse).
    """
    if not may_hold_mojibake(text):
        return []
    m = _candidate(text)
    if m is None:
        return []
    skips = _merge(skip() if callable(skip) else skip)
    spans: list[Span] = []
    while m is not None:
        line_start = text.rfind("\n", 0, m.start()) + 1
        line_end = text.find("\n", m.end())
        if line_end == -1:
            line_end = len(text)
        for seg_start, seg_end in _minus(line_start, line_end, skips):
            seg = text[seg_start:seg_end]
            if _candidate(seg) is None:
                continue
            # ftfy.fix_text judges a line with its line break, and its
            # heuristics count it: give ftfy the same unit.
            newline = "\n" if seg_end == line_end and line_end < len(text) else ""
            found = (_segment_spans if len(seg) <= _CACHED_SEGMENT else _segment_spans.__wrapped__)(seg, newline)
            spans.extend(Span(seg_start + sp.start, seg_start + sp.end, sp.replacement) for sp in found)
        m = _candidate(text, line_end)
    return spans


# Segments up to this long have their verdict kept (_segment_spans): a post
# of one paragraph repeated (a feed importer's template) paid ftfy and the
# diff again for every copy, and EN003 asks again for each line it fixes.
_CACHED_SEGMENT = 2048


@lru_cache(maxsize=4096)
def _segment_spans(seg: str, newline: str) -> tuple[Span, ...]:
    """The mojibake spans of one segment of a line (offsets into it)."""
    screen = _screen()
    if screen is not None and not screen.found_in(seg):
        return ()                           # ftfy's heuristic finds nothing: it changes nothing
    if not is_bad(seg + newline):
        return ()                           # (what the screen lets through, the heuristic itself judges)
    fixed = _fixer()(seg + newline)
    if newline:
        if not fixed.endswith(newline):
            return ()
        fixed = fixed[: -len(newline)]
    if fixed == seg:
        return ()
    return tuple(_diff(seg, fixed, 0))


def _merge(ranges: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for start, end in sorted(r for r in ranges if r[1] > r[0]):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def _minus(start: int, end: int, skips: list[tuple[int, int]]) -> list[tuple[int, int]]:
    if not skips:
        return [(start, end)]
    out = []
    i = max(bisect_right(skips, (start, start)) - 1, 0)
    pos = start
    for s, e in skips[i:]:
        if s >= end:
            break
        if e <= pos:
            continue
        if s > pos:
            out.append((pos, s))
        pos = max(pos, e)
    if pos < end:
        out.append((pos, end))
    return out


# ASCII characters that ftfy may consume as part of mojibake: a space that
# stood for U+00A0 (restore_byte_a0), the "?" of a lossy sequence, the byte
# 1A that sloppy codecs write for U+FFFD.  Every other ASCII character of a
# line is kept by ftfy's encoding fixes, in order.
_ABSORB = " ?\x1a"
# Above this many tokens a line whose greedy alignment failed is not handed to
# SequenceMatcher (quadratic): it becomes one span.
_MAX_MATCHER_TOKENS = 400
# At most this many ftfy calls to trim the shared ends off one changed run.
_MAX_TRIM_CALLS = 8


def _diff(a: str, b: str, base: int) -> list[Span]:
    """Minimal spans turning ``a`` into ``b`` (ftfy's fix of ``a``).

    Linear in ``len(a) + len(b)``.  ASCII never takes part in mojibake, except
    a space that stood for U+00A0, the "?" of a lossy sequence and byte 1A
    (``_ABSORB``), so a greedy walk anchors on the ASCII characters the two
    texts share and treats each run of non-ASCII characters between them as
    one changed region (absorbing the ``_ABSORB`` characters ftfy consumed).
    A region is then cut at the characters no code page ftfy tries can produce
    (CJK, emoji...), each piece checked against ftfy alone, and the characters
    a piece shares with its fix are trimmed off only when ftfy agrees that the
    remaining piece alone fixes to the remaining replacement (``Â·`` -> ``·``
    stays whole; ``«Ã©»`` -> ``«é»`` becomes ``Ã©`` -> ``é``).  Where the walk
    cannot explain ``b`` (ftfy made ASCII, e.g. an overlong NUL), a short line
    is aligned by SequenceMatcher and a long one is one honest span.
    """
    regions = _align(a, b)
    if regions is None:
        regions = _matcher_regions(a, b)
    spans = []
    for i1, i2, j1, j2 in regions:
        for x1, x2, y in _refine(a[i1:i2], b[j1:j2]):
            x = a[i1 + x1:i1 + x2]
            if x == y:
                continue
            p, s = _trim(x, y)
            spans.append(Span(base + i1 + x1 + p, base + i1 + x2 - s, y[p:len(y) - s]))
    if _apply(a, spans, base) != b:        # alignment failed: one honest span
        p, s = _affixes(a, b)
        spans = [Span(base + p, base + len(a) - s, b[p:len(b) - s])]
    return spans


def _align(a: str, b: str) -> list[tuple[int, int, int, int]] | None:
    """Changed regions (a[i1:i2] -> b[j1:j2]) of a greedy walk over the shared
    ASCII characters; None where the walk meets a difference it cannot
    explain."""
    regions = []
    na, nb = len(a), len(b)
    i = j = 0
    while i < na or j < nb:
        while i < na and j < nb and a[i] == b[j] and a[i] <= "\x7f":
            i += 1
            j += 1
        if i == na and j == nb:
            break
        i2, j2 = i, j
        while True:
            while i2 < na and a[i2] > "\x7f":
                i2 += 1
            while j2 < nb and b[j2] > "\x7f":
                j2 += 1
            if i2 < na and a[i2] in _ABSORB and (i2, j2) != (i, j):
                c = a[i2]
                ra = i2
                while ra < na and a[ra] == c:
                    ra += 1
                rb = j2
                while rb < nb and b[rb] == c:
                    rb += 1
                if ra - i2 > rb - j2:          # ftfy consumed some of them
                    i2 += ra - i2 - (rb - j2)
                    continue
            break
        if (i2, j2) == (i, j):
            return None
        regions.append((i, i2, j, j2))
        i, j = i2, j2
    return regions


def _matcher_regions(a: str, b: str) -> list[tuple[int, int, int, int]]:
    from difflib import SequenceMatcher

    # The common head and tail (cut back to a token boundary) need no diff.
    n = min(len(a), len(b))
    head = 0
    while head < n and a[head] == b[head]:
        head += 1
    while head and a[head - 1] > "\x7f":
        head -= 1
    tail = 0
    while tail < n - head and a[-1 - tail] == b[-1 - tail]:
        tail += 1
    while tail and a[len(a) - tail] > "\x7f":
        tail -= 1
    a_mid, b_mid = a[head:len(a) - tail], b[head:len(b) - tail]
    ta, ia = _tokens(a_mid)
    tb, ib = _tokens(b_mid)
    if len(ta) > _MAX_MATCHER_TOKENS or len(tb) > _MAX_MATCHER_TOKENS:
        return [(head, len(a) - tail, head, len(b) - tail)]
    return [
        (head + ia[i1], head + ia[i2], head + ib[j1], head + ib[j2])
        for tag, i1, i2, j1, j2 in SequenceMatcher(None, ta, tb, autojunk=False).get_opcodes()
        if tag != "equal"
    ]


def _refine(x: str, y: str) -> list[tuple[int, int, str]]:
    """Cut the changed region x -> y at the characters no code page ftfy tries
    decodes to (they stand for themselves): pieces (start, end, fixed) of x
    that change, each fixed by ftfy alone.  The whole region where that does
    not rebuild y."""
    whole = [(0, len(x), y)]
    plain = _plain()
    if plain.search(x) is None:
        return whole
    fix = _fixer()
    out = []
    k = pos = 0
    for m in plain.finditer(x):
        for start, end in ((pos, m.start()), (m.start(), m.end())):
            if start == end:
                continue
            piece = x[start:end]
            fixed = piece if end == m.end() else fix(piece)
            if not y.startswith(fixed, k):
                return whole
            if fixed != piece:
                out.append((start, end, fixed))
            k += len(fixed)
        pos = m.end()
    if pos < len(x):
        piece = x[pos:]
        fixed = fix(piece)
        if not y.startswith(fixed, k):
            return whole
        if fixed != piece:
            out.append((pos, len(x), fixed))
        k += len(fixed)
    return out if k == len(y) else whole


@lru_cache(maxsize=1)
def _plain() -> re.Pattern[str]:
    """Runs of non-ASCII characters that are not mojibake material: no byte
    of the code pages ftfy tries decodes to them (CJK, emoji, most scripts)."""
    material: set[str] = {"\ufffd"}
    for enc in _ENCODINGS:
        material |= _chars(enc, 0x80, 0xFF)
    return re.compile("[^\x00-\x7f" + "".join(sorted(re.escape(c) for c in material)) + "]+")


def _tokens(s: str) -> tuple[list[str], list[int]]:
    toks, starts = [], []
    for m in _TOKEN.finditer(s):
        toks.append(m.group())
        starts.append(m.start())
    starts.append(len(s))
    return toks, starts


_TOKEN = lazy(r"[\x00-\x7f]|[^\x00-\x7f]+")


def _affixes(x: str, y: str) -> tuple[int, int]:
    """Lengths of the longest common prefix and (not overlapping it) suffix."""
    p = 0
    while p < min(len(x), len(y)) and x[p] == y[p]:
        p += 1
    s = 0
    while s < min(len(x), len(y)) - p and x[-1 - s] == y[-1 - s]:
        s += 1
    return p, s


def _trim(x: str, y: str) -> tuple[int, int]:
    maxp, maxs = _affixes(x, y)
    if maxp == maxs == 0:
        return 0, 0
    fix = _fixer()
    calls = 0
    for p in range(maxp, -1, -1):
        for s in range(maxs, -1, -1):
            if p == s == 0 or calls >= _MAX_TRIM_CALLS:
                return 0, 0
            calls += 1
            if fix(x[p:len(x) - s]) == y[p:len(y) - s]:
                return p, s
    return 0, 0


def _apply(a: str, spans: list[Span], base: int) -> str:
    parts = []
    pos = 0
    for start, end, rep in spans:              # in order, not overlapping
        if start - base < pos:
            return ""                          # not a valid alignment
        parts.append(a[pos:start - base])
        parts.append(rep)
        pos = end - base
    parts.append(a[pos:])
    return "".join(parts)


# ---------------------------------------------------------------- EN003

_STRAY = lazy(
    "([\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e"
    "\u2060\u2066-\u2069\ufeff\ufffd])\\1*"
)
_NAMES = {
    "\x7f": "DELETE",
    "\u200b": "ZERO WIDTH SPACE",
    "\u200c": "ZERO WIDTH NON-JOINER",
    "\u200d": "ZERO WIDTH JOINER",
    "\u200e": "LEFT-TO-RIGHT MARK",
    "\u200f": "RIGHT-TO-LEFT MARK",
    "\u2060": "WORD JOINER",
    "\ufeff": "ZERO WIDTH NO-BREAK SPACE",
    "\ufffd": "REPLACEMENT CHARACTER",
}
_BIDI = frozenset("\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# Right-to-left letters: Hebrew, Arabic, Syriac, Thaana, N'Ko, Samaritan, ...,
# and their presentation forms. Near them, bidi marks are usually intended.
_RTL = lazy("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc\U00010800-\U00010fff\U0001e800-\U0001efff]")
# Scripts in which ZWJ/ZWNJ between letters select a joining or conjunct form.
_JOINING = lazy(
    "[\u0600-\u08ff\ufb50-\ufdff\ufe70-\ufeff"   # Arabic (Persian, Urdu), Syriac, Thaana, N'Ko
    "\u0900-\u0dff"                             # Indic: Devanagari .. Sinhala
    "\u0f00-\u0fff\u1000-\u109f\u1780-\u18af"    # Tibetan, Myanmar, Khmer, Mongolian
    "\ua8e0-\ua8ff\U00011000-\U0001107f]"        # Devanagari ext., Brahmi
)


def find_stray_characters(text: str) -> list[Stray]:
    """C0/C1 controls (not TAB, LF, CR), DEL, U+FFFD, zero-width and bidi
    controls; a run of one character is one finding.

    Not reported: U+FEFF at offset 0 (a byte-order mark), ZWJ inside an emoji
    sequence, ZWJ/ZWNJ between letters of scripts that use them (Persian,
    Arabic, Indic, ...).  ``deletable`` is False where deleting loses meaning:
    U+FFFD (a character was lost; restore it by hand), C1 controls that
    Windows-1252 maps to a character (EN002 offers that character), bidi
    marks and controls on a line with right-to-left letters, and
    ZWJ/ZWNJ next to a letter of a joining script.
    """
    if holds(text, latin1(_STRAY)) is False:
        return []         # (most texts: the search below reads every character)
    out: list[Stray] = []
    rtl_line_end = 0      # end of the last line searched for RTL letters
    rtl_line = False      # whether that line has any
    for m in _STRAY.finditer(text):
        start, end = m.span()
        c = m.group(1)
        if c == "\ufeff" and start == 0:
            start += 1
            if start == end:
                continue
        deletable = True
        if c == "\ufffd":
            deletable = False
        elif "\x80" <= c <= "\x9f":
            deletable = _cp1252_char(c) is None
        elif c in "\u200c\u200d":
            before = text[start - 1] if start else ""
            after = text[end] if end < len(text) else ""
            if c == "\u200d" and end - start == 1 and _emojiish(before) and _emojiish(after):
                continue
            if _joining(before) and _joining(after):
                continue
            if _joining(before) or _joining(after):
                deletable = False
        elif c in _BIDI:
            # Matches come in order: look at each line at most once, however
            # many bidi characters it holds (a 1 MB line of them is linear).
            if start >= rtl_line_end:
                line_start = text.rfind("\n", rtl_line_end, start) + 1
                line_end = text.find("\n", end)
                rtl_line_end = len(text) if line_end == -1 else line_end
                rtl_line = _RTL.search(text, line_start, rtl_line_end) is not None
            if rtl_line:
                deletable = False
        out.append(Stray(start, end, _char_name(c), deletable))
    return out


def _char_name(c: str) -> str:
    name = _NAMES.get(c) or unicodedata.name(c, "")
    return name or f"U+{ord(c):04X}"


def _cp1252_char(c: str) -> str | None:
    try:
        return c.encode("latin-1").decode("cp1252")
    except UnicodeDecodeError:
        return None


def _emojiish(c: str) -> bool:
    if not c:
        return False
    cp = ord(c)
    return (
        0x1F000 <= cp <= 0x1FAFF or 0x2300 <= cp <= 0x27BF or 0x2B00 <= cp <= 0x2BFF
        or cp in (0xFE0F, 0x20E3, 0x2640, 0x2642, 0x2695, 0x2696, 0x2708, 0x2764)
        or 0xE0020 <= cp <= 0xE007F
        or unicodedata.category(c) == "So"
    )


def _joining(c: str) -> bool:
    return bool(c) and _JOINING.match(c) is not None and unicodedata.category(c)[0] in "LM"
