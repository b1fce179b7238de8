"""What the HTML report costs beside the JSON and SARIF ones.

    python benchmarks/bench_html.py [--sizes 1000 5000] [--rate 0.02] [--repeat 3]

For each N it generates a site of N feed-like posts (bench_site.generate_site,
with `rate` of the posts given each defect class (about fifteen), so that there are many
findings), lints it once in this process without the network, and then times
each renderer on the same findings (best of `repeat`): json, sarif, html. The
HTML renderer also reads the front matter of each post with findings again
for the chart's months; that is part of its time. Printed: findings, files
with findings, seconds and bytes per renderer, bytes per finding.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench_site import generate_site


def bench(n: int, rate: float, repeat: int, work: Path) -> dict[str, Any]:
    from postlint.engine.config import load_settings
    from postlint.engine.discover import discover
    from postlint.engine.registry import load
    from postlint.engine.run import RunOptions, run
    from postlint.reporters import Report, renderer

    site = work / f"site-{n}"
    for seed in range(7, 50):
        try:  # the generator can move a 29 February to 2091 (no such day): another seed
            generate_site(site, n, rate=rate, seed=seed)
            break
        except ValueError:
            continue
    registry = load()
    settings = load_settings([site], table_schemas=registry.tables())
    settings.use_cache = False
    found = discover([site], root=settings.root, exclude=settings.exclude, force_exclude=settings.force_exclude)
    old = os.getcwd()
    os.chdir(site)
    try:
        result = run(found.files, settings, registry, None, RunOptions(network=False))
        report = Report(result.diagnostics, registry, result.linter.rules, files=result.files, cwd=site,
                        date_options=dict(settings.tables.get("dates", {})))
        out: dict[str, Any] = {"posts": n, "findings": len(report.diagnostics),
                               "files_with_findings": len({d.path for d in report.diagnostics})}
        for name in ("json", "sarif", "html"):
            best, size = float("inf"), 0
            for _ in range(repeat):
                start = time.perf_counter()
                text = renderer(name)(report)
                best = min(best, time.perf_counter() - start)
                size = len(text.encode("utf-8"))
            out[name] = {"seconds": round(best, 3), "bytes": size,
                         "bytes_per_finding": round(size / max(1, out["findings"]))}
        return out
    finally:
        os.chdir(old)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000])
    parser.add_argument("--rate", type=float, default=0.02, help="share of posts given each defect class")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="postlint-bench-html-") as tmp:
        for n in args.sizes:
            r = bench(n, args.rate, args.repeat, Path(tmp))
            print(f"{r['posts']} posts: {r['findings']} findings in {r['files_with_findings']} files")
            for name in ("json", "sarif", "html"):
                m = r[name]
                print(
                    f"  {name:5} {m['seconds']:7.3f} s  {m['bytes']:>10,} bytes  "
                    f"{m['bytes_per_finding']:>5} bytes/finding"
                )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
