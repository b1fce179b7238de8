"""The long fuzz run of the whole pipeline (issue 12, point 7).

    python benchmarks/fuzz.py [--examples 2000] [--max-count 3000] [--seed N]

Runs tests/fuzzing.py's check (discovery, parse, every rule, every reporter,
--fix twice: no exception, no PL000, reports parse, fixes idempotent) on
--examples sites of mutated real-shaped posts and as many of generated hostile
structures, with repetitions up to --max-count (the test suite uses 12 and
300). Seeds: postlint's own fixtures, examples/_posts and, read at run time,
a sample of ../shared/corpora. Prints a table of examples and seconds per
strategy; the first failure is printed with hypothesis's minimal example and
the exit status is 1. Nothing leaves the machine (the URL rules are off).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fuzzing import check_site, hostile_posts, mutated_posts, seeds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--examples", type=int, default=2000, help="examples per strategy (default 2000)")
    parser.add_argument("--max-count", type=int, default=3000, help="largest repetition in hostile posts")
    parser.add_argument("--seed", type=int, default=None, help="hypothesis seed (default: random)")
    args = parser.parse_args(argv)

    budget = settings(
        max_examples=args.examples, deadline=None, database=None, derandomize=False, print_blob=True,
        suppress_health_check=list(HealthCheck),
    )
    strategies = {
        "mutated real posts": st.lists(mutated_posts(), min_size=1, max_size=4),
        "hostile structures": st.lists(hostile_posts(max_count=args.max_count), min_size=1, max_size=3),
    }
    print(f"seeds: {len(seeds())} posts (fixtures, examples/_posts, a sample of ../shared/corpora)")
    print(f"{'strategy':<22} {'examples':>9} {'seconds':>9} {'slowest':>9}  result")
    failed = False
    for name, strategy in strategies.items():
        count = 0
        slowest = 0.0

        @budget
        @given(strategy)
        def run(posts: list[bytes]) -> None:
            nonlocal count, slowest
            count += 1
            start = time.perf_counter()
            with tempfile.TemporaryDirectory(prefix="postlint-fuzz-") as folder:
                check_site(Path(folder), posts)
            slowest = max(slowest, time.perf_counter() - start)

        if args.seed is not None:
            from hypothesis import seed

            run = seed(args.seed)(run)
        start = time.perf_counter()
        try:
            run()
            outcome = "ok"
        except Exception as exc:  # noqa: BLE001 - report and go on with the next strategy
            outcome = f"FAILED: {type(exc).__name__}: {str(exc)[:2000]}"
            failed = True
        print(f"{name:<22} {count:>9} {time.perf_counter() - start:>9.1f} {slowest:>9.2f}  {outcome}", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
