"""postlint under the real pre-commit: the hooks of .pre-commit-hooks.yaml run
in a temporary git repository of posts, with PRE_COMMIT_HOME in a temporary
folder and postlint offline (--no-network).

The fast tests declare the hooks as a `repo: local` entry built from the
manifest itself (same entry, filters and flags; `language: system`, so the
postlint of this environment runs and nothing is installed). The one slow test
is the user's path: `pre-commit try-repo` against a clean clone of this
checkout, which builds a hook environment and installs postlint into it, from
wheels made on the spot out of this environment's packages (PIP_NO_INDEX: no
index is ever asked)."""

from __future__ import annotations

import base64
import hashlib
import importlib.metadata
import os
import re
import shlex
import subprocess
import sys
import time
import zipfile
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import POSTLINT, REPO
from tests.integration.conftest import add_files, git, git_env, new_repo

PRE_COMMIT = str(Path(sys.executable).parent / "pre-commit")
MANIFEST = REPO / ".pre-commit-hooks.yaml"

CONFIG = "title: Test\ntimezone: Europe/Amsterdam\npermalink: /:year/:month/:day/:title/\n"


def post(day: int, title: str, extra: str = "") -> str:
    weekday = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")[(day - 13) % 7]  # 13 May 2019 was a Monday
    return (
        f"---\nlayout: post\ntitle: \"{title}\"\ndate: {weekday}, {day} May 2019 10:00:00 +0200\n{extra}---\n"
        "<p>Tekst.</p>\n"
    )


CLEAN = {
    "_config.yml": CONFIG,
    "_posts/2019-05-14-sluizen.md": post(14, "Sluizen dicht"),
    "_posts/2019-05-15-fietsbrug.md": post(15, "Fietsbrug open"),
    "_drafts/2019-05-16-concept.md": post(16, "Concept"),
    # Outside _posts/_drafts, or not markdown/html: the hook must not be handed these.
    "about.md": "Over ons, zonder front matter.\n",
    "_posts/notes.txt": "geen post\n",
}
# title twice: FM003 at line 4, column 1.
BAD = {
    "_posts/2019-05-17-dubbel.md": (
        "---\nlayout: post\ntitle: Een\ntitle: Twee\n"
        "date: Fri, 17 May 2019 10:00:00 +0200\n---\n<p>x</p>\n"
    )
}
# Bad posts that the configuration's `exclude` and Jekyll's `exclude` leave
# out: pre-commit names them one by one, and --force-exclude keeps them out.
EXCLUDED = {
    ".postlint.toml": 'exclude = ["_posts/import/**"]\n',
    "_config.yml": CONFIG + "exclude: [_posts/archief]\n",
    "_posts/import/2019-05-18-dubbel.md": post(18, "Een", "title: Twee\n"),  # FM003 at 5:1
    "_posts/archief/2019-05-19-dubbel.md": post(19, "Een", "title: Twee\n"),
}


def _language() -> str:
    # pre-commit 4.4 renamed `system` to `unsupported`; older ones know only `system`.
    from pre_commit import all_languages

    return "unsupported" if "unsupported" in all_languages.languages else "system"


def local_hooks(**overrides: dict[str, Any]) -> str:
    """A .pre-commit-config.yaml running the manifest's hooks from this
    environment: entry's `postlint` becomes this venv's console script."""
    hooks = []
    for hook in yaml.safe_load(MANIFEST.read_text(encoding="utf-8")):
        hook = dict(hook)
        hook.pop("minimum_pre_commit_version", None)
        command, *rest = shlex.split(hook["entry"])
        assert command == "postlint"
        hook["entry"] = shlex.join([POSTLINT, *rest])
        hook["language"] = _language()
        hook.update(overrides.get(hook["id"], {}))
        hooks.append(hook)
    return yaml.safe_dump({"repos": [{"repo": "local", "hooks": hooks}]}, sort_keys=False)


def pre_commit_env(tmp: Path, **extra: str) -> dict[str, str]:
    env = git_env(tmp)
    env.update(PRE_COMMIT_HOME=str(tmp / "pre-commit-home"), NO_COLOR="1", **extra)
    env.pop("PRE_COMMIT_NO_CONCURRENCY", None)
    env.pop("TRAVIS", None)
    env.update(extra)
    return env


