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
import json
import math
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from benchlib import ServerProcess

from postlint.net import NetSettings, UrlCheck, resolve


def _max_rss_mb() -> float:
    try:
        import resource
    except ImportError:  # not on Windows
        return 0.0
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", "--urls", type=int, default=1000, help="distinct URLs (default 1000)")
    parser.add_argument("-l", "--latency-ms", type=float, default=100.0,
                        help="server latency per request (default 100)")
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
    server = ServerProcess(args.ports, latency, bomb=args.hostile > 0)
    stats: dict[str, Any] = {}
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
        shown = "-" if result["ratio"] is None else format(result["ratio"], ".2f")
        print(
            f"{result['urls']} URLs, latency {args.latency_ms:g} ms, concurrency {args.concurrency}"
            f" (per host {per_host}, {args.ports} port(s)): wall {result['wall_s']:.3f} s,"
            f" floor {result['floor_s']:.3f} s, ratio {shown}"
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
