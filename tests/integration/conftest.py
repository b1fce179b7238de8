"""Helpers for the tests that run postlint the way its integrations do: real
git repositories, the real pre-commit, the GitHub Action's own script."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Mapping
from pathlib import Path

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "slow: installs postlint into a fresh environment (deselect with -m 'not slow')"
    )


def git_env(home: Path) -> dict[str, str]:
    """Git with a fixed identity and none of the machine's configuration."""
    env = dict(os.environ)
    env.update(
        GIT_AUTHOR_NAME="postlint tests", GIT_AUTHOR_EMAIL="tests@postlint.invalid",
        GIT_COMMITTER_NAME="postlint tests", GIT_COMMITTER_EMAIL="tests@postlint.invalid",
        GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1", HOME=str(home),
    )
    return env


def git(cwd: Path, *args: str, env: Mapping[str, str] | None = None) -> str:
    out = subprocess.run(
        ["git", *args], cwd=cwd, env=dict(env) if env else git_env(cwd), capture_output=True, text=True,
        timeout=60, check=True,
    )
    return out.stdout


def new_repo(root: Path, files: Mapping[str, str | bytes]) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    git(root, "init", "-q", "-b", "main")
    add_files(root, files)
    return root


def add_files(root: Path, files: Mapping[str, str | bytes]) -> None:
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    git(root, "add", "-A")
