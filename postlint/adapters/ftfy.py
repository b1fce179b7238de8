"""What postlint knows of ftfy's internals, in one place.

ftfy decides what is mojibake through its documented API (``fix_encoding``
with a ``TextFixerConfig``); ``postlint.rules.encoding.detect`` only asks it
about lines that one of the code pages ftfy tries could have garbled, and
finds those lines with a prefilter built from the standard library's codecs,
so that clean text never imports ftfy.  The prefilter is right only while it
knows the same code pages as ftfy, which ftfy keeps undocumented:

* ``ftfy.chardata.CHARMAP_ENCODINGS``: the single-byte encodings ftfy's
  ``fix_encoding`` tries, here ``CHARMAP_ENCODINGS`` spelled for the standard
  library (ftfy's "sloppy-windows-125x" decode the bytes a code page leaves
  undefined as the Latin-1 character of the same number, which the prefilter
  does itself);
* ftfy's ``fix_encoding_and_explain`` skips ``restore_byte_a0`` for MacRoman
  (``NO_A0_RESTORE``).

tests/adapters/test_ftfy.py checks both against the installed ftfy.  Nothing
here imports ftfy.
"""

from __future__ import annotations

# ftfy's names -> the standard library's codec for the same code page.
FTFY_NAMES = {
    "latin-1": "latin-1",
    "sloppy-windows-1252": "cp1252",
    "sloppy-windows-1251": "cp1251",
    "sloppy-windows-1250": "cp1250",
    "sloppy-windows-1253": "cp1253",
    "sloppy-windows-1254": "cp1254",
    "sloppy-windows-1257": "cp1257",
    "iso-8859-2": "iso-8859-2",
    "macroman": "mac-roman",
    "cp437": "cp437",
}
# In ftfy's order (the order it tries them in).
CHARMAP_ENCODINGS = tuple(FTFY_NAMES.values())
NO_A0_RESTORE = ("mac-roman",)
