"""The command line from anywhere: the same findings whatever the working
folder and however the paths are spelt (issue 11, point 2)."""

from __future__ import annotations

import os
from pathlib import Path

from tests.conftest import run_cli, write_site

CONFIG = "title: Test\ntimezone: Europe/Amsterdam\npermalink: /:year/:title/\n"
POSTS = {
    # DT004: 09:00 +0200 on the 24th is the 24th in Amsterdam, the name says the 23rd.
    "_posts/2019-05-23-zomertijd.md": (
        "---\nlayout: post\ntitle: a\n"
        "date: Fri, 24 May 2019 09:00:00 +0200\n---\n<p>x</p>\n"
    ),
    # JK001: not named YYYY-MM-DD-slug.ext.
    "_posts/nieuws-zonder-datum.md": (
        "---\nlayout: post\ntitle: b\n"
        "date: Mon, 20 May 2019 11:00:00 +0200\n---\n<p>x</p>\n"
    ),
    # FM003 and, with the next one, JK002 (same URL).
    "_posts/2019-05-14-dubbel.md": "---\nlayout: post\ntitle: a\ntitle: b\n---\n<p>x</p>\n",
    "_posts/2019-05-14-dubbel.html": "---\nlayout: post\ntitle: c\n---\n<p>x</p>\n",
    "_posts/nl/2019-05-15-genest.md": (
        "---\nlayout: post\ntitle: d\n"
        "date: Fri, 24 May 2019 09:00:00 +0200\n---\n<p>x</p>\n"
    ),
}


def _site(tmp_path: Path) -> Path:
    site = tmp_path / "repo" / "site"
    site.mkdir(parents=True)
    write_site(site, POSTS, config=CONFIG)
    (site / ".postlint.toml").write_text("[urls]\nnetwork = false\n", encoding="utf-8")
    return site


def _findings(args: list[str], cwd: Path, site: Path) -> list[tuple[str, int, int, str]]:
    result = run_cli(["check", "--no-cache", "--output-format", "json", *args], cwd=cwd)
    assert result.code == 1, result.err
    out = []
    for d in result.json()["diagnostics"]:
        # Reported relative to where one stands (or absolute when outside it) ...
        where = Path(d["path"]) if os.path.isabs(d["path"]) else cwd / d["path"]
        assert not os.path.isabs(d["path"]) or not str(where).startswith(str(cwd) + os.sep)
        # ... and naming the same file.
        rel = os.path.relpath(os.path.realpath(where), os.path.realpath(site)).replace(os.sep, "/")
        out.append((rel, d["line"], d["column"], d["code"]))
    return sorted(out)


def test_same_findings_from_anywhere(tmp_path: Path) -> None:
    site = _site(tmp_path)
    from_root = _findings(["."], site, site)
    codes = {code for _, _, _, code in from_root}
    assert {"DT004", "JK001", "JK002", "FM003"} <= codes
    assert ("_posts/nl/2019-05-15-genest.md", 4, 7, "DT004") in from_root
    runs = {
        "inside _posts": _findings(["."], site / "_posts", site),
        "inside _posts/nl, the site's posts as ..": _findings([".."], site / "_posts" / "nl", site),
        "above the repository": _findings([str(Path("repo") / "site")], tmp_path, site),
        "absolute, from the root": _findings([str(site)], site, site),
        "absolute, from elsewhere": _findings([str(site / "_posts")], tmp_path / "repo", site),
        "absolute, from inside _posts": _findings([str(site)], site / "_posts", site),
    }
    for name, found in runs.items():
        assert found == from_root, name


def test_paths_are_shown_relative_to_where_one_stands(tmp_path: Path) -> None:
    site = _site(tmp_path)
    result = run_cli(["check", "--no-cache", "--output-format", "json", "."], cwd=site / "_posts")
    paths = {d["path"] for d in result.json()["diagnostics"]}
    assert "nieuws-zonder-datum.md" in paths and "nl/2019-05-15-genest.md" in paths
    result = run_cli(["check", "--no-cache", "--output-format", "json", str(site)], cwd=site / "_posts")
    assert "nieuws-zonder-datum.md" in {d["path"] for d in result.json()["diagnostics"]}


