"""The run's worker processes where fork is safe: os.fork and two pipes each.

A forked worker starts with everything this process holds: the registry, the
prepared rules, the chunks to lint. So all it needs is which chunk to lint
next (a 4-byte index on its task pipe) and a way back for the results (a
pickled, length-prefixed frame on its result pipe). concurrent.futures'
ProcessPoolExecutor did the same with more: its imports (multiprocessing,
logging, socket, subprocess, tempfile: about 10 ms before the first chunk,
in this process, while the other CPUs wait), a management thread and a
feeder thread in this process, and every chunk's items pickled on the way
out. Measured on 2 CPUs against the commit before, alternating runs,
medians: scala-lang's 334 posts (11 runs) 320 -> 301 ms wall and 438 -> 414
ms CPU; ruby-lang.org's 4,723 (9 runs, the machine at its slower speed) 1,876
-> 1,716 ms wall and 3,173 -> 3,007 ms CPU.

This process reads the result pipes between the chunks it lints itself and
whenever it waits; each pipe holds a megabyte where the system allows (Linux:
F_SETPIPE_SZ), more than a chunk's results. A worker that dies, or fails,
ends the pool (`WorkerFailed`) after the results that came back; the caller
lints the rest. Workers end when their task pipe closes; a pool left early (an
exception, the consumer stopping) kills them. Either way each is waited for.
"""

from __future__ import annotations

import os
import pickle
import select
import signal
import struct
from collections.abc import Callable, Iterator, Sequence
from typing import Any

_INDEX = struct.Struct("<i")
_LENGTH = struct.Struct("<Q")
_PIPE_SIZE = 1 << 20
# What a worker sends for a chunk it could not lint (or send): this index and
# the reason.
_FAILED = -1


