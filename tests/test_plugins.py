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


# -- families: one module, several codes, one pass -----------------------------------

FAMILY = textwrap.dedent(
    '''
    """Front-matter words this newsroom avoids (XF001, XF002)."""

    SCOPE = "post"
    OPTIONS_TABLE = "words"
    OPTIONS = {"words": {"type": "array", "items": {"type": "string"}, "default": ["TODO"]}}
    RULES = {
        "XF001": {"name": "word-in-title", "severity": "error", "doc": "A title holds an avoided word.\\n\\nLong."},
        "XF002": {"name": "word-in-summary", "severity": "warning", "fix": "safe",
                  "doc": "A summary holds an avoided word.\\n\\nLonger."},
    }
    CALLS = []


    def check(post, options):
        CALLS.append(post.path)
        for key, code in (("title", "XF001"), ("summary", "XF002")):
            value = post.data.get(key) if post.front_matter is not None else None
            if isinstance(value, str) and any(w in value for w in options["words"]):
                start, end = post.locate((key,))
                yield post.diagnostic(code, start, end, f"{key} holds an avoided word")
    '''
)


def _family_module(source: str = FAMILY, name: str = "xf_family"):  # type: ignore[no-untyped-def]
    import types

    module = types.ModuleType(name)
    exec(compile(source, name, "exec"), module.__dict__)  # noqa: S102 - the plugin's own text, written above
    return module


def _family_lint(select: list[str], severity: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    from postlint.engine.config import Settings
    from postlint.engine.linter import Linter
    from postlint.engine.registry import Registry, load, rules_from_module
    from postlint.model.site import Site

    module = _family_module()
    registry = Registry([*load(), *rules_from_module(module, "xf 1.0", "XF")])
    settings = Settings(root=Path("."), select=select, severity=severity or {})
    linter = Linter(settings, registry, Site(), network=False)
    text = "---\ntitle: TODO titel\nsummary: TODO samenvatting\n---\nbody\n"
    found = linter.lint_source("_posts/2019-05-13-a.md", text.encode())[1].diagnostics
    return module, registry, sorted((d.code, d.line, d.severity) for d in found)


def test_a_family_provides_several_codes_with_their_own_metadata() -> None:
    _, registry, _ = _family_lint(["XF"])
    one, two = registry.get("XF001"), registry.get("word-in-summary")
    assert one is not None and two is not None
    assert (one.name, one.severity, one.fix, one.table) == ("word-in-title", "error", None, "words")
    assert (two.code, two.severity, two.fix) == ("XF002", "warning", "safe")
    assert one.doc.startswith("A title holds") and two.doc.startswith("A summary holds")
    assert one.key == two.key == "XF"


def test_a_family_runs_once_per_post_for_all_its_codes() -> None:
    module, _, found = _family_lint(["XF"])
    assert found == [("XF001", 2, "error"), ("XF002", 3, "warning")]
    assert module.CALLS == ["_posts/2019-05-13-a.md"]  # one call, two codes


@pytest.mark.parametrize(("select", "expected"), [
    (["XF001"], [("XF001", 2, "error")]),
    (["word-in-summary"], [("XF002", 3, "warning")]),
    (["ALL"], [("XF001", 2, "error"), ("XF002", 3, "warning")]),
])
def test_a_family_reports_only_the_codes_selected(select: list[str], expected: list[tuple[str, int, str]]) -> None:
    module, _, found = _family_lint(select)
    assert [f for f in found if f[0].startswith("XF")] == expected
    assert len(module.CALLS) == 1


def test_a_family_codes_severities_are_configured_one_by_one() -> None:
    _, _, found = _family_lint(["XF"], {"XF002": "error", "XF001": "info"})
    assert found == [("XF001", 2, "info"), ("XF002", 3, "error")]


@pytest.mark.parametrize("broken", [
    'RULES = {"XF001": {"name": "Bad Name", "doc": "x"}}',           # not kebab-case
    'RULES = {"YY001": {"name": "ok", "doc": "x"}}',                 # not under the entry point's prefix
    'RULES = {"XF001": {"name": "ok"}}',                             # no docs
    'RULES = {"XF001": {"name": "ok", "doc": "x", "colour": 1}}',    # unknown metadata
    'RULES = {"XF001": {"name": "ok", "doc": "x", "severity": "fatal"}}',
    'RULES = []',
])
def test_a_family_metadata_is_checked(broken: str) -> None:
    from postlint.engine.registry import RuleError, rules_from_module

    module = _family_module(FAMILY + "\n" + broken + "\n")
    with pytest.raises(RuleError):
        rules_from_module(module, "xf 1.0", "XF")


def _installed(tmp_path: Path, modules: dict[str, str], entry_points: str) -> Path:
    site = tmp_path / "plugins"
    for name, source in modules.items():
        (site / name).mkdir(parents=True)
        (site / name / "__init__.py").write_text(source, encoding="utf-8")
    info = site / "postlint_more-2.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: postlint-more\nVersion: 2.0\n", encoding="utf-8")
    (info / "entry_points.txt").write_text("[postlint.rules]\n" + entry_points, encoding="utf-8")
    return site


