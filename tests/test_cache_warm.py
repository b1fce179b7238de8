"""The warm path of the result cache: a stat per file, a read only when the stat
changed, JSON facts the same cold and warm, rules prepared only when a post is
linted, and the package's own source stamp only for a checkout."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import types
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from postlint.engine import cache as cache_module
from postlint.engine import run as runner
from postlint.engine.config import Settings, load_settings
from postlint.engine.discover import discover, display_path, located_path, relative_path
from postlint.engine.linter import Linter
from postlint.engine.registry import Registry, load, rule_from_module
from postlint.model.diagnostic import Diagnostic, Excerpt
from tests.conftest import post_text, write_site

CLEAN = post_text(
    'layout: post\ntitle: "Brug open"\ndate: Tue, 14 May 2019 08:12:09 +0200\ncategory: nieuws\n',
    "<p>De brug is open.</p>\n<h2>Verkeer</h2>\n<p>Het verkeer rijdt weer.</p>\n",
)
WEEKDAY = CLEAN.replace("Tue, 14 May", "Mon, 21 May")  # 21 May 2019 was a Tuesday
OLD = 1_500_000_000  # a modification time well in the past (not "racily clean")


def _site(root: Path) -> list[Path]:
    write_site(root, {"_posts/2019-05-14-a.md": CLEAN, "_posts/2019-05-21-b.md": WEEKDAY,
                      "_posts/2019-05-15-c.md": CLEAN.replace("14 May", "15 May").replace("Tue,", "Wed,")})
    files = sorted((root / "_posts").iterdir())
    for f in files:
        os.utime(f, (OLD, OLD))
    return files


def _lint(root: Path, registry: Registry | None = None, select: list[str] | None = None) -> list[Any]:
    settings = load_settings([root], table_schemas=load().tables())
    if select is not None:
        settings.select = select
    linter = Linter(settings, registry or load(), None, network=False, defer_prepare=True)
    files = discover([root], root=settings.root, exclude=[]).files
    entries = [runner._File(p, display_path(p), relative_path(p, settings.root), located_path(p)) for p in files]
    notes: list[str] = []
    results = runner.lint_files(linter, entries, False, notes)
    return [results, next(n for n in notes if n.startswith("result cache:"))]


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The posts the runner opens (for hashing or linting)."""
    opened: list[str] = []
    real = runner._read

    def spy(linter: Linter, path: str) -> Any:
        opened.append(os.path.basename(path))
        return real(linter, path)

    monkeypatch.setattr(runner, "_read", spy)
    monkeypatch.setenv("POSTLINT_JOBS", "1")
    yield opened


def test_a_warm_run_opens_no_file(tmp_path: Path, reads: list[str]) -> None:
    _site(tmp_path)
    cold, note = _lint(tmp_path)
    assert sorted(reads) == ["2019-05-14-a.md", "2019-05-15-c.md", "2019-05-21-b.md"]
    reads.clear()
    warm, note = _lint(tmp_path)
    assert reads == [] and note.startswith("result cache: 3 of 3")
    assert warm == cold
    assert [d.code for r in warm for d in r.diagnostics] == ["DT002"]


