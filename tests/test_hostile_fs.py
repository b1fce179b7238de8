"""Hostile file systems (issue 12, points 4 and 5): nothing outside the site is
read or written; --fix keeps owner, mode and hard links, leaves read-only files
alone, cleans up after a killed run, and reports every write it could not make."""

from __future__ import annotations

import json
import os
import resource
import signal
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from postlint.files import safe as safefs
from tests.conftest import POSTLINT, REPO, run_cli, write_site

SECRET = "SECRET_TOKEN=hunter2-do-not-leak"
MOJIBAKE = "---\nlayout: post\ntitle: \"DaniÃ«l opent cafÃ©\"\n---\n<p>DaniÃ«l ging undercover.</p>\n"
FIXED = "---\nlayout: post\ntitle: \"Daniël opent café\"\n---\n<p>Daniël ging undercover.</p>\n"
CLEAN = "---\nlayout: post\ntitle: \"Nieuws\"\n---\n<p>Tekst.</p>\n"
A = "_posts/2019-05-13-a.md"
B = "_posts/2019-05-13-b.md"
FORMATS = ["text", "concise", "json", "sarif", "github", "html"]


def _site(tmp_path: Path, posts: dict[str, str]) -> Path:
    site = tmp_path / "repo"
    site.mkdir()
    (site / ".git").mkdir()  # the repository's root: the boundary
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "secret.env").write_text(SECRET + "\n", encoding="utf-8")
    write_site(site, posts)
    return site


def _codes(result) -> list[tuple[str, int, int, str]]:  # type: ignore[no-untyped-def]
    return sorted((d["path"], d["line"], d["column"], d["code"]) for d in result.json()["diagnostics"])


# -- point 4: reading ------------------------------------------------------------------


@pytest.mark.parametrize("output_format", FORMATS)
def test_link_outside_the_repository_is_not_read(tmp_path: Path, output_format: str) -> None:
    site = _site(tmp_path, {B: CLEAN})
    os.symlink("../../outside/secret.env", site / A)
    for cache in ([], ["--no-cache"]):
        result = run_cli(["check", "--no-network", *cache, "--output-format", output_format, "."], cwd=site)
        assert result.code == 1, result.err
        assert "hunter2" not in result.out and "hunter2" not in result.err
        assert "SECRET_TOKEN" not in result.out
        assert A in result.out and "PL003" in result.out
    doc = run_cli(["check", "--no-network", "--output-format", "json", "."], cwd=site)
    assert _codes(doc) == [(A, 1, 1, "PL003")]


def test_linked_folder_leading_outside_is_not_read(tmp_path: Path) -> None:
    site = _site(tmp_path, {B: CLEAN})
    (tmp_path / "outside" / "2019-05-13-c.md").write_text("---\ntitle: " + SECRET + "\n---\n", encoding="utf-8")
    os.symlink("../../outside", site / "_posts" / "linked")
    named = "_posts/linked/2019-05-13-c.md"
    result = run_cli(["check", "--no-network", "--output-format", "json", named], cwd=site)
    assert "hunter2" not in result.out
    assert _codes(result) == [(named, 1, 1, "PL003")]
    # A walk of the site does not descend into the linked folder at all.
    walked = run_cli(["check", "--no-network", "--output-format", "json", "."], cwd=site)
    assert _codes(walked) == []


def test_without_a_repository_the_site_is_the_boundary(tmp_path: Path) -> None:
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "secret.env").write_text(SECRET + "\n", encoding="utf-8")
    site = write_site(tmp_path / "site", {B: CLEAN}) if (tmp_path / "site").mkdir() is None else None
    assert site is not None
    os.symlink("../../outside/secret.env", site / A)
    result = run_cli(["check", "--no-network", "--output-format", "json", "."], cwd=site)
    assert "hunter2" not in result.out
    assert _codes(result) == [(A, 1, 1, "PL003")]


def test_link_inside_the_repository_is_read(tmp_path: Path) -> None:
    site = _site(tmp_path, {"drafts/shared.md": MOJIBAKE})
    (site / "_posts").mkdir()
    os.symlink("../drafts/shared.md", site / A)
    result = run_cli(["check", "--no-network", "--select", "EN002", "--output-format", "json", "."], cwd=site)
    assert {c[3] for c in _codes(result)} == {"EN002"}


