"""Smoke tests of the benchmark scripts (benchmarks/): each runs once, as a
whole process, at its smallest sizes, and its JSON has every figure, the
competitor's beside postlint's, and each target with its ratio. Never a
timing assertion: the figures are only checked for being there and
consistent with each other (a ratio is the quotient of the figures shown).

rumdl (the test extra) and markdownlint-cli2 (npm, .ci/node/) are the
competitors; without them those tests skip, and fail in CI, which installs
them (.ci/run). Everything is local: generated sites in tmp_path, servers on
127.0.0.1.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from tests.conftest import REPO, missing_tool

BENCH = REPO / "benchmarks"


def _benchlib() -> ModuleType:
    if "benchlib" not in sys.modules:
        spec = importlib.util.spec_from_file_location("benchlib", BENCH / "benchlib.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules["benchlib"] = module  # its dataclasses look their module up there
        spec.loader.exec_module(module)
    return sys.modules["benchlib"]


def _script(name: str, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k not in ("RUMDL", "MARKDOWNLINT_CLI2")}
    environment.update(env or {})
    return subprocess.run([sys.executable, str(BENCH / name), *args], capture_output=True, text=True,
                          env=environment, timeout=900, check=False)


def _run_json(name: str, out: Path, *args: str, env: dict[str, str] | None = None) -> dict[str, Any]:
    done = _script(name, *args, "--json", str(out), env=env)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "targets:" in done.stdout
    doc: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    assert doc["script"] == name.removesuffix(".py")
    about = doc["environment"]
    assert about["machine"]["cpus"] and about["python"] and about["date"]
    assert about["versions"]["postlint"].startswith("postlint")
    return doc


def _check_targets(doc: dict[str, Any], names: list[str]) -> dict[str, dict[str, Any]]:
    targets = {t["name"]: t for t in doc["targets"]}
    assert sorted(targets) == sorted(names)
    for t in targets.values():
        assert t["limit"] > 0
        assert t["met"] == (t["value"] <= t["limit"])
        assert t["ratio_to_target"] == pytest.approx(t["value"] / t["limit"], rel=1e-2, abs=1e-3)
    return targets


def _timed(figures: dict[str, Any], runs: int) -> None:
    assert figures["runs"] == runs == len(figures["walls"]) == len(figures["cpus"])
    assert figures["wall_s"] > 0 and figures["cpu_s"] > 0


@pytest.fixture(scope="module")
def small_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Eight generated feed posts, written by bench_site.py itself; the folder
    is named after the corpus the cold-ratio target is for."""
    work = tmp_path_factory.mktemp("sites")
    done = _script("bench_site.py", "--sizes", "8", "--keep", str(work), "--generate-only")
    assert done.returncode == 0, done.stderr
    site = work / "ruby-www.ruby-lang.org"
    (work / "site-8").rename(site)
    assert len(list((site / "_posts").glob("*.md"))) >= 8
    return site


def _tool(name: str, variable: str, how: str) -> None:
    if _benchlib().find_tool(name, variable) is None:
        missing_tool(f"{name} not installed ({how})")


def test_corpus_against_rumdl(small_site: Path, tmp_path: Path) -> None:
    _tool("rumdl", "RUMDL", "pip install rumdl")
    doc = _run_json("bench_corpus.py", tmp_path / "out.json", "--corpus", str(small_site), "--repeat", "1")
    (result,) = doc["results"]
    assert result["corpus"] == "ruby-www.ruby-lang.org"
    assert result["posts"] >= 8
    _timed(result["postlint"], 1)
    _timed(result["rumdl"], 1)
    assert result["ratio_wall"] == pytest.approx(result["postlint"]["wall_s"] / result["rumdl"]["wall_s"], rel=1e-2)
    assert doc["environment"]["versions"]["rumdl"].startswith("rumdl")
    targets = _check_targets(doc, ["cold / rumdl cold, ruby-www.ruby-lang.org",
                                   "cold CPU per post, ruby-www.ruby-lang.org"])
    assert targets["cold / rumdl cold, ruby-www.ruby-lang.org"]["value"] == pytest.approx(result["ratio_wall"])
    assert targets["cold CPU per post, ruby-www.ruby-lang.org"]["value"] == pytest.approx(
        result["postlint"]["cpu_s"] * 1000 / result["posts"], rel=1e-2)
    # Nothing was written into the measured site: the copy was.
    assert not (small_site / ".postlint_cache").exists() and not (small_site / ".rumdl_cache").exists()


