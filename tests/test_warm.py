"""The warm run (postlint.engine.warm): a `check` whose inputs are unchanged
prints the recorded output again, byte for byte and with the same exit status,
without running the linter; any change of what the output depends on is a
miss, and the ordinary run follows."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from postlint.engine import run as runner
from postlint.engine import warm
from tests.conftest import CliResult, run_cli, write_site

FORMATS = ("text", "concise", "json", "sarif", "github", "html")
NOW = "2026-12-02T10:00:00+00:00"

POST = """---
layout: post
title: "Sluis dicht"
date: 2019-05-13 08:00:00 +0200
---
<p>De sluis is dicht.</p>
<p><img src="/assets/img/sluis.jpg" alt="sluis"> <img src="/assets/img/brug.jpg" alt="brug"></p>
"""

FUTURE = """---
layout: post
title: "Later"
date: 2091-01-01 12:00:00 +0000
---
<p>Nog niet.</p>
"""

CLEAN = """---
layout: post
title: "Brug open"
date: 2019-05-14 09:00:00 +0200
---
<p>De brug is open.</p>
"""


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    # Files the test just wrote are "racily clean" to the real threshold: no
    # record would ever be kept. The test's edits come after whole runs.
    monkeypatch.setattr(warm, "RACY_NS", 0)
    monkeypatch.setenv("POSTLINT_NOW", NOW)
    root = tmp_path / "site"
    root.mkdir()
    write_site(root, {
        "index.html": "---\nlayout: default\n---\n<p>Thuis</p>\n",
        "_layouts/default.html": "<html>{{ content }}</html>\n",
        "_layouts/post.html": "<html>{{ content }}</html>\n",
        "assets/img/sluis.jpg": b"\xff\xd8jpeg",
        ".rumdl_cache/entry.json": "{}",
        "_posts/2019-05-13-sluis-dicht.md": POST,
        "_posts/2019-05-14-brug-open.md": CLEAN,
        "_posts/2091-01-01-later.md": FUTURE,
    })
    return root


@pytest.fixture
def runs(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """One entry per full run (engine.run.run) from now on."""
    calls: list[int] = []
    original = runner.run

    def counted(*args: Any, **kwargs: Any) -> runner.RunResult:
        calls.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(runner, "run", counted)
    return calls


def _check(root: Path, *args: str) -> CliResult:
    return run_cli(["check", "--no-network", *args, "."], cwd=root)


def _same(a: CliResult, b: CliResult) -> None:
    assert (a.code, a.out, a.err) == (b.code, b.out, b.err)


def _codes(result: CliResult) -> list[tuple[str, int, int, str]]:
    data = json.loads(result.out)
    return sorted((d["path"], d["line"], d["column"], d["code"]) for d in data["diagnostics"])


@pytest.mark.parametrize("output_format", FORMATS)
def test_the_warm_run_prints_what_the_full_run_prints(site: Path, runs: list[int], output_format: str) -> None:
    args = ("--output-format", output_format)
    cold = _check(site, *args)
    assert cold.code == 1 and len(runs) == 1
    fast = _check(site, *args)
    assert len(runs) == 1  # nothing ran: the record answered
    _same(fast, cold)
    # The full path on the same inputs (the record gone) prints the same again.
    for record in (site / ".postlint_cache" / "runs").iterdir():
        record.unlink()
    full = _check(site, *args)
    assert len(runs) == 2
    _same(full, fast)


def test_the_report_file_and_exit_status_are_written_again(site: Path, runs: list[int]) -> None:
    report = site.parent / "report.json"
    cold = _check(site, "--output-format", "json", "-o", str(report), "--exit-zero")
    first = report.read_text(encoding="utf-8")
    report.unlink()
    fast = _check(site, "--output-format", "json", "-o", str(report), "--exit-zero")
    assert len(runs) == 1
    _same(fast, cold)
    assert fast.code == 0
    assert report.read_text(encoding="utf-8") == first
    assert ("DT005" in first) and ("JK003" in first)


def test_a_report_file_inside_the_site_counts_by_name(site: Path, runs: list[int]) -> None:
    # The first run finds no report.json, the second finds the first's: kept.
    first = _check(site, "--output-format", "json", "-o", "report.json")
    second = _check(site, "--output-format", "json", "-o", "report.json")
    assert len(runs) == 2
    third = _check(site, "--output-format", "json", "-o", "report.json")
    assert len(runs) == 2
    _same(third, second)
    assert first.code == third.code == 1
    assert json.loads((site / "report.json").read_text(encoding="utf-8"))["diagnostics"]


def _edit(root: Path) -> None:
    path = root / "_posts/2019-05-14-brug-open.md"
    path.write_text(CLEAN.replace("<p>De brug is open.</p>", "<p>De brug is open.</p>\n<h1>Kop</h1>"),
                    encoding="utf-8")


def _touch(root: Path) -> None:
    path = root / "_posts/2019-05-14-brug-open.md"
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns - 1_000_000_000))  # the ctime is now


def _add_post(root: Path) -> None:
    (root / "_posts/2019-05-15-nieuw.md").write_text(CLEAN.replace("Brug open", "Nieuw"), encoding="utf-8")


def _remove_post(root: Path) -> None:
    (root / "_posts/2091-01-01-later.md").unlink()


def _add_referenced(root: Path) -> None:
    (root / "assets/img/brug.jpg").write_bytes(b"\xff\xd8jpeg")


def _remove_referenced(root: Path) -> None:
    (root / "assets/img/sluis.jpg").unlink()


def _site_config(root: Path) -> None:
    (root / "_config.yml").write_text("title: Test\nfuture: true\n", encoding="utf-8")


def _new_config(root: Path) -> None:
    (root / ".postlint.toml").write_text('ignore = ["JK003"]\n', encoding="utf-8")


def _config_above(root: Path) -> None:
    (root.parent / "pyproject.toml").write_text('[tool.postlint]\nignore = ["DT005"]\n', encoding="utf-8")


@pytest.mark.parametrize("change", [_edit, _touch, _add_post, _remove_post, _add_referenced, _remove_referenced,
                                    _site_config, _new_config, _config_above])
def test_each_change_is_a_miss(site: Path, runs: list[int], change: Callable[[Path], None]) -> None:
    _check(site, "--output-format", "json")
    _check(site, "--output-format", "json")
    assert len(runs) == 1
    change(site)
    after = _check(site, "--output-format", "json")
    assert len(runs) == 2
    _same(after, _check(site, "--output-format", "json", "--no-cache"))
    # And the new state was kept in turn.
    again = _check(site, "--output-format", "json")
    assert len(runs) == 3
    _same(again, after)


def test_a_change_the_output_shows(site: Path, runs: list[int]) -> None:
    before = _codes(_check(site, "--output-format", "json"))
    assert ("_posts/2019-05-13-sluis-dicht.md", 7, 60, "JK003") in before
    _add_referenced(site)
    assert ("_posts/2019-05-13-sluis-dicht.md", 7, 60, "JK003") not in _codes(_check(site, "--output-format", "json"))


def test_a_rule_option_and_the_command_line_are_part_of_the_key(site: Path, runs: list[int]) -> None:
    config = site / ".postlint.toml"
    config.write_text('[dates]\nbuild-timezone = "UTC"\n', encoding="utf-8")
    _check(site)
    _check(site)
    assert len(runs) == 1
    config.write_text('[dates]\nbuild-timezone = "Pacific/Kiritimati"\n', encoding="utf-8")
    _check(site)
    assert len(runs) == 2
    _check(site, "--ignore", "JK003")
    assert len(runs) == 3
    _check(site, "--output-format", "concise")
    assert len(runs) == 4
    _check(site)
    assert len(runs) == 4  # the first command line's record, still fresh


def test_the_baseline_file_is_part_of_the_record(site: Path, runs: list[int]) -> None:
    baseline = site.parent / "baseline.json"
    _check(site, "--write-baseline", str(baseline))
    assert len(runs) == 1
    first = _check(site, "--baseline", str(baseline))
    assert first.code == 0
    _check(site, "--baseline", str(baseline))
    assert len(runs) == 2
    data = json.loads(baseline.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    (site / "_posts/2019-05-16-later.md").write_text(FUTURE.replace("2091-01-01", "2092-01-01"), encoding="utf-8")
    _check(site, "--write-baseline", str(baseline))  # a new baseline, not kept itself
    runs_before = len(runs)
    shown = _check(site, "--baseline", str(baseline))
    assert len(runs) == runs_before + 1
    _same(shown, _check(site, "--baseline", str(baseline), "--no-cache"))


def test_the_clock_passing_a_future_date_is_a_miss(
    site: Path, runs: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    future = ("_posts/2091-01-01-later.md", 4, 7, "DT005")
    monkeypatch.setenv("POSTLINT_NOW", "2091-01-01T11:59:59+00:00")
    assert future in _codes(_check(site, "--output-format", "json"))
    assert future in _codes(_check(site, "--output-format", "json"))
    assert len(runs) == 1
    monkeypatch.setenv("POSTLINT_NOW", "2091-01-01T12:00:01+00:00")
    passed = _check(site, "--output-format", "json")
    assert len(runs) == 2
    assert future not in _codes(passed)
    # A clock set back before the latest past date is a miss too.
    monkeypatch.setenv("POSTLINT_NOW", "2019-05-13T12:00:00+00:00")
    earlier = _check(site, "--output-format", "json")
    assert len(runs) == 3
    assert ("_posts/2019-05-14-brug-open.md", 4, 7, "DT005") in _codes(earlier)


def test_a_file_in_a_folder_that_counts_by_name_only_does_not_matter(site: Path, runs: list[int]) -> None:
    _check(site)
    (site / ".rumdl_cache/entry.json").write_text('{"rewritten": true}', encoding="utf-8")  # another tool's cache
    _check(site)
    assert len(runs) == 1
    (site / ".rumdl_cache/other.json").write_text("{}", encoding="utf-8")  # a new name does
    _check(site)
    assert len(runs) == 2


@pytest.mark.parametrize("damage", [b"", b"{", b"[1, 2]", b'{"format": "warm-v1"}', b"\xff\xfe"])
def test_a_damaged_record_is_a_miss(site: Path, runs: list[int], damage: bytes) -> None:
    cold = _check(site, "--output-format", "json")
    (record,) = (site / ".postlint_cache" / "runs").iterdir()
    record.write_bytes(damage)
    again = _check(site, "--output-format", "json")
    assert len(runs) == 2
    _same(again, cold)


def test_a_record_with_the_wrong_shape_is_a_miss(site: Path, runs: list[int]) -> None:
    cold = _check(site, "--output-format", "json")
    (record,) = (site / ".postlint_cache" / "runs").iterdir()
    data = json.loads(record.read_text(encoding="utf-8"))
    for damaged in ({**data, "events": [["out"]]}, {**data, "events": "x"}, {**data, "files": []},
                    {**data, "clock": [1]}, {**data, "walk": 0}, {**data, "inert": None}):
        record.write_text(json.dumps(damaged), encoding="utf-8")
        _same(_check(site, "--output-format", "json"), cold)
    assert len(runs) == 7


def test_just_written_files_are_not_recorded(site: Path, runs: list[int], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(warm, "RACY_NS", 2_000_000_000)
    _check(site)
    _check(site)
    assert len(runs) == 2
    assert not list((site / ".postlint_cache" / "runs").glob("*.json"))


@pytest.mark.parametrize("extra", [("--fix",), ("--diff",), ("-v",), ("--no-cache",), ("--statistics", "--fix")])
def test_runs_that_change_or_explain_things_take_the_full_path(
    site: Path, runs: list[int], extra: tuple[str, ...]
) -> None:
    _check(site, *extra)
    _check(site, *extra)
    assert len(runs) == 2


def test_a_file_named_on_the_command_line_takes_the_full_path(site: Path, runs: list[int]) -> None:
    for _ in range(2):
        run_cli(["check", "--no-network", "_posts/2091-01-01-later.md"], cwd=site)
    assert len(runs) == 2


def test_what_went_to_standard_error_is_written_again(site: Path, runs: list[int]) -> None:
    (site / "_config.yml").write_text("title: [unclosed\n", encoding="utf-8")
    cold = _check(site)
    assert "warning" in cold.err
    fast = _check(site)
    assert len(runs) == 1
    _same(fast, cold)


def test_a_linked_post_outside_the_site_is_followed(tmp_path: Path, site: Path, runs: list[int]) -> None:
    (tmp_path / ".git").mkdir()  # the repository: the link stays inside it
    shared = tmp_path / "shared"
    shared.mkdir()
    target = shared / "post.md"
    target.write_text(CLEAN, encoding="utf-8")
    (site / "_posts/2019-05-20-gedeeld.md").symlink_to(target)
    _check(site, "--output-format", "json")
    _check(site, "--output-format", "json")
    assert len(runs) == 1
    target.write_text(CLEAN.replace("<p>De brug is open.</p>", "<p>Open.</p>\n<h1>Kop</h1>"), encoding="utf-8")
    after = _check(site, "--output-format", "json")
    assert len(runs) == 2
    _same(after, _check(site, "--output-format", "json", "--no-cache"))


def test_the_warm_run_imports_neither_rules_nor_reporters(site: Path, tmp_path: Path) -> None:
    import subprocess
    import sys

    listing = tmp_path / "modules.txt"
    script = (
        "import os, sys\n"
        "from postlint.engine import warm\n"
        "warm.RACY_NS = 0\n"  # the files were just written (see the fixture)
        "from postlint.cli import main\n"
        "code = main(sys.argv[1:])\n"
        "with open(os.environ['LISTING'], 'w') as f:\n"
        "    f.write('\\n'.join(sorted(sys.modules)))\n"
        "sys.exit(code)\n"
    )
    env = {**os.environ, "POSTLINT_JOBS": "1", "LISTING": str(listing)}

    def check() -> tuple[subprocess.CompletedProcess[bytes], set[str]]:
        proc = subprocess.run([sys.executable, "-c", script, "check", "--no-network", "."], cwd=site, env=env,
                              capture_output=True, timeout=120, check=False)
        return proc, set(listing.read_text(encoding="utf-8").split())

    # `python -c` puts the working folder on sys.path, and the key holds each
    # entry's mtime: the cache folder made first, as a run before would have.
    (site / ".postlint_cache").mkdir()
    first, cold = check()
    second, warm_modules = check()
    assert (first.returncode, first.stdout, first.stderr) == (second.returncode, second.stdout, second.stderr)
    heavy = {m for m in cold if m.startswith(("postlint.rules", "postlint.reporters", "postlint.engine.linter"))}
    assert heavy  # the full run needed them
    assert not heavy & warm_modules


# -- inputs that once replayed a stale record (the adversarial review) -------------


def _edited_twice(site: Path, runs: list[int], path: Path, body: str, *args: str) -> None:
    """Two runs (the second a replay), `path` rewritten, then a run that must
    be a miss and print what a run without the cache prints."""
    _check(site, "--output-format", "json", *args)
    _check(site, "--output-format", "json", *args)
    assert len(runs) == 1
    path.write_text(body, encoding="utf-8")
    after = _check(site, "--output-format", "json", *args)
    assert len(runs) == 2
    _same(after, _check(site, "--output-format", "json", "--no-cache", *args))


H1 = CLEAN.replace("<p>De brug is open.</p>", "<h1>Kop</h1>")


def test_an_edited_draft_is_a_miss(site: Path, runs: list[int]) -> None:
    draft = site / "_drafts/concept.md"
    draft.parent.mkdir()
    draft.write_text(CLEAN, encoding="utf-8")
    _edited_twice(site, runs, draft, H1)
    assert ("_drafts/concept.md", 6, 1, "HD002") in _codes(_check(site, "--output-format", "json"))


@pytest.mark.parametrize("folder", ["_i18n/nl/_posts", ".archief/_posts", "_i18n/nl/_drafts"])
def test_a_post_folder_below_a_folder_that_counts_by_name_is_stat_ed(
    site: Path, runs: list[int], folder: str
) -> None:
    post = site / folder / "2019-05-14-vertaald.md"
    post.parent.mkdir(parents=True)
    post.write_text(CLEAN, encoding="utf-8")
    _edited_twice(site, runs, post, H1)
    assert (f"{folder}/2019-05-14-vertaald.md", 6, 1, "HD002") in _codes(_check(site, "--output-format", "json"))


def test_a_post_under_a_folder_the_site_excludes_by_a_rooted_pattern_is_stat_ed(site: Path, runs: list[int]) -> None:
    # Jekyll's exclude "/archief" and discovery's reading of it may differ:
    # what discovery lints is stat'ed whatever the site rules think of it.
    (site / "_config.yml").write_text('title: Test\nexclude: ["/archief"]\n', encoding="utf-8")
    post = site / "nl/archief/_posts/2019-05-14-oud.md"
    post.parent.mkdir(parents=True)
    post.write_text(CLEAN, encoding="utf-8")
    _edited_twice(site, runs, post, H1)


def test_a_new_post_below_a_folder_that_counts_by_name_is_a_miss(site: Path, runs: list[int]) -> None:
    _check(site)
    _check(site)
    assert len(runs) == 1
    (site / ".rumdl_cache/_posts").mkdir()
    (site / ".rumdl_cache/_posts/2019-05-14-x.md").write_text(H1, encoding="utf-8")
    after = _check(site, "--output-format", "json")
    assert len(runs) == 2
    assert (".rumdl_cache/_posts/2019-05-14-x.md", 6, 1, "HD002") in _codes(after)


def test_a_plugin_helper_module_edited_is_a_miss(tmp_path: Path, site: Path) -> None:
    import subprocess
    import sys

    plugins = tmp_path / "plugins"
    (plugins / "xwarm").mkdir(parents=True)
    info = plugins / "xwarm-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: xwarm\nVersion: 0.1\n", encoding="utf-8")
    (info / "entry_points.txt").write_text("[postlint.rules]\nXW900 = xwarm.rule\n", encoding="utf-8")
    (plugins / "xwarm/__init__.py").write_text("", encoding="utf-8")
    helper = plugins / "xwarm/words.py"
    helper.write_text('BANNED = ["nothing"]\n', encoding="utf-8")
    (plugins / "xwarm/rule.py").write_text(
        '"""A title with a banned word.\n\n## What it does\nFlags it.\n"""\n'
        "CODE = 'XW900'\nNAME = 'banned-title'\nSEVERITY = 'error'\n\n"
        "def check(post, options):\n"
        "    from xwarm.words import BANNED  # imported lazily, by the rule alone\n"
        "    title = str(post.data.get('title', ''))\n"
        "    if any(w in title for w in BANNED):\n"
        "        span = post.locate(('title',))\n"
        "        yield post.diagnostic(CODE, span.start, span.end, 'banned')\n",
        encoding="utf-8",
    )
    script = ("import sys\nfrom postlint.engine import warm\nwarm.RACY_NS = 0\nfrom postlint.cli import main\n"
              "sys.exit(main(sys.argv[1:]))\n")
    env = {**os.environ, "POSTLINT_JOBS": "1", "PYTHONPATH": str(plugins), "POSTLINT_NOW": NOW}
    (site / ".postlint_cache").mkdir()  # `python -c` puts the site on sys.path, whose folders are in the key

    def check(*extra: str) -> tuple[int, bytes]:
        proc = subprocess.run([sys.executable, "-c", script, "check", "--no-network", "--select", "XW900",
                               "--output-format", "json", *extra, "."], cwd=site, env=env, capture_output=True,
                              timeout=120, check=False)
        return proc.returncode, proc.stdout

    first = check()
    assert first[0] == 0
    assert check() == first
    helper.write_text('BANNED = ["Brug"]\n', encoding="utf-8")
    after = check()
    assert after == check("--no-cache")
    assert after[0] == 1 and b"XW900" in after[1]


