"""A one-line progress counter on standard error, only on a terminal."""

from __future__ import annotations

import sys
import threading
import time
from typing import TextIO


class Progress:
    def __init__(self, total: int, enabled: bool, stream: TextIO | None = None) -> None:
        self.stream = stream if stream is not None else sys.stderr
        isatty = getattr(self.stream, "isatty", None)
        self.enabled = bool(enabled and total and isatty is not None and isatty())
        self.total = total
        self.done = 0
        self._shown = 0.0
        self._lock = threading.Lock()

    def advance(self, count: int = 1) -> None:
        with self._lock:
            self.done += count
            if not self.enabled:
                return
            now = time.monotonic()
            if now - self._shown >= 0.1 or self.done >= self.total:
                self._shown = now
                self.stream.write(f"\rpostlint: checking URLs {self.done}/{self.total}")
                self.stream.flush()

    def close(self) -> None:
        if self.enabled:
            self.stream.write("\r\033[K")
            self.stream.flush()