def test_a_single_file_from_inside_its_folder(tmp_path: Path) -> None:
    site = _site(tmp_path)
    for cwd, arg in ((site / "_posts", "nieuws-zonder-datum.md"), (site, "_posts/nieuws-zonder-datum.md"),
                     (tmp_path, str(site / "_posts" / "nieuws-zonder-datum.md"))):
        result = run_cli(["check", "--no-cache", "--output-format", "json", arg], cwd=cwd)
        assert [d["code"] for d in result.json()["diagnostics"]] == ["JK001"], cwd


def test_force_exclude_applies_the_exclusions_to_named_files(tmp_path: Path) -> None:
    bad = "---\nlayout: post\ntitle: a\ntitle: b\n---\n<p>x</p>\n"
    site = write_site(tmp_path, {
        "_posts/import/2019-05-14-a.md": bad,       # the configuration's exclude
        "_posts/archief/2019-05-14-b.md": bad,      # Jekyll's exclude (_config.yml)
        "_posts/2019-05-14-c.md": bad,              # linted
        "_site/_posts/2019-05-14-d.md": bad,        # a built copy: never linted with --force-exclude
    }, config="title: T\nexclude: [_posts/archief]\n")
    (site / ".postlint.toml").write_text('exclude = ["_posts/import"]\n', encoding="utf-8")
    named = ["_posts/import/2019-05-14-a.md", "_posts/archief/2019-05-14-b.md", "_posts/2019-05-14-c.md",
             "_site/_posts/2019-05-14-d.md"]

    def paths(*args: str, cwd: Path = site) -> list[str]:
        result = run_cli(["check", "--no-cache", "--output-format", "json", *args], cwd=cwd)
        return sorted({d["path"] for d in result.json()["diagnostics"]})

    assert paths(*named) == sorted(named)  # named files are linted, as before
    assert paths("--force-exclude", *named) == ["_posts/2019-05-14-c.md"]
    # The same from inside _posts, and with absolute paths.
    assert paths("--force-exclude", "import/2019-05-14-a.md", "2019-05-14-c.md", cwd=site / "_posts") == [
        "2019-05-14-c.md"
    ]
    assert paths("--force-exclude", *(str(site / n) for n in named), cwd=tmp_path.parent) == [
        f"{tmp_path.name}/{named[2]}"
    ]
    # A folder walk excludes them anyway; `force-exclude = true` in the configuration, and --no-force-exclude.
    assert paths(".") == ["_posts/2019-05-14-c.md"]
    (site / ".postlint.toml").write_text('exclude = ["_posts/import"]\nforce-exclude = true\n', encoding="utf-8")
    assert paths(*named) == ["_posts/2019-05-14-c.md"]
    assert paths("--no-force-exclude", *named) == sorted(named)
    # Everything excluded: nothing to lint, said, exit 0.
    result = run_cli(["check", "--no-cache", named[0]], cwd=site)
    assert result.code == 0 and "no posts" in result.err


# -- --statistics with every output format; the summary line (issue 11, point 6) -------------

STATS_POSTS = {
    "_posts/2019-05-13-schoon.md": "---\nlayout: post\ntitle: Schoon\n---\n<p>x</p>\n",
    "_posts/2019-05-14-twee.md": "---\nlayout: post\ntitle: a\ntitle: b\ntitle: c\n---\n<p>x</p>\n",
    "_posts/2019-05-15-een.md": "---\nlayout: post\ntitle: a\ntitle: b\n---\n<p>Ã©</p>\n",
}


