"""A memo store (postlint.analysis.memo.Store) in a dict, for the tests that
install one."""

from __future__ import annotations

from typing import Any


class DictStore:
    def __init__(self) -> None:
        self.rows: dict[tuple[str, str], Any] = {}

    def get(self, namespace: str, key: str) -> Any:
        return self.rows.get((namespace, key))

    def put(self, namespace: str, key: str, value: Any) -> None:
        self.rows[(namespace, key)] = value
