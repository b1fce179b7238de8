"""Benchmark URL resolution against a local server with a fixed latency.

    python benchmarks/bench_urls.py [-n 1000] [--latency-ms 100] [-c 64] [--ports 1] [--json]
    python benchmarks/bench_urls.py --hostile 20 [--timeout 3] [--deadline 10]

A threaded HTTP server on 127.0.0.1 answers every request after `latency` ms.
postlint resolves N distinct URLs with concurrency C (per-host limit raised so
that it is not the bottleneck: C divided over the ports). The floor is the
time a perfect scheduler needs, N x L / C; the ratio wall / floor is the
figure of merit (target: at most 1.5 at N=1000, L=100 ms, C=64).

With `--hostile K`, K more URLs drip their headers forever (a byte every
100 ms: each read is in time, the response never completes) and K more serve
a gzip-inside-gzip bomb (256 MiB of zeros in a few KB) to GETs: the run must
still end about `deadline` after the last of them started, and the client's
peak memory (max RSS) stays small.

Only loopback is used: the URLs are http://127.0.0.1:PORT/..., and the address
guard is told to allow 127.0.0.1 explicitly.
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
import multiprocessing
import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from postlint.net import NetSettings, UrlCheck, resolve


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 1024
    latency = 0.1
    lock = threading.Lock()
    requests = 0
    connections = 0
    active = 0
    max_active = 0


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    server: _Server

    def log_message(self, format: str, *args: object) -> None:
        pass

    def setup(self) -> None:
        super().setup()
        with self.server.lock:
            self.server.connections += 1

    def do_HEAD(self) -> None:
        srv = self.server
        if self.path.startswith("/drip/"):
            self._drip()
            return
        if self.path.startswith("/bomb/"):
            self._bomb()
            return
        with srv.lock:
            srv.requests += 1
            srv.active += 1
            srv.max_active = max(srv.max_active, srv.active)
        time.sleep(srv.latency)
        # Counted out before answering: a client reacting to this answer must
        # not be seen overlapping with it.
        with srv.lock:
            srv.active -= 1
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
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


def _serve(count: int, latency: float, conn: Connection) -> None:
    """Run in a child process, so that the server never competes with the
    resolver for the same interpreter lock."""
    _bomb_body()
    servers = []
    for _ in range(count):
        srv = _Server(("127.0.0.1", 0), _Handler)
        srv.latency = latency
        srv.lock = threading.Lock()
        threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        servers.append(srv)
    conn.send([srv.server_address[1] for srv in servers])
    # Stop on request, or by itself after ten minutes.
    conn.poll(600)
    stats = {
        "requests": sum(srv.requests for srv in servers),
        "connections": sum(srv.connections for srv in servers),
        "max_concurrent": max(srv.max_active for srv in servers),
    }
    for srv in servers:
        srv.shutdown()
        srv.server_close()
    conn.send(stats)


class ServerProcess:
    def __init__(self, count: int, latency: float) -> None:
        ctx = multiprocessing.get_context("fork" if hasattr(os, "fork") else "spawn")
        self._conn, child = ctx.Pipe()
        self._process = ctx.Process(target=_serve, args=(count, latency, child), daemon=True)
        self._process.start()
        if not self._conn.poll(30):
            raise RuntimeError("benchmark server did not start")
        self.ports: list[int] = self._conn.recv()

    def stop(self) -> dict[str, int]:
        self._conn.send("stop")
        stats: dict[str, int] = self._conn.recv() if self._conn.poll(30) else {}
        self._process.join(10)
        if self._process.is_alive():
            self._process.kill()
        return stats


def _max_rss_mb() -> float:
    try:
        import resource
    except ImportError:  # not on Windows
        return 0.0
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", "--urls", type=int, default=1000, help="distinct URLs (default 1000)")
    parser.add_argument(
        "-l", "--latency-ms", type=float, default=100.0, help="server latency per request (default 100)"
    )
    parser.add_argument("-c", "--concurrency", type=int, default=64, help="global concurrency (default 64)")
    parser.add_argument("--ports", type=int, default=1, help="loopback servers (hosts) to spread URLs over (default 1)")
    parser.add_argument("--repeat", type=int, default=1, help="runs; the best is reported (default 1)")
    parser.add_argument("--hostile", type=int, default=0, help="K dripping and K gzip-bomb URLs too (default 0)")
    parser.add_argument("--timeout", type=float, default=None, help="[urls] timeout (default: max(5, 20 x latency))")
    parser.add_argument("--deadline", type=float, default=30.0, help="[urls] deadline (default 30)")
    parser.add_argument("--retries", type=int, default=0, help="[urls] retries (default 0)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)

    latency = args.latency_ms / 1000.0
    server = ServerProcess(args.ports, latency)
    stats: dict[str, int] = {}
    try:
        per_host = max(1, math.ceil(args.concurrency / args.ports))
        settings = NetSettings(
            concurrency=args.concurrency,
            per_host=per_host,
            timeout=args.timeout if args.timeout is not None else max(5.0, latency * 20),
            deadline=args.deadline,
            retries=args.retries,
            use_cache=False,
            cache_dir=None,
            allow_hosts=("127.0.0.1",),
        )
        checks = [
            UrlCheck(f"http://127.0.0.1:{server.ports[i % len(server.ports)]}/page/{i}", "page")
            for i in range(args.urls)
        ]
        hostile = [
            UrlCheck(f"http://127.0.0.1:{server.ports[0]}/{what}/{i}", "page")
            for i in range(args.hostile)
            for what in ("drip", "bomb")
        ]
        checks += hostile
        walls = []
        summary = None
        for _ in range(max(1, args.repeat)):
            started = time.perf_counter()
            verdicts, summary = resolve(checks, settings)
            walls.append(time.perf_counter() - started)
            bad = [v for c, v in verdicts.items() if v.code is not None and "/drip/" not in c.url]
            if bad:
                print(f"unexpected findings: {bad[:3]}", file=sys.stderr)
                return 1
        wall = min(walls)
    finally:
        stats = server.stop()
    floor = args.urls * latency / args.concurrency
    result = {
        "urls": args.urls,
        "latency_ms": args.latency_ms,
        "concurrency": args.concurrency,
        "per_host": per_host,
        "ports": args.ports,
        "wall_s": round(wall, 3),
        "floor_s": round(floor, 3),
        "ratio": round(wall / floor, 3) if floor else None,
        "requests": summary.requests if summary else 0,
        "server_requests": stats.get("requests"),
        "server_connections": stats.get("connections"),
        "server_max_concurrent": stats.get("max_concurrent"),
        "runs": [round(w, 3) for w in walls],
        "hostile": args.hostile,
        "deadline_s": args.deadline,
        "max_rss_mb": round(_max_rss_mb(), 1),
    }
    if args.json:
        print(json.dumps(result))
    else:
        print(
            f"{result['urls']} URLs, latency {args.latency_ms:g} ms, concurrency {args.concurrency}"
            f" (per host {per_host}, {args.ports} port(s)): wall {result['wall_s']:.3f} s,"
            f" floor {result['floor_s']:.3f} s, ratio "
            f"{result['ratio'] if result['ratio'] is None else format(result['ratio'], '.2f')}"
            f" ({result['server_requests']} requests over {result['server_connections']} connections,"
            f" max {result['server_max_concurrent']} concurrent)"
            + (
                f"; {args.hostile} dripping + {args.hostile} bomb URLs, deadline {args.deadline:g} s,"
                f" client max RSS {result['max_rss_mb']} MB"
                if args.hostile
                else ""
            )
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