def test_statistics_with_json_is_an_object_of_counts(tmp_path: Path, report_validator) -> None:  # type: ignore[no-untyped-def]
    site = write_site(tmp_path, STATS_POSTS)
    full = run_cli(["check", "--no-cache", "--output-format", "json", "."], cwd=site).json()
    result = run_cli(["check", "--no-cache", "--statistics", "--output-format", "json", "."], cwd=site)
    assert result.code == 1
    doc = result.json()
    report_validator.validate(doc)
    report_validator.validate(full)
    assert "diagnostics" not in doc
    by_code = {row["code"]: row for row in doc["statistics"]}
    expected: dict[str, int] = {}
    for d in full["diagnostics"]:
        expected[d["code"]] = expected.get(d["code"], 0) + 1
    assert {code: row["count"] for code, row in by_code.items()} == expected
    assert by_code["FM003"]["count"] == 3 and by_code["FM003"]["name"] == "duplicate-key"
    assert by_code["EN002"]["fixable"] == 1
    counts = [row["count"] for row in doc["statistics"]]
    assert counts == sorted(counts, reverse=True)
    assert doc["summary"]["files"] == 3 and doc["summary"]["files_with_findings"] == 2
    assert doc["summary"]["findings"] == sum(counts)


def test_statistics_with_github_sarif_text_and_concise(tmp_path: Path, sarif_validator) -> None:  # type: ignore[no-untyped-def]
    import json

    site = write_site(tmp_path, STATS_POSTS)
    github = run_cli(["check", "--no-cache", "--statistics", "--output-format", "github", "."], cwd=site)
    lines = github.out.splitlines()
    # Annotations stay; the plain lines are the counts, not the findings.
    assert sum(line.startswith(("::error ", "::warning ")) for line in lines) == 4
    assert not any(line.startswith("_posts/") for line in lines)
    assert any(line.split()[:2] == ["3", "FM003"] for line in lines)
    # SARIF: the whole log for code scanning, the counts on standard error.
    sarif = run_cli(["check", "--no-cache", "--statistics", "--output-format", "sarif", "."], cwd=site)
    plain = run_cli(["check", "--no-cache", "--output-format", "sarif", "."], cwd=site)
    doc = json.loads(sarif.out)
    sarif_validator.validate(doc)
    assert len(doc["runs"][0]["results"]) == len(json.loads(plain.out)["runs"][0]["results"]) == 4
    assert any(line.split()[:2] == ["3", "FM003"] for line in sarif.err.splitlines())
    for fmt in ("text", "concise"):
        out = run_cli(["check", "--no-cache", "--statistics", "--output-format", fmt, "."], cwd=site).out
        assert any(line.split()[:2] == ["1", "EN002"] for line in out.splitlines())
        assert not any(line.startswith("_posts/") for line in out.splitlines())


def test_summary_line_counts_files_with_findings_and_files_checked(tmp_path: Path) -> None:
    import re

    site = write_site(tmp_path, STATS_POSTS)
    for fmt in ("text", "concise"):
        out = run_cli(["check", "--no-cache", "--output-format", fmt, "."], cwd=site).out
        numbers = [
            m.groups() for m in re.finditer(r"^(\d+) findings? in (\d+) files? \((\d+) checked\)", out, re.MULTILINE)
        ]
        assert numbers == [("4", "2", "3")], out
    clean = run_cli(["check", "--no-cache", "_posts/2019-05-13-schoon.md"], cwd=site)
    assert re.search(r"\(1 file checked\)", clean.out)


# -- say what was done (issue 11, point 9) ----------------------------------------------


def _verbose_site(tmp_path: Path) -> Path:
    (tmp_path / "site").mkdir()
    site = write_site(tmp_path / "site", {
        "_posts/2019-05-13-a.md": "---\nlayout: post\ntitle: a\nexternal_link: https://example.invalid/\n---\n<p>x</p>\n",
        "_posts/2019-05-14-b.md": "---\nlayout: post\ntitle: b\n---\n<p>x</p>\n",
        "_posts/import/2019-05-15-c.md": "---\nlayout: post\ntitle: c\n---\n<p>x</p>\n",
        "_posts/archief/2019-05-16-d.md": "---\nlayout: post\ntitle: d\n---\n<p>x</p>\n",
    }, config="title: T\nexclude: [_posts/archief]\n")
    (site / ".postlint.toml").write_text('exclude = ["_posts/import"]\nignore = ["HD"]\n', encoding="utf-8")
    return site


