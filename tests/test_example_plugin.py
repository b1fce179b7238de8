"""examples/plugin, a real installable package: built and installed by pip
(offline: --no-index --no-build-isolation, into a folder of its own), then
run by postlint through its entry points on a small site."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REPO, write_site

PLUGIN = REPO / "examples" / "plugin"


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The plugin installed by pip into a folder that only the subprocesses
    below see (PYTHONPATH): the test venv itself is left as it was. pip
    builds it from a copy, so that no build files land in the repository."""
    base = tmp_path_factory.mktemp("plugin")
    source = base / "src"
    shutil.copytree(PLUGIN, source, ignore=shutil.ignore_patterns("build", "*.egg-info", "__pycache__"))
    target = base / "site-packages"
    out = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-index", "--no-build-isolation",
         "--disable-pip-version-check", "--target", str(target), str(source)],
        capture_output=True, text=True, timeout=300,
    )
    assert out.returncode == 0, out.stderr
    (info,) = target.glob("postlint_example_rules-*.dist-info")
    assert "XA100 = postlint_example_rules.missing_author" in (info / "entry_points.txt").read_text()
    return target


def postlint(installed: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(installed), NO_COLOR="1")
    return subprocess.run(
        [sys.executable, "-m", "postlint", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120
    )


def check_json(installed: Path, site: Path, *paths: str) -> list[tuple[str, int, int, str, str]]:
    args = ["check", "--no-network", "--select", "XA", "--output-format", "json", *paths]
    return findings(postlint(installed, site, *args))


def findings(result: subprocess.CompletedProcess[str]) -> list[tuple[str, int, int, str, str]]:
    assert result.returncode in (0, 1), result.stderr
    doc: Any = json.loads(result.stdout)
    return [(d["path"], d["line"], d["column"], d["code"], d["severity"]) for d in doc["diagnostics"]]


def front(*lines: str) -> str:
    return "---\n" + "".join(line + "\n" for line in lines) + "---\n<p>Tekst.</p>\n"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    write_site(tmp_path, {
        "_posts/2019-05-13-sluizen.md": front("layout: post", "title: Waterschap sluit sluizen"),
        "_posts/2019-05-14-sluizen-dicht.md": front(
            "layout: post", 'title: "waterschap  sluit sluizen"', "author: Anouk de Vries"),
        "_posts/2019-05-15-leeg.md": front("layout: post", "title: Agenda", 'author: ""'),
        "_posts/2019-05-22-agenda.md": front("layout: post", "title: Agenda", "author: Redactie"),
        "_drafts/sluizen.md": front("layout: post", "title: Waterschap sluit sluizen", "author: Ann"),
    })
    return tmp_path


def test_both_rules_run_with_their_codes_and_positions(installed: Path, site: Path) -> None:
    found = check_json(installed, site, ".")
    assert found == [
        ("_posts/2019-05-13-sluizen.md", 1, 1, "XA100", "warning"),      # no author: at the opening ---
        ("_posts/2019-05-13-sluizen.md", 3, 8, "XA200", "error"),        # the title's value
        ("_posts/2019-05-14-sluizen-dicht.md", 3, 8, "XA200", "error"),  # same title, other case and blanks
        ("_posts/2019-05-15-leeg.md", 3, 8, "XA200", "error"),
        ("_posts/2019-05-15-leeg.md", 4, 9, "XA100", "warning"),         # author: "" (the empty value)
        ("_posts/2019-05-22-agenda.md", 3, 8, "XA200", "error"),
    ]
    # A warm run (the site rule's facts from the result cache) finds the same.
    warm = check_json(installed, site, ".")
    assert warm == found


def test_options_severity_selection_and_suppression_apply_to_plugins(installed: Path, site: Path) -> None:
    (site / ".postlint.toml").write_text(
        '[example]\nignore-titles = ["agenda"]\nkey = "auteur"\n[severity]\nduplicate-title = "warning"\n',
        encoding="utf-8",
    )
    found = check_json(installed, site, ".")
    assert sorted((f[0], f[3], f[4]) for f in found) == [
        ("_drafts/sluizen.md", "XA100", "warning"),  # a post rule sees drafts too; XA200 leaves them out
        ("_posts/2019-05-13-sluizen.md", "XA100", "warning"),
        ("_posts/2019-05-13-sluizen.md", "XA200", "warning"),
        ("_posts/2019-05-14-sluizen-dicht.md", "XA100", "warning"),
        ("_posts/2019-05-14-sluizen-dicht.md", "XA200", "warning"),
        ("_posts/2019-05-15-leeg.md", "XA100", "warning"),
        ("_posts/2019-05-22-agenda.md", "XA100", "warning"),
    ]
    (site / ".postlint.toml").write_text("[example]\nkey = 5\n", encoding="utf-8")
    bad = postlint(installed, site, "check", "--no-network", ".")
    assert bad.returncode == 2 and ".postlint.toml:2" in bad.stderr  # the plugin's option schema is checked


def test_the_site_rule_skips_itself_on_single_files(installed: Path, site: Path) -> None:
    found = findings(postlint(
        installed, site, "check", "--no-network", "--select", "XA", "--output-format", "json",
        "_posts/2019-05-13-sluizen.md", "_posts/2019-05-14-sluizen-dicht.md",
    ))
    assert [(f[0], f[3]) for f in found] == [("_posts/2019-05-13-sluizen.md", "XA100")]


def test_the_unsafe_fix_adds_the_default_author(installed: Path, site: Path) -> None:
    (site / ".postlint.toml").write_text('[example]\ndefault = "Redactie"\n', encoding="utf-8")
    post = site / "_posts/2019-05-13-sluizen.md"
    post.write_bytes(post.read_bytes().replace(b"\n", b"\r\n"))
    safe = postlint(installed, site, "check", "--no-network", "--select", "XA100", "--fix", ".")
    assert safe.returncode == 1 and b"author" not in post.read_bytes()  # unsafe: not without --unsafe-fixes
    fixed = postlint(installed, site, "check", "--no-network", "--select", "XA100", "--fix", "--unsafe-fixes", ".")
    assert fixed.returncode == 1, fixed.stderr  # the empty author of 2019-05-15 has no fix
    assert post.read_bytes() == front(
        "author: \"Redactie\"", "layout: post", "title: Waterschap sluit sluizen"
    ).replace("\n", "\r\n").encode()


def test_rule_docs_and_listing_come_from_the_plugin(installed: Path, site: Path) -> None:
    doc = postlint(installed, site, "rule", "XA200")
    assert doc.returncode == 0 and "## What it does" in doc.stdout and "Scope: site" in doc.stdout
    listing = json.loads(postlint(installed, site, "rules", "--output-format", "json").stdout)
    mine = {r["code"]: r["origin"] for r in listing if r["code"].startswith("XA")}
    assert mine == {"XA100": "postlint-example-rules 1.0.0", "XA200": "postlint-example-rules 1.0.0"}


def test_a_plugin_named_postlint_something_stays_out_of_the_built_in_docs() -> None:
    """The README's table and docs/rules.md list postlint's own rules, not
    those of a distribution whose name merely starts with "postlint"."""
    import importlib.util

    from postlint.engine.registry import Registry, load, rule_from_module
    from postlint.integrations.docs import readme_table, rules_markdown

    spec = importlib.util.spec_from_file_location(
        "postlint_example_missing_author", PLUGIN / "src" / "postlint_example_rules" / "missing_author.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    registry = Registry([*load(), rule_from_module(module, "postlint-example-rules 1.0.0")])
    assert "XA100" in registry.rules
    assert "XA100" not in readme_table(registry) and "XA100" not in rules_markdown(registry)
    assert "EN002" in readme_table(registry)
