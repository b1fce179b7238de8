"""Benchmark EN002/EN003 on single-line posts (what feed importers write).

    python benchmarks/bench_mojibake.py [--sizes 10000 100000 1000000] [--timeout 120]

For each generated body shape and size, a fresh process lints one Markdown post
whose whole body is one line with `--select EN002,EN003` (in-process Linter, no
network) and reports wall time, CPU time and peak RSS (getrusage of the child).
A case that runs past --timeout is killed and shown as "> timeout".

Shapes (all written for this benchmark):

* daniel:   `DaniÃ«l ` repeated (issue 12's case: every word mojibake);
* mixed:    clean Dutch prose with one mojibake word in ten;
* nospace:  CJK text without spaces with a mojibake run every 40 characters
            (one non-ASCII run as long as the line);
* cyrillic: Russian text garbled as cp1252 (long non-ASCII runs, short ASCII);
* c1:       `I â\\x9d¤ Jekyll ` repeated (C1 controls inside mojibake);
* clean:    accented prose, no mojibake at all.

Measured on the 2-core development machine (shared, so wall times vary),
find_mojibake alone on the `daniel` line: before the linear alignment (a
SequenceMatcher over the line) 8.2 s at 2.5 KB, 72.7 s at 5 KB, over 70 s at
10 KB (stopped); after, 0.04 s at 10 KB, 0.14 s at 100 KB, 0.9 s at 1 MB, peak
RSS 22/27/79 MB. The other shapes at 1 MB: 0.6-1.6 s, at most 74 MB.
"""

from __future__ import annotations

import argparse
import subprocess
import sys

SHAPES = {
    "daniel": "DaniÃ«l ",
    "mixed": "De coördinator van het café zei dat naïeve reünies DaniÃ«l niet ",
    "nospace": "中文文本没有空格中文文本没有空格中文文本没有空格中文文Ã©",
    "cyrillic": "ÐŸÑ€Ð¸Ð²ÐµÑ‚ Ð¼Ð¸Ñ€, ",
    "c1": "I \u00e2\x9d\u00a4 Jekyll ",
    "clean": "Daniël woont in Curaçao, naïef en één café ",
}

CHILD = r"""
import resource, sys, time
from pathlib import Path
from postlint.engine.config import Settings
from postlint.engine.linter import Linter
from postlint.engine.registry import load

shape, size = sys.argv[1], int(sys.argv[2])
unit = sys.argv[3]
body = (unit * (size // len(unit) + 1))[:size]
source = ("---\ntitle: Test\n---\n" + body + "\n").encode("utf-8")
from postlint.rules.encoding.detect import find_mojibake
f0 = time.perf_counter()
spans = find_mojibake(body)
f1 = time.perf_counter()
rss_find = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
if "--analysis-only" in sys.argv:
    print(f"{f1 - f0:.3f} {rss_find:.0f} - - - spans={len(spans)}")
    sys.exit(0)
linter = Linter(Settings(root=Path.cwd(), select=["EN002", "EN003"]), load(), network=False)
w0, c0 = time.perf_counter(), time.process_time()
_, result = linter.lint_source("_posts/2019-05-13-x.md", source)
w1, c1 = time.perf_counter(), time.process_time()
codes = {}
for d in result.diagnostics:
    codes[d.code] = codes.get(d.code, 0) + 1
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
counts = ",".join(f"{k}={v}" for k, v in sorted(codes.items()))
print(f"{f1 - f0:.3f} {rss_find:.0f} {w1 - w0:.3f} {c1 - c0:.3f} {rss:.0f} {counts}")
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    ap.add_argument("--shapes", nargs="+", default=list(SHAPES))
    ap.add_argument("--timeout", type=float, default=120.0)
    ap.add_argument("--analysis-only", action="store_true",
                    help="time find_mojibake alone (EN002's analysis), not the whole lint with its findings")
    args = ap.parse_args()
    print(f"{'shape':<10} {'size':>9} {'find s':>7} {'MB':>5} {'lint s':>8} {'cpu s':>7} {'peak MB':>8}  findings")
    for shape in args.shapes:
        for size in args.sizes:
            try:
                out = subprocess.run(
                    [sys.executable, "-c", CHILD, shape, str(size), SHAPES[shape]]
                    + (["--analysis-only"] if args.analysis_only else []),
                    capture_output=True, text=True, timeout=args.timeout, check=True,
                ).stdout.split()
            except subprocess.TimeoutExpired:
                print(f"{shape:<10} {size:>9} {'> ' + str(int(args.timeout)):>7}  (killed)")
                continue
            except subprocess.CalledProcessError as exc:
                print(f"{shape:<10} {size:>9} failed: {exc.stderr.strip().splitlines()[-1:]}")
                continue
            find, find_rss, wall, cpu, rss = out[:5]
            found = out[5] if len(out) > 5 else "-"
            print(f"{shape:<10} {size:>9} {find:>7} {find_rss:>5} {wall:>8} {cpu:>7} {rss:>8}  {found}", flush=True)


if __name__ == "__main__":
    main()
