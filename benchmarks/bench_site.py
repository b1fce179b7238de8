"""Benchmark postlint on a generated Jekyll site of N feed-like posts.

    python benchmarks/bench_site.py [--sizes 1000 10000] [--repeat 1] [--json out.json] [--keep DIR]

For each N it generates a site (front matter like an imported feed post: layout,
title, an RFC 2822 date with the right weekday, category, externe_link,
feature_image; HTML bodies of 2-4 KB of Dutch text with accents; a few percent
of the posts with each defect class) and measures, each in a fresh process
running `python -m postlint check --no-network`:

* cold: empty cache, every post linted;
* warm: the same command again, nothing changed (every post from the cache);
* single: one post named on the command line, empty cache (a pre-commit run);
* peak RSS: the largest process (getrusage of the waited-for children, so pool
  workers count), and the process tree's summed RSS and PSS (pages the forked
  workers share with the parent counted once), sampled from /proc every 10 ms;
* CPU per post per rule: a cold run with POSTLINT_PROFILE_RULES set, which
  makes every linter process add up the CPU time of each step (parse, each rule,
  suppressions...), divided by N.

Results go to standard output and, with --json, to a file that later runs can
be compared with. Nothing leaves the machine: the generated URLs use reserved
.example names and --no-network skips the rules that would resolve them.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ZONE = ZoneInfo("Europe/Amsterdam")
DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

# Generator vocabulary (written for this benchmark): Dutch news prose with the
# accented letters a feed importer has to get right.
SUBJECTS = (
    "De gemeenteraad", "Het waterschap", "De provincie", "Een woordvoerder van de politie",
    "Wethouder Daniël de Groot", "De coördinator van de voedselbank", "Het ministerie",
    "Een groep bewoners", "De brandweer", "Burgemeester Noëlle Jansen", "Het college",
    "De reünievereniging", "Een financiële adviseur", "De directeur van het café",
)
VERBS = (
    "heeft dinsdag besloten", "maakte woensdag bekend", "zegt na overleg", "verwacht",
    "onderzoekt sinds maandag", "liet donderdagavond weten", "heeft geïnvesteerd in",
    "kondigde vrijdag aan", "reageert verrast op", "overweegt",
)
OBJECTS = (
    "een nieuw plan voor het havengebied", "de renovatie van de ruïne bij de dijk",
    "extra geld voor de ideeën van jongeren", "een tijdelijke sluiting van de sluizen",
    "de uitbreiding van het fietspad naar België", "een privé-initiatief voor daklozen",
    "strengere regels voor de markt op zaterdag", "de coördinatie van de hulpdiensten",
    "een enquête onder vijfhonderd inwoners", "de bouw van één extra brug",
    "het café aan de haven", "de financiële gevolgen van de storm",
)
TAILS = (
    "Volgens betrokkenen is dat hard nodig.", "De oppositie is kritisch.",
    "Bewoners kunnen tot eind volgende maand reageren.", "Daarover is nog geen besluit genomen.",
    "Het gaat om een bedrag van enkele miljoenen euro's.", "Een reactie van de gemeente volgt later.",
    "Dat bleek uit een rondgang langs de betrokken partijen.", "Naïef is dat niet, zegt een expert.",
)
HEADINGS = ("Reacties", "Achtergrond", "Hoe nu verder?", "Kosten en baten", "Wat vinden bewoners?")
CATEGORIES = ("nieuws", "politiek", "regio", "economie", "sport", "cultuur")
TITLE_WORDS = (
    "Gemeente", "Waterschap", "Brug", "Haven", "Markt", "Storm", "Fietspad", "Café", "Ruïne",
    "Raad", "Sluizen", "Enquête", "Reünie", "Begroting", "Brandweer", "Dijk",
)

# Defect classes: each is given to `rate` of the posts (by index, deterministically).
DEFECTS = (
    "mojibake",         # EN002: DaniÃ«l
    "stray-char",       # EN003: a control character in the text
    "unclosed-b",       # HT002: <b> never closed
    "stray-end-tag",    # HT003: </div> without <div>
    "skipped-heading",  # HD00x: <h2> then <h4>
    "wrong-weekday",    # DT002
    "obsolete-date",    # DT003: GMT
    "date-mismatch",    # DT004: file name says another day
    "future-date",      # DT005
    "duplicate-key",    # FM003
    "yaml-error",       # FM002
    "schema",           # FM100: published: "nee", empty title
    "bad-filename",     # JK001
    "duplicate-url",    # JK002: a .html twin of a .md post
    "latin1",           # EN001: not UTF-8
)


def _sentence(rng: random.Random) -> str:
    return f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)}. {rng.choice(TAILS)}"


def _body(rng: random.Random, defect: str | None) -> str:
    target = rng.randint(2048, 4096)
    parts: list[str] = []
    size = 0
    headings = 0
    while size < target:
        roll = rng.random()
        if roll < 0.12 and headings < 3:
            block = f"<h2>{rng.choice(HEADINGS)}</h2>"
            headings += 1
        elif roll < 0.2:
            items = "".join(f"<li>{rng.choice(OBJECTS)}</li>" for _ in range(rng.randint(2, 4)))
            block = f"<ul>{items}</ul>"
        elif roll < 0.26:
            block = f"<blockquote><p>&quot;{_sentence(rng)}&quot;</p></blockquote>"
        else:
            text = " ".join(_sentence(rng) for _ in range(rng.randint(2, 4)))
            if rng.random() < 0.3:
                text += f' Lees <a href="https://nieuws.example/artikel/{rng.randint(1, 99999)}">meer</a>.'
            if rng.random() < 0.2:
                text = f"<strong>{rng.choice(TITLE_WORDS)}:</strong> {text}"
            block = f"<p>{text}</p>"
        parts.append(block)
        size += len(block) + 1
    if rng.random() < 0.3:
        parts.insert(1, f'<p><img src="https://beeld.example/{rng.randint(1, 9999)}.jpg" alt="Foto"></p>')
    extra = {
        "mojibake": "<p>Wethouder DaniÃ«l sprak van een financiÃ«le tegenvaller.</p>",
        "stray-char": "<p>Einde\x07bericht.</p>",
        "unclosed-b": "<p><b>Let op: de vergadering begint later.</p>",
        "skipped-heading": f"<h2>{rng.choice(HEADINGS)}</h2>\n<p>{_sentence(rng)}</p>\n"
                           f"<h4>{rng.choice(HEADINGS)}</h4>",
    }.get(defect or "")
    if extra:
        parts.insert(rng.randint(0, len(parts)), extra)
    elif defect == "stray-end-tag":
        parts.append("</div>")
    return "\n".join(parts) + "\n"


def _date_text(moment: datetime, *, weekday_shift: int = 0, obsolete: bool = False) -> str:
    if obsolete:
        moment = moment.astimezone(ZoneInfo("UTC"))
    day = DAYS[(moment.weekday() + weekday_shift) % 7]
    zone = "GMT" if obsolete else moment.strftime("%z")
    return f"{day}, {moment.day:02d} {MONTHS[moment.month - 1]} {moment.year} {moment:%H:%M:%S} {zone}"


def _slug(title: str) -> str:
    import unicodedata

    plain = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii")
    return "-".join(w for w in "".join(c if c.isalnum() else " " for c in plain.lower()).split())


def generate_site(root: Path, n: int, *, rate: float = 0.02, seed: int = 7) -> dict[str, int]:
    """Writes `_config.yml` and n posts under `root/_posts`; returns defect counts."""
    rng = random.Random(seed)
    posts = root / "_posts"
    posts.mkdir(parents=True, exist_ok=True)
    (root / "_config.yml").write_text(
        "title: Polderpost benchmark\ntimezone: Europe/Amsterdam\n"
        "permalink: /:categories/:year/:month/:day/:title/\n",
        encoding="utf-8",
    )
    start = datetime(2015, 1, 1, 6, 0, tzinfo=ZONE)
    counts: dict[str, int] = {}
    # Every defect class gets round(n * rate) posts (at least one), spread evenly.
    per_class = max(1, round(n * rate))
    assigned: dict[int, str] = {}
    slots = list(range(n))
    rng.shuffle(slots)
    for i, defect in enumerate(DEFECTS):
        for index in slots[i * per_class : (i + 1) * per_class]:
            assigned[index] = defect
    for index in range(n):
        defect = assigned.get(index)
        if defect:
            counts[defect] = counts.get(defect, 0) + 1
        moment = start + timedelta(minutes=index * 263 + rng.randint(0, 200))
        moment = moment.astimezone(ZONE)
        title = f"{rng.choice(TITLE_WORDS)} {rng.choice(OBJECTS)} {index}"
        slug = _slug(title)
        file_day = moment
        if defect == "future-date":
            moment = moment.replace(year=2091)
            file_day = moment
        if defect == "date-mismatch":
            file_day = moment + timedelta(days=3)
        date = _date_text(moment, weekday_shift=1 if defect == "wrong-weekday" else 0,
                          obsolete=defect == "obsolete-date")
        category = rng.choice(CATEGORIES)
        fm = [
            "layout: post",
            f'title: "{title}"' if defect != "schema" else 'title: ""',
            f"date: {date}",
            f"category: {category}",
            f"externe_link: https://nieuws.example/l/{100000 + index}",
            f"feature_image: https://beeld.example/{index}.jpg",
        ]
        if defect == "duplicate-key":
            fm.append(f'title: "{title} (bijgewerkt)"')
        elif defect == "yaml-error":
            fm[1] = f'title: Nieuws: "{title}"'
        elif defect == "schema":
            fm.append('published: "nee"')
        text = "---\n" + "\n".join(fm) + "\n---\n\n" + _body(rng, defect)
        name = f"{file_day:%Y-%m-%d}-{slug}.md"
        if defect == "bad-filename":
            name = f"{slug}.md" if index % 2 else f"{file_day:%Y-%m-%d}_{slug}.md"
        data = text.encode("cp1252", "replace") if defect == "latin1" else text.encode("utf-8")
        (posts / name).write_bytes(data)
        if defect == "duplicate-url":
            (posts / name.replace(".md", ".html")).write_bytes(data)
    return counts


# -- measuring ------------------------------------------------------------------


def _tree_rss(pid: int) -> tuple[int, int]:
    """Sums of the resident set sizes and of the proportional set sizes (PSS:
    pages shared by forked workers counted once) of a process and its
    descendants, in bytes."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    page = os.sysconf("SC_PAGE_SIZE")
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as f:
                fields = f.read().rsplit(b")", 1)[1].split()
        except OSError:
            continue
        p = int(entry)
        children.setdefault(int(fields[1]), []).append(p)  # fields[1]: ppid
        rss[p] = int(fields[21]) * page  # fields[21]: rss in pages
    total, pss, stack = 0, 0, [pid]
    while stack:
        p = stack.pop()
        total += rss.get(p, 0)
        pss += _pss(p)
        stack.extend(children.get(p, []))
    return total, pss


