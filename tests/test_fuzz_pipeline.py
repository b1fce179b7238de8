"""Fuzzing stays (issue 12, point 7): the whole pipeline — discovery, parse,
every rule, every reporter, --fix twice — on mutated real-shaped posts and on
generated hostile structures, with a fixed example budget that keeps CI to a
few seconds. `python benchmarks/fuzz.py` runs the same checks for longer."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fuzzing import check_site, hostile_posts, mutated_posts, seeds

# In CI the examples are a fixed sequence (a run passes or fails on the code,
# not by chance); elsewhere each run draws new ones, and benchmarks/fuzz.py
# draws many more.
BUDGET = settings(
    max_examples=12, deadline=None, database=None, derandomize=os.environ.get("CI") == "true",
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
)


def _run(posts: list[bytes]) -> None:
    with tempfile.TemporaryDirectory(prefix="postlint-fuzz-") as folder:
        check_site(Path(folder), posts)


@BUDGET
@given(st.lists(mutated_posts(), min_size=1, max_size=4))
def test_mutated_real_posts(posts: list[bytes]) -> None:
    _run(posts)


@BUDGET
@given(st.lists(hostile_posts(), min_size=1, max_size=3))
def test_hostile_structures(posts: list[bytes]) -> None:
    _run(posts)


def test_every_seed_unmutated() -> None:
    # The seeds themselves, six at a time: each must go through cleanly too.
    all_seeds = list(seeds())[:30]
    for i in range(0, len(all_seeds), 6):
        _run(all_seeds[i : i + 6])
