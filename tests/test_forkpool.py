"""The forked worker pool (postlint.engine.forkpool): chunks come back in
order whoever linted them, a worker that dies or fails ends the pool after an
in-order prefix, and no worker, pipe or zombie outlives it."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from postlint.engine import forkpool
from postlint.engine import run as runner

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="fork: POSIX only")

PARENT = os.getpid()


def _in_worker() -> bool:
    return os.getpid() != PARENT


def _lint(chunk: list[int]) -> list[tuple[int, int]]:
    return [(os.getpid(), n * n) for n in chunk]


def _here(chunk: list[int]) -> list[tuple[int, int]]:
    return [(os.getpid(), n * n) for n in chunk]


def _flat(pairs: Iterator[tuple[Any, Any]]) -> list[tuple[int, int]]:
    return [item for reply, here in pairs for item in (here if here is not None else reply)]


@pytest.fixture
def forks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The pids the pool forks (each must be waited for by the time it ends)."""
    pids: list[int] = []
    real = os.fork

    def fork() -> int:
        pid = real()
        if pid:
            pids.append(pid)
        return pid

    monkeypatch.setattr(forkpool.os, "fork", fork)
    return pids


def _reaped(pids: list[int]) -> bool:
    for pid in pids:
        try:
            os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            continue
        return False
    return True


def _open_fds() -> int:
    return len(os.listdir("/proc/self/fd")) if os.path.isdir("/proc/self/fd") else 0


@pytest.mark.parametrize("workers", [1, 3])
def test_chunks_come_back_in_order_from_workers_and_from_here(workers: int, forks: list[int]) -> None:
    import time

    def slow(chunk: list[int]) -> list[tuple[int, int]]:
        time.sleep(0.005)                         # (workers busy with their two: this process lints too)
        return _lint(chunk)

    chunks = [list(range(i * 5, i * 5 + 5)) for i in range(40)]
    fds = _open_fds()
    got = _flat(forkpool.run_chunks(chunks, workers, lambda: None, slow, _here, queued=2, window=8))
    assert [square for _, square in got] == [n * n for n in range(200)]
    by = {pid for pid, _ in got}
    assert PARENT in by and by - {PARENT}         # both this process and a worker linted
    assert by - {PARENT} <= set(forks) and len(forks) == workers
    assert _reaped(forks) and _open_fds() == fds


def test_results_larger_than_a_pipe_arrive_whole(forks: list[int]) -> None:
    chunks = [[i] for i in range(6)]

    def big(chunk: list[int]) -> list[str]:
        return [str(chunk[0]) * (3 << 20)]        # 3 MB, three times the pipe's megabyte

    got = list(forkpool.run_chunks(chunks, 1, lambda: None, big, big, queued=2, window=8))
    assert [(reply or here)[0] == str(i) * (3 << 20) for i, (reply, here) in enumerate(got)] == [True] * 6
    assert any(reply is not None for reply, _ in got) and _reaped(forks)


def _slowly_here(chunk: list[int]) -> list[tuple[int, int]]:
    import time

    time.sleep(0.002)                             # (the worker gets the later chunks too)
    return _here(chunk)


def _results_until_failure(chunks: list[list[int]], lint: Any, start: Any = lambda: None) -> tuple[list[Any], str]:
    got: list[Any] = []
    with pytest.raises(forkpool.WorkerFailed) as failed:
        # (extend keeps what came before the failure)
        got.extend(forkpool.run_chunks(chunks, 1, start, lint, _slowly_here, queued=2, window=8))
    return got, failed.value.reason


def test_a_worker_that_dies_ends_the_pool_after_an_in_order_prefix(forks: list[int]) -> None:
    chunks = [[i] for i in range(30)]

    def dies(chunk: list[int]) -> list[tuple[int, int]]:
        if chunk[0] >= 9:
            os._exit(7)
        return _lint(chunk)

    got, reason = _results_until_failure(chunks, dies)
    squares = [square for _, square in _flat(iter(got))]
    assert squares == [n * n for n in range(len(squares))] and len(squares) < 30
    assert "7" in reason and _reaped(forks)