def test_a_touched_file_is_hashed_not_linted_and_its_new_stat_kept(tmp_path: Path, reads: list[str],
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    files = _site(tmp_path)
    cold, _ = _lint(tmp_path)
    os.utime(files[0], (OLD + 10, OLD + 10))  # same bytes, another stat
    linted: list[str] = []
    real = runner._lint_shown
    monkeypatch.setattr(
        runner, "_lint_shown", lambda linter, located, *a: linted.append(located) or real(linter, located, *a)
    )
    reads.clear()
    warm, note = _lint(tmp_path)
    assert reads == [files[0].name] and linted == [] and note.startswith("result cache: 3 of 3")
    assert warm == cold
    reads.clear()
    assert _lint(tmp_path)[0] == cold and reads == []  # the new stat was kept


def test_an_edit_that_keeps_size_and_mtime_is_seen_by_ctime(tmp_path: Path, reads: list[str]) -> None:
    files = _site(tmp_path)
    _lint(tmp_path)
    target = files[0]  # 2019-05-14-a.md, clean
    text = target.read_bytes()
    assert b"Tue, 14 May" in text
    time.sleep(0.01)
    target.write_bytes(text.replace(b"Tue, 14 May", b"Mon, 14 May"))  # same size
    os.utime(target, (OLD, OLD))  # and the old mtime back: only ctime (and content) differ
    results, note = _lint(tmp_path)
    assert note.startswith("result cache: 2 of 3")
    assert sorted(d.code for r in results for d in r.diagnostics) == ["DT002", "DT002"]


def test_a_file_written_just_before_it_was_read_is_hashed_next_time(tmp_path: Path, reads: list[str]) -> None:
    files = _site(tmp_path)
    os.utime(files[1], None)  # now: within the racy window when read
    _lint(tmp_path)
    reads.clear()
    _, note = _lint(tmp_path)
    assert reads == [files[1].name] and note.startswith("result cache: 3 of 3")


def test_a_post_that_became_a_link_is_read_through_the_checks(tmp_path: Path, reads: list[str]) -> None:
    site = tmp_path / "site"
    site.mkdir()
    files = _site(site)
    _lint(site)
    outside = tmp_path / "outside.md"
    outside.write_bytes(files[0].read_bytes())
    files[0].unlink()
    os.symlink(outside, files[0])
    results, _ = _lint(site)
    codes = {os.path.basename(r.path): [d.code for d in r.diagnostics] for r in results}
    assert codes[files[0].name] == ["PL003"]


def test_the_stat_signature_holds_what_a_change_changes(tmp_path: Path) -> None:
    path = tmp_path / "a"
    path.write_text("x")
    os.utime(path, (OLD, OLD))
    st = os.stat(path)
    sig = cache_module.stat_signature(st, time.time_ns())
    assert sig is not None
    assert cache_module.stat_signature(st, OLD * 10**9 + 1) is None  # read in the same instant: not trusted
    for field in ("st_mtime_ns", "st_ctime_ns", "st_size", "st_ino", "st_dev"):
        values = {f: getattr(st, f) for f in ("st_mtime_ns", "st_ctime_ns", "st_size", "st_ino", "st_dev")}
        values[field] += 1
        other = types.SimpleNamespace(**values)
        assert cache_module.stat_signature(other) != sig  # type: ignore[arg-type]


# -- facts are JSON data ---------------------------------------------------------------


def _site_rule(collect: Any, seen: list[Any]) -> Registry:
    module = types.ModuleType("fake_facts", "Facts.\n\n## What it does\nTest.")
    module.CODE, module.NAME, module.SCOPE = "XF001", "fake-facts", "site"  # type: ignore[attr-defined]
    module.collect = collect  # type: ignore[attr-defined]

    def check_site(facts: dict[str, Any], options: dict[str, Any], context: Any) -> Iterator[Diagnostic]:
        seen.append(facts)
        return iter(())

    module.check_site = check_site  # type: ignore[attr-defined]
    return Registry([*load(), rule_from_module(module, "test 0")])


def test_facts_reach_check_site_as_json_data_cold_and_warm(tmp_path: Path) -> None:
    _site(tmp_path)
    seen: list[Any] = []
    registry = _site_rule(lambda post, options: (1, ("two", 3.5), {"k": None}), seen)
    for _ in range(2):  # cold, then from the cache
        results, _ = _lint(tmp_path, registry, select=["XF001"])
        linter = Linter(Settings(root=tmp_path, select=["XF001"]), registry, None, network=False)
        linter.lint_site(results)
    assert seen[0] == seen[1] and len(seen[0]) == 3
    assert all(fact == [1, ["two", 3.5], {"k": None}] for fact in seen[0].values())


def test_a_fact_that_is_not_json_data_is_an_internal_error_of_its_rule(tmp_path: Path) -> None:
    _site(tmp_path)
    registry = _site_rule(lambda post, options: {"when": object()}, [])
    results, _ = _lint(tmp_path, registry, select=["XF001"])
    assert [[(d.code, d.line) for d in r.diagnostics] for r in results] == [[("PL000", 1)]] * 3
    assert all("XF001" in r.diagnostics[0].message for r in results)


def test_site_findings_keep_their_excerpt_through_the_cache(tmp_path: Path) -> None:
    # DT005's fact holds the finding's window of a long line: the same window warm.
    long_title = "x" * 3000
    text = CLEAN.replace('title: "Brug open"\ndate: Tue, 14 May 2019 08:12:09 +0200',
                         f'date: Tue, 14 May 2019 08:12:09 +0200 # {long_title}\ntitle: "Brug open"')
    write_site(tmp_path, {"_posts/2019-05-14-a.md": text})
    os.environ["POSTLINT_NOW"] = "2019-01-01T00:00:00+00:00"
    try:
        found = []
        for _ in range(2):
            results, _ = _lint(tmp_path, select=["DT005"])
            linter = Linter(Settings(root=tmp_path, select=["DT005"]), load(), None, network=False)
            found.append(linter.lint_site(results)[0])
    finally:
        del os.environ["POSTLINT_NOW"]
    assert found[0] == found[1] and [d.code for d in found[0]] == ["DT005"]
    excerpt = found[1][0].source_line
    assert isinstance(excerpt, Excerpt) and excerpt.line_length > 3000 > len(excerpt)


# -- prepare when a post is linted -------------------------------------------------------


def test_a_warm_run_does_not_build_the_schema_validator(tmp_path: Path) -> None:
    _site(tmp_path)
    schemas = tmp_path / "schemas"
    schemas.mkdir()
    (schemas / "post.json").write_text(json.dumps({"$ref": "parts.json"}), encoding="utf-8")
    (schemas / "parts.json").write_text(json.dumps({"type": "object"}), encoding="utf-8")
    (tmp_path / ".postlint.toml").write_text('schema = "schemas/post.json"\n', encoding="utf-8")
    probe = (
        "import sys\nfrom postlint.cli import main\n"
        "code = main(['check', '.', '--no-network', '--output-format', 'json', '-v'])\n"
        "from postlint.rules.frontmatter import schema_violation\n"
        "print('built' if schema_violation._BUILT else 'not built', file=sys.stderr)\n"
    )

    def run() -> tuple[str, str]:
        out = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True, check=False)
        return out.stdout, out.stderr

    cold_out, cold_err = run()
    assert cold_err.splitlines()[-1] == "built"
    warm_out, warm_err = run()
    assert "result cache: 3 of 3" in warm_err
    assert warm_err.splitlines()[-1] == "not built", warm_err
    assert json.loads(warm_out)["diagnostics"] == json.loads(cold_out)["diagnostics"]
    # A file the $ref reaches changes: its inputs are found again, the validator built.
    (schemas / "parts.json").write_text(json.dumps({"type": "object", "required": ["author"]}), encoding="utf-8")
    out, err = run()
    assert err.splitlines()[-1] == "built"
    assert [d["code"] for d in json.loads(out)["diagnostics"]].count("FM100") == 3