def _pss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as f:
            for line in f:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return 0


def run_postlint(args: list[str], cwd: Path, env: dict[str, str]) -> dict[str, Any]:
    """One postlint process: wall time, CPU and peak RSS (incl. its waited-for
    children: pool workers), and the tree's summed RSS sampled from /proc."""
    cmd = [sys.executable, "-m", "postlint", "check", *args]
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out, stderr=err)
        peak_tree = peak_pss = 0
        done = threading.Event()

        def sample() -> None:
            nonlocal peak_tree, peak_pss
            while not done.is_set():
                rss, pss = _tree_rss(proc.pid)
                peak_tree, peak_pss = max(peak_tree, rss), max(peak_pss, pss)
                done.wait(0.01)

        sampler = threading.Thread(target=sample, daemon=True)
        if os.path.isdir("/proc"):
            sampler.start()
        # wait4: the child's own rusage, which on Linux includes the children it
        # waited for (ru_maxrss is then the largest of them).
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        done.set()
        if sampler.is_alive():
            sampler.join()
        out.seek(0)
        err.seek(0)
        return {
            "wall": wall,
            "rc": proc.returncode,
            "stdout": out.read(),
            "stderr": err.read(),
            "peak_tree": peak_tree,
            "peak_pss": peak_pss,
            "cpu": usage.ru_utime + usage.ru_stime,
            "maxrss": usage.ru_maxrss * 1024,
        }


