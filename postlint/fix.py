"""Fixes are data on findings; this module alone applies them.

Edits of non-overlapping fixes are applied in reverse offset order (the first
fix wins an overlap; the others wait for the next pass). Files are written
atomically: a temporary file in the same folder, the original's mode, then a
rename; encoding (UTF-8, with the BOM if there was one) and line endings stay.
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path
from typing import Iterable, NamedTuple

from postlint.diagnostic import Diagnostic, Edit, Fix


class Applied(NamedTuple):
    text: str
    fixed: int  # fixes applied
    skipped: int  # fixes left for a later pass (overlaps)


def applicable(diagnostics: Iterable[Diagnostic], unsafe: bool) -> list[Fix]:
    return [
        d.fix
        for d in diagnostics
        if d.fix is not None and d.fix.edits and (unsafe or d.fix.applicability == "safe")
    ]


def apply_fixes(text: str, fixes: list[Fix]) -> Applied:
    """Apply every fix whose edits overlap no fix taken before it."""
    taken: list[Edit] = []
    fixed = skipped = 0
    ordered = sorted(fixes, key=lambda f: min(e.start for e in f.edits))
    for fix in ordered:
        edits = sorted(fix.edits)
        if any(_overlaps(e, t) for e in edits for t in taken) or any(
            _overlaps(a, b) for a, b in zip(edits, edits[1:])
        ):
            skipped += 1
            continue
        if any(e.start < 0 or e.end > len(text) or e.end < e.start for e in edits):
            skipped += 1
            continue
        taken.extend(edits)
        fixed += 1
    for edit in sorted(taken, reverse=True):
        text = text[: edit.start] + edit.content + text[edit.end :]
    return Applied(text, fixed, skipped)


def _overlaps(a: Edit, b: Edit) -> bool:
    # Two insertions at the same point conflict too: their order would be arbitrary.
    if a.start == a.end == b.start == b.end:
        return True
    return a.start < b.end and b.start < a.end


def encode(text: str, bom: bool) -> bytes:
    return ("\ufeff" + text if bom else text).encode("utf-8")


def write_atomic(path: Path, data: bytes) -> None:
    target = Path(os.path.realpath(path))  # write through a symlink, keep the link
    try:
        mode = stat.S_IMODE(target.stat().st_mode)
    except FileNotFoundError:
        mode = 0o644
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".postlint-tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
