"""The URL cache: between runs, across processes, and when told to keep out."""

from __future__ import annotations

import json
import multiprocessing
import os
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

from postlint.net import NetSettings, UrlCheck, Verdict, resolve
from postlint.net.cache import UrlCache, cache_key

from .server import TestServer, image, redirect, reply


def _rows(cache_dir: Path) -> list[tuple[str, str, float]]:
    """The urls table of the cache database in `cache_dir` (none: no database)."""
    path = cache_dir / "postlint.sqlite"
    if not path.exists():
        return []
    db = sqlite3.connect(path)
    try:
        return sorted(db.execute("SELECT key, value, checked_at FROM urls"))
    finally:
        db.close()


def _execute(cache_dir: Path, sql: str, *args: Any) -> None:
    db = sqlite3.connect(cache_dir / "postlint.sqlite")
    db.execute(sql, args)
    db.commit()
    db.close()


def settings(cache_dir: Path, **overrides: Any) -> NetSettings:
    base: dict[str, Any] = {
        "timeout": 2.0, "retries": 0, "backoff_base": 0.01, "cache_dir": cache_dir, "allow_hosts": ("127.0.0.1",)
    }
    base.update(overrides)
    return NetSettings(**base)


def test_second_run_is_answered_from_the_cache(server: TestServer, tmp_path: Path) -> None:
    server.route("/new", reply(200))
    checks = [
        UrlCheck(server.route("/page", reply(200)), "page"),
        UrlCheck(server.route("/pic", image()), "image"),
        UrlCheck(server.route("/old", redirect(301, "/new")), "page"),
    ]
    first, summary1 = resolve(checks, settings(tmp_path))
    requests_first = server.hits()
    assert summary1.from_cache == 0 and requests_first == 4
    second, summary2 = resolve(checks, settings(tmp_path))
    assert server.hits() == requests_first  # zero requests
    assert summary2.from_cache == 3 and summary2.requests == 0
    for check in checks:
        assert second[check].from_cache
        assert second[check]._replace(from_cache=False) == first[check]
    assert second[checks[2]].code == "URL002"
    assert second[checks[2]].final_url == server.url("/new")


def test_failures_are_not_cached(server: TestServer, tmp_path: Path) -> None:
    url = server.route("/broken", reply(404))
    pic = server.route("/fake.png", reply(200))  # an image field serving HTML
    checks = [UrlCheck(url, "page"), UrlCheck(pic, "image")]
    resolve(checks, settings(tmp_path))
    server.route("/broken", reply(200))  # fixed between the runs
    server.route("/fake.png", image())
    verdicts, summary = resolve(checks, settings(tmp_path))
    assert summary.from_cache == 0
    assert all(v.code is None for v in verdicts.values())
    assert server.hits() == 5  # + one GET of the HTML "image" for its first bytes, in the first run
    assert server.hits("/fake.png", "GET") == 1


def test_refusals_are_not_cached(server: TestServer, tmp_path: Path) -> None:
    url = server.route("/x", reply(200))
    verdicts, _ = resolve([UrlCheck(url, "page")], settings(tmp_path, allow_hosts=()))
    assert verdicts[UrlCheck(url, "page")].code == "URL005"
    assert not _rows(tmp_path)


def test_guard_policy_is_part_of_the_key(server: TestServer, tmp_path: Path) -> None:
    url = server.route("/x", reply(200))
    resolve([UrlCheck(url, "page")], settings(tmp_path))
    verdicts, _ = resolve([UrlCheck(url, "page")], settings(tmp_path, allow_hosts=()))
    assert verdicts[UrlCheck(url, "page")].code == "URL005"  # not the cached OK
    assert server.hits() == 1


def test_no_cache_neither_reads_nor_writes(server: TestServer, tmp_path: Path) -> None:
    url = server.route("/page", reply(200))
    checks = [UrlCheck(url, "page")]
    resolve(checks, settings(tmp_path))  # fills the cache
    assert server.hits() == 1
    rows_before = _rows(tmp_path)
    assert len(rows_before) == 1
    verdicts, summary = resolve(checks, settings(tmp_path, use_cache=False))
    assert server.hits() == 2 and summary.from_cache == 0
    assert not verdicts[checks[0]].from_cache
    assert _rows(tmp_path) == rows_before

    other = tmp_path / "untouched"
    resolve(checks, settings(other, use_cache=False))
    assert not other.exists()


