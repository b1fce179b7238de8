"""postlint.adapters.ftfy against the installed ftfy: the prefilter of
rules/encoding/detect.py knows every code page ftfy tries, decoding each
byte as ftfy's codec does, and ftfy still skips restore_byte_a0 for MacRoman."""

from __future__ import annotations

import inspect
import random
import re
from pathlib import Path

import ftfy
import ftfy.bad_codecs  # registers ftfy's sloppy-windows-125x codecs
import ftfy.chardata
import pytest

from postlint.adapters import ftfy as adapter
from postlint.rules.encoding.detect import _chars as _detect_chars
from postlint.rules.encoding.detect import ftfy_config
from tests.adapters.support import require, require_attribute

LIB = "ftfy"


def test_every_code_page_ftfy_tries_is_known() -> None:
    theirs = list(require_attribute(ftfy.chardata, "CHARMAP_ENCODINGS", LIB))
    assert len(theirs) >= 9
    unknown = [name for name in theirs if name not in adapter.FTFY_NAMES]
    # More code pages here than ftfy tries only sends more lines to ftfy;
    # one ftfy tries that the prefilter does not know hides mojibake.
    require(not unknown, LIB, "ftfy.chardata.CHARMAP_ENCODINGS", f"new code pages {unknown}")
    assert tuple(adapter.FTFY_NAMES.values()) == adapter.CHARMAP_ENCODINGS


def test_each_code_page_decodes_as_ftfys() -> None:
    for name in ftfy.chardata.CHARMAP_ENCODINGS:
        ours = adapter.FTFY_NAMES.get(name)
        if ours is None:
            continue  # reported by the test above
        for byte in range(0x80, 0x100):
            data = bytes([byte])
            try:
                mine = data.decode(ours)
            except UnicodeDecodeError:
                mine = chr(byte)  # what detect._chars falls back to, as ftfy's sloppy codecs do
            theirs = data.decode(name, errors="replace")
            require(mine == theirs, LIB, f"the codec {name!r}", f"byte {byte:#x}: {theirs!r}, not {mine!r}")
            # (detect._chars decodes a range of bytes at once: each alone, the same)
            assert _detect_chars(ours, byte, byte) == {mine}
        every = {bytes([b]).decode(name, errors="replace") for b in range(0x80, 0x100)}
        assert _detect_chars(ours, 0x80, 0xFF) == every


def test_restore_byte_a0_is_skipped_for_macroman() -> None:
    source = inspect.getsource(ftfy)
    require('encoding != "macroman"' in source and "restore_byte_a0" in source, LIB,
            "fix_encoding's restore_byte_a0 step (skipped for macroman)")
    assert (adapter.FTFY_NAMES["macroman"],) == adapter.NO_A0_RESTORE


def test_the_config_fields_postlint_sets() -> None:
    config = ftfy_config()
    require(isinstance(config, ftfy.TextFixerConfig), LIB, "ftfy.TextFixerConfig")
    require(ftfy.fix_encoding("Ã©", config) == "é", LIB, "ftfy.fix_encoding(text, config)")


def test_badness_screen_reads_ftfys_heuristic() -> None:
    # detect._segment_spans skips ftfy for a line with none of the screen's
    # characters: right only while ftfy changes nothing its heuristic
    # passes, and while the screen is one item of each of its alternatives.
    import ftfy.badness

    pattern = require_attribute(ftfy.badness, "BADNESS_RE", LIB)
    screen = adapter.badness_screen()
    require(screen is not None, LIB, "ftfy.badness.BADNESS_RE", "not a union of sequences of character classes")
    assert screen is not None
    assert screen.search("plain ASCII text\n") is None and screen.search("Ukraïna, vітання, não é") is None
    source = inspect.getsource(ftfy)
    require("not is_bad(text)" in source, LIB, "fix_encoding's first step (nothing to fix unless is_bad)")
    # Every match of the heuristic holds a character of the screen: on
    # ftfy's own category characters, in pairs and triples, and on mojibake.
    categories = require_attribute(ftfy.badness, "MOJIBAKE_CATEGORIES", LIB)
    chars = sorted({c for spec in categories.values() for c in re.sub(r"(.)-(.)", lambda m: "".join(
        map(chr, range(ord(m[1]), ord(m[2]) + 1))), spec)})
    rng = random.Random(14)
    samples = ["".join(rng.choice(chars + list("aZ ?\u0416\u0456")) for _ in range(rng.randint(1, 4)))
               for _ in range(40000)]
    samples += [word.encode("utf-8").decode(page, "replace")
                for word in ("Daniël", "’", "€", "вітаю", "日本", "Σ", "ö", "—", "…")
                for page in ("cp1252", "latin-1", "cp1251", "cp1250", "mac-roman", "cp437")]
    config = ftfy_config()
    for text in samples:
        if pattern.search(text) is not None:
            assert screen.search(text) is not None, repr(text)
        else:
            assert ftfy.fix_encoding(text, config) == text, repr(text)


