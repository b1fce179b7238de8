"""Issue 12, point 4, for the files that configure a run: a `_config.yml`,
`.postlint.toml` or `pyproject.toml` that is a symbolic link to a file outside
the repository (or the site) is not read; the warning or configuration error
names the link, never the target's content. Links inside the repository are
read as before."""

from __future__ import annotations

import os
from pathlib import Path

from tests.conftest import run_cli, write_site

SECRET = "SECRET_TOKEN_hunter2"
A = "_posts/2019-05-13-a.md"
POST = "---\nlayout: post\ntitle: \"Nieuws\"\n---\n<p>Tekst.</p>\n"


def _repo(tmp_path: Path) -> Path:
    site = tmp_path / "repo"
    site.mkdir()
    (site / ".git").mkdir()
    (tmp_path / "outside").mkdir()
    write_site(site, {A: POST})
    return site


def _paths(result) -> list[str]:  # type: ignore[no-untyped-def]
    return sorted(d["path"] for d in result.json()["diagnostics"])


def test_a_jekyll_config_linked_outside_is_not_read(tmp_path: Path) -> None:
    site = _repo(tmp_path)
    # Read, it would exclude every post.
    (tmp_path / "outside" / "_config.yml").write_text(f"exclude: [_posts]\ntitle: {SECRET}\n", encoding="utf-8")
    (site / "_config.yml").unlink()
    os.symlink("../outside/_config.yml", site / "_config.yml")
    result = run_cli(["check", "--no-network", "--output-format", "json", "."], cwd=site)
    assert SECRET not in result.out and SECRET not in result.err
    assert str(tmp_path / "outside") not in result.err  # the target is not named
    assert "_config.yml" in result.err and "symbolic link" in result.err
    # Not read: nothing of it applies, the post is still checked.
    assert result.code == 0, result.err
    assert "no posts found" not in result.err  # its exclude did not apply


def test_a_jekyll_config_linked_inside_the_repository_is_read(tmp_path: Path) -> None:
    site = _repo(tmp_path)
    (site / "config").mkdir()
    (site / "config" / "jekyll.yml").write_text("exclude: [_posts]\n", encoding="utf-8")
    (site / "_config.yml").unlink()
    os.symlink("config/jekyll.yml", site / "_config.yml")
    result = run_cli(["check", "--no-network", "--output-format", "json", "."], cwd=site)
    assert "symbolic link" not in result.err
    assert _paths(result) == []  # its exclude applied: no post checked


def test_a_postlint_toml_linked_outside_is_a_configuration_error(tmp_path: Path) -> None:
    site = _repo(tmp_path)
    (tmp_path / "outside" / "cfg.toml").write_text(f'{SECRET} = "x"\n', encoding="utf-8")
    os.symlink("../outside/cfg.toml", site / ".postlint.toml")
    result = run_cli(["check", "--no-network", "."], cwd=site)
    assert result.code == 2
    assert SECRET not in result.out and SECRET not in result.err
    assert ".postlint.toml" in result.err and "symbolic link" in result.err
    assert "cfg.toml" not in result.err


def test_a_pyproject_linked_outside_is_a_configuration_error(tmp_path: Path) -> None:
    site = _repo(tmp_path)
    (tmp_path / "outside" / "pyproject.toml").write_text(
        f'[tool.postlint]\n{SECRET} = "x"\n', encoding="utf-8"
    )
    os.symlink("../outside/pyproject.toml", site / "pyproject.toml")
    result = run_cli(["check", "--no-network", "."], cwd=site)
    assert result.code == 2
    assert SECRET not in result.err and SECRET not in result.out
    assert "pyproject.toml" in result.err and "symbolic link" in result.err


def test_a_postlint_toml_linked_inside_the_repository_is_read(tmp_path: Path) -> None:
    site = _repo(tmp_path)
    (site / "config").mkdir()
    (site / "config" / "postlint.toml").write_text('exclude = ["_posts"]\n', encoding="utf-8")
    os.symlink("config/postlint.toml", site / ".postlint.toml")
    result = run_cli(["check", "--no-network", "--output-format", "json", "."], cwd=site)
    assert "symbolic link" not in result.err
    assert _paths(result) == []


