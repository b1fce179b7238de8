"""Configuration files: discovery, validation with file and line, flags win."""

from __future__ import annotations

from pathlib import Path

import pytest

from postlint.engine.config import ConfigError, find_config, key_line, load_settings
from postlint.engine.registry import load
from tests.conftest import run_cli, write_site

DUP_POST = "---\nlayout: post\ntitle: t\nx: 1\nx: 2\n---\nbody\n"


def test_nearest_config_wins_and_postlint_toml_beats_pyproject(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.postlint]\nignore = ['FM']\n")
    inner = tmp_path / "site"
    inner.mkdir()
    (inner / "pyproject.toml").write_text("[project]\nname = 'x'\n")  # no postlint table: skipped
    assert find_config(inner) == tmp_path / "pyproject.toml"
    (inner / ".postlint.toml").write_text("ignore = ['JK']\n")
    (inner / "pyproject.toml").write_text("[tool.postlint]\nignore = ['EN']\n")
    assert find_config(inner) == inner / ".postlint.toml"
    settings = load_settings([inner], table_schemas=load().tables())
    assert settings.ignore == ["JK"] and settings.root == inner.resolve()


@pytest.mark.parametrize(
    "content, line, words",
    [
        ("[tool.postlint]\nselect = ['FM']\nbogus = 1\n", 3, "bogus"),
        ("[tool.postlint]\nselect = 'FM'\n", 2, "select"),
        ("[tool.postlint]\n\n[tool.postlint.severity]\nFM003 = 'loud'\n", 4, "FM003"),
        ("[tool.postlint]\nper-file-ignores = {'x/*' = 'FM'}\n", 2, "per-file-ignores"),
        ("[tool.postlint]\n[tool.postlint.nonsense]\nx = 1\n", 2, "nonsense"),
        ("[tool.postlint\n", 1, "TOML"),
    ],
)
def test_config_errors_name_file_and_line(tmp_path: Path, content: str, line: int, words: str) -> None:
    config = tmp_path / "pyproject.toml"
    config.write_text(content)
    with pytest.raises(ConfigError) as info:
        load_settings([tmp_path], config_file=config, table_schemas=load().tables())
    assert info.value.line == line
    assert words in str(info.value)


def test_config_error_exits_2_through_the_cli(tmp_path: Path) -> None:
    write_site(tmp_path, {"_posts/2019-05-13-a.md": DUP_POST})
    (tmp_path / ".postlint.toml").write_text("select = ['FM']\nunknown-key = true\n")
    result = run_cli(["check", "."], cwd=tmp_path)
    assert result.code == 2
    assert ".postlint.toml:2" in result.err and "unknown-key" in result.err


def test_unknown_selector_in_config_exits_2(tmp_path: Path) -> None:
    write_site(tmp_path, {"_posts/2019-05-13-a.md": DUP_POST})
    (tmp_path / ".postlint.toml").write_text("ignore = ['NOPE']\n")
    result = run_cli(["check", "."], cwd=tmp_path)
    assert result.code == 2 and "NOPE" in result.err


def test_flags_win_over_the_file(tmp_path: Path) -> None:
    write_site(tmp_path, {"_posts/2019-05-13-a.md": DUP_POST})
    (tmp_path / ".postlint.toml").write_text("select = ['JK']\n")
    assert run_cli(["check", "."], cwd=tmp_path).code == 0
    assert run_cli(["check", "--select", "FM003", "."], cwd=tmp_path).code == 1
    (tmp_path / ".postlint.toml").write_text("select = ['FM']\n")
    assert run_cli(["check", "--ignore", "FM003", "."], cwd=tmp_path).code == 0


def test_per_file_ignores_and_exclude_from_config(tmp_path: Path) -> None:
    write_site(
        tmp_path,
        {"_posts/2019-05-13-a.md": DUP_POST, "_posts/old/2019-05-14-b.md": DUP_POST, "_drafts/c.md": DUP_POST},
    )
    (tmp_path / ".postlint.toml").write_text(
        "exclude = ['_drafts']\n[per-file-ignores]\n'_posts/old/**' = ['duplicate-key']\n"
    )
    result = run_cli(["check", "--output-format", "json", "."], cwd=tmp_path)
    assert [d["path"] for d in result.json()["diagnostics"]] == ["_posts/2019-05-13-a.md"]


def test_jekyll_exclude_is_honoured(tmp_path: Path) -> None:
    write_site(
        tmp_path,
        {"_posts/2019-05-13-a.md": DUP_POST, "vendor/bundle/gems/x/_posts/2019-01-01-b.md": DUP_POST,
         "archive/_posts/2019-01-02-c.md": DUP_POST},
        config="exclude:\n  - archive\n",
    )
    result = run_cli(["check", "--output-format", "json", "."], cwd=tmp_path)
    assert [d["path"] for d in result.json()["diagnostics"]] == ["_posts/2019-05-13-a.md"]


def test_key_line_finds_dotted_and_nested_keys(tmp_path: Path) -> None:
    config = tmp_path / "pyproject.toml"
    config.write_text("[tool.postlint]\nselect = []\n\n[tool.postlint.urls]\ntimeout = 3\nfields.x = 'page'\n")
    assert key_line(config, ("tool", "postlint", "urls", "timeout")) == 5
    assert key_line(config, ("tool", "postlint", "urls", "fields", "x")) == 6
    assert key_line(config, ("tool", "postlint", "select")) == 2