def pre_commit(site: Path, env: dict[str, str], *args: str, timeout: int = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [PRE_COMMIT, *args, "--color", "never"], cwd=site, env=env, capture_output=True, text=True, timeout=timeout
    )


def findings(output: str) -> list[tuple[str, int, int, str]]:
    """(path, line, column, code) of every `path:line:col: severity CODE` line."""
    return sorted(
        (m.group(1), int(m.group(2)), int(m.group(3)), m.group(4))
        for m in re.finditer(r"^(\S+?):(\d+):(\d+): (?:error|warning|info) ([A-Z]{1,4}\d{3}) ", output, re.MULTILINE)
    )


def test_manifest_declares_the_two_hooks() -> None:
    from pre_commit.clientlib import load_manifest

    hooks = {h["id"]: h for h in load_manifest(str(MANIFEST))}
    offline, urls = hooks["postlint"], hooks["postlint-urls"]
    assert "--no-network" in shlex.split(offline["entry"]) and offline["pass_filenames"]
    assert offline["types_or"] == ["markdown", "html"]
    assert re.search(offline["files"], "_posts/2019-05-13-a.md") and re.search(offline["files"], "en/_drafts/x.md")
    assert not re.search(offline["files"], "about.md") and not re.search(offline["files"], "my_posts/x.md")
    assert "--no-network" not in shlex.split(urls["entry"]) + urls["args"]
    assert urls["pass_filenames"] is False and urls["require_serial"] is True and urls["stages"] == ["manual"]


def test_hook_passes_clean_posts_and_fails_on_a_bad_one(tmp_path: Path) -> None:
    site = new_repo(tmp_path / "site", {**CLEAN, ".pre-commit-config.yaml": local_hooks()})
    env = pre_commit_env(tmp_path)

    clean = pre_commit(site, env, "run", "--all-files")
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert re.search(r"^postlint\.+Passed$", clean.stdout, re.MULTILINE)
    # The manual-stage hook does not run on a commit.
    assert "postlint (URLs" not in clean.stdout

    add_files(site, BAD)
    bad = pre_commit(site, env, "run", "--all-files")
    assert bad.returncode == 1
    assert re.search(r"^postlint\.+Failed$", bad.stdout, re.MULTILINE)
    assert findings(bad.stdout) == [("_posts/2019-05-17-dubbel.md", 4, 1, "FM003")]