def test_expired_entries_are_checked_again(server: TestServer, tmp_path: Path) -> None:
    url = server.route("/page", reply(200))
    checks = [UrlCheck(url, "page")]
    resolve(checks, settings(tmp_path))
    _execute(tmp_path, "UPDATE urls SET checked_at = checked_at - 7200")
    _, summary = resolve(checks, settings(tmp_path, cache_max_age=3600))
    assert summary.from_cache == 0 and server.hits() == 2
    _, summary = resolve(checks, settings(tmp_path, cache_max_age=3600))
    assert summary.from_cache == 1 and server.hits() == 2


def test_corrupt_entries_are_misses(tmp_path: Path) -> None:
    cache = UrlCache(tmp_path, 3600)
    check = UrlCheck("https://example.org/", "page")
    key = cache_key(check, NetSettings())
    assert cache.put(key, check, Verdict(None, "200 OK", None))
    assert cache.get(key) is not None
    for junk in ("", "{", "[]", '{"code": "URL001", "message": "x", "final_url": null}',
                 '{"code": null, "message": "x", "final_url": 5}'):
        _execute(tmp_path, "UPDATE urls SET value = ?", junk)
        assert cache.get(key) is None
    _execute(
        tmp_path, "UPDATE urls SET value = ?, checked_at = 1e18", '{"code": null, "message": "x", "final_url": null}'
    )
    assert cache.get(key) is None  # checked in the future: not trusted


def test_cache_key_depends_on_what_changes_a_verdict() -> None:
    check = UrlCheck("https://example.org/a.png", "image")
    base = cache_key(check, NetSettings())
    assert cache_key(check._replace(kind="page"), NetSettings()) != base
    assert cache_key(check, NetSettings(accept=frozenset({200}))) != base
    assert cache_key(check, NetSettings(allow_private=True)) != base
    assert cache_key(check, NetSettings(user_agent="other", timeout=1.0, retries=5)) == base


def _writer(root: str, worker: int, rounds: int) -> None:
    cache = UrlCache(Path(root), 3600)
    for i in range(rounds):
        check = UrlCheck(f"https://example.org/{i % 20}", "page")
        key = cache_key(check, NetSettings())
        cache.put(key, check, Verdict(None, f"200 OK from {worker}", None))
        cache.get(key)


def test_concurrent_writers_processes_and_threads(tmp_path: Path) -> None:
    ctx = multiprocessing.get_context("fork" if hasattr(os, "fork") else "spawn")
    processes = [ctx.Process(target=_writer, args=(str(tmp_path), w, 200)) for w in range(4)]
    threads = [threading.Thread(target=_writer, args=(str(tmp_path), 10 + w, 200)) for w in range(4)]
    errors: list[str] = []

    def reader() -> None:
        cache = UrlCache(tmp_path, 3600)
        deadline = time.monotonic() + 1.0
        while time.monotonic() < deadline:
            try:
                rows = _rows(tmp_path)
            except sqlite3.OperationalError:  # the database is being made
                continue
            for key, value, _ in rows:
                try:
                    json.loads(value)
                except ValueError:
                    errors.append(f"torn value {key}")
            for i in range(20):
                cache.get(cache_key(UrlCheck(f"https://example.org/{i}", "page"), NetSettings()))

    # The processes are forked first: a child forked while another thread of
    # its parent is inside SQLite can inherit SQLite's mutexes locked (the
    # runner forks its pool only when no other thread runs).
    for p in processes:
        p.start()
    watcher = threading.Thread(target=reader)
    watcher.start()
    for t in threads:
        t.start()
    for p in processes:
        p.join(10)
        assert p.exitcode == 0
    for t in threads:
        t.join(10)
    watcher.join(5)
    assert not errors
    cache = UrlCache(tmp_path, 3600)
    for i in range(20):
        check = UrlCheck(f"https://example.org/{i}", "page")
        verdict = cache.get(cache_key(check, NetSettings()))
        assert verdict is not None and verdict.code is None and verdict.from_cache
    assert len(_rows(tmp_path)) == 20


def test_concurrent_runs_share_a_cache(server: TestServer, tmp_path: Path) -> None:
    checks = [UrlCheck(server.route(f"/p/{i}", reply(200)), "page") for i in range(30)]
    results: list[dict[UrlCheck, Verdict]] = []

    def run() -> None:
        results.append(resolve(checks, settings(tmp_path))[0])

    runners = [threading.Thread(target=run) for _ in range(3)]
    for t in runners:
        t.start()
    for t in runners:
        t.join(10)
    assert len(results) == 3
    assert all(v.code is None for r in results for v in r.values())
    _, summary = resolve(checks, settings(tmp_path))
    assert summary.from_cache == 30
