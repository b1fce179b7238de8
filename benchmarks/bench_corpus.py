"""Cold runs on real Markdown: postlint against rumdl, on each corpus, in one run.

    python benchmarks/bench_corpus.py [--corpus DIR ...] [--repeat 5] [--json out.json]

For each corpus (default: the three in ../shared/corpora), copied to a
temporary folder (nothing is written into ../shared), the two commands

    postlint check --no-network --no-cache .     (every offline rule)
    rumdl check --no-cache .                     (its default rules)

run alternately, `--repeat` times each after one warm-up run of each (which
writes postlint's bytecode and fills the page cache), each a fresh process.
Printed: the median wall and CPU time (user + system of the process and the
children it waited for, so the pool's workers count) of each, the ratio of the
medians, and postlint's CPU time per post (files linted, as --verbose counts
them). Targets (issue 14): cold <= 1.0x rumdl's on ruby-lang.org; <= 0.8 ms
CPU per post on each corpus. rumdl: `pip install rumdl` ($RUMDL names another
binary); without it the script says so and exits 2.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import benchlib

RATIO_CORPUS = "ruby-www.ruby-lang.org"  # where the cold-time ratio target applies
RATIO_TARGET = 1.0
CPU_PER_POST_MS = 0.8


def bench_corpus(corpus: Path, work: Path, postlint: list[str], rumdl: str, repeat: int) -> dict[str, Any]:
    site = benchlib.copy_site(corpus, work / corpus.name)
    lint = [*postlint, "check", "--no-network", "--no-cache", "."]
    check = [rumdl, "check", "--no-cache", "."]
    warmup = benchlib.run_process([*lint, "--verbose"], site)
    files = benchlib.files_to_lint(warmup.stderr)
    if not files:
        raise SystemExit(f"postlint found nothing to lint in {corpus}")
    benchlib.run_process(check, site)
    ours: list[benchlib.Run] = []
    theirs: list[benchlib.Run] = []
    for _ in range(repeat):
        ours.append(benchlib.run_process(lint, site))
        theirs.append(benchlib.run_process(check, site))
    p, r = benchlib.medians(ours), benchlib.medians(theirs)
    return {
        "corpus": corpus.name,
        "posts": files,
        "markdown_files": sum(1 for _ in site.rglob("*.md")),
        "postlint": p,
        "rumdl": r,
        "ratio_wall": round(benchlib.ratio(p["wall_s"], r["wall_s"]), 3),
        "ratio_cpu": round(benchlib.ratio(p["cpu_s"], r["cpu_s"]), 3),
        "postlint_cpu_ms_per_post": round(p["cpu_s"] * 1000 / files, 3),
        "exit_status": {"postlint": ours[-1].rc, "rumdl": theirs[-1].rc},
    }


def targets(results: list[dict[str, Any]]) -> list[benchlib.Target]:
    found = [
        benchlib.Target(f"cold / rumdl cold, {r['corpus']}", r["ratio_wall"], RATIO_TARGET, "x rumdl (wall)",
                        f"{r['postlint']['wall_s']:.2f} s vs {r['rumdl']['wall_s']:.2f} s")
        for r in results if r["corpus"] == RATIO_CORPUS
    ]
    found += [
        benchlib.Target(f"cold CPU per post, {r['corpus']}", r["postlint_cpu_ms_per_post"], CPU_PER_POST_MS,
                        "ms CPU per post", f"{r['postlint']['cpu_s']:.2f} s CPU over {r['posts']} posts")
        for r in results
    ]
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, action="append",
                        help="a site to measure (repeatable; default: the three corpora in ../shared/corpora)")
    parser.add_argument("--repeat", type=int, default=5, help="measured runs of each tool (default 5)")
    parser.add_argument("--json", type=Path, help="write the figures here too")
    args = parser.parse_args(argv)

    rumdl = benchlib.find_tool("rumdl", "RUMDL")
    if rumdl is None:
        return benchlib.missing("rumdl", "RUMDL", "pip install rumdl")
    corpora = args.corpus or [benchlib.CORPORA / name for name in benchlib.CORPUS_NAMES]
    absent = [c for c in corpora if not c.is_dir()]
    if absent:
        print(f"corpus not found: {', '.join(map(str, absent))}", file=sys.stderr)
        return benchlib.EXIT_MISSING
    postlint = benchlib.postlint_command()
    about = benchlib.environment({"rumdl": benchlib.version([rumdl, "--version"])})
    benchlib.print_environment(about)
    results = []
    with tempfile.TemporaryDirectory(prefix="bench-corpus-") as tmp:
        for corpus in corpora:
            result = bench_corpus(corpus, Path(tmp), postlint, rumdl, max(1, args.repeat))
            results.append(result)
            p, r = result["postlint"], result["rumdl"]
            print(f"\n{result['corpus']}: {result['posts']} files linted by postlint "
                  f"({result['markdown_files']} .md), medians of {p['runs']} alternating runs")
            print(f"  postlint cold  {p['wall_s']:8.3f} s wall  {p['cpu_s']:8.3f} s CPU  "
                  f"({result['postlint_cpu_ms_per_post']:.3f} ms CPU per post)")
            print(f"  rumdl cold     {r['wall_s']:8.3f} s wall  {r['cpu_s']:8.3f} s CPU")
            print(f"  postlint / rumdl: {result['ratio_wall']:.2f}x wall, {result['ratio_cpu']:.2f}x CPU")
    found = targets(results)
    print()
    benchlib.print_targets(found)
    benchlib.write_json(args.json, benchlib.document("bench_corpus", about, results, found))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