def test_a_linked_post_whose_folder_becomes_a_site_is_a_miss(tmp_path: Path, site: Path, runs: list[int]) -> None:
    (tmp_path / ".git").mkdir()
    shared = tmp_path / "shared"
    shared.mkdir()
    target = shared / "2019-05-20-gedeeld.md"
    target.write_text(CLEAN.replace("2019-05-14 09:00:00 +0200", "2019-05-20 23:30:00"), encoding="utf-8")
    (site / "_posts/2019-05-20-gedeeld.md").symlink_to(target)
    _check(site, "--output-format", "json")
    _check(site, "--output-format", "json")
    assert len(runs) == 1
    (shared / "_config.yml").write_text("title: Ander\ntimezone: Asia/Tokyo\n", encoding="utf-8")
    after = _check(site, "--output-format", "json")
    assert len(runs) == 2
    # (What it changes is another process's to see: find_site keeps each
    # folder's answer for the process; /tmp/warmreview's script 2 shows DT004.)
    _same(after, _check(site, "--output-format", "json", "--no-cache"))


def test_a_sarif_root_through_a_link_is_keyed_by_where_it_leads(tmp_path: Path, site: Path, runs: list[int]) -> None:
    link = tmp_path / "rootlink"
    link.symlink_to(site)
    args = ("--output-format", "sarif", "--sarif-root", str(link))
    _check(site, *args)
    _check(site, *args)
    assert len(runs) == 1
    link.unlink()
    link.symlink_to(tmp_path)
    after = _check(site, *args)
    assert len(runs) == 2
    _same(after, _check(site, *args, "--no-cache"))
    assert "site/_posts/" in after.out


