"""`postlint init` through the command line: a starting .postlint.toml learnt from
the site, valid against the configuration schema and accepted by postlint,
never written over an existing configuration."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REPO, run_cli, write_site

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib  # type: ignore[no-redef]


def post(day: int, extra: str = "", date: str = "") -> str:
    weekday = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")[(day - 13) % 7]  # 13 May 2019 was a Monday
    date = date or f"{weekday}, {day} May 2019 10:00:00 +0200"
    return f"---\nlayout: post\ntitle: Bericht {day}\ndate: {date}\n{extra}---\n<p>Tekst.</p>\n"


POSTS = {
    "_posts/2019-05-13-a.md": post(13, "externe_link: https://example.org/a\ncover: https://example.org/a.jpg\n"
                                       "last_modified_at: 2019-05-14 09:00:00 +0200\n"),
    "_posts/2019-05-14-b.md": post(14, "externe_link: https://example.org/b\n"
                                       "bronnen:\n  - https://example.org/x\n  - https://example.org/y\n"
                                       "plaatje: https://cdn.example.org/b.png?w=300\n"),
    "_posts/2019-05-15-c.md": post(15, "last_modified_at: 2019-05-16\nreferentie: geen url\n"),
    "_drafts/concept.md": post(16, "externe_link: https://example.org/c\n"),
}
CONFIG = "title: Polderpost\ntimezone: Europe/Amsterdam\n"


@pytest.fixture(scope="module")
def validator() -> Any:
    from jsonschema import Draft7Validator

    return Draft7Validator(json.loads((REPO / "schemas" / "postlint-config.schema.json").read_text(encoding="utf-8")))


def written(site: Path) -> dict[str, Any]:
    return tomllib.loads((site / ".postlint.toml").read_text(encoding="utf-8"))


def assert_accepted(site: Path, validator: Any) -> None:
    """Valid against the schema, and postlint runs with it (no configuration error)."""
    config = written(site)
    errors = [e.message for e in validator.iter_errors(config)]
    assert not errors, errors
    shown = run_cli(["check", "--no-network", "--no-cache", "--show-settings", "."], cwd=site)
    assert shown.code == 0, shown.err
    assert shown.json()["configuration"] == str((site / ".postlint.toml").resolve())
    result = run_cli(["check", "--no-network", "--no-cache", "."], cwd=site)
    assert result.code in (0, 1) and "configuration error" not in result.err, result.err


def test_init_learns_the_sites_fields_dates_and_timezone(tmp_path: Path, validator: Any) -> None:
    site = write_site(tmp_path, POSTS, CONFIG)
    result = run_cli(["init"], cwd=site)
    assert result.code == 0, result.err
    text = (site / ".postlint.toml").read_text(encoding="utf-8")
    assert text.startswith("#:schema https://") and "postlint-config.schema.json" in text.splitlines()[0]
    config = written(site)
    assert config["urls"]["fields"] == {
        "bronnen": "page", "cover": "image", "externe_link": "page", "plaatje": "image",
    }
    assert config["dates"]["keys"] == ["date", "last_modified_at"]
    assert config["dates"]["format"] == "rfc2822"
    assert config["dates"]["accept"] == ["jekyll"]
    # _config.yml names the zone: build-timezone is left to its default.
    assert "build-timezone" not in config["dates"] and "Europe/Amsterdam" in text
    assert_accepted(site, validator)
    # The options reach the rules as written.
    settings = run_cli(["check", "--show-settings", "."], cwd=site).json()  # prints; requests nothing
    assert settings["rules"]["DT001"]["options"]["keys"] == ["date", "last_modified_at"]
    assert settings["rules"]["URL001"]["options"]["fields"]["cover"] == "image"
    # The clean example posts lint clean with it.
    assert run_cli(["check", "--no-network", "--no-cache", "."], cwd=site).code == 0


def test_init_from_a_folder_inside_writes_at_the_site(tmp_path: Path) -> None:
    site = write_site(tmp_path, POSTS, CONFIG)
    result = run_cli(["init"], cwd=site / "_posts")
    assert result.code == 0, result.err
    assert (site / ".postlint.toml").is_file() and not (site / "_posts" / ".postlint.toml").exists()


def test_init_refuses_to_overwrite(tmp_path: Path) -> None:
    site = write_site(tmp_path, POSTS, CONFIG)
    (site / ".postlint.toml").write_text('ignore = ["HD"]\n', encoding="utf-8")
    result = run_cli(["init", "."], cwd=site)
    assert result.code == 2 and ".postlint.toml" in result.err and "already exists" in result.err
    assert (site / ".postlint.toml").read_text(encoding="utf-8") == 'ignore = ["HD"]\n'


def test_init_refuses_beside_a_pyproject_table_but_not_another_pyproject(tmp_path: Path) -> None:
    site = write_site(tmp_path, POSTS, CONFIG)
    (site / "pyproject.toml").write_text("[project]\nname = 'site'\n", encoding="utf-8")
    assert run_cli(["init"], cwd=site).code == 0
    (site / ".postlint.toml").unlink()
    (site / "pyproject.toml").write_text("[tool.postlint]\nignore = ['HD']\n", encoding="utf-8")
    refused = run_cli(["init"], cwd=site)
    assert refused.code == 2 and "pyproject.toml" in refused.err
    assert not (site / ".postlint.toml").exists()


def test_init_without_a_timezone_sets_the_build_zone(tmp_path: Path, validator: Any) -> None:
    site = write_site(tmp_path, POSTS, "title: Zonder zone\n")
    assert run_cli(["init"], cwd=site).code == 0
    assert written(site)["dates"]["build-timezone"] == "UTC"
    assert_accepted(site, validator)


def test_init_on_a_site_with_jekyll_dates(tmp_path: Path, validator: Any) -> None:
    posts = {f"_posts/2019-05-{d}-x{d}.md": post(d, date=f"2019-05-{d} 10:00:00 +0200") for d in (13, 14, 15)}
    posts["_posts/2019-05-16-y.md"] = post(16)  # one in RFC 2822
    site = write_site(tmp_path, posts, CONFIG)
    assert run_cli(["init"], cwd=site).code == 0
    config = written(site)
    assert config["dates"]["format"] == "jekyll" and config["dates"]["accept"] == ["rfc2822"]
    assert "fields" in config["urls"] and config["urls"]["fields"] == {}
    assert_accepted(site, validator)
    assert run_cli(["check", "--no-network", "--no-cache", "."], cwd=site).code == 0


def test_init_quotes_any_field_name(tmp_path: Path, validator: Any) -> None:
    odd = {
        "_posts/2019-05-13-a.md": post(
            13, '"link met spatie": https://example.org/a\n"aan\\"hal": https://example.org/b\n'
                '"lien\\u00e9": https://example.org/c\n"ctl\\x7f\\tx": https://example.org/d\n'
        ),
    }
    site = write_site(tmp_path, odd, CONFIG)
    assert run_cli(["init"], cwd=site).code == 0, "init failed"
    assert set(written(site)["urls"]["fields"]) == {"link met spatie", 'aan"hal', "lien\u00e9", "ctl\x7f\tx"}
    assert_accepted(site, validator)


def test_init_stdout_writes_nothing(tmp_path: Path) -> None:
    site = write_site(tmp_path, POSTS, CONFIG)
    result = run_cli(["init", "--stdout"], cwd=site)
    assert result.code == 0
    assert tomllib.loads(result.out)["urls"]["fields"]["externe_link"] == "page"
    assert not (site / ".postlint.toml").exists()


def test_init_outside_a_site_says_so(tmp_path: Path, validator: Any) -> None:
    (tmp_path / "_posts").mkdir()
    (tmp_path / "_posts" / "2019-05-13-a.md").write_text(post(13), encoding="utf-8")
    result = run_cli(["init"], cwd=tmp_path)
    assert result.code == 0 and "no _config.yml" in result.err
    assert written(tmp_path)["dates"]["build-timezone"] == "UTC"
    assert_accepted(tmp_path, validator)


def test_init_on_a_missing_path_is_exit_2(tmp_path: Path) -> None:
    assert run_cli(["init", "nowhere"], cwd=tmp_path).code == 2


def test_init_on_the_example_site(tmp_path: Path, validator: Any) -> None:
    """The repository's example site (its own configuration set aside): the
    fields its importer writes are found."""
    import shutil

    site = tmp_path / "examples"
    shutil.copytree(REPO / "examples", site, ignore=shutil.ignore_patterns(".postlint.toml", "workflows"))
    result = run_cli(["init"], cwd=site)
    assert result.code == 0, result.err
    fields = written(site)["urls"]["fields"]
    assert fields.get("externe_link") == "page" and fields.get("feature_image") == "image"
    errors = [e.message for e in validator.iter_errors(written(site))]
    assert not errors


def test_init_writes_a_starter_front_matter_schema(tmp_path: Path, validator: Any) -> None:
    site = write_site(tmp_path, POSTS, CONFIG)
    result = run_cli(["init", "--schema", "schemas/front-matter.schema.json"], cwd=site)
    assert result.code == 0, result.err
    assert written(site)["schema"] == "schemas/front-matter.schema.json"
    schema = json.loads((site / "schemas" / "front-matter.schema.json").read_text(encoding="utf-8"))
    assert schema["required"] == ["date", "layout", "title"]
    assert schema["properties"]["bronnen"]["type"] == "array"
    assert schema["properties"]["last_modified_at"]["type"] == "string"
    assert schema["$ref"] == "https://postlint.dev/schemas/post.schema.json"
    assert_accepted(site, validator)
    # The posts it was learnt from pass it; a post without a required key does not.
    assert run_cli(["check", "--no-network", "--no-cache", "--select", "FM100", "."], cwd=site).code == 0
    (site / "_posts/2019-05-17-d.md").write_text(
        "---\nlayout: post\ntitle: Zonder datum\n---\n<p>x</p>\n", encoding="utf-8"
    )
    missing = run_cli(
        ["check", "--no-network", "--no-cache", "--select", "FM100", "--output-format", "json", "."], cwd=site
    )
    assert [(d["path"], d["code"]) for d in missing.json()["diagnostics"]] == [("_posts/2019-05-17-d.md", "FM100")]


def test_init_schema_refuses_to_overwrite_or_leave_the_site(tmp_path: Path) -> None:
    (tmp_path / "site").mkdir()
    site = write_site(tmp_path / "site", POSTS, CONFIG)
    (site / "mine.json").write_text("{}", encoding="utf-8")
    taken = run_cli(["init", "--schema", "mine.json"], cwd=site)
    assert taken.code == 2 and "mine.json" in taken.err
    assert (site / "mine.json").read_text(encoding="utf-8") == "{}" and not (site / ".postlint.toml").exists()
    outside = run_cli(["init", "--schema", str(tmp_path / "elders.json")], cwd=site)
    assert outside.code == 2 and not (tmp_path / "elders.json").exists()
    assert run_cli(["init", "--stdout", "--schema", "x.json"], cwd=site).code == 2
    # A configuration already there: neither file is written.
    (site / ".postlint.toml").write_text("", encoding="utf-8")
    assert run_cli(["init", "--schema", "new.json"], cwd=site).code == 2
    assert not (site / "new.json").exists()