def test_verbose_names_configuration_sites_files_and_rules(tmp_path: Path) -> None:
    site = _verbose_site(tmp_path)
    result = run_cli(["check", "-v", "--no-network", "--no-cache", "."], cwd=site)
    assert result.code == 0, result.err
    lines = result.err.splitlines()
    assert f"postlint: configuration: {site / '.postlint.toml'} (the nearest above the paths)" in lines
    assert f"postlint: Jekyll site: {site / '_config.yml'}" in lines
    files = next(line for line in lines if line.startswith("postlint: files: "))
    assert files == (
        "postlint: files: 4 found, 2 excluded (1 by Jekyll's exclude; 1 by the configuration's exclude), 2 to lint"
    )
    ran = next(line for line in lines if line.startswith("postlint: rules: "))
    assert "FM003" in ran and "URL001" not in ran and "HD001" not in ran
    skipped = next(line for line in lines if line.startswith("postlint: rules skipped, network off (--no-network): "))
    assert skipped.endswith("URL001, URL002, URL003, URL004, URL005")
    assert any(line.startswith("postlint: rules not selected (select/ignore): HD001, HD002, HD003") for line in lines)
    # A partial run: the rule that needs the whole site says it skipped itself.
    single = run_cli(["check", "-v", "--no-network", "--no-cache", "_posts/2019-05-14-b.md"], cwd=site)
    assert any(line.startswith("postlint: JK002 skipped") for line in single.err.splitlines())
    # Without -v, none of it.
    quiet = run_cli(["check", "--no-network", "--no-cache", "."], cwd=site)
    assert "configuration:" not in quiet.err and "rules:" not in quiet.err
    # No configuration file: said too.
    (tmp_path / "bare").mkdir()
    bare = write_site(tmp_path / "bare", {"_posts/2019-05-14-b.md": "---\nlayout: post\ntitle: b\n---\n<p>x</p>\n"})
    result = run_cli(["check", "-v", "--no-network", "--no-cache", "."], cwd=bare)
    assert any(line.startswith("postlint: configuration: none found") for line in result.err.splitlines())


def test_url_rules_that_find_no_url_field_say_so(tmp_path: Path) -> None:
    site = _verbose_site(tmp_path)
    (site / ".postlint.toml").write_text('[urls]\nallow-hosts = ["127.0.0.1"]\n', encoding="utf-8")
    result = run_cli(["check", "--no-cache", "."], cwd=site)
    assert result.code == 0, result.err
    assert ("postlint: URL rules: no URL fields in 3 posts: fields are canonical_url, externe_link, feature_image, "
            "image, redirect_to; "
            "body links are not checked (body-links = false)") in result.err.splitlines()
    # The field it holds, configured: no such line, and no request leaves the machine (the host is refused).
    (site / ".postlint.toml").write_text('[urls]\nfields = {external_link = "page"}\n', encoding="utf-8")
    result = run_cli(["check", "--no-cache", "--select", "URL004", "."], cwd=site)
    assert "no URL fields" not in result.err
    # Offline, the URL rules do not run, and say nothing of fields.
    assert "no URL fields" not in run_cli(["check", "--no-network", "--no-cache", "."], cwd=site).err


def test_show_files_and_show_settings(tmp_path: Path) -> None:
    import json

    site = _verbose_site(tmp_path)
    (site / ".postlint.toml").write_text(
        'exclude = ["_posts/import"]\n[per-file-ignores]\n"_posts/2019-05-13-*" = ["FM003"]\n', encoding="utf-8")
    files = run_cli(["check", "--show-files", "."], cwd=site)
    assert files.code == 0 and files.out.splitlines() == ["_posts/2019-05-13-a.md", "_posts/2019-05-14-b.md"]
    inside = run_cli(["check", "--show-files", "."], cwd=site / "_posts")
    assert inside.out.splitlines() == ["2019-05-13-a.md", "2019-05-14-b.md"]
    forced = run_cli(
        ["check", "--show-files", "--force-exclude", "_posts/import/2019-05-15-c.md", "_posts/2019-05-14-b.md"],
        cwd=site,
    )
    assert forced.out.splitlines() == ["_posts/2019-05-14-b.md"]
    assert not (site / ".postlint_cache").exists()  # nothing linted, nothing stored

    shown = run_cli(["check", "--show-settings", "--no-network", "_posts/2019-05-13-a.md"], cwd=site)
    assert shown.code == 0
    doc = json.loads(shown.out)
    assert doc["configuration"] == str(site / ".postlint.toml")
    assert doc["exclude"] == ["_posts/import"] and doc["network"] is False
    assert doc["network-off-by"] == "--no-network"
    assert doc["rules-skipped"]["URL001"] == "network off"
    assert doc["rules"]["DT001"]["options"]["format"] == "rfc2822"
    here = doc["paths"]["_posts/2019-05-13-a.md"]
    assert here["ignored-here"] == ["FM003"] and here["relative-to-root"] == "_posts/2019-05-13-a.md"
    assert here["site"]["config"] == str(site / "_config.yml") and here["site"]["exclude"] == ["_posts/archief"]


