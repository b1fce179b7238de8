"""postlint.adapters.ftfy against the installed ftfy: the prefilter of
rules/encoding/detect.py knows every code page ftfy tries, decoding each
byte as ftfy's codec does, and ftfy still skips restore_byte_a0 for MacRoman."""

from __future__ import annotations

import inspect

import ftfy
import ftfy.bad_codecs  # registers ftfy's sloppy-windows-125x codecs
import ftfy.chardata

from postlint.adapters import ftfy as adapter
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


def test_restore_byte_a0_is_skipped_for_macroman() -> None:
    source = inspect.getsource(ftfy)
    require('encoding != "macroman"' in source and "restore_byte_a0" in source, LIB,
            "fix_encoding's restore_byte_a0 step (skipped for macroman)")
    assert (adapter.FTFY_NAMES["macroman"],) == adapter.NO_A0_RESTORE


def test_the_config_fields_postlint_sets() -> None:
    config = ftfy_config()
    require(isinstance(config, ftfy.TextFixerConfig), LIB, "ftfy.TextFixerConfig")
    require(ftfy.fix_encoding("Ã©", config) == "é", LIB, "ftfy.fix_encoding(text, config)")