def test_hook_keeps_to_the_exclusions_for_the_files_it_is_given(tmp_path: Path) -> None:
    site = new_repo(tmp_path / "site", {**CLEAN, **EXCLUDED, ".pre-commit-config.yaml": local_hooks()})
    env = pre_commit_env(tmp_path)
    clean = pre_commit(site, env, "run", "--all-files")
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert findings(clean.stdout) == []
    # The same files named by hand, without --force-exclude, are linted.
    by_hand = subprocess.run(
        [POSTLINT, "check", "--no-network", *(p for p in EXCLUDED if p.startswith("_posts/"))],
        cwd=site,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert findings(by_hand.stdout) == [
        ("_posts/archief/2019-05-19-dubbel.md", 5, 1, "FM003"), ("_posts/import/2019-05-18-dubbel.md", 5, 1, "FM003"),
    ]


def test_parallel_batches_neither_invent_nor_hide_duplicate_urls(tmp_path: Path) -> None:
    """pre-commit splits the file names into batches linted in parallel. JK002
    (two posts, one URL) skips itself in every batch, and says so with
    --verbose; the whole-site hook finds the pair."""
    posts = {f"_posts/2019-05-{day}-bericht-{day}.md": post(day, f"Bericht {day}") for day in range(13, 23)}
    # Same date and slug, two extensions: one URL. The batches are shuffled, so
    # the pair may land in one batch or in two; neither may report it.
    posts["_posts/2019-05-25-zelfde.md"] = post(25, "Zelfde")
    posts["_posts/2019-05-25-zelfde.html"] = post(25, "Zelfde")
    overrides = {
        "postlint": {"args": ["--verbose"], "verbose": True},
        # Offline in tests: the URL rules stay off; JK002 is what is checked here.
        "postlint-urls": {"args": ["--no-network", "--select", "URL,JK002"]},
    }
    site = new_repo(
        tmp_path / "site", {"_config.yml": CONFIG, **posts, ".pre-commit-config.yaml": local_hooks(**overrides)}
    )
    # pre-commit runs max(4, files / jobs) files per batch and as many jobs as
    # CPUs; TRAVIS is its own switch for exactly 2 jobs, so 12 posts are 2 batches
    # on any machine.
    env = pre_commit_env(tmp_path, TRAVIS="1")

    result = pre_commit(site, env, "run", "postlint", "--all-files")
    assert result.returncode == 0, result.stdout + result.stderr
    assert findings(result.stdout) == []
    skipped_notes = re.findall(r"^postlint: JK002 ", result.stdout, re.MULTILINE)
    assert len(skipped_notes) >= 2  # one per batch, and there was more than one batch

    whole = pre_commit(site, env, "run", "postlint-urls", "--all-files", "--hook-stage", "manual")
    assert whole.returncode == 1, whole.stdout + whole.stderr
    assert findings(whole.stdout) == [
        ("_posts/2019-05-25-zelfde.html", 1, 1, "JK002"),
        ("_posts/2019-05-25-zelfde.md", 1, 1, "JK002"),
    ]


def test_hook_with_a_baseline_fails_only_on_new_findings(tmp_path: Path) -> None:
    """`args: [--baseline, FILE]` in .pre-commit-config.yaml: the posts pre-commit
    names in batches are matched against the one file; a staged post with a new
    finding fails, the recorded ones do not."""
    hooks = local_hooks(postlint={"args": ["--baseline", ".postlint-baseline.json"]})
    site = new_repo(tmp_path / "site", {**CLEAN, **BAD, ".pre-commit-config.yaml": hooks})
    env = pre_commit_env(tmp_path)
    recorded = subprocess.run(
        [POSTLINT, "check", "--no-network", "--write-baseline", ".postlint-baseline.json"],
        cwd=site, env=env, capture_output=True, text=True, timeout=60,
    )
    assert recorded.returncode == 0, recorded.stderr
    add_files(site, {})

    held = pre_commit(site, env, "run", "--all-files")
    assert held.returncode == 0, held.stdout + held.stderr
    assert re.search(r"^postlint\.+Passed$", held.stdout, re.MULTILINE)

    # The recorded post edited above its finding: still recorded.
    moved = BAD["_posts/2019-05-17-dubbel.md"].replace("layout: post\n", "layout: post\nauthor: Anne\n")
    add_files(site, {"_posts/2019-05-17-dubbel.md": moved})
    assert pre_commit(site, env, "run", "--all-files").returncode == 0

    add_files(site, {"_posts/2019-05-18-nieuw.md": post(18, "Een", "title: Twee\n")})
    new = pre_commit(site, env, "run", "--all-files")
    assert new.returncode == 1
    assert findings(new.stdout) == [("_posts/2019-05-18-nieuw.md", 5, 1, "FM003")]


# --- the slow one: pre-commit try-repo, with a real hook environment -----------------


def _clean_clone(dest: Path) -> Path:
    """This checkout as a fresh repository with one commit: tracked and new
    files, as the working tree has them, minus what .gitignore ignores."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPO, capture_output=True, check=True, timeout=60,
    ).stdout.decode("utf-8").split("\0")
    files = {}
    for rel in filter(None, listed):
        source = REPO / rel
        if source.is_file():
            files[rel] = source.read_bytes()
    repo = new_repo(dest, files)
    git(repo, "commit", "-q", "-m", "postlint under test")
    return repo


def _requirements(name: str, seen: set[str] | None = None) -> set[str]:
    """The distributions `name` needs at run time, transitively, as installed here."""
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    seen = set() if seen is None else seen
    for spec in importlib.metadata.requires(name) or []:
        req = Requirement(spec)
        if req.marker is not None and not req.marker.evaluate({"extra": ""}):
            continue
        key = canonicalize_name(req.name)
        if key not in seen:
            seen.add(key)
            _requirements(req.name, seen)
    return seen


def _repack(dist: importlib.metadata.Distribution, wheelhouse: Path) -> None:
    """An installed distribution back into a wheel: its files as installed
    (scripts are made again from entry_points.txt), a fresh RECORD."""
    tags = [
        line.split(":", 1)[1].strip().split("-")
        for line in (dist.read_text("WHEEL") or "").splitlines()
        if line.startswith("Tag:")
    ]
    # The file name's compressed tag set: py2-none-any + py3-none-any -> py2.py3-none-any.
    tag = "-".join(".".join(dict.fromkeys(t[i] for t in tags)) for i in range(3))
    name = re.sub(r"[-_.]+", "_", dist.metadata["Name"]).lower()
    records: list[str] = []
    info_dir = ""
    target = wheelhouse / f"{name}-{dist.version}-{tag}.whl"
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as wheel:
        for file in dist.files or []:
            parts = file.parts
            if parts[0] == ".." or "__pycache__" in parts or file.suffix == ".pyc":
                continue
            if parts[0].endswith(".dist-info"):
                info_dir = parts[0]
                if parts[-1] in ("RECORD", "INSTALLER", "REQUESTED", "direct_url.json"):
                    continue
            source = Path(str(dist.locate_file(file)))
            if not source.is_file():
                continue
            data = source.read_bytes()
            arcname = "/".join(parts)
            wheel.writestr(arcname, data)
            digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
            records.append(f"{arcname},sha256={digest},{len(data)}")
        wheel.writestr(f"{info_dir}/RECORD", "\n".join(records + [f"{info_dir}/RECORD,,"]) + "\n")


def _wheelhouse(dest: Path) -> Path:
    dest.mkdir()
    for name in sorted(_requirements("postlint")):
        _repack(importlib.metadata.distribution(name), dest)
    # The build backend (pyproject's build-system) for pip's isolated build: the
    # setuptools wheel that virtualenv (a pre-commit dependency) carries.
    import virtualenv

    embedded = sorted(
        (Path(virtualenv.__file__).parent / "seed" / "wheels" / "embed").glob("setuptools-*.whl"),
        key=lambda p: tuple(int(x) for x in re.findall(r"\d+", p.name.split("-")[1])),
    )
    assert embedded, "virtualenv carries no setuptools wheel"
    (dest / embedded[-1].name).write_bytes(embedded[-1].read_bytes())
    return dest


@pytest.mark.slow
def test_try_repo_installs_the_hook_from_a_clean_clone(tmp_path: Path) -> None:
    """The README's path for a user: pre-commit try-repo against a clone."""
    if not (REPO / ".git").exists():
        pytest.skip("not a git checkout: nothing to clone")
    started = time.monotonic()
    clone = _clean_clone(tmp_path / "postlint")
    wheels = _wheelhouse(tmp_path / "wheels")
    env = pre_commit_env(
        tmp_path,
        # pip installs only from the wheels above and never asks an index.
        PIP_NO_INDEX="1", PIP_FIND_LINKS=str(wheels), PIP_CONFIG_FILE=os.devnull,
        # virtualenv seeds from the wheels it carries and checks for no updates.
        VIRTUALENV_NO_PERIODIC_UPDATE="1", VIRTUALENV_OVERRIDE_APP_DATA=str(tmp_path / "virtualenv"),
    )
    # The excluded bad posts: --force-exclude in the hook keeps them out.
    site = new_repo(tmp_path / "site", {**CLEAN, **EXCLUDED})

    clean = pre_commit(site, env, "try-repo", str(clone), "postlint", "--all-files", timeout=600)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert re.search(r"^postlint\.+Passed$", clean.stdout, re.MULTILINE)

    add_files(site, BAD)
    bad = pre_commit(site, env, "try-repo", str(clone), "postlint", "--all-files", timeout=600)
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert findings(bad.stdout) == [("_posts/2019-05-17-dubbel.md", 4, 1, "FM003")]
    print(f"try-repo test: {time.monotonic() - started:.1f} s")
