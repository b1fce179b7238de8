"""postlint.lint_post with python-frontmatter, and the example importer
(examples/importer) that refuses to write posts with errors."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import frontmatter  # the test extra installs python-frontmatter: never skipped
import pytest

import postlint
from tests.conftest import REPO, run_cli, write_site

IMPORTER = REPO / "examples" / "importer"


def position(text: str, needle: str) -> tuple[int, int]:
    """1-based (line, column) of `needle` in `text`."""
    offset = text.index(needle)
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def test_positions_point_into_what_frontmatter_dumps_writes(tmp_path: Path) -> None:
    write_site(tmp_path, {})
    post = frontmatter.Post(
        "<p>Wethouder DaniÃ«l opent het café.</p>\n<div>\n",
        layout="post", title="Zonnepanelen", date="Tue, 13 May 2019 10:00:00 +0200", author="DaniÃ«l",
    )
    path = tmp_path / "_posts" / "2019-05-13-zon.md"
    text = frontmatter.dumps(post)
    found = postlint.lint_post(post, path)
    author = position(text, "Ã«l\n")
    body = position(text, "Ã«l opent")
    date = position(text, "Tue,")
    div = position(text, "<div>")
    assert [(d.line, d.column, d.code) for d in found] == sorted([
        (*author, "EN002"), (*date, "DT002"), (*body, "EN002"), (*div, "HT002"),
        (div[0], div[1] + len("<div>"), "HT001"),  # the end of input with the <div> open
    ])
    assert found == postlint.lint_text(path, text)
    # What frontmatter.dump writes is what was linted: the CLI agrees.
    path.parent.mkdir()
    frontmatter.dump(post, path)
    cli = run_cli(["check", "--no-cache", "--output-format", "json", str(path)], cwd=tmp_path).json()
    assert [(d["line"], d["column"], d["code"]) for d in cli["diagnostics"]] == [
        (d.line, d.column, d.code) for d in found
    ]


def test_dumps_arguments_are_passed_on(tmp_path: Path) -> None:
    post = frontmatter.Post("<p>Tekst.</p>\n", title="x", layout="post", author="DaniÃ«l")
    path = tmp_path / "_posts" / "2019-05-13-x.md"
    sorted_keys = postlint.lint_post(post, path)
    as_given = postlint.lint_post(post, path, sort_keys=False)
    assert [d.line for d in sorted_keys] == [position(frontmatter.dumps(post), "Ã")[0]] == [2]
    assert [d.line for d in as_given] == [position(frontmatter.dumps(post, sort_keys=False), "Ã")[0]] == [4]


def test_without_python_frontmatter_a_clear_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setitem(sys.modules, "frontmatter", None)  # import frontmatter now fails
    with pytest.raises(ModuleNotFoundError, match=r"postlint\[frontmatter\]"):
        postlint.lint_post(object(), tmp_path / "_posts/2019-05-13-x.md")


def test_the_importer_writes_clean_posts_and_refuses_those_with_errors(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    write_site(site, {}, "title: Polderpost\ntimezone: Europe/Amsterdam\n")
    out = subprocess.run(
        [sys.executable, str(IMPORTER / "import_feed.py"), str(IMPORTER / "feed.xml"), "site"],
        cwd=tmp_path, capture_output=True, text=True, timeout=120,
    )
    assert out.returncode == 1, out.stderr
    findings = sorted(
        (Path(path).name, int(line), int(column), rest.split()[1])
        for path, line, column, rest in (
            row.split(":", 3) for row in out.stdout.splitlines() if not row.endswith(("written", "errors"))
        )
    )
    assert findings == [
        ("2019-05-13-gemaal-draait-proef-met-nieuwe-pompen.md", 4, 7, "DT002"),   # Tue, 13 May 2019
        ("2019-05-14-dorpshuis-krijgt-zonnepanelen.md", 2, 13, "EN002"),         # author: DaniÃ«l
    ]
    written = sorted(p.name for p in (site / "_posts").iterdir())
    assert written == [
        "2019-05-13-nieuwe-fietsroute-langs-de-ringvaart.md", "2019-05-15-markt-verhuist-naar-het-plein.md",
    ]
    # The posts written pass the CLI.
    check = run_cli(["check", "--no-network", "--no-cache", "."], cwd=site)
    assert check.code == 0, check.out


def test_postlint_check_examples_does_not_lint_the_importer_or_the_plugin() -> None:
    result = run_cli(["check", "--show-files", "examples/"], cwd=REPO)
    shown = result.out.splitlines()
    assert shown and all(line.startswith("examples/_posts/") for line in shown)
