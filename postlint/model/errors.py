"""Errors every stage may raise."""

from __future__ import annotations

from pathlib import Path
from typing import Optional


class ConfigError(Exception):
    """A configuration that cannot be used: exit status 2."""

    def __init__(self, message: str, file: Optional[Path] = None, line: Optional[int] = None) -> None:
        self.file = file
        self.line = line
        where = f"{file}:{line}: " if file and line else f"{file}: " if file else ""
        super().__init__(f"{where}{message}")