@pytest.mark.parametrize("output_format", FORMATS)
def test_symlink_loops_and_broken_links_are_findings(tmp_path: Path, output_format: str) -> None:
    site = _site(tmp_path, {B: CLEAN})
    os.symlink("2019-05-13-a.md", site / A)  # ln -s x.md x.md
    os.symlink("2019-05-13-d.md", site / "_posts" / "2019-05-13-c.md")
    os.symlink("2019-05-13-c.md", site / "_posts" / "2019-05-13-d.md")
    os.symlink("nowhere.md", site / "_posts" / "2019-05-13-e.md")
    result = run_cli(["check", "--no-network", "--output-format", output_format, "."], cwd=site)
    assert result.code == 1, result.err
    assert "Traceback" not in result.err
    if output_format in ("json", "sarif"):
        json.loads(result.out)
    doc = run_cli(["check", "--no-network", "--output-format", "json", "."], cwd=site)
    assert _codes(doc) == [
        (A, 1, 1, "PL004"),
        ("_posts/2019-05-13-c.md", 1, 1, "PL004"),
        ("_posts/2019-05-13-d.md", 1, 1, "PL004"),
        ("_posts/2019-05-13-e.md", 1, 1, "PL004"),
    ]


def test_link_findings_are_selectable(tmp_path: Path) -> None:
    site = _site(tmp_path, {B: CLEAN})
    os.symlink("../../outside/secret.env", site / A)
    result = run_cli(["check", "--no-network", "--ignore", "PL003", "--output-format", "json", "."], cwd=site)
    assert result.code == 0 and _codes(result) == []
    assert "hunter2" not in result.out


