"""Refactoring and speed work must not change what postlint finds (issues 13
and 14): the findings on examples/ and on every corpus in ../shared/corpora,
offline, are compared with tests/data/findings.json, recorded before the
architecture work began.

A change that *means* to change findings re-records the file, and its commit
says why: ``POSTLINT_RECORD_FINDINGS=1 .venv/bin/pytest tests/test_unchanged_findings.py``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
RECORD = REPO / "tests" / "data" / "findings.json"
CORPORA = sorted(p.name for p in (SHARED / "corpora").iterdir() if p.is_dir()) if (SHARED / "corpora").is_dir() else []
# DT005 (future dates) judges against the clock: pinned.
NOW = "2026-06-01T00:00:00+00:00"


def _findings(folder: Path) -> list[list[object]]:
    env = dict(os.environ, POSTLINT_NOW=NOW)
    run = subprocess.run(
        [sys.executable, "-m", "postlint", "check", "--no-network", "--no-cache", "--output-format", "json", "."],
        cwd=folder, env=env, capture_output=True, text=True, timeout=900,
    )
    assert run.returncode in (0, 1), run.stderr
    return sorted(
        [d["path"], d["line"], d["column"], d["end_line"], d["end_column"], d["code"]]
        for d in (json.loads(line.rstrip(",")) for line in run.stdout.splitlines()[1:-1])
    )


def _recorded() -> dict[str, list[list[object]]]:
    return json.loads(RECORD.read_text(encoding="utf-8")) if RECORD.exists() else {}


@pytest.mark.parametrize("name", ["examples", *CORPORA])
def test_findings_are_the_recorded_ones(name: str) -> None:
    folder = REPO / "examples" if name == "examples" else SHARED / "corpora" / name
    found = _findings(folder)
    if os.environ.get("POSTLINT_RECORD_FINDINGS"):
        recorded = _recorded()
        recorded[name] = found
        RECORD.write_text(json.dumps(recorded, indent=0, sort_keys=True) + "\n", encoding="utf-8")
    assert name in _recorded(), f"no recorded findings for {name}"
    assert found == _recorded()[name]


def test_every_corpus_is_compared() -> None:
    # The corpora are part of the checkout's neighbourhood in CI as here:
    # a missing folder must not silently turn this into a test of nothing.
    assert len(CORPORA) >= 3
    assert set(_recorded()) == {"examples", *CORPORA}
