"""The `postlint` command's entry point: postlint.cli's main, imported with
the cyclic garbage collector paused, and the process ended without tearing
the interpreter down.

Importing the command line, the engine and the rules makes some hundred
thousand objects (modules, functions, classes, compiled patterns) that all
live until the process ends: every collection during the imports walks them
and finds nothing to free (about 5% of a one-post run). They are then frozen
(gc.freeze): later collections, while posts are linted, skip them as well.
A collection then waits for 30,000 new objects, not 700: the rules' modules
imported on the first posts and each post's results made the default's 25
collections on the Jekyll corpus (6 ms of its 150), 100 on 2,000 feed posts
(38 ms); at most 30,000 objects of cycles wait (7 MB more at the peak of
10,000 posts, benchmarks/bench_site.py: 105 -> 112 MB). Only the command
does this; importing postlint.cli leaves the collector as it is.

When a check is done and no other thread runs (a pool left running, whose
threads the interpreter would join, ends the ordinary way), its output is
flushed, atexit's handlers run (multiprocessing's among them), and the
process ends with os._exit: freeing every module and every post's result one by one
is 30-45 ms of a ruby-lang.org run, and nothing is left to write (each file
postlint writes is closed, or replaced atomically, before main returns).
The language server, `python -m postlint` and callers in Python end the
ordinary way.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

# New objects (allocations less deallocations) that start a collection.
_YOUNG = 30_000


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
    young, *older = gc.get_threshold()
    if 0 < young < _YOUNG:
        gc.set_threshold(_YOUNG, *older)
    return cli_main(argv)


def command() -> int:
    """The console script `postlint`: main, then a quick end (see above)
    unless it ran the language server. `python -m postlint` and callers in
    Python get main's status back and end the ordinary way."""
    status = main()
    if sys.argv[1:2] != ["server"]:
        _end(status)
    return status


def _end(status: int) -> None:
    """Flush, run the exit handlers, and end the process with `status`;
    returns (the interpreter exits the ordinary way) if the output cannot be
    flushed, so that the error is reported as it would be."""
    import atexit
    import os
    import threading

    if any(t is not threading.main_thread() and not t.daemon for t in threading.enumerate()):
        return                              # the interpreter joins them (concurrent.futures' workers)
    if not _flushed():
        return
    atexit._run_exitfuncs()
    if _flushed():
        os._exit(status)


def _flushed() -> bool:
    """Whether standard output and error could be flushed."""
    try:
        for stream in (sys.stdout, sys.stderr):
            if stream is not None:
                stream.flush()
    except (OSError, ValueError):
        return False
    return True