def test_a_loop_in_a_subprocess_is_no_traceback(tmp_path: Path) -> None:
    site = _site(tmp_path, {B: CLEAN})
    os.symlink("2019-05-13-a.md", site / A)
    run = subprocess.run(
        [POSTLINT, "check", "--no-network", "."], cwd=site, capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 1 and "Traceback" not in run.stderr
    assert f"{A}:1:1: error PL004 " in run.stdout


# -- point 4: --fix writes ---------------------------------------------------------------


def test_fix_never_writes_through_a_link(tmp_path: Path) -> None:
    site = _site(tmp_path, {B: MOJIBAKE})
    outside = tmp_path / "outside" / "post.md"
    outside.write_text(MOJIBAKE, encoding="utf-8")
    os.symlink("../../outside/post.md", site / A)
    result = run_cli(
        ["check", "--fix", "--no-network", "--select", "EN002,PL", "--output-format", "json", "."], cwd=site
    )
    assert outside.read_text(encoding="utf-8") == MOJIBAKE
    assert os.path.islink(site / A)
    assert (site / B).read_text(encoding="utf-8") == FIXED  # the run went on
    assert _codes(result) == [(A, 1, 1, "PL003")]


def test_fix_of_a_linked_post_fixes_the_post_not_the_link(tmp_path: Path) -> None:
    site = _site(tmp_path, {B: MOJIBAKE})
    os.symlink("2019-05-13-b.md", site / A)  # a.md -> b.md: sorted first, but a link
    result = run_cli(["check", "--fix", "--no-network", "--select", "EN002", "--output-format", "json", "."], cwd=site)
    assert result.code == 0, result.out
    assert os.path.islink(site / A) and os.readlink(site / A) == "2019-05-13-b.md"
    assert (site / B).read_text(encoding="utf-8") == FIXED


def test_fix_keeps_owner_group_and_mode(tmp_path: Path) -> None:
    site = _site(tmp_path, {A: MOJIBAKE})
    post = site / A
    if os.geteuid() == 0:
        os.chown(post, 1234, 5678)
    os.chmod(post, 0o640)
    before = post.stat()
    result = run_cli(["check", "--fix", "--no-network", "--select", "EN002", "."], cwd=site)
    assert result.code == 0, result.out
    after = post.stat()
    assert post.read_text(encoding="utf-8") == FIXED
    assert (after.st_uid, after.st_gid) == (before.st_uid, before.st_gid)
    assert stat.S_IMODE(after.st_mode) == 0o640
    assert sorted(p.name for p in post.parent.iterdir()) == [post.name]


def test_fix_does_not_split_hard_links(tmp_path: Path) -> None:
    site = _site(tmp_path, {A: MOJIBAKE, B: MOJIBAKE})
    twin = site / "copy.md"
    os.link(site / A, twin)
    inode = (site / A).stat().st_ino
    result = run_cli(["check", "--fix", "--no-network", "--select", "EN002", "--output-format", "json", "."], cwd=site)
    assert result.code == 2
    assert (site / A).stat().st_ino == inode == twin.stat().st_ino
    assert (site / A).read_text(encoding="utf-8") == MOJIBAKE
    assert (site / B).read_text(encoding="utf-8") == FIXED
    pl003 = [c for c in _codes(result) if c[3] == "PL005"]
    assert pl003 == [(A, 1, 1, "PL005")]
    assert "could not be written" in result.err


def test_fix_leaves_read_only_files_and_folders_alone(tmp_path: Path) -> None:
    site = _site(tmp_path, {A: MOJIBAKE, "_posts/ro/2019-05-13-c.md": MOJIBAKE, B: MOJIBAKE})
    os.chmod(site / A, 0o444)
    folder = site / "_posts" / "ro"
    os.chmod(folder, 0o555)
    try:
        result = run_cli(
            ["check", "--fix", "--no-network", "--select", "EN002", "--output-format", "json", "."], cwd=site
        )
        assert result.code == 2
        assert (site / A).read_text(encoding="utf-8") == MOJIBAKE
        assert stat.S_IMODE((site / A).stat().st_mode) == 0o444
        assert (folder / "2019-05-13-c.md").read_text(encoding="utf-8") == MOJIBAKE
        assert sorted(p.name for p in folder.iterdir()) == ["2019-05-13-c.md"]
        assert (site / B).read_text(encoding="utf-8") == FIXED
        pl003 = sorted((c[0], c[1], c[2]) for c in _codes(result) if c[3] == "PL005")
        assert pl003 == [(A, 1, 1), ("_posts/ro/2019-05-13-c.md", 1, 1)]
    finally:
        os.chmod(folder, 0o755)


def test_diff_of_a_read_only_file_is_still_shown(tmp_path: Path) -> None:
    site = _site(tmp_path, {A: MOJIBAKE})
    os.chmod(site / A, 0o444)
    result = run_cli(["check", "--diff", "--no-network", "--select", "EN002", "."], cwd=site)
    assert result.code == 1 and "+<p>Daniël ging undercover.</p>" in result.out


# -- point 5: write failures -----------------------------------------------------------


def _limit_file_size() -> None:
    # A full disk, simulated: writes past 3 KB fail with EFBIG (SIGXFSZ ignored).
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (3000, 3000))


def test_full_disk_is_a_finding_and_the_run_goes_on(tmp_path: Path) -> None:
    big = MOJIBAKE + "<p>" + "lang " * 1000 + "</p>\n"  # ~5 KB: cannot be written
    site = _site(tmp_path, {A: big, B: MOJIBAKE})
    run = subprocess.run(
        [POSTLINT, "check", "--fix", "--no-cache", "--no-network", "--select", "EN002", "--output-format", "json", "."],
        cwd=site, capture_output=True, text=True, timeout=120, preexec_fn=_limit_file_size,
    )
    assert run.returncode == 2, run.stderr
    assert "Traceback" not in run.stderr
    doc = json.loads(run.stdout)
    assert [(d["path"], d["line"], d["code"]) for d in doc["diagnostics"] if d["code"] == "PL005"] == [(A, 1, "PL005")]
    assert (site / A).read_text(encoding="utf-8") == big
    assert (site / B).read_text(encoding="utf-8") == FIXED
    assert sorted(p.name for p in (site / "_posts").iterdir()) == [Path(A).name, Path(B).name]
    assert "could not be written" in run.stderr


