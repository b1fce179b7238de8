"""A third-party rule package, found through its entry point like the built-ins."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

PLUGIN = textwrap.dedent(
    '''
    """Posts must name an author.

    ## What it does
    Checks that the front matter has an `author` key.

    ## Why is this bad?
    Our site shows the author under every post.

    ## Example
    ```yaml
    title: x
    ```

    ## Use instead
    ```yaml
    title: x
    author: Ann
    ```

    ## Options
    `key`: the key to require.
    """

    CODE = "XA100"
    NAME = "missing-author"
    SCOPE = "post"
    SEVERITY = "warning"
    OPTIONS_TABLE = "example"
    OPTIONS = {"key": {"type": "string", "default": "author"}}


    def check(post, options):
        if post.front_matter is not None and options["key"] not in post.data:
            fm = post.front_matter
            yield post.diagnostic(CODE, fm.start, fm.start + 3, f"no '{options['key']}' key")
    '''
)


@pytest.fixture
def plugin_path(tmp_path: Path) -> Path:
    """An installed-looking distribution: a module plus its dist-info with an entry point."""
    site = tmp_path / "plugins"
    (site / "postlint_example").mkdir(parents=True)
    (site / "postlint_example" / "__init__.py").write_text(PLUGIN, encoding="utf-8")
    info = site / "postlint_example-1.2.3.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: postlint-example\nVersion: 1.2.3\n", encoding="utf-8")
    (info / "entry_points.txt").write_text("[postlint.rules]\nXA100 = postlint_example\n", encoding="utf-8")
    return site


def run(args: list[str], cwd: Path, plugin_path: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(plugin_path), NO_COLOR="1")
    return subprocess.run(
        [sys.executable, "-m", "postlint", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120
    )


def test_plugin_is_listed_selectable_and_runs(tmp_path: Path, plugin_path: Path) -> None:
    posts = tmp_path / "site" / "_posts"
    posts.mkdir(parents=True)
    (posts / "2019-05-13-a.md").write_text("---\ntitle: x\n---\nbody\n", encoding="utf-8")
    (posts / "2019-05-14-b.md").write_text("---\ntitle: x\nauthor: Ann\n---\nbody\n", encoding="utf-8")
    site = tmp_path / "site"

    listed = run(["rules", "--output-format", "json"], site, plugin_path)
    assert listed.returncode == 0, listed.stderr
    [record] = [r for r in json.loads(listed.stdout) if r["code"] == "XA100"]
    assert record["name"] == "missing-author" and record["origin"] == "postlint-example 1.2.3"

    checked = run(["check", "--select", "XA100", "--output-format", "json", "."], site, plugin_path)
    assert checked.returncode == 1, checked.stderr
    found = [
        (d["path"], d["line"], d["column"], d["code"], d["severity"]) for d in json.loads(checked.stdout)["diagnostics"]
    ]
    assert found == [("_posts/2019-05-13-a.md", 1, 1, "XA100", "warning")]

    # Its options come from its own table, validated like the built-ins'.
    (site / ".postlint.toml").write_text('[example]\nkey = "title"\n', encoding="utf-8")
    assert run(["check", "--select", "missing-author", "."], site, plugin_path).returncode == 0
    (site / ".postlint.toml").write_text('[example]\nkey = 3\n', encoding="utf-8")
    bad = run(["check", "."], site, plugin_path)
    assert bad.returncode == 2 and ".postlint.toml:2" in bad.stderr

    doc = run(["rule", "XA100"], site, plugin_path)
    assert doc.returncode == 0 and "## What it does" in doc.stdout

    # Without the plugin on the path the code is unknown: a usage error.
    env_free = subprocess.run(
        [sys.executable, "-m", "postlint", "check", "--select", "XA100", "."],
        cwd=site, capture_output=True, text=True, timeout=120, env=dict(os.environ, NO_COLOR="1"),
    )
    assert env_free.returncode == 2
