"""Verdicts kept between runs: one small JSON file per check.

Layout: `<cache_dir>/urls/v1/<hh>/<sha256>.json`. A file is written to a
temporary name in the same directory and renamed over the old one
(`os.replace`), so concurrent runs sharing the directory only ever see whole
files; the last writer wins, and every writer writes a correct answer.
A missing, unreadable, corrupt or expired file is a miss.

Only verdicts that say the link works (no code, or URL002) are stored: a
failure is checked again on the next run, so a fixed link is seen at once.
The key holds everything that can change such a verdict: the URL, the kind,
the method policy, the accepted status codes and the address-guard policy.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Optional

if TYPE_CHECKING:  # pragma: no cover
    from postlint.net import NetSettings, UrlCheck, Verdict

FORMAT = "v1"
# Bump when the way verdicts are reached changes (method fallback, redirects).
METHOD_POLICY = "head-then-get/redirects-10/sniff-images/printable"
CACHEABLE_CODES = (None, "URL002")


def cache_key(check: "UrlCheck", settings: "NetSettings") -> str:
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
    def __init__(self, root: Path, max_age: float) -> None:
        from postlint.files.safe import marked_boundary

        self.directory = Path(root) / "urls" / FORMAT
        self.max_age = max_age
        # Nothing is read or written through a link out of the repository.
        self._limit = marked_boundary(str(root))

    def _usable(self, path: Path) -> bool:
        from postlint.files.safe import stays_inside

        return stays_inside(str(path), self._limit)

    def _path(self, key: str) -> Path:
        return self.directory / key[:2] / f"{key}.json"

    def get(self, key: str, now: Optional[float] = None) -> "Optional[Verdict]":
        from postlint.net import Verdict

        if not self._usable(self._path(key)):
            return None
        try:
            with open(self._path(key), "rb") as f:
                data = json.loads(f.read())
            checked_at = float(data["checked_at"])
            code = data["code"]
            message = str(data["message"])
            final_url = data["final_url"]
        except (OSError, ValueError, KeyError, TypeError):
            return None
        age = (time.time() if now is None else now) - checked_at
        if age < 0 or age > self.max_age or code not in CACHEABLE_CODES:
            return None
        if final_url is not None and not isinstance(final_url, str):
            return None
        return Verdict(code, message, final_url, from_cache=True)

    def put(self, key: str, check: "UrlCheck", verdict: "Verdict") -> bool:
        """Store `verdict` if it is cacheable; True if stored. Never raises
        OSError: a cache that cannot be written only costs time."""
        if verdict.code not in CACHEABLE_CODES:
            return False
        data = {
            "url": check.url,
            "kind": check.kind,
            "code": verdict.code,
            "message": verdict.message,
            "final_url": verdict.final_url,
            "checked_at": time.time(),
        }
        path = self._path(key)
        if not self._usable(path):
            return False
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".json", dir=path.parent)
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as f:
                    json.dump(data, f, separators=(",", ":"))
                os.replace(tmp, path)
            except BaseException:
                try:
                    os.unlink(tmp)
                except OSError:
                    pass
                raise
        except OSError:
            return False
        return True