class WorkerFailed(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class _Worker:
    def __init__(self, pid: int, tasks: int, results: int) -> None:
        self.pid = pid
        self.tasks = tasks                  # write end: chunk indices
        self.results = results              # read end: frames
        self.buffer = bytearray()
        self.outstanding = 0                # chunks sent, not yet back


def run_chunks(
    chunks: Sequence[Any],
    workers: int,
    start: Callable[[], None],
    lint: Callable[[Any], Any],
    here: Callable[[Any], list[Any]],
    queued: int,
    window: int,
) -> Iterator[tuple[Any, Any]]:
    """For each chunk in order: (the worker's reply, None) or (None, the
    chunk's results linted here). `workers` processes fork now; each runs
    `start()` once, then `lint(chunk)` for each chunk sent to it, and sends
    back what that returns. A chunk goes to the worker with the fewest
    waiting while one has fewer than `queued`; otherwise `here(chunk)` lints
    it in this process. At most `window` chunks are held that are not yet
    yielded: beyond, this process waits for the oldest. Raises WorkerFailed
    once a worker dies or fails (the chunks before are all yielded)."""
    pool: list[_Worker] = []
    done: dict[int, tuple[Any, Any]] = {}
    owner: dict[int, _Worker] = {}
    finished = False
    following = 0                           # the next chunk to yield

    def in_order() -> Iterator[tuple[Any, Any]]:
        nonlocal following
        while following in done:
            yield done.pop(following)
            following += 1

    try:
        for _ in range(workers):
            pool.append(_fork(chunks, start, lint, pool))
        for at, chunk in enumerate(chunks):
            _receive(pool, done, owner, wait=False)
            yield from in_order()
            idle = min(pool, key=lambda w: w.outstanding)
            if idle.outstanding < queued:
                try:
                    os.write(idle.tasks, _INDEX.pack(at))
                except OSError as exc:      # (EPIPE: it ended, with nothing outstanding)
                    raise WorkerFailed(f"a worker ended ({_status(idle)}; {type(exc).__name__})") from exc
                idle.outstanding += 1
                owner[at] = idle
            else:
                done[at] = (None, here(chunk))
            yield from in_order()
            while at + 1 - following >= window:
                _receive(pool, done, owner, wait=True)
                yield from in_order()
        while following < len(chunks):
            if following not in done:
                _receive(pool, done, owner, wait=True)
            yield from in_order()
        finished = True
    finally:
        _end(pool, kill=not finished)


def _fork(chunks: Sequence[Any], start: Callable[[], None], lint: Callable[[Any], Any],
          others: list[_Worker]) -> _Worker:
    task_read, task_write = os.pipe()
    result_read, result_write = os.pipe()
    try:
        import fcntl

        fcntl.fcntl(result_write, fcntl.F_SETPIPE_SZ, _PIPE_SIZE)
    except (ImportError, AttributeError, OSError):
        pass                                # (the system's size: a chunk may wait for this process to read)
    # Ctrl-C held back until the worker ignores it: a KeyboardInterrupt in
    # the worker before its `try` would unwind into this process's code.
    blocked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        pid = os.fork()
    except OSError as exc:
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
        for fd in (task_read, task_write, result_read, result_write):
            os.close(fd)
        raise WorkerFailed(f"{type(exc).__name__}: {exc}") from exc
    if pid == 0:                            # the worker: never returns
        status = 1
        try:
            signal.signal(signal.SIGINT, signal.SIG_IGN)    # (Ctrl-C is this process's parent's)
            signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
            os.close(task_write)
            os.close(result_read)
            for other in others:            # (held open here, another worker's task pipe would never close)
                os.close(other.tasks)
                os.close(other.results)
            _serve(chunks, start, lint, task_read, result_write)
            status = 0
        finally:
            os._exit(status)                # (not this process's exit handlers, nor its buffered output)
    signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
    os.close(task_read)
    os.close(result_write)
    os.set_blocking(result_read, False)
    return _Worker(pid, task_write, result_read)


def _serve(chunks: Sequence[Any], start: Callable[[], None], lint: Callable[[Any], Any], tasks: int,
           results: int) -> None:
    try:
        start()
    except Exception as exc:  # noqa: BLE001 - said to the pool, which ends
        _send(results, pickle.dumps((_FAILED, f"{type(exc).__name__}: {exc}")))
        return
    while True:
        index = _read_exactly(tasks, _INDEX.size)
        if index is None:
            return                          # the task pipe closed: no more chunks
        (at,) = _INDEX.unpack(index)
        try:
            frame = pickle.dumps((at, lint(chunks[at])), pickle.HIGHEST_PROTOCOL)
        except Exception as exc:  # noqa: BLE001 - said to the pool, which ends
            _send(results, pickle.dumps((_FAILED, f"{type(exc).__name__}: {exc}")))
            return
        _send(results, frame)


def _read_exactly(fd: int, n: int) -> bytes | None:
    data = b""
    while len(data) < n:
        chunk = os.read(fd, n - len(data))
        if not chunk:
            return None
        data += chunk
    return data


def _send(fd: int, frame: bytes) -> None:
    view = memoryview(_LENGTH.pack(len(frame)) + frame)
    while view:
        view = view[os.write(fd, view):]


def _receive(pool: list[_Worker], done: dict[int, tuple[Any, Any]], owner: dict[int, _Worker], *,
             wait: bool) -> None:
    """Every frame the workers have sent so far; with `wait`, at least one
    (of a worker with chunks outstanding). A worker's pipe at its end (it
    died, or failed) or anything this process cannot read raises
    WorkerFailed."""
    if wait and not any(w.outstanding for w in pool):
        raise WorkerFailed("waiting for a chunk no worker has")
    got = False
    while True:
        try:
            ready, _, _ = select.select([w.results for w in pool], [], [], None if wait and not got else 0)
        except OSError as exc:
            raise WorkerFailed(f"{type(exc).__name__}: {exc}") from exc
        if not ready:
            return
        for worker in pool:
            if worker.results in ready and _read_frames(worker, done, owner):
                got = True


def _read_frames(worker: _Worker, done: dict[int, tuple[Any, Any]], owner: dict[int, _Worker]) -> bool:
    """What the worker's pipe holds, its whole frames into `done`; whether
    there was one."""
    try:
        data = os.read(worker.results, _PIPE_SIZE)
    except BlockingIOError:
        return False
    except OSError as exc:
        raise WorkerFailed(f"{type(exc).__name__}: {exc}") from exc
    if not data:
        raise WorkerFailed(f"a worker ended ({_status(worker)})")
    worker.buffer += data
    buffer = worker.buffer
    got = False
    while len(buffer) >= _LENGTH.size:
        (size,) = _LENGTH.unpack_from(buffer)
        if len(buffer) < _LENGTH.size + size:
            break
        try:
            # (S301: the frame is this process's own fork's pickle, from a pipe no one else holds.)
            at, reply = pickle.loads(bytes(buffer[_LENGTH.size:_LENGTH.size + size]))  # noqa: S301
        except Exception as exc:            # (a frame this process cannot read ends the pool)
            raise WorkerFailed(f"a worker's results could not be read ({type(exc).__name__}: {exc})") from exc
        del buffer[:_LENGTH.size + size]
        if at == _FAILED:
            raise WorkerFailed(reply)
        if owner.pop(at, None) is not worker:
            raise WorkerFailed(f"a worker sent chunk {at}, which was not its own")
        worker.outstanding -= 1
        done[at] = (reply, None)
        got = True
    return got


def _status(worker: _Worker) -> str:
    """How the worker ended (it has, its pipe is closed): waited for here."""
    try:
        _, status = os.waitpid(worker.pid, 0)
    except ChildProcessError:
        return "already waited for"
    worker.pid = 0
    if os.WIFSIGNALED(status):
        return f"killed by signal {os.WTERMSIG(status)}"
    return f"exit status {os.waitstatus_to_exitcode(status)}"


def _end(pool: list[_Worker], *, kill: bool) -> None:
    """Close the pipes (a worker waiting for a chunk then ends); kill the
    workers first when the pool is left early; wait for each."""
    for worker in pool:
        if kill and worker.pid:
            try:
                os.kill(worker.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        os.close(worker.tasks)
        os.close(worker.results)
    for worker in pool:
        if worker.pid:
            try:
                os.waitpid(worker.pid, 0)
            except ChildProcessError:
                pass
            worker.pid = 0