def measure(args: list[str], cwd: Path, env: dict[str, str], *, reset: Path | None = None) -> dict[str, Any]:
    if reset is not None:
        shutil.rmtree(reset, ignore_errors=True)
    result = run_postlint(args, cwd, env)
    if result["rc"] not in (0, 1):
        sys.stderr.write(result["stderr"].decode("utf-8", "replace"))
        raise SystemExit(f"postlint exited {result['rc']}: {' '.join(args)}")
    return {
        "wall_s": round(result["wall"], 4),
        "cpu_s": round(result["cpu"], 4),
        "peak_rss_mb": round(result["maxrss"] / 2**20, 1),
        "peak_rss_tree_mb": round(result["peak_tree"] / 2**20, 1),
        "peak_pss_tree_mb": round(result["peak_pss"] / 2**20, 1),
        "findings": _count(result["stdout"]),
        "cache_hits": _hits(result["stderr"]),
    }


def _hits(stderr: bytes) -> int | None:
    for line in stderr.decode("utf-8", "replace").splitlines():
        if "result cache:" in line:
            return int(line.split("result cache:")[1].split()[0])
    return None


def _count(stdout: bytes) -> int | None:
    try:
        return len(json.loads(stdout)["diagnostics"])
    except (ValueError, KeyError, TypeError):
        return None


