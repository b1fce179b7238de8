"""EN002/EN003 analysis: positions, ftfy agreement, no false positives."""

from __future__ import annotations

import ftfy
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from postlint.rules.encoding.detect import Span, Stray, _prefilter, find_mojibake, find_stray_characters, ftfy_config


def garble(s: str, encoding: str = "cp1252") -> str:
    """UTF-8 bytes of ``s`` read as ``encoding`` (undefined bytes as Latin-1, as
    Windows does)."""
    out = []
    for b in s.encode("utf-8"):
        try:
            out.append(bytes([b]).decode(encoding))
        except UnicodeDecodeError:
            out.append(chr(b))
    return "".join(out)


def apply(text: str, spans: list[Span]) -> str:
    for start, end, rep in sorted(spans, reverse=True):
        text = text[:start] + rep + text[end:]
    return text


def ftfy_lines(text: str) -> str:
    return ftfy.fix_text(text, ftfy_config())


WORDS = ["Daniël", "café", "naïef", "coöperatie", "Curaçao", "Straße", "über",
         "Ærø", "señor", "mañana", "¿qué?", "garçon", "élève", "Zürich", "smörgåsbord",
         "it’s", "“quoted”", "en — dash", "5 €", "emoji 😀 here", "👍🏽", "Ğüşİöç"]


@pytest.mark.parametrize("word", WORDS)
@pytest.mark.parametrize("encoding", ["cp1252", "latin-1"])
def test_single_garbling_fixed(word: str, encoding: str) -> None:
    bad = garble(word, encoding)
    if encoding == "latin-1" and any("\x80" <= c <= "\x9f" for c in bad) and word.isascii():
        pytest.skip("nothing to garble")
    text = f"Tekst met {bad} erin.\n"
    spans = find_mojibake(text)
    assert apply(text, spans) == f"Tekst met {word} erin.\n" == ftfy_lines(text)
    for s in spans:                                 # only the garbled word is touched
        assert 10 <= s.start < s.end <= 10 + len(bad)


@pytest.mark.parametrize("word", ["Daniël", "it’s", "café", "—", "€"])
def test_double_garbling(word: str) -> None:
    text = "x " + garble(garble(word)) + " y"
    assert apply(text, find_mojibake(text)) == f"x {word} y"


def test_example_post_minimal_span() -> None:
    text = "journalist DaniÃ«l Verlaan undercover"
    assert find_mojibake(text) == [Span(15, 17, "ë")]
    assert find_mojibake(garble("it’s")) == [Span(2, 5, "’")]
    assert find_mojibake("cafÃ©") == [Span(3, 5, "é")]


def test_front_matter_value() -> None:
    assert find_mojibake(garble("Misbruik bij Daniël")) == [Span(17, 19, "ë")]
    assert find_mojibake("Daniël") == []


def test_mixed_with_legit_accents_and_nbsp() -> None:
    text = "Daniël zegt: " + garble("“hé”") + " en café"
    assert apply(text, find_mojibake(text)) == "Daniël zegt: “hé” en café" == ftfy_lines(text)
    # a space that stood for U+00A0 belongs to the sequence
    assert find_mojibake("voilÃ  le travail") == [Span(4, 6, "à")]
    # U+00B7 after Â is part of the sequence, not a legit character kept
    assert find_mojibake("x Â· y") == [Span(2, 4, "·")]


def test_positions_lf_and_crlf() -> None:
    for nl in ("\n", "\r\n"):
        text = f"<p>Hallo</p>{nl}<p>DaniÃ«l</p>{nl}<p>â€œx</p>{nl}"
        spans = find_mojibake(text)
        assert [text[s.start:s.end] for s in spans] == ["Ã«", "â€œ"]
        assert apply(text, spans) == text.replace("Ã«", "ë").replace("â€œ", "“")


