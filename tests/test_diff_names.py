"""Issue 12, "Smaller": `--diff` output for a file name with a space (or a tab,
quote, backslash, control character or undecodable byte) is a patch that GNU
`patch` and `git apply` both apply. Names are written as git writes them: a
space-holding name ends at a tab; a name with anything else unusual is
C-quoted ("a/\\303\\244.md")."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import POSTLINT, write_site

MOJIBAKE = "---\nlayout: post\ntitle: \"DaniÃ«l opent cafÃ©\"\n---\n<p>DaniÃ«l ging.</p>\n"
FIXED = "---\nlayout: post\ntitle: \"Daniël opent café\"\n---\n<p>Daniël ging.</p>\n"
NAMES = [
    b"2019-05-13-a b.md",
    b"2019-05-13-two  spaces .md",
    b"2019-05-13-tab\there.md",
    b'2019-05-13-say "hi".md',
    b"2019-05-13-back\\slash.md",
    b"2019-05-13-new\nline.md",
    b"2019-05-13-esc\x1b[31m.md",
    b"2019-05-13-caf\xc3\xa9.md",
    "2019-05-13-line\u2028sep\u0085.md".encode("utf-8"),
    b"2019-05-13-latin1-\xe9.md",
]


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{name} is not installed (.ci/run installs it)")
        pytest.skip(f"{name} is not installed")
    return found


def _diff(site: Path) -> bytes:
    result = subprocess.run(
        [POSTLINT, "check", "--no-network", "--no-cache", "--diff", "--select", "EN002", "."],
        cwd=site, capture_output=True,
    )
    assert result.returncode == 1, result.stderr
    return result.stdout


@pytest.mark.parametrize("name", NAMES, ids=[n.decode("utf-8", "backslashreplace") for n in NAMES])
@pytest.mark.parametrize("tool", ["patch", "git"])
def test_diff_applies_for_any_file_name(tmp_path: Path, name: bytes, tool: str) -> None:
    if sys.platform == "darwin" and b"\xe9" in name:
        pytest.skip("APFS refuses names that are not UTF-8")
    site = write_site(tmp_path, {})
    (site / "_posts").mkdir()
    post = os.path.join(os.fsencode(site / "_posts"), name)
    with open(post, "wb") as handle:
        handle.write(MOJIBAKE.encode("utf-8"))
    patch = _diff(site)
    headers = [line for line in patch.split(b"\n") if line.startswith((b"--- ", b"+++ "))]
    assert len(headers) == 2
    for header in headers:  # no raw control character, C1 or line separator in a header
        assert not any(b < 0x20 and b != 0x09 for b in header), header
        assert b"\xe2\x80\xa8" not in header and b"\xc2\x85" not in header
    (site / "fix.patch").write_bytes(patch)
    if tool == "patch":
        command = [_tool("patch"), "-p1", "--batch", "--forward", "-i", "fix.patch"]
    else:
        command = [_tool("git"), "apply", "-p1", "fix.patch"]
    applied = subprocess.run(command, cwd=site, capture_output=True, stdin=subprocess.DEVNULL)
    assert applied.returncode == 0, applied.stdout + applied.stderr
    with open(post, "rb") as handle:
        assert handle.read() == FIXED.encode("utf-8")
    leftovers = sorted(os.listdir(os.fsencode(site / "_posts")))
    assert leftovers == [name]  # patched in place, no stray file under a mangled name