def test_the_screen_is_read_without_importing_ftfy() -> None:
    # In a process that has not imported ftfy, the heuristic's module is run
    # on its own: the same pattern, the same screen, and no ftfy imported.
    import subprocess
    import sys

    probe = (
        "import sys\n"
        "from postlint.adapters import ftfy as adapter\n"
        "alone = adapter._badness()\n"
        "screen = adapter.badness_screen()\n"
        "imported = 'ftfy' in sys.modules or 'wcwidth' in sys.modules\n"
        "import ftfy.badness\n"
        "assert alone is not ftfy.badness\n"
        "print(imported, alone.BADNESS_RE.pattern == ftfy.badness.BADNESS_RE.pattern,\n"
        "      screen is not None and screen.pattern == adapter.badness_screen().pattern)\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, check=True)
    assert out.stdout.split() == ["False", "True", "True"]


def test_a_line_the_heuristic_clears_does_not_import_ftfy() -> None:
    # Vietnamese and Russian prose passes the prefilter and the screen (its
    # letters are those of mojibake too); ftfy's heuristic, run on its own
    # (adapter.is_bad), clears it: no ftfy. Mojibake still imports it.
    import subprocess
    import sys

    clean = ["Ruby 2.5.6 \u0110\u00e3 Ph\u00e1t H\u00e0nh\n",
             "\u0417\u043b\u043e\u0439 \u0441\u0435\u0440\u0432\u0435\u0440 \u00ablit\u00bb\n"]
    probe = (
        "import sys\n"
        "from postlint.rules.encoding import detect\n"
        "from postlint.adapters import ftfy as adapter\n"
        f"clean = {clean!r}\n"
        "screened = [detect._candidate(t) is not None and detect._screen().found_in(t) for t in clean]\n"
        "found = [detect.find_mojibake(t) for t in clean]\n"
        "before = 'ftfy' in sys.modules or 'wcwidth' in sys.modules\n"
        "bad = detect.find_mojibake('Dani\u00c3\u00abl\\n')\n"
        "import ftfy.badness\n"
        "same = all(adapter.is_bad(t) == ftfy.badness.is_bad(t) for t in clean + ['Dani\u00c3\u00abl'])\n"
        "print(sum(screened), sum(map(len, found)), before, [(s.start, s.end) for s in bad], same)\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, check=True)
    assert out.stdout.strip().split(maxsplit=3) == ["2", "0", "False", "[(4, 6)] True"]


def test_a_listed_screen_is_the_one_derived(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The screens listed for the releases postlint is tested with are what
    # the installed release's heuristic gives; a release not listed (here:
    # a badness.py of one comment more) is derived from its module.
    derived = adapter.derive_screen_chars()
    assert derived is not None
    known = adapter.known_screen_chars()
    if known is not None:
        assert known == derived
    assert adapter.badness_screen_chars() == derived
    folder = adapter._folder()
    assert folder is not None
    copy = tmp_path / "ftfy"
    copy.mkdir()
    (copy / "badness.py").write_bytes((Path(folder) / "badness.py").read_bytes() + b"\n# another release\n")
    monkeypatch.setattr(adapter, "_folder", lambda: str(copy))
    assert adapter.known_screen_chars() is None
    assert adapter.badness_screen_chars() == derived
    (copy / "badness.py").unlink()
    assert adapter.known_screen_chars() is None
