"""Start-up and warm-run figures of postlint, with rumdl's in the same run.

    python benchmarks/bench_startup_warm.py [--corpus DIR] [--repeat 5] [--single 10] [--json out.json]

Measured, each in a fresh process, on a copy of the corpus in a temporary folder
(nothing is written into ../shared):

* warm: `postlint check --no-network .` with its cache, nothing changed since
  the run before, against `rumdl check .` with its cache; the two alternate,
  `--repeat` times each, and the medians are compared;
* one post: `postlint check --no-network FILE` in the site, a cold process
  (the post's text changed since the last run, as a pre-commit hook sees a
  staged file), median of `--single` runs;
* `postlint --version`, median of `--single` runs;
* `python -c pass` (the interpreter's own start, for scale).

For each figure: the median wall time and the median CPU time (user + system,
of the process and its children: on a shared machine the wall time depends on
the load, the CPU time much less). Bytecode is written before measuring
(PYTHONDONTWRITEBYTECODE is removed from the children's environment and one
run warms every import), as an installed package has it.

Targets (issue 14): warm <= 0.5x rumdl's warm; one post <= 150 ms wall;
--version <= 60 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import benchlib

DEFAULT_CORPUS = benchlib.CORPORA / "ruby-www.ruby-lang.org"
MARK = "\n<!-- bench_startup_warm {} -->\n"


def _timed(command: list[str], cwd: Path) -> tuple[float, float, int]:
    """(wall seconds, CPU seconds of the process and its children, exit status)."""
    run = benchlib.run_process(command, cwd, ok=None)
    return run.wall, run.cpu, run.rc


def _median(samples: list[tuple[float, float, int]]) -> dict[str, float]:
    return {"wall": statistics.median(s[0] for s in samples), "cpu": statistics.median(s[1] for s in samples),
            "runs": len(samples)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--repeat", type=int, default=5, help="warm runs of each tool")
    parser.add_argument("--single", type=int, default=10, help="one-post and --version runs")
    parser.add_argument("--json", type=Path, help="write the figures here too")
    args = parser.parse_args(argv)

    postlint = benchlib.find_tool("postlint", "POSTLINT")
    rumdl = benchlib.find_tool("rumdl", "RUMDL")
    if postlint is None:
        print("postlint is not installed in this environment (pip install -e .)", file=sys.stderr)
        return 2
    if rumdl is None:
        print("rumdl is not installed: pip install rumdl", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="bench-startup-") as tmp:
        site = Path(tmp) / "site"
        shutil.copytree(args.corpus, site, ignore=shutil.ignore_patterns(".postlint_cache", ".rumdl_cache"))
        posts = sorted(site.rglob("_posts/*.md"))
        print(f"corpus: {args.corpus.name}, {len(posts)} posts; "
              f"{platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} CPUs, "
              f"load average {os.getloadavg()[0]:.1f}; {benchlib.version([postlint, '--version'])}, "
              f"{benchlib.version([rumdl, '--version'])}; {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")

        lint = [postlint, "check", "--no-network", "."]
        check = [rumdl, "check", "."]
        # Fill both caches (and write postlint's bytecode).
        for command in (lint, check, lint, check):
            _timed(command, site)
        warm: list[tuple[float, float, int]] = []
        rumdl_warm: list[tuple[float, float, int]] = []
        for _ in range(args.repeat):
            warm.append(_timed(lint, site))
            rumdl_warm.append(_timed(check, site))

        post = posts[len(posts) // 2]
        original = post.read_bytes()
        single: list[tuple[float, float, int]] = []
        one = [postlint, "check", "--no-network", str(post.relative_to(site))]
        for i in range(args.single):
            post.write_bytes(original + MARK.format(i).encode())  # a staged edit: this post is not cached
            single.append(_timed(one, site))
        post.write_bytes(original)
        version = [_timed([postlint, "--version"], site) for _ in range(args.single)]
        python = [_timed([sys.executable, "-c", "pass"], site) for _ in range(args.single)]

    figures: dict[str, Any] = {
        "warm": _median(warm), "rumdl_warm": _median(rumdl_warm), "one_post": _median(single),
        "version": _median(version), "python_start": _median(python),
    }
    w, r = figures["warm"], figures["rumdl_warm"]
    figures["warm_ratio"] = {"wall": w["wall"] / r["wall"], "cpu": w["cpu"] / r["cpu"] if r["cpu"] else None}

    def ms(x: float) -> str:
        return f"{1000 * x:7.0f} ms"

    print(f"{'':28s} {'wall':>10s} {'cpu':>10s}")
    for label, key in (("postlint warm", "warm"), ("rumdl warm", "rumdl_warm"), ("one post, cold process", "one_post"),
                       ("postlint --version", "version"), ("python -c pass", "python_start")):
        print(f"{label:28s} {ms(figures[key]['wall'])} {ms(figures[key]['cpu'])}")
    ratio = figures["warm_ratio"]
    print(f"warm / rumdl warm: {ratio['wall']:.2f}x wall, "
          f"{ratio['cpu']:.2f}x cpu (target <= 0.5x)" if ratio["cpu"] is not None else "")
    print(f"one post: {1000 * figures['one_post']['wall']:.0f} ms (target <= 150 ms); "
          f"--version: {1000 * figures['version']['wall']:.0f} ms (target <= 60 ms)")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
