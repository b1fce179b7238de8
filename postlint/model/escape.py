"""Text from outside (server replies, file names, post text) made safe for an
output that a program interprets: a terminal, a GitHub workflow command, a
Markdown job summary.

Control characters (C0 with CR, LF and ESC; DEL; C1), line and paragraph
separators (U+2028/9), format characters (bidi overrides, zero-width ones) and
lone surrogates are shown escaped, visibly (`\\r`, `\\x1b`, `\\u2028`), so they can
neither move the cursor, forge a workflow command nor hide text.
"""

from __future__ import annotations

import re
import unicodedata

_NAMED = {"\r": "\\r", "\n": "\\n", "\t": "\\t"}


def escape_char(char: str) -> str:
    """How one unsafe character is shown: `\\r`, `\\x1b`, `\\u2028`; a byte that
    was not UTF-8 (a file name decoded with surrogateescape) as `\\xNN`."""
    named = _NAMED.get(char)
    if named is not None:
        return named
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:
        return f"\\x{code - 0xDC00:02x}"
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def unsafe(char: str) -> bool:
    """Whether `char` must not reach an output raw."""
    return unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp", "Cs")


def visible(text: str, *, keep_tabs: bool = False) -> str:
    """`text` with every control, separator and format character escaped."""
    if text.isprintable():  # the common case, in C: nothing to escape
        return text
    return "".join(
        escape_char(char) if unsafe(char) and not (keep_tabs and char == "\t") else char for char in text
    )


def markdown_inline(text: str) -> str:
    """Visible text that Markdown shows as written: no HTML, no emphasis, no
    links, no table cells (the job summary)."""
    text = visible(text)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return re.sub(r"([\\`*_\[\]|~])", r"\\\1", text)