def test_markdownlint_cli2(tmp_path: Path) -> None:
    _tool("markdownlint-cli2", "MARKDOWNLINT_CLI2", "npm install --prefix .ci/node markdownlint-cli2")
    doc = _run_json("bench_markdownlint.py", tmp_path / "out.json", "--posts", "12", "--repeat", "1")
    result = doc["results"]
    assert result["posts"] == 12 and result["markdown_files"] >= 12
    _timed(result["postlint"], 1)
    _timed(result["markdownlint_cli2"], 1)
    assert doc["environment"]["versions"]["markdownlint-cli2"].startswith("markdownlint-cli2")
    targets = _check_targets(doc, ["cold / markdownlint-cli2 cold, 12 posts"])
    assert targets["cold / markdownlint-cli2 cold, 12 posts"]["value"] == pytest.approx(result["ratio_wall"])
    assert result["ratio_wall"] == pytest.approx(
        result["postlint"]["wall_s"] / result["markdownlint_cli2"]["wall_s"], rel=1e-2)


@pytest.mark.parametrize(("script", "variable", "args"), [
    ("bench_corpus.py", "RUMDL", ["--repeat", "1"]),
    ("bench_markdownlint.py", "MARKDOWNLINT_CLI2", ["--posts", "2"]),
    ("bench_startup_warm.py", "RUMDL", ["--repeat", "1"]),
])
def test_a_missing_competitor_is_said_and_fails(script: str, variable: str, args: list[str], tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    done = _script(script, *args, "--json", str(out), env={variable: str(tmp_path / "absent")})
    assert done.returncode == 2
    assert ("rumdl" if variable == "RUMDL" else "markdownlint-cli2") in done.stderr
    assert not out.exists()


def test_url_pool_each_url_once(tmp_path: Path) -> None:
    doc = _run_json("bench_url_pool.py", tmp_path / "out.json", "--urls", "24", "--latency-ms", "5",
                    "--concurrency", "8", "--repeat", "1")
    result = doc["results"]
    assert result["each_url_once"] is True
    _timed(result["postlint"], 1)
    _timed(result["pool"], 1)
    for name in ("postlint", "pool"):
        (counts,) = result["server_counts"][name]
        assert counts["requests"] == counts["distinct"] == 24
        assert counts["min_per_url"] == counts["max_per_url"] == 1
        assert counts["unexpected_paths"] == []
        assert 1 <= counts["max_concurrent"] <= 8
    targets = _check_targets(doc, ["URL checking / requests pool, 24 URLs"])
    assert targets["URL checking / requests pool, 24 URLs"]["value"] == pytest.approx(result["ratio_wall"])


def test_url_pool_wants_pairs() -> None:
    done = _script("bench_url_pool.py", "--urls", "3")
    assert done.returncode == 2 and "--urls" in done.stderr


def test_site_counts_the_pool_workers(tmp_path: Path) -> None:
    # 200 posts (and their .html twins: enough for the pool, POOL_MIN_POSTS)
    # with two jobs forced: the process tree sampled is the main process
    # (which lints too) and its pool's worker.
    doc = _run_json("bench_site.py", tmp_path / "out.json", "--sizes", "200", env={"POSTLINT_JOBS": "2"})
    (result,) = doc["results"]
    cold = result["cold"]
    assert cold["peak_processes"] >= 2
    assert cold["peak_pss_tree_mb"] > 0 and cold["peak_rss_tree_mb"] > 0 and cold["peak_rss_mb"] > 0
    assert result["warm"]["findings"] == cold["findings"] > 0
    targets = _check_targets(doc, ["peak memory, process tree, 200 posts"])
    assert targets["peak memory, process tree, 200 posts"]["value"] == cold["peak_pss_tree_mb"]


def test_startup_warm_against_rumdl(small_site: Path, tmp_path: Path) -> None:
    _tool("rumdl", "RUMDL", "pip install rumdl")
    out = tmp_path / "out.json"
    done = _script("bench_startup_warm.py", "--corpus", str(small_site), "--repeat", "1", "--single", "1",
                   "--json", str(out))
    assert done.returncode == 0, done.stdout + done.stderr
    figures = json.loads(out.read_text(encoding="utf-8"))
    for key in ("warm", "rumdl_warm", "one_post", "version", "python_start"):
        assert figures[key]["runs"] == 1 and figures[key]["wall"] > 0
    assert figures["warm_ratio"]["wall"] == pytest.approx(figures["warm"]["wall"] / figures["rumdl_warm"]["wall"])


def test_urls_against_the_floor() -> None:
    done = _script("bench_urls.py", "-n", "64", "--latency-ms", "50", "--json")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["server_requests"] == result["requests"] == 64
    assert result["ratio"] == pytest.approx(result["wall_s"] / result["floor_s"], rel=0.05)


def test_tree_memory_sees_the_children(tmp_path: Path) -> None:
    benchlib = _benchlib()
    child = "import subprocess, sys; subprocess.run([sys.executable, '-c', 'import time; time.sleep(1)'])"
    run = benchlib.run_process([sys.executable, "-c", child], tmp_path, memory=True)
    assert run.rc == 0
    assert run.tree_processes == 2
    assert run.tree_rss > 0 and run.tree_pss > 0 and run.maxrss > 0