def test_a_worker_killed_by_a_signal_is_said(forks: list[int]) -> None:
    import signal

    def killed(chunk: list[int]) -> list[tuple[int, int]]:
        if chunk[0] >= 3:
            os.kill(os.getpid(), signal.SIGKILL)
        return _lint(chunk)

    _, reason = _results_until_failure([[i] for i in range(20)], killed)
    assert str(int(signal.SIGKILL)) in reason and _reaped(forks)


def test_an_exception_in_a_worker_or_its_start_ends_the_pool_with_its_reason(forks: list[int]) -> None:
    def fails(chunk: list[int]) -> list[tuple[int, int]]:
        if chunk[0] >= 4:
            raise LookupError("geen idee")
        return _lint(chunk)

    _, reason = _results_until_failure([[i] for i in range(20)], fails)
    assert "LookupError" in reason and "geen idee" in reason

    def start() -> None:
        raise OSError("kan niet beginnen")

    got, reason = _results_until_failure([[i] for i in range(20)], _lint, start)
    assert "kan niet beginnen" in reason and _reaped(forks)
    squares = [square for _, square in _flat(iter(got))]
    assert squares == [n * n for n in range(len(squares))]


def test_a_worker_that_ends_before_its_first_chunk_fails_the_pool(
    forks: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Its start fails (or it is killed) before this process sends it a
    # chunk: the next send or read finds it ended, a WorkerFailed either way
    # (not a BrokenPipeError out of the pool).
    import signal
    import time

    fork = forkpool.os.fork

    def late_fork() -> int:
        pid = fork()
        if pid:
            time.sleep(0.3)                       # (this process descheduled after the fork)
        return pid

    monkeypatch.setattr(forkpool.os, "fork", late_fork)

    def fails() -> None:
        raise OSError("kan niet beginnen")

    def killed() -> None:
        os.kill(os.getpid(), signal.SIGKILL)

    for start in (fails, killed):
        with pytest.raises(forkpool.WorkerFailed):
            list(forkpool.run_chunks([[i] for i in range(10)], 1, start, _lint, _here, queued=2, window=8))
    assert _reaped(forks)


def test_a_pool_left_early_kills_and_waits_for_its_workers(forks: list[int]) -> None:
    import time

    def slow(chunk: list[int]) -> list[tuple[int, int]]:
        if _in_worker() and chunk[0]:
            time.sleep(60)                        # killed long before
        return _lint(chunk)

    fds = _open_fds()
    pairs = forkpool.run_chunks([[i] for i in range(50)], 2, lambda: None, slow, _here, queued=2, window=100)
    reply, _ = next(pairs)                        # chunk 0, a worker's; the workers' next ones sleep
    assert reply is not None and reply[0][0] in forks
    started = time.monotonic()
    pairs.close()                                 # the consumer stops
    assert time.monotonic() - started < 10 and len(forks) == 2
    assert _reaped(forks) and _open_fds() == fds


def test_a_run_whose_worker_dies_gives_the_results_of_one_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:
    from postlint.cli import main

    (tmp_path / "_config.yml").write_text("title: Proef\n", encoding="utf-8")
    posts = tmp_path / "_posts"
    posts.mkdir()
    for i in range(40):                           # (16 posts a process, at least)
        month, day = 5 + i // 28, 1 + i % 28
        (posts / f"2019-{month:02d}-{day:02d}-bericht-{i}.md").write_text(
            f"---\ntitle: Bericht {i}\ndate: 2019-{month:02d}-{day:02d} 10:00:00 +0200\n---\n# Kop\n### Diep\n",
            encoding="utf-8",
        )
    monkeypatch.chdir(tmp_path)
    args = ["check", "--no-network", "--no-cache", "--output-format", "json", "-v", "."]
    monkeypatch.setenv("POSTLINT_JOBS", "1")
    alone = main(args), capsys.readouterr().out
    monkeypatch.setattr(runner, "POOL_MIN_POSTS", 2)
    monkeypatch.setenv("POSTLINT_JOBS", "2")
    real = runner._read_and_lint

    def dies(linter: Any, item: Any) -> Any:
        if _in_worker():
            os._exit(3)
        return real(linter, item)

    monkeypatch.setattr(runner, "_read_and_lint", dies)
    code = main(args)
    out, err = capsys.readouterr()
    assert (code, out) == alone and "worker pool failed" in err
