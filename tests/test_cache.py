"""The result cache: a change to anything a post's result depends on is seen,
cached results are exactly the linted ones, damage is ignored, --no-cache
writes nothing; and the worker pool gives the in-process results."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from postlint.engine import cache as cache_module
from postlint.engine import run as runner
from postlint.engine.config import load_settings
from postlint.engine.discover import discover
from postlint.engine.registry import load
from tests.conftest import post_text, run_cli, write_site

CLEAN = post_text(
    'layout: post\ntitle: "Brug open"\ndate: Tue, 14 May 2019 08:12:09 +0200\ncategory: nieuws\n',
    "<p>De brug is open.</p>\n<h2>Verkeer</h2>\n<p>Het verkeer rijdt weer.</p>\n",
)
WEEKDAY = CLEAN.replace("Tue, 14 May", "Mon, 21 May")  # 21 May 2019 was a Tuesday


def _site(root: Path, n: int = 3, extra: dict[str, str] | None = None, config: str = "title: Test\n") -> Path:
    posts = {f"_posts/2019-05-{14 + i:02d}-bericht-{i}.md": CLEAN.replace("14 May", f"{14 + i} May")
             .replace("Tue,", ("Tue,", "Wed,", "Thu,", "Fri,", "Sat,", "Sun,", "Mon,")[i % 7]) for i in range(n)}
    posts.update(extra or {})
    return write_site(root, posts, config)


def _check(root: Path, *args: str) -> tuple[int, list[tuple[Any, ...]], str]:
    result = run_cli(["check", ".", "--no-network", "--output-format", "json", "-v", *args], cwd=root)
    assert result.code in (0, 1), result.err
    found = [
        (d["path"], d["line"], d["column"], d["end_line"], d["end_column"], d["code"], d["severity"],
         json.dumps(d["fix"], sort_keys=True))
        for d in result.json()["diagnostics"]
    ]
    return result.code, found, result.err


def _hits(err: str) -> int:
    line = next(line for line in err.splitlines() if "result cache:" in line)
    return int(line.split("result cache:")[1].split()[0])


def _codes(found: list[tuple[Any, ...]]) -> list[str]:
    return [f[5] for f in found]


def test_warm_run_gives_the_cold_results_from_the_cache(tmp_path: Path) -> None:
    _site(tmp_path, extra={"_posts/2019-05-21-weekdag.md": WEEKDAY})
    cold = _check(tmp_path)
    warm = _check(tmp_path)
    assert _hits(cold[2]) == 0
    assert _hits(warm[2]) == 4
    assert warm[:2] == cold[:2]
    assert _codes(warm[1]) == ["DT002"]
    assert (tmp_path / ".postlint_cache" / "postlint.sqlite").is_file()
    assert warm[:2] == _check(tmp_path, "--no-cache")[:2]


def test_cached_file_results_are_exactly_the_linted_ones(tmp_path: Path) -> None:
    body = (
        "<p>Wethouder DaniÃ«l sprak.</p>\n<!-- postlint-disable-next-line HT002 -->\n<p><b>Let op</p>\n"
        "<h4>Diep</h4>\n"
    )
    text = post_text('layout: post\ntitle: "Sluis"\ndate: Mon, 14 May 2019 08:12:09 GMT\n', body)
    _site(tmp_path, extra={"_posts/2019-05-14-sluis.md": text})
    settings = load_settings([tmp_path], table_schemas=load().tables())
    settings.cache_dir = tmp_path / "cache"
    files = discover([tmp_path], root=settings.root, exclude=[]).files

    def results() -> list[Any]:
        linter = runner.Linter(settings, load(), None, network=False)
        entries = [runner._File(p, str(p), p.name) for p in files]
        return runner.lint_files(linter, entries, False, [])

    fresh, cached = results(), results()
    assert fresh == cached  # diagnostics with fixes, facts, suppressions, fixable
    sluis = next(r for r in cached if r.path.endswith("sluis.md"))
    assert sluis.suppressions and sluis.facts and any(d.fix for d in sluis.diagnostics)


def test_an_edited_post_is_linted_again(tmp_path: Path) -> None:
    _site(tmp_path)
    assert _codes(_check(tmp_path)[1]) == []
    target = tmp_path / "_posts" / "2019-05-14-bericht-0.md"
    target.write_text(CLEAN.replace("Tue, 14 May", "Mon, 14 May"), encoding="utf-8")
    code, found, err = _check(tmp_path)
    assert code == 1 and _codes(found) == ["DT002"]
    assert _hits(err) == 2


@pytest.mark.parametrize(
    "config, expected",
    [
        ('[tool.postlint]\nignore = ["DT002"]\n', []),
        ('[tool.postlint.severity]\nDT002 = "info"\n', ["DT002"]),
        ('[tool.postlint.severity]\nwrong-weekday = "info"\n', ["DT002"]),
        ('[tool.postlint.severity]\nDT = "info"\n', ["DT002"]),
        ('[tool.postlint.per-file-ignores]\n"_posts/*weekdag*" = ["DT"]\n', []),
        ('[tool.postlint.dates]\nformat = "jekyll"\naccept = []\n', ["DT001"] * 4),
    ],
)
def test_an_edited_configuration_is_seen(tmp_path: Path, config: str, expected: list[str]) -> None:
    _site(tmp_path, extra={"_posts/2019-05-21-weekdag.md": WEEKDAY})
    (tmp_path / "pyproject.toml").write_text('[tool.postlint]\nselect = ["DT"]\n', encoding="utf-8")
    assert _codes(_check(tmp_path)[1]) == ["DT002"]
    (tmp_path / "pyproject.toml").write_text(
        config if config.startswith("[tool.postlint]") else '[tool.postlint]\nselect = ["DT"]\n' + config,
        encoding="utf-8",
    )
    found = _check(tmp_path)[1]
    assert sorted(_codes(found)) == sorted(expected)
    if "info" in config:
        assert [f[6] for f in found] == ["info"]


def test_an_edited_schema_is_seen(tmp_path: Path) -> None:
    _site(tmp_path, n=2)
    schemas = tmp_path / "schemas"
    schemas.mkdir()
    (schemas / "post.json").write_text(json.dumps({"type": "object"}), encoding="utf-8")
    (tmp_path / ".postlint.toml").write_text('select = ["FM100"]\nschema = "schemas/post.json"\n', encoding="utf-8")
    assert _codes(_check(tmp_path)[1]) == []
    (schemas / "post.json").write_text(json.dumps({"type": "object", "required": ["author"]}), encoding="utf-8")
    assert _codes(_check(tmp_path)[1]) == ["FM100", "FM100"]


def test_a_schema_that_a_ref_reads_is_part_of_the_key(tmp_path: Path) -> None:
    _site(tmp_path, n=1)
    schemas = tmp_path / "schemas"
    schemas.mkdir()
    (schemas / "post.json").write_text(json.dumps({"$ref": "parts.json"}), encoding="utf-8")
    (schemas / "parts.json").write_text(json.dumps({"type": "object"}), encoding="utf-8")
    (tmp_path / ".postlint.toml").write_text('select = ["FM100"]\nschema = "schemas/post.json"\n', encoding="utf-8")
    assert _codes(_check(tmp_path)[1]) == []
    (schemas / "parts.json").write_text(json.dumps({"type": "object", "required": ["author"]}), encoding="utf-8")
    assert _codes(_check(tmp_path)[1]) == ["FM100"]


def test_files_that_refs_reach_in_other_folders_are_part_of_the_key(tmp_path: Path) -> None:
    # post.json -> ../common/defs.json -> ../deep/more.json: every file the
    # resolver reads counts, wherever it is and however deep the chain.
    _site(tmp_path, n=0, extra={"_posts/2019-01-01-a.md": CLEAN.replace('title: "Brug open"', "title: 5")
                                .replace("Tue, 14 May 2019", "Tue, 01 Jan 2019")})
    for folder in ("schemas", "common", "deep"):
        (tmp_path / folder).mkdir()
    (tmp_path / "schemas" / "post.json").write_text(
        json.dumps({"properties": {"title": {"$ref": "../common/defs.json#/$defs/title"}}}), encoding="utf-8"
    )
    (tmp_path / "common" / "defs.json").write_text(
        json.dumps({"$defs": {"title": {"$ref": "../deep/more.json#/$defs/t"}}}), encoding="utf-8"
    )
    more = tmp_path / "deep" / "more.json"
    more.write_text(json.dumps({"$defs": {"t": {"type": "string"}}}), encoding="utf-8")
    (tmp_path / ".postlint.toml").write_text('select = ["FM100"]\nschema = "schemas/post.json"\n', encoding="utf-8")
    found = _check(tmp_path)[1]
    assert [(f[0], f[1], f[2], f[5]) for f in found] == [("_posts/2019-01-01-a.md", 3, 8, "FM100")]
    more.write_text(json.dumps({"$defs": {"t": {"type": "integer"}}}), encoding="utf-8")
    assert _codes(_check(tmp_path)[1]) == []
    assert _codes(_check(tmp_path, "--no-cache")[1]) == []


def test_the_key_holds_the_files_a_rule_names_in_cache_inputs(tmp_path: Path) -> None:
    # The hook is the cache's only knowledge of a rule's outside inputs.
    import types

    from postlint.engine.config import Settings
    from postlint.engine.linter import Linter
    from postlint.engine.registry import Registry, rule_from_module

    word_list = tmp_path / "words.txt"
    word_list.write_text("one\n", encoding="utf-8")
    module = types.ModuleType("fake_words", "Words.\n\n## What it does\nTest.")
    module.CODE, module.NAME = "XW001", "word-list"  # type: ignore[attr-defined]
    module.check = lambda post, options: iter(())  # type: ignore[attr-defined]
    module.cache_inputs = lambda options: [word_list]  # type: ignore[attr-defined]
    registry = Registry([*load(), rule_from_module(module, "test 0")])

    def key(select: list[str]) -> str:
        return cache_module.run_key(
            Linter(Settings(root=tmp_path, select=select), registry, None, network=False), False
        )

    first = key(["XW001"])
    assert key(["XW001"]) == first
    word_list.write_text("two\n", encoding="utf-8")
    assert key(["XW001"]) != first
    # Not selected: its files are not read, and do not matter.
    other = key(["FM003"])
    word_list.write_text("three\n", encoding="utf-8")
    assert key(["FM003"]) == other


def test_an_edited_jekyll_configuration_is_seen(tmp_path: Path) -> None:
    # FM100 merges the site's front matter defaults: a default layout satisfies it.
    text = CLEAN.replace("layout: post\n", "")
    _site(tmp_path, n=0, extra={"_posts/2019-05-14-zonder-layout.md": text},
          config="title: Test\ndefaults:\n  - scope: {path: ''}\n    values: {layout: post}\n")
    assert _codes(_check(tmp_path, "--select", "FM100")[1]) == []
    (tmp_path / "_config.yml").write_text("title: Test\n", encoding="utf-8")
    assert _codes(_check(tmp_path, "--select", "FM100")[1]) == ["FM100"]


def test_the_future_is_judged_on_every_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # DT005 is a site rule: the date comes from the cache, the verdict from the clock.
    _site(tmp_path, n=1)
    monkeypatch.setenv("POSTLINT_NOW", "2019-01-01T00:00:00+00:00")
    assert _codes(_check(tmp_path, "--select", "DT005")[1]) == ["DT005"]
    monkeypatch.setenv("POSTLINT_NOW", "2024-01-01T00:00:00+00:00")
    _code, found, err = _check(tmp_path, "--select", "DT005")
    assert _codes(found) == [] and _hits(err) == 1


def test_no_cache_writes_nothing(tmp_path: Path) -> None:
    _site(tmp_path)
    _check(tmp_path, "--no-cache")
    _check(tmp_path, "--no-cache", "--cache-dir", str(tmp_path / "elsewhere"))
    assert not (tmp_path / ".postlint_cache").exists()
    assert not (tmp_path / "elsewhere").exists()


def test_cache_dir_option_and_setting(tmp_path: Path) -> None:
    _site(tmp_path)
    _check(tmp_path, "--cache-dir", "custom")
    assert (tmp_path / "custom" / "postlint.sqlite").is_file()
    assert (tmp_path / "custom" / ".gitignore").is_file()
    (tmp_path / ".postlint.toml").write_text('cache-dir = "from-config"\n', encoding="utf-8")
    _check(tmp_path)
    assert (tmp_path / "from-config" / "postlint.sqlite").is_file()
    assert not (tmp_path / ".postlint_cache").exists()


def _database(root: Path) -> Path:
    return root / ".postlint_cache" / "postlint.sqlite"


def test_a_damaged_entry_is_a_miss(tmp_path: Path) -> None:
    _site(tmp_path, extra={"_posts/2019-05-21-weekdag.md": WEEKDAY})
    cold = _check(tmp_path)
    db = sqlite3.connect(_database(tmp_path))
    slots = [k for (k,) in db.execute("SELECT slot FROM results ORDER BY slot")]
    assert len(slots) == 4
    # One entry cut short (not JSON any more), one JSON of the wrong shape, one
    # of the right shape with a position that is not a number; and a pickle
    # that would call os.system, which is neither JSON nor ever unpickled.
    value = db.execute("SELECT value FROM results WHERE slot = ?", (slots[0],)).fetchone()[0]
    db.execute("UPDATE results SET value = ? WHERE slot = ?", (value[:-8], slots[0]))
    db.execute("UPDATE results SET value = ? WHERE slot = ?", ('{"path": 1}', slots[1]))
    broken = json.loads(db.execute("SELECT value FROM results WHERE slot = ?", (slots[2],)).fetchone()[0])
    broken["diagnostics"] = [[None, "one", 1, 1, 2, "DT002", "error", "x", None, "", 0]]
    db.execute("UPDATE results SET value = ? WHERE slot = ?", (json.dumps(broken), slots[2]))
    db.execute("UPDATE results SET value = ? WHERE slot = ?", ("cos\nsystem\n(S'echo pwned'\ntR.", slots[3]))
    db.commit()
    db.close()
    code, found, err = _check(tmp_path)
    assert (code, found) == cold[:2]
    assert _hits(err) == 0
    assert _hits(_check(tmp_path)[2]) == 4  # the damaged entries were written again


@pytest.mark.parametrize("junk", ["text", "foreign-sqlite", "other-layout"])
def test_a_damaged_or_foreign_database_is_rebuilt(tmp_path: Path, junk: str) -> None:
    _site(tmp_path)
    cold = _check(tmp_path)
    path = _database(tmp_path)
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    if junk == "text":
        path.write_bytes(b"this is not an SQLite database" * 100)
    else:
        db = sqlite3.connect(path)
        db.execute("CREATE TABLE songs (title TEXT)")
        if junk == "other-layout":  # ours by its id, of another postlint's layout
            db.execute("PRAGMA application_id = 0x504C4E54")
            db.execute("PRAGMA user_version = 999")
        db.commit()
        db.close()
    code, found, err = _check(tmp_path)
    assert (code, found) == cold[:2]
    assert "cache disabled" not in err and _hits(err) == 0
    db = sqlite3.connect(path)
    assert {n for (n,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")} == {
        "results", "urls", "memo"}
    db.close()
    assert _hits(_check(tmp_path)[2]) == 3


def test_runs_at_once_on_a_damaged_database_rebuild_it_once(tmp_path: Path) -> None:
    _site(tmp_path, n=6)
    expected = _check(tmp_path, "--no-cache")[:2]
    command = [sys.executable, "-m", "postlint", "check", ".", "--no-network", "--output-format", "json", "-v"]
    env = {**os.environ, "POSTLINT_JOBS": "1"}
    for _ in range(2):
        path = _database(tmp_path)
        path.parent.mkdir(exist_ok=True)
        for suffix in ("-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
        path.write_bytes(b"garbage" * 1000)
        procs = [subprocess.Popen(command, cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
                 for _ in range(4)]
        for proc in procs:
            out, err = proc.communicate(timeout=120)
            assert "cache disabled" not in err.decode() and "Traceback" not in err.decode()
            found = [(d["path"], d["line"], d["column"], d["end_line"], d["end_column"], d["code"], d["severity"],
                      json.dumps(d["fix"], sort_keys=True)) for d in json.loads(out)["diagnostics"]]
            assert (proc.returncode, found) == expected
    assert _hits(_check(tmp_path)[2]) == 6


def test_an_unwritable_cache_folder_costs_only_time(tmp_path: Path) -> None:
    _site(tmp_path)
    blocker = tmp_path / "blocker"
    blocker.write_text("a file where the cache folder would go", encoding="utf-8")
    code, found, _err = _check(tmp_path, "--cache-dir", str(blocker / "cache"))
    assert (code, found) == _check(tmp_path, "--no-cache")[:2]


def test_two_runs_sharing_a_cache_at_once(tmp_path: Path) -> None:
    extra = {f"_posts/2019-06-{d:02d}-weekdag-{d}.md": WEEKDAY.replace("Mon, 21 May", f"Mon, {d:02d} Jun")
             for d in range(1, 29)}
    _site(tmp_path, n=40 % 7, extra=extra)
    expected = _check(tmp_path, "--no-cache")[:2]
    command = [sys.executable, "-m", "postlint", "check", ".", "--no-network", "--output-format", "json"]
    env = {**os.environ, "POSTLINT_JOBS": "1"}
    for _ in range(3):  # several rounds: the runs race on writes and on a half-built database
        for path in (tmp_path / ".postlint_cache").glob("postlint.sqlite*"):
            path.unlink()
        # And the warm runs' records, which answer without the database.
        shutil.rmtree(tmp_path / ".postlint_cache" / "runs", ignore_errors=True)
        procs = [subprocess.Popen(command, cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
                 for _ in range(4)]
        outputs = [p.communicate(timeout=120) for p in procs]
        for proc, (out, err) in zip(procs, outputs):
            assert proc.returncode == 1, err.decode()
            assert "result cache disabled" not in err.decode()
            found = [(d["path"], d["line"], d["column"], d["end_line"], d["end_column"], d["code"], d["severity"],
                      json.dumps(d["fix"], sort_keys=True)) for d in json.loads(out)["diagnostics"]]
            assert (proc.returncode, found) == expected
    code, found, err = _check(tmp_path)
    assert (code, found) == expected and _hits(err) == len(extra) + 40 % 7


def test_pruning_keeps_the_most_recently_used(tmp_path: Path) -> None:
    from postlint.engine.linter import FileResult

    store = cache_module.ResultCache(tmp_path)
    for i in range(50):
        store.put(f"k{i:02d}", None, "d", FileResult(f"p{i}", [], {}, []))
        store._pending[-1] = store._pending[-1][:4] + (i,)  # used = i: k49 is the newest
    store.flush()
    assert store.prune(max_entries=20) == 32  # down to 90% of the bound
    kept = store.lookup([f"k{i:02d}" for i in range(50)])
    assert sorted(kept) == [f"k{i:02d}" for i in range(32, 50)]
    assert cache_module.decode_result(kept["k40"].value) == FileResult("p40", [], {}, [])
    store.close()


def test_the_slot_holds_the_place_and_the_setup() -> None:
    base = cache_module.slot_key("run", "site", "/s/_posts/a.md", "_posts/a.md")
    assert cache_module.slot_key("run", "site", "/s/_posts/b.md", "_posts/b.md") != base
    assert cache_module.slot_key("run2", "site", "/s/_posts/a.md", "_posts/a.md") != base
    assert cache_module.slot_key("run", "site2", "/s/_posts/a.md", "_posts/a.md") != base
    assert cache_module.slot_key("run", "site", "/s/_posts/a.md", "a.md") != base
    assert cache_module.content_digest(b"x") != cache_module.content_digest(b"y")


def test_fix_runs_see_the_fixed_text(tmp_path: Path) -> None:
    obsolete = CLEAN.replace("+0200", "GMT").replace("08:12:09", "06:12:09")
    _site(tmp_path, n=1, extra={"_posts/2019-05-20-oud.md": obsolete.replace("Tue, 14 May", "Mon, 20 May")})
    assert _codes(_check(tmp_path)[1]) == ["DT003"]
    result = run_cli(["check", ".", "--no-network", "--fix"], cwd=tmp_path)
    assert result.code == 0, result.out
    assert _codes(_check(tmp_path)[1]) == []
    assert "+0000" in (tmp_path / "_posts" / "2019-05-20-oud.md").read_text(encoding="utf-8")


# -- the pool ------------------------------------------------------------------------------


def test_the_pool_gives_the_in_process_results_in_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    extra = {f"_posts/2019-06-{d:02d}-weekdag-{d}.md": WEEKDAY.replace("Mon, 21 May", f"Mon, {d:02d} Jun")
             for d in range(1, 29)}
    extra["_posts/kapot.md"] = b"\xff\xfe not utf-8"  # type: ignore[assignment]
    _site(tmp_path, n=5, extra=extra)
    alone = _check(tmp_path, "--no-cache")
    monkeypatch.setattr(runner, "POOL_MIN_POSTS", 2)
    monkeypatch.setenv("POSTLINT_JOBS", "2")
    started = []
    real = runner._pooled

    def spy(*args: Any, **kwargs: Any) -> Any:
        started.append(True)
        return real(*args, **kwargs)

    monkeypatch.setattr(runner, "_pooled", spy)
    pooled = _check(tmp_path, "--no-cache")
    assert started and pooled[:2] == alone[:2]
    assert "worker pool failed" not in pooled[2]


@pytest.mark.parametrize(("n", "first", "size", "workers"),
                         [(4723, 13, 64, 2), (200, 8, 4, 2), (1000, 0, 64, 4), (5, 5, 4, 2)])
def test_the_pools_chunks_hold_every_post_once_and_end_short(n: int, first: int, size: int, workers: int) -> None:
    items: list[Any] = list(range(n))
    chunks = runner._chunks(items, first, size, workers)
    assert [i for chunk in chunks for i in chunk] == items[first:]
    assert all(0 < len(chunk) <= max(4, size) for chunk in chunks)
    if len(chunks) > 8:
        assert len(chunks[0]) == max(4, min(size, (n - first) // (workers * 4)))
        assert max(len(c) for c in chunks[-4:]) <= 4
        assert [len(c) for c in chunks[:-1]] == sorted((len(c) for c in chunks[:-1]), reverse=True)


def test_a_failing_pool_falls_back_to_this_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    extra = {f"_posts/2019-06-{d:02d}-weekdag-{d}.md": WEEKDAY.replace("Mon, 21 May", f"Mon, {d:02d} Jun")
             for d in range(1, 29)}
    _site(tmp_path, n=6, extra=extra)
    alone = _check(tmp_path, "--no-cache")

    def broken(*args: Any, **kwargs: Any) -> Any:
        yield from ()
        raise runner._PoolFailed("no workers today")

    monkeypatch.setattr(runner, "POOL_MIN_POSTS", 2)
    monkeypatch.setenv("POSTLINT_JOBS", "2")
    monkeypatch.setattr(runner, "_pooled", broken)
    code, found, err = _check(tmp_path, "--no-cache")
    assert (code, found) == alone[:2] and "worker pool failed" in err


def test_profile_rules_env_adds_up_steps(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _site(tmp_path, n=2)
    out = tmp_path / "profile.json"
    monkeypatch.setenv("POSTLINT_PROFILE_RULES", str(out))
    _check(tmp_path, "--no-cache")
    steps = json.loads(out.read_text(encoding="utf-8"))
    # A family's codes are one step, under its prefix (DT001-DT003: "DT").
    assert {"parse", "DT", "DT004", "FM100", "JK002.collect"} <= set(steps)
    assert not {"DT001", "DT002", "DT003"} & set(steps)


# -- cheap start -----------------------------------------------------------------------------

HEAVY = ("requests", "html5lib", "ftfy", "jsonschema", "markdown_it", "yaml", "sqlite3", "urllib3")


def _imported(code: str, cwd: Path) -> set[str]:
    probe = f"import sys\n{code}\nprint(' '.join(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=cwd, check=False)
    return set(out.stdout.split())


def test_importing_the_cli_imports_no_heavy_library(tmp_path: Path) -> None:
    modules = _imported("import postlint.cli", tmp_path)
    assert "postlint.cli" in modules
    assert [m for m in HEAVY if m in modules] == []


def test_version_imports_no_heavy_library(tmp_path: Path) -> None:
    modules = _imported("from postlint.cli import main\nmain(['--version'])", tmp_path)
    assert [m for m in HEAVY if m in modules] == []


def test_a_run_without_url_or_html_rules_imports_neither_requests_nor_html5lib(tmp_path: Path) -> None:
    _site(tmp_path, n=1)
    code = "from postlint.cli import main\nmain(['check', '.', '--select', 'FM,DT,JK', '--no-cache'])"
    modules = _imported(code, tmp_path)
    assert "postlint.engine.linter" in modules
    assert [m for m in ("requests", "urllib3", "html5lib", "ftfy", "markdown_it") if m in modules] == []
