"""The public Python API (postlint.api, re-exported from postlint): the same
findings as the CLI for the same input, configuration and site found from
the path, fixes applied to text, network rules only when asked."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import postlint
from tests.conftest import REPO, post_text, run_cli, write_site
from tests.net.conftest import net_rule, server  # noqa: F401 - fixtures (net_rule is autouse)
from tests.net.server import TestServer, reply

EXAMPLES = REPO / "examples"


def as_json(d: postlint.Diagnostic) -> dict[str, Any]:
    """A Diagnostic in the shape of the JSON report's findings (name aside)."""
    return {
        "path": d.path, "line": d.line, "column": d.column, "end_line": d.end_line,
        "end_column": d.end_column, "code": d.code, "severity": d.severity, "message": d.message,
        "not_shown": d.not_shown,
        "fix": None if d.fix is None else {
            "applicability": d.fix.applicability,
            "edits": [{"start": e.start, "end": e.end, "content": e.content} for e in d.fix.edits],
        },
    }


def cli_json(args: list[str], cwd: Path) -> list[dict[str, Any]]:
    result = run_cli(["check", "--no-cache", "--output-format", "json", *args], cwd=cwd)
    assert result.code in (0, 1), result.err
    found = result.json()["diagnostics"]
    for d in found:
        d.pop("name")
    return found


# -- import cost ---------------------------------------------------------------------------