def test_round_trip_outside_spans_unchanged() -> None:
    clean = "Een “citaat” van Daniël — 5 € per café 😀\r\nZürich, Straße.\n"
    text = "".join(garble(c) if c in "“”ëé😀ü" else c for c in clean)
    spans = find_mojibake(text)
    assert apply(text, spans) == clean
    covered = set()
    for s in spans:
        covered.update(range(s.start, s.end))
    kept = "".join(c for i, c in enumerate(text) if i not in covered)
    assert kept == "".join(c for c in clean if c not in "“”ëé😀ü")


def test_skip_ranges() -> None:
    text = "prose DaniÃ«l `code DaniÃ«l` more"
    code = (text.index("`"), text.rindex("`") + 1)
    spans = find_mojibake(text, skip=[code])
    assert spans == [Span(10, 12, "ë")]
    assert find_mojibake(text, skip=[(0, len(text))]) == []


LEGIT = [
    "Daniël café naïef Curaçao Æ ß coöperatie",
    "Straße, Öl, Ärger, Übermut", "garçon élève où déjà", "mañana ¿qué? ¡sí!",
    "Türkçe ığüşöç İstanbul", "smörgåsbord Ærø Øresund", "ĐÃ SỬA LỖI HÃY CẬP NHẬT",
    "Việt Nam đã sửa", "São Paulo NÃO SÃO", "€ £ ¥ ¢ $ ₽ ₹", "“quotes” ‘single’ „German“ «French»",
    "😀 👍🏽 👨‍👩‍👧", "中文日本語한국어", "Привет мир, всё хорошо, ні, її", "Ελληνικά",
    "© 2019 ® ™ ° ± ² ³ µ ¶ · ¼ ½ ¾", "naïve façade Noël Zoë", "ÀÁÂÃÄÅ àáâãäå",
    "Âge, Ân, Ãrea", "irmã e manhã", "é?", "Ã", "Ô Õ Ö", "à la carte", "â é ê",
]


@pytest.mark.parametrize("text", LEGIT)
def test_no_false_positives(text: str) -> None:
    assert find_mojibake(text) == []
    assert find_mojibake(text + "\n" + text) == []


def test_clean_text_does_not_call_ftfy(monkeypatch: pytest.MonkeyPatch) -> None:
    import postlint.rules.encoding.detect as m

    def boom() -> None:
        raise AssertionError("ftfy consulted")

    monkeypatch.setattr(m, "_fixer", boom)
    for text in ["plain ascii", "Daniël café naïef", "“quotes” — 😀", "中文"]:
        assert find_mojibake(text * 50) == []


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_arbitrary_text_never_raises(text: str) -> None:
    for s in find_mojibake(text):
        assert 0 <= s.start < s.end <= len(text)
    for s in find_stray_characters(text):
        assert 0 <= s.start < s.end <= len(text)


MOJI_ALPHABET = st.sampled_from(list("aé ?\n") + sorted(set(garble("ë’“€—😀é") + garble("Ж", "cp1251")))
                                + ["\ufffd", "\x81", "\x9d", "Ð", "Ñ", "Î", "\xa0"])


@settings(max_examples=500, deadline=None)
@given(st.text(MOJI_ALPHABET, max_size=12))
@example("Ñœ\n")  # ftfy's verdict on a short line depends on its line break
@example("\ufffdÃ€\n")  # ftfy writes U+FFFD NUL for it, eating the line break: not offered
def test_agrees_with_ftfy(text: str) -> None:
    # Spans applied == ftfy's encoding fix, line by line (where it loses no
    # text: _unless_lossy); and where the prefilter sees nothing, ftfy
    # changes nothing.
    assert apply(text, find_mojibake(text)) == "".join(_unless_lossy(line) for line in text.splitlines(True))
    for line in text.split("\n"):
        if _prefilter().search(line) is None:
            assert ftfy.fix_encoding(line) == line


# ------------------------------------------------ EN002: linear in the line

