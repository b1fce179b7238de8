"""Issue 12, point 3, for JSON and SARIF: C1 controls (U+009B is a terminal's
CSI), DEL, U+2028/9 and bidi controls from file names and post text are
written as \\uXXXX escapes, never raw; the documents decode to the same
strings."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.conftest import POSTLINT, write_site

UNSAFE = ["\x7f", "\x85", "\x9b", "\u2028", "\u2029", "\u202e", "\u2067"]
NAME = "2019-05-13-x\x9b2J\u2028\u202e.md"
BODY = "---\nlayout: post\ntitle: \"DaniÃ«l \x9b31m \u2028 \u202e \x85 \x7f\"\n---\n<p>DaniÃ«l \u2029\u2067 ging.</p>\n"


@pytest.mark.parametrize("output_format", ["json", "sarif"])
def test_no_raw_c1_or_separator_in_json_documents(tmp_path: Path, output_format: str) -> None:
    write_site(tmp_path, {"_posts/" + NAME: BODY})
    result = subprocess.run(
        [POSTLINT, "check", "--no-network", "--no-cache", "--output-format", output_format, "."],
        cwd=tmp_path, capture_output=True,
    )
    assert result.returncode == 1, result.stderr
    text = result.stdout.decode("utf-8")  # valid UTF-8
    found = [char for char in UNSAFE if char in text]
    assert found == []
    doc = json.loads(text)
    if output_format == "json":  # (SARIF percent-encodes it in a URI)
        # the name decodes to itself
        assert {d["path"] for d in doc["diagnostics"]} == {"_posts/" + NAME}
        assert "EN002" in {d["code"] for d in doc["diagnostics"]}