def test_an_unknown_command_word_is_no_such_command_or_path(tmp_path: Path) -> None:
    for word, hint in (("chekc", "check"), ("rulez", "rule"), ("lint", None)):
        result = run_cli([word], cwd=tmp_path)
        assert result.code == 2
        assert f"{word}: no such command or path" in result.err
        assert (f"postlint {hint}" in result.err) if hint else "commands: check, rule, rules" in result.err
    # A word that is a path is linted as before.
    (tmp_path / "lint").mkdir()
    assert run_cli(["lint"], cwd=tmp_path).code == 0
    assert "no such file or folder" in run_cli(["check", "nowhere"], cwd=tmp_path).err


def test_fix_from_inside_posts_writes_the_same_bytes(tmp_path: Path) -> None:
    # DT003: the obsolete zone name GMT, a safe fix to +0000.
    post = "---\nlayout: post\ntitle: a\ndate: Mon, 13 May 2019 10:00:00 GMT\n---\n<p>x</p>\n"
    results = []
    for where in ("root", "posts"):
        site = tmp_path / where
        site.mkdir()
        write_site(site, {"_posts/2019-05-13-a.md": post, "_posts/nl/2019-05-13-b.md": post})
        cwd = site if where == "root" else site / "_posts" / "nl"
        target = "." if where == "root" else ".."
        result = run_cli(["check", "--no-cache", "--fix", "--output-format", "json", target], cwd=cwd)
        assert result.json()["summary"]["fixed"] == 2, result.err
        again = run_cli(["check", "--no-cache", "--fix", "--output-format", "json", target], cwd=cwd)
        assert again.json()["summary"]["fixed"] == 0
        results.append(sorted((p.relative_to(site).as_posix(), p.read_bytes()) for p in site.rglob("*.md")))
    assert results[0] == results[1]
    assert all(b"+0000" in content for _, content in results[0])


def test_without_configuration_the_cache_lives_beside_config_yml(tmp_path: Path) -> None:
    site = write_site(tmp_path, {"_posts/2019-05-13-a.md": "---\nlayout: post\ntitle: a\n---\n<p>x</p>\n"})
    assert run_cli(["check", "--no-network", "."], cwd=site / "_posts").code == 0
    assert (site / ".postlint_cache").is_dir() and not (site / "_posts" / ".postlint_cache").exists()
    # And is used from the root as from inside _posts.
    result = run_cli(["check", "-v", "--no-network", "_posts/2019-05-13-a.md"], cwd=site)
    assert "result cache: 1 of 1 posts unchanged" in result.err


def test_cached_results_are_shown_where_one_stands(tmp_path: Path) -> None:
    site = _site(tmp_path)
    (site / ".postlint.toml").write_text("", encoding="utf-8")
    fresh = _findings(["--no-network", "."], site, site)
    first = run_cli(["check", "--no-network", "-v", "--output-format", "json", "."], cwd=site)
    assert "result cache: 0 of 5 posts unchanged, 5 stored" in first.err
    for cwd, arg in ((site / "_posts", "."), (tmp_path, str(Path("repo") / "site"))):
        again = run_cli(["check", "--no-network", "-v", "--output-format", "json", arg], cwd=cwd)
        assert "result cache: 5 of 5 posts unchanged" in again.err
        shown = sorted(
            (os.path.relpath(os.path.realpath(cwd / d["path"]), os.path.realpath(site)).replace(os.sep, "/"),
             d["line"], d["column"], d["code"])
            for d in again.json()["diagnostics"]
        )
        assert shown == fresh