def _count_ftfy(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    import postlint.rules.encoding.detect as m

    real = m._fixer()
    calls = [0]

    def counting(s: str) -> str:
        calls[0] += 1
        return real(s)

    monkeypatch.setattr(m, "_fixer", lambda: counting)
    return calls


def test_one_long_line_of_mojibake_is_one_ftfy_call(monkeypatch: pytest.MonkeyPatch) -> None:
    # Issue 12: `DaniÃ«l ` repeated on one line (a feed importer's body) was a
    # SequenceMatcher over the whole line.  Now: every span found, and the
    # work is one ftfy call for the line, none per span.
    calls = _count_ftfy(monkeypatch)
    text = "DaniÃ«l " * 20_000
    spans = find_mojibake(text)
    assert spans == [Span(8 * k + 4, 8 * k + 6, "ë") for k in range(20_000)]
    assert calls[0] == 1


def test_long_line_without_spaces_is_cut_at_plain_characters(monkeypatch: pytest.MonkeyPatch) -> None:
    # CJK text has no ASCII to anchor on: the non-ASCII run is as long as the
    # line.  Each mojibake inside it is its own span, at a bounded ftfy cost
    # per piece between the characters no code page makes.
    calls = _count_ftfy(monkeypatch)
    unit = "中文文本没有空格Ã©"
    text = unit * 5_000
    spans = find_mojibake(text)
    assert spans == [Span(len(unit) * k + 8, len(unit) * k + 10, "é") for k in range(5_000)]
    assert apply(text, spans) == ftfy_lines(text)
    assert calls[0] <= 1 + 5_000


@pytest.mark.parametrize("text", [
    "Â  x Â  y",                      # a space that stood for U+00A0, then a real one
    "1 â€“ 2 â€? 3 Ã? 4",            # lossy sequences eat their "?"
    "«Ã©» and â€œquotedâ€",
    "ÐŸÑ€Ð¸Ð²ÐµÑ‚ Ð¼Ð¸Ñ€, " * 50,
    "I \u00e2\x9d\u00a4 Jekyll " * 50,
])
def test_greedy_alignment_agrees_with_ftfy(text: str) -> None:
    assert apply(text, find_mojibake(text)) == ftfy_lines(text)


# ---------------------------------------------------------------- EN003

def test_stray_positions_and_runs() -> None:
    for nl in ("\n", "\r\n"):
        text = f"a\u200b\u200bb{nl}c\x00d\x7f{nl}\ufffd e\x1b[0m"
        got = find_stray_characters(text)
        assert [(text[s.start:s.end], s.deletable) for s in got] == [
            ("\u200b\u200b", True), ("\x00", True), ("\x7f", True), ("\ufffd", False), ("\x1b", True)]
        assert got[0] == Stray(1, 3, "ZERO WIDTH SPACE", True)


def test_tab_lf_cr_not_stray() -> None:
    assert find_stray_characters("a\tb\r\nc\rd\n") == []


def test_bom_only_flagged_inside() -> None:
    assert find_stray_characters("\ufeffhello") == []
    assert find_stray_characters("he\ufeffllo") == [Stray(2, 3, "ZERO WIDTH NO-BREAK SPACE", True)]


def test_c1_controls() -> None:
    # \x92 is what cp1252 calls ’: deleting it loses the apostrophe (EN002 fixes it)
    assert find_stray_characters("it\x92s") == [Stray(2, 3, "U+0092", False)]
    assert find_stray_characters("x\x81y") == [Stray(1, 2, "U+0081", True)]


def test_zwj_in_emoji_not_flagged() -> None:
    assert find_stray_characters("family 👨\u200d👩\u200d👧 and 🏳️\u200d🌈") == []
    assert find_stray_characters("ab\u200dcd") == [Stray(2, 3, "ZERO WIDTH JOINER", True)]


def test_zwnj_in_persian_and_indic_not_flagged() -> None:
    assert find_stray_characters("می\u200cخواهم") == []           # Persian
    assert find_stray_characters("क्\u200dष") == []                 # Devanagari
    got = find_stray_characters("می\u200c abc")
    assert [(s.char_name, s.deletable) for s in got] == [("ZERO WIDTH NON-JOINER", False)]


def test_bidi_controls() -> None:
    assert find_stray_characters("abc\u202edef") == [Stray(3, 4, "RIGHT-TO-LEFT OVERRIDE", True)]
    got = find_stray_characters("שלום\u200f abc")
    assert [(s.char_name, s.deletable) for s in got] == [("RIGHT-TO-LEFT MARK", False)]
    assert find_stray_characters("x\u2066y\u2069") == [
        Stray(1, 2, "LEFT-TO-RIGHT ISOLATE", True), Stray(3, 4, "POP DIRECTIONAL ISOLATE", True)]


# Characters that are continuation bytes in cp437 but leads or letters in
# Latin-1 and its kin: the prefilter's union classes pair them across code
# pages (Dutch "één"); only pairs one code page can make go to ftfy.
CROSS_ALPHABET = st.sampled_from(
    sorted(set(bytes(range(0x80, 0xC0)).decode("cp437")) | set(bytes(range(0xC0, 0x100)).decode("latin-1")))
    + list("an ?\n")
)


@settings(max_examples=600, deadline=None)
@given(st.text(CROSS_ALPHABET, max_size=10))
@example("Er is één café.\nDaniÃ«l en â€™")
@example("\xe0?\xa2\xc0\n")
@example("\xc2?\xce\xa1")  # a lossy "Â?" beside a real repair: U+FFFD and "Ρ" are offered
def test_skipped_candidates_are_ones_ftfy_leaves_alone(text: str) -> None:
    from postlint.rules.encoding.detect import _candidate

    for line in text.split("\n"):
        if _candidate(line) is None:
            assert ftfy.fix_encoding(line, ftfy_config()) == line
    assert apply(text, find_mojibake(text)) == "".join(_unless_lossy(line) for line in text.splitlines(True))


def _unless_lossy(line: str) -> str:
    """ftfy's repair of one line, or the line itself where that repair loses
    text: ftfy's sloppy codecs turn undecodable bytes into a control
    character, eating the line break ('à?¢À' and a newline becomes U+FFFD
    NUL), which postlint never offers as a fix (a character would be lost,
    not restored). A U+FFFD alone is offered: it is what ftfy writes for a
    lossy sequence ("Ã?", a UTF-8 pair whose second byte became "?"), which
    stood for a lost character already."""
    fixed = ftfy_lines(line)
    lost = {c for c in fixed if c < " " and c not in "\t\n\r"} - set(line)
    return line if lost else fixed


def test_lossy_ftfy_repair_is_not_offered() -> None:
    text = "\xe0?\xa2\xc0\n"
    assert "\ufffd" in ftfy_lines(text)
    assert find_mojibake(text) == []


def test_dutch_een_does_not_wake_ftfy(monkeypatch: pytest.MonkeyPatch) -> None:
    import postlint.rules.encoding.detect as mojibake

    def refuse() -> None:
        raise AssertionError("ftfy was called")

    monkeypatch.setattr(mojibake, "_fixer", refuse)
    assert find_mojibake("Er is één café en één bakker; coöperatie, geëerd, reeën.\n" * 5) == []


# ------------------------------------------------- EN003: bidi work is linear

class _CountingRTL:
    """Stands in for mojibake._RTL and counts the characters it is asked to scan."""

    def __init__(self, pattern):
        self.pattern = pattern
        self.calls = 0
        self.scanned = 0

    def search(self, text, pos=0, endpos=None):
        end = len(text) if endpos is None else endpos
        self.calls += 1
        self.scanned += max(0, end - pos)
        return self.pattern.search(text, pos, end)


def test_bidi_controls_on_one_long_line_scan_it_once(monkeypatch):
    # The hostile "control-chars" post: one 1 MB line of ESC, CR and U+202E.
    # Each bidi control used to re-scan its whole line for RTL letters.
    import postlint.rules.encoding.detect as mojibake

    counter = _CountingRTL(mojibake._RTL)
    monkeypatch.setattr(mojibake, "_RTL", counter)
    text = "<p>" + "a\x1b[31m\r\u202eb " * 5000 + "</p>\n"
    got = find_stray_characters(text)
    assert sum(s.char_name == "RIGHT-TO-LEFT OVERRIDE" for s in got) == 5000
    assert counter.calls == 1
    assert counter.scanned <= len(text)


def test_bidi_lines_each_scanned_once_and_judged_by_their_own_letters(monkeypatch):
    import postlint.rules.encoding.detect as mojibake

    counter = _CountingRTL(mojibake._RTL)
    monkeypatch.setattr(mojibake, "_RTL", counter)
    lines = ["x\u200ey\u200ez", "\u05e9\u05dc\u05d5\u05dd \u200f\u200f!\u200f", "plain", "\u202eabc\u202c"]
    text = "\n".join(lines * 3)
    got = find_stray_characters(text)
    flags = [(text.count("\n", 0, s.start), s.deletable) for s in got]
    expected = []
    for n, line in enumerate(lines * 3):
        rtl = any("\u0590" <= ch <= "\u08ff" for ch in line)
        runs = list(__import__("re").finditer("([\u200e\u200f\u202a-\u202e])\\1*", line))
        expected += [(n, not rtl)] * len(runs)
    assert flags == expected
    assert counter.calls == 9            # the 9 lines with a bidi character, once each
    assert counter.scanned <= len(text)


def test_repeated_lines_are_judged_once(monkeypatch: pytest.MonkeyPatch) -> None:
    # A post of one paragraph repeated (issue 12.1's big-post-mixed) ran
    # ftfy and the diff for every copy, and EN003 asked again per line: the
    # verdict on a segment is kept, so the ftfy calls do not grow with n.
    from postlint.rules.encoding import detect

    calls = 0
    fixer = detect._fixer()

    def counting(s: str) -> str:
        nonlocal calls
        calls += 1
        return fixer(s)

    monkeypatch.setattr(detect, "_fixer", lambda: counting)
    line = "Daniël schreef DaniÃ«l en een zero\u200bwidth spatie.\n"
    found = []
    for n in (100, 200):
        detect._segment_spans.cache_clear()
        calls = 0
        spans = find_mojibake("<p>ok</p>\n" + line * n)
        found.append(calls)
        assert len(spans) == n
        assert [(s.start, s.end, s.replacement) for s in spans[:2]] == [
            (29 + k * len(line), 31 + k * len(line), "ë") for k in range(2)]
    detect._segment_spans.cache_clear()
    assert found[0] == found[1] > 0


@settings(max_examples=400, deadline=None)
@given(st.text(CROSS_ALPHABET | MOJI_ALPHABET | st.characters(), max_size=24))
@example("Україна: вітання, não é, één")
@example("DaniÃ«l")
def test_the_whole_text_screen_changes_no_verdict(text: str) -> None:
    # find_mojibake returns at once where may_hold_mojibake says so: the
    # same spans as the line by line way, and [] wherever it says no.
    import postlint.rules.encoding.detect as detect

    text = text + "\n" + text[::-1]
    found = find_mojibake(text)
    if not detect.may_hold_mojibake(text):
        assert found == []
    original = detect.may_hold_mojibake
    detect.may_hold_mojibake = lambda t: not t.isascii()
    try:
        assert detect.find_mojibake(text) == found
    finally:
        detect.may_hold_mojibake = original
    assert found == [] or original(text)


def test_a_screened_text_skips_the_candidates(monkeypatch: pytest.MonkeyPatch) -> None:
    import postlint.rules.encoding.detect as detect

    text = "Україна: вітання, não é, één café\n" * 40
    assert detect._candidate(text) is not None      # the prefilter hands these on...
    assert not detect.may_hold_mojibake(text)      # ...the screen clears them at once
    monkeypatch.setattr(detect, "_candidate", lambda *a: pytest.fail("candidates looked for"))
    assert find_mojibake(text) == []