def test_a_vanished_file_is_a_write_failure(tmp_path: Path) -> None:
    folder = tmp_path / "gone"
    folder.mkdir()
    post = folder / "x.md"
    post.write_text(MOJIBAKE, encoding="utf-8")
    read = safefs.read_inside(str(post))
    post.unlink()
    folder.rmdir()
    with pytest.raises(safefs.WriteFailed):
        safefs.write_fixed(str(post), FIXED.encode(), read.stat)


def test_a_file_changed_since_it_was_read_is_left_alone(tmp_path: Path) -> None:
    post = tmp_path / "x.md"
    post.write_text(MOJIBAKE, encoding="utf-8")
    read = safefs.read_inside(str(post))
    post.write_text(MOJIBAKE + "<p>meer</p>\n", encoding="utf-8")
    with pytest.raises(safefs.Refused) as refused:
        safefs.write_fixed(str(post), FIXED.encode(), read.stat)
    assert refused.value.code == "PL005"
    assert post.read_text(encoding="utf-8").endswith("<p>meer</p>\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.md"]


# -- point 4: stale temporary files ------------------------------------------------------

_KILLED_WRITER = """
import os, signal, sys
from postlint.files import safe as safefs
os.replace = lambda *a: os.kill(os.getpid(), signal.SIGKILL)  # killed -9 just before the rename
safefs.write_fixed(sys.argv[1], b"half-written")
"""


def test_fix_removes_the_temporary_files_of_a_killed_run(tmp_path: Path) -> None:
    site = _site(tmp_path, {A: MOJIBAKE, B: CLEAN})
    killed = subprocess.run([sys.executable, "-c", _KILLED_WRITER, str(site / A)], cwd=REPO, timeout=60)
    assert killed.returncode == -signal.SIGKILL
    posts = site / "_posts"
    left = [p.name for p in posts.iterdir() if p.name.endswith(".postlint-tmp")]
    assert len(left) == 1 and left[0].startswith(".2019-05-13-a.md.")
    # Not ours or not stale: kept.
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        live = posts / f".2019-05-13-b.md.{sleeper.pid}.abcd1234.postlint-tmp"
        live.write_bytes(b"a run still writing")
        foreign = posts / ".2019-05-13-b.md.999999999.zzzz0000.postlint-tmp"
        foreign.write_bytes(b"someone else's")
        if os.geteuid() == 0:
            os.chown(foreign, 1234, 1234)
        (tmp_path / "outside" / "keep").write_bytes(b"x")
        link = posts / ".2019-05-13-b.md.999999998.link0000.postlint-tmp"
        os.symlink("../../outside/keep", link)
        unrelated = posts / ".notes.postlint-tmp"
        unrelated.write_bytes(b"not a name postlint writes")
        old = posts / ".2019-05-13-b.md.oldstyle.postlint-tmp"  # an older release's name, a day old
        old.write_bytes(b"old")
        os.utime(old, (os.path.getmtime(old) - 86400,) * 2)
        result = run_cli(["check", "--fix", "--no-network", "--select", "EN002", "."], cwd=site)
        assert result.code == 0, result.out
        names = sorted(p.name for p in posts.iterdir())
        assert names == sorted([Path(A).name, Path(B).name, live.name, foreign.name, link.name, unrelated.name])
        assert (tmp_path / "outside" / "keep").exists()
        assert (site / A).read_text(encoding="utf-8") == FIXED
    finally:
        sleeper.kill()
        sleeper.wait()


def test_check_without_fix_removes_nothing(tmp_path: Path) -> None:
    site = _site(tmp_path, {A: CLEAN})
    stale = site / "_posts" / ".2019-05-13-a.md.999999999.abcd1234.postlint-tmp"
    stale.write_bytes(b"x")
    run_cli(["check", "--no-network", "."], cwd=site)
    assert stale.exists()


