"""Verdicts kept between runs: the `urls` table of the cache database.

One row per check, its verdict as JSON text and the time it was reached; the
database (`postlint.files.cachedb`) makes concurrent runs sharing the folder
safe (WAL, writers take turns, all-or-nothing writes; the last writer wins, and
every writer writes a correct answer). A missing, damaged or expired row is a
miss; a database that cannot be used costs only requests.

Only verdicts that say the link works (no code, or URL002) are stored: a
failure is checked again on the next run, so a fixed link is seen at once.
The key holds everything that can change such a verdict: the URL, the kind,
the method policy, the accepted status codes and the address-guard policy.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from postlint.files.cachedb import CacheDB, transaction

if TYPE_CHECKING:  # pragma: no cover
    from postlint.net import NetSettings, UrlCheck, Verdict

FORMAT = "v1"
# Bump when the way verdicts are reached changes (method fallback, redirects).
METHOD_POLICY = "head-then-get/redirects-10/sniff-images/printable"
CACHEABLE_CODES = (None, "URL002")


def cache_key(check: UrlCheck, settings: NetSettings) -> str:
    material = json.dumps(
        [
            FORMAT,
            METHOD_POLICY,
            check.url,
            check.kind,
            sorted(settings.accept),
            settings.allow_private,
            sorted(settings.allow_hosts),
        ],
        separators=(",", ":"),
    )
    return hashlib.sha256(material.encode("utf-8")).hexdigest()


class UrlCache:
    """The URL verdicts of the cache folder `root`. Safe to share between the
    threads of one run (one connection, used under a lock)."""

    def __init__(self, root: Path, max_age: float) -> None:
        self.db = CacheDB(Path(root))
        self.max_age = max_age
        self._lock = threading.Lock()

    def get(self, key: str, now: float | None = None) -> Verdict | None:
        from postlint.net import Verdict

        with self._lock:
            conn = self.db.connect()
            if conn is None:
                return None
            try:
                row = conn.execute("SELECT value, checked_at FROM urls WHERE key = ?", (key,)).fetchone()
            except Exception as exc:  # noqa: BLE001 - sqlite3.Error: no cache this run
                self.db.fail(exc)
                return None
        if row is None:
            return None
        try:
            data: Any = json.loads(row[0])
            checked_at = float(row[1])
            code = data["code"]
            message = str(data["message"])
            final_url = data["final_url"]
        except (ValueError, KeyError, TypeError):
            return None
        age = (time.time() if now is None else now) - checked_at
        if not 0 <= age <= self.max_age or code not in CACHEABLE_CODES:
            return None
        if final_url is not None and not isinstance(final_url, str):
            return None
        return Verdict(code, message, final_url, from_cache=True)

    def put(self, key: str, check: UrlCheck, verdict: Verdict) -> bool:
        """Store `verdict` if it is cacheable; True if stored. Never raises:
        a cache that cannot be written only costs time."""
        if verdict.code not in CACHEABLE_CODES:
            return False
        value = json.dumps(
            {"url": check.url, "kind": check.kind, "code": verdict.code, "message": verdict.message,
             "final_url": verdict.final_url},
            ensure_ascii=False, separators=(",", ":"),
        )
        with self._lock:
            conn = self.db.connect()
            if conn is None:
                return False
            try:
                with transaction(conn):
                    conn.execute("INSERT OR REPLACE INTO urls (key, value, checked_at) VALUES (?, ?, ?)",
                                 (key, value, time.time()))
            except Exception as exc:  # noqa: BLE001 - sqlite3.Error
                self.db.fail(exc)
                return False
        return True

    def close(self) -> None:
        """Drop the verdicts that have expired, then let the database go."""
        with self._lock:
            conn = self.db._db
            if conn is not None:
                try:
                    with transaction(conn):
                        conn.execute("DELETE FROM urls WHERE checked_at < ?", (time.time() - self.max_age,))
                except Exception:  # noqa: BLE001, S110 - sqlite3.Error: left for another run
                    pass
            self.db.close()