def _median(runs: list[dict[str, Any]]) -> dict[str, Any]:
    out = dict(runs[0])
    for key in ("wall_s", "cpu_s", "peak_rss_mb", "peak_rss_tree_mb", "peak_pss_tree_mb"):
        out[key] = round(statistics.median(r[key] for r in runs), 4)
    out["runs"] = [r["wall_s"] for r in runs]
    return out


def bench_size(n: int, work: Path, repeat: int, env: dict[str, str]) -> dict[str, Any]:
    site = work / f"site-{n}"
    t0 = time.perf_counter()
    defects = generate_site(site, n)
    generated = time.perf_counter() - t0
    files = sorted((site / "_posts").iterdir())
    cache = work / f"cache-{n}"
    base = [".", "--no-network", "--output-format", "json", "--cache-dir", str(cache), "--verbose"]
    cold, warm, single, nocache = [], [], [], []
    one = next(f for f in files if f.name[:4].isdigit()).relative_to(site)
    for _ in range(repeat):
        cold.append(measure(base, site, env, reset=cache))
        warm.append(measure(base, site, env))
        single.append(measure([str(one), *base[1:]], site, env, reset=cache))
        nocache.append(measure([*base, "--no-cache"], site, env))
    # Per-rule CPU: a cache-less cold run in which every linter adds up its steps.
    profile = work / f"profile-{n}.json"
    profile.unlink(missing_ok=True)
    measure([*base, "--no-cache"], site, {**env, "POSTLINT_PROFILE_RULES": str(profile)})
    steps = json.loads(profile.read_text(encoding="utf-8")) if profile.exists() else {}
    per_rule_ms = {k: round(v * 1000 / len(files), 4) for k, v in sorted(steps.items(), key=lambda kv: -kv[1])}
    c = _median(cold)
    return {
        "posts": n,
        "files": len(files),
        "bytes": sum(f.stat().st_size for f in files),
        "defects": defects,
        "generate_s": round(generated, 2),
        "cold": c,
        "warm": _median(warm),
        "single": _median(single),
        "cold_no_cache": _median(nocache),
        "cpu_ms_per_post_cold": round(c["cpu_s"] * 1000 / len(files), 3),
        "cpu_ms_per_post_by_step": per_rule_ms,
        "cpu_ms_per_post_lint_total": round(sum(per_rule_ms.values()), 4),
    }


