"""`postlint server`: the language server (LSP over standard input and output).

Built on pygls, an optional dependency: ``pip install 'postlint[lsp]'``. See
server.py for what it does, and the README for the editors' setup.
"""

from __future__ import annotations

from typing import TextIO


def serve(err: TextIO) -> int:
    """Run the server until the client says exit; 2 when pygls is missing."""
    try:
        from postlint.integrations.lsp.server import start
    except ModuleNotFoundError as exc:
        if (exc.name or "").split(".")[0] not in ("pygls", "lsprotocol", "cattrs", "attrs"):
            raise
        print(
            "postlint: error: `postlint server` needs pygls: pip install 'postlint[lsp]'",
            file=err,
        )
        return 2
    return start()
