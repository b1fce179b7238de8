"""What the benchmark scripts share: running a tool as a whole process and
measuring it (wall, CPU of the process and its children, peak memory of the
process tree), finding the competitors, describing the machine, comparing
figures with issue 14's targets, and a loopback HTTP server with a fixed
latency that counts the requests for each path.

The scripts run as `python benchmarks/NAME.py`, which puts this folder on
sys.path; `import benchlib` is all they need.
"""

from __future__ import annotations

import gzip
import json
import multiprocessing
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from multiprocessing.connection import Connection
    from multiprocessing.process import BaseProcess

REPO = Path(__file__).resolve().parents[1]
CORPORA = REPO.parent / "shared" / "corpora"
CORPUS_NAMES = ("ruby-www.ruby-lang.org", "jekyll-jekyll", "scala-scala-lang")
NODE_BIN = REPO / ".ci" / "node" / "node_modules" / ".bin"

# The exit status of a script whose competitor is not installed.
EXIT_MISSING = 2

_PROXY_VARIABLES = ("http_proxy", "https_proxy", "all_proxy", "ftp_proxy")


def child_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of a measured process: bytecode written (as an installed
    package has it), no rule profiling, and no proxy settings, so that a client
    that honours them (requests does) still talks to 127.0.0.1 itself."""
    env = {
        k: v for k, v in os.environ.items()
        if k not in ("PYTHONDONTWRITEBYTECODE", "POSTLINT_PROFILE_RULES")
        and k.lower() not in _PROXY_VARIABLES and k.lower() != "no_proxy"
    }
    env["NO_PROXY"] = env["no_proxy"] = "127.0.0.1,localhost,::1"
    env.update(extra or {})
    return env


# -- running and measuring ------------------------------------------------------


@dataclass
class Run:
    """One finished process."""

    command: list[str]
    wall: float  # seconds, from start to exit
    cpu: float  # user + system seconds of the process and the children it waited for
    rc: int
    maxrss: int  # bytes: the largest single process (getrusage)
    tree_rss: int = 0  # bytes: the process tree's summed RSS, at its peak (sampled)
    tree_pss: int = 0  # bytes: the same with shared pages counted once (PSS)
    tree_processes: int = 0  # the most processes seen in the tree at once (a pool's workers)
    stdout: bytes = b""
    stderr: bytes = b""


def run_process(
    command: list[str], cwd: Path, env: dict[str, str] | None = None, *, memory: bool = False,
    ok: tuple[int, ...] | None = (0, 1),
) -> Run:
    """Runs `command` to its end. The CPU time and max RSS come from wait4 on
    the child, which on Linux include every descendant it waited for (a
    process pool's workers). With `memory`, /proc is sampled every 10 ms for
    the summed RSS and PSS of the process and all its descendants. An exit
    status outside `ok` (unless it is None) ends the benchmark with the tool's
    standard error."""
    environment = child_env() if env is None else env
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(command, cwd=cwd, env=environment, stdout=out, stderr=err)
        peak_rss = peak_pss = peak_count = 0
        done = threading.Event()

        def sample() -> None:
            nonlocal peak_rss, peak_pss, peak_count
            while not done.is_set():
                rss, pss, count = tree_memory(proc.pid)
                peak_rss, peak_pss, peak_count = max(peak_rss, rss), max(peak_pss, pss), max(peak_count, count)
                done.wait(0.01)

        sampler = threading.Thread(target=sample, daemon=True)
        if memory and os.path.isdir("/proc"):
            sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        done.set()
        if sampler.is_alive():
            sampler.join()
        out.seek(0)
        err.seek(0)
        run = Run(
            command=command, wall=wall, cpu=usage.ru_utime + usage.ru_stime, rc=proc.returncode,
            maxrss=usage.ru_maxrss * 1024, tree_rss=peak_rss, tree_pss=peak_pss, tree_processes=peak_count,
            stdout=out.read(), stderr=err.read(),
        )
    if ok is not None and run.rc not in ok:
        sys.stderr.write(run.stderr.decode("utf-8", "replace")[-4000:])
        raise SystemExit(f"{' '.join(command)} exited {run.rc} in {cwd}")
    return run


def tree_memory(pid: int) -> tuple[int, int, int]:
    """Sums of the resident set sizes and of the proportional set sizes (PSS:
    pages shared between processes, such as forked workers' or shared
    libraries', counted once in all) of a process and all its descendants,
    in bytes, and how many processes that is."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    page = os.sysconf("SC_PAGE_SIZE")
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as f:
                fields = f.read().rsplit(b")", 1)[1].split()
        except OSError:
            continue
        p = int(entry)
        children.setdefault(int(fields[1]), []).append(p)  # fields[1]: ppid
        rss[p] = int(fields[21]) * page  # fields[21]: rss in pages
    total, pss, count, stack = 0, 0, 0, [pid]
    while stack:
        p = stack.pop()
        if p in rss:
            count += 1
            total += rss[p]
            pss += _pss(p)
        stack.extend(children.get(p, []))
    return total, pss, count


def _pss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as f:
            for line in f:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return 0


def medians(runs: list[Run]) -> dict[str, Any]:
    """Median wall and CPU seconds (and peak memory in MB) of repeated runs."""
    return {
        "wall_s": round(statistics.median(r.wall for r in runs), 4),
        "cpu_s": round(statistics.median(r.cpu for r in runs), 4),
        "peak_rss_mb": round(statistics.median(r.maxrss for r in runs) / 2**20, 1),
        "walls": [round(r.wall, 4) for r in runs],
        "cpus": [round(r.cpu, 4) for r in runs],
        "runs": len(runs),
    }


# -- the tools --------------------------------------------------------------------


def postlint_command() -> list[str]:
    """postlint as a user runs it: the console script of this interpreter's
    environment, or `python -m postlint`."""
    script = Path(sys.executable).parent / "postlint"
    return [str(script)] if script.exists() else [sys.executable, "-m", "postlint"]


def find_tool(name: str, variable: str) -> str | None:
    """A competitor: $VARIABLE if set (a path; a missing one is missing), else
    this environment's scripts, the gitignored .ci/node/ of npm packages, PATH."""
    if variable in os.environ:
        named = os.environ[variable]
        return named if os.path.isfile(named) and os.access(named, os.X_OK) else None
    for folder in (Path(sys.executable).parent, NODE_BIN):
        if (folder / name).exists():
            return str(folder / name)
    return shutil.which(name)


def missing(name: str, variable: str, how: str) -> int:
    print(f"{name} not found (${variable}, this environment, .ci/node/ or PATH): {how}", file=sys.stderr)
    return EXIT_MISSING


def version(command: list[str]) -> str:
    try:
        out = subprocess.run(command, capture_output=True, text=True, check=False, env=child_env(), timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return "?"
    lines = (out.stdout or out.stderr).strip().splitlines()
    return lines[0] if lines else "?"


def environment(versions: dict[str, str]) -> dict[str, Any]:
    """What a figure depends on besides the code: machine, load, versions, date."""
    model = ""
    try:
        with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as f:
            model = next((line.split(":", 1)[1].strip() for line in f if line.startswith("model name")), "")
    except OSError:
        pass
    try:
        load = [round(x, 2) for x in os.getloadavg()]
    except OSError:
        load = []
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=REPO,
                            check=False).stdout.strip()
    return {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "machine": {"platform": platform.platform(), "cpus": os.cpu_count(), "cpu": model},
        "load_average": load,
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "commit": commit or None,
        "versions": {"postlint": version([*postlint_command(), "--version"]), **versions},
    }


def print_environment(env: dict[str, Any]) -> None:
    machine = env["machine"]
    versions = ", ".join(f"{v}" for v in env["versions"].values())
    load = "/".join(str(x) for x in env["load_average"])
    print(f"{env['date']}; {machine['cpus']} CPUs ({machine['cpu'] or machine['platform']}), load {load}; "
          f"{env['python']}; {versions}; commit {env['commit']}")


def copy_site(source: Path, dest: Path) -> Path:
    """A copy of a corpus to measure in (nothing is ever written into ../shared),
    without either tool's cache."""
    shutil.copytree(source, dest, symlinks=True,
                    ignore=shutil.ignore_patterns(".postlint_cache", ".rumdl_cache", ".git"))
    return dest


def files_to_lint(stderr: bytes) -> int | None:
    """The number of files postlint linted, from its --verbose standard error."""
    for line in stderr.decode("utf-8", "replace").splitlines():
        if line.startswith("postlint: files:") and "to lint" in line:
            return int(line.rsplit(",", 1)[1].split()[0])
    return None


# -- targets ----------------------------------------------------------------------


@dataclass
class Target:
    """One of issue 14's targets: `value` must be at most `limit`."""

    name: str
    value: float
    limit: float
    unit: str  # "x <competitor>", "ms CPU per post", "MB", ...
    detail: str = ""

    @property
    def met(self) -> bool:
        return self.value <= self.limit

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "value": round(self.value, 4), "limit": self.limit, "unit": self.unit,
                "ratio_to_target": round(self.value / self.limit, 3) if self.limit else None,
                "met": self.met, "detail": self.detail}


def print_targets(targets: list[Target]) -> None:
    print("targets:")
    for t in targets:
        print(f"  {t.name:44s} {t.value:9.3f} {t.unit:18s} target <= {t.limit:g}"
              f"  ({t.value / t.limit:.2f} of it) {'met' if t.met else 'NOT met'}"
              + (f"  [{t.detail}]" if t.detail else ""))


def write_json(path: Path | None, document: dict[str, Any]) -> None:
    if path is None:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    print(f"written to {path}")


def document(script: str, env: dict[str, Any], results: Any, targets: list[Target]) -> dict[str, Any]:
    return {"script": script, "environment": env, "results": results, "targets": [t.as_dict() for t in targets]}


def ratio(a: float, b: float) -> float:
    return a / b if b else float("inf")


# -- a loopback HTTP server with a fixed latency ----------------------------------------


@dataclass
class _Counts:
    lock: threading.Lock = field(default_factory=threading.Lock)
    paths: Counter[str] = field(default_factory=Counter)
    requests: int = 0
    connections: int = 0
    active: int = 0
    max_active: int = 0

    def snapshot(self) -> dict[str, Any]:
        with self.lock:
            out = {"requests": self.requests, "connections": self.connections, "max_concurrent": self.max_active,
                   "paths": dict(self.paths)}
            self.paths = Counter()
            self.requests = self.connections = self.max_active = 0
        return out


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 1024
    latency = 0.1
    counts: _Counts


class _Handler(BaseHTTPRequestHandler):
    """Every path answers 200 after the latency, with an empty body: paths
    under /img/ as image/jpeg, the others as text/html. /drip/ drips its
    headers forever; /bomb/ serves a gzip bomb to GETs (bench_urls --hostile)."""

    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    server: _Server

    def log_message(self, format: str, *args: object) -> None:
        pass

    def setup(self) -> None:
        super().setup()
        with self.server.counts.lock:
            self.server.counts.connections += 1

    def do_HEAD(self) -> None:
        counts = self.server.counts
        if self.path.startswith("/drip/"):
            self._drip()
            return
        if self.path.startswith("/bomb/"):
            self._bomb()
            return
        with counts.lock:
            counts.requests += 1
            counts.paths[self.path] += 1
            counts.active += 1
            counts.max_active = max(counts.max_active, counts.active)
        time.sleep(self.server.latency)
        # Counted out before answering: a client reacting to this answer must
        # not be seen overlapping with it.
        with counts.lock:
            counts.active -= 1
        self.send_response(200)
        self.send_header("Content-Type", "image/jpeg" if self.path.startswith("/img/") else "text/html")
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_GET = do_HEAD

    def _drip(self) -> None:
        self.close_connection = True
        data = b"HTTP/1.1 200 OK\r\n"
        try:
            for i in range(600):  # a minute at most
                self.wfile.write(data[i : i + 1] if i < len(data) else b"X"[:1] if i % 9 else b"\r\nX-A: ")
                time.sleep(0.1)
        except OSError:
            pass

    def _bomb(self) -> None:
        if self.command == "HEAD":
            self.send_response(405)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        body = _bomb_body()
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Encoding", "gzip, gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


_BOMB: list[bytes] = []


def _bomb_body() -> bytes:
    if not _BOMB:
        _BOMB.append(gzip.compress(gzip.compress(b"\0" * (256 << 20), 9), 9))
    return _BOMB[0]


def _serve(count: int, latency: float, bomb: bool, conn: Connection) -> None:
    """Run in a child process, so that the server never competes with the
    clients measured for the same interpreter lock."""
    if bomb:
        _bomb_body()
    counts = _Counts()
    servers = []
    for _ in range(count):
        srv = _Server(("127.0.0.1", 0), _Handler)
        srv.latency = latency
        srv.counts = counts
        threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        servers.append(srv)
    conn.send([srv.server_address[1] for srv in servers])
    # "stats": the counts since the last "stats", and start again; "stop":
    # the same, then stop. Stops by itself after ten idle minutes.
    while conn.poll(600):
        message = conn.recv()
        conn.send(counts.snapshot())
        if message == "stop":
            break
    for srv in servers:
        srv.shutdown()
        srv.server_close()


class ServerProcess:
    """Threaded HTTP servers on 127.0.0.1 (one port each), in a child process."""

    def __init__(self, count: int, latency: float, *, bomb: bool = False) -> None:
        self._conn, child = multiprocessing.Pipe()
        args = (count, latency, bomb, child)
        self._process: BaseProcess
        if hasattr(os, "fork"):
            self._process = multiprocessing.get_context("fork").Process(target=_serve, args=args, daemon=True)
        else:
            self._process = multiprocessing.get_context("spawn").Process(target=_serve, args=args, daemon=True)
        self._process.start()
        if not self._conn.poll(30):
            raise RuntimeError("benchmark server did not start")
        self.ports: list[int] = self._conn.recv()

    def stats(self) -> dict[str, Any]:
        """Requests, connections, most at once, and the requests of each path,
        since the server started or the last call."""
        self._conn.send("stats")
        stats: dict[str, Any] = self._conn.recv() if self._conn.poll(30) else {}
        return stats

    def stop(self) -> dict[str, Any]:
        self._conn.send("stop")
        stats: dict[str, Any] = self._conn.recv() if self._conn.poll(30) else {}
        self._process.join(10)
        if self._process.is_alive():
            self._process.kill()
        return stats
