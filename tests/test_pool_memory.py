"""The process pool's memory policy and the site rules' shared work (issue 14):
workers fork from a heap the cyclic collector leaves alone, and a post's URL
is computed once for the JK rules that all need it."""

from __future__ import annotations

import gc
from pathlib import Path
from typing import Any

import pytest

from postlint.cli import main
from postlint.engine import run as runner
from postlint.rules.jekyll import duplicate_url


def _site(root: Path, posts: int) -> None:
    (root / "_config.yml").write_text("title: Proef\n", encoding="utf-8")
    (root / "index.md").write_text("---\nlayout: home\n---\nWelkom\n", encoding="utf-8")
    (root / "_layouts").mkdir()
    (root / "_layouts" / "post.html").write_text("{{ content }}\n", encoding="utf-8")
    folder = root / "_posts"
    folder.mkdir()
    for i in range(posts):
        month, day = 5 + i // 28, 1 + i % 28
        (folder / f"2019-{month:02d}-{day:02d}-bericht-{i}.md").write_text(
            f"---\nlayout: post\ntitle: Bericht {i}\ndate: 2019-{month:02d}-{day:02d} 10:00:00 +0200\n---\n"
            f"Zie [dit](/2019/{month:02d}/{day:02d}/bericht-{i}.html) en [elders](https://voorbeeld.example/).\n",
            encoding="utf-8",
        )


def _check(root: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> tuple[int, str]:
    monkeypatch.chdir(root)
    code = main(["check", "--no-network", "--no-cache", "--output-format", "json", "."])
    return code, capsys.readouterr().out


def test_workers_fork_from_a_frozen_heap_which_is_thawed_after(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
) -> None:
    _site(tmp_path, 40)  # enough for 2 workers (16 posts each)
    alone = _check(tmp_path, capsys, monkeypatch)
    monkeypatch.setattr(runner, "POOL_MIN_POSTS", 2)
    monkeypatch.setenv("POSTLINT_JOBS", "2")
    frozen: list[int] = []
    real = runner._collected  # (a worker's reply, in this process)

    def spy(*args: Any, **kwargs: Any) -> Any:
        frozen.append(gc.get_freeze_count())
        return real(*args, **kwargs)

    monkeypatch.setattr(runner, "_collected", spy)
    before = gc.get_freeze_count()
    pooled = _check(tmp_path, capsys, monkeypatch)
    assert frozen and all(count > before for count in frozen)  # the pool ran, on a frozen heap
    assert gc.get_freeze_count() == before  # and nothing stays out of the collector's reach
    assert pooled == alone


def test_a_posts_url_is_computed_once_for_every_jk_rule(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
) -> None:
    _site(tmp_path, 3)
    monkeypatch.setenv("POSTLINT_JOBS", "1")
    calls: list[str] = []
    real = duplicate_url.post_url

    def counting(post: Any, *args: Any, **kwargs: Any) -> Any:
        calls.append(post.path)
        return real(post, *args, **kwargs)

    monkeypatch.setattr(duplicate_url, "post_url", counting)
    code, out = _check(tmp_path, capsys, monkeypatch)
    assert code == 0, out
    # JK002 and JK006 (build-timezone "UTC", the default) and JK003 (none: UTC) share one computation.
    assert len(calls) == 3 and len(set(calls)) == 3


def test_the_collector_pause_nests_and_restores_on_errors() -> None:
    from postlint.model.collector import no_cyclic_gc

    assert gc.isenabled()
    with no_cyclic_gc():
        assert not gc.isenabled()
        with no_cyclic_gc():
            assert not gc.isenabled()
        assert not gc.isenabled()           # the inner one found it off: it stays off
    assert gc.isenabled()
    with pytest.raises(ValueError), no_cyclic_gc():
        raise ValueError
    assert gc.isenabled()
    gc.disable()
    try:
        with no_cyclic_gc():
            pass
        assert not gc.isenabled()           # off before: off after
    finally:
        gc.enable()


def test_the_warm_up_lints_until_the_imports_settle(monkeypatch: pytest.MonkeyPatch) -> None:
    # Posts that import a module (here: a new entry in sys.modules) at the
    # 3rd and the 15th post: the warm-up goes on until _WARM_UP_QUIET posts
    # in a row import nothing; never past a quarter of the posts.
    import sys

    imports_at = {2, 14}

    def lint(linter: Any, item: Any) -> Any:
        if item in imports_at:
            sys.modules[f"_postlint_test_warm_{item}"] = sys  # (removed below)
        return None, item

    monkeypatch.setattr(runner, "_read_and_lint", lint)

    def warm_up(n: int) -> tuple[list[Any], int]:
        linted: list[Any] = []
        gen = runner._warm_up(None, list(range(n)))  # type: ignore[arg-type]
        while True:
            try:
                linted.append(next(gen)[1])
            except StopIteration as stop:
                return linted, stop.value

    try:
        linted, count = warm_up(400)
        assert linted == list(range(15 + runner._WARM_UP_QUIET)) and count == len(linted)
        assert warm_up(40)[1] == len(warm_up(40)[0]) == 10   # a quarter of 40
        imports_at.clear()
        assert warm_up(400)[1] == max(runner._WARM_UP_LEAST, runner._WARM_UP_QUIET)
    finally:
        for item in (2, 14):
            sys.modules.pop(f"_postlint_test_warm_{item}", None)
