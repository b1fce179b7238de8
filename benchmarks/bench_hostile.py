"""Hostile posts: time, peak memory and report size of `postlint check` on the
worst single posts we can think of (issue 12.1).

    python benchmarks/bench_hostile.py [--mb 1.0] [--only NAME ...] [--timeout 60] [--memory-limit 2048]
                                       [--json out.json] [--keep DIR]

Each case is one generated post of about --mb megabytes (the small, named
exceptions are the sizes the issue quotes) in a site of its own. For each, a
fresh process runs `python -m postlint check --no-network --no-cache` twice:

* text: the default report to a file (code frames included);
* sarif: `--output-format sarif -o FILE` (the largest report).

It measures each run's wall time, CPU time and peak RSS (os.wait4 of that very
child: the post is alone, so no pool worker is started) and report size, and
counts the findings shown (SARIF results). CPU time tells a slow case from a
busy machine. The targets (on wall time, as a CI job feels it):

* every post of 1 MB or less lints in <= 5 s and <= 300 MB peak (both runs);
* a report stays proportional to the findings shown: at most
  REPORT_BYTES_PER_RESULT bytes per SARIF result plus a fixed REPORT_BASE.

A run killed at --timeout seconds counts as a miss. The table says which
cases miss which target; the exit status is 1 when any does. Nothing leaves the
machine: --no-network, and the generated text names no host that resolves.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
TARGET_SECONDS = 5.0
TARGET_MB = 300.0
REPORT_BYTES_PER_RESULT = 4096
REPORT_BASE = 128 * 1024

HEAD = "---\nlayout: post\ntitle: Vijandig\ndate: Mon, 13 May 2019 10:00:00 +0200\n---\n"
NAME = "_posts/2019-05-13-vijandig.md"


def _repeat(unit: str, size: int) -> str:
    return unit * max(1, size // len(unit.encode("utf-8")))


# Each generator: size in bytes -> the post's text. Written for this benchmark.
def mojibake_line(size: int) -> str:
    # A feed importer's whole body on one line, every name double-encoded.
    return HEAD + "<p>" + _repeat("DaniÃ«l ", size) + "</p>\n"


def end_tags_line(size: int) -> str:
    return HEAD + "<p>x</p>\n" + _repeat("</div>", size) + "\n"


def end_tags_96k(_size: int) -> str:
    return end_tags_line(96 * 1024)


def big_post(size: int) -> str:
    para = (
        "<p>De gemeenteraad heeft dinsdag besloten het café van Noëlle te verbouwen; de coördinator is verrast.</p>\n"
    )
    return HEAD + _repeat(para, size)


def big_post_mixed(size: int) -> str:
    # Ordinary paragraphs with a defect of every body rule now and then.
    para = (
        "<p>Gewone tekst met een accent: reünie.</p>\n"
        "<p>Daniël schreef DaniÃ«l en een zero\u200bwidth spatie.</p>\n"
        "<h3>Kop die een niveau overslaat</h3>\n"
        "<p>Een <b>open element en een </i> vreemde sluittag.</p>\n"
    )
    return HEAD + _repeat(para, size)


def nested_tables(size: int) -> str:
    unit = "<table><tr><td>"
    count = min(20_000, max(1, size // len(unit)))
    return HEAD + unit * count + "x\n"


def nested_divs(size: int) -> str:
    return HEAD + _repeat("<div>", size) + "\n"


def huge_front_matter(size: int) -> str:
    lines = [f"key_{i}: \"waarde {i} met een café\"\n" for i in range(max(1, size // 32))]
    return "---\nlayout: post\ntitle: Groot\n" + "".join(lines) + "---\n<p>Tekst.</p>\n"


def deep_yaml(size: int) -> str:
    depth = min(5_000, size // 8)
    return "---\nlayout: post\ntitle: Diep\nx: " + "[" * depth + "]" * depth + "\n---\n<p>Tekst.</p>\n"


def deep_yaml_block(size: int) -> str:
    depth = min(2_000, int((size * 2) ** 0.5))
    lines = "".join(" " * i + f"k{i}:\n" for i in range(depth))
    return (
        "---\nlayout: post\ntitle: Diep\nx:\n"
        + "".join(" " + line for line in lines.splitlines(True))
        + "---\n<p>.</p>\n"
    )


def duplicate_keys(size: int) -> str:
    return "---\nlayout: post\ntitle: a\n" + _repeat("title: b\n", size) + "---\n<p>.</p>\n"


def long_liquid(size: int) -> str:
    return HEAD + "<p>{{ " + _repeat("site.data.x | append: 'é' ", size) + "}}</p>\n"


def unclosed_liquid(size: int) -> str:
    return HEAD + "<p>" + _repeat("{% if x %}{{ y ", size) + "</p>\n"


def one_kind_of_liquid(size: int) -> str:
    # Tags and no output (Liquid's markup() once searched the missing kind to
    # the end after every tag: 1 MB took 74 s).
    return HEAD + _repeat("x {% include a.html %}\n", size // 2) + "{{ y }}" + _repeat("{% a %}", size // 2)


def many_headings(size: int) -> str:
    return HEAD + _repeat("# Kop\n\n###### Diep\n\n#\n\n", size)


def zero_width(size: int) -> str:
    return HEAD + "<p>" + _repeat("woord\u200b ", size) + "</p>\n"


def long_plain_line(size: int) -> str:
    return HEAD + "<p>" + _repeat("gewone woorden zonder fouten ", size) + "</p>\n"


def invalid_utf8(size: int) -> bytes:
    return HEAD.encode() + b"<p>" + b"caf\xe9 " * max(1, size // 5) + b"</p>\n"


def control_chars(size: int) -> str:
    return HEAD + "<p>" + _repeat("a\x1b[31m\r\u202eb ", size) + "</p>\n"


def many_links(size: int) -> str:
    return HEAD + _repeat("[link](https://voorbeeld.invalid/pad) <a href=\"http://x.invalid/\">a</a>\n", size)


def markdown_emphasis(size: int) -> str:
    # Pathological for Markdown parsers: unclosed emphasis and brackets.
    return HEAD + _repeat("*_[`", size) + "\n"


def markdown_link_labels(size: int) -> str:
    # As markdown_emphasis, with a "](" at the end: every "[" may open a
    # link, so no parse may skip the labels.
    return HEAD + _repeat("*_[`", size) + "](x)\n"


def definition_colons(size: int) -> str:
    # One line of "]:" (each may end a link reference definition's label)
    # and nothing after it: a screen that looks for the line after each one
    # from where it stands is quadratic (80 KB took 19.5 s).
    return HEAD + _repeat("]:", size) + " `x`\n"


def nested_brackets_quote(size: int) -> str:
    # A "#" somewhere and one long quote line of "[[": the heading screen
    # tested the line's prefix again for every "[[" (quadratic: 190 KB, 16 s).
    return HEAD + "#\n" + "> " * (size // 8) + "[[]]" * (size // 8) + "\n"


def span_over_divs(size: int) -> str:
    # An inline element left open under many blocks, then its end tag again
    # and again: each end tag is ignored (a block is in the way) and the
    # tree error says which elements it would close, all of them each time.
    half = max(1, size // 12)
    return HEAD + "<span>" + "<div>" * half + "</span>" * half + "\n"


CASES: dict[str, Callable[[int], Any]] = {
    "mojibake-line": mojibake_line,
    "end-tags-96k-line": end_tags_96k,
    "end-tags-line": end_tags_line,
    "big-post": big_post,
    "big-post-mixed": big_post_mixed,
    "nested-tables-20k": nested_tables,
    "nested-divs": nested_divs,
    "huge-front-matter": huge_front_matter,
    "deep-yaml-flow": deep_yaml,
    "deep-yaml-block": deep_yaml_block,
    "duplicate-keys": duplicate_keys,
    "long-liquid": long_liquid,
    "unclosed-liquid": unclosed_liquid,
    "one-kind-of-liquid": one_kind_of_liquid,
    "many-headings": many_headings,
    "zero-width": zero_width,
    "long-plain-line": long_plain_line,
    "invalid-utf8": invalid_utf8,
    "control-chars": control_chars,
    "many-links": many_links,
    "markdown-emphasis": markdown_emphasis,
    "markdown-link-labels": markdown_link_labels,
    "span-over-divs": span_over_divs,
    "definition-colons-line": definition_colons,
    "nested-brackets-quote-line": nested_brackets_quote,
}


# Address space of each run (RLIMIT_AS), so that a regression cannot take the
# machine's memory: a run over it fails (MemoryError, exit 2) and misses.
MEMORY_LIMIT_MB = 2048


def _limit_memory(megabytes: int) -> Callable[[], None]:
    def apply() -> None:
        import resource

        limit = megabytes * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    return apply


def run_once(site: Path, args: list[str], timeout: float, memory_mb: int = MEMORY_LIMIT_MB) -> dict[str, Any]:
    """One `postlint check` in a fresh process: wall seconds, peak RSS in MB
    (of that process, from wait4), exit status; None values on a timeout.
    PYTHONPATH, when set, is passed on: point it at another checkout to
    measure that version."""
    command = [sys.executable, "-m", "postlint", "check", "--no-network", "--no-cache", *args, "."]
    env = dict(os.environ, POSTLINT_JOBS="1")
    start = time.perf_counter()
    with open(os.devnull, "wb") as sink:
        proc = subprocess.Popen(command, cwd=site, stdout=sink, stderr=subprocess.PIPE, env=env, start_new_session=True,
                                preexec_fn=_limit_memory(memory_mb) if memory_mb else None)
    deadline = start + timeout
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() > deadline:
            os.killpg(proc.pid, signal.SIGKILL)
            _, status, usage = os.wait4(proc.pid, 0)
            return {"seconds": None, "cpu": usage.ru_utime + usage.ru_stime, "rss_mb": usage.ru_maxrss / 1024,
                    "status": "timeout"}
        time.sleep(0.02)
    seconds = time.perf_counter() - start
    stderr = proc.stderr.read().decode("utf-8", "replace") if proc.stderr else ""
    proc.returncode = os.waitstatus_to_exitcode(status)
    return {"seconds": seconds, "cpu": usage.ru_utime + usage.ru_stime, "rss_mb": usage.ru_maxrss / 1024,
            "status": proc.returncode,
            "stderr": stderr[-500:] if proc.returncode not in (0, 1) else ""}


def measure(
    name: str, size: int, timeout: float, keep: Path | None, memory_mb: int = MEMORY_LIMIT_MB
) -> dict[str, Any]:
    root = Path(tempfile.mkdtemp(prefix=f"hostile-{name}-", dir=keep))
    content = CASES[name](size)
    data = content if isinstance(content, bytes) else content.encode("utf-8")
    (root / "_posts").mkdir()
    (root / "_config.yml").write_text("title: Vijandig\n", encoding="utf-8")
    (root / NAME).write_bytes(data)
    row: dict[str, Any] = {"case": name, "bytes": len(data)}
    text_report = root / "report.txt"
    row["text"] = run_once(root, ["-o", str(text_report)], timeout, memory_mb)
    row["text"]["report_bytes"] = text_report.stat().st_size if text_report.exists() else None
    sarif_report = root / "report.sarif"
    row["sarif"] = run_once(root, ["--output-format", "sarif", "-o", str(sarif_report)], timeout, memory_mb)
    results = None
    if sarif_report.exists():
        row["sarif"]["report_bytes"] = sarif_report.stat().st_size
        try:
            doc = json.loads(sarif_report.read_text(encoding="utf-8"))
            results = len(doc["runs"][0]["results"])
            # All the findings, those max-findings-per-rule left out included.
            props = doc["runs"][0].get("properties", {})
            row["findings"] = props.get("findings", 0) + props.get("notShown", 0)
        except (ValueError, KeyError, IndexError):
            results = None
    row["results"] = results
    row["misses"] = misses(row)
    if keep is None:
        import shutil

        shutil.rmtree(root, ignore_errors=True)
    return row


def misses(row: dict[str, Any]) -> list[str]:
    out = []
    for kind in ("text", "sarif"):
        run = row[kind]
        if run["status"] == "timeout":
            out.append(f"{kind}: timeout")
            continue
        if run["status"] not in (0, 1):
            out.append(f"{kind}: exit {run['status']}")
        if row["bytes"] <= 1_100_000 and run["seconds"] > TARGET_SECONDS:
            out.append(f"{kind}: {run['seconds']:.1f} s")
        if row["bytes"] <= 1_100_000 and run["rss_mb"] > TARGET_MB:
            out.append(f"{kind}: {run['rss_mb']:.0f} MB")
    size = row["sarif"].get("report_bytes")
    results = row["results"]
    if size is not None and results is not None and size > REPORT_BASE + REPORT_BYTES_PER_RESULT * results:
        out.append(f"sarif: {size} bytes for {row['results']} results")
    return out


def _fmt(value: float | None, spec: str) -> str:
    return "-" if value is None else format(value, spec)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mb", type=float, default=1.0, help="size of each post in MB (default 1)")
    parser.add_argument("--only", nargs="*", choices=sorted(CASES), help="run only these cases")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds before a run counts as hung")
    parser.add_argument("--json", type=Path, help="write the rows here")
    parser.add_argument("--keep", type=Path, help="keep the generated sites in this folder")
    parser.add_argument("--memory-limit", type=int, default=MEMORY_LIMIT_MB, metavar="MB",
                        help=f"address-space limit of each run (default {MEMORY_LIMIT_MB}; 0: none)")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(REPO))
    size = int(args.mb * 1024 * 1024)
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
    rows = []
    header = (f"{'case':<20} {'KB':>7} {'text s':>7} {'cpu':>6} {'MB':>6} {'sarif s':>7} {'cpu':>6} {'MB':>6} "
              f"{'shown':>6} {'found':>7} {'sarif KB':>9} {'text KB':>8}  {'result':<6} misses")
    print(header)
    print("-" * len(header))
    for name in args.only or list(CASES):
        row = measure(name, size, args.timeout, args.keep, args.memory_limit)
        rows.append(row)
        text, sarif = row["text"], row["sarif"]
        print(
            f"{name:<20} {row['bytes'] / 1024:>7.0f} {_fmt(text['seconds'], '.2f'):>7} {text['cpu']:>6.2f} "
            f"{text['rss_mb']:>6.0f} {_fmt(sarif['seconds'], '.2f'):>7} {sarif['cpu']:>6.2f} {sarif['rss_mb']:>6.0f} "
            f"{_fmt(row['results'], 'd'):>6} "
            f"{_fmt(row.get('findings'), 'd'):>7} {_fmt((sarif.get('report_bytes') or 0) / 1024, '.0f'):>9} "
            f"{_fmt((text.get('report_bytes') or 0) / 1024, '.0f'):>8}  {'MISS' if row['misses'] else 'pass':<6} "
            f"{'; '.join(row['misses'])}",
            flush=True,
        )
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2), encoding="utf-8")
    missed = [row["case"] for row in rows if row["misses"]]
    print(f"\n{len(rows) - len(missed)} of {len(rows)} cases meet the targets "
          f"(<= {TARGET_SECONDS:g} s and <= {TARGET_MB:g} MB per 1 MB post; report <= "
          f"{REPORT_BASE // 1024} KB + {REPORT_BYTES_PER_RESULT} bytes per result)")
    if missed:
        print("missing: " + ", ".join(missed))
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
