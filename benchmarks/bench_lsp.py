"""What the language server costs per keystroke, on a generated site of N posts.

    python benchmarks/bench_lsp.py [--sizes 100 1500] [--repeat 20]

For each N: a site from bench_site.generate_site, the server's background full
lint (engine.run.file_results, offline, no cache), then, for one post of the
site, the work of one debounced change: `site_pass_ms` when the post's site
facts changed (engine.run.check_source with the other posts' facts, so that
JK002 runs against the whole site), `body_change_ms` when they did not (the
post alone: the server keeps its site findings); then "fix all" (the same with
fix=True) and converting the findings to LSP ranges. Medians in
milliseconds, in this process (the server is one process too). Nothing leaves
the machine.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.bench_site import generate_site


def bench(n: int, repeat: int) -> dict[str, float]:
    from postlint.engine.config import load_settings
    from postlint.engine.discover import discover
    from postlint.engine.linter import FileResult, Linter
    from postlint.engine.registry import load
    from postlint.engine.run import RunOptions, check_source, file_results
    from postlint.integrations.lsp.positions import Positions
    from postlint.model.lines import LineIndex

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        generate_site(root, n)
        registry = load()
        settings = load_settings([root], table_schemas=registry.tables())
        settings.use_cache = False
        files = discover([root], root=settings.root, exclude=settings.exclude).files
        start = time.perf_counter()
        results, _ = file_results(files, settings, registry, network=False)
        full = time.perf_counter() - start
        others = [FileResult(r.path, [], r.facts, [], r.fixable, r.relpath) for r in results]
        linter = Linter(settings, registry, None, network=False)
        post = files[len(files) // 2]
        source = post.read_bytes()
        change, body, fix_all, convert = [], [], [], []
        for _ in range(repeat):
            tb = time.perf_counter()
            check_source(post, source, settings, registry, RunOptions(network=False, partial=True), linter=linter)
            body.append(time.perf_counter() - tb)
            t0 = time.perf_counter()
            result = check_source(post, source, settings, registry, RunOptions(network=False),
                                  linter=linter, others=others)
            t1 = time.perf_counter()
            check_source(post, source, settings, registry, RunOptions(network=False, fix=True),
                         linter=linter, others=others)
            t2 = time.perf_counter()
            text = source.decode("utf-8", "replace")
            positions, lines = Positions(text), LineIndex(text)
            for d in result.diagnostics:
                positions.position(lines.offset(d.line, d.column))
                positions.position(lines.offset(d.end_line, d.end_column))
            t3 = time.perf_counter()
            change.append(t1 - t0)
            fix_all.append(t2 - t1)
            convert.append(t3 - t2)
    ms = lambda values: round(statistics.median(values) * 1000, 2)  # noqa: E731
    return {
        "posts": n,
        "full_lint_s": round(full, 2),
        "site_pass_ms": ms(change),
        "body_change_ms": ms(body),
        "fix_all_ms": ms(fix_all),
        "ranges_ms": ms(convert),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1500])
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args(argv)
    for n in args.sizes:
        print(bench(n, args.repeat))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
