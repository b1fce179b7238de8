"""URL checking: a real `postlint check` process against a plain 64-thread
requests pool, the same URLs on a loopback server with a fixed latency, in one run.

    python benchmarks/bench_url_pool.py [--urls 1000] [--latency-ms 100] [-c 64] [--repeat 3] [--json out.json]

A threaded HTTP server on 127.0.0.1 (a child process: it never competes with
the clients for an interpreter lock) answers every request after `latency` ms
and counts the requests of each path. In a temporary folder, a generated site
of N/2 feed posts names N distinct URLs on it: each post's externe_link
(a page, http://127.0.0.1:PORT/page/I) and feature_image (an image,
.../img/I, served as image/jpeg). Its `.postlint.toml` lets postlint request
127.0.0.1 (`allow-hosts`), checks only those two fields, with concurrency and
per-host limit C and no retries. Then, alternately, `--repeat` times each
after one warm-up run of each, each a whole fresh process:

    postlint check --no-cache --select URL .
    python bench_url_pool.py --pool URLS.txt -c C    (ThreadPoolExecutor of C
        threads, one requests.Session per thread, a GET of each URL)

For each run the script checks, from the server's counts, that every one of
the N URLs was requested exactly once and nothing else was, and prints the
counts; the figure is the ratio of the median wall times. Target (issue 14):
postlint <= 1.2x the pool at N=1000, 100 ms, C=64.

Nothing leaves 127.0.0.1: every URL in the site's checked fields and in the
pool's list is http://127.0.0.1:PORT/... (the script verifies it before
running anything), body links are not checked, and neither client reads
proxy settings (postlint never does; the pool's sessions have trust_env off
and the children's environment has no proxy variables).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import benchlib
from bench_site import generate_site

RATIO_TARGET = 1.2
LOOPBACK = re.compile(r"http://127\.0\.0\.1:\d+/")
FIELDS = ("externe_link:", "feature_image:")


# -- the competitor: a plain requests pool, run as `--pool FILE` -----------------------------


def pool_main(urls_file: Path, concurrency: int, timeout: float) -> int:
    """GET every URL of the file (one a line) with `concurrency` threads, one
    requests.Session each; print how many answered 2xx and which did not."""
    from concurrent.futures import ThreadPoolExecutor

    import requests

    urls = [u for u in urls_file.read_text(encoding="utf-8").splitlines() if u]
    if not all(LOOPBACK.match(u) for u in urls):
        print("refusing: a URL that is not http://127.0.0.1:PORT/", file=sys.stderr)
        return 2
    local = threading.local()

    def fetch(url: str) -> tuple[str, int | str]:
        session = getattr(local, "session", None)
        if session is None:
            session = local.session = requests.Session()
            session.trust_env = False  # no proxies, no .netrc: straight to 127.0.0.1
        try:
            with session.get(url, timeout=timeout, allow_redirects=False) as response:
                return url, response.status_code
        except requests.RequestException as exc:
            return url, type(exc).__name__

    with ThreadPoolExecutor(concurrency) as pool:
        answers = list(pool.map(fetch, urls))
    bad = [(u, s) for u, s in answers if not (isinstance(s, int) and 200 <= s < 300)]
    print(json.dumps({"urls": len(urls), "ok": len(urls) - len(bad), "failed": bad[:10]}))
    return 0 if not bad else 1


# -- the benchmark --------------------------------------------------------------------


def write_site(site: Path, port: int, urls: int, concurrency: int, timeout: float) -> list[str]:
    """The site of urls/2 clean posts and its configuration; returns the URLs."""
    base = f"http://127.0.0.1:{port}"
    generate_site(site, urls // 2, rate=0.0, link=base + "/page/{n}", image=base + "/img/{n}")
    (site / ".postlint.toml").write_text(
        "[urls]\n"
        'fields = { externe_link = "page", feature_image = "image" }\n'
        "body-links = false\n"
        'allow-hosts = ["127.0.0.1"]\n'
        f"concurrency = {concurrency}\nper-host = {concurrency}\n"
        f"timeout = {timeout:g}\nretries = 0\n",
        encoding="utf-8",
    )
    expected = [f"{base}/{kind}/{n}" for n in range(urls // 2) for kind in ("page", "img")]
    # Nothing but loopback in what postlint will request.
    named = []
    for post in (site / "_posts").iterdir():
        for line in post.read_text(encoding="utf-8").splitlines():
            if line.startswith(FIELDS):
                value = line.split(":", 1)[1].strip()
                if not LOOPBACK.match(value):
                    raise SystemExit(f"refusing: {post.name} names {value}, not a loopback URL")
                named.append(value)
    if sorted(named) != sorted(expected):
        raise SystemExit("the generated posts do not name the expected URLs")
    return expected


def counted(stats: dict[str, Any], expected: list[str]) -> dict[str, Any]:
    """What the server saw in one run, against the URLs expected once each."""
    paths: dict[str, int] = stats.get("paths", {})
    want = {re.sub(r"^http://[^/]+", "", u) for u in expected}
    counts = [paths.get(p, 0) for p in want]
    return {
        "requests": stats.get("requests", 0),
        "distinct": len(paths),
        "min_per_url": min(counts, default=0),
        "max_per_url": max(counts, default=0),
        "not_requested": sum(1 for c in counts if c == 0),
        "requested_more_than_once": sum(1 for c in counts if c > 1),
        "unexpected_paths": sorted(set(paths) - want)[:10],
        "connections": stats.get("connections", 0),
        "max_concurrent": stats.get("max_concurrent", 0),
        "each_once": all(c == 1 for c in counts) and set(paths) <= want,
    }


def _say_counts(label: str, c: dict[str, Any]) -> None:
    print(f"  {label:9s} {c['requests']} requests, {c['distinct']} distinct paths, per URL min {c['min_per_url']}"
          f" max {c['max_per_url']}, {c['not_requested']} never, {c['requested_more_than_once']} more than once,"
          f" {len(c['unexpected_paths'])} unexpected; {c['connections']} connections, max {c['max_concurrent']}"
          f" at once: {'each URL once' if c['each_once'] else 'NOT each URL once'}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--urls", type=int, default=1000, help="distinct URLs, an even number (default 1000)")
    parser.add_argument("-l", "--latency-ms", type=float, default=100.0, help="server latency (default 100)")
    parser.add_argument("-c", "--concurrency", type=int, default=64, help="requests in flight (default 64)")
    parser.add_argument("--timeout", type=float, default=10.0, help="per request, both clients (default 10)")
    parser.add_argument("--repeat", type=int, default=3, help="measured runs of each client (default 3)")
    parser.add_argument("--json", type=Path, help="write the figures here too")
    parser.add_argument("--pool", type=Path, help=argparse.SUPPRESS)  # the competitor's process
    args = parser.parse_args(argv)
    if args.pool is not None:
        return pool_main(args.pool, args.concurrency, args.timeout)
    if args.urls < 2 or args.urls % 2:
        parser.error("--urls: an even number, at least 2 (a page and an image per post)")

    about = benchlib.environment({"requests": benchlib.version(
        [sys.executable, "-c", "import requests; print('requests', requests.__version__)"])})
    benchlib.print_environment(about)
    env = benchlib.child_env()
    server = benchlib.ServerProcess(1, args.latency_ms / 1000.0)
    runs: dict[str, list[benchlib.Run]] = {"postlint": [], "pool": []}
    checks: dict[str, list[dict[str, Any]]] = {"postlint": [], "pool": []}
    try:
        with tempfile.TemporaryDirectory(prefix="bench-urlpool-") as tmp:
            site = Path(tmp) / "site"
            expected = write_site(site, server.ports[0], args.urls, args.concurrency, args.timeout)
            listing = Path(tmp) / "urls.txt"
            listing.write_text("\n".join(expected) + "\n", encoding="utf-8")
            commands = {
                "postlint": [*benchlib.postlint_command(), "check", "--no-cache", "--select", "URL", "."],
                "pool": [sys.executable, str(Path(__file__).resolve()), "--pool", str(listing),
                         "-c", str(args.concurrency), "--timeout", str(args.timeout)],
            }
            for i in range(1 + max(1, args.repeat)):
                for name, command in commands.items():
                    server.stats()  # counts from here on
                    run = benchlib.run_process(command, site, env, ok=None)
                    seen = counted(server.stats(), expected)
                    if run.rc != 0:
                        sys.stderr.write((run.stdout + run.stderr).decode("utf-8", "replace")[-3000:])
                        raise SystemExit(f"{name} exited {run.rc}: findings or failures against the local server")
                    if i:  # the first round warms up (bytecode, page cache)
                        runs[name].append(run)
                        checks[name].append(seen)
    finally:
        server.stop()

    p, q = benchlib.medians(runs["postlint"]), benchlib.medians(runs["pool"])
    result = {
        "urls": args.urls, "posts": args.urls // 2, "latency_ms": args.latency_ms,
        "concurrency": args.concurrency, "floor_s": round(args.urls * args.latency_ms / 1000 / args.concurrency, 3),
        "postlint": p, "pool": q,
        "ratio_wall": round(benchlib.ratio(p["wall_s"], q["wall_s"]), 3),
        "ratio_cpu": round(benchlib.ratio(p["cpu_s"], q["cpu_s"]), 3),
        "server_counts": checks,
        "each_url_once": all(c["each_once"] for cs in checks.values() for c in cs),
    }
    print(f"\n{args.urls} distinct URLs ({args.urls // 2} posts), latency {args.latency_ms:g} ms, "
          f"concurrency {args.concurrency} (floor N x L / C = {result['floor_s']:.2f} s), "
          f"medians of {p['runs']} alternating runs")
    print(f"  postlint check    {p['wall_s']:8.3f} s wall  {p['cpu_s']:8.3f} s CPU")
    print(f"  requests pool     {q['wall_s']:8.3f} s wall  {q['cpu_s']:8.3f} s CPU")
    print(f"  postlint / pool: {result['ratio_wall']:.3f}x wall, {result['ratio_cpu']:.3f}x CPU")
    print("server counts, per run:")
    for name in ("postlint", "pool"):
        for c in checks[name]:
            _say_counts(name, c)
    found = [benchlib.Target(f"URL checking / requests pool, {args.urls} URLs", result["ratio_wall"],
                             RATIO_TARGET, "x the pool (wall)",
                             f"{p['wall_s']:.2f} s vs {q['wall_s']:.2f} s; each URL once: "
                             f"{'yes' if result['each_url_once'] else 'NO'}")]
    print()
    benchlib.print_targets(found)
    benchlib.write_json(args.json, benchlib.document("bench_url_pool", about, result, found))
    return 0 if result["each_url_once"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