def test_an_invalid_schema_is_still_a_configuration_error_on_a_warm_cache(tmp_path: Path) -> None:
    from tests.conftest import run_cli

    _site(tmp_path)
    (tmp_path / "post.json").write_text(json.dumps({"type": "object"}), encoding="utf-8")
    (tmp_path / ".postlint.toml").write_text('schema = "post.json"\n', encoding="utf-8")
    assert run_cli(["check", ".", "--no-network"], cwd=tmp_path).code == 1
    (tmp_path / "post.json").write_text(json.dumps({"type": "no-such-type"}), encoding="utf-8")
    result = run_cli(["check", ".", "--no-network"], cwd=tmp_path)
    assert result.code == 2 and "invalid schema" in result.err


# -- the source stamp ---------------------------------------------------------------------


def test_the_source_stamp_is_only_for_a_checkout(monkeypatch: pytest.MonkeyPatch) -> None:
    assert cache_module._source_stamp() is not None  # the tests run from a checkout
    monkeypatch.setattr(cache_module, "_installed", lambda folder: True)
    assert cache_module._source_stamp() is None


def test_installed_means_under_site_packages(tmp_path: Path) -> None:
    import sysconfig

    purelib = sysconfig.get_path("purelib")
    assert cache_module._installed(os.path.join(purelib, "postlint"))
    assert not cache_module._installed(str(tmp_path / "postlint"))
    assert not cache_module._installed(purelib + "-other/postlint")


# -- remembered analyses ----------------------------------------------------------------


def test_fm100_remembers_the_violations_of_a_front_matter(tmp_path: Path) -> None:
    # An edited body, the same front matter: FM100 answers without its validator.
    _site(tmp_path)
    target = tmp_path / "_posts" / "2019-05-14-a.md"
    # (A value whose violation jsonschema decides: tags is one of three kinds.)
    target.write_text(CLEAN.replace("category: nieuws", "tags: {a: 1}"), encoding="utf-8")
    probe = (
        "import sys, json\nfrom postlint.cli import main\n"
        "main(['check', '_posts/2019-05-14-a.md', '--no-network', '--output-format', 'json', '--select', 'FM100'])\n"
        "from postlint.rules.frontmatter import schema_violation\n"
        "print('built' if schema_violation._BUILT else 'not built', file=sys.stderr)\n"
    )

    def run() -> tuple[list[Any], str]:
        out = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True, check=False)
        found = [(d["line"], d["column"], d["code"], d["message"]) for d in json.loads(out.stdout)["diagnostics"]]
        return found, out.stderr.splitlines()[-1]

    cold = run()
    assert cold[1] == "built" and [f[:3] for f in cold[0]] == [(5, 7, "FM100")]
    target.write_text(target.read_text(encoding="utf-8").replace("De brug", "De nieuwe brug"), encoding="utf-8")
    warm = run()
    assert warm[1] == "not built"
    assert warm[0] == cold[0]
    # Another front matter is validated for real.
    target.write_text(CLEAN.replace("category: nieuws", "tags: true"), encoding="utf-8")
    other = run()
    assert other[1] == "built" and [f[:3] for f in other[0]] == [(5, 7, "FM100")]


def test_only_json_data_is_remembered() -> None:
    from postlint.analysis import memo
    from tests.memo_store import DictStore as Store

    store = Store()
    memo.install(store)
    try:
        memo.remember("X", {"a": [1, 2.5, None, True]}, "ok")
        assert memo.lookup("X", {"a": [1, 2.5, None, True]}) == "ok"
        assert memo.lookup("X", {"a": [1, 2.5, None, 1]}) is None
        for key in ({1: "a"}, ("a",), {"d": __import__("datetime").date(2019, 5, 14)}, {"s": {1, 2}}):
            memo.remember("X", key, "no")
            assert memo.lookup("X", key) is None
        assert len(store.rows) == 1
    finally:
        memo.install(None)
    assert memo.lookup("X", {"a": [1, 2.5, None, True]}) is None  # no store: nothing known