def test_an_explicit_config_outside_is_the_users_choice(tmp_path: Path) -> None:
    # --config names a file on the command line: read wherever it is.
    site = _repo(tmp_path)
    (tmp_path / "outside" / "cfg.toml").write_text('exclude = ["_posts"]\n', encoding="utf-8")
    result = run_cli(
        ["check", "--no-network", "--output-format", "json", "--config", str(tmp_path / "outside" / "cfg.toml"), "."],
        cwd=site,
    )
    assert result.code == 0, result.err
    assert _paths(result) == []


# -- schemas: a $ref or a `schema` setting never leads out of the repository -------------

import json  # noqa: E402

import pytest  # noqa: E402


def _schema_site(tmp_path: Path, ref: str) -> Path:
    site = _repo(tmp_path)
    (tmp_path / "outside" / "defs.json").write_text(
        json.dumps({"token": SECRET, "title": {"type": SECRET}, "ok": {"type": "string"}}), encoding="utf-8"
    )
    (site / "schemas").mkdir()
    (site / "schemas" / "post.json").write_text(
        json.dumps({"type": "object", "properties": {"title": {"$ref": ref}}}), encoding="utf-8"
    )
    (site / ".postlint.toml").write_text('schema = "schemas/post.json"\n', encoding="utf-8")
    return site


@pytest.mark.parametrize("how", ["relative", "absolute", "file-uri"])
def test_a_schema_ref_outside_the_repository_is_a_configuration_error(tmp_path: Path, how: str) -> None:
    outside = tmp_path / "outside" / "defs.json"
    ref = {"relative": "../../outside/defs.json", "absolute": str(outside), "file-uri": outside.as_uri()}[how]
    site = _schema_site(tmp_path, ref + "#/title")
    result = run_cli(["check", "--no-network", "--no-cache", "."], cwd=site)
    assert result.code == 2, result.out + result.err
    assert SECRET not in result.out and SECRET not in result.err
    assert "PL000" not in result.out
    assert "outside the repository" in result.err and "post.json" in result.err


def test_a_schema_ref_inside_the_repository_is_read(tmp_path: Path) -> None:
    site = _schema_site(tmp_path, "../common/defs.json#/title")
    (site / "common").mkdir()
    (site / "common" / "defs.json").write_text(json.dumps({"title": {"type": "integer"}}), encoding="utf-8")
    result = run_cli(["check", "--no-network", "--no-cache", "--output-format", "json", "."], cwd=site)
    assert result.code == 1, result.err
    assert [(d["path"], d["code"]) for d in result.json()["diagnostics"]] == [(A, "FM100")]


def test_a_schema_ref_to_a_value_that_is_no_schema_is_a_configuration_error(tmp_path: Path) -> None:
    # A $ref to a string in another file was accepted at load, then PL000
    # (AttributeError) on every post.
    site = _schema_site(tmp_path, "../common/defs.json#/token")
    (site / "common").mkdir()
    (site / "common" / "defs.json").write_text(json.dumps({"token": "a string"}), encoding="utf-8")
    result = run_cli(["check", "--no-network", "--no-cache", "."], cwd=site)
    assert result.code == 2, result.out + result.err
    assert "PL000" not in result.out
    assert "defs.json#/token" in result.err


def test_a_schema_setting_outside_the_repository_is_a_configuration_error(tmp_path: Path) -> None:
    site = _repo(tmp_path)
    (tmp_path / "outside" / "post.json").write_text(json.dumps({"type": "object"}), encoding="utf-8")
    (site / ".postlint.toml").write_text(f'schema = "{tmp_path / "outside" / "post.json"}"\n', encoding="utf-8")
    result = run_cli(["check", "--no-network", "--no-cache", "."], cwd=site)
    assert result.code == 2, result.out + result.err
    assert ".postlint.toml:1" in result.err and "outside the repository" in result.err


# -- the caches: a .postlint_cache that is a link out of the repository is not used --------


