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


def _escape(char: str) -> str:
    named = _NAMED.get(char)
    if named is not None:
        return named
    code = ord(char)
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def _unsafe(char: str) -> bool:
    return unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp", "Cs")


def visible(text: str, *, keep_tabs: bool = False) -> str:
    """`text` with every control, separator and format character escaped."""
    if text.isprintable():  # the common case, in C: nothing to escape
        return text
    return "".join(
        _escape(char) if _unsafe(char) and not (keep_tabs and char == "\t") else char for char in text
    )


def markdown_inline(text: str) -> str:
    """Visible text that Markdown shows as written: no HTML, no emphasis, no
    links, no table cells (the job summary)."""
    text = visible(text)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return re.sub(r"([\\`*_\[\]|~])", r"\\\1", text)
