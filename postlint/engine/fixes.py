"""Fixes are data on findings; this module alone applies them.

Edits of non-overlapping fixes are applied in reverse offset order (the first
fix wins an overlap; the others wait for the next pass). Files are written
atomically: a temporary file in the same folder, the original's mode, then a
rename; encoding (UTF-8, with the BOM if there was one) and line endings stay.
Writing is postlint.files.safe.write_fixed: never through a symbolic link, never
over a read-only file or one with other hard links; mode, owner and group are
kept, and a refusal or failure is a PL005 finding for that file.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import pairwise
from pathlib import Path

from postlint.model.diagnostic import Diagnostic, Edit, Fix
from postlint.model.record import NamedTuple


class Applied(NamedTuple):
    text: str
    fixed: int  # fixes applied
    skipped: int  # fixes left for a later pass (overlaps)


def applicable(diagnostics: Iterable[Diagnostic], unsafe: bool) -> list[Fix]:
    return [
        fix
        for d in diagnostics
        if d.fix is not None
        # A finding that sums up others (max-findings-per-rule) carries their fixes.
        for fix in (d.fix.parts or (d.fix,))
        if fix.edits and (unsafe or fix.applicability == "safe")
    ]


def apply_fixes(text: str, fixes: list[Fix], *, first: list[Fix] | None = None) -> Applied:
    """Apply every fix whose edits overlap no fix taken before it; the fixes
    of `first` (a site rule's, computed on this text too) are taken before
    any of `fixes`.

    Linear in the number of edits: fixes are taken in order of their first
    edit and kept in an interval set sorted by offset, and the text is built
    once from slices.
    """
    from bisect import insort

    taken: list[tuple[int, int]] = []  # (start, end) of edits taken, sorted
    accepted: list[Edit] = []
    fixed = skipped = 0
    order = [*sorted(first or (), key=_first_edit), *sorted(fixes, key=_first_edit)]
    for fix in order:
        edits = sorted(fix.edits)
        if any(e.start < 0 or e.end > len(text) or e.end < e.start for e in edits) or any(
            _overlaps(a, b) for a, b in pairwise(edits)
        ):
            skipped += 1
            continue
        if any(_clashes(taken, e) for e in edits):
            skipped += 1
            continue
        for e in edits:
            insort(taken, (e.start, e.end))
        accepted.extend(edits)
        fixed += 1
    if not accepted:
        return Applied(text, fixed, skipped)
    parts: list[str] = []
    position = 0
    for edit in sorted(accepted):
        parts.append(text[position : edit.start])
        parts.append(edit.content)
        position = edit.end
    parts.append(text[position:])
    return Applied("".join(parts), fixed, skipped)


def _first_edit(fix: Fix) -> int:
    return min(e.start for e in fix.edits)


def _clashes(taken: list[tuple[int, int]], edit: Edit) -> bool:
    """Does `edit` overlap an edit taken already? Only the neighbours in the
    sorted list can."""
    from bisect import bisect_left

    i = bisect_left(taken, (edit.start, edit.end))
    return any(0 <= j < len(taken) and _overlaps(edit, Edit(taken[j][0], taken[j][1], "")) for j in (i - 1, i))


def _overlaps(a: Edit, b: Edit) -> bool:
    # Two insertions at the same point conflict too: their order would be arbitrary.
    if a.start == a.end == b.start == b.end:
        return True
    return a.start < b.end and b.start < a.end


def encode(text: str, bom: bool) -> bytes:
    return ("\ufeff" + text if bom else text).encode("utf-8")


def write_atomic(path: Path, data: bytes) -> None:
    """Replace the post at `path` by `data` (postlint.files.safe.write_fixed: never
    through a link, keeping mode, owner and hard links; raises its Refused or
    WriteFailed)."""
    from postlint.files.safe import write_fixed

    write_fixed(str(path), data)
