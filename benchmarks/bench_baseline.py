"""Benchmark the baseline: recording N findings and matching them again.

    python benchmarks/bench_baseline.py [--sizes 10000 100000 400000]

For each N it builds N findings over N / 50 posts (each finding with its own
window of a line, as the linter cuts them) and times, in this process,
recording them (`apply` with a file to write), reading the file back and
matching the same findings against it (`apply` with the baseline). A cost per
finding that stays flat as N grows is linear time; the file size is printed
too.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from postlint.engine.baseline import Baseline, apply
from postlint.model.diagnostic import Diagnostic, Excerpt


def findings(n: int) -> tuple[list[Diagnostic], list[Path]]:
    per_file = 50
    out = []
    files = [Path(f"_posts/2019-05-13-bericht-{i}.md") for i in range(max(1, n // per_file))]
    for i in range(n):
        path = files[i % len(files)].as_posix()
        line = f"<p>Alinea {i} met een <div>open blok en nog wat tekst</p>"
        column = line.index("<div>") + 1
        out.append(Diagnostic(
            path, 10 + i // len(files), column, 10 + i // len(files), column + 5, "HT002", "error",
            "<div> is never closed", None, Excerpt(line, 1, len(line)),
        ))
    return out, files


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[10000, 100000, 400000])
    args = parser.parse_args()
    print(f"{'N':>7} {'record s':>9} {'load s':>7} {'match s':>8} {'us/finding':>11} {'file MB':>8}")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for n in args.sizes:
            diagnostics, files = findings(n)
            target = root / f"baseline-{n}.json"
            start = time.process_time()
            apply(diagnostics, root=root, linted=files, ran=["HT002"], baseline=None, write_to=target, cap=0)
            record = time.process_time() - start
            start = time.process_time()
            baseline = Baseline.load(target)
            load = time.process_time() - start
            start = time.process_time()
            applied = apply(
                diagnostics, root=root, linted=files, ran=["HT002"], baseline=baseline, write_to=None, cap=0
            )
            match = time.process_time() - start
            assert not applied.diagnostics, "every finding is in the baseline"
            total = record + load + match
            print(f"{n:>7} {record:>9.2f} {load:>7.2f} {match:>8.2f} {total / n * 1e6:>11.1f} "
                  f"{target.stat().st_size / 1e6:>8.1f}")


if __name__ == "__main__":
    main()
