"""Benchmark suppression parsing and PL001/PL002 on one post with N directives.

    python benchmarks/bench_suppress.py [--sizes 1000 10000 40000]

For each N and each shape (valid one-line directives each silencing a finding,
unused ones, invalid ones, unclosed "<!--" after a "postlint", front-matter
comments) it lints one post in this process (post and site rules, so PL002 is
computed) and prints the CPU seconds and the microseconds per directive: a cost
per directive that stays flat as N grows is linear time.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from postlint.engine.config import Settings
from postlint.engine.linter import Linter
from postlint.engine.registry import load
from postlint.model.site import Site

SHAPES = {
    "used": lambda n: "---\n---\n" + "# h <!-- postlint-disable-line HD002 -->\n" * n,
    "unused": lambda n: "---\n---\n" + "text <!-- postlint-disable-line HD002, EN002 -->\n" * n,
    "invalid": lambda n: "---\n---\n" + "<!-- postlint-disable-nextline HD002 -->\n" * n,
    "unclosed": lambda n: "---\n---\npostlint\n" + "<!-- x\n" * n,
    "front": lambda n: "---\n" + "".join(f"k{i}: 1  # postlint: disable=FM003\n" for i in range(n)) + "---\n",
    # Directives shown as code (spans, fences) are text: Markdown is parsed.
    "code": lambda n: "---\n---\n" + "`<!-- postlint-disable -->` and\n```\n<!-- postlint-disable -->\n```\n" * n,
    # '#' in block scalars and quoted strings is text: PyYAML scans the front matter.
    "scalars": lambda n: (
        "---\n" + "".join(f"k{i}: |\n  # postlint: x\nq{i}: 'a # postlint: y'\n" for i in range(n)) + "---\n"
    ),
    # Enables closing no block, two unused comments per line (fixes fitted together).
    "dangling": lambda n: "---\n---\n" + "<!-- postlint-enable --> <!-- postlint-enable HD002 -->\n" * n,
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 40000])
    args = parser.parse_args()
    registry = load()
    linter = Linter(Settings(root=Path("."), select=["HD", "EN", "FM", "PL"]), registry, Site(), network=False)
    print(f"{'shape':<10} {'N':>7} {'seconds':>8} {'us/directive':>13} findings")
    for shape, make in SHAPES.items():
        for n in args.sizes:
            source = make(n).encode("utf-8")
            start = time.process_time()
            result = linter.lint_source("_posts/2019-05-13-a.md", source)[1]
            site, _ = linter.lint_site([result])
            seconds = time.process_time() - start
            print(
                f"{shape:<10} {n:>7} {seconds:>8.2f} {seconds / n * 1e6:>13.1f} {len(result.diagnostics) + len(site)}"
            )


if __name__ == "__main__":
    main()