def test_an_installed_family_runs_under_its_prefix(tmp_path: Path) -> None:
    plugins = _installed(tmp_path, {"xf_family": FAMILY}, "XF = xf_family\n")
    posts = tmp_path / "site" / "_posts"
    posts.mkdir(parents=True)
    (posts / "2019-05-13-a.md").write_text("---\ntitle: TODO\nsummary: TODO\n---\nbody\n", encoding="utf-8")
    site = tmp_path / "site"
    checked = run(["check", "--no-cache", "--select", "XF002", "--output-format", "json", "."], site, plugins)
    assert checked.returncode == 1, checked.stderr
    found = [(d["code"], d["line"], d["column"]) for d in json.loads(checked.stdout)["diagnostics"]]
    assert found == [("XF002", 3, 10)]
    doc = run(["rule", "XF002"], site, plugins)
    assert doc.returncode == 0 and "A summary holds an avoided word." in doc.stdout


def test_a_plugin_that_fails_to_load_is_named_and_left_out(tmp_path: Path) -> None:
    """An import error and metadata of the wrong shape: each plugin is named on
    standard error, and the run goes on with the rules that loaded."""
    plugins = _installed(
        tmp_path,
        {"xb_import": "import no_such_module_anywhere\n", "xb_shape": 'CODE = "not a code"\nNAME = "x"\n',
         "xf_family": FAMILY},
        "XB001 = xb_import\nXB002 = xb_shape\nXF = xf_family\n",
    )
    posts = tmp_path / "site" / "_posts"
    posts.mkdir(parents=True)
    (posts / "2019-05-13-a.md").write_text("---\ntitle: TODO\n---\nbody\n", encoding="utf-8")
    site = tmp_path / "site"
    checked = run(["check", "--no-cache", "--no-network", "--output-format", "json", "."], site, plugins)
    assert checked.returncode == 1, checked.stderr
    warnings = [line for line in checked.stderr.splitlines() if "failed to load" in line]
    assert len(warnings) == 2, checked.stderr
    assert "XB001 = xb_import (postlint-more 2.0)" in warnings[0] and "ModuleNotFoundError" in warnings[0]
    assert "XB002 = xb_shape (postlint-more 2.0)" in warnings[1] and "CODE" in warnings[1]
    codes = {d["code"] for d in json.loads(checked.stdout)["diagnostics"]}
    assert "XF001" in codes  # the plugin that loaded ran
    # Selecting a left-out plugin's code is a usage error (exit 2), not a silent pass.
    selected = run(["check", "--no-cache", "--select", "XB001", "."], site, plugins)
    assert selected.returncode == 2


def test_the_api_warns_of_a_plugin_left_out(tmp_path: Path) -> None:
    plugins = _installed(tmp_path, {"xb_import": "import no_such_module_anywhere\n"}, "XB001 = xb_import\n")
    code = (
        "import warnings, postlint\n"
        "with warnings.catch_warnings(record=True) as caught:\n"
        "    warnings.simplefilter('always')\n"
        "    found = postlint.lint_text('_posts/2019-05-13-a.md', '---\\ntitle: x\\n---\\n<div>\\n')\n"
        "print([str(w.message) for w in caught if w.category is RuntimeWarning])\n"
        "print(sorted({d.code for d in found}))\n"
    )
    env = dict(os.environ, PYTHONPATH=str(plugins))
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    warned, codes = done.stdout.splitlines()
    assert "XB001 = xb_import" in warned and "failed to load" in warned
    assert "HT002" in codes  # the rules that loaded ran
