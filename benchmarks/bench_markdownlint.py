"""Cold runs on generated feed posts: postlint against markdownlint-cli2, in one run.

    python benchmarks/bench_markdownlint.py [--posts 2000] [--repeat 3] [--json out.json]

Generates a site of N feed-like posts (bench_site.generate_site: RFC 2822
dates, 2-4 KB HTML bodies, a few percent of the posts with each defect class)
in a temporary folder, then runs alternately, `--repeat` times each after one
warm-up run of each, each a fresh process:

    postlint check --no-network --no-cache .     (every offline rule)
    markdownlint-cli2 "_posts/**/*.md"           (its default rules, no fix)

and prints the median wall and CPU time of each (user + system, children
included) and their ratio. Target (issue 14): postlint <= 0.15x
markdownlint-cli2's wall time at 2,000 posts. markdownlint-cli2 comes from npm:
`npm install --prefix .ci/node markdownlint-cli2` (the gitignored folder that
.ci/run installs into; $MARKDOWNLINT_CLI2 names another binary); without it the
script says so and exits 2.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import benchlib
from bench_site import generate_site

RATIO_TARGET = 0.15
HOW = "npm install --prefix .ci/node markdownlint-cli2"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=2000, help="generated posts (default 2000)")
    parser.add_argument("--repeat", type=int, default=3, help="measured runs of each tool (default 3)")
    parser.add_argument("--json", type=Path, help="write the figures here too")
    args = parser.parse_args(argv)

    mdl = benchlib.find_tool("markdownlint-cli2", "MARKDOWNLINT_CLI2")
    if mdl is None:
        return benchlib.missing("markdownlint-cli2", "MARKDOWNLINT_CLI2", HOW)
    about = benchlib.environment({"markdownlint-cli2": benchlib.version([mdl, "--help"])})
    benchlib.print_environment(about)
    # markdownlint-cli2 needs node; the site's posts stay in the future for DT005 as bench_site has them.
    env = benchlib.child_env({"POSTLINT_NOW": "2024-06-01T12:00:00+00:00"})
    with tempfile.TemporaryDirectory(prefix="bench-mdl-") as tmp:
        site = Path(tmp) / "site"
        generate_site(site, args.posts)
        lint = [*benchlib.postlint_command(), "check", "--no-network", "--no-cache", "."]
        check = [mdl, "_posts/**/*.md"]
        warmup = benchlib.run_process([*lint, "--verbose"], site, env)
        files = benchlib.files_to_lint(warmup.stderr) or 0
        benchlib.run_process(check, site, env)
        ours: list[benchlib.Run] = []
        theirs: list[benchlib.Run] = []
        for _ in range(max(1, args.repeat)):
            ours.append(benchlib.run_process(lint, site, env))
            theirs.append(benchlib.run_process(check, site, env))
        markdown = sum(1 for _ in (site / "_posts").glob("*.md"))
    p, m = benchlib.medians(ours), benchlib.medians(theirs)
    result = {
        "posts": args.posts, "files_linted": files, "markdown_files": markdown,
        "postlint": p, "markdownlint_cli2": m,
        "ratio_wall": round(benchlib.ratio(p["wall_s"], m["wall_s"]), 3),
        "ratio_cpu": round(benchlib.ratio(p["cpu_s"], m["cpu_s"]), 3),
        "postlint_cpu_ms_per_post": round(p["cpu_s"] * 1000 / max(1, files), 3),
        "exit_status": {"postlint": ours[-1].rc, "markdownlint_cli2": theirs[-1].rc},
    }
    print(f"\n{args.posts} generated posts ({files} files linted by postlint, {markdown} .md for "
          f"markdownlint-cli2), medians of {p['runs']} alternating runs")
    print(f"  postlint cold        {p['wall_s']:8.3f} s wall  {p['cpu_s']:8.3f} s CPU  "
          f"({result['postlint_cpu_ms_per_post']:.3f} ms CPU per post)")
    print(f"  markdownlint-cli2    {m['wall_s']:8.3f} s wall  {m['cpu_s']:8.3f} s CPU")
    print(f"  postlint / markdownlint-cli2: {result['ratio_wall']:.3f}x wall, {result['ratio_cpu']:.3f}x CPU")
    found = [benchlib.Target(f"cold / markdownlint-cli2 cold, {args.posts} posts", result["ratio_wall"],
                             RATIO_TARGET, "x markdownlint-cli2",
                             f"{p['wall_s']:.2f} s vs {m['wall_s']:.2f} s wall")]
    print()
    benchlib.print_targets(found)
    benchlib.write_json(args.json, benchlib.document("bench_markdownlint", about, result, found))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