def test_a_folder_swapped_for_a_link_during_a_run_is_not_read_through(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A _posts/ replaced by a link to a folder outside the repository after
    # the first post is linted does not make the second one readable: each
    # post is opened in the folder that was resolved and checked (its open
    # descriptor, which the swap does not change), never through the new
    # link (a folder's resolved path kept for the run, opened by name again,
    # did read through it).
    import shutil

    import postlint.engine.run as engine_run
    from postlint import api

    repo, outside = tmp_path / "repo", tmp_path / "outside"
    (repo / ".git").mkdir(parents=True)
    (repo / "_posts").mkdir()
    outside.mkdir()
    (repo / "_config.yml").write_text("title: t\n")
    post = "---\nlayout: post\ntitle: Hello\n---\nbody\n"
    (repo / "_posts" / "2020-01-01-a.md").write_text(post)
    (repo / "_posts" / "2020-01-02-b.md").write_text(post)
    (outside / "2020-01-02-b.md").write_text("---\nlayout: post\ntitle: SECRET\ntitle: dup\n---\nSECRET\n")
    monkeypatch.setenv("POSTLINT_JOBS", "1")
    monkeypatch.chdir(repo)
    real = engine_run._lint_shown

    def swap_after_the_first(linter, located, display, source, relpath):  # type: ignore[no-untyped-def]
        out = real(linter, located, display, source, relpath)
        if display.endswith("a.md"):
            shutil.move(str(repo / "_posts"), str(tmp_path / "old_posts"))
            os.symlink(outside, repo / "_posts")
        return out

    monkeypatch.setattr(engine_run, "_lint_shown", swap_after_the_first)
    found = api.lint_paths(str(repo))
    assert not any("SECRET" in str(d.source_line) + d.message for d in found)
    # b.md is the post that was in the folder checked: its findings are a.md's (no FM003 of the outside file).
    assert [(d.line, d.code) for d in found if d.path.endswith("b.md")] == \
        [(d.line, d.code) for d in found if d.path.endswith("a.md")]
    assert "FM003" not in {d.code for d in found}


def test_a_run_leaves_no_folder_open(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The posts are opened in their folders' descriptors, closed when the run ends.
    from postlint import api

    (tmp_path / ".git").mkdir()
    (tmp_path / "_config.yml").write_text("title: t\n")
    for folder in ("_posts", "nl/_posts", "en/_posts"):
        (tmp_path / folder).mkdir(parents=True)
        (tmp_path / folder / "2020-01-01-a.md").write_text("---\nlayout: post\ntitle: Hallo\n---\ntekst\n")
    (tmp_path / "bron").mkdir()
    (tmp_path / "bron" / "b.md").write_text("---\nlayout: post\ntitle: Daar\n---\ntekst\n")
    os.symlink("../bron/b.md", tmp_path / "_posts" / "2020-01-02-b.md")
    monkeypatch.setenv("POSTLINT_JOBS", "1")
    monkeypatch.chdir(tmp_path)
    resolved: list[str] = []
    real = safefs._resolve_inside

    def spy(path: str, fallback: str | None) -> str:
        resolved.append(os.path.basename(path))
        return real(path, fallback)

    monkeypatch.setattr(safefs, "_resolve_inside", spy)
    before = sorted(os.listdir("/proc/self/fd"))
    found = api.lint_paths(str(tmp_path))
    assert sorted(os.listdir("/proc/self/fd")) == before
    assert resolved == ["2020-01-02-b.md"]   # only the link is resolved by path
    assert {d.code for d in found} <= {"HD002", "JK004", "JK001"}, found


def test_a_fifo_outside_behind_a_linked_folder_is_never_opened(tmp_path: Path) -> None:
    # The boundary is checked before anything is opened: opening a FIFO
    # outside the repository would release its writer (found in review of
    # a read that opened first and checked the descriptor's name after).
    import threading
    import time

    repo, outside = tmp_path / "repo", tmp_path / "outside"
    (repo / ".git").mkdir(parents=True)
    outside.mkdir()
    os.mkfifo(outside / "post.md")
    os.symlink(outside, repo / "_posts")
    opened = threading.Event()

    def writer() -> None:                   # blocks until the FIFO is opened for reading
        fd = os.open(outside / "post.md", os.O_WRONLY)
        opened.set()
        os.close(fd)

    threading.Thread(target=writer, daemon=True).start()
    time.sleep(0.2)
    with pytest.raises(safefs.Refused):
        safefs.read_inside(str(repo / "_posts" / "post.md"))
    assert not opened.wait(0.3)
    os.close(os.open(outside / "post.md", os.O_RDONLY | os.O_NONBLOCK))  # let the writer go


def test_a_file_of_another_mount_namespace_is_not_read(tmp_path: Path) -> None:
    # A link to /proc/PID/cwd of a process in its own mount namespace
    # (`unshare -rm`, no privileges needed), where a folder outside is
    # mounted over the repository: the kernel names that process's files as
    # if they were inside, so only the path resolved here may be opened.
    import shutil
    import time

    if shutil.which("unshare") is None or not sys.platform.startswith("linux"):
        pytest.skip("needs Linux's unshare (util-linux)")
    repo, secret = tmp_path / "repo", tmp_path / "secret"
    (repo / ".git").mkdir(parents=True)
    secret.mkdir()
    (repo / "post.md").write_text("INSIDE")
    (secret / "post.md").write_text(SECRET)
    other = subprocess.Popen(
        ["unshare", "-rm", "sh", "-c", f"mount --bind '{secret}' '{repo}' && cd '{repo}' && exec sleep 30"],
        stderr=subprocess.DEVNULL,
    )
    try:
        time.sleep(0.5)
        if other.poll() is not None:
            pytest.skip("unprivileged user namespaces are not allowed here")
        os.symlink(f"/proc/{other.pid}/cwd", repo / "x")
        try:
            data = safefs.read_inside(str(repo / "x" / "post.md")).data
        except (safefs.Refused, OSError):
            return
        assert SECRET.encode() not in data
    finally:
        other.kill()
        other.wait()


def test_a_dotdot_after_a_linked_folder_is_read_where_the_link_leads(tmp_path: Path) -> None:
    # `_posts/lnk/../x.md` is, to the kernel, x.md in the parent of lnk's
    # target (outside here): refused, as without the run's open folders,
    # never taken for _posts/x.md by its text (found in review).
    from postlint import api

    repo, outside = tmp_path / "repo", tmp_path / "outside"
    (repo / ".git").mkdir(parents=True)
    (repo / "_posts").mkdir()
    (outside / "deep").mkdir(parents=True)
    (repo / "_config.yml").write_text("title: t\n")
    (repo / "_posts" / "2020-01-01-a.md").write_text("---\nlayout: post\ntitle: Inside\n---\nbody\n")
    (outside / "2020-01-01-a.md").write_text("---\nlayout: post\ntitle: SECRET\ntitle: dup\n---\nSECRET\n")
    os.symlink(outside / "deep", repo / "_posts" / "lnk")
    found = api.lint_paths(str(repo / "_posts" / "lnk" / ".." / "2020-01-01-a.md"))
    assert [d.code for d in found] == ["PL003"]
    assert not any("SECRET" in str(d.source_line) + d.message for d in found)
    assert safefs.Folders().open(str(repo / "_posts" / "lnk" / ".." / "2020-01-01-a.md"), None) is None


def test_a_post_opened_in_its_folder_resolves_to_itself_without_another_lstat(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Folders.open remembers what O_NOFOLLOW proved: the post is no link, so
    # its resolved folder and name are its resolved path. A link is never
    # remembered: it still resolves to its target.
    from postlint.files import paths

    (tmp_path / ".git").mkdir()
    posts = tmp_path / "_posts"
    posts.mkdir()
    (posts / "2020-01-01-a.md").write_text("a\n")
    (tmp_path / "elders.md").write_text("b\n")
    os.symlink("../elders.md", posts / "2020-01-02-b.md")
    folders = safefs.Folders()
    fd = folders.open(str(posts / "2020-01-01-a.md"), None)
    assert fd is not None
    os.close(fd)
    assert folders.open(str(posts / "2020-01-02-b.md"), None) is None   # the link: read_inside resolves it
    folders.close()
    real = os.path.realpath(posts)
    with monkeypatch.context() as patched:
        def no_lstat(path: str) -> bool:
            raise AssertionError(f"lstat of {path}")

        patched.setattr(os.path, "islink", no_lstat)
        assert paths.resolved_str(os.path.join(real, "2020-01-01-a.md")) == os.path.join(real, "2020-01-01-a.md")
    assert paths.resolved_str(os.path.join(real, "2020-01-02-b.md")) == os.path.realpath(tmp_path / "elders.md")