def test_import_postlint_loads_nothing_else_until_the_api_is_used() -> None:
    code = (
        "import sys\n"
        "bare = set(sys.modules)\n"
        "import postlint\n"
        "before = sorted(set(sys.modules) - bare)\n"  # not even typing
        "postlint.Diagnostic\n"
        "after = 'postlint.api' in sys.modules\n"
        "print(before, after, sorted(set(postlint.__all__) - set(dir(postlint))))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert out.stdout.split() == ["['postlint']", "True", "[]"]


def test_the_public_names_resolve_and_unknown_ones_raise() -> None:
    for name in postlint.__all__:
        assert getattr(postlint, name) is not None
    from postlint.model.diagnostic import Diagnostic, Edit, Fix

    assert (postlint.Diagnostic, postlint.Fix, postlint.Edit) == (Diagnostic, Fix, Edit)
    with pytest.raises(AttributeError):
        postlint.no_such_name  # noqa: B018


# -- the same findings as the CLI ----------------------------------------------------------


def test_lint_paths_on_examples_equals_the_cli_json(monkeypatch: pytest.MonkeyPatch) -> None:
    cli = cli_json(["--no-network", "examples/"], REPO)
    monkeypatch.chdir(REPO)
    api = [as_json(d) for d in postlint.lint_paths("examples/")]
    assert api == cli
    assert len({d["code"] for d in api}) > 15  # the examples show most rules, JK002 (a site rule) too
    assert "JK002" in {d["code"] for d in api}


def test_lint_text_of_each_example_equals_the_cli_on_that_file(monkeypatch: pytest.MonkeyPatch) -> None:
    posts = sorted((EXAMPLES / "_posts").iterdir())
    cli = cli_json(["--no-network", *[str(p.relative_to(REPO)) for p in posts]], REPO)
    monkeypatch.chdir(REPO)
    api = []
    for path in posts:
        relative = path.relative_to(REPO)
        api += [as_json(d) for d in postlint.lint_text(relative, path.read_bytes())]
    assert sorted(api, key=lambda d: (d["path"], d["line"], d["column"], d["code"])) == cli
    assert "EN001" in {d["code"] for d in api}  # bytes that are not UTF-8 are a finding


def test_lint_text_of_a_post_that_does_not_exist_yet(tmp_path: Path) -> None:
    write_site(tmp_path, {}, "timezone: Europe/Amsterdam\n")
    path = tmp_path / "_posts" / "2019-05-13-nieuw.md"
    text = post_text('layout: post\ntitle: "DaniÃ«l"\ndate: Tue, 13 May 2019 10:00:00 +0200\n')
    found = postlint.lint_text(path, text)
    assert [(d.line, d.column, d.code) for d in found] == [(3, 13, "EN002"), (4, 7, "DT002")]
    assert not path.exists() and not (tmp_path / ".postlint_cache").exists()


def test_lint_text_never_raises_on_text_that_cannot_be_utf8(tmp_path: Path) -> None:
    write_site(tmp_path, {})
    found = postlint.lint_text(tmp_path / "_posts/2019-05-13-x.md", "---\ntitle: a\udcff\n---\n")
    assert "EN001" in {d.code for d in found}


# -- configuration: None, a file, a mapping ------------------------------------------------


MOJIBAKE = post_text('layout: post\ntitle: "cafÃ©"\ndate: Mon, 13 May 2019 10:00:00 +0200\n')


def test_config_is_found_from_the_path_as_the_cli_finds_it(tmp_path: Path) -> None:
    write_site(tmp_path, {"_posts/2019-05-13-a.md": MOJIBAKE})
    path = tmp_path / "_posts/2019-05-13-a.md"
    assert [d.code for d in postlint.lint_text(path, MOJIBAKE)] == ["EN002"]
    (tmp_path / ".postlint.toml").write_text('[severity]\nEN002 = "info"\n', encoding="utf-8")
    assert [(d.code, d.severity) for d in postlint.lint_text(path, MOJIBAKE)] == [("EN002", "info")]
    (tmp_path / ".postlint.toml").write_text('ignore = ["EN002"]\n', encoding="utf-8")
    assert postlint.lint_text(path, MOJIBAKE) == []  # a changed file is read again


def test_config_as_a_file_anywhere(tmp_path: Path) -> None:
    (tmp_path / "site").mkdir()
    write_site(tmp_path / "site", {})
    config = tmp_path / "elders" / "pyproject.toml"
    config.parent.mkdir()
    config.write_text('[tool.postlint.severity]\nEN = "warning"\n', encoding="utf-8")
    found = postlint.lint_text(tmp_path / "site/_posts/2019-05-13-a.md", MOJIBAKE, config=config)
    assert [(d.code, d.severity) for d in found] == [("EN002", "warning")]
    assert postlint.lint_text(tmp_path / "site/_posts/2019-05-13-a.md", MOJIBAKE, config=str(config)) == found
    with pytest.raises(postlint.ConfigError):
        postlint.lint_text(tmp_path / "site/_posts/2019-05-13-a.md", MOJIBAKE, config=tmp_path / "none.toml")


def test_config_as_a_mapping(tmp_path: Path) -> None:
    write_site(tmp_path, {"schemas/strict.json": json.dumps({"required": ["author"]})})
    path = tmp_path / "archief/_posts/2019-05-13-a.md"
    assert postlint.lint_text(path, MOJIBAKE, config={"per-file-ignores": {"archief/**": ["EN"]}}) == []
    found = postlint.lint_text(path, MOJIBAKE, config={"select": ["FM100"], "schema": Path("schemas/strict.json")})
    assert [(d.line, d.code) for d in found] == [(1, "FM100")]
    found = postlint.lint_text(path, MOJIBAKE, config={"severity": {"mojibake": "info"}, "html": {"strict": True}})
    assert [(d.code, d.severity) for d in found] == [("EN002", "info")]


@pytest.mark.parametrize("config", [
    {"selcet": ["EN"]},            # an unknown key
    {"ignore": "EN002"},           # a wrong type
    {"ignore": ["XX999"]},         # a selector that names no rule
    {"html": {"strict": "yes"}},   # a rule's option of the wrong type
])
def test_a_bad_mapping_is_a_config_error(tmp_path: Path, config: dict[str, Any]) -> None:
    with pytest.raises(postlint.ConfigError):
        postlint.lint_text(tmp_path / "_posts/2019-05-13-a.md", MOJIBAKE, config=config)


def test_the_site_is_found_from_the_path(tmp_path: Path) -> None:
    future = post_text("layout: post\ntitle: Later\ndate: Sun, 13 May 2091 10:00:00 +0200\n")
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    write_site(tmp_path / "a", {}, "title: A\n")
    write_site(tmp_path / "b", {}, "title: B\nfuture: true\n")
    found_a = postlint.lint_text(tmp_path / "a/_posts/2091-05-13-later.md", future)
    found_b = postlint.lint_text(tmp_path / "b/_posts/2091-05-13-later.md", future)
    assert [d.code for d in found_a] == ["DT005"] and found_b == []


# -- lint_paths ----------------------------------------------------------------------------


def test_lint_paths_of_files_skips_the_site_rules_like_the_cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    same = post_text("layout: post\ntitle: Een\ndate: Mon, 13 May 2019 10:00:00 +0200\n")
    write_site(tmp_path, {"_posts/2019-05-13-een.md": same, "_posts/2019-05-13-een.html": same})
    monkeypatch.chdir(tmp_path)
    assert [(d.path, d.code) for d in postlint.lint_paths(["."])] == [
        ("_posts/2019-05-13-een.html", "JK002"), ("_posts/2019-05-13-een.md", "JK002"),
    ]
    assert postlint.lint_paths(["_posts/2019-05-13-een.md", "_posts/2019-05-13-een.html"]) == []
    assert not (tmp_path / ".postlint_cache").exists()
    postlint.lint_paths(".", cache=True)
    assert (tmp_path / ".postlint_cache").is_dir()
    with pytest.raises(FileNotFoundError):
        postlint.lint_paths(["_posts/nope.md"])


# -- fix_text ------------------------------------------------------------------------------


def test_fix_text_gives_what_fix_writes(tmp_path: Path) -> None:
    text = post_text(
        'layout: post\ntitle: "cafÃ©"\ndate: Tue, 13 May 2019 10:00:00 +0200\n', "<p>DaniÃ«l\u200b</p>\n"
    ).replace("\n", "\r\n")
    name = "_posts/2019-05-13-a.md"
    write_site(tmp_path, {name: "\ufeff" + text})
    fixed, remaining = postlint.fix_text(tmp_path / name, "\ufeff" + text)
    assert [(d.line, d.code) for d in remaining] == [(4, "DT002")]  # an unsafe fix: left
    assert fixed == "\ufeff" + text.replace("cafÃ©", "café").replace("DaniÃ«l\u200b", "Daniël")
    assert run_cli(["check", "--no-cache", "--fix", name], cwd=tmp_path).code == 1
    assert (tmp_path / name).read_bytes() == fixed.encode("utf-8")  # the CLI wrote the same bytes

    unsafe, remaining = postlint.fix_text(tmp_path / name, fixed, unsafe=True)
    assert remaining == [] and "date: Mon, 13 May 2019" in unsafe
    again, remaining = postlint.fix_text(tmp_path / name, unsafe, unsafe=True)
    assert again is unsafe and remaining == []


def test_fix_text_of_clean_text_returns_it_unchanged(tmp_path: Path) -> None:
    text = post_text("layout: post\ntitle: Schoon\ndate: Mon, 13 May 2019 10:00:00 +0200\n")
    assert postlint.fix_text(tmp_path / "_posts/2019-05-13-a.md", text) == (text, [])


# -- network rules: off unless asked -------------------------------------------------------


def test_network_rules_run_only_when_asked(tmp_path: Path, server: TestServer) -> None:
    dead = server.route("/weg", reply(404))
    write_site(tmp_path, {})
    (tmp_path / ".postlint.toml").write_text(
        '[urls]\nallow-hosts = ["127.0.0.1"]\nretries = 0\ntimeout = 3\n', encoding="utf-8"
    )
    text = post_text(f"layout: post\ntitle: Link\ndate: Mon, 13 May 2019 10:00:00 +0200\nexterne_link: {dead}\n")
    path = tmp_path / "_posts/2019-05-13-link.md"
    assert postlint.lint_text(path, text) == []
    assert server.hits() == 0
    found = postlint.lint_text(path, text, network=True)
    assert [(d.line, d.column, d.code) for d in found] == [(5, 15, "URL001")]
    assert server.hits() >= 1
    path.parent.mkdir()
    path.write_text(text, encoding="utf-8")
    assert [d.code for d in postlint.lint_paths(path, network=True)] == ["URL001"]
    assert not (tmp_path / ".postlint_cache").exists()


def test_a_schema_that_changed_between_calls_is_read_again(tmp_path: Path) -> None:
    write_site(tmp_path, {"schemas/post.json": json.dumps({"$ref": "part.json"}),
                          "schemas/part.json": json.dumps({"required": ["author"]})})
    config = {"select": ["FM100"], "schema": "schemas/post.json"}
    path = tmp_path / "_posts/2019-05-13-a.md"
    assert [d.code for d in postlint.lint_text(path, MOJIBAKE, config=config)] == ["FM100"]
    (tmp_path / "schemas/part.json").write_text(json.dumps({"required": ["title", "layout"]}), encoding="utf-8")
    os.utime(tmp_path / "schemas/part.json", ns=(1, 1))  # another mtime, whatever the clock's resolution
    assert postlint.lint_text(path, MOJIBAKE, config=config) == []


@pytest.mark.parametrize("path", ["_posts/a\0b.md", "_posts/" + "x" * 5000 + ".md"])
def test_a_path_no_file_could_have_is_a_value_error(tmp_path: Path, path: str) -> None:
    with pytest.raises(ValueError):
        postlint.lint_text(tmp_path / path, MOJIBAKE)
    with pytest.raises(ValueError):
        postlint.fix_text(tmp_path / path, MOJIBAKE)