def _files_under(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


def test_a_result_cache_linked_outside_is_not_written(tmp_path: Path) -> None:
    site = _repo(tmp_path)
    (tmp_path / "outside" / "cache").mkdir()
    os.symlink("../outside/cache", site / ".postlint_cache")
    for _ in range(2):
        result = run_cli(["check", "--no-network", "--output-format", "json", "."], cwd=site)
        assert result.code == 0, result.err
    assert _files_under(tmp_path / "outside" / "cache") == []


def test_a_link_inside_the_result_cache_leading_outside_is_not_followed(tmp_path: Path) -> None:
    site = _repo(tmp_path)
    (tmp_path / "outside" / "results").mkdir()
    (site / ".postlint_cache").mkdir()
    os.symlink("../../outside/results", site / ".postlint_cache" / "results")
    result = run_cli(["check", "--no-network", "--output-format", "json", "."], cwd=site)
    assert result.code == 0, result.err
    assert _files_under(tmp_path / "outside" / "results") == []


def test_a_result_cache_inside_the_repository_is_used(tmp_path: Path) -> None:
    site = _repo(tmp_path)
    (site / "build" / "cache").mkdir(parents=True)
    os.symlink("build/cache", site / ".postlint_cache")
    result = run_cli(["check", "--no-network", "--output-format", "json", "."], cwd=site)
    assert result.code == 0, result.err
    assert "postlint.sqlite" in _files_under(site / "build" / "cache")


def test_a_url_cache_linked_outside_is_neither_read_nor_written(tmp_path: Path) -> None:
    from postlint.net import UrlCheck, Verdict
    from postlint.net.cache import UrlCache

    site = _repo(tmp_path)
    (tmp_path / "outside" / "cache").mkdir()
    os.symlink("../outside/cache", site / ".postlint_cache")
    check = UrlCheck("https://example.org/", "page")
    linked = UrlCache(site / ".postlint_cache", 3600)
    assert linked.put("ab" * 32, check, Verdict(None, "ok", None)) is False
    assert _files_under(tmp_path / "outside" / "cache") == []
    # What an outside cache holds is not read either.
    real = UrlCache(tmp_path / "outside" / "cache", 3600)
    assert real.put("cd" * 32, check, Verdict(None, "ok", None)) is True
    assert real.get("cd" * 32) is not None
    assert linked.get("cd" * 32) is None
    # Inside the repository it works.
    (site / "c").mkdir()
    inside = UrlCache(site / "c", 3600)
    assert inside.put("ef" * 32, check, Verdict(None, "ok", None)) is True
    assert inside.get("ef" * 32) is not None


# -- a post that is a link to a device or a FIFO --------------------------------------------


def test_a_post_linked_to_a_device_or_fifo_is_a_finding_never_read(tmp_path: Path) -> None:
    site = _repo(tmp_path)
    os.mkfifo(site / "_posts" / "pipe")
    os.mkfifo(site / "_posts" / "2019-05-13-fifo.md")  # a FIFO named like a post: not a post
    os.symlink("/dev/zero", site / "_posts" / "2019-05-13-zero.md")  # outside: PL003
    os.symlink("pipe", site / "_posts" / "2019-05-13-pipe.md")  # inside, not a file: PL004
    result = run_cli(["check", "--no-network", "--no-cache", "--output-format", "json", "."], cwd=site)
    assert result.code == 1, result.err
    found = sorted((d["path"], d["line"], d["column"], d["code"]) for d in result.json()["diagnostics"])
    assert found == [
        ("_posts/2019-05-13-pipe.md", 1, 1, "PL004"),
        ("_posts/2019-05-13-zero.md", 1, 1, "PL003"),
    ]


# -- options of the network rules are checked offline too ----------------------------------


@pytest.mark.parametrize("entry", ["localhost:99999", "http://localhost", "127.0.0.1/33", "*.example.com"])
def test_an_allow_hosts_entry_that_can_never_match_is_an_error_with_no_network(tmp_path: Path, entry: str) -> None:
    # Refused by a networked run; --no-network (the pre-commit hook's way)
    # accepted it silently, so the configuration failed only in CI.
    site = _repo(tmp_path)
    (site / ".postlint.toml").write_text(f'[urls]\nallow-hosts = ["{entry}"]\n', encoding="utf-8")
    offline = run_cli(["check", "--no-network", "--no-cache", "."], cwd=site)
    assert offline.code == 2, offline.out + offline.err
    assert "allow-hosts" in offline.err and entry in offline.err
    good = site / ".postlint.toml"
    good.write_text('[urls]\nallow-hosts = ["localhost:8080", "10.0.0.0/8"]\n', encoding="utf-8")
    assert run_cli(["check", "--no-network", "--no-cache", "."], cwd=site).code == 0