TARGETS = {
    "cold_cpu_ms_per_post": 1.5, "cold_wall_s": 10.0, "warm_wall_s": 1.0,
    "single_wall_s": 0.25, "peak_rss_mb": 150.0,
}


def _print(result: dict[str, Any]) -> None:
    n = result["posts"]
    cold, warm, single, nc = result["cold"], result["warm"], result["single"], result["cold_no_cache"]
    print(f"\nN = {n} posts ({result['files']} files, {result['bytes'] / 2**20:.1f} MB)")
    print(f"  cold      {cold['wall_s']:8.3f} s wall  {cold['cpu_s']:7.2f} s CPU "
          f"({result['cpu_ms_per_post_cold']:.3f} ms/post)  findings {cold['findings']}")
    print(f"  cold, --no-cache {nc['wall_s']:8.3f} s wall  {nc['cpu_s']:7.2f} s CPU")
    print(f"  warm      {warm['wall_s']:8.3f} s wall  {warm['cpu_s']:7.2f} s CPU  findings {warm['findings']}"
          f"  ({warm['cache_hits']} of {result['files']} from the cache)")
    print(f"  one post  {single['wall_s']:8.3f} s wall  {single['cpu_s']:7.2f} s CPU")
    print(f"  peak RSS  {cold['peak_rss_mb']:.1f} MB (largest process, getrusage); process tree "
          f"(sampled every 10 ms): {cold['peak_rss_tree_mb']:.1f} MB RSS summed, "
          f"{cold['peak_pss_tree_mb']:.1f} MB PSS (shared pages once)")
    print(f"  CPU per post by step (ms, in-linter total {result['cpu_ms_per_post_lint_total']:.3f}):")
    for step, ms in result["cpu_ms_per_post_by_step"].items():
        print(f"    {step:14s} {ms:8.4f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--repeat", type=int, default=1, help="runs per measurement (the median is kept)")
    parser.add_argument("--json", type=Path, help="write the results here")
    parser.add_argument("--keep", type=Path, help="generate the sites here and keep them")
    parser.add_argument("--generate-only", action="store_true", help="only write the sites (needs --keep)")
    args = parser.parse_args(argv)

    env = dict(os.environ)
    env.pop("POSTLINT_PROFILE_RULES", None)
    env["POSTLINT_NOW"] = "2024-06-01T12:00:00+00:00"  # the future-date posts stay in the future
    work = args.keep or Path(tempfile.mkdtemp(prefix="postlint-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        if args.generate_only:
            for n in args.sizes:
                generate_site(work / f"site-{n}", n)
            print(f"sites written to {work}")
            return 0
        results = []
        for n in args.sizes:
            result = bench_size(n, work, args.repeat, env)
            results.append(result)
            _print(result)
        document = {
            "when": datetime.now().astimezone().isoformat(timespec="seconds"),
            "python": platform.python_version(),
            "machine": {"cpus": os.cpu_count(), "platform": platform.platform()},
            "postlint": _version(),
            "commit": _commit(),
            "targets": TARGETS,
            "results": results,
        }
        if args.json:
            args.json.parent.mkdir(parents=True, exist_ok=True)
            args.json.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
            print(f"\nwritten to {args.json}")
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    return 0


def _version() -> str:
    out = subprocess.run([sys.executable, "-m", "postlint", "--version"], capture_output=True, text=True)
    return out.stdout.strip()


def _commit() -> str | None:
    try:
        out = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                             cwd=Path(__file__).resolve().parent)
    except OSError:
        return None
    return out.stdout.strip() or None


if __name__ == "__main__":
    raise SystemExit(main())
