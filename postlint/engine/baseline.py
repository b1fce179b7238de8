"""A baseline: the findings a site already had when it adopted postlint.

`postlint check --write-baseline FILE` records the current findings;
`postlint check --baseline FILE` then reports only those not recorded. An
entry is matched by the file (relative to the configuration's folder, or the
site's, so any working folder finds it), the rule's code and a fingerprint of
the offending text: the finding's span on its line and a few characters either
side, whitespace folded. The line number plays no part, so an edit above a
finding leaves it matched; entries are counted, so two identical findings in a
file are two entries and a third one is new.

Entries of files that were linted and rules that ran, but that matched no
finding, are stale (the findings were fixed): said in a note, dropped by the
next --write-baseline. A partial run (pre-commit's batches, --select) keeps the
entries of the files and rules it did not look at when it writes the file.

Internal errors (PL000) and fixes that could not be written (PL005) are never
recorded: they say something about this run, not about the posts.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from postlint.model.diagnostic import Diagnostic, cap_per_rule, excerpt_of
from postlint.model.patterns import lazy
from postlint.model.record import NamedTuple

VERSION = 1
NOT_RECORDED = frozenset({"PL000", "PL005"})
# Characters of the line either side of the span that go into the fingerprint:
# enough to tell two equal spans on different lines apart, few enough that an
# edit a little further along the line leaves the entry matched.
CONTEXT = 12
# Of the span's text, kept in the file for the reader (the fingerprint covers
# it whole).
TEXT_SHOWN = 60

Key = tuple[str, str, str]  # (path relative to the root, code, fingerprint)


class BaselineError(Exception):
    """A baseline file that cannot be used: exit status 2."""


class Entry(NamedTuple):
    path: str
    code: str
    fingerprint: str
    text: str

    @property
    def key(self) -> Key:
        return (self.path, self.code, self.fingerprint)


def _fold(text: str) -> str:
    return " ".join(text.split())


def _clean(text: str) -> str:
    """Text that JSON in UTF-8 can hold: a lone surrogate (an undecodable
    byte, kept as surrogateescape) becomes U+FFFD."""
    return text.encode("utf-8", "replace").decode("utf-8") if any("\ud800" <= c <= "\udfff" for c in text) else text


def span_parts(d: Diagnostic) -> tuple[str, str, str]:
    """(before, span, after) of a finding, cut from its window of the line."""
    text, start, _ = excerpt_of(d.source_line)
    if not text:
        return "", "", ""
    first = max(0, min(len(text), d.column - start))
    last = d.end_column - start if d.end_line == d.line else len(text)
    last = max(first, min(len(text), last))
    return text[max(0, first - CONTEXT):first], text[first:last], text[last:last + CONTEXT]


def fingerprint(d: Diagnostic) -> str:
    before, span, after = (_fold(part) for part in span_parts(d))
    material = f"{d.code}\0{before}\0{span}\0{after}"
    return hashlib.sha256(material.encode("utf-8", "surrogatepass")).hexdigest()[:20]


def shown_text(d: Diagnostic) -> str:
    """The span for the reader of the file (and of its diff): control, bidi
    and invisible characters shown escaped (`\\u202e`), as the reporters show them."""
    from postlint.model.escape import visible

    span = _fold(span_parts(d)[1])
    span = span if len(span) <= TEXT_SHOWN else span[: TEXT_SHOWN - 1] + "\u2026"
    return _clean(visible(span))


class _Paths:
    """Display path of a finding -> path relative to the root (remembered)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._seen: dict[str, str] = {}

    def __call__(self, display: str) -> str:
        known = self._seen.get(display)
        if known is None:
            from postlint.engine.discover import relative_path

            known = self._seen[display] = relative_path(Path(display), self.root)
        return known