def test_an_invalid_clock_is_a_miss(site: Path, runs: list[int], monkeypatch: pytest.MonkeyPatch) -> None:
    # No dated post: the record's clock span is unbounded.
    for post in (site / "_posts").iterdir():
        post.unlink()
    (site / "_drafts").mkdir()
    (site / "_drafts/concept.md").write_text(CLEAN.replace("date: 2019-05-14 09:00:00 +0200\n", ""),
                                              encoding="utf-8")
    _check(site, "--output-format", "json")
    _check(site, "--output-format", "json")
    assert len(runs) == 1
    monkeypatch.setenv("POSTLINT_NOW", "garbage")
    after = _check(site, "--output-format", "json")
    assert len(runs) == 2
    assert after.code == 2 and "PL000" in {d[3] for d in _codes(after)}


def test_the_tz_database_is_part_of_the_record(tmp_path: Path, site: Path, runs: list[int],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil
    import zoneinfo

    try:
        source = zoneinfo.ZoneInfo("Asia/Tokyo")
    except zoneinfo.ZoneInfoNotFoundError:
        pytest.skip("no tz database here")
    del source
    tzdir = tmp_path / "tz"
    (tzdir / "Asia").mkdir(parents=True)
    found = next((Path(d) / "Asia/Tokyo" for d in zoneinfo.TZPATH if (Path(d) / "Asia/Tokyo").is_file()), None)
    if found is None:
        pytest.skip("no tz database folder here")
    shutil.copyfile(found, tzdir / "Asia/Tokyo")
    (site / "_config.yml").write_text("title: Test\ntimezone: Asia/Tokyo\n", encoding="utf-8")
    (site / "_posts/2019-05-20-laat.md").write_text(CLEAN.replace("2019-05-14 09:00:00 +0200", "2019-05-20 23:30:00"),
                                                     encoding="utf-8")
    original = zoneinfo.TZPATH
    zoneinfo.reset_tzpath([str(tzdir)])
    zoneinfo.ZoneInfo.clear_cache()
    try:
        assert ("_posts/2019-05-20-laat.md", 4, 7, "DT004") in _codes(_check(site, "--output-format", "json"))
        _check(site, "--output-format", "json")
        assert len(runs) == 1
        # The zone file replaced (a tz database update): a miss.
        shutil.copyfile(found.parent.parent / "Etc/UTC", tzdir / "Asia/Tokyo.new")
        os.replace(tzdir / "Asia/Tokyo.new", tzdir / "Asia/Tokyo")
        zoneinfo.ZoneInfo.clear_cache()
        after = _check(site, "--output-format", "json")
        assert len(runs) == 2
        assert ("_posts/2019-05-20-laat.md", 4, 7, "DT004") not in _codes(after)
        # PYTHONTZPATH (which moves the database in a new process) is in the key.
        _check(site, "--output-format", "json")
        assert len(runs) == 2
        monkeypatch.setenv("PYTHONTZPATH", str(tmp_path / "elsewhere"))
        _check(site, "--output-format", "json")
        assert len(runs) == 3
    finally:
        # (The search path as it was: reset_tzpath() would read the
        # PYTHONTZPATH set above, and later tests would find no zone.)
        zoneinfo.reset_tzpath(original)
        zoneinfo.ZoneInfo.clear_cache()


def test_a_commit_in_the_repository_is_no_miss(site: Path, runs: list[int]) -> None:
    git = site / ".git"
    git.mkdir()
    _check(site)
    _check(site)
    assert len(runs) == 1
    (git / "index").write_bytes(b"DIRC")  # what `git add` does to .git
    _check(site)
    assert len(runs) == 1
    (git / "index").unlink()
    git.rmdir()
    git.write_text("gitdir: /elsewhere\n", encoding="utf-8")  # a worktree's .git: another run
    _check(site)
    assert len(runs) == 2