def test_paths_through_a_linked_folder_are_shown_as_given(tmp_path: Path) -> None:
    # A checkout reached through a symbolic link (`ln -s ~/src/blog site`):
    # the paths stay the ones typed, relative to where one stands, as ruff
    # and markdownlint show them, not absolute paths of where the link leads.
    site = _site(tmp_path)
    (tmp_path / "link").symlink_to(site, target_is_directory=True)
    result = run_cli(["check", "--no-cache", "--output-format", "json", "link"], cwd=tmp_path)
    paths = {d["path"] for d in result.json()["diagnostics"]}
    assert "link/_posts/nieuws-zonder-datum.md" in paths, paths
    assert all(p.startswith("link/_posts/") for p in paths), paths
    assert _findings(["link"], tmp_path, site) == _findings(["."], site, site)
    result = run_cli(
        ["check", "--no-cache", "--output-format", "json", "link/_posts/nieuws-zonder-datum.md"], cwd=tmp_path
    )
    assert [(d["path"], d["code"]) for d in result.json()["diagnostics"]] == [
        ("link/_posts/nieuws-zonder-datum.md", "JK001")
    ]
    result = run_cli(["check", "--show-files", "link/_posts/nl"], cwd=tmp_path)
    assert result.out.splitlines() == ["link/_posts/nl/2019-05-15-genest.md"]


def _codes_at(args: list[str], cwd: Path, site: Path) -> set[tuple[str, str]]:
    return {(rel, code) for rel, _, _, code in _findings(args, cwd, site)}


def test_patterns_spelt_with_dot_segments_match(tmp_path: Path) -> None:
    # `./x` and `../x`, as a shell user types them (ruff accepts both): the
    # same files as `x`, relative to the working folder on the command line
    # and to the configuration's folder in it; never silently nothing.
    site = _site(tmp_path)
    jk001 = ("_posts/nieuws-zonder-datum.md", "JK001")
    nested = ("_posts/nl/2019-05-15-genest.md", "DT004")
    posts, nl = site / "_posts", site / "_posts" / "nl"
    assert {jk001, nested} <= _codes_at(["."], posts, site)
    for args, cwd, gone in (
        (["--exclude", "./nieuws-zonder-datum.md", "."], posts, jk001),
        (["--extend-exclude", "./_posts/nieuws-zonder-datum.md", "."], site, jk001),
        (["--exclude", "../nieuws-zonder-datum.md", ".."], nl, jk001),
        (["--per-file-ignores", "./nl/*:DT004", "."], posts, nested),
        (["--extend-per-file-ignores", "../nl/./*:DT", ".."], nl, nested),
        (["--exclude", "./2019-05-15-genest.md", ".."], nl, nested),
    ):
        found = _codes_at(args, cwd, site)
        assert gone not in found, (args, cwd)
        assert {jk001, nested} - {gone} <= found, (args, cwd)
    (site / ".postlint.toml").write_text(
        'exclude = ["./_posts/nieuws-zonder-datum.md"]\n[per-file-ignores]\n"./_posts/nl/*" = ["DT004"]\n'
        "[urls]\nnetwork = false\n", encoding="utf-8"
    )
    found = _codes_at(["."], posts, site)
    assert jk001 not in found and nested not in found and ("_posts/2019-05-23-zomertijd.md", "DT004") in found


def test_a_dot_pattern_stays_anchored_where_it_was_written(tmp_path: Path) -> None:
    # `./2019-05-15-genest.md` from the site's root names a file there, not
    # every file of that name below it.
    site = _site(tmp_path)
    nested = ("_posts/nl/2019-05-15-genest.md", "DT004")
    assert nested in _codes_at(["--exclude", "./2019-05-15-genest.md", "."], site, site)
    assert nested not in _codes_at(["--exclude", "2019-05-15-genest.md", "."], site, site)
    (site / ".postlint.toml").write_text(
        'exclude = ["./2019-05-15-genest.md"]\n[urls]\nnetwork = false\n', encoding="utf-8"
    )
    assert nested in _codes_at(["."], site, site)