class Baseline:
    def __init__(self, entries: Iterable[Entry] = (), source: Path | None = None) -> None:
        self.entries = sorted(entries)
        self.source = source
        self.counts: Counter[Key] = Counter(e.key for e in self.entries)

    def __len__(self) -> int:
        return len(self.entries)

    # -- reading and writing ------------------------------------------------------

    @classmethod
    def load(cls, path: Path) -> Baseline:
        if not path.exists():
            raise BaselineError(f"{path}: no such baseline file (write one with --write-baseline {path})")
        if path.is_dir():
            raise BaselineError(f"{path}: is a folder, not a baseline file")
        try:
            doc = json.loads(path.read_bytes().decode("utf-8"))
        except (OSError, UnicodeDecodeError, ValueError, RecursionError) as exc:
            raise BaselineError(f"{path}: not a postlint baseline (cannot read it as JSON: {exc})") from None
        problem = _problem(doc)
        if problem:
            raise BaselineError(f"{path}: not a postlint baseline ({problem}); write it again with --write-baseline")
        entries = [Entry(f["path"], f["code"], f["fingerprint"], f.get("text", "")) for f in doc["findings"]]
        return cls(entries, path)

    def dumps(self) -> str:
        doc = {
            "version": VERSION,
            "tool": "postlint",
            "findings": [
                {"path": e.path, "code": e.code, "fingerprint": e.fingerprint, "text": e.text} for e in self.entries
            ],
        }
        return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"

    def write(self, path: Path) -> None:
        """Atomically: a reader sees the old file or the new one, never half."""
        text = self.dumps().encode("utf-8")
        folder = path.parent if str(path.parent) else Path(".")
        try:
            folder.mkdir(parents=True, exist_ok=True)
            mode = path.stat().st_mode & 0o777 if path.is_file() else None
            fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
        except OSError as exc:
            raise BaselineError(f"cannot write {path}: {exc.strerror or exc}") from None
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(text)
            if mode is None:
                umask = os.umask(0)
                os.umask(umask)
                mode = 0o666 & ~umask
            os.chmod(tmp, mode)
            os.replace(tmp, path)
        except OSError as exc:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            raise BaselineError(f"cannot write {path}: {exc.strerror or exc}") from None

    # -- matching -------------------------------------------------------------------

    def keeper(self, root: Path) -> Callable[[list[Diagnostic]], list[Diagnostic]]:
        """The findings of a list that the baseline does not hold (each entry
        answers for one finding): what --fix may change."""
        paths = _Paths(root)

        def keep(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
            return self.split(diagnostics, paths)[0]

        return keep

    def split(self, diagnostics: list[Diagnostic], paths: _Paths) -> tuple[list[Diagnostic], list[Key]]:
        """(findings not in the baseline, keys of those that were)."""
        left = Counter(self.counts)
        new: list[Diagnostic] = []
        matched: list[Key] = []
        for d in diagnostics:
            if d.code in NOT_RECORDED:
                new.append(d)
                continue
            key = (paths(d.path), d.code, fingerprint(d))
            if left[key] > 0:
                left[key] -= 1
                matched.append(key)
            else:
                new.append(d)
        return new, matched


class Applied(NamedTuple):
    diagnostics: list[Diagnostic]
    notes: list[str]
    written: Baseline | None = None


# The schema's patterns, searched as jsonschema searches them.
_CODE = lazy(r"^[A-Z]{1,4}[0-9]{3}$")
_FINGERPRINT = lazy(r"^[0-9a-f]{8,64}$")
_ENTRY_KEYS = frozenset({"path", "code", "fingerprint", "text"})


def _well_formed(doc: Any) -> bool:
    """What schemas/baseline.schema.json says, checked directly: a baseline of
    100,000 entries is read in a fraction of the time the validator takes.
    Only a file that fails this is given to the validator, for its message."""
    version = doc.get("version") if isinstance(doc, dict) else None
    if isinstance(version, bool) or version != 1 or not set(doc) <= {"version", "tool", "findings"}:
        return False
    if "tool" in doc and doc["tool"] != "postlint":
        return False
    entries = doc.get("findings")
    if not isinstance(entries, list):
        return False
    for e in entries:
        if not (
            isinstance(e, dict) and e.keys() <= _ENTRY_KEYS
            and isinstance(e.get("path"), str) and e["path"]
            and isinstance(e.get("code"), str) and _CODE.search(e["code"])
            and isinstance(e.get("fingerprint"), str) and _FINGERPRINT.search(e["fingerprint"])
            and isinstance(e.get("text", ""), str)
        ):
            return False
    return True


def _problem(doc: Any) -> str | None:
    if _well_formed(doc):
        return None
    from jsonschema import Draft202012Validator

    validator = Draft202012Validator(schema())
    error = next(iter(sorted(validator.iter_errors(doc), key=lambda e: list(map(str, e.absolute_path)))), None)
    if error is None:  # the schema takes what the direct check did not: the direct check decides
        return "not in the form schemas/baseline.schema.json describes"
    where = "/".join(str(p) for p in error.absolute_path)
    return f"{where}: {error.message}" if where else error.message


def schema() -> dict[str, Any]:
    """The JSON Schema of a baseline file (schemas/baseline.schema.json)."""
    from importlib import resources

    schema: dict[str, Any] = json.loads(
        (resources.files("postlint.schemas") / "baseline.schema.json").read_text(encoding="utf-8")
    )
    return schema


def apply(
    diagnostics: list[Diagnostic],
    *,
    root: Path,
    linted: Iterable[Path],
    ran: Iterable[str],
    baseline: Baseline | None,
    write_to: Path | None,
    cap: int,
) -> Applied:
    """The findings to report after the baseline (and, with `write_to`, after
    recording them all there), capped per rule and file as the run would have
    been, and the notes to say on standard error."""
    from postlint.engine.linter import sort_diagnostics

    paths = _Paths(root)
    linted_paths = {paths(str(p)) for p in linted}
    ran_codes = set(ran)
    notes: list[str] = []
    written: Baseline | None = None
    if write_to is not None:
        current = [
            Entry(paths(d.path), d.code, fingerprint(d), shown_text(d))
            for d in diagnostics
            if d.code not in NOT_RECORDED
        ]
        previous = baseline if baseline is not None and baseline.source == write_to else _existing(write_to)
        kept = [
            e for e in (previous.entries if previous else [])
            if (e.path not in linted_paths and (root / e.path).exists()) or e.code not in ran_codes
        ]
        written = Baseline(current + kept, write_to)
        written.write(write_to)
        n = len(current)
        kept_note = f" (and kept {len(kept)} of files or rules this run did not check)" if kept else ""
        notes.append(f"wrote {n} baseline entr{'ies' if n != 1 else 'y'} to {write_to}{kept_note}")
        baseline = written
    assert baseline is not None
    new, matched = baseline.split(diagnostics, paths)
    if write_to is None:
        if matched:
            n = len(matched)
            notes.append(f"{n} finding{'s' if n != 1 else ''} in the baseline {baseline.source} not shown")
        unmatched = baseline.counts - Counter(matched)
        stale = sum(
            count for (path, code, _), count in unmatched.items() if path in linted_paths and code in ran_codes
        )
        if stale:
            notes.append(
                f"{stale} baseline entr{'ies' if stale != 1 else 'y'} no longer match (fixed); "
                f"run --write-baseline {baseline.source} to prune"
            )
    if cap > 0:
        by_file: dict[str, list[Diagnostic]] = {}
        for d in new:
            by_file.setdefault(d.path, []).append(d)
        new = [d for group in by_file.values() for d in cap_per_rule(group, cap)]
    return Applied(sort_diagnostics(new), notes, written)


def _existing(path: Path) -> Baseline | None:
    """The baseline already at `path`, if it is one (a partial run keeps the
    entries it did not look at); else nothing to keep."""
    if not path.is_file():
        return None
    try:
        return Baseline.load(path)
    except BaselineError:
        return None
