"""The `postlint` command's entry point: postlint.cli's main, imported with
the cyclic garbage collector paused.

Importing the command line, the engine and the rules makes some hundred
thousand objects (modules, functions, classes, compiled patterns) that all
live until the process ends: every collection during the imports walks them
and finds nothing to free (about 5% of a one-post run). They are then frozen
(gc.freeze): later collections, while posts are linted, skip them as well.
Only the command does this; importing postlint.cli leaves the collector as
it is.
"""

from __future__ import annotations

from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    import gc

    enabled = gc.isenabled()
    gc.disable()
    try:
        from postlint.cli import main as cli_main
    finally:
        gc.freeze()
        if enabled:
            gc.enable()
    return cli_main(argv)
